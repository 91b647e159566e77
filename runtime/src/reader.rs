//! A pull reader over a borrowed input, built on `quick_xml::NsReader`, with the calls the
//! generated `FromXml` implementations make: [`XmlReader::next_child`], [`XmlReader::attributes`],
//! [`XmlReader::read_text`], [`XmlReader::read_any`] and the error constructors.
//!
//! Everything borrows from the input where it can: element names, attribute values without
//! references and text without references or CDATA sections come back as `&'a str` /
//! `Cow::Borrowed`. Positions (line, column, element path) of an error are computed only when
//! the error is built, by scanning the input again up to the error's byte offset.

use std::borrow::Cow;
use std::sync::Arc;

use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;

use super::any::{AnyAttribute, AnyElement, Mixed, MixedNode};
use super::encoding::Encoding;
use super::error::{Error, ErrorKind};
use super::extra::{Anchored, Extra, ExtraData, ExtraNode, Misc, Pi};
use super::registry::{self, DecodeFn, Registry, TypedElement};
use super::schema::TypeDef;
use super::unknown::{Pending, Policy, UnknownContent, UnknownNode};
use super::values::SimpleValue;

/// Interned namespace: 0 is "no namespace", other values index the reader's namespace table.
pub type NsId = u32;

/// The namespace bound to the `xml:` prefix.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The XML Schema instance namespace (`xsi:`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Default limit of element nesting (see [`XmlReader::set_max_depth`]).
pub const DEFAULT_MAX_DEPTH: u32 = 128;

/// Resource limits for untrusted input; exceeding one is an [`ErrorKind::Limit`] error naming
/// the limit. Nesting depth has its own setter ([`XmlReader::set_max_depth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Elements in the whole document (start and empty tags).
    pub max_elements: u64,
    /// Bytes of one start tag, name and attributes included: bounds every attribute value.
    pub max_tag_bytes: usize,
    /// Bytes of one text or CDATA node.
    pub max_text_bytes: usize,
    /// Attributes (namespace declarations included) on one element: duplicate checks are
    /// quadratic in this number.
    pub max_attributes: usize,
    /// Bytes of one namespace name (each raw element keeps a copy of its namespace).
    pub max_namespace_bytes: usize,
    /// Distinct namespace names in one document.
    pub max_namespaces: usize,
}

impl Default for Limits {
    /// 10 million elements, 1 MiB per tag, 64 MiB per text node, 256 attributes per element,
    /// 2 KiB per namespace name, 1,024 namespaces: far above real IODEF documents (the largest
    /// corpus document has under 1,000 elements and a dozen namespaces), far below exhaustion.
    fn default() -> Self {
        Limits {
            max_elements: 10_000_000,
            max_tag_bytes: 1 << 20,
            max_text_bytes: 64 << 20,
            max_attributes: 256,
            max_namespace_bytes: 2048,
            max_namespaces: 1024,
        }
    }
}

/// Default limit of typed extension elements nested in one another (see
/// [`XmlReader::set_max_typed_nesting`]).
pub const DEFAULT_MAX_TYPED_NESTING: u32 = 8;

/// `xsi:schemaLocation` / `xsi:noNamespaceSchemaLocation` found on the root element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XsiAttributes {
    /// `xsi:schemaLocation` (after attribute-value normalisation).
    pub schema_location: Option<String>,
    /// `xsi:noNamespaceSchemaLocation`.
    pub no_namespace_schema_location: Option<String>,
}

impl XsiAttributes {
    /// True when neither attribute is present.
    pub fn is_empty(&self) -> bool {
        self.schema_location.is_none() && self.no_namespace_schema_location.is_none()
    }
}

/// A start tag that has been read.
///
/// Call [`XmlReader::attributes`] (or [`XmlReader::read_any`]) before reading the element's
/// content: prefixed attribute names are resolved against the namespace scope of the reader,
/// which moves on as content is read.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    /// Namespace of the element (see [`XmlReader::ns_str`]).
    pub ns: NsId,
    /// Local name.
    pub local: &'a str,
    /// Prefix as written in the input (`None` when unprefixed).
    pub prefix: Option<&'a str>,
    /// The raw start tag.
    pub start: BytesStart<'a>,
    /// Byte offset of the `<` of the start tag.
    pub offset: usize,
    /// True for `<a/>`: there is no content and no end tag to read.
    pub empty: bool,
    /// Nesting depth: 1 for the root.
    depth: u32,
}

impl<'a> Element<'a> {
    /// Nesting depth of the element (1 for the root element).
    pub fn depth(&self) -> u32 {
        self.depth
    }
}

/// A child node, as [`XmlReader::next_node`] returns it.
#[derive(Debug, Clone)]
pub enum Node<'a> {
    /// A child element (its start tag has been read).
    Element(Element<'a>),
    /// Character data and the byte offset where it starts.
    Text { text: Cow<'a, str>, offset: usize },
}

/// An attribute of an element, namespace-resolved and with its value normalised and unescaped.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr<'a> {
    /// Namespace (0 for unprefixed attributes).
    pub ns: NsId,
    /// Local name.
    pub local: &'a str,
    /// Prefix as written.
    pub prefix: Option<&'a str>,
    /// Value after attribute-value normalisation and reference expansion.
    pub value: Cow<'a, str>,
    /// Byte offset of the attribute name.
    pub offset: usize,
}

struct NsEntry {
    /// The namespace name as quick-xml reports it (raw attribute bytes).
    raw: Box<[u8]>,
    /// The namespace URI with references expanded.
    uri: Box<str>,
    /// The decoder of the namespace in the reader's registry.
    decode: Option<DecodeFn>,
    /// Address of the last table string found equal to `uri` (see [`XmlReader::ns_is`]).
    hit: std::cell::Cell<usize>,
}

/// `xs:ID` values and the offsets of their elements.
type IdMap<'a> = std::collections::HashMap<Cow<'a, str>, usize, foldhash::fast::RandomState>;

/// The pull reader. See the module documentation.
pub struct XmlReader<'a> {
    reader: NsReader<&'a [u8]>,
    input: &'a [u8],
    /// The input as text (only the valid prefix when `bad_input` is set).
    text: &'a str,
    /// Offset and description of the first byte that makes the input unusable.
    bad_input: Option<(usize, &'static str)>,
    ns: Vec<NsEntry>,
    xsi: XsiAttributes,
    /// Number of start tags read whose end tag has not been read.
    depth: u32,
    max_depth: u32,
    limits: Limits,
    /// Elements read so far (for `Limits::max_elements`).
    elements: u64,
    /// `xs:ID` values seen, with the offset of their element (uniqueness per document);
    /// borrowed from the input when the value is. Keys come from untrusted input: a keyed
    /// (randomly seeded) hasher, faster than SipHash.
    ids: IdMap<'a>,
    /// `xs:IDREF` values seen, with their element's offset (resolved by `finish`).
    idrefs: Vec<(Cow<'a, str>, usize)>,
    /// `finish` leaves `xs:IDREF` resolution to the caller (a part of a streamed document,
    /// whose IDs may be in other parts: [`XmlReader::take_ids`]).
    defer_idrefs: bool,
    /// Spare attribute vector, reused from element to element (see
    /// [`XmlReader::attributes_buffered`]).
    attr_buf: Vec<Attr<'a>>,
    /// Spare vector of attribute names, for the duplicate check.
    attr_keys: Vec<&'a str>,
    root_read: bool,
    /// Offset of the last start, empty or end tag read.
    last_offset: usize,
    /// Offset where the last event read starts.
    event_start: usize,
    /// Offset of the element whose namespace scope is the innermost one of the resolver (the
    /// last start tag read, as long as no other tag has been read since).
    scope_of: Option<usize>,
    /// Decoders of typed extension elements (see [`XmlReader::read_mixed`]).
    registry: Option<Arc<Registry>>,
    /// Whether [`XmlReader::read_mixed`] decodes elements of registered namespaces.
    typed: bool,
    /// Number of typed extension elements being decoded (each one inside the previous one).
    typed_nesting: u32,
    max_typed_nesting: u32,
    /// What unknown content is (see [`Policy`]).
    policy: Policy,
    /// Per depth: the offset of the open element and its type, as noted by
    /// [`XmlReader::first_child`] (lenient unknown-child test, declared type of `xsi:type`);
    /// an entry of another element is stale.
    known: Vec<(usize, &'static TypeDef)>,
    /// Lenient mode: content kept aside, in reading order.
    unknown: Vec<Pending>,
    /// The input went through [`super::encoding::decode`], which checked the declaration's
    /// encoding against the bytes: the reader accepts whatever encoding it names.
    decoded: bool,
    /// Per depth: what the element open at that depth keeps beside its typed values (see
    /// [`XmlReader::take_extra`]).
    frames: Vec<XFrame>,
    /// Whether comments and processing instructions are kept.
    keep_comments: bool,
    /// Comments and processing instructions dropped (`keep_comments` off).
    dropped: std::cell::Cell<u64>,
    /// Comments and processing instructions before the root element.
    prolog: Vec<Misc>,
    /// ... and after it.
    epilog: Vec<Misc>,
    /// Extra content of a root element whose value has no `extra` field (simple-typed root).
    root_leftover: Option<Box<ExtraData>>,
}

/// The extra content being collected for the element open at one depth.
#[derive(Debug, Default)]
struct XFrame {
    /// Offset of the element (an entry of another element is stale).
    offset: usize,
    /// Known children returned so far (the anchor of nodes found now).
    children: u32,
    data: Option<Box<ExtraData>>,
}

/// What [`XmlReader::keep_text`] did with a piece of text.
#[derive(PartialEq)]
enum Kept {
    Nothing,
    Appended,
    Started,
}

enum Reference {
    Str(&'static str),
    Char(char),
}

impl Reference {
    fn push_to(&self, s: &mut String) {
        match self {
            Reference::Str(v) => s.push_str(v),
            Reference::Char(c) => s.push(*c),
        }
    }
}

/// Resolves the name of a reference (`amp`, `#38`, `#x26`); only predefined entities exist.
fn resolve_reference(name: &str) -> Result<Reference, String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x') {
            if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!("invalid character reference &{name};"));
            }
            u32::from_str_radix(hex, 16).ok()
        } else {
            if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid character reference &{name};"));
            }
            num.parse::<u32>().ok()
        };
        return match code.and_then(char::from_u32) {
            Some(c) if is_xml_char(c) => Ok(Reference::Char(c)),
            _ => Err(format!(
                "character reference &{name}; is not an XML character"
            )),
        };
    }
    Ok(Reference::Str(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => return Err(format!("undefined entity &{name};")),
    }))
}

/// Whether XML 1.0 can carry `c` (the `Char` production, XML 1.0 §2.2).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

#[inline]
fn all_ws(s: &str) -> bool {
    s.bytes().all(is_ws)
}

