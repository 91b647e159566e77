//! Hostile input through the real `iodef validate` binary: each is refused with exit 1 and one
//! finding naming the problem at a line:column, without a panic, a crash or an entity expanded.
//! The big inputs are generated under the target's temporary directory at test time. No test
//! measures time: they only have to finish.
//!
//! With `--expand-entities` internal entities are expanded within limits: the same billion
//! laughs is refused at a limit (the one test that reports a time), an external entity is still
//! refused, and a harmless internal entity in a corpus document is expanded.
//!
//! Element count: a document above the default limit (10 million elements, `Limits::default`)
//! is too big to generate here; the limit is exercised instead with `--max-elements` lowered to
//! 1,000 on a document of 2,000 elements, which the default accepts.

mod common;

use common::{code, json_lines, parse_text_finding, run, run_with_stdin, stderr, stdout};
use std::path::PathBuf;
use std::process::Output;

/// RFC 7970 §7.1-like document: the part before and after an `AdditionalData`'s content.
const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"><Email><EmailTo>csirt@example.com</EmailTo></Email></Contact>
    <AdditionalData dtype="xml">"#;
const TAIL: &str = "</AdditionalData>\n  </Incident>\n</IODEF-Document>\n";

/// A document with `content` inside its `AdditionalData` (line 7).
fn with_additional_data(content: &str) -> String {
    format!("{HEAD}{content}{TAIL}")
}

/// Writes `content` to a file under the target's temporary directory.
fn temp_file(name: &str, content: &[u8]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile_input");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, content).unwrap();
    file.to_str().expect("UTF-8 path").to_string()
}

/// What a refusal must look like.
struct Expect<'a> {
    /// JSON `kind`.
    kind: &'a str,
    /// Part of the message.
    message: &'a str,
    /// Expected line, when the test knows it.
    line: Option<u64>,
}

/// Checks a run of `iodef validate [--format json]` that must refuse `name`: exit 1, no
/// panic and nothing on stderr, exactly one finding with a position, then the file's record
/// (JSON) or the summary line (text).
fn check_refused(out: &Output, json: bool, name: &str, expect: &Expect<'_>) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{name}: panic: {err}");
    assert_eq!(
        code(out),
        1,
        "{name}: stdout: {} stderr: {err}",
        stdout(out)
    );
    assert!(err.is_empty(), "{name}: stderr: {err}");
    let (line, column, message) = if json {
        let lines = json_lines(out);
        assert_eq!(lines.len(), 2, "{name}: {}", stdout(out));
        assert_eq!(
            (&lines[1]["file"], &lines[1]["valid"], &lines[1]["errors"]),
            (
                &serde_json::json!(name),
                &serde_json::json!(false),
                &serde_json::json!(1)
            ),
            "{name}: {}",
            lines[1]
        );
        let f = &lines[0];
        assert_eq!(f["file"], name);
        assert_eq!(f["severity"], "error");
        assert_eq!(f["kind"], expect.kind, "{name}: {f}");
        assert!(f["path"].as_str().unwrap().starts_with('/'), "{name}: {f}");
        (
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["message"].as_str().unwrap().to_string(),
        )
    } else {
        let text = stdout(out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{name}: {text}");
        assert_eq!(
            lines[1], "1 file: 0 valid, 1 invalid (1 error, 0 warnings)",
            "{name}"
        );
        let f = parse_text_finding(lines[0], name).unwrap_or_else(|e| panic!("{name}: {e}"));
        (f.line, f.column, f.message)
    };
    assert!(line > 0 && column > 0, "{name}: no position");
    if let Some(expected) = expect.line {
        assert_eq!(line, expected, "{name}: line of {message}");
    }
    assert!(
        message.contains(expect.message),
        "{name}: message {message:?} does not contain {:?}",
        expect.message
    );
}

/// `iodef validate [EXTRA] FILE`, in text and in JSON: both refuse it as expected.
fn assert_file_refused(file: &str, extra: &[&str], expect: Expect<'_>) {
    for json in [false, true] {
        let mut args = vec!["validate"];
        if json {
            args.extend(["--format", "json"]);
        }
        args.extend(extra);
        args.push(file);
        check_refused(&run(&args), json, file, &expect);
    }
}

/// The same through standard input.
fn assert_stdin_refused(input: &[u8], expect: Expect<'_>) {
    for json in [false, true] {
        let args: &[&str] = if json {
            &["validate", "--format", "json", "-"]
        } else {
            &["validate", "-"]
        };
        check_refused(&run_with_stdin(args, input), json, "<stdin>", &expect);
    }
}

/// Exit 0 (the document is valid once the limit is raised, or with the defaults).
fn assert_valid(file: &str, extra: &[&str]) {
    let mut args = vec!["validate"];
    args.extend(extra);
    args.push(file);
    let out = run(&args);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    assert_eq!(code(&out), 0, "{file}: {}", stdout(&out));
}

#[test]
fn a_valid_document_is_the_baseline() {
    let file = temp_file("baseline.xml", with_additional_data("<a/>").as_bytes());
    assert_valid(&file, &[]);
}

/// A document whose DOCTYPE declares `lol` and `levels` entities `lolN`, each `fanout`
/// references to the previous one, with `&lol{levels};` in its `AdditionalData` (on line
/// `levels + 10`).
fn laughs(levels: usize, fanout: usize) -> String {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document [\n");
    doc.push_str("  <!ENTITY lol \"lol\">\n");
    for i in 1..=levels {
        let previous = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "  <!ENTITY lol{i} \"{}\">\n",
            format!("&{previous};").repeat(fanout)
        ));
    }
    doc.push_str("]>\n");
    doc.push_str(&with_additional_data(&format!("&lol{levels};")).replacen(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "",
        1,
    ));
    doc
}

