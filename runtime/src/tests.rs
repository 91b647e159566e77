//! Tests of the runtime with a small hand-written model, implemented the way generated code
//! uses the runtime.

use std::borrow::Cow;
use std::io;
use std::sync::Arc;

use super::*;

const NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const PREFIXES: &[(&str, &str)] = &[(NS, "iodef"), (DS, "ds")];

// ------------------------------------------------------------------------------------------------
// A small model: IODEF-Document > Incident+ > (IncidentID, GenerationTime, Contact*, AdditionalData*)

#[derive(Debug, Clone, PartialEq)]
struct IodefDocument {
    version: String,
    lang: Option<String>,
    incidents: Vec<Incident>,
}

#[derive(Debug, Clone, PartialEq)]
struct Incident {
    purpose: String,
    lang: Option<String>,
    incident_id: IncidentId,
    generation_time: DateTime,
    contacts: Vec<String>,
    additional_data: Vec<ExtensionData>,
}

#[derive(Debug, Clone, PartialEq)]
struct IncidentId {
    name: String,
    value: String,
}

#[derive(Debug, Clone, PartialEq)]
struct ExtensionData {
    dtype: String,
    content: Mixed,
}

const PURPOSES: &[&str] = &[
    "traceback",
    "mitigation",
    "reporting",
    "watch",
    "other",
    "ext-value",
];

impl<'a> FromXml<'a> for IodefDocument {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        let mut version = None;
        let mut lang = None;
        for a in r.attributes(el)? {
            match (r.ns_str(a.ns), a.local) {
                ("", "version") => version = Some(a.value.into_owned()),
                (XML_NS, "lang") => lang = Some(a.value.into_owned()),
                _ => return Err(r.unexpected_attribute(el, &a)),
            }
        }
        let version = version.ok_or_else(|| r.missing_attribute(el, "version"))?;
        let mut incidents = Vec::new();
        while let Some(child) = r.next_child(el)? {
            if r.is(&child, NS, "Incident") {
                incidents.push(Incident::from_xml(r, &child)?);
            } else {
                return Err(r.unexpected_element(&child));
            }
        }
        if incidents.is_empty() {
            return Err(r.missing_element(el, NS, "Incident"));
        }
        Ok(IodefDocument {
            version,
            lang,
            incidents,
        })
    }
}

impl ToXml for IodefDocument {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        w.attribute("", "version", &self.version)?;
        if let Some(l) = &self.lang {
            w.attribute(XML_NS, "lang", l)?;
        }
        for i in &self.incidents {
            i.to_xml(w, NS, "Incident")?;
        }
        w.end_element()
    }
}

impl RootElement for IodefDocument {
    const NAMESPACE: &'static str = NS;
    const NAME: &'static str = "IODEF-Document";
    const PREFIXES: &'static [(&'static str, &'static str)] = PREFIXES;
}

impl<'a> FromXml<'a> for Incident {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        let mut purpose = None;
        let mut lang = None;
        for a in r.attributes(el)? {
            match (r.ns_str(a.ns), a.local) {
                ("", "purpose") => {
                    let v = collapse_ws(&a.value);
                    if !PURPOSES.contains(&&*v) {
                        return Err(r.invalid_value(
                            a.offset,
                            "attribute purpose",
                            &a.value,
                            "not a known purpose",
                        ));
                    }
                    purpose = Some(v.into_owned());
                }
                (XML_NS, "lang") => lang = Some(a.value.into_owned()),
                _ => return Err(r.unexpected_attribute(el, &a)),
            }
        }
        let purpose = purpose.ok_or_else(|| r.missing_attribute(el, "purpose"))?;
        // Sequence: IncidentID, GenerationTime, Contact*, AdditionalData*
        let mut state = 0;
        let mut incident_id = None;
        let mut generation_time = None;
        let mut contacts = Vec::new();
        let mut additional_data = Vec::new();
        while let Some(child) = r.next_child(el)? {
            if state == 0 && r.is(&child, NS, "IncidentID") {
                incident_id = Some(IncidentId::from_xml(r, &child)?);
                state = 1;
            } else if state == 1 && r.is(&child, NS, "GenerationTime") {
                generation_time = Some(r.read_value::<DateTime>(&child)?);
                state = 2;
            } else if state >= 1 && incident_id.is_some() && generation_time.is_none() {
                return Err(r.missing_element(el, NS, "GenerationTime"));
            } else if state == 0 {
                return Err(r.missing_element(el, NS, "IncidentID"));
            } else if state <= 3 && r.is(&child, NS, "Contact") {
                if let Some(a) = r.attributes(&child)?.first() {
                    return Err(r.unexpected_attribute(&child, a));
                }
                contacts.push(r.read_text(&child)?.into_owned());
                state = 3;
            } else if r.is(&child, NS, "AdditionalData") {
                additional_data.push(ExtensionData::from_xml(r, &child)?);
                state = 4;
            } else {
                return Err(r.unexpected_element(&child));
            }
        }
        let incident_id = incident_id.ok_or_else(|| r.missing_element(el, NS, "IncidentID"))?;
        let generation_time =
            generation_time.ok_or_else(|| r.missing_element(el, NS, "GenerationTime"))?;
        Ok(Incident {
            purpose,
            lang,
            incident_id,
            generation_time,
            contacts,
            additional_data,
        })
    }
}

impl ToXml for Incident {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        w.attribute("", "purpose", &self.purpose)?;
        if let Some(l) = &self.lang {
            w.attribute(XML_NS, "lang", l)?;
        }
        self.incident_id.to_xml(w, NS, "IncidentID")?;
        w.simple_element(NS, "GenerationTime", &self.generation_time.to_xml())?;
        for c in &self.contacts {
            w.simple_element(NS, "Contact", c)?;
        }
        for a in &self.additional_data {
            a.to_xml(w, NS, "AdditionalData")?;
        }
        w.end_element()
    }
}

impl<'a> FromXml<'a> for IncidentId {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        let mut name = None;
        for a in r.attributes(el)? {
            match (a.ns, a.local) {
                (0, "name") => name = Some(a.value.into_owned()),
                _ => return Err(r.unexpected_attribute(el, &a)),
            }
        }
        let name = name.ok_or_else(|| r.missing_attribute(el, "name"))?;
        let value = r.read_text(el)?.into_owned();
        Ok(IncidentId { name, value })
    }
}

impl ToXml for IncidentId {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        w.attribute("", "name", &self.name)?;
        w.text(&self.value)?;
        w.end_element()
    }
}

impl<'a> FromXml<'a> for ExtensionData {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        let mut dtype = None;
        for a in r.attributes(el)? {
            match (a.ns, a.local) {
                (0, "dtype") => dtype = Some(a.value.into_owned()),
                _ => return Err(r.unexpected_attribute(el, &a)),
            }
        }
        let dtype = dtype.ok_or_else(|| r.missing_attribute(el, "dtype"))?;
        let content = Mixed::from_xml(r, el)?;
        Ok(ExtensionData { dtype, content })
    }
}

impl ToXml for ExtensionData {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        w.attribute("", "dtype", &self.dtype)?;
        self.content.write(w)?;
        w.end_element()
    }
}

type Doc = Document<IodefDocument>;

fn parse(s: &str) -> Result<Doc, Error> {
    Doc::from_str(s)
}

fn parse_err(s: &str) -> Error {
    match parse(s) {
        Ok(d) => panic!("expected an error, parsed {d:?}"),
        Err(e) => e,
    }
}

const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<IODEF-Document version="2.00" xml:lang="en"
    xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0
      https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>
      2015-07-18T09:00:00-05:00
    </GenerationTime>
    <Contact>Tom &amp; Jerry <![CDATA[<cats>]]>&#x21;</Contact>
    <Contact>  keeps   spaces  </Contact>
    <AdditionalData dtype="xml">text before <ex:Report xmlns:ex="urn:example:ext" xmlns:q="urn:example:qnames" ex:kind="q:value" plain="a&#10;b &lt; c">
        <ex:Item>1</ex:Item><!-- inner comment --><Free xmlns="urn:example:default"><Nested attr="x"/></Free>
        <NoNs xmlns="">no namespace</NoNs>
        <ds:Wrapper xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAEC</ds:SignatureValue></ds:Wrapper>
      </ex:Report> and after</AdditionalData>
  </Incident>
  <Incident purpose="mitigation" xml:lang="de">
    <IncidentID name="csirt.example.com">2</IncidentID>
    <GenerationTime>2016-02-29T23:59:59.125Z</GenerationTime>
  </Incident>
</IODEF-Document>
"#;

// ------------------------------------------------------------------------------------------------
// Round trips

#[test]
fn parses_sample() {
    let doc = parse(SAMPLE).unwrap();
    assert_eq!(
        doc.xsi.schema_location.as_deref(),
        Some("urn:ietf:params:xml:ns:iodef-2.0       https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd")
    );
    let root = &doc.root;
    assert_eq!(root.version, "2.00");
    assert_eq!(root.lang.as_deref(), Some("en"));
    assert_eq!(root.incidents.len(), 2);
    let i1 = &root.incidents[0];
    assert_eq!(i1.purpose, "reporting");
    assert_eq!(i1.incident_id.value, "492382");
    assert_eq!(i1.generation_time.as_str(), "2015-07-18T09:00:00-05:00");
    assert_eq!(i1.generation_time.timezone(), Some(-300));
    assert_eq!(
        i1.contacts,
        vec![
            "Tom & Jerry <cats>!".to_string(),
            "  keeps   spaces  ".to_string()
        ]
    );
    let ad = &i1.additional_data[0];
    assert_eq!(ad.dtype, "xml");
    let nodes = &ad.content.0;
    assert_eq!(nodes.len(), 3);
    assert_eq!(nodes[0], MixedNode::Text("text before ".into()));
    assert_eq!(nodes[2], MixedNode::Text(" and after".into()));
    let MixedNode::Element(report) = &nodes[1] else {
        panic!("expected an element")
    };
    assert_eq!(report.ns.as_deref(), Some("urn:example:ext"));
    assert_eq!(report.prefix.as_deref(), Some("ex"));
    assert_eq!(report.local, "Report");
    assert_eq!(
        report.namespace_decls,
        vec![
            (Some("ex".to_string()), "urn:example:ext".to_string()),
            (Some("q".to_string()), "urn:example:qnames".to_string())
        ]
    );
    assert_eq!(
        report.attribute(Some("urn:example:ext"), "kind"),
        Some("q:value")
    );
    assert_eq!(report.attribute(None, "plain"), Some("a\nb < c"));
    let free = report
        .children
        .elements()
        .find(|e| e.local == "Free")
        .unwrap();
    assert_eq!(free.ns.as_deref(), Some("urn:example:default"));
    let nested = free.children.elements().next().unwrap();
    assert_eq!(nested.ns.as_deref(), Some("urn:example:default"));
    let nons = report
        .children
        .elements()
        .find(|e| e.local == "NoNs")
        .unwrap();
    assert_eq!(nons.ns, None);
    assert_eq!(nons.children.text_content(), "no namespace");
    assert!(report
        .children
        .0
        .iter()
        .any(|n| *n == MixedNode::Comment(" inner comment ".into())));
    let i2 = &root.incidents[1];
    assert_eq!(i2.lang.as_deref(), Some("de"));
    assert_eq!(i2.generation_time.nanosecond(), 125_000_000);
}

