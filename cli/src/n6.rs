//! `iodef from-n6`: n6 events (a JSON array or JSON lines) to one IODEF 2.0 document
//! ([`iodef::n6`]).

use crate::{EXIT_INVALID, EXIT_USAGE};
use iodef::rt::SimpleValue as _;
use std::io::{self, Write};
use std::process::ExitCode;

/// `iodef from-n6` arguments.
#[derive(Debug, clap::Args)]
pub struct FromN6Args {
    /// n6 events: a JSON array of event objects (REST API `.json`) or one object per line
    /// (REST API `.sjson`, Stream API messages); `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: String,
    /// Write the document to FILE instead of standard output (only when the mapping
    /// succeeds).
    #[arg(short, long, value_name = "FILE")]
    output: Option<String>,
    /// `IncidentID@name`: the FQDN of the n6 instance whose event ids these are (RFC 7970
    /// §3.4); also the creator Contact's name.
    #[arg(long, value_name = "FQDN", default_value = "n6.cert.pl")]
    name: String,
    /// The document's `xml:lang` (RFC 7970 §6).
    #[arg(long, value_name = "LANG", default_value = "en")]
    lang: String,
    /// `Incident@purpose`.
    #[arg(long, value_name = "PURPOSE", default_value = "reporting",
          value_parser = ["traceback", "mitigation", "reporting", "watch", "other"])]
    purpose: String,
    /// `Incident/GenerationTime` (an `xs:dateTime`); the current time by default.
    #[arg(long, value_name = "DATETIME", value_parser = parse_time)]
    generation_time: Option<iodef::DateTime>,
    /// Do not print the notes (generated IDs, fields n6 does not define, ...).
    #[arg(short, long)]
    quiet: bool,
}

fn parse_time(text: &str) -> Result<iodef::DateTime, String> {
    iodef::DateTime::parse(text).map_err(|e| format!("not an xs:dateTime: {e}"))
}

/// Runs `iodef from-n6`: exit 0 written, 1 input not n6 events (nothing written), 2 file
/// unreadable, output not writable, or options that make an invalid document.
pub fn run(args: &FromN6Args) -> ExitCode {
    let (name, input) = match crate::read_input(&args.file) {
        Ok(read) => read,
        Err(message) => return fail(EXIT_USAGE, message),
    };
    let options = iodef::n6::Options {
        name: args.name.clone(),
        lang: args.lang.clone(),
        purpose: iodef::v2::IncidentPurposeType::parse_xml(&args.purpose)
            .expect("clap allows only the listed purposes"),
        generation_time: args.generation_time.clone(),
    };
    let (doc, notes) = match iodef::n6::from_json(&input, &options) {
        Ok(mapped) => mapped,
        Err(e @ iodef::n6::Error::Options(_)) => {
            return fail(EXIT_USAGE, format!("iodef: error: {e}"))
        }
        Err(e) => return fail(EXIT_INVALID, format!("{name}: error: {e}")),
    };
    if !args.quiet {
        for note in &notes {
            eprintln!("{name}: note: {note}");
        }
    }
    // The mapping checked every value it used and the options: the document is valid.
    let xml = match doc.try_to_xml_string() {
        Ok(xml) => xml,
        Err(e) => return fail(EXIT_INVALID, format!("{name}: error: {e}")),
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &xml).map_err(|e| (path.as_str(), e)),
        None => io::stdout()
            .lock()
            .write_all(xml.as_bytes())
            .map_err(|e| ("standard output", e)),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err((_, e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err((to, e)) => fail(EXIT_USAGE, format!("iodef: cannot write {to}: {e}")),
    }
}

fn fail(code: u8, message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(code)
}
