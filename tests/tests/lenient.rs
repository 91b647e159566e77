//! Parse policies: strict (the default) refuses unknown content as before; lenient keeps it
//! aside, losslessly, in `Document::unknown` with its path and line:column, and the known data
//! is intact. Every schema-valid corpus document reads the same under both policies.

use iodef::bindings::{iodef2, Root};
use iodef::{AnyElement, Document, ErrorKind, MixedNode, Policy, ReadOptions, UnknownNode};
use iodef_tests::corpus;

const NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";

/// A valid document; `{a}`, `{b}`, ... mark where the tests insert unknown content.
const TEMPLATE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:x="urn:example:ext">
  <Incident purpose="reporting"{attr}>
    <IncidentID name="csirt.example.com">492382</IncidentID>
    {incident}<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator">
      <ContactName>CSIRT</ContactName>
      <Contact type="person" role="tech">
        {contact}<ContactName>Alice</ContactName>
        <Email><EmailTo>alice@example.com</EmailTo></Email>
      </Contact>
    </Contact>
  </Incident>
</IODEF-Document>
"#;

fn doc(attr: &str, incident: &str, contact: &str) -> String {
    TEMPLATE
        .replace("{attr}", attr)
        .replace("{incident}", incident)
        .replace("{contact}", contact)
}

fn lenient(xml: &str) -> Document<Root> {
    iodef::read_with(xml.as_bytes(), &ReadOptions::lenient())
        .unwrap_or_else(|e| panic!("lenient parse failed: {e}\n{xml}"))
}

fn incident(d: &Document<Root>) -> &iodef2::Incident {
    match &d.root {
        Root::Iodef2(iodef2::Element::IodefDocument(doc)) => &doc.incident[0],
        other => panic!("not an IODEF 2.0 document: {other:?}"),
    }
}

/// The known data of the template, whatever was inserted.
fn assert_known_data(d: &Document<Root>) {
    let inc = incident(d);
    assert_eq!(inc.incident_id.value, "492382");
    assert_eq!(inc.generation_time.to_string(), "2015-07-18T09:00:00-05:00");
    let creator = &inc.contact[0];
    assert_eq!(creator.contact_name[0].value, "CSIRT");
    let tech = &creator.contact[0];
    assert_eq!(tech.contact_name[0].value, "Alice");
    assert_eq!(tech.email[0].email_to, "alice@example.com");
}

/// The strict error and the lenient parse of a document with one piece of unknown content:
/// the error (kind, line, column, path) and the single kept item (line, column, `kept_path`)
/// agree on the position; the lenient document is written back with the unknown content in
/// place.
fn check_one(
    xml: &str,
    kind: ErrorKind,
    (line, column): (u64, u64),
    path: &str,
    kept_path: &str,
) -> UnknownNode {
    let err = iodef::read(xml.as_bytes()).expect_err("strict parse must fail");
    assert_eq!(err.kind, kind, "{err}");
    assert_eq!(err.path, path, "{err}");
    assert_eq!((err.line, err.column), (line, column), "{err}");
    // `read` is `read_with` the default options.
    let strict = iodef::read_with(xml.as_bytes(), &ReadOptions::default()).unwrap_err();
    assert_eq!(strict, err);

    let d = lenient(xml);
    assert_known_data(&d);
    assert_eq!(d.unknown.len(), 1, "{:?}", d.unknown);
    let u = &d.unknown[0];
    assert_eq!(
        (u.path.as_str(), u.line, u.column),
        (kept_path, line, column),
        "{u}"
    );
    let at = &xml[u.offset..];
    match &u.node {
        UnknownNode::Element(e) => assert!(at.starts_with('<') && at[1..].contains(&e.local)),
        UnknownNode::Attribute(a) => assert!(at.starts_with(&a.local)),
        UnknownNode::Text(_) => {}
    }

    // The unknown content is written back in place (the output is the input as an infoset);
    // reading the output again keeps it the same way.
    let written = d.to_xml_string();
    iodef_tests::infoset::compare_xml(xml.as_bytes(), written.as_bytes()).unwrap();
    let again = lenient(&written);
    assert_eq!(again.root, d.root);
    assert_eq!(again.to_xml_string(), written);
    let clean = iodef::read(doc("", "", "").as_bytes()).unwrap();
    assert_ne!(
        d.root, clean.root,
        "the unknown content is part of the value"
    );
    u.node.clone()
}

