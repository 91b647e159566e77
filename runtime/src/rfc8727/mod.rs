//! RFC 8727: IODEF 2.0 in JSON and CBOR, one more codec over the generated descriptions.
//!
//! The typed value is mapped to a [`Tree`] (the RFC's data model) by walking the same schema
//! tables the XML codec reads and writes with; JSON and CBOR are two renderings of that tree.
//! The mapping is the one of RFC 8727 Section 3 and its CDDL (Section 6): member names as in
//! XML, repeatable children as arrays, text content as `value` (`id` for IncidentID and
//! IndicatorID), ML_STRING as a plain string when it has no `lang` / `translation-id`. Where
//! the RFC restructures RFC 7970, the differences are data (`RULES` in this module), not code: the wrappers
//! it deletes, the members it renames, the Assessment impacts it wraps in `Impact`.
//!
//! What the data model cannot carry is reported as a [`Loss`] with its XML path, never dropped
//! in silence: comments and processing instructions, `xsi:*` attributes, XML content flattened
//! to a string, the order of children the model sorts into separate arrays, lexical forms.

mod decode;
mod encode;
mod keys;
mod serde_impl;
mod tree;

pub use decode::decode;
pub use encode::{encode, Target};
pub use serde_impl::{deserialize, serialize};

pub use tree::Tree;

/// The IODEF 2.0 namespace: only its elements are subject to the mapping rules.
pub const IODEF2_NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";
/// XML Signature (RFC 7970 imports it for signatures, hashes and certificates).
pub const XMLDSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// RFC 7203 (SCI), whose AttackPattern, Vulnerability and Weakness RFC 7970's Method uses.
pub const SCI_NS: &str = "urn:ietf:params:xml:ns:iodef-sci-1.0";

/// Something the RFC 8727 data model cannot carry, found while converting from XML (path: the
/// XML element path, e.g. `/IODEF-Document/Incident[1]/EventData[2]`).
pub type Loss = crate::Loss<LossKind>;

/// What kind of loss a [`Loss`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LossKind {
    /// Not carried at all: comments, processing instructions, `xsi:` attributes, unknown
    /// content, a value the data model has no member for.
    Dropped,
    /// Carried, but not its order or grouping among its siblings.
    Order,
    /// Carried as its value, not its form: lexical forms of numbers, booleans and base64, XML
    /// content flattened to a string, XML Signature elements as bytes (not byte-exact).
    Form,
    /// Carried, but RFC 8727 requires something here that RFC 7970's schema does not: the
    /// output is not valid RFC 8727 (its JSON Schema and CDDL refuse it).
    Invalid,
}

impl LossKind {
    /// The kind's name in loss reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LossKind::Dropped => "dropped",
            LossKind::Order => "order",
            LossKind::Form => "form",
            LossKind::Invalid => "invalid",
        }
    }
}

/// A JSON or CBOR document that does not map to IODEF: where (a JSON pointer) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// JSON pointer of the offending value (`""` for the whole document).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl DecodeError {
    pub(crate) fn at(pointer: &str, message: &str) -> Self {
        DecodeError {
            pointer: pointer.to_string(),
            message: message.to_string(),
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for DecodeError {}

/// How RFC 8727 departs from a plain rendering of the RFC 7970 schema (IODEF 2.0 elements).
pub(crate) struct Rules {
    /// Wrapper elements the data model deletes: their one child particle becomes a member of
    /// the parent (RFC 8727 Section 6: EventData has `System`, not `Flow`; Service has
    /// `ApplicationHeaderField`; EmailData and File have `Signature`; Incident has
    /// `Indicator`; EventData has `RecordData`).
    pub unwrap: &'static [&'static str],
    /// Elements replaced by the value of one of their attributes (`ObservableReference` →
    /// `uid-ref`).
    pub by_attribute: &'static [(&'static str, &'static str)],
    /// Members named differently from the XML element (parent, XML name, member).
    pub rename: &'static [(&'static str, &'static str, &'static str)],
    /// Repeated choices kept in order as an array of one-member maps under this member: the
    /// choice is recognised by its first alternative (Assessment's impacts → `Impact`).
    pub ordered_choice: &'static [(&'static str, &'static str)],
    /// Elements whose text content is not the member `value` (element, member).
    pub content: &'static [(&'static str, &'static str)],
    /// Members RFC 8727 requires where RFC 7970's schema does not (class, one of these
    /// members): Confidence's value is RFC 7970 erratum 5543; the others are the CDDL's.
    pub requires: &'static [(&'static str, &'static [&'static str])],
    /// Members RFC 8727 makes exclusive where RFC 7970's schema does not (class, members).
    pub exclusive: &'static [(&'static str, &'static [&'static str])],
    /// Enumeration values of RFC 7970 that RFC 8727 replaced (class, member, value): its
    /// Counter types are `count`/`peak`, its Contact role `vendor-support`.
    pub values_gone: &'static [(&'static str, &'static str, &'static str)],
    /// Elements of type URLtype (CBOR tag 32).
    pub uri: &'static [&'static str],
    /// Namespaces whose elements are BYTE holding their XML (RFC 8727 Section 3.3: the XML
    /// Signature elements).
    pub xml_bytes: &'static [&'static str],
    /// Elements whose XML content is BYTE (SCI's RawData, of type XMLDATA: STRUCTUREDINFO's
    /// `RawData => [+ BYTE]`); attributes with a fixed value are implied, others not carried.
    pub content_bytes: &'static [(&'static str, &'static str)],
}

