//! `iodef extract` (every IODEF document of an e-mail message or mbox file) and `iodef mail`
//! (a message carrying a document): thin layers over [`iodef::mail`]; `--validate` is
//! `iodef validate`'s engine ([`crate::validate::validate_bytes`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use iodef::mail::{Found, Outcome};
use serde::Serialize;

use crate::validate::{self, RuleLevel};
use crate::{fail, output_stem, ReportFormat, EXIT_INVALID, EXIT_USAGE};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The message (`.eml`, RFC 5322) or mbox file (detected by its leading `From ` line);
    /// `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: String,
    /// Write each document to DIR as STEM-PART.xml (`report-1.2.xml`; in an mbox file
    /// `box-3-1.2.xml` for message 3), STEM being the input's file name without extension.
    #[arg(long, value_name = "DIR")]
    out_dir: Option<String>,
    /// Validate each document as `iodef validate` does (findings in its words, the file
    /// named `FILE[PART]`); with `--out-dir` only valid documents are written.
    #[arg(long)]
    validate: bool,
    /// With `--validate`: what a broken RFC prose rule counts for (see `iodef validate`).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = RuleLevel::Error, requires = "validate")]
    rules: RuleLevel,
    /// Also list the XML parts that are not IODEF documents, and why.
    #[arg(short, long)]
    verbose: bool,
    /// `text` (one line per document) or `json` (one object per line).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = ReportFormat::Text,
          hide_possible_values = true)]
    format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct MailArgs {
    /// Sender: `user@example.net` or `"Name <user@example.net>"`.
    #[arg(long, value_name = "ADDRESS")]
    from: String,
    /// Recipient (repeat for several).
    #[arg(long, value_name = "ADDRESS", required = true)]
    to: Vec<String>,
    /// Subject; by default `IODEF report NAME#ID` after the first IncidentID.
    #[arg(long, value_name = "TEXT")]
    subject: Option<String>,
    /// The attachment's file name (default: FILE's name, `iodef.xml` for standard input).
    #[arg(long, value_name = "NAME")]
    filename: Option<String>,
    /// The document (any root of the IODEF schemas; it must be schema-valid); `-` reads
    /// standard input.
    #[arg(value_name = "FILE")]
    file: String,
}

/// One JSON line of `iodef extract --format json`.
#[derive(Serialize)]
struct Record<'a> {
    file: &'a str,
    part: String,
    status: &'static str,
    content_type: Option<&'a str>,
    filename: Option<&'a str>,
    root: Option<&'a str>,
    charset: Option<&'a str>,
    valid: Option<bool>,
    output: Option<String>,
    line: Option<u64>,
    column: Option<u64>,
    path: Option<String>,
    message: Option<String>,
}

impl<'a> Record<'a> {
    fn new(file: &'a str, part: String, status: &'static str) -> Self {
        Record {
            file,
            part,
            status,
            content_type: None,
            filename: None,
            root: None,
            charset: None,
            valid: None,
            output: None,
            line: None,
            column: None,
            path: None,
            message: None,
        }
    }
}

struct Run<'a> {
    args: &'a ExtractArgs,
    name: &'a str,
    stem: String,
    options: validate::Options,
    out: io::StdoutLock<'static>,
    documents: usize,
    /// A part could not be read, a document is invalid (`--validate`), a message is broken.
    failed: bool,
    /// Standard output or an output file could not be written.
    io_error: Option<String>,
}

