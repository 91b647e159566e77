//! Typed value → [`Tree`], from the descriptions, reporting what the data model cannot carry.

use std::fmt::Write as _;

use super::tree::Tree;
use super::{keys, Loss, LossKind, IODEF2_NS, RULES};
use crate::codec::{Composite, Desc, Fields, Node, Slot};
use crate::extra::{Extra, ExtraNode};
use crate::schema::{ComplexType, ContentModel, ElementDecl, Particle, Term, TypeDef};
use crate::{Document, Misc, MixedNode, Scalar, XmlWriter};

/// The format the tree is for: JSON cannot carry what CBOR can (integers beyond 2^53 for
/// common readers, infinities and NaN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// RFC 8727 JSON.
    Json,
    /// RFC 8727 CBOR.
    Cbor,
}

/// Maps the root value `root` of `doc` (an IODEF 2.0 `IODEF-Document`) to the RFC 8727 data
/// model, with everything that it could not carry.
pub fn encode<T: Composite, R>(doc: &Document<R>, root: &T, target: Target) -> (Tree, Vec<Loss>) {
    let mut e = Encoder {
        losses: Vec::new(),
        path: vec![("IODEF-Document", 0)],
        target,
    };
    for misc in doc.prolog.iter().chain(&doc.epilog) {
        e.lose(
            LossKind::Dropped,
            match misc {
                Misc::Comment(_) => "a comment outside the root element",
                Misc::ProcessingInstruction(_) => {
                    "a processing instruction outside the root element"
                }
            },
        );
    }
    for (name, value) in [
        ("xsi:schemaLocation", &doc.xsi.schema_location),
        (
            "xsi:noNamespaceSchemaLocation",
            &doc.xsi.no_namespace_schema_location,
        ),
    ] {
        if value.is_some() {
            e.lose(LossKind::Dropped, &format!("attribute {name}"));
        }
    }
    let tree = match T::DESC {
        Desc::Complex(TypeDef::Complex(ct)) => e.complex(root, ct, "IODEF-Document"),
        _ => Tree::Map(Vec::new()),
    };
    (tree, e.losses)
}

/// Maps one value of a generated type (its serde `Serialize`). The rules that depend on the
/// element's name use the IODEF 2.0 global element of its type, if there is one.
pub(crate) fn encode_value<T: Composite>(v: &T, target: Target) -> (Tree, Vec<Loss>) {
    let name = super::element_name(T::DESC);
    let mut e = Encoder {
        losses: Vec::new(),
        path: vec![(name, 0)],
        target,
    };
    let tree = match T::DESC {
        Desc::Complex(TypeDef::Complex(ct)) => e.complex(v, ct, name),
        Desc::Complex(_) => Tree::Map(Vec::new()),
        Desc::Group(term) => {
            let mut map = Members::default();
            e.group(name, term, v, &mut map);
            Tree::Map(map.list)
        }
    };
    (tree, e.losses)
}

struct Encoder {
    losses: Vec<Loss>,
    /// XML path of the element being mapped: (name, 0-based index among its field's values),
    /// made text only for a loss.
    path: Vec<(&'static str, usize)>,
    target: Target,
}

/// The members of a class being built.
#[derive(Default)]
struct Members {
    list: Vec<(&'static str, Tree)>,
    /// The member added last: an array extended after another member was added means that
    /// children of different kinds were interleaved, an order the model does not keep.
    last: Option<&'static str>,
}

impl Encoder {
    fn lose(&mut self, kind: LossKind, what: &str) {
        let mut path = String::new();
        for (i, (name, index)) in self.path.iter().enumerate() {
            let _ = match i {
                0 => write!(path, "/{name}"),
                _ => write!(path, "/{name}[{}]", index + 1),
            };
        }
        self.losses.push(Loss {
            path,
            kind,
            what: what.to_string(),
        });
    }

    /// Runs `f` with the path of child `name` (`index` 0-based among the values of its field).
    fn at<T>(&mut self, name: &'static str, index: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        self.path.push((name, index));
        let out = f(self);
        self.path.pop();
        out
    }

    fn push(&mut self, map: &mut Members, name: &'static str, value: Tree, repeated: bool) {
        if keys::intern(name).is_none() {
            self.lose(
                LossKind::Dropped,
                &format!("{name}: RFC 8727 has no member of this name"),
            );
            return;
        }
        let existing = map.list.iter_mut().find(|(k, _)| *k == name);
        match (existing, repeated) {
            (Some((_, Tree::Array(items))), true) => {
                items.push(value);
                if map.last != Some(name) {
                    self.lose(
                        LossKind::Order,
                        &format!(
                        "{name}: the order of these children relative to the others is not kept \
                         (the data model lists each kind separately)"
                    ),
                    );
                }
            }
            (Some(_), _) => self.lose(
                LossKind::Dropped,
                &format!(
                "{name}: a second value, which the data model does not allow (only one is kept)"
            ),
            ),
            (None, true) => map.list.push((name, Tree::Array(vec![value]))),
            (None, false) => map.list.push((name, value)),
        }
        map.last = Some(name);
    }