#[test]
fn unknown_element_in_incident() {
    let xml = doc(
        "",
        r#"<Future-Element kind="a"><Sub>text &amp; more</Sub><!--c--></Future-Element>
    "#,
        "",
    );
    // Strict: the unknown element stands where GenerationTime is required, so the error is
    // the missing GenerationTime (with the parent's path), as before.
    check_one(
        &xml,
        ErrorKind::MissingElement,
        (5, 5),
        "/IODEF-Document/Incident[1]",
        "/IODEF-Document/Incident[1]/Future-Element[1]",
    );
    let d = lenient(&xml);
    let u = &d.unknown[0];
    assert_eq!(
        u.to_string(),
        format!("5:5: /IODEF-Document/Incident[1]/Future-Element[1]: unknown element {{{NS}}}Future-Element")
    );
    let UnknownNode::Element(e) = &u.node else {
        panic!("not an element: {u:?}")
    };
    assert_eq!(e.ns.as_deref(), Some(NS));
    assert_eq!(e.local, "Future-Element");
    assert_eq!(e.attributes[0].local, "kind");
    assert_eq!(e.attributes[0].value, "a");
    let sub: Vec<&AnyElement> = e.children.elements().collect();
    assert_eq!(sub[0].local, "Sub");
    assert_eq!(
        sub[0].children.0,
        vec![MixedNode::Text("text & more".into())]
    );
    assert!(matches!(&e.children.0[1], MixedNode::Comment(c) if c == "c"));
    // Lossless: written on its own, the element is the input's.
    let mut w = iodef::rt::XmlWriter::new(&[]);
    e.write(&mut w).unwrap();
    assert_eq!(
        w.into_string(),
        format!(
            r#"<Future-Element xmlns="{NS}" kind="a"><Sub>text &amp; more</Sub><!--c--></Future-Element>"#
        )
    );
}

#[test]
fn unknown_element_at_the_end_of_incident() {
    // After every known child: strict says "unexpected element".
    let xml = doc("", "", "").replace(
        "    </Contact>\n  </Incident>",
        "    </Contact>\n    <Future-Element/>\n  </Incident>",
    );
    let err = iodef::read(xml.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("13:5: /IODEF-Document/Incident[1]/Future-Element[1]: unexpected element {{{NS}}}Future-Element")
    );
    let d = lenient(&xml);
    assert_known_data(&d);
    assert_eq!(d.unknown.len(), 1);
    assert_eq!(
        d.unknown[0].to_string(),
        format!("13:5: /IODEF-Document/Incident[1]/Future-Element[1]: unknown element {{{NS}}}Future-Element")
    );
}

#[test]
fn unknown_element_in_nested_contact() {
    let xml = doc("", "", "<Pager>+1 555 0100</Pager>\n        ");
    let path = "/IODEF-Document/Incident[1]/Contact[1]/Contact[1]/Pager[1]";
    let node = check_one(&xml, ErrorKind::UnexpectedElement, (9, 9), path, path);
    let UnknownNode::Element(e) = node else {
        panic!("not an element")
    };
    assert_eq!((e.ns.as_deref(), e.local.as_str()), (Some(NS), "Pager"));
    assert_eq!(e.children.0, vec![MixedNode::Text("+1 555 0100".into())]);
}