pub fn extract_command(args: &ExtractArgs) -> ExitCode {
    let (name, input) = match crate::read_input(&args.file) {
        Ok(read) => read,
        Err(message) => return fail(EXIT_USAGE, message),
    };
    if let Some(dir) = &args.out_dir {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return fail(
                EXIT_USAGE,
                format!("iodef: {dir}: cannot create the directory: {e}"),
            );
        }
    }
    let mut run = Run {
        args,
        name,
        stem: output_stem(&args.file),
        options: validate::Options {
            rules: args.rules,
            ..validate::Options::default()
        },
        out: io::stdout().lock(),
        documents: 0,
        failed: false,
        io_error: None,
    };
    if iodef::mail::is_mbox(&input) {
        for (n, found) in iodef::mail::extract_mbox(&input) {
            run.message(Some(n), found);
        }
    } else {
        run.message(None, iodef::mail::extract(&input));
    }
    if let Some(e) = run.io_error {
        return fail(EXIT_USAGE, e);
    }
    if run.documents == 0 && !run.failed && iodef::mail::is_mbox(&input) {
        run.report_error(
            String::new(),
            "no IODEF document in the mbox file".to_string(),
            None,
        );
    }
    if run.failed || run.documents == 0 {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    }
}

impl Run<'_> {
    fn label(&self, part: &str) -> String {
        if part.is_empty() {
            self.name.to_string()
        } else {
            format!("{}[{part}]", self.name)
        }
    }

    fn write_out(&mut self, result: io::Result<()>) {
        if let Err(e) = result {
            if e.kind() != io::ErrorKind::BrokenPipe {
                self.io_error
                    .get_or_insert(format!("iodef: cannot write the output: {e}"));
            }
        }
    }

    /// An error of a part (or of the whole message for an empty `part`): on standard error
    /// in text format (`FILE[PART]:LINE:COL: error: PATH: message`), a JSON line otherwise.
    fn report_error(&mut self, part: String, message: String, at: Option<&iodef::Error>) {
        self.failed = true;
        if self.args.format == ReportFormat::Json {
            let mut record = Record::new(self.name, part, "error");
            if let Some(e) = at.filter(|e| e.line > 0) {
                (record.line, record.column) = (Some(e.line), Some(e.column));
                record.path = Some(e.path.clone()).filter(|p| !p.is_empty());
            }
            record.message = Some(message);
            let result = json_line(&mut self.out, &record);
            self.write_out(result);
            return;
        }
        let label = self.label(&part);
        match at {
            Some(e) if e.line > 0 && !e.path.is_empty() => eprintln!(
                "{label}:{}:{}: error: {}: {message}",
                e.line, e.column, e.path
            ),
            Some(e) if e.line > 0 => eprintln!("{label}:{}:{}: error: {message}", e.line, e.column),
            _ => eprintln!("{label}: error: {message}"),
        }
    }

    fn message(
        &mut self,
        number: Option<usize>,
        found: Result<Vec<Found>, iodef::mail::NotAMessage>,
    ) {
        let part = number.map(|n| n.to_string()).unwrap_or_default();
        let found = match found {
            Ok(found) => found,
            Err(e) => return self.report_error(part, e.to_string(), None),
        };
        let before = self.documents;
        for f in found {
            self.part(f);
        }
        if self.documents == before {
            let what = match number {
                Some(n) => format!("no IODEF document in message {n}"),
                None => "no IODEF document in the message".to_string(),
            };
            // In an mbox file, messages without a document are ordinary: a note, not an error.
            if number.is_some() {
                if self.args.format == ReportFormat::Json {
                    let mut record = Record::new(self.name, part, "none");
                    record.message = Some(what);
                    let result = json_line(&mut self.out, &record);
                    self.write_out(result);
                } else {
                    eprintln!("{}: note: {what}", self.label(&part));
                }
            } else {
                self.report_error(part, what, None);
            }
        }
    }

    fn part(&mut self, found: Found) {
        let path = found.path.to_string();
        let describe = || match &found.filename {
            Some(f) => format!("{} {f:?}", found.content_type),
            None => found.content_type.clone(),
        };
        match &found.outcome {
            Outcome::Skipped(reason) => {
                if !self.args.verbose {
                    return;
                }
                let result = if self.args.format == ReportFormat::Json {
                    let mut record = Record::new(self.name, path, "skipped");
                    record.content_type = Some(&found.content_type);
                    record.filename = found.filename.as_deref();
                    record.message = Some(reason.clone());
                    json_line(&mut self.out, &record)
                } else {
                    writeln!(
                        self.out,
                        "{}: skipped: {}: {reason}",
                        self.label(&path),
                        describe()
                    )
                };
                self.write_out(result);
            }
            Outcome::Error(e) => {
                let message = format!("{} (part {})", e.message, describe());
                self.report_error(path, message, Some(e));
            }
            Outcome::Document(doc) => {
                self.documents += 1;
                let label = self.label(&path);
                let report = self
                    .args
                    .validate
                    .then(|| validate::validate_bytes(&label, &doc.xml, &self.options));
                let valid = report.as_ref().map(validate::FileReport::is_valid);
                if valid == Some(false) {
                    self.failed = true;
                }
                let output = match &self.args.out_dir {
                    Some(dir) if valid != Some(false) => self.write_document(dir, &path, &doc.xml),
                    _ => None,
                };
                let output_name = output.as_ref().map(|p| p.display().to_string());
                let result = if self.args.format == ReportFormat::Json {
                    let mut record = Record::new(self.name, path, "document");
                    record.content_type = Some(&found.content_type);
                    record.filename = found.filename.as_deref();
                    record.root = Some(&doc.root);
                    record.charset = doc.transcoded_from.as_deref();
                    record.valid = valid;
                    record.output = output_name;
                    report
                        .as_ref()
                        .map_or(Ok(()), |r| validate::write_json(&mut self.out, r))
                        .and_then(|()| json_line(&mut self.out, &record))
                } else {
                    let mut line = format!("{label}: {} in {}", doc.root, describe());
                    if let Some(charset) = &doc.transcoded_from {
                        line.push_str(&format!(" (decoded from {charset})"));
                    }
                    match valid {
                        Some(true) => line.push_str(": valid"),
                        Some(false) => line.push_str(": invalid"),
                        None => {}
                    }
                    if let Some(output) = output_name {
                        line.push_str(&format!(" -> {output}"));
                    }
                    report
                        .as_ref()
                        .map_or(Ok(()), |r| validate::write_text(&mut self.out, r, false))
                        .and_then(|()| writeln!(self.out, "{line}"))
                };
                self.write_out(result);
            }
        }
    }

    /// Writes a document to `DIR/STEM-PART.xml` (`/` of an mbox path as `-`): part paths are
    /// unique in an input, so are the names.
    fn write_document(&mut self, dir: &str, path: &str, xml: &[u8]) -> Option<PathBuf> {
        let file = Path::new(dir).join(format!("{}-{}.xml", self.stem, path.replace('/', "-")));
        match std::fs::write(&file, xml) {
            Ok(()) => Some(file),
            Err(e) => {
                self.io_error
                    .get_or_insert(format!("iodef: cannot write {}: {e}", file.display()));
                None
            }
        }
    }
}

