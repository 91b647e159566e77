//! `iodef extract` and `iodef mail` on real MIME messages: the authored fixtures of
//! `tests/data/mail/` (written field by field by `make.py`: every transfer encoding, charsets,
//! UTF-16, forwarded messages, mbox quoting), messages Python's `email` package builds around
//! corpus documents, and the round trip `iodef mail` → `iodef extract` / Python `email`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{code, json_lines, run, run_with_stdin, stderr, stdout};

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/mail")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn doc(name: &str) -> Vec<u8> {
    std::fs::read(data(&format!("docs/{name}"))).expect("read a fixture document")
}

/// A fresh, empty directory for one test.
fn out_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iodef-mail-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `iodef extract FILE --out-dir DIR ARGS`: the output (status, stdout, stderr) and the files
/// written, by name.
fn extract_to(
    file: &str,
    test: &str,
    args: &[&str],
) -> (i32, String, String, Vec<(String, Vec<u8>)>) {
    let dir = out_dir(test);
    let mut all = vec!["extract", file, "--out-dir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(&all);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let _ = std::fs::remove_dir_all(&dir);
    (code(&out), stdout(&out), stderr(&out), files)
}

/// Text parts travel with CRLF line breaks (RFC 2046 §4.1.1); compare their lines.
fn lf(bytes: &[u8]) -> Vec<u8> {
    String::from_utf8(bytes.to_vec())
        .expect("UTF-8")
        .replace("\r\n", "\n")
        .into_bytes()
}

/// The document without its XML declaration line (as `make.py` writes the charset cases).
fn without_declaration(xml: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(xml).unwrap();
    text.split_once("?>\n").unwrap().1.as_bytes().to_vec()
}

const IODEF2: &str = "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document";
const IODEF1: &str = "{urn:ietf:params:xml:ns:iodef-1.0}IODEF-Document";

#[test]
fn base64_attachment_is_extracted_byte_for_byte() {
    let file = data("base64.eml");
    let (status, out, err, files) = extract_to(&file, "base64", &[]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.starts_with(&format!(
            "{file}[2]: {IODEF2} in application/xml \"report.xml\" -> "
        )),
        "{out}"
    );
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].0, "base64-2.xml");
    assert_eq!(files[0].1, doc("incident-2.0.xml"));
}

#[test]
fn quoted_printable_latin1_charset_overrides_the_missing_declaration() {
    let file = data("quoted-printable.eml");
    let (status, out, err, files) = extract_to(&file, "qp", &[]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.contains("\"latin1.xml\" (decoded from iso-8859-1)"),
        "{out}"
    );
    // Latin-1 on the wire, UTF-8 in the output: "Société" survives.
    let expected = without_declaration(&doc("incident-2.0.xml"));
    assert_eq!(lf(&files[0].1), expected);
    assert!(String::from_utf8(files[0].1.clone())
        .unwrap()
        .contains("Société"));
}