/// Billion laughs: nested internal entities in a DOCTYPE. Refused at the DOCTYPE, nothing is
/// expanded; the message names the opt-in.
#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let doc = laughs(9, 10);
    let file = temp_file("billion-laughs.xml", doc.as_bytes());
    let expect = || Expect {
        kind: "doctype",
        message: "DOCTYPE declarations are not accepted (use --expand-entities",
        line: Some(2),
    };
    assert_file_refused(&file, &[], expect());
    assert_stdin_refused(doc.as_bytes(), expect());
}

/// Billion laughs with `--expand-entities`: refused at a limit, at the reference, quickly.
/// Three shapes, one per limit: 10 nested levels (depth 8), 5 levels of 10 (10,000
/// references), a 100 KB entity used 20 times (1 MiB of expanded text).
#[test]
fn billion_laughs_with_expand_entities_hits_a_limit() {
    let started = std::time::Instant::now();
    let doc = laughs(9, 10);
    let file = temp_file("billion-laughs-expand.xml", doc.as_bytes());
    let expect = |message| Expect {
        kind: "limit",
        message,
        line: Some(19),
    };
    let depth = "entity references nested deeper than the limit of 8 (max_depth)";
    assert_file_refused(&file, &["--expand-entities"], expect(depth));
    let one_run = std::time::Instant::now();
    let out = run(&["convert", "--expand-entities", "--to", "xml", &file]);
    let elapsed = one_run.elapsed();
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains(depth), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    eprintln!("billion laughs refused by `iodef convert --expand-entities` in {elapsed:?}");

    let doc = laughs(5, 10);
    let file = temp_file("laughs-5x10.xml", doc.as_bytes());
    let expect = |message| Expect {
        kind: "limit",
        message,
        line: Some(15),
    };
    let references = "exceeds the limit of 10000 entity references (max_references)";
    assert_file_refused(&file, &["--expand-entities"], expect(references));

    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document [<!ENTITY big \"{}\">]>\n{}",
        "x".repeat(100_000),
        with_additional_data(&"&big;".repeat(20)).replacen(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "",
            1
        )
    );
    let file = temp_file("quadratic-blowup.xml", doc.as_bytes());
    let bytes = "exceeds the limit of 1048576 expanded bytes (max_expanded_bytes)";
    let expect = Expect {
        kind: "limit",
        message: bytes,
        line: Some(8),
    };
    assert_file_refused(&file, &["--expand-entities"], expect);
    let out = run_with_stdin(&["validate", "--expand-entities", "-"], doc.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).contains(bytes), "{}", stdout(&out));
    // 13 runs of the binary in all.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// XXE: an external entity naming a local file. Refused at the DOCTYPE; the file's content
/// never appears. Without a DOCTYPE the reference is an undefined entity.
#[test]
fn external_entity_is_refused() {
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document [\n  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n{}",
        with_additional_data("&xxe;").replacen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "", 1)
    );
    let file = temp_file("xxe.xml", doc.as_bytes());
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "doctype",
            message: "DOCTYPE",
            line: Some(2),
        },
    );
    let out = run(&["validate", &file]);
    assert!(!stdout(&out).contains("root:"), "{}", stdout(&out));

    let file = temp_file(
        "xxe-undeclared.xml",
        with_additional_data("&xxe;").as_bytes(),
    );
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "syntax",
            message: "undefined entity",
            line: Some(7),
        },
    );
}

