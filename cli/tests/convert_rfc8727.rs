//! `iodef convert` between XML and RFC 8727 JSON/CBOR with the real binary: each direction,
//! input detection, `--from`, the loss report, `--fail-on-loss`, decode errors.

mod common;

use common::{code, run, run_with_stdin, stderr, stdout};

fn minimal() -> String {
    iodef_tests::corpus::corpus_dir()
        .join("rfc7970/rfc7970-7.1-minimal.xml")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn xml_to_json_reports_losses_on_stderr_and_in_a_file() {
    let report = std::env::temp_dir().join(format!("iodef-loss-{}.json", std::process::id()));
    let out = run(&[
        "convert",
        "--to",
        "json",
        "--loss-report",
        report.to_str().unwrap(),
        &minimal(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(json["Incident"][0]["IncidentID"]["id"], "492382");
    assert!(stdout(&out).ends_with("}\n"));
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[1]
        .ends_with("warning: /IODEF-Document: not carried by JSON: attribute xsi:schemaLocation"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["to"], "json");
    assert_eq!(report["losses"].as_array().unwrap().len(), 3);
    assert_eq!(report["losses"][2]["path"], "/IODEF-Document/Incident[1]");
    assert_eq!(report["losses"][2]["kind"], "dropped");
}

#[test]
fn fail_on_loss_writes_nothing() {
    let out = run(&["convert", "--to", "cbor", "--fail-on-loss", &minimal()]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("3 item(s) would be lost in CBOR (--fail-on-loss): nothing written")
    );
}

#[test]
fn cbor_and_json_detected_on_standard_input() {
    let cbor = run(&["convert", "--to", "cbor", &minimal()]).stdout;
    assert_eq!(cbor[0], 0xa3, "a map of three members");
    let xml = run_with_stdin(&["convert", "--to", "xml", "-"], &cbor);
    assert_eq!(code(&xml), 0, "{}", stderr(&xml));
    assert!(stdout(&xml).contains("<IncidentID name=\"csirt.example.com\">492382</IncidentID>"));
    let json = run_with_stdin(&["convert", "--to", "json", "--pretty", "-"], &cbor);
    assert_eq!(code(&json), 0, "{}", stderr(&json));
    assert!(stdout(&json).starts_with("{\n  \"version\": \"2.00\","));
    // JSON → CBOR gives the same bytes.
    let again = run_with_stdin(&["convert", "--to", "cbor", "-"], stdout(&json).as_bytes());
    assert_eq!(again.stdout, cbor);
}

#[test]
fn bad_json_names_the_member() {
    let out = run_with_stdin(
        &["convert", "--to", "xml", "-"],
        br#"{"version": "2.00", "Incident": [{"purpose": "bogus"}]}"#,
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out).trim(),
        "<stdin>: error: /Incident/0/purpose: \"bogus\" is not one of: traceback, mitigation, reporting, watch, other, ext-value (RFC 8727)"
    );
    // What only the whole document can show (an xs:IDREF naming no xs:ID) is checked too.
    let json = br#"{"version": "2.00", "lang": "en", "Incident": [{"purpose": "reporting",
        "IncidentID": {"id": "1", "name": "csirt.example.com"}, "GenerationTime": "2026-01-01T00:00:00Z",
        "Contact": [{"role": "creator", "type": "organization", "Email": [{"EmailTo": "a@b.c"}]}],
        "Indicator": [{"IndicatorID": {"id": "i1", "name": "csirt.example.com", "version": "1"},
                       "uid-ref": "nowhere"}]}]}"#;
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], json);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], br#"{"Incidents": []}"#);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("\"Incidents\" is not an RFC 8727 member name"),
        "{}",
        stderr(&out)
    );
    // Forcing JSON on XML input.
    let out = run(&["convert", "--from", "json", "--to", "xml", &minimal()]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("error: not RFC 8727 JSON: expected value at line 1 column 1"),
        "{}",
        stderr(&out)
    );
    // A member given twice is an error, not a silent choice of one.
    let out = run_with_stdin(
        &["convert", "--to", "xml", "-"],
        br#"{"version": "2.00", "version": "2.00", "Incident": []}"#,
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("duplicate member \"version\" at line 1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn other_roots_are_refused() {
    let v1 = iodef_tests::corpus::corpus_dir().join("rfc5070/rfc5070-7.1-worm.xml");
    let v1 = v1.to_string_lossy();
    let out = run(&["convert", "--to", "json", &v1]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("RFC 8727 carries IODEF 2.0 IODEF-Document only; the root is {urn:ietf:params:xml:ns:iodef-1.0}IODEF-Document"),
        "{}",
        stderr(&out)
    );
}

/// `iodef validate` takes RFC 8727 JSON and CBOR: read through the model, then the schema and
/// the prose rules (those about the XML encoding aside), findings by path without line:column.
#[test]
fn validate_reads_json_and_cbor() {
    let corpus = iodef_tests::corpus::corpus_dir();
    let file = |rel: &str| corpus.join(rel).to_string_lossy().into_owned();
    let out = run(&[
        "validate",
        "-v",
        &file("rfc7970/rfc7970-7.1-minimal.json"),
        &file("rfc8727/rfc8727-4.1-minimal.cbor"),
    ]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("2 files: 2 valid, 0 invalid (0 errors, 0 warnings)\n"),
        "{}",
        stdout(&out)
    );
    // What does not map is an error at its JSON pointer.
    let cbor = file("rfc8727/rfc8727-4.2-campaign-indicators.cbor");
    let out = run(&["validate", &cbor]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stdout(&out).lines().next().unwrap(),
        format!("{cbor}: error: /Incident/0/RelatedActivity/0/ThreatActor/0: ThreatActor: member URL is missing (RFC 8727)")
    );
    // A prose rule broken in JSON: reported by element path.
    let json = br#"{"version": "2.00", "Incident": [{"purpose": "reporting", "IncidentID": {"id": "1", "name": "csirt.example.com"},
        "GenerationTime": "2026-01-01T00:00:00Z", "Contact": [{"role": "creator", "type": "organization"}]}]}"#;
    let out = run_with_stdin(&["validate", "--format", "json", "-"], json);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let rules: Vec<&str> = lines.iter().filter_map(|l| l["rule"].as_str()).collect();
    // No xml:lang (§6) and a Contact with no class (§3.9); not §4.1/§4.2, which are about XML.
    assert_eq!(rules, ["RFC 7970 §6", "RFC 7970 §3.9"], "{lines:?}");
    assert!(lines
        .iter()
        .all(|l| l["line"] == 0 || l.get("line").is_none()));
}

