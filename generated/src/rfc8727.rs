//! RFC 8727: IODEF 2.0 documents in JSON and CBOR (feature `serde`).
//!
//! ```
//! let xml = std::fs::read("../../shared/corpus/rfc7970/rfc7970-7.1-minimal.xml")
//!     .or_else(|_| std::fs::read("../shared/corpus/rfc7970/rfc7970-7.1-minimal.xml"));
//! # let Ok(xml) = xml else { return Ok(()) };
//! let doc = iodef::read(&xml)?;
//! let (json, losses) = iodef::rfc8727::to_json(&doc, false)?;
//! assert!(json.starts_with(r#"{"version":"2.00","lang":"en","Incident":[{"purpose":"reporting""#));
//! // The comments and xsi:schemaLocation of the XML have no place in JSON: reported.
//! assert_eq!(losses.len(), 3);
//! let back = iodef::rfc8727::from_json(&json)?;
//! let incident = &back.root.as_iodef2().expect("IODEF 2.0").incident[0];
//! assert_eq!(incident.incident_id.value, "492382");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::bindings::Root;
pub use crate::rt::rfc8727::{cbor_key, is_member, DecodeError, Loss, LossKind, Target, Tree};
use crate::{v2, Document};

/// Why a document cannot be converted to RFC 8727 at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotIodef2 {
    /// The root element, `{namespace}local`.
    pub root: String,
}

impl std::fmt::Display for NotIodef2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RFC 8727 carries IODEF 2.0 IODEF-Document only; the root is {}",
            self.root
        )
    }
}

impl std::error::Error for NotIodef2 {}

/// The data-model tree of an IODEF 2.0 document, and what it could not carry.
pub fn to_tree(doc: &Document<Root>, target: Target) -> Result<(Tree, Vec<Loss>), NotIodef2> {
    let root = doc.root.as_iodef2().ok_or_else(|| NotIodef2 {
        root: format!("{{{}}}{}", doc.root.namespace(), doc.root.local_name()),
    })?;
    Ok(crate::rt::rfc8727::encode(doc, root, target))
}

/// RFC 8727 JSON (compact, or `pretty` with two-space indentation), and the losses.
pub fn to_json(doc: &Document<Root>, pretty: bool) -> Result<(String, Vec<Loss>), NotIodef2> {
    let (tree, losses) = to_tree(doc, Target::Json)?;
    Ok((tree.to_json_string(pretty), losses))
}

/// RFC 8727 CBOR, and the losses.
pub fn to_cbor(doc: &Document<Root>) -> Result<(Vec<u8>, Vec<Loss>), NotIodef2> {
    let (tree, losses) = to_tree(doc, Target::Cbor)?;
    Ok((tree.to_cbor(), losses))
}

/// A document from its data-model tree.
pub fn from_tree(tree: &Tree) -> Result<Document<Root>, DecodeError> {
    let root: v2::IodefDocument = crate::rt::rfc8727::decode(tree)?;
    Ok(Document::new(Root::Iodef2(v2::Element::IodefDocument(
        Box::new(root),
    ))))
}

/// A document from RFC 8727 JSON.
pub fn from_json(text: &str) -> Result<Document<Root>, DecodeError> {
    from_tree(&Tree::from_json_str(text)?)
}

/// A document from RFC 8727 CBOR.
pub fn from_cbor(bytes: &[u8]) -> Result<Document<Root>, DecodeError> {
    from_tree(&Tree::from_cbor_slice(bytes)?)
}
