//! Parse policies ([`Policy`]) and the content a lenient parse keeps aside
//! ([`UnknownContent`]).

use std::fmt;

use super::any::{AnyAttribute, AnyElement};
use super::reader::{clark, snippet};

/// What the reader does with content the schema does not allow at its place.
///
/// - [`Policy::Strict`] (the default): such content is an error (RFC 7970 §5.2: a document
///   with unknown content in an IODEF namespace is not valid). Errors and their messages are
///   those of a reader without a policy.
/// - [`Policy::Lenient`]: an element whose name the content model of its parent does not
///   allow anywhere, an attribute its element does not declare, or text in element-only
///   content is kept aside, losslessly, as an [`UnknownContent`] (with its element path and
///   line:column), and reading goes on. Everything else stays an error in both modes: missing
///   required content, invalid values, known elements out of order or too many, malformed XML,
///   limits.
///
/// Such content is reported in [`Document::unknown`](super::Document::unknown) and kept in
/// place in the `extra` field of the value it was found in ([`super::Extra`]): writing the
/// document writes it back where it was.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Unknown content is an error.
    #[default]
    Strict,
    /// Unknown content is kept aside and reported; reading goes on.
    Lenient,
}

/// Content a lenient parse kept aside (see [`Policy::Lenient`]): a warning with its position,
/// and the content itself.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownContent {
    /// Element path, as in [`Error::path`](super::Error::path): the unknown element itself
    /// (`/IODEF-Document/Incident[1]/Foo[1]`), the element carrying an unknown attribute, or
    /// the element holding unexpected text.
    pub path: String,
    /// 1-based line of the element's `<`, of the attribute name, or of the text's first
    /// non-whitespace character.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// Byte offset of that position in the input.
    pub offset: usize,
    /// The content.
    pub node: UnknownNode,
}

/// The content of an [`UnknownContent`].
#[derive(Debug, Clone, PartialEq)]
pub enum UnknownNode {
    /// An element, with its attributes and content, as read by
    /// [`XmlReader::read_any`](super::XmlReader::read_any).
    Element(AnyElement),
    /// An attribute (value normalised and unescaped) of the element at [`UnknownContent::path`].
    Attribute(AnyAttribute),
    /// Character data in element-only content (references expanded, CDATA sections merged,
    /// end of lines normalised). Whitespace-only text next to it is kept only when contiguous.
    Text(String),
}

impl UnknownContent {
    /// The warning, without position: `unknown element {ns}Foo`.
    pub fn message(&self) -> String {
        match &self.node {
            UnknownNode::Element(e) => format!(
                "unknown element {}",
                clark(e.ns.as_deref().unwrap_or(""), &e.local)
            ),
            UnknownNode::Attribute(a) => format!(
                "unknown attribute {}",
                clark(a.ns.as_deref().unwrap_or(""), &a.local)
            ),
            UnknownNode::Text(t) => {
                format!("unexpected text \"{}\"", snippet(t))
            }
        }
    }
}

impl fmt::Display for UnknownContent {
    /// `LINE:COL: PATH: message`, like [`Error`](super::Error).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.line,
            self.column,
            self.path,
            self.message()
        )
    }
}

/// Content kept aside during the parse, before its position is computed.
#[derive(Debug)]
pub(crate) struct Pending {
    /// Offset of the position reported.
    pub offset: usize,
    /// Offset whose element path is reported.
    pub path_offset: usize,
    /// End offset of a text piece (adjacent pieces are merged).
    pub end: usize,
    pub node: UnknownNode,
}
