//! A namespace-aware XML writer with deterministic prefix choice and no added whitespace.

use std::io::{self, Write};
use std::sync::Arc;

use super::extra::{Extra, ExtraData, ExtraNode, Misc, Pi};

use super::encoding::Encoding;
use super::reader::XsiAttributes;
use super::reader::{XML_NS, XSI_NS};

/// One namespace binding in scope: `prefix` "" is the default namespace (uri "" = undeclared).
#[derive(Debug)]
struct Binding {
    prefix: String,
    uri: String,
}

#[derive(Debug)]
struct Frame {
    /// Start of this element's qualified name in `XmlWriter::names`.
    name_start: usize,
    /// `XmlWriter::bindings.len()` before this element's declarations.
    bindings_start: usize,
    /// Extra nodes to put back among the children ([`XmlWriter::extra`]).
    extra: Option<Arc<ExtraData>>,
    /// Next node of `extra` to write.
    cursor: usize,
    /// Child elements started so far (anchors of `extra`).
    children: u32,
    /// Text has been written (text-only content: anchor 0 is before it).
    text_written: bool,
}

/// What an [`XmlWriter`] in event mode ([`XmlWriter::with_events`]) reports instead of writing
/// bytes: the document's elements, attributes and text, by namespace URI and local name (no
/// prefixes, no namespace declarations, values not escaped), in the order they would be written.
///
/// Every writer of a typed value (the codec, [`AnyElement`](super::AnyElement),
/// [`Mixed`](super::Mixed), [`Extra`] nodes, [`Document`](super::Document)) goes through the
/// writer, so one implementation of this trait sees any typed value as the XML it stands for:
/// the RFC prose rules ([`rules`](super::rules)) run over typed documents this way. The XML
/// declaration is not reported; comments and processing instructions are, with default methods
/// that ignore them. An error returned by a method ends the writing with that error.
pub trait XmlEvents {
    /// A start tag: the element's namespace URI ("" for none) and local name. Its attributes
    /// follow ([`XmlEvents::attribute`]), then its content, then [`XmlEvents::end_element`].
    fn start_element(&mut self, ns: &str, local: &str) -> io::Result<()>;
    /// An attribute of the element just started: namespace URI ("" for none), local name,
    /// value (namespace declarations are not attributes here).
    fn attribute(&mut self, ns: &str, local: &str, value: &str) -> io::Result<()>;
    /// A piece of character data of the innermost open element (never empty; consecutive
    /// pieces belong to the same text).
    fn text(&mut self, text: &str) -> io::Result<()>;
    /// The end of the innermost open element.
    fn end_element(&mut self) -> io::Result<()>;
    /// A comment (ignored by default).
    fn comment(&mut self, text: &str) -> io::Result<()> {
        let _ = text;
        Ok(())
    }
    /// A processing instruction (ignored by default).
    fn processing_instruction(&mut self, pi: &Pi) -> io::Result<()> {
        let _ = pi;
        Ok(())
    }
}

/// The buffer is handed to the sink once it holds more than this many bytes.
const SPILL_AT: usize = 64 * 1024;

/// The XML writer used by the generated `ToXml` implementations.
///
/// Output goes to an internal buffer. A writer made by [`XmlWriter::new`] keeps everything
/// there (take it with [`XmlWriter::into_bytes`] or [`XmlWriter::into_string`]); one made by
/// [`XmlWriter::with_sink`] hands the buffer to its sink whenever it grows past 64 KiB and on
/// [`XmlWriter::finish`] / [`XmlWriter::flush`], so the sink needs no `BufWriter`.
///
/// A writer made by [`XmlWriter::with_events`] writes no bytes: it reports what it would write
/// to an [`XmlEvents`] consumer.
///
/// The writer is not generic: every `ToXml` implementation is compiled once.
pub struct XmlWriter<'w> {
    out: Vec<u8>,
    sink: Option<&'w mut dyn Write>,
    /// Event mode: every call is reported here, nothing is written to `out`.
    events: Option<&'w mut dyn XmlEvents>,
    prefixes: &'static [(&'static str, &'static str)],
    bindings: Vec<Binding>,
    stack: Vec<Frame>,
    /// Qualified names of the open elements, concatenated.
    names: String,
    /// A start tag is open (its `>` not yet written).
    open_tag: bool,
    root_started: bool,
    root_xsi: Option<XsiAttributes>,
    /// The encoding named in the declaration; when it cannot hold every character
    /// (`limited`), text and attribute values get character references for the others and
    /// names and comments are checked.
    encoding: Encoding,
    limited: bool,
    /// Extra content for the next element started (the root's, from the document).
    pending_extra: Option<Extra>,
    /// The next element started is an extra node, not a known child (not counted).
    extra_element: bool,
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.into())
}

