//! Schema tables: what the generator knows about each type, as static data that the validator
//! ([`super::validate`]) interprets. Every generated module has a `schema` submodule with one
//! static per type (named like the type) and `ELEMENTS`, its global element declarations.
//!
//! Simple types point at the parse function of their generated Rust type, so the validator and
//! the typed reader accept exactly the same values.

use std::fmt::Write as _;
use std::sync::OnceLock;

use super::glue::{check_lexical, AnyNs, Lexical};
use super::SimpleValue;

/// `maxOccurs="unbounded"`.
pub const UNBOUNDED: u32 = u32::MAX;

/// An element declaration: its name and type.
#[derive(Debug)]
pub struct ElementDecl {
    /// Namespace URI ("" for unqualified local elements).
    pub ns: &'static str,
    /// Local name.
    pub name: &'static str,
    /// Its type.
    pub ty: &'static TypeDef,
    /// The name of its type (namespace URI, local name) when the declaration names one
    /// (`type="..."`) and the generator recorded it (global declarations); `None` for an
    /// anonymous type. `xsi:type` may name exactly this type.
    pub type_name: Option<(&'static str, &'static str)>,
}

/// A type definition.
#[derive(Debug)]
pub enum TypeDef {
    /// Text only, no attributes.
    Simple(SimpleType),
    /// Attributes and a content model.
    Complex(ComplexType),
    /// `xs:anyType`: any attributes and content; child elements are checked when a global
    /// declaration of theirs is known (lax).
    Any,
}

/// How a simple value takes part in `xs:ID` / `xs:IDREF` bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdRole {
    /// An ordinary value.
    Plain,
    /// `xs:ID`: unique in the document.
    Id,
    /// `xs:IDREF`: names an `xs:ID` of the document.
    IdRef,
}

/// A simple type: a check of the text (whitespace processing included) and its ID role.
pub struct SimpleType {
    /// Checks a value; `Err` is the reason in plain words.
    pub check: fn(&str) -> Result<(), String>,
    /// ID bookkeeping.
    pub role: IdRole,
    /// The lexical rule of a built-in type kept as a `String` (NCName, ID, language, ...): the
    /// typed reader checks it (its `String` parse accepts anything) and notes IDs and IDREFs.
    pub lexical: Option<Lexical>,
}

impl std::fmt::Debug for SimpleType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimpleType")
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// The check of a generated (or runtime) value type `T`: it parses.
pub fn check<T: SimpleValue>(text: &str) -> Result<(), String> {
    T::parse_xml(text).map(drop)
}

/// A complex type: attributes and content. The content automaton is built on first use.
#[derive(Debug)]
pub struct ComplexType {
    /// Declared attributes.
    pub attributes: &'static [AttributeDecl],
    /// The content model.
    pub content: ContentModel,
    automaton: OnceLock<Automaton>,
}

impl ComplexType {
    /// A complex type (used by generated tables).
    pub const fn new(attributes: &'static [AttributeDecl], content: ContentModel) -> Self {
        ComplexType {
            attributes,
            content,
            automaton: OnceLock::new(),
        }
    }

    /// The automaton of the content particles (`None` for empty and simple content).
    pub(crate) fn automaton(&self) -> Option<&Automaton> {
        match self.content {
            ContentModel::Elements(p) | ContentModel::Mixed(p) => {
                Some(self.automaton.get_or_init(|| Automaton::build(p)))
            }
            ContentModel::Empty | ContentModel::Simple(_) => None,
        }
    }
}