    /// The class of an element of complex type `ct`.
    fn complex(&mut self, f: &dyn Fields, ct: &'static ComplexType, name: &'static str) -> Tree {
        let mut map = Members::default();
        let base = ct.attributes.len();
        // Text content first (`"id"` before `"name"`, as the RFC's figures have it).
        if let ContentModel::Simple(ty) = ct.content {
            if let Some(Node::Scalar { kind, text, .. }) = f.slot(base).and_then(|s| s.node(0)) {
                let value = self.scalar(kind, &collapsed(ty, &text), false);
                self.push(&mut map, RULES.content_member(name), value, false);
            }
        }
        for (i, d) in ct.attributes.iter().enumerate() {
            let Some(Node::Scalar { kind, text, ext }) = f.slot(i).and_then(|s| s.node(0)) else {
                continue;
            };
            let value = self.scalar(kind, &collapsed(d.ty, &text), false);
            self.push(&mut map, d.name, value, false);
            if let (Some(partner), Some(ext)) = (d.ext, ext.filter(|e| !e.is_empty())) {
                self.push(&mut map, partner, Tree::Text(ext.to_string()), false);
            }
        }
        if let Some(unpaired) = f.unpaired() {
            for (attr, value) in unpaired {
                match keys::intern(attr) {
                    Some(member) => self.push(&mut map, member, Tree::Text(value.clone()), false),
                    None => self.lose(LossKind::Dropped, &format!("attribute {attr}")),
                }
            }
        }
        if let Some(extra) = f.extra() {
            self.extra(extra);
        }
        match ct.content {
            ContentModel::Empty => {}
            ContentModel::Simple(_) => {
                // ML_STRING without lang or translation-id is a plain string (Section 3.2).
                if map.list.len() == 1 && is_ml_string(ct) {
                    if let Some((_, value)) = map.list.pop() {
                        return value;
                    }
                }
            }
            ContentModel::Mixed(_) => {
                if let Some(Node::Mixed(mixed)) = f.slot(base).and_then(|s| s.node(0)) {
                    let text = self.mixed_text(mixed);
                    self.push(&mut map, "value", Tree::Text(text), false);
                }
            }
            ContentModel::Elements(particles) => {
                self.particles(name, particles, f, base, &mut map, false)
            }
        }
        for (_, member, value) in RULES
            .values_gone
            .iter()
            .filter(|(class, ..)| *class == name)
        {
            if let Some((_, Tree::Text(v))) = map.list.iter().find(|(k, _)| k == member) {
                if v == value {
                    self.lose(
                        LossKind::Invalid,
                        &format!(
                            "{member} {value:?} of RFC 7970 is not an RFC 8727 value: the output \
                             is not valid RFC 8727 here"
                        ),
                    );
                }
            }
        }
        for (_, members) in RULES.exclusive.iter().filter(|(class, _)| *class == name) {
            if members.iter().all(|m| map.list.iter().any(|(k, _)| k == m)) {
                self.lose(
                    LossKind::Invalid,
                    &format!(
                        "RFC 8727 allows {} in {name}, not both (RFC 7970's schema does): the \
                         output is not valid RFC 8727 here",
                        members.join(" or ")
                    ),
                );
            }
        }
        for (_, any_of) in RULES.requires.iter().filter(|(class, _)| *class == name) {
            if !map.list.iter().any(|(k, _)| any_of.contains(k)) {
                self.lose(
                    LossKind::Invalid,
                    &format!(
                        "RFC 8727 requires {} in {name}, which RFC 7970's schema does not: the \
                         output is not valid RFC 8727 here",
                        any_of.join(" or ")
                    ),
                );
            }
        }
        Tree::Map(map.list)
    }

    fn particles(
        &mut self,
        parent: &'static str,
        particles: &'static [Particle],
        f: &dyn Fields,
        base: usize,
        map: &mut Members,
        repeated: bool,
    ) {
        for (i, p) in particles.iter().enumerate() {
            if let Some(slot) = f.slot(base + i) {
                self.term(parent, &p.term, slot, map, repeated || p.max > 1);
            }
        }
    }

