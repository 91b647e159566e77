//! IODEF (RFC 7970 and the schemas it imports) documents as Rust types, generated from the
//! XSDs by `iodef-codegen`, read and written by the runtime crate `iodef-runtime` (re-exported
//! as [`rt`]).
//!
//! - Read: [`read`] accepts any root (IODEF-Document 1.0 or 2.0, RID 1.0/2.0 messages,
//!   XEP-0268 carriers, every other global element) and returns a [`Document`] of a [`Root`]
//!   (`doc.root.as_iodef2()` or `Root::Iodef2(..)` for the common case);
//!   [`Document::from_str`] / [`Document::from_slice`] read one root type, e.g.
//!   `Document::<v2::IodefDocument>`. Errors ([`Error`]) print `LINE:COL: PATH: message`; a
//!   DOCTYPE is refused (untrusted input; [`rt::entities`] expands internal entities first, on
//!   request). Bytes may be in any encoding XML allows ([`rt::encoding::decode`]).
//! - [`read_with`] / [`Document::from_slice_with`] take [`ReadOptions`]: the parse [`Policy`]
//!   (strict by default; lenient keeps unknown content aside in [`Document::unknown`] as
//!   warnings and goes on), resource limits, and the [`rt::Registry`] of typed extension
//!   namespaces.
//! - Validate: [`validate`] collects every schema error of a document (the validator of
//!   `iodef validate`); [`rules`] checks the RFC prose rules the XSD cannot express.
//! - Find: [`Document::find_all`] gives every value of a type in the document, in document
//!   order (`doc.find_all::<v2::Address>()`, every `v2::Indicator`, every typed extension
//!   element); [`Document::for_each_mut`] changes them; [`visit`] walks every value.
//! - Build: the generated `new` constructors, or named fields with `..Default::default()`;
//!   [`Document::validate`] checks a built value before it is written;
//!   `IncidentIdType::random(name)` ([`incident_id`]) makes an ID that leaks no sequence
//!   (RFC 8134 §7.4); `n6` (feature `n6`) maps n6 events to IODEF 2.0.
//! - Write: [`Document::to_xml_string`] and [`Document::write_to`]; the output is the same
//!   infoset as the input: foreign XML in `AdditionalData`, `xml:lang` and `xsi:schemaLocation`
//!   included, absent optional attributes left absent. The output is UTF-8;
//!   [`Document::write_to_with`] writes UTF-16, ISO-8859-1, windows-1252, ... instead.
//! - E-mail (feature `mail`): `mail::extract` finds every document in a message (any
//!   transfer encoding and charset, forwarded messages, mbox files); `mail::compose` writes
//!   a message with a document attached.
//! - Upgrade: [`upgrade::document_to_v2`] converts an IODEF 1.0 document to IODEF 2.0 and
//!   reports, with paths and RFC sections, what 2.0 cannot hold as it was.
//! - Types: [`v2`] is IODEF 2.0 (RFC 7970), [`v1`] IODEF 1.0 (RFC 5070); [`bindings`] holds
//!   one module per namespace (RID, SCI, phishing, ...). XSD value types ([`rt::DateTime`],
//!   [`rt::Decimal`], ...) and foreign XML ([`rt::AnyElement`], [`rt::Mixed`]) are in [`rt`]
//!   (also reachable at the crate root, e.g. `iodef::DateTime`).
//! - Indicators (feature `indicators`): `indicators::extract` gives the values an IODEF 2.0
//!   document's `IndicatorData` shares (addresses, networks, domains, URLs, e-mail addresses,
//!   ASNs, file hashes) with their paths, never victims or contacts; renderers for block lists,
//!   CSV, JSON, Suricata/Snort rules and STIX 2.1 bundles.
//! - Extensions: elements of the generated namespaces inside extension content
//!   (`AdditionalData`, RID `XMLDocument`, ...) are read as typed values
//!   ([`rt::MixedNode::Typed`]); other foreign XML stays raw ([`rt::AnyElement`]). Extension
//!   crates add their namespaces with [`rt::register`] (process-wide) or a [`rt::Registry`] in
//!   [`ReadOptions::registry`]; [`include_bindings!`] includes bindings generated from a
//!   `build.rs`.
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

use std::sync::{Arc, OnceLock};

/// The runtime (crate `iodef-runtime`): reader, writer, value types, foreign XML, the
/// validator, the extension registry. Generated code (this crate's and extension crates')
/// calls it as `rt`.
pub use iodef_runtime as rt;
/// RFC prose rules the XSD cannot express (`iodef validate --rules`).
pub use rt::rules;
/// Generated types, one module per namespace (see `iodef-codegen`).
#[rustfmt::skip]
pub mod bindings;

/// IODEF 1.0 (RFC 5070), `urn:ietf:params:xml:ns:iodef-1.0`.
pub use bindings::iodef1 as v1;
/// IODEF 2.0 (RFC 7970), `urn:ietf:params:xml:ns:iodef-2.0`.
pub use bindings::iodef2 as v2;
pub use bindings::Root;

/// RFC 8727: IODEF 2.0 in JSON and CBOR, with a report of what they cannot carry.
#[cfg(feature = "serde")]
pub mod rfc8727;
pub mod stream;

// IODEF documents in e-mail (documented in the module: links resolve there).
#[cfg(feature = "mail")]
pub mod mail;

