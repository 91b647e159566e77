//! IODEF (RFC 7970 and the schemas it imports) documents as Rust types, with XML readers and
//! writers generated from the XSDs by `iodef-codegen`.
//!
//! - [`Document::from_str`], [`Document::from_slice`], [`Document::from_reader`] parse; errors
//!   name the line:column and the element path, and a DOCTYPE is refused (untrusted input).
//! - [`Document::to_xml_string`] and [`Document::write_to`] write; the output is the same
//!   infoset as the input: foreign XML in `AdditionalData`, `xml:lang` and `xsi:schemaLocation`
//!   included, absent optional attributes left absent.
//! - [`bindings`] holds one module per namespace; [`v2`] is IODEF 2.0.
//!
//! ```
//! use iodef::v2::{Contact, ContactRoleType, ContactTypeType, Email, Incident, IncidentIdType,
//!     IncidentPurposeType, IodefDocument};
//! use iodef::Document;
//!
//! // Parse.
//! let xml = r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
//!   <Incident purpose="reporting">
//!     <IncidentID name="csirt.example.com">492382</IncidentID>
//!     <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
//!     <Contact type="organization" role="creator"/>
//!   </Incident>
//! </IODEF-Document>"#;
//! let doc = Document::<IodefDocument>::from_str(xml)?;
//! assert_eq!(doc.root.incident[0].incident_id.value, "492382");
//! assert_eq!(doc.root.incident[0].restriction(), iodef::v2::RestrictionType::Private); // schema default
//!
//! // Build (RFC 7970 §7.1) and write.
//! let mut contact = Contact::new(ContactRoleType::Creator, ContactTypeType::Organization);
//! contact.email.push(Email::new("contact@csirt.example.com".into()));
//! let incident = Incident::new(
//!     IncidentPurposeType::Reporting,
//!     IncidentIdType::new("csirt.example.com".into(), "492382".into()),
//!     "2015-07-18T09:00:00-05:00".parse()?,
//!     vec![contact],
//! );
//! let out = Document::new(IodefDocument::new(vec![incident])).to_xml_string();
//! assert!(out.contains(r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod rt;
/// Generated types, one module per namespace (see `iodef-codegen`).
#[rustfmt::skip]
pub mod bindings;

/// IODEF 2.0 (RFC 7970), `urn:ietf:params:xml:ns:iodef-2.0`.
pub use bindings::iodef2 as v2;

pub use rt::{
    AnyAttribute, AnyElement, Base64Binary, DateTime, Decimal, Document, Error, ErrorKind,
    HexBinary, Mixed, MixedNode, XsiAttributes,
};
