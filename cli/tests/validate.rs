//! `iodef validate` through the real binary: exit codes (0 all valid, 1 any invalid, 2 any
//! unreadable or usage), one finding per problem and a summary line (text) or one record per
//! file (JSON), standard input, `--rules`.

mod common;

use common::{code, json_lines, parse_text_finding, run, run_with_stdin, stderr, stdout};
use std::path::PathBuf;

const VALID: &str = "rfc7970/rfc7970-7.1-minimal.xml";
const INVALID: &str = "rfc7970/rfc7970-7.2-campaign-indicators.xml";
const IODEF1: &str = "rfc5070/rfc5070-7.1-worm.xml";
const RID: &str = "rfc6545/rfc6545-7.1.2-acknowledgement.xml";

fn corpus_file(rel: &str) -> String {
    iodef_tests::corpus::corpus_dir()
        .join(rel)
        .to_str()
        .expect("UTF-8 path")
        .to_string()
}

/// A file written for this test under the target's temporary directory.
fn temp_file(name: &str, content: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("validate");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file.to_str().expect("UTF-8 path").to_string()
}

/// RFC 7970 §7.1 without the required `role` of its Contact.
fn missing_role() -> Vec<u8> {
    std::fs::read_to_string(corpus_file(VALID))
        .unwrap()
        .replacen(r#" role="creator""#, "", 1)
        .into_bytes()
}

/// Text output: the finding lines, and the summary line that ends it.
fn findings_and_summary(text: &str) -> (Vec<&str>, &str) {
    let mut lines: Vec<&str> = text.lines().collect();
    let summary = lines.pop().expect("a summary line");
    (lines, summary)
}

#[test]
fn valid_file_prints_only_the_summary_and_exits_0() {
    let out = run(&["validate", &corpus_file(VALID)]);
    assert_eq!(code(&out), 0, "stdout: {}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "1 file: 1 valid, 0 invalid (0 errors, 0 warnings)\n"
    );
    assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
}

#[test]
fn verbose_names_each_valid_file_and_its_root() {
    let (v, r) = (corpus_file(VALID), corpus_file(RID));
    let out = run(&["validate", "--verbose", &v, &r]);
    assert_eq!(code(&out), 0, "stdout: {}", stdout(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{v}: valid ({{urn:ietf:params:xml:ns:iodef-2.0}}IODEF-Document)\n\
             {r}: valid ({{urn:ietf:params:xml:ns:iodef-rid-2.0}}RID)\n\
             2 files: 2 valid, 0 invalid (0 errors, 0 warnings)\n"
        )
    );
}

#[test]
fn invalid_file_exits_1_with_a_located_finding() {
    let file = corpus_file(INVALID);
    let out = run(&["validate", &file]);
    assert_eq!(code(&out), 1, "stdout: {}", stdout(&out));
    assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let (lines, summary) = findings_and_summary(&text);
    assert_eq!(summary, "1 file: 0 valid, 1 invalid (3 errors, 0 warnings)");
    // Every error is collected, in document order (xmlschema reports the first).
    assert_eq!(lines.len(), 3, "{text}");
    let findings: Vec<_> = lines
        .iter()
        .map(|l| parse_text_finding(l, &file).unwrap())
        .collect();
    let thread = "/IODEF-Document/Incident[1]/RelatedActivity[1]/ThreatActor[1]";
    assert_eq!((findings[0].line, findings[0].column), (16, 11), "{text}");
    assert_eq!(findings[0].path, format!("{thread}/Description[1]"));
    assert_eq!(
        findings[0].message,
        "unexpected element {urn:ietf:params:xml:ns:iodef-2.0}Description; expected \
         ThreatActorID or URL"
    );
    assert_eq!((findings[1].line, findings[1].column), (17, 9), "{text}");
    assert_eq!(findings[1].path, thread);
    assert_eq!(
        findings[1].message,
        "missing required element in ThreatActor: expected ThreatActorID or URL"
    );
    assert_eq!((findings[2].line, findings[2].column), (45, 29), "{text}");
    assert!(
        findings[2]
            .message
            .starts_with("invalid value \"fqdn\" for attribute type"),
        "{text}"
    );
}

/// Valid, invalid and unreadable files in one run: exit 2 (a file could not be read), one
/// finding per problem, in command-line order, nothing for the valid ones; every file is still
/// checked after the first failure.
#[test]
fn several_files_mixing_valid_and_invalid() {
    let bad = temp_file("missing-role.xml", &missing_role());
    let missing = "no/such/dir/missing-iodef-document.xml".to_string();
    let files = [
        corpus_file(VALID),
        corpus_file(INVALID),
        bad.clone(),
        corpus_file(IODEF1),
        missing.clone(),
        corpus_file(RID),
    ];
    let mut args = vec!["validate".to_string()];
    args.extend(files.iter().cloned());
    let out = run(&args);
    assert_eq!(code(&out), 2, "stdout: {}", stdout(&out));
    assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let (lines, summary) = findings_and_summary(&text);
    assert_eq!(
        summary,
        "6 files: 3 valid, 3 invalid (5 errors, 0 warnings)"
    );
    // Three findings for the corpus file, one for the other invalid one, one for the unreadable.
    assert_eq!(lines.len(), 5, "one line per finding:\n{text}");
    for line in &lines[..3] {
        parse_text_finding(line, &files[1]).unwrap();
    }
    let lines = &lines[2..];
    let finding = parse_text_finding(lines[1], &bad).unwrap();
    assert_eq!(finding.path, "/IODEF-Document/Incident[1]/Contact[1]");
    assert_eq!(
        finding.message,
        "missing required attribute role on Contact"
    );
    // Unreadable: no position, no path.
    assert!(
        lines[2].starts_with(&format!("{missing}: error: cannot read: ")),
        "{}",
        lines[2]
    );

    // The same run in JSON: every file appears, in order.
    let mut json_args = vec!["validate".to_string(), "--format=json".to_string()];
    json_args.extend(files.iter().cloned());
    let out = run(&json_args);
    assert_eq!(code(&out), 2, "stdout: {}", stdout(&out));
    let lines = json_lines(&out);
    let mut files_seen: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    files_seen.dedup();
    assert_eq!(
        files_seen,
        files.iter().map(String::as_str).collect::<Vec<_>>()
    );
    // One record per file, valid or not, in order.
    let records: Vec<_> = lines.iter().filter(|l| l.get("valid").is_some()).collect();
    let valid: Vec<bool> = records.iter().map(|l| l["valid"] == true).collect();
    assert_eq!(valid, [true, false, false, true, false, true]);
    let errors: Vec<u64> = records
        .iter()
        .map(|l| l["errors"].as_u64().unwrap())
        .collect();
    assert_eq!(errors, [0, 3, 1, 0, 1, 0]);
    assert_eq!(records[4]["root"], serde_json::Value::Null);
    let findings: Vec<_> = lines.iter().filter(|l| l.get("kind").is_some()).collect();
    assert_eq!(findings[3]["kind"], "missing_attribute");
    assert_eq!(findings[4]["kind"], "io");
    assert_eq!(
        (&findings[4]["line"], &findings[4]["column"]),
        (&0.into(), &0.into())
    );
    assert_eq!(findings[4]["path"], "");
}

/// Every JSON line is an object with the documented fields and types.
#[test]
fn json_lines_have_the_documented_fields() {
    let files = [
        corpus_file(VALID),
        corpus_file(INVALID),
        corpus_file(IODEF1),
    ];
    let out = run(&[
        "validate", "--format", "json", &files[0], &files[1], &files[2],
    ]);
    assert_eq!(code(&out), 1, "stdout: {}", stdout(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 6, "{}", stdout(&out));
    let line_files = [
        &files[0], &files[1], &files[1], &files[1], &files[1], &files[2],
    ];
    for (line, file) in lines.iter().zip(line_files) {
        let object = line.as_object().expect("a JSON object");
        assert_eq!(line["file"], file.as_str());
        if line.get("valid").is_some() {
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "errors",
                    "file",
                    "root",
                    "rules_valid",
                    "schema_valid",
                    "valid",
                    "warnings"
                ],
                "{line}"
            );
            let valid = line["valid"].as_bool().unwrap();
            assert_eq!(line["schema_valid"], valid);
            assert_eq!(
                line["rules_valid"],
                if valid {
                    true.into()
                } else {
                    serde_json::Value::Null
                }
            );
            assert_eq!(line["errors"], if valid { 0 } else { 3 });
            assert_eq!(line["warnings"], 0);
            let root = line["root"].as_str().unwrap();
            assert!(root.starts_with("{urn:ietf:params:xml:ns:iodef-"), "{root}");
            assert!(root.ends_with("}IODEF-Document"), "{root}");
        } else {
            assert_eq!(object.len(), 8, "{line}");
            assert_eq!(line["rule"], "XSD");
            assert_eq!(line["severity"], "error");
            for key in ["line", "column"] {
                assert!(line[key].as_u64().is_some_and(|n| n > 0), "{line}");
            }
            for key in ["path", "kind", "message"] {
                assert!(line[key].as_str().is_some_and(|s| !s.is_empty()), "{line}");
            }
        }
    }
    assert_eq!(lines[1]["line"], 16);
    assert_eq!(lines[1]["column"], 11);
    assert_eq!(lines[1]["kind"], "unexpected_element");
    assert_eq!(
        lines[2]["path"],
        "/IODEF-Document/Incident[1]/RelatedActivity[1]/ThreatActor[1]"
    );
    assert_eq!(lines[2]["kind"], "missing_element");
    assert_eq!(
        lines[5]["root"],
        "{urn:ietf:params:xml:ns:iodef-1.0}IODEF-Document"
    );
}

