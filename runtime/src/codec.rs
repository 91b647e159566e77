//! The XML codec of the generated types, written once: it reads and writes every type from its
//! description, with no per-type reader or writer code.
//!
//! A generated type is plain data plus one description: the schema table of its type
//! (`schema::X`, the same table the validator interprets: attributes, `ext-*` partners, content
//! particles with their occurrences, choices and sequences as groups) and the order of its fields
//! ([`Fields::slot`]: slot `i` holds attribute `i` of the table, then the content: the simple
//! value, the mixed content, or one slot per particle). The generated code states that order
//! with [`composite!`](crate::composite) and [`choice!`](crate::choice); everything else is here.
//!
//! Reading is recursive descent over the particles: XSD's Unique Particle Attribution makes one
//! element of lookahead enough, so a particle takes the next child when the child can start it.

use std::any::Any;
use std::borrow::Cow;
use std::io;

use super::glue::{lexical_value, no_attributes};
use super::reader::same_str;
use super::schema::{ContentModel, Particle, SimpleType, Term, TypeDef};
use super::{AnyElement, Element, Error, Extra, Mixed, Scalar, SimpleValue, XmlReader, XmlWriter};

/// Which table describes a composite type.
#[derive(Debug, Clone, Copy)]
pub enum Desc {
    /// The type of an element: attributes and content.
    Complex(&'static TypeDef),
    /// A group read inside its parent's element: a sequence struct or a choice enum.
    Group(&'static Term),
}

/// The fields of a composite value by slot number (see the module documentation). Object safe,
/// so that the codec is compiled once, not once per type.
pub trait Fields {
    /// The field in slot `i`; for a choice, the payload of alternative `i` when it is the one
    /// held (`None` otherwise).
    fn slot(&self, i: usize) -> Option<&dyn Slot>;
    /// The field in slot `i`, for filling; a choice first switches to alternative `i`.
    fn slot_mut(&mut self, i: usize) -> &mut dyn Slot;
    /// The field in slot `i` as it is (a choice does not switch: `None` for another alternative).
    fn field_mut(&mut self, i: usize) -> Option<&mut dyn Slot>;
    /// What the typed fields cannot hold (elements only).
    fn extra(&self) -> Option<&Extra> {
        None
    }
    /// See [`Fields::extra`].
    fn extra_mut(&mut self) -> Option<&mut Extra> {
        None
    }
    /// `ext-*` attributes whose partner is not `ext-value` (name, value).
    fn unpaired(&self) -> Option<&Vec<(String, String)>> {
        None
    }
    /// See [`Fields::unpaired`].
    fn unpaired_mut(&mut self) -> Option<&mut Vec<(String, String)>> {
        None
    }
}

/// A generated struct or choice enum: its fields and its description.
pub trait Composite: Fields + Default + 'static {
    /// The description.
    const DESC: Desc;
}

/// One occurrence of a value in a content model or an attribute.
pub trait Value: Sized + Default + 'static {
    /// Reads one occurrence of `term` from the child cursor `cur` of `el` (which can start it).
    fn read<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<Self, Error>;
    /// Writes the value as one occurrence of `term`.
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()>;
    /// [`Value::read`] into `self`, a default value (composites read in place: no move of a
    /// large struct).
    fn read_into<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error> {
        *self = Self::read(r, el, cur, term)?;
        Ok(())
    }
    /// [`Value::read`] onto the end of `list` (composites in place).
    fn read_push<'a>(
        list: &mut Vec<Self>,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error> {
        let v = Self::read(r, el, cur, term)?;
        list.push(v);
        Ok(())
    }
    /// [`Value::read`] into a box (composites in place).
    fn read_boxed<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<Box<Self>, Error> {
        Self::read(r, el, cur, term).map(Box::new)
    }
    /// Parses an attribute value or simple content (simple types only).
    fn parse_text(text: &str) -> Result<Self, String> {
        let _ = text;
        Err("a structured value cannot be read from text".to_string())
    }
    /// The lexical form (simple types only).
    fn text(&self) -> Option<Cow<'_, str>> {
        None
    }
    /// The `ext-*` value of an enumeration's `ext-value` member.
    fn ext(&self) -> Option<&str> {
        None
    }
    /// Replaces an `ext-value` member by the extension value `ext`; `Err` gives `ext` back when
    /// the value is not `ext-value`.
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        Err(ext)
    }
    /// This value as the data-model codecs ([`crate::rfc8727`]) see it.
    fn node(&self) -> Node<'_>;
    /// [`Value::node`], for filling.
    fn node_mut(&mut self) -> NodeMut<'_>;
    /// Calls `f` on this value, then on every value it holds, in document order
    /// ([`crate::visit`]).
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        f(self);
    }
    /// [`Value::walk`], mutably.
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        f(self);
    }
}

/// A field: one value, an optional one, or a list. Object safe (see [`Fields`]).
pub trait Slot: AsAny {
    /// Reads one more occurrence of `term` into the field.
    fn read<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error>;
    /// Writes every occurrence held.
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()>;
    /// Sets the field from an attribute value or simple content.
    fn set_text(&mut self, text: &str) -> Result<(), String>;
    /// The lexical form of a simple value (`None` when absent).
    fn text(&self) -> Option<Cow<'_, str>>;
    /// See [`Value::ext`].
    fn ext(&self) -> Option<&str>;
    /// See [`Value::set_ext`].
    fn set_ext(&mut self, ext: String) -> Result<(), String>;
    /// Called when a particle has read all its occurrences.
    fn finish(&mut self) {}
    /// How many values the field holds (0 or 1, or a list's length).
    fn count(&self) -> usize;
    /// Value `i` of the field (`i < count()`).
    fn node(&self, i: usize) -> Option<Node<'_>>;
    /// A new default value at the end of the field (a list grows, an optional field is set, a
    /// single one is reset), for filling.
    fn add(&mut self) -> NodeMut<'_>;
    /// [`Value::walk`] on every value held.
    fn each<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any));
    /// [`Value::walk_mut`] on every value held.
    fn each_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any));
}

