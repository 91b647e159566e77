//! `iodef indicators`: the indicators IODEF 2.0 documents share (`iodef::indicators`), as a
//! block list, CSV, JSON lines, Suricata or Snort rules, or a STIX 2.1 bundle.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::process::ExitCode;

use clap::ValueEnum;
use iodef::indicators::{self, Extraction, IndicatorValue, Kind, Severity};

use crate::{fail, inputs, read_any, EXIT_INVALID, EXIT_USAGE};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One value per line.
    Plain,
    /// `kind,value,path,file` with a header line (RFC 4180).
    Csv,
    /// One JSON object per line: `{"kind","value","path","file","indicator_id"}` (and `"via"`).
    Json,
    /// Suricata rules (addresses, networks, domains, http URLs).
    Suricata,
    /// Snort 2.9 rules (addresses, networks, domains, http URLs).
    Snort,
    /// A STIX 2.1 bundle of indicator objects.
    Stix,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// IODEF 2.0 documents (XML, RFC 8727 JSON or CBOR); `-` reads standard input; a directory
    /// with `-r`.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<String>,
    /// Read the documents in directories (`.xml`, `.json`, `.cbor`), recursively.
    #[arg(short, long)]
    recursive: bool,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Plain)]
    format: OutputFormat,
    /// Suricata/Snort: the `sid` of the first rule; the others follow (1000000-1999999 is
    /// the range for local rules).
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    sid_base: u32,
    /// STIX: `created` and `modified` of the objects (RFC 3339, e.g. 2026-01-01T00:00:00Z);
    /// the current time by default. The same documents and timestamp give the same bundle.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    timestamp: Option<time::OffsetDateTime>,
    /// STIX: identifiers derived from each Incident's ID and the indicator (UUIDv5), so that
    /// exporting a report again gives the same objects; random UUIDv4 (what STIX 2.1
    /// recommends) by default.
    #[arg(long)]
    stable_ids: bool,
    /// Also print notes: content deliberately not exported (recipients, Contacts, target
    /// Systems, ...), and each indicator a rule format skips.
    #[arg(short, long)]
    verbose: bool,
}

fn parse_time(text: &str) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("not an RFC 3339 time: {e}"))
}

/// Runs the command: exit 0 when indicators were found, 1 when an input is not a valid
/// document or no input has any indicator, 2 when an input cannot be read, for usage errors
/// and when the output cannot be written.
pub fn run(args: &Args) -> ExitCode {
    let files = match inputs::expand(&args.files, args.recursive) {
        Ok(files) => files,
        Err(e) => return fail(EXIT_USAGE, format!("iodef: {e}")),
    };
    let now = args.timestamp.unwrap_or_else(time::OffsetDateTime::now_utc);
    let Some(created) = indicators::stix_timestamp(now) else {
        return fail(
            EXIT_USAGE,
            "iodef: --timestamp: the year must be 0000-9999".into(),
        );
    };
    let mut worst = 0u8;
    let mut found: Vec<(String, Extraction)> = Vec::new();
    for file in &files {
        match read_any(file) {
            Ok((name, doc)) => {
                let extraction = indicators::extract(&doc);
                for d in &extraction.diagnostics {
                    if d.severity == Severity::Warning || args.verbose {
                        let level = match d.severity {
                            Severity::Warning => "warning",
                            Severity::Note => "note",
                        };
                        eprintln!("{name}: {level}: {}: {}", d.path, d.message);
                    }
                }
                found.push((name, extraction));
            }
            Err((code, message)) => {
                eprintln!("{message}");
                worst = worst.max(code);
            }
        }
    }
    let all: Vec<(&str, &IndicatorValue)> = found
        .iter()
        .flat_map(|(name, x)| x.indicators.iter().map(move |i| (name.as_str(), i)))
        .collect();
    let mut out = Vec::new();
    let rendered = match args.format {
        OutputFormat::Plain => indicators::write_plain(&mut out, all.iter().map(|(_, i)| *i)),
        OutputFormat::Csv => indicators::write_csv(&mut out, all.iter().copied()),
        OutputFormat::Json => indicators::write_json(&mut out, all.iter().copied()),
        OutputFormat::Suricata | OutputFormat::Snort => match write_rules(&mut out, &all, args) {
            Ok(()) => Ok(()),
            Err(code) => return ExitCode::from(code),
        },
        OutputFormat::Stix => {
            let options = indicators::StixOptions {
                created,
                stable_ids: args.stable_ids,
            };
            let (bundle, problems) =
                match indicators::stix_bundle(all.iter().map(|(_, i)| *i), &options) {
                    Ok(made) => made,
                    Err(e) => {
                        return fail(EXIT_USAGE, format!("iodef: no random identifiers: {e}"))
                    }
                };
            for p in problems {
                eprintln!("iodef: warning: {}: {}", p.path, p.message);
            }
            serde_json::to_writer_pretty(&mut out, &bundle)
                .map_err(io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
        }
    };
    let written = rendered.and_then(|()| {
        let mut stdout = io::stdout().lock();
        stdout.write_all(&out).and_then(|()| stdout.flush())
    });
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return fail(EXIT_USAGE, format!("iodef: cannot write: {e}")),
    }
    if worst == 0 && all.is_empty() {
        eprintln!("iodef: no indicators found");
        worst = EXIT_INVALID;
    }
    ExitCode::from(worst)
}

/// Rules, one per (kind, value) over every input, numbered from `--sid-base`; what has no rule
/// is counted per reason on standard error (each one with `--verbose`).
fn write_rules(out: &mut Vec<u8>, all: &[(&str, &IndicatorValue)], args: &Args) -> Result<(), u8> {
    let engine = if args.format == OutputFormat::Snort {
        "snort"
    } else {
        "suricata"
    };
    let mut seen: HashSet<(Kind, &str)> = HashSet::new();
    let mut sid = args.sid_base;
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (file, i) in all {
        if !seen.insert((i.kind, &i.value)) {
            continue;
        }
        let rule = if args.format == OutputFormat::Snort {
            indicators::snort_rule(i, sid)
        } else {
            indicators::suricata_rule(i, sid)
        };
        match rule {
            Ok(rule) => {
                out.extend_from_slice(rule.as_bytes());
                out.push(b'\n');
                sid = match sid.checked_add(1) {
                    Some(next) => next,
                    None => {
                        eprintln!(
                            "iodef: --sid-base {}: the sids run past {}",
                            args.sid_base,
                            u32::MAX
                        );
                        return Err(EXIT_USAGE);
                    }
                };
            }
            Err(skip) => {
                if args.verbose {
                    eprintln!(
                        "{file}: note: {}: no {engine} rule for {} {}: {skip}",
                        i.path, i.kind, i.value
                    );
                }
                *skipped.entry(skip.to_string()).or_default() += 1;
            }
        }
    }
    for (reason, n) in skipped {
        let plural = if n == 1 { "" } else { "s" };
        eprintln!("iodef: warning: {n} indicator{plural} without a {engine} rule: {reason}");
    }
    Ok(())
}
