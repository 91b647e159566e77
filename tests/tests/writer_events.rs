//! The writer's event mode (`XmlWriter::with_events`, `Document::write_events`) reports what
//! the byte writer writes: on every corpus document the typed reader accepts, and on documents
//! with comments, processing instructions, `xsi:` attributes and kept unknown content, the
//! events equal a namespace-resolving parse of the written bytes (elements, attributes in order
//! with their namespace and unescaped value, text; comments and processing instructions aside).

use iodef::rt::{Pi, XmlEvents};
use iodef::{Document, ReadOptions, Root};
use iodef_tests::corpus;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// One event; consecutive text pieces are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Start(String, String),
    Attr(String, String, String),
    Text(String),
    End,
}

#[derive(Default)]
struct Recorder {
    events: Vec<Ev>,
    comments: usize,
    pis: usize,
}

impl Recorder {
    fn text(&mut self, text: &str) {
        match self.events.last_mut() {
            Some(Ev::Text(t)) => t.push_str(text),
            _ => self.events.push(Ev::Text(text.to_string())),
        }
    }
}

impl XmlEvents for Recorder {
    fn start_element(&mut self, ns: &str, local: &str) -> std::io::Result<()> {
        self.events.push(Ev::Start(ns.into(), local.into()));
        Ok(())
    }
    fn attribute(&mut self, ns: &str, local: &str, value: &str) -> std::io::Result<()> {
        self.events
            .push(Ev::Attr(ns.into(), local.into(), value.into()));
        Ok(())
    }
    fn text(&mut self, text: &str) -> std::io::Result<()> {
        assert!(!text.is_empty(), "empty text event");
        Recorder::text(self, text);
        Ok(())
    }
    fn end_element(&mut self) -> std::io::Result<()> {
        self.events.push(Ev::End);
        Ok(())
    }
    fn comment(&mut self, _: &str) -> std::io::Result<()> {
        self.comments += 1;
        Ok(())
    }
    fn processing_instruction(&mut self, _: &Pi) -> std::io::Result<()> {
        self.pis += 1;
        Ok(())
    }
}

/// The events of a parse of `xml` (whitespace outside the root element left out).
fn parsed(xml: &str) -> Recorder {
    let mut out = Recorder::default();
    let mut reader = NsReader::from_str(xml);
    let mut depth = 0usize;
    loop {
        let (resolved, event) = reader.read_resolved_event().unwrap();
        let ns = |r: &ResolveResult| match r {
            ResolveResult::Bound(ns) => String::from_utf8(ns.as_ref().to_vec()).unwrap(),
            _ => String::new(),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                out.events.push(Ev::Start(ns(&resolved), local));
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.as_namespace_binding().is_some() {
                        continue;
                    }
                    let (r, local) = reader.resolve_attribute(a.key);
                    let ns = match r {
                        _ if a.key.prefix().is_some_and(|p| p.as_ref() == b"xml") => {
                            XML_NS.to_string()
                        }
                        r => ns(&r),
                    };
                    let raw = std::str::from_utf8(&a.value).unwrap();
                    let value = quick_xml::escape::unescape(raw).unwrap().into_owned();
                    let local = String::from_utf8(local.as_ref().to_vec()).unwrap();
                    out.events.push(Ev::Attr(ns, local, value));
                }
                if matches!(event, Event::Empty(_)) {
                    out.events.push(Ev::End);
                } else {
                    depth += 1;
                }
            }
            Event::End(_) => {
                out.events.push(Ev::End);
                depth -= 1;
            }
            Event::Text(t) if depth > 0 => out.text(&t.decode().unwrap()),
            Event::CData(t) if depth > 0 => out.text(std::str::from_utf8(&t).unwrap()),
            Event::GeneralRef(r) if depth > 0 => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r.decode().unwrap())
                        .unwrap()
                        .to_string(),
                };
                out.text(&c);
            }
            Event::Comment(_) => out.comments += 1,
            Event::PI(_) => out.pis += 1,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[track_caller]
fn check(doc: &Document<Root>, what: &str) {
    let mut events = Recorder::default();
    doc.write_events(&mut events).unwrap();
    let expected = parsed(&doc.to_xml_string());
    assert_eq!(events.events, expected.events, "{what}");
    assert_eq!(
        (events.comments, events.pis),
        (expected.comments, expected.pis),
        "{what}"
    );
}

#[test]
fn events_are_what_the_byte_writer_writes() {
    let mut checked = 0;
    for entry in corpus::entries() {
        let bytes = std::fs::read(corpus::corpus_dir().join(&entry.path)).unwrap();
        if let Ok(doc) = iodef::read(&bytes) {
            check(&doc, &entry.path);
            checked += 1;
        }
    }
    assert_eq!(checked, corpus::valid().len());
    // Comments and processing instructions everywhere, `xsi:` attributes, unknown content a
    // lenient parse keeps in place, text beside them.
    let kept = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- prolog --><?pi x?>\n",
        r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00" xml:lang="en" "#,
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="a b">"#,
        r#"<Incident purpose="reporting" ext-purpose="x"><?app step="1"?>"#,
        r#"<IncidentID name="csirt.example.com">4&amp;9<!--c-->2&#13;</IncidentID>"#,
        "<Unknown a=\"1\">stray<u:x xmlns:u=\"urn:u\"/></Unknown>",
        "<GenerationTime>2015-07-18T09:00:00Z<!--after--></GenerationTime>",
        r#"<Contact role="creator" type="organization" xsi:noNamespaceSchemaLocation="n">"#,
        "<Email><EmailTo><!--x-->a@b.example</EmailTo></Email></Contact>",
        r#"<AdditionalData dtype="xml">t<![CDATA[<x>]]><ex:data xmlns:ex="urn:example:ext" "#,
        r#"a="&#9;v&quot;"><?inner pi?>in</ex:data>u</AdditionalData>"#,
        "</Incident></IODEF-Document>\n<!-- epilog -->",
    );
    let doc = Document::<Root>::from_slice_with(kept.as_bytes(), &ReadOptions::lenient())
        .expect("lenient read");
    assert!(!doc.unknown.is_empty());
    check(&doc, "kept content");
}
