//! `iodef validate` agrees with a real XSD validator on every XML document of the shared corpus
//! (`<shared>/corpus/MANIFEST.tsv`, every IODEF version and root element).
//!
//! The reference is the manifest's Python `xmlschema` verdict (column `xmlschema_py_validity`):
//! where libxml2 (`xmllint_schema_validity`) and xmlschema disagree, xmlschema is followed (the
//! known libxml2 disagreements are whitespace in `xs:dateTime` content, which XSD collapses,
//! XSD 1.0 Part 2 §3.2.7, `whiteSpace` fixed to `collapse`).
//!
//! The real binary runs once over all the documents with `--format json`; its verdict for a
//! file is "valid" when it prints `{"file","valid":true,...}` for it and "invalid" when it
//! prints findings. A disagreement fails the test unless it is listed in [`EXCEPTIONS`] with a
//! reason citing the XSD specification; a listed exception that agrees again fails too.

mod common;

use common::{code, json_lines, run, stdout};
use iodef_tests::corpus;
use std::collections::BTreeMap;

/// Documents on which `iodef validate` knowingly disagrees with xmlschema:
/// `(manifest path, verdict of iodef validate (true = valid), reason citing the XSD spec)`.
const EXCEPTIONS: &[(&str, bool, &str)] = &[];

/// What the binary said about one file.
#[derive(Debug, Default)]
struct Said {
    /// The file's records (one expected), with their `schema_valid`.
    records: Vec<bool>,
    findings: Vec<serde_json::Value>,
}

#[test]
fn validate_agrees_with_xmlschema_on_every_corpus_document() {
    let entries = corpus::entries();
    assert!(entries.len() >= 40, "only {} XML documents", entries.len());
    let names: Vec<&str> = entries
        .iter()
        .map(|e| e.file.to_str().expect("UTF-8 path"))
        .collect();
    let mut args = vec!["validate", "--format", "json"];
    args.extend(&names);
    let out = run(&args);

    let mut said: BTreeMap<String, Said> = BTreeMap::new();
    for line in json_lines(&out) {
        let file = line["file"].as_str().expect("file").to_string();
        let entry = said.entry(file).or_default();
        // The schema part of the verdict: the file record's `schema_valid`, and the findings of
        // rule XSD (prose-rule findings on a schema-valid file are not the XSD validator's
        // business).
        if let Some(schema_valid) = line.get("schema_valid") {
            entry
                .records
                .push(schema_valid.as_bool().expect("schema_valid is a boolean"));
        } else if line["rule"] == "XSD" {
            entry.findings.push(line);
        }
    }

    let mut failures = Vec::new();
    let mut agreements = 0;
    let mut stale_exceptions = Vec::new();
    // (reference valid?, ours valid?) -> count
    let mut confusion: BTreeMap<(bool, bool), usize> = BTreeMap::new();
    let mut libxml2_disagreements = Vec::new();
    for (entry, name) in entries.iter().zip(&names) {
        let Some(s) = said.get(*name) else {
            failures.push(format!("{}: no output for this file", entry.path));
            continue;
        };
        // Exactly one record per file, schema-valid exactly when there is no XSD finding.
        let one_verdict = matches!(s.records[..], [valid] if valid == s.findings.is_empty());
        if !one_verdict {
            failures.push(format!(
                "{}: records {:?} and {} XSD findings",
                entry.path,
                s.records,
                s.findings.len()
            ));
            continue;
        }
        let ours = s.records[0];
        for f in &s.findings {
            let located = f["line"].as_u64().is_some_and(|n| n > 0)
                && f["column"].as_u64().is_some_and(|n| n > 0)
                && f["path"].as_str().is_some_and(|p| p.starts_with('/'))
                && f["severity"] == "error"
                && f["kind"].as_str().is_some_and(|k| !k.is_empty())
                && f["message"].as_str().is_some_and(|m| !m.is_empty());
            if !located {
                failures.push(format!("{}: finding without location: {f}", entry.path));
            }
        }
        *confusion.entry((entry.xmlschema_valid, ours)).or_default() += 1;
        if entry.xmllint_valid != entry.xmlschema_valid {
            libxml2_disagreements.push(format!(
                "{} (xmlschema: {}, xmllint: {}, iodef validate: {})",
                entry.path,
                verdict(entry.xmlschema_valid),
                verdict(entry.xmllint_valid),
                verdict(ours)
            ));
        }
        let exception = EXCEPTIONS.iter().find(|(p, _, _)| *p == entry.path);
        if ours == entry.xmlschema_valid {
            agreements += 1;
            if let Some((path, _, reason)) = exception {
                stale_exceptions.push(format!("{path} ({reason}) agrees now"));
            }
            continue;
        }
        match exception {
            Some((_, listed, _)) if *listed == ours => {}
            _ => failures.push(format!(
                "{}: iodef validate says {}, xmlschema says {}: {}",
                entry.path,
                verdict(ours),
                entry.xmlschema_verdict,
                s.findings
                    .first()
                    .map_or_else(String::new, |f| f.to_string())
            )),
        }
    }
    for (path, _, _) in EXCEPTIONS {
        if !entries.iter().any(|e| e.path == *path) {
            stale_exceptions.push(format!("{path} is not in the manifest"));
        }
    }

    let documents = entries.len();
    println!("iodef validate vs xmlschema (MANIFEST.tsv), every version and root:");
    println!("  documents:  {documents}");
    println!("  agreements: {agreements}");
    println!(
        "  rate:       {:.1}%",
        100.0 * agreements as f64 / documents as f64
    );
    for ((reference, ours), n) in &confusion {
        println!(
            "  xmlschema {:7} / iodef validate {:7}: {n}",
            verdict(*reference),
            verdict(*ours)
        );
    }
    println!("  listed exceptions: {}", EXCEPTIONS.len());
    println!("  libxml2 disagrees with xmlschema (xmlschema followed):");
    for d in &libxml2_disagreements {
        println!("    {d}");
    }

    let any_invalid = entries.iter().any(|e| !e.xmlschema_valid);
    assert_eq!(
        code(&out),
        if any_invalid { 1 } else { 0 },
        "exit code; output:\n{}",
        stdout(&out)
    );
    failures.extend(stale_exceptions);
    assert!(
        failures.is_empty(),
        "{} problems ({agreements} of {documents} documents agree):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(agreements + EXCEPTIONS.len(), documents);
}

fn verdict(valid: bool) -> &'static str {
    if valid {
        "valid"
    } else {
        "invalid"
    }
}
