//! A small XML infoset model and comparator used to check round-trip fidelity
//! (DESIGN.md §3 "Fidelity"): two documents are equal when they have the same
//! elements (namespace URI + local name), the same attributes and the same text,
//! the same comments and processing instructions (inside the root element, before it and
//! after it), with prefixes, namespace declarations and insignificant whitespace
//! disregarded, and simple values compared in the XSD value space where the lexical
//! forms differ (see [`values_equal`]). [`compare_xml_ignoring_comments`] leaves
//! comments and processing instructions out.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use std::fmt::Write as _;

/// Namespace of the `xml:` prefix (always bound).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// An element: expanded name, attributes sorted by (namespace, local name), children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Namespace URI (empty string = no namespace).
    pub ns: String,
    /// Local name.
    pub name: String,
    /// Attributes sorted by (namespace, local name); `xmlns` declarations excluded.
    pub attrs: Vec<Attribute>,
    /// Element and text children in document order.
    pub children: Vec<Node>,
}

/// One attribute with its expanded name and normalized value (XML 1.0 §3.3.3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attribute {
    /// Namespace URI (empty string = no namespace, the usual case).
    pub ns: String,
    /// Local name.
    pub name: String,
    /// Value after attribute-value normalization and reference expansion.
    pub value: String,
}

/// A child node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data: adjacent text, references and CDATA sections merged.
    Text(String),
    /// A comment (its text).
    Comment(String),
    /// A processing instruction: target and data (leading whitespace removed).
    Pi(String, String),
}

/// A document: comments and processing instructions around the root element, and the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Before the root element.
    pub prolog: Vec<Node>,
    /// The root element.
    pub root: Element,
    /// After the root element.
    pub epilog: Vec<Node>,
}

impl Element {
    /// The concatenated text children (ignoring element children).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for child in &self.children {
            if let Node::Text(t) = child {
                out.push_str(t);
            }
        }
        out
    }

    /// Element children only.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            _ => None,
        })
    }

    fn expanded(&self) -> String {
        expanded_name(&self.ns, &self.name)
    }
}

fn expanded_name(ns: &str, name: &str) -> String {
    if ns.is_empty() {
        name.to_string()
    } else {
        format!("{{{ns}}}{name}")
    }
}

fn resolved_ns(res: ResolveResult<'_>, what: &str) -> Result<String, String> {
    match res {
        ResolveResult::Bound(ns) => Ok(String::from_utf8_lossy(ns.as_ref()).into_owned()),
        ResolveResult::Unbound => Ok(String::new()),
        ResolveResult::Unknown(prefix) => Err(format!(
            "undeclared namespace prefix '{}' on {what}",
            String::from_utf8_lossy(&prefix)
        )),
    }
}

/// XML 1.0 §2.11 end-of-line handling: CRLF and lone CR become LF.
fn normalize_eols(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, String> {
    std::str::from_utf8(bytes).map_err(|e| format!("{what} is not UTF-8: {e}"))
}

fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return None,
    })
}

fn start_element<R>(
    reader: &NsReader<R>,
    ns: Result<String, String>,
    start: &BytesStart<'_>,
) -> Result<Element, String> {
    let name = utf8(start.local_name().as_ref(), "element name")?.to_string();
    let ns = ns.map_err(|e| format!("{e} <{name}>"))?;
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|e| format!("bad attribute on <{name}>: {e}"))?;
        let key = attr.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let (ans, local) = reader.resolve_attribute(attr.key);
        let local = utf8(local.as_ref(), "attribute name")?.to_string();
        let ans = resolved_ns(ans, &format!("attribute {local} of <{name}>"))?;
        // Attribute-value normalization (XML 1.0 §3.3.3): literal whitespace
        // characters become spaces; character references are expanded afterwards
        // and keep the character they denote.
        let raw = normalize_eols(utf8(&attr.value, "attribute value")?).replace(['\n', '\t'], " ");
        let value = quick_xml::escape::unescape(&raw)
            .map_err(|e| format!("bad reference in attribute {local} of <{name}>: {e}"))?
            .into_owned();
        attrs.push(Attribute {
            ns: ans,
            name: local,
            value,
        });
    }
    attrs.sort();
    for pair in attrs.windows(2) {
        if pair[0].ns == pair[1].ns && pair[0].name == pair[1].name {
            return Err(format!(
                "duplicate attribute {} on <{name}>",
                expanded_name(&pair[0].ns, &pair[0].name)
            ));
        }
    }
    Ok(Element {
        ns,
        name,
        attrs,
        children: Vec::new(),
    })
}