    /// The members of a group value (a generated sequence struct or choice enum) itself.
    fn group(
        &mut self,
        parent: &'static str,
        term: &'static Term,
        g: &dyn Fields,
        map: &mut Members,
    ) {
        match term {
            Term::Sequence(particles) => self.particles(parent, particles, g, 0, map, false),
            Term::Choice(alternatives) => {
                if let Some((i, held)) =
                    (0..alternatives.len()).find_map(|i| g.slot(i).map(|s| (i, s)))
                {
                    let p = &alternatives[i];
                    self.term(parent, &p.term, held, map, p.max > 1);
                }
            }
            Term::Group(inner) => self.group(parent, inner, g, map),
            Term::Element(_) | Term::Any(_) => {}
        }
    }

    fn term(
        &mut self,
        parent: &'static str,
        term: &'static Term,
        slot: &dyn Slot,
        map: &mut Members,
        repeated: bool,
    ) {
        match term {
            Term::Element(d) => self.element(parent, d, slot, map, repeated),
            Term::Any(_) => {
                // SoftwareReference's content: the model has a `value` string.
                let mut xml = String::new();
                for k in 0..slot.count() {
                    if let Some(Node::Any(a)) = slot.node(k) {
                        let mut w = XmlWriter::new(&[]);
                        if a.write(&mut w).is_ok() {
                            xml.push_str(&w.into_string());
                        }
                    }
                }
                if !xml.is_empty() {
                    self.lose(
                        LossKind::Form,
                        "XML content written as a string (its namespace prefixes are not kept)",
                    );
                    self.push(map, "value", Tree::Text(xml), false);
                }
            }
            Term::Group(inner) => self.term(parent, inner, slot, map, repeated),
            Term::Choice(alternatives) => {
                for k in 0..slot.count() {
                    let Some(Node::Fields(g, _)) = slot.node(k) else {
                        continue;
                    };
                    let Some((i, held)) =
                        (0..alternatives.len()).find_map(|i| g.slot(i).map(|s| (i, s)))
                    else {
                        continue;
                    };
                    let p = &alternatives[i];
                    match (ordered_choice(alternatives), &p.term) {
                        (Some(member), Term::Element(d)) => {
                            // Kept in order as one-member maps (Assessment's `Impact`).
                            let mut one = Members::default();
                            self.element(parent, d, held, &mut one, false);
                            self.push(map, member, Tree::Map(one.list), true);
                        }
                        _ => self.term(parent, &p.term, held, map, repeated || p.max > 1),
                    }
                }
            }
            Term::Sequence(particles) => {
                for k in 0..slot.count() {
                    let Some(Node::Fields(g, _)) = slot.node(k) else {
                        continue;
                    };
                    for (i, p) in particles.iter().enumerate() {
                        let Some(s) = g.slot(i) else { continue };
                        // A repeated sequence (IndicatorExpression's): the choice that starts
                        // each repetition lists its values in arrays; the rest is the class's
                        // once, as the CDDL has it.
                        let lead = i == 0 && matches!(p.term, Term::Group(_));
                        let rep = if lead { repeated } else { p.max > 1 };
                        self.term(parent, &p.term, s, map, rep);
                    }
                }
            }
        }
    }

    fn element(
        &mut self,
        parent: &'static str,
        d: &'static ElementDecl,
        slot: &dyn Slot,
        map: &mut Members,
        repeated: bool,
    ) {
        let count = slot.count();
        if RULES.unwraps(d.ns, d.name) {
            if count > 1 {
                self.lose(LossKind::Order, &format!(
                    "{count} {} elements: their children are listed together, the grouping is not kept",
                    d.name
                ));
            }
            for k in 0..count {
                let Some(Node::Fields(w, Desc::Complex(TypeDef::Complex(ct)))) = slot.node(k)
                else {
                    continue;
                };
                self.at(d.name, k, |e| {
                    if let Some(extra) = w.extra() {
                        e.extra(extra);
                    }
                    if let ContentModel::Elements(ps) = ct.content {
                        e.particles(parent, ps, w, ct.attributes.len(), map, repeated);
                    }
                });
            }
            return;
        }
        if let Some(attr) = RULES.attribute_for(d.ns, d.name) {
            for k in 0..count {
                let Some(Node::Fields(r, Desc::Complex(TypeDef::Complex(ct)))) = slot.node(k)
                else {
                    continue;
                };
                self.at(d.name, k, |e| {
                    if let Some(extra) = r.extra() {
                        e.extra(extra);
                    }
                    let i = ct.attributes.iter().position(|a| a.name == attr);
                    if let Some(text) = i.and_then(|i| r.slot(i)).and_then(Slot::text) {
                        e.push(map, attr, Tree::Text(text.into_owned()), repeated);
                    }
                });
            }
            return;
        }
        let member = RULES.member(parent, d.ns, d.name);
        for k in 0..count {
            let Some(node) = slot.node(k) else { continue };
            let value = self.at(d.name, k, |e| e.value(d, node));
            if let Some(value) = value {
                self.push(map, member, value, repeated);
            }
        }
    }