/// XML 1.0 end-of-line handling: CR LF and lone CR become LF.
pub(crate) fn normalize_eol(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A processing-instruction target: an XML Name other than `xml` in any case.
fn is_pi_target(target: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(target) else {
        return false;
    };
    let mut chars = t.chars();
    let start_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    start_ok
        && chars.all(|c| {
            c.is_alphanumeric()
                || matches!(c, '.' | '-' | '_' | ':' | '\u{B7}')
                || matches!(c, '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
        })
        && !t.eq_ignore_ascii_case("xml")
}

/// `a == b`, without a `memcmp` call for the common cases (lengths or first bytes differ,
/// empty strings): names of the tables against names read.
#[inline]
pub(crate) fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && (a.is_empty() || (a[0] == b[0] && a[a.len() - 1] == b[b.len() - 1] && a == b))
}

fn split_qname(qname: &str) -> (Option<&str>, &str) {
    match qname.find(':') {
        Some(i) => (Some(&qname[..i]), &qname[i + 1..]),
        None => (None, qname),
    }
}

/// `{ns}local`, or `local` for no namespace.
pub(crate) fn clark(ns: &str, local: &str) -> String {
    if ns.is_empty() {
        local.to_string()
    } else {
        format!("{{{ns}}}{local}")
    }
}

/// A value as quoted in an error message: at most 80 characters.
pub(crate) fn shown_value(value: &str) -> String {
    if value.chars().count() > 80 {
        let mut s: String = value.chars().take(80).collect();
        s.push('…');
        s
    } else {
        value.to_string()
    }
}

/// Text as quoted in a message: trimmed, at most 60 characters.
pub(crate) fn snippet(s: &str) -> String {
    const MAX: usize = 60;
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    if t.chars().count() <= MAX {
        t.to_string()
    } else {
        let mut out: String = t.chars().take(MAX).collect();
        out.push('…');
        out
    }
}

/// Appends `piece` to the text `acc`, which stays borrowed while it is one piece.
pub(crate) fn append<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    if piece.is_empty() {
        return;
    }
    match acc {
        None => *acc = Some(piece),
        Some(c) => c.to_mut().push_str(&piece),
    }
}

/// Finds the first byte that is not allowed anywhere in an XML 1.0 document (control characters
/// other than tab, LF, CR, and U+FFFE / U+FFFF).
fn find_forbidden(bytes: &[u8]) -> Option<usize> {
    // Chunks are screened with a branch-free test the compiler vectorises; only chunks with a
    // suspicious byte are looked at closely.
    const CHUNK: usize = 64;
    let mut base = 0;
    for chunk in bytes.chunks(CHUNK) {
        let suspicious = chunk.iter().fold(false, |acc, &b| {
            acc | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        });
        if suspicious {
            for i in base..base + chunk.len() {
                let b = bytes[i];
                if b < 0x20 {
                    if !matches!(b, b'\t' | b'\n' | b'\r') {
                        return Some(i);
                    }
                } else if b == 0xEF
                    && bytes.get(i + 1) == Some(&0xBF)
                    && matches!(bytes.get(i + 2), Some(0xBE) | Some(0xBF))
                {
                    return Some(i);
                }
            }
        }
        base += chunk.len();
    }
    None
}

impl<'a> XmlReader<'a> {
    /// A reader over `input`, which must be UTF-8 (checked by [`XmlReader::root`], which also
    /// refuses a declaration naming another encoding: decode such input with
    /// [`encoding::decode`](super::encoding::decode) and read it with
    /// [`Decoded::reader`](super::encoding::Decoded::reader)). Mixed
    /// content is read with typed extension elements, using a snapshot of the process-wide
    /// registry ([`registry::global`]).
    pub fn new(input: &'a [u8]) -> Self {
        Self::with_registry(input, Some(registry::global()))
    }

    /// A reader over `input` that decodes extension elements in mixed content with `registry`;
    /// `None`: every element in mixed content stays raw XML.
    pub fn with_registry(input: &'a [u8], registry: Option<Arc<Registry>>) -> Self {
        let (text, bad_input) = match std::str::from_utf8(input) {
            Ok(s) => (s, None),
            Err(e) => {
                let valid = std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or("");
                (valid, Some((e.valid_up_to(), "invalid UTF-8")))
            }
        };
        let bad_input = bad_input.or_else(|| {
            find_forbidden(text.as_bytes()).map(|p| (p, "character not allowed in XML"))
        });
        let mut reader = NsReader::from_reader(input);
        {
            let cfg = reader.config_mut();
            cfg.trim_text(false);
            cfg.expand_empty_elements = false;
            cfg.check_end_names = true;
            cfg.check_comments = true;
            cfg.allow_unmatched_ends = false;
            cfg.allow_dangling_amp = false;
        }
        XmlReader {
            reader,
            input,
            text,
            bad_input,
            ns: vec![NsEntry {
                raw: Box::default(),
                uri: Box::default(),
                decode: None,
                hit: std::cell::Cell::new(0),
            }],
            xsi: XsiAttributes::default(),
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
            limits: Limits::default(),
            elements: 0,
            ids: IdMap::default(),
            idrefs: Vec::new(),
            defer_idrefs: false,
            attr_buf: Vec::new(),
            attr_keys: Vec::new(),
            root_read: false,
            last_offset: 0,
            event_start: 0,
            scope_of: None,
            typed: registry.is_some(),
            registry,
            typed_nesting: 0,
            max_typed_nesting: DEFAULT_MAX_TYPED_NESTING,
            policy: Policy::Strict,
            known: Vec::new(),
            unknown: Vec::new(),
            decoded: false,
            frames: Vec::new(),
            keep_comments: true,
            dropped: std::cell::Cell::new(0),
            prolog: Vec::new(),
            epilog: Vec::new(),
            root_leftover: None,
        }
    }

    /// Marks the input as decoded to UTF-8 by [`super::encoding::decode`] (see
    /// [`super::encoding::Decoded::reader`]).
    pub(crate) fn set_decoded(&mut self) {
        self.decoded = true;
    }

    /// Whether comments and processing instructions are kept (default true): in
    /// [`Document::prolog`](super::Document::prolog)/`epilog`, in the `extra` field of the
    /// generated values, in [`Mixed`] content. Off, they are dropped.
    pub fn set_keep_comments(&mut self, keep: bool) {
        self.keep_comments = keep;
    }

    /// Comments and processing instructions dropped so far because
    /// [`XmlReader::set_keep_comments`] is off.
    pub fn comments_dropped(&self) -> u64 {
        self.dropped.get()
    }

    /// Comments and processing instructions read before the root element.
    pub fn take_prolog(&mut self) -> Vec<Misc> {
        std::mem::take(&mut self.prolog)
    }

    /// Comments and processing instructions read after the root element.
    pub fn take_epilog(&mut self) -> Vec<Misc> {
        std::mem::take(&mut self.epilog)
    }

    /// Extra content of the root element that its value could not take (a simple-typed root).
    pub fn take_root_extra(&mut self) -> Extra {
        if let Some(f) = self.frames.get(1) {
            if f.data.is_some() {
                self.move_up(1);
            }
        }
        self.root_leftover
            .take()
            .map_or(Extra::new(), |d| Extra::from_data(*d))
    }

    /// What the element `el` (read to its end) keeps beside its typed values: `xsi:*` and
    /// undeclared (lenient) attributes, comments, processing instructions, unknown elements
    /// and stray text (lenient), and the extra content of its simple-typed children. Called
    /// by the generated readers once `el` has been read.
    #[inline]
    pub fn take_extra(&mut self, el: &Element<'a>) -> Extra {
        match self.frames.get_mut(el.depth as usize) {
            Some(f) if f.offset == el.offset && f.data.is_some() => {
                Extra::from_data(*f.data.take().expect("checked"))
            }
            _ => Extra::new(),
        }
    }

    /// Starts collecting for the element at `offset`, `depth`; what the previous element at
    /// that depth left (a child without an `extra` field) goes to its parent.
    #[inline]
    fn open_frame(&mut self, depth: u32, offset: usize) {
        let d = depth as usize;
        if self.frames.len() <= d {
            self.frames.resize_with(d + 1, XFrame::default);
        }
        if self.frames[d].data.is_some() && self.frames[d].offset != offset {
            self.move_up(depth);
        }
        let f = &mut self.frames[d];
        f.offset = offset;
        f.children = 0;
    }

    /// Moves the data collected at `depth` to the parent as [`ExtraNode::Child`] of its last
    /// known child.
    fn move_up(&mut self, depth: u32) {
        let d = depth as usize;
        let Some(data) = self.frames[d].data.take() else {
            return;
        };
        if d <= 1 {
            self.root_leftover = Some(data);
            return;
        }
        let parent = &mut self.frames[d - 1];
        let index = parent.children.saturating_sub(1);
        parent
            .data
            .get_or_insert_with(Default::default)
            .insert(index, ExtraNode::Child(Extra::from_data(*data)));
    }

    /// The data being collected at `depth`.
    fn frame_data(&mut self, depth: u32) -> &mut ExtraData {
        let d = depth as usize;
        if self.frames.len() <= d {
            self.frames.resize_with(d + 1, XFrame::default);
        }
        self.frames[d].data.get_or_insert_with(Default::default)
    }

    /// Keeps `node` for the element at `depth`, before its known child `before`.
    fn keep_node(&mut self, depth: u32, before: u32, node: ExtraNode) {
        self.frame_data(depth).insert(before, node);
    }

    /// Known children of the element at `depth` returned so far.
    fn children_of(&self, depth: u32) -> u32 {
        self.frames.get(depth as usize).map_or(0, |f| f.children)
    }

    /// A comment or processing instruction as an [`ExtraNode`].
    fn misc_node(&self, ev: &Event<'a>) -> Result<Option<ExtraNode>, Error> {
        Ok(match self.misc(ev)? {
            Some(Misc::Comment(c)) => Some(ExtraNode::Comment(c)),
            Some(Misc::ProcessingInstruction(p)) => Some(ExtraNode::ProcessingInstruction(p)),
            None => None,
        })
    }

    /// A comment or processing instruction event as a [`Misc`] (`None` when they are dropped).
    fn misc(&self, ev: &Event<'a>) -> Result<Option<Misc>, Error> {
        if !self.keep_comments {
            self.dropped.set(self.dropped.get() + 1);
            return Ok(None);
        }
        Ok(match ev {
            Event::Comment(c) => Some(Misc::Comment(self.text_piece(c)?.into_owned())),
            Event::PI(p) => {
                let target = String::from_utf8_lossy(p.target()).into_owned();
                let data = String::from_utf8_lossy(p.content());
                let data =
                    normalize_eol(data.trim_start_matches(|c: char| c.is_ascii_whitespace()))
                        .into_owned();
                Some(Misc::ProcessingInstruction(Pi { target, data }))
            }
            _ => None,
        })
    }

