//! Streaming: a document whose root element has many children — an `IODEF-Document` of tens of
//! thousands of `Incident`s — read from any [`BufRead`] and written to any [`Write`] one part at
//! a time, with memory bounded by the largest part.
//!
//! [`StreamReader`] gives the *header* first (a [`Document`] whose root holds the root
//! element's attributes and no children), then *parts*: values of the root's type, each
//! holding the next children of the root (at least one, batched up to [`PART_BYTES`] of
//! input) and the comments between them. A scan with quick-xml finds where each child ends;
//! each part is then read by the same typed reader and codec tables as a whole document,
//! from `<root namespace declarations>` + the part's bytes + `</root>` (positions and paths
//! are mapped back to the document's). What spans parts is checked across them: the order and
//! number of the root's children (the root type's content automaton), `xs:ID` uniqueness and
//! `xs:IDREF` resolution (forward references are resolved at the end).
//!
//! Memory: the part being read (its bytes, at most [`PART_BYTES`] plus its last child, and
//! its typed value), the root start tag, and the document's `xs:ID` values (each value with
//! its line and column: about 40 bytes plus the value) and unresolved forward `xs:IDREF`s.
//! UTF-8 input (with or without byte-order mark) is streamed; a document in another encoding
//! is decoded whole first (see [`crate::encoding::decode`]) and then read in parts.
//!
//! [`StreamWriter`] writes a header, then parts (or values built in code holding one child
//! each), then the end: the same bytes [`Document::write_to`] writes for the whole document.

use std::collections::HashMap;
use std::io::{self, BufRead, Read, Write};
use std::sync::Arc;

use quick_xml::events::{BytesStart, Event};

use super::codec::{read_root_part, write_root_part, write_root_start, Composite, Desc};
use super::reader::{clark, element_paths, line_columns};
use super::registry::Registry;
use super::schema::{one_of, States, TypeDef};
use super::{
    Document, Encoding, Error, ErrorKind, Extra, Misc, ReadOptions, RootElement, XmlEvents,
    XmlReader, XmlWriter,
};

/// Input bytes gathered into one part before it is read (a part ends after the child that
/// reaches this size): amortises the per-part set-up over small children.
pub const PART_BYTES: usize = 64 << 10;

/// Bytes of one part beyond which reading stops with a limit error ([`ErrorKind::Limit`]):
/// streaming holds a part in memory, so one child of the root (one Incident) larger than this
/// is refused rather than buffered without bound.
pub const MAX_PART_BYTES: usize = 256 << 20;

/// A [`BufRead`] that keeps a copy of every byte consumed from it (the scan's input, kept
/// until the part it belongs to is read), up to [`MAX_PART_BYTES`].
struct Recorder<R> {
    inner: R,
    record: Vec<u8>,
    /// The record reached [`MAX_PART_BYTES`]: reading was refused.
    full: bool,
}

impl<R: BufRead> Read for Recorder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

/// The input: streamed as it is (UTF-8), or decoded whole first (another encoding).
enum Input<R> {
    Utf8(R),
    Decoded(io::Cursor<Vec<u8>>),
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Utf8(r) => r.read(out),
            Input::Decoded(c) => c.read(out),
        }
    }
}

impl<R: BufRead> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Input::Utf8(r) => r.fill_buf(),
            Input::Decoded(c) => c.fill_buf(),
        }
    }
    fn consume(&mut self, n: usize) {
        match self {
            Input::Utf8(r) => r.consume(n),
            Input::Decoded(c) => c.consume(n),
        }
    }
}

impl<R: BufRead> BufRead for Recorder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.record.len() > MAX_PART_BYTES {
            self.full = true;
            return Err(io::Error::other("part too large"));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        // The buffer still holds the `n` bytes being consumed: no read happens here.
        if let Ok(available) = self.inner.fill_buf() {
            self.record
                .extend_from_slice(&available[..n.min(available.len())]);
        }
        self.inner.consume(n);
    }
}

/// Line and column (in characters) reached in the input, advanced over bytes as they leave
/// the record.
#[derive(Debug, Clone, Copy)]
struct Tracker {
    line: u64,
    /// Characters since the start of the line.
    chars: u64,
    /// The last byte was a carriage return (a following line feed ends no other line).
    cr: bool,
}

impl Tracker {
    fn advance(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.cr => self.cr = false,
                b'\n' | b'\r' => {
                    self.line += 1;
                    self.chars = 0;
                    self.cr = b == b'\r';
                }
                _ => {
                    self.cr = false;
                    if b & 0xC0 != 0x80 {
                        self.chars += 1;
                    }
                }
            }
        }
    }

    fn position(&self) -> (u64, u64) {
        (self.line, self.chars + 1)
    }
}