#[test]
fn utf16_with_byte_order_mark_and_without_one() {
    let file = data("utf16.eml");
    let (status, out, err, files) = extract_to(&file, "utf16", &["--validate", "--rules", "off"]);
    assert_eq!(status, 0, "{err}{out}");
    let a = String::from_utf8(doc("incident-2.0.xml")).unwrap();
    // Part 2: UTF-16 with a byte-order mark: written as it came (the reader handles it).
    let mut bom = vec![0xFF, 0xFE];
    for unit in a
        .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
        .encode_utf16()
    {
        bom.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(files[0], ("utf16-2.xml".to_string(), bom));
    // Part 3: UTF-16LE known only from `charset=utf-16le`: decoded to UTF-8.
    assert_eq!(files[1].0, "utf16-3.xml");
    assert_eq!(files[1].1, without_declaration(a.as_bytes()));
    assert!(
        out.contains("[3]: ") && out.contains("(decoded from utf-16le): valid"),
        "{out}"
    );
    // xmllint reads both outputs as the same document.
    for (name, bytes) in &files {
        let path = std::env::temp_dir().join(format!("iodef-mail-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let lint = Command::new("xmllint")
            .args([
                "--encode",
                "UTF-8",
                "--xpath",
                "string(//*[local-name()='Description'])",
            ])
            .arg(&path)
            .output()
            .expect("run xmllint");
        std::fs::remove_file(&path).unwrap();
        assert!(
            lint.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&lint.stderr)
        );
        assert!(
            String::from_utf8_lossy(&lint.stdout).contains("Société Générale"),
            "{name}: {}",
            String::from_utf8_lossy(&lint.stdout)
        );
    }
}

#[test]
fn a_body_that_is_the_document() {
    let file = data("body.eml");
    let (status, out, err, files) = extract_to(&file, "body", &[]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.starts_with(&format!("{file}[1]: {IODEF2} in text/plain -> ")),
        "{out}"
    );
    assert_eq!(lf(&files[0].1), doc("incident-2.0.xml"));
}

#[test]
fn multipart_alternative_reads_the_text_branch_and_skips_html() {
    let file = data("alternative.eml");
    let out = run(&["extract", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{file}[1]: {IODEF2} in text/plain\n"));
    let verbose = run(&["extract", "-v", &file]);
    assert_eq!(
        stdout(&verbose),
        format!(
            "{file}[1]: {IODEF2} in text/plain\n\
             {file}[2]: skipped: text/html: root element html is not IODEF\n"
        )
    );
}

#[test]
fn forwarded_message_parts_are_searched() {
    let file = data("forwarded.eml");
    let (status, out, err, files) = extract_to(&file, "forwarded", &[]);
    assert_eq!(status, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&format!(
        "{file}[2.2]: {IODEF2} in application/xml \"inner.xml\""
    )));
    assert!(lines[1].starts_with(&format!(
        "{file}[3]: {IODEF1} in application/xml \"old-iodef.xml\""
    )));
    assert_eq!(
        files[0],
        ("forwarded-2.2.xml".to_string(), doc("incident-2.0.xml"))
    );
    assert_eq!(
        files[1],
        ("forwarded-3.xml".to_string(), doc("incident-1.0.xml"))
    );
}

#[test]
fn two_documents_in_one_message() {
    let file = data("two-documents.eml");
    let (status, _, err, files) = extract_to(&file, "two", &[]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(files.len(), 2);
    // 7bit: CRLF on the wire; base64 in an application/octet-stream part named .xml.
    assert_eq!(lf(&files[0].1), doc("incident-1.0.xml"));
    assert_eq!(files[1].1, doc("incident-2.0.xml"));
}

#[test]
fn mbox_of_three_messages_with_from_quoting() {
    let file = data("three.mbox");
    let (status, out, err, files) = extract_to(&file, "mbox", &[]);
    assert_eq!(status, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&format!(
        "{file}[1/2]: {IODEF2} in application/xml \"report.xml\""
    )));
    assert!(lines[1].starts_with(&format!("{file}[2/1]: {IODEF2} in text/plain")));
    assert_eq!(
        err,
        format!("{file}[3]: note: no IODEF document in message 3\n")
    );
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["three-1-2.xml", "three-2-1.xml"]);
    assert_eq!(files[0].1, doc("incident-2.0.xml"));
    // ">From " and ">>From " in the file are "From " and ">From " in the document.
    assert_eq!(lf(&files[1].1), doc("mbox-quoted.xml"));
}

#[test]
fn xml_that_is_not_iodef_is_skipped_and_no_document_exits_1() {
    let file = data("not-iodef.eml");
    let out = run(&["extract", &file]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        format!("{file}: error: no IODEF document in the message\n")
    );
    let verbose = run(&["extract", "--verbose", &file]);
    assert_eq!(code(&verbose), 1);
    assert_eq!(
        stdout(&verbose),
        format!(
            "{file}[2]: skipped: application/xml \"feed.xml\": root element \
             {{http://www.w3.org/2005/Atom}}feed is not IODEF\n"
        )
    );
}

#[test]
fn a_message_without_any_document_exits_1() {
    let file = data("plain.eml");
    let out = run(&["extract", &file]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!("{file}: error: no IODEF document in the message\n")
    );
    // Not a message at all.
    let xml = data("docs/incident-2.0.xml");
    let out = run(&["extract", &xml]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!("{xml}: error: not an e-mail message (no header fields)\n")
    );
    // Unreadable: 2.
    assert_eq!(code(&run(&["extract", "/nonexistent/mail.eml"])), 2);
}

#[test]
fn malformed_claimed_iodef_part_is_an_error_naming_the_part() {
    let file = data("malformed.eml");
    let (status, out, err, files) = extract_to(&file, "malformed", &[]);
    assert_eq!(status, 1);
    // The error names the part, its line:column and element path in the document.
    let line = err.lines().next().unwrap_or_default();
    let rest = line
        .strip_prefix(&format!("{file}[1]:"))
        .unwrap_or_else(|| panic!("{err}"));
    let finding = common::parse_text_finding(&format!("f:{rest}"), "f").unwrap();
    assert!(finding.line > 1 && finding.column > 0, "{err}");
    assert!(
        finding.path.starts_with("/IODEF-Document/Incident[1]"),
        "{err}"
    );
    assert!(
        finding
            .message
            .ends_with("(part application/xml \"iodef-report.xml\")"),
        "{err}"
    );
    // The good document beside it is still extracted.
    assert!(out.starts_with(&format!("{file}[2]: {IODEF1}")), "{out}");
    assert_eq!(
        files,
        [("malformed-2.xml".to_string(), doc("incident-1.0.xml"))]
    );
}

#[test]
fn validate_catches_an_invalid_document() {
    let file = data("invalid.eml");
    // Well-formed: extracted without --validate.
    let plain = run(&["extract", &file]);
    assert_eq!(code(&plain), 0, "{}", stderr(&plain));
    let (status, out, _, files) = extract_to(&file, "invalid", &["--validate"]);
    assert_eq!(status, 1);
    assert_eq!(
        out,
        format!(
            "{file}[2]:3:13: error: /IODEF-Document/Incident[1]: invalid value \"nonsense\" for \
             attribute purpose: \"nonsense\" is not one of: traceback, mitigation, reporting, \
             watch, other, ext-value\n\
             {file}[2]: {IODEF2} in application/xml \"invalid.xml\": invalid\n"
        )
    );
    // Only valid documents are written under --validate.
    assert!(files.is_empty());
    // The same findings as `iodef validate` on the document itself.
    let direct = run(&["validate", &data("docs/invalid-2.0.xml")]);
    let direct_line = stdout(&direct).lines().next().unwrap().to_string();
    let (_, direct_rest) = direct_line.split_once(".xml:").unwrap();
    assert!(out.lines().next().unwrap().ends_with(direct_rest));
    // A valid one passes, prose rules included.
    let ok = run(&["extract", "--validate", &data("base64.eml")]);
    assert_eq!(code(&ok), 0, "{}", stdout(&ok));
    assert!(stdout(&ok).contains("\"report.xml\": valid"));
}

#[test]
fn json_lines_and_standard_input() {
    let input = std::fs::read(data("malformed.eml")).unwrap();
    let out = run_with_stdin(&["extract", "--format", "json", "--validate", "-"], &input);
    assert_eq!(code(&out), 1);
    let lines = json_lines(&out);
    let records: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l.get("status").is_some()).collect();
    assert_eq!(records.len(), 2, "{lines:?}");
    assert_eq!(records[0]["status"], "error");
    assert_eq!(records[0]["file"], "<stdin>");
    assert_eq!(records[0]["part"], "1");
    assert!(records[0]["line"].as_u64().unwrap() > 1);
    assert!(records[0]["path"]
        .as_str()
        .unwrap()
        .starts_with("/IODEF-Document/Incident[1]"));
    assert_eq!(records[1]["status"], "document");
    assert_eq!(records[1]["part"], "2");
    assert_eq!(records[1]["root"], IODEF1);
    assert_eq!(records[1]["filename"], "good.xml");
    assert_eq!(records[1]["valid"], true);
    // The validation record of the document, as `iodef validate --format json` writes it.
    assert!(lines
        .iter()
        .any(|l| l["file"] == "<stdin>[2]" && l["schema_valid"] == true));
}

/// Python's `email` package (an independent MIME implementation): parses each message and
/// prints, per attachment, `content-type filename sha256-of-payload`, plus the defects found.
fn python_attachments(messages: &[PathBuf]) -> Vec<String> {
    let script = r#"
import email, email.policy, hashlib, sys
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        m = email.message_from_bytes(f.read(), policy=email.policy.default)
    assert not m.defects, (path, m.defects)
    for needed in ("Date", "Message-ID", "MIME-Version", "From", "To", "Subject"):
        assert m[needed], (path, needed)
    assert m.get_content_type() == "multipart/mixed", path
    body = m.get_body(preferencelist=("plain",))
    assert "process the attachment" in body.get_content(), path
    for part in m.iter_attachments():
        assert not part.defects, (path, part.defects)
        assert part["Content-Transfer-Encoding"] == "base64", path
        payload = part.get_payload(decode=True)
        print(part.get_content_type(), part.get_filename(), hashlib.sha256(payload).hexdigest())
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(messages)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every schema-valid corpus document (every version and root element): `iodef mail`, then
/// the messages as one mbox file through `iodef extract` (identical bytes back), and each
/// message through Python's `email` (the attachment is the document).
#[test]
fn mail_round_trip_of_every_valid_corpus_document() {
    let entries = iodef_tests::corpus::valid();
    assert!(entries.len() > 10, "the corpus has schema-valid documents");
    let dir = out_dir("corpus");
    std::fs::create_dir_all(&dir).unwrap();
    let mut mbox = Vec::new();
    let mut messages = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let file = entry.file.to_str().unwrap();
        let out = run(&[
            "mail",
            "--from",
            "Example CSIRT <csirt@example.net>",
            "--to",
            "abuse@example.org",
            "--subject",
            &format!("corpus {}", entry.path),
            file,
        ]);
        assert_eq!(code(&out), 0, "{}: {}", entry.path, stderr(&out));
        let message = out.stdout;
        assert!(
            !message.windows(2).any(|w| w[1] == b'\n' && w[0] != b'\r')
                && !message.starts_with(b"\n"),
            "{}: a line break that is not CRLF",
            entry.path
        );
        let path = dir.join(format!("{i}.eml"));
        std::fs::write(&path, &message).unwrap();
        messages.push(path);
        // mboxrd: a "From " line of the message would be quoted (base64 and this body have none).
        mbox.extend_from_slice(b"From csirt@example.net Mon Dec  7 10:00:00 2026\n");
        for line in String::from_utf8(message).unwrap().split_inclusive('\n') {
            if line.trim_start_matches('>').starts_with("From ") {
                mbox.push(b'>');
            }
            mbox.extend_from_slice(line.as_bytes());
        }
        mbox.extend_from_slice(b"\n");
    }
    let mbox_path = dir.join("corpus.mbox");
    std::fs::write(&mbox_path, &mbox).unwrap();
    let (status, out, err, files) = extract_to(mbox_path.to_str().unwrap(), "corpus-out", &[]);
    assert_eq!(status, 0, "{err}");
    assert_eq!(out.lines().count(), entries.len(), "{out}");
    for (i, entry) in entries.iter().enumerate() {
        let name = format!("corpus-{}-2.xml", i + 1);
        let written = files
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{}: no {name}", entry.path));
        assert!(
            written.1 == std::fs::read(&entry.file).unwrap(),
            "{}: extracted bytes differ",
            entry.path
        );
    }
    // Python's email package sees the same attachment.
    let seen = python_attachments(&messages);
    assert_eq!(seen.len(), entries.len());
    for (entry, line) in entries.iter().zip(&seen) {
        let bytes = std::fs::read(&entry.file).unwrap();
        let name = entry.file.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            *line,
            format!("application/xml {name} {}", sha256_hex(&bytes)),
            "{}",
            entry.path
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Messages built by Python's `email` package around a corpus document, in the transfer
/// encodings and charsets it chooses: every one is found, with the document's bytes.
#[test]
fn messages_python_builds_around_a_corpus_document() {
    let corpus = iodef_tests::corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml");
    let dir = out_dir("python");
    std::fs::create_dir_all(&dir).unwrap();
    let message = dir.join("python.eml");
    let script = r#"
import sys
from email.message import EmailMessage
from email import policy
doc = open(sys.argv[1], "rb").read()
m = EmailMessage()
m["From"] = "a@example.net"; m["To"] = "b@example.org"; m["Subject"] = "reports"
m.set_content("Reports attached.")
m.add_attachment(doc, maintype="application", subtype="xml", filename="b64.xml")
m.add_attachment(doc.decode(), subtype="xml", cte="quoted-printable", filename="qp.xml")
m.add_attachment(doc.decode(), subtype="xml", cte="8bit", filename="8bit.xml")
utf16 = doc.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
m.add_attachment(utf16, maintype="text", subtype="xml", filename="utf16.xml", params={"charset": "utf-16"})
inner = EmailMessage()
inner["From"] = "c@example.com"; inner["Subject"] = "fwd"
inner.set_content("inner")
inner.add_attachment(doc, maintype="application", subtype="xml", filename="inner.xml")
m.add_attachment(inner)
open(sys.argv[2], "wb").write(m.as_bytes(policy=policy.SMTP))
"#;
    let py = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&corpus)
        .arg(&message)
        .output()
        .expect("run python3");
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let (status, out, err, files) = extract_to(message.to_str().unwrap(), "python-out", &[]);
    assert_eq!(status, 0, "{err}");
    let original = std::fs::read(&corpus).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "python-2.xml",
            "python-3.xml",
            "python-4.xml",
            "python-5.xml",
            "python-6.2.xml"
        ],
        "{out}"
    );
    assert_eq!(files[0].1, original);
    assert_eq!(lf(&files[1].1), original);
    assert_eq!(lf(&files[2].1), original);
    let utf16 = String::from_utf16(
        &files[3].1[2..]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    assert_eq!(
        utf16.replace("\r\n", "\n"),
        String::from_utf8(original.clone())
            .unwrap()
            .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"")
    );
    assert_eq!(files[4].1, original);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn mail_refuses_header_injection_bad_addresses_and_invalid_documents() {
    let docfile = data("docs/incident-2.0.xml");
    for (flag, value) in [
        ("--from", "csirt@example.net\r\nBcc: victim@example.com"),
        ("--to", "abuse@example.org\nBcc: victim@example.com"),
        ("--subject", "report\r\nBcc: victim@example.com"),
        ("--from", "not an address"),
        ("--to", "a@b@c"),
    ] {
        let mut args = vec!["mail"];
        for (default_flag, default) in [("--from", "a@example.net"), ("--to", "b@example.org")] {
            if default_flag != flag {
                args.extend_from_slice(&[default_flag, default]);
            }
        }
        args.extend_from_slice(&[flag, value, &docfile]);
        let out = run(&args);
        assert_eq!(code(&out), 2, "{flag} {value:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).starts_with("iodef: "), "{}", stderr(&out));
    }
    let invalid = data("docs/invalid-2.0.xml");
    let out = run(&[
        "mail",
        "--from",
        "a@example.net",
        "--to",
        "b@example.org",
        &invalid,
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with(&format!(
            "{invalid}:3:13: error: /IODEF-Document/Incident[1]: invalid value"
        )),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn mail_message_headers_body_and_default_subject() {
    let docfile = data("docs/incident-1.0.xml");
    let out = run(&[
        "mail",
        "--from",
        "Example CSIRT <csirt@example.net>",
        "--to",
        "abuse@example.org",
        "--to",
        "Ops Ünit <ops@example.org>",
        &docfile,
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let (head, _) = text.split_once("\r\n\r\n").unwrap();
    for field in [
        "Date: ",
        "Message-ID: <",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed",
    ] {
        assert!(head.contains(field), "{field}: {head}");
    }
    assert!(
        head.contains("Subject: IODEF report csirt.example.net#MAIL-2"),
        "{head}"
    );
    assert!(
        text.contains("Content-Type: application/xml; charset=\"UTF-8\""),
        "{text}"
    );
    assert!(text.contains("filename=\"incident-1.0.xml\""), "{text}");
    assert!(
        text.contains("Please process the attachment, not this text."),
        "{text}"
    );
    // Standard input, then back through `iodef extract -`.
    let piped = run_with_stdin(
        &[
            "mail",
            "--from",
            "a@example.net",
            "--to",
            "b@example.org",
            "-",
        ],
        &doc("incident-1.0.xml"),
    );
    assert_eq!(code(&piped), 0);
    assert!(String::from_utf8_lossy(&piped.stdout).contains("filename=\"iodef.xml\""));
    let back = run_with_stdin(&["extract", "-"], &piped.stdout);
    assert_eq!(code(&back), 0, "{}", stderr(&back));
    assert_eq!(
        stdout(&back),
        format!("<stdin>[2]: {IODEF1} in application/xml \"iodef.xml\"\n")
    );
}

/// Hostile nesting (multiparts, forwarded messages inside forwarded messages): no stack
/// overflow, the parts past the limit are an error naming where the search stopped.
#[test]
fn deeply_nested_parts_are_an_error_not_a_crash() {
    for (what, level) in [
        (
            "multipart",
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n",
        ),
        (
            "message",
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n\
             Content-Type: message/rfc822\r\n\r\nFrom: x@example.net\r\n",
        ),
    ] {
        let depth = 200_000;
        let mut message =
            String::from("From: a@example.net\r\nSubject: deep\r\nMIME-Version: 1.0\r\n");
        for i in 0..depth {
            message.push_str(&level.replace("{i}", &i.to_string()));
        }
        message.push_str("Content-Type: application/xml\r\n\r\n");
        message.push_str(&String::from_utf8(doc("incident-2.0.xml")).unwrap());
        for i in (0..depth).rev() {
            message.push_str(&format!("\r\n--b{i}--\r\n"));
        }
        let out = run_with_stdin(&["extract", "-"], message.as_bytes());
        assert_eq!(code(&out), 1, "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("]: error: MIME parts nested more than 100 levels deep: not searched"),
            "{what}: {}",
            &err[err.len().saturating_sub(300)..]
        );
    }
}

#[test]
fn an_xml_attachment_with_broken_base64_is_an_error_not_ignored() {
    let message = "From: a@example.net\r\nMIME-Version: 1.0\r\n\
                   Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n\
                   --x\r\nContent-Type: text/plain\r\n\r\nReport attached.\r\n\
                   --x\r\nContent-Type: application/xml; name=\"r.xml\"\r\n\
                   Content-Transfer-Encoding: base64\r\n\r\nPD94bW!!!!wg*&^\r\n--x--\r\n";
    let out = run_with_stdin(&["extract", "-"], message.as_bytes());
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "<stdin>[2]: error: the part's transfer encoding cannot be decoded (broken base64 or \
         quoted-printable): its content was not searched (part application/xml \"r.xml\")\n\
         <stdin>: error: no IODEF document in the message\n"
    );
}
