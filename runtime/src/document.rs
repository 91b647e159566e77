//! A whole document: the root element and the xsi attributes of the root.

use std::io::{self, BufRead, Write};
use std::sync::Arc;

use super::encoding::{self, Encoder, Encoding};
use super::error::{Error, ErrorKind};
use super::extra::{Extra, Misc};
use super::reader::{clark, Limits, XmlReader, XsiAttributes, DEFAULT_MAX_DEPTH};
use super::registry::{self, Registry};
use super::unknown::{Policy, UnknownContent};
use super::writer::{XmlEvents, XmlWriter};
use super::ReadRoot;

/// How to read a document: parse policy, resource limits and the registry of typed extension
/// namespaces (see [`Document::from_slice_with`], `iodef::read_with`). The default is what
/// [`Document::from_slice`] does: strict, default limits, the process-wide registry.
///
/// ```
/// use iodef::rt::{Policy, ReadOptions};
/// let options = ReadOptions { policy: Policy::Lenient, ..ReadOptions::default() };
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Unknown content: an error ([`Policy::Strict`], the default) or kept aside and reported
    /// in [`Document::unknown`] ([`Policy::Lenient`]).
    pub policy: Policy,
    /// Resource limits ([`Limits::default`]).
    pub limits: Limits,
    /// Maximum element nesting ([`DEFAULT_MAX_DEPTH`]).
    pub max_depth: u32,
    /// Comments and processing instructions: kept and written back ([`Comments::Keep`], the
    /// default) or dropped.
    pub comments: Comments,
    /// Which namespaces' elements inside mixed content (`AdditionalData`, ...) are decoded
    /// into typed values: `None` (the default) uses the process-wide registry
    /// ([`registry::global`]: every generated namespace of the linked bindings, plus what
    /// [`register`](crate::register) added); `Some` uses exactly that registry (an empty one
    /// keeps all mixed content raw). The collecting validator takes its registry from its own
    /// options (`validate::Options::registry`).
    pub registry: Option<Arc<Registry>>,
}

/// Options are equal when they read alike: same fields, and the same registry (the same
/// `Arc`, or both the process-wide one).
impl PartialEq for ReadOptions {
    fn eq(&self, other: &Self) -> bool {
        self.policy == other.policy
            && self.limits == other.limits
            && self.max_depth == other.max_depth
            && self.comments == other.comments
            && match (&self.registry, &other.registry) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for ReadOptions {}

/// What a parse does with comments and processing instructions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Comments {
    /// Kept (document prolog and epilog, the `extra` field of the generated values, mixed
    /// content) and written back in place.
    #[default]
    Keep,
    /// Dropped: not in the values, not written.
    Drop,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            policy: Policy::Strict,
            limits: Limits::default(),
            max_depth: DEFAULT_MAX_DEPTH,
            comments: Comments::Keep,
            registry: None,
        }
    }
}

impl ReadOptions {
    /// The default options with [`Policy::Lenient`].
    pub fn lenient() -> Self {
        ReadOptions {
            policy: Policy::Lenient,
            ..ReadOptions::default()
        }
    }

    /// The registry these options read with: [`ReadOptions::registry`], or the process-wide
    /// one.
    pub fn registry(&self) -> Arc<Registry> {
        self.registry.clone().unwrap_or_else(registry::global)
    }

    /// Applies the options to a reader that has read nothing yet (all but the registry, which
    /// a reader is created with: [`XmlReader::with_registry`]).
    pub fn apply(&self, r: &mut XmlReader<'_>) {
        r.set_policy(self.policy);
        r.set_limits(self.limits);
        r.set_max_depth(self.max_depth);
        r.set_keep_comments(self.comments == Comments::Keep);
    }
}

/// A parsed (or built) document whose root element is a `T`: a global element type (any
/// [`RootElement`](super::RootElement)) or a generated enum over several ([`ReadRoot`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Document<T> {
    /// The root element.
    pub root: T,
    /// `xsi:schemaLocation` / `xsi:noNamespaceSchemaLocation` of the root element.
    pub xsi: XsiAttributes,
    /// Content a lenient parse ([`Policy::Lenient`]) found where the schema does not allow
    /// it, in document order: the warnings of the parse. Always empty after a strict parse.
    ///
    /// The content itself is also kept in place (the `extra` field of the value it was found
    /// in, see [`Extra`]) and written back, so that a document read leniently is written as it
    /// was read. This list is the report, with element paths and line:column.
    pub unknown: Vec<UnknownContent>,
    /// Comments and processing instructions before the root element (after the XML
    /// declaration, which is always written).
    pub prolog: Vec<Misc>,
    /// Comments and processing instructions after the root element.
    pub epilog: Vec<Misc>,
    /// Extra content of a root element whose value has no `extra` field (a simple-typed
    /// global element as the root); empty otherwise.
    pub root_extra: Extra,
    /// Comments and processing instructions left out because the document was read with
    /// [`Comments::Drop`] (0 otherwise).
    pub comments_dropped: u64,
}