/// A value as the data-model codecs see it: what the description alone does not say.
pub enum Node<'a> {
    /// A simple value: its kind, lexical form, and the `ext-*` value of an `ext-value` member.
    Scalar {
        /// What the lexical form stands for.
        kind: Scalar,
        /// The lexical form.
        text: Cow<'a, str>,
        /// See [`Value::ext`].
        ext: Option<&'a str>,
    },
    /// A generated struct or choice enum, with its description.
    Fields(&'a dyn Fields, Desc),
    /// Mixed content.
    Mixed(&'a Mixed),
    /// An element matched by a wildcard.
    Any(&'a AnyElement),
}

/// [`Node`], for filling a default value.
pub enum NodeMut<'a> {
    /// A simple value: set it with [`Slot::set_text`] / [`Slot::set_ext`].
    Scalar(Scalar, &'a mut dyn Slot),
    /// A generated struct or choice enum, with its description.
    Fields(&'a mut dyn Fields, Desc),
    /// Mixed content.
    Mixed(&'a mut Mixed),
    /// An element matched by a wildcard.
    Any(&'a mut AnyElement),
}

/// A field as `Any`, for the runtime's own field types (`Mixed`).
pub trait AsAny {
    /// `self` as `Any`.
    fn as_any(&self) -> &dyn Any;
    /// `self` as `Any`, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl<T: Value> Slot for T {
    fn read<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error> {
        // A single field is read once, into its default value.
        self.read_into(r, el, cur, term)
    }
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()> {
        Value::write(self, w, term)
    }
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        *self = T::parse_text(text)?;
        Ok(())
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        Value::text(self)
    }
    fn ext(&self) -> Option<&str> {
        Value::ext(self)
    }
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        Value::set_ext(self, ext)
    }
    fn each<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        self.walk(f);
    }
    fn each_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        self.walk_mut(f);
    }
    fn count(&self) -> usize {
        1
    }
    fn node(&self, i: usize) -> Option<Node<'_>> {
        (i == 0).then(|| Value::node(self))
    }
    fn add(&mut self) -> NodeMut<'_> {
        *self = T::default();
        self.node_mut()
    }
}

impl<T: Value> Slot for Option<T> {
    fn read<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error> {
        *self = Some(T::read(r, el, cur, term)?);
        Ok(())
    }
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()> {
        match self {
            Some(v) => v.write(w, term),
            None => Ok(()),
        }
    }
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        *self = Some(T::parse_text(text)?);
        Ok(())
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        self.as_ref().and_then(Value::text)
    }
    fn ext(&self) -> Option<&str> {
        self.as_ref().and_then(Value::ext)
    }
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        match self {
            Some(v) => v.set_ext(ext),
            None => Err(ext),
        }
    }
    fn each<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        if let Some(v) = self {
            v.walk(f);
        }
    }
    fn each_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        if let Some(v) = self {
            v.walk_mut(f);
        }
    }
    fn count(&self) -> usize {
        usize::from(self.is_some())
    }
    fn node(&self, i: usize) -> Option<Node<'_>> {
        self.as_ref().filter(|_| i == 0).map(Value::node)
    }
    fn add(&mut self) -> NodeMut<'_> {
        self.insert(T::default()).node_mut()
    }
}

impl<T: Value> Slot for Vec<T> {
    fn read<'a>(
        &mut self,
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<(), Error> {
        // Most lists of a document hold one item: room for exactly one, not the four of the
        // first growth step (which `finish` would have to give back, moving the items).
        if self.capacity() == 0 {
            self.reserve_exact(1);
        }
        T::read_push(self, r, el, cur, term)
    }
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()> {
        self.iter().try_for_each(|v| v.write(w, term))
    }
    fn set_text(&mut self, _: &str) -> Result<(), String> {
        Err("a list cannot be read from one text value".to_string())
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        None
    }
    fn ext(&self) -> Option<&str> {
        None
    }
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        Err(ext)
    }
    fn finish(&mut self) {
        // Growth slack would otherwise stay for the document's lifetime.
        self.shrink_to_fit();
    }
    fn each<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        self.iter().for_each(|v| v.walk(f));
    }
    fn each_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        self.iter_mut().for_each(|v| v.walk_mut(f));
    }
    fn count(&self) -> usize {
        self.len()
    }
    fn node(&self, i: usize) -> Option<Node<'_>> {
        self.get(i).map(Value::node)
    }
    fn add(&mut self) -> NodeMut<'_> {
        self.push(T::default());
        self.last_mut().expect("an item was just pushed").node_mut()
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// Reads a simple value as one occurrence of `term` (`Value::read` of every simple type).
pub fn read_simple<'a, T: SimpleValue>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
) -> Result<T, Error> {
    let c = take(r, el, cur, term)?;
    no_attributes(r, &c)?;
    let v = simple_content(r, &c, decl_type(term))?;
    *cur = r.next_child(el)?;
    Ok(v)
}

/// Writes a simple value as one occurrence of `term` (`Value::write` of every simple type).
pub fn write_simple<T: SimpleValue>(
    v: &T,
    w: &mut XmlWriter<'_>,
    term: &'static Term,
) -> io::Result<()> {
    let (ns, local) = element_name(term);
    w.start_element(ns, local)?;
    w.text(&v.to_xml())?;
    w.end_element()
}