const SAMPLE_WRITTEN: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    "\n<!-- a comment before the root -->\n",
    r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0       https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd" version="2.00" xml:lang="en">"#,
    r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">492382</IncidentID>"#,
    r#"<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>"#,
    r#"<Contact>Tom &amp; Jerry &lt;cats&gt;!</Contact><Contact>  keeps   spaces  </Contact>"#,
    r#"<AdditionalData dtype="xml">text before <ex:Report xmlns:ex="urn:example:ext" xmlns:q="urn:example:qnames" ex:kind="q:value" plain="a&#10;b &lt; c">"#,
    "\n        ",
    r#"<ex:Item>1</ex:Item><!-- inner comment --><Free xmlns="urn:example:default"><Nested attr="x"/></Free>"#,
    "\n        ",
    r#"<NoNs xmlns="">no namespace</NoNs>"#,
    "\n        ",
    r#"<ds:Wrapper xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAEC</ds:SignatureValue></ds:Wrapper>"#,
    "\n      ",
    r#"</ex:Report> and after</AdditionalData></Incident>"#,
    r#"<Incident purpose="mitigation" xml:lang="de"><IncidentID name="csirt.example.com">2</IncidentID>"#,
    r#"<GenerationTime>2016-02-29T23:59:59.125Z</GenerationTime></Incident></IODEF-Document>"#,
);

#[test]
fn round_trip_is_exact_and_stable() {
    let doc = parse(SAMPLE).unwrap();
    let out = doc.to_xml_string();
    assert_eq!(out, SAMPLE_WRITTEN);
    let again = parse(&out).unwrap();
    assert_eq!(again, doc);
    assert_eq!(again.to_xml_string(), out);
    let mut buf = Vec::new();
    again.write_to(&mut buf).unwrap();
    assert_eq!(String::from_utf8(buf).unwrap(), out);
}

#[test]
fn from_reader_and_from_slice() {
    let doc = Doc::from_reader(io::Cursor::new(SAMPLE.as_bytes())).unwrap();
    assert_eq!(SAMPLE.parse::<Doc>().unwrap(), doc);
    assert_eq!(doc, Doc::from_slice(SAMPLE.as_bytes()).unwrap());
    struct Failing;
    impl io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("disk on fire"))
        }
    }
    let err = Doc::from_reader(io::BufReader::new(Failing)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(err.message.contains("disk on fire"));
}

#[test]
fn prefixed_input_and_bom() {
    let input = "\u{FEFF}<iodef:IODEF-Document xmlns:iodef=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\r\n\
        <iodef:Incident purpose=\"watch\"><iodef:IncidentID name=\"a\">line1\r\nline2\rline3</iodef:IncidentID>\
        <iodef:GenerationTime>2016-02-29T00:00:00</iodef:GenerationTime></iodef:Incident></iodef:IODEF-Document>";
    let doc = parse(input).unwrap();
    assert_eq!(
        doc.root.incidents[0].incident_id.value,
        "line1\nline2\nline3"
    );
    let out = doc.to_xml_string();
    assert!(out.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><Incident"
    ));
}

#[test]
fn document_new_writes_root_namespace_as_default() {
    let doc = Doc::new(IodefDocument {
        version: "2.00".into(),
        lang: None,
        incidents: vec![Incident {
            purpose: "other".into(),
            lang: Some("en".into()),
            incident_id: IncidentId {
                name: "n".into(),
                value: "1".into(),
            },
            generation_time: DateTime::new(2020, 1, 2, 3, 4, 5, 0, Some(0)).unwrap(),
            contacts: vec![],
            additional_data: vec![ExtensionData {
                dtype: "string".into(),
                content: Mixed::text("x < y"),
            }],
        }],
    });
    assert_eq!(
        doc.to_xml_string(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\
         <Incident purpose=\"other\" xml:lang=\"en\"><IncidentID name=\"n\">1</IncidentID>\
         <GenerationTime>2020-01-02T03:04:05Z</GenerationTime>\
         <AdditionalData dtype=\"string\">x &lt; y</AdditionalData></Incident></IODEF-Document>"
    );
}

// ------------------------------------------------------------------------------------------------
// Errors: kinds, paths, positions

const TWO_INCIDENTS_BAD_SECOND: &str =
    "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">
  <Incident purpose=\"reporting\">
    <IncidentID name=\"x\">1</IncidentID>
    <GenerationTime>2016-02-29T00:00:00Z</GenerationTime>
  </Incident>
  <Incident purpose=\"reporting\">
    <IncidentID name=\"x\">2</IncidentID>
    <GenerationTime>2015-02-29T00:00:00Z</GenerationTime>
  </Incident>
</IODEF-Document>";

#[test]
fn invalid_value_on_second_incident_has_path_and_position() {
    let err = parse_err(TWO_INCIDENTS_BAD_SECOND);
    assert_eq!(err.kind, ErrorKind::InvalidValue);
    assert_eq!(err.path, "/IODEF-Document/Incident[2]/GenerationTime[1]");
    assert_eq!((err.line, err.column), (8, 5));
    assert!(
        err.message.contains("2015-02-29T00:00:00Z"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("day 29 out of range for 2015-02"),
        "{}",
        err.message
    );
    assert_eq!(
        err.to_string(),
        format!(
            "8:5: /IODEF-Document/Incident[2]/GenerationTime[1]: {}",
            err.message
        )
    );
}

#[test]
fn unexpected_attribute_and_missing_attribute() {
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">
<Incident purpose=\"reporting\"><IncidentID name=\"x\">1</IncidentID><GenerationTime>2016-02-29T00:00:00Z</GenerationTime></Incident>
<Incident purpose=\"reporting\" bogus=\"1\"/></IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::UnexpectedAttribute);
    assert_eq!(err.path, "/IODEF-Document/Incident[2]");
    assert_eq!((err.line, err.column), (3, 31));
    assert!(err.message.contains("bogus"));

    let err = parse_err("<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"/>");
    assert_eq!(err.kind, ErrorKind::MissingAttribute);
    assert_eq!(err.path, "/IODEF-Document");
    assert_eq!((err.line, err.column), (1, 1));

    let err = parse_err(
        "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n  <Incident purpose=\"nonsense\"/></IODEF-Document>",
    );
    assert_eq!(err.kind, ErrorKind::InvalidValue);
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
    assert_eq!((err.line, err.column), (2, 13));
}

#[test]
fn missing_and_unexpected_elements() {
    // Missing GenerationTime: reported at the end tag of the Incident, path of the Incident.
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">
  <Incident purpose=\"reporting\">
    <IncidentID name=\"x\">1</IncidentID>
  </Incident>
</IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::MissingElement);
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
    assert_eq!((err.line, err.column), (4, 3));
    assert_eq!(err.message, "missing required element GenerationTime");

    // Missing GenerationTime with another element in its place: reported there.
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">
  <Incident purpose=\"reporting\">
    <IncidentID name=\"x\">1</IncidentID>
    <Contact>c</Contact>
  </Incident>
</IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::MissingElement);
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
    assert_eq!((err.line, err.column), (4, 5));

    // No Incident at all in an empty root.
    let err = parse_err("<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"></IODEF-Document>");
    assert_eq!(err.kind, ErrorKind::MissingElement);
    assert_eq!(err.path, "/IODEF-Document");

    // Wrong namespace.
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">
  <Incident xmlns=\"urn:other\" purpose=\"reporting\"/>
</IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    assert_eq!(err.message, "unexpected element {urn:other}Incident");
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
    assert_eq!((err.line, err.column), (2, 3));

    // Element inside text-only content.
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"><Incident purpose=\"watch\"><IncidentID name=\"x\">1<b/></IncidentID></Incident></IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    assert_eq!(err.path, "/IODEF-Document/Incident[1]/IncidentID[1]/b[1]");
}

#[test]
fn wrong_root() {
    let err = parse_err("<IODEF-Document version=\"2.00\"/>");
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    assert!(err
        .message
        .contains("expected {urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document"));
    assert!(err
        .message
        .contains("unexpected root element IODEF-Document"));
    assert_eq!(err.path, "/IODEF-Document");
}

#[test]
fn unexpected_text_in_element_only_content() {
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n  stray\n</IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::UnexpectedText);
    assert_eq!((err.line, err.column), (2, 3));
    assert_eq!(err.path, "/IODEF-Document");
    // Whitespace character references are whitespace.
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">&#10;<!--c--><?pi x?>\
        <Incident purpose=\"watch\"><IncidentID name=\"x\">1</IncidentID><GenerationTime>2016-02-29T00:00:00Z</GenerationTime></Incident></IODEF-Document>";
    parse(input).unwrap();
}

#[test]
fn xsi_attributes() {
    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Foo\"/>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::UnexpectedAttribute);
    assert!(
        err.message
            .starts_with("xsi:type {urn:ietf:params:xml:ns:iodef-2.0}Foo on IODEF-Document:"),
        "{}",
        err.message
    );

    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Incident purpose=\"watch\" xsi:schemaLocation=\"a b\"/></IODEF-Document>";
    // Accepted on any element (the hand-written test type has no `extra` field: the reader
    // keeps it for its parent, which drops it; generated types keep it, see tests/tests/keep.rs).
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::MissingElement, "{}", err.message);

    let input = "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" \
        xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:noNamespaceSchemaLocation=\"x.xsd\">\
        <Incident purpose=\"watch\"><IncidentID name=\"x\">1</IncidentID><GenerationTime>2016-02-29T00:00:00Z</GenerationTime></Incident></IODEF-Document>";
    let doc = parse(input).unwrap();
    assert_eq!(
        doc.xsi.no_namespace_schema_location.as_deref(),
        Some("x.xsd")
    );
    assert!(doc
        .to_xml_string()
        .contains(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"x.xsd\" version"));
}

