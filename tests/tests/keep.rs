//! Nothing lost, nothing silently dropped (documents written here): comments and processing
//! instructions (prolog, epilog, between children, inside text-only and extension content),
//! `xsi:*` attributes on any element, and the unknown content a lenient parse keeps (elements
//! with their own namespaces, attributes, stray text, at the start, middle and end of their
//! parents) are written back in place. `xsi:*` verdicts of the typed reader and the validator
//! agree with Python xmlschema.

use std::path::PathBuf;

use iodef::bindings::{iodef2, Root};
use iodef::rt::validate;
use iodef::rt::ExtraNode;
use iodef::{Comments, Document, ErrorKind, Misc, ReadOptions};
use iodef_tests::infoset;
use iodef_tests::validator::{self, Engine};

const NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";

/// Written the way the writer writes (no indentation, its attribute order), so that a round
/// trip is byte-for-byte.
const COMMENTED: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<!-- before the root -->\n",
    "<?xml-stylesheet href=\"iodef.css\" type=\"text/css\"?>\n",
    r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00" xml:lang="en">"#,
    "<!-- first in the root -->",
    r#"<Incident purpose="reporting"><?app step="1"?><IncidentID name="csirt.example.com">492382</IncidentID>"#,
    "<!-- between IncidentID and DetectTime -->",
    "<DetectTime><!--inside a dateTime, before it-->2015-07-18T09:00:00Z</DetectTime>",
    "<GenerationTime>2015-07-18T09:00:00Z<!--after the value--></GenerationTime>",
    "<Description>text<?pi after the text?></Description>",
    r#"<Contact role="creator" type="organization"><!--only child comment--><Email><EmailTo><!--x-->a@b.example</EmailTo></Email></Contact>"#,
    r#"<AdditionalData dtype="xml"><!-- in extension content --><ex:data xmlns:ex="urn:example:ext"><?inner pi?><!--deep--></ex:data><?ext pi?></AdditionalData>"#,
    "<!-- last in Incident --></Incident><?end-of-root?></IODEF-Document>\n",
    "<!-- after the root -->\n",
    "<?trailer x?>",
);

fn lenient() -> ReadOptions {
    ReadOptions::lenient()
}