/// Implements [`Value`] for simple types (their [`SimpleValue`] in an element of their own or
/// in an attribute).
#[macro_export]
#[doc(hidden)]
macro_rules! simple {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::codec::Value for $ty {
            fn read<'a>(
                r: &mut $crate::XmlReader<'a>,
                el: &$crate::Element<'a>,
                cur: &mut ::std::option::Option<$crate::Element<'a>>,
                term: &'static $crate::schema::Term,
            ) -> ::std::result::Result<Self, $crate::Error> {
                $crate::codec::read_simple(r, el, cur, term)
            }
            fn write(&self, w: &mut $crate::XmlWriter<'_>, term: &'static $crate::schema::Term) -> ::std::io::Result<()> {
                $crate::codec::write_simple(self, w, term)
            }
            fn parse_text(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                $crate::SimpleValue::parse_xml(text)
            }
            fn text(&self) -> ::std::option::Option<::std::borrow::Cow<'_, str>> {
                ::std::option::Option::Some($crate::SimpleValue::to_xml(self))
            }
            fn ext(&self) -> ::std::option::Option<&str> {
                $crate::SimpleValue::ext(self)
            }
            fn set_ext(&mut self, ext: ::std::string::String) -> ::std::result::Result<(), ::std::string::String> {
                $crate::SimpleValue::set_ext(self, ext)
            }
            fn node(&self) -> $crate::codec::Node<'_> {
                $crate::codec::Node::Scalar {
                    kind: <Self as $crate::SimpleValue>::SCALAR,
                    text: $crate::SimpleValue::to_xml(self),
                    ext: $crate::SimpleValue::ext(self),
                }
            }
            fn node_mut(&mut self) -> $crate::codec::NodeMut<'_> {
                $crate::codec::NodeMut::Scalar(<Self as $crate::SimpleValue>::SCALAR, self)
            }
        }
    )*};
}

crate::simple!(
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f32,
    f64,
    super::Integer,
    super::NonNegativeInteger,
    super::PositiveInteger,
    super::NonPositiveInteger,
    super::NegativeInteger,
    super::Decimal,
    super::DateTime,
    super::HexBinary,
    super::Base64Binary,
);

/// A boxed value (a recursive field or a large choice alternative) reads and writes as its
/// content.
impl<T: Value> Value for Box<T> {
    fn read<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<Self, Error> {
        T::read_boxed(r, el, cur, term)
    }
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()> {
        (**self).write(w, term)
    }
    fn parse_text(text: &str) -> Result<Self, String> {
        T::parse_text(text).map(Box::new)
    }
    fn text(&self) -> Option<Cow<'_, str>> {
        (**self).text()
    }
    fn ext(&self) -> Option<&str> {
        (**self).ext()
    }
    fn set_ext(&mut self, ext: String) -> Result<(), String> {
        (**self).set_ext(ext)
    }
    fn node(&self) -> Node<'_> {
        (**self).node()
    }
    fn node_mut(&mut self) -> NodeMut<'_> {
        (**self).node_mut()
    }
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        (**self).walk(f);
    }
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        (**self).walk_mut(f);
    }
}

/// Reads the text of `el` as a `T` of the simple type `ty`: its lexical rule first when it has
/// one (recording IDs and IDREFs), then `T`'s parse (which checks everything else).
fn simple_content<'a, T: SimpleValue>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    ty: Option<&'static TypeDef>,
) -> Result<T, Error> {
    let text = lexical_text(r, el, ty)?;
    T::parse_xml(&text).map_err(|reason| invalid_content(r, el, &text, &reason))
}

/// The text of `el`, checked against the lexical rule of its simple type `ty` when it has one
/// (recording IDs and IDREFs).
fn lexical_text<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    ty: Option<&'static TypeDef>,
) -> Result<Cow<'a, str>, Error> {
    let text: Cow<'a, str> = r.read_text(el)?;
    if let Some(TypeDef::Simple(SimpleType {
        lexical: Some(lexical),
        ..
    })) = ty
    {
        lexical_value(r, el, el.offset, ("element", el.local), &text, *lexical)?;
    }
    Ok(text)
}

/// The text of `el` does not parse as its type.
fn invalid_content(r: &XmlReader<'_>, el: &Element<'_>, text: &str, reason: &str) -> Error {
    r.invalid_value(el.offset, &format!("element {}", el.local), text, reason)
}

impl Value for AnyElement {
    fn read<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<Self, Error> {
        let c = take(r, el, cur, term)?;
        let v = r.read_any(&c)?;
        *cur = r.next_child(el)?;
        Ok(v)
    }
    fn write(&self, w: &mut XmlWriter<'_>, _: &'static Term) -> io::Result<()> {
        AnyElement::write(self, w)
    }
    fn node(&self) -> Node<'_> {
        Node::Any(self)
    }
    fn node_mut(&mut self) -> NodeMut<'_> {
        NodeMut::Any(self)
    }
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        f(self);
        self.children.walk(f);
    }
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        f(self);
        self.children.walk_mut(f);
    }
}

impl Value for Mixed {
    fn read<'a>(
        r: &mut XmlReader<'a>,
        el: &Element<'a>,
        cur: &mut Option<Element<'a>>,
        term: &'static Term,
    ) -> Result<Self, Error> {
        let c = take(r, el, cur, term)?;
        let v = r.read_mixed(&c)?;
        *cur = r.next_child(el)?;
        Ok(v)
    }
    fn write(&self, w: &mut XmlWriter<'_>, term: &'static Term) -> io::Result<()> {
        let (ns, local) = element_name(term);
        w.start_element(ns, local)?;
        Mixed::write(self, w)?;
        w.end_element()
    }
    fn node(&self) -> Node<'_> {
        Node::Mixed(self)
    }
    fn node_mut(&mut self) -> NodeMut<'_> {
        NodeMut::Mixed(self)
    }
    /// Elements inside (raw and typed, e.g. extension elements in `AdditionalData`).
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        f(self);
        for node in &self.0 {
            match node {
                super::MixedNode::Element(e) => e.walk(f),
                super::MixedNode::Typed(t) => t.walk(f),
                _ => {}
            }
        }
    }
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        f(self);
        for node in &mut self.0 {
            match node {
                super::MixedNode::Element(e) => e.walk_mut(f),
                super::MixedNode::Typed(t) => t.walk_mut(f),
                _ => {}
            }
        }
    }
}

/// Composite values: an element of their type, or a group inside the parent's element.
pub fn read_composite<'a, T: Composite>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
) -> Result<T, Error> {
    let mut v = T::default();
    read_composite_into(r, el, cur, term, &mut v)?;
    Ok(v)
}

