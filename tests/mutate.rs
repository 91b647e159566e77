//! A deterministic mutator for XML documents, used by the mutation test
//! (`tests/tests/mutation.rs`): it derives invalid (or at least different)
//! documents from valid corpus documents, one small edit each.
//!
//! The mutator works on the XML text: [`scan`] reads the document once with
//! quick-xml and records the byte span of every start tag, end tag, attribute
//! and text content, and each [`Mutation`] is a list of byte-range
//! replacements ([`Edit`]s), so a mutant keeps every byte of the original
//! outside the mutated span (no DOM, no re-serialisation).
//!
//! Every mutation names the element it targets by its element path, in the
//! format of `iodef::Error::path`: local names, the root without index, every
//! other step with its 1-based index among the siblings of the same local name
//! (`/IODEF-Document/Incident[1]/Contact[2]`).
//!
//! [`candidates`] enumerates every mutation of every [`Operator`] for one
//! document; [`sample`] picks a deterministic subset spread over operators and
//! documents (seeded SplitMix64 shuffle, then round-robin over documents).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use quick_xml::events::Event;

/// Namespace of the [`Operator::WrongNamespace`] mutants.
pub const WRONG_NAMESPACE: &str = "urn:example:wrong";
/// Prefix bound to [`WRONG_NAMESPACE`] on the moved element.
pub const WRONG_PREFIX: &str = "mutns";
/// The value of [`Operator::BadEnum`] mutants.
pub const BAD_ENUM: &str = "no-such-value-x";
/// The text of [`Operator::BadDateTime`] mutants.
pub const BAD_DATETIME: &str = "2015-13-45T25:61:00Z";
/// The value of [`Operator::DanglingIdref`] mutants.
pub const DANGLING_ID: &str = "no-such-id";
/// The root `version` of [`Operator::WrongVersion`] mutants.
pub const BAD_VERSION: &str = "9.99";
/// The local name of the element [`Operator::UnknownElement`] inserts.
pub const BOGUS: &str = "Bogus";
/// The text of [`Operator::BadPort`] mutants.
pub const BAD_PORT: &str = "1-x";
/// The value of [`Operator::BadLang`] mutants: not an `xs:language` tag.
pub const BAD_LANG: &str = "not a tag!";

/// The kinds of mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    /// Remove one attribute (namespace declarations excepted); optional ones too.
    DropAttribute,
    /// Remove one element (start tag to end tag), never the root.
    DropElement,
    /// Swap an element with its next sibling element (when their names differ).
    SwapSiblings,
    /// Replace an NMTOKEN-like attribute value with [`BAD_ENUM`].
    BadEnum,
    /// Replace `xs:dateTime`-like text content with [`BAD_DATETIME`].
    BadDateTime,
    /// Set an `observable-id` to the value of the nearest earlier distinct one.
    DuplicateId,
    /// Set a `uid-ref` to [`DANGLING_ID`].
    DanglingIdref,
    /// Rename an element (start and end tag) into [`WRONG_NAMESPACE`], declared on it.
    WrongNamespace,
    /// Set the root's `version` attribute to [`BAD_VERSION`].
    WrongVersion,
    /// Insert `<Bogus xmlns="NS"/>` as the first child (NS: the element's namespace).
    UnknownElement,
    /// Replace the text of a `Port` or `Portlist` element with [`BAD_PORT`].
    BadPort,
    /// Set an `xml:lang` or (IODEF 1.0, RID) `lang` attribute to [`BAD_LANG`].
    BadLang,
}

impl Operator {
    /// Every operator, in a fixed order.
    pub const ALL: [Operator; 12] = [
        Operator::DropAttribute,
        Operator::DropElement,
        Operator::SwapSiblings,
        Operator::BadEnum,
        Operator::BadDateTime,
        Operator::DuplicateId,
        Operator::DanglingIdref,
        Operator::WrongNamespace,
        Operator::WrongVersion,
        Operator::UnknownElement,
        Operator::BadPort,
        Operator::BadLang,
    ];