/// Maps positions and paths of a part's reading input (`root_open` + part + `root_close`)
/// back to the document's.
#[derive(Debug, Clone)]
struct PartMap {
    /// Characters of the synthetic root start tag (all on line 1).
    prefix_chars: u64,
    /// Where the part starts in the document.
    line: u64,
    column: u64,
    root_local: String,
    /// Children of the root before this part, per local name (their `[n]` in paths).
    before: Vec<(String, u32)>,
}

impl PartMap {
    fn position(&self, (line, column): (u64, u64)) -> (u64, u64) {
        if line == 0 {
            (0, 0)
        } else if line == 1 {
            (
                self.line,
                self.column + column.saturating_sub(self.prefix_chars + 1),
            )
        } else {
            (self.line + line - 1, column)
        }
    }

    /// `/Root/Name[i]/...` of the part → `/Root/Name[i + before]/...`.
    fn path(&self, path: &str) -> String {
        self.renumber(path, true)
    }

    /// The first step below the root renumbered: from the part's numbering to the document's
    /// (`to_document`), or back.
    fn renumber(&self, path: &str, to_document: bool) -> String {
        let Some(rest) = path
            .strip_prefix('/')
            .and_then(|p| p.strip_prefix(self.root_local.as_str()))
            .and_then(|p| p.strip_prefix('/'))
        else {
            return path.to_string();
        };
        let step_end = rest.find('/').unwrap_or(rest.len());
        let step = &rest[..step_end];
        let (Some(open), true) = (step.find('['), step.ends_with(']')) else {
            return path.to_string();
        };
        let (name, index) = (&step[..open], &step[open + 1..step.len() - 1]);
        let Ok(index) = index.parse::<u32>() else {
            return path.to_string();
        };
        let before = self
            .before
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, c)| *c);
        let index = if to_document {
            index + before
        } else {
            index.saturating_sub(before)
        };
        format!("/{}/{name}[{index}]{}", self.root_local, &rest[step_end..])
    }

    fn error(&self, mut e: Error) -> Error {
        (e.line, e.column) = self.position((e.line, e.column));
        e.path = self.path(&e.path);
        e
    }
}

/// A part of the root's content as read from the input, before (or instead of) its typed
/// reading: what the collecting validator and the prose rules' positions need.
#[derive(Debug)]
pub(crate) struct RawPart {
    /// `root_open` + the part's bytes + `root_close`.
    pub(crate) input: Vec<u8>,
    map: PartMap,
}

impl RawPart {
    pub(crate) fn map_error(&self, e: Error) -> Error {
        self.map.error(e)
    }
    pub(crate) fn map_position(&self, position: (u64, u64)) -> (u64, u64) {
        self.map.position(position)
    }
    /// A document path of this part's children as the part's own reading numbers them.
    pub(crate) fn local_path(&self, path: &str) -> String {
        self.map.renumber(path, false)
    }
}

/// Reads a document in parts (see the module documentation). `T` is the root element's type
/// (`iodef::v2::IodefDocument`, `iodef::v1::IodefDocument`, or any generated element type
/// whose content is a sequence of elements).
pub struct StreamReader<R: BufRead, T> {
    src: quick_xml::Reader<Recorder<Input<R>>>,
    buf: Vec<u8>,
    options: ReadOptions,
    registry: Arc<Registry>,
    ty: &'static TypeDef,
    header: Document<T>,
    /// The XML declaration, when there is one: `Some(encoding it names)`.
    declaration: Option<Option<String>>,
    encoding: Encoding,
    /// Synthetic start tag (the root's name and namespace declarations, one line) and end tag.
    root_open: Vec<u8>,
    root_close: Vec<u8>,
    prefix_chars: u64,
    root_local: String,
    /// Namespace declarations of the root start tag (prefix, URI; "" for the default).
    root_ns: Vec<(Vec<u8>, String)>,
    /// Offset of `record[0]` in the input, and the line:column there.
    base: u64,
    at: Tracker,
    depth: u32,
    /// Content automaton state of the root element after the children seen so far.
    states: States,
    next: States,
    /// Children of the root so far, per local name.
    counts: Vec<(String, u32)>,
    /// `xs:ID` values of the document with where they are.
    ids: HashMap<String, (u64, u64), foldhash::fast::RandomState>,
    /// `xs:IDREF`s that named no ID when their part was read (the error if none comes).
    forward: Vec<(String, Error)>,
    /// The root element has ended (the epilog is read).
    done: bool,
    last_part: Option<(u64, u64)>,
    /// Where the root start tag is.
    root_position: (u64, u64),
    /// Collecting mode ([`validate`]): errors that span parts are gathered here and reading
    /// goes on, instead of ending the stream.
    collected: Option<Vec<Error>>,
    _root: std::marker::PhantomData<fn(R) -> T>,
}

impl<R: BufRead, T: RootElement + Composite + Default> StreamReader<R, T> {
    // (construction)
    /// Reads the prolog and the root start tag of `input` (default options).
    pub fn new(input: R) -> Result<Self, Error> {
        Self::with_options(input, &ReadOptions::default())
    }

