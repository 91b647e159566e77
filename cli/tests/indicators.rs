//! `iodef indicators`: golden outputs of every format on an authored report
//! (`data/indicators/report.xml`, whose victims, contacts and reference URLs must never come
//! out), STIX checked by the stix2 library, the OASIS stix2-validator and stix2-patterns,
//! rules parsed by idstools, and every IODEF 2.0 document of the corpus checked by an
//! independent ElementTree extraction (`data/indicators/corpus_oracle.py`).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{code, stderr, stdout};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/indicators")
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(data().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `iodef indicators ARGS` run in the fixture directory (so that the file is `report.xml`).
fn indicators(args: &[&str]) -> Output {
    common::iodef()
        .arg("indicators")
        .args(args)
        .current_dir(data())
        .output()
        .expect("run iodef")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iodef-indicators-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a Python checker of `data/indicators` on `args`; its output and success.
fn python_check(script: &str, args: &[&Path], extra: &[&str]) -> (bool, String) {
    let out = Command::new(iodef_tests::validator::python())
        .arg(data().join(script))
        .args(args)
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python for {script}: {e}"));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !text.contains("ModuleNotFoundError"),
        "{script} needs Python packages: `python3 -m pip install stix2 stix2-patterns \
         stix2-validator idstools` (.ci/run installs them): {text}"
    );
    (out.status.success(), text)
}

/// What the report mentions but never shares as an indicator.
const NEVER_EXPORTED: &[&str] = &[
    "192.0.2.10",              // the victim's address (target System, referenced on purpose)
    "www.constituent.example", // the victim's web site
    "192.0.2.20",              // a target System inside IndicatorData
    "victim@constituent.example",
    "cert@constituent.example",
    "soc@csirt.example.com",
    "analyst@csirt.example.com",
    "advisories.example.org", // Method/Reference URL, referenced on purpose
    "198.51.100.99",          // the operand of a "not" IndicatorExpression
    "999.1.1.1",              // not an IPv4 address
    "not-an-address",
];

#[test]
fn plain_is_one_value_per_line_with_warnings_for_what_is_not_exported() {
    let out = indicators(&["report.xml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), expected("expected.txt"));
    assert_eq!(stderr(&out), expected("expected.stderr"));
}

#[test]
fn csv_json_and_rules_match_their_golden_files() {
    for (args, file) in [
        (&["--format", "csv"][..], "expected.csv"),
        (&["--format", "json"][..], "expected.jsonl"),
        (
            &["--format", "suricata", "--sid-base", "5000"][..],
            "expected.suricata.rules",
        ),
        (
            &["--format", "snort", "--sid-base", "5000"][..],
            "expected.snort.rules",
        ),
        (
            &[
                "--format",
                "stix",
                "--stable-ids",
                "--timestamp",
                "2026-03-02T00:00:00Z",
            ][..],
            "expected.stix.json",
        ),
    ] {
        let mut all = args.to_vec();
        all.push("report.xml");
        let out = indicators(&all);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected(file), "{args:?}");
    }
    let out = indicators(&["--format", "suricata", "--sid-base", "5000", "report.xml"]);
    assert!(stderr(&out).ends_with(&expected("expected.suricata.stderr")));
}

#[test]
fn victims_contacts_and_references_never_come_out() {
    for format in ["plain", "csv", "json", "suricata", "snort", "stix"] {
        let out = indicators(&["--format", format, "report.xml"]);
        let text = stdout(&out);
        assert!(!text.is_empty(), "{format}");
        for value in NEVER_EXPORTED {
            assert!(!text.contains(value), "{format} exports {value}:\n{text}");
        }
    }
}

#[test]
fn csv_is_rfc4180_and_json_lines_carry_the_reference_path() {
    let out = indicators(&["--format", "csv", "report.xml"]);
    let text = stdout(&out);
    assert!(
        text.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "CRLF line ends"
    );
    // A value with a comma is quoted.
    assert!(
        text.contains("url,\"http://gate.malware.example:8080/gate.php;sid=1?a=1,2&b=%22x%22\",")
    );
    let out = indicators(&["--format", "json", "report.xml"]);
    let records = common::json_lines(&out);
    let referenced: Vec<_> = records.iter().filter(|r| r.get("via").is_some()).collect();
    assert_eq!(referenced.len(), 1);
    assert_eq!(referenced[0]["value"], "203.0.113.5");
    assert_eq!(
        referenced[0]["path"],
        "/IODEF-Document/Incident[1]/EventData[1]/Flow[1]/System[2]/Node[1]/Address[1]"
    );
    // The CRLF list: line 5 is the last address, line 3 the refused one.
    assert!(records.iter().any(|r| r["value"] == "203.0.113.200"
        && r["path"]
            .as_str()
            .unwrap()
            .ends_with("BulkObservableList[1]:5")));
}

#[test]
fn stix_passes_independent_validators() {
    let dir = temp_dir("stix");
    // Random UUIDv4 identifiers: the validator has no warning at all.
    let out = indicators(&["--format", "stix", "report.xml"]);
    assert_eq!(code(&out), 0);
    let random = dir.join("random.json");
    std::fs::write(&random, &out.stdout).unwrap();
    let (ok, text) = python_check("check_stix.py", &[&random], &[]);
    assert!(ok, "{text}");
    assert!(text.contains("objects: 24"), "{text}");
    let again = indicators(&["--format", "stix", "report.xml"]);
    assert_ne!(
        out.stdout, again.stdout,
        "random identifiers differ between runs"
    );
    // Stable identifiers: the same bundle every time, valid but for the UUIDv4 advice.
    let stable = dir.join("stable.json");
    std::fs::copy(data().join("expected.stix.json"), &stable).unwrap();
    let (ok, text) = python_check("check_stix.py", &[&stable], &["--allow-uuid5"]);
    assert!(ok, "{text}");
    let (ok, text) = python_check("check_stix.py", &[&stable], &[]);
    assert!(
        !ok && text.contains("UUIDv4"),
        "the checker sees UUIDv5: {text}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn rules_parse_with_consecutive_sids() {
    let dir = temp_dir("rules");
    for (format, kinds) in [
        ("suricata", ["ip", "dns", "http"]),
        ("snort", ["ip", "udp", "tcp"]),
    ] {
        let out = indicators(&["--format", format, "--sid-base", "7000", "report.xml"]);
        assert_eq!(code(&out), 0);
        let file = dir.join(format!("{format}.rules"));
        std::fs::write(&file, &out.stdout).unwrap();
        let (ok, text) = python_check("check_rules.py", &[&file], &[]);
        assert!(ok, "{text}");
        let rules: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(rules.len(), 15, "{text}");
        for (n, rule) in rules.iter().enumerate() {
            assert_eq!(rule["sid"], 7000 + n as u64);
            assert_eq!(rule["rev"], 1);
            assert!(rule["msg"]
                .as_str()
                .unwrap()
                .starts_with("IODEF indicator "));
            assert!(kinds.contains(&rule["proto"].as_str().unwrap()), "{rule}");
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn sids_past_u32_are_a_usage_error() {
    let out = indicators(&[
        "--format",
        "suricata",
        "--sid-base",
        "4294967295",
        "report.xml",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("the sids run past 4294967295"));
}

/// RFC 8727 JSON groups an IndicatorExpression's children by name (the order of mixed
/// Observables and IndicatorExpressions is lost in JSON): the same values, in another order.
#[test]
fn json_input_gives_the_same_indicators() {
    let dir = temp_dir("json");
    let json = dir.join("report.json");
    let out = common::run(&[
        "convert".as_ref(),
        "--to".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        json.as_os_str(),
        data().join("report.xml").as_os_str(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = common::run(&["indicators".as_ref(), json.as_os_str()]);
    assert_eq!(code(&out), 0);
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&stdout(&out)), sorted(&expected("expected.txt")));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn documents_without_indicators_and_bad_input_exit_non_zero() {
    let corpus = iodef_tests::corpus::corpus_dir();
    // IODEF 1.0 has no IndicatorData.
    let v1 = iodef_tests::corpus::valid()
        .into_iter()
        .find(|e| e.version == "1.0")
        .expect("an IODEF 1.0 document in the corpus");
    let out = common::run(&["indicators".as_ref(), v1.file.as_os_str()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("an IODEF 1.0 (RFC 5070) document has no IndicatorData"));
    assert!(stderr(&out).contains("iodef: no indicators found"));
    assert!(stdout(&out).is_empty());
    // IODEF 2.0 without IndicatorData.
    let minimal = corpus.join("rfc7970/rfc7970-7.1-minimal.xml");
    let out = common::run(&["indicators".as_ref(), minimal.as_os_str()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("no Incident has IndicatorData"));
    // STIX still writes a (valid, empty) bundle.
    let out = common::run(&[
        "indicators".as_ref(),
        "--format".as_ref(),
        "stix".as_ref(),
        minimal.as_os_str(),
    ]);
    assert_eq!(code(&out), 1);
    let bundle: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bundle["objects"], serde_json::json!([]));
    // Not a document, not readable.
    let dir = temp_dir("bad");
    let broken = dir.join("broken.xml");
    std::fs::write(
        &broken,
        "<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">",
    )
    .unwrap();
    let out = common::run(&["indicators".as_ref(), broken.as_os_str()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("broken.xml:"), "{}", stderr(&out));
    let out = common::run(&["indicators".as_ref(), dir.join("missing.xml").as_os_str()]);
    assert_eq!(code(&out), 2);
    // A bad file among good ones: the good ones are exported, the status says the failure.
    let out = common::run(&[
        "indicators".as_ref(),
        broken.as_os_str(),
        data().join("report.xml").as_os_str(),
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), expected("expected.txt"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn every_iodef2_corpus_document_agrees_with_an_independent_extraction() {
    let dir = temp_dir("corpus");
    let mut checked = 0;
    let mut exported = 0;
    for entry in iodef_tests::corpus::iodef2_valid() {
        let out = common::run(&[
            "indicators".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            entry.file.as_os_str(),
        ]);
        let status = code(&out);
        assert!(
            status == 0 || status == 1,
            "{}: exit {status}: {}",
            entry.path,
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{}", entry.path);
        // Exit 0 exactly when something was exported.
        assert_eq!(status == 0, !out.stdout.is_empty(), "{}", entry.path);
        let jsonl = dir.join("out.jsonl");
        std::fs::write(&jsonl, &out.stdout).unwrap();
        let (ok, text) = python_check("corpus_oracle.py", &[&entry.file, &jsonl], &[]);
        assert!(ok, "{}: {text}", entry.path);
        checked += 1;
        exported += common::json_lines(&out).len();
    }
    assert!(checked >= 19, "{checked} documents");
    assert!(exported >= 30, "{exported} indicators over the corpus");
    // The authored report too.
    let out = indicators(&["--format", "json", "report.xml"]);
    let jsonl = dir.join("report.jsonl");
    std::fs::write(&jsonl, &out.stdout).unwrap();
    let (ok, text) = python_check(
        "corpus_oracle.py",
        &[&data().join("report.xml"), &jsonl],
        &[],
    );
    assert!(ok, "{text}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_whole_corpus_in_every_format_never_panics() {
    let corpus = iodef_tests::corpus::corpus_dir();
    for format in ["plain", "csv", "json", "suricata", "snort", "stix"] {
        let out = common::run(&[
            "indicators".as_ref(),
            "-r".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            corpus.as_os_str(),
        ]);
        // Some corpus files are invalid on purpose: 1; none is unreadable.
        assert_eq!(code(&out), 1, "{format}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{format}");
        assert!(!out.stdout.is_empty(), "{format}");
    }
}