    /// A short kebab-case name (used in file names and reports).
    pub fn name(self) -> &'static str {
        match self {
            Operator::DropAttribute => "drop-attribute",
            Operator::DropElement => "drop-element",
            Operator::SwapSiblings => "swap-siblings",
            Operator::BadEnum => "bad-enum",
            Operator::BadDateTime => "bad-datetime",
            Operator::DuplicateId => "duplicate-id",
            Operator::DanglingIdref => "dangling-idref",
            Operator::WrongNamespace => "wrong-namespace",
            Operator::WrongVersion => "wrong-version",
            Operator::UnknownElement => "unknown-element",
            Operator::BadPort => "bad-port",
            Operator::BadLang => "bad-lang",
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One attribute of a start tag, with byte spans into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Qualified name as written (`xml:lang`, `category`).
    pub name: String,
    /// Prefix, if any.
    pub prefix: Option<String>,
    /// Local name.
    pub local: String,
    /// Raw value (entity references not expanded).
    pub value: String,
    /// From the whitespace before the name to the closing quote: removing it
    /// removes the attribute cleanly.
    pub span: Range<usize>,
    /// The value between the quotes.
    pub value_span: Range<usize>,
}

impl Attr {
    /// `xmlns` or `xmlns:p`.
    pub fn is_namespace_declaration(&self) -> bool {
        self.name == "xmlns" || self.prefix.as_deref() == Some("xmlns")
    }
}

/// One element of a scanned document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Qualified name as written.
    pub qname: String,
    /// Prefix, if any.
    pub prefix: Option<String>,
    /// Local name.
    pub local: String,
    /// Namespace URI (empty for none).
    pub namespace: String,
    /// Element path, as in `iodef::Error::path`.
    pub path: String,
    /// Index of the parent in [`Scan::nodes`].
    pub parent: Option<usize>,
    /// Indices of the child elements, in document order.
    pub children: Vec<usize>,
    /// `<` to `>` of the start tag (or of the empty-element tag).
    pub start_tag: Range<usize>,
    /// `</` to `>` of the end tag; `None` for `<x/>`.
    pub end_tag: Option<Range<usize>>,
    /// Attributes in document order.
    pub attrs: Vec<Attr>,
    /// Between the start and end tag when the content has no markup at all
    /// (no child element, comment, CDATA or processing instruction).
    pub text: Option<Range<usize>>,
}

impl Node {
    /// The whole element, start tag to end tag.
    pub fn span(&self) -> Range<usize> {
        let end = self.end_tag.as_ref().map_or(self.start_tag.end, |e| e.end);
        self.start_tag.start..end
    }

    /// The attribute with this qualified name.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The path of the parent element, `None` for the root.
    pub fn parent_path(&self) -> Option<&str> {
        self.path
            .rfind('/')
            .filter(|&i| i > 0)
            .map(|i| &self.path[..i])
    }
}

/// A scanned document: the elements in document order (the root first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Every element, in document order of their start tags.
    pub nodes: Vec<Node>,
}

impl Scan {
    /// The element with this path.
    pub fn find(&self, path: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// Values of the `xs:ID`s that the corpus schemas declare and that this
    /// element carries: `observable-id`, `Id` (xmldsig), `xml:id`
    /// attributes, and the text of `IndicatorID` (IODEF 2.0).
    pub fn ids_of<'s>(&'s self, node: &'s Node, input: &'s str) -> Vec<&'s str> {
        let mut out: Vec<&str> = node
            .attrs
            .iter()
            .filter(|a| is_id_attribute(&a.name))
            .map(|a| a.value.trim())
            .collect();
        if node.local == "IndicatorID" {
            if let Some(t) = &node.text {
                out.push(input[t.clone()].trim());
            }
        }
        out
    }

    /// Indices of `node` and all its descendants.
    pub fn subtree(&self, node: usize) -> Vec<usize> {
        let mut out = vec![node];
        let mut i = 0;
        while i < out.len() {
            out.extend(self.nodes[out[i]].children.iter().copied());
            i += 1;
        }
        out
    }
}

/// Whether an attribute of this qualified name is an `xs:ID` in the corpus schemas.
pub fn is_id_attribute(name: &str) -> bool {
    matches!(name, "observable-id" | "Id" | "xml:id")
}

/// One byte-range replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Replaced bytes of the original.
    pub range: Range<usize>,
    /// What they become.
    pub replacement: String,
}

