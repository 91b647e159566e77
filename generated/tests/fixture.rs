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
use iodef::{Document, ErrorKind, Integer, MixedNode};

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
            ReportRootChoice::Count(3.into()),
            ReportRootChoice::Name("a".into()),
            ReportRootChoice::Count(4.into())
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

#[test]
fn exact_integers_keep_their_form_and_check_their_ranges() {
    let xml = |node: &str| {
        format!(
            r#"<Report-Root xmlns="urn:example:tricky" type="x">{node}<Count>+00123456789012345678901234567890</Count></Report-Root>"#
        )
    };
    let doc = Document::<ReportRoot>::from_str(&xml(
        r#"<Node limit="255" weight="+0340282366920938463463374607431768211456"><Big> 018446744073709551617 </Big></Node>"#,
    ))
    .expect("valid");
    let node = &doc.root.node[0];
    assert_eq!(node.limit, Some(255));
    assert_eq!(node.weight().bits(), 129);
    let big = node.big.as_ref().expect("Big");
    assert_eq!(*big.0, "18446744073709551617".parse::<Integer>().unwrap());
    assert_eq!(
        doc.root.choice,
        vec![ReportRootChoice::Count(
            "123456789012345678901234567890".parse().unwrap()
        )]
    );
    // Written back as read (whitespace around the element's value aside).
    let written = doc.to_xml_string();
    for form in [
        r#"limit="255""#,
        r#"weight="+0340282366920938463463374607431768211456""#,
        "<Big>018446744073709551617</Big>",
        "<Count>+00123456789012345678901234567890</Count>",
    ] {
        assert!(written.contains(form), "{form} in {written}");
    }
    assert_eq!(Document::<ReportRoot>::from_str(&written).unwrap(), doc);

    // Schema defaults through the accessors.
    let plain = Document::<ReportRoot>::from_str(&xml("<Node/>")).unwrap();
    assert_eq!(plain.root.node[0].limit(), 10);
    assert_eq!(plain.root.node[0].weight().to_string(), "+01");
    assert_eq!(*plain.root.node[0].weight(), Integer::from(1));

    // Out of range, each with its reason.
    for (node, reason) in [
        (
            r#"<Node limit="256"/>"#,
            "256 is out of range for xs:unsignedByte (0 to 255)",
        ),
        (
            r#"<Node limit="-1"/>"#,
            "-1 is out of range for xs:unsignedByte (0 to 255)",
        ),
        (
            r#"<Node weight="0"/>"#,
            "0 is out of range for xs:positiveInteger (at least 1)",
        ),
        (
            r#"<Node weight="-5"/>"#,
            "-5 is out of range for xs:positiveInteger (at least 1)",
        ),
        (
            "<Node><Big>18446744073709551618</Big></Node>",
            "18446744073709551618 is not at most 18446744073709551617",
        ),
        (
            "<Node><Big>-1</Big></Node>",
            "-1 is out of range for xs:nonNegativeInteger (at least 0)",
        ),
        ("<Node><Big>1.0</Big></Node>", "not a valid integer"),
    ] {
        let err = Document::<ReportRoot>::from_str(&xml(node)).expect_err(node);
        assert_eq!(err.kind, ErrorKind::InvalidValue, "{err}");
        assert!(err.message.ends_with(reason), "{node}: {err}");
        assert!(err.path.starts_with("/Report-Root/Node[1]"), "{err}");
        assert_eq!((err.line, err.column > 1), (1, true), "{err}");
    }
}
