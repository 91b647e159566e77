//! Lossless foreign XML (`xs:any` wildcards) and mixed content.

use std::io;

use super::error::Error;
use super::reader::{Element, XmlReader};
use super::registry::TypedElement;
use super::writer::XmlWriter;
use super::{FromXml, ToXml};

/// Mixed content: text, comments, processing instructions and elements in document order.
/// Adjacent text (including references and CDATA sections) is merged into one
/// [`MixedNode::Text`].
///
/// When read by [`XmlReader::read_mixed`], a child element whose namespace has a decoder in the
/// reader's [`Registry`](super::Registry) is a [`MixedNode::Typed`] (when that namespace has a
/// global element of its name); every other element is a [`MixedNode::Element`], and so is
/// everything inside those (raw XML stays raw).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mixed(pub Vec<MixedNode>);

/// One node of [`Mixed`] content.
#[derive(Debug, Clone, PartialEq)]
pub enum MixedNode {
    /// Character data (unescaped).
    Text(String),
    /// A comment (its text between `<!--` and `-->`).
    Comment(String),
    /// A processing instruction.
    ProcessingInstruction(super::extra::Pi),
    /// An element kept as raw XML.
    Element(AnyElement),
    /// An element of a registered namespace, decoded (see [`crate::registry`]).
    Typed(Box<dyn TypedElement>),
}

/// An element kept as it was read: names, prefixes, namespace declarations, attributes and
/// content. Equality is infoset equality: prefixes and namespace declarations are writing hints
/// (a writer drops a declaration already in scope), so they are not compared.
#[derive(Debug, Clone, Default)]
pub struct AnyElement {
    /// Namespace URI (`None` = no namespace).
    pub ns: Option<String>,
    /// Prefix used in the input (`None` = unprefixed); used as a hint when writing.
    pub prefix: Option<String>,
    /// Local name.
    pub local: String,
    /// `xmlns` (prefix `None`) and `xmlns:p` declarations made on this element, kept so that
    /// QName-valued content inside keeps its bindings.
    pub namespace_decls: Vec<(Option<String>, String)>,
    /// Attributes (namespace declarations excluded).
    pub attributes: Vec<AnyAttribute>,
    /// Content.
    pub children: Mixed,
}

impl PartialEq for AnyElement {
    fn eq(&self, other: &Self) -> bool {
        self.ns == other.ns
            && self.local == other.local
            && self.attributes == other.attributes
            && self.children == other.children
    }
}

/// An attribute of an [`AnyElement`]. Equality ignores the prefix (a writing hint).
#[derive(Debug, Clone)]
pub struct AnyAttribute {
    /// Namespace URI (`None` for unprefixed attributes).
    pub ns: Option<String>,
    /// Prefix used in the input.
    pub prefix: Option<String>,
    /// Local name.
    pub local: String,
    /// Value (normalised, unescaped).
    pub value: String,
}

impl PartialEq for AnyAttribute {
    fn eq(&self, other: &Self) -> bool {
        self.ns == other.ns && self.local == other.local && self.value == other.value
    }
}

impl Mixed {
    /// Content made of one text node (no node at all for "").
    pub fn text(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            Mixed(Vec::new())
        } else {
            Mixed(vec![MixedNode::Text(s)])
        }
    }

    /// True when there is no node.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text nodes concatenated (comments and elements ignored).
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        for node in &self.0 {
            if let MixedNode::Text(t) = node {
                out.push_str(t);
            }
        }
        out
    }

    /// The raw element nodes ([`MixedNode::Element`]).
    pub fn elements(&self) -> impl Iterator<Item = &AnyElement> {
        self.0.iter().filter_map(|n| match n {
            MixedNode::Element(e) => Some(e),
            _ => None,
        })
    }

    /// The decoded element nodes ([`MixedNode::Typed`]).
    pub fn typed(&self) -> impl Iterator<Item = &dyn TypedElement> {
        self.0.iter().filter_map(|n| match n {
            MixedNode::Typed(t) => Some(&**t),
            _ => None,
        })
    }

    /// The decoded element nodes that are `T`s.
    pub fn typed_as<T: 'static>(&self) -> impl Iterator<Item = &T> {
        self.typed().filter_map(|t| t.downcast_ref::<T>())
    }

    /// Writes the nodes (as content of the currently open element).
    pub fn write(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        for node in &self.0 {
            match node {
                MixedNode::Text(t) => w.text(t)?,
                MixedNode::Comment(c) => w.comment(c)?,
                MixedNode::ProcessingInstruction(p) => w.processing_instruction(p)?,
                MixedNode::Element(e) => e.write(w)?,
                MixedNode::Typed(t) => t.write(w)?,
            }
        }
        Ok(())
    }
}

impl AnyElement {
    /// An element without prefix, declarations, attributes or content.
    pub fn new(ns: Option<&str>, local: &str) -> Self {
        AnyElement {
            ns: ns.filter(|n| !n.is_empty()).map(str::to_string),
            prefix: None,
            local: local.to_string(),
            namespace_decls: Vec::new(),
            attributes: Vec::new(),
            children: Mixed::default(),
        }
    }

    /// The value of the attribute `{ns}local` (ns `None` = unqualified).
    pub fn attribute(&self, ns: Option<&str>, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.local == local && a.ns.as_deref() == ns)
            .map(|a| a.value.as_str())
    }

    /// Writes the element: its original prefix is the hint, its namespace declarations are
    /// emitted again unless the same binding is in scope already.
    pub fn write(&self, w: &mut XmlWriter<'_>) -> io::Result<()> {
        w.start_element_full(
            self.ns.as_deref().unwrap_or(""),
            &self.local,
            self.prefix.as_deref(),
            &self.namespace_decls,
        )?;
        for a in &self.attributes {
            w.attribute_with_prefix(
                a.ns.as_deref().unwrap_or(""),
                &a.local,
                a.prefix.as_deref(),
                &a.value,
            )?;
        }
        self.children.write(w)?;
        w.end_element()
    }
}

impl<'a> FromXml<'a> for AnyElement {
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        r.read_any(el)
    }
}

impl<'a> FromXml<'a> for Mixed {
    /// Reads the content only (the element's attributes are the caller's business).
    fn from_xml(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<Self, Error> {
        r.read_mixed(el)
    }
}

impl ToXml for AnyElement {
    /// Writes the element under its own name; `ns` and `local` are ignored.
    fn to_xml(&self, w: &mut XmlWriter<'_>, _ns: &str, _local: &str) -> io::Result<()> {
        self.write(w)
    }
}

impl ToXml for Mixed {
    /// `<{ns}local>` + the content + end tag (no attributes).
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        w.start_element(ns, local)?;
        self.write(w)?;
        w.end_element()
    }
}
