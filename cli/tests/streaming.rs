//! Streaming with the real binary: `iodef validate` reads an IODEF-Document in parts — a
//! 300 MB document validates under a virtual-memory limit that whole-document reading cannot
//! live with — and says exactly what whole-document reading says (`IODEF_WHOLE=1`) on valid
//! and invalid documents, errors and prose-rule findings spread over many parts included.

mod common;

use iodef_tests::mutate::replace_at;
use std::path::Path;
use std::process::Command;

use common::{code, stdout};

fn validate(file: &Path, whole: bool) -> std::process::Output {
    let mut cmd = common::iodef();
    cmd.args(["validate", "--format", "json"]).arg(file);
    if whole {
        cmd.env("IODEF_WHOLE", "1");
    }
    cmd.output().expect("run iodef")
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("iodef-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_300_mb_document_validates_under_a_memory_limit() {
    let bulk = iodef_tests::bulk::build(300_000_000).unwrap();
    let file = temp_file("300mb.xml", &bulk.xml);
    let built = bulk.incidents;
    drop(bulk);
    // 256 MiB of address space: less than the document itself.
    let limited = |whole: bool| {
        let mut cmd = Command::new("bash");
        cmd.arg("-c")
            .arg(r#"ulimit -v 262144 && exec "$0" validate -q "$1""#)
            .arg(env!("CARGO_BIN_EXE_iodef"))
            .arg(&file);
        if whole {
            cmd.env("IODEF_WHOLE", "1");
        }
        cmd.output().expect("run bash")
    };
    let streamed = limited(false);
    assert_eq!(
        streamed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&streamed.stderr)
    );
    // The limit is real: reading the document whole does not fit in it.
    assert!(!limited(true).status.success());
    // Converting it too (written as it is read): every Incident, a valid document.
    let out = file.with_extension("out.xml");
    let converted = Command::new("bash")
        .arg("-c")
        .arg(r#"ulimit -v 262144 && exec "$0" convert --to xml -o "$2" "$1""#)
        .arg(env!("CARGO_BIN_EXE_iodef"))
        .arg(&file)
        .arg(&out)
        .output()
        .expect("run bash");
    assert_eq!(
        converted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&converted.stderr)
    );
    let written = std::fs::read(&out).unwrap();
    // (The writer puts IODEF in the default namespace.)
    let incidents = written.windows(11).filter(|w| w == b"</Incident>").count();
    assert_eq!(incidents, built);
    drop(written);
    assert_eq!(code(&validate(&out, false)), 0, "the output is valid");
    std::fs::remove_file(&out).unwrap();
    std::fs::remove_file(&file).unwrap();
}

#[test]
fn streamed_conversion_writes_what_whole_conversion_writes() {
    let bulk = iodef_tests::bulk::build(5 << 20).unwrap();
    let with_comments = String::from_utf8(bulk.xml)
        .unwrap()
        .replacen("<Incident ", "<!-- first --><Incident ", 1)
        .replace(
            "</IODEF-Document>",
            "<!-- last --></IODEF-Document>\n<!-- epilog -->",
        );
    let xml = replace_at(
        &with_comments,
        "</Incident>",
        "</Incident><?pi in the middle?>",
        0.5,
    );
    let file = temp_file("convert.xml", xml.as_bytes());
    for args in [
        &["--to", "xml"][..],
        &["--to", "xml", "--encoding", "UTF-16"],
        &["--to", "xml", "--drop-comments"],
    ] {
        let run = |whole: bool| {
            let mut cmd = common::iodef();
            cmd.arg("convert").args(args).arg(&file);
            if whole {
                cmd.env("IODEF_WHOLE", "1");
            }
            cmd.output().expect("run iodef")
        };
        let (streamed, whole) = (run(false), run(true));
        assert_eq!(code(&streamed), 0, "{}", common::stderr(&streamed));
        assert!(streamed.stdout == whole.stdout, "{args:?}: outputs differ");
        assert_eq!(streamed.stderr, whole.stderr, "{args:?}");
    }
    // Standard input; an invalid document: every error, in validate's words, nothing written.
    let bad = replace_at(&xml, "purpose=\"", "purpose=\"x", 0.3);
    let bad = replace_at(&bad, "purpose=\"", "purpose=\"y", 0.9);
    let out = common::run_with_stdin(&["convert", "--to", "xml", "-"], bad.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        common::stderr(&out).lines().count(),
        2,
        "{}",
        common::stderr(&out)
    );
    assert!(
        common::stderr(&out).starts_with("<stdin>:"),
        "{}",
        common::stderr(&out)
    );
    let target = file.with_extension("bad.xml");
    let bad_file = temp_file("bad-input.xml", bad.as_bytes());
    let out = common::run(&[
        "convert".as_ref(),
        "--to".as_ref(),
        "xml".as_ref(),
        "-o".as_ref(),
        target.as_os_str(),
        bad_file.as_os_str(),
    ]);
    assert_eq!(code(&out), 1);
    assert!(!target.exists(), "no output file for an invalid document");
    std::fs::remove_file(&file).unwrap();
    std::fs::remove_file(&bad_file).unwrap();
}

#[test]
fn streamed_validation_says_what_whole_validation_says() {
    let bulk = iodef_tests::bulk::build(3 << 20).unwrap();
    let xml = String::from_utf8(bulk.xml).unwrap();
    let ids: Vec<String> = xml
        .match_indices("observable-id=\"")
        .map(|(at, m)| {
            let rest = &xml[at + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    let first_incident_id = {
        let at = xml.find("<IncidentID").unwrap();
        let end = at + xml[at..].find("</IncidentID>").unwrap();
        xml[at..end].to_string()
    };
    let mut schema_errors = replace_at(&xml, "purpose=\"", "purpose=\"nonsense-", 0.2);
    schema_errors = replace_at(
        &schema_errors,
        "<GenerationTime>",
        "<Bogus/><GenerationTime>",
        0.5,
    );
    schema_errors = replace_at(&schema_errors, "uid-ref=\"", "uid-ref=\"nowhere-", 0.7);
    schema_errors = schema_errors.replacen(
        &format!("observable-id=\"{}\"", ids[ids.len() - 1]),
        &format!("observable-id=\"{}\"", ids[0]),
        1,
    );
    // Schema-valid, but the last Incident reuses the first one's IncidentID (RFC 7970 §3.4)
    // and one Contact in the middle has no children (§3.9).
    let last_incident_id = xml.rfind("<IncidentID").unwrap();
    let end = last_incident_id + xml[last_incident_id..].find("</IncidentID>").unwrap();
    let mut rule_findings = format!(
        "{}{first_incident_id}{}",
        &xml[..last_incident_id],
        &xml[end..]
    );
    rule_findings = replace_at(
        &rule_findings,
        "<Contact type=\"organization\" role=\"creator\">",
        "<Contact type=\"organization\" role=\"creator\"/><Contact type=\"organization\" role=\"creator\">",
        0.6,
    );
    let cases = [
        ("valid.xml", xml.clone(), 0),
        ("schema-errors.xml", schema_errors, 1),
        ("rule-findings.xml", rule_findings, 1),
        ("truncated.xml", xml[..xml.len() / 2].to_string(), 1),
    ];
    for (name, text, expected) in cases {
        let file = temp_file(name, text.as_bytes());
        let streamed = validate(&file, false);
        let whole = validate(&file, true);
        assert_eq!(code(&streamed), expected, "{name}: {}", stdout(&streamed));
        assert_eq!(stdout(&streamed), stdout(&whole), "{name}");
        if name == "schema-errors.xml" {
            assert!(
                stdout(&streamed).lines().count() >= 4,
                "{}",
                stdout(&streamed)
            );
        }
        if name == "rule-findings.xml" {
            assert!(stdout(&streamed).contains("§3.4"), "{}", stdout(&streamed));
        }
        std::fs::remove_file(&file).unwrap();
    }
}