/// Reads one occurrence of `term` into `v` (a default value), in place.
pub fn read_composite_into<'a, T: Composite>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
    v: &mut T,
) -> Result<(), Error> {
    match T::DESC {
        Desc::Complex(ty) => {
            let c = take(r, el, cur, term)?;
            read_fields(r, &c, ty, v)?;
            *cur = r.next_child(el)?;
        }
        Desc::Group(term) => read_group(r, el, cur, term, v)?,
    }
    Ok(())
}

/// [`Value::read_push`] of composites: the new item is read where it stays in `list`.
pub fn read_composite_push<'a, T: Composite>(
    list: &mut Vec<T>,
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
) -> Result<(), Error> {
    list.push(T::default());
    let v = list.last_mut().expect("an item was just pushed");
    if let Err(e) = read_composite_into(r, el, cur, term, v) {
        list.pop();
        return Err(e);
    }
    Ok(())
}

/// [`Value::read_boxed`] of composites: read in the box.
pub fn read_composite_boxed<'a, T: Composite>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
) -> Result<Box<T>, Error> {
    let mut v = Box::<T>::default();
    read_composite_into(r, el, cur, term, &mut *v)?;
    Ok(v)
}

/// [`Value::walk`] of a composite: the value, then its fields in slot (document) order.
pub fn walk_composite<'a, T: Composite>(v: &'a T, f: &mut dyn FnMut(&'a dyn Any)) {
    f(v);
    for i in 0..slot_count(T::DESC) {
        if let Some(slot) = v.slot(i) {
            slot.each(f);
        }
    }
}

/// [`Value::walk_mut`] of a composite.
pub fn walk_composite_mut<T: Composite>(v: &mut T, f: &mut dyn FnMut(&mut dyn Any)) {
    f(v);
    for i in 0..slot_count(T::DESC) {
        if let Some(slot) = v.field_mut(i) {
            slot.each_mut(f);
        }
    }
}

/// How many slots a description has.
fn slot_count(desc: Desc) -> usize {
    match desc {
        Desc::Complex(TypeDef::Complex(ct)) => {
            ct.attributes.len()
                + match ct.content {
                    ContentModel::Empty => 0,
                    ContentModel::Simple(_) | ContentModel::Mixed(_) => 1,
                    ContentModel::Elements(particles) => particles.len(),
                }
        }
        Desc::Complex(_) => 0,
        Desc::Group(term) => group_len(term),
    }
}

fn group_len(term: &Term) -> usize {
    match term {
        Term::Sequence(ps) | Term::Choice(ps) => ps.len(),
        Term::Group(inner) => group_len(inner),
        Term::Element(_) | Term::Any(_) => 0,
    }
}

/// Writes a composite value as one occurrence of `term` (an element, or a group).
pub fn write_composite<T: Composite>(
    v: &T,
    w: &mut XmlWriter<'_>,
    term: &'static Term,
) -> io::Result<()> {
    match T::DESC {
        Desc::Complex(ty) => {
            let (ns, local) = element_name(term);
            write_fields(w, ns, local, ty, v)
        }
        Desc::Group(group) => write_group(w, group, v),
    }
}

/// Reads the element `el` of a composite type (`FromXml`).
pub fn read_element<'a, T: Composite>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<T, Error> {
    let mut v = T::default();
    match T::DESC {
        Desc::Complex(ty) => read_fields(r, el, ty, &mut v)?,
        // A group as an element of its own (never generated): its content, nothing unknown.
        Desc::Group(term) => {
            let mut cur = r.first_child(el, &super::schema::ANY_TYPE)?;
            read_group(r, el, &mut cur, term, &mut v)?;
            if let Some(c) = cur {
                return Err(r.unexpected_element(&c));
            }
        }
    }
    Ok(v)
}

/// Writes a composite value as the element `{ns}local` (`ToXml`).
pub fn write_named<T: Composite>(
    v: &T,
    w: &mut XmlWriter<'_>,
    ns: &str,
    local: &str,
) -> io::Result<()> {
    match T::DESC {
        Desc::Complex(ty) => write_fields(w, ns, local, ty, v),
        Desc::Group(group) => {
            w.start_element(ns, local)?;
            write_group(w, group, v)?;
            w.end_element()
        }
    }
}

/// The child at the cursor, which the caller saw start `term`.
fn take<'a>(
    r: &XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
) -> Result<Element<'a>, Error> {
    cur.take().ok_or_else(|| {
        let (ns, local) = first_name(term);
        r.missing_element(el, ns, local)
    })
}