/// Writes `s` escaped. In attribute values (`attr`) `"`, tab, LF and CR are written as character
/// references; in text only CR is. Control characters that XML cannot represent are an error.
fn write_escaped(out: &mut Vec<u8>, s: &str, attr: bool) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' if attr => b"&quot;",
            b'\t' if attr => b"&#9;",
            b'\n' if attr => b"&#10;",
            b'\r' => b"&#13;",
            b'\t' | b'\n' => continue,
            0..=0x1F => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("character U+{b:04X} cannot be written in XML 1.0"),
                ))
            }
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "characters U+FFFE and U+FFFF cannot be written in XML",
                ))
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(rep);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    Ok(())
}

/// Namespace-declaration values: only `&`, `<` and `"` are escaped, whitespace is written
/// literally so that the namespace name comes back exactly as it was read (quick-xml does not
/// normalise namespace names, nor expand character references in them: a character the output
/// encoding cannot hold is an error there, see [`XmlWriter::check_encodable`]).
fn write_ns_value(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'"' => b"&quot;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(rep);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    Ok(())
}

/// `&#xHEX;` for `c` (a character XML allows: U+FFFE/U+FFFF are refused as in text).
fn write_char_reference(out: &mut Vec<u8>, c: char) -> io::Result<()> {
    if matches!(c, '\u{FFFE}' | '\u{FFFF}') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "characters U+FFFE and U+FFFF cannot be written in XML",
        ));
    }
    write!(out, "&#x{:X};", c as u32)
}

fn reserved_prefix(p: &str) -> bool {
    p.len() >= 3 && p[..3].eq_ignore_ascii_case("xml")
}

impl XmlWriter<'static> {
    /// A writer into memory; `prefixes` gives the preferred prefix per namespace URI, used when a
    /// namespace has to be declared with a prefix. Take the output with
    /// [`XmlWriter::into_bytes`] or [`XmlWriter::into_string`].
    pub fn new(prefixes: &'static [(&'static str, &'static str)]) -> Self {
        XmlWriter::make(Vec::with_capacity(4096), None, prefixes)
    }
}

impl<'w> XmlWriter<'w> {
    /// A writer to `sink` (see [`XmlWriter`]): call [`XmlWriter::finish`] at the end, or the
    /// last bytes stay in the buffer.
    pub fn with_sink(
        sink: &'w mut dyn Write,
        prefixes: &'static [(&'static str, &'static str)],
    ) -> Self {
        XmlWriter::make(
            Vec::with_capacity(SPILL_AT + 8 * 1024),
            Some(sink),
            prefixes,
        )
    }

    /// A writer that writes no bytes and reports each element, attribute and text piece to
    /// `events` instead ([`XmlEvents`]), in the order it would write them: the typed value as
    /// the XML it stands for, without prefix choice, escaping or encoding work.
    pub fn with_events(events: &'w mut dyn XmlEvents) -> Self {
        XmlWriter {
            events: Some(events),
            ..XmlWriter::make(Vec::new(), None, &[])
        }
    }

    fn make(
        out: Vec<u8>,
        sink: Option<&'w mut dyn Write>,
        prefixes: &'static [(&'static str, &'static str)],
    ) -> Self {
        XmlWriter {
            out,
            sink,
            events: None,
            prefixes,
            bindings: Vec::new(),
            stack: Vec::new(),
            names: String::new(),
            open_tag: false,
            root_started: false,
            root_xsi: None,
            encoding: Encoding::UTF_8,
            limited: false,
            pending_extra: None,
            extra_element: false,
        }
    }

    /// Extra content ([`Extra`]) for the root element, written when it starts (for a root
    /// value without an `extra` field of its own).
    pub fn set_root_extra(&mut self, extra: &Extra) {
        self.pending_extra = (!extra.is_empty()).then(|| extra.clone());
    }

    /// Writes the extra content of the element whose start tag is open: its attributes now, its
    /// nodes later, each before the start tag of the known child it is anchored to (children
    /// are counted as they start) or before the end tag. Called by the generated writers after
    /// the typed attributes.
    #[inline]
    pub fn extra(&mut self, extra: &Extra) -> io::Result<()> {
        match extra.shared() {
            None => Ok(()),
            Some(data) => self.apply_extra(data),
        }
    }