    /// Reads the prolog and the root start tag of `input` with `options` (limits apply per
    /// part, `Limits::max_elements` included; [`super::Policy::Lenient`] is not supported:
    /// read such documents whole).
    pub fn with_options(mut input: R, options: &ReadOptions) -> Result<Self, Error> {
        let Desc::Complex(ty) = T::DESC else {
            return Err(Error::without_position(
                ErrorKind::UnexpectedElement,
                "only an element type can be streamed",
            ));
        };
        // UTF-8 is streamed; another encoding (or a declaration naming one) is decoded whole.
        let head = input.fill_buf().map_err(|e| Error::io(&e))?;
        // A byte-order mark is no column (and quick-xml's offsets do not count it): skipped.
        let (input, encoding) = if is_utf8(head) {
            if head.starts_with(BOM) {
                input.consume(BOM.len());
            }
            (Input::Utf8(input), Encoding::UTF_8)
        } else {
            let mut all = Vec::new();
            input.read_to_end(&mut all).map_err(|e| Error::io(&e))?;
            let decoded = super::encoding::decode(&all)?;
            let text = decoded.as_bytes();
            let text = text.strip_prefix(BOM).unwrap_or(text).to_vec();
            (Input::Decoded(io::Cursor::new(text)), decoded.encoding())
        };
        let mut src = quick_xml::Reader::from_reader(Recorder {
            inner: input,
            record: Vec::new(),
            full: false,
        });
        src.config_mut().check_end_names = true;
        let mut stream = StreamReader {
            src,
            buf: Vec::new(),
            options: options.clone(),
            registry: options.registry(),
            ty,
            header: Document::new(T::default()),
            declaration: None,
            encoding,
            root_open: Vec::new(),
            root_close: Vec::new(),
            prefix_chars: 0,
            root_local: String::new(),
            root_ns: Vec::new(),
            base: 0,
            at: Tracker {
                line: 1,
                chars: 0,
                cr: false,
            },
            depth: 0,
            states: States::new(),
            next: States::new(),
            counts: Vec::new(),
            ids: HashMap::default(),
            forward: Vec::new(),
            done: false,
            last_part: None,
            root_position: (1, 1),
            collected: None,
            _root: std::marker::PhantomData,
        };
        stream.read_header()?;
        Ok(stream)
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a document starting with `head` is UTF-8 by its byte-order mark and declaration.
fn is_utf8(head: &[u8]) -> bool {
    let head = head.strip_prefix(BOM).unwrap_or(head);
    if head.starts_with(b"<\0")
        || head.starts_with(b"\0<")
        || head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
    {
        return false;
    }
    if !head.starts_with(b"<?xml") {
        return true;
    }
    let end = head
        .windows(2)
        .position(|w| w == b"?>")
        .unwrap_or(head.len());
    let decl = &head[..end];
    let Some(at) = decl.windows(8).position(|w| w == b"encoding") else {
        return true;
    };
    let rest = &decl[at + 8..];
    let Some(q) = rest.iter().position(|&b| b == b'"' || b == b'\'') else {
        return false;
    };
    let quote = rest[q];
    let value = &rest[q + 1..];
    let value = &value[..value
        .iter()
        .position(|&b| b == quote)
        .unwrap_or(value.len())];
    Encoding::for_label(&String::from_utf8_lossy(value)) == Ok(Encoding::UTF_8)
}

impl<R: BufRead, T: RootElement + Composite + Default> StreamReader<R, T> {
    /// The document without its root's children: the XML declaration's prolog, the root's
    /// attributes and `xsi:` attributes; once the stream has ended, the epilog too.
    pub fn header(&self) -> &Document<T> {
        &self.header
    }

    /// Line and column where the last part returned starts.
    pub fn last_part_position(&self) -> Option<(u64, u64)> {
        self.last_part
    }

    /// The next part, or `None` once the root element has ended (the epilog then read and
    /// every document-wide check done).
    #[allow(clippy::should_implement_trait)]
    pub fn next_part(&mut self) -> Result<Option<T>, Error> {
        match self.next_raw()? {
            Some(raw) => self.read_part(&raw).map(Some),
            None => Ok(None),
        }
    }

    /// The XML declaration (`Some(encoding named)`) and the encoding the input was in.
    pub(crate) fn declaration(&self) -> (Option<Option<String>>, Encoding) {
        (self.declaration.clone(), self.encoding)
    }

    fn map_here(&self) -> PartMap {
        let (line, column) = self.at.position();
        PartMap {
            prefix_chars: self.prefix_chars,
            line,
            column,
            root_local: self.root_local.clone(),
            before: self.counts.clone(),
        }
    }

    /// Moves the record's first `n` bytes out (and the position past them).
    fn drain(&mut self, n: usize) -> Vec<u8> {
        let record = &mut self.src.get_mut().record;
        let n = n.min(record.len());
        let taken: Vec<u8> = record.drain(..n).collect();
        self.at.advance(&taken);
        self.base += n as u64;
        taken
    }

    /// Line:column of input offset `offset` (at or after `base`, still in the record).
    fn position_of(&self, offset: u64) -> (u64, u64) {
        let record = &self.src.get_ref().record;
        let upto = ((offset - self.base.min(offset)) as usize).min(record.len());
        let mut at = self.at;
        at.advance(&record[..upto]);
        at.position()
    }

    fn syntax_error(&self, offset: u64, message: String, path: String) -> Error {
        let (line, column) = self.position_of(offset);
        Error {
            kind: ErrorKind::Syntax,
            message,
            path,
            line,
            column,
        }
    }

    fn read_header(&mut self) -> Result<(), Error> {
        loop {
            self.buf.clear();
            let before = self.src.buffer_position();
            let event = match self.src.read_event_into(&mut self.buf) {
                Ok(e) => e.into_owned(),
                Err(_) => return Err(self.whole_document_error()),
            };
            match event {
                Event::Start(start) => {
                    self.root_position = self.position_of(before);
                    self.root_start(&start);
                    break;
                }
                // An empty root, or no root: nothing to stream; the typed reader tells.
                Event::Empty(_) | Event::Eof => return self.read_whole(),
                Event::Decl(d) => {
                    self.declaration = Some(
                        d.encoding()
                            .and_then(|e| e.ok())
                            .map(|e| String::from_utf8_lossy(&e).into_owned()),
                    );
                }
                _ => {}
            }
        }
        // Header: prolog + root start tag + end tag, read with the typed reader.
        let mut input = self.drain(usize::MAX);
        input.extend_from_slice(&self.root_close);
        let mut r = self.reader_over(&input);
        let el = r.root()?;
        if !r.is(&el, T::NAMESPACE, T::NAME) {
            return Err(r.error(
                ErrorKind::UnexpectedElement,
                el.offset,
                format!(
                    "unexpected root element {}, expected {}",
                    clark(r.ns_str(el.ns), el.local),
                    clark(T::NAMESPACE, T::NAME)
                ),
            ));
        }
        let mut root = T::default();
        read_root_part(&mut r, &el, self.ty, &mut root, true)?;
        r.finish()?;
        let (ids, idrefs) = r.take_ids();
        self.note_ids(ids, idrefs, &input, None)?;
        self.header = Document {
            root,
            xsi: r.xsi_attributes().clone(),
            unknown: Vec::new(),
            prolog: r.take_prolog(),
            epilog: Vec::new(),
            root_extra: r.take_root_extra(),
            comments_dropped: r.comments_dropped(),
        };
        if let TypeDef::Complex(ct) = self.ty {
            if let Some(automaton) = ct.automaton() {
                self.states = automaton.initial();
            }
        }
        self.depth = 1;
        Ok(())
    }

    /// A document whose root has no content (or that has no root): read whole, it is the
    /// header and there are no parts.
    fn read_whole(&mut self) -> Result<(), Error> {
        let mut rest = Vec::new();
        self.src
            .get_mut()
            .read_to_end(&mut rest)
            .map_err(|e| Error::io(&e))?;
        let input = self.drain(usize::MAX);
        let mut r = self.reader_over(&input);
        r.set_defer_idrefs_off();
        self.header = Document::from_xml_reader(r)?;
        self.done = true;
        Ok(())
    }

    /// The typed reader's error on the input consumed so far (a scan error before the root).
    fn whole_document_error(&mut self) -> Error {
        let offset = self.src.error_position();
        let input = self.src.get_ref().record.clone();
        let r = self.reader_over(&input);
        match Document::<T>::from_xml_reader(r) {
            Err(e) if e.line > 0 => e,
            _ => self.syntax_error(offset, "malformed XML".to_string(), "/".to_string()),
        }
    }

    /// Notes the root start tag: its name and namespace declarations, for the parts' input.
    fn root_start(&mut self, start: &BytesStart<'_>) {
        let qname = start.name().as_ref().to_vec();
        self.root_local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        let mut open = b"<".to_vec();
        open.extend_from_slice(&qname);
        for a in start.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            let prefix = if key == b"xmlns" {
                Some(&b""[..])
            } else {
                key.strip_prefix(b"xmlns:")
            };
            if let Some(prefix) = prefix {
                let uri = String::from_utf8_lossy(&a.value).into_owned();
                open.push(b' ');
                open.extend_from_slice(key);
                open.extend_from_slice(b"=\"");
                open.extend_from_slice(&a.value);
                open.push(b'"');
                self.root_ns.push((prefix.to_vec(), uri));
            }
        }
        open.push(b'>');
        // Namespace names hold no line breaks worth keeping apart: one line.
        for b in open.iter_mut() {
            if matches!(*b, b'\n' | b'\r' | b'\t') {
                *b = b' ';
            }
        }
        self.prefix_chars = String::from_utf8_lossy(&open).chars().count() as u64;
        self.root_open = open;
        self.root_close = format!("</{}>", String::from_utf8_lossy(&qname)).into_bytes();
    }

    /// A reader over a part's input with the stream's options.
    fn reader_over<'i>(&self, input: &'i [u8]) -> XmlReader<'i> {
        let mut r = XmlReader::with_registry(input, Some(Arc::clone(&self.registry)));
        self.options.apply(&mut r);
        r.set_decoded();
        r.defer_idrefs();
        r
    }

    /// Scans the next part: its bytes (with the synthetic root around them) and position map.
    pub(crate) fn next_raw(&mut self) -> Result<Option<RawPart>, Error> {
        if self.done {
            return Ok(None);
        }
        let map = self.map_here();
        let threshold = PART_BYTES.max(4 * self.root_open.len());
        loop {
            self.buf.clear();
            let before = self.src.buffer_position();
            let event = match self.src.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(_) => {
                    let offset = self.src.error_position();
                    return Err(self.part_error(&map, offset));
                }
            };
            // What the event means here, computed before `self` is used again.
            let child = match &event {
                Event::Start(start) | Event::Empty(start) if self.depth == 1 => Some((
                    child_name(&self.root_ns, start),
                    matches!(event, Event::Empty(_)),
                )),
                _ => None,
            };
            let kind = match event {
                Event::Start(_) => 1,
                Event::End(_) => 2,
                Event::Eof => 3,
                _ => 0,
            };
            if let Some(((ns, local), empty)) = child {
                self.child(&ns, &local, before)?;
                if !empty {
                    self.depth += 1;
                } else if self.record_len() >= threshold {
                    return Ok(Some(self.cut(map, None)));
                }
                continue;
            }
            match kind {
                1 => self.depth += 1,
                2 if self.depth == 1 => return self.end_of_root(map, before).map(Some),
                2 => {
                    self.depth -= 1;
                    if self.depth == 1 && self.record_len() >= threshold {
                        return Ok(Some(self.cut(map, None)));
                    }
                }
                3 => {
                    let offset = self.src.buffer_position();
                    return Err(self.part_error(&map, offset));
                }
                _ => {}
            }
        }
    }

    fn record_len(&self) -> usize {
        self.src.get_ref().record.len()
    }

    /// The part made of the record's first `len` bytes (all when `None`).
    fn cut(&mut self, map: PartMap, len: Option<usize>) -> RawPart {
        let bytes = self.drain(len.unwrap_or(usize::MAX));
        let mut input = Vec::with_capacity(self.root_open.len() + bytes.len() + 32);
        input.extend_from_slice(&self.root_open);
        input.extend_from_slice(&bytes);
        input.extend_from_slice(&self.root_close);
        self.last_part = Some((map.line, map.column));
        RawPart { input, map }
    }

    /// The error of a part that could not be scanned: the typed reader's on what was
    /// consumed (its message and path), else a syntax error at `offset`.
    fn part_error(&mut self, map: &PartMap, offset: u64) -> Error {
        if self.src.get_ref().full {
            let (line, column) = (map.line, map.column);
            return Error {
                kind: ErrorKind::Limit,
                message: format!(
                    "a part of more than {MAX_PART_BYTES} bytes (one child of {} this large \
                     cannot be streamed: rt::stream::MAX_PART_BYTES)",
                    self.root_local
                ),
                path: format!("/{}", self.root_local),
                line,
                column,
            };
        }
        let bytes = self.src.get_ref().record.clone();
        let mut input = self.root_open.clone();
        input.extend_from_slice(&bytes);
        let mut r = self.reader_over(&input);
        let mut root = T::default();
        let result = r
            .root()
            .and_then(|el| read_root_part(&mut r, &el, self.ty, &mut root, false));
        match result {
            Err(e) => map.error(e),
            Ok(()) => {
                let message = if offset >= self.base + bytes.len() as u64 {
                    format!("unexpected end of input: {} is not closed", self.root_local)
                } else {
                    "malformed XML".to_string()
                };
                self.syntax_error(offset, message, format!("/{}", self.root_local))
            }
        }
    }

    /// A child of the root starts at `offset`: one step of the root's content automaton.
    fn child(&mut self, ns: &str, local: &str, offset: u64) -> Result<(), Error> {
        let index = match self.counts.iter_mut().find(|(n, _)| n == local) {
            Some((_, c)) => {
                *c += 1;
                *c
            }
            None => {
                self.counts.push((local.to_string(), 1));
                1
            }
        };
        let TypeDef::Complex(ct) = self.ty else {
            return Ok(());
        };
        let Some(automaton) = ct.automaton() else {
            return Ok(());
        };
        if automaton
            .step(&self.states, ns, local, &mut self.next)
            .is_some()
        {
            std::mem::swap(&mut self.states, &mut self.next);
            return Ok(());
        }
        let expected = automaton.expected(&self.states, T::NAMESPACE);
        let hint = if expected.is_empty() {
            format!("no more elements are allowed in {}", self.root_local)
        } else {
            format!("expected {}", one_of(&expected))
        };
        let (line, column) = self.position_of(offset);
        self.fail(Error {
            kind: ErrorKind::UnexpectedElement,
            message: format!("unexpected element {}; {hint}", clark(ns, local)),
            path: format!("/{}/{local}[{index}]", self.root_local),
            line,
            column,
        })
    }

    /// The root's end tag starts at `end`: the last part (what precedes the end tag), then the
    /// epilog and the document-wide checks.
    fn end_of_root(&mut self, map: PartMap, end: u64) -> Result<RawPart, Error> {
        let (line, column) = self.position_of(end);
        if let TypeDef::Complex(ct) = self.ty {
            if let Some(automaton) = ct.automaton() {
                if !automaton.accepts(&self.states) {
                    let expected = automaton.expected(&self.states, T::NAMESPACE);
                    self.fail(Error {
                        kind: ErrorKind::MissingElement,
                        message: format!(
                            "missing required element in {}: expected {}",
                            self.root_local,
                            one_of(&expected)
                        ),
                        path: format!("/{}", self.root_local),
                        line,
                        column,
                    })?;
                }
            }
        }
        let part = self.cut(map, Some((end - self.base) as usize));
        // The epilog: the rest of the input after the end tag.
        let mut rest = Vec::new();
        self.src
            .get_mut()
            .read_to_end(&mut rest)
            .map_err(|e| Error::io(&e))?;
        let tail = self.drain(usize::MAX);
        let epilog_map = PartMap {
            line,
            column,
            ..part.map.clone()
        };
        let mut input = self.root_open.clone();
        input.extend_from_slice(&tail);
        let mut r = self.reader_over(&input);
        let result = r.root().and_then(|el| {
            let mut root = T::default();
            read_root_part(&mut r, &el, self.ty, &mut root, false)?;
            r.finish()
        });
        result.map_err(|e| epilog_map.error(e))?;
        self.header.epilog = r.take_epilog();
        self.header.comments_dropped += r.comments_dropped();
        self.done = true;
        Ok(part)
    }

    /// Reads a scanned part with the typed reader.
    pub(crate) fn read_part(&mut self, raw: &RawPart) -> Result<T, Error> {
        let mut r = self.reader_over(&raw.input);
        let mut value = T::default();
        let result = r.root().and_then(|el| {
            read_root_part(&mut r, &el, self.ty, &mut value, false)?;
            r.finish()
        });
        result.map_err(|e| raw.map.error(e))?;
        self.header.comments_dropped += r.comments_dropped();
        let (ids, idrefs) = r.take_ids();
        self.note_ids(ids, idrefs, &raw.input, Some(&raw.map))?;
        if self.done {
            self.check_forward()?;
        }
        Ok(value)
    }

    /// Adds a part's `xs:ID`s to the document's (a repeated one is an error, and then none
    /// is added unless collecting) and keeps its `xs:IDREF`s that name none yet.
    fn note_ids(
        &mut self,
        ids: crate::validate::IdValues,
        idrefs: crate::validate::IdValues,
        input: &[u8],
        map: Option<&PartMap>,
    ) -> Result<(), Error> {
        if ids.is_empty() && idrefs.is_empty() {
            return Ok(());
        }
        let position = |p: (u64, u64)| map.map_or(p, |m| m.position(p));
        // The IDREFs that name no ID yet, and the IDs seen before: their paths are needed.
        let here: std::collections::HashSet<&str, foldhash::fast::RandomState> =
            ids.iter().map(|(v, _)| v.as_str()).collect();
        let dangling: Vec<(String, usize)> = idrefs
            .into_iter()
            .filter(|(value, _)| !self.ids.contains_key(value) && !here.contains(value.as_str()))
            .collect();
        drop(here);
        let repeated: Vec<usize> = ids
            .iter()
            .filter(|(value, _)| self.ids.contains_key(value))
            .map(|(_, o)| *o)
            .collect();
        // Positions and paths in one pass over the part each (never a scan per value).
        let mut offsets: Vec<usize> = ids.iter().map(|(_, o)| *o).collect();
        offsets.extend(dangling.iter().map(|(_, o)| *o));
        offsets.sort_unstable();
        offsets.dedup();
        let positions = line_columns(input, &offsets);
        let at = |o: usize| position(positions[offsets.binary_search(&o).unwrap_or(0)]);
        let mut path_offsets: Vec<usize> = repeated;
        path_offsets.extend(dangling.iter().map(|(_, o)| *o));
        path_offsets.sort_unstable();
        path_offsets.dedup();
        let paths = element_paths(input, &path_offsets);
        let path_of = |o: usize| {
            let p = paths[path_offsets.binary_search(&o).unwrap_or(0)].clone();
            map.map_or(p.clone(), |m| m.path(&p))
        };
        for (value, offset) in &ids {
            if let Some(&(line, column)) = self.ids.get(value) {
                let here = at(*offset);
                // In the words of the reader, or of the collecting validator.
                let message = match self.collected {
                    None => format!("duplicate xs:ID {value:?} (first used at {line}:{column})"),
                    Some(_) => format!("duplicate xs:ID {value:?}"),
                };
                self.fail(Error {
                    kind: ErrorKind::InvalidValue,
                    message,
                    path: path_of(*offset),
                    line: here.0,
                    column: here.1,
                })?;
            }
        }
        for (value, offset) in ids {
            let here = at(offset);
            self.ids.entry(value).or_insert(here);
        }
        for (value, offset) in dangling {
            let (line, column) = at(offset);
            let message = match self.collected {
                None => format!("xs:IDREF {value:?} matches no xs:ID in the document"),
                Some(_) => format!("xs:IDREF {value:?} names no xs:ID of the document"),
            };
            self.forward.push((
                value,
                Error {
                    kind: ErrorKind::InvalidValue,
                    message,
                    path: path_of(offset),
                    line,
                    column,
                },
            ));
        }
        Ok(())
    }

    /// An error that spans parts: the stream's error, or one more when collecting.
    fn fail(&mut self, e: Error) -> Result<(), Error> {
        match &mut self.collected {
            Some(list) => {
                list.push(e);
                Ok(())
            }
            None => Err(e),
        }
    }

    /// At the end: the first forward `xs:IDREF` that no later part resolved.
    fn check_forward(&mut self) -> Result<(), Error> {
        for (value, e) in std::mem::take(&mut self.forward) {
            if !self.ids.contains_key(&value) {
                self.fail(e)?;
            }
        }
        Ok(())
    }
}

