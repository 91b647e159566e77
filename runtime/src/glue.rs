//! Small helpers the generated readers and writers call, so that the generated code stays a
//! plain description of each type. Not part of the stable API.

use std::borrow::Cow;
use std::io;

use super::{Element, Error, SimpleValue, ToXml, TypedElement, XmlReader, XmlWriter};

/// Namespace constraint of an `xs:any` wildcard.
#[derive(Debug, Clone, Copy)]
pub enum AnyNs {
    /// `##any`
    Any,
    /// `##other`: a namespace other than this target namespace (never unqualified).
    Other(&'static str),
    /// An explicit list; `None` stands for unqualified (`##local`).
    List(&'static [Option<&'static str>]),
}

impl AnyNs {
    /// Whether an element in namespace `ns` ("" = none) is allowed.
    pub fn allows(&self, ns: &str) -> bool {
        match self {
            AnyNs::Any => true,
            AnyNs::Other(target) => !ns.is_empty() && ns != *target,
            AnyNs::List(list) => list.iter().any(|allowed| allowed.unwrap_or("") == ns),
        }
    }
}

/// Fails on the first attribute of an element whose type declares none (lenient mode: keeps
/// them aside).
pub fn no_attributes<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<(), Error> {
    // Most simple-typed elements have no attribute at all: skip resolving (and allocating).
    if el
        .start
        .attributes_raw()
        .iter()
        .all(u8::is_ascii_whitespace)
    {
        return Ok(());
    }
    for attr in r.attributes(el)? {
        // Strict: an error on the first one.
        r.unknown_attribute(el, attr)?;
    }
    Ok(())
}

/// Reads an element whose type is simple: no attributes, text only.
pub fn read_simple<'a, T: SimpleValue>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
) -> Result<T, Error> {
    no_attributes(r, el)?;
    read_text_value(r, el)
}

/// Reads the text content of `el` as a simple value (attributes are the caller's business).
pub fn read_text_value<'a, T: SimpleValue>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
) -> Result<T, Error> {
    let text: Cow<'a, str> = r.read_text(el)?;
    T::parse_xml(&text).map_err(|reason| {
        r.invalid_value(el.offset, &format!("element {}", el.local), &text, &reason)
    })
}

/// Writes `<local>value</local>` for a simple-typed element.
pub fn write_simple<T: SimpleValue>(
    w: &mut XmlWriter<'_>,
    ns: &str,
    local: &str,
    value: &T,
) -> io::Result<()> {
    w.start_element(ns, local)?;
    w.text(&value.to_xml())?;
    w.end_element()
}

impl<T: ToXml> ToXml for Box<T> {
    fn to_xml(&self, w: &mut XmlWriter<'_>, ns: &str, local: &str) -> io::Result<()> {
        (**self).to_xml(w, ns, local)
    }
}

/// [`TypedElement::eq_dyn`] for a type with `PartialEq`: false when `other` is not a `T`.
pub fn typed_eq<T: PartialEq + 'static>(this: &T, other: &dyn TypedElement) -> bool {
    other.downcast_ref::<T>() == Some(this)
}