    fn apply_extra(&mut self, data: &Arc<ExtraData>) -> io::Result<()> {
        for a in &data.attributes {
            let ns = a.ns.as_deref().unwrap_or("");
            // (Event mode reports the value as read: no prefix to bring into scope.)
            let value = if ns == XSI_NS && a.local == "type" && self.events.is_none() {
                self.qname_in_scope(&a.value, &data.qname_bindings)?
            } else {
                None
            };
            let value = value.as_deref().unwrap_or(&a.value);
            self.attribute_with_prefix(ns, &a.local, a.prefix.as_deref(), value)?;
        }
        if !data.nodes.is_empty() {
            if let Some(frame) = self.stack.last_mut() {
                frame.extra = Some(Arc::clone(data));
                frame.cursor = 0;
            }
        }
        Ok(())
    }

    /// Makes the QName `value` mean in the open start tag what it meant where it was read
    /// (`bindings`: the namespace of its prefix there): declares its prefix when it is free on
    /// this element, else rewrites the value with a prefix bound to that namespace.
    fn qname_in_scope(
        &mut self,
        value: &str,
        bindings: &[(Option<String>, String)],
    ) -> io::Result<Option<String>> {
        let v = value.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let (prefix, local) = match v.find(':') {
            Some(i) => (Some(&v[..i]), &v[i + 1..]),
            None => (None, v),
        };
        let Some((_, uri)) = bindings.iter().find(|(p, _)| p.as_deref() == prefix) else {
            return Ok(None);
        };
        let p = prefix.unwrap_or("");
        if self.lookup(p).unwrap_or("") == uri.as_str() {
            return Ok(None);
        }
        let own_start = self.stack.last().map_or(0, |f| f.bindings_start);
        let free_here = !self.bindings[own_start..].iter().any(|b| b.prefix == p);
        if let (Some(p), true) = (prefix, free_here) {
            if !reserved_prefix(p) {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(p.as_bytes());
                self.out.extend_from_slice(b"=\"");
                write_ns_value(&mut self.out, uri)?;
                self.out.extend_from_slice(b"\"");
                self.bindings.push(Binding {
                    prefix: p.to_string(),
                    uri: uri.clone(),
                });
                return Ok(None);
            }
        }
        if uri.is_empty() {
            // No namespace, and the default one is taken: not expressible without moving the
            // element's own names; left as written.
            return Ok(None);
        }
        let i = match self.prefix_for(uri) {
            Some(i) => i,
            None => {
                let np = self.new_prefix(uri, prefix);
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(np.as_bytes());
                self.out.extend_from_slice(b"=\"");
                write_ns_value(&mut self.out, uri)?;
                self.out.extend_from_slice(b"\"");
                self.bindings.push(Binding {
                    prefix: np,
                    uri: uri.clone(),
                });
                self.bindings.len() - 1
            }
        };
        Ok(Some(format!("{}:{local}", self.bindings[i].prefix)))
    }

    /// Writes the pending extra nodes of the innermost element anchored before `upto` (all of
    /// them for `None`); stops at the [`ExtraNode::Child`] of child `upto` and returns it
    /// (leaves it in place unless `take_child`).
    fn flush_extra(&mut self, upto: Option<u32>, take_child: bool) -> io::Result<Option<Extra>> {
        let Some(frame) = self.stack.last() else {
            return Ok(None);
        };
        let Some(data) = frame.extra.clone() else {
            return Ok(None);
        };
        let mut cursor = frame.cursor;
        let mut found = None;
        while let Some(anchored) = data.nodes.get(cursor) {
            if upto.is_some_and(|u| anchored.before > u) {
                break;
            }
            let is_next_child = upto == Some(anchored.before);
            if !take_child && is_next_child && matches!(anchored.node, ExtraNode::Child(_)) {
                break;
            }
            cursor += 1;
            match &anchored.node {
                ExtraNode::Child(e) => {
                    if is_next_child {
                        found = Some(e.clone());
                        break;
                    }
                    // The child it belonged to is gone: nothing to attach it to.
                }
                ExtraNode::Comment(c) => self.comment(c)?,
                ExtraNode::ProcessingInstruction(p) => self.processing_instruction(p)?,
                ExtraNode::Text(t) => {
                    if !t.is_empty() {
                        if let Some(events) = self.events.as_mut() {
                            self.open_tag = false;
                            events.text(t)?;
                        } else {
                            self.close_open_tag()?;
                            write_escaped(&mut self.out, t, false)?;
                        }
                    }
                }
                ExtraNode::Element(e) => {
                    self.extra_element = true;
                    let r = e.write(self);
                    self.extra_element = false;
                    r?;
                }
            }
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.cursor = cursor;
        }
        Ok(found)
    }