/// The namespace URI and local name of a child of the root.
fn child_name(root_ns: &[(Vec<u8>, String)], start: &BytesStart<'_>) -> (String, String) {
    let name = start.name();
    let (prefix, local) = match name.prefix() {
        Some(p) => (p.as_ref().to_vec(), name.local_name().as_ref().to_vec()),
        None => (Vec::new(), name.as_ref().to_vec()),
    };
    let own = start
        .attributes()
        .with_checks(false)
        .flatten()
        .find_map(|a| {
            let key = a.key.as_ref();
            let declared = if prefix.is_empty() {
                key == b"xmlns"
            } else {
                key.strip_prefix(b"xmlns:") == Some(&prefix[..])
            };
            declared.then(|| String::from_utf8_lossy(&a.value).into_owned())
        });
    let ns = own.or_else(|| {
        root_ns
            .iter()
            .rev()
            .find(|(p, _)| *p == prefix)
            .map(|(_, uri)| uri.clone())
    });
    (
        ns.unwrap_or_default(),
        String::from_utf8_lossy(&local).into_owned(),
    )
}

/// Writes a document in parts: the same bytes as [`Document::write_to`] on the whole document.
///
/// ```
/// use iodef_runtime::stream::StreamWriter;
/// # fn demo<T: iodef_runtime::RootElement + iodef_runtime::codec::Composite + Default>(
/// #     header: &iodef_runtime::Document<T>, parts: Vec<T>) -> std::io::Result<()> {
/// let mut out = Vec::new();
/// let mut w = StreamWriter::new(&mut out, header)?;
/// for part in &parts {
///     w.write_part(part)?; // e.g. an IODEF-Document value holding one Incident
/// }
/// w.finish(&header.epilog)?;
/// # Ok(()) }
/// ```
pub struct StreamWriter<'w, T> {
    w: XmlWriter<'w>,
    ty: &'static TypeDef,
    _root: std::marker::PhantomData<fn(T)>,
}

