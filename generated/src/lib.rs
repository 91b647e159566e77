//! IODEF (RFC 7970 and the schemas it imports) documents as Rust types, with XML readers and
//! writers generated from the XSDs by `iodef-codegen`.
//!
//! - [`Document::from_str`], [`Document::from_slice`], [`Document::from_reader`] parse; errors
//!   name the line:column and the element path, and a DOCTYPE is refused (untrusted input;
//!   [`rt::entities`] expands internal entities first, on request). Bytes may be in any
//!   encoding XML allows: UTF-8 (with or without byte-order mark), UTF-16, or the encoding the
//!   XML declaration names ([`rt::encoding::decode`], the one decoding step of every entry
//!   point; errors are at the document's line and character column).
//! - [`read_with`] / [`Document::from_slice_with`] take [`ReadOptions`]: the parse [`Policy`]
//!   (strict by default; lenient keeps unknown content aside in [`Document::unknown`] as
//!   warnings and goes on) and resource limits.
//! - [`Document::to_xml_string`] and [`Document::write_to`] write; the output is the same
//!   infoset as the input: foreign XML in `AdditionalData`, `xml:lang` and `xsi:schemaLocation`
//!   included, absent optional attributes left absent. The output is UTF-8;
//!   [`Document::write_to_with`] writes UTF-16, ISO-8859-1, windows-1252, ... instead.
//! - [`bindings`] holds one module per namespace; [`v2`] is IODEF 2.0. [`read`] accepts any
//!   root (IODEF-Document 1.0 or 2.0, RID 1.0/2.0 messages, XEP-0268 carriers, and every other
//!   global element) and returns a [`bindings::Root`].
//! - Elements of the generated namespaces inside extension content (`AdditionalData`, RID
//!   `XMLDocument`, ...) are read as typed values ([`MixedNode::Typed`]); other foreign XML
//!   stays raw ([`AnyElement`]). Extension crates add their namespaces with
//!   [`rt::register`]; [`include_bindings!`] includes bindings generated from a `build.rs`.
//!
//! ```
//! use iodef::v2::IodefDocument;
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Build RFC 7970 §7.1 with the generated constructors, with the `xml:lang` (RFC 7970 §6) and
//! `xsi:schemaLocation` (§4.2) the RFC requires, and write it: `iodef validate` accepts the
//! output with no finding (`examples/rfc7970_7_1.rs`; `cli/tests/doc_example.rs` runs the real
//! binary on it).
//!
//! ```
#![doc = include_str!("../examples/rfc7970_7_1.rs")]
//! ```

pub mod rt;
pub mod rules;
/// Generated types, one module per namespace (see `iodef-codegen`).
#[rustfmt::skip]
pub mod bindings;

/// IODEF 2.0 (RFC 7970), `urn:ietf:params:xml:ns:iodef-2.0`.
pub use bindings::iodef2 as v2;

/// Reads a document whatever its root: the root element is matched by namespace and local name
/// against every generated namespace (`IODEF-Document` 1.0 or 2.0, RID, XEP-0268, ...).
///
/// ```
/// let doc = iodef::read(br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en">
///   <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
///   <ReportTime>2006-08-01T00:00:00Z</ReportTime>
///   <Assessment><Impact type="recon"/></Assessment>
///   <Contact role="creator" type="organization"><ContactName>CSIRT</ContactName></Contact>
///   </Incident></IODEF-Document>"#)?;
/// assert_eq!(doc.root.namespace(), "urn:ietf:params:xml:ns:iodef-1.0");
/// assert!(matches!(doc.root, iodef::bindings::Root::Iodef1(_)));
/// # Ok::<(), iodef::Error>(())
/// ```
pub fn read(input: &[u8]) -> Result<Document<bindings::Root>, Error> {
    Document::from_slice(input)
}

/// [`read`] with options: the parse policy (strict by default: unknown content is an error,
/// RFC 7970 §5.2; lenient: it is kept aside in [`Document::unknown`] and reading goes on) and
/// resource limits.
///
/// ```
/// use iodef::{Policy, ReadOptions};
/// let xml = br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
///   <Incident purpose="reporting">
///     <IncidentID name="csirt.example.com">492382</IncidentID>
///     <Future-Element>from a later revision</Future-Element>
///     <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
///     <Contact type="organization" role="creator"/>
///   </Incident>
/// </IODEF-Document>"#;
/// assert!(iodef::read(xml).is_err());
/// let options = ReadOptions { policy: Policy::Lenient, ..ReadOptions::default() };
/// let doc = iodef::read_with(xml, &options)?;
/// let warning = &doc.unknown[0];
/// assert_eq!((warning.line, warning.column), (4, 5));
/// assert_eq!(warning.path, "/IODEF-Document/Incident[1]/Future-Element[1]");
/// assert_eq!(
///     warning.message(),
///     "unknown element {urn:ietf:params:xml:ns:iodef-2.0}Future-Element"
/// );
/// # Ok::<(), iodef::Error>(())
/// ```
pub fn read_with(input: &[u8], options: &ReadOptions) -> Result<Document<bindings::Root>, Error> {
    Document::from_slice_with(input, options)
}

pub use rt::{
    AnyAttribute, AnyElement, Base64Binary, Comments, DateTime, Decimal, Document, Error,
    ErrorKind, Extra, HexBinary, Integer, IntegerRangeError, Misc, Mixed, MixedNode,
    NegativeInteger, NonNegativeInteger, NonPositiveInteger, Policy, PositiveInteger, ReadOptions,
    ReadRoot, TypedElement, UnknownContent, UnknownNode, XsiAttributes,
};

/// Includes bindings generated at build time: the file that `iodef_codegen::build` writes into
/// `OUT_DIR` from a `build.rs` (`iodef_bindings.rs` unless another name was given).
///
/// Use it where the generated modules should live, typically at the crate root of an extension
/// crate whose `build.rs` runs the generator on its XSDs:
///
/// ```ignore
/// // src/lib.rs
/// iodef::include_bindings!();
/// // or, for a file written under another name:
/// iodef::include_bindings!("my_bindings.rs");
/// ```
///
/// The included file uses the runtime as `::iodef::rt` and has a
/// `register(&mut iodef::rt::Registry)` function; pass it to [`rt::register`] once, before
/// parsing, so that the extension's elements are decoded inside `AdditionalData` and the like.
#[macro_export]
macro_rules! include_bindings {
    () => {
        include!(concat!(env!("OUT_DIR"), "/iodef_bindings.rs"));
    };
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name));
    };
}