/// Hostile input: nesting far beyond any document's is refused with a message (serde_json's
/// and ciborium's recursion limits), never a stack overflow; so is a number beyond 128 bits.
#[test]
fn hostile_json_and_cbor() {
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let out = run_with_stdin(
        &["convert", "--from", "json", "--to", "xml", "-"],
        deep_json.as_bytes(),
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("recursion limit exceeded"),
        "{}",
        stderr(&out)
    );
    let mut deep_cbor = vec![0xa1, 0x32];
    deep_cbor.extend(std::iter::repeat_n(0x81, 100_000));
    deep_cbor.push(0x01);
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], &deep_cbor);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not RFC 8727 CBOR"),
        "{}",
        stderr(&out)
    );
    // A character JSON can hold and XML 1.0 cannot: refused at its pointer, no panic.
    let control = br#"{"version": "2.00", "lang": "en", "Incident": [{"purpose": "reporting",
        "IncidentID": {"id": "1", "name": "csirt.example.com"}, "GenerationTime": "2026-01-01T00:00:00Z",
        "Contact": [{"role": "creator", "type": "organization", "Email": [{"EmailTo": "a\u0001b"}]}]}]}"#;
    for args in [&["convert", "--to", "xml", "-"][..], &["validate", "-"][..]] {
        let out = run_with_stdin(args, control);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            said.contains(
                "/Incident/0/Contact/0/Email/0/EmailTo: U+0001 cannot be carried by IODEF"
            ),
            "{said}"
        );
    }
    let big = format!(
        r#"{{"version": "2.00", "Incident": [], "private-enum-id": 1{}}}"#,
        "0".repeat(60)
    );
    let out = run_with_stdin(&["convert", "--to", "xml", "-"], big.as_bytes());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}