impl<'w, T: RootElement + Composite> StreamWriter<'w, T> {
    /// Writes the declaration, the prolog and the root start tag of `header` to `sink`.
    pub fn new(sink: &'w mut dyn Write, header: &Document<T>) -> io::Result<Self> {
        Self::start(XmlWriter::with_sink(sink, T::PREFIXES), header)
    }

    /// [`StreamWriter::new`] for output in `encoding`: the declaration names it, characters
    /// it cannot hold are character references; `sink` encodes (an
    /// [`Encoder`](crate::encoding::Encoder) for an encoding other than UTF-8).
    pub fn with_encoding(
        sink: &'w mut dyn Write,
        header: &Document<T>,
        encoding: Encoding,
    ) -> io::Result<Self> {
        let mut w = XmlWriter::with_sink(sink, T::PREFIXES);
        w.set_encoding(encoding);
        Self::start(w, header)
    }

    /// Reports the document to `events` instead ([`XmlWriter::with_events`]).
    pub fn with_events(events: &'w mut dyn XmlEvents, header: &Document<T>) -> io::Result<Self> {
        Self::start(XmlWriter::with_events(events), header)
    }

    fn start(mut w: XmlWriter<'w>, header: &Document<T>) -> io::Result<Self> {
        let Desc::Complex(ty) = T::DESC else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "only an element type can be streamed",
            ));
        };
        w.declaration()?;
        for m in &header.prolog {
            w.misc(m)?;
        }
        w.set_root_xsi(&header.xsi);
        w.set_root_extra(&header.root_extra);
        write_root_start(&mut w, T::NAMESPACE, T::NAME, ty, &header.root)?;
        Ok(StreamWriter {
            w,
            ty,
            _root: std::marker::PhantomData,
        })
    }

    /// Writes the children `part` holds (and the comments a streamed part kept among them).
    pub fn write_part(&mut self, part: &T) -> io::Result<()> {
        write_root_part(&mut self.w, self.ty, part)
    }

    /// Closes the root element, writes `epilog`, flushes.
    pub fn finish(mut self, epilog: &[Misc]) -> io::Result<()> {
        self.w.begin_part(&Extra::new())?;
        self.w.end_element()?;
        for m in epilog {
            self.w.misc(m)?;
        }
        self.w.finish()
    }
}