/// The type of an element term (`None` for groups and wildcards).
fn decl_type(term: &'static Term) -> Option<&'static TypeDef> {
    match term {
        Term::Element(d) => Some(d.ty),
        _ => None,
    }
}

/// The name a value of an element term is written under.
fn element_name(term: &'static Term) -> (&'static str, &'static str) {
    match term {
        Term::Element(d) => (d.ns, d.name),
        _ => ("", ""),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads attributes and content of `el`, whose type is `ty`, into `v` (also for codecs that
/// embed XML, such as RFC 8727's XML Signature bytes).
pub fn read_fields<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    ty: &'static TypeDef,
    v: &mut dyn Fields,
) -> Result<(), Error> {
    let TypeDef::Complex(ct) = ty else {
        return Err(r.unexpected_element(el));
    };
    read_attributes(r, el, ct.attributes, v)?;
    let content = ct.attributes.len();
    match ct.content {
        ContentModel::Empty => {
            if let Some(c) = r.first_child(el, ty)? {
                return Err(r.unexpected_element(&c));
            }
        }
        ContentModel::Simple(simple) => {
            let text = lexical_text(r, el, Some(simple))?;
            v.slot_mut(content)
                .set_text(&text)
                .map_err(|reason| invalid_content(r, el, &text, &reason))?;
        }
        ContentModel::Mixed(_) => {
            let mixed = r.read_mixed(el)?;
            super::glue::check_mixed(r, el, ty, &mixed)?;
            if let Some(slot) = v.slot_mut(content).as_any_mut().downcast_mut::<Mixed>() {
                *slot = mixed;
            }
        }
        ContentModel::Elements(particles) => {
            // The content model: in lenient mode, children it allows nowhere are kept aside as
            // unknown content (`rt::Policy`).
            let mut cur = r.first_child(el, ty)?;
            read_particles(r, el, &mut cur, particles, v, content)?;
            if let Some(c) = cur {
                return Err(r.unexpected_element(&c));
            }
        }
    }
    if let Some(extra) = v.extra_mut() {
        *extra = r.take_extra(el);
    }
    Ok(())
}

/// Reads a part of a streamed root element `el` of type `ty` into `v` (see `rt::stream`):
/// its attributes when `attributes` is set (the header), then each child into the slot of the
/// first content particle that can start it. Order and occurrence counts across parts are the
/// stream's to check; an element no particle starts is an error.
pub(crate) fn read_root_part<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    ty: &'static TypeDef,
    v: &mut dyn Fields,
    attributes: bool,
) -> Result<(), Error> {
    let TypeDef::Complex(ct) = ty else {
        return Err(r.unexpected_element(el));
    };
    if attributes {
        read_attributes(r, el, ct.attributes, v)?;
    }
    let ContentModel::Elements(particles) = ct.content else {
        return Err(r.unexpected_element(el));
    };
    let base = ct.attributes.len();
    let mut cur = r.first_child(el, ty)?;
    while let Some(c) = &cur {
        let Some(i) = particles.iter().position(|p| starts(r, c, &p.term)) else {
            return Err(r.unexpected_element(c));
        };
        v.slot_mut(base + i)
            .read(r, el, &mut cur, &particles[i].term)?;
    }
    if let Some(extra) = v.extra_mut() {
        *extra = r.take_extra(el);
    }
    Ok(())
}

/// Reads the attributes of `el` declared in `decls` into slots `0..decls.len()`.
fn read_attributes<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    decls: &'static [super::schema::AttributeDecl],
    v: &mut dyn Fields,
) -> Result<(), Error> {
    if decls.is_empty() {
        return no_attributes(r, el);
    }
    // Types declare a handful of attributes: a bit per declaration, a vector beyond 128.
    let mut seen: u128 = 0;
    let mut seen_more = vec![false; decls.len().saturating_sub(128)];
    let mut ext_values: Vec<(usize, String)> = Vec::new();
    // The reader's spare vector: no allocation per element.
    let mut attrs = r.attributes_buffered(el, false)?;
    for attr in attrs.drain(..) {
        if let Some(i) = decls
            .iter()
            .position(|d| same_str(d.name, attr.local) && r.ns_is(attr.ns, d.ns))
        {
            let d = &decls[i];
            if let TypeDef::Simple(st) = d.ty {
                if let Some(lexical) = st.lexical {
                    let what = ("attribute", attr.local);
                    lexical_value(r, el, attr.offset, what, &attr.value, lexical)?;
                }
            }
            v.slot_mut(i).set_text(&attr.value).map_err(|reason| {
                r.invalid_value(
                    attr.offset,
                    &format!("attribute {}", attr.local),
                    &attr.value,
                    &reason,
                )
            })?;
            match seen_more.get_mut(i.wrapping_sub(128)) {
                Some(more) if i >= 128 => *more = true,
                _ => seen |= 1u128 << i,
            }
        } else if let Some(i) = decls
            .iter()
            .position(|d| d.is_ext(r.ns_str(attr.ns), attr.local))
        {
            ext_values.push((i, attr.value.into_owned()));
        } else {
            r.unknown_attribute(el, attr)?;
        }
    }
    r.recycle_attributes(attrs);
    // `foo` and `ext-foo` (RFC 7970 §5.1.1) make one value. An `ext-foo` whose partner is not
    // `ext-value` violates §5.1.1 but not the schema: it is kept, losslessly, aside.
    for (i, ext) in ext_values {
        if let Err(ext) = v.slot_mut(i).set_ext(ext) {
            let name = decls[i].ext.unwrap_or_default().to_owned();
            if let Some(unpaired) = v.unpaired_mut() {
                unpaired.push((name, ext));
            }
        }
    }
    for (i, d) in decls.iter().enumerate() {
        let present = match i.checked_sub(128) {
            Some(more) => seen_more[more],
            None => seen & (1u128 << i) != 0,
        };
        if let (Some(fixed), true) = (d.fixed, present) {
            if let Some(text) = v.slot(i).and_then(Slot::text) {
                if text != fixed {
                    return Err(r.invalid_value(
                        el.offset,
                        &format!("attribute {}", d.name),
                        &text,
                        &format!("the schema fixes it to {fixed:?}"),
                    ));
                }
            }
        }
        if d.required && !present {
            return Err(r.missing_attribute(el, d.name));
        }
    }
    Ok(())
}

/// Reads `particles` in order into slots `base..` of `v`.
fn read_particles<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    particles: &'static [Particle],
    v: &mut dyn Fields,
    base: usize,
) -> Result<(), Error> {
    for (i, p) in particles.iter().enumerate() {
        // An optional particle the cursor does not start leaves its field as it is: no slot.
        if p.min == 0 && !cur.as_ref().is_some_and(|c| starts(r, c, &p.term)) {
            continue;
        }
        read_particle(r, el, cur, p, v.slot_mut(base + i))?;
    }
    Ok(())
}

/// Reads the occurrences of `p` the cursor starts into `slot`, checking `minOccurs`.
fn read_particle<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    p: &'static Particle,
    slot: &mut dyn Slot,
) -> Result<(), Error> {
    let mut n = 0u32;
    while n < p.max {
        match cur {
            Some(c) if starts(r, c, &p.term) => slot.read(r, el, cur, &p.term)?,
            _ => break,
        }
        n += 1;
    }
    slot.finish();
    if n < p.min {
        return Err(missing(r, el, &p.term));
    }
    Ok(())
}

