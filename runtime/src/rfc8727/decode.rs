//! [`Tree`] → typed value, from the descriptions.
//!
//! A class's members are first laid out as the children an XML element would have (arrays
//! expanded, deleted wrappers put back, `Impact` maps opened, in the schema's order), then read
//! by the same recursive descent over the particles as the XML codec: one content model, and
//! the occurrence checks come with it.

use std::fmt::Write as _;

use super::encode::{is_ml_string, ordered_choice};
use super::tree::{with_step, Tree};
use super::{DecodeError, RULES};
use crate::codec::{first_names, Composite, Desc, Fields, NodeMut, Slot};
use crate::schema::{ComplexType, ContentModel, ElementDecl, Particle, Term, TypeDef};
use crate::{AnyElement, Mixed, MixedNode, Scalar, XmlReader};

/// Reads the typed root value of an RFC 8727 document (an IODEF 2.0 `IODEF-Document`).
pub fn decode<T: Composite>(tree: &Tree) -> Result<T, DecodeError> {
    decode_named(tree, "IODEF-Document")
}

/// Reads one value of a generated type (its serde `Deserialize`). The rules that depend on the
/// element's name use the IODEF 2.0 global element of its type, if there is one.
pub(crate) fn decode_value<T: Composite>(tree: &Tree) -> Result<T, DecodeError> {
    decode_named(tree, super::element_name(T::DESC))
}

fn decode_named<T: Composite>(tree: &Tree, name: &'static str) -> Result<T, DecodeError> {
    let mut v = T::default();
    let mut d = Decoder {
        pointer: String::new(),
    };
    match T::DESC {
        Desc::Complex(TypeDef::Complex(ct)) => d.complex(tree, ct, &mut v, name)?,
        Desc::Complex(_) => return Err(DecodeError::at("", "a type without a description")),
        Desc::Group(term) => {
            let Tree::Map(list) = tree else {
                return Err(DecodeError::at(
                    "",
                    &format!("expected an object, found {}", tree.kind()),
                ));
            };
            let mut m = Members {
                list: list.iter().map(|(k, v)| (*k, v, false)).collect(),
            };
            let mut places = Vec::new();
            layout_term(name, term, false, &mut places);
            let mut children = Vec::new();
            d.children(&places, &mut m, &mut children)?;
            let mut pos = 0;
            d.group(name, term, &mut v, &children, &mut pos)?;
            if let Some(c) = children.get(pos) {
                return Err(d.error_at(c.at, format!("{} is not allowed here", c.decl.name)));
            }
            if let Some((k, _, _)) = m.list.iter().find(|(_, _, used)| !used) {
                return Err(DecodeError::at(
                    "",
                    &format!("member {k:?} is not allowed here"),
                ));
            }
        }
    }
    Ok(v)
}

struct Decoder {
    pointer: String,
}

/// A child element rebuilt from the members, and where its value is (relative to the parent's
/// JSON pointer; `None` for a deleted wrapper, which is not in the JSON).
struct Child<'t> {
    decl: &'static ElementDecl,
    content: Content<'t>,
    at: Option<At>,
}

/// A value's place in its parent's object: member, index in the member's array, and the key of
/// a one-member map (Impact).
#[derive(Clone, Copy)]
struct At {
    member: &'static str,
    index: Option<usize>,
    alt: Option<&'static str>,
}

impl At {
    fn push_to(self, pointer: &mut String) {
        pointer.push('/');
        pointer.push_str(self.member);
        if let Some(i) = self.index {
            let _ = write!(pointer, "/{i}");
        }
        if let Some(alt) = self.alt {
            pointer.push('/');
            pointer.push_str(alt);
        }
    }
}

