//! The RFC 7970 §7.1 minimal example, built with the generated constructors, equals the RFC's own
//! document as an infoset; and the fixed `version` attribute is enforced when reading.

use iodef::bindings::iodef2::{
    Contact, ContactRoleType, ContactType, Email, Incident, IncidentIdType, IncidentPurposeType,
    IodefDocument, RestrictionType,
};
use iodef::{Document, ErrorKind};
use iodef_tests::{corpus, infoset};

fn minimal() -> Document<IodefDocument> {
    let mut contact = Contact::new(ContactRoleType::Creator, ContactType::Organization);
    contact.email.push(Email::new("contact@csirt.example.com"));
    let mut incident = Incident::new(
        IncidentPurposeType::Reporting,
        IncidentIdType {
            name: "csirt.example.com".into(),
            value: "492382".into(),
            ..Default::default()
        },
        "2015-07-18T09:00:00-05:00".parse().expect("dateTime"),
        vec![contact],
    );
    incident.restriction = Some(RestrictionType::Private);
    let mut root = IodefDocument::new(vec![incident]);
    root.lang = Some("en".into());
    Document::new(root)
}

#[test]
fn constructors_build_the_rfc7970_minimal_example() {
    let mut doc = minimal();
    assert_eq!(
        doc.root.version.as_deref(),
        Some("2.00"),
        "constructor sets the fixed version"
    );
    let rfc = std::fs::read(corpus::shared_dir().join("corpus/rfc7970/rfc7970-7.1-minimal.xml"))
        .expect("read the RFC example from ../shared");
    // The RFC example also carries an xsi:schemaLocation; keep it for a like-for-like comparison.
    // Its two comments are kept by default (and compared), dropped on request.
    let with_comments = Document::<IodefDocument>::from_slice(&rfc).expect("parse the RFC example");
    assert_eq!(with_comments.prolog.len(), 1);
    infoset::compare_xml(&rfc, with_comments.to_xml_string().as_bytes()).expect("comments kept");
    let options = iodef::ReadOptions {
        comments: iodef::rt::Comments::Drop,
        ..iodef::ReadOptions::default()
    };
    let parsed =
        Document::<IodefDocument>::from_slice_with(&rfc, &options).expect("parse the RFC example");
    doc.xsi = parsed.xsi.clone();
    infoset::compare_xml_ignoring_comments(&rfc, doc.to_xml_string().as_bytes())
        .expect("same infoset");
    assert_eq!(parsed.comments_dropped, 2);
    assert_eq!(
        parsed.root, doc.root,
        "parsing the RFC without comments gives the built value"
    );
    assert_eq!((parsed.prolog.len(), parsed.epilog.len()), (0, 0));
}

#[test]
fn a_wrong_fixed_version_is_refused_with_its_position() {
    let xml = minimal()
        .to_xml_string()
        .replace("version=\"2.00\"", "version=\"1.00\"");
    let err =
        Document::<IodefDocument>::from_str(&xml).expect_err("version 1.00 in a 2.0 document");
    assert_eq!(err.kind, ErrorKind::InvalidValue, "{err}");
    assert_eq!(err.path, "/IODEF-Document", "{err}");
    assert!(err.message.contains("2.00"), "{err}");
}

#[test]
fn built_values_are_validated_before_writing() {
    assert_eq!(minimal().validate().errors, Vec::new());
    // Named fields with `..Default::default()`: what is left out keeps its placeholder, and
    // `validate` names it.
    let mut doc = minimal();
    doc.root.incident[0].contact.clear();
    doc.root.incident[0].incident_id = IncidentIdType {
        value: "492382".into(),
        ..Default::default()
    };
    let report = doc.validate();
    let messages: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(report.errors.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("/IODEF-Document/Incident[1]: missing required element")
            && messages[0].contains("Contact"),
        "{messages:#?}"
    );
    // An empty `name` is schema-valid; the prose rules (RFC 7970 §3.4: a domain name) say no.
    let findings = iodef::rules::check(doc.to_xml_string().as_bytes());
    assert!(
        findings
            .iter()
            .any(|f| f.path == "/IODEF-Document/Incident[1]/IncidentID[1]"),
        "{findings:#?}"
    );
}
