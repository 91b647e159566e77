//! `iodef`: command-line tool for IODEF (RFC 7970) documents.
//!
//! ```text
//! iodef convert --to xml [--lenient] [--drop-comments] [--encoding ENC] FILE   # `-`: standard input
//! iodef convert --to json|cbor [--from xml|json|cbor] [--pretty] [--loss-report FILE] [--fail-on-loss] FILE
//! iodef validate [--format text|json] [--rules error|warn|off] FILE...   # `-` at most once
//! iodef extract [--out-dir DIR] [--validate] [-v] [--format text|json] FILE.eml|FILE.mbox|-
//! iodef mail --from ADDRESS --to ADDRESS [--subject TEXT] FILE   # a message, to stdout
//! ```
//!
//! Both refuse a DOCTYPE unless `--expand-entities` is given: then internal entities declared
//! in it are expanded within limits (see [`iodef::rt::entities`]).
//!
//! Input may be in any encoding XML allows (UTF-8 with or without byte-order mark, UTF-16, or
//! the encoding its XML declaration names); `convert` writes UTF-8 unless `--encoding` asks for
//! another.
//!
//! The input may have any root element of the generated namespaces: an IODEF 2.0
//! or 1.0 `IODEF-Document`, a RID 1.0/2.0 message, a phishing or thraud report,
//! an XEP-0268 payload, ... (`iodef::Document<iodef::bindings::Root>`).
//!
//! `convert` exit status: 0 on success; 1 when the input is not a schema-valid document of
//! the IODEF schemas (not XML, not an IODEF root, invalid content), each error on standard
//! error as `FILE:LINE:COL: error: PATH: message`, exactly the lines `validate` prints for it;
//! 2 when the file cannot be read (`FILE: error: cannot read: reason`, as `validate` says it),
//! for usage errors and when the output cannot be written. With `--lenient`, unknown content
//! (elements and attributes the schema does not allow, text in element-only content) is not
//! an error: each is reported on standard error as
//! `FILE:LINE:COL: warning: PATH: unknown element {ns}name` and written back in place; the exit
//! status stays 0. Comments and processing instructions are written back unless
//! `--drop-comments` is given (which says how many it dropped on standard error). `convert`
//! does not check the RFC prose rules.
//!
//! `validate` exit status: 0 when every file is valid; 1 when any file is invalid; 2 when any
//! file cannot be read, and for usage errors. Findings go to standard output
//! (`FILE:LINE:COL: error: PATH: message` then one summary line, or JSON lines with one record
//! per file).

mod entities;
mod indicators;
mod info;
mod inputs;
mod mail;
mod n6;
mod snippet;
mod split_merge;
mod streaming;
mod upgrade;
mod validate;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{self, Write};
use std::process::ExitCode;
use validate::{detect, read_data_model, Format};