/// 100,000 nested elements, in raw extension content and in a recursive IODEF element
/// (`IndicatorExpression`, read by recursive generated code): refused at depth 129.
#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let raw = with_additional_data(&format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth)));
    let file = temp_file("deep-raw.xml", raw.as_bytes());
    let expect = || Expect {
        kind: "syntax",
        message: "nested deeper than 128",
        line: Some(7),
    };
    assert_file_refused(&file, &[], expect());

    let typed = format!(
        "{}<IndicatorData><Indicator><IndicatorID name=\"csirt.example.com\" version=\"1\">i1</IndicatorID>{}<Observable><Address category=\"ipv4-addr\">192.0.2.1</Address></Observable>{}</Indicator></IndicatorData>\n  </Incident>\n</IODEF-Document>\n",
        HEAD.strip_suffix("<AdditionalData dtype=\"xml\">").unwrap(),
        "<IndicatorExpression>".repeat(depth),
        "</IndicatorExpression>".repeat(depth),
    );
    let file = temp_file("deep-typed.xml", typed.as_bytes());
    assert_file_refused(&file, &[], expect());
    // Within the limit, the same structure is read (and valid).
    let shallow = typed
        .replace(
            &"<IndicatorExpression>".repeat(depth),
            &"<IndicatorExpression>".repeat(100),
        )
        .replace(
            &"</IndicatorExpression>".repeat(depth),
            &"</IndicatorExpression>".repeat(100),
        );
    let file = temp_file("deep-typed-100.xml", shallow.as_bytes());
    assert_valid(&file, &[]);
}

/// A 2 MB attribute value: the start tag is over the 1 MiB tag limit. Raising the limit
/// makes the same document valid.
#[test]
fn huge_attribute_is_refused() {
    let value = "A".repeat(2 * 1024 * 1024);
    let doc = with_additional_data("<a/>").replacen(
        "<AdditionalData dtype=\"xml\"",
        &format!("<AdditionalData dtype=\"xml\" meaning=\"{value}\""),
        1,
    );
    let file = temp_file("huge-attribute.xml", doc.as_bytes());
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "limit",
            message: "start tag of 2097189 bytes is larger than 1048576 bytes",
            line: Some(7),
        },
    );
    assert_valid(&file, &["--max-tag-bytes", "4194304"]);
}

#[test]
fn invalid_utf8_is_refused() {
    let mut doc = HEAD.as_bytes().to_vec();
    doc.extend_from_slice(b"caf\xe9 \xff\xfe");
    doc.extend_from_slice(TAIL.as_bytes());
    let file = temp_file("invalid-utf8.xml", &doc);
    let expect = || Expect {
        kind: "syntax",
        message: "invalid UTF-8",
        line: Some(7),
    };
    assert_file_refused(&file, &[], expect());
    assert_stdin_refused(&doc, expect());
}

#[test]
fn truncated_documents_are_refused() {
    let doc = with_additional_data("<a/>");
    // Inside a tag (`<IncidentID name="csirt.exa`).
    let cut = doc.find("csirt.example.com").unwrap() + 9;
    let file = temp_file("truncated-in-tag.xml", &doc.as_bytes()[..cut]);
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "syntax",
            message: "unexpected end of input",
            line: Some(4),
        },
    );
    // Between elements: after `</Incident>`, the root is never closed.
    let cut = doc.find("</Incident>").unwrap() + "</Incident>".len();
    let file = temp_file("truncated-between-tags.xml", &doc.as_bytes()[..cut]);
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "syntax",
            message: "unexpected end of input",
            line: Some(8),
        },
    );
    // Through standard input too.
    assert_stdin_refused(
        &doc.as_bytes()[..doc.len() / 2],
        Expect {
            kind: "syntax",
            message: "unexpected end of input",
            line: None,
        },
    );
}

#[test]
fn empty_input_is_refused() {
    let expect = || Expect {
        kind: "syntax",
        message: "empty document",
        line: Some(1),
    };
    let file = temp_file("empty.xml", b"");
    assert_file_refused(&file, &[], expect());
    assert_stdin_refused(b"", expect());
    let file = temp_file("whitespace.xml", b"  \n\t\n");
    assert_file_refused(
        &file,
        &[],
        Expect {
            line: None,
            ..expect()
        },
    );
}

/// Element count through a lowered `--max-elements` (see the module documentation).
#[test]
fn too_many_elements_are_refused_above_a_lowered_limit() {
    let doc = with_additional_data(&"<a/>".repeat(2_000));
    let file = temp_file("many-elements.xml", doc.as_bytes());
    assert_valid(&file, &[]);
    assert_file_refused(
        &file,
        &["--max-elements", "1000"],
        Expect {
            kind: "limit",
            message: "more than 1000 elements",
            line: Some(7),
        },
    );
}

