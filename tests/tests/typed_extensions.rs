//! Typed extension content, field by field: elements of the generated namespaces inside
//! `AdditionalData` (IODEF 1.0 `ExtensionType`), SCI `RawData` and RID `XMLDocument` are
//! decoded into their Rust types (`MixedNode::Typed`), elements of unknown namespaces stay raw
//! (`MixedNode::Element`), and writing the document back gives the same infoset and stable
//! bytes. The documents are the RFC examples of `<shared>/corpus`, read in place.

use iodef::bindings::{iodef1, phish, rid2, sci, thraud, Root};
use iodef::{Document, Mixed, MixedNode};
use iodef_tests::{corpus, infoset};

/// The corpus document `rel`, as published (it must not be one that the runtime refuses on
/// purpose today, `corpus::EXPECTED_REFUSED`).
fn corpus_text(rel: &str) -> String {
    if let Some((_, reason)) = corpus::expected_refused(rel) {
        panic!("{rel} is listed in corpus::EXPECTED_REFUSED ({reason}); pick another document");
    }
    let file = corpus::corpus_dir().join(rel);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
}

/// Parses `xml` with any root, writes it back, and checks the output: same infoset as the
/// input, and re-parsing + re-writing gives identical bytes. Returns the parsed document.
///
/// (The re-parsed value is not compared with the first: a raw element's namespace
/// declarations are a writing hint, and one that repeats a binding already in scope is not
/// written again, so the hint can differ while the infoset and the bytes do not.)
fn read_and_round_trip(name: &str, xml: &str) -> Document<Root> {
    let doc = Document::<Root>::from_str(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
    let out = doc.to_xml_string();
    infoset::compare_xml(xml.as_bytes(), out.as_bytes())
        .unwrap_or_else(|e| panic!("{name}: written back differently: {e}\n{out}"));
    let again = Document::<Root>::from_str(&out)
        .unwrap_or_else(|e| panic!("{name}: re-parsing the output: {e}\n{out}"));
    assert_eq!(again.to_xml_string(), out, "{name}: writing is not stable");
    doc
}

fn iodef1_document(doc: &Document<Root>) -> &iodef1::IodefDocument {
    match &doc.root {
        Root::Iodef1(iodef1::Element::IodefDocument(d)) => d,
        other => panic!(
            "expected an IODEF 1.0 IODEF-Document, got {{{}}}{}",
            other.namespace(),
            other.local_name()
        ),
    }
}

/// The only typed node of `content`, which must be a `T`; no raw element beside it.
fn only_typed<'a, T: 'static>(content: &'a Mixed, what: &str) -> &'a T {
    let typed: Vec<_> = content.typed().collect();
    assert_eq!(typed.len(), 1, "{what}: typed nodes: {typed:?}");
    assert_eq!(
        content.elements().count(),
        0,
        "{what}: raw elements beside the typed one: {content:?}"
    );
    typed[0].downcast_ref::<T>().unwrap_or_else(|| {
        panic!(
            "{what}: not a {}: {:?}",
            std::any::type_name::<T>(),
            typed[0]
        )
    })
}

/// Whitespace-only text around the elements, nothing else but `elements` element nodes.
fn assert_only_whitespace_text(content: &Mixed, what: &str) {
    for node in &content.0 {
        if let MixedNode::Text(t) = node {
            assert!(t.trim().is_empty(), "{what}: unexpected text {t:?}");
        }
        assert!(
            !matches!(node, MixedNode::Comment(_)),
            "{what}: unexpected comment"
        );
    }
}

fn addresses(node: &iodef1::Node) -> Vec<&str> {
    node.choice
        .iter()
        .flat_map(|c| match c {
            iodef1::NodeChoice::Address(a) => a.iter().map(|a| a.value.as_str()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

/// RFC 5901 Appendix B.2: IODEF 1.0 with a phishing `PhraudReport` in EventData/AdditionalData.
#[test]
fn rfc5901_b2_phraud_report_is_typed() {
    let rel = "rfc5901/rfc5901-B.2-generated-report.xml";
    let xml = corpus_text(rel);
    let doc = read_and_round_trip(rel, &xml);
    let d = iodef1_document(&doc);
    assert_eq!(d.lang, "en-US");
    let incident = &d.incident[0];
    // purpose="reporting" ext-purpose="create": an ext-* attribute beside a non-ext-value.
    assert_eq!(incident.purpose, iodef1::IncidentPurpose::Reporting);
    assert_eq!(incident.incident_id.name, "example.com");
    assert_eq!(incident.incident_id.value, "PAT2005-06");

    let event = &incident.event_data[0];
    assert_eq!(
        event.detect_time.as_ref().map(|t| t.as_str()),
        Some("2005-06-21T18:22:02-05:00")
    );
    let additional = &event.additional_data[0];
    assert_eq!(additional.dtype, iodef1::DtypeType::Xml);
    assert_only_whitespace_text(&additional.content, "AdditionalData");
    let element = only_typed::<phish::Element>(&additional.content, "AdditionalData");
    let phish::Element::PhraudReport(report) = element else {
        panic!("expected a PhraudReport, got {element:?}");
    };

    assert_eq!(report.fraud_type, phish::FraudType::Phishing);
    assert_eq!(report.version, None);
    assert_eq!(
        report.fraud_parameter.as_ref().map(|p| p.value.trim()),
        Some("Subject: Account Update")
    );
    let brands: Vec<&str> = report
        .frauded_brand_name
        .iter()
        .map(|b| b.value.trim())
        .collect();
    assert_eq!(brands, ["Cooper-Cain"]);

    assert_eq!(report.lure_source.len(), 1);
    let lure = &report.lure_source[0];
    assert_eq!(lure.system.len(), 1);
    assert_eq!(
        lure.system[0].category,
        Some(iodef1::SystemCategory::Source)
    );
    assert_eq!(addresses(&lure.system[0].node), ["192.0.2.18"]);
    let malware = lure.included_malware.as_ref().expect("IncludedMalware");
    let names: Vec<&str> = malware.name.iter().map(|n| n.value.as_str()).collect();
    assert_eq!(names, ["W32.Mytob.EA@mm"]);
    assert!(malware.data.is_none() && malware.reference.is_none());

    assert_eq!(report.originating_sensor.len(), 1);
    let sensor = &report.originating_sensor[0];
    assert_eq!(
        sensor.originating_sensor_type,
        phish::OriginatingSensorTypeOriginatingSensorType::Human
    );
    // Surrounding whitespace is collapsed away (xs:dateTime); the lexical form is kept.
    assert_eq!(sensor.date_first_seen.as_str(), "2005-06-10T15:52:11-05:00");
    assert_eq!(sensor.date_first_seen.timezone(), Some(-300));
    assert_eq!(addresses(&sensor.system[0].node), ["192.0.2.13"]);

    let email = report.email_record.as_ref().expect("EmailRecord");
    assert_eq!(email.email_count, iodef::Integer::from(1));
    let message = &email.email_message.as_ref().expect("EmailMessage").value;
    assert!(
        message.contains("Return-path: <support@example.com>"),
        "entities decoded: {message:?}"
    );
    assert!(
        message.contains("&email=(someone@example.com)> ."),
        "{message:?}"
    );
    assert!(report.dc_site.is_empty() && report.take_down_info.is_empty());
}

/// RFC 7203 §5.1: IODEF 1.0 with an SCI `AttackPattern` in Method/AdditionalData; its MMDEF
/// `RawData` payload (a foreign namespace) stays raw XML.
#[test]
fn rfc7203_attack_pattern_is_typed() {
    let rel = "rfc7203/rfc7203-5.1-sci-mmdef.xml";
    let xml = corpus_text(rel);
    let doc = read_and_round_trip(rel, &xml);
    let d = iodef1_document(&doc);
    assert_eq!(d.version.as_deref(), Some("1.00"));
    let incident = &d.incident[0];
    assert_eq!(incident.incident_id.name, "sci.example.com");
    assert_eq!(incident.incident_id.value, "189493");
    assert_eq!(incident.report_time.as_str(), "2013-06-18T23:19:24+00:00");

    let method = &incident.method[0];
    assert!(matches!(
        method.choice.as_slice(),
        [iodef1::MethodChoice::Description(desc)] if desc.value == "A candidate attack event"
    ));
    let additional = &method.additional_data[0];
    assert_eq!(additional.dtype, iodef1::DtypeType::Xml);
    assert_only_whitespace_text(&additional.content, "Method/AdditionalData");
    let element = only_typed::<sci::Element>(&additional.content, "Method/AdditionalData");
    let sci::Element::AttackPattern(pattern) = element else {
        panic!("expected an AttackPattern, got {element:?}");
    };
    assert_eq!(pattern.spec_id, "urn:ietf:params:xml:ns:mile:mmdef:1.2");
    assert_eq!(pattern.ext_spec_id, None);
    assert_eq!(pattern.content_id, None);
    assert!(pattern.platform.is_empty());
    let Some(sci::AttackPatternChoice::RawData(raw)) = &pattern.choice else {
        panic!("expected RawData, got {:?}", pattern.choice);
    };
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].dtype, iodef1::DtypeType::Xml);
    assert_eq!(raw[0].any.len(), 1);
    let mmdef = &raw[0].any[0];
    assert_eq!(mmdef.ns.as_deref(), Some("http://xml/metadataSharing.xsd"));
    assert_eq!(mmdef.local, "malwareMetaData");
    assert_eq!(mmdef.attribute(None, "version"), Some("1.200000"));
    assert_eq!(mmdef.attribute(None, "id"), Some("10000"));
    let children: Vec<&str> = mmdef
        .children
        .elements()
        .map(|e| e.local.as_str())
        .collect();
    assert_eq!(
        children,
        [
            "company",
            "author",
            "comment",
            "timestamp",
            "objects",
            "relationships"
        ]
    );

    // The rest of the incident is typed as usual.
    let flow = &incident.event_data[0].flow[0];
    assert_eq!(addresses(&flow.system[0].node), ["192.0.2.200"]);
    assert_eq!(addresses(&flow.system[1].node), ["192.0.2.16/28"]);
}

/// RFC 6545 §7.2.1: a RID 2.0 InvestigationRequest whose ReportSchema/XMLDocument carries a
/// whole IODEF 1.0 document, decoded as a typed `IODEF-Document`.
#[test]
fn rfc6545_rid_wraps_a_typed_iodef_document() {
    let rel = "rfc6545/rfc6545-7.2.1-investigation.xml";
    let xml = corpus_text(rel);
    let doc = read_and_round_trip(rel, &xml);
    assert_eq!(doc.root.namespace(), rid2::NAMESPACE);
    assert_eq!(doc.root.local_name(), "RID");
    let Root::Rid2(rid2::Element::Rid(rid)) = &doc.root else {
        panic!("expected a RID 2.0 RID, got {:?}", doc.root);
    };
    assert_eq!(rid.lang, "en");
    let policy = rid.rid_policy.as_ref().expect("RIDPolicy");
    assert_eq!(
        policy.msg_type,
        rid2::RidPolicyTypeMsgType::InvestigationRequest
    );
    assert_eq!(addresses(&policy.node), ["192.0.2.98"]);
    assert_eq!(
        policy.incident_id.as_ref().map(|i| i.value.trim()),
        Some("CERT-FOR-OUR-DOMAIN#208-1")
    );

    let schema = policy.report_schema.as_ref().expect("ReportSchema");
    let content = &schema.xml_document.content;
    assert_only_whitespace_text(content, "XMLDocument");
    let element = only_typed::<iodef1::Element>(content, "XMLDocument");
    let iodef1::Element::IodefDocument(inner) = element else {
        panic!("expected an IODEF-Document, got {element:?}");
    };
    assert_eq!(inner.lang, "en");
    assert_eq!(inner.incident.len(), 1);
    let incident = &inner.incident[0];
    assert_eq!(incident.purpose, iodef1::IncidentPurpose::Other);
    assert_eq!(
        incident.restriction,
        Some(iodef1::RestrictionType::NeedToKnow)
    );
    assert_eq!(incident.incident_id.name, "CERT-FOR-OUR-DOMAIN");
    assert_eq!(
        incident.incident_id.value.trim(),
        "CERT-FOR-OUR-DOMAIN#208-1"
    );
    assert_eq!(
        incident.detect_time.as_ref().map(|t| t.as_str()),
        Some("2004-02-05T08:13:33+00:00")
    );
    assert_eq!(incident.report_time.as_str(), "2004-02-05T08:13:35+00:00");
    let descriptions: Vec<&str> = incident
        .description
        .iter()
        .map(|d| d.value.as_str())
        .collect();
    assert_eq!(descriptions, ["Host involved in DoS attack"]);
    let contact = &incident.contact[0];
    assert_eq!(contact.role, iodef1::ContactRole::Creator);
    assert_eq!(
        contact
            .email
            .iter()
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>(),
        ["Constituency-contact@10.1.1.2"]
    );
    let flow = &incident.event_data[0].flow[0];
    assert_eq!(
        flow.system[0].category,
        Some(iodef1::SystemCategory::Source)
    );
    assert_eq!(
        addresses(&flow.system[0].node)
            .iter()
            .map(|a| a.trim())
            .collect::<Vec<_>>(),
        ["192.0.2.35"]
    );
    let history = incident.history.as_ref().expect("History");
    assert_eq!(history.history_item.len(), 1);
}

/// RFC 5941 Appendix B: the thraud namespace is printed wrapped across two lines
/// (`urn:ietf:params:xml:ns:thraud-` newline `1.0`; "thraud- 1.0" after XML attribute-value
/// normalisation), which is not the thraud namespace: the element stays raw XML, is kept
/// exactly, and round-trips. With the namespace repaired, the same element is typed.
#[test]
fn rfc5941_broken_thraud_namespace_stays_raw() {
    let rel = "rfc5941/rfc5941-B-thraud-report.xml";
    let xml = corpus_text(rel);
    let doc = read_and_round_trip(rel, &xml);
    let d = iodef1_document(&doc);
    let additional = &d.incident[0].event_data[0].additional_data[0];
    assert_eq!(additional.dtype, iodef1::DtypeType::Xml);
    assert_only_whitespace_text(&additional.content, "AdditionalData");
    assert_eq!(
        additional.content.typed().count(),
        0,
        "nothing is typed: {:?}",
        additional.content
    );
    let raw: Vec<_> = additional.content.elements().collect();
    assert_eq!(raw.len(), 1);
    let transfer = raw[0];
    // The runtime keeps namespace names as quick-xml resolves them (whitespace not normalised:
    // "thraud-\n1.0"); XML attribute-value normalisation would give "thraud- 1.0". Either way
    // it is not the thraud namespace.
    let ns = transfer.ns.as_deref().expect("a namespace");
    assert_eq!(ns.replace('\n', " "), "urn:ietf:params:xml:ns:thraud- 1.0");
    assert_ne!(ns, thraud::NAMESPACE);
    assert_eq!(transfer.local, "FraudEventTransfer");
    let children: Vec<(&str, String)> = transfer
        .children
        .elements()
        .map(|e| (e.local.as_str(), e.children.text_content()))
        .collect();
    assert_eq!(
        children,
        [
            ("BankID", "123456789".to_string()),
            ("AccountID", "3456789".to_string()),
            ("AccountType", "saving".to_string()),
            ("TransferAmount", "10000".to_string()),
        ]
    );
    let bank = transfer.children.elements().next().unwrap();
    assert_eq!(
        bank.attribute(None, "namespace"),
        Some(
            "http://www.openauthentication.org/thraud/resources/ \
             bank-id-namespace.htm#american_bankers_association"
        )
    );

    // Repaired namespace (and no xsi:schemaLocation, which only the root may carry): typed.
    let repaired = xml
        .replace("urn:ietf:params:xml:ns:thraud-\n1.0", thraud::NAMESPACE)
        .replace(
            "\nxmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n\
             xsi:schemaLocation=\"urn:ietf:params:xml:ns:thraud-1.0\">",
            ">",
        );
    assert_ne!(repaired, xml);
    let doc = read_and_round_trip("repaired thraud report", &repaired);
    let content = &iodef1_document(&doc).incident[0].event_data[0].additional_data[0].content;
    let element = only_typed::<thraud::Element>(content, "repaired AdditionalData");
    let thraud::Element::FraudEventTransfer(transfer) = element else {
        panic!("expected FraudEventTransfer, got {element:?}");
    };
    assert_eq!(transfer.account_id.as_deref(), Some("3456789"));
    assert_eq!(
        transfer.account_type.as_ref().map(|t| t.value.as_str()),
        Some("saving")
    );
}

/// Every AdditionalData of the corpus that holds an element of a generated namespace decodes
/// it (nothing of a generated namespace is left raw at the top of extension content).
#[test]
fn generated_namespaces_are_never_left_raw_in_extension_content() {
    let generated: Vec<&str> = iodef::bindings::PREFIXES
        .iter()
        .map(|(ns, _)| *ns)
        .collect();
    fn walk(content: &Mixed, generated: &[&str], found: &mut Vec<String>) {
        for e in content.elements() {
            if let Some(ns) = e.ns.as_deref() {
                if generated.contains(&ns) {
                    found.push(format!("{{{ns}}}{}", e.local));
                }
            }
        }
    }
    for rel in [
        "rfc5901/rfc5901-B.2-generated-report.xml",
        "rfc7203/rfc7203-5.1-sci-mmdef.xml",
        "rfc5941/rfc5941-B-thraud-report.xml",
    ] {
        let doc = Document::<Root>::from_str(&corpus_text(rel)).unwrap();
        let d = iodef1_document(&doc);
        let mut found = Vec::new();
        for incident in &d.incident {
            for a in &incident.additional_data {
                walk(&a.content, &generated, &mut found);
            }
            for m in &incident.method {
                for a in &m.additional_data {
                    walk(&a.content, &generated, &mut found);
                }
            }
            for e in &incident.event_data {
                for a in &e.additional_data {
                    walk(&a.content, &generated, &mut found);
                }
            }
        }
        assert!(found.is_empty(), "{rel}: left raw: {found:?}");
    }
}