pub mod incident_id;
// n6 (CERT Polska) events to one IODEF 2.0 document (feature `n6`); documented in the module.
#[cfg(feature = "n6")]
pub mod n6;
pub mod upgrade;
// Indicator export (feature `indicators`; documented in the module).
#[cfg(feature = "indicators")]
pub mod indicators;

/// Walking typed values: [`visit::find_all`], [`visit::for_each_mut`], [`visit::Walk`].
pub use rt::visit;
pub use rt::{Document, Error, Policy, ReadOptions};
// The rest of the runtime's public types, at the root as before; documented in `rt`.
#[doc(hidden)]
pub use rt::{
    AnyAttribute, AnyElement, Base64Binary, Comments, DateTime, Decimal, ErrorKind, Extra,
    HexBinary, Integer, IntegerRangeError, Misc, Mixed, MixedNode, NegativeInteger,
    NonNegativeInteger, NonPositiveInteger, PositiveInteger, ReadRoot, TypedElement,
    UnknownContent, UnknownNode, XsiAttributes,
};

// Every process-wide registry (what a read without `ReadOptions::registry` uses) starts with
// the generated namespaces, however the program reads: `iodef::read`, `Document::from_str`,
// `rt::validate::validate`, ...
rt::default_namespaces!("iodef", bindings::register);

/// A registry of every generated namespace (built once), without what [`rt::register`] added
/// process-wide: pass it (or a copy with more namespaces) in [`ReadOptions::registry`] or the
/// validator's options to read independently of process-wide state.
///
/// ```
/// let registry = iodef::registry();
/// assert!(registry.get(iodef::v2::NAMESPACE).is_some());
/// assert!(registry.get(iodef::bindings::phish::NAMESPACE).is_some());
/// ```
pub fn registry() -> Arc<rt::Registry> {
    static REGISTRY: OnceLock<Arc<rt::Registry>> = OnceLock::new();
    Arc::clone(REGISTRY.get_or_init(|| {
        let mut registry = rt::Registry::new();
        bindings::register(&mut registry);
        Arc::new(registry)
    }))
}

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
/// assert!(matches!(doc.root, iodef::Root::Iodef1(_)));
/// assert!(doc.root.as_iodef1().is_some());
/// # Ok::<(), iodef::Error>(())
/// ```
pub fn read(input: &[u8]) -> Result<Document<bindings::Root>, Error> {
    Document::from_slice(input)
}

/// [`read`] with options: the parse policy (strict by default: unknown content is an error,
/// RFC 7970 §5.2; lenient: it is kept aside in [`Document::unknown`] and reading goes on),
/// resource limits, and the registry of typed extension namespaces ([`ReadOptions::registry`];
/// by default the process-wide one: every generated namespace and what [`rt::register`] added).
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

/// Validates `input` (any encoding XML allows) against the schemas of every generated
/// namespace and those [`rt::register`] added, collecting every error (in document order, up
/// to [`rt::validate::DEFAULT_MAX_ERRORS`]) with its line:column and element path. Options
/// (lenient policy, limits, another registry): [`rt::validate::validate_with`].
///
/// ```
/// let report = iodef::validate(br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
///   <Incident purpose="nonsense"><IncidentID name="csirt.example.com">1</IncidentID></Incident>
/// </IODEF-Document>"#);
/// // Both problems are reported: the bad enumeration value and the missing children.
/// assert!(!report.is_valid());
/// assert_eq!(report.errors.len(), 2);
/// assert_eq!(report.errors[0].path, "/IODEF-Document/Incident[1]");
/// assert!(report.errors[0].to_string().starts_with("2:13: /IODEF-Document/Incident[1]: invalid value"));
/// ```
pub fn validate(input: &[u8]) -> rt::validate::Report {
    rt::validate::validate_with(input, &rt::validate::Options::default())
}

impl bindings::Root {
    /// The IODEF 2.0 document, when the root is an `IODEF-Document` of RFC 7970.
    ///
    /// ```
    /// let doc = iodef::read(br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
    ///   <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
    ///   <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    ///   <Contact type="organization" role="creator"/></Incident></IODEF-Document>"#)?;
    /// let iodef = doc.root.as_iodef2().expect("an IODEF 2.0 document");
    /// assert_eq!(iodef.incident[0].incident_id.value, "1");
    /// assert!(doc.root.as_iodef1().is_none());
    /// # Ok::<(), iodef::Error>(())
    /// ```
    pub fn as_iodef2(&self) -> Option<&v2::IodefDocument> {
        match self {
            bindings::Root::Iodef2(v2::Element::IodefDocument(doc)) => Some(doc),
            _ => None,
        }
    }

    /// The IODEF 1.0 document, when the root is an `IODEF-Document` of RFC 5070.
    pub fn as_iodef1(&self) -> Option<&v1::IodefDocument> {
        match self {
            bindings::Root::Iodef1(v1::Element::IodefDocument(doc)) => Some(doc),
            _ => None,
        }
    }
}

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
/// parsing (or add it to a [`rt::Registry`] given in [`ReadOptions::registry`]), so that the
/// extension's elements are decoded inside `AdditionalData` and the like.
#[macro_export]
macro_rules! include_bindings {
    () => {
        include!(concat!(env!("OUT_DIR"), "/iodef_bindings.rs"));
    };
    ($name:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $name));
    };
}
