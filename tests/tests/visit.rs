//! The walk over typed values (`iodef::rt::visit`, `Document::find_all`): on every valid corpus
//! document it finds exactly the elements an independent quick-xml scan counts, in document
//! order, inside extension content too; `for_each_mut` changes what the writer writes.

use iodef::bindings::{iodef1, iodef2, phish, Root};
use iodef::Document;
use iodef_tests::corpus;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// The text of every `{ns}local` element of `xml`, in document order (a plain quick-xml scan).
fn texts_of(xml: &[u8], ns: &str, local: &str) -> Vec<String> {
    let mut r = NsReader::from_reader(xml);
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    loop {
        match r
            .read_resolved_event()
            .expect("well-formed corpus document")
        {
            (ResolveResult::Bound(n), Event::Start(e))
                if n.as_ref() == ns.as_bytes() && e.local_name().as_ref() == local.as_bytes() =>
            {
                open = Some(String::new());
            }
            (ResolveResult::Bound(n), Event::Empty(e))
                if n.as_ref() == ns.as_bytes() && e.local_name().as_ref() == local.as_bytes() =>
            {
                out.push(String::new());
            }
            (_, Event::Text(t)) => {
                if let Some(s) = open.as_mut() {
                    // XML end-of-line handling (§2.11), which the reader applies.
                    s.push_str(&t.decode().expect("text").replace("\r\n", "\n"));
                }
            }
            (_, Event::GeneralRef(g)) => {
                if let Some(s) = open.as_mut() {
                    let name = g.decode().expect("reference").into_owned();
                    let c = match name.as_str() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => g
                            .resolve_char_ref()
                            .expect("character reference")
                            .expect("only predefined entities in the corpus"),
                    };
                    s.push(c);
                }
            }
            (_, Event::End(e)) if e.local_name().as_ref() == local.as_bytes() => {
                if let Some(s) = open.take() {
                    out.push(s);
                }
            }
            (_, Event::Eof) => return out,
            _ => {}
        }
    }
}

#[test]
fn find_all_agrees_with_a_scan_on_every_valid_corpus_document() {
    let mut checked = 0;
    let mut addresses = 0;
    for entry in corpus::valid() {
        if !entry.path.ends_with(".xml") {
            continue;
        }
        let xml = std::fs::read(&entry.file).expect("corpus file");
        let Ok(doc) = iodef::read(&xml) else {
            continue; // roots and encodings the reader refuses are tested elsewhere
        };
        let found: Vec<String> = doc
            .find_all::<iodef2::Address>()
            .iter()
            .map(|a| a.value.clone())
            .collect();
        let expected = texts_of(&xml, iodef2::NAMESPACE, "Address");
        assert_eq!(found, expected, "{}: IODEF 2.0 Address", entry.path);
        let found: Vec<String> = doc
            .find_all::<iodef1::Address>()
            .iter()
            .map(|a| a.value.clone())
            .collect();
        let expected1 = texts_of(&xml, iodef1::NAMESPACE, "Address");
        assert_eq!(found, expected1, "{}: IODEF 1.0 Address", entry.path);
        let incidents =
            doc.find_all::<iodef2::Incident>().len() + doc.find_all::<iodef1::Incident>().len();
        let scanned = texts_of(&xml, iodef2::NAMESPACE, "Incident").len()
            + texts_of(&xml, iodef1::NAMESPACE, "Incident").len();
        assert_eq!(incidents, scanned, "{}: Incidents", entry.path);
        addresses += expected.len() + expected1.len();
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} corpus documents checked");
    assert!(addresses >= 20, "only {addresses} addresses in the corpus?");
}

#[test]
fn find_all_reaches_typed_extension_elements() {
    let file = corpus::corpus_dir().join("rfc5901/rfc5901-B.2-generated-report.xml");
    let doc = iodef::read(&std::fs::read(file).expect("corpus file")).expect("reads");
    let reports = doc.find_all::<phish::PhraudReport>();
    assert_eq!(reports.len(), 1);
    assert!(format!("{:?}", reports[0].fraud_type).contains("Phishing"));
    // The walk starts at the root enum and passes through each level.
    assert_eq!(doc.find_all::<Root>().len(), 1);
    assert_eq!(doc.find_all::<iodef1::Element>().len(), 1);
    assert_eq!(doc.find_all::<iodef1::IodefDocument>().len(), 1);
}

#[test]
fn for_each_mut_changes_what_is_written() {
    let file = corpus::corpus_dir().join("rfc8274/rfc8274-B.1-malware-delivery-url.xml");
    let xml = std::fs::read(file).expect("corpus file");
    let mut doc: Document<Root> = iodef::read(&xml).expect("reads");
    let before = doc.find_all::<iodef2::Address>().len();
    assert!(before > 0);
    let mut seen = 0;
    doc.for_each_mut(|a: &mut iodef2::Address| {
        a.value = format!("198.51.100.{seen}");
        seen += 1;
    });
    assert_eq!(seen, before);
    let written = doc.to_xml_string();
    let expected: Vec<String> = (0..before).map(|i| format!("198.51.100.{i}")).collect();
    assert_eq!(
        texts_of(written.as_bytes(), iodef2::NAMESPACE, "Address"),
        expected
    );
}

/// The generated `Visit` / `VisitMut` traits (syn-style): a visitor overriding two methods sees
/// exactly what `find_all` finds, in the same order; a `VisitMut` changes what is written.
#[test]
fn generated_visitor_traits() {
    struct Collect<'ast> {
        addresses: Vec<&'ast str>,
        indicators: usize,
    }
    impl<'ast> iodef2::Visit<'ast> for Collect<'ast> {
        fn visit_address(&mut self, node: &'ast iodef2::Address) {
            self.addresses.push(&node.value);
        }
        fn visit_indicator(&mut self, _: &'ast iodef2::Indicator) {
            self.indicators += 1;
        }
    }
    let mut checked = 0;
    for entry in corpus::entries() {
        if !entry.is_iodef2() || !entry.xmlschema_valid {
            continue;
        }
        let Ok(doc) = Document::<Root>::from_slice(&std::fs::read(&entry.file).unwrap()) else {
            continue;
        };
        let mut v = Collect {
            addresses: Vec::new(),
            indicators: 0,
        };
        iodef2::visit(&doc.root, &mut v);
        let expected: Vec<&str> = doc
            .find_all::<iodef2::Address>()
            .into_iter()
            .map(|a| a.value.as_str())
            .collect();
        assert_eq!(v.addresses, expected, "{}", entry.path);
        assert_eq!(
            v.indicators,
            doc.find_all::<iodef2::Indicator>().len(),
            "{}",
            entry.path
        );
        checked += usize::from(!expected.is_empty());
    }
    assert!(checked >= 5, "only {checked} documents with addresses");

    struct Redact;
    impl iodef2::VisitMut for Redact {
        fn visit_address_mut(&mut self, node: &mut iodef2::Address) {
            node.value = "192.0.2.0".into();
        }
    }
    let xml = std::fs::read(corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml")).unwrap();
    let mut doc = Document::<Root>::from_slice(&xml).unwrap();
    iodef2::visit_mut(&mut doc.root, &mut Redact);
    // No Address in the minimal example: nothing changes; one in a built document: changed.
    assert_eq!(
        doc.to_xml_string(),
        Document::<Root>::from_slice(&xml).unwrap().to_xml_string()
    );
    let mut address = iodef2::Address::new("198.51.100.1");
    iodef2::visit_mut(&mut address, &mut Redact);
    assert_eq!(address.value, "192.0.2.0");
}