enum Content<'t> {
    /// The value of a member.
    Value(&'t Tree),
    /// A wrapper the data model deletes, with its children.
    Wrapper(Vec<Child<'t>>),
    /// An element carried by one of its attributes (`uid-ref`).
    Attribute(&'static str, &'t Tree),
    /// Elements of a wildcard, as XML text.
    Xml(&'t Tree),
}

/// Where a member's values go, in schema order.
enum Place {
    Element(&'static ElementDecl),
    Wrapper(&'static ElementDecl, Vec<(&'static str, Place, bool)>),
    Attribute(&'static ElementDecl, &'static str),
    Ordered(&'static [Particle]),
    Any,
}

/// The members still unread.
struct Members<'t> {
    list: Vec<(&'static str, &'t Tree, bool)>,
}

impl<'t> Members<'t> {
    fn take(&mut self, name: &str) -> Option<&'t Tree> {
        let m = self
            .list
            .iter_mut()
            .find(|(k, _, used)| *k == name && !used)?;
        m.2 = true;
        Some(m.1)
    }
}

impl Decoder {
    fn error(&self, message: impl Into<String>) -> DecodeError {
        self.error_at(None, message)
    }

    /// An error at a child's place (`None`: here).
    fn error_at(&self, at: Option<At>, message: impl Into<String>) -> DecodeError {
        let mut pointer = self.pointer.clone();
        if let Some(at) = at {
            at.push_to(&mut pointer);
        }
        DecodeError {
            pointer,
            message: message.into(),
        }
    }

    /// Runs `f` at the place of the child `at` (relative to the current pointer).
    fn in_child<T>(&mut self, at: Option<At>, f: impl FnOnce(&mut Self) -> T) -> T {
        let len = self.pointer.len();
        if let Some(at) = at {
            at.push_to(&mut self.pointer);
        }
        let out = f(self);
        self.pointer.truncate(len);
        out
    }

    fn at<T>(&mut self, step: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let mut pointer = std::mem::take(&mut self.pointer);
        let out = with_step(&mut pointer, step, |p| {
            std::mem::swap(&mut self.pointer, p);
            let out = f(self);
            std::mem::swap(&mut self.pointer, p);
            out
        });
        self.pointer = pointer;
        out
    }

    fn complex(
        &mut self,
        tree: &Tree,
        ct: &'static ComplexType,
        f: &mut dyn Fields,
        name: &'static str,
    ) -> Result<(), DecodeError> {
        let base = ct.attributes.len();
        if let (Tree::Text(s), true) = (tree, is_ml_string(ct)) {
            self.xml_chars(s)?;
            return f.slot_mut(base).set_text(s).map_err(|e| self.error(e));
        }
        let Tree::Map(list) = tree else {
            return Err(self.error(format!("{name}: expected an object, found {}", tree.kind())));
        };
        let mut m = Members {
            list: list.iter().map(|(k, v)| (*k, v, false)).collect(),
        };
        for (i, d) in ct.attributes.iter().enumerate() {
            if let Some(v) = m.take(d.name) {
                self.at(d.name, |s| {
                    let NodeMut::Scalar(kind, slot) = f.slot_mut(i).add() else {
                        return Err(s.error("an attribute of structured type"));
                    };
                    let mut text = s.lexical(v, kind)?;
                    if name == "IODEF-Document" && d.name == "version" && text == "2.0" {
                        // RFC 8727's figures say "2.0"; the schema fixes "2.00" (README).
                        text = "2.00".to_string();
                    }
                    slot.set_text(&text).map_err(|e| s.error(e))
                })?;
            }
            if let Some(partner) = d.ext {
                if let Some(v) = m.take(partner) {
                    let ext = self.at(partner, |s| s.lexical(v, Scalar::Text))?;
                    if let Err(ext) = f.slot_mut(i).set_ext(ext) {
                        if let Some(unpaired) = f.unpaired_mut() {
                            unpaired.push((partner.to_string(), ext));
                        }
                    }
                }
            }
        }
        // `ext-*` members without their `ext-value` partner (kept as the XML reader keeps them).
        if f.unpaired_mut().is_some() {
            for (k, v, used) in m.list.iter_mut() {
                if !*used && k.starts_with("ext-") {
                    if let Tree::Text(s) = v {
                        *used = true;
                        self.xml_chars(s)?;
                        if let Some(unpaired) = f.unpaired_mut() {
                            unpaired.push((k.to_string(), s.clone()));
                        }
                    }
                }
            }
        }
        match ct.content {
            ContentModel::Empty => {}
            ContentModel::Simple(_) => {
                let member = RULES.content_member(name);
                let v = m
                    .take(member)
                    .ok_or_else(|| self.error(format!("{name}: member {member:?} is missing")))?;
                self.at(member, |s| {
                    let NodeMut::Scalar(kind, slot) = f.slot_mut(base).add() else {
                        return Err(s.error("text content of structured type"));
                    };
                    let text = s.lexical(v, kind)?;
                    slot.set_text(&text).map_err(|e| s.error(e))
                })?;
            }
            ContentModel::Mixed(_) => {
                let dtype_xml = ct
                    .attributes
                    .iter()
                    .position(|a| a.name == "dtype")
                    .and_then(|i| f.slot(i))
                    .and_then(Slot::text)
                    .is_some_and(|t| t == "xml");
                if let Some(v) = m.take("value") {
                    let mixed = self.at("value", |s| s.mixed(v, dtype_xml))?;
                    if let NodeMut::Mixed(slot) = f.slot_mut(base).add() {
                        *slot = mixed;
                    }
                }
            }
            ContentModel::Elements(particles) => {
                let mut places = Vec::new();
                layout(name, particles, false, &mut places);
                let mut children = Vec::new();
                self.children(&places, &mut m, &mut children)?;
                let mut pos = 0;
                self.particles(name, particles, f, base, &children, &mut pos)?;
                if let Some(c) = children.get(pos) {
                    return Err(self.error_at(
                        c.at,
                        format!("{} is not allowed here in {name}", c.decl.name),
                    ));
                }
            }
        }
        if let Some((k, _, _)) = m.list.iter().find(|(_, _, used)| !used) {
            return Err(self.error(format!("member {k:?} is not allowed in {name}")));
        }
        Ok(())
    }

    /// The children an element would have, from the members placed in `places`.
    fn children<'t>(
        &mut self,
        places: &[(&'static str, Place, bool)],
        m: &mut Members<'t>,
        out: &mut Vec<Child<'t>>,
    ) -> Result<(), DecodeError> {
        for (member, place, repeated) in places {
            if let Place::Wrapper(decl, inner) = place {
                let mut kids = Vec::new();
                self.children(inner, m, &mut kids)?;
                if !kids.is_empty() {
                    out.push(Child {
                        decl,
                        content: Content::Wrapper(kids),
                        at: None,
                    });
                }
                continue;
            }
            let Some(v) = m.take(member) else { continue };
            let items: Vec<(Option<usize>, &Tree)> = match (v, *repeated) {
                (Tree::Array(items), true) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (Some(i), item))
                    .collect(),
                (_, true) => {
                    return Err(self.at(member, |s| s.error(format!("{member}: expected an array"))))
                }
                (Tree::Array(_), false) => {
                    return Err(self.at(member, |s| {
                        s.error(format!("{member}: expected a single value, not an array"))
                    }))
                }
                (v, false) => vec![(None, v)],
            };
            for (index, item) in items {
                let at = At {
                    member,
                    index,
                    alt: None,
                };
                let child = match place {
                    Place::Element(decl) => Child {
                        decl,
                        content: Content::Value(item),
                        at: Some(at),
                    },
                    Place::Attribute(decl, attr) => Child {
                        decl,
                        content: Content::Attribute(attr, item),
                        at: Some(at),
                    },
                    Place::Any => Child {
                        decl: &ANY_DECL,
                        content: Content::Xml(item),
                        at: Some(at),
                    },
                    Place::Ordered(alternatives) => {
                        let one = match item {
                            Tree::Map(one) => one.as_slice(),
                            _ => &[],
                        };
                        let [(alt, value)] = one else {
                            return Err(self.error_at(
                                Some(at),
                                format!("{member}: expected an object with one member"),
                            ));
                        };
                        let decl = alternatives.iter().find_map(|p| match &p.term {
                            Term::Element(d) if d.name == *alt => Some(d),
                            _ => None,
                        });
                        let Some(decl) = decl else {
                            return Err(self.error_at(
                                Some(at),
                                format!("{alt:?} is not one of the {member} kinds"),
                            ));
                        };
                        Child {
                            decl,
                            content: Content::Value(value),
                            at: Some(At {
                                alt: Some(alt),
                                ..at
                            }),
                        }
                    }
                    Place::Wrapper(..) => unreachable!("handled above"),
                };
                out.push(child);
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------------------------------
    // The recursive descent of the XML codec, over rebuilt children

    fn particles(
        &mut self,
        parent: &str,
        particles: &'static [Particle],
        f: &mut dyn Fields,
        base: usize,
        kids: &[Child<'_>],
        pos: &mut usize,
    ) -> Result<(), DecodeError> {
        for (i, p) in particles.iter().enumerate() {
            if p.min == 0 && !kids.get(*pos).is_some_and(|c| starts(&p.term, c)) {
                continue;
            }
            self.particle(parent, p, f.slot_mut(base + i), kids, pos)?;
        }
        Ok(())
    }

    fn particle(
        &mut self,
        parent: &str,
        p: &'static Particle,
        slot: &mut dyn Slot,
        kids: &[Child<'_>],
        pos: &mut usize,
    ) -> Result<(), DecodeError> {
        let mut n = 0;
        while n < p.max && kids.get(*pos).is_some_and(|c| starts(&p.term, c)) {
            self.term(parent, &p.term, slot, kids, pos)?;
            n += 1;
        }
        if n < p.min {
            let mut names = Vec::new();
            first_names(&p.term, &mut names);
            return Err(self.error(format!(
                "{parent}: member {} is missing",
                names.join(" or ")
            )));
        }
        Ok(())
    }

    /// A group value (a generated sequence struct or choice enum) itself.
    fn group(
        &mut self,
        parent: &str,
        term: &'static Term,
        g: &mut dyn Fields,
        kids: &[Child<'_>],
        pos: &mut usize,
    ) -> Result<(), DecodeError> {
        match term {
            Term::Sequence(particles) => self.particles(parent, particles, g, 0, kids, pos),
            Term::Choice(alternatives) => {
                let Some(i) = kids
                    .get(*pos)
                    .and_then(|c| alternatives.iter().position(|p| starts(&p.term, c)))
                else {
                    return Err(self.error(format!("{parent}: a required choice is missing")));
                };
                self.particle(parent, &alternatives[i], g.slot_mut(i), kids, pos)
            }
            Term::Group(inner) => self.group(parent, inner, g, kids, pos),
            Term::Element(_) | Term::Any(_) => Ok(()),
        }
    }

    fn term(
        &mut self,
        parent: &str,
        term: &'static Term,
        slot: &mut dyn Slot,
        kids: &[Child<'_>],
        pos: &mut usize,
    ) -> Result<(), DecodeError> {
        match term {
            Term::Element(d) => {
                let kid = &kids[*pos];
                *pos += 1;
                self.in_child(kid.at, |s| s.element(d, kid, slot.add()))
            }
            Term::Any(_) => {
                let kid = &kids[*pos];
                *pos += 1;
                let Content::Xml(Tree::Text(xml)) = &kid.content else {
                    return Err(self.error_at(kid.at, "expected XML content as a string"));
                };
                self.in_child(kid.at, |s| s.any_elements(xml, slot))
            }
            Term::Group(inner) => self.term(parent, inner, slot, kids, pos),
            Term::Choice(_) | Term::Sequence(_) => {
                let NodeMut::Fields(g, _) = slot.add() else {
                    return Err(self.error("a group of unexpected shape"));
                };
                self.group(parent, term, g, kids, pos)
            }
        }
    }

    fn element(
        &mut self,
        d: &'static ElementDecl,
        kid: &Child<'_>,
        node: NodeMut<'_>,
    ) -> Result<(), DecodeError> {
        match (&kid.content, node) {
            (Content::Value(v), NodeMut::Scalar(kind, slot)) => {
                let text = self.lexical(v, kind)?;
                slot.set_text(&text).map_err(|e| self.error(e))
            }
            (Content::Value(v), NodeMut::Fields(f, Desc::Complex(TypeDef::Complex(ct))))
                if RULES.content_bytes.contains(&(d.ns, d.name)) =>
            {
                for (i, a) in ct.attributes.iter().enumerate() {
                    if let Some(fixed) = a.fixed {
                        f.slot_mut(i).set_text(fixed).map_err(|e| self.error(e))?;
                    }
                }
                let bytes = self.bytes(v)?;
                let xml = String::from_utf8(bytes)
                    .map_err(|_| self.error(format!("{}: the bytes are not UTF-8 XML", d.name)))?;
                self.any_elements(&xml, f.slot_mut(ct.attributes.len()))
            }
            (Content::Value(v), NodeMut::Fields(f, Desc::Complex(ty)))
                if RULES.xml_bytes.contains(&d.ns) =>
            {
                // xmldsig: BYTE holding the element's XML.
                let bytes = self.bytes(v)?;
                let mut r = XmlReader::new(&bytes);
                let el = r
                    .root()
                    .map_err(|e| self.error(format!("{}: {e}", d.name)))?;
                if !r.is(&el, d.ns, d.name) {
                    return Err(self.error(format!("{}: the bytes hold another element", d.name)));
                }
                crate::codec::read_fields(&mut r, &el, ty, f)
                    .and_then(|()| r.finish())
                    .map_err(|e| self.error(format!("{}: {e}", d.name)))
            }
            (Content::Value(v), NodeMut::Fields(f, Desc::Complex(TypeDef::Complex(ct)))) => {
                self.complex(v, ct, f, d.name)
            }
            (Content::Value(v), NodeMut::Any(a)) => {
                // An element of `xs:anyType` (BulkObservableList): text content.
                *a = AnyElement {
                    ns: Some(d.ns.to_string()).filter(|ns| !ns.is_empty()),
                    local: d.name.to_string(),
                    children: self.mixed(v, false)?,
                    ..AnyElement::default()
                };
                Ok(())
            }
            (Content::Wrapper(kids), NodeMut::Fields(w, Desc::Complex(TypeDef::Complex(ct)))) => {
                let ContentModel::Elements(particles) = ct.content else {
                    return Err(self.error("a wrapper without element content"));
                };
                let mut pos = 0;
                self.particles(d.name, particles, w, ct.attributes.len(), kids, &mut pos)?;
                match kids.get(pos) {
                    Some(c) => {
                        Err(self.error_at(c.at, format!("{} is not allowed here", c.decl.name)))
                    }
                    None => Ok(()),
                }
            }
            (
                Content::Attribute(attr, v),
                NodeMut::Fields(r, Desc::Complex(TypeDef::Complex(ct))),
            ) => {
                let i = ct.attributes.iter().position(|a| a.name == *attr);
                let text = self.lexical(v, Scalar::Text)?;
                match i {
                    Some(i) => r.slot_mut(i).set_text(&text).map_err(|e| self.error(e)),
                    None => Err(self.error(format!("{} has no attribute {attr}", d.name))),
                }
            }
            _ => Err(self.error(format!("{}: a value of unexpected shape", d.name))),
        }
    }

    /// The lexical form of a simple value of kind `kind`.
    fn lexical(&self, v: &Tree, kind: Scalar) -> Result<String, DecodeError> {
        let text = self.lexical_any(v, kind)?;
        self.xml_chars(&text)?;
        Ok(text)
    }

    /// A string XML 1.0 can carry (JSON and CBOR strings can hold any code point; an IODEF
    /// document cannot, so such a value is refused here rather than lost when written).
    fn xml_chars(&self, text: &str) -> Result<(), DecodeError> {
        match text.chars().find(|c| !crate::is_xml_char(*c)) {
            None => Ok(()),
            Some(c) => Err(self.error(format!(
                "U+{:04X} cannot be carried by IODEF (XML 1.0 has no such character)",
                c as u32
            ))),
        }
    }

    fn lexical_any(&self, v: &Tree, kind: Scalar) -> Result<String, DecodeError> {
        let wrong = || self.error(format!("expected {}, found {}", expected(kind), v.kind()));
        Ok(match (kind, v) {
            (Scalar::Integer, Tree::Int(i)) => i.to_string(),
            (Scalar::Float | Scalar::Double, Tree::Int(i)) => i.to_string(),
            (Scalar::Float | Scalar::Double, Tree::Float32(f)) => {
                float_text(f64::from(*f), Some(*f))
            }
            (Scalar::Float, Tree::Float(f)) => {
                let single = *f as f32;
                float_text(*f, (f64::from(single) == *f).then_some(single))
            }
            (Scalar::Double, Tree::Float(f)) => float_text(*f, None),
            // Infinities and NaN travel as strings in JSON (see the encoder).
            (Scalar::Float | Scalar::Double, Tree::Text(s))
                if matches!(s.as_str(), "INF" | "-INF" | "NaN") =>
            {
                s.clone()
            }
            (Scalar::Boolean, Tree::Bool(b)) => b.to_string(),
            (Scalar::Base64 | Scalar::Hex, Tree::Bytes(_) | Tree::Text(_)) => {
                let bytes = self.bytes(v)?;
                match kind {
                    Scalar::Hex => {
                        crate::SimpleValue::to_xml(&crate::HexBinary(bytes)).into_owned()
                    }
                    _ => crate::SimpleValue::to_xml(&crate::Base64Binary(bytes)).into_owned(),
                }
            }
            (Scalar::Text | Scalar::DateTime, Tree::Text(s) | Tree::Date(s) | Tree::Uri(s)) => {
                s.clone()
            }
            _ => return Err(wrong()),
        })
    }

    /// BYTE: a byte string (CBOR), or base64 text (JSON).
    fn bytes(&self, v: &Tree) -> Result<Vec<u8>, DecodeError> {
        match v {
            Tree::Bytes(b) => Ok(b.clone()),
            Tree::Text(s) => crate::Base64Binary::parse(s)
                .map(|b| b.0)
                .map_err(|e| self.error(e)),
            other => Err(self.error(format!("expected bytes, found {}", other.kind()))),
        }
    }

    /// ExtensionType content: text, or XML when `dtype` is `xml`.
    fn mixed(&self, v: &Tree, xml: bool) -> Result<Mixed, DecodeError> {
        let text = self.lexical(v, Scalar::Text)?;
        if !xml {
            return Ok(Mixed(if text.is_empty() {
                Vec::new()
            } else {
                vec![MixedNode::Text(text)]
            }));
        }
        let wrapped = format!("<x>{text}</x>");
        let mut r = XmlReader::new(wrapped.as_bytes());
        r.root()
            .and_then(|el| r.read_mixed(&el))
            .and_then(|m| r.finish().map(|()| m))
            .map_err(|e| self.error(format!("XML content (dtype \"xml\"): {e}")))
    }

    /// A wildcard's elements from XML text.
    fn any_elements(&self, xml: &str, slot: &mut dyn Slot) -> Result<(), DecodeError> {
        let wrapped = format!("<x>{xml}</x>");
        let mut r = XmlReader::new(wrapped.as_bytes());
        let parsed: Result<Vec<AnyElement>, crate::Error> = (|| {
            let root = r.root()?;
            let mut out = Vec::new();
            while let Some(c) = r.next_child(&root)? {
                out.push(r.read_any(&c)?);
            }
            r.finish()?;
            Ok(out)
        })();
        for element in parsed.map_err(|e| self.error(format!("XML content: {e}")))? {
            if let NodeMut::Any(a) = slot.add() {
                *a = element;
            }
        }
        Ok(())
    }
}

/// The declaration standing for a wildcard's content among rebuilt children.
static ANY_DECL: ElementDecl = ElementDecl {
    ns: "",
    name: "value",
    ty: &crate::schema::ANY_TYPE,
    type_name: None,
};

/// Where each member of an element with content `particles` goes, in schema order; `repeated`
/// says whether its value is an array (the same rule as the encoder's).
fn layout(
    parent: &'static str,
    particles: &'static [Particle],
    repeated: bool,
    out: &mut Vec<(&'static str, Place, bool)>,
) {
    for p in particles {
        layout_term(parent, &p.term, repeated || p.max > 1, out);
    }
}

fn layout_term(
    parent: &'static str,
    term: &'static Term,
    repeated: bool,
    out: &mut Vec<(&'static str, Place, bool)>,
) {
    match term {
        Term::Element(d) => {
            if RULES.unwraps(d.ns, d.name) {
                if let TypeDef::Complex(ComplexType {
                    content: ContentModel::Elements(inner),
                    ..
                }) = d.ty
                {
                    let mut places = Vec::new();
                    layout(parent, inner, repeated, &mut places);
                    out.push((d.name, Place::Wrapper(d, places), false));
                }
            } else if let Some(attr) = RULES.attribute_for(d.ns, d.name) {
                out.push((attr, Place::Attribute(d, attr), repeated));
            } else {
                out.push((
                    RULES.member(parent, d.ns, d.name),
                    Place::Element(d),
                    repeated,
                ));
            }
        }
        Term::Any(_) => out.push(("value", Place::Any, false)),
        Term::Group(inner) => layout_term(parent, inner, repeated, out),
        Term::Choice(alternatives) => match ordered_choice(alternatives) {
            Some(member) => out.push((member, Place::Ordered(alternatives), true)),
            None => {
                for p in alternatives.iter() {
                    layout_term(parent, &p.term, repeated || p.max > 1, out);
                }
            }
        },
        Term::Sequence(particles) => {
            for (i, p) in particles.iter().enumerate() {
                let lead = i == 0 && matches!(p.term, Term::Group(_));
                layout_term(
                    parent,
                    &p.term,
                    if lead { repeated } else { p.max > 1 },
                    out,
                );
            }
        }
    }
}

/// Whether the rebuilt child `c` can start `term`.
fn starts(term: &Term, c: &Child<'_>) -> bool {
    match term {
        Term::Element(d) => d.name == c.decl.name && d.ns == c.decl.ns,
        Term::Any(_) => std::ptr::eq(c.decl, &ANY_DECL),
        Term::Group(inner) => starts(inner, c),
        Term::Choice(ps) => ps.iter().any(|p| starts(&p.term, c)),
        Term::Sequence(ps) => {
            for p in ps.iter() {
                if starts(&p.term, c) {
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

fn expected(kind: Scalar) -> &'static str {
    match kind {
        Scalar::Text => "a string",
        Scalar::Integer => "an integer",
        Scalar::Float | Scalar::Double => "a number",
        Scalar::Boolean => "a boolean",
        Scalar::DateTime => "a date-time string",
        Scalar::Base64 | Scalar::Hex => "bytes (base64 in JSON)",
    }
}

/// A number's XML lexical form: the shortest that reads back the same (as f32 when it is one).
fn float_text(f: f64, single: Option<f32>) -> String {
    match single {
        Some(s) => s.to_string(),
        None => f.to_string(),
    }
}