/// Reads a group (a sequence struct or a choice enum) from the cursor into `v`.
fn read_group<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    cur: &mut Option<Element<'a>>,
    term: &'static Term,
    v: &mut dyn Fields,
) -> Result<(), Error> {
    match term {
        Term::Sequence(particles) => read_particles(r, el, cur, particles, v, 0),
        Term::Choice(alternatives) => {
            let chosen = match cur {
                Some(c) => alternatives.iter().position(|p| starts(r, c, &p.term)),
                None => None,
            };
            match (chosen, cur.as_ref()) {
                (Some(i), _) => read_particle(r, el, cur, &alternatives[i], v.slot_mut(i)),
                (None, Some(c)) => Err(r.unexpected_element(c)),
                (None, None) => Err(missing(r, el, term)),
            }
        }
        Term::Group(inner) => read_group(r, el, cur, inner, v),
        Term::Element(_) | Term::Any(_) => Err(r.unexpected_element(el)),
    }
}

/// Whether the child `c` can start `term`.
fn starts(r: &XmlReader<'_>, c: &Element<'_>, term: &Term) -> bool {
    match term {
        Term::Element(d) => same_str(d.name, c.local) && r.ns_is(c.ns, d.ns),
        Term::Any(w) => w.allows(r.ns_str(c.ns)),
        Term::Group(inner) => starts(r, c, inner),
        Term::Choice(ps) => ps.iter().any(|p| starts(r, c, &p.term)),
        Term::Sequence(ps) => {
            for p in ps.iter() {
                if starts(r, c, &p.term) {
                    return true;
                }
                if p.min > 0 {
                    return false;
                }
            }
            false
        }
    }
}

/// `term` is missing in `el`: the error names what could have started it (`Session or Payload`
/// for a choice).
fn missing(r: &XmlReader<'_>, el: &Element<'_>, term: &Term) -> Error {
    let mut names = Vec::new();
    first_names(term, &mut names);
    let (ns, first) = first_name(term);
    if names.len() <= 1 {
        return r.missing_element(el, ns, first);
    }
    let listed: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    r.missing_element(el, ns, &super::schema::one_of(&listed))
}

/// The local names of the elements that can start `term`, in table order, without repeats.
pub(crate) fn first_names(term: &Term, out: &mut Vec<&'static str>) {
    match term {
        Term::Element(d) => {
            if !out.contains(&d.name) {
                out.push(d.name);
            }
        }
        Term::Any(_) => out.push("(any element)"),
        Term::Group(inner) => first_names(inner, out),
        Term::Choice(ps) => ps.iter().for_each(|p| first_names(&p.term, out)),
        Term::Sequence(ps) => {
            for p in ps.iter() {
                first_names(&p.term, out);
                if p.min > 0 {
                    break;
                }
            }
        }
    }
}

