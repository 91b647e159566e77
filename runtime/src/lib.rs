//! The hand-written runtime of the `iodef` bindings (the `iodef` crate re-exports it as
//! `iodef::rt`): a borrowing pull reader ([`XmlReader`]), a namespace-aware writer
//! ([`XmlWriter`]), simple XSD value types, lossless foreign XML ([`AnyElement`], [`Mixed`]),
//! [`Document`], the collecting [`validate`] over the generated descriptions, and the RFC prose
//! [`rules`].
//!
//! Generated code depends on this crate; this crate depends on no generated code. The
//! description format ([`schema`]) and the generic codec that reads and writes every type from
//! it (`codec`, `glue` and the `composite!`/`choice!`/`enumeration!`/`simple!` macros) are what
//! generated code calls; they are hidden from these docs.
//!
//! Generated types implement [`FromXml`] and [`ToXml`]; global elements also implement
//! [`RootElement`]. A [`Document`] root is any [`ReadRoot`]: one global element, or a generated
//! enum over several. Elements of registered extension namespaces inside mixed content are
//! decoded into [`TypedElement`]s through the [`Registry`].

pub mod any;
// The generic XML codec over the generated descriptions (what generated code calls).
#[doc(hidden)]
pub mod codec;
pub mod document;
pub mod encoding;
pub mod entities;
pub mod error;
pub mod extra;
/// Helpers called by the generated code (not part of the stable API).
#[doc(hidden)]
pub mod glue;
pub mod reader;
pub mod registry;
#[cfg(feature = "serde")]
pub mod rfc8727;
pub mod rules;
pub mod schema;
pub mod stream;
pub mod unknown;
pub mod validate;
pub mod values;
pub mod visit;
pub mod writer;

#[cfg(test)]
mod tests;

use std::io;

pub use any::{AnyAttribute, AnyElement, Mixed, MixedNode};
pub use document::{Comments, Document, ReadOptions, WriteOptions};
pub use encoding::{decode, Decoded, Encoding};
pub use entities::{expand_internal_entities, EntityLimits};
pub use error::{Error, ErrorKind};
pub use extra::{Anchored, Extra, ExtraData, ExtraNode, Misc, Pi};
pub use reader::{
    is_xml_char, Attr, Element, Limits, Node, NsId, XmlReader, XsiAttributes, XML_NS, XSI_NS,
};
pub use registry::{register, DecodeFn, Registry, TypedElement};
// For `default_namespaces!` expansions in crates that do not depend on `inventory` themselves.
#[doc(hidden)]
pub use inventory as __inventory;
#[cfg(feature = "serde")]
#[doc(hidden)]
pub use serde as __serde;
pub use unknown::{Policy, UnknownContent, UnknownNode};
pub use values::{
    collapse_ws, replace_ws, trim_ws, Base64Binary, DateTime, Decimal, HexBinary, Integer,
    IntegerRangeError, NegativeInteger, NonNegativeInteger, NonPositiveInteger, ParseValueError,
    PositiveInteger, Scalar, SimpleValue,
};
pub use writer::{XmlEvents, XmlWriter};

/// Declares namespaces that every process-wide registry ([`registry::global`]) starts with:
/// `default_namespaces!("crate-name", path::to::register)`, where `register` is a generated
/// `fn(&mut Registry)`. The `iodef` crate declares its generated bindings this way, so that
/// extension elements of those namespaces are typed whatever the program calls first, and
/// without this crate importing the bindings. Declarations are applied in the order of their
/// names.
#[macro_export]
macro_rules! default_namespaces {
    ($name:expr, $register:path) => {
        $crate::__inventory::submit! {
            $crate::registry::DefaultNamespaces { name: $name, register: $register }
        }
    };
}

/// Reading a value from an element whose start tag has been read.
pub trait FromXml<'a>: Sized {
    /// Reads the element `el` (attributes and content, up to and including its end tag).
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error>;
}

/// Writing a value as an element named `{ns}local`.
pub trait ToXml {
    /// Writes the whole element (start tag, attributes, content, end tag).
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()>;
}

/// A global element: its namespace and name, and the preferred prefixes of its module set.
pub trait RootElement: for<'a> FromXml<'a> + ToXml {
    /// Namespace URI of the element.
    const NAMESPACE: &'static str;
    /// Local name of the element.
    const NAME: &'static str;
    /// Preferred prefix per namespace URI, used when a namespace has to be declared.
    const PREFIXES: &'static [(&'static str, &'static str)];
}

/// Something a conversion could not carry as it was, at its XML path: what RFC 8727's JSON and
/// CBOR cannot hold ([`rfc8727::Loss`](crate::rfc8727) with its kinds), what IODEF 2.0 cannot
/// hold of a 1.0 document (`iodef::upgrade::Loss`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss<K> {
    /// The element (or attribute) path, e.g. `/IODEF-Document/Incident[1]/EventData[2]`.
    pub path: String,
    /// What kind of loss.
    pub kind: K,
    /// What is lost, in plain words.
    pub what: String,
}

impl<K> std::fmt::Display for Loss<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.what)
    }
}

/// A value that can be a document root: a single global element (every [`RootElement`]), or a
/// generated enum over several (a module's `Element`, the crate-wide `Root`).
pub trait ReadRoot: Sized {
    /// Preferred prefix per namespace URI, used when writing.
    const PREFIXES: &'static [(&'static str, &'static str)];

    /// Reads the root element `el`; `Ok(None)` when this type has no element of that name (the
    /// caller then reports an unexpected root naming [`ReadRoot::expected`]). Nothing has been
    /// read from `el` when `Ok(None)` is returned.
    fn read_root<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Option<Self>, Error>;

    /// Writes the value as the root element (under its own name).
    fn write_root(&self, w: &mut XmlWriter<'_>) -> io::Result<()>;

    /// The accepted roots for an error message, e.g.
    /// `{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document`.
    fn expected() -> String;
}

impl<T: RootElement> ReadRoot for T {
    const PREFIXES: &'static [(&'static str, &'static str)] = T::PREFIXES;

    fn read_root<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Option<Self>, Error> {
        if r.is(el, T::NAMESPACE, T::NAME) {
            T::from_xml(r, el).map(Some)
        } else {
            Ok(None)
        }
    }

    fn write_root(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        self.to_xml(w, T::NAMESPACE, T::NAME)
    }

    fn expected() -> String {
        reader::clark(T::NAMESPACE, T::NAME)
    }
}