/// What an element of a complex type contains.
#[derive(Debug)]
pub enum ContentModel {
    /// No content (whitespace is tolerated).
    Empty,
    /// Text of a simple type.
    Simple(&'static TypeDef),
    /// Element-only content: this sequence of particles.
    Elements(&'static [Particle]),
    /// Text interleaved with elements matching this sequence of particles.
    Mixed(&'static [Particle]),
}

/// An attribute declaration.
#[derive(Debug)]
pub struct AttributeDecl {
    /// Namespace URI ("" for unqualified attributes).
    pub ns: &'static str,
    /// Local name.
    pub name: &'static str,
    /// Its (simple) type.
    pub ty: &'static TypeDef,
    /// `use="required"`.
    pub required: bool,
    /// `fixed="..."`.
    pub fixed: Option<&'static str>,
    /// The optional unqualified `ext-*` partner (an `xs:string`) whose value replaces the
    /// `ext-value` member of this attribute's enumeration (RFC 7970 §5.1.1).
    pub ext: Option<&'static str>,
}

impl AttributeDecl {
    /// Whether an attribute `{ns}local` is the `ext-*` partner of this one.
    pub fn is_ext(&self, ns: &str, local: &str) -> bool {
        ns.is_empty() && self.ext == Some(local)
    }

    /// This attribute in namespace `ns` (e.g. `xml:lang`).
    pub const fn ns(mut self, ns: &'static str) -> Self {
        self.ns = ns;
        self
    }

    /// This attribute, `use="required"`.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// This attribute, `fixed="value"`.
    pub const fn fixed(mut self, value: &'static str) -> Self {
        self.fixed = Some(value);
        self
    }

    /// This attribute, with its `ext-*` partner `name`.
    pub const fn ext(mut self, name: &'static str) -> Self {
        self.ext = Some(name);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Constructors the generated tables use (one short line per declaration)

/// An optional unqualified attribute `name` of type `ty`.
pub const fn attr(name: &'static str, ty: &'static TypeDef) -> AttributeDecl {
    AttributeDecl {
        ns: "",
        name,
        ty,
        required: false,
        fixed: None,
        ext: None,
    }
}

/// The particle of a local element `{ns}name` of type `ty`, occurring `min..=max` times.
pub const fn element(
    ns: &'static str,
    name: &'static str,
    ty: &'static TypeDef,
    min: u32,
    max: u32,
) -> Particle {
    Particle {
        term: Term::Element(ElementDecl {
            ns,
            name,
            ty,
            type_name: None,
        }),
        min,
        max,
    }
}

/// The particle of a wildcard.
pub const fn any(ns: AnyNs, process: Process, min: u32, max: u32) -> Particle {
    Particle {
        term: Term::Any(Wildcard { ns, process }),
        min,
        max,
    }
}

/// The particle of a named group (a generated choice or sequence).
pub const fn group(term: &'static Term, min: u32, max: u32) -> Particle {
    Particle {
        term: Term::Group(term),
        min,
        max,
    }
}

/// A complex type.
pub const fn complex(attributes: &'static [AttributeDecl], content: ContentModel) -> TypeDef {
    TypeDef::Complex(ComplexType::new(attributes, content))
}

/// The simple type of a generated (or runtime) value type `T`, checked by parsing it.
pub const fn simple<T: SimpleValue>(role: IdRole) -> TypeDef {
    TypeDef::Simple(SimpleType {
        check: check::<T>,
        role,
        lexical: None,
    })
}

/// A global element declaration `{ns}name`, of the named type `type_name` when it has one.
pub const fn global(
    ns: &'static str,
    name: &'static str,
    ty: &'static TypeDef,
    type_name: Option<(&'static str, &'static str)>,
) -> ElementDecl {
    ElementDecl {
        ns,
        name,
        ty,
        type_name,
    }
}

/// A particle: a term with its occurrence bounds.
#[derive(Debug)]
pub struct Particle {
    /// What occurs.
    pub term: Term,
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs` ([`UNBOUNDED`] for unbounded).
    pub max: u32,
}

/// What a particle matches.
#[derive(Debug)]
pub enum Term {
    /// One element.
    Element(ElementDecl),
    /// An element matched by a wildcard.
    Any(Wildcard),
    /// These particles in order.
    Sequence(&'static [Particle]),
    /// One of these particles.
    Choice(&'static [Particle]),
    /// A named group (a generated choice or sequence), shared by reference.
    Group(&'static Term),
}

/// An `xs:any` wildcard.
#[derive(Debug)]
pub struct Wildcard {
    /// Allowed namespaces.
    pub ns: AnyNs,
    /// What is checked of the matched element.
    pub process: Process,
}

impl Wildcard {
    /// Whether an element in namespace `ns` is allowed.
    pub fn allows(&self, ns: &str) -> bool {
        self.ns.allows(ns)
    }

    fn describe(&self) -> String {
        match self.ns {
            AnyNs::Any => "any element".to_string(),
            AnyNs::Other(target) => format!("an element of a namespace other than {target}"),
            AnyNs::List(list) => {
                let names: Vec<&str> = list.iter().map(|n| n.unwrap_or("(no namespace)")).collect();
                format!("an element of {}", names.join(" or "))
            }
        }
    }
}

/// `processContents` of a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// The element must have a known global declaration, and is checked against it.
    Strict,
    /// Checked when a global declaration is known.
    Lax,
    /// Not checked.
    Skip,
}

// ---------------------------------------------------------------------------------------------
// Built-in simple types

fn check_string(_: &str) -> Result<(), String> {
    Ok(())
}

fn lexical_check(text: &str, lexical: Lexical) -> Result<(), String> {
    check_lexical(&super::collapse_ws(text), lexical)
}

macro_rules! builtin {
    ($($(#[$doc:meta])* $name:ident = $check:expr, $role:ident $(, $lexical:ident)?;)*) => {
        $($(#[$doc])* pub static $name: TypeDef = TypeDef::Simple(SimpleType {
            check: $check,
            role: IdRole::$role,
            lexical: builtin!(@lexical $($lexical)?),
        });)*
    };
    (@lexical) => { None };
    (@lexical $lexical:ident) => { Some(Lexical::$lexical) };
}

builtin! {
    /// `xs:string` (and the string types without a lexical rule: anyURI, token, ...).
    STRING = check_string, Plain;
    /// `xs:boolean`.
    BOOLEAN = check::<bool>, Plain;
    /// `xs:integer` (unbounded).
    INTEGER = check::<super::Integer>, Plain;
    /// `xs:nonNegativeInteger` (unbounded).
    NON_NEGATIVE_INTEGER = check::<super::NonNegativeInteger>, Plain;
    /// `xs:positiveInteger` (unbounded).
    POSITIVE_INTEGER = check::<super::PositiveInteger>, Plain;
    /// `xs:nonPositiveInteger` (unbounded).
    NON_POSITIVE_INTEGER = check::<super::NonPositiveInteger>, Plain;
    /// `xs:negativeInteger` (unbounded).
    NEGATIVE_INTEGER = check::<super::NegativeInteger>, Plain;
    /// `xs:long`.
    LONG = check::<i64>, Plain;
    /// `xs:int`.
    INT = check::<i32>, Plain;
    /// `xs:short`.
    SHORT = check::<i16>, Plain;
    /// `xs:byte`.
    BYTE = check::<i8>, Plain;
    /// `xs:unsignedLong`.
    UNSIGNED_LONG = check::<u64>, Plain;
    /// `xs:unsignedInt`.
    UNSIGNED_INT = check::<u32>, Plain;
    /// `xs:unsignedShort`.
    UNSIGNED_SHORT = check::<u16>, Plain;
    /// `xs:unsignedByte`.
    UNSIGNED_BYTE = check::<u8>, Plain;
    /// `xs:float`.
    FLOAT = check::<f32>, Plain;
    /// `xs:double`.
    DOUBLE = check::<f64>, Plain;
    /// `xs:decimal`.
    DECIMAL = check::<super::Decimal>, Plain;
    /// `xs:dateTime`.
    DATE_TIME = check::<super::DateTime>, Plain;
    /// `xs:hexBinary`.
    HEX_BINARY = check::<super::HexBinary>, Plain;
    /// `xs:base64Binary`.
    BASE64_BINARY = check::<super::Base64Binary>, Plain;
    /// `xs:NCName`.
    NCNAME = |t| lexical_check(t, Lexical::NcName), Plain, NcName;
    /// `xs:NMTOKEN`.
    NMTOKEN = |t| lexical_check(t, Lexical::Nmtoken), Plain, Nmtoken;
    /// `xs:language`.
    LANGUAGE = |t| lexical_check(t, Lexical::Language), Plain, Language;
    /// The `xml:lang` union: `xs:language` or the empty string.
    LANGUAGE_OR_EMPTY = |t| lexical_check(t, Lexical::LanguageOrEmpty), Plain, LanguageOrEmpty;
    /// `xs:ID`.
    ID = |t| lexical_check(t, Lexical::Id), Id, Id;
    /// `xs:IDREF`.
    IDREF = |t| lexical_check(t, Lexical::IdRef), IdRef, IdRef;
}

/// `xs:anyType`.
pub static ANY_TYPE: TypeDef = TypeDef::Any;

// ---------------------------------------------------------------------------------------------
// Content automaton

/// What a transition matches.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Symbol {
    Element(&'static ElementDecl),
    Any(&'static Wildcard),
}

/// A Thompson automaton of a content model, with epsilon closures precomputed. The particle
/// trees of the schemas are small, so bounded `maxOccurs` is expanded into copies.
#[derive(Debug)]
pub(crate) struct Automaton {
    /// Labelled transitions per state.
    edges: Vec<Vec<(Symbol, u32)>>,
    /// Epsilon closure per state (sorted, includes the state).
    closure: Vec<Vec<u32>>,
    start: u32,
    accept: u32,
}

/// A set of automaton states (sorted, deduplicated).
pub(crate) type States = Vec<u32>;

/// Copies of a bounded particle beyond which `maxOccurs` is treated as unbounded (keeps the
/// automaton small; no IODEF schema comes near it).
const MAX_EXPANDED: u32 = 64;

struct Builder {
    edges: Vec<Vec<(Symbol, u32)>>,
    eps: Vec<Vec<u32>>,
}

impl Builder {
    fn state(&mut self) -> u32 {
        self.edges.push(Vec::new());
        self.eps.push(Vec::new());
        (self.edges.len() - 1) as u32
    }

    fn eps(&mut self, from: u32, to: u32) {
        self.eps[from as usize].push(to);
    }

    /// States `(start, end)` of a fragment matching `term` once.
    fn term(&mut self, term: &'static Term) -> (u32, u32) {
        match term {
            Term::Element(decl) => self.symbol(Symbol::Element(decl)),
            Term::Any(w) => self.symbol(Symbol::Any(w)),
            Term::Group(inner) => self.term(inner),
            Term::Sequence(particles) => self.sequence(particles),
            Term::Choice(particles) => {
                let (start, end) = (self.state(), self.state());
                for p in particles.iter() {
                    let (s, e) = self.particle(p);
                    self.eps(start, s);
                    self.eps(e, end);
                }
                (start, end)
            }
        }
    }

    fn symbol(&mut self, symbol: Symbol) -> (u32, u32) {
        let (start, end) = (self.state(), self.state());
        self.edges[start as usize].push((symbol, end));
        (start, end)
    }

    fn sequence(&mut self, particles: &'static [Particle]) -> (u32, u32) {
        let start = self.state();
        let mut at = start;
        for p in particles {
            let (s, e) = self.particle(p);
            self.eps(at, s);
            at = e;
        }
        (start, at)
    }

    fn particle(&mut self, p: &'static Particle) -> (u32, u32) {
        let start = self.state();
        let mut at = start;
        let max = if p.max > MAX_EXPANDED {
            UNBOUNDED
        } else {
            p.max
        };
        for _ in 0..p.min.min(MAX_EXPANDED) {
            let (s, e) = self.term(&p.term);
            self.eps(at, s);
            at = e;
        }
        let end = self.state();
        self.eps(at, end);
        if max == UNBOUNDED {
            // Zero or more further copies.
            let (s, e) = self.term(&p.term);
            self.eps(at, s);
            self.eps(e, s);
            self.eps(e, end);
        } else {
            for _ in p.min..max {
                let (s, e) = self.term(&p.term);
                self.eps(at, s);
                self.eps(e, end);
                at = e;
            }
        }
        (start, end)
    }
}

impl Automaton {
    fn build(particles: &'static [Particle]) -> Automaton {
        let mut b = Builder {
            edges: Vec::new(),
            eps: Vec::new(),
        };
        let (start, accept) = b.sequence(particles);
        // Only states with labelled edges, and the accepting one, matter in a state set (the
        // others have only epsilon edges, already followed): keeping just those makes the sets
        // a third as large, and every step as much cheaper.
        let matters = |s: u32| s == accept || !b.edges[s as usize].is_empty();
        let closure = (0..b.eps.len())
            .map(|s| {
                let mut seen = vec![s as u32];
                let mut todo = vec![s as u32];
                while let Some(x) = todo.pop() {
                    for &y in &b.eps[x as usize] {
                        if !seen.contains(&y) {
                            seen.push(y);
                            todo.push(y);
                        }
                    }
                }
                seen.retain(|&x| matters(x));
                seen.sort_unstable();
                seen
            })
            .collect();
        Automaton {
            edges: b.edges,
            closure,
            start,
            accept,
        }
    }

    /// The states before any child.
    pub(crate) fn initial(&self) -> States {
        self.closure[self.start as usize].clone()
    }

    /// Sets `states` to the states before any child (reusing its allocation).
    pub(crate) fn initial_into(&self, states: &mut States) {
        states.clear();
        states.extend_from_slice(&self.closure[self.start as usize]);
    }

    /// Whether the content may end in `states`.
    pub(crate) fn accepts(&self, states: &States) -> bool {
        states.binary_search(&self.accept).is_ok()
    }

    /// Moves over a child `{ns}name`: writes the new states into `next` and returns what
    /// matched it, or `None` when nothing allows it here (`next` is then unspecified). An element
    /// declaration wins over a wildcard.
    pub(crate) fn step(
        &self,
        states: &States,
        ns: &str,
        name: &str,
        next: &mut States,
    ) -> Option<Symbol> {
        next.clear();
        let mut matched: Option<Symbol> = None;
        for pass_elements in [true, false] {
            for &s in states {
                for &(symbol, to) in &self.edges[s as usize] {
                    let hit = match symbol {
                        Symbol::Element(d) => {
                            pass_elements
                                && super::reader::same_str(d.name, name)
                                && super::reader::same_str(d.ns, ns)
                        }
                        Symbol::Any(w) => !pass_elements && w.allows(ns),
                    };
                    if hit {
                        matched.get_or_insert(symbol);
                        next.extend_from_slice(&self.closure[to as usize]);
                    }
                }
            }
            if matched.is_some() {
                break;
            }
        }
        next.sort_unstable();
        next.dedup();
        matched
    }

    /// The declaration of the element `{ns}name` in the content model, if it has one.
    pub(crate) fn decl(&self, ns: &str, name: &str) -> Option<&'static ElementDecl> {
        self.edges
            .iter()
            .flatten()
            .find_map(|(symbol, _)| match symbol {
                Symbol::Element(d) if d.name == name && d.ns == ns => Some(*d),
                _ => None,
            })
    }

    /// Whether `{ns}name` is allowed anywhere in the content model (by name or wildcard).
    pub(crate) fn mentions(&self, ns: &str, name: &str) -> bool {
        self.edges.iter().flatten().any(|(symbol, _)| match symbol {
            Symbol::Element(d) => d.name == name && d.ns == ns,
            Symbol::Any(w) => w.allows(ns),
        })
    }

    /// What may come next in `states`, for messages: element names (Clark notation when their
    /// namespace is not `own_ns`) and wildcards, in automaton order, without repeats.
    pub(crate) fn expected(&self, states: &States, own_ns: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &s in states {
            for &(symbol, _) in &self.edges[s as usize] {
                let text = match symbol {
                    Symbol::Element(d) if d.ns == own_ns || d.ns.is_empty() => d.name.to_string(),
                    Symbol::Element(d) => super::reader::clark(d.ns, d.name),
                    Symbol::Any(w) => w.describe(),
                };
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
        out
    }
}

/// `a`, `a or b`, `a, b or c`.
pub(crate) fn one_of(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        let _ = write!(out, "{item}");
    }
    out
}