fn read(xml: &str) -> Document<Root> {
    iodef::read(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

fn incident(doc: &Document<Root>) -> &iodef2::Incident {
    match &doc.root {
        Root::Iodef2(iodef2::Element::IodefDocument(d)) => &d.incident[0],
        other => panic!("not IODEF 2.0: {other:?}"),
    }
}

/// xmlschema's verdicts on `docs` (name, text), or `None` when the validator is skipped.
fn xmlschema(docs: &[(&str, String)]) -> Option<Vec<(String, bool, Option<String>)>> {
    if validator::skip_requested() {
        return None;
    }
    if let Some(reason) = validator::unavailable_reason(Engine::XmlSchema) {
        panic!("this test compares with Python xmlschema, which cannot run: {reason}");
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("keep");
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<PathBuf> = docs
        .iter()
        .map(|(name, text)| {
            let f = dir.join(format!("{name}.xml"));
            std::fs::write(&f, text).unwrap();
            f
        })
        .collect();
    let verdicts = validator::validate(&files, Engine::XmlSchema).expect("xmlschema runs");
    Some(
        docs.iter()
            .zip(&files)
            .map(|((name, _), f)| {
                let v = &verdicts[f];
                (name.to_string(), v.valid, v.error.clone())
            })
            .collect(),
    )
}

#[test]
fn comments_and_pis_round_trip_byte_for_byte() {
    let doc = read(COMMENTED);
    assert_eq!(doc.comments_dropped, 0);
    assert_eq!(
        doc.prolog,
        [
            Misc::Comment(" before the root ".into()),
            Misc::ProcessingInstruction(iodef::rt::Pi::new(
                "xml-stylesheet",
                "href=\"iodef.css\" type=\"text/css\""
            )),
        ]
    );
    assert_eq!(doc.epilog.len(), 2);
    // Anchored where they were: before IncidentID (child 0) and before the end tag.
    let i = incident(&doc);
    let nodes = i.extra.nodes();
    assert!(matches!(&nodes[0].node, ExtraNode::ProcessingInstruction(p) if p.target == "app"));
    assert_eq!(nodes[0].before, 0);
    assert!(
        matches!(&nodes[1].node, ExtraNode::Comment(c) if c == " between IncidentID and DetectTime ")
    );
    assert_eq!(nodes[1].before, 1);
    // DetectTime is a plain DateTime: its comment is kept by its parent, for child 1.
    assert!(nodes
        .iter()
        .any(|n| n.before == 1 && matches!(&n.node, ExtraNode::Child(_))));
    assert_eq!(doc.to_xml_string(), COMMENTED);
    // Also the same infoset, comments and PIs compared; and stable.
    let out = doc.to_xml_string();
    infoset::compare_xml(COMMENTED.as_bytes(), out.as_bytes()).unwrap();
    assert_eq!(read(&out), doc);
    // The validator accepts it too (comments and PIs are allowed anywhere).
    assert!(validate::validate(COMMENTED.as_bytes()).errors.is_empty());
}

#[test]
fn indented_comments_keep_their_places() {
    // Indentation is not kept (the writer adds none), the comments' places are.
    let xml = COMMENTED
        .replace("><", ">\n  <")
        .replace("<DetectTime>\n  <!--", "<DetectTime><!--")
        .replace("-->\n  2015", "-->2015");
    let doc = read(&xml);
    infoset::compare_xml(xml.as_bytes(), doc.to_xml_string().as_bytes()).unwrap();
}

#[test]
fn drop_comments_drops_them_and_counts_them() {
    let options = ReadOptions {
        comments: Comments::Drop,
        ..ReadOptions::default()
    };
    let doc = Document::<Root>::from_slice_with(COMMENTED.as_bytes(), &options).unwrap();
    assert_eq!(doc.comments_dropped, 18);
    let out = doc.to_xml_string();
    assert!(!out.contains("<!--") && !out.contains("<?app"), "{out}");
    infoset::compare_xml_ignoring_comments(COMMENTED.as_bytes(), out.as_bytes()).unwrap();
    assert!(infoset::compare_xml(COMMENTED.as_bytes(), out.as_bytes()).is_err());
    // Equal to the document written without them.
    let plain = read(&out);
    assert_eq!(plain.root, doc.root);
}

/// Unknown content at the start, middle and end of parents: elements with their own
/// namespaces (nested), attributes (plain and namespaced), stray text.
const UNKNOWN: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00" xml:lang="en" future="1">"#,
    r#"<Future-First><Deep xmlns="urn:example:deep" level="2"><Deeper>t</Deeper></Deep></Future-First>"#,
    r#"<Incident purpose="reporting" xmlns:f="urn:example:f" f:flag="yes">"#,
    "stray at the start",
    r#"<f:Start/><IncidentID name="csirt.example.com">492382</IncidentID>"#,
    r#"<f:Middle f:a="1">x<f:In/>y</f:Middle>stray in the middle"#,
    // A simple-typed child (a plain DateTime) with an unknown attribute and element: kept by
    // its parent, for it.
    r#"<GenerationTime f:g="3">2015-07-18T09:00:00Z<f:InText/></GenerationTime>"#,
    r#"<Contact role="creator" type="organization" f:c="2"><Unknown-In-Contact/></Contact>"#,
    r#"<f:End/>stray at the end</Incident>"#,
    "<Future-Last/></IODEF-Document>",
);

#[test]
fn lenient_unknown_content_round_trips_in_place() {
    // Strict: refused.
    assert!(iodef::read(UNKNOWN.as_bytes()).is_err());
    let doc = iodef::read_with(UNKNOWN.as_bytes(), &lenient()).unwrap();
    assert_eq!(doc.unknown.len(), 14, "{:#?}", doc.unknown);
    let out = doc.to_xml_string();
    infoset::compare_xml(UNKNOWN.as_bytes(), out.as_bytes())
        .unwrap_or_else(|e| panic!("{e}\n{out}"));
    // Byte-for-byte but for where namespaces are declared.
    assert_eq!(
        out.replace(r#" xmlns:f="urn:example:f""#, ""),
        UNKNOWN.replace(r#" xmlns:f="urn:example:f""#, "")
    );
    // Stable, and the same warnings when read again.
    let again = iodef::read_with(out.as_bytes(), &lenient()).unwrap();
    assert_eq!(again.root, doc.root);
    assert_eq!(again.to_xml_string(), out);
    let paths = |d: &Document<Root>| d.unknown.iter().map(|u| u.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&again), paths(&doc));
    // Both engines call both documents invalid, as xmlschema does.
    assert!(!validate::validate(out.as_bytes()).errors.is_empty());
    if let Some(v) = xmlschema(&[("unknown-in", UNKNOWN.to_string()), ("unknown-out", out)]) {
        assert!(v.iter().all(|(_, valid, _)| !valid), "{v:?}");
    }
}

#[test]
fn lenient_output_is_schema_valid_where_the_input_was() {
    // A valid document read leniently is written as read.
    let doc = iodef::read_with(COMMENTED.as_bytes(), &lenient()).unwrap();
    assert!(doc.unknown.is_empty());
    assert_eq!(doc.to_xml_string(), read(COMMENTED).to_xml_string());
    if let Some(v) = xmlschema(&[("commented-out", doc.to_xml_string())]) {
        assert!(v[0].1, "{v:?}");
    }
}

/// IODEF 2.0 with the xsi attribute `attr` on the element named by `on`.
fn with_xsi(on: &str, attr: &str) -> String {
    let template = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.00" xml:lang="en">"#,
        r#"<Incident purpose="reporting"@Incident><IncidentID name="csirt.example.com"@IncidentID>1</IncidentID>"#,
        "<DetectTime@DetectTime>2015-07-18T09:00:00Z</DetectTime>",
        "<GenerationTime>2015-07-18T09:00:00Z</GenerationTime>",
        "<Description@Description>d</Description>",
        r#"<Contact role="creator" type="organization"@Contact><Email><EmailTo@EmailTo>a@b.example</EmailTo></Email></Contact>"#,
        r#"<AdditionalData dtype="string"@AdditionalData>v</AdditionalData>"#,
        "</Incident></IODEF-Document>",
    );
    let mut s = template.to_string();
    // Longer names first: "@Incident" is a prefix of "@IncidentID".
    for name in [
        "IncidentID",
        "Incident",
        "DetectTime",
        "Description",
        "Contact",
        "EmailTo",
        "AdditionalData",
    ] {
        let marker = format!("@{name}");
        let with = if name == on {
            format!(" {attr}")
        } else {
            String::new()
        };
        s = s.replace(&marker, &with);
    }
    s
}

#[test]
fn xsi_attributes_on_inner_elements_agree_with_xmlschema() {
    let xs = r#"xmlns:xs="http://www.w3.org/2001/XMLSchema""#;
    let cases: Vec<(&str, String, bool)> = vec![
        (
            "loc-incident",
            with_xsi("Incident", r#"xsi:schemaLocation="urn:example x.xsd""#),
            true,
        ),
        (
            "loc-detect",
            with_xsi("DetectTime", r#"xsi:noNamespaceSchemaLocation="x.xsd""#),
            true,
        ),
        (
            "loc-email",
            with_xsi("EmailTo", r#"xsi:schemaLocation="a b""#),
            true,
        ),
        (
            "type-detect",
            with_xsi("DetectTime", &format!(r#"{xs} xsi:type="xs:dateTime""#)),
            true,
        ),
        (
            "type-email",
            with_xsi("EmailTo", &format!(r#"{xs} xsi:type="xs:string""#)),
            true,
        ),
        (
            "type-desc",
            with_xsi(
                "Description",
                r#"xmlns:i="urn:ietf:params:xml:ns:iodef-2.0" xsi:type="i:MLStringType""#,
            ),
            true,
        ),
        (
            "type-desc-default",
            with_xsi("Description", r#"xsi:type="MLStringType""#),
            true,
        ),
        (
            "type-ad",
            with_xsi("AdditionalData", r#"xsi:type="ExtensionType""#),
            true,
        ),
        (
            "type-incidentid",
            with_xsi("IncidentID", r#"xsi:type="IncidentIDType""#),
            true,
        ),
        (
            "type-wrong",
            with_xsi("DetectTime", &format!(r#"{xs} xsi:type="xs:string""#)),
            false,
        ),
        (
            "type-anon",
            with_xsi("Incident", r#"xsi:type="MLStringType""#),
            false,
        ),
        (
            "type-unknown",
            with_xsi("Description", r#"xsi:type="NoSuchType""#),
            false,
        ),
        (
            "type-unbound",
            with_xsi("Description", r#"xsi:type="nope:MLStringType""#),
            false,
        ),
        (
            "nil-false",
            with_xsi("Contact", r#"xsi:nil="false""#),
            false,
        ),
        (
            "nil-true",
            with_xsi("Description", r#"xsi:nil="true""#),
            false,
        ),
        (
            "xsi-other",
            with_xsi("Contact", r#"xsi:color="red""#),
            false,
        ),
    ];
    let mut failures = Vec::new();
    for (name, xml, valid) in &cases {
        let typed = iodef::read(xml.as_bytes());
        let report = validate::validate(xml.as_bytes());
        let ok = report.errors.is_empty();
        if typed.is_ok() != *valid || ok != *valid {
            failures.push(format!(
                "{name}: expected valid={valid}, reader {:?}, validator {:?}",
                typed.as_ref().err().map(ToString::to_string),
                report
                    .errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            ));
            continue;
        }
        match typed {
            Ok(doc) => {
                // Written back where it was, byte-for-byte but for where the `xsi` and `xs`
                // prefixes are declared (where they are first needed).
                let out = doc.to_xml_string();
                let xsi = r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;
                let strip = |s: &str| s.replace(&format!(" {xs}"), "").replace(xsi, "");
                let (expected, out_cmp) = (strip(xml), strip(&out));
                if out_cmp != expected {
                    failures.push(format!("{name}: written\n{out}\nexpected\n{xml}"));
                }
                infoset::compare_xml(xml.as_bytes(), out.as_bytes()).unwrap();
                assert_eq!(read(&out), doc, "{name}: stable");
            }
            Err(e) => {
                assert_eq!(e.kind, ErrorKind::UnexpectedAttribute, "{name}: {e}");
                assert!(e.path.starts_with("/IODEF-Document"), "{name}: {e}");
                // The validator names the same place.
                let v = &report.errors[0];
                assert_eq!((v.line, v.column), (e.line, e.column), "{name}: {v} / {e}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let docs: Vec<(&str, String)> = cases.iter().map(|(n, x, _)| (*n, x.clone())).collect();
    if let Some(verdicts) = xmlschema(&docs) {
        for ((name, valid, error), (_, _, expected)) in verdicts.iter().zip(&cases) {
            assert_eq!(
                valid, expected,
                "{name}: xmlschema says {valid} ({error:?})"
            );
        }
    }
    // A typed value keeps the attribute in `extra`.
    let doc = read(&cases[0].1);
    let attrs = incident(&doc).extra.attributes();
    assert_eq!(attrs[0].local, "schemaLocation");
    assert_eq!(attrs[0].value, "urn:example x.xsd");
}

#[test]
fn xsi_type_prefix_is_declared_again_when_written() {
    // The `xs` prefix of the value is declared on the element: the writer declares it again.
    let xml = with_xsi(
        "DetectTime",
        r#"xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:dateTime""#,
    );
    let out = read(&xml).to_xml_string();
    let tag = out
        .split("<DetectTime")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap();
    assert!(
        tag.contains(r#"xmlns:xs="http://www.w3.org/2001/XMLSchema""#),
        "{out}"
    );
    assert!(tag.contains(r#"xsi:type="xs:dateTime""#), "{out}");
    // Under another prefix for the XSD namespace, the value is rewritten to use it.
    let moved = xml
        .replace("xmlns:xs=", "xmlns:q=")
        .replace("\"xs:dateTime\"", "\"q:dateTime\"");
    let out = read(&moved).to_xml_string();
    assert!(out.contains(r#"xsi:type="q:dateTime""#), "{out}");
    assert!(validate::validate(out.as_bytes()).errors.is_empty());
    // A built value: the QName is the user's business, the attribute is written as given.
    let mut doc = read(&with_xsi("DetectTime", ""));
    let Root::Iodef2(iodef2::Element::IodefDocument(d)) = &mut doc.root else {
        unreachable!()
    };
    d.incident[0]
        .extra
        .make_mut()
        .nodes
        .push(iodef::rt::Anchored {
            before: 0,
            node: ExtraNode::Comment(" added ".into()),
        });
    let out = doc.to_xml_string();
    assert!(
        out.contains(r#"<Incident purpose="reporting"><!-- added --><IncidentID"#),
        "{out}"
    );
}

#[test]
fn text_only_content_comment_positions() {
    // A comment inside the text is written after it (the value is one string): reported here
    // as the documented behaviour.
    let xml = with_xsi("", "").replace(
        "<Description>d</Description>",
        "<Description>a<!--c-->b</Description>",
    );
    let doc = read(&xml);
    let out = doc.to_xml_string();
    assert!(
        out.contains("<Description>ab<!--c--></Description>"),
        "{out}"
    );
    infoset::compare_xml_ignoring_comments(xml.as_bytes(), out.as_bytes()).unwrap();
    let _ = NS;
}

#[test]
fn typed_extension_element_keeps_xsi_and_comments() {
    // `jid` (XEP-0268) is a simple-typed global element: decoded as a `String`, its extra
    // content is kept by the `AdditionalData` that holds it, anchored to it.
    let xml = with_xsi("", "").replace(
        r#"<AdditionalData dtype="string">v</AdditionalData>"#,
        concat!(
            r#"<AdditionalData dtype="xml">text <ex:raw xmlns:ex="urn:example:ext"/>"#,
            r#"<jid xmlns="urn:xmpp:jid:0" xsi:schemaLocation="urn:xmpp:jid:0 jid.xsd"><!--c-->a@b.example/r</jid>"#,
            "<!--after--></AdditionalData>"
        ),
    );
    let doc = read(&xml);
    let ad = &incident(&doc).additional_data[0];
    let typed: Vec<_> = ad
        .content
        .typed_as::<iodef::bindings::xmpp_jid::Element>()
        .collect();
    assert_eq!(typed.len(), 1, "{:?}", ad.content);
    assert!(matches!(
        &ad.extra.nodes()[0],
        iodef::rt::Anchored {
            before: 1,
            node: ExtraNode::Child(_)
        }
    ));
    // The same infoset (comments compared); the typed element gets its registered prefix.
    let out = doc.to_xml_string();
    infoset::compare_xml(xml.as_bytes(), out.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert!(out.contains(r#"<jid:jid xmlns:jid="urn:xmpp:jid:0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:xmpp:jid:0 jid.xsd"><!--c-->a@b.example/r</jid:jid><!--after-->"#), "{out}");
    assert!(validate::validate(xml.as_bytes()).errors.is_empty());
    // xsi:nil on it is refused by both engines (not nillable), like xmlschema does.
    let nil = xml.replace(
        "xsi:schemaLocation=\"urn:xmpp:jid:0 jid.xsd\"",
        "xsi:nil=\"false\"",
    );
    assert!(iodef::read(nil.as_bytes()).is_err());
    assert!(!validate::validate(nil.as_bytes()).errors.is_empty());
    if let Some(v) = xmlschema(&[("jid-loc", xml.clone()), ("jid-nil", nil)]) {
        assert!(v[0].1 && !v[1].1, "{v:?}");
    }
}