    /// Before a child element starts: counts it and writes the extra nodes that precede it;
    /// returns the extra content anchored to it.
    fn before_child(&mut self) -> io::Result<Option<Extra>> {
        if std::mem::take(&mut self.extra_element) {
            return Ok(None);
        }
        let Some(frame) = self.stack.last_mut() else {
            return Ok(self.pending_extra.take());
        };
        let index = frame.children;
        frame.children += 1;
        if frame.extra.is_none() {
            return Ok(None);
        }
        self.flush_extra(Some(index), true)
    }

    /// A comment or processing instruction outside the root element, on a line of its own.
    pub fn misc(&mut self, misc: &Misc) -> io::Result<()> {
        if let Some(events) = self.events.as_mut() {
            return match misc {
                Misc::Comment(c) => events.comment(c),
                Misc::ProcessingInstruction(p) => events.processing_instruction(p),
            };
        }
        if self.root_started && self.stack.is_empty() {
            self.out.push(b'\n');
        }
        match misc {
            Misc::Comment(c) => self.comment(c)?,
            Misc::ProcessingInstruction(p) => self.processing_instruction(p)?,
        }
        if !self.root_started {
            self.out.push(b'\n');
        }
        Ok(())
    }

    /// A processing instruction `<?target data?>`: the target is a name other than `xml`, the
    /// data holds no `?>`.
    pub fn processing_instruction(&mut self, pi: &Pi) -> io::Result<()> {
        if let Some(events) = self.events.as_mut() {
            self.open_tag = false;
            return events.processing_instruction(pi);
        }
        let t = &pi.target;
        if t.is_empty()
            || t.eq_ignore_ascii_case("xml")
            || t.contains(|c: char| c.is_whitespace() || c == '?' || c == '<' || c == '>')
        {
            return Err(invalid(format!(
                "{t:?} is not a processing-instruction target"
            )));
        }
        if pi.data.contains("?>") {
            return Err(invalid("processing-instruction data cannot contain \"?>\""));
        }
        self.check_encodable(t, "processing-instruction target")?;
        self.check_encodable(&pi.data, "processing instruction")?;
        self.close_open_tag()?;
        self.out.extend_from_slice(b"<?");
        self.out.extend_from_slice(t.as_bytes());
        if !pi.data.is_empty() {
            self.out.push(b' ');
            write_escaped_comment(&mut self.out, &pi.data)?;
        }
        self.out.extend_from_slice(b"?>");
        self.spill()
    }

    /// `xsi:schemaLocation` / `xsi:noNamespaceSchemaLocation` to write on the root element
    /// (right after its namespace declaration).
    pub fn set_root_xsi(&mut self, xsi: &XsiAttributes) {
        self.root_xsi = if xsi.is_empty() {
            None
        } else {
            Some(xsi.clone())
        };
    }