fn json_line(out: &mut impl Write, record: &Record<'_>) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

pub fn mail_command(args: &MailArgs) -> ExitCode {
    let (name, document) = match crate::read_input(&args.file) {
        Ok(read) => read,
        Err(message) => return fail(EXIT_USAGE, message),
    };
    let filename = args.filename.clone().unwrap_or_else(|| {
        if args.file == "-" {
            "iodef.xml".to_string()
        } else {
            Path::new(&args.file)
                .file_name()
                .map_or_else(|| "iodef.xml".into(), |n| n.to_string_lossy().into_owned())
        }
    });
    let to: Vec<&str> = args.to.iter().map(String::as_str).collect();
    let envelope = iodef::mail::Envelope {
        from: &args.from,
        to: &to,
        subject: args.subject.as_deref(),
    };
    let message = match iodef::mail::compose(&envelope, &document, &filename) {
        Ok(message) => message,
        Err(iodef::mail::ComposeError::Document(e)) => {
            return fail(
                EXIT_INVALID,
                format!(
                    "{name}:{}:{}: error: {}: {}",
                    e.line, e.column, e.path, e.message
                ),
            )
        }
        Err(e) => return fail(EXIT_USAGE, format!("iodef: {e}")),
    };
    let mut out = io::stdout().lock();
    match out.write_all(&message).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(EXIT_USAGE, format!("iodef: cannot write the message: {e}")),
    }
}