/// A 2 MB text node above a lowered `--max-text-bytes` (the default is 64 MiB).
#[test]
fn huge_text_node_is_refused_above_a_lowered_limit() {
    let doc = with_additional_data(&"x".repeat(2 * 1024 * 1024));
    let file = temp_file("huge-text.xml", doc.as_bytes());
    assert_valid(&file, &[]);
    assert_file_refused(
        &file,
        &["--max-text-bytes", "1048576"],
        Expect {
            kind: "limit",
            message: "text node of 2097152 bytes is larger than 1048576 bytes",
            line: Some(7),
        },
    );
}

/// XXE with `--expand-entities`: the external entity is still refused at its declaration, and
/// the file it names is never read (its content appears nowhere).
#[test]
fn external_entity_is_refused_with_expand_entities() {
    let secret = temp_file("secret.txt", b"SECRET-CONTENT-7f3a");
    for keyword in [
        "SYSTEM \"file://{secret}\"",
        "PUBLIC \"-//x//EN\" \"{secret}\"",
    ] {
        let id = keyword.replace("{secret}", &secret);
        let doc = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document [\n  <!ENTITY xxe {id}>\n]>\n{}",
            with_additional_data("&xxe;").replacen(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "",
                1
            )
        );
        let file = temp_file("xxe-expand.xml", doc.as_bytes());
        assert_file_refused(
            &file,
            &["--expand-entities"],
            Expect {
                kind: "doctype",
                message: "external entity 'xxe'",
                line: Some(3),
            },
        );
        let out = run(&["convert", "--expand-entities", "--to", "xml", &file]);
        assert_eq!(code(&out), 1);
        assert!(
            stderr(&out).contains("external entity 'xxe'"),
            "{}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("SECRET"), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // An external DTD subset is refused too (nothing is fetched).
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document SYSTEM \"file://{secret}\">\n{}",
        with_additional_data("<a/>").replacen(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "",
            1
        )
    );
    let file = temp_file("external-subset.xml", doc.as_bytes());
    assert_file_refused(
        &file,
        &["--expand-entities"],
        Expect {
            kind: "doctype",
            message: "external DTD subset (SYSTEM)",
            line: Some(2),
        },
    );
}

/// The RFC 7970 §7.1 corpus document with a DOCTYPE declaring two harmless internal entities,
/// used in a text node and an attribute value.
fn corpus_document_with_entities() -> String {
    let file = iodef_tests::corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml");
    let original = std::fs::read_to_string(file).unwrap();
    let with_doctype = original.replacen(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE IODEF-Document [\n  <!ENTITY org \"Example CSIRT\">\n  <!ENTITY host \"csirt.example.com\">\n]>\n",
        1,
    );
    let doc = with_doctype
        .replacen(
            "<IncidentID name=\"csirt.example.com\">",
            "<IncidentID name=\"&host;\">",
            1,
        )
        .replacen(
            "<Contact type=\"organization\" role=\"creator\">\n",
            "<Contact type=\"organization\" role=\"creator\">\n      <ContactName>&org; &amp; friends</ContactName>\n",
            1,
        );
    assert!(doc.contains("&org;") && doc.contains("&host;"), "{doc}");
    doc
}

#[test]
fn internal_entity_in_a_valid_document_is_expanded_with_the_flag() {
    let doc = corpus_document_with_entities();
    let file = temp_file("internal-entity.xml", doc.as_bytes());
    // With the flag: valid, and converted with the entities expanded.
    assert_valid(&file, &["--expand-entities"]);
    let out = run(&["convert", "--expand-entities", "--to", "xml", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let xml = stdout(&out);
    assert!(xml.contains(">Example CSIRT &amp; friends</"), "{xml}");
    assert!(xml.contains("name=\"csirt.example.com\""), "{xml}");
    assert!(!xml.contains("DOCTYPE") && !xml.contains("&org;"), "{xml}");
    let out = run_with_stdin(&["validate", "--expand-entities", "-"], doc.as_bytes());
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // Without it: refused at the DOCTYPE (line 2), the message naming the flag.
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "doctype",
            message: "DOCTYPE declarations are not accepted (use --expand-entities",
            line: Some(2),
        },
    );
    let out = run(&["convert", "--to", "xml", &file]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            ":2:1: error: /: DOCTYPE declarations are not accepted (use --expand-entities"
        ),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());

    // Lines after the DOCTYPE keep their numbers: an error after it is on its own line.
    let broken = doc.replacen("<GenerationTime>", "<Bogus/><GenerationTime>", 1);
    let line = broken.lines().position(|l| l.contains("<Bogus/>")).unwrap() as u64 + 1;
    let file = temp_file("internal-entity-invalid.xml", broken.as_bytes());
    assert_file_refused(
        &file,
        &["--expand-entities"],
        Expect {
            kind: "unexpected_element",
            message: "unexpected element {urn:ietf:params:xml:ns:iodef-2.0}Bogus",
            line: Some(line),
        },
    );
}
