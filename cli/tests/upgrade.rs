//! `iodef convert --to-version 2` (IODEF 1.0 → 2.0) with the real binary, on every IODEF 1.0
//! document of the shared corpus and on an authored document exercising every mapping: the
//! output is IODEF 2.0 that Python `xmlschema` accepts (against the 2.0 schema alone and with
//! every extension schema), its leaf values and the loss report match the golden tables of
//! `tests/data/upgrade/` (`IODEF_BLESS=1` rewrites them), refused inputs say why.
//!
//! A golden table holds the leaf values of the output (`PATH<TAB>VALUE`, paths with `[n]`
//! among same-name siblings, `@attr` for attributes, values with `\t`, `\n`, `\\` escaped),
//! then, after `# losses`, the loss report (`KIND<TAB>1.0 PATH<TAB>WHAT`).

mod common;

use std::path::{Path, PathBuf};

use common::{code, run, stderr, stdout};
use iodef_tests::infoset::{self, Element};
use iodef_tests::{corpus, validator};

const V2: &str = "urn:ietf:params:xml:ns:iodef-2.0";

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/upgrade")
}

fn authored() -> PathBuf {
    data_dir().join("authored-v1.xml")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iodef-upgrade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn step(ns: &str, name: &str) -> String {
    match ns {
        V2 | "" => name.to_owned(),
        infoset::XML_NS => format!("xml:{name}"),
        _ => format!("{{{ns}}}{name}"),
    }
}

/// The leaf values of `element` (attributes, non-blank text), with their paths.
fn leaves(element: &Element, path: &str, out: &mut Vec<String>) {
    for a in &element.attrs {
        out.push(format!(
            "{path}/@{}\t{}",
            step(&a.ns, &a.name),
            escape(&a.value)
        ));
    }
    let text = element.text();
    if !text.trim().is_empty() {
        out.push(format!("{path}\t{}", escape(&text)));
    }
    let mut seen = std::collections::HashMap::new();
    for child in element.elements() {
        let name = step(&child.ns, &child.name);
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        leaves(child, &format!("{path}/{name}[{n}]"), out);
    }
}

/// The golden table of one conversion: leaf values, then the losses of the JSON report.
fn table(xml: &[u8], report: &serde_json::Value) -> String {
    let root = infoset::parse(xml).expect("the output is well-formed XML");
    assert_eq!(
        (root.ns.as_str(), root.name.as_str()),
        (V2, "IODEF-Document")
    );
    let mut lines = vec!["# IODEF 2.0 leaf values: path, value".to_owned()];
    leaves(&root, "/IODEF-Document", &mut lines);
    lines.push("# losses: kind, IODEF 1.0 path, what".into());
    for loss in report["losses"].as_array().expect("losses") {
        lines.push(format!(
            "{}\t{}\t{}",
            loss["kind"].as_str().unwrap(),
            loss["path"].as_str().unwrap(),
            escape(loss["what"].as_str().unwrap())
        ));
    }
    lines.join("\n") + "\n"
}

/// Compares with (or, under `IODEF_BLESS=1`, writes) `tests/data/upgrade/NAME.golden`.
fn check_golden(name: &str, actual: &str) -> Result<(), String> {
    let file = data_dir().join(format!("{name}.golden"));
    if std::env::var_os("IODEF_BLESS").is_some() {
        std::fs::write(&file, actual).map_err(|e| format!("{}: {e}", file.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&file)
        .map_err(|e| format!("{}: {e} (IODEF_BLESS=1 writes it)", file.display()))?;
    if expected == actual {
        return Ok(());
    }
    let diff: Vec<String> = expected
        .lines()
        .zip(actual.lines())
        .filter(|(e, a)| e != a)
        .take(5)
        .map(|(e, a)| format!("  expected {e:?}\n  actual   {a:?}"))
        .collect();
    Err(format!(
        "{name}: the conversion differs from {} ({} vs {} lines; IODEF_BLESS=1 to accept):\n{}",
        file.display(),
        expected.lines().count(),
        actual.lines().count(),
        diff.join("\n")
    ))
}

/// Runs `iodef convert --to-version 2 --loss-report R -o OUT FILE`: the exit code, standard
/// error, the output (when written) and the report record.
struct Conversion {
    code: i32,
    stderr: String,
    output: Option<Vec<u8>>,
    report: Option<serde_json::Value>,
    out_path: PathBuf,
}

fn convert(file: &Path, stem: &str, extra: &[&str]) -> Conversion {
    let out_path = scratch(&format!("{stem}.xml"));
    let report_path = scratch(&format!("{stem}.losses.json"));
    let _ = std::fs::remove_file(&out_path);
    let _ = std::fs::remove_file(&report_path);
    let mut args = vec![
        "convert".to_owned(),
        "--to-version".into(),
        "2".into(),
        "--loss-report".into(),
        report_path.to_string_lossy().into_owned(),
        "-o".into(),
        out_path.to_string_lossy().into_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.push(file.to_string_lossy().into_owned());
    let out = run(&args);
    let report = std::fs::read_to_string(&report_path)
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| serde_json::from_str(t.trim()).expect("one JSON record"));
    Conversion {
        code: code(&out),
        stderr: stderr(&out),
        output: std::fs::read(&out_path).ok(),
        report,
        out_path,
    }
}

/// Validates the outputs with Python `xmlschema`, against the IODEF 2.0 schema alone and
/// against every schema (what `AdditionalData` holds is then checked too).
fn assert_schema_valid(files: &[PathBuf]) {
    if validator::skip_requested() {
        return;
    }
    if let Some(reason) = validator::unavailable_reason(validator::Engine::XmlSchema) {
        panic!("{reason}");
    }
    let alone = validator::validate_against(files, &validator::local_schema("iodef-2.0.xsd"), &[])
        .expect("xmlschema runs");
    let all = validator::validate(files, validator::Engine::XmlSchema).expect("xmlschema runs");
    for file in files {
        for (schema, verdicts) in [("iodef-2.0.xsd", &alone), ("all-iodef.xsd", &all)] {
            let verdict = &verdicts[file];
            assert!(
                verdict.valid,
                "{}: not valid against {schema}: {:?}",
                file.display(),
                verdict.error
            );
        }
    }
}

/// Every IODEF 1.0 document of the corpus: a valid IODEF-Document is converted (golden table,
/// exact loss report, warnings on standard error, schema-valid output); an invalid one is
/// refused with its schema errors, another root with a clear error; nothing is written then.
#[test]
fn every_iodef1_corpus_document() {
    let entries: Vec<corpus::Entry> = corpus::entries()
        .into_iter()
        .filter(|e| e.version.starts_with("1.0"))
        .collect();
    assert!(
        entries.len() >= 30,
        "the corpus has its IODEF 1.0 documents"
    );
    let mut outputs = Vec::new();
    let mut failures = Vec::new();
    for entry in &entries {
        let bytes = std::fs::read(&entry.file).expect("corpus file");
        let is_v1_document = iodef::read(&bytes).is_ok_and(|d| d.root.as_iodef1().is_some());
        let stem = entry.path.replace('/', "__");
        let c = convert(&entry.file, &stem, &[]);
        let name = entry.file.to_string_lossy();
        if entry.xmlschema_valid && is_v1_document {
            assert_eq!(c.code, 0, "{}: {}", entry.path, c.stderr);
            let report = c.report.expect("a loss report");
            assert_eq!(report["file"], *name);
            assert_eq!(report["to"], "iodef-2.0");
            // Each loss is also a line on standard error.
            let losses = report["losses"].as_array().unwrap();
            assert_eq!(c.stderr.lines().count(), losses.len(), "{}", c.stderr);
            for (line, loss) in c.stderr.lines().zip(losses) {
                let severity = if loss["kind"] == "inferred" {
                    "note"
                } else {
                    "warning"
                };
                assert_eq!(
                    line,
                    format!(
                        "{name}: {severity}: {}: {}: {}",
                        loss["path"].as_str().unwrap(),
                        loss["kind"].as_str().unwrap(),
                        loss["what"].as_str().unwrap()
                    )
                );
            }
            let output = c.output.expect("the output file");
            // A document clean under RFC 5070's prose rules gives one clean under RFC 7970's.
            if code(&run(&["validate", &name])) == 0 {
                let again = run(&["validate", c.out_path.to_str().unwrap()]);
                assert_eq!(code(&again), 0, "{}: {}", entry.path, stdout(&again));
            }
            if let Err(e) = check_golden(&stem, &table(&output, &report)) {
                failures.push(e);
            }
            outputs.push(c.out_path);
        } else {
            assert_eq!(c.code, 1, "{}: {}", entry.path, c.stderr);
            assert!(c.output.is_none(), "{}: nothing written", entry.path);
            assert!(c.report.is_none(), "{}: no loss report", entry.path);
            if is_v1_document || !entry.xmlschema_valid {
                // Schema errors in `iodef validate`'s words: FILE:LINE:COL: error: PATH: ...
                assert!(
                    c.stderr
                        .lines()
                        .all(|l| l.starts_with(&format!("{name}:")) && l.contains(": error: ")),
                    "{}: {}",
                    entry.path,
                    c.stderr
                );
                assert!(!c.stderr.is_empty());
            } else {
                assert_eq!(
                    c.stderr.trim(),
                    format!(
                        "{name}: error: the root is {{{}}}{}, not an IODEF 1.0 IODEF-Document \
                         (urn:ietf:params:xml:ns:iodef-1.0): nothing to convert to IODEF 2.0",
                        iodef::read(&bytes).unwrap().root.namespace(),
                        iodef::read(&bytes).unwrap().root.local_name()
                    )
                );
            }
        }
    }
    assert!(outputs.len() >= 10, "{} documents converted", outputs.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_schema_valid(&outputs);
}

/// The authored document: every mapping of docs/upgrade.md, golden.
#[test]
fn authored_document_every_mapping() {
    let c = convert(&authored(), "authored", &[]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let output = c.output.expect("output");
    let report = c.report.expect("report");
    check_golden("authored-v1", &table(&output, &report)).unwrap_or_else(|e| panic!("{e}"));
    assert_schema_valid(std::slice::from_ref(&c.out_path));
    // The prose rules of 2.0 hold too (NodeName's DomainData has its required statuses).
    let validate = run(&["validate", c.out_path.to_str().unwrap()]);
    assert_eq!(code(&validate), 0, "{}", stdout(&validate));
}

/// RFC 5070's default category is ipv4-addr, RFC 7970's ipv6-addr: an Address without a
/// category keeps its meaning only if the 2.0 output says ipv4-addr.
#[test]
fn implicit_address_category_is_written_explicitly() {
    let c = convert(&authored(), "category", &[]);
    let root = infoset::parse(&c.output.expect("output")).unwrap();
    let address = root
        .elements()
        .next()
        .into_iter()
        .flat_map(|incident| incident.elements())
        .filter(|e| e.name == "EventData")
        .flat_map(|e| e.elements().filter(|e| e.name == "Flow"))
        .flat_map(|f| f.elements().collect::<Vec<_>>())
        .flat_map(|s| s.elements().filter(|e| e.name == "Node"))
        .flat_map(|n| n.elements().filter(|e| e.name == "Address"))
        .find(|a| a.text() == "192.0.2.10")
        .expect("the Address of the authored document");
    let category: Vec<&str> = address
        .attrs
        .iter()
        .filter(|a| a.name == "category")
        .map(|a| a.value.as_str())
        .collect();
    assert_eq!(category, ["ipv4-addr"]);
}

#[test]
fn fail_on_loss_writes_nothing_and_notes_do_not_count() {
    let c = convert(&authored(), "fail", &["--fail-on-loss"]);
    assert_eq!(c.code, 1);
    assert!(c.output.is_none());
    assert!(
        c.stderr.contains(": error: 18 item(s) would be lost or changed in IODEF 2.0 (--fail-on-loss): nothing written"),
        "{}",
        c.stderr
    );
    // Only notes (inferred values): converted.
    let notes_only = corpus::corpus_dir().join("xmpp-ftw-item-parser/readme-iodef-example.xml");
    let c = convert(&notes_only, "notes-only", &["--fail-on-loss"]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(
        c.stderr.lines().all(|l| l.contains(": note: ")),
        "{}",
        c.stderr
    );
}

/// IODEF 2.0 in, IODEF 2.0 out (unchanged, with a note), so that a mixed archive converts.
#[test]
fn iodef2_is_written_unchanged() {
    let minimal = corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml");
    let out = run(&["convert", "--to-version", "2", minimal.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let same = run(&["convert", "--to", "xml", minimal.to_str().unwrap()]);
    assert_eq!(out.stdout, same.stdout);
    assert!(stderr(&out).ends_with(": note: already IODEF 2.0: written unchanged\n"));
}

/// With `--to json`, the upgrade's losses and RFC 8727's are one report record.
#[test]
fn to_json_merges_the_loss_reports() {
    let worm = corpus::corpus_dir().join("rfc5070/rfc5070-7.1-worm.xml");
    let report_path = scratch("worm-json.losses.json");
    let out = run(&[
        "convert",
        "--to-version",
        "2",
        "--to",
        "json",
        "--loss-report",
        report_path.to_str().unwrap(),
        worm.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["version"], "2.00");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["to"], "json");
    let kinds: Vec<&str> = report["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"inferred") && kinds.contains(&"changed"),
        "{kinds:?}"
    );
}

#[test]
fn usage_errors() {
    let out = run(&["convert", "--to-version", "3", authored().to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("3 is not in 2..=2"),
        "{}",
        stderr(&out)
    );
    // Without --to-version, --to is still required.
    let out = run(&["convert", authored().to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--to <FORMAT>"), "{}", stderr(&out));
}

/// `--lenient`: content unknown to the 1.0 schema, kept by the parse, is reported as dropped
/// (a 2.0 document has no place for it) and the output stays schema-valid.
#[test]
fn lenient_unknown_content_is_reported_dropped() {
    let text = std::fs::read_to_string(authored()).unwrap().replace(
        "<Description>Incident desk</Description>",
        "<Description>Incident desk</Description><Pager>555</Pager>",
    );
    let input = scratch("lenient-v1.xml");
    std::fs::write(&input, text).unwrap();
    let strict = convert(&input, "strict", &[]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let c = convert(&input, "lenient", &["--lenient"]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let losses = c.report.expect("report")["losses"].clone();
    assert!(
        losses.as_array().unwrap().iter().any(|l| l["path"]
            == "/IODEF-Document/Incident[1]/Contact[1]"
            && l["kind"] == "dropped"
            && l["what"]
                .as_str()
                .unwrap()
                .starts_with("1 item(s) of content unknown to the IODEF 1.0 schema")),
        "{losses}"
    );
    assert_schema_valid(std::slice::from_ref(&c.out_path));
}
