//! `iodef`: command-line tool for IODEF (RFC 7970) documents.
//!
//! ```text
//! iodef convert --to xml [--lenient] [--drop-comments] FILE  # FILE may be `-` for standard input
//! iodef validate [--format text|json] FILE...    # `-` (standard input) at most once
//! ```
//!
//! Both refuse a DOCTYPE unless `--expand-entities` is given: then internal entities declared
//! in it are expanded within limits (see [`iodef::rt::entities`]).
//!
//! The input may have any root element of the generated namespaces: an IODEF 2.0
//! or 1.0 `IODEF-Document`, a RID 1.0/2.0 message, a phishing or thraud report,
//! an XEP-0268 payload, ... (`iodef::Document<iodef::bindings::Root>`).
//!
//! `convert` exit status: 0 on success; 1 when the input cannot be read as IODEF
//! (the message is `iodef: FILE:LINE:COL: PATH: message`); 2 for usage errors and
//! I/O errors. With `--lenient`, unknown content (elements and attributes the schema does
//! not allow, text in element-only content) is not an error: each is reported on standard
//! error as `FILE:LINE:COL: warning: PATH: unknown element {ns}name` and written back in
//! place; the exit status stays 0. Comments and processing instructions are written back
//! unless `--drop-comments` is given (which says how many it dropped on standard error).
//!
//! `validate` exit status: 0 when every file is valid; 1 when any file is invalid or
//! cannot be read (each reported as a finding on standard output:
//! `FILE:LINE:COL: error: PATH: message`, or JSON lines); 2 for usage errors.

mod entities;
mod validate;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

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
    /// Parse a document (IODEF 2.0 or 1.0, RID, phishing, XEP-0268, ... any root element of
    /// the IODEF schemas), validating it, and write it in another format.
    Convert {
        /// Output format.
        #[arg(long, value_enum, value_name = "FORMAT")]
        to: Format,
        /// Input document, or `-` for standard input.
        #[arg(value_name = "FILE")]
        file: String,
        #[command(flatten)]
        entities: entities::EntityArgs,
        /// Unknown content (elements or attributes the schema does not allow at their place,
        /// text in element-only content) is a warning on standard error, not an error, and is
        /// written back in place. Missing or invalid content is still an error.
        #[arg(long)]
        lenient: bool,
        /// Leave out comments and processing instructions (kept and written back by
        /// default); how many were dropped is reported on standard error.
        #[arg(long)]
        drop_comments: bool,
    },
    /// Check documents (any root element of the IODEF schemas) against the schemas, with the
    /// same reader as `convert`, which stops at the first error of a document.
    ///
    /// Prints one finding per problem (`FILE:LINE:COL: error: PATH: message`, or one JSON
    /// object per line) on standard output; a valid file prints nothing in text mode. Exit
    /// status: 0 when every file is valid, 1 when any file is invalid or cannot be read, 2 for
    /// usage errors.
    Validate(ValidateArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// XML, with the same root element and namespace as the input.
    Xml,
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// Output format of the findings.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Text format: also print `FILE: valid (ROOT)` for each valid file.
    #[arg(short, long)]
    verbose: bool,
    /// Documents to check; `-` reads standard input (at most once).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// `FILE:LINE:COL: error: PATH: message`, one line per finding.
    Text,
    /// One JSON object per line: one per finding, and `{"file","valid":true,"root"}` per valid
    /// file.
    Json,
}

/// Why a conversion did not produce output.
enum Failure {
    /// The input is not a valid IODEF document: `iodef::Error`'s Display
    /// (`LINE:COL: PATH: message`).
    Invalid(String),
    /// Writing the output failed.
    Io(io::Error),
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
            file,
            entities,
            lenient,
            drop_comments,
        } => convert(to, &file, entities.limits(), lenient, drop_comments),
        Command::Validate(args) => validate_command(&args),
    }
}

