//! Corpus round-trip tests (DESIGN.md §3 "Fidelity" and "Validation"), one
//! trial per IODEF 2.0 XML document of `<shared>/corpus/MANIFEST.tsv`:
//!
//! * schema-valid documents: parse → write; the output equals the input as an
//!   infoset, writing the re-parsed output gives identical bytes, and the
//!   output is schema-valid for the independent validator (Python xmlschema,
//!   plus xmllint when installed). All outputs are validated in one batch
//!   before the trials run.
//! * schema-invalid documents: parsing fails with an error that carries an
//!   element path and a line number.
//!
//! Trial names are the corpus-relative paths, so
//! `cargo test -p iodef-tests --test corpus_roundtrip -- rfc7970` filters as usual.

use iodef_tests::codec::{self, Failure};
use iodef_tests::corpus::{self, Entry};
use iodef_tests::infoset;
use iodef_tests::validator::{self, Engine, Verdict};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Result of the up-front parse → write of one valid document.
struct Prepared {
    entry: Entry,
    input: Vec<u8>,
    output: Result<String, Failure>,
    /// Where the output was written for batch validation.
    out_file: Option<PathBuf>,
}

/// Batch validation results, or why validation could not run.
struct Validation {
    /// `Err` = the validator could not run (message explains); `Ok(None)` = skipped on request.
    xmlschema: Result<Option<BTreeMap<PathBuf, Verdict>>, String>,
    /// `None` when xmllint is not installed or skipped.
    xmllint: Option<Result<BTreeMap<PathBuf, Verdict>, String>>,
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus_roundtrip");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn prepare(valid: Vec<Entry>) -> Vec<Prepared> {
    let dir = out_dir();
    valid
        .into_iter()
        .map(|entry| {
            let input = std::fs::read(&entry.file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", entry.file.display()));
            let output = codec::iodef2_roundtrip(&input);
            let out_file = output.as_ref().ok().map(|xml| {
                let f = dir.join(entry.path.replace('/', "__"));
                std::fs::write(&f, xml)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", f.display()));
                f
            });
            Prepared {
                entry,
                input,
                output,
                out_file,
            }
        })
        .collect()
}

fn validate_all(prepared: &[Prepared]) -> Validation {
    let files: Vec<PathBuf> = prepared.iter().filter_map(|p| p.out_file.clone()).collect();
    if validator::skip_requested() {
        return Validation {
            xmlschema: Ok(None),
            xmllint: None,
        };
    }
    let xmlschema = match validator::unavailable_reason(Engine::XmlSchema) {
        Some(reason) => Err(reason),
        None => validator::validate(&files, Engine::XmlSchema).map(Some),
    };
    let xmllint =
        validator::xmllint_available().then(|| validator::validate(&files, Engine::Xmllint));
    Validation { xmlschema, xmllint }
}

fn check_valid(p: &Prepared, validation: &Validation) -> Result<(), Failed> {
    let output = p
        .output
        .as_ref()
        .map_err(|f| format!("parsing a schema-valid document failed: {f}"))?;

    // (b) infoset equality between input and output.
    infoset::compare_xml(&p.input, output.as_bytes()).map_err(|e| {
        format!("output differs from input as an infoset: {e}\n--- output ---\n{output}")
    })?;

    // (c) stability: re-parse the output and write again: identical bytes.
    let again = codec::iodef2_roundtrip(output.as_bytes())
        .map_err(|f| format!("re-parsing our own output failed: {f}\n--- output ---\n{output}"))?;
    if again != *output {
        return Err(format!(
            "writing the re-parsed output changed it:\n{}",
            diff(output, &again)
        )
        .into());
    }

    // (a) the output is schema-valid for the independent validators.
    let file = p.out_file.as_ref().expect("successful outputs are written");
    match &validation.xmlschema {
        Ok(None) => {}
        Ok(Some(map)) => check_verdict("xmlschema", map.get(file), file, output)?,
        Err(reason) => return Err(format!("cannot check schema validity: {reason}").into()),
    }
    match &validation.xmllint {
        None => {}
        Some(Ok(map)) => check_verdict("xmllint", map.get(file), file, output)?,
        Some(Err(reason)) => return Err(format!("xmllint failed to run: {reason}").into()),
    }
    Ok(())
}

fn check_verdict(
    engine: &str,
    verdict: Option<&Verdict>,
    file: &Path,
    output: &str,
) -> Result<(), Failed> {
    match verdict {
        Some(Verdict { valid: true, .. }) => Ok(()),
        Some(Verdict { error, .. }) => Err(format!(
            "output is not schema-valid for {engine}: {} ({})\n--- output ---\n{output}",
            error.as_deref().unwrap_or("no message"),
            file.display()
        )
        .into()),
        None => Err(format!("{engine} gave no verdict for {}", file.display()).into()),
    }
}

fn check_invalid(entry: &Entry) -> Result<(), Failed> {
    let input = std::fs::read(&entry.file)
        .map_err(|e| format!("cannot read {}: {e}", entry.file.display()))?;
    match codec::iodef2_roundtrip(&input) {
        Ok(_) => Err(format!(
            "a schema-invalid document was accepted (xmlschema says: {})",
            entry.xmlschema_verdict
        )
        .into()),
        Err(f) if f.panicked => Err(format!("the parser panicked: {}", f.message).into()),
        Err(f) => {
            if !f.path.starts_with('/') {
                return Err(format!("error has no element path: {f}").into());
            }
            if f.line == 0 {
                return Err(format!("error has no line number: {f}").into());
            }
            if f.message.trim().is_empty() {
                return Err(format!("error has an empty message: {f}").into());
            }
            Ok(())
        }
    }
}

/// A short line diff for failure messages.
fn diff(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(2)
        .header("first write", "second write")
        .to_string()
}

fn main() {
    let args = Arguments::from_args();
    let entries = corpus::entries();
    let valid: Vec<Entry> = entries
        .iter()
        .filter(|e| e.is_iodef2() && e.xmlschema_valid)
        .cloned()
        .collect();
    let invalid: Vec<Entry> = entries
        .iter()
        .filter(|e| e.is_iodef2() && !e.xmlschema_valid)
        .cloned()
        .collect();
    assert!(
        !valid.is_empty() && !invalid.is_empty(),
        "no IODEF 2.0 documents in the corpus manifest"
    );

    let mut trials = Vec::new();
    if !args.list {
        // Only do the (comparatively) expensive preparation when some valid trial will run.
        let wanted = |name: &str| {
            args.filter.as_deref().is_none_or(|f| {
                if args.exact {
                    name == f
                } else {
                    name.contains(f)
                }
            })
        };
        let to_run: Vec<Entry> = valid.iter().filter(|e| wanted(&e.path)).cloned().collect();
        let prepared = prepare(to_run);
        let validation = Arc::new(validate_all(&prepared));
        for p in prepared {
            let validation = Arc::clone(&validation);
            let name = p.entry.path.clone();
            trials.push(Trial::test(name, move || check_valid(&p, &validation)).with_kind("valid"));
        }
    } else {
        for e in &valid {
            trials.push(Trial::test(e.path.clone(), || Ok(())).with_kind("valid"));
        }
    }
    for e in invalid {
        let name = e.path.clone();
        trials.push(Trial::test(name, move || check_invalid(&e)).with_kind("invalid"));
    }
    libtest_mimic::run(&args, trials).exit();
}
