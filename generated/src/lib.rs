//! IODEF (RFC 7970, RFC 5070 and extensions) documents as Rust types.
//!
//! Parse with [`Document::from_str`], write with [`Document::to_xml_string`]. Parsing borrows
//! from the input, refuses DTDs, and reports errors with line:column and the element path;
//! writing keeps the document's infoset (foreign XML in `AdditionalData` included).
//!
//! [`rt`] is the runtime the generated bindings are built on.

pub mod rt;
/// Generated types, one module per namespace (see `iodef-codegen`).
#[rustfmt::skip]
pub mod bindings;

pub use rt::{
    AnyAttribute, AnyElement, Base64Binary, DateTime, Decimal, Document, Error, ErrorKind,
    HexBinary, Mixed, MixedNode, XsiAttributes,
};