fn validate_command(args: &ValidateArgs) -> ExitCode {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
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
    if args.lenient {
        options.read.policy = iodef::Policy::Lenient;
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut all_valid = true;
    let mut written = Ok(());
    for file in &args.files {
        let report = validate::validate_file(file, &options);
        all_valid &= report.is_valid();
        if written.is_ok() {
            written = match args.format {
                ReportFormat::Text => validate::write_text(&mut out, &report, args.verbose),
                ReportFormat::Json => validate::write_json(&mut out, &report),
            }
            .and_then(|()| out.flush());
        }
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
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_INVALID)
    }
}

fn convert(
    to: Format,
    file: &str,
    entity_limits: Option<iodef::rt::EntityLimits>,
    lenient: bool,
    drop_comments: bool,
) -> ExitCode {
    let (name, input) = match read_input(file) {
        Ok(read) => read,
        Err(msg) => {
            eprintln!("iodef: {msg}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = match to {
        Format::Xml => to_xml(
            &input,
            &name,
            entity_limits.as_ref(),
            (lenient, drop_comments),
            &mut out,
        ),
    }
    .and_then(|()| out.flush().map_err(Failure::Io));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(msg)) => {
            eprintln!("iodef: {name}:{msg}");
            ExitCode::from(EXIT_INVALID)
        }
        // The reader went away (e.g. `| head`): nothing more to say.
        Err(Failure::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Io(e)) => {
            eprintln!("iodef: cannot write to standard output: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Reads the whole input; returns the name to use in messages and the bytes.
fn read_input(file: &str) -> Result<(String, Vec<u8>), String> {
    let mut bytes = Vec::new();
    if file == "-" {
        let name = "<stdin>".to_string();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        Ok((name, bytes))
    } else {
        bytes = std::fs::read(Path::new(file)).map_err(|e| format!("cannot read {file}: {e}"))?;
        Ok((file.to_string(), bytes))
    }
}

/// Parses `input` (named `name` in messages) as a document whose root is any global element
/// of the generated namespaces (after expanding internal entities when `entity_limits` is
/// given) and writes it as XML. Lenient: what the parse kept aside is reported on standard
/// error.
fn to_xml(
    input: &[u8],
    name: &str,
    entity_limits: Option<&iodef::rt::EntityLimits>,
    (lenient, drop_comments): (bool, bool),
    out: &mut impl Write,
) -> Result<(), Failure> {
    let invalid = |e| Failure::Invalid(entities::hint(e, entity_limits).to_string());
    let input = entities::expand(input, entity_limits).map_err(invalid)?;
    let options = iodef::ReadOptions {
        policy: if lenient {
            iodef::Policy::Lenient
        } else {
            iodef::Policy::Strict
        },
        comments: if drop_comments {
            iodef::Comments::Drop
        } else {
            iodef::Comments::Keep
        },
        ..iodef::ReadOptions::default()
    };
    let doc = iodef::read_with(&input, &options).map_err(invalid)?;
    if doc.comments_dropped > 0 {
        // Nothing to do when standard error is gone.
        let _ = writeln!(
            io::stderr(),
            "{name}: note: {} comment(s) and processing instruction(s) dropped (--drop-comments)",
            doc.comments_dropped
        );
    }
    if !doc.unknown.is_empty() {
        let stderr = io::stderr();
        let mut err = stderr.lock();
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
    doc.write_to(out).map_err(Failure::Io)
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
            file,
            entities,
            lenient,
            ..
        } = cli.command
        else {
            panic!("not convert: {:?}", cli.command);
        };
        assert_eq!((to, file.as_str(), lenient), (Format::Xml, "-", false));
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
        assert!(Cli::try_parse_from(["iodef", "convert", "--to", "json", "x"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "convert", "x"]).is_err());
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
        assert!(Cli::try_parse_from(["iodef", "validate"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "validate", "--format", "yaml", "a"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "validate", "--max-depth", "0", "a"]).is_err());
    }
}
