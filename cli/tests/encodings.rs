//! The real `iodef` binary on documents in every encoding XML allows: `convert` and `validate`
//! read UTF-16 (with and without byte-order mark), UTF-8 with a byte-order mark, ISO-8859-1,
//! windows-1252; contradictions, unknown encodings and invalid bytes exit 1 with
//! `FILE:LINE:COL`; positions after non-ASCII text count characters; `convert --encoding`
//! writes UTF-16, ISO-8859-1 (character references for what it cannot hold) and round-trips.

mod common;

use std::path::PathBuf;

use common::{code, json_lines, run, run_with_stdin, stderr, stdout};
use iodef_tests::fixtures::utf16;

/// A valid IODEF 2.0 document (prose rules kept) declaring `encoding`, with `text` as the
/// Description and `after` right after it (line 6).
fn doc_with(encoding: Option<&str>, text: &str, after: &str) -> String {
    let decl = match encoding {
        Some(e) => format!(r#"<?xml version="1.0" encoding="{e}"?>"#),
        None => r#"<?xml version="1.0"?>"#.to_string(),
    };
    format!(
        r#"{decl}
<IODEF-Document version="2.00" xml:lang="fr" xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Description>{text}</Description>{after}
    <Contact type="organization" role="creator">
      <ContactName>CSIRT</ContactName>
    </Contact>
  </Incident>
</IODEF-Document>
"#
    )
}

fn doc(encoding: Option<&str>, text: &str) -> String {
    doc_with(encoding, text, "")
}

/// Single-byte text: each character is the byte of its code point (ISO-8859-1), except those
/// `map` gives another byte.
fn bytes(text: &str, map: &[(char, u8)]) -> Vec<u8> {
    text.chars()
        .map(|c| match map.iter().find(|(m, _)| *m == c) {
            Some((_, b)) => *b,
            None => u8::try_from(u32::from(c)).expect("a single-byte character"),
        })
        .collect()
}

fn temp_file(name: &str, content: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-encodings");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file.to_str().expect("UTF-8 path").to_string()
}

const TEXT: &str = "Hameçonnage à grande échelle – coût 5 € ✓";

fn convert(file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["convert", "--to", "xml"];
    args.extend_from_slice(extra);
    args.push(file);
    run(&args)
}

#[test]
fn convert_and_validate_read_every_encoding() {
    let reference = temp_file("reference-utf8.xml", doc(Some("UTF-8"), TEXT).as_bytes());
    let expected = convert(&reference, &[]);
    assert_eq!(code(&expected), 0, "{}", stderr(&expected));
    assert!(stdout(&expected).contains(TEXT));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(doc(Some("UTF-8"), TEXT).as_bytes());
    for (name, input) in [
        (
            "utf16le-bom.xml",
            utf16(&doc(Some("UTF-16"), TEXT), true, true),
        ),
        (
            "utf16be-bom.xml",
            utf16(&doc(Some("UTF-16"), TEXT), false, true),
        ),
        (
            "utf16le-nobom.xml",
            utf16(&doc(Some("UTF-16"), TEXT), true, false),
        ),
        (
            "utf16be-nobom.xml",
            utf16(&doc(Some("UTF-16BE"), TEXT), false, false),
        ),
        ("utf8-bom.xml", bom),
    ] {
        let file = temp_file(name, &input);
        let out = convert(&file, &[]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert_eq!(out.stdout, expected.stdout, "{name}");
        let out = run(&["validate", "--format", "json", &file]);
        assert_eq!(code(&out), 0, "{name}: {}", stdout(&out));
        assert_eq!(json_lines(&out)[0]["valid"], true, "{name}");
        // Standard input too.
        let out = run_with_stdin(&["convert", "--to", "xml", "-"], &input);
        assert_eq!(out.stdout, expected.stdout, "{name} on stdin");
        // xmllint reads the same bytes.
        let lint = std::process::Command::new("xmllint")
            .args(["--noout", &file])
            .output()
            .expect("run xmllint");
        assert!(
            lint.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&lint.stderr)
        );
    }
}

#[test]
fn iso_8859_1_and_windows_1252() {
    // 0x85: U+0085 in ISO-8859-1, "…" in windows-1252; 0x80: "€" in windows-1252.
    let latin1 = temp_file(
        "latin1.xml",
        &bytes(&doc(Some("ISO-8859-1"), "é\u{85}"), &[]),
    );
    let out = convert(&latin1, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("<Description>é\u{85}</Description>"),
        "{}",
        stdout(&out)
    );
    // Valid; the only finding is RFC 7970 §4.1's warning naming the encoding.
    let out = run(&["validate", "--format", "json", &latin1]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["rule"], "RFC 7970 §4.1", "{lines:?}");
    assert_eq!(lines[0]["severity"], "warning");
    assert!(lines[0]["message"].as_str().unwrap().contains("ISO-8859-1"));
    let cp1252 = temp_file(
        "cp1252.xml",
        &bytes(&doc(Some("windows-1252"), "€\u{85}"), &[('€', 0x80)]),
    );
    let out = convert(&cp1252, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("<Description>€…</Description>"),
        "{}",
        stdout(&out)
    );
}

/// `iodef validate --format json FILE` and `iodef convert` refuse `input` with one encoding
/// finding at `line:column` whose message contains `needle`.
#[track_caller]
fn assert_refused(name: &str, input: &[u8], line: u64, column: u64, needle: &str) {
    let file = temp_file(name, input);
    let out = run(&["validate", "--format", "json", &file]);
    assert_eq!(code(&out), 1, "{name}: {}", stdout(&out));
    // One finding, then the file's record.
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2, "{name}: {lines:?}");
    assert_eq!(lines[1]["valid"], false, "{name}: {lines:?}");
    let f = &lines[0];
    assert_eq!(
        (f["kind"].as_str(), f["line"].as_u64(), f["column"].as_u64()),
        (Some("encoding"), Some(line), Some(column)),
        "{name}: {f}"
    );
    assert!(
        f["message"].as_str().unwrap().contains(needle),
        "{name}: {f}"
    );
    let out = convert(&file, &[]);
    assert_eq!(code(&out), 1, "{name}");
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("{file}:{line}:{column}: error: /: ")),
        "{name}: {err}"
    );
    assert!(err.contains(needle), "{name}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn contradictions_unknown_encodings_and_invalid_bytes_exit_1_with_their_position() {
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(doc(Some("ISO-8859-1"), "x").as_bytes());
    assert_refused(
        "bom-latin1.xml",
        &bom,
        1,
        31,
        "UTF-8 byte-order mark but declares",
    );
    assert_refused(
        "le-bom-latin1.xml",
        &utf16(&doc(Some("ISO-8859-1"), "x"), true, true),
        1,
        31,
        "UTF-16LE byte-order mark but declares encoding \"ISO-8859-1\"",
    );
    assert_refused(
        "single-byte-utf16.xml",
        doc(Some("UTF-16"), "x").as_bytes(),
        1,
        31,
        "is not UTF-16",
    );
    assert_refused(
        "utf16-says-utf8.xml",
        &utf16(&doc(Some("UTF-8"), "x"), true, false),
        1,
        31,
        "UTF-16LE bytes but declares encoding \"UTF-8\"",
    );
    assert_refused(
        "klingon.xml",
        doc(Some("klingon"), "x").as_bytes(),
        1,
        31,
        "unknown encoding \"klingon\"",
    );
    // é (0xE9) is not US-ASCII: line 6, after `    <Description>ab`.
    assert_refused(
        "ascii.xml",
        &bytes(&doc(Some("US-ASCII"), "abé"), &[]),
        6,
        20,
        "byte 0xE9 is not valid",
    );
    // A lone surrogate after two non-ASCII characters.
    let mut units: Vec<u16> = doc(Some("UTF-16"), "€é#").encode_utf16().collect();
    let at = units.iter().position(|&u| u == u16::from(b'#')).unwrap();
    units[at] = 0xD800;
    let mut input = vec![0xFE, 0xFF];
    units
        .iter()
        .for_each(|u| input.extend_from_slice(&u.to_be_bytes()));
    assert_refused(
        "surrogate.xml",
        &input,
        6,
        20,
        "not valid in the encoding \"UTF-16BE\"",
    );
}

