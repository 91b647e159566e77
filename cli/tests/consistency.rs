//! `iodef convert` and `iodef validate` on the same condition: the same exit status and the
//! same words (convert's standard error holds exactly validate's error lines, without the
//! summary). One row per condition: missing file, unreadable file (a directory), not XML, not
//! an IODEF root, malformed XML, a DOCTYPE, schema-invalid content.

mod common;

use common::{code, run, run_with_stdin, stderr, stdout};
use std::path::PathBuf;

/// A file written for this test under the target's temporary directory.
fn temp_file(name: &str, content: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("consistency");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file.to_str().expect("UTF-8 path").to_string()
}

const VALID: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"><Email><EmailTo>c@example.com</EmailTo></Email></Contact>
  </Incident>
</IODEF-Document>
"#;

/// `(condition, file, exit status expected from both commands)`.
type Row = (&'static str, String, u8);

fn rows() -> Vec<Row> {
    vec![
        (
            "missing file",
            "no/such/dir/missing-iodef-document.xml".to_string(),
            2,
        ),
        (
            "not XML",
            temp_file("not-xml.xml", b"this is not XML at all"),
            1,
        ),
        (
            "not an IODEF root",
            temp_file(
                "foreign-root.xml",
                br#"<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>"#,
            ),
            1,
        ),
        (
            "malformed XML (truncated)",
            temp_file("truncated.xml", &VALID.as_bytes()[..VALID.len() / 2]),
            1,
        ),
        (
            "DOCTYPE",
            temp_file(
                "doctype.xml",
                VALID
                    .replacen("<IODEF-Document", "<!DOCTYPE x []>\n<IODEF-Document", 1)
                    .as_bytes(),
            ),
            1,
        ),
        (
            "schema-invalid content (two errors)",
            temp_file(
                "invalid.xml",
                VALID
                    .replacen(r#" role="creator""#, "", 1)
                    .replacen(r#"purpose="reporting""#, r#"purpose="bogus""#, 1)
                    .as_bytes(),
            ),
            1,
        ),
    ]
}

#[test]
fn convert_and_validate_say_the_same_for_each_condition() {
    let mut failures = Vec::new();
    for (condition, file, exit) in rows() {
        let converted = run(&["convert", "--to", "xml", &file]);
        let validated = run(&["validate", &file]);
        if (code(&converted), code(&validated)) != (i32::from(exit), i32::from(exit)) {
            failures.push(format!(
                "{condition}: exit convert {} validate {} (expected {exit})",
                code(&converted),
                code(&validated)
            ));
        }
        if !converted.stdout.is_empty() {
            failures.push(format!("{condition}: convert wrote output"));
        }
        // validate: the finding lines, then the summary line.
        let text = stdout(&validated);
        let mut lines: Vec<&str> = text.lines().collect();
        let summary = lines.pop().unwrap_or_default();
        if !summary.starts_with("1 file: 0 valid, 1 invalid (") {
            failures.push(format!("{condition}: validate summary {summary:?}"));
        }
        let err = stderr(&converted);
        let said: Vec<&str> = err.lines().collect();
        if said.is_empty() || said != lines {
            failures.push(format!(
                "{condition}:\n  convert:  {said:?}\n  validate: {lines:?}"
            ));
        }
        if lines.iter().any(|l| !l.starts_with(file.as_str())) {
            failures.push(format!(
                "{condition}: a line does not name the file: {lines:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A directory without `-r` is a usage error for both, in the same words.
#[test]
fn a_directory_without_recursive_is_the_same_usage_error() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("consistency-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let dir = dir.to_str().unwrap();
    let converted = run(&["convert", "--to", "xml", dir]);
    let validated = run(&["validate", dir]);
    assert_eq!((code(&converted), code(&validated)), (2, 2));
    let expected = format!("iodef: {dir}: is a directory (use -r to read the documents in it)\n");
    assert_eq!(stderr(&converted), expected);
    assert_eq!(stderr(&validated), expected);
    assert!(converted.stdout.is_empty() && validated.stdout.is_empty());
}

/// The same through standard input (named `<stdin>` by both).
#[test]
fn convert_and_validate_say_the_same_on_standard_input() {
    for input in [
        &b""[..],
        b"<IODEF-Document",
        br#"<?xml version="1.0"?><Envelope xmlns="urn:example"/>"#,
    ] {
        let converted = run_with_stdin(&["convert", "--to", "xml", "-"], input);
        let validated = run_with_stdin(&["validate", "-"], input);
        assert_eq!((code(&converted), code(&validated)), (1, 1), "{input:?}");
        let text = stdout(&validated);
        let mut lines: Vec<&str> = text.lines().collect();
        lines.pop(); // the summary
        assert!(!lines.is_empty(), "{input:?}: {text}");
        assert_eq!(
            stderr(&converted).lines().collect::<Vec<_>>(),
            lines,
            "{input:?}"
        );
        assert!(lines.iter().all(|l| l.starts_with("<stdin>:")), "{lines:?}");
    }
}

/// A valid document: convert writes it (exit 0, nothing on stderr); validate accepts it.
#[test]
fn a_valid_document_passes_both() {
    let file = temp_file("valid.xml", VALID.as_bytes());
    let converted = run(&["convert", "--to", "xml", &file]);
    assert_eq!(code(&converted), 0, "{}", stderr(&converted));
    assert!(converted.stderr.is_empty());
    let validated = run(&["validate", &file]);
    assert_eq!(code(&validated), 0, "{}", stdout(&validated));
}
