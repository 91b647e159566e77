//! Every schema-valid corpus document transcoded to UTF-16 (LE with a byte-order mark, BE
//! without one and with its declaration saying UTF-16) reads exactly like the UTF-8 original:
//! same value, same output bytes, same validator verdict; written back in UTF-16 it reads again
//! to the same value. Independent checks: read by libxml2 (`xmllint --encode UTF-8`), our UTF-16
//! output is the same infoset as the UTF-8 original, and Python xmlschema finds the
//! UTF-16 inputs and outputs schema-valid.

use std::path::PathBuf;
use std::process::Command;

use iodef::rt::{Encoding, WriteOptions};
use iodef_tests::corpus;
use iodef_tests::fixtures::utf16;
use iodef_tests::infoset::compare_xml;
use iodef_tests::validator::{self, Engine};

/// `text` (a UTF-8 document) with its declaration's encoding, if any, replaced by `name`.
fn redeclare(text: &str, name: &str) -> String {
    let Some(decl_end) = text.strip_prefix("<?xml").and(text.find("?>")) else {
        return text.to_string();
    };
    let decl = &text[..decl_end];
    let Some(at) = decl.find("encoding=") else {
        return text.to_string();
    };
    let quote = decl.as_bytes()[at + 9] as char;
    let value_end = at + 10 + decl[at + 10..].find(quote).unwrap();
    format!(
        "{}encoding={quote}{name}{quote}{}",
        &text[..at],
        &text[value_end + 1..]
    )
}

fn temp_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("encodings");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn corpus_documents_in_utf16_read_and_write_like_utf8() {
    let dir = temp_dir();
    let mut for_xmlschema = Vec::new();
    let mut tried = 0;
    for entry in corpus::entries() {
        if !entry.path.ends_with(".xml") || !entry.xmlschema_valid {
            continue;
        }
        let bytes = std::fs::read(&entry.file).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let expected = iodef::read(text.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", entry.path))
            .to_xml_string();
        let declared = redeclare(text, "UTF-16");
        let mut variants = vec![("le-bom", utf16(&declared, true, true))];
        if declared.starts_with("<?xml") && declared.contains("UTF-16") {
            // Without a byte-order mark the declaration must name UTF-16.
            variants.push(("be-nobom", utf16(&declared, false, false)));
        }
        for (what, input) in variants {
            let name = format!("{}: {what}", entry.path);
            let doc = iodef::read(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(doc.to_xml_string(), expected, "{name}");
            let report = iodef::rt::validate::validate(&input);
            assert!(report.is_valid(), "{name}: {:?}", report.errors);
            let out = doc
                .to_xml_bytes_with(&WriteOptions {
                    encoding: Encoding::UTF_16LE,
                })
                .unwrap();
            assert_eq!(&out[..2], &[0xFF, 0xFE], "{name}");
            assert_eq!(
                iodef::read(&out).unwrap().to_xml_string(),
                expected,
                "{name}"
            );
            let stem = entry.path.replace(['/', '.'], "_");
            let input_file = dir.join(format!("{stem}-{what}-in.xml"));
            let output_file = dir.join(format!("{stem}-{what}-out.xml"));
            std::fs::write(&input_file, &input).unwrap();
            std::fs::write(&output_file, &out).unwrap();
            // As libxml2 reads them, our UTF-16 output and the UTF-8 original are the same
            // infoset.
            let lint = |file: &std::path::Path| {
                let out = Command::new("xmllint")
                    .args(["--nonet", "--encode", "UTF-8"])
                    .arg(file)
                    .output()
                    .expect("run xmllint");
                assert!(
                    out.status.success(),
                    "{name}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                out.stdout
            };
            compare_xml(&lint(&output_file), &lint(&entry.file))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for_xmlschema.push(input_file);
            for_xmlschema.push(output_file);
            tried += 1;
        }
    }
    assert!(tried >= 44, "only {tried} documents tried");
    if validator::skip_requested() {
        return;
    }
    if let Some(reason) = validator::unavailable_reason(Engine::XmlSchema) {
        panic!("{reason}");
    }
    let verdicts = validator::validate(&for_xmlschema, Engine::XmlSchema).unwrap();
    for file in &for_xmlschema {
        let verdict = &verdicts[file];
        assert!(verdict.valid, "{}: {:?}", file.display(), verdict.error);
    }
    println!("{tried} UTF-16 documents read, written and checked");
}

#[test]
fn redeclare_replaces_only_the_declared_encoding() {
    assert_eq!(
        redeclare(
            r#"<?xml version="1.0" encoding="UTF-8"?><a encoding="x"/>"#,
            "UTF-16"
        ),
        r#"<?xml version="1.0" encoding="UTF-16"?><a encoding="x"/>"#
    );
    assert_eq!(redeclare("<a/>", "UTF-16"), "<a/>");
    assert_eq!(
        redeclare("<?xml version='1.0'?><a/>", "UTF-16"),
        "<?xml version='1.0'?><a/>"
    );
}