/// The first element a missing `term` would have started with, for messages.
fn first_name(term: &Term) -> (&'static str, &'static str) {
    match term {
        Term::Element(d) => (d.ns, d.name),
        Term::Any(_) => ("", "(any element)"),
        Term::Group(inner) => first_name(inner),
        Term::Choice(ps) | Term::Sequence(ps) => match ps.first() {
            Some(p) => first_name(&p.term),
            None => ("", "(empty group)"),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes `v`, a value of the complex type `ty`, as the element `{ns}local` (also for codecs
/// that embed XML, such as RFC 8727's XML Signature bytes).
pub fn write_fields(
    w: &mut XmlWriter<'_>,
    ns: &str,
    local: &str,
    ty: &'static TypeDef,
    v: &dyn Fields,
) -> io::Result<()> {
    let Some(ct) = write_start(w, ns, local, ty, v)? else {
        return w.end_element();
    };
    let content = ct.attributes.len();
    match ct.content {
        ContentModel::Empty => {}
        ContentModel::Simple(_) => {
            if let Some(text) = v.slot(content).and_then(Slot::text) {
                w.text(&text)?;
            }
        }
        ContentModel::Mixed(_) => {
            if let Some(mixed) = v
                .slot(content)
                .and_then(|s| s.as_any().downcast_ref::<Mixed>())
            {
                mixed.write(w)?;
            }
        }
        ContentModel::Elements(particles) => write_particles(w, particles, v, content)?,
    }
    w.end_element()
}

/// Starts the element `{ns}local` of type `ty` with `v`'s attributes and extra content; its
/// complex type, if it has one.
fn write_start(
    w: &mut XmlWriter<'_>,
    ns: &str,
    local: &str,
    ty: &'static TypeDef,
    v: &dyn Fields,
) -> io::Result<Option<&'static super::schema::ComplexType>> {
    w.start_element(ns, local)?;
    let TypeDef::Complex(ct) = ty else {
        return Ok(None);
    };
    for (i, d) in ct.attributes.iter().enumerate() {
        let Some(slot) = v.slot(i) else { continue };
        if let Some(text) = slot.text() {
            w.attribute(d.ns, d.name, &text)?;
            if let (Some(name), Some(ext)) = (d.ext, slot.ext()) {
                if !ext.is_empty() {
                    w.attribute("", name, ext)?;
                }
            }
        }
    }
    if let Some(unpaired) = v.unpaired() {
        for (name, value) in unpaired {
            w.attribute("", name, value)?;
        }
    }
    if let Some(extra) = v.extra() {
        w.extra(extra)?;
    }
    Ok(Some(ct))
}

/// The element type a composite describes ([`TypeDef::Any`] for a group).
pub(crate) fn type_of<T: Composite>() -> &'static TypeDef {
    match T::DESC {
        Desc::Complex(ty) => ty,
        Desc::Group(_) => &super::schema::ANY_TYPE,
    }
}

/// Streaming: starts the root element `{ns}local` of type `ty` with `header`'s attributes
/// (its children come in parts: [`write_root_part`]).
pub(crate) fn write_root_start(
    w: &mut XmlWriter<'_>,
    ns: &str,
    local: &str,
    ty: &'static TypeDef,
    header: &dyn Fields,
) -> io::Result<()> {
    write_start(w, ns, local, ty, header).map(|_| ())
}

/// Streaming: writes the children (and extra content) `part` holds, inside the open root
/// element of type `ty`.
pub(crate) fn write_root_part(
    w: &mut XmlWriter<'_>,
    ty: &'static TypeDef,
    part: &dyn Fields,
) -> io::Result<()> {
    let TypeDef::Complex(ct) = ty else {
        return Ok(());
    };
    if let Some(extra) = part.extra() {
        w.begin_part(extra)?;
    }
    match ct.content {
        ContentModel::Elements(particles) => {
            write_particles(w, particles, part, ct.attributes.len())
        }
        _ => Ok(()),
    }
}

fn write_particles(
    w: &mut XmlWriter<'_>,
    particles: &'static [Particle],
    v: &dyn Fields,
    base: usize,
) -> io::Result<()> {
    for (i, p) in particles.iter().enumerate() {
        if let Some(slot) = v.slot(base + i) {
            slot.write(w, &p.term)?;
        }
    }
    Ok(())
}

fn write_group(w: &mut XmlWriter<'_>, term: &'static Term, v: &dyn Fields) -> io::Result<()> {
    match term {
        Term::Sequence(particles) => write_particles(w, particles, v, 0),
        Term::Choice(alternatives) => {
            for (i, p) in alternatives.iter().enumerate() {
                if let Some(slot) = v.slot(i) {
                    return slot.write(w, &p.term);
                }
            }
            Ok(())
        }
        Term::Group(inner) => write_group(w, inner, v),
        Term::Element(_) | Term::Any(_) => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// What generated code states

/// Implements the codec traits of a generated struct from the order of its fields: the
/// attributes and content particles of its schema table, in table order, then optionally the
/// fields holding unpaired `ext-*` attributes and [`Extra`].
///
/// `composite!(Type, complex schema::Type, [fields...], unpaired_ext, extra)` for an element's
/// type; `composite!(Type, group schema::Type, [fields...])` for a sequence group.
#[macro_export]
#[doc(hidden)]
macro_rules! composite {
    ($ty:ident, $kind:ident $desc:path, [$($field:ident),* $(,)?] $(, unpaired $unpaired:ident)? $(, extra $extra:ident)?) => {
        impl $crate::codec::Fields for $ty {
            fn slot(&self, i: usize) -> ::std::option::Option<&dyn $crate::codec::Slot> {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $($field),* }
                match i {
                    $(i if i == Slots::$field as usize => ::std::option::Option::Some(&self.$field),)*
                    _ => ::std::option::Option::None,
                }
            }
            fn slot_mut(&mut self, i: usize) -> &mut dyn $crate::codec::Slot {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $($field),* }
                match i {
                    $(i if i == Slots::$field as usize => &mut self.$field,)*
                    _ => $crate::codec::no_slot(i),
                }
            }
            fn field_mut(&mut self, i: usize) -> ::std::option::Option<&mut dyn $crate::codec::Slot> {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $($field),* }
                match i {
                    $(i if i == Slots::$field as usize => ::std::option::Option::Some(&mut self.$field),)*
                    _ => ::std::option::Option::None,
                }
            }
            $(
                fn unpaired(&self) -> ::std::option::Option<&::std::vec::Vec<(::std::string::String, ::std::string::String)>> {
                    ::std::option::Option::Some(&self.$unpaired)
                }
                fn unpaired_mut(&mut self) -> ::std::option::Option<&mut ::std::vec::Vec<(::std::string::String, ::std::string::String)>> {
                    ::std::option::Option::Some(&mut self.$unpaired)
                }
            )?
            $(
                fn extra(&self) -> ::std::option::Option<&$crate::Extra> {
                    ::std::option::Option::Some(&self.$extra)
                }
                fn extra_mut(&mut self) -> ::std::option::Option<&mut $crate::Extra> {
                    ::std::option::Option::Some(&mut self.$extra)
                }
            )?
        }
        $crate::composite!(@desc $ty, $kind $desc);
    };
    (@desc $ty:ident, complex $desc:path) => {
        $crate::composite!(@impl $ty, $crate::codec::Desc::Complex(&$desc));
    };
    (@desc $ty:ident, group $desc:path) => {
        $crate::composite!(@impl $ty, $crate::codec::Desc::Group(&$desc));
    };
    (@impl $ty:ident, $desc:expr) => {
        impl $crate::codec::Composite for $ty {
            const DESC: $crate::codec::Desc = $desc;
        }
        $crate::__rfc8727_serde!($ty);
        impl $crate::codec::Value for $ty {
            fn read<'a>(
                r: &mut $crate::XmlReader<'a>,
                el: &$crate::Element<'a>,
                cur: &mut ::std::option::Option<$crate::Element<'a>>,
                term: &'static $crate::schema::Term,
            ) -> ::std::result::Result<Self, $crate::Error> {
                $crate::codec::read_composite(r, el, cur, term)
            }
            fn read_into<'a>(
                &mut self,
                r: &mut $crate::XmlReader<'a>,
                el: &$crate::Element<'a>,
                cur: &mut ::std::option::Option<$crate::Element<'a>>,
                term: &'static $crate::schema::Term,
            ) -> ::std::result::Result<(), $crate::Error> {
                $crate::codec::read_composite_into(r, el, cur, term, self)
            }
            fn read_push<'a>(
                list: &mut ::std::vec::Vec<Self>,
                r: &mut $crate::XmlReader<'a>,
                el: &$crate::Element<'a>,
                cur: &mut ::std::option::Option<$crate::Element<'a>>,
                term: &'static $crate::schema::Term,
            ) -> ::std::result::Result<(), $crate::Error> {
                $crate::codec::read_composite_push(list, r, el, cur, term)
            }
            fn read_boxed<'a>(
                r: &mut $crate::XmlReader<'a>,
                el: &$crate::Element<'a>,
                cur: &mut ::std::option::Option<$crate::Element<'a>>,
                term: &'static $crate::schema::Term,
            ) -> ::std::result::Result<::std::boxed::Box<Self>, $crate::Error> {
                $crate::codec::read_composite_boxed(r, el, cur, term)
            }
            fn write(&self, w: &mut $crate::XmlWriter<'_>, term: &'static $crate::schema::Term) -> ::std::io::Result<()> {
                $crate::codec::write_composite(self, w, term)
            }
            fn node(&self) -> $crate::codec::Node<'_> {
                $crate::codec::Node::Fields(self, <Self as $crate::codec::Composite>::DESC)
            }
            fn node_mut(&mut self) -> $crate::codec::NodeMut<'_> {
                $crate::codec::NodeMut::Fields(self, <Self as $crate::codec::Composite>::DESC)
            }
            fn walk<'v>(&'v self, f: &mut dyn ::std::ops::FnMut(&'v dyn ::std::any::Any)) {
                $crate::codec::walk_composite(self, f)
            }
            fn walk_mut(&mut self, f: &mut dyn ::std::ops::FnMut(&mut dyn ::std::any::Any)) {
                $crate::codec::walk_composite_mut(self, f)
            }
        }
        impl<'a> $crate::FromXml<'a> for $ty {
            fn from_xml(r: &mut $crate::XmlReader<'a>, el: &$crate::Element<'a>) -> ::std::result::Result<Self, $crate::Error> {
                $crate::codec::read_element(r, el)
            }
        }
        impl $crate::ToXml for $ty {
            fn to_xml(&self, w: &mut $crate::XmlWriter<'_>, ns: &str, local: &str) -> ::std::io::Result<()> {
                $crate::codec::write_named(self, w, ns, local)
            }
        }
    };
}