    /// The encoding the output will be converted to (by an
    /// [`encoding::Encoder`](super::encoding::Encoder) sink; the writer itself always produces
    /// UTF-8): the declaration names it, characters it cannot hold are written as character
    /// references in text and attribute values, and are an error in names and comments.
    pub fn set_encoding(&mut self, encoding: Encoding) {
        self.encoding = encoding;
        self.limited = !encoding.is_unicode();
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` (or the encoding set by
    /// [`XmlWriter::set_encoding`]) and a newline.
    pub fn declaration(&mut self) -> io::Result<()> {
        if self.events.is_some() {
            return Ok(());
        }
        self.out
            .extend_from_slice(b"<?xml version=\"1.0\" encoding=\"");
        self.out
            .extend_from_slice(self.encoding.xml_name().as_bytes());
        self.out.extend_from_slice(b"\"?>\n");
        Ok(())
    }

    /// Text or an attribute value: escaped, with character references for the characters the
    /// output encoding cannot hold.
    #[inline]
    fn escaped(&mut self, s: &str, attr: bool) -> io::Result<()> {
        if !self.limited {
            return write_escaped(&mut self.out, s, attr);
        }
        let mut run = 0;
        for (i, c) in s.char_indices() {
            if !c.is_ascii() && !self.encoding.can_encode(c) {
                write_escaped(&mut self.out, &s[run..i], attr)?;
                write_char_reference(&mut self.out, c)?;
                run = i + c.len_utf8();
            }
        }
        write_escaped(&mut self.out, &s[run..], attr)
    }

    /// A name or comment: XML has no character reference there, so a character the output
    /// encoding cannot hold is an error.
    #[inline]
    fn check_encodable(&self, s: &str, what: &str) -> io::Result<()> {
        if !self.limited {
            return Ok(());
        }
        match s
            .chars()
            .find(|&c| !c.is_ascii() && !self.encoding.can_encode(c))
        {
            None => Ok(()),
            Some(c) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "character {c:?} (U+{:04X}) of the {what} {s:?} cannot be written in {}, \
                     and XML allows no character reference there",
                    c as u32, self.encoding
                ),
            )),
        }
    }

    /// Number of open elements.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The namespace bound to `prefix` in scope ("" prefix = default namespace; None = unbound).
    fn lookup(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NS);
        }
        self.bindings
            .iter()
            .rev()
            .find(|b| b.prefix == prefix)
            .map(|b| b.uri.as_str())
            .filter(|u| !u.is_empty() || prefix.is_empty())
    }

    fn default_ns(&self) -> &str {
        self.lookup("").unwrap_or("")
    }

    /// Index of the innermost binding of a non-empty prefix to `ns` that is still in effect.
    /// One backward pass, remembering the prefixes rebound further in (linear in the bindings in
    /// scope, which input may make numerous: never a rescan per binding).
    fn prefix_for(&self, ns: &str) -> Option<usize> {
        const FEW: usize = 16;
        // Prefixes bound after the binding being looked at: an array while few, then a set.
        let mut few: [&str; FEW] = [""; FEW];
        let mut n = 0;
        let mut many: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (i, b) in self.bindings.iter().enumerate().rev() {
            let prefix = b.prefix.as_str();
            let shadowed = few[..n].contains(&prefix) || many.contains(prefix);
            if !shadowed && !prefix.is_empty() && b.uri == ns {
                return Some(i);
            }
            if n < FEW {
                few[n] = prefix;
                n += 1;
            } else {
                many.insert(prefix);
            }
        }
        None
    }

    /// Index of the binding in effect for `prefix`, if it binds `ns`.
    fn binding_of(&self, prefix: &str, ns: &str) -> Option<usize> {
        self.bindings
            .iter()
            .rposition(|b| b.prefix == prefix)
            .filter(|&i| self.bindings[i].uri == ns)
    }

    /// A prefix to declare for `ns`: the hint, the preferred one, or ns1, ns2, ...
    fn new_prefix(&self, ns: &str, hint: Option<&str>) -> String {
        let usable = |p: &str| !p.is_empty() && !reserved_prefix(p) && self.lookup(p).is_none();
        if let Some(h) = hint {
            if usable(h) {
                return h.to_string();
            }
        }
        for (uri, p) in self.prefixes {
            if *uri == ns && usable(p) {
                return (*p).to_string();
            }
        }
        // A namespace outside the document's own set (e.g. a registered extension): its
        // registered prefix.
        if let Some(p) = super::registry::global().prefix(ns) {
            if usable(p) {
                return p.to_string();
            }
        }
        let mut n = 1u32;
        loop {
            let p = format!("ns{n}");
            if usable(&p) {
                return p;
            }
            n += 1;
        }
    }

    /// Binds `prefix` to `uri` on the element whose bindings start at `start` (replacing a
    /// binding of the same prefix made on that element). Returns the binding's index.
    fn bind(&mut self, start: usize, prefix: &str, uri: &str) -> usize {
        if let Some(i) = self.bindings[start..]
            .iter()
            .position(|b| b.prefix == prefix)
        {
            self.bindings[start + i].uri = uri.to_string();
            return start + i;
        }
        self.bindings.push(Binding {
            prefix: prefix.to_string(),
            uri: uri.to_string(),
        });
        self.bindings.len() - 1
    }

    fn close_open_tag(&mut self) -> io::Result<()> {
        if self.open_tag {
            self.open_tag = false;
            self.out.extend_from_slice(b">");
        }
        Ok(())
    }

    /// Opens a start tag for `{ns}local` (ns "" = no namespace). See
    /// [`XmlWriter::start_element_with_prefix`].
    pub fn start_element(&mut self, ns: &str, local: &str) -> io::Result<()> {
        self.start_element_full::<&str, &str>(ns, local, None, &[])
    }

    /// Opens a start tag for `{ns}local`, choosing its prefix: the hint if it is bound to `ns`;
    /// unprefixed if `ns` is the default namespace; a prefix bound to `ns`; otherwise a new
    /// declaration — the default namespace on the root element, else a prefix (the hint if free,
    /// the preferred one, or ns1, ns2, ...). `ns` "" under a default namespace declares `xmlns=""`.
    pub fn start_element_with_prefix(
        &mut self,
        ns: &str,
        local: &str,
        prefix_hint: Option<&str>,
    ) -> io::Result<()> {
        self.start_element_full::<&str, &str>(ns, local, prefix_hint, &[])
    }

    /// Like [`XmlWriter::start_element_with_prefix`], first declaring `decls` (prefix `None` =
    /// default namespace) on this element unless the same binding is already in scope.
    pub fn start_element_full<P: AsRef<str>, U: AsRef<str>>(
        &mut self,
        ns: &str,
        local: &str,
        prefix_hint: Option<&str>,
        decls: &[(Option<P>, U)],
    ) -> io::Result<()> {
        if self.events.is_some() {
            return self.start_element_event(ns, local);
        }
        if self.root_started && self.stack.is_empty() {
            return Err(invalid("a second root element cannot be written"));
        }
        let own_extra = self.before_child()?;
        self.close_open_tag()?;
        let bindings_start = self.bindings.len();
        for (p, uri) in decls {
            let p = p.as_ref().map_or("", |p| p.as_ref());
            let uri = uri.as_ref();
            if p == "xml" || p == "xmlns" || (!p.is_empty() && uri.is_empty()) {
                continue;
            }
            let same = match self.bindings.iter().rposition(|b| b.prefix == p) {
                Some(i) => self.bindings[i].uri == uri,
                None => uri.is_empty(),
            };
            if !same {
                self.bind(bindings_start, p, uri);
            }
        }
        let own_default = self.bindings[bindings_start..]
            .iter()
            .any(|b| b.prefix.is_empty());
        // Choose the prefix: None = unprefixed, Some(i) = prefix of binding i.
        let prefix: Option<usize> = if ns.is_empty() {
            if !self.default_ns().is_empty() {
                self.bind(bindings_start, "", "");
            }
            None
        } else if let Some(i) = prefix_hint
            .filter(|h| !h.is_empty())
            .and_then(|h| self.binding_of(h, ns))
        {
            Some(i)
        } else if self.default_ns() == ns {
            None
        } else if let Some(i) = self.prefix_for(ns) {
            Some(i)
        } else if !self.root_started && !own_default {
            self.bind(bindings_start, "", ns);
            None
        } else {
            let p = self.new_prefix(ns, prefix_hint);
            Some(self.bind(bindings_start, &p, ns))
        };
        let name_start = self.names.len();
        if let Some(i) = prefix {
            self.names.push_str(&self.bindings[i].prefix);
            self.names.push(':');
        }
        self.names.push_str(local);
        self.check_encodable(&self.names[name_start..], "element name")?;
        self.out.extend_from_slice(b"<");
        self.out
            .extend_from_slice(&self.names.as_bytes()[name_start..]);
        for b in &self.bindings[bindings_start..] {
            if b.prefix.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.check_encodable(&b.prefix, "namespace prefix")?;
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(b.prefix.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            self.check_encodable(&b.uri, "namespace name")?;
            write_ns_value(&mut self.out, &b.uri)?;
            self.out.extend_from_slice(b"\"");
        }
        self.opened(name_start, bindings_start, own_extra)
    }

    /// [`XmlWriter::start_element_full`] in event mode: the same bookkeeping of extra content
    /// (the nodes anchored before this child, its own extra attributes), no names.
    fn start_element_event(&mut self, ns: &str, local: &str) -> io::Result<()> {
        if self.root_started && self.stack.is_empty() {
            return Err(invalid("a second root element cannot be written"));
        }
        let own_extra = self.before_child()?;
        self.open_tag = false;
        if let Some(events) = self.events.as_mut() {
            events.start_element(ns, local)?;
        }
        self.opened(0, 0, own_extra)
    }

    /// The element whose start tag was just begun: its frame, then its extra content.
    fn opened(
        &mut self,
        name_start: usize,
        bindings_start: usize,
        own_extra: Option<Extra>,
    ) -> io::Result<()> {
        self.stack.push(Frame {
            name_start,
            bindings_start,
            extra: None,
            cursor: 0,
            children: 0,
            text_written: false,
        });
        self.open_tag = true;
        self.after_start(own_extra)
    }

    /// After a start tag's name: the root's xsi attributes, then the element's extra content.
    fn after_start(&mut self, own_extra: Option<Extra>) -> io::Result<()> {
        if !self.root_started {
            self.root_started = true;
            if let Some(xsi) = self.root_xsi.take() {
                if let Some(v) = &xsi.schema_location {
                    self.attribute_with_prefix(XSI_NS, "schemaLocation", Some("xsi"), v)?;
                }
                if let Some(v) = &xsi.no_namespace_schema_location {
                    self.attribute_with_prefix(
                        XSI_NS,
                        "noNamespaceSchemaLocation",
                        Some("xsi"),
                        v,
                    )?;
                }
            }
        }
        if let Some(extra) = own_extra {
            if let Some(data) = extra.shared() {
                self.apply_extra(data)?;
            }
        }
        Ok(())
    }

    /// Adds an attribute to the open start tag (see [`XmlWriter::attribute_with_prefix`]).
    pub fn attribute(&mut self, ns: &str, local: &str, value: &str) -> io::Result<()> {
        self.attribute_with_prefix(ns, local, None, value)
    }

    /// Adds an attribute to the open start tag. `ns` "" = unqualified; the XML namespace uses
    /// `xml:`; other namespaces use a prefix bound to them, declaring one if needed (the hint
    /// if free, the preferred one, or ns1, ns2, ...).
    pub fn attribute_with_prefix(
        &mut self,
        ns: &str,
        local: &str,
        prefix_hint: Option<&str>,
        value: &str,
    ) -> io::Result<()> {
        if !self.open_tag {
            return Err(invalid(format!(
                "attribute {local} written outside a start tag"
            )));
        }
        if let Some(events) = self.events.as_mut() {
            return events.attribute(ns, local, value);
        }
        self.out.extend_from_slice(b" ");
        if ns.is_empty() {
        } else if ns == XML_NS {
            self.out.extend_from_slice(b"xml:");
        } else {
            let idx = match prefix_hint
                .filter(|h| !h.is_empty())
                .and_then(|h| self.binding_of(h, ns))
                .or_else(|| self.prefix_for(ns))
            {
                Some(i) => i,
                None => {
                    let p = self.new_prefix(ns, prefix_hint);
                    self.check_encodable(&p, "namespace prefix")?;
                    self.out.extend_from_slice(b"xmlns:");
                    self.out.extend_from_slice(p.as_bytes());
                    self.out.extend_from_slice(b"=\"");
                    self.check_encodable(ns, "namespace name")?;
                    write_ns_value(&mut self.out, ns)?;
                    self.out.extend_from_slice(b"\" ");
                    self.bindings.push(Binding {
                        prefix: p,
                        uri: ns.to_string(),
                    });
                    self.bindings.len() - 1
                }
            };
            self.out
                .extend_from_slice(self.bindings[idx].prefix.as_bytes());
            self.out.extend_from_slice(b":");
        }
        self.check_encodable(local, "attribute name")?;
        self.out.extend_from_slice(local.as_bytes());
        self.out.extend_from_slice(b"=\"");
        self.escaped(value, true)?;
        self.out.push(b'"');
        Ok(())
    }

    /// Text content, escaped (`&`, `<`, `>`, and CR as `&#13;`). Closes an open start tag.
    /// Empty text writes nothing.
    pub fn text(&mut self, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let Some(frame) = self.stack.last_mut() else {
            return Err(invalid("text outside the root element"));
        };
        if !frame.text_written {
            frame.text_written = true;
            // Text-only content: nodes anchored 0 go before the text.
            if frame.extra.is_some() && frame.children == 0 {
                self.flush_extra(Some(0), false)?;
            }
        }
        if let Some(events) = self.events.as_mut() {
            self.open_tag = false;
            return events.text(text);
        }
        self.close_open_tag()?;
        self.escaped(text, false)?;
        self.spill()
    }

    /// A comment `<!--text-->`; `text` must not contain `--` nor end with `-`.
    pub fn comment(&mut self, text: &str) -> io::Result<()> {
        if let Some(events) = self.events.as_mut() {
            self.open_tag = false;
            return events.comment(text);
        }
        if text.contains("--") || text.ends_with('-') {
            return Err(invalid("a comment cannot contain \"--\" or end with \"-\""));
        }
        self.check_encodable(text, "comment")?;
        self.close_open_tag()?;
        self.out.extend_from_slice(b"<!--");
        write_escaped_comment(&mut self.out, text)?;
        self.out.extend_from_slice(b"-->");
        self.spill()
    }

    /// Closes the innermost open element (`/>` if nothing was written inside it).
    pub fn end_element(&mut self) -> io::Result<()> {
        if self.stack.last().is_some_and(|f| f.extra.is_some()) {
            self.flush_extra(None, false)?;
        }
        let frame = self
            .stack
            .pop()
            .ok_or_else(|| invalid("end_element without an open element"))?;
        if let Some(events) = self.events.as_mut() {
            self.open_tag = false;
            return events.end_element();
        }
        if self.open_tag {
            self.open_tag = false;
            self.out.extend_from_slice(b"/>");
        } else {
            self.out.extend_from_slice(b"</");
            self.out
                .extend_from_slice(&self.names.as_bytes()[frame.name_start..]);
            self.out.extend_from_slice(b">");
        }
        self.names.truncate(frame.name_start);
        self.bindings.truncate(frame.bindings_start);
        self.spill()
    }

    /// `<{ns}local>text</{ns}local>` (or `<local/>` for empty text).
    pub fn simple_element(&mut self, ns: &str, local: &str, text: &str) -> io::Result<()> {
        self.start_element(ns, local)?;
        self.text(text)?;
        self.end_element()
    }

    /// Hands the buffer to the sink once it is large enough.
    #[inline]
    fn spill(&mut self) -> io::Result<()> {
        if self.out.len() > SPILL_AT && self.sink.is_some() {
            self.write_buffer()?;
        }
        Ok(())
    }

    /// Writes the buffer to the sink (if any) and empties it.
    fn write_buffer(&mut self) -> io::Result<()> {
        if let Some(sink) = self.sink.as_mut() {
            if !self.out.is_empty() {
                sink.write_all(&self.out)?;
                self.out.clear();
            }
        }
        Ok(())
    }

    /// Writes the buffer to the sink and flushes the sink. Without a sink (see
    /// [`XmlWriter::new`]) the output stays in the buffer and this does nothing.
    pub fn flush(&mut self) -> io::Result<()> {
        self.write_buffer()?;
        match self.sink.as_mut() {
            Some(sink) => sink.flush(),
            None => Ok(()),
        }
    }

    /// Event mode, streaming: the events that follow are the content of an element reported
    /// to the same events earlier (by another writer), still open.
    pub(crate) fn continue_inside_element(&mut self) {
        self.root_started = true;
        self.stack.push(Frame {
            name_start: self.names.len(),
            bindings_start: self.bindings.len(),
            extra: None,
            cursor: 0,
            children: 0,
            text_written: false,
        });
    }

    /// Streaming ([`super::stream::StreamWriter`]): the extra content that came before the
    /// innermost open element's next part — what is left of the previous part's extra content
    /// is written first; `extra`'s anchors count the part's children only.
    pub(crate) fn begin_part(&mut self, extra: &Extra) -> io::Result<()> {
        if self.stack.last().is_some_and(|f| f.extra.is_some()) {
            self.flush_extra(None, false)?;
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.extra = extra.shared().cloned();
            frame.cursor = 0;
            frame.children = 0;
        }
        Ok(())
    }

    /// Ends writing: like [`XmlWriter::flush`]. Elements still open are not closed.
    pub fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }

    /// True when the writer has a sink (made by [`XmlWriter::with_sink`]).
    pub fn has_sink(&self) -> bool {
        self.sink.is_some()
    }

    /// The output written so far and not yet handed to a sink.
    pub fn buffered(&self) -> &[u8] {
        &self.out
    }

    /// The output (for a writer with a sink: what has not been handed to it; nothing after
    /// [`XmlWriter::finish`]).
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The output as text (see [`XmlWriter::into_bytes`]).
    pub fn into_string(self) -> String {
        // Everything written comes from `&str`s, and the buffer is only ever handed over at the
        // end of a call, so it always holds whole characters.
        String::from_utf8(self.out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

impl std::fmt::Debug for XmlWriter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlWriter")
            .field("buffered", &self.out.len())
            .field("has_sink", &self.sink.is_some())
            .field("depth", &self.stack.len())
            .finish_non_exhaustive()
    }
}

/// Comment text is written as is, except for characters XML cannot represent.
fn write_escaped_comment(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let bad = (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)));
        if bad {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "comment contains a character that cannot be written in XML",
            ));
        }
    }
    out.extend_from_slice(bytes);
    Ok(())
}