    /// Sets the parse policy (default [`Policy::Strict`]); see [`Policy`]. Lenient mode keeps
    /// unknown content aside: collect it with [`XmlReader::take_unknown`] (done by
    /// [`Document::from_xml_reader`](super::Document::from_xml_reader)).
    pub fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// The parse policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The content kept aside so far in lenient mode, in document order, with element paths
    /// and line:column computed now (one pass over the input).
    pub fn take_unknown(&mut self) -> Vec<UnknownContent> {
        let mut pending = std::mem::take(&mut self.unknown);
        if pending.is_empty() {
            return Vec::new();
        }
        pending.sort_by_key(|p| p.offset);
        let offsets: Vec<usize> = pending.iter().map(|p| p.offset).collect();
        let positions = line_columns(self.input, &offsets);
        let mut by_path: Vec<(usize, usize)> = pending
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path_offset, i))
            .collect();
        by_path.sort_unstable();
        let path_offsets: Vec<usize> = by_path.iter().map(|&(o, _)| o).collect();
        let mut paths = vec![String::new(); pending.len()];
        for ((_, i), path) in by_path
            .into_iter()
            .zip(element_paths(self.input, &path_offsets))
        {
            paths[i] = path;
        }
        pending
            .into_iter()
            .zip(positions)
            .zip(paths)
            .map(|((p, (line, column)), path)| UnknownContent {
                path,
                line,
                column,
                offset: p.offset,
                node: p.node,
            })
            .collect()
    }

    /// Like [`XmlReader::next_child`] for the first child of `parent`, and, in lenient mode,
    /// notes which children `parent` may have: every later `next_child(parent)` keeps the
    /// others aside ([`XmlReader::unknown_element`]) and goes on with the next child.
    #[inline]
    pub fn first_child(
        &mut self,
        parent: &Element<'a>,
        ty: &'static TypeDef,
    ) -> Result<Option<Element<'a>>, Error> {
        // Always noted: the lenient unknown-child test and `xsi:type` use it.
        {
            let depth = parent.depth as usize;
            if self.known.len() <= depth {
                self.known
                    .resize(depth + 1, (usize::MAX, &super::schema::ANY_TYPE));
            }
            self.known[depth] = (parent.offset, ty);
        }
        self.next_child(parent)
    }

    /// Whether the child `c` of `parent` is allowed by what [`XmlReader::first_child`] noted
    /// (true when nothing was noted for `parent`).
    fn is_known_child(&self, parent: &Element<'a>, c: &Element<'a>) -> bool {
        match self.known.get(parent.depth as usize) {
            Some(&(offset, ty)) if offset == parent.offset => match ty {
                TypeDef::Complex(ct) => ct
                    .automaton()
                    .is_some_and(|a| a.mentions(self.ns_str(c.ns), c.local)),
                TypeDef::Simple(_) => false,
                TypeDef::Any => true,
            },
            _ => true,
        }
    }

    /// `xsi:type` on `el` (see [`xsi_type_verdict`]); the declared type comes from the
    /// parent's content model, or from the global declaration.
    fn check_xsi_type(&self, el: &Element<'a>, value: &str) -> Result<(), String> {
        let ns = self.ns_str(el.ns);
        let parent = (el.depth as usize).checked_sub(1);
        let from_parent = parent.and_then(|d| {
            let &(offset, ty) = self.known.get(d)?;
            if self.frames.get(d).map(|f| f.offset) != Some(offset) {
                return None;
            }
            match ty {
                TypeDef::Complex(ct) => ct.automaton()?.decl(ns, el.local).map(|d| d.ty),
                _ => None,
            }
        });
        let registry = self.registry.clone().unwrap_or_else(registry::global);
        let declared = from_parent.or_else(|| registry.element_decl(ns, el.local).map(|d| d.ty));
        let resolved = self.qname_value(value);
        xsi_type_verdict(&registry, (ns, el.local), declared, resolved, value)
    }

    /// A QName value (`xsi:type`) resolved in the scope of the element whose attributes are
    /// being read: (namespace URI, local name); unprefixed names are in the default namespace.
    pub(crate) fn qname_value(&self, value: &str) -> Result<(String, String), String> {
        let v = super::collapse_ws(value);
        let (prefix, local) = split_qname(&v);
        let ok = |s: &str| super::glue::check_lexical(s, super::glue::Lexical::NcName).is_ok();
        if !ok(local) || prefix.is_some_and(|p| !ok(p)) {
            return Err("not a QName".to_string());
        }
        let ns = match self
            .reader
            .resolver()
            .resolve_element(QName(v.as_bytes()))
            .0
        {
            ResolveResult::Bound(n) => {
                let raw = std::str::from_utf8(n.as_ref()).map_err(|e| e.to_string())?;
                if raw.contains('&') {
                    expand_references(raw)?
                } else {
                    raw.to_string()
                }
            }
            ResolveResult::Unbound => String::new(),
            ResolveResult::Unknown(p) => {
                return Err(format!(
                    "namespace prefix '{}' is not declared",
                    String::from_utf8_lossy(&p)
                ))
            }
        };
        Ok((ns, local.to_string()))
    }

    /// The element `c` (start tag read) is not allowed here. Strict: the
    /// [`XmlReader::unexpected_element`] error. Lenient: `c` is read to its end and kept aside.
    /// The element is kept in the parent's extra content, before its next known child.
    pub fn unknown_element(&mut self, c: &Element<'a>) -> Result<(), Error> {
        let before = self.children_of(c.depth - 1);
        self.unknown_element_at(c, before)
    }

    /// [`XmlReader::unknown_element`], kept before the parent's known child `before`.
    fn unknown_element_at(&mut self, c: &Element<'a>, before: u32) -> Result<(), Error> {
        if self.policy == Policy::Strict {
            return Err(self.unexpected_element(c));
        }
        let any = self.read_any(c)?;
        self.keep_node(c.depth - 1, before, ExtraNode::Element(any.clone()));
        self.unknown.push(Pending {
            offset: c.offset,
            path_offset: c.offset,
            end: 0,
            node: UnknownNode::Element(any),
        });
        Ok(())
    }

    /// The attribute `attr` is not allowed on `el`. Strict: the
    /// [`XmlReader::unexpected_attribute`] error. Lenient: it is kept aside.
    pub fn unknown_attribute(&mut self, el: &Element<'a>, attr: Attr<'a>) -> Result<(), Error> {
        if self.policy == Policy::Strict {
            return Err(self.unexpected_attribute(el, &attr));
        }
        self.keep_attribute(el, attr);
        Ok(())
    }

    fn keep_attribute(&mut self, el: &Element<'a>, attr: Attr<'a>) {
        let offset = attr.offset;
        let any = self.any_attribute(attr);
        self.frame_data(el.depth).attributes.push(any.clone());
        self.unknown.push(Pending {
            offset,
            path_offset: el.offset,
            end: 0,
            node: UnknownNode::Attribute(any),
        });
    }

    fn any_attribute(&self, attr: Attr<'a>) -> AnyAttribute {
        AnyAttribute {
            ns: (attr.ns != 0).then(|| self.ns_str(attr.ns).to_string()),
            prefix: attr.prefix.map(str::to_string),
            local: attr.local.to_string(),
            value: attr.value.into_owned(),
        }
    }

    /// Lenient mode: keeps aside the text piece `text` found at `start..end`; `first` is the
    /// offset of its first non-whitespace character (`None`: whitespace only, kept only when
    /// it continues kept text).
    fn keep_text(&mut self, start: usize, end: usize, first: Option<usize>, text: &str) -> Kept {
        if let Some(Pending {
            end: last_end,
            node: UnknownNode::Text(t),
            ..
        }) = self.unknown.last_mut()
        {
            if *last_end == start {
                t.push_str(text);
                *last_end = end;
                return Kept::Appended;
            }
        }
        if let Some(first) = first {
            self.unknown.push(Pending {
                offset: first,
                path_offset: first,
                end,
                node: UnknownNode::Text(text.to_string()),
            });
            return Kept::Started;
        }
        Kept::Nothing
    }

    /// [`XmlReader::keep_text`], and the text kept as a node of the element at `depth`.
    fn keep_text_node(
        &mut self,
        depth: u32,
        start: usize,
        end: usize,
        first: Option<usize>,
        text: &str,
    ) {
        let kept = self.keep_text(start, end, first, text);
        if kept == Kept::Nothing {
            return;
        }
        let before = self.children_of(depth);
        let data = self.frame_data(depth);
        if kept == Kept::Appended {
            if let Some(Anchored {
                node: ExtraNode::Text(t),
                ..
            }) = data.nodes.last_mut()
            {
                t.push_str(text);
                return;
            }
        }
        data.insert(before, ExtraNode::Text(text.to_string()));
    }

    /// Limits how many typed extension elements may be nested in one another (default
    /// [`DEFAULT_MAX_TYPED_NESTING`]; e.g. a RID `XMLDocument` holding an IODEF document whose
    /// `AdditionalData` holds a phishing report is 2 deep). Deeper ones stay raw XML. Decoding
    /// recurses on the call stack, reading raw XML does not: this bounds stack use.
    pub fn set_max_typed_nesting(&mut self, max: u32) {
        self.max_typed_nesting = max;
    }

    /// Whether [`XmlReader::read_mixed`] decodes elements of registered namespaces into
    /// [`MixedNode::Typed`] (default: true when the reader has a registry). Off, all mixed
    /// content is raw XML.
    pub fn set_typed_extensions(&mut self, typed: bool) {
        self.typed = typed;
    }

    /// The registry used for typed extension elements.
    pub fn registry(&self) -> Option<&Arc<Registry>> {
        self.registry.as_ref()
    }

    /// Limits element nesting (default [`DEFAULT_MAX_DEPTH`]); deeper input is a syntax error.
    pub fn set_max_depth(&mut self, max_depth: u32) {
        self.max_depth = max_depth.max(1);
    }

    /// Records an `xs:ID` value of the element at `offset`; a value seen before is an error
    /// (XSD: ID values are unique within a document).
    pub fn note_id(&mut self, value: &str, offset: usize) -> Result<(), Error> {
        self.note_id_cow(Cow::Owned(value.to_owned()), offset)
    }

    /// [`XmlReader::note_id`] of a value that may borrow from the input (one hash, no copy).
    pub(crate) fn note_id_cow(&mut self, value: Cow<'a, str>, offset: usize) -> Result<(), Error> {
        let (first, value) = match self.ids.entry(value) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(offset);
                return Ok(());
            }
            std::collections::hash_map::Entry::Occupied(o) => (*o.get(), o.key().to_string()),
        };
        let (line, column) = line_column(self.input, first);
        Err(self.error(
            ErrorKind::InvalidValue,
            offset,
            format!("duplicate xs:ID {value:?} (first used at {line}:{column})"),
        ))
    }

    /// Records an `xs:IDREF` value of the element at `offset`; `finish` checks that some
    /// element of the document carries it as its `xs:ID`.
    pub fn note_idref(&mut self, value: &str, offset: usize) {
        self.idrefs.push((Cow::Owned(value.to_owned()), offset));
    }

    /// [`XmlReader::note_idref`] of a value that may borrow from the input.
    pub(crate) fn note_idref_cow(&mut self, value: Cow<'a, str>, offset: usize) {
        self.idrefs.push((value, offset));
    }

    /// Leaves `xs:IDREF` resolution to the caller: `finish` does not check them, and
    /// [`XmlReader::take_ids`] hands over what was seen (streaming reads a document in parts).
    pub(crate) fn defer_idrefs(&mut self) {
        self.defer_idrefs = true;
    }

    /// Undoes [`XmlReader::defer_idrefs`].
    pub(crate) fn set_defer_idrefs_off(&mut self) {
        self.defer_idrefs = false;
    }

    /// The `xs:ID` and `xs:IDREF` values seen, with their elements' offsets.
    pub(crate) fn take_ids(&mut self) -> (super::validate::IdValues, super::validate::IdValues) {
        let ids = self.ids.drain().map(|(v, o)| (v.into_owned(), o)).collect();
        let idrefs = self
            .idrefs
            .drain(..)
            .map(|(v, o)| (v.into_owned(), o))
            .collect();
        (ids, idrefs)
    }

    /// The first `xs:IDREF` that matches no `xs:ID` of the document.
    fn check_idrefs(&self) -> Result<(), Error> {
        if self.defer_idrefs {
            return Ok(());
        }
        match self.idrefs.iter().find(|(v, _)| !self.ids.contains_key(v)) {
            Some((value, offset)) => Err(self.error(
                ErrorKind::InvalidValue,
                *offset,
                format!("xs:IDREF {value:?} matches no xs:ID in the document"),
            )),
            None => Ok(()),
        }
    }

    /// Sets the resource limits (default [`Limits::default`]).
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Attribute count and namespace-name size (bound the quadratic duplicate checks and the
    /// copies of namespace names).
    fn check_attribute_limits(&self, e: &quick_xml::events::BytesStart<'_>) -> Result<(), Error> {
        let limit = |what: String| Err(self.error(ErrorKind::Limit, self.event_start, what));
        let mut count = 0;
        for a in e.attributes().with_checks(false).flatten() {
            count += 1;
            if count > self.limits.max_attributes {
                return limit(format!(
                    "more than {} attributes on one element (Limits::max_attributes)",
                    self.limits.max_attributes
                ));
            }
            let key = a.key.as_ref();
            if (key == b"xmlns" || key.starts_with(b"xmlns:"))
                && a.value.len() > self.limits.max_namespace_bytes
            {
                return limit(format!(
                    "namespace name of {} bytes is longer than {} bytes (Limits::max_namespace_bytes)",
                    a.value.len(),
                    self.limits.max_namespace_bytes
                ));
            }
        }
        Ok(())
    }

    /// Checks the size limits for the event just read (start at `self.event_start`).
    fn check_limits(&mut self, ev: &Event<'a>) -> Result<(), Error> {
        let (limit, what, len) = match ev {
            Event::Start(e) | Event::Empty(e) => {
                self.elements += 1;
                if self.elements > self.limits.max_elements {
                    return Err(self.error(
                        ErrorKind::Limit,
                        self.event_start,
                        format!(
                            "more than {} elements (Limits::max_elements)",
                            self.limits.max_elements
                        ),
                    ));
                }
                // Each attribute takes at least 4 bytes (` a=""`) and a long namespace name makes a
                // long tag: short tags (nearly all) cannot break these limits.
                let short =
                    e.len() < (self.limits.max_attributes * 4).min(self.limits.max_namespace_bytes);
                if !short && e.len() <= self.limits.max_tag_bytes {
                    self.check_attribute_limits(e)?;
                }
                if self.ns.len() > self.limits.max_namespaces {
                    return Err(self.error(
                        ErrorKind::Limit,
                        self.event_start,
                        format!(
                            "more than {} distinct namespaces (Limits::max_namespaces)",
                            self.limits.max_namespaces
                        ),
                    ));
                }
                (self.limits.max_tag_bytes, "start tag", e.len())
            }
            Event::Text(e) => (self.limits.max_text_bytes, "text node", e.len()),
            Event::CData(e) => (self.limits.max_text_bytes, "CDATA section", e.len()),
            _ => return Ok(()),
        };
        if len > limit {
            let field = if what == "start tag" {
                "max_tag_bytes"
            } else {
                "max_text_bytes"
            };
            return Err(self.error(
                ErrorKind::Limit,
                self.event_start,
                format!("{what} of {len} bytes is larger than {limit} bytes (Limits::{field})"),
            ));
        }
        Ok(())
    }

    /// Number of elements currently open (start tag read, end tag not yet read).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Byte offset just after the last event read.
    pub fn position(&self) -> usize {
        self.reader.buffer_position() as usize
    }

    /// Byte offset of the `<` of the last start, empty or end tag read.
    pub fn last_tag_offset(&self) -> usize {
        self.last_offset
    }

    /// The input.
    pub fn input(&self) -> &'a [u8] {
        self.input
    }

    // ----------------------------------------------------------------------------------------
    // Low-level helpers

    /// Offset of `bytes` inside the input, when it is a sub-slice of it.
    #[inline]
    fn offset_in_input(&self, bytes: &[u8]) -> Option<usize> {
        let base = self.input.as_ptr() as usize;
        let p = bytes.as_ptr() as usize;
        if p >= base && p + bytes.len() <= base + self.input.len() {
            Some(p - base)
        } else {
            None
        }
    }

    /// `bytes` (a sub-slice of the input) as `&'a str`.
    #[inline]
    fn input_str(&self, bytes: &[u8]) -> Result<&'a str, Error> {
        let text = self.text;
        match self.offset_in_input(bytes) {
            Some(start) => match text.get(start..start + bytes.len()) {
                Some(s) => Ok(s),
                None => Err(self.error(ErrorKind::Syntax, start, "invalid UTF-8")),
            },
            None => Err(self.error(
                ErrorKind::Syntax,
                self.position(),
                "internal error: event does not borrow from the input",
            )),
        }
    }

    fn map_xml_error(&self, err: quick_xml::Error) -> Error {
        let offset = match &err {
            quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
                self.reader.error_position() as usize
            }
            _ => self.event_start,
        };
        let message = match &err {
            quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag) => {
                "unexpected end of input inside a tag".to_string()
            }
            _ => err.to_string(),
        };
        self.error(ErrorKind::Syntax, offset, message)
    }

    fn attr_error(&self, el: &Element<'a>, err: AttrError) -> Error {
        let rel = match err {
            AttrError::ExpectedEq(p)
            | AttrError::ExpectedValue(p)
            | AttrError::UnquotedValue(p)
            | AttrError::ExpectedQuote(p, _)
            | AttrError::Duplicated(p, _) => p,
        };
        let message = match err {
            AttrError::Duplicated(..) => "duplicate attribute".to_string(),
            other => format!("malformed attribute: {other}"),
        };
        self.error(ErrorKind::Syntax, el.offset + 1 + rel, message)
    }

    fn intern(
        table: &mut Vec<NsEntry>,
        registry: Option<&Registry>,
        raw: &[u8],
    ) -> Result<NsId, String> {
        if let Some(i) = table.iter().position(|e| &*e.raw == raw) {
            return Ok(i as NsId);
        }
        let s = std::str::from_utf8(raw).map_err(|_| "namespace name is not UTF-8".to_string())?;
        let uri = if s.contains('&') {
            expand_references(s)?
        } else {
            s.to_string()
        };
        let decode = registry.and_then(|r| r.get(&uri));
        table.push(NsEntry {
            raw: raw.into(),
            uri: uri.into_boxed_str(),
            decode,
            hit: std::cell::Cell::new(0),
        });
        Ok((table.len() - 1) as NsId)
    }

    /// Reads one event, keeping the depth and offsets up to date. Refuses DOCTYPE and
    /// end of input inside an element.
    fn read(&mut self) -> Result<Event<'a>, Error> {
        self.event_start = self.reader.buffer_position() as usize;
        let ev = match self.reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(self.map_xml_error(e)),
        };
        self.check_limits(&ev)?;
        match &ev {
            Event::Start(e) => {
                let off = self.offset_in_input(e.name().as_ref()).map_or(0, |o| o - 1);
                self.last_offset = off;
                self.scope_of = Some(off);
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        off,
                        format!("elements nested deeper than {}", self.max_depth),
                    ));
                }
            }
            Event::Empty(e) => {
                let off = self.offset_in_input(e.name().as_ref()).map_or(0, |o| o - 1);
                self.last_offset = off;
                self.scope_of = Some(off);
            }
            Event::End(e) => {
                let off = self
                    .offset_in_input(e.name().as_ref())
                    .map_or(0, |o| o.saturating_sub(2));
                self.last_offset = off;
                self.scope_of = None;
                // What the last child left (no `extra` field of its own) goes to the element
                // that ends here.
                let d = self.depth as usize;
                if let Some(child) = self.frames.get(d + 1) {
                    if child.data.is_some() && child.offset > self.frames[d].offset {
                        self.move_up(self.depth + 1);
                    }
                }
                self.depth = self.depth.saturating_sub(1);
            }
            Event::DocType(_) => {
                return Err(self.error(
                    ErrorKind::Doctype,
                    self.event_start,
                    "DOCTYPE declarations are not accepted",
                ));
            }
            // quick-xml does not check the target (XML 1.0 §2.6: a Name other than `xml`);
            // PIs are kept, so a broken one must not come back as something else.
            Event::PI(p) if !is_pi_target(p.target()) => {
                return Err(self.error(
                    ErrorKind::Syntax,
                    self.event_start,
                    format!(
                        "invalid processing-instruction target {:?}",
                        shown_value(&String::from_utf8_lossy(p.target()))
                    ),
                ));
            }
            Event::Eof if self.depth > 0 => {
                return Err(self.error(
                    ErrorKind::Syntax,
                    self.input.len(),
                    "unexpected end of input: element not closed",
                ));
            }
            _ => {}
        }
        Ok(ev)
    }

    fn make_element(&mut self, start: BytesStart<'a>, empty: bool) -> Result<Element<'a>, Error> {
        let qname = self.input_str(start.name().as_ref())?;
        let offset = self.offset_in_input(qname.as_bytes()).map_or(0, |o| o - 1);
        let (prefix, local) = split_qname(qname);
        let ns = match self
            .reader
            .resolver()
            .resolve_element(QName(qname.as_bytes()))
            .0
        {
            ResolveResult::Bound(n) => {
                Self::intern(&mut self.ns, self.registry.as_deref(), n.as_ref())
            }
            ResolveResult::Unbound => Ok(0),
            ResolveResult::Unknown(_) => Err(format!(
                "namespace prefix '{}' is not declared",
                prefix.unwrap_or("")
            )),
        };
        let ns = ns.map_err(|m| self.error(ErrorKind::Syntax, offset, m))?;
        let depth = if empty { self.depth + 1 } else { self.depth };
        self.open_frame(depth, offset);
        Ok(Element {
            ns,
            local,
            prefix,
            start,
            offset,
            empty,
            depth,
        })
    }

    /// Text of a Text event as `&'a str`, end-of-lines normalised.
    fn text_piece(&self, raw: &[u8]) -> Result<Cow<'a, str>, Error> {
        let s = self.input_str(raw)?;
        Ok(normalize_eol(s))
    }

    fn reference(&self, raw: &[u8]) -> Result<Reference, Error> {
        let name = self.input_str(raw)?;
        resolve_reference(name).map_err(|m| {
            let off = self.offset_in_input(raw).map_or(0, |o| o.saturating_sub(1));
            self.error(ErrorKind::Syntax, off, m)
        })
    }

    /// Attribute-value normalisation (XML 1.0 §3.3.3 for CDATA attributes) and reference expansion.
    fn attr_value(&self, raw: &'a str) -> Result<Cow<'a, str>, Error> {
        if !raw
            .bytes()
            .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'))
        {
            return Ok(Cow::Borrowed(raw));
        }
        let base = self.offset_in_input(raw.as_bytes()).unwrap_or(0);
        let bytes = raw.as_bytes();
        let mut out = String::with_capacity(raw.len());
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\t' | b'\n' => {
                    out.push_str(&raw[run..i]);
                    out.push(' ');
                    i += 1;
                    run = i;
                }
                b'\r' => {
                    out.push_str(&raw[run..i]);
                    out.push(' ');
                    i += 1;
                    if bytes.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    run = i;
                }
                b'<' => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        base + i,
                        "'<' is not allowed in an attribute value",
                    ));
                }
                b'&' => {
                    out.push_str(&raw[run..i]);
                    let end = match raw[i..].find(';') {
                        Some(e) => i + e,
                        None => {
                            return Err(self.error(
                                ErrorKind::Syntax,
                                base + i,
                                "unterminated reference in attribute value",
                            ))
                        }
                    };
                    resolve_reference(&raw[i + 1..end])
                        .map_err(|m| self.error(ErrorKind::Syntax, base + i, m))?
                        .push_to(&mut out);
                    i = end + 1;
                    run = i;
                }
                _ => i += 1,
            }
        }
        out.push_str(&raw[run..]);
        Ok(Cow::Owned(out))
    }

    /// Resolves the namespace of a prefixed attribute name.
    fn attr_ns(
        &mut self,
        el: &Element<'a>,
        prefix: &str,
        key: &str,
        offset: usize,
    ) -> Result<NsId, Error> {
        if prefix != "xml" && self.scope_of != Some(el.offset) {
            return Err(self.error(
                ErrorKind::Syntax,
                offset,
                format!(
                    "internal error: attributes of <{}> must be read before its content",
                    el.local
                ),
            ));
        }
        let res = match self
            .reader
            .resolver()
            .resolve_attribute(QName(key.as_bytes()))
            .0
        {
            ResolveResult::Bound(n) => {
                Self::intern(&mut self.ns, self.registry.as_deref(), n.as_ref())
            }
            ResolveResult::Unbound => Ok(0),
            ResolveResult::Unknown(_) => {
                Err(format!("namespace prefix '{prefix}' is not declared"))
            }
        };
        res.map_err(|m| self.error(ErrorKind::Syntax, offset, m))
    }

    // ----------------------------------------------------------------------------------------
    // Document level

    /// Skips the XML declaration and whitespace, keeps comments and processing instructions
    /// ([`XmlReader::take_prolog`]); refuses a
    /// DOCTYPE ([`ErrorKind::Doctype`]); returns the root start element.
    pub fn root(&mut self) -> Result<Element<'a>, Error> {
        if let Some((offset, what)) = self.bad_input {
            return Err(self.error(ErrorKind::Syntax, offset, what));
        }
        if self.root_read {
            return Err(self.error(
                ErrorKind::Syntax,
                self.position(),
                "internal error: root() called twice",
            ));
        }
        let mut first = true;
        loop {
            let ev = self.read()?;
            match ev {
                Event::Decl(d) => {
                    if !first {
                        return Err(self.error(
                            ErrorKind::Syntax,
                            self.event_start,
                            "the XML declaration is only allowed at the very start",
                        ));
                    }
                    // Bytes given directly to the reader are UTF-8: another encoding must
                    // be decoded first (every `iodef` entry point does).
                    if let (false, Some(Ok(enc))) = (self.decoded, d.encoding()) {
                        let enc = String::from_utf8_lossy(&enc).into_owned();
                        if Encoding::for_label(&enc) != Ok(Encoding::UTF_8) {
                            return Err(self.error(
                                ErrorKind::Encoding,
                                0,
                                format!(
                                    "the document declares encoding {enc:?}, but XmlReader \
                                     reads UTF-8: decode it with \
                                     iodef::rt::encoding::decode first (iodef::read does)"
                                ),
                            ));
                        }
                    }
                }
                Event::Text(t) => {
                    let s = self.input_str(&t)?;
                    if !all_ws(s) {
                        let off = self.offset_in_input(t.as_ref()).unwrap_or(0)
                            + s.bytes().position(|b| !is_ws(b)).unwrap_or(0);
                        return Err(self.error(
                            ErrorKind::Syntax,
                            off,
                            "text is not allowed before the root element",
                        ));
                    }
                }
                ev @ (Event::Comment(_) | Event::PI(_)) => {
                    if let Some(m) = self.misc(&ev)? {
                        self.prolog.push(m);
                    }
                }
                Event::Start(e) => return self.root_element(e, false),
                Event::Empty(e) => return self.root_element(e, true),
                Event::Eof => {
                    let msg = if all_ws(self.text) {
                        "empty document"
                    } else {
                        "no root element"
                    };
                    return Err(self.error(ErrorKind::Syntax, self.input.len(), msg));
                }
                Event::CData(_) | Event::GeneralRef(_) | Event::End(_) | Event::DocType(_) => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.event_start,
                        "content is not allowed before the root element",
                    ));
                }
            }
            first = false;
        }
    }

    fn root_element(&mut self, start: BytesStart<'a>, empty: bool) -> Result<Element<'a>, Error> {
        self.root_read = true;
        let el = self.make_element(start, empty)?;
        // Pick up xsi:schemaLocation / xsi:noNamespaceSchemaLocation.
        for a in el.start.attributes() {
            let a = a.map_err(|e| self.attr_error(&el, e))?;
            let key = self.input_str(a.key.as_ref())?;
            let (Some(prefix), local) = split_qname(key) else {
                continue;
            };
            if prefix == "xmlns" || !matches!(local, "schemaLocation" | "noNamespaceSchemaLocation")
            {
                continue;
            }
            let off = self.offset_in_input(key.as_bytes()).unwrap_or(el.offset);
            let ns = self.attr_ns(&el, prefix, key, off)?;
            if self.ns_str(ns) != XSI_NS {
                continue;
            }
            let raw = self.input_str(&a.value)?;
            let value = self.attr_value(raw)?.into_owned();
            if local == "schemaLocation" {
                self.xsi.schema_location = Some(value);
            } else {
                self.xsi.no_namespace_schema_location = Some(value);
            }
        }
        Ok(el)
    }

    /// After the root element has been read completely (its end tag consumed): only whitespace,
    /// comments and processing instructions may follow.
    pub fn finish(&mut self) -> Result<(), Error> {
        debug_assert_eq!(
            self.depth, 0,
            "finish() called before the root element was read"
        );
        while self.depth > 0 {
            self.read()?;
        }
        loop {
            match self.read()? {
                Event::Eof => return self.check_idrefs(),
                ev @ (Event::Comment(_) | Event::PI(_)) => {
                    if let Some(m) = self.misc(&ev)? {
                        self.epilog.push(m);
                    }
                }
                Event::Text(t) => {
                    let s = self.input_str(&t)?;
                    if !all_ws(s) {
                        let off = self.offset_in_input(t.as_ref()).unwrap_or(0)
                            + s.bytes().position(|b| !is_ws(b)).unwrap_or(0);
                        return Err(self.error(
                            ErrorKind::Syntax,
                            off,
                            "text is not allowed after the root element",
                        ));
                    }
                }
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.last_offset,
                        "only one root element is allowed",
                    ));
                }
                Event::Decl(_) => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.event_start,
                        "the XML declaration is only allowed at the very start",
                    ));
                }
                _ => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.event_start,
                        "content is not allowed after the root element",
                    ));
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Namespaces and names

    /// The namespace URI of `id` ("" for 0).
    pub fn ns_str(&self, id: NsId) -> &str {
        self.ns.get(id as usize).map_or("", |e| &e.uri)
    }

    /// Whether namespace `id` is `uri`, a string of the schema tables. The address of the last
    /// table string found equal is remembered: the tables name each namespace once per module,
    /// so the usual case compares no bytes.
    #[inline]
    pub fn ns_is(&self, id: NsId, uri: &'static str) -> bool {
        let Some(e) = self.ns.get(id as usize) else {
            return uri.is_empty();
        };
        if e.uri.len() != uri.len() {
            return false;
        }
        let addr = uri.as_ptr() as usize;
        if uri.is_empty() || e.hit.get() == addr {
            return true;
        }
        let equal = *e.uri == *uri;
        if equal {
            e.hit.set(addr);
        }
        equal
    }

    /// The id of a namespace URI seen so far (lookup only).
    pub fn ns_id(&self, uri: &str) -> Option<NsId> {
        if uri.is_empty() {
            return Some(0);
        }
        self.ns
            .iter()
            .position(|e| &*e.uri == uri)
            .map(|i| i as NsId)
    }

    /// True when `el` is `{ns}local` (ns "" = no namespace).
    #[inline]
    pub fn is(&self, el: &Element<'a>, ns: &str, local: &str) -> bool {
        el.local == local && self.ns_str(el.ns) == ns
    }

    /// The xsi attributes found on the root element.
    pub fn xsi_attributes(&self) -> &XsiAttributes {
        &self.xsi
    }

    /// All attributes of `el`, namespace-resolved, values normalised and unescaped.
    ///
    /// Namespace declarations are not returned. `xsi:schemaLocation` and
    /// `xsi:noNamespaceSchemaLocation` on the root element are skipped (see
    /// [`XmlReader::xsi_attributes`]); any other attribute in the XSI namespace is an
    /// [`ErrorKind::UnexpectedAttribute`] error.
    ///
    /// Must be called before the element's content is read.
    pub fn attributes(&mut self, el: &Element<'a>) -> Result<Vec<Attr<'a>>, Error> {
        let mut out = Vec::new();
        self.resolve_attributes(el, false, &mut out)?;
        Ok(out)
    }

    /// [`XmlReader::attributes`] (`keep_xsi`: [`XmlReader::all_attributes`]) into the reader's
    /// spare vector: no allocation per element. Give it back with
    /// [`XmlReader::recycle_attributes`].
    pub(crate) fn attributes_buffered(
        &mut self,
        el: &Element<'a>,
        keep_xsi: bool,
    ) -> Result<Vec<Attr<'a>>, Error> {
        let mut out = std::mem::take(&mut self.attr_buf);
        self.resolve_attributes(el, keep_xsi, &mut out)?;
        Ok(out)
    }

    /// Returns the vector of [`XmlReader::attributes_buffered`] for the next element.
    pub(crate) fn recycle_attributes(&mut self, mut attrs: Vec<Attr<'a>>) {
        attrs.clear();
        self.attr_buf = attrs;
    }

    /// All attributes of `el` like [`XmlReader::attributes`], `xsi:` ones included (the
    /// validator decides about them). Errors are well-formedness errors only.
    pub fn all_attributes(&mut self, el: &Element<'a>) -> Result<Vec<Attr<'a>>, Error> {
        let mut out = Vec::new();
        self.resolve_attributes(el, true, &mut out)?;
        Ok(out)
    }

    /// Appends the attributes of `el` to `out` (empty on entry).
    fn resolve_attributes(
        &mut self,
        el: &Element<'a>,
        keep_xsi: bool,
        out: &mut Vec<Attr<'a>>,
    ) -> Result<(), Error> {
        let mut keys = std::mem::take(&mut self.attr_keys);
        keys.clear();
        let result = self.resolve_attributes_with(el, keep_xsi, out, &mut keys);
        self.attr_keys = keys;
        result
    }

    /// [`XmlReader::resolve_attributes`]; `keys` holds the names seen so far.
    fn resolve_attributes_with(
        &mut self,
        el: &Element<'a>,
        keep_xsi: bool,
        out: &mut Vec<Attr<'a>>,
        keys: &mut Vec<&'a str>,
    ) -> Result<(), Error> {
        // quick-xml's duplicate check allocates a vector per element: done here instead,
        // against the names seen (at most `Limits::max_attributes` of them).
        for a in el.start.attributes().with_checks(false) {
            let a = a.map_err(|e| self.attr_error(el, e))?;
            let key = self.input_str(a.key.as_ref())?;
            let offset = self.offset_in_input(key.as_bytes()).unwrap_or(el.offset);
            if keys.iter().any(|k| same_str(k, key)) {
                return Err(self.error(ErrorKind::Syntax, offset, "duplicate attribute"));
            }
            keys.push(key);
            let (prefix, local) = split_qname(key);
            let ns = match prefix {
                None if key == "xmlns" => continue,
                None => 0,
                Some("xmlns") => continue,
                Some(p) => self.attr_ns(el, p, key, offset)?,
            };
            if ns != 0 {
                if !keep_xsi && self.ns_str(ns) == XSI_NS {
                    if el.depth == 1
                        && matches!(local, "schemaLocation" | "noNamespaceSchemaLocation")
                    {
                        continue;
                    }
                    let raw = self.input_str(&a.value)?;
                    let value = self.attr_value(raw)?;
                    let attr = Attr {
                        ns,
                        local,
                        prefix,
                        value,
                        offset,
                    };
                    let verdict = xsi_verdict(local, &attr.value, el.local).and_then(|()| {
                        if local == "type" {
                            self.check_xsi_type(el, &attr.value).map_err(Some)
                        } else {
                            Ok(())
                        }
                    });
                    if let Err(reason) = verdict {
                        if self.policy == Policy::Lenient && reason.is_none() {
                            self.keep_attribute(el, attr);
                            continue;
                        }
                        return Err(self.error(
                            ErrorKind::UnexpectedAttribute,
                            offset,
                            reason.unwrap_or_else(|| {
                                format!("unexpected attribute xsi:{local} on {}", el.local)
                            }),
                        ));
                    }
                    let binding = if local == "type" {
                        // Kept with the binding of its prefix, which the writer may have to
                        // declare again.
                        let v = super::collapse_ws(&attr.value).into_owned();
                        let prefix = split_qname(&v).0.map(str::to_string);
                        self.qname_value(&v).ok().map(|(ns, _)| (prefix, ns))
                    } else {
                        None
                    };
                    let any = self.any_attribute(attr);
                    let data = self.frame_data(el.depth);
                    data.attributes.push(any);
                    data.qname_bindings.extend(binding);
                    continue;
                }
                if out.iter().any(|o| o.ns == ns && o.local == local) {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        offset,
                        format!("duplicate attribute {}", clark(self.ns_str(ns), local)),
                    ));
                }
            }
            let raw = self.input_str(&a.value)?;
            let value = self.attr_value(raw)?;
            out.push(Attr {
                ns,
                local,
                prefix,
                value,
                offset,
            });
        }
        Ok(())
    }

    // ----------------------------------------------------------------------------------------
    // Content

    /// Skips events until the reader is back at `depth` (lenient recovery).
    fn skip_to_depth(&mut self, depth: u32) -> Result<(), Error> {
        while self.depth > depth {
            self.read()?;
        }
        Ok(())
    }

    /// The next child element of `parent`, or `None` once the parent's end tag has been read.
    ///
    /// Whitespace is skipped; comments and processing instructions are kept for `parent`
    /// ([`XmlReader::take_extra`]), so is unknown content in lenient mode; other text is an
    /// [`ErrorKind::UnexpectedText`] error.
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, Error> {
        if parent.empty || self.depth < parent.depth {
            return Ok(None);
        }
        if self.depth > parent.depth {
            debug_assert!(
                false,
                "next_child: the previous child of <{}> was not read to its end",
                parent.local
            );
            self.skip_to_depth(parent.depth)?;
        }
        loop {
            match self.read()? {
                Event::Start(e) => {
                    let c = self.make_element(e, false)?;
                    if self.policy == Policy::Lenient && !self.is_known_child(parent, &c) {
                        self.unknown_element(&c)?;
                        continue;
                    }
                    self.frames[parent.depth as usize].children += 1;
                    return Ok(Some(c));
                }
                Event::Empty(e) => {
                    let c = self.make_element(e, true)?;
                    if self.policy == Policy::Lenient && !self.is_known_child(parent, &c) {
                        self.unknown_element(&c)?;
                        continue;
                    }
                    self.frames[parent.depth as usize].children += 1;
                    return Ok(Some(c));
                }
                Event::End(_) => return Ok(None),
                Event::Text(t) => {
                    // Indentation, nearly every text between elements: nothing to keep.
                    if self.policy == Policy::Strict && t.iter().all(|&b| is_ws(b)) {
                        continue;
                    }
                    let s = self.input_str(&t)?;
                    let start = self.offset_in_input(t.as_ref()).unwrap_or(0);
                    if !all_ws(s) {
                        let off = start + s.bytes().position(|b| !is_ws(b)).unwrap_or(0);
                        if self.policy == Policy::Strict {
                            return Err(self.unexpected_text(parent, off, s));
                        }
                        let end = start + s.len();
                        self.keep_text_node(parent.depth, start, end, Some(off), &normalize_eol(s));
                    } else if self.policy == Policy::Lenient {
                        let end = start + s.len();
                        self.keep_text_node(parent.depth, start, end, None, &normalize_eol(s));
                    }
                }
                Event::CData(c) => {
                    let s = self.input_str(&c)?;
                    if self.policy == Policy::Lenient {
                        let first = (!all_ws(s)).then_some(self.event_start);
                        let end = self.position();
                        let start = self.event_start;
                        self.keep_text_node(parent.depth, start, end, first, &normalize_eol(s));
                    } else if !all_ws(s) {
                        return Err(self.unexpected_text(parent, self.event_start, s));
                    }
                }
                Event::GeneralRef(r) => {
                    let reference = self.reference(&r)?;
                    let is_space = matches!(reference, Reference::Char(' ' | '\t' | '\n' | '\r'));
                    if self.policy == Policy::Lenient {
                        let mut text = String::new();
                        reference.push_to(&mut text);
                        let end = self.position();
                        let first = (!is_space).then_some(self.event_start);
                        let start = self.event_start;
                        self.keep_text_node(parent.depth, start, end, first, &text);
                    } else if !is_space {
                        let off = self
                            .offset_in_input(r.as_ref())
                            .map_or(0, |o| o.saturating_sub(1));
                        let s = self.input_str(&r)?;
                        return Err(self.unexpected_text(parent, off, &format!("&{s};")));
                    }
                }
                ev @ (Event::Comment(_) | Event::PI(_)) => {
                    if let Some(node) = self.misc_node(&ev)? {
                        let before = self.children_of(parent.depth);
                        self.keep_node(parent.depth, before, node);
                    }
                }
                ev @ (Event::Decl(_) | Event::DocType(_) | Event::Eof) => {
                    return Err(self.misplaced(&ev))
                }
            }
        }
    }

    /// An XML declaration, DOCTYPE or end of input inside an element (`read` reports the last
    /// two itself; this is the fallback).
    fn misplaced(&self, ev: &Event<'_>) -> Error {
        if matches!(ev, Event::Decl(_)) {
            self.error(
                ErrorKind::Syntax,
                self.event_start,
                "the XML declaration is only allowed at the very start",
            )
        } else {
            self.error(
                ErrorKind::Syntax,
                self.position(),
                "unexpected end of input",
            )
        }
    }

    /// The next child node of `parent`: an element, or a piece of character data (text, CDATA
    /// or a reference, expanded, end-of-lines normalised; whitespace included) with its offset.
    /// `None` once the parent's end tag has been read. Comments and processing instructions are
    /// skipped. Errors are well-formedness errors (the document cannot be read further).
    pub fn next_node(&mut self, parent: &Element<'a>) -> Result<Option<Node<'a>>, Error> {
        if parent.empty || self.depth < parent.depth {
            return Ok(None);
        }
        if self.depth > parent.depth {
            self.skip_to_depth(parent.depth)?;
        }
        loop {
            match self.read()? {
                Event::Start(e) => {
                    return self.make_element(e, false).map(|e| Some(Node::Element(e)))
                }
                Event::Empty(e) => {
                    return self.make_element(e, true).map(|e| Some(Node::Element(e)))
                }
                Event::End(_) => return Ok(None),
                Event::Text(t) => {
                    let offset = self.offset_in_input(t.as_ref()).unwrap_or(self.event_start);
                    let text = self.text_piece(&t)?;
                    return Ok(Some(Node::Text { text, offset }));
                }
                Event::CData(c) => {
                    let text = self.text_piece(&c)?;
                    return Ok(Some(Node::Text {
                        text,
                        offset: self.event_start,
                    }));
                }
                Event::GeneralRef(r) => {
                    let mut s = String::new();
                    self.reference(&r)?.push_to(&mut s);
                    let offset = self.event_start;
                    return Ok(Some(Node::Text {
                        text: Cow::Owned(s),
                        offset,
                    }));
                }
                Event::Comment(_) | Event::PI(_) => {}
                ev @ (Event::Decl(_) | Event::DocType(_) | Event::Eof) => {
                    return Err(self.misplaced(&ev))
                }
            }
        }
    }

    fn unexpected_text(&self, parent: &Element<'a>, offset: usize, text: &str) -> Error {
        self.error(
            ErrorKind::UnexpectedText,
            offset,
            format!(
                "unexpected text \"{}\" in element-only content of {}",
                snippet(text),
                parent.local
            ),
        )
    }

    /// The text content of a simple-content element, up to and including its end tag:
    /// references expanded, CDATA sections merged; comments and processing instructions are kept
    /// for `el` ([`XmlReader::take_extra`]: before the text or after it).
    /// A child element is an [`ErrorKind::UnexpectedElement`] error. Borrows from the input
    /// when the content is a single run of text without references.
    pub fn read_text(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, Error> {
        if el.empty || self.depth < el.depth {
            return Ok(Cow::Borrowed(""));
        }
        if self.depth > el.depth {
            debug_assert!(
                false,
                "read_text: content of <{}> already partly read",
                el.local
            );
            self.skip_to_depth(el.depth)?;
        }
        let mut acc: Option<Cow<'a, str>> = None;
        // Comments and unknown elements go before the text (0: only whitespace before them,
        // e.g. indentation) or after it (1).
        let before =
            |acc: &Option<Cow<'a, str>>| u32::from(acc.as_ref().is_some_and(|t| !all_ws(t)));
        loop {
            match self.read()? {
                Event::Text(t) => {
                    let piece = self.text_piece(&t)?;
                    append(&mut acc, piece);
                }
                Event::CData(c) => {
                    let piece = self.text_piece(&c)?;
                    append(&mut acc, piece);
                }
                Event::GeneralRef(r) => {
                    let mut s = acc.take().map(Cow::into_owned).unwrap_or_default();
                    self.reference(&r)?.push_to(&mut s);
                    acc = Some(Cow::Owned(s));
                }
                ev @ (Event::Comment(_) | Event::PI(_)) => {
                    if let Some(node) = self.misc_node(&ev)? {
                        self.keep_node(el.depth, before(&acc), node);
                    }
                }
                Event::End(_) => return Ok(acc.unwrap_or(Cow::Borrowed(""))),
                Event::Start(e) | Event::Empty(e) if self.policy == Policy::Lenient => {
                    let empty = self.depth == el.depth;
                    let child = self.make_element(e, empty)?;
                    self.unknown_element_at(&child, before(&acc))?;
                }
                Event::Start(e) | Event::Empty(e) => {
                    let child = self.make_element(e, true)?;
                    let ns = self.ns_str(child.ns);
                    return Err(self.error(
                        ErrorKind::UnexpectedElement,
                        child.offset,
                        format!(
                            "unexpected element {} in the text-only content of {}",
                            clark(ns, child.local),
                            el.local
                        ),
                    ));
                }
                Event::Decl(_) | Event::DocType(_) | Event::Eof => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.event_start,
                        "unexpected markup in text content",
                    ))
                }
            }
        }
    }

    /// The text content of `el` parsed as a simple value (error: [`ErrorKind::InvalidValue`]
    /// naming the element).
    pub fn read_value<T: SimpleValue>(&mut self, el: &Element<'a>) -> Result<T, Error> {
        let text = self.read_text(el)?;
        T::parse_xml(&text).map_err(|reason| {
            self.invalid_value(el.offset, &format!("element {}", el.local), &text, &reason)
        })
    }

    /// The value of `attr` parsed as a simple value (error: [`ErrorKind::InvalidValue`]).
    pub fn parse_attr<T: SimpleValue>(&self, attr: &Attr<'a>) -> Result<T, Error> {
        T::parse_xml(&attr.value).map_err(|reason| {
            self.invalid_value(
                attr.offset,
                &format!("attribute {}", attr.local),
                &attr.value,
                &reason,
            )
        })
    }

    /// The mixed content of `el` (text, comments, processing instructions, elements), up to and
    /// including its end tag (comments and PIs only when kept: [`XmlReader::set_keep_comments`]).
    ///
    /// A child element whose namespace has a decoder in the reader's registry (see
    /// [`XmlReader::with_registry`], [`XmlReader::set_typed_extensions`]) is decoded by it into a
    /// [`MixedNode::Typed`]; an error of the decoder (invalid typed content) is returned. It
    /// stays a raw [`MixedNode::Element`] when the decoder does not know its name, or when
    /// typed elements are already nested too deeply
    /// ([`XmlReader::set_max_typed_nesting`]). Elements inside raw elements stay raw.
    pub fn read_mixed(&mut self, el: &Element<'a>) -> Result<Mixed, Error> {
        if el.empty || self.depth < el.depth {
            return Ok(Mixed::default());
        }
        if self.depth > el.depth {
            debug_assert!(
                false,
                "read_mixed: content of <{}> already partly read",
                el.local
            );
            self.skip_to_depth(el.depth)?;
        }
        self.read_mixed_content()
    }

    fn read_mixed_content(&mut self) -> Result<Mixed, Error> {
        let holder = AnyElement::new(None, "");
        let typed = self.typed && self.registry.is_some();
        Ok(self.read_content_into(holder, typed)?.children)
    }

    /// The decoder for the child element `el` of mixed content, if it is to be decoded. An
    /// element carrying `xsi:` attributes is decoded too: the typed value keeps them in its
    /// `extra` field, and `xsi:type`/`xsi:nil` are checked as everywhere.
    fn decoder_for(&mut self, el: &Element<'a>) -> Result<Option<DecodeFn>, Error> {
        Ok(self.ns.get(el.ns as usize).and_then(|e| e.decode))
    }

    /// Decodes the child element `el` of mixed content with the registry, if it has a decoder
    /// for it (`Ok(None)`: nothing read, the element is to be read raw).
    fn read_typed(&mut self, el: &Element<'a>) -> Result<Option<Box<dyn TypedElement>>, Error> {
        if self.typed_nesting >= self.max_typed_nesting {
            return Ok(None);
        }
        let Some(decode) = self.decoder_for(el)? else {
            return Ok(None);
        };
        let before = self.position();
        self.typed_nesting += 1;
        let value = decode(self, el);
        self.typed_nesting -= 1;
        let value = value?;
        if value.is_none() {
            if self.position() != before {
                return Err(self.error(
                    ErrorKind::Syntax,
                    el.offset,
                    format!(
                        "internal error: the decoder of {} read <{}> and then declined it",
                        self.ns_str(el.ns),
                        el.local
                    ),
                ));
            }
        } else if !el.empty && self.depth >= el.depth {
            debug_assert!(
                false,
                "decoder of <{}> did not read the element to its end",
                el.local
            );
            self.skip_to_depth(el.depth - 1)?;
        }
        Ok(value)
    }

    /// Reads content up to the end tag of the current element into `top` (iteratively: foreign
    /// XML nests as deep as the depth limit allows without using the call stack). With `typed`,
    /// the direct children of `top` in registered namespaces are decoded (see
    /// [`XmlReader::read_mixed`]).
    fn read_content_into(&mut self, top: AnyElement, typed: bool) -> Result<AnyElement, Error> {
        fn flush(el: &mut AnyElement, text: &mut String) {
            if !text.is_empty() {
                el.children.0.push(MixedNode::Text(std::mem::take(text)));
            }
        }
        let mut stack: Vec<(AnyElement, String)> = vec![(top, String::new())];
        // Direct children are counted like known children: what a typed one leaves (no
        // `extra` field of its own) is anchored to its index.
        let top_depth = self.depth as usize;
        loop {
            let ev = self.read()?;
            let (cur, text) = stack.last_mut().expect("stack is never empty here");
            match ev {
                Event::Text(t) => text.push_str(&self.text_piece(&t)?),
                Event::CData(c) => text.push_str(&self.text_piece(&c)?),
                Event::GeneralRef(r) => self.reference(&r)?.push_to(text),
                ev @ (Event::Comment(_) | Event::PI(_)) => {
                    if let Some(m) = self.misc(&ev)? {
                        let (cur, text) = stack.last_mut().expect("stack is never empty here");
                        flush(cur, text);
                        cur.children.0.push(match m {
                            Misc::Comment(c) => MixedNode::Comment(c),
                            Misc::ProcessingInstruction(p) => MixedNode::ProcessingInstruction(p),
                        });
                    }
                }
                Event::Start(e) => {
                    flush(cur, text);
                    let top_level = stack.len() == 1;
                    let child = self.make_element(e, false)?;
                    if top_level {
                        self.frames[top_depth].children += 1;
                    }
                    // Lax processing (XSD Structures §3.3.4) validates any element that has a
                    // global declaration, at any depth below undeclared ones: decode it.
                    if typed {
                        if let Some(t) = self.read_typed(&child)? {
                            let (cur, _) = stack.last_mut().expect("stack is never empty here");
                            cur.children.0.push(MixedNode::Typed(t));
                            continue;
                        }
                    }
                    let any = self.any_start(&child)?;
                    stack.push((any, String::new()));
                }
                Event::Empty(e) => {
                    flush(cur, text);
                    let top_level = stack.len() == 1;
                    let child = self.make_element(e, true)?;
                    if top_level {
                        self.frames[top_depth].children += 1;
                    }
                    let node = if typed {
                        self.read_typed(&child)?.map(MixedNode::Typed)
                    } else {
                        None
                    };
                    let node = match node {
                        Some(n) => n,
                        None => MixedNode::Element(self.any_start(&child)?),
                    };
                    let (cur, _) = stack.last_mut().expect("stack is never empty here");
                    cur.children.0.push(node);
                }
                Event::End(_) => {
                    let (mut done, mut text) = stack.pop().expect("stack is never empty here");
                    flush(&mut done, &mut text);
                    match stack.last_mut() {
                        None => return Ok(done),
                        Some((parent, _)) => parent.children.0.push(MixedNode::Element(done)),
                    }
                }
                Event::Decl(_) | Event::DocType(_) | Event::Eof => {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        self.event_start,
                        "unexpected markup in element content",
                    ))
                }
            }
        }
    }

    /// The whole element `el` (its start tag already read) as a lossless [`AnyElement`]: its
    /// attributes (xsi ones included), its own namespace declarations, its prefix, and its content.
    pub fn read_any(&mut self, el: &Element<'a>) -> Result<AnyElement, Error> {
        let any = self.any_start(el)?;
        if el.empty || self.depth < el.depth {
            return Ok(any);
        }
        if self.depth > el.depth {
            debug_assert!(
                false,
                "read_any: content of <{}> already partly read",
                el.local
            );
            self.skip_to_depth(el.depth)?;
        }
        self.read_content_into(any, false)
    }

    /// An [`AnyElement`] for the start tag `el`, without content.
    fn any_start(&mut self, el: &Element<'a>) -> Result<AnyElement, Error> {
        let mut namespace_decls = Vec::new();
        let mut attributes = Vec::new();
        for a in el.start.attributes() {
            let a = a.map_err(|e| self.attr_error(el, e))?;
            let key = self.input_str(a.key.as_ref())?;
            let offset = self.offset_in_input(key.as_bytes()).unwrap_or(el.offset);
            let raw = self.input_str(&a.value)?;
            let (prefix, local) = split_qname(key);
            if key == "xmlns" || prefix == Some("xmlns") {
                // Namespace names are kept as quick-xml resolves them: references expanded,
                // whitespace not normalised.
                let uri = if raw.contains('&') {
                    expand_references(raw).map_err(|m| self.error(ErrorKind::Syntax, offset, m))?
                } else {
                    raw.to_string()
                };
                let p = if key == "xmlns" {
                    None
                } else {
                    Some(local.to_string())
                };
                namespace_decls.push((p, uri));
                continue;
            }
            let ns = match prefix {
                None => 0,
                Some(p) => self.attr_ns(el, p, key, offset)?,
            };
            if ns != 0
                && attributes.iter().any(|o: &AnyAttribute| {
                    o.local == local && o.ns.as_deref() == Some(self.ns_str(ns))
                })
            {
                return Err(self.error(
                    ErrorKind::Syntax,
                    offset,
                    format!("duplicate attribute {}", clark(self.ns_str(ns), local)),
                ));
            }
            let value = self.attr_value(raw)?.into_owned();
            attributes.push(AnyAttribute {
                ns: (ns != 0).then(|| self.ns_str(ns).to_string()),
                prefix: prefix.map(str::to_string),
                local: local.to_string(),
                value,
            });
        }
        Ok(AnyElement {
            ns: (el.ns != 0).then(|| self.ns_str(el.ns).to_string()),
            prefix: el.prefix.map(str::to_string),
            local: el.local.to_string(),
            namespace_decls,
            attributes,
            children: Mixed::default(),
        })
    }

    /// Skips the rest of `el`, up to and including its end tag (still checking well-formedness).
    pub fn skip(&mut self, el: &Element<'a>) -> Result<(), Error> {
        if el.empty {
            return Ok(());
        }
        self.skip_to_depth(el.depth - 1)
    }

    // ----------------------------------------------------------------------------------------
    // Errors

    /// An error at byte `offset` of the input; line, column and element path are computed now.
    pub fn error(&self, kind: ErrorKind, offset: usize, message: impl Into<String>) -> Error {
        self.error_with_path(kind, offset, offset, message.into())
    }

    /// An error whose line:column is at `offset` and whose path is that of the element starting
    /// at (or containing) `path_offset`.
    fn error_with_path(
        &self,
        kind: ErrorKind,
        offset: usize,
        path_offset: usize,
        message: String,
    ) -> Error {
        let (line, column) = line_column(self.input, offset);
        let path = element_path(self.input, path_offset);
        Error {
            kind,
            message,
            path,
            line,
            column,
        }
    }

    /// `el` is not allowed here.
    pub fn unexpected_element(&self, el: &Element<'a>) -> Error {
        let ns = self.ns_str(el.ns);
        self.error(
            ErrorKind::UnexpectedElement,
            el.offset,
            format!("unexpected element {}", clark(ns, el.local)),
        )
    }

    /// A required child `{ns}local` of `parent` is missing. The position is the current one
    /// (the parent's end tag, or the element found instead); the path is the parent's.
    pub fn missing_element(&self, parent: &Element<'a>, ns: &str, local: &str) -> Error {
        let _ = ns;
        let offset = if parent.empty {
            parent.offset
        } else {
            self.last_offset.max(parent.offset)
        };
        self.error_with_path(
            ErrorKind::MissingElement,
            offset,
            parent.offset,
            format!("missing required element {local}"),
        )
    }

    /// `attr` is not allowed on `el`.
    pub fn unexpected_attribute(&self, el: &Element<'a>, attr: &Attr<'a>) -> Error {
        let name = match attr.prefix {
            Some(p) => format!("{p}:{}", attr.local),
            None => attr.local.to_string(),
        };
        let ns = self.ns_str(attr.ns);
        let extra = if ns.is_empty() || attr.prefix == Some("xml") {
            String::new()
        } else {
            format!(" (namespace {ns})")
        };
        self.error_with_path(
            ErrorKind::UnexpectedAttribute,
            attr.offset,
            el.offset,
            format!("unexpected attribute {name}{extra} on {}", el.local),
        )
    }

    /// The required attribute `name` is missing on `el`.
    pub fn missing_attribute(&self, el: &Element<'a>, name: &str) -> Error {
        self.error(
            ErrorKind::MissingAttribute,
            el.offset,
            format!("missing required attribute {name} on {}", el.local),
        )
    }

    /// A simple value does not parse: `what` names it (e.g. "attribute purpose"), `reason` says why.
    pub fn invalid_value(&self, offset: usize, what: &str, value: &str, reason: &str) -> Error {
        let shown = shown_value(value);
        self.error(
            ErrorKind::InvalidValue,
            offset,
            format!("invalid value {shown:?} for {what}: {reason}"),
        )
    }
}

