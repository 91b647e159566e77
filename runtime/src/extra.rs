//! What the typed fields of a value cannot hold, kept so that nothing read is lost: `xsi:*`
//! attributes, undeclared attributes (lenient reading), and the nodes around known children —
//! comments, processing instructions, and (lenient reading) unknown elements and stray text —
//! each anchored to the known child it precedes, so that the writer puts it back in place.
//!
//! Every generated struct of an element has a field `extra: Extra`. [`Extra`] is one pointer
//! (`None` when empty: no allocation in the common case). The reader fills it
//! ([`XmlReader::take_extra`](super::XmlReader::take_extra)); the writer writes it back
//! ([`XmlWriter::extra`](super::XmlWriter::extra)): attributes after the typed ones, anchored
//! nodes before the start tag of the known child they precede, or before the end tag.
//!
//! Equality: `Extra` takes part in the derived `PartialEq` of the structs (two values read from
//! documents that differ only in a comment are not equal); read with
//! [`Comments::Drop`](super::document::Comments::Drop) to compare without comments.

use std::sync::Arc;

use super::any::{AnyAttribute, AnyElement};

/// Extra content of one element (see the module documentation): empty, or shared data.
///
/// Cloning is cheap (a reference count); [`Extra::make_mut`] copies the data when it is shared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(Option<Arc<ExtraData>>);

impl Extra {
    /// Nothing extra.
    pub const fn new() -> Self {
        Extra(None)
    }

    /// `data`, or nothing when `data` is empty.
    pub fn from_data(data: ExtraData) -> Self {
        if data.is_empty() {
            Extra(None)
        } else {
            Extra(Some(Arc::new(data)))
        }
    }

    /// True when there is nothing extra.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The data, if any.
    pub fn get(&self) -> Option<&ExtraData> {
        self.0.as_deref()
    }

    /// The data, for changing it (created empty if there is none).
    pub fn make_mut(&mut self) -> &mut ExtraData {
        Arc::make_mut(self.0.get_or_insert_with(Default::default))
    }

    /// Removes everything extra.
    pub fn clear(&mut self) {
        self.0 = None;
    }

    /// The attributes (`xsi:*`, and undeclared ones kept by a lenient parse).
    pub fn attributes(&self) -> &[AnyAttribute] {
        self.get().map_or(&[], |d| &d.attributes)
    }

    /// The anchored nodes, in document order.
    pub fn nodes(&self) -> &[Anchored] {
        self.get().map_or(&[], |d| &d.nodes)
    }

    pub(crate) fn shared(&self) -> Option<&Arc<ExtraData>> {
        self.0.as_ref()
    }
}

/// The content of a non-empty [`Extra`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtraData {
    /// Attributes written after the element's typed attributes, in this order.
    pub attributes: Vec<AnyAttribute>,
    /// Namespace bindings (prefix, `None` = default namespace; URI) that QName-valued
    /// attributes among `attributes` (`xsi:type`) need; the writer declares them where they
    /// are not in scope.
    pub qname_bindings: Vec<(Option<String>, String)>,
    /// Nodes, by ascending [`Anchored::before`] (document order).
    pub nodes: Vec<Anchored>,
}

impl ExtraData {
    /// True when there are neither attributes nor nodes.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty() && self.nodes.is_empty() && self.qname_bindings.is_empty()
    }

    /// Adds `node` at the end of the nodes anchored at or before `before` (keeps the order).
    pub(crate) fn insert(&mut self, before: u32, node: ExtraNode) {
        let mut at = self.nodes.len();
        while at > 0 && self.nodes[at - 1].before > before {
            at -= 1;
        }
        self.nodes.insert(at, Anchored { before, node });
    }
}

/// A node and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchored {
    /// Element content: the node precedes the known child element of this index (0-based,
    /// counted in document order; the number of known children or more = before the end tag).
    /// Text-only content: 0 = before the text, 1 = after it.
    /// For [`ExtraNode::Child`]: the index of that child.
    pub before: u32,
    /// The node.
    pub node: ExtraNode,
}

/// A node kept beside the typed values.
#[derive(Debug, Clone, PartialEq)]
pub enum ExtraNode {
    /// A comment (its text between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction.
    ProcessingInstruction(Pi),
    /// Character data where the schema allows none (lenient reading).
    Text(String),
    /// An element the content model does not allow (lenient reading), kept losslessly.
    Element(AnyElement),
    /// The extra content of the known child [`Anchored::before`], for a child whose value has no
    /// `extra` field of its own (a simple-typed element such as `DetectTime`).
    Child(Extra),
}

/// A processing instruction `<?target data?>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pi {
    /// Its target (the name after `<?`).
    pub target: String,
    /// Its data, after the whitespace that follows the target ("" for none).
    pub data: String,
}

impl Pi {
    /// A processing instruction from its target and data.
    pub fn new(target: impl Into<String>, data: impl Into<String>) -> Self {
        Pi {
            target: target.into(),
            data: data.into(),
        }
    }
}

/// A comment or processing instruction before or after the root element
/// ([`Document::prolog`](super::Document::prolog), [`Document::epilog`](super::Document::epilog)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misc {
    /// A comment.
    Comment(String),
    /// A processing instruction.
    ProcessingInstruction(Pi),
}