#[test]
fn doctype_is_refused() {
    let input = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">&lol;</IODEF-Document>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::Doctype);
    assert_eq!((err.line, err.column), (2, 1));
}

const MINIMAL: &str =
    "<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\
    <Incident purpose=\"watch\"><IncidentID name=\"x\">1</IncidentID>\
    <GenerationTime>2016-02-29T00:00:00Z</GenerationTime></Incident></IODEF-Document>";

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let cases: &[(&[u8], ErrorKind)] = &[
        (b"", ErrorKind::Syntax),
        (b"   \n ", ErrorKind::Syntax),
        (b"<!-- only a comment -->", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><Incident purpose=\"watch\">", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><Incident purpose=\"watch\"", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><Incident purpose=\"watch\"></Incidnt></IODEF-Document>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.\xff00\"/>", ErrorKind::Syntax),
        (b"text<IODEF-Document/>", ErrorKind::Syntax),
        (b"<p:IODEF-Document version=\"2.00\"/>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\" version=\"3\"/>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=2.00/>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"a<b\"/>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"&bogus;\"/>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">&#0;</IODEF-Document>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\x01</IODEF-Document>", ErrorKind::Syntax),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><!-- a -- b --></IODEF-Document>", ErrorKind::Syntax),
        (b" <?xml version=\"1.0\"?><IODEF-Document/>", ErrorKind::Syntax),
        (b"<?xml version=\"1.0\" encoding=\"klingon\"?><IODEF-Document/>", ErrorKind::Encoding),
        (b"\xff\xfe\x00\x00<\x00\x00\x00", ErrorKind::Encoding),
        (b"\xff\xfe<\x00a\x00/\x00>", ErrorKind::Encoding),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" xmlns:a=\"urn:x\" xmlns:b=\"urn:x\" a:z=\"1\" b:z=\"2\" version=\"2.00\"/>", ErrorKind::Syntax),
        (b"</IODEF-Document>", ErrorKind::Syntax),
        (b"<![CDATA[x]]><IODEF-Document/>", ErrorKind::Syntax),
    ];
    let min = format!("{MINIMAL}<again/>");
    let min2 = format!("{MINIMAL}\n text");
    let min3 = format!("{MINIMAL}<!DOCTYPE x>");
    let more: [(&[u8], ErrorKind); 3] = [
        (min.as_bytes(), ErrorKind::Syntax),
        (min2.as_bytes(), ErrorKind::Syntax),
        (min3.as_bytes(), ErrorKind::Doctype),
    ];
    parse(MINIMAL).unwrap();
    for (input, kind) in cases.iter().chain(more.iter()) {
        let err = match Doc::from_slice(input) {
            Ok(_) => panic!("parsed {:?}", String::from_utf8_lossy(input)),
            Err(e) => e,
        };
        assert_eq!(
            &err.kind,
            kind,
            "{:?}: {err}",
            String::from_utf8_lossy(input)
        );
        assert!(err.line >= 1 && err.column >= 1, "{err:?}");
        assert!(!err.message.is_empty());
    }
}

#[test]
fn invalid_utf8_position() {
    let input = b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n  <Incident purpose=\"\xc3\xa9\xff\"/>";
    let err = Doc::from_slice(input).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Syntax);
    assert_eq!(err.message, "invalid UTF-8");
    assert_eq!((err.line, err.column), (2, 23));
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
}

#[test]
fn truncated_reports_end_of_input() {
    let input = "<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\n<Incident purpose=\"watch\">\n<IncidentID name=\"x\">1</IncidentID>";
    let err = parse_err(input);
    assert_eq!(err.kind, ErrorKind::Syntax);
    assert_eq!((err.line, err.column), (3, 36));
    assert_eq!(err.path, "/IODEF-Document/Incident[1]");
}

#[test]
fn deep_nesting_is_bounded() {
    let mut input = String::from("<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><Incident purpose=\"watch\"><IncidentID name=\"x\">1</IncidentID><GenerationTime>2016-02-29T00:00:00Z</GenerationTime><AdditionalData dtype=\"xml\">");
    for _ in 0..100_000 {
        input.push_str("<a>");
    }
    let err = parse_err(&input);
    assert_eq!(err.kind, ErrorKind::Syntax);
    assert!(err.message.contains("nested deeper"), "{}", err.message);
}

#[test]
fn error_path_counts_same_named_siblings_only() {
    let input = "<r><a/><b/><a><x/><x><y/></x></a></r>";
    let off = input.find("<y/>").unwrap();
    assert_eq!(
        reader::element_path(input.as_bytes(), off),
        "/r/a[2]/x[2]/y[1]"
    );
    let off = input.find("</a></r>").unwrap();
    assert_eq!(reader::element_path(input.as_bytes(), off), "/r/a[2]");
    let off = input.find("</r>").unwrap();
    assert_eq!(reader::element_path(input.as_bytes(), off), "/r");
    assert_eq!(reader::element_path(input.as_bytes(), 0), "/r");
    assert_eq!(reader::line_column("ab\ncé\r\nx".as_bytes(), 8), (3, 1));
    assert_eq!(reader::line_column("ab\ncéd".as_bytes(), 6), (2, 3));
}

// ------------------------------------------------------------------------------------------------
// Reader details

#[test]
fn read_text_borrows_when_possible() {
    let input =
        b"<r><a>plain</a><b>x &amp; y</b><c/><d><!--c-->t<![CDATA[u]]></d><e>l1\r\nl2</e></r>";
    let mut r = XmlReader::new(input);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    assert!(matches!(r.read_text(&a).unwrap(), Cow::Borrowed("plain")));
    let b = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.read_text(&b).unwrap(), "x & y");
    let c = r.next_child(&root).unwrap().unwrap();
    assert!(c.empty);
    assert!(matches!(r.read_text(&c).unwrap(), Cow::Borrowed("")));
    let d = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.read_text(&d).unwrap(), "tu");
    let e = r.next_child(&root).unwrap().unwrap();
    assert_eq!(r.read_text(&e).unwrap(), "l1\nl2");
    assert!(r.next_child(&root).unwrap().is_none());
    assert!(r.next_child(&root).unwrap().is_none());
    r.finish().unwrap();
}

#[test]
fn attributes_are_resolved_and_normalised() {
    let input = "<r xmlns:p=\"urn:p\" xmlns=\"urn:d\" a=\"1&#9;2\n3\" p:b=\"&quot;x&quot;\" xml:lang=\"en\"/>";
    let mut r = XmlReader::new(input.as_bytes());
    let root = r.root().unwrap();
    assert_eq!(r.ns_str(root.ns), "urn:d");
    assert_eq!(r.ns_id("urn:d"), Some(root.ns));
    assert_eq!(r.ns_id("urn:nope"), None);
    let attrs = r.attributes(&root).unwrap();
    assert_eq!(attrs.len(), 3);
    assert_eq!(
        (attrs[0].ns, attrs[0].local, &*attrs[0].value),
        (0, "a", "1\t2 3")
    );
    assert_eq!(r.ns_str(attrs[1].ns), "urn:p");
    assert_eq!(
        (attrs[1].prefix, attrs[1].local, &*attrs[1].value),
        (Some("p"), "b", "\"x\"")
    );
    assert_eq!(r.ns_str(attrs[2].ns), XML_NS);
    assert_eq!(input[attrs[1].offset..].find("p:b"), Some(0));
    assert!(r.next_child(&root).unwrap().is_none());
    r.finish().unwrap();
}

#[test]
fn skip_and_lenient_recovery() {
    let input = b"<r><a><b>t</b><c/></a><d>x</d></r>";
    let mut r = XmlReader::new(input);
    let root = r.root().unwrap();
    let a = r.next_child(&root).unwrap().unwrap();
    r.skip(&a).unwrap();
    let d = r.next_child(&root).unwrap().unwrap();
    assert_eq!(d.local, "d");
    assert_eq!(r.read_text(&d).unwrap(), "x");
    assert!(r.next_child(&root).unwrap().is_none());
    r.finish().unwrap();
}

#[test]
fn read_any_on_root_keeps_everything() {
    let input = "<x:root xmlns:x=\"urn:x\" xmlns=\"urn:d\" x:a=\"1\" b=\"2\"><child>t</child><!--c--><x:e/></x:root>";
    let mut r = XmlReader::new(input.as_bytes());
    let root = r.root().unwrap();
    let any = r.read_any(&root).unwrap();
    r.finish().unwrap();
    let mut w = XmlWriter::new(&[]);
    any.write(&mut w).unwrap();
    let out = w.into_string();
    assert_eq!(out, input);
}

// ------------------------------------------------------------------------------------------------
// Writer