fn push_text(el: &mut Element, text: &str) {
    if let Some(Node::Text(t)) = el.children.last_mut() {
        t.push_str(text);
    } else {
        el.children.push(Node::Text(text.to_string()));
    }
}

/// Drops whitespace-only text nodes from an element that has element children
/// (indentation in element-only content carries no information), and a
/// whitespace-only sole text child: without the schema, `<Node>\n  </Node>`
/// (empty element-only content) cannot be told from a blank string, and a
/// typed writer rightly writes the former as `<Node/>`. The XSD validators
/// still check every output, so a dropped required string value is caught.
/// Comments and processing instructions count as element children here: whitespace
/// around them is indentation.
fn finish(mut el: Element) -> Element {
    let only_whitespace = matches!(el.children.as_slice(), [Node::Text(t)] if is_xml_whitespace(t));
    if only_whitespace || el.children.iter().any(|c| !matches!(c, Node::Text(_))) {
        el.children
            .retain(|c| !matches!(c, Node::Text(t) if is_xml_whitespace(t)));
    }
    el
}

fn is_xml_whitespace(s: &str) -> bool {
    s.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Parses a UTF-8 XML document into its root [`Element`].
///
/// Comments, processing instructions, the XML declaration and the DOCTYPE are
/// ignored; undeclared prefixes, unknown entities, mismatched tags and a
/// missing or repeated root element are errors.
pub fn parse(xml: &[u8]) -> Result<Element, String> {
    parse_document(xml, false).map(|d| d.root)
}

/// Parses a document; `misc`: comments and processing instructions are kept (prolog,
/// epilog, element content), else ignored.
pub fn parse_document(xml: &[u8], misc: bool) -> Result<Document, String> {
    let mut prolog = Vec::new();
    let mut epilog = Vec::new();
    let mut reader = NsReader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = false;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("XML error at byte {pos}: {e}"))?;
        let ns = resolved_ns(ns, "element");
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(format!("second root element <{name}> at byte {pos}"));
            }
            Event::Start(start) => {
                let el = start_element(&reader, ns, &start)?;
                stack.push(el);
            }
            Event::Empty(start) => {
                let el = start_element(&reader, ns, &start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = finish(
                    stack
                        .pop()
                        .ok_or_else(|| format!("unexpected end tag at byte {pos}"))?,
                );
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(text) => {
                let text = text
                    .decode()
                    .map_err(|e| format!("bad text at byte {pos}: {e}"))?;
                match stack.last_mut() {
                    Some(el) => push_text(el, &normalize_eols(&text)),
                    None if is_xml_whitespace(&text) => {}
                    None => return Err(format!("text outside the root element at byte {pos}")),
                }
            }
            Event::CData(cdata) => {
                let text = cdata
                    .decode()
                    .map_err(|e| format!("bad CDATA at byte {pos}: {e}"))?;
                match stack.last_mut() {
                    Some(el) => push_text(el, &normalize_eols(&text)),
                    None => return Err(format!("CDATA outside the root element at byte {pos}")),
                }
            }
            Event::GeneralRef(reference) => {
                let name = reference
                    .decode()
                    .map_err(|e| format!("bad reference at byte {pos}: {e}"))?;
                let ch;
                let text: &str = if reference.is_char_ref() {
                    ch = reference
                        .resolve_char_ref()
                        .map_err(|e| {
                            format!("bad character reference &{name}; at byte {pos}: {e}")
                        })?
                        .ok_or_else(|| format!("bad character reference &{name}; at byte {pos}"))?
                        .to_string();
                    &ch
                } else {
                    predefined_entity(&name)
                        .ok_or_else(|| format!("unknown entity &{name}; at byte {pos}"))?
                };
                match stack.last_mut() {
                    Some(el) => push_text(el, text),
                    None => {
                        return Err(format!("reference outside the root element at byte {pos}"))
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) if !misc => {}
            Event::Comment(c) => {
                let node = Node::Comment(normalize_eols(&String::from_utf8_lossy(&c)));
                match stack.last_mut() {
                    Some(el) => el.children.push(node),
                    None if root.is_none() => prolog.push(node),
                    None => epilog.push(node),
                }
            }
            Event::PI(p) => {
                let target = String::from_utf8_lossy(p.target()).into_owned();
                let data = String::from_utf8_lossy(p.content());
                let node = Node::Pi(target, normalize_eols(data.trim_start()));
                match stack.last_mut() {
                    Some(el) => el.children.push(node),
                    None if root.is_none() => prolog.push(node),
                    None => epilog.push(node),
                }
            }
            Event::Decl(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("unexpected end of document inside <{}>", open.name));
    }
    let root = root.ok_or_else(|| "no root element".to_string())?;
    Ok(Document {
        prolog,
        root,
        epilog,
    })
}

/// Parses both documents and compares them with [`compare`], comments and processing
/// instructions included.
pub fn compare_xml(a: &[u8], b: &[u8]) -> Result<(), String> {
    compare_xml_with(a, b, true)
}

/// [`compare_xml`] without comments and processing instructions.
pub fn compare_xml_ignoring_comments(a: &[u8], b: &[u8]) -> Result<(), String> {
    compare_xml_with(a, b, false)
}

fn compare_xml_with(a: &[u8], b: &[u8], misc: bool) -> Result<(), String> {
    let a = parse_document(a, misc).map_err(|e| format!("first document: {e}"))?;
    let b = parse_document(b, misc).map_err(|e| format!("second document: {e}"))?;
    if a.prolog != b.prolog {
        return Err(format!(
            "before the root element: {:?} != {:?}",
            a.prolog, b.prolog
        ));
    }
    if a.epilog != b.epilog {
        return Err(format!(
            "after the root element: {:?} != {:?}",
            a.epilog, b.epilog
        ));
    }
    compare(&a.root, &b.root)
}

/// Compares two infosets; on a difference returns a message naming the first
/// differing element by path (`/IODEF-Document/Incident[1]/Contact[2]`).
pub fn compare(a: &Element, b: &Element) -> Result<(), String> {
    let path = format!("/{}", a.name);
    compare_at(a, b, &path)
}

fn compare_at(a: &Element, b: &Element, path: &str) -> Result<(), String> {
    if a.ns != b.ns || a.name != b.name {
        return Err(format!(
            "{path}: element {} != {}",
            a.expanded(),
            b.expanded()
        ));
    }
    // Attributes (both lists are sorted by expanded name).
    let (mut i, mut j) = (0, 0);
    while i < a.attrs.len() || j < b.attrs.len() {
        let (x, y) = (a.attrs.get(i), b.attrs.get(j));
        match (x, y) {
            (Some(x), Some(y)) if (&x.ns, &x.name) == (&y.ns, &y.name) => {
                if !values_equal(&x.value, &y.value) {
                    return Err(format!(
                        "{path}: attribute {}: {:?} != {:?}",
                        expanded_name(&x.ns, &x.name),
                        x.value,
                        y.value
                    ));
                }
                i += 1;
                j += 1;
            }
            (Some(x), y) if y.is_none_or(|y| (&x.ns, &x.name) < (&y.ns, &y.name)) => {
                return Err(format!(
                    "{path}: attribute {}={:?} only in the first document",
                    expanded_name(&x.ns, &x.name),
                    x.value
                ));
            }
            (_, Some(y)) => {
                return Err(format!(
                    "{path}: attribute {}={:?} only in the second document",
                    expanded_name(&y.ns, &y.name),
                    y.value
                ));
            }
            _ => unreachable!("loop condition guarantees one side has an attribute"),
        }
    }
    // Children.
    // Occurrence counters per expanded name, for `Name[n]` path steps.
    let mut seen: Vec<(&str, &str, usize)> = Vec::new();
    for (k, pair) in a.children.iter().zip(&b.children).enumerate() {
        match pair {
            (Node::Element(x), Node::Element(y)) => {
                let n = match seen
                    .iter_mut()
                    .find(|(ns, name, _)| *ns == x.ns && *name == x.name)
                {
                    Some(entry) => {
                        entry.2 += 1;
                        entry.2
                    }
                    None => {
                        seen.push((&x.ns, &x.name, 1));
                        1
                    }
                };
                compare_at(x, y, &format!("{path}/{}[{n}]", x.name))?;
            }
            (Node::Text(x), Node::Text(y)) => {
                if !values_equal(x, y) {
                    return Err(format!(
                        "{path}: text (child #{}) {:?} != {:?}",
                        k + 1,
                        x,
                        y
                    ));
                }
            }
            (Node::Comment(x), Node::Comment(y)) if x == y => {}
            (Node::Pi(t, d), Node::Pi(u, e)) if t == u && d == e => {}
            (x, y) => {
                return Err(format!(
                    "{path}: child #{}: {} in the first document, {} in the second",
                    k + 1,
                    describe(x),
                    describe(y)
                ));
            }
        }
    }
    let (na, nb) = (a.children.len(), b.children.len());
    if na != nb {
        let (extra, which) = if na > nb {
            (&a.children[nb], "first")
        } else {
            (&b.children[na], "second")
        };
        let what = describe(extra);
        return Err(format!(
            "{path}: {na} children vs {nb}; child #{} ({what}) only in the {which} document",
            na.min(nb) + 1
        ));
    }
    Ok(())
}

fn describe(node: &Node) -> String {
    match node {
        Node::Element(e) => format!("element {}", e.expanded()),
        Node::Text(t) => format!("text {t:?}"),
        Node::Comment(c) => format!("comment {c:?}"),
        Node::Pi(t, d) => format!("processing instruction <?{t} {d}?>"),
    }
}

/// XSD whitespace facet `collapse`: runs of #x20/#x9/#xA/#xD become one space,
/// leading and trailing spaces removed.
pub fn collapse(s: &str) -> String {
    s.split([' ', '\t', '\n', '\r'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two lexical values denote the same value. The rules, each applied
/// to both values (the comparator does not know the schema type, so any rule
/// that fits both values is accepted):
pub fn values_equal(a: &str, b: &str) -> bool {
    // 1. Identical lexical forms are always equal.
    if a == b {
        return true;
    }
    // 2. Whitespace collapse: most XSD types (token, decimal, dateTime, enumerations)
    //    have whiteSpace=collapse, and writers may re-indent text.
    let (ca, cb) = (collapse(a), collapse(b));
    if ca == cb {
        return true;
    }
    // 3. xs:decimal/xs:integer value space: 1.50 == 1.5, +1 == 1, 007 == 7, -0 == 0.
    if let (Some(x), Some(y)) = (decimal_canonical(&ca), decimal_canonical(&cb)) {
        if x == y {
            return true;
        }
    }
    // 4. xs:boolean value space: 1 == true, 0 == false.
    if let (Some(x), Some(y)) = (boolean(&ca), boolean(&cb)) {
        if x == y {
            return true;
        }
    }
    // 5. xs:dateTime value space: the same instant (Z == +00:00, fractions 1.50 == 1.5,
    //    offsets applied); values without a timezone only match each other.
    if let (Some(x), Some(y)) = (date_time_instant(&ca), date_time_instant(&cb)) {
        if x == y {
            return true;
        }
    }
    // 6. xs:base64Binary/xs:hexBinary: whitespace inside is insignificant (line
    //    wrapping), provided the value without whitespace is well-formed base64 or hex
    //    (so that "Exam ple" and "Example" still differ).
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
            .collect::<String>()
    };
    let (sa, sb) = (strip(a), strip(b));
    sa == sb && (is_base64(&sa) || is_hex(&sa))
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    !s.is_empty()
        && s.len() % 4 == 0
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.len() % 2 == 0 && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Canonical form of an xs:decimal lexical value: (negative, integer digits, fraction digits).
fn decimal_canonical(s: &str) -> Option<(bool, String, String)> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, f),
        None => (rest, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0').to_string();
    let frac = frac.trim_end_matches('0').to_string();
    let zero = int.is_empty() && frac.is_empty();
    Some((neg && !zero, int, frac))
}

fn boolean(s: &str) -> Option<bool> {
    match s {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// An xs:dateTime reduced to (has timezone, seconds since 0000-03-01 UTC-or-local,
/// fraction digits without trailing zeros).
fn date_time_instant(s: &str) -> Option<(bool, i128, String)> {
    let (neg_year, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (date, time) = s.split_once('T')?;
    let mut dparts = date.splitn(3, '-');
    let (y, mo, d) = (dparts.next()?, dparts.next()?, dparts.next()?);
    if y.len() < 4 || mo.len() != 2 || d.len() != 2 {
        return None;
    }
    let year: i128 = digits(y)?;
    let year = if neg_year { -year } else { year };
    let (month, day): (i128, i128) = (digits(mo)?, digits(d)?);
    // Split off the timezone.
    let (clock, tz_minutes) = if let Some(c) = time.strip_suffix('Z') {
        (c, Some(0i128))
    } else if time.len() > 6 && matches!(time.as_bytes()[time.len() - 6], b'+' | b'-') {
        let (c, tz) = time.split_at(time.len() - 6);
        let sign = if tz.starts_with('-') { -1 } else { 1 };
        let (th, tm) = tz[1..].split_once(':')?;
        if th.len() != 2 || tm.len() != 2 {
            return None;
        }
        let (th, tm): (i128, i128) = (digits(th)?, digits(tm)?);
        if th > 14 || tm > 59 {
            return None;
        }
        (c, Some(sign * (th * 60 + tm)))
    } else {
        (time, None)
    };
    let mut cparts = clock.splitn(3, ':');
    let (h, mi, sec) = (cparts.next()?, cparts.next()?, cparts.next()?);
    if h.len() != 2 || mi.len() != 2 {
        return None;
    }
    let (whole, frac) = match sec.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => (w, f),
        Some(_) => return None,
        None => (sec, ""),
    };
    if whole.len() != 2 {
        return None;
    }
    let (hour, minute, second): (i128, i128, i128) = (digits(h)?, digits(mi)?, digits(whole)?);
    let frac = frac.trim_end_matches('0').to_string();
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || minute > 59 || second > 59 {
        return None;
    }
    if hour > 24 || (hour == 24 && (minute != 0 || second != 0 || !frac.is_empty())) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let mut secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    if let Some(tz) = tz_minutes {
        secs -= tz * 60;
    }
    Some((tz_minutes.is_some(), secs, frac))
}

fn digits(s: &str) -> Option<i128> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || s.len() > 30 {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
fn days_from_civil(y: i128, m: i128, d: i128) -> i128 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Serializes an infoset in a simple canonical text form (one node per line),
/// handy for diffing two documents in failure messages.
pub fn dump(el: &Element) -> String {
    let mut out = String::new();
    dump_into(el, 0, &mut out);
    out
}

fn dump_into(el: &Element, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let _ = write!(out, "{indent}<{}", el.expanded());
    for a in &el.attrs {
        let _ = write!(out, " {}={:?}", expanded_name(&a.ns, &a.name), a.value);
    }
    out.push_str(">\n");
    for c in &el.children {
        match c {
            Node::Element(e) => dump_into(e, depth + 1, out),
            Node::Text(t) => {
                let _ = writeln!(out, "{indent}  {:?}", t);
            }
            other => {
                let _ = writeln!(out, "{indent}  {}", describe(other));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<IODEF-Document version="2.00" lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">
  <Incident purpose="reporting" restriction="private">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <?pi ignored?>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Description xml:lang="en">A &amp; B &#x41;<![CDATA[<c>]]></Description>
    <Contact type="organization" role="creator">
      <ContactName>Example</ContactName>
      <Email><EmailTo>contact@csirt.example.com</EmailTo></Email>
    </Contact>
    <Contact type="person" role="tech"/>
  </Incident>
</IODEF-Document>
"#;

    fn err(a: &str, b: &str) -> String {
        compare_xml(a.as_bytes(), b.as_bytes()).expect_err("documents should differ")
    }

    #[test]
    fn parses_structure() {
        let root = parse(DOC.as_bytes()).unwrap();
        assert_eq!(root.ns, "urn:ietf:params:xml:ns:iodef-2.0");
        assert_eq!(root.name, "IODEF-Document");
        let names: Vec<_> = root.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["lang", "version", "schemaLocation"]);
        let incident = root.elements().next().unwrap();
        assert_eq!(incident.elements().count(), 5, "{}", dump(incident));
        let descr = incident.elements().nth(2).unwrap();
        assert_eq!(descr.text(), "A & B A<c>");
        assert_eq!(descr.children.len(), 1, "adjacent text/refs/CDATA merge");
        assert_eq!(descr.attrs[0].ns, XML_NS);
    }

    #[test]
    fn equals_itself() {
        compare_xml(DOC.as_bytes(), DOC.as_bytes()).unwrap();
    }

    #[test]
    fn prefixes_and_indentation_do_not_matter() {
        let other = r#"<i:IODEF-Document xmlns:i="urn:ietf:params:xml:ns:iodef-2.0" lang="en" version="2.00" xmlns:s="http://www.w3.org/2001/XMLSchema-instance" s:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0   iodef-2.0.xsd"><i:Incident restriction="private" purpose="reporting"><i:IncidentID name="csirt.example.com">492382</i:IncidentID><i:GenerationTime>2015-07-18T14:00:00Z</i:GenerationTime><i:Description xml:lang="en">A &amp; B A&lt;c></i:Description><i:Contact role="creator" type="organization"><i:ContactName>Example</i:ContactName><i:Email><i:EmailTo>contact@csirt.example.com</i:EmailTo></i:Email></i:Contact><i:Contact role="tech" type="person"></i:Contact></i:Incident></i:IODEF-Document>"#;
        compare_xml_ignoring_comments(DOC.as_bytes(), other.as_bytes()).unwrap();
        compare_xml_ignoring_comments(other.as_bytes(), DOC.as_bytes()).unwrap();
        // DOC has a comment before the root and a PI in Incident: compared by default.
        let e = compare_xml(DOC.as_bytes(), other.as_bytes()).unwrap_err();
        assert!(e.contains("before the root element"), "{e}");
    }

    #[test]
    fn finds_comment_and_pi_differences() {
        let a = "<!--p--><r><a/><!--c--><?pi d?><b/></r><!--e-->";
        compare_xml(a.as_bytes(), a.as_bytes()).unwrap();
        let e = err(a, "<!--p--><r><a/><!--x--><?pi d?><b/></r><!--e-->");
        assert!(e.contains("/r: child #2: comment \"c\""), "{e}");
        let e = err(a, "<!--p--><r><a/><!--c--><?pi e?><b/></r><!--e-->");
        assert!(e.contains("child #3: processing instruction"), "{e}");
        let e = err(a, "<!--p--><r><a/><!--c--><?pi d?><b/></r>");
        assert!(e.contains("after the root element"), "{e}");
        let e = err(a, "<r><a/><!--c--><?pi d?><b/></r><!--e-->");
        assert!(e.contains("before the root element"), "{e}");
        // Position among the children matters.
        let e = err(a, "<!--p--><r><!--c--><a/><?pi d?><b/></r><!--e-->");
        assert!(e.contains("/r: child #1"), "{e}");
    }

    #[test]
    fn finds_changed_attribute() {
        let e = err(DOC, &DOC.replace(r#"role="tech""#, r#"role="admin""#));
        assert!(
            e.contains("/IODEF-Document/Incident[1]/Contact[2]: attribute role"),
            "{e}"
        );
        let e = err(DOC, &DOC.replace(r#" restriction="private""#, ""));
        assert!(
            e.contains("/IODEF-Document/Incident[1]: attribute restriction"),
            "{e}"
        );
        assert!(e.contains("only in the first"), "{e}");
        let e = err(
            DOC,
            &DOC.replace(
                r#"<Contact type="person" role="tech"/>"#,
                r#"<Contact type="person" role="tech" x="1"/>"#,
            ),
        );
        assert!(e.contains("attribute x=\"1\" only in the second"), "{e}");
    }

    #[test]
    fn finds_changed_text() {
        let e = err(DOC, &DOC.replace("492382", "492383"));
        assert!(
            e.contains("/IODEF-Document/Incident[1]/IncidentID[1]: text"),
            "{e}"
        );
        let e = err(
            DOC,
            &DOC.replace(
                "<ContactName>Example</ContactName>",
                "<ContactName>Exam ple</ContactName>",
            ),
        );
        assert!(e.contains("ContactName[1]"), "{e}");
        // Whitespace-only sole content equals empty content (see `finish`)...
        compare_xml(b"<a><b> </b></a>", b"<a><b/></a>").expect("blank equals empty");
        // ...but not other text.
        let e = err("<a><b> x </b></a>", "<a><b/></a>");
        assert!(e.contains("/a/b[1]"), "{e}");
    }

    #[test]
    fn finds_element_order_and_missing_elements() {
        let swapped = DOC.replace(
            "<IncidentID name=\"csirt.example.com\">492382</IncidentID>\n    <?pi ignored?>\n    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>",
            "<GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>\n    <IncidentID name=\"csirt.example.com\">492382</IncidentID>",
        );
        assert_ne!(swapped, DOC);
        let e = err(DOC, &swapped);
        assert!(
            e.contains("/IODEF-Document/Incident[1]") && e.contains("IncidentID"),
            "{e}"
        );
        let e = err(
            DOC,
            &DOC.replace(r#"<Contact type="person" role="tech"/>"#, ""),
        );
        assert!(e.contains("only in the first document"), "{e}");
        assert!(e.contains("Contact"), "{e}");
    }

    #[test]
    fn finds_changed_namespace() {
        let e = err(
            DOC,
            &DOC.replace(
                "xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\"",
                "xmlns=\"urn:ietf:params:xml:ns:iodef-1.0\"",
            ),
        );
        assert!(e.contains("iodef-1.0"), "{e}");
        let e = err(
            "<a xmlns='urn:x'><b/></a>",
            "<a xmlns='urn:x'><b xmlns='urn:y'/></a>",
        );
        assert!(
            e.starts_with("/a/b[1]: element {urn:x}b != {urn:y}b"),
            "{e}"
        );
        let e = err("<a xmlns:p='urn:p' p:k='v'/>", "<a k='v'/>");
        assert!(
            e.starts_with("/a: attribute k=\"v\" only in the second"),
            "{e}"
        );
        let e = err(
            "<a xmlns:p='urn:p' p:k='v'/>",
            "<a xmlns:q='urn:q' q:k='v'/>",
        );
        assert!(e.contains("{urn:p}k"), "{e}");
    }

    #[test]
    fn value_space_equalities() {
        for (a, b) in [
            ("1.50", "1.5"),
            ("+1", "1"),
            ("007", "7.0"),
            ("-0.0", "0"),
            (".5", "0.50"),
            ("1", "true"),
            ("false", "0"),
            ("  tok  en \n", "tok en"),
            ("2015-07-18T14:00:00Z", "2015-07-18T14:00:00+00:00"),
            ("2015-07-18T09:00:00-05:00", "2015-07-18T14:00:00Z"),
            ("2015-07-18T14:00:00.500Z", "2015-07-18T14:00:00.5Z"),
            ("2015-07-18T24:00:00Z", "2015-07-19T00:00:00Z"),
            ("2016-02-28T23:30:00-01:00", "2016-02-29T00:30:00Z"),
            ("2015-07-18T14:00:00", "2015-07-18T14:00:00.0"),
            ("QUJD\nREVG", "QUJDREVG"),
            ("QUJD REVG\r\n", "QUJDREVG"),
            ("0a1B\n2c", "0a1B2c"),
            // Integers of any size compare exactly (digit strings, never f64).
            ("-0", "+000"),
            (
                "+0001461501637330902918203684832716283019655932542975",
                "1461501637330902918203684832716283019655932542975",
            ),
            (" -036893488147419103232\n", "-36893488147419103232"),
        ] {
            assert!(values_equal(a, b), "{a:?} should equal {b:?}");
            assert!(values_equal(b, a), "{b:?} should equal {a:?}");
        }
        for (a, b) in [
            ("1.5", "1.05"),
            ("-1", "1"),
            ("1", "10"),
            ("true", "false"),
            ("2", "true"),
            ("1.0", "true"),
            ("2015-07-18T14:00:00Z", "2015-07-18T14:00:01Z"),
            ("2015-07-18T14:00:00Z", "2015-07-18T14:00:00"),
            ("2015-07-18T14:00:00.5Z", "2015-07-18T14:00:00.05Z"),
            ("abc", "abd"),
            ("a b", "ab c"),
            ("Exam ple", "Example"),
            ("QUJD REVG", "QUJDREV G="),
            // Equal as f64, different integers.
            ("18446744073709551617", "18446744073709551616"),
            (
                "1461501637330902918203684832716283019655932542975",
                "1461501637330902918203684832716283019655932542974",
            ),
            ("36893488147419103232", "-36893488147419103232"),
        ] {
            assert!(!values_equal(a, b), "{a:?} should differ from {b:?}");
        }
        compare_xml(
            br#"<a v="1.50"><b>2015-07-18T14:00:00Z</b></a>"#,
            br#"<a v="1.5"><b>2015-07-18T14:00:00+00:00</b></a>"#,
        )
        .unwrap();
    }

    #[test]
    fn attribute_value_normalization() {
        let a = parse(b"<a v='x\ny&#10;z\tw'/>").unwrap();
        assert_eq!(a.attrs[0].value, "x y\nz w");
    }

    #[test]
    fn malformed_input_is_an_error() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "<p:a/>",
            "<a>&bogus;</a>",
            "<a x='1' x='2'/>",
            "text<a/>",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?} should not parse");
        }
    }
}