/// Lexical rules of the XSD built-in types the bindings keep as `String`, and the document-wide
/// `xs:ID` / `xs:IDREF` bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lexical {
    /// `xs:NCName` (also the lexical space of ID and IDREF).
    NcName,
    /// `xs:NMTOKEN`.
    Nmtoken,
    /// `xs:language`.
    Language,
    /// `xs:ID`: an NCName, unique in the document.
    Id,
    /// `xs:IDREF`: an NCName naming some `xs:ID` of the document.
    IdRef,
    /// `xml:lang`: an `xs:language` tag or the empty string.
    LanguageOrEmpty,
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '\u{B7}') || is_combining(c)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Checks `token` (whitespace already collapsed) against `lexical`.
pub fn check_lexical(token: &str, lexical: Lexical) -> Result<(), String> {
    let ok = match lexical {
        Lexical::NcName | Lexical::Id | Lexical::IdRef => {
            let mut chars = token.chars();
            chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
        }
        Lexical::Nmtoken => !token.is_empty() && token.chars().all(is_name_char),
        Lexical::LanguageOrEmpty if token.is_empty() => true,
        Lexical::Language | Lexical::LanguageOrEmpty => {
            let mut parts = token.split('-');
            let first = parts.next().unwrap_or("");
            (1..=8).contains(&first.len())
                && first.bytes().all(|b| b.is_ascii_alphabetic())
                && parts.all(|p| {
                    (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
                })
        }
    };
    if ok {
        Ok(())
    } else {
        let what = match lexical {
            Lexical::NcName => "an xs:NCName",
            Lexical::Id => "an xs:ID (an NCName)",
            Lexical::IdRef => "an xs:IDREF (an NCName)",
            Lexical::Nmtoken => "an xs:NMTOKEN",
            Lexical::Language => "an xs:language tag",
            Lexical::LanguageOrEmpty => "an xs:language tag or empty",
        };
        Err(format!("{token:?} is not {what}"))
    }
}

/// Applies `lexical` to a value of element `el` found at `offset` (`what`: the kind and name
/// errors give it), recording IDs and IDREFs.
// `raw` is a `Cow` so that an `xs:ID` borrowed from the input is recorded without a copy.
#[allow(clippy::ptr_arg)]
pub(crate) fn lexical_value<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    offset: usize,
    (kind, name): (&str, &str),
    raw: &Cow<'a, str>,
    lexical: Lexical,
) -> Result<(), Error> {
    let token = super::collapse_ws(raw);
    check_lexical(&token, lexical)
        .map_err(|reason| r.invalid_value(offset, &format!("{kind} {name}"), raw, &reason))?;
    if !matches!(lexical, Lexical::Id | Lexical::IdRef) {
        return Ok(());
    }
    // Kept borrowed from the input when the value is.
    let token: Cow<'a, str> = match raw {
        Cow::Borrowed(s) => super::collapse_ws(s),
        Cow::Owned(_) => Cow::Owned(token.into_owned()),
    };
    if lexical == Lexical::Id {
        r.note_id_cow(token, el.offset)
    } else {
        r.note_idref_cow(token, el.offset);
        Ok(())
    }
}

/// `read_simple` for a `String` element with a built-in lexical rule.
pub fn read_simple_lexical<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    lexical: Lexical,
) -> Result<String, Error> {
    no_attributes(r, el)?;
    read_text_lexical(r, el, lexical)
}

/// The text content of `el` (whose attributes the caller read) as a `String` with a built-in
/// lexical rule: simple content of a complex type (e.g. an `xs:ID` with attributes).
pub fn read_text_lexical<'a>(
    r: &mut XmlReader<'a>,
    el: &Element<'a>,
    lexical: Lexical,
) -> Result<String, Error> {
    let text = r.read_text(el)?;
    lexical_value(r, el, el.offset, ("element", el.local), &text, lexical)?;
    Ok(text.into_owned())
}

/// Facets of a restricted simple type (XSD Part 2 §4.3), checked on the value's lexical form
/// after whitespace processing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facets {
    /// Regular expressions, already translated to anchored Rust syntax by the generator.
    pub patterns: &'static [&'static str],
    pub min_inclusive: Option<&'static str>,
    pub max_inclusive: Option<&'static str>,
    pub min_exclusive: Option<&'static str>,
    pub max_exclusive: Option<&'static str>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `totalDigits` (decimal and integer types).
    pub total_digits: Option<usize>,
    /// `fractionDigits` (decimal types).
    pub fraction_digits: Option<usize>,
    /// Bounds compare exactly, as decimals (integer and decimal types: their value space is
    /// exact, so `18446744073709551617 > 18446744073709551616`); otherwise as `f64` (float,
    /// double).
    pub exact: bool,
}

/// Compiled patterns of one type, built on first use.
pub type PatternCache = std::sync::OnceLock<Result<Vec<regex::Regex>, String>>;