#[test]
fn foreign_element_where_no_wildcard_is_allowed() {
    let xml = doc("", "", r#"<x:Foreign x:a="1"><x:b/></x:Foreign>"#);
    let path = "/IODEF-Document/Incident[1]/Contact[1]/Contact[1]/Foreign[1]";
    let node = check_one(&xml, ErrorKind::UnexpectedElement, (9, 9), path, path);
    let UnknownNode::Element(e) = node else {
        panic!("not an element")
    };
    assert_eq!(e.ns.as_deref(), Some("urn:example:ext"));
    assert_eq!(e.prefix.as_deref(), Some("x"));
    assert_eq!(e.attributes[0].ns.as_deref(), Some("urn:example:ext"));
    assert_eq!(e.attributes[0].value, "1");
    assert_eq!(e.children.elements().next().unwrap().local, "b");
}

#[test]
fn unknown_attribute() {
    let xml = doc(r#" future-attr="x &lt; y""#, "", "");
    let path = "/IODEF-Document/Incident[1]";
    let node = check_one(&xml, ErrorKind::UnexpectedAttribute, (3, 33), path, path);
    let UnknownNode::Attribute(a) = node else {
        panic!("not an attribute")
    };
    assert_eq!(
        (a.ns, a.local.as_str(), a.value.as_str()),
        (None, "future-attr", "x < y")
    );

    // A namespaced one, on an element whose type declares no attribute at all.
    let xml = doc("", "", "").replace("<EmailTo>", r#"<EmailTo x:hint="h">"#);
    let err = iodef::read(xml.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnexpectedAttribute);
    let d = lenient(&xml);
    assert_known_data(&d);
    let UnknownNode::Attribute(a) = &d.unknown[0].node else {
        panic!("not an attribute")
    };
    assert_eq!(a.ns.as_deref(), Some("urn:example:ext"));
    assert_eq!(a.prefix.as_deref(), Some("x"));
    assert_eq!(
        d.unknown[0].path,
        "/IODEF-Document/Incident[1]/Contact[1]/Contact[1]/Email[1]/EmailTo[1]"
    );
}

#[test]
fn text_in_element_only_content() {
    let xml = doc("", "stray &amp; <![CDATA[text]]>\n    ", "");
    let err = iodef::read(xml.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnexpectedText);
    let d = lenient(&xml);
    assert_known_data(&d);
    assert_eq!(d.unknown.len(), 1, "{:?}", d.unknown);
    let u = &d.unknown[0];
    assert_eq!(
        (u.line, u.column, u.path.as_str()),
        (5, 5, "/IODEF-Document/Incident[1]")
    );
    assert_eq!(u.node, UnknownNode::Text("\n    stray & text\n    ".into()));
    assert_eq!(
        (err.line, err.column, err.path.as_str()),
        (5, 5, "/IODEF-Document/Incident[1]")
    );
}

#[test]
fn element_in_text_only_content() {
    let xml = doc("", "", "").replace(
        "<ContactName>Alice</ContactName>",
        "<ContactName>Al<b>!</b>ice</ContactName>",
    );
    let err = iodef::read(xml.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    let d = lenient(&xml);
    assert_known_data(&d);
    let u = &d.unknown[0];
    assert_eq!(
        u.path,
        "/IODEF-Document/Incident[1]/Contact[1]/Contact[1]/ContactName[1]/b[1]"
    );
    assert!(matches!(&u.node, UnknownNode::Element(e) if e.local == "b"));
}

#[test]
fn several_items_in_document_order() {
    let xml = doc(
        r#" future-attr="1""#,
        "<Future-Element/>\n    ",
        "<x:Foreign/><Pager/>\n        ",
    );
    let d = lenient(&xml);
    assert_known_data(&d);
    let got: Vec<String> = d.unknown.iter().map(ToString::to_string).collect();
    assert_eq!(
        got,
        [
            "3:33: /IODEF-Document/Incident[1]: unknown attribute future-attr"
                .to_string(),
            format!("5:5: /IODEF-Document/Incident[1]/Future-Element[1]: unknown element {{{NS}}}Future-Element"),
            "10:9: /IODEF-Document/Incident[1]/Contact[1]/Contact[1]/Foreign[1]: unknown element {urn:example:ext}Foreign".to_string(),
            format!("10:21: /IODEF-Document/Incident[1]/Contact[1]/Contact[1]/Pager[1]: unknown element {{{NS}}}Pager"),
        ]
    );
    // Writing puts them back in place: the output is the input, as an infoset.
    iodef_tests::infoset::compare_xml(xml.as_bytes(), d.to_xml_string().as_bytes()).unwrap();
    let clean = iodef::read(doc("", "", "").as_bytes()).unwrap();
    assert_ne!(d.to_xml_string(), clean.to_xml_string());
}

#[test]
fn lenient_keeps_other_errors() {
    // Missing required content, invalid values and known elements out of place stay errors.
    let missing = doc("", "", "").replace(
        "<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>",
        "<Future-Element/>",
    );
    let err = iodef::read_with(missing.as_bytes(), &ReadOptions::lenient()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::MissingElement);
    let invalid = doc("", "", "").replace("purpose=\"reporting\"", "purpose=\"nope\"");
    let err = iodef::read_with(invalid.as_bytes(), &ReadOptions::lenient()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidValue);
    let twice = doc("", "", "").replace(
        "<GenerationTime>",
        "<IncidentID name=\"a\">1</IncidentID><GenerationTime>",
    );
    let err = iodef::read_with(twice.as_bytes(), &ReadOptions::lenient()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::MissingElement);
    let options = ReadOptions {
        policy: Policy::Lenient,
        max_depth: 3,
        ..ReadOptions::default()
    };
    let err = iodef::read_with(doc("", "", "").as_bytes(), &options).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Syntax);
}

#[test]
fn wildcard_content_is_not_unknown() {
    // AdditionalData is mixed content: foreign elements there are data, not unknown content.
    let xml = doc(
        "",
        "",
        r#"<AdditionalData dtype="xml"><x:data/></AdditionalData>
        "#,
    )
    // AdditionalData comes last in Contact: it is the only child here.
    .replace("<ContactName>Alice</ContactName>", "")
    .replace("<Email><EmailTo>alice@example.com</EmailTo></Email>", "");
    let strict = iodef::read(xml.as_bytes()).unwrap();
    let lenient = iodef::read_with(xml.as_bytes(), &ReadOptions::lenient()).unwrap();
    assert!(lenient.unknown.is_empty(), "{:?}", lenient.unknown);
    assert_eq!(lenient, strict);
}

#[test]
fn corpus_reads_the_same_in_both_policies() {
    let mut checked = 0;
    for e in corpus::valid() {
        if !e.path.ends_with(".xml") || corpus::expected_refused(&e.path).is_some() {
            continue;
        }
        let input = std::fs::read(&e.file).unwrap_or_else(|err| panic!("{}: {err}", e.path));
        let strict = iodef::read(&input).unwrap_or_else(|err| panic!("{}: {err}", e.path));
        let lenient = iodef::read_with(&input, &ReadOptions::lenient())
            .unwrap_or_else(|err| panic!("{}: lenient: {err}", e.path));
        assert!(
            lenient.unknown.is_empty(),
            "{}: {:?}",
            e.path,
            lenient.unknown
        );
        assert_eq!(strict, lenient, "{}", e.path);
        assert_eq!(
            strict.to_xml_string(),
            lenient.to_xml_string(),
            "{}",
            e.path
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} corpus documents checked");
}

#[test]
fn corpus_invalid_documents_keep_their_strict_errors() {
    // Strict refuses what it refused before; lenient refuses it too or keeps something aside.
    for e in corpus::invalid() {
        if !e.path.ends_with(".xml") {
            continue;
        }
        let input = std::fs::read(&e.file).unwrap();
        let Err(strict) = iodef::read(&input) else {
            continue;
        };
        if let Ok(d) = iodef::read_with(&input, &ReadOptions::lenient()) {
            assert!(
                !d.unknown.is_empty(),
                "{}: lenient accepted without warnings what strict refused: {strict}",
                e.path
            );
        }
    }
}
