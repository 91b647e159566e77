//! Hand-written runtime support for the generated bindings: a borrowing pull reader
//! ([`XmlReader`]), a namespace-aware writer ([`XmlWriter`]), simple XSD value types, lossless
//! foreign XML ([`AnyElement`], [`Mixed`]) and [`Document`].
//!
//! Generated types implement [`FromXml`] and [`ToXml`]; global elements also implement
//! [`RootElement`].

pub mod any;
pub mod document;
pub mod error;
/// Helpers called by the generated code (not part of the stable API).
#[doc(hidden)]
pub mod glue;
pub mod reader;
pub mod values;
pub mod writer;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

pub use any::{AnyAttribute, AnyElement, Mixed, MixedNode};
pub use document::Document;
pub use error::{Error, ErrorKind};
pub use reader::{Attr, Element, NsId, XmlReader, XsiAttributes, XML_NS, XSI_NS};
pub use values::{
    collapse_ws, replace_ws, trim_ws, Base64Binary, DateTime, Decimal, HexBinary, ParseValueError,
    SimpleValue,
};
pub use writer::XmlWriter;

/// Reading a value from an element whose start tag has been read.
pub trait FromXml<'a>: Sized {
    /// Reads the element `el` (attributes and content, up to and including its end tag).
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error>;
}

/// Writing a value as an element named `{ns}local`.
pub trait ToXml {
    /// Writes the whole element (start tag, attributes, content, end tag).
    fn to_xml<W: Write>(&self, w: &mut XmlWriter<W>, ns: &str, local: &str) -> io::Result<()>;
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