/// The input is not a valid IODEF document.
const EXIT_INVALID: u8 = 1;
/// Usage or I/O error.
const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "iodef",
    version,
    about = "Read, check and convert IODEF (RFC 7970) incident documents"
)]
#[command(arg_required_else_help = true, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a document (IODEF 2.0 or 1.0, RID, phishing, XEP-0268, ... any root element of
    /// the IODEF schemas, or an RFC 8727 JSON/CBOR IODEF 2.0 document) and write it as XML, or
    /// as RFC 8727 JSON or CBOR (IODEF 2.0 `IODEF-Document` only; what they cannot carry is
    /// reported on standard error, see `--loss-report` and `--fail-on-loss`).
    ///
    /// The document must be schema-valid (the RFC prose rules are not checked: see
    /// `validate`); otherwise each schema error is printed on standard error in the words of
    /// `iodef validate` (`FILE:LINE:COL: error: PATH: message`). Exit status: 0 written, 1 not
    /// a valid document, 2 file unreadable, usage error or output not writable.
    Convert {
        /// Output format: XML, or RFC 8727 JSON or CBOR (IODEF 2.0 `IODEF-Document` only).
        /// XML by default with `--to-version`.
        #[arg(
            long,
            value_enum,
            value_name = "FORMAT",
            required = false,
            required_unless_present = "to_version",
            default_value_if("to_version", clap::builder::ArgPredicate::IsPresent, "xml")
        )]
        to: Format,
        /// Convert an IODEF 1.0 (RFC 5070) document to IODEF 2.0 (RFC 7970) first; what 2.0
        /// cannot hold as it was is a warning (see `--loss-report`, `--fail-on-loss` and
        /// docs/upgrade.md). An IODEF 2.0 document is written unchanged; other roots are an error.
        #[arg(long, value_name = "VERSION", value_parser = clap::value_parser!(u8).range(2..=2))]
        to_version: Option<u8>,
        /// Input format; detected from the content by default (`{` JSON, a CBOR map, else XML).
        #[arg(long, value_enum, value_name = "FORMAT")]
        from: Option<Format>,
        /// Input documents; `-` reads standard input; a directory with `-r`. Several need
        /// `--out-dir`.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
        /// Convert the documents in directories (`.xml`, `.json`, `.cbor`), recursively.
        #[arg(short, long)]
        recursive: bool,
        /// Write the output to FILE instead of standard output (one input only; nothing is
        /// written when the conversion fails).
        #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
        output: Option<String>,
        /// Write each output to DIR, named after its input with the format's extension
        /// (`report.xml` → `DIR/report.json`); two inputs with the same name are an error.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<String>,
        #[command(flatten)]
        entities: entities::EntityArgs,
        /// Unknown content (elements or attributes the schema does not allow at their place,
        /// text in element-only content) is a warning on standard error, not an error, and is
        /// written back in place. Missing or invalid content is still an error.
        #[arg(long)]
        lenient: bool,
        /// Output encoding: UTF-8 (the default), UTF-16 (little-endian with a byte-order
        /// mark; UTF-16BE for big-endian), ISO-8859-1, windows-1252, US-ASCII, or another
        /// encoding label. Characters it cannot hold are written as character references in
        /// text and attribute values; in a name or a comment they are an error (exit 1).
        #[arg(long, value_name = "ENC", default_value = "UTF-8", value_parser = parse_encoding)]
        encoding: iodef::rt::Encoding,
        /// Leave out comments and processing instructions (kept and written back by
        /// default); how many were dropped is reported on standard error.
        #[arg(long)]
        drop_comments: bool,
        /// JSON output: indented by two spaces.
        #[arg(long)]
        pretty: bool,
        /// JSON/CBOR output or `--to-version`: also write what the format (or IODEF 2.0) cannot
        /// carry to FILE, as JSON
        /// (`{"file","to","losses":[{"path","kind","what"}]}`, kind `dropped`, `order`, `form` or
        /// `invalid`; `--to-version`: `dropped`, `changed` or `inferred`, a note). Each loss is
        /// a warning on standard error either way.
        #[arg(long, value_name = "FILE")]
        loss_report: Option<String>,
        /// JSON/CBOR output or `--to-version`: exit 1 (writing nothing) when anything would be
        /// lost.
        #[arg(long)]
        fail_on_loss: bool,
    },
    /// Check documents (any root element of the IODEF schemas) against the schemas (every
    /// error of a file), then, for a schema-valid file, against the RFC 7970 / RFC 5070 prose
    /// rules the schemas cannot express (see `--rules`).
    ///
    /// Prints one finding per problem on standard output (`FILE:LINE:COL: error: PATH:
    /// message`, prose findings ending with their RFC section) and a last summary line
    /// (`3 files: 2 valid, 1 invalid (5 errors, 2 warnings)`); `--format json` prints one JSON
    /// object per finding and one record per file
    /// (`{"file","root","schema_valid","rules_valid","valid","errors","warnings"}`). Exit
    /// status: 0 when every file is valid (warnings allowed), 1 when any file is invalid, 2
    /// when any file cannot be read, or for usage errors.
    Validate(ValidateArgs),
    /// Summarise documents (XML, RFC 8727 JSON or CBOR), one line each: root element, IODEF
    /// version, how many Incidents, Indicators and Observables, and the extension namespaces
    /// used. Exit status: 0 when every file was read, 1 when one is not a valid document, 2 when
    /// one cannot be read.
    Info {
        /// Documents; `-` reads standard input; a directory with `-r`.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
        /// Read the documents in directories (`.xml`, `.json`, `.cbor`), recursively.
        #[arg(short, long)]
        recursive: bool,
        /// `text` (one line per file) or `json` (one object per line).
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Split an IODEF-Document (2.0 or 1.0; XML, JSON or CBOR) into one XML document per
    /// Incident, each with the whole header (root attributes, document-level AdditionalData,
    /// xsi attributes, comments), written to DIR/NAME-N.xml. Every part is validated first: an
    /// Incident that refers to an ID in another one cannot stand alone (exit 1, nothing
    /// written).
    Split {
        /// The document; `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: String,
        /// Where the parts go (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: String,
    },
    /// Merge IODEF-Documents with the same header into one XML document whose Incidents are
    /// theirs in input order (the reverse of `split`); documents whose headers differ are
    /// refused, naming what differs, and so is a result that is not valid (clashing IDs).
    Merge {
        /// The documents (XML, JSON or CBOR); a directory with `-r`.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
        /// Read the documents in directories, recursively, in path order.
        #[arg(short, long)]
        recursive: bool,
        /// Write to FILE instead of standard output (only when the merge succeeds).
        #[arg(short, long, value_name = "FILE")]
        output: Option<String>,
    },
    /// Export the indicators IODEF 2.0 documents share (what IndicatorData holds, never victims
    /// or contacts) as a block list, CSV, JSON lines, Suricata or Snort rules, or a STIX 2.1
    /// bundle (see docs/indicators.md). What is not exported is a warning on standard error.
    /// Exit status: 0 when indicators were found, 1 when an input is not a valid document or
    /// none has an indicator, 2 when an input cannot be read or for usage errors.
    Indicators(indicators::Args),
    /// Find every IODEF document (any root of the IODEF schemas) in an e-mail message or an
    /// mbox file: attachments in any transfer encoding and charset, a body that is a document,
    /// every branch of multipart/alternative, forwarded message/rfc822 parts. Each is printed
    /// with its MIME part path (IMAP section number, `FILE[1.2]`; `FILE[3/1.2]` for message 3
    /// of an mbox file). A part that is or claims to be IODEF but cannot be read is an error
    /// naming the part. Exit status: 0 when documents were found (and, with `--validate`, all
    /// are valid); 1 when there is none, a part cannot be read or a document is invalid; 2
    /// when the file cannot be read or an output cannot be written.
    Extract(mail::ExtractArgs),
    /// Write an RFC 5322 message to standard output with the document attached
    /// (application/xml, base64) and a short text body saying what it is, for
    /// `| sendmail -t`. Exit status: 0 written, 1 the document is not a valid IODEF document,
    /// 2 bad address or header (line breaks are refused), unreadable file.
    Mail(mail::MailArgs),
    /// Map n6 events (CERT Polska; a JSON array or JSON lines) to one IODEF 2.0 document:
    /// one Incident per n6 `id`, one EventData per event, every field at its IODEF home or in
    /// AdditionalData (`meaning="n6:FIELD"`). The output is schema-valid and clean under the
    /// prose rules. Exit status: 0 written, 1 not n6 events (the event and field named, nothing
    /// written), 2 file unreadable, output not writable, or options that would make an invalid
    /// document.
    FromN6(n6::FromN6Args),
    /// Print a completion script for a shell (`iodef completions bash > /etc/bash_completion.d/iodef`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff: `iodef man | man -l -`).
    Man,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Output format of the findings.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Text format: also print `FILE: valid (ROOT)` for each valid file.
    #[arg(short, long)]
    verbose: bool,
    /// What a broken RFC prose rule counts for: `error` (as the RFCs say: a MUST is an error, a
    /// SHOULD a warning), `warn` (every prose finding is a warning) or `off` (not checked).
    /// `warn` and `off` give the schema-only (XSD) verdict; most published documents lack the
    /// `xsi:schemaLocation` (RFC 7970 §4.2) and `xml:lang` (§6) that RFC 7970 requires.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = validate::RuleLevel::Error)]
    rules: validate::RuleLevel,
    /// Documents to check (XML, or RFC 8727 JSON or CBOR); `-` reads standard input (at most
    /// once); a directory with `-r`.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Check the documents in directories (`.xml`, `.json`, `.cbor`), recursively, in path
    /// order.
    #[arg(short, long)]
    recursive: bool,
    /// How many files are checked at once (default: one per CPU). Results are printed in input
    /// order whatever the number.
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// No progress bar (there is one on a terminal when several files are checked in text
    /// format).
    #[arg(short, long)]
    quiet: bool,
    /// Unknown content (elements the schema allows nowhere at their place, undeclared
    /// attributes, text in element-only content) is a warning, not an error (RFC 7970 §5.2
    /// makes it an error: strict is the default).
    #[arg(long)]
    lenient: bool,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    entities: entities::EntityArgs,
}