/// Whether an attribute `xsi:local="value"` is accepted on the element `element`: `Ok` for
/// `schemaLocation`, `noNamespaceSchemaLocation` and `type` (whose name the caller checks with
/// [`xsi_type_verdict`]); `Err(Some(reason))` for `nil` and for a
/// value XSD refuses here; `Err(None)` for a name the XSI namespace does not have. Shared by
/// the typed reader and the validator so that they decide alike.
pub(crate) fn xsi_verdict(local: &str, value: &str, element: &str) -> Result<(), Option<String>> {
    match local {
        "schemaLocation" | "noNamespaceSchemaLocation" => Ok(()),
        // XSD 1.0 (Structures §3.3.4, Element Locally Valid (Element) 3.1): on an element that
        // is not nillable, xsi:nil must not appear at all, "false" included; no element of the
        // IODEF schemas is nillable.
        "nil" => match super::collapse_ws(value).as_ref() {
            "true" | "1" | "false" | "0" => Err(Some(format!(
                "xsi:nil={value:?} on {element}: the element is not nillable (no element of the schemas is), so xsi:nil is not allowed on it"
            ))),
            _ => Err(Some(format!(
                "invalid value {:?} for attribute xsi:nil: not an xs:boolean",
                shown_value(value)
            ))),
        },
        // Checked by the caller, which knows the declared type (`xsi_type_verdict`).
        "type" => Ok(()),
        _ => Err(None),
    }
}

