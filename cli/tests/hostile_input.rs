//! Hostile input through the real `iodef validate` binary: each is refused with exit 1 and one
//! finding naming the problem at a line:column, without a panic, a crash or an entity expanded.
//! The big inputs are generated under the target's temporary directory at test time. No test
//! measures time: they only have to finish.
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
<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"/>
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
/// panic and nothing on stderr, exactly one finding with a position.
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
        assert_eq!(lines.len(), 1, "{name}: {}", stdout(out));
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
        assert_eq!(lines.len(), 1, "{name}: {text}");
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

/// Billion laughs: nested internal entities in a DOCTYPE. Refused at the DOCTYPE, nothing is
/// expanded.
#[test]
fn billion_laughs_is_refused_at_the_doctype() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE IODEF-Document [\n");
    doc.push_str("  <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let previous = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        doc.push_str(&format!(
            "  <!ENTITY lol{i} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    doc.push_str("]>\n");
    doc.push_str(&with_additional_data("&lol9;").replacen(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "",
        1,
    ));
    let file = temp_file("billion-laughs.xml", doc.as_bytes());
    let expect = || Expect {
        kind: "doctype",
        message: "DOCTYPE",
        line: Some(2),
    };
    assert_file_refused(&file, &[], expect());
    assert_stdin_refused(doc.as_bytes(), expect());
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
        "{}<IndicatorData><Indicator><IndicatorID name=\"csirt.example.com\" version=\"1\">1</IndicatorID>{}<Observable><Address category=\"ipv4-addr\">192.0.2.1</Address></Observable>{}</Indicator></IndicatorData>\n  </Incident>\n</IODEF-Document>\n",
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
        "name=\"csirt.example.com\"",
        &format!("name=\"{value}\""),
        1,
    );
    let file = temp_file("huge-attribute.xml", doc.as_bytes());
    assert_file_refused(
        &file,
        &[],
        Expect {
            kind: "limit",
            message: "start tag of 2097170 bytes is larger than 1048576 bytes",
            line: Some(4),
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