/// Reader limits for untrusted input; exceeding one is a finding naming the limit.
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
struct LimitArgs {
    /// Maximum element nesting depth.
    #[arg(long, value_name = "N", default_value_t = iodef::rt::reader::DEFAULT_MAX_DEPTH,
          value_parser = clap::value_parser!(u32).range(1..))]
    max_depth: u32,
    /// Maximum number of elements in a document.
    #[arg(long, value_name = "N", default_value_t = iodef::rt::Limits::default().max_elements,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_elements: u64,
    /// Maximum bytes of one start tag (bounds every attribute value).
    #[arg(long, value_name = "BYTES", default_value_t = iodef::rt::Limits::default().max_tag_bytes as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_tag_bytes: u64,
    /// Maximum bytes of one text node or CDATA section.
    #[arg(long, value_name = "BYTES", default_value_t = iodef::rt::Limits::default().max_text_bytes as u64,
          value_parser = clap::value_parser!(u64).range(1..))]
    max_text_bytes: u64,
}

impl LimitArgs {
    fn options(&self) -> validate::Options {
        let bytes = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        validate::Options {
            read: iodef::ReadOptions {
                limits: iodef::rt::Limits {
                    max_elements: self.max_elements,
                    max_tag_bytes: bytes(self.max_tag_bytes),
                    max_text_bytes: bytes(self.max_text_bytes),
                    ..iodef::rt::Limits::default()
                },
                max_depth: self.max_depth,
                ..iodef::ReadOptions::default()
            },
            expand_entities: None,
            rules: validate::RuleLevel::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// `FILE:LINE:COL: error: PATH: message`, one line per finding, then a summary line.
    Text,
    /// One JSON object per line: one per finding, then one record per file
    /// (`{"file","root","schema_valid","rules_valid","valid","errors","warnings"}`).
    Json,
}

/// Why a conversion did not produce output.
enum Failure {
    /// The input is not a valid IODEF document.
    Invalid(iodef::Error),
    /// The document holds a character the output encoding cannot write where XML allows no
    /// character reference (a name, a comment).
    Unwritable(io::Error),
    /// Writing the output failed.
    Io(io::Error),
    /// The document cannot be written in the format asked for (a root RFC 8727 cannot hold,
    /// or a loss under `--fail-on-loss`).
    Unconvertible(String),
}

fn main() -> ExitCode {
    run()
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap: exit code 2 for usage errors, 0 for --help/--version.
            let code = e.exit_code();
            let _ = e.print();
            return ExitCode::from(u8::try_from(code).unwrap_or(EXIT_USAGE));
        }
    };
    match cli.command {
        Command::Convert {
            to,
            to_version,
            from,
            files,
            recursive,
            output,
            out_dir,
            entities,
            lenient,
            encoding,
            drop_comments,
            pretty,
            loss_report,
            fail_on_loss,
        } => convert_command(
            &ConvertArgs {
                to,
                to_version,
                from,
                entity_limits: entities.limits(),
                lenient,
                drop_comments,
                encoding,
                pretty,
                loss_report,
                fail_on_loss,
            },
            &files,
            recursive,
            (output, out_dir),
        ),
        Command::Validate(args) => validate_command(&args),
        Command::Info {
            files,
            recursive,
            format,
        } => info_command(&files, recursive, format),
        Command::Split { file, out_dir } => split_command(&file, &out_dir),
        Command::Merge {
            files,
            recursive,
            output,
        } => merge_command(&files, recursive, output.as_deref()),
        Command::Indicators(args) => indicators::run(&args),
        Command::Extract(args) => mail::extract_command(&args),
        Command::Mail(args) => mail::mail_command(&args),
        Command::FromN6(args) => n6::run(&args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "iodef", &mut io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            use clap::CommandFactory;
            match clap_mangen::Man::new(Cli::command()).render(&mut io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("iodef: cannot write the manual page: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
    }
}

/// Reads `file` (`-`: standard input): the name to use in messages and the bytes, or the
/// error line (`FILE: error: cannot read: reason`, `validate`'s words).
fn read_input(file: &str) -> Result<(&str, Vec<u8>), String> {
    validate::read_file(file).map_err(|report| {
        let message = report
            .findings
            .first()
            .map_or_else(String::new, |f| f.message.clone());
        format!("{}: error: {message}", report.file)
    })
}

/// Reads a document of any format for `split`, `merge` and `info`: the error line on failure.
fn read_any(file: &str) -> Result<(String, iodef::Document<iodef::Root>), (u8, String)> {
    let (name, input) = read_input(file).map_err(|message| (EXIT_USAGE, message))?;
    let doc = match detect(&input) {
        Format::Xml => iodef::read(&input).map_err(|e| {
            format!(
                "{name}:{}:{}: error: {}: {}",
                e.line, e.column, e.path, e.message
            )
        }),
        from => read_data_model(&input, from).map_err(|e| format!("{name}: error: {e}")),
    };
    doc.map(|doc| (name.to_string(), doc))
        .map_err(|message| (EXIT_INVALID, message))
}

/// A built document as XML, after checking it: the XML, or its first schema error as
/// `PATH: message` (one serialisation for both).
fn checked_xml(doc: &iodef::Document<iodef::Root>) -> Result<String, String> {
    let xml = doc.try_to_xml_string().map_err(|e| e.to_string())?;
    match iodef::validate(xml.as_bytes()).errors.first() {
        Some(e) => Err(format!("{}: {}", e.path, e.message)),
        None => Ok(xml),
    }
}

/// The name of an output made from `file` (`stdin` for `-`), without extension.
fn output_stem(file: &str) -> String {
    if file == "-" {
        return "stdin".to_string();
    }
    std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| "out".into(), |s| s.to_string_lossy().into_owned())
}

/// Prints `message` on standard error and gives the exit status `code`.
fn fail(code: u8, message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(code)
}

fn split_command(file: &str, out_dir: &str) -> ExitCode {
    let (name, doc) = match read_any(file) {
        Ok(read) => read,
        Err((code, message)) => return fail(code, message),
    };
    let parts = match split_merge::Parts::of(&doc) {
        Ok(parts) => parts,
        Err(e) => return fail(EXIT_INVALID, format!("{name}: error: {e}")),
    };
    let count = parts.len();
    let width = count.to_string().len();
    let stem = output_stem(file);
    // Every part is built and checked before any is written.
    let mut outputs = Vec::with_capacity(count);
    for n in 0..count {
        let xml = match checked_xml(&parts.document(n..n + 1, &doc)) {
            Ok(xml) => xml,
            Err(e) => {
                let message = format!("{name}: error: Incident {} cannot stand alone: {e}", n + 1);
                return fail(EXIT_INVALID, message);
            }
        };
        let path = std::path::Path::new(out_dir).join(format!("{stem}-{:0width$}.xml", n + 1));
        outputs.push((path, xml));
    }
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        return fail(
            EXIT_USAGE,
            format!("iodef: {out_dir}: cannot create the directory: {e}"),
        );
    }
    for (path, xml) in outputs {
        if let Err(e) = std::fs::write(&path, xml) {
            return fail(
                EXIT_USAGE,
                format!("iodef: cannot write {}: {e}", path.display()),
            );
        }
    }
    ExitCode::SUCCESS
}

fn merge_command(files: &[String], recursive: bool, output: Option<&str>) -> ExitCode {
    let files = match inputs::expand(files, recursive) {
        Ok(files) => files,
        Err(e) => return fail(EXIT_USAGE, format!("iodef: {e}")),
    };
    let mut merged: Option<(iodef::Document<iodef::Root>, split_merge::Parts)> = None;
    for file in &files {
        let (name, doc) = match read_any(file) {
            Ok(read) => read,
            Err((code, message)) => return fail(code, message),
        };
        let parts = match split_merge::Parts::of(&doc) {
            Ok(parts) => parts,
            Err(e) => return fail(EXIT_INVALID, format!("{name}: error: {e}")),
        };
        match &mut merged {
            None => merged = Some((doc, parts)),
            Some((_, all)) => {
                if let Err(e) = all.absorb(parts) {
                    return fail(EXIT_INVALID, format!("{name}: error: cannot merge: {e}"));
                }
            }
        }
    }
    let Some((first, all)) = merged else {
        return fail(EXIT_USAGE, "iodef: no document to merge".into());
    };
    let xml = match checked_xml(&all.document(0..all.len(), &first)) {
        Ok(xml) => xml,
        Err(e) => {
            let message = format!("iodef: error: the merged document is not valid: {e}");
            return fail(EXIT_INVALID, message);
        }
    };
    let written = match output {
        Some(path) => std::fs::write(path, xml),
        None => io::stdout().lock().write_all(xml.as_bytes()),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_USAGE, format!("iodef: cannot write: {e}")),
    }
}

