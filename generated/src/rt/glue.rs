//! Small helpers the generated readers and writers call, so that the generated code stays a
//! plain description of each type. Not part of the stable API.

use std::borrow::Cow;
use std::io;

use super::{Attr, Element, Error, SimpleValue, ToXml, TypedElement, XmlReader, XmlWriter};

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

/// Whether the element `c` is allowed by the wildcard `any`.
pub fn any_matches(r: &XmlReader<'_>, c: &Element<'_>, any: &AnyNs) -> bool {
    let ns = r.ns_str(c.ns);
    match any {
        AnyNs::Any => true,
        AnyNs::Other(target) => !ns.is_empty() && ns != *target,
        AnyNs::List(list) => list.iter().any(|allowed| allowed.unwrap_or("") == ns),
    }
}

/// Parses an attribute value, naming the attribute and its position on failure.
pub fn parse_attr<'a, T: SimpleValue>(r: &XmlReader<'a>, attr: &Attr<'a>) -> Result<T, Error> {
    T::parse_xml(&attr.value).map_err(|reason| {
        r.invalid_value(
            attr.offset,
            &format!("attribute {}", attr.local),
            &attr.value,
            &reason,
        )
    })
}

/// Fails on the first attribute of an element whose type declares none.
pub fn no_attributes<'a>(r: &mut XmlReader<'a>, el: &Element<'a>) -> Result<(), Error> {
    match r.attributes(el)?.first() {
        Some(attr) => Err(r.unexpected_attribute(el, attr)),
        None => Ok(()),
    }
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

/// An attribute declared `fixed="..."` must carry exactly that value when present.
pub fn check_fixed<'a, T: SimpleValue>(
    r: &XmlReader<'a>,
    el: &Element<'a>,
    name: &str,
    value: Option<&T>,
    fixed: &str,
) -> Result<(), Error> {
    match value {
        Some(v) if v.to_xml() != fixed => Err(r.invalid_value(
            el.offset,
            &format!("attribute {name}"),
            &v.to_xml(),
            &format!("the schema fixes it to {fixed:?}"),
        )),
        _ => Ok(()),
    }
}

/// An enumeration with an `ext-value` member whose real value travels in an `ext-*` attribute.
pub trait ExtEnum: Sized {
    /// The extension value when this is the `ext-value` member.
    fn ext(&self) -> Option<&str>;
    fn from_ext(value: String) -> Self;
}

/// Joins `foo` and `ext-foo` (RFC 7970 §5.1.1) into one value. An `ext-foo` whose partner is not
/// `ext-value` violates §5.1.1 but not the schema: it is kept, losslessly, in `unpaired`.
pub fn pair_ext<T: ExtEnum>(
    value: Option<T>,
    ext: Option<String>,
    ext_name: &str,
    unpaired: &mut Vec<(String, String)>,
) -> Option<T> {
    match (value, ext) {
        (Some(v), Some(e)) if v.ext().is_some() => Some(T::from_ext(e)),
        (v, None) => v,
        (v, Some(e)) => {
            unpaired.push((ext_name.to_owned(), e));
            v
        }
    }
}

/// Writes `foo` and, for an extension value, `ext-foo`.
pub fn write_ext_attr<T: ExtEnum + SimpleValue>(
    w: &mut XmlWriter<'_>,
    name: &str,
    ext_name: &str,
    value: &T,
) -> io::Result<()> {
    w.attribute("", name, &value.to_xml())?;
    match value.ext() {
        Some(ext) if !ext.is_empty() => w.attribute("", ext_name, ext),
        _ => Ok(()),
    }
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