/// `xsi:type` on the element `{ns}local` whose declared type is `declared` (`None`: not
/// known here): accepted when `resolved` (the attribute's QName, resolved in the element's
/// scope) names exactly that type. A type derived from it is not followed: refused, saying so.
pub(crate) fn xsi_type_verdict(
    registry: &Registry,
    (ns, local): (&str, &str),
    declared: Option<&'static TypeDef>,
    resolved: Result<(String, String), String>,
    value: &str,
) -> Result<(), String> {
    let (tns, tlocal) =
        resolved.map_err(|e| format!("invalid value {value:?} for attribute xsi:type: {e}"))?;
    // The declared type's name is recorded on global declarations; a local declaration with
    // the same type (the usual `ref=`) shares it.
    let name = declared.and_then(|ty| {
        registry
            .element_decl(ns, local)
            .filter(|d| std::ptr::eq(d.ty, ty))
            .map(|d| d.type_name)
    });
    match name {
        Some(Some((dns, dlocal))) if dns == tns && dlocal == tlocal => Ok(()),
        Some(Some((dns, dlocal))) => Err(format!(
            "xsi:type {} on {local}: the declared type is {}; another type (a type derived from it) is not supported",
            clark(&tns, &tlocal),
            clark(dns, dlocal)
        )),
        Some(None) => Err(format!(
            "xsi:type {} on {local}: the element's type is anonymous, so no named type can replace it",
            clark(&tns, &tlocal)
        )),
        None => Err(format!(
            "xsi:type {} on {local}: the declared type of this element is not known by name; xsi:type is not supported here",
            clark(&tns, &tlocal)
        )),
    }
}