impl<T: ReadRoot> Document<T> {
    /// A document without xsi attributes.
    pub fn new(root: T) -> Self {
        Document {
            root,
            xsi: XsiAttributes::default(),
            unknown: Vec::new(),
            prolog: Vec::new(),
            epilog: Vec::new(),
            root_extra: Extra::new(),
            comments_dropped: 0,
        }
    }

    /// Parses a document from text. The text is already characters: the XML declaration's
    /// encoding name is not checked against it.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Result<Self, Error> {
        let mut r = XmlReader::new(s.as_bytes());
        r.set_decoded();
        Self::from_xml_reader(r)
    }

    /// Parses a document from its bytes, in any encoding XML allows (UTF-8 with or without
    /// byte-order mark, UTF-16, or the encoding its declaration names: see
    /// [`encoding::decode`]); extension elements in mixed content are
    /// decoded with the process-wide registry (see [`ReadOptions::registry`] for other
    /// choices).
    pub fn from_slice(b: &[u8]) -> Result<Self, Error> {
        Self::from_slice_with(b, &ReadOptions::default())
    }

    /// Parses a document from its bytes (any encoding, as [`Document::from_slice`]) with
    /// `options` (policy, limits, registry); lenient parses report what they kept aside in
    /// [`Document::unknown`].
    pub fn from_slice_with(b: &[u8], options: &ReadOptions) -> Result<Self, Error> {
        let decoded = encoding::decode(b)?;
        let mut r = decoded.reader_with_registry(Some(options.registry()));
        options.apply(&mut r);
        Self::from_xml_reader(r)
    }

    /// Parses the document of a reader that has read nothing yet, e.g. one made by
    /// [`XmlReader::with_registry`] to choose how extension elements are decoded, with the
    /// reader's policy ([`XmlReader::set_policy`]) and limits.
    pub fn from_xml_reader(mut r: XmlReader<'_>) -> Result<Self, Error> {
        let el = r.root()?;
        let Some(root) = T::read_root(&mut r, &el)? else {
            return Err(r.error(
                ErrorKind::UnexpectedElement,
                el.offset,
                format!(
                    "unexpected root element {}, expected {}",
                    clark(r.ns_str(el.ns), el.local),
                    T::expected()
                ),
            ));
        };
        let root_extra = r.take_root_extra();
        r.finish()?;
        Ok(Document {
            root,
            xsi: r.xsi_attributes().clone(),
            unknown: r.take_unknown(),
            prolog: r.take_prolog(),
            epilog: r.take_epilog(),
            root_extra,
            comments_dropped: r.comments_dropped(),
        })
    }

    /// Reads everything from `r`, then parses it (any encoding, as [`Document::from_slice`]).
    pub fn from_reader<R: BufRead>(mut r: R) -> Result<Self, Error> {
        let mut buf = Vec::new();
        r.read_to_end(&mut buf).map_err(|e| Error::io(&e))?;
        Self::from_slice(&buf)
    }

    /// The document as XML text: declaration, prolog, then the root element with its namespace
    /// as the default namespace and the xsi attributes, then the epilog.
    ///
    /// # Panics
    /// When the document holds text that XML cannot represent (control characters, a comment
    /// with `--`); use [`Document::try_to_xml_string`] to get an error instead. Parsed
    /// documents never do.
    pub fn to_xml_string(&self) -> String {
        match self.try_to_xml_string() {
            Ok(s) => s,
            Err(e) => panic!("document cannot be written as XML: {e}"),
        }
    }

    /// Validates the document as it would be written — for a value built in code, whose
    /// required fields may still hold their `Default` placeholders: every schema error, with
    /// the element path and the line:column of the written text. Content XML cannot represent
    /// is an error too.
    pub fn validate(&self) -> super::validate::Report {
        match self.try_to_xml_string() {
            Ok(xml) => super::validate::validate(xml.as_bytes()),
            Err(e) => super::validate::Report {
                errors: vec![Error::io(&e)],
                ..Default::default()
            },
        }
    }

    /// Like [`Document::to_xml_string`], with an error for content XML cannot represent.
    pub fn try_to_xml_string(&self) -> io::Result<String> {
        let mut xw = XmlWriter::new(T::PREFIXES);
        self.write(&mut xw)?;
        Ok(xw.into_string())
    }

    /// Writes the document to `w` (buffered internally: `w` needs no `BufWriter`), then
    /// flushes `w`.
    pub fn write_to<W: Write>(&self, mut w: W) -> io::Result<()> {
        let mut xw = XmlWriter::with_sink(&mut w, T::PREFIXES);
        self.write(&mut xw)
    }

    /// The document as bytes in the encoding of `options` (UTF-8 by default; the declaration
    /// names the encoding, UTF-16 starts with a byte-order mark). A character the encoding
    /// cannot hold is written as a character reference in text and attribute values, and is an
    /// [`io::ErrorKind::InvalidData`] error in a name or a comment, where XML allows none.
    ///
    /// ```
    /// use iodef::rt::{Encoding, WriteOptions};
    /// let doc = iodef::Document::<iodef::v2::IodefDocument>::from_str(
    ///     r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
    ///   <Incident purpose="reporting"><IncidentID name="csirt.example.com">€ 1</IncidentID>
    ///   <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    ///   <Contact type="organization" role="creator"/></Incident></IODEF-Document>"#,
    /// )?;
    /// let latin1 = doc.to_xml_bytes_with(&WriteOptions { encoding: Encoding::ISO_8859_1 })?;
    /// let text: String = latin1.iter().map(|&b| char::from(b)).collect();
    /// assert!(text.starts_with(r#"<?xml version="1.0" encoding="ISO-8859-1"?>"#));
    /// assert!(text.contains("&#x20AC; 1</IncidentID>"));
    /// assert_eq!(iodef::read(&latin1)?.to_xml_string(), doc.to_xml_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_xml_bytes_with(&self, options: &WriteOptions) -> io::Result<Vec<u8>> {
        if options.encoding == Encoding::UTF_8 {
            return self.try_to_xml_string().map(String::into_bytes);
        }
        let mut out = Vec::new();
        self.write_to_with(&mut out, options)?;
        Ok(out)
    }

    /// [`Document::write_to`] in the encoding of `options` (see
    /// [`Document::to_xml_bytes_with`]).
    pub fn write_to_with<W: Write>(&self, mut w: W, options: &WriteOptions) -> io::Result<()> {
        if options.encoding == Encoding::UTF_8 {
            return self.write_to(w);
        }
        let mut encoder = Encoder::new(&mut w, options.encoding);
        {
            let mut xw = XmlWriter::with_sink(&mut encoder, T::PREFIXES);
            xw.set_encoding(options.encoding);
            self.write(&mut xw)?;
        }
        encoder.finish()
    }

    /// Reports the document to `events` as [`Document::write_to`] would write it — the root
    /// element with its xsi attributes and extra content, prolog and epilog comments — without
    /// producing bytes ([`XmlWriter::with_events`]). The RFC prose rules read typed documents
    /// this way ([`rules::check_typed`](super::rules::check_typed)).
    pub fn write_events(&self, events: &mut dyn XmlEvents) -> io::Result<()> {
        let mut xw = XmlWriter::with_events(events);
        self.write(&mut xw)
    }

    /// Declaration, xsi attributes and root element; then [`XmlWriter::finish`].
    fn write(&self, xw: &mut XmlWriter<'_>) -> io::Result<()> {
        xw.declaration()?;
        for m in &self.prolog {
            xw.misc(m)?;
        }
        xw.set_root_xsi(&self.xsi);
        xw.set_root_extra(&self.root_extra);
        self.root.write_root(xw)?;
        for m in &self.epilog {
            xw.misc(m)?;
        }
        xw.finish()
    }
}

impl<T: ReadRoot> std::str::FromStr for Document<T> {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Document::from_str(s)
    }
}

/// How to write a document ([`Document::write_to_with`], [`Document::to_xml_bytes_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// The output encoding ([`Encoding::UTF_8`] by default).
    pub encoding: Encoding,
}

impl<T: super::visit::Walk> Document<T> {
    /// Every `U` in the document, in document order: `doc.find_all::<iodef::v2::Address>()`
    /// (extension content included; see [`super::visit`]).
    pub fn find_all<U: std::any::Any>(&self) -> Vec<&U> {
        super::visit::find_all(&self.root)
    }

    /// Calls `f` on every `U` in the document, in document order, mutably.
    pub fn for_each_mut<U: std::any::Any>(&mut self, f: impl FnMut(&mut U)) {
        super::visit::for_each_mut(&mut self.root, f)
    }
}