#[test]
fn standard_input() {
    let valid = std::fs::read(corpus_file(VALID)).unwrap();
    let out = run_with_stdin(&["validate", "-"], &valid);
    assert_eq!(code(&out), 0, "stdout: {}", stdout(&out));
    assert!(out.stderr.is_empty());

    let out = run_with_stdin(&["validate", "--format", "json", "-"], &valid);
    assert_eq!(code(&out), 0);
    assert_eq!(
        json_lines(&out),
        [serde_json::json!({"file": "<stdin>",
            "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document", "schema_valid": true,
            "rules_valid": true, "valid": true, "errors": 0, "warnings": 0})]
    );

    let out = run_with_stdin(&["validate", "-"], &missing_role());
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let (lines, _) = findings_and_summary(&text);
    let finding = parse_text_finding(lines[0], "<stdin>").unwrap();
    assert_eq!(
        finding.message,
        "missing required attribute role on Contact"
    );

    // `-` among named files.
    let rid = corpus_file(RID);
    let out = run_with_stdin(
        &["validate", "--format", "json", &rid, "-"],
        &missing_role(),
    );
    assert_eq!(code(&out), 1);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "{}", stdout(&out));
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["file"], "<stdin>");
    assert_eq!(lines[1]["kind"], "missing_attribute");
    assert_eq!(lines[2]["valid"], false);
}

