//! `iodef validate` through the real binary: exit codes (0 all valid, 1 any invalid or
//! unreadable, 2 usage), one finding per invalid file, text and JSON formats, standard input.

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

#[test]
fn valid_file_prints_nothing_and_exits_0() {
    let out = run(&["validate", &corpus_file(VALID)]);
    assert_eq!(code(&out), 0, "stdout: {}", stdout(&out));
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(&out));
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
             {r}: valid ({{urn:ietf:params:xml:ns:iodef-rid-2.0}}RID)\n"
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
    let lines: Vec<&str> = text.lines().collect();
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

/// Valid, invalid and unreadable files in one run: exit 1, one finding per invalid or
/// unreadable file, in command-line order, nothing for the valid ones; every file is still
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
    assert_eq!(code(&out), 1, "stdout: {}", stdout(&out));
    assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
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
    assert_eq!(code(&out), 1, "stdout: {}", stdout(&out));
    let lines = json_lines(&out);
    let mut files_seen: Vec<&str> = lines.iter().map(|l| l["file"].as_str().unwrap()).collect();
    files_seen.dedup();
    assert_eq!(
        files_seen,
        files.iter().map(String::as_str).collect::<Vec<_>>()
    );
    // The second file has three findings: drop two to line up with the files.
    let lines: Vec<_> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !matches!(i, 2 | 3))
        .map(|(_, l)| l.clone())
        .collect();
    let valid: Vec<bool> = lines.iter().map(|l| l["valid"] == true).collect();
    assert_eq!(valid, [true, false, false, true, false, true]);
    assert_eq!(lines[2]["kind"], "missing_attribute");
    assert_eq!(lines[4]["kind"], "io");
    assert_eq!(
        (&lines[4]["line"], &lines[4]["column"]),
        (&0.into(), &0.into())
    );
    assert_eq!(lines[4]["path"], "");
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
    assert_eq!(lines.len(), 5, "{}", stdout(&out));
    let line_files = [&files[0], &files[1], &files[1], &files[1], &files[2]];
    for (line, file) in lines.iter().zip(line_files) {
        let object = line.as_object().expect("a JSON object");
        assert_eq!(line["file"], file.as_str());
        if line.get("valid").is_some() {
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            assert_eq!(keys.len(), 4, "{line}");
            assert_eq!(line["valid"], true);
            assert_eq!(line["schema_valid"], true);
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
        lines[4]["root"],
        "{urn:ietf:params:xml:ns:iodef-1.0}IODEF-Document"
    );
}

#[test]
fn standard_input() {
    let valid = std::fs::read(corpus_file(VALID)).unwrap();
    let out = run_with_stdin(&["validate", "-"], &valid);
    assert_eq!(code(&out), 0, "stdout: {}", stdout(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());

    let out = run_with_stdin(&["validate", "--format", "json", "-"], &valid);
    assert_eq!(code(&out), 0);
    assert_eq!(
        json_lines(&out),
        [
            serde_json::json!({"file": "<stdin>", "valid": true, "schema_valid": true,
            "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document"})
        ]
    );

    let out = run_with_stdin(&["validate", "-"], &missing_role());
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let finding = parse_text_finding(text.trim_end(), "<stdin>").unwrap();
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
    assert_eq!(lines.len(), 2, "{}", stdout(&out));
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["file"], "<stdin>");
    assert_eq!(lines[1]["kind"], "missing_attribute");
}

#[test]
fn unreadable_files_are_findings_not_usage_errors() {
    let dir = env!("CARGO_MANIFEST_DIR");
    for format in ["text", "json"] {
        let out = run(&["validate", "--format", format, dir]);
        assert_eq!(code(&out), 1, "{format}: stderr: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
        assert!(stdout(&out).contains(dir), "{}", stdout(&out));
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
    for option in ["--format", "--verbose", "--max-depth", "--max-elements"] {
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
    let lines: Vec<&str> = out.lines().collect();
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