/// What [`validate`] found in a streamed document.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// Schema errors, in document order: every one when a part is invalid (parts are then
    /// checked by the collecting validator, [`crate::validate`]), the first one when reading
    /// cannot go on (malformed XML, a limit, an error before the root's content).
    pub errors: Vec<Error>,
    /// The RFC prose-rule findings of a schema-valid document (`None`: not checked).
    pub findings: Option<Vec<crate::rules::Finding>>,
    /// The error came before the root's content (the prolog or the root start tag): reading
    /// the document whole lists every error there.
    pub header_failed: bool,
    /// Parts read.
    pub parts: usize,
}

/// Validates the document of `input`, whose root is a `T`, in parts: schema (every error,
/// as [`crate::validate::validate_with`] gives them) and, when it is schema-valid and `rules`
/// is set, the RFC prose rules (as [`crate::rules::check_read`] gives them). Memory is
/// bounded as for [`StreamReader`]. [`crate::Policy::Lenient`] is not supported (read such
/// documents whole).
pub fn validate<R: BufRead, T: RootElement + Composite + Default>(
    input: R,
    options: &crate::validate::Options,
    rules: bool,
) -> Validation {
    let mut report = Validation::default();
    let max_errors = match options.max_errors {
        0 => crate::validate::DEFAULT_MAX_ERRORS,
        n => n,
    };
    let mut stream = match StreamReader::<R, T>::with_options(input, &options.read) {
        Ok(stream) => stream,
        Err(e) => {
            report.errors.push(e);
            report.header_failed = true;
            return report;
        }
    };
    let (declared, encoding) = stream.declaration();
    let position = stream.root_position;
    let mut prose = match rules
        .then(|| crate::rules::StreamRules::new(stream.header(), declared, encoding, position))
        .transpose()
    {
        Ok(prose) => prose,
        Err(e) => {
            report.errors.push(Error::io(&e));
            return report;
        }
    };
    let mut findings: Vec<crate::rules::Finding> = Vec::new();
    if let Some(prose) = &mut prose {
        findings.extend(prose.header_findings());
    }
    loop {
        let raw = match stream.next_raw() {
            Ok(Some(raw)) => raw,
            Ok(None) => break,
            Err(e) => {
                report.errors.push(e);
                break;
            }
        };
        report.parts += 1;
        if stream.collected.is_none() {
            match stream.read_part(&raw) {
                Ok(part) => {
                    if let Some(prose) = &mut prose {
                        match prose.part(&part, &raw) {
                            Ok(found) => findings.extend(found),
                            Err(e) => {
                                report.errors.push(Error::io(&e));
                                break;
                            }
                        }
                    }
                    continue;
                }
                // From here on every part goes through the collecting validator.
                Err(_) => stream.collected = Some(Vec::new()),
            }
        }
        let (part_report, ids, idrefs) = crate::validate::validate_part(&raw.input, options);
        report
            .errors
            .extend(part_report.errors.into_iter().map(|e| raw.map_error(e)));
        if let Err(e) = stream.note_ids(ids, idrefs, &raw.input, Some(&raw.map)) {
            report.errors.push(e);
        }
        let collected = stream.collected.as_ref().map_or(0, Vec::len);
        if report.errors.len() + collected >= max_errors {
            break;
        }
    }
    if let Some(collected) = stream.collected.take() {
        report.errors.extend(collected);
        stream.collected = Some(Vec::new());
        let _ = stream.check_forward();
        report
            .errors
            .extend(stream.collected.take().unwrap_or_default());
        report.errors.sort_by_key(|e| (e.line, e.column));
        if report.errors.len() >= max_errors {
            report.errors.truncate(max_errors);
            if let Some(last) = report.errors.last_mut() {
                last.message = format!(
                    "{} (and validation stopped: {max_errors} errors)",
                    last.message
                );
            }
        }
    }
    if report.errors.is_empty() {
        if let Some(prose) = prose {
            findings.extend(prose.finish());
            report.findings = Some(findings);
        }
    }
    report
}