/// A mutation of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    /// The operator.
    pub operator: Operator,
    /// Path of the mutated element (of the dropped one for [`Operator::DropElement`],
    /// of the first one of the pair for [`Operator::SwapSiblings`]). Paths of
    /// every element that still exists are the same in the mutant: no
    /// mutation renumbers the target or its ancestors.
    pub target: String,
    /// Path of the target's parent (`None` for the root).
    pub parent: Option<String>,
    /// [`Operator::SwapSiblings`]: path of the other element of the pair.
    pub sibling: Option<String>,
    /// What was done, for reports (`drop attribute category`, ...).
    pub description: String,
    /// `xs:ID` values whose only definition the mutation removes or changes
    /// (a dangling `uid-ref` elsewhere may then be the first error).
    pub removed_ids: Vec<String>,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
}

impl Mutation {
    /// Applies the mutation to the document it was computed for.
    pub fn apply(&self, input: &str) -> String {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let mut out = String::with_capacity(input.len() + 64);
        let mut at = 0;
        for e in edits {
            assert!(e.range.start >= at, "overlapping edits in {self:?}");
            out.push_str(&input[at..e.range.start]);
            out.push_str(&e.replacement);
            at = e.range.end;
        }
        out.push_str(&input[at..]);
        out
    }
}

fn split_qname(q: &str) -> (Option<String>, String) {
    match q.split_once(':') {
        Some((p, l)) => (Some(p.to_string()), l.to_string()),
        None => (None, q.to_string()),
    }
}

/// Parses the attributes of a start tag `tag` (from `<` to `>`), whose name
/// ends at `name_end`; spans are offset by `base`.
fn scan_attributes(tag: &str, name_end: usize, base: usize) -> Result<Vec<Attr>, String> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = name_end;
    loop {
        let ws_start = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] == b'/' || b[i] == b'>' {
            return Ok(out);
        }
        if i == ws_start {
            return Err(format!("no whitespace before attribute in {tag:?}"));
        }
        let name_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &tag[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(format!("attribute {name} without value in {tag:?}"));
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *b
            .get(i)
            .ok_or_else(|| format!("truncated attribute {name}"))?;
        if quote != b'"' && quote != b'\'' {
            return Err(format!("unquoted attribute {name} in {tag:?}"));
        }
        let value_start = i + 1;
        let len = tag[value_start..]
            .find(quote as char)
            .ok_or_else(|| format!("unterminated attribute {name}"))?;
        let value_end = value_start + len;
        i = value_end + 1;
        let (prefix, local) = split_qname(name);
        out.push(Attr {
            name: name.to_string(),
            prefix,
            local,
            value: tag[value_start..value_end].to_string(),
            span: base + ws_start..base + i,
            value_span: base + value_start..base + value_end,
        });
    }
}