    fn value(&mut self, d: &'static ElementDecl, node: Node<'_>) -> Option<Tree> {
        match node {
            Node::Scalar { kind, text, .. } => {
                let uri = d.ns == IODEF2_NS && RULES.uri.contains(&d.name);
                Some(self.scalar(kind, &collapsed(d.ty, &text), uri))
            }
            Node::Fields(f, Desc::Complex(TypeDef::Complex(ct)))
                if RULES.content_bytes.contains(&(d.ns, d.name)) =>
            {
                for (i, a) in ct.attributes.iter().enumerate() {
                    if a.fixed.is_none() && f.slot(i).and_then(Slot::text).is_some() {
                        self.lose(
                            LossKind::Dropped,
                            &format!("attribute {} of {}", a.name, d.name),
                        );
                    }
                }
                let mut w = XmlWriter::new(&[]);
                if let Some(slot) = f.slot(ct.attributes.len()) {
                    for k in 0..slot.count() {
                        if let Some(Node::Any(a)) = slot.node(k) {
                            if a.write(&mut w).is_err() {
                                self.lose(LossKind::Dropped, "XML content that cannot be written");
                            }
                        }
                    }
                }
                self.lose(
                    LossKind::Form,
                    &format!(
                        "{}: its XML content written as bytes (namespace prefixes not kept)",
                        d.name
                    ),
                );
                Some(Tree::Bytes(w.into_bytes()))
            }
            Node::Fields(f, Desc::Complex(ty)) if RULES.xml_bytes.contains(&d.ns) => {
                // xmldsig elements: BYTE holding their XML (RFC 8727 Section 3.3).
                let mut w = XmlWriter::new(&[]);
                if crate::codec::write_fields(&mut w, d.ns, d.name, ty, f).is_err() {
                    self.lose(
                        LossKind::Dropped,
                        "an XML Signature element that cannot be written",
                    );
                    return None;
                }
                self.lose(
                    LossKind::Form,
                    &format!(
                        "{}: written as the bytes of its XML (not byte-exact to the input)",
                        d.name
                    ),
                );
                Some(Tree::Bytes(w.into_bytes()))
            }
            Node::Fields(f, Desc::Complex(TypeDef::Complex(ct))) => {
                Some(self.complex(f, ct, d.name))
            }
            // An element of `xs:anyType` (BulkObservableList): its content as a string.
            Node::Any(a) => {
                if !a.attributes.is_empty() {
                    self.lose(LossKind::Dropped, &format!("the attributes of {}", d.name));
                }
                Some(Tree::Text(self.mixed_text(&a.children)))
            }
            Node::Fields(..) | Node::Mixed(_) => {
                self.lose(LossKind::Dropped, "a value of unexpected shape");
                None
            }
        }
    }

    /// A simple value as its data-model type; lexical detail the model drops is reported.
    fn scalar(&mut self, kind: Scalar, text: &str, uri: bool) -> Tree {
        let t = crate::trim_ws(text);
        match kind {
            Scalar::Text if uri => Tree::Uri(text.to_string()),
            Scalar::Text => Tree::Text(text.to_string()),
            Scalar::DateTime => Tree::Date(t.to_string()),
            Scalar::Boolean => {
                let b = t == "true" || t == "1";
                if t != "true" && t != "false" {
                    self.lose(LossKind::Form, &format!("boolean {t:?} written as {b}"));
                }
                Tree::Bool(b)
            }
            Scalar::Integer => match t.parse::<i128>() {
                Ok(i) => {
                    if i.to_string() != t {
                        self.lose(
                            LossKind::Form,
                            &format!("the lexical form {t:?} of an integer (written as {i})"),
                        );
                    }
                    if self.target == Target::Json && i.unsigned_abs() > 1 << 53 {
                        self.lose(
                            LossKind::Form,
                            &format!("integer {i} is beyond 2^53: many JSON readers round it"),
                        );
                    }
                    Tree::Int(i)
                }
                Err(_) => {
                    self.lose(
                        LossKind::Form,
                        &format!("integer {t} is beyond 128 bits: written as a string"),
                    );
                    Tree::Text(t.to_string())
                }
            },
            Scalar::Float | Scalar::Double => {
                let value = match t {
                    "INF" | "+INF" => f64::INFINITY,
                    "-INF" => f64::NEG_INFINITY,
                    "NaN" => f64::NAN,
                    _ => t.parse::<f64>().unwrap_or(f64::NAN),
                };
                if !value.is_finite() && self.target == Target::Json {
                    self.lose(
                        LossKind::Form,
                        &format!("{t} is not a JSON number: written as a string"),
                    );
                    return Tree::Text(t.to_string());
                }
                let tree = if kind == Scalar::Float {
                    Tree::Float32(t.parse::<f32>().unwrap_or(value as f32))
                } else {
                    Tree::Float(value)
                };
                let written = tree.to_json_string(false);
                if value.is_finite() && written != t {
                    self.lose(
                        LossKind::Form,
                        &format!("the lexical form {t:?} of a number (written as {written})"),
                    );
                }
                tree
            }
            Scalar::Base64 => match crate::Base64Binary::parse(t) {
                Ok(b) => {
                    if crate::SimpleValue::to_xml(&b) != t {
                        self.lose(
                            LossKind::Form,
                            "the line breaks or spacing of a base64 value",
                        );
                    }
                    Tree::Bytes(b.0)
                }
                Err(_) => Tree::Text(t.to_string()),
            },
            Scalar::Hex => match crate::HexBinary::parse(t) {
                Ok(b) => Tree::Bytes(b.0),
                Err(_) => Tree::Text(t.to_string()),
            },
        }
    }