/// Expands references in a string (attribute-like value without normalisation).
fn expand_references(s: &str) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find(';')
            .ok_or_else(|| "unterminated reference".to_string())?
            + i;
        resolve_reference(&rest[i + 1..end])?.push_to(&mut out);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (u64, u64) {
    line_columns(input, &[offset])[0]
}

/// The element path of the element that starts at or contains byte `offset`, computed by
/// scanning the input from its start.
pub(crate) fn element_path(input: &[u8], offset: usize) -> String {
    element_paths(input, &[offset]).swap_remove(0)
}

/// An element path from its steps (local name, index among same-named siblings): the root
/// without an index, `/` for none.
pub(crate) fn format_path<'s>(steps: impl Iterator<Item = (&'s str, u32)>) -> String {
    let mut path = String::new();
    for (i, (name, index)) in steps.enumerate() {
        path.push('/');
        path.push_str(name);
        if i > 0 {
            path.push('[');
            path.push_str(&index.to_string());
            path.push(']');
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

/// [`line_column`] of each of `offsets` (ascending), in one pass over the input.
pub(crate) fn line_columns(input: &[u8], offsets: &[usize]) -> Vec<(u64, u64)> {
    let mut positions = Positions::new(input);
    offsets.iter().map(|&offset| positions.at(offset)).collect()
}

/// How many children of each name an element has had so far, for the `[n]` of element paths.
/// A short list while the names are few (the usual case, and cheaper than hashing), a map
/// beyond: an invalid document may give one parent any number of distinct names, and a linear
/// search per child would make that quadratic.
#[derive(Debug, Default)]
pub(crate) struct SiblingCounts<'a> {
    few: Vec<(&'a [u8], u32)>,
    many: std::collections::HashMap<&'a [u8], u32>,
}

impl<'a> SiblingCounts<'a> {
    const FEW: usize = 8;

    /// Counts one more child named `name`; returns its 1-based index among its namesakes.
    pub(crate) fn next(&mut self, name: &'a [u8]) -> u32 {
        if let Some(entry) = self.few.iter_mut().find(|(n, _)| *n == name) {
            entry.1 += 1;
            return entry.1;
        }
        if self.few.len() < Self::FEW {
            self.few.push((name, 1));
            return 1;
        }
        let count = self.many.entry(name).or_insert(0);
        *count += 1;
        *count
    }
}

/// Line:column of ascending byte offsets, each computed from the previous one: a whole pass
/// costs one scan of the input however many positions are asked for (never a rescan from byte
/// 0, which made a per-element position quadratic).
pub(crate) struct Positions<'i> {
    input: &'i [u8],
    /// Bytes before `i` have been counted.
    i: usize,
    line: u64,
    /// Characters in `input[line start..i]`.
    chars: u64,
    /// Bytes examined so far (linearity checks: at most the input's length).
    scanned: usize,
}

impl<'i> Positions<'i> {
    pub(crate) fn new(input: &'i [u8]) -> Self {
        Positions {
            input,
            i: 0,
            line: 1,
            chars: 0,
            scanned: 0,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`; offsets must not decrease
    /// (a smaller one restarts from byte 0, still correct).
    pub(crate) fn at(&mut self, offset: usize) -> (u64, u64) {
        const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];
        let input = self.input;
        let offset = offset.min(input.len());
        if offset < self.i {
            debug_assert!(false, "Positions::at: offsets not ascending");
            *self = Positions {
                scanned: self.scanned,
                ..Positions::new(input)
            };
        }
        self.scanned += offset - self.i;
        for (k, &b) in input[self.i..offset].iter().enumerate() {
            let at = self.i + k;
            let line_break = b == b'\n' || (b == b'\r' && input.get(at + 1) != Some(&b'\n'));
            if line_break {
                self.line += 1;
                self.chars = 0;
            } else if (b & 0xC0) != 0x80 {
                self.chars += 1;
            }
        }
        self.i = offset;
        // A byte-order mark at the very start is not a column.
        let bom = self.line == 1 && offset >= 3 && input.starts_with(&BOM);
        (self.line, self.chars - u64::from(bom) + 1)
    }

    /// Bytes examined so far.
    pub(crate) fn scanned(&self) -> usize {
        self.scanned
    }
}

/// [`element_path`] of each of `offsets` (ascending), in one pass over the input.
pub(crate) fn element_paths(input: &[u8], offsets: &[usize]) -> Vec<String> {
    struct Frame<'i> {
        name: &'i [u8],
        index: u32,
        children: SiblingCounts<'i>,
    }
    fn local(name: &[u8]) -> &[u8] {
        match name.iter().position(|&b| b == b':') {
            Some(i) => &name[i + 1..],
            None => name,
        }
    }
    fn child_index<'i>(stack: &mut [Frame<'i>], name: &'i [u8]) -> u32 {
        match stack.last_mut() {
            Some(parent) => parent.children.next(name),
            None => 1,
        }
    }
    fn path(stack: &[Frame<'_>]) -> String {
        let names: Vec<Cow<'_, str>> = stack
            .iter()
            .map(|f| String::from_utf8_lossy(f.name))
            .collect();
        format_path(names.iter().zip(stack).map(|(n, f)| (n.as_ref(), f.index)))
    }
    let mut out = Vec::with_capacity(offsets.len());
    let mut next = 0;
    let base = input.as_ptr() as usize;
    let pos_of = |s: &[u8]| (s.as_ptr() as usize).wrapping_sub(base);
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<Frame<'_>> = Vec::new();
    while next < offsets.len() {
        let Ok(ev) = reader.read_event() else { break };
        let end = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let qn = e.name();
                let start = pos_of(qn.as_ref()).wrapping_sub(1);
                while next < offsets.len() && offsets[next] < start {
                    out.push(path(&stack));
                    next += 1;
                }
                let name_start = start + 1;
                let name = local(&input[name_start..name_start + qn.as_ref().len()]);
                let index = child_index(&mut stack, name);
                stack.push(Frame {
                    name,
                    index,
                    children: Default::default(),
                });
                while next < offsets.len() && offsets[next] < end {
                    out.push(path(&stack));
                    next += 1;
                }
                if matches!(ev, Event::Empty(_)) {
                    stack.pop();
                }
            }
            Event::End(_) => {
                while next < offsets.len() && offsets[next] < end {
                    out.push(path(&stack));
                    next += 1;
                }
                stack.pop();
            }
            Event::Eof => break,
            _ => {
                while next < offsets.len() && offsets[next] < end {
                    out.push(path(&stack));
                    next += 1;
                }
            }
        }
    }
    while out.len() < offsets.len() {
        out.push(path(&stack));
    }
    out
}
