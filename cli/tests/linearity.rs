//! Every CLI command costs linear work in its input, proved without a clock: the real `iodef`
//! binary runs under `valgrind --tool=callgrind`, which counts executed instructions (the same
//! count on a busy or an idle machine), on inputs of sizes n, 2n and 4n of one shape. For linear
//! work the increments I(4n) − I(2n) and I(2n) − I(n) stand in the ratio 2 (start-up costs
//! cancel out); a quadratic term drives it towards 4. The test fails above 2.2.
//!
//! This is what would have caught the quadratic prose-rule pass (a line:column computed per
//! start tag by rescanning from byte 0): at 1 MB it made the ratio ≈ 4.
//!
//! Needs valgrind (`bash .ci/run` installs it); `IODEF_SKIP_VALGRIND=1` skips, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Smallest input (bytes); the others are 2× and 4× as large.
const BASE: usize = 256 * 1024;
/// Linear work gives 2.0; quadratic work tends to 4.0.
const MAX_RATIO: f64 = 2.2;

fn valgrind_available() -> bool {
    if std::env::var("IODEF_SKIP_VALGRIND").is_ok_and(|v| v == "1") {
        eprintln!("IODEF_SKIP_VALGRIND=1: linearity not checked");
        return false;
    }
    let found = Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "valgrind not found: apt-get install valgrind (or IODEF_SKIP_VALGRIND=1 to skip)"
    );
    true
}

/// Instructions executed by `iodef ARGS FILE`, with the exit code it must give.
fn instructions(args: &[&str], file: &Path, expected_code: i32) -> u64 {
    let out = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(env!("CARGO_BIN_EXE_iodef"))
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .expect("run valgrind");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(expected_code),
        "iodef {} {}: {stderr}",
        args.join(" "),
        file.display()
    );
    stderr
        .lines()
        .find_map(|l| {
            l.split_once("Collected :")
                .map(|(_, n)| n.trim().parse().ok())
        })
        .flatten()
        .unwrap_or_else(|| panic!("no instruction count from callgrind: {stderr}"))
}