    /// Mixed content (ExtensionType) as the `value` string: its text, or its XML when it holds
    /// elements (RFC 8727 Section 3.2: the content of `dtype="xml"` is a string).
    fn mixed_text(&mut self, mixed: &crate::Mixed) -> String {
        if mixed.0.iter().all(|n| matches!(n, MixedNode::Text(_))) {
            return mixed
                .0
                .iter()
                .filter_map(|n| match n {
                    MixedNode::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
        }
        self.lose(
            LossKind::Form,
            "XML content written as a string (its namespace prefixes are not kept)",
        );
        let mut w = XmlWriter::new(&[]);
        if mixed.write(&mut w).is_err() {
            self.lose(LossKind::Dropped, "XML content that cannot be written");
        }
        w.into_string()
    }

    /// What the typed fields did not hold: none of it has a place in the data model.
    fn extra(&mut self, extra: &Extra) {
        let Some(data) = extra.get() else { return };
        for a in &data.attributes {
            let name = match &a.prefix {
                Some(p) => format!("{p}:{}", a.local),
                None => a.local.clone(),
            };
            self.lose(LossKind::Dropped, &format!("attribute {name}"));
        }
        for n in &data.nodes {
            match &n.node {
                ExtraNode::Comment(_) => self.lose(LossKind::Dropped, "a comment"),
                ExtraNode::ProcessingInstruction(_) => {
                    self.lose(LossKind::Dropped, "a processing instruction")
                }
                ExtraNode::Text(_) => {
                    self.lose(LossKind::Dropped, "text the schema does not allow here")
                }
                ExtraNode::Element(e) => self.lose(
                    LossKind::Dropped,
                    &format!("element {} the schema does not allow here", e.local),
                ),
                ExtraNode::Child(inner) => self.extra(inner),
            }
        }
    }
}

/// The value of `text` for its simple type: the built-in types with a lexical rule (ID,
/// IDREF, NCName, NMTOKEN, language) collapse whitespace (XSD `whiteSpace="collapse"`), so
/// `<IndicatorID> G1 </IndicatorID>` has the value `G1`.
fn collapsed<'t>(ty: &TypeDef, text: &'t str) -> std::borrow::Cow<'t, str> {
    match ty {
        TypeDef::Simple(st) if st.lexical.is_some() => crate::collapse_ws(text),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// ML_STRING (and PAddress): text with at most `xml:lang` and `translation-id`.
pub(crate) fn is_ml_string(ct: &ComplexType) -> bool {
    matches!(ct.content, ContentModel::Simple(_))
        && !ct.attributes.is_empty()
        && ct
            .attributes
            .iter()
            .all(|a| a.name == "lang" || a.name == "translation-id")
}

/// The member of a choice kept in order as one-member maps, if `alternatives` is one.
pub(crate) fn ordered_choice(alternatives: &[Particle]) -> Option<&'static str> {
    let Some(Particle {
        term: Term::Element(first),
        ..
    }) = alternatives.first()
    else {
        return None;
    };
    RULES
        .ordered_choice
        .iter()
        .find(|(alt, _)| first.ns == IODEF2_NS && *alt == first.name)
        .map(|(_, member)| *member)
}