/// Scans a (well-formed) document: every element with its spans, namespace and path.
pub fn scan(input: &str) -> Result<Scan, String> {
    let mut reader = quick_xml::Reader::from_str(input);
    reader.config_mut().check_end_names = true;
    let mut nodes: Vec<Node> = Vec::new();
    // Open elements: node index, whether their content has markup.
    let mut stack: Vec<(usize, bool)> = Vec::new();
    // Namespace scopes: one list of (prefix, uri) per open element.
    let mut scopes: Vec<Vec<(Option<String>, String)>> = Vec::new();
    // Per open element (and one for the document): local name -> count of children so far.
    let mut counts: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new()];
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {before}: {e}"))?;
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                let start = input[..after]
                    .rfind('<')
                    .filter(|&s| s >= before)
                    .ok_or("start tag without '<'")?;
                // The last '<' before the end may be inside an attribute value? No: '<'
                // is not allowed there, so it is the tag's own.
                let tag = &input[start..after];
                let qname = std::str::from_utf8(e.name().as_ref())
                    .map_err(|e| e.to_string())?
                    .to_string();
                if !tag[1..].starts_with(&qname) {
                    return Err(format!("tag {tag:?} does not start with {qname}"));
                }
                let attrs = scan_attributes(tag, 1 + qname.len(), start)?;
                let mut scope = Vec::new();
                for a in &attrs {
                    if a.name == "xmlns" {
                        scope.push((None, a.value.clone()));
                    } else if a.prefix.as_deref() == Some("xmlns") {
                        scope.push((Some(a.local.clone()), a.value.clone()));
                    }
                }
                scopes.push(scope);
                let (prefix, local) = split_qname(&qname);
                let namespace = if prefix.as_deref() == Some("xml") {
                    "http://www.w3.org/XML/1998/namespace".to_string()
                } else {
                    scopes
                        .iter()
                        .rev()
                        .flat_map(|s| s.iter())
                        .find(|(p, _)| *p == prefix)
                        .map(|(_, u)| u.clone())
                        .or_else(|| prefix.is_none().then(String::new))
                        .ok_or_else(|| format!("unbound prefix in {qname}"))?
                };
                let parent = stack.last().map(|&(p, _)| p);
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
                let level = counts.last_mut().expect("document level");
                let index = level.entry(local.clone()).or_insert(0);
                *index += 1;
                let path = match parent {
                    None => format!("/{local}"),
                    Some(p) => format!("{}/{local}[{index}]", nodes[p].path),
                };
                let id = nodes.len();
                if let Some(p) = parent {
                    nodes[p].children.push(id);
                }
                nodes.push(Node {
                    qname,
                    prefix,
                    local,
                    namespace,
                    path,
                    parent,
                    children: Vec::new(),
                    start_tag: start..after,
                    end_tag: None,
                    attrs,
                    text: None,
                });
                if empty {
                    scopes.pop();
                } else {
                    stack.push((id, false));
                    counts.push(BTreeMap::new());
                }
            }
            Event::End(_) => {
                let (id, markup) = stack.pop().ok_or("end tag without start")?;
                scopes.pop();
                counts.pop();
                let start = input[..after].rfind("</").ok_or("end tag without '</'")?;
                let node = &mut nodes[id];
                node.end_tag = Some(start..after);
                if !markup {
                    node.text = Some(node.start_tag.end..start);
                }
            }
            Event::Comment(_) | Event::CData(_) | Event::PI(_) => {
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if nodes.is_empty() {
        return Err("no root element".to_string());
    }
    Ok(Scan { nodes })
}

/// Whether `v` looks like an `xs:NMTOKEN` (ASCII name characters only).
fn is_nmtoken_like(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':'))
}

/// Whether `s` has the lexical shape of an `xs:dateTime`:
/// `-?YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?` (digits only checked, not ranges).
pub fn looks_like_datetime(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let b = s.as_bytes();
    let digits = |r: Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let year = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year < 4 {
        return false;
    }
    let rest = &b[year..];
    let off = year;
    let shape = rest.len() >= 15
        && rest[0] == b'-'
        && digits(off + 1..off + 3)
        && rest[3] == b'-'
        && digits(off + 4..off + 6)
        && rest[6] == b'T'
        && digits(off + 7..off + 9)
        && rest[9] == b':'
        && digits(off + 10..off + 12)
        && rest[12] == b':'
        && digits(off + 13..off + 15);
    if !shape {
        return false;
    }
    let mut tail = &s[off + 15..];
    if let Some(frac) = tail.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        tail = &frac[n..];
    }
    match tail {
        "" | "Z" => true,
        tz => {
            let t = tz.as_bytes();
            t.len() == 6
                && matches!(t[0], b'+' | b'-')
                && t[1..3].iter().all(u8::is_ascii_digit)
                && t[3] == b':'
                && t[4..6].iter().all(u8::is_ascii_digit)
        }
    }
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

struct Builder<'s> {
    scan: &'s Scan,
    input: &'s str,
    out: Vec<Mutation>,
}