/// An unreadable file is a finding (and a record) and exit 2, as for `convert`.
#[test]
fn unreadable_files_are_findings_and_exit_2() {
    // (A directory is a usage error instead: see `-r`, cli/tests/bulk.rs.)
    let missing = concat!(env!("CARGO_MANIFEST_DIR"), "/no-such-document.xml");
    for format in ["text", "json"] {
        let out = run(&["validate", "--format", format, missing]);
        assert_eq!(code(&out), 2, "{format}: stderr: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
        assert!(stdout(&out).contains(missing), "{}", stdout(&out));
    }
}

#[test]
fn usage_errors_exit_2() {
    let valid = corpus_file(VALID);
    for args in [
        vec!["validate"],
        vec!["validate", "--format", "yaml", &valid],
        vec!["validate", "--bogus", &valid],
        vec!["validate", "--max-depth", "0", &valid],
        vec!["validate", "--max-elements", "many", &valid],
        vec!["validate", "-", &valid, "-"],
    ] {
        let out = run(&args);
        assert_eq!(code(&out), 2, "{args:?}: stderr: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout(&out));
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let out = run(&["validate", "-", "-"]);
    assert!(stderr(&out).contains("at most once"), "{}", stderr(&out));
}

#[test]
fn help_lists_validate() {
    let out = run(&["--help"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("validate"), "{}", stdout(&out));
    let out = run(&["validate", "--help"]);
    assert_eq!(code(&out), 0);
    for option in [
        "--format",
        "--verbose",
        "--rules",
        "--max-depth",
        "--max-elements",
    ] {
        assert!(stdout(&out).contains(option), "{option}: {}", stdout(&out));
    }
}

/// `--lenient`: unknown content in an otherwise valid document is a warning (exit 0); without
/// it, an error (exit 1). Known content out of place stays an error.
#[test]
fn lenient_reports_unknown_content_as_warnings() {
    let text = std::fs::read_to_string(corpus_file(VALID)).unwrap();
    let with_unknown = text.replacen(
        "<GenerationTime>",
        "<Sighting count=\"3\"/>\n    <GenerationTime>",
        1,
    );
    assert_ne!(with_unknown, text, "the corpus document changed");
    let file = temp_file("lenient-unknown.xml", with_unknown.as_bytes());

    let strict = run(&["validate", &file]);
    assert_eq!(code(&strict), 1, "{}", stdout(&strict));
    assert!(stdout(&strict).contains(": error: "), "{}", stdout(&strict));

    let lenient = run(&["validate", "--lenient", &file]);
    assert_eq!(code(&lenient), 0, "{}", stdout(&lenient));
    let out = stdout(&lenient);
    let (lines, summary) = findings_and_summary(&out);
    assert_eq!(summary, "1 file: 1 valid, 0 invalid (0 errors, 1 warning)");
    assert_eq!(lines.len(), 1, "{out}");
    assert!(lines[0].contains(": warning: "), "{out}");
    assert!(lines[0].contains("/Sighting[1]"), "{out}");
    assert!(lines[0].contains("kept aside: lenient"), "{out}");

    let json = run(&["validate", "--lenient", "--format", "json", &file]);
    let objects = json_lines(&json);
    assert_eq!(objects[0]["severity"], "warning");
    assert_eq!(objects[0]["kind"], "unknown_content");
    assert_eq!(objects[1]["valid"], true);

    // A second GenerationTime is known content in the wrong place: an error even when lenient.
    let twice = text.replacen(
        "</GenerationTime>",
        "</GenerationTime><GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>",
        1,
    );
    let file = temp_file("lenient-twice.xml", twice.as_bytes());
    assert_eq!(code(&run(&["validate", "--lenient", &file])), 1);
}

/// `--rules`: RFC 7970 §4.2 and §6 are errors by default; `warn` makes every prose finding a
/// warning and `off` skips the rules, so that the verdict is the schema's.
#[test]
fn rules_level_chooses_what_prose_findings_count_for() {
    // RFC 8274 B.4 is schema-valid but has neither xsi:schemaLocation nor xml:lang.
    let file = corpus_file("rfc8274/rfc8274-B.4-malware.xml");
    let out = run(&["validate", &file]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    let (lines, summary) = findings_and_summary(&text);
    assert_eq!(summary, "1 file: 0 valid, 1 invalid (2 errors, 0 warnings)");
    assert!(lines[0].ends_with("(RFC 7970 §4.2)"), "{text}");
    assert!(lines[1].ends_with("(RFC 7970 §6)"), "{text}");

    let out = run(&["validate", "--rules", "warn", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    let (warned, summary) = findings_and_summary(&text);
    assert_eq!(summary, "1 file: 1 valid, 0 invalid (0 errors, 2 warnings)");
    assert_eq!(
        warned,
        lines
            .iter()
            .map(|l| l.replacen(": error: ", ": warning: ", 1))
            .collect::<Vec<_>>()
    );
    let out = run(&["validate", "--rules", "warn", "--format", "json", &file]);
    let record = json_lines(&out).pop().unwrap();
    assert_eq!(
        (
            &record["valid"],
            &record["rules_valid"],
            &record["warnings"]
        ),
        (&true.into(), &false.into(), &2.into())
    );

    let out = run(&["validate", "--rules", "off", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "1 file: 1 valid, 0 invalid (0 errors, 0 warnings)\n"
    );
    let out = run(&["validate", "--rules", "off", "--format", "json", &file]);
    assert_eq!(
        json_lines(&out).pop().unwrap()["rules_valid"],
        serde_json::Value::Null
    );

    // A schema error stays an error whatever --rules says.
    let bad = temp_file("rules-level-missing-role.xml", &missing_role());
    for level in ["error", "warn", "off"] {
        assert_eq!(
            code(&run(&["validate", "--rules", level, &bad])),
            1,
            "{level}"
        );
    }
}
