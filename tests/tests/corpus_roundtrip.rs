//! Corpus round-trip tests (DESIGN.md §3 "Fidelity" and "Validation"), one
//! trial per XML document of `<shared>/corpus/MANIFEST.tsv`, every IODEF
//! version and root element (IODEF 2.0 and 1.0 documents, RID 1.0/2.0
//! messages, XEP-0268 payloads, foreign roots), all read with
//! `Document<iodef::bindings::Root>`:
//!
//! * xmlschema-valid documents: parse → write; the root read is the input's
//!   root; the output equals the input as an infoset; writing the re-parsed
//!   output gives identical bytes; the output is schema-valid for Python
//!   xmlschema and for xmllint (when installed). xmllint is not required to
//!   accept the output of a document that the MANIFEST records as a known
//!   xmllint/xmlschema disagreement (xmllint invalid, xmlschema valid: libxml2
//!   refuses whitespace around `xs:dateTime` content, which XSD collapses).
//!   All outputs are validated in one batch per validator before the trials run.
//!   Exception: the documents listed in `corpus::EXPECTED_REFUSED`, which the
//!   runtime refuses on purpose; they must still be refused with the listed
//!   error (and a location), so that list cannot go stale either.
//! * xmlschema-invalid documents: parsing fails with an error that carries an
//!   element path, a line and a column — except the documents listed in
//!   `corpus::EXPECTED_ACCEPTED`, which the runtime accepts because that part of
//!   validation is not implemented yet. Those are checked the other way round
//!   (they must still be accepted and round-trip), so the list cannot go stale:
//!   once the runtime refuses one, its trial fails until it is removed here.
//!
//! Trial names are the corpus-relative paths, so
//! `cargo test -p iodef-tests --test corpus_roundtrip -- rfc6545` filters as
//! usual. A summary table (documents tried/passed per IODEF version and root
//! element) is printed after the trials.

use iodef_tests::codec::{self, Failure, Written};
use iodef_tests::corpus::{self, Entry, EXPECTED_ACCEPTED, EXPECTED_REFUSED};
use iodef_tests::infoset;
use iodef_tests::validator::{self, Engine, Verdict};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Result of the up-front parse → write of one document.
struct Prepared {
    entry: Entry,
    input: Vec<u8>,
    output: Result<Written, Failure>,
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

/// What a trial expects of its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// xmlschema-valid: full round trip.
    Valid,
    /// xmlschema-invalid: refused with a location.
    Refused,
    /// xmlschema-invalid but listed in `corpus::EXPECTED_ACCEPTED`.
    Accepted,
    /// xmlschema-valid but listed in `corpus::EXPECTED_REFUSED`.
    ValidRefused,
}

impl Expect {
    fn kind(self) -> &'static str {
        match self {
            Expect::Valid => "valid",
            Expect::Refused => "invalid",
            Expect::Accepted => "expected-accepted",
            Expect::ValidRefused => "expected-refused",
        }
    }
}