impl Builder<'_> {
    fn push(&mut self, operator: Operator, node: usize, description: String, edits: Vec<Edit>) {
        let n = &self.scan.nodes[node];
        self.out.push(Mutation {
            operator,
            target: n.path.clone(),
            parent: n.parent_path().map(str::to_string),
            sibling: None,
            description,
            removed_ids: Vec::new(),
            edits,
        });
    }

    fn last(&mut self) -> &mut Mutation {
        self.out.last_mut().expect("just pushed")
    }

    /// IDs that `nodes` define and that no other element of the document defines.
    fn only_definitions(&self, nodes: &[usize], ids: Vec<String>) -> Vec<String> {
        let mut out = Vec::new();
        for id in ids {
            let elsewhere = self
                .scan
                .nodes
                .iter()
                .enumerate()
                .filter(|(i, _)| !nodes.contains(i))
                .any(|(_, n)| self.scan.ids_of(n, self.input).contains(&id.as_str()));
            if !elsewhere && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}

/// Every mutation of every operator for `input`, in a fixed order (operators
/// in [`Operator::ALL`] order, then document order).
pub fn candidates(input: &str) -> Result<Vec<Mutation>, String> {
    let scan = scan(input)?;
    let mut b = Builder {
        scan: &scan,
        input,
        out: Vec::new(),
    };
    let nodes = &scan.nodes;
    for op in Operator::ALL {
        for (i, n) in nodes.iter().enumerate() {
            match op {
                Operator::DropAttribute => {
                    for a in n.attrs.iter().filter(|a| !a.is_namespace_declaration()) {
                        b.push(
                            op,
                            i,
                            format!("drop attribute {}", a.name),
                            vec![Edit {
                                range: a.span.clone(),
                                replacement: String::new(),
                            }],
                        );
                        if is_id_attribute(&a.name) {
                            let removed =
                                b.only_definitions(&[i], vec![a.value.trim().to_string()]);
                            b.last().removed_ids = removed;
                        }
                    }
                }
                Operator::DropElement if n.parent.is_some() => {
                    b.push(
                        op,
                        i,
                        format!("drop element {}", n.qname),
                        vec![Edit {
                            range: n.span(),
                            replacement: String::new(),
                        }],
                    );
                    let subtree = scan.subtree(i);
                    let ids = subtree
                        .iter()
                        .flat_map(|&d| scan.ids_of(&nodes[d], input))
                        .map(str::to_string)
                        .collect();
                    let removed = b.only_definitions(&subtree, ids);
                    b.last().removed_ids = removed;
                }
                Operator::SwapSiblings => {
                    let Some(p) = n.parent else { continue };
                    let siblings = &nodes[p].children;
                    let at = siblings
                        .iter()
                        .position(|&c| c == i)
                        .expect("child of parent");
                    let Some(&next) = siblings.get(at + 1) else {
                        continue;
                    };
                    let m = &nodes[next];
                    if m.local == n.local {
                        // Swapping same-named siblings keeps every path and is nearly always
                        // valid (repeated particles): not worth a mutant.
                        continue;
                    }
                    b.push(
                        op,
                        i,
                        format!("swap {} with next sibling {}", n.qname, m.qname),
                        vec![
                            Edit {
                                range: n.span(),
                                replacement: input[m.span()].to_string(),
                            },
                            Edit {
                                range: m.span(),
                                replacement: input[n.span()].to_string(),
                            },
                        ],
                    );
                    b.last().sibling = Some(m.path.clone());
                }
                Operator::BadEnum => {
                    for a in n.attrs.iter().filter(|a| {
                        !a.is_namespace_declaration()
                            && is_nmtoken_like(&a.value)
                            && a.value != BAD_ENUM
                    }) {
                        b.push(
                            op,
                            i,
                            format!("attribute {}={BAD_ENUM:?} (was {:?})", a.name, a.value),
                            vec![Edit {
                                range: a.value_span.clone(),
                                replacement: BAD_ENUM.to_string(),
                            }],
                        );
                        if is_id_attribute(&a.name) {
                            let removed = b.only_definitions(&[i], vec![a.value.clone()]);
                            b.last().removed_ids = removed;
                        }
                    }
                }
                Operator::BadDateTime => {
                    let Some(t) = &n.text else { continue };
                    let text = &input[t.clone()];
                    if looks_like_datetime(text.trim()) {
                        b.push(
                            op,
                            i,
                            format!("text of {} = {BAD_DATETIME} (was {})", n.qname, text.trim()),
                            vec![Edit {
                                range: t.clone(),
                                replacement: BAD_DATETIME.to_string(),
                            }],
                        );
                    }
                }
                Operator::DuplicateId => {
                    let Some(a) = n.attr("observable-id") else {
                        continue;
                    };
                    let earlier = nodes[..i]
                        .iter()
                        .rev()
                        .filter_map(|e| e.attr("observable-id"))
                        .find(|e| e.value != a.value);
                    if let Some(e) = earlier {
                        b.push(
                            op,
                            i,
                            format!("observable-id={:?} (was {:?})", e.value, a.value),
                            vec![Edit {
                                range: a.value_span.clone(),
                                replacement: e.value.clone(),
                            }],
                        );
                        let removed = b.only_definitions(&[i], vec![a.value.clone()]);
                        b.last().removed_ids = removed;
                    }
                }
                Operator::DanglingIdref => {
                    if let Some(a) = n.attr("uid-ref") {
                        b.push(
                            op,
                            i,
                            format!("uid-ref={DANGLING_ID:?} (was {:?})", a.value),
                            vec![Edit {
                                range: a.value_span.clone(),
                                replacement: DANGLING_ID.to_string(),
                            }],
                        );
                    }
                }
                Operator::WrongNamespace => {
                    let new_name = format!("{WRONG_PREFIX}:{}", n.local);
                    let name_start = n.start_tag.start + 1;
                    let mut edits = vec![Edit {
                        range: name_start..name_start + n.qname.len(),
                        replacement: format!(
                            "{new_name} xmlns:{WRONG_PREFIX}=\"{WRONG_NAMESPACE}\""
                        ),
                    }];
                    if let Some(end) = &n.end_tag {
                        let s = end.start + 2;
                        edits.push(Edit {
                            range: s..s + n.qname.len(),
                            replacement: new_name,
                        });
                    }
                    b.push(
                        op,
                        i,
                        format!("{} moved to {{{WRONG_NAMESPACE}}}", n.qname),
                        edits,
                    );
                }
                Operator::WrongVersion if n.parent.is_none() => {
                    if let Some(a) = n.attr("version") {
                        b.push(
                            op,
                            i,
                            format!("root version={BAD_VERSION:?} (was {:?})", a.value),
                            vec![Edit {
                                range: a.value_span.clone(),
                                replacement: BAD_VERSION.to_string(),
                            }],
                        );
                    }
                }
                Operator::UnknownElement => {
                    let bogus = format!("<{BOGUS} xmlns=\"{}\"/>", escape_attr(&n.namespace));
                    let edit = if n.end_tag.is_some() {
                        Edit {
                            range: n.start_tag.end..n.start_tag.end,
                            replacement: bogus,
                        }
                    } else {
                        // <x .../> becomes <x ...><Bogus/></x>.
                        let close = input[n.start_tag.clone()]
                            .rfind("/>")
                            .expect("empty-element tag ends with />")
                            + n.start_tag.start;
                        Edit {
                            range: close..n.start_tag.end,
                            replacement: format!(">{bogus}</{}>", n.qname),
                        }
                    };
                    b.push(
                        op,
                        i,
                        format!("insert <{BOGUS} xmlns={:?}/> into {}", n.namespace, n.qname),
                        vec![edit],
                    );
                }
                Operator::BadPort if n.local == "Port" || n.local == "Portlist" => {
                    let Some(t) = &n.text else { continue };
                    b.push(
                        op,
                        i,
                        format!(
                            "text of {} = {BAD_PORT} (was {})",
                            n.qname,
                            input[t.clone()].trim()
                        ),
                        vec![Edit {
                            range: t.clone(),
                            replacement: BAD_PORT.to_string(),
                        }],
                    );
                }
                Operator::BadLang => {
                    for a in n
                        .attrs
                        .iter()
                        .filter(|a| a.name == "xml:lang" || a.name == "lang")
                    {
                        b.push(
                            op,
                            i,
                            format!("attribute {}={BAD_LANG:?} (was {:?})", a.name, a.value),
                            vec![Edit {
                                range: a.value_span.clone(),
                                replacement: BAD_LANG.to_string(),
                            }],
                        );
                    }
                }
                _ => {}
            }
        }
    }
    Ok(b.out)
}

/// SplitMix64: a tiny deterministic PRNG.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// FNV-1a of a string (to derive per-document seeds independent of order).
pub fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A sampled mutant: which document, which mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sampled {
    /// Index of the document in the list given to [`sample`].
    pub doc: usize,
    /// The mutation.
    pub mutation: Mutation,
}

/// Picks up to `quota(op)` mutations of each operator from the candidates of
/// every document (`docs[i] = (name, candidates)`): each document's
/// candidates are shuffled with a seed derived from `seed`, its name and the
/// operator, then taken round-robin over the documents, so that every
/// document contributes before any contributes twice. Deterministic.
pub fn sample(
    docs: &[(String, Vec<Mutation>)],
    seed: u64,
    quota: impl Fn(Operator) -> usize,
) -> Vec<Sampled> {
    let mut out = Vec::new();
    for op in Operator::ALL {
        let mut lists: Vec<Vec<&Mutation>> = docs
            .iter()
            .map(|(name, cands)| {
                let mut list: Vec<&Mutation> = cands.iter().filter(|m| m.operator == op).collect();
                let mut rng = SplitMix64::new(seed ^ fnv1a(name) ^ fnv1a(op.name()));
                rng.shuffle(&mut list);
                list
            })
            .collect();
        let want = quota(op);
        let mut taken = 0;
        let mut round = 0;
        while taken < want && lists.iter().any(|l| round < l.len()) {
            for (doc, list) in lists.iter_mut().enumerate() {
                if taken == want {
                    break;
                }
                if let Some(m) = list.get(round) {
                    out.push(Sampled {
                        doc,
                        mutation: (*m).clone(),
                    });
                    taken += 1;
                }
            }
            round += 1;
        }
    }
    out
}

/// `xml` with `from` replaced by `to` at its occurrence `share` of the way through (0.0: the
/// first, 1.0: the last).
pub fn replace_at(xml: &str, from: &str, to: &str, share: f64) -> String {
    let count = xml.matches(from).count();
    assert!(count > 0, "{from}");
    let nth = ((count as f64 * share) as usize).min(count - 1);
    let (at, _) = xml.match_indices(from).nth(nth).unwrap();
    format!("{}{to}{}", &xml[..at], &xml[at + from.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?>
<iodef:IODEF-Document version="2.00" xml:lang="en" xmlns:iodef="urn:ietf:params:xml:ns:iodef-2.0">
  <iodef:Incident purpose="reporting">
    <iodef:IncidentID name="csirt.example.com">492382</iodef:IncidentID>
    <iodef:GenerationTime>2015-07-01T00:00:00Z</iodef:GenerationTime>
    <iodef:Contact role="creator" type="organization"/>
    <iodef:Contact role="tech" type="person"><!-- c --><iodef:Port>80</iodef:Port></iodef:Contact>
    <Address observable-id="a1">x</Address><Address observable-id="a2"/>
    <ObservableReference uid-ref="a2"/>
  </iodef:Incident>
</iodef:IODEF-Document>
"#;

    #[test]
    fn scans_paths_namespaces_and_spans() {
        let s = scan(DOC).unwrap();
        let paths: Vec<&str> = s.nodes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/IODEF-Document",
                "/IODEF-Document/Incident[1]",
                "/IODEF-Document/Incident[1]/IncidentID[1]",
                "/IODEF-Document/Incident[1]/GenerationTime[1]",
                "/IODEF-Document/Incident[1]/Contact[1]",
                "/IODEF-Document/Incident[1]/Contact[2]",
                "/IODEF-Document/Incident[1]/Contact[2]/Port[1]",
                "/IODEF-Document/Incident[1]/Address[1]",
                "/IODEF-Document/Incident[1]/Address[2]",
                "/IODEF-Document/Incident[1]/ObservableReference[1]",
            ]
        );
        let root = &s.nodes[0];
        assert_eq!(root.namespace, "urn:ietf:params:xml:ns:iodef-2.0");
        assert_eq!(root.attrs.len(), 3);
        assert_eq!(&DOC[root.attrs[1].span.clone()], r#" xml:lang="en""#);
        assert_eq!(&DOC[root.attrs[0].value_span.clone()], "2.00");
        let contact = &s.nodes[5];
        assert!(contact.text.is_none());
        assert!(DOC[contact.span()].starts_with("<iodef:Contact role=\"tech\""));
        assert!(DOC[contact.span()].ends_with("</iodef:Contact>"));
        assert_eq!(&DOC[s.nodes[2].text.clone().unwrap()], "492382");
        assert_eq!(s.nodes[7].namespace, "");
        assert_eq!(s.ids_of(&s.nodes[7], DOC), ["a1"]);
        assert!(s.nodes[4].end_tag.is_none());
    }

    #[test]
    fn every_operator_has_candidates_and_applies_cleanly() {
        let all = candidates(DOC).unwrap();
        for op in Operator::ALL {
            assert!(all.iter().any(|m| m.operator == op), "{op}");
        }
        for m in &all {
            let out = m.apply(DOC);
            assert_ne!(out, DOC, "{m:?}");
            scan(&out).unwrap_or_else(|e| panic!("{m:?}: {e}\n{out}"));
        }
        let find = |op: Operator, target: &str| {
            all.iter()
                .find(|m| m.operator == op && m.target == target)
                .unwrap_or_else(|| panic!("{op} {target}"))
                .apply(DOC)
        };
        let out = find(
            Operator::WrongNamespace,
            "/IODEF-Document/Incident[1]/Contact[2]",
        );
        assert!(out.contains(
            "<mutns:Contact xmlns:mutns=\"urn:example:wrong\" role=\"tech\" type=\"person\"><!-- c --><iodef:Port>80</iodef:Port></mutns:Contact>"
        ));
        let out = find(
            Operator::UnknownElement,
            "/IODEF-Document/Incident[1]/Contact[1]",
        );
        assert!(out.contains(
            r#"<iodef:Contact role="creator" type="organization"><Bogus xmlns="urn:ietf:params:xml:ns:iodef-2.0"/></iodef:Contact>"#
        ));
        let out = find(
            Operator::SwapSiblings,
            "/IODEF-Document/Incident[1]/IncidentID[1]",
        );
        assert!(out.contains("<iodef:GenerationTime>2015-07-01T00:00:00Z</iodef:GenerationTime>\n    <iodef:IncidentID"));
        let out = find(
            Operator::DuplicateId,
            "/IODEF-Document/Incident[1]/Address[2]",
        );
        assert!(out.contains(r#"<Address observable-id="a1"/>"#));
        let dup = all
            .iter()
            .find(|m| m.operator == Operator::DuplicateId)
            .unwrap();
        assert_eq!(dup.removed_ids, ["a2"]);
        let out = find(
            Operator::BadDateTime,
            "/IODEF-Document/Incident[1]/GenerationTime[1]",
        );
        assert!(out.contains("<iodef:GenerationTime>2015-13-45T25:61:00Z</iodef:GenerationTime>"));
        let out = find(
            Operator::BadPort,
            "/IODEF-Document/Incident[1]/Contact[2]/Port[1]",
        );
        assert!(out.contains("<iodef:Port>1-x</iodef:Port>"));
        let out = find(Operator::WrongVersion, "/IODEF-Document");
        assert!(out.contains(r#"version="9.99""#));
        let drop = all
            .iter()
            .find(|m| {
                m.operator == Operator::DropElement
                    && m.target == "/IODEF-Document/Incident[1]/Address[2]"
            })
            .unwrap();
        assert_eq!(drop.removed_ids, ["a2"]);
        assert_eq!(drop.parent.as_deref(), Some("/IODEF-Document/Incident[1]"));
        assert!(!all
            .iter()
            .any(|m| m.operator == Operator::DropElement && m.target == "/IODEF-Document"));
        assert!(!all
            .iter()
            .any(|m| m.operator == Operator::DropAttribute && m.description.contains("xmlns")));
    }

    #[test]
    fn datetime_shapes() {
        for ok in [
            "2015-07-01T00:00:00Z",
            "2015-07-01T00:00:00",
            "-0001-07-01T00:00:00.123+05:30",
            "12015-07-01T00:00:00-00:00",
        ] {
            assert!(looks_like_datetime(ok), "{ok}");
        }
        for bad in [
            "2015-07-01",
            "2015-07-01T00:00Z",
            "x2015-07-01T00:00:00Z",
            "2015-07-01T00:00:00.Z",
        ] {
            assert!(!looks_like_datetime(bad), "{bad}");
        }
    }

    #[test]
    fn sampling_is_deterministic_and_round_robin() {
        let cands = candidates(DOC).unwrap();
        let docs = vec![("a".to_string(), cands.clone()), ("b".to_string(), cands)];
        let s1 = sample(&docs, 7, |_| 3);
        let s2 = sample(&docs, 7, |_| 3);
        assert_eq!(s1, s2);
        let drops: Vec<usize> = s1
            .iter()
            .filter(|s| s.mutation.operator == Operator::DropAttribute)
            .map(|s| s.doc)
            .collect();
        assert_eq!(drops, [0, 1, 0]);
    }
}