#[test]
fn later_errors_are_located_in_characters() {
    // `<Bogus/>` on line 6 after 7 characters of non-ASCII text: column 39 whatever the bytes.
    let text = "ééé – ü";
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(doc_with(Some("UTF-8"), text, "<Bogus/>").as_bytes());
    for (name, input) in [
        ("later-utf8-bom.xml", bom),
        (
            "later-utf16.xml",
            utf16(&doc_with(Some("UTF-16"), text, "<Bogus/>"), true, true),
        ),
        (
            "later-utf16-crlf.xml",
            utf16(
                &doc_with(Some("UTF-16"), text, "<Bogus/>").replace('\n', "\r\n"),
                false,
                true,
            ),
        ),
        (
            "later-cp1252.xml",
            bytes(
                &doc_with(Some("windows-1252"), text, "<Bogus/>"),
                &[('–', 0x96)],
            ),
        ),
    ] {
        let file = temp_file(name, &input);
        let out = run(&["validate", &file]);
        assert_eq!(code(&out), 1, "{name}");
        let first = stdout(&out).lines().next().unwrap_or_default().to_string();
        assert!(
            first.starts_with(&format!(
                "{file}:6:39: error: /IODEF-Document/Incident[1]/Bogus[1]: "
            )),
            "{name}: {first}"
        );
        let out = convert(&file, &[]);
        assert_eq!(code(&out), 1, "{name}");
        assert!(
            stderr(&out).starts_with(&format!("{file}:6:39: error: ")),
            "{name}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn convert_writes_the_encoding_asked_for() {
    let utf16_in = temp_file(
        "in-utf16.xml",
        &utf16(&doc(Some("UTF-16"), TEXT), true, true),
    );
    let utf8 = convert(&utf16_in, &[]);
    assert_eq!(code(&utf8), 0, "{}", stderr(&utf8));
    let utf8_text = stdout(&utf8);
    assert!(utf8_text.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    // Back to UTF-16: a byte-order mark, the declaration names UTF-16, same text.
    let utf8_file = temp_file("out-utf8.xml", &utf8.stdout);
    let back = convert(&utf8_file, &["--encoding", "UTF-16"]);
    assert_eq!(code(&back), 0, "{}", stderr(&back));
    let as_utf16 = utf8_text.replacen(r#"encoding="UTF-8""#, r#"encoding="UTF-16""#, 1);
    assert_eq!(back.stdout, utf16(&as_utf16, true, true));
    let utf16_out = temp_file("out-utf16.xml", &back.stdout);
    let lint = std::process::Command::new("xmllint")
        .args(["--encode", "UTF-8", &utf16_out])
        .output()
        .expect("run xmllint");
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    iodef_tests::infoset::compare_xml(&lint.stdout, &utf8.stdout).unwrap();
    // And UTF-16 reads back to the same UTF-8.
    assert_eq!(convert(&utf16_out, &[]).stdout, utf8.stdout);
    let be = convert(&utf8_file, &["--encoding", "utf-16be"]);
    assert_eq!(be.stdout, utf16(&as_utf16, false, true));
    // ISO-8859-1: what it cannot hold becomes a character reference.
    let latin = convert(&utf16_in, &["--encoding", "ISO-8859-1"]);
    assert_eq!(code(&latin), 0, "{}", stderr(&latin));
    let expected = bytes(
        &utf8_text
            .replacen(r#"encoding="UTF-8""#, r#"encoding="ISO-8859-1""#, 1)
            .replace('–', "&#x2013;")
            .replace('€', "&#x20AC;")
            .replace('✓', "&#x2713;"),
        &[],
    );
    assert_eq!(latin.stdout, expected);
    let latin_file = temp_file("out-latin1.xml", &latin.stdout);
    assert_eq!(convert(&latin_file, &[]).stdout, utf8.stdout);
    // windows-1252 holds € and –.
    let cp = convert(&utf16_in, &["--encoding", "windows-1252"]);
    assert!(
        cp.stdout.windows(3).any(|w| w == b" \x80 "),
        "{}",
        String::from_utf8_lossy(&cp.stdout)
    );
    assert!(cp.stdout.windows(2).any(|w| w == b"\x96 "));
}

#[test]
fn unknown_output_encodings_and_unwritable_names() {
    let file = temp_file("names.xml", doc(Some("UTF-8"), "x").as_bytes());
    let out = convert(&file, &["--encoding", "klingon"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown encoding \"klingon\""),
        "{}",
        stderr(&out)
    );
    let out = convert(&file, &["--encoding", "UTF-32"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    // An element name with Ω cannot be written in ISO-8859-1 (no reference in names).
    let with_name = doc(Some("UTF-8"), "x").replacen(
        "</Contact>",
        r#"</Contact><AdditionalData dtype="xml"><ex:Ωmega xmlns:ex="urn:example:ext">1</ex:Ωmega></AdditionalData>"#,
        1,
    );
    let file = temp_file("omega.xml", with_name.as_bytes());
    let out = convert(&file, &["--encoding", "latin1"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("U+03A9") && err.contains("element name") && err.contains("ISO-8859-1"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    assert!(out.stdout.is_empty(), "no partial output");
    assert_eq!(code(&convert(&file, &["--encoding", "UTF-16"])), 0);
}

#[test]
fn expand_entities_in_utf16() {
    let input = doc(Some("UTF-16"), "&org;").replacen(
        "\n<IODEF-Document",
        "\n<!DOCTYPE IODEF-Document [<!ENTITY org \"Équipe €\">]>\n<IODEF-Document",
        1,
    );
    let file = temp_file("entities-utf16.xml", &utf16(&input, true, true));
    let out = convert(&file, &["--expand-entities"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("<Description>Équipe €</Description>"));
    let out = run(&["validate", "--expand-entities", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run(&["validate", &file]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("--expand-entities"),
        "{}",
        stdout(&out)
    );
}