fn number(s: &str) -> Option<f64> {
    match s {
        "INF" => Some(f64::INFINITY),
        "-INF" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

/// Compares `value` with the facet `bound` in the value space; `None` when either is not a number.
fn compare_bound(value: &str, bound: &str, exact: bool) -> Option<std::cmp::Ordering> {
    if exact {
        let (v, b) = (
            super::Decimal::parse(value).ok()?,
            super::Decimal::parse(bound).ok()?,
        );
        Some(v.cmp(&b))
    } else {
        number(value)?.partial_cmp(&number(bound)?)
    }
}

/// Checks `lexical` against `facets`; `Err` is the reason, as a plain message.
pub fn check_facets(lexical: &str, facets: &Facets, cache: &PatternCache) -> Result<(), String> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    if !facets.patterns.is_empty() {
        let regexes = cache
            .get_or_init(|| {
                facets
                    .patterns
                    .iter()
                    .map(|p| {
                        regex::Regex::new(p)
                            .map_err(|e| format!("pattern {p:?} does not compile: {e}"))
                    })
                    .collect()
            })
            .as_ref()
            .map_err(Clone::clone)?;
        // XSD: the value must match one of the patterns of a derivation step.
        if !regexes.iter().any(|re| re.is_match(lexical)) {
            return Err(format!(
                "{lexical:?} does not match the pattern {}",
                facets.patterns.join(" | ")
            ));
        }
    }
    let len = lexical.chars().count();
    if let Some(min) = facets.min_length.filter(|&m| len < m) {
        return Err(format!("{lexical:?} is shorter than {min} characters"));
    }
    if let Some(max) = facets.max_length.filter(|&m| len > m) {
        return Err(format!("{lexical:?} is longer than {max} characters"));
    }
    if facets.total_digits.is_some() || facets.fraction_digits.is_some() {
        let value = super::Decimal::parse(lexical)?;
        let (total, fraction) = value.digit_counts();
        if let Some(max) = facets.total_digits.filter(|&m| total > m) {
            return Err(format!("{lexical} has {total} digits, more than {max}"));
        }
        if let Some(max) = facets.fraction_digits.filter(|&m| fraction > m) {
            return Err(format!(
                "{lexical} has {fraction} fraction digits, more than {max}"
            ));
        }
    }
    let bounds: [(Option<&str>, &str, &[std::cmp::Ordering]); 4] = [
        (facets.min_inclusive, "at least", &[Greater, Equal]),
        (facets.max_inclusive, "at most", &[Less, Equal]),
        (facets.min_exclusive, "greater than", &[Greater]),
        (facets.max_exclusive, "less than", &[Less]),
    ];
    for (bound, words, holds) in bounds {
        let Some(bound) = bound else { continue };
        match compare_bound(lexical, bound, facets.exact) {
            Some(o) if holds.contains(&o) => {}
            _ => return Err(format!("{lexical} is not {words} {bound}")),
        }
    }
    Ok(())
}

/// Checks the elements of mixed content read by [`XmlReader::read_mixed`] against the content
/// model of `ty` (order, cardinality, wildcards; their own content was checked when they were
/// decoded, or is foreign). The first problem is an error at `el`, naming the child.
pub fn check_mixed<'a>(
    r: &XmlReader<'a>,
    el: &Element<'a>,
    ty: &'static super::schema::TypeDef,
    content: &super::Mixed,
) -> Result<(), Error> {
    use super::schema::{one_of, Process, Symbol, TypeDef};
    use super::{ErrorKind, MixedNode};
    let TypeDef::Complex(ct) = ty else {
        return Ok(());
    };
    let Some(automaton) = ct.automaton() else {
        return Ok(());
    };
    let own_ns = r.ns_str(el.ns);
    let mut states = automaton.initial();
    let mut next = Vec::new();
    for node in &content.0 {
        let (ns, local) = match node {
            MixedNode::Element(e) => (e.ns.as_deref().unwrap_or(""), e.local.as_str()),
            MixedNode::Typed(t) => (t.namespace(), t.local_name()),
            MixedNode::Text(_) | MixedNode::Comment(_) | MixedNode::ProcessingInstruction(_) => {
                continue
            }
        };
        let name = || super::reader::clark(ns, local);
        match automaton.step(&states, ns, local, &mut next) {
            Some(symbol) => {
                if let Symbol::Any(w) = symbol {
                    let known = || {
                        r.registry()
                            .cloned()
                            .unwrap_or_else(super::registry::global)
                            .element_decl(ns, local)
                            .is_some()
                    };
                    if w.process == Process::Strict && !known() {
                        return Err(r.error(
                            ErrorKind::UnexpectedElement,
                            el.offset,
                            format!(
                                "unexpected element {} in {}: the wildcard here is strict and no declaration of it is known",
                                name(),
                                el.local
                            ),
                        ));
                    }
                }
                std::mem::swap(&mut states, &mut next);
            }
            None => {
                let expected = automaton.expected(&states, own_ns);
                return Err(r.error(
                    ErrorKind::UnexpectedElement,
                    el.offset,
                    format!(
                        "unexpected element {} in {}; expected {}",
                        name(),
                        el.local,
                        if expected.is_empty() {
                            "no more elements".to_string()
                        } else {
                            one_of(&expected)
                        }
                    ),
                ));
            }
        }
    }
    if automaton.accepts(&states) {
        Ok(())
    } else {
        Err(r.error(
            ErrorKind::MissingElement,
            el.offset,
            format!(
                "missing required element in {}: expected {}",
                el.local,
                one_of(&automaton.expected(&states, own_ns))
            ),
        ))
    }
}