/// Runs each command on the shape at sizes n, 2n, 4n and checks the increments' ratio.
fn check_linear(shape: &str, build: fn(usize) -> Vec<u8>, commands: &[(&[&str], i32)]) {
    if !valgrind_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("iodef-linearity-{}-{shape}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<(PathBuf, usize)> = [1, 2, 4]
        .iter()
        .map(|k| {
            let doc = build(BASE * k);
            let path = dir.join(format!("{shape}-{k}.xml"));
            std::fs::write(&path, &doc).unwrap();
            (path, doc.len())
        })
        .collect();
    let mut failures = Vec::new();
    for (args, code) in commands {
        let counts: Vec<u64> = files
            .iter()
            .map(|(file, _)| instructions(args, file, *code))
            .collect();
        let d1 = counts[1].saturating_sub(counts[0]) as f64;
        let d2 = counts[2].saturating_sub(counts[1]) as f64;
        let ratio = d2 / d1.max(1.0);
        let per_byte = d2 / (files[2].1 - files[1].1) as f64;
        eprintln!(
            "{shape}: iodef {}: {} instructions at {}/{}/{} bytes; increments ratio {ratio:.2}; \
             {per_byte:.0} instructions per byte",
            args.join(" "),
            counts
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join("/"),
            files[0].1,
            files[1].1,
            files[2].1,
        );
        if ratio.is_nan() || ratio > MAX_RATIO {
            failures.push(format!(
                "iodef {} on {shape}: increments ratio {ratio:.2} > {MAX_RATIO} (counts {counts:?})",
                args.join(" ")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "super-linear work:\n{}",
        failures.join("\n")
    );
}

/// Schema-valid, rule-conforming bulk IODEF 2.0 (corpus Incidents with unique IDs).
fn bulk(bytes: usize) -> Vec<u8> {
    iodef_tests::bulk::build(bytes).expect("bulk document").xml
}

/// The bulk document in RFC 8727 JSON.
fn bulk_json(bytes: usize) -> Vec<u8> {
    let doc = iodef::read(&bulk(bytes)).expect("bulk document");
    iodef::rfc8727::to_json(&doc, false)
        .expect("IODEF 2.0")
        .0
        .into_bytes()
}

/// The bulk document in RFC 8727 CBOR.
fn bulk_cbor(bytes: usize) -> Vec<u8> {
    let doc = iodef::read(&bulk(bytes)).expect("bulk document");
    iodef::rfc8727::to_cbor(&doc).expect("IODEF 2.0").0
}

const IODEF2_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">
"#;

/// Elements in the IODEF namespace that no content model knows, each with its own name:
/// per-name bookkeeping (sibling counts, paths of kept content) must stay O(1) per element.
fn distinct_unknown_names(bytes: usize) -> Vec<u8> {
    let mut doc = String::from(IODEF2_HEAD);
    doc.push_str(
        r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
"#,
    );
    let mut i = 0;
    while doc.len() < bytes {
        doc.push_str(&format!("<Unknown-{i} a=\"{i}\">text {i}</Unknown-{i}>\n"));
        i += 1;
    }
    doc.push_str(
        r#"<Contact role="creator" type="organization"><Email><EmailTo>a@example.com</EmailTo></Email></Contact>
</Incident></IODEF-Document>
"#,
    );
    doc.into_bytes()
}

/// One huge text node (a Description): text is accumulated, checked and written in linear time.
fn long_text(bytes: usize) -> Vec<u8> {
    let mut doc = String::from(IODEF2_HEAD);
    doc.push_str(
        r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime><Description>"#,
    );
    let line = "Long text &amp; entities &lt;escaped&gt; déjà vu \u{1F600}\n";
    while doc.len() < bytes {
        doc.push_str(line);
    }
    doc.push_str(
        r#"</Description><Contact role="creator" type="organization"><Email><EmailTo>a@example.com</EmailTo></Email></Contact>
</Incident></IODEF-Document>
"#,
    );
    doc.into_bytes()
}

/// Every Incident has a schema error (an unknown `purpose`), about one per 2 KB so that even the
/// largest size stays under the 1,000-error cap: every error is collected and located.
fn many_errors(bytes: usize) -> Vec<u8> {
    let mut doc = String::from(IODEF2_HEAD);
    let mut i = 0;
    while doc.len() < bytes {
        doc.push_str(&format!(
            r#"<Incident purpose="not-a-purpose"><IncidentID name="csirt.example.com">{i}</IncidentID>
<Description>{}</Description><GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
<Contact role="creator" type="organization"/></Incident>
"#,
            "padding ".repeat(240)
        ));
        i += 1;
    }
    doc.push_str("</IODEF-Document>\n");
    doc.into_bytes()
}

/// Schema-valid, but every Incident breaks a prose rule (an empty Contact, RFC 7970 §3.9): the
/// rules run over the typed value, then one scan of the input locates every finding.
fn a_rule_finding_everywhere(bytes: usize) -> Vec<u8> {
    let mut doc = String::from(IODEF2_HEAD);
    let mut i = 0;
    while doc.len() < bytes {
        doc.push_str(&format!(
            r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">{i}</IncidentID>
<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime><Description>{}</Description>
<Contact role="creator" type="organization"/></Incident>
"#,
            "padding ".repeat(240)
        ));
        i += 1;
    }
    doc.push_str("</IODEF-Document>\n");
    doc.into_bytes()
}

#[test]
fn a_rule_finding_in_every_incident() {
    check_linear(
        "rule-findings",
        a_rule_finding_everywhere,
        &[
            (&["validate"], 1),
            (&["validate", "--rules", "warn", "--format", "json"], 0),
            (&["validate", "--lenient"], 1),
        ],
    );
}

#[test]
fn bulk_documents() {
    check_linear(
        "bulk",
        bulk,
        &[
            (&["convert", "--to", "xml"], 0),
            (&["convert", "--lenient", "--to", "xml"], 0),
            (&["validate"], 0),
            (&["validate", "--format", "json"], 0),
            (&["convert", "--to", "json"], 0),
            (&["convert", "--to", "cbor"], 0),
        ],
    );
}

#[test]
fn unknown_elements_with_distinct_names() {
    check_linear(
        "unknown-names",
        distinct_unknown_names,
        &[
            (&["convert", "--lenient", "--to", "xml"], 0),
            (&["validate", "--lenient"], 0),
            (&["validate"], 1),
            (&["convert", "--to", "xml"], 1),
        ],
    );
}

#[test]
fn one_long_text() {
    check_linear(
        "long-text",
        long_text,
        &[(&["convert", "--to", "xml"], 0), (&["validate"], 0)],
    );
}

#[test]
fn an_error_in_every_incident() {
    check_linear(
        "many-errors",
        many_errors,
        &[(&["validate"], 1), (&["validate", "--format", "json"], 1)],
    );
}

#[test]
fn bulk_json_documents() {
    check_linear(
        "bulk-json",
        bulk_json,
        &[
            (&["convert", "--to", "xml"], 0),
            (&["convert", "--to", "cbor"], 0),
            (&["validate"], 0),
        ],
    );
    check_linear(
        "bulk-cbor",
        bulk_cbor,
        &[(&["convert", "--to", "json"], 0), (&["validate"], 0)],
    );
}

/// Small Incidents under a root start tag of 200 namespace declarations (about 16 KB): each
/// part of a streamed document is read under that start tag, so parts must grow with it.
fn tiny_incidents_under_a_large_root_tag(bytes: usize) -> Vec<u8> {
    let decls: String = (0..200)
        .map(|i| format!(" xmlns:p{i}=\"urn:example:namespace:{i:0>50}\""))
        .collect();
    let mut doc = IODEF2_HEAD.replace("<IODEF-Document ", &format!("<IODEF-Document{decls} "));
    let mut i = 0;
    while doc.len() < bytes {
        doc.push_str(&format!(
            r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">{i}</IncidentID><GenerationTime>2015-07-18T09:00:00Z</GenerationTime><Contact role="creator" type="organization"><Email><EmailTo>a@b.example</EmailTo></Email></Contact></Incident>
"#
        ));
        i += 1;
    }
    doc.push_str("</IODEF-Document>\n");
    doc.into_bytes()
}

#[test]
fn tiny_incidents_streamed_under_a_large_root_tag() {
    check_linear(
        "tiny-incidents",
        tiny_incidents_under_a_large_root_tag,
        &[(&["validate"], 0), (&["convert", "--to", "xml"], 0)],
    );
}

/// An mbox file of many messages, each with a small IODEF attachment (base64).
fn mbox_of_reports(bytes: usize) -> Vec<u8> {
    use base64::Engine as _;
    let report = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"><Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID><GenerationTime>2015-07-18T09:00:00Z</GenerationTime><Contact role="creator" type="organization"><Email><EmailTo>a@b.example</EmailTo></Email></Contact></Incident></IODEF-Document>
"#;
    let encoded = base64::engine::general_purpose::STANDARD.encode(report);
    let mut mbox = String::new();
    let mut i = 0;
    while mbox.len() < bytes {
        mbox.push_str(&format!(
            "From sender@example.com Mon Dec  7 12:00:00 2026\r\nFrom: sender@example.com\r\nTo: csirt@example.com\r\nSubject: report {i}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\nContent-Type: text/plain\r\n\r\nSee the attachment.\r\n--b{i}\r\nContent-Type: application/xml\r\nContent-Disposition: attachment; filename=\"report.xml\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b{i}--\r\n\r\n"
        ));
        i += 1;
    }
    mbox.into_bytes()
}

#[test]
fn an_mbox_of_many_messages() {
    check_linear("mbox", mbox_of_reports, &[(&["extract"], 0)]);
}