/// The root element of a corpus document as the infoset parser sees it.
fn root_of(input: &[u8]) -> (String, String) {
    match infoset::parse(input) {
        Ok(root) => (root.ns, root.name),
        Err(_) => (String::new(), "(not well-formed)".to_string()),
    }
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus_roundtrip");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn read(entry: &Entry) -> Vec<u8> {
    std::fs::read(&entry.file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", entry.file.display()))
}

fn prepare(valid: Vec<Entry>) -> Vec<Prepared> {
    let dir = out_dir();
    valid
        .into_iter()
        .map(|entry| {
            let input = read(&entry);
            let output = codec::roundtrip(&input);
            let out_file = output.as_ref().ok().map(|written| {
                let f = dir.join(entry.path.replace('/', "__"));
                std::fs::write(&f, &written.xml)
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
    let written = p
        .output
        .as_ref()
        .map_err(|f| format!("parsing a schema-valid document failed: {f}"))?;
    let output = &written.xml;

    // The root that was read is the input's root element.
    let (ns, local) = root_of(&p.input);
    if (written.namespace, written.local_name) != (ns.as_str(), local.as_str()) {
        return Err(format!(
            "read as {{{}}}{} but the root element is {{{ns}}}{local}",
            written.namespace, written.local_name
        )
        .into());
    }

    // (b) infoset equality between input and output.
    infoset::compare_xml(&p.input, output.as_bytes()).map_err(|e| {
        format!("output differs from input as an infoset: {e}\n--- output ---\n{output}")
    })?;

    // (c) stability: re-parse the output and write again: identical bytes.
    let again = codec::roundtrip(output.as_bytes())
        .map_err(|f| format!("re-parsing our own output failed: {f}\n--- output ---\n{output}"))?;
    if again.xml != *output {
        return Err(format!(
            "writing the re-parsed output changed it:\n{}",
            diff(output, &again.xml)
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
        // A known libxml2 disagreement on the input (MANIFEST): xmllint's verdict on the
        // output is not required (xmlschema's above is).
        Some(Ok(_)) if p.entry.xmllint_disagrees() => {}
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

/// A refusal must name the element path, the line and the column, and say something.
fn check_location(f: &Failure) -> Result<(), Failed> {
    if f.panicked {
        return Err(format!("the parser panicked: {}", f.message).into());
    }
    if !f.path.starts_with('/') {
        return Err(format!("error has no element path: {f}").into());
    }
    if f.line == 0 {
        return Err(format!("error has no line number: {f}").into());
    }
    if f.column == 0 {
        return Err(format!("error has no column number: {f}").into());
    }
    if f.message.trim().is_empty() {
        return Err(format!("error has an empty message: {f}").into());
    }
    Ok(())
}

fn check_refused(entry: &Entry) -> Result<(), Failed> {
    let input = read(entry);
    match codec::roundtrip(&input) {
        Ok(written) => Err(format!(
            "a schema-invalid document was accepted as {{{}}}{} (xmlschema says: {}); \
             if this is a known gap in validation, list it in EXPECTED_ACCEPTED with the reason",
            written.namespace, written.local_name, entry.xmlschema_verdict
        )
        .into()),
        Err(f) => check_location(&f),
    }
}

/// An `EXPECTED_REFUSED` document: still refused, with the listed error and a location.
fn check_expected_refused(entry: &Entry, message: &str, reason: &str) -> Result<(), Failed> {
    let input = read(entry);
    match codec::roundtrip(&input) {
        Ok(_) => Err(format!(
            "now accepted: remove it from EXPECTED_REFUSED (it was listed because: {reason})"
        )
        .into()),
        Err(f) => {
            check_location(&f)?;
            if !f.message.contains(message) {
                return Err(
                    format!("refused, but not for the listed reason ({message:?}): {f}").into(),
                );
            }
            Ok(())
        }
    }
}

/// An `EXPECTED_ACCEPTED` document: still accepted, and written back as the same infoset.
fn check_expected_accepted(entry: &Entry, reason: &str) -> Result<(), Failed> {
    let input = read(entry);
    match codec::roundtrip(&input) {
        Ok(written) => infoset::compare_xml(&input, written.xml.as_bytes()).map_err(|e| {
            format!("accepted (expected: {reason}) but written back differently: {e}").into()
        }),
        Err(f) if f.panicked => Err(format!("the parser panicked: {}", f.message).into()),
        Err(f) => Err(format!(
            "now refused ({f}): remove it from EXPECTED_ACCEPTED (it was listed because: {reason})"
        )
        .into()),
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

/// One row of the summary: documents of one IODEF version and root element.
#[derive(Debug, Default)]
struct Row {
    tried: usize,
    passed: usize,
    valid: usize,
    refused: usize,
    accepted: usize,
    valid_refused: usize,
}

/// Per-document outcome, recorded by the trials.
type Outcomes = Arc<Mutex<BTreeMap<String, bool>>>;

fn summary(entries: &[(Entry, Expect, (String, String))], outcomes: &Outcomes) -> String {
    let outcomes = outcomes.lock().unwrap_or_else(|e| e.into_inner());
    let mut rows: BTreeMap<(String, String, String), Row> = BTreeMap::new();
    for (entry, expect, (ns, local)) in entries {
        let Some(&passed) = outcomes.get(&entry.path) else {
            continue;
        };
        let row = rows
            .entry((entry.version.clone(), local.clone(), ns.clone()))
            .or_default();
        row.tried += 1;
        row.passed += usize::from(passed);
        match expect {
            Expect::Valid => row.valid += 1,
            Expect::Refused => row.refused += 1,
            Expect::Accepted => row.accepted += 1,
            Expect::ValidRefused => row.valid_refused += 1,
        }
    }
    let header = [
        "version",
        "root element",
        "namespace",
        "tried",
        "passed",
        "valid",
        "invalid",
        "exp.accepted",
        "exp.refused",
    ];
    let mut table: Vec<[String; 9]> = vec![header.map(str::to_string)];
    let mut total = Row::default();
    for ((version, local, ns), row) in &rows {
        table.push([
            version.clone(),
            local.clone(),
            if ns.is_empty() {
                "-".into()
            } else {
                ns.clone()
            },
            row.tried.to_string(),
            row.passed.to_string(),
            row.valid.to_string(),
            row.refused.to_string(),
            row.accepted.to_string(),
            row.valid_refused.to_string(),
        ]);
        total.tried += row.tried;
        total.passed += row.passed;
        total.valid += row.valid;
        total.refused += row.refused;
        total.accepted += row.accepted;
        total.valid_refused += row.valid_refused;
    }
    table.push([
        "total".into(),
        String::new(),
        String::new(),
        total.tried.to_string(),
        total.passed.to_string(),
        total.valid.to_string(),
        total.refused.to_string(),
        total.accepted.to_string(),
        total.valid_refused.to_string(),
    ]);
    let mut widths = [0usize; 9];
    for line in &table {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::from(
        "\ncorpus round trip: documents tried/passed per IODEF version and root element\n\
         (valid = xmlschema-valid, round-tripped; invalid = xmlschema-invalid, refused;\n \
         exp.accepted = xmlschema-invalid, accepted as listed in EXPECTED_ACCEPTED;\n \
         exp.refused = xmlschema-valid, refused as listed in EXPECTED_REFUSED)\n",
    );
    for (i, line) in table.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(k, (cell, w))| {
                if k >= 3 {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 || i + 2 == table.len() {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

fn main() {
    let args = Arguments::from_args();
    let entries = corpus::entries();

    // The expected exceptions name real documents of the right validity.
    for (path, reason) in EXPECTED_ACCEPTED {
        let entry = entries.iter().find(|e| e.path == *path);
        assert!(
            entry.is_some_and(|e| !e.xmlschema_valid),
            "EXPECTED_ACCEPTED lists {path} ({reason}), which is not an xmlschema-invalid \
             document of the manifest"
        );
    }
    for (path, _, reason) in EXPECTED_REFUSED {
        let entry = entries.iter().find(|e| e.path == *path);
        assert!(
            entry.is_some_and(|e| e.xmlschema_valid),
            "EXPECTED_REFUSED lists {path} ({reason}), which is not an xmlschema-valid \
             document of the manifest"
        );
    }

    let classified: Vec<(Entry, Expect, (String, String))> = entries
        .into_iter()
        .map(|e| {
            let expect = if e.xmlschema_valid && corpus::expected_refused(&e.path).is_some() {
                Expect::ValidRefused
            } else if e.xmlschema_valid {
                Expect::Valid
            } else if corpus::expected_accepted(&e.path).is_some() {
                Expect::Accepted
            } else {
                Expect::Refused
            };
            let root = root_of(&read(&e));
            (e, expect, root)
        })
        .collect();
    for expect in [Expect::Valid, Expect::Refused] {
        assert!(
            classified.iter().any(|(_, x, _)| *x == expect),
            "no {} documents in the corpus manifest",
            expect.kind()
        );
    }
    for version in ["1.0", "2.0"] {
        assert!(
            classified
                .iter()
                .any(|(e, x, _)| *x == Expect::Valid && e.version == version),
            "no valid IODEF {version} documents in the corpus manifest"
        );
    }

    // Only do the (comparatively) expensive preparation for valid trials that will run.
    let runs = |e: &Entry, expect: Expect| {
        !args.list
            && !args
                .is_filtered_out(&Trial::test(e.path.clone(), || Ok(())).with_kind(expect.kind()))
    };
    let to_run: Vec<Entry> = classified
        .iter()
        .filter(|(e, x, _)| *x == Expect::Valid && runs(e, *x))
        .map(|(e, _, _)| e.clone())
        .collect();
    let prepared = prepare(to_run);
    let validation = Arc::new(validate_all(&prepared));
    let mut prepared: BTreeMap<String, Prepared> = prepared
        .into_iter()
        .map(|p| (p.entry.path.clone(), p))
        .collect();

    let outcomes: Outcomes = Arc::default();
    let mut trials = Vec::new();
    for (entry, expect, _) in &classified {
        let name = entry.path.clone();
        let record = {
            let outcomes = Arc::clone(&outcomes);
            let name = name.clone();
            move |result: Result<(), Failed>| {
                outcomes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(name, result.is_ok());
                result
            }
        };
        let trial = match expect {
            Expect::Valid => {
                let p = prepared.remove(&name);
                let validation = Arc::clone(&validation);
                Trial::test(name, move || {
                    let p = p.ok_or("not prepared (filtered out?)")?;
                    record(check_valid(&p, &validation))
                })
            }
            Expect::Refused => {
                let entry = entry.clone();
                Trial::test(name, move || record(check_refused(&entry)))
            }
            Expect::Accepted => {
                let entry = entry.clone();
                let reason = corpus::expected_accepted(&entry.path).unwrap_or_default();
                Trial::test(name, move || {
                    record(check_expected_accepted(&entry, reason))
                })
            }
            Expect::ValidRefused => {
                let entry = entry.clone();
                let (message, reason) = corpus::expected_refused(&entry.path).unwrap_or_default();
                Trial::test(name, move || {
                    record(check_expected_refused(&entry, message, reason))
                })
            }
        };
        trials.push(trial.with_kind(expect.kind()));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if !args.list {
        println!("{}", summary(&classified, &outcomes));
        if !EXPECTED_ACCEPTED.is_empty() {
            println!("expected exceptions (xmlschema-invalid, accepted by the runtime):");
            for (path, reason) in EXPECTED_ACCEPTED {
                println!("  {path}: {reason}");
            }
        }
        if !EXPECTED_REFUSED.is_empty() {
            println!("expected exceptions (xmlschema-valid, refused by the runtime):");
            for (path, _, reason) in EXPECTED_REFUSED {
                println!("  {path}: {reason}");
            }
        }
    }
    conclusion.exit();
}
