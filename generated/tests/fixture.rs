//! The generator's fixture snapshot (generator/tests/fixtures/tricky) compiled warning-free and
//! exercised: ext-* enum pair, repeating choice, mixed content with foreign XML, recursion,
//! keyword-named and hyphenated attributes.
#![deny(warnings)]

// A library module included in a test crate: items the tests do not touch are dead here.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../generator/tests/fixtures/tricky/expected/mod.rs"]
mod bindings;

use bindings::tricky::{Node, ReportRoot, ReportRootChoice, SeverityType};
use iodef::{Document, ErrorKind, MixedNode};

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<t:Report-Root xmlns:t="urn:example:tricky" type="probe" severity="ext-value" ext-severity="catastrophic" observable-id="r1" xml:lang="en">
  <t:Node virtual="true"><t:When> 2024-02-29T12:00:00Z </t:When><t:Node><t:Amount>10.50</t:Amount><t:Node/></t:Node></t:Node>
  <t:Node/>
  <t:Count>3</t:Count><t:Name>a</t:Name><t:Count>4</t:Count>
  <t:Extra dtype="xml">before <x:thing xmlns:x="urn:other" x:flag="1">inner<x:deep/></x:thing> after</t:Extra>
</t:Report-Root>"#;

#[test]
fn fixture_document_round_trips_with_typed_values() {
    let doc = Document::<ReportRoot>::from_str(DOC).expect("parse");
    let root = &doc.root;
    assert_eq!(root.type_, "probe");
    assert_eq!(
        root.severity,
        Some(SeverityType::Ext("catastrophic".into()))
    );
    assert_eq!(root.observable_id.as_deref(), Some("r1"));
    assert_eq!(root.lang.as_deref(), Some("en"));
    // recursion: Node > Node > Node
    let first = &root.node[0];
    assert_eq!(first.virtual_, Some(true));
    assert_eq!(
        first.when.as_ref().map(|w| w.to_string()).as_deref(),
        Some("2024-02-29T12:00:00Z")
    );
    let second = first.node.as_deref().expect("nested node");
    assert_eq!(
        second.amount.as_ref().map(|a| a.to_string()).as_deref(),
        Some("10.50")
    );
    assert_eq!(second.node.as_deref(), Some(&Node::new()));
    // repeating choice in document order
    assert_eq!(
        root.choice,
        vec![
            ReportRootChoice::Count(3),
            ReportRootChoice::Name("a".into()),
            ReportRootChoice::Count(4)
        ]
    );
    // mixed content: text, foreign element with its namespace and attributes, text
    let extra = root.extra.as_ref().expect("Extra");
    let nodes = &extra.content.0;
    assert!(matches!(&nodes[0], MixedNode::Text(t) if t == "before "));
    let MixedNode::Element(thing) = &nodes[1] else {
        panic!("element expected: {nodes:?}")
    };
    assert_eq!(thing.ns.as_deref(), Some("urn:other"));
    assert_eq!(thing.local, "thing");
    assert!(matches!(&nodes[2], MixedNode::Text(t) if t == " after"));

    let written = doc.to_xml_string();
    let again = Document::<ReportRoot>::from_str(&written).expect("re-parse");
    assert_eq!(again, doc);
    assert_eq!(again.to_xml_string(), written, "writing is stable");
    assert!(
        written.contains(r#"severity="ext-value" ext-severity="catastrophic""#),
        "{written}"
    );
    assert!(written.contains(r#"xml:lang="en""#), "{written}");
}

#[test]
fn schema_default_is_read_through_the_accessor_not_written() {
    let doc = Document::<ReportRoot>::from_str(
        r#"<Report-Root xmlns="urn:example:tricky" type="x"><Node/></Report-Root>"#,
    )
    .unwrap();
    assert_eq!(doc.root.severity, None);
    assert_eq!(doc.root.severity(), SeverityType::Low);
    assert!(!doc.to_xml_string().contains("severity"));
}

#[test]
fn wrong_namespace_unknown_element_and_missing_child_are_errors() {
    let cases = [
        // Node from the wrong namespace
        (
            r#"<Report-Root xmlns="urn:example:tricky" type="x"><Node xmlns="urn:other"/></Report-Root>"#,
            ErrorKind::MissingElement,
        ),
        // unknown element in the fixture namespace
        (
            r#"<Report-Root xmlns="urn:example:tricky" type="x"><Node/><Bogus/></Report-Root>"#,
            ErrorKind::UnexpectedElement,
        ),
        // missing required attribute
        (
            r#"<Report-Root xmlns="urn:example:tricky"><Node/></Report-Root>"#,
            ErrorKind::MissingAttribute,
        ),
        // unknown attribute
        (
            r#"<Report-Root xmlns="urn:example:tricky" type="x" bogus="1"><Node/></Report-Root>"#,
            ErrorKind::UnexpectedAttribute,
        ),
        // bad enumeration value
        (
            r#"<Report-Root xmlns="urn:example:tricky" type="x" severity="mild"><Node/></Report-Root>"#,
            ErrorKind::InvalidValue,
        ),
    ];
    for (xml, kind) in cases {
        let err = Document::<ReportRoot>::from_str(xml).expect_err(xml);
        assert_eq!(err.kind, kind, "{xml}: {err}");
        assert!(err.path.starts_with("/Report-Root"), "{err}");
        assert_eq!(err.line, 1, "{err}");
    }
}

#[test]
fn an_unpaired_ext_attribute_is_kept_not_dropped() {
    // RFC 7970 §5.1.1 wants ext-severity only with severity="ext-value"; the schema allows it.
    let xml = r#"<Report-Root xmlns="urn:example:tricky" type="x" severity="low" ext-severity="y"><Node/></Report-Root>"#;
    let doc = Document::<ReportRoot>::from_str(xml).expect("schema-valid");
    assert_eq!(doc.root.severity, Some(SeverityType::Low));
    assert_eq!(
        doc.root.unpaired_ext,
        vec![("ext-severity".to_string(), "y".to_string())]
    );
    let written = doc.to_xml_string();
    assert!(
        written.contains(r#"ext-severity="y""#) && written.contains(r#"severity="low""#),
        "{written}"
    );
}