fn info_command(files: &[String], recursive: bool, format: ReportFormat) -> ExitCode {
    let files = match inputs::expand(files, recursive) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("iodef: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut worst = 0u8;
    for file in &files {
        let doc = read_any(file);
        let written = match doc {
            Ok((name, doc)) => {
                let info = info::Info::of(&name, &doc);
                match format {
                    ReportFormat::Text => info.write_text(&mut out),
                    ReportFormat::Json => serde_json::to_writer(&mut out, &info)
                        .map_err(io::Error::from)
                        .and_then(|()| out.write_all(b"\n")),
                }
            }
            Err((code, message)) => {
                eprintln!("{message}");
                worst = worst.max(code);
                Ok(())
            }
        };
        match written.and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::from(worst),
            Err(e) => {
                eprintln!("iodef: cannot write to standard output: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    ExitCode::from(worst)
}

fn validate_command(args: &ValidateArgs) -> ExitCode {
    let files = match inputs::expand(&args.files, args.recursive) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("iodef: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if files.iter().filter(|f| *f == "-").count() > 1 {
        use clap::CommandFactory;
        let mut cli = Cli::command();
        cli.build();
        let sub = cli
            .find_subcommand_mut("validate")
            .expect("the validate subcommand exists");
        let err = sub.error(
            clap::error::ErrorKind::ArgumentConflict,
            "standard input (`-`) may be given at most once",
        );
        let _ = err.print();
        return ExitCode::from(EXIT_USAGE);
    }
    let mut options = args.limits.options();
    options.expand_entities = args.entities.limits();
    options.rules = args.rules;
    if args.lenient {
        options.read.policy = iodef::Policy::Lenient;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut summary = validate::Summary::default();
    let mut unreadable = false;
    let mut written = Ok(());
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    // Worker threads only when there is something to overlap.
    let pool = if files.len() > 1 && jobs > 1 {
        match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
            Ok(pool) => Some(pool),
            Err(e) => {
                eprintln!("iodef: cannot start {jobs} worker threads: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        None
    };
    let progress = progress_bar(args, files.len());
    // On a terminal, findings come with their source line and a caret.
    let snippets = {
        use std::io::IsTerminal;
        args.format == ReportFormat::Text && io::stdout().is_terminal()
    };
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // Batches of a few files per worker, checked in parallel, printed in input order as each
    // batch completes.
    for batch in files.chunks(jobs * 4) {
        let reports: Vec<validate::FileReport> = match &pool {
            Some(pool) if batch.len() > 1 => pool.install(|| {
                use rayon::prelude::*;
                batch
                    .par_iter()
                    .map(|file| validate::validate_file(file, &options))
                    .collect()
            }),
            _ => batch
                .iter()
                .map(|file| validate::validate_file(file, &options))
                .collect(),
        };
        for report in reports {
            summary.add(&report);
            unreadable |= report.unreadable;
            if written.is_ok() {
                // The bar is hidden while a finding is printed (stdout may be the same terminal).
                written = progress.suspend(|| {
                    match args.format {
                        ReportFormat::Text if snippets => {
                            snippet::write_report(&mut out, &report, args.verbose, color)
                        }
                        ReportFormat::Text => validate::write_text(&mut out, &report, args.verbose),
                        ReportFormat::Json => validate::write_json(&mut out, &report),
                    }
                    .and_then(|()| out.flush())
                });
            }
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    if written.is_ok() && args.format == ReportFormat::Text {
        written = validate::write_summary(&mut out, &summary).and_then(|()| out.flush());
    }
    match written {
        // The reader went away (e.g. `| head`): the exit status still gives the verdict.
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            eprintln!("iodef: cannot write to standard output: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if unreadable {
        ExitCode::from(EXIT_USAGE)
    } else if summary.valid == summary.files {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}

/// A progress bar on standard error for `validate`: only on a terminal, for several files, in
/// text format, without `--quiet`; plain (no colour) when `NO_COLOR` is set.
fn progress_bar(args: &ValidateArgs, files: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if args.quiet || args.format != ReportFormat::Text || files < 2 || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let template = if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        "{wide_bar} {pos}/{len} files {elapsed}"
    } else {
        "{wide_bar:.cyan/blue} {pos}/{len} files {elapsed}"
    };
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// `--encoding`: an encoding label ([`iodef::rt::Encoding::for_label`]).
fn parse_encoding(label: &str) -> Result<iodef::rt::Encoding, String> {
    iodef::rt::Encoding::for_label(label)
}

/// What `convert` was asked for.
struct ConvertArgs {
    to: Format,
    to_version: Option<u8>,
    from: Option<Format>,
    entity_limits: Option<iodef::rt::EntityLimits>,
    lenient: bool,
    drop_comments: bool,
    encoding: iodef::rt::Encoding,
    pretty: bool,
    loss_report: Option<String>,
    fail_on_loss: bool,
}

/// Where a converted document goes.
enum Destination {
    Stdout,
    /// A file, written only when the conversion succeeds.
    File(std::path::PathBuf),
}

/// The extension of an output file in `format`.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Xml => "xml",
        Format::Json => "json",
        Format::Cbor => "cbor",
    }
}

/// `iodef convert` over every input: one to standard output or `-o FILE`, several into
/// `--out-dir`, in input order. The exit status is the worst of the inputs' (2 > 1 > 0).
fn convert_command(
    args: &ConvertArgs,
    files: &[String],
    recursive: bool,
    (output, out_dir): (Option<String>, Option<String>),
) -> ExitCode {
    let usage = |message: String| {
        eprintln!("iodef: {message}");
        ExitCode::from(EXIT_USAGE)
    };
    let files = match inputs::expand(files, recursive) {
        Ok(files) => files,
        Err(e) => return usage(e),
    };
    if files.iter().filter(|f| *f == "-").count() > 1 {
        return usage("standard input (`-`) may be given at most once".into());
    }
    let destinations: Vec<Destination> = match (&output, &out_dir) {
        (Some(path), _) if files.len() == 1 => vec![Destination::File(path.into())],
        (Some(_), _) => return usage("-o takes one input; use --out-dir for several".into()),
        (None, Some(dir)) => {
            let mut seen = std::collections::BTreeMap::new();
            let mut out = Vec::new();
            for file in &files {
                let stem = output_stem(file);
                let path = std::path::Path::new(dir).join(format!("{stem}.{}", extension(args.to)));
                if let Some(other) = seen.insert(path.clone(), file) {
                    return usage(format!(
                        "{other} and {file} would both be written to {}",
                        path.display()
                    ));
                }
                out.push(Destination::File(path));
            }
            if let Err(e) = std::fs::create_dir_all(dir) {
                return usage(format!("{dir}: cannot create the directory: {e}"));
            }
            out
        }
        (None, None) if files.len() == 1 => vec![Destination::Stdout],
        (None, None) => return usage("several inputs need --out-dir".into()),
    };
    let mut reports = Vec::new();
    let mut worst = 0u8;
    // Files are converted in parallel, a batch at a time; what each says is printed in input
    // order. (Standard output takes one input only.)
    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let pairs: Vec<(&String, &Destination)> = files.iter().zip(&destinations).collect();
    for batch in pairs.chunks(jobs * 4) {
        let one = |(file, destination): &(&String, &Destination)| {
            let mut err = Vec::new();
            let (code, report) = convert(args, file, destination, &mut err);
            (code, report, err)
        };
        // One input: on this thread (no worker threads started).
        let results: Vec<(u8, Option<serde_json::Value>, Vec<u8>)> = if batch.len() == 1 {
            batch.iter().map(one).collect()
        } else {
            use rayon::prelude::*;
            batch.par_iter().map(one).collect()
        };
        for (code, report, err) in results {
            worst = worst.max(code);
            reports.extend(report);
            // Nothing to do when standard error is gone.
            let _ = io::stderr().write_all(&err);
        }
    }
    if let Some(path) = &args.loss_report {
        let text: String = reports.iter().map(|r| format!("{r}\n")).collect();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("iodef: cannot write {path}: {e}");
            worst = worst.max(EXIT_USAGE);
        }
    }
    ExitCode::from(worst)
}

/// Converts one input; the exit code and, for JSON/CBOR output, its loss report. What it has
/// to say goes to `err` (standard error, in input order, once every conversion of a batch is
/// done).
fn convert(
    args: &ConvertArgs,
    file: &str,
    destination: &Destination,
    err: &mut Vec<u8>,
) -> (u8, Option<serde_json::Value>) {
    let (name, mut source) = match validate::open_input(file) {
        Ok(opened) => opened,
        Err(report) => {
            report_failure(err, &report);
            return (EXIT_USAGE, None);
        }
    };
    let unreadable = |err: &mut Vec<u8>, e: io::Error| {
        let _ = writeln!(err, "{name}: error: cannot read: {e}");
        (EXIT_USAGE, None)
    };
    // An XML IODEF-Document to XML: in parts (memory bounded by the largest Incident).
    let streamable = args.to == Format::Xml
        && matches!(args.from, None | Some(Format::Xml))
        && !args.lenient
        && args.to_version.is_none()
        && std::env::var_os("IODEF_WHOLE").is_none_or(|v| v != "1");
    let version = match source.fill_buf() {
        Ok(head) if streamable => validate::streamable_root(head),
        Ok(_) => None,
        Err(e) => return unreadable(err, e),
    };
    if let Some(version) = version {
        // Standard input goes to a temporary file first: an invalid document's errors are
        // then listed from it, as they are from a file.
        let spooled = match (file == "-").then(|| streaming::spool(&mut source)) {
            Some(Ok((spooled, reopened))) => {
                source = reopened;
                Some(spooled)
            }
            Some(Err(e)) => return unreadable(err, e),
            None => None,
        };
        let again = spooled
            .as_ref()
            .map_or(std::path::Path::new(file), |s| s.path());
        return match streaming::convert_xml(version, source, args, destination) {
            Ok(dropped) => {
                note_dropped(err, name, dropped);
                (0, None)
            }
            Err(failure) => (
                conversion_failed(failure, Source::File(again), name, args, err),
                None,
            ),
        };
    }
    let mut input = Vec::new();
    if let Err(e) = source.read_to_end(&mut input) {
        return unreadable(err, e);
    }
    let doc = match args.from.unwrap_or_else(|| detect(&input)) {
        Format::Xml => read_xml(&input, name, args, err),
        from => {
            // As for XML input, only a schema-valid document is converted: the decoder checks
            // what maps and each value, the validator of its XML form the rest (IDs, IDREFs).
            let options = validate::Options {
                rules: validate::RuleLevel::Off,
                ..validate::Options::default()
            };
            let checked = validate::read_model(name, &input, from).and_then(|doc| {
                let report = validate::check_model(name, &doc, &options);
                if report.is_valid() {
                    Ok(doc)
                } else {
                    Err(report)
                }
            });
            match checked {
                Ok(doc) => Ok(doc),
                Err(report) => {
                    report_failure(err, &report);
                    return (EXIT_INVALID, None);
                }
            }
        }
    };
    let mut upgrade_report = None;
    let doc = match args.to_version {
        Some(_) => doc.and_then(|doc| {
            let (doc, report) = upgrade::to_v2(doc, name, args.fail_on_loss, err)
                .map_err(Failure::Unconvertible)?;
            upgrade_report = Some(report);
            Ok(doc)
        }),
        None => doc,
    };
    let mut loss_report = None;
    let result = doc.and_then(|doc| {
        let mut write = |out: &mut dyn Write| match args.to {
            Format::Xml => write_xml(&doc, args.encoding, out).and_then(|()| {
                out.write_all(streaming::newline(args.encoding))
                    .map_err(Failure::Io)
            }),
            to => write_data_model(&doc, to, name, args, out, &mut *err).map(|report| {
                loss_report = Some(report);
            }),
        };
        match destination {
            Destination::Stdout => {
                let stdout = io::stdout();
                let mut out = io::BufWriter::new(stdout.lock());
                write(&mut out).and_then(|()| out.flush().map_err(Failure::Io))
            }
            Destination::File(path) => {
                // In memory first: a failed conversion leaves no file behind.
                let mut bytes = Vec::new();
                write(&mut bytes)?;
                std::fs::write(path, bytes).map_err(|e| {
                    Failure::Io(io::Error::new(e.kind(), format!("{}: {e}", path.display())))
                })
            }
        }
    });
    let code = match result {
        Ok(()) => 0,
        Err(failure) => conversion_failed(failure, Source::Bytes(&input), name, args, err),
    };
    (code, upgrade::merge_reports(upgrade_report, loss_report))
}

/// Where a converted document can be read again (to list its errors).
enum Source<'s> {
    Bytes(&'s [u8]),
    File(&'s std::path::Path),
}

/// What a failed conversion says (into `err`) and its exit status. An invalid document's
/// errors are given in `validate`'s words, from its bytes or, when it was streamed, from its
/// file.
fn conversion_failed(
    failure: Failure,
    input: Source<'_>,
    name: &str,
    args: &ConvertArgs,
    err: &mut Vec<u8>,
) -> u8 {
    match failure {
        Failure::Invalid(e) => {
            // The schema errors in `validate`'s words (same engine); should the validator
            // accept what the typed reader refused, the reader's error.
            let options = validate::Options {
                rules: validate::RuleLevel::Off,
                read: iodef::ReadOptions {
                    policy: if args.lenient {
                        iodef::Policy::Lenient
                    } else {
                        iodef::Policy::Strict
                    },
                    ..iodef::ReadOptions::default()
                },
                expand_entities: args.entity_limits,
            };
            let report = match input {
                Source::Bytes(input) => validate::validate_bytes(name, input, &options),
                // Streamed again (a spooled standard input is named as such).
                Source::File(path) => {
                    let mut report = validate::validate_file(&path.to_string_lossy(), &options);
                    report.file = name.to_string();
                    for f in &mut report.findings {
                        f.file = name.to_string();
                    }
                    report
                }
            };
            match Some(report).filter(|r| !r.is_valid()) {
                Some(report) => report_failure(err, &report),
                None => {
                    let _ = writeln!(
                        err,
                        "{name}:{}:{}: error: {}: {}",
                        e.line, e.column, e.path, e.message
                    );
                }
            }
            EXIT_INVALID
        }
        Failure::Unconvertible(message) => {
            let _ = writeln!(err, "{name}: error: {message}");
            EXIT_INVALID
        }
        Failure::Unwritable(e) => {
            let _ = writeln!(
                err,
                "{name}: error: cannot write it in {}: {e}",
                args.encoding.name()
            );
            EXIT_INVALID
        }
        // The reader went away (e.g. `| head`): nothing more to say.
        Failure::Io(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Failure::Io(e) => {
            let _ = writeln!(err, "iodef: cannot write: {e}");
            EXIT_USAGE
        }
    }
}

/// Writes `doc` as RFC 8727 JSON or CBOR; what the format cannot carry is a warning on
/// standard error (and in `--loss-report`), or an error with `--fail-on-loss`.
fn write_data_model(
    doc: &iodef::Document<iodef::Root>,
    to: Format,
    name: &str,
    args: &ConvertArgs,
    out: &mut dyn Write,
    err: &mut Vec<u8>,
) -> Result<serde_json::Value, Failure> {
    let unconvertible = |e: iodef::rfc8727::NotIodef2| Failure::Unconvertible(e.to_string());
    let (bytes, losses) = match to {
        Format::Cbor => iodef::rfc8727::to_cbor(doc).map_err(unconvertible)?,
        _ => {
            let (mut json, losses) =
                iodef::rfc8727::to_json(doc, args.pretty).map_err(unconvertible)?;
            json.push('\n');
            (json.into_bytes(), losses)
        }
    };
    let format = if to == Format::Cbor { "CBOR" } else { "JSON" };
    {
        for loss in &losses {
            let severity = if args.fail_on_loss {
                "error"
            } else {
                "warning"
            };
            let what = match loss.kind {
                iodef::rfc8727::LossKind::Invalid => String::new(),
                _ => format!("not carried by {format}: "),
            };
            // Nothing to do when standard error is gone.
            let _ = writeln!(
                err,
                "{name}: {severity}: {}: {what}{}",
                loss.path, loss.what
            );
        }
    }
    let report = serde_json::json!({
        "file": name,
        "to": format.to_ascii_lowercase(),
        "losses": losses
            .iter()
            .map(|l| serde_json::json!({ "path": l.path, "kind": l.kind.as_str(), "what": l.what }))
            .collect::<Vec<_>>(),
    });
    if args.fail_on_loss && !losses.is_empty() {
        return Err(Failure::Unconvertible(format!(
            "{} item(s) would be lost in {format} (--fail-on-loss): nothing written",
            losses.len()
        )));
    }
    out.write_all(&bytes).map_err(Failure::Io)?;
    Ok(report)
}

/// Why `convert` failed, in `validate`'s text lines (errors only), into `err`.
fn report_failure(err: &mut Vec<u8>, report: &validate::FileReport) {
    let errors = validate::FileReport {
        findings: report
            .findings
            .iter()
            .filter(|f| f.severity == validate::Severity::Error)
            .cloned()
            .collect(),
        ..report.clone()
    };
    // Writing into memory cannot fail.
    let _ = validate::write_text(err, &errors, false);
}

/// Parses `input` (named `name` in messages) as a document whose root is any global element
/// of the generated namespaces (after expanding internal entities when `--expand-entities` is
/// given). Lenient: what the parse kept aside is reported on standard error.
fn read_xml(
    input: &[u8],
    name: &str,
    args: &ConvertArgs,
    err: &mut Vec<u8>,
) -> Result<iodef::Document<iodef::Root>, Failure> {
    let entity_limits = args.entity_limits.as_ref();
    let invalid = |e| Failure::Invalid(entities::hint(e, entity_limits));
    let input = entities::expand(input, entity_limits).map_err(invalid)?;
    let options = iodef::ReadOptions {
        policy: if args.lenient {
            iodef::Policy::Lenient
        } else {
            iodef::Policy::Strict
        },
        comments: if args.drop_comments {
            iodef::Comments::Drop
        } else {
            iodef::Comments::Keep
        },
        ..iodef::ReadOptions::default()
    };
    let doc = iodef::read_with(&input, &options).map_err(invalid)?;
    note_dropped(err, name, doc.comments_dropped);
    if !doc.unknown.is_empty() {
        for u in &doc.unknown {
            // Nothing to do when standard error is gone.
            let _ = writeln!(
                err,
                "{name}:{}:{}: warning: {}: {}",
                u.line,
                u.column,
                u.path,
                u.message()
            );
        }
    }
    Ok(doc)
}

/// `--drop-comments`: how many were dropped, as a note.
fn note_dropped(err: &mut Vec<u8>, name: &str, dropped: u64) {
    if dropped > 0 {
        // Nothing to do when standard error is gone.
        let _ = writeln!(
            err,
            "{name}: note: {dropped} comment(s) and processing instruction(s) dropped (--drop-comments)"
        );
    }
}

/// Writes `doc` as XML in `encoding`.
fn write_xml(
    doc: &iodef::Document<iodef::Root>,
    encoding: iodef::rt::Encoding,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let options = iodef::rt::WriteOptions { encoding };
    // A character the output encoding cannot hold where XML allows no reference.
    let unwritable = |e: io::Error| match e.kind() {
        io::ErrorKind::InvalidData => Failure::Unwritable(e),
        _ => Failure::Io(e),
    };
    if encoding.is_unicode() {
        doc.write_to_with(out, &options).map_err(unwritable)
    } else {
        // Encoded in memory first: a name the encoding cannot hold leaves no partial output.
        let bytes = doc.to_xml_bytes_with(&options).map_err(unwritable)?;
        out.write_all(&bytes).map_err(Failure::Io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_convert() {
        let cli = Cli::try_parse_from(["iodef", "convert", "--to", "xml", "-"]).unwrap();
        let Command::Convert {
            to,
            files,
            entities,
            lenient,
            encoding,
            ..
        } = cli.command
        else {
            panic!("not convert: {:?}", cli.command);
        };
        assert_eq!(
            (to, files.as_slice(), lenient),
            (Format::Xml, &["-".to_string()][..], false)
        );
        assert!(Cli::try_parse_from([
            "iodef",
            "convert",
            "--to",
            "xml",
            "-o",
            "a",
            "--out-dir",
            "d",
            "x"
        ])
        .is_err());
        assert_eq!(encoding, iodef::rt::Encoding::UTF_8);
        assert_eq!(entities.limits(), None);
        let cli =
            Cli::try_parse_from(["iodef", "convert", "--expand-entities", "--to", "xml", "-"])
                .unwrap();
        let Command::Convert { entities, .. } = cli.command else {
            panic!("not convert: {:?}", cli.command);
        };
        assert_eq!(entities.limits(), Some(iodef::rt::EntityLimits::default()));
        let cli =
            Cli::try_parse_from(["iodef", "convert", "--lenient", "--to", "xml", "-"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Convert { lenient: true, .. }
        ));
        assert!(Cli::try_parse_from(["iodef", "convert", "--to", "yaml", "x"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "convert", "x"]).is_err());
        for (label, expected) in [
            ("utf-16", iodef::rt::Encoding::UTF_16LE),
            ("UTF-16BE", iodef::rt::Encoding::UTF_16BE),
            ("latin1", iodef::rt::Encoding::ISO_8859_1),
            ("windows-1252", iodef::rt::Encoding::WINDOWS_1252),
        ] {
            let cli =
                Cli::try_parse_from(["iodef", "convert", "--encoding", label, "--to", "xml", "-"])
                    .unwrap();
            let Command::Convert { encoding, .. } = cli.command else {
                panic!("not convert: {:?}", cli.command);
            };
            assert_eq!(encoding, expected, "{label}");
        }
        let err = Cli::try_parse_from([
            "iodef",
            "convert",
            "--encoding",
            "klingon",
            "--to",
            "xml",
            "-",
        ])
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown encoding \"klingon\""),
            "{err}"
        );
    }

    #[test]
    fn parses_validate() {
        let cli = Cli::try_parse_from(["iodef", "validate", "a.xml", "-"]).unwrap();
        let Command::Validate(args) = cli.command else {
            panic!("not validate: {:?}", cli.command);
        };
        assert_eq!(args.format, ReportFormat::Text);
        assert_eq!(args.files, ["a.xml", "-"]);
        assert_eq!(args.limits.options(), validate::Options::default());
        let cli = Cli::try_parse_from([
            "iodef",
            "validate",
            "--format",
            "json",
            "--max-elements",
            "5",
            "a.xml",
        ])
        .unwrap();
        let Command::Validate(args) = cli.command else {
            panic!("not validate: {:?}", cli.command);
        };
        assert_eq!(args.format, ReportFormat::Json);
        assert_eq!(args.limits.options().read.limits.max_elements, 5);
        assert_eq!(args.entities.limits(), None);
        let cli = Cli::try_parse_from(["iodef", "validate", "--expand-entities", "a.xml"]).unwrap();
        let Command::Validate(args) = cli.command else {
            panic!("not validate: {:?}", cli.command);
        };
        assert_eq!(
            args.entities.limits(),
            Some(iodef::rt::EntityLimits::default())
        );
        assert_eq!(args.rules, validate::RuleLevel::Error);
        for (flag, level) in [
            ("error", validate::RuleLevel::Error),
            ("warn", validate::RuleLevel::Warn),
            ("off", validate::RuleLevel::Off),
        ] {
            let cli = Cli::try_parse_from(["iodef", "validate", "--rules", flag, "a.xml"]).unwrap();
            let Command::Validate(args) = cli.command else {
                panic!("not validate: {:?}", cli.command);
            };
            assert_eq!(args.rules, level);
        }
        assert!(Cli::try_parse_from(["iodef", "validate", "--rules", "strict", "a"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "validate"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "validate", "--format", "yaml", "a"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "validate", "--max-depth", "0", "a"]).is_err());
    }
}