/// Implements the codec traits of a generated choice enum: its alternatives in table order; the
/// first one is the `Default`.
#[macro_export]
#[doc(hidden)]
macro_rules! choice {
    ($ty:ident, $desc:path, [$first:ident $(, $variant:ident)* $(,)?]) => {
        impl ::std::default::Default for $ty {
            fn default() -> Self {
                Self::$first(::std::default::Default::default())
            }
        }
        impl $crate::codec::Fields for $ty {
            fn slot(&self, i: usize) -> ::std::option::Option<&dyn $crate::codec::Slot> {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $first $(, $variant)* }
                match self {
                    Self::$first(v) if i == Slots::$first as usize => ::std::option::Option::Some(v),
                    $(Self::$variant(v) if i == Slots::$variant as usize => ::std::option::Option::Some(v),)*
                    _ => ::std::option::Option::None,
                }
            }
            fn field_mut(&mut self, i: usize) -> ::std::option::Option<&mut dyn $crate::codec::Slot> {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $first $(, $variant)* }
                match self {
                    Self::$first(v) if i == Slots::$first as usize => ::std::option::Option::Some(v),
                    $(Self::$variant(v) if i == Slots::$variant as usize => ::std::option::Option::Some(v),)*
                    _ => ::std::option::Option::None,
                }
            }
            fn slot_mut(&mut self, i: usize) -> &mut dyn $crate::codec::Slot {
                #[allow(non_camel_case_types, dead_code, clippy::enum_variant_names)]
                enum Slots { $first $(, $variant)* }
                if i == Slots::$first as usize && !matches!(self, Self::$first(_)) {
                    *self = Self::$first(::std::default::Default::default());
                }
                $(if i == Slots::$variant as usize && !matches!(self, Self::$variant(_)) {
                    *self = Self::$variant(::std::default::Default::default());
                })*
                match self {
                    Self::$first(v) => v,
                    $(Self::$variant(v) => v,)*
                }
            }
        }
        $crate::composite!(@impl $ty, $crate::codec::Desc::Group(&$desc));
    };
}

/// Implements [`SimpleValue`] for a generated enumeration from its value table: variant = XML
/// value, and `Ext` when the enumeration lists `ext-value` (its payload is the `ext-*` value).
#[macro_export]
#[doc(hidden)]
macro_rules! enumeration {
    ($ty:ident, [$($variant:ident = $xml:literal),* $(,)?] $(, $ext:ident)?) => {
        impl $ty {
            /// The value as written in XML.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $(Self::$variant => $xml,)*
                    $(Self::$ext(_) => "ext-value",)?
                }
            }
        }
        impl $crate::SimpleValue for $ty {
            fn parse_xml(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                match $crate::trim_ws(text) {
                    $($xml => ::std::result::Result::Ok(Self::$variant),)*
                    $("ext-value" => ::std::result::Result::Ok(Self::$ext(::std::string::String::new())),)?
                    other => ::std::result::Result::Err($crate::codec::not_one_of(
                        other,
                        &[$($xml,)* $($crate::enumeration!(@ext_value $ext))?],
                    )),
                }
            }
            fn to_xml(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
            $(
                fn ext(&self) -> ::std::option::Option<&str> {
                    match self {
                        Self::$ext(s) => ::std::option::Option::Some(s),
                        _ => ::std::option::Option::None,
                    }
                }
                fn set_ext(&mut self, ext: ::std::string::String) -> ::std::result::Result<(), ::std::string::String> {
                    match self {
                        Self::$ext(s) => {
                            *s = ext;
                            ::std::result::Result::Ok(())
                        }
                        _ => ::std::result::Result::Err(ext),
                    }
                }
            )?
        }
        $crate::simple!($ty);
    };
    (@ext_value $ext:ident) => {
        "ext-value"
    };
}

/// Without the runtime's `serde` feature the generated types get no serde impls.
#[cfg(not(feature = "serde"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __rfc8727_serde {
    ($ty:ident) => {};
}

/// The error of [`SimpleValue::parse_xml`] for a value outside an enumeration.
pub fn not_one_of(value: &str, allowed: &[&str]) -> String {
    format!("{value:?} is not one of: {}", allowed.join(", "))
}

/// A slot number the description does not have: a generator bug, reported where it shows.
#[track_caller]
pub fn no_slot(i: usize) -> &'static mut dyn Slot {
    unreachable!("slot {i} is not in the type's description (iodef-codegen bug)")
}
