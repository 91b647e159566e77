//! `iodef`: command-line tool for IODEF (RFC 7970) documents.
//!
//! ```text
//! iodef convert --to xml FILE     # FILE may be `-` for standard input
//! ```
//!
//! The input may have any root element of the generated namespaces: an IODEF 2.0
//! or 1.0 `IODEF-Document`, a RID 1.0/2.0 message, a phishing or thraud report,
//! an XEP-0268 payload, ... (`iodef::Document<iodef::bindings::Root>`).
//!
//! Exit status: 0 on success; 1 when the input cannot be read as IODEF (the
//! message is `iodef: FILE:LINE:COL: PATH: message`); 2 for usage errors and
//! I/O errors.

use clap::{Parser, Subcommand, ValueEnum};
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
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// XML, with the same root element and namespace as the input.
    Xml,
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
        Command::Convert { to, file } => convert(to, &file),
    }
}

fn convert(to: Format, file: &str) -> ExitCode {
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
        Format::Xml => to_xml(&input, &mut out),
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

/// Parses `input` as a document whose root is any global element of the generated namespaces
/// and writes it as XML.
fn to_xml(input: &[u8], out: &mut impl Write) -> Result<(), Failure> {
    let doc = iodef::Document::<iodef::bindings::Root>::from_slice(input)
        .map_err(|e| Failure::Invalid(e.to_string()))?;
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
        let Command::Convert { to, file } = cli.command;
        assert_eq!((to, file.as_str()), (Format::Xml, "-"));
        assert!(Cli::try_parse_from(["iodef", "convert", "--to", "json", "x"]).is_err());
        assert!(Cli::try_parse_from(["iodef", "convert", "x"]).is_err());
    }
}
