// RFC 7970 §7.1, the minimal IODEF document (with a random IncidentID), built with the generated constructors, with the
// `xml:lang` (RFC 7970 §6) and `xsi:schemaLocation` (§4.2) the RFC requires: `iodef validate`
// accepts the output (a test in cli/tests/doc_example.rs runs it).
// `cargo run -p iodef --example rfc7970_7_1` prints it.
use iodef::v2::{
    Contact, ContactRoleType, ContactType, Email, Incident, IncidentIdType, IncidentPurposeType,
    IodefDocument,
};
use iodef::Document;

/// The document of RFC 7970 §7.1.
pub fn rfc7970_7_1() -> Result<Document<IodefDocument>, Box<dyn std::error::Error>> {
    let mut contact = Contact::new(ContactRoleType::Creator, ContactType::Organization);
    contact.email.push(Email::new("contact@csirt.example.com"));
    let incident = Incident::new(
        IncidentPurposeType::Reporting,
        // RFC 8134 §7.4: a random ID (the RFC's `492382` is a sequence number, which tells
        // every recipient how many incidents the CSIRT handled).
        IncidentIdType::random("csirt.example.com")?,
        "2015-07-18T09:00:00-05:00".parse()?,
        vec![contact],
    );
    let mut root = IodefDocument::new(vec![incident]);
    root.lang = Some("en".into()); // RFC 7970 §6: the document's language
    let mut doc = Document::new(root);
    // RFC 7970 §4.2: a reference to the IODEF schema.
    doc.xsi.schema_location = Some(
        "urn:ietf:params:xml:ns:iodef-2.0 \
         https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd"
            .into(),
    );
    Ok(doc)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let xml = rfc7970_7_1()?.to_xml_string();
    assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert!(xml.contains(r#"xml:lang="en""#) && xml.contains("xsi:schemaLocation="));
    // Nothing to check beyond the schema and the prose rules: no finding at all.
    assert!(iodef::rt::validate::validate(xml.as_bytes()).is_valid());
    assert!(iodef::rules::check(xml.as_bytes()).is_empty());
    print!("{xml}");
    Ok(())
}