fn written(f: impl FnOnce(&mut XmlWriter<'_>) -> io::Result<()>) -> String {
    let mut w = XmlWriter::new(PREFIXES);
    f(&mut w).unwrap();
    assert_eq!(w.depth(), 0);
    w.into_string()
}

#[test]
fn writer_no_namespace_under_default_namespace() {
    let out = written(|w| {
        w.start_element(NS, "a")?;
        w.start_element("", "b")?;
        w.start_element("", "c")?;
        w.end_element()?;
        w.end_element()?;
        w.start_element(NS, "d")?;
        w.end_element()?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<a xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"><b xmlns=\"\"><c/></b><d/></a>"
    );
}

#[test]
fn writer_foreign_default_namespace_under_iodef_default() {
    let mut foreign = AnyElement::new(Some("urn:foreign"), "F");
    foreign.namespace_decls.push((None, "urn:foreign".into()));
    let mut inner = AnyElement::new(Some("urn:foreign"), "G");
    inner.children = Mixed::text("t");
    foreign.children.0.push(MixedNode::Element(inner));
    let out = written(|w| {
        w.start_element(NS, "AdditionalData")?;
        foreign.write(w)?;
        w.start_element(NS, "After")?;
        w.end_element()?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<AdditionalData xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"><F xmlns=\"urn:foreign\"><G>t</G></F><After/></AdditionalData>"
    );
}

#[test]
fn writer_attribute_in_foreign_namespace_gets_a_prefix() {
    let out = written(|w| {
        w.start_element(NS, "a")?;
        w.attribute("urn:attr", "x", "1")?;
        w.attribute("urn:attr", "y", "2")?;
        w.attribute(DS, "z", "3")?;
        w.attribute_with_prefix("urn:other", "h", Some("ds"), "4")?;
        w.attribute_with_prefix("urn:hinted", "k", Some("hk"), "5")?;
        w.attribute(NS, "n", "6")?;
        w.start_element(NS, "b")?;
        w.attribute("urn:attr", "x", "7")?;
        w.end_element()?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<a xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" xmlns:ns1=\"urn:attr\" ns1:x=\"1\" ns1:y=\"2\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" ds:z=\"3\" xmlns:ns2=\"urn:other\" ns2:h=\"4\" \
         xmlns:hk=\"urn:hinted\" hk:k=\"5\" xmlns:iodef=\"urn:ietf:params:xml:ns:iodef-2.0\" iodef:n=\"6\">\
         <b ns1:x=\"7\"/></a>"
    );
}

#[test]
fn writer_element_prefixes() {
    let out = written(|w| {
        w.start_element(NS, "a")?;
        w.start_element(DS, "Signature")?;
        w.start_element(DS, "SignedInfo")?;
        w.end_element()?;
        w.end_element()?;
        w.start_element_with_prefix("urn:z", "z", Some("zz"))?;
        w.start_element_with_prefix("urn:y", "y", Some("zz"))?;
        w.end_element()?;
        w.end_element()?;
        w.start_element("urn:q", "q")?;
        w.end_element()?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<a xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\
         <ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/></ds:Signature>\
         <zz:z xmlns:zz=\"urn:z\"><ns1:y xmlns:ns1=\"urn:y\"/></zz:z><ns1:q xmlns:ns1=\"urn:q\"/></a>"
    );
}

#[test]
fn writer_redeclares_prefix_bound_differently() {
    // An AnyElement re-uses prefix "p" for another namespace than its ancestor's "p".
    let mut inner = AnyElement::new(Some("urn:two"), "i");
    inner.prefix = Some("p".into());
    inner
        .namespace_decls
        .push((Some("p".into()), "urn:two".into()));
    let mut outer = AnyElement::new(Some("urn:one"), "o");
    outer.prefix = Some("p".into());
    outer
        .namespace_decls
        .push((Some("p".into()), "urn:one".into()));
    outer.children.0.push(MixedNode::Element(inner));
    let out = written(|w| {
        w.start_element(NS, "r")?;
        outer.write(w)?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<r xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"><p:o xmlns:p=\"urn:one\"><p:i xmlns:p=\"urn:two\"/></p:o></r>"
    );
}

#[test]
fn writer_escaping() {
    let out = written(|w| {
        w.start_element("", "a")?;
        w.attribute("", "v", "<&>\"'\t\n\r")?;
        w.text("<&>\"'\t\n\r]]>")?;
        w.comment(" c ")?;
        w.end_element()
    });
    assert_eq!(
        out,
        "<a v=\"&lt;&amp;&gt;&quot;'&#9;&#10;&#13;\">&lt;&amp;&gt;\"'\t\n&#13;]]&gt;<!-- c --></a>"
    );
    let mut w = XmlWriter::new(&[]);
    w.start_element("", "a").unwrap();
    assert!(w.text("\u{1}").is_err());
    assert!(w.comment("a--b").is_err());
    let mut w = XmlWriter::new(&[]);
    assert!(w.attribute("", "a", "b").is_err());
    assert!(w.end_element().is_err());
}

#[test]
fn parsed_escapes_survive_round_trip() {
    let input = "<r a=\"&#9;x&#10;y&#13;\">a&#13;b\r\nc</r>";
    let mut r = XmlReader::new(input.as_bytes());
    let root = r.root().unwrap();
    let any = r.read_any(&root).unwrap();
    assert_eq!(any.attribute(None, "a"), Some("\tx\ny\r"));
    assert_eq!(any.children.text_content(), "a\rb\nc");
    let mut w = XmlWriter::new(&[]);
    any.write(&mut w).unwrap();
    let out = w.into_string();
    let mut r2 = XmlReader::new(out.as_bytes());
    let root2 = r2.root().unwrap();
    assert_eq!(r2.read_any(&root2).unwrap(), any);
}

// ------------------------------------------------------------------------------------------------
// Values

#[test]
fn decimal_values() {
    let d = |s: &str| Decimal::parse_xml(s).unwrap();
    assert_eq!(d("1.50"), d("1.5"));
    assert_eq!(d("1.5"), d("+01.5"));
    assert_eq!(d("-0"), d("0.000"));
    assert_eq!(d(".5"), d("0.5"));
    assert_eq!(d("5."), d("5"));
    assert_ne!(d("1.5"), d("-1.5"));
    assert_ne!(d("15"), d("1.5"));
    assert!(d("-2") < d("-1.5"));
    assert!(d("10") > d("9.99"));
    assert!(d("0.5") > d("0.49"));
    assert_eq!(d("  +01.50\n").to_string(), "+01.50");
    assert_eq!(d("+01.50").as_str(), "+01.50");
    assert_eq!(d("+01.50").canonical(), "1.5");
    assert_eq!(d("-000").canonical(), "0");
    assert_eq!(d("1.50").to_xml(), "1.50");
    assert_eq!(d("-12").to_i64(), Some(-12));
    assert_eq!("2.25".parse::<Decimal>().unwrap().to_f64(), 2.25);
    for bad in ["", ".", "1.2.3", "1e5", "+", "- 1", "1 2", "NaN", "0x10"] {
        assert!(Decimal::parse_xml(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn datetime_values() {
    let p = DateTime::parse_xml;
    assert!(p("2016-02-29T00:00:00Z").is_ok());
    assert!(p("2000-02-29T00:00:00Z").is_ok());
    let e = p("2015-02-29T00:00:00Z").unwrap_err();
    assert!(e.contains("day 29 out of range"), "{e}");
    assert!(p("1900-02-29T00:00:00").is_err());
    assert!(p("2015-04-31T00:00:00").is_err());
    assert!(p("2015-13-01T00:00:00").is_err());
    assert!(p("2015-00-01T00:00:00").is_err());
    assert!(p("2015-01-01T24:00:00").is_ok());
    assert!(p("2015-01-01T24:00:00.000").is_ok());
    assert!(p("2015-01-01T24:00:01").is_err());
    assert!(p("2015-01-01T24:01:00").is_err());
    assert!(p("2015-01-01T23:60:00").is_err());
    assert!(p("2015-01-01T23:59:60").is_err());
    assert!(p("2015-01-01T23:59:59+14:00").is_ok());
    assert!(p("2015-01-01T23:59:59+14:01").is_err());
    assert!(p("2015-01-01T23:59:59+15:00").is_err());
    assert!(p("2015-01-01T23:59:59+0100").is_err());
    assert!(p("2015-01-01").is_err());
    assert!(p("15-01-01T00:00:00").is_err());
    assert!(p("02015-01-01T00:00:00").is_err());
    assert!(p("2015-01-01T00:00:00.").is_err());
    assert!(p("2015-01-01T00:00:00Zjunk").is_err());
    assert!(p("2015-01-01 T00:00:00").is_err());

    let big = p("-12345-06-07T08:09:10.123456789012-03:30").unwrap();
    assert_eq!(big.year(), -12345);
    assert_eq!(
        (
            big.month(),
            big.day(),
            big.hour(),
            big.minute(),
            big.second()
        ),
        (6, 7, 8, 9, 10)
    );
    assert_eq!(big.fraction(), "123456789012");
    assert_eq!(big.nanosecond(), 123_456_789);
    assert_eq!(big.timezone(), Some(-210));

    let t = p("\n   2015-07-18T09:00:00.5-05:00\n  ").unwrap();
    assert_eq!(t.as_str(), "2015-07-18T09:00:00.5-05:00");
    assert_eq!(t.to_xml(), "2015-07-18T09:00:00.5-05:00");
    assert_eq!(t.to_string(), "2015-07-18T09:00:00.5-05:00");
    assert!(t.same_instant(&p("2015-07-18T14:00:00.50Z").unwrap()));
    assert!(!t.same_instant(&p("2015-07-18T14:00:00.51Z").unwrap()));
    assert_ne!(t, p("2015-07-18T14:00:00.50Z").unwrap());
    assert!(p("2016-01-01T00:00:00Z")
        .unwrap()
        .same_instant(&p("2016-01-01T00:00:00+00:00").unwrap()));
    assert!(p("2015-12-31T24:00:00Z")
        .unwrap()
        .same_instant(&p("2016-01-01T00:00:00Z").unwrap()));
    assert!(!p("2016-01-01T00:00:00")
        .unwrap()
        .same_instant(&p("2016-01-01T00:00:00Z").unwrap()));
    assert!(p("2016-01-01T00:00:00")
        .unwrap()
        .same_instant(&p("2016-01-01T00:00:00.0").unwrap()));
    assert_eq!(p("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
    assert_eq!(
        p("2000-03-01T00:00:00Z").unwrap().unix_seconds(),
        951_868_800
    );

    let built = DateTime::new(2016, 2, 29, 12, 0, 0, 250_000_000, Some(-90)).unwrap();
    assert_eq!(built.as_str(), "2016-02-29T12:00:00.25-01:30");
    assert!(DateTime::new(2015, 2, 29, 12, 0, 0, 0, None).is_err());
    assert_eq!(
        "2016-02-29T12:00:00Z".parse::<DateTime>().unwrap().day(),
        29
    );
}

#[test]
fn integer_values() {
    assert_eq!(i64::parse_xml(" +42\n"), Ok(42));
    assert_eq!(i64::parse_xml("-0042"), Ok(-42));
    assert_eq!(u64::parse_xml("-0"), Ok(0));
    assert_eq!(
        i64::parse_xml("9223372036854775808"),
        Err("9223372036854775808 is out of range for xs:long (-9223372036854775808 to 9223372036854775807)".to_string())
    );
    assert_eq!(i64::parse_xml("-9223372036854775808"), Ok(i64::MIN));
    assert_eq!(
        u64::parse_xml("-1"),
        Err("-1 is out of range for xs:unsignedLong (0 to 18446744073709551615)".to_string())
    );
    assert_eq!(
        u8::parse_xml("256"),
        Err("256 is out of range for xs:unsignedByte (0 to 255)".to_string())
    );
    assert_eq!(u8::parse_xml("+0255"), Ok(255));
    assert_eq!(
        i8::parse_xml("-129"),
        Err("-129 is out of range for xs:byte (-128 to 127)".to_string())
    );
    assert_eq!(i8::parse_xml("-128"), Ok(-128));
    assert!(i16::parse_xml("32768").is_err());
    assert!(i32::parse_xml("2147483648").is_err());
    assert!(u16::parse_xml("65536").is_err());
    assert!(u32::parse_xml("4294967296").is_err());
    for bad in ["", "+", "1 2", "1.0", "0x1", "++1", "٣"] {
        assert!(i64::parse_xml(bad).is_err(), "{bad:?}");
    }
    assert_eq!(42i64.to_xml(), "42");
    assert_eq!(u64::MAX.to_xml(), "18446744073709551615");
}

#[test]
fn unbounded_integer_parsing() {
    let i = |s: &str| Integer::parse_xml(s).unwrap();
    // Value space: signs, leading zeros, negative zero.
    assert_eq!(i("+0"), i("0"));
    assert_eq!(i("-0"), i("0"));
    assert_eq!(i("-000"), Integer::from(0));
    assert_eq!(i("+007"), i("7"));
    assert_eq!(i("-007"), Integer::from(-7));
    assert_ne!(i("7"), i("-7"));
    assert!(i("-0").is_zero() && !i("-0").is_negative());
    // Whitespace (collapse) around the value, never inside it.
    assert_eq!(i(" \n\t42\r\n "), Integer::from(42));
    for bad in [
        "", "   ", "+", "-", "1 2", "1.0", "1.", ".5", "1e3", "0x1F", "++1", "+-1", "٣", "1_000",
        "INF",
    ] {
        let err = Integer::parse_xml(bad).unwrap_err();
        assert_eq!(err, "not a valid integer", "{bad:?}");
    }
    // The lexical form is kept as read (whitespace trimmed) and written back.
    for lexical in [
        "+007",
        "-0",
        "+0",
        "0",
        "000",
        "-12",
        "42",
        "-9223372036854775808",
    ] {
        assert_eq!(i(&format!(" {lexical}\n")).to_xml(), lexical);
        assert_eq!(i(lexical).to_string(), lexical);
    }
    assert_eq!(i("+007").canonical(), "7");
    assert_eq!(i("-000").canonical(), "0");
    assert_eq!(i("-0012").canonical(), "-12");
    assert_eq!(format!("{:?}", i("+1")), "Integer(+1)");
    assert_eq!("+5".parse::<Integer>().unwrap(), Integer::from(5u8));
    assert_eq!(
        "5.0".parse::<Integer>().unwrap_err().to_string(),
        "not a valid integer"
    );
}

#[test]
fn unbounded_integer_huge_values() {
    let i = |s: &str| Integer::parse_xml(s).unwrap();
    // 2^160 - 1: the largest 20-octet X.509 serial number.
    let serial = "1461501637330902918203684832716283019655932542975";
    assert_eq!(i(serial).to_xml(), serial);
    assert_eq!(i(serial).bits(), 160);
    assert_eq!(i(serial).digits(), 49);
    assert_eq!(i(&format!("+000{serial}")), i(serial));
    assert_ne!(i(serial), i(&format!("-{serial}")));
    assert_eq!(i("18446744073709551616").bits(), 65);
    assert_eq!(i("0").bits(), 0);
    assert_eq!(i("1").bits(), 1);
    assert_eq!(i("255").bits(), 8);
    assert_eq!(i("256").bits(), 9);
    // A thousand digits: no limit but the input's.
    let huge = format!("9{}", "0".repeat(999));
    assert_eq!(i(&huge).to_xml(), huge);
    assert_eq!(i(&huge).digits(), 1000);
    // Ordering in the value space, across the i64 boundary and signs.
    let mut values: Vec<Integer> = [
        "18446744073709551616",
        "-18446744073709551616",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "+0",
        "-5",
        "0005",
        serial,
    ]
    .iter()
    .map(|s| i(s))
    .collect();
    values.sort();
    let sorted: Vec<String> = values.iter().map(Integer::canonical).collect();
    assert_eq!(
        sorted,
        [
            "-18446744073709551616",
            "-9223372036854775809",
            "-9223372036854775808",
            "-5",
            "0",
            "5",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            serial,
        ]
    );
    // Hash agrees with equality.
    let set: std::collections::HashSet<Integer> =
        ["7", "+7", "007", "-0", "0", serial, &format!("+{serial}")]
            .iter()
            .map(|s| i(s))
            .collect();
    assert_eq!(set.len(), 3);
}

#[test]
fn unbounded_integer_conversions() {
    let i = |s: &str| Integer::parse_xml(s).unwrap();
    assert_eq!(i64::try_from(&i("+0042")), Ok(42));
    assert_eq!(i64::try_from(&i("-9223372036854775808")), Ok(i64::MIN));
    assert_eq!(u64::try_from(&i("18446744073709551615")), Ok(u64::MAX));
    assert_eq!(u64::try_from(&i("-0")), Ok(0));
    assert_eq!(u8::try_from(i("255")), Ok(255));
    let err = u64::try_from(&i("18446744073709551616")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "integer 18446744073709551616 is out of range for u64"
    );
    let err = u64::try_from(&i("-1")).unwrap_err();
    assert_eq!(err.to_string(), "integer -1 is out of range for u64");
    assert!(i64::try_from(&i("9223372036854775808")).is_err());
    assert_eq!(
        i128::try_from(&i("-170141183460469231731687303715884105728")),
        Ok(i128::MIN)
    );
    assert!(i128::try_from(&i("170141183460469231731687303715884105728")).is_err());
    assert_eq!(
        u128::try_from(&i("340282366920938463463374607431768211455")),
        Ok(u128::MAX)
    );
    let err = u128::try_from(&i("+340282366920938463463374607431768211456")).unwrap_err();
    assert_eq!(err.value, "340282366920938463463374607431768211456");
    assert!(u128::try_from(&i("-1")).is_err());
    assert_eq!(Integer::from(u64::MAX).to_xml(), "18446744073709551615");
    assert_eq!(Integer::from(u64::MAX), i("18446744073709551615"));
    assert_eq!(
        Integer::from(i128::MIN),
        i("-170141183460469231731687303715884105728")
    );
    assert_eq!(
        Integer::from(u128::MAX).to_xml(),
        "340282366920938463463374607431768211455"
    );
    assert_eq!(Integer::from(-3i8), i("-3"));
}

#[test]
fn bounded_integer_kinds() {
    use super::{NegativeInteger, NonNegativeInteger, NonPositiveInteger, PositiveInteger};
    let big = "99999999999999999999999999999999999999999";
    assert!(NonNegativeInteger::parse_xml("0").is_ok());
    assert!(NonNegativeInteger::parse_xml("-0").is_ok());
    assert!(NonNegativeInteger::parse_xml(big).is_ok());
    assert_eq!(
        NonNegativeInteger::parse_xml("-1").unwrap_err(),
        "-1 is out of range for xs:nonNegativeInteger (at least 0)"
    );
    assert!(NonNegativeInteger::parse_xml(&format!("-{big}")).is_err());
    assert!(PositiveInteger::parse_xml("1").is_ok());
    assert!(PositiveInteger::parse_xml(big).is_ok());
    assert_eq!(
        PositiveInteger::parse_xml("+000").unwrap_err(),
        "+000 is out of range for xs:positiveInteger (at least 1)"
    );
    assert!(NonPositiveInteger::parse_xml("-0").is_ok());
    assert!(NonPositiveInteger::parse_xml("+0").is_ok());
    assert!(NonPositiveInteger::parse_xml(&format!("-{big}")).is_ok());
    assert!(NonPositiveInteger::parse_xml("1").is_err());
    assert!(NegativeInteger::parse_xml("-1").is_ok());
    assert!(NegativeInteger::parse_xml("-0").is_err());
    assert!(NegativeInteger::parse_xml("0").is_err());
    assert!(NegativeInteger::parse_xml("x").is_err());
    // Lexical form kept; the value through Deref.
    let v = NonNegativeInteger::parse_xml(" +010 ").unwrap();
    assert_eq!(v.to_xml(), "+010");
    assert_eq!(u8::try_from(&*v), Ok(10));
    assert!(PositiveInteger::try_from(0i64).is_err());
    assert_eq!(PositiveInteger::try_from(5u64).unwrap().to_string(), "5");
    assert_eq!(
        "-3".parse::<NegativeInteger>().unwrap().get(),
        &Integer::from(-3)
    );
}

#[test]
fn facets_compare_in_the_value_space() {
    use super::glue::{check_facets, Facets, PatternCache};
    let exact = Facets {
        min_inclusive: Some("18446744073709551616"),
        max_exclusive: Some("18446744073709551618"),
        exact: true,
        ..Facets::default()
    };
    let cache = PatternCache::new();
    // As f64 these three are the same number; exactly, only the first two are in range.
    assert!(check_facets("18446744073709551616", &exact, &cache).is_ok());
    assert!(check_facets("+018446744073709551617", &exact, &cache).is_ok());
    assert_eq!(
        check_facets("18446744073709551618", &exact, &cache).unwrap_err(),
        "18446744073709551618 is not less than 18446744073709551618"
    );
    assert!(check_facets("18446744073709551615", &exact, &cache).is_err());
    let digits = Facets {
        total_digits: Some(3),
        fraction_digits: Some(1),
        exact: true,
        ..Facets::default()
    };
    assert!(check_facets("999", &digits, &cache).is_ok());
    assert!(check_facets("+00999", &digits, &cache).is_ok());
    assert!(check_facets("99.9", &digits, &cache).is_ok());
    assert!(check_facets("0.05", &digits, &cache).is_err()); // 2 fraction digits
    assert_eq!(
        check_facets("1000", &digits, &cache).unwrap_err(),
        "1000 has 4 digits, more than 3"
    );
    let float = Facets {
        min_exclusive: Some("0"),
        ..Facets::default()
    };
    assert!(check_facets("1e-3", &float, &cache).is_ok());
    assert!(check_facets("-INF", &float, &cache).is_err());
}

#[test]
fn float_values() {
    assert_eq!(f64::parse_xml(" 1.5e3 "), Ok(1500.0));
    assert_eq!(f64::parse_xml("INF"), Ok(f64::INFINITY));
    assert_eq!(f64::parse_xml("-INF"), Ok(f64::NEG_INFINITY));
    assert!(f64::parse_xml("NaN").unwrap().is_nan());
    assert_eq!(f64::parse_xml(".5"), Ok(0.5));
    assert_eq!(f64::parse_xml("5."), Ok(5.0));
    assert_eq!(f64::parse_xml("-1E-2"), Ok(-0.01));
    for bad in [
        "inf", "Infinity", "nan", "", "1e", "e5", ".", "1,5", "0x1p3",
    ] {
        assert!(f64::parse_xml(bad).is_err(), "{bad:?}");
    }
    for v in [
        0.1,
        1.0,
        -0.0,
        1e300,
        1.5e-300,
        123456789.125,
        f64::MAX,
        f64::MIN_POSITIVE,
    ] {
        let s = v.to_xml();
        assert_eq!(f64::parse_xml(&s), Ok(v), "{s}");
    }
    for v in [0.1f32, 3.4e38, 1e-40] {
        assert_eq!(f32::parse_xml(&v.to_xml()), Ok(v));
    }
    assert_eq!(f64::INFINITY.to_xml(), "INF");
    assert_eq!(f64::NEG_INFINITY.to_xml(), "-INF");
    assert_eq!(f32::NAN.to_xml(), "NaN");
}

#[test]
fn bool_and_string_values() {
    assert_eq!(bool::parse_xml(" true"), Ok(true));
    assert_eq!(bool::parse_xml("1"), Ok(true));
    assert_eq!(bool::parse_xml("0\n"), Ok(false));
    assert!(bool::parse_xml("TRUE").is_err());
    assert_eq!(true.to_xml(), "true");
    assert_eq!(String::parse_xml("  a  b \n"), Ok("  a  b \n".to_string()));
    assert_eq!(collapse_ws("  a \t\n b  "), "a b");
    assert!(matches!(collapse_ws(" a b "), Cow::Borrowed("a b")));
    assert_eq!(replace_ws("a\tb\nc"), "a b c");
}

#[test]
fn binary_values() {
    let h = HexBinary::parse_xml(" 0aFf10\n").unwrap();
    assert_eq!(h.0, vec![0x0a, 0xff, 0x10]);
    assert_eq!(h.to_xml(), "0AFF10");
    assert!(HexBinary::parse_xml("abc").is_err());
    assert!(HexBinary::parse_xml("zz").is_err());
    assert_eq!(HexBinary::parse_xml("").unwrap().0, Vec::<u8>::new());

    let text = "\n  SGVsbG8s\n  IHdvcmxk\r\n  IQ==\n";
    let b = Base64Binary::parse_xml(text).unwrap();
    assert_eq!(b.0, b"Hello, world!");
    assert_eq!(b.to_xml(), "SGVsbG8sIHdvcmxkIQ==");
    assert_eq!(Base64Binary::parse_xml("SGVsbG8sIHdvcmxkIQ==").unwrap(), b);
    assert!(Base64Binary::parse_xml("SGVsbG8").is_err());
    assert!(Base64Binary::parse_xml("SGV*bG8=").is_err());
    assert_eq!(Base64Binary::parse_xml("").unwrap().0, Vec::<u8>::new());
}

#[test]
fn read_value_and_parse_attr_report_invalid_values() {
    let input = "<r n=\"x1\"><v>12a</v></r>";
    let mut r = XmlReader::new(input.as_bytes());
    let root = r.root().unwrap();
    let attrs = r.attributes(&root).unwrap();
    let err = r.parse_attr::<i64>(&attrs[0]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::InvalidValue);
    assert_eq!(
        err.message,
        "invalid value \"x1\" for attribute n: not a valid integer"
    );
    assert_eq!((err.line, err.column), (1, 4));
    let v = r.next_child(&root).unwrap().unwrap();
    let err = r.read_value::<u32>(&v).unwrap_err();
    assert_eq!(err.path, "/r/v[1]");
    assert_eq!(
        err.message,
        "invalid value \"12a\" for element v: not a valid integer"
    );
}

// ------------------------------------------------------------------------------------------------
// Writer with a sink

/// A sink that records how many bytes each `write` call got.
#[derive(Default)]
struct CountingSink {
    data: Vec<u8>,
    writes: Vec<usize>,
    flushes: usize,
}

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.data.extend_from_slice(buf);
        self.writes.push(buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

#[test]
fn writer_with_sink_spills_large_output_and_flushes_on_finish() {
    let mut sink = CountingSink::default();
    let mut w = XmlWriter::with_sink(&mut sink, PREFIXES);
    assert!(w.has_sink());
    w.start_element(NS, "r").unwrap();
    let chunk = "x".repeat(1000);
    for _ in 0..200 {
        w.simple_element(NS, "c", &chunk).unwrap();
    }
    w.end_element().unwrap();
    // Some output was handed over before the end, in pieces of a bit more than 64 KiB.
    let buffered = w.buffered().len();
    assert!(buffered <= 64 * 1024 + 1100, "{buffered}");
    w.finish().unwrap();
    assert!(w.buffered().is_empty());
    assert!(w.into_bytes().is_empty());
    assert!(sink.writes.len() >= 3, "{:?}", sink.writes);
    assert!(sink.writes.iter().all(|&n| n <= 64 * 1024 + 1100));
    assert_eq!(sink.flushes, 1);
    let out = String::from_utf8(sink.data).unwrap();
    assert!(out.starts_with("<r xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"><c>xxx"));
    assert!(out.ends_with("</c></r>"));
    assert_eq!(out.matches("<c>").count(), 200);

    // Without a sink everything stays in the buffer; finish and flush do nothing.
    let mut w = XmlWriter::new(&[]);
    assert!(!w.has_sink());
    w.simple_element("", "a", &"y".repeat(100_000)).unwrap();
    w.finish().unwrap();
    assert_eq!(w.buffered().len(), 100_007);
    assert_eq!(w.into_string().len(), 100_007);
}

#[test]
fn document_write_to_equals_to_xml_string() {
    let doc = parse(SAMPLE).unwrap();
    let mut sink = CountingSink::default();
    doc.write_to(&mut sink).unwrap();
    assert_eq!(sink.flushes, 1);
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(String::from_utf8(sink.data).unwrap(), doc.to_xml_string());
}

// ------------------------------------------------------------------------------------------------
// Roots: ReadRoot

#[test]
fn read_root_for_a_root_element() {
    assert_eq!(
        IodefDocument::expected(),
        "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document"
    );
    assert_eq!(<IodefDocument as ReadRoot>::PREFIXES, PREFIXES);

    let mut r = XmlReader::new(b"<IODEF-Document version=\"2.00\"/>");
    let el = r.root().unwrap();
    let before = r.position();
    assert!(IodefDocument::read_root(&mut r, &el).unwrap().is_none());
    assert_eq!(r.position(), before);

    let mut r = XmlReader::new(MINIMAL.as_bytes());
    let el = r.root().unwrap();
    let doc = IodefDocument::read_root(&mut r, &el).unwrap().unwrap();
    r.finish().unwrap();
    assert_eq!(doc.incidents[0].incident_id.value, "1");
    let mut w = XmlWriter::new(PREFIXES);
    doc.write_root(&mut w).unwrap();
    assert_eq!(w.into_string(), MINIMAL);
}

/// A root that is one of several elements, as the generated `Element` / `Root` enums are.
#[derive(Debug, Clone, PartialEq)]
enum EitherRoot {
    Document(IodefDocument),
    Id(IncidentId),
}

impl ReadRoot for EitherRoot {
    const PREFIXES: &'static [(&'static str, &'static str)] = PREFIXES;

    fn read_root<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Option<Self>, Error> {
        if r.is(el, NS, "IODEF-Document") {
            Ok(Some(EitherRoot::Document(IodefDocument::from_xml(r, el)?)))
        } else if r.is(el, NS, "IncidentID") {
            Ok(Some(EitherRoot::Id(IncidentId::from_xml(r, el)?)))
        } else {
            Ok(None)
        }
    }

    fn write_root(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        match self {
            EitherRoot::Document(d) => d.to_xml(w, NS, "IODEF-Document"),
            EitherRoot::Id(i) => i.to_xml(w, NS, "IncidentID"),
        }
    }

    fn expected() -> String {
        format!("{{{NS}}}IODEF-Document or {{{NS}}}IncidentID")
    }
}

#[test]
fn document_with_an_enum_root() {
    let doc = Document::<EitherRoot>::from_str(MINIMAL).unwrap();
    assert!(matches!(doc.root, EitherRoot::Document(_)));
    assert_eq!(
        doc.to_xml_string(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{MINIMAL}")
    );

    let input = "<x:IncidentID xmlns:x=\"urn:ietf:params:xml:ns:iodef-2.0\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"a b\" name=\"n\">42</x:IncidentID>";
    let doc = Document::<EitherRoot>::from_str(input).unwrap();
    assert_eq!(
        doc.root,
        EitherRoot::Id(IncidentId {
            name: "n".into(),
            value: "42".into()
        })
    );
    assert_eq!(doc.xsi.schema_location.as_deref(), Some("a b"));
    assert_eq!(
        doc.to_xml_string(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IncidentID xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"a b\" name=\"n\">42</IncidentID>"
    );

    let err = Document::<EitherRoot>::from_str("<Contact xmlns=\"urn:x\"/>").unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    assert_eq!(
        err.message,
        "unexpected root element {urn:x}Contact, expected \
         {urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document or {urn:ietf:params:xml:ns:iodef-2.0}IncidentID"
    );
    assert_eq!(err.path, "/Contact");
    assert_eq!((err.line, err.column), (1, 1));
}

#[test]
fn wrong_root_names_expected() {
    let err = parse_err("<ns:Other xmlns:ns=\"urn:other\"/>");
    assert_eq!(err.kind, ErrorKind::UnexpectedElement);
    assert_eq!(
        err.message,
        format!(
            "unexpected root element {{urn:other}}Other, expected {}",
            IodefDocument::expected()
        )
    );
}

// ------------------------------------------------------------------------------------------------
// Typed extension elements

const EXT: &str = "urn:test:ext";
const EXT_PREFIXES: &[(&str, &str)] = &[(NS, "iodef"), (EXT, "x")];

/// `<x:Thing a="..">text</x:Thing>`: a global element of the test extension namespace.
#[derive(Debug, Clone, PartialEq)]
struct Thing {
    a: String,
    text: String,
}

impl<'a> FromXml<'a> for Thing {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        let mut a = None;
        for attr in r.attributes(el)? {
            match (attr.ns, attr.local) {
                (0, "a") => a = Some(attr.value.into_owned()),
                _ => return Err(r.unexpected_attribute(el, &attr)),
            }
        }
        let a = a.ok_or_else(|| r.missing_attribute(el, "a"))?;
        let text = r.read_text(el)?.into_owned();
        Ok(Thing { a, text })
    }
}

impl ToXml for Thing {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        w.attribute("", "a", &self.a)?;
        w.text(&self.text)?;
        w.end_element()
    }
}

impl TypedElement for Thing {
    fn namespace(&self) -> &'static str {
        EXT
    }
    fn local_name(&self) -> &str {
        "Thing"
    }
    fn write(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        self.to_xml(w, EXT, "Thing")
    }
    fn clone_box(&self) -> Box<dyn TypedElement> {
        Box::new(self.clone())
    }
    fn eq_dyn(&self, other: &dyn TypedElement) -> bool {
        glue::typed_eq(self, other)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `<x:Wrapper>mixed content</x:Wrapper>`: typed, with mixed content that is decoded again.
#[derive(Debug, Clone, PartialEq)]
struct Wrapper {
    content: Mixed,
}

impl TypedElement for Wrapper {
    fn namespace(&self) -> &'static str {
        EXT
    }
    fn local_name(&self) -> &str {
        "Wrapper"
    }
    fn write(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        self.content.to_xml(w, EXT, "Wrapper")
    }
    fn clone_box(&self) -> Box<dyn TypedElement> {
        Box::new(self.clone())
    }
    fn eq_dyn(&self, other: &dyn TypedElement) -> bool {
        glue::typed_eq(self, other)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The decoder of the test namespace, as a generated `decode` function would be.
fn decode_ext<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
) -> Result<Option<Box<dyn TypedElement>>, Error> {
    Ok(match el.local {
        "Thing" => Some(Box::new(Thing::from_xml(r, el)?)),
        "Wrapper" => {
            glue::no_attributes(r, el)?;
            Some(Box::new(Wrapper {
                content: r.read_mixed(el)?,
            }))
        }
        _ => None,
    })
}

fn ext_registry() -> Arc<Registry> {
    let mut reg = Registry::new();
    reg.add(EXT, decode_ext);
    Arc::new(reg)
}

fn with_additional_data(content: &str) -> String {
    format!(
        "<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\">\
         <Incident purpose=\"watch\"><IncidentID name=\"x\">1</IncidentID>\
         <GenerationTime>2016-02-29T00:00:00Z</GenerationTime>\
         <AdditionalData dtype=\"xml\">{content}</AdditionalData></Incident></IODEF-Document>"
    )
}

/// A document type whose writer knows the `x` prefix of the test namespace.
#[derive(Debug, Clone, PartialEq)]
struct ExtDoc(IodefDocument);

impl ReadRoot for ExtDoc {
    const PREFIXES: &'static [(&'static str, &'static str)] = EXT_PREFIXES;
    fn read_root<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Option<Self>, Error> {
        Ok(IodefDocument::read_root(r, el)?.map(ExtDoc))
    }
    fn write_root(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        self.0.write_root(w)
    }
    fn expected() -> String {
        IodefDocument::expected()
    }
}

fn parse_ext(input: &str, registry: Option<Arc<Registry>>) -> Result<Document<ExtDoc>, Error> {
    Document::from_xml_reader(XmlReader::with_registry(input.as_bytes(), registry))
}

const EXT_CONTENT: &str = concat!(
    "text <x:Thing xmlns:x=\"urn:test:ext\" a=\"1\">one</x:Thing>",
    "<!--c--><y:Other xmlns:y=\"urn:other\"><x:Thing xmlns:x=\"urn:test:ext\" a=\"raw\"/></y:Other>",
    "<x:Unknown xmlns:x=\"urn:test:ext\" b=\"2\"/>",
    "<x:Wrapper xmlns:x=\"urn:test:ext\">in <x:Thing a=\"3\"/><z:Z xmlns:z=\"urn:z\"/></x:Wrapper>",
    "<x:Thing xmlns:x=\"urn:test:ext\" a=\"4\"/> end",
);

#[test]
fn typed_extension_elements_in_mixed_content() {
    let input = with_additional_data(EXT_CONTENT);
    let doc = parse_ext(&input, Some(ext_registry())).unwrap();
    let content = &doc.root.0.incidents[0].additional_data[0].content;
    let nodes = &content.0;
    assert_eq!(nodes.len(), 8, "{nodes:#?}");
    assert_eq!(nodes[0], MixedNode::Text("text ".into()));
    // A registered namespace and a known name: typed.
    let MixedNode::Typed(t) = &nodes[1] else {
        panic!("expected a typed element: {:?}", nodes[1])
    };
    assert_eq!((t.namespace(), t.local_name()), (EXT, "Thing"));
    assert!(t.is::<Thing>());
    assert_eq!(
        t.downcast_ref::<Thing>(),
        Some(&Thing {
            a: "1".into(),
            text: "one".into()
        })
    );
    assert!(t.downcast_ref::<Wrapper>().is_none());
    assert_eq!(nodes[2], MixedNode::Comment("c".into()));
    // Another namespace: raw, but (lax processing, XSD Structures §3.3.4) a declared element
    // inside it is decoded.
    let MixedNode::Element(other) = &nodes[3] else {
        panic!("expected a raw element: {:?}", nodes[3])
    };
    assert_eq!(other.local, "Other");
    assert_eq!(other.children.elements().count(), 0);
    assert_eq!(
        other.children.typed_as::<Thing>().collect::<Vec<_>>(),
        [&Thing {
            a: "raw".into(),
            text: String::new()
        }]
    );
    // The registered namespace, a name its decoder does not know: raw.
    let MixedNode::Element(unknown) = &nodes[4] else {
        panic!("expected a raw element: {:?}", nodes[4])
    };
    assert_eq!(
        (unknown.ns.as_deref(), unknown.local.as_str()),
        (Some(EXT), "Unknown")
    );
    assert_eq!(unknown.attribute(None, "b"), Some("2"));
    // Typed content with mixed content of its own is decoded through the registry again.
    let wrapper = nodes[5].clone();
    let MixedNode::Typed(wrapper) = &wrapper else {
        panic!("expected a typed element: {:?}", nodes[5])
    };
    let wrapper = wrapper.downcast_ref::<Wrapper>().unwrap();
    assert_eq!(wrapper.content.0.len(), 3);
    assert_eq!(
        wrapper.content.typed_as::<Thing>().collect::<Vec<_>>(),
        [&Thing {
            a: "3".into(),
            text: String::new()
        }]
    );
    assert_eq!(wrapper.content.elements().next().unwrap().local, "Z");
    assert_eq!(nodes[7], MixedNode::Text(" end".into()));
    assert_eq!(
        content
            .typed_as::<Thing>()
            .map(|t| t.a.as_str())
            .collect::<Vec<_>>(),
        ["1", "4"]
    );
    assert_eq!(content.typed().count(), 3);
    assert_eq!(content.elements().count(), 2);
    assert_eq!(content.text_content(), "text  end");

    // Clone and equality see through the boxes.
    let copy = doc.clone();
    assert_eq!(copy, doc);
    let mut changed = doc.clone();
    changed.root.0.incidents[0].additional_data[0].content.0[1] =
        MixedNode::Typed(Box::new(Thing {
            a: "1".into(),
            text: "two".into(),
        }));
    assert_ne!(changed, doc);
    changed.root.0.incidents[0].additional_data[0].content.0[1] =
        MixedNode::Typed(Box::new(Wrapper {
            content: Mixed::default(),
        }));
    assert_ne!(changed, doc);

    // Written back identically.
    let expected = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{input}");
    assert_eq!(doc.to_xml_string(), expected);
    // Raw reading gives the same output.
    let raw = parse_ext(&input, None).unwrap();
    assert_eq!(
        raw.root.0.incidents[0].additional_data[0]
            .content
            .typed()
            .count(),
        0
    );
    assert_ne!(raw, doc);
    assert_eq!(raw.to_xml_string(), expected);
}

#[test]
fn typed_extensions_can_be_switched_off() {
    let input = with_additional_data(EXT_CONTENT);
    let mut r = XmlReader::with_registry(input.as_bytes(), Some(ext_registry()));
    assert!(r.registry().is_some());
    r.set_typed_extensions(false);
    let doc = Document::<ExtDoc>::from_xml_reader(r).unwrap();
    let content = &doc.root.0.incidents[0].additional_data[0].content;
    assert_eq!(content.typed().count(), 0);
    assert_eq!(content.elements().count(), 5);
}

#[test]
fn typed_extension_with_xsi_attributes_is_typed_and_keeps_them() {
    let input = with_additional_data(
        "<x:Thing xmlns:x=\"urn:test:ext\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"urn:test:ext ext.xsd\" a=\"1\"/>",
    );
    let doc = parse_ext(&input, Some(ext_registry())).unwrap();
    let content = &doc.root.0.incidents[0].additional_data[0].content;
    assert_eq!(content.typed().count(), 1);
    // The hand-written test types have no `extra` field: the attribute travels up to the
    // document (`root_extra`, anchored child by child) and is written back in place.
    assert!(!doc.root_extra.is_empty());
    assert_eq!(
        doc.to_xml_string(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{input}")
    );
}

#[test]
fn invalid_typed_extension_content_is_an_error() {
    let input = with_additional_data("\n<x:Thing xmlns:x=\"urn:test:ext\" b=\"1\"/>");
    let err = parse_ext(&input, Some(ext_registry())).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnexpectedAttribute);
    assert_eq!(
        err.path,
        "/IODEF-Document/Incident[1]/AdditionalData[1]/Thing[1]"
    );
    assert_eq!((err.line, err.column), (2, 33));
    let input = with_additional_data("<x:Wrapper xmlns:x=\"urn:test:ext\"><x:Thing/></x:Wrapper>");
    let err = parse_ext(&input, Some(ext_registry())).unwrap_err();
    assert_eq!(err.kind, ErrorKind::MissingAttribute);
    assert_eq!(
        err.path,
        "/IODEF-Document/Incident[1]/AdditionalData[1]/Wrapper[1]/Thing[1]"
    );
    // The same documents are fine when read raw.
    parse_ext(&input, None).unwrap();
}

#[test]
fn a_decoder_must_not_decline_after_reading() {
    fn greedy<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
    ) -> Result<Option<Box<dyn TypedElement>>, Error> {
        r.read_text(el)?;
        Ok(None)
    }
    let mut reg = Registry::new();
    reg.add(EXT, greedy);
    let input = with_additional_data("<x:Thing xmlns:x=\"urn:test:ext\">t</x:Thing>");
    let err = parse_ext(&input, Some(Arc::new(reg))).unwrap_err();
    assert!(err.message.contains("internal error"), "{err}");
}

#[test]
fn registry_basics_and_global_registration() {
    let mut reg = Registry::new();
    assert!(reg.get(EXT).is_none());
    reg.add(EXT, decode_ext);
    reg.add("urn:a", decode_ext);
    assert!(reg.get(EXT).is_some());
    assert_eq!(reg.namespaces().collect::<Vec<_>>(), ["urn:a", EXT]);
    assert!(format!("{reg:?}").contains("urn:a"));

    // A reader made before a registration keeps its snapshot; later ones see it.
    const GLOBAL_EXT: &str = "urn:test:global-ext";
    fn decode_global<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
    ) -> Result<Option<Box<dyn TypedElement>>, Error> {
        Ok(match el.local {
            "Thing" => Some(Box::new(Thing::from_xml(r, el)?)),
            _ => None,
        })
    }
    let input = with_additional_data("<Thing xmlns=\"urn:test:global-ext\" a=\"g\"/>");
    let early = XmlReader::new(input.as_bytes());
    register(|r| r.add(GLOBAL_EXT, decode_global));
    assert!(registry::global().get(GLOBAL_EXT).is_some());
    let before = Document::<IodefDocument>::from_xml_reader(early).unwrap();
    assert_eq!(
        before.root.incidents[0].additional_data[0]
            .content
            .typed()
            .count(),
        0
    );
    let after = Document::<IodefDocument>::from_str(&input).unwrap();
    let content = &after.root.incidents[0].additional_data[0].content;
    assert_eq!(content.typed_as::<Thing>().next().unwrap().a, "g");
    // Registration from inside a registration closure's reads does not deadlock.
    registry::register(|r| {
        let seen = registry::global().get(GLOBAL_EXT).is_some();
        assert!(seen);
        r.add(GLOBAL_EXT, decode_global);
    });
}

#[test]
fn typed_nesting_is_bounded() {
    let mut content = String::from("<x:Wrapper xmlns:x=\"urn:test:ext\">");
    for _ in 0..9 {
        content.push_str("<x:Wrapper>");
    }
    content.push('t');
    for _ in 0..10 {
        content.push_str("</x:Wrapper>");
    }
    let input = with_additional_data(&content);
    let depth_of = |mixed: &Mixed| {
        let mut depth = 0;
        let mut cur = mixed.clone();
        loop {
            let next = match cur.0.first() {
                Some(MixedNode::Typed(t)) => t.downcast_ref::<Wrapper>().unwrap().content.clone(),
                _ => return (depth, cur),
            };
            depth += 1;
            cur = next;
        }
    };
    let doc = parse_ext(&input, Some(ext_registry())).unwrap();
    let (depth, rest) = depth_of(&doc.root.0.incidents[0].additional_data[0].content);
    assert_eq!(depth, reader::DEFAULT_MAX_TYPED_NESTING);
    assert_eq!(rest.elements().next().unwrap().local, "Wrapper");
    assert_eq!(
        doc.to_xml_string(),
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{input}")
    );

    let mut r = XmlReader::with_registry(input.as_bytes(), Some(ext_registry()));
    r.set_max_typed_nesting(2);
    let doc = Document::<ExtDoc>::from_xml_reader(r).unwrap();
    assert_eq!(
        depth_of(&doc.root.0.incidents[0].additional_data[0].content).0,
        2
    );
}

/// Reads the whole document raw (every element through `read_any`), with `limits`.
fn read_with_limits(input: &str, limits: Limits) -> Result<AnyElement, Error> {
    let mut r = XmlReader::new(input.as_bytes());
    r.set_limits(limits);
    let root = r.root()?;
    let any = r.read_any(&root)?;
    r.finish()?;
    Ok(any)
}

#[test]
fn resource_limits_are_clear_errors() {
    let tight = Limits {
        max_elements: 3,
        max_tag_bytes: 64,
        max_text_bytes: 16,
        ..Limits::default()
    };
    read_with_limits("<a><b/><c>short</c></a>", tight).expect("within limits");

    let err = read_with_limits("<a><b/><b/><b/></a>", tight).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.message.contains("more than 3 elements"), "{err}");

    let big_attr = format!("<a x=\"{}\"/>", "v".repeat(100));
    let err = read_with_limits(&big_attr, tight).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.message.contains("max_tag_bytes"), "{err}");
    assert_eq!((err.line, err.column), (1, 1), "{err}");

    let big_text = format!("<a>\n<b>{}</b></a>", "t".repeat(17));
    let err = read_with_limits(&big_text, tight).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.message.contains("max_text_bytes"), "{err}");
    assert_eq!(err.line, 2, "{err}");
}

#[test]
fn attribute_and_namespace_limits_are_clear_errors() {
    let tight = Limits {
        max_attributes: 2,
        max_namespace_bytes: 10,
        max_namespaces: 3,
        ..Limits::default()
    };
    read_with_limits(r#"<a x="1" y="2"/>"#, tight).expect("within limits");
    let err = read_with_limits(r#"<a x="1" y="2" z="3"/>"#, tight).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Limit, "{err}");
    assert!(err.message.contains("max_attributes"), "{err}");
    let err = read_with_limits(r#"<a xmlns="urn:a-long-one"/>"#, tight).unwrap_err();
    assert!(err.message.contains("max_namespace_bytes"), "{err}");
    let err = read_with_limits(
        r#"<a><b xmlns="urn:1"/><b xmlns="urn:2"/><b xmlns="urn:3"/><b xmlns="urn:4"/></a>"#,
        tight,
    )
    .unwrap_err();
    assert!(err.message.contains("max_namespaces"), "{err}");
}

#[test]
fn one_pass_positions_agree_with_the_single_ones() {
    use super::reader::{element_path, element_paths, line_column, line_columns};
    let docs: [&[u8]; 4] = [
        b"\xEF\xBB\xBF<a>\r\n <b x='1'>t&amp;\xC3\xA9</b><b/><c><b/>\r<d/></c>\n<!--x--></a>\n",
        b"<?xml version='1.0'?>\n<p:a xmlns:p='urn:p'><p:b><![CDATA[x]]></p:b><p:b/></p:a>",
        b"<a><b><c></b></a>",
        b"",
    ];
    for doc in docs {
        let offsets: Vec<usize> = (0..=doc.len() + 1).collect();
        let paths = element_paths(doc, &offsets);
        let positions = line_columns(doc, &offsets);
        for &o in &offsets {
            assert_eq!(paths[o], element_path(doc, o), "path at {o}");
            assert_eq!(positions[o], line_column(doc, o), "line:column at {o}");
        }
        // Repeated and sparse offsets.
        let some = [1, 1, 5, doc.len()];
        let paths = element_paths(doc, &some);
        for (i, &o) in some.iter().enumerate() {
            assert_eq!(paths[i], element_path(doc, o));
        }
    }
}

#[test]
fn policy_of_the_reader() {
    let xml = r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00"><Incident purpose="reporting"><IncidentID name="a">1</IncidentID><GenerationTime>2015-07-18T09:00:00Z</GenerationTime></Incident></IODEF-Document>"#;
    let mut r = XmlReader::new(xml.as_bytes());
    assert_eq!(r.policy(), Policy::Strict);
    r.set_policy(Policy::Lenient);
    assert_eq!(r.policy(), Policy::Lenient);
    assert!(r.take_unknown().is_empty());
    // The hand-written model reads with `next_child` only: without `first_child`, lenient
    // mode does not know which children are allowed and passes every child on.
    let doc: Document<IodefDocument> = Document::from_xml_reader(r).unwrap();
    assert!(doc.unknown.is_empty());
    let strict =
        Document::<IodefDocument>::from_slice_with(xml.as_bytes(), &ReadOptions::default());
    assert_eq!(strict.unwrap(), doc);
}

#[test]
fn malformed_processing_instruction_targets_are_errors() {
    // Found by the read_document fuzz target once PIs were kept: quick-xml takes everything
    // up to the first whitespace as the target.
    for input in [
        "<?x00</a>?><IODEF-Document/>",
        "<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><?a<b c?></IODEF-Document>",
    ] {
        let err = parse_err(input);
        assert_eq!(err.kind, ErrorKind::Syntax, "{input}: {err}");
        assert!(err.message.starts_with("invalid processing-instruction target"), "{err}");
    }
    // Names with dots, hyphens and colons are targets (the validator's side, which needs the
    // IODEF schemas: `generated/tests/runtime.rs`).
    let ok = format!(
        "<?a.b-c:d x?>{}",
        MINIMAL.replace("</IODEF-Document>", "<?x-y?></IODEF-Document>")
    );
    assert!(parse(&ok).is_ok(), "{:?}", parse(&ok));
}

#[test]
fn extra_is_one_pointer() {
    // The field every generated element struct carries costs one pointer and no allocation
    // when there is nothing extra.
    assert_eq!(
        std::mem::size_of::<crate::Extra>(),
        std::mem::size_of::<usize>()
    );
    assert!(crate::Extra::new().is_empty());
    assert!(crate::Extra::from_data(Default::default()).is_empty());
}