/// The rules of RFC 8727 (Section 6, Figure 5).
pub(crate) static RULES: Rules = Rules {
    unwrap: &[
        "Flow",
        "ApplicationHeader",
        "SignatureData",
        "IndicatorData",
        "Record",
    ],
    by_attribute: &[("ObservableReference", "uid-ref")],
    rename: &[
        ("DomainData", "Nameservers", "NameServers"),
        ("Key", "Value", "KeyValue"),
    ],
    ordered_choice: &[("SystemImpact", "Impact")],
    content: &[
        ("IncidentID", "id"),
        ("IndicatorID", "id"),
        ("RegistryHandle", "handle"),
    ],
    requires: &[
        ("Confidence", &["value"]),
        ("DomainData", &["system-status"]),
        ("DomainData", &["domain-status"]),
        ("RegistryHandle", &["registry"]),
        ("Node", &["DomainData", "Address"]),
    ],
    exclusive: &[("Node", &["DomainData", "Address"])],
    values_gone: &[
        ("Counter", "type", "counter"),
        ("Counter", "type", "rate"),
        ("Contact", "role", "vendor-services"),
    ],
    uri: &["URL"],
    xml_bytes: &[XMLDSIG_NS],
    content_bytes: &[(SCI_NS, "RawData")],
};

impl Rules {
    pub(crate) fn unwraps(&self, ns: &str, name: &str) -> bool {
        ns == IODEF2_NS && self.unwrap.contains(&name)
    }

    pub(crate) fn attribute_for(&self, ns: &str, name: &str) -> Option<&'static str> {
        (ns == IODEF2_NS)
            .then(|| self.by_attribute.iter().find(|(e, _)| *e == name))
            .flatten()
            .map(|(_, a)| *a)
    }

    /// The member name of the child element `{ns}name` of `parent`.
    pub(crate) fn member(&self, parent: &str, ns: &str, name: &'static str) -> &'static str {
        if ns == IODEF2_NS {
            if let Some((_, _, member)) = self
                .rename
                .iter()
                .find(|(p, n, _)| *p == parent && *n == name)
            {
                return member;
            }
        }
        name
    }

    pub(crate) fn content_member(&self, element: &str) -> &'static str {
        self.content
            .iter()
            .find(|(e, _)| *e == element)
            .map_or("value", |(_, member)| member)
    }
}

/// The name of the IODEF 2.0 global element whose type is `desc` (`""` for none): the name
/// the mapping rules know a type by when a value of it is converted on its own (serde).
pub(crate) fn element_name(desc: crate::codec::Desc) -> &'static str {
    match desc {
        crate::codec::Desc::Complex(ty) => crate::registry::global()
            .element_of_type(IODEF2_NS, ty)
            .map_or("", |d| d.name),
        crate::codec::Desc::Group(_) => "",
    }
}

/// Whether `name` is an RFC 8727 member name (Table 4).
pub fn is_member(name: &str) -> bool {
    keys::intern(name).is_some()
}

/// The CBOR map key of a member name (Table 4).
pub fn cbor_key(name: &str) -> Option<i32> {
    keys::cbor_key(name)
}
