//! Character encodings: the one decoding step every reading entry point takes ([`decode`]:
//! bytes in any encoding XML allows → UTF-8), and the encodings a document can be written in
//! ([`Encoding`], used by [`Document::write_to_with`](super::Document::write_to_with)).
//!
//! Detection follows XML 1.0 §4.3.3 and Appendix F: a byte-order mark (UTF-8, UTF-16LE,
//! UTF-16BE) decides; without one, `<?` in UTF-16LE/BE means UTF-16; otherwise the input is
//! ASCII-compatible and the XML declaration's `encoding` names the encoding (UTF-8 when there is
//! none). Named encodings are decoded by `encoding_rs`, except ISO-8859-1 and US-ASCII, which
//! are decoded exactly (WHATWG maps both labels to windows-1252, XML does not). A declaration
//! that contradicts the bytes (a byte-order mark, UTF-16 on single-byte input, a single-byte
//! encoding on UTF-16 input), an unknown or unsupported encoding (UTF-32, EBCDIC) and bytes
//! invalid in the encoding are [`ErrorKind::Encoding`] errors with their line:column.
//!
//! UTF-8 input (with or without a byte-order mark) is not copied: [`Decoded::as_bytes`] borrows
//! it, and the reader checks it is UTF-8 as before. Other input is transcoded once; the XML
//! declaration is kept as written (the prose rule of RFC 7970 §4.1 reads its encoding name), so
//! the UTF-8 text keeps the document's lines and characters and every later error position
//! refers to them.
//!
//! ```
//! use iodef::rt::encoding::{decode, Encoding};
//! // "<?xml version="1.0" encoding="UTF-16"?><a>é</a>" in UTF-16LE with a byte-order mark.
//! let mut input = vec![0xFF, 0xFE];
//! for unit in r#"<?xml version="1.0" encoding="UTF-16"?><a>é</a>"#.encode_utf16() {
//!     input.extend_from_slice(&unit.to_le_bytes());
//! }
//! let decoded = decode(&input)?;
//! assert_eq!(decoded.encoding(), Encoding::UTF_16LE);
//! assert_eq!(decoded.declared_encoding(), Some("UTF-16"));
//! assert!(decoded.as_str().unwrap().ends_with("<a>é</a>"));
//! # Ok::<(), iodef::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use super::error::{Error, ErrorKind};
use super::reader::{Positions, XmlReader};
use super::registry::{self, Registry};

/// An encoding a document can be read from or written in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Encoding(Kind);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// US-ASCII: bytes above 0x7F are errors.
    Ascii,
    /// ISO-8859-1: byte n is U+00nn (0x80–0x9F included, unlike WHATWG's windows-1252).
    Latin1,
    /// Any other encoding of `encoding_rs` (ASCII-compatible ones only: see [`classify`]).
    Other(&'static encoding_rs::Encoding),
}

/// What an encoding label names, as far as detection is concerned.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    Known(Encoding),
    /// `UTF-16` (and its aliases): either byte order, the byte-order mark decides.
    Utf16,
}

impl Encoding {
    /// UTF-8, the default for writing.
    pub const UTF_8: Encoding = Encoding(Kind::Utf8);
    /// UTF-16, little-endian (written with a byte-order mark).
    pub const UTF_16LE: Encoding = Encoding(Kind::Utf16Le);
    /// UTF-16, big-endian (written with a byte-order mark).
    pub const UTF_16BE: Encoding = Encoding(Kind::Utf16Be);
    /// US-ASCII.
    pub const US_ASCII: Encoding = Encoding(Kind::Ascii);
    /// ISO-8859-1 (Latin-1), exactly: bytes 0x80–0x9F are U+0080–U+009F.
    pub const ISO_8859_1: Encoding = Encoding(Kind::Latin1);
    /// windows-1252.
    pub const WINDOWS_1252: Encoding = Encoding(Kind::Other(encoding_rs::WINDOWS_1252));

    /// The encoding an XML `encoding` name (or another IANA/WHATWG label, case-insensitive)
    /// stands for; `UTF-16` is [`Encoding::UTF_16LE`]. An unknown or unsupported label (UTF-32,
    /// EBCDIC, ...) is an error message.
    ///
    /// ```
    /// use iodef::rt::encoding::Encoding;
    /// assert_eq!(Encoding::for_label("latin1"), Ok(Encoding::ISO_8859_1));
    /// assert_eq!(Encoding::for_label("UTF-16"), Ok(Encoding::UTF_16LE));
    /// assert_eq!(Encoding::for_label("cp1252").unwrap().name(), "windows-1252");
    /// assert!(Encoding::for_label("utf-32").is_err());
    /// ```
    pub fn for_label(label: &str) -> Result<Encoding, String> {
        match classify(label)? {
            Label::Known(e) => Ok(e),
            Label::Utf16 => Ok(Encoding::UTF_16LE),
        }
    }

    /// The encoding's name: `UTF-8`, `UTF-16LE`, `UTF-16BE`, `US-ASCII`, `ISO-8859-1`, or
    /// `encoding_rs`'s name (`windows-1252`, `Shift_JIS`, ...).
    pub fn name(self) -> &'static str {
        match self.0 {
            Kind::Utf8 => "UTF-8",
            Kind::Utf16Le => "UTF-16LE",
            Kind::Utf16Be => "UTF-16BE",
            Kind::Ascii => "US-ASCII",
            Kind::Latin1 => "ISO-8859-1",
            Kind::Other(e) => e.name(),
        }
    }

    /// The name an XML declaration gives it: `UTF-16` for both byte orders (the byte-order
    /// mark tells them apart), else [`Encoding::name`].
    pub fn xml_name(self) -> &'static str {
        match self.0 {
            Kind::Utf16Le | Kind::Utf16Be => "UTF-16",
            _ => self.name(),
        }
    }

    /// Whether every character can be written in this encoding (UTF-8, UTF-16).
    pub fn is_unicode(self) -> bool {
        matches!(self.0, Kind::Utf8 | Kind::Utf16Le | Kind::Utf16Be)
    }

    fn is_utf16(self) -> bool {
        matches!(self.0, Kind::Utf16Le | Kind::Utf16Be)
    }

    /// Whether `c` can be written in this encoding (otherwise it needs a character reference).
    pub fn can_encode(self, c: char) -> bool {
        match self.0 {
            Kind::Utf8 | Kind::Utf16Le | Kind::Utf16Be => true,
            Kind::Ascii => c.is_ascii(),
            Kind::Latin1 => (c as u32) <= 0xFF,
            // Every encoding `classify` admits is ASCII-compatible in its initial state.
            Kind::Other(_) if c.is_ascii() => true,
            Kind::Other(e) => {
                let mut encoder = e.new_encoder();
                let mut s = [0u8; 4];
                let mut out = [0u8; 16];
                let (result, _, _) = encoder.encode_from_utf8_without_replacement(
                    c.encode_utf8(&mut s),
                    &mut out,
                    true,
                );
                result == encoding_rs::EncoderResult::InputEmpty
            }
        }
    }
}

impl Default for Encoding {
    fn default() -> Self {
        Encoding::UTF_8
    }
}

impl fmt::Debug for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encoding({})", self.name())
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Encoding::for_label(s)
    }
}

/// Classifies an encoding label. XML's names come first (ISO-8859-1 and US-ASCII exactly,
/// UTF-16 without byte order, UTF-32 refused by name), then `encoding_rs`'s WHATWG labels.
fn classify(label: &str) -> Result<Label, String> {
    let lower = label.trim().to_ascii_lowercase();
    let known = |k| Ok(Label::Known(Encoding(k)));
    match lower.as_str() {
        "utf-16" | "utf16" | "ucs-2" | "iso-10646-ucs-2" | "csunicode" | "unicode" => {
            return Ok(Label::Utf16)
        }
        "utf-16le" => return known(Kind::Utf16Le),
        "utf-16be" => return known(Kind::Utf16Be),
        "us-ascii" | "ascii" | "ansi_x3.4-1968" | "ansi_x3.4-1986" | "iso646-us" | "us"
        | "ibm367" | "cp367" | "csascii" | "iso-ir-6" | "iso_646.irv:1991" => {
            return known(Kind::Ascii)
        }
        "iso-8859-1" | "iso_8859-1" | "iso8859-1" | "iso88591" | "iso_8859-1:1987" | "latin1"
        | "l1" | "iso-ir-100" | "ibm819" | "cp819" | "csisolatin1" => return known(Kind::Latin1),
        l if l.starts_with("utf-32") || l.starts_with("ucs-4") || l == "iso-10646-ucs-4" => {
            return Err(format!("encoding {label:?} (UTF-32) is not supported"));
        }
        _ => {}
    }
    match encoding_rs::Encoding::for_label_no_replacement(lower.as_bytes()) {
        Some(e) if e == encoding_rs::UTF_8 => known(Kind::Utf8),
        Some(e) if e == encoding_rs::UTF_16LE => known(Kind::Utf16Le),
        Some(e) if e == encoding_rs::UTF_16BE => known(Kind::Utf16Be),
        // A browser-only mapping of bytes to private-use characters, not a text encoding.
        Some(e) if e == encoding_rs::X_USER_DEFINED => {
            Err(format!("encoding {label:?} is not supported"))
        }
        Some(e) => known(Kind::Other(e)),
        None => Err(format!("unknown encoding {label:?}")),
    }
}

/// A document decoded to UTF-8 (see [`decode`]).
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    text: Cow<'a, [u8]>,
    encoding: Encoding,
    declared: Option<String>,
}

impl<'a> Decoded<'a> {
    /// The document as UTF-8 bytes: the input itself for UTF-8 input (a UTF-8 byte-order mark
    /// included, not yet checked to be UTF-8: the reader does that), else the transcoded text
    /// (valid UTF-8, without byte-order mark).
    pub fn as_bytes(&self) -> &[u8] {
        &self.text
    }

    /// The document as text, when it is UTF-8 (always, unless UTF-8 input has invalid bytes).
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.text).ok()
    }

    /// The encoding the input was in.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The XML declaration's encoding name as written (e.g. `ISO-8859-1`), if any.
    pub fn declared_encoding(&self) -> Option<&str> {
        self.declared.as_deref()
    }

    /// True when nothing was copied (UTF-8 input, and ASCII-only input in an ASCII-compatible
    /// encoding).
    pub fn is_borrowed(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    /// The UTF-8 bytes, owned.
    pub fn into_bytes(self) -> Cow<'a, [u8]> {
        self.text
    }

    /// A reader over the decoded text with the process-wide registry (see [`XmlReader::new`]).
    /// Unlike a reader made directly over bytes, it accepts the declaration's encoding name,
    /// which this decoding has checked.
    pub fn reader(&self) -> XmlReader<'_> {
        self.reader_with_registry(Some(registry::global()))
    }

    /// [`Decoded::reader`] with the registry of [`XmlReader::with_registry`].
    pub fn reader_with_registry(&self, registry: Option<Arc<Registry>>) -> XmlReader<'_> {
        let mut r = XmlReader::with_registry(&self.text, registry);
        r.set_decoded();
        r
    }
}

/// An encoding error at a position of the document.
fn error(line: u64, column: u64, message: String) -> Error {
    Error {
        kind: ErrorKind::Encoding,
        message,
        path: "/".to_string(),
        line,
        column,
    }
}

/// An encoding error at byte `offset` of UTF-8 `text` (the decoded document so far).
fn error_in(text: &[u8], offset: usize, message: String) -> Error {
    let (line, column) = Positions::new(text).at(offset);
    error(line, column, message)
}

/// Decodes `input`, a whole document in any encoding XML allows, to UTF-8; see the module
/// documentation. UTF-8 input is borrowed, not copied.
pub fn decode(input: &[u8]) -> Result<Decoded<'_>, Error> {
    match input {
        [0x00, 0x00, 0xFE, 0xFF, ..]
        | [0xFF, 0xFE, 0x00, 0x00, ..]
        | [0x00, 0x00, 0x00, 0x3C, ..]
        | [0x3C, 0x00, 0x00, 0x00, ..] => Err(error(
            1,
            1,
            "the document is UTF-32 (UCS-4), which is not supported: convert it to UTF-8 or UTF-16"
                .to_string(),
        )),
        [0xEF, 0xBB, 0xBF, ..] => {
            let declared = declaration(&input[3..]).map(|d| (d, 3));
            single_byte(input, declared, true)
        }
        [0xFF, 0xFE, ..] => utf16(input, 2, Encoding::UTF_16LE, true),
        [0xFE, 0xFF, ..] => utf16(input, 2, Encoding::UTF_16BE, true),
        [0x3C, 0x00, 0x3F, 0x00, ..] => utf16(input, 0, Encoding::UTF_16LE, false),
        [0x00, 0x3C, 0x00, 0x3F, ..] => utf16(input, 0, Encoding::UTF_16BE, false),
        [b, 0x00, ..] | [0x00, b, ..] if b.is_ascii() && *b != 0 => Err(error(
            1,
            1,
            "the document looks like UTF-16 without a byte-order mark or an XML declaration \
             naming its encoding (XML 1.0 §4.3.3 requires one of them)"
                .to_string(),
        )),
        [0x4C, 0x6F, 0xA7, 0x94, ..] => Err(error(
            1,
            1,
            "the document is in EBCDIC, which is not supported".to_string(),
        )),
        _ => single_byte(input, declaration(input).map(|d| (d, 0)), false),
    }
}

/// The `encoding` of the XML declaration at the start of `text` (ASCII-compatible bytes): its
/// value and where the value starts. `None` without a (well-formed enough) declaration or
/// without `encoding`; the reader reports a malformed declaration.
fn declaration(text: &[u8]) -> Option<(String, usize)> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    if !text.starts_with(b"<?xml") || !text.get(5).is_some_and(|&b| is_ws(b)) {
        return None;
    }
    let mut i = 5;
    loop {
        while text.get(i).is_some_and(|&b| is_ws(b)) {
            i += 1;
        }
        let name_start = i;
        while text.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
            i += 1;
        }
        if i == name_start {
            return None; // `?>` or something malformed
        }
        let name = &text[name_start..i];
        while text.get(i).is_some_and(|&b| is_ws(b)) {
            i += 1;
        }
        if text.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while text.get(i).is_some_and(|&b| is_ws(b)) {
            i += 1;
        }
        let quote = *text.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        let value_start = i + 1;
        let len = text[value_start..]
            .iter()
            .position(|&b| b == quote || b == b'>')?;
        i = value_start + len;
        if text[i] != quote {
            return None;
        }
        i += 1;
        if name == b"encoding" {
            let value = String::from_utf8_lossy(&text[value_start..value_start + len]);
            return Some((value.into_owned(), value_start));
        }
    }
}

/// ASCII-compatible input (`bom`: after a UTF-8 byte-order mark): the declaration (its value
/// and offset in `input`) names the encoding.
fn single_byte(
    input: &[u8],
    declared: Option<((String, usize), usize)>,
    bom: bool,
) -> Result<Decoded<'_>, Error> {
    let Some(((name, at), skip)) = declared else {
        return Ok(Decoded {
            text: Cow::Borrowed(input),
            encoding: Encoding::UTF_8,
            declared: None,
        });
    };
    let at = at + skip;
    let label = classify(&name).map_err(|m| error_in(input, at, m))?;
    let encoding = match label {
        Label::Known(e) if e == Encoding::UTF_8 => e,
        _ if bom => {
            return Err(error_in(
                input,
                at,
                format!("the document has a UTF-8 byte-order mark but declares encoding {name:?}"),
            ))
        }
        Label::Utf16 => {
            return Err(error_in(
                input,
                at,
                format!(
                    "the document declares encoding {name:?} but is not UTF-16 (no byte-order \
                     mark, and its declaration is written in single bytes)"
                ),
            ))
        }
        Label::Known(e) if e.is_utf16() => {
            return Err(error_in(
                input,
                at,
                format!(
                    "the document declares encoding {name:?} but is not UTF-16 (its \
                     declaration is written in single bytes)"
                ),
            ))
        }
        Label::Known(e) => e,
    };
    let text = match encoding.0 {
        Kind::Utf8 => Cow::Borrowed(input),
        Kind::Ascii => match input.iter().position(|b| !b.is_ascii()) {
            None => Cow::Borrowed(input),
            Some(bad) => {
                return Err(error_in(
                    input,
                    bad,
                    format!(
                        "byte 0x{:02X} is not valid in the declared encoding {name:?}",
                        input[bad]
                    ),
                ))
            }
        },
        // ASCII text reads the same in every ASCII-compatible encoding: no copy. (ISO-2022-JP
        // is the exception: its escape sequences are ASCII bytes.)
        Kind::Latin1 | Kind::Other(_)
            if encoding != Encoding(Kind::Other(encoding_rs::ISO_2022_JP)) && input.is_ascii() =>
        {
            Cow::Borrowed(input)
        }
        // Latin-1 is the first 256 code points.
        Kind::Latin1 => Cow::Owned(
            input
                .iter()
                .map(|&b| char::from(b))
                .collect::<String>()
                .into_bytes(),
        ),
        Kind::Other(e) => Cow::Owned(with_encoding_rs(e, input, &name)?.into_bytes()),
        Kind::Utf16Le | Kind::Utf16Be => unreachable!("refused above"),
    };
    Ok(Decoded {
        text,
        encoding,
        declared: Some(name),
    })
}

/// UTF-16 input: `skip` bytes of byte-order mark, then `encoding`. Without a byte-order mark
/// the declaration must name UTF-16; with one it must not name another encoding.
fn utf16(input: &[u8], skip: usize, encoding: Encoding, bom: bool) -> Result<Decoded<'_>, Error> {
    let rs = if encoding == Encoding::UTF_16LE {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let text = with_encoding_rs(rs, &input[skip..], encoding.name())?;
    let declared = declaration(text.as_bytes());
    match &declared {
        None if !bom => {
            return Err(error(
                1,
                1,
                format!(
                    "the document is {} without a byte-order mark, so its XML declaration must \
                     name the encoding (XML 1.0 §4.3.3)",
                    encoding.name()
                ),
            ))
        }
        None => {}
        Some((name, at)) => {
            let fits = match classify(name).map_err(|m| error_in(text.as_bytes(), *at, m))? {
                Label::Utf16 => true,
                Label::Known(e) => e == encoding,
            };
            if !fits {
                let what = if bom {
                    format!("a {} byte-order mark", encoding.name())
                } else {
                    format!("{} bytes", encoding.name())
                };
                return Err(error_in(
                    text.as_bytes(),
                    *at,
                    format!("the document has {what} but declares encoding {name:?}"),
                ));
            }
        }
    }
    Ok(Decoded {
        text: Cow::Owned(text.into_bytes()),
        encoding,
        declared: declared.map(|(name, _)| name),
    })
}

/// Decodes `input` (no byte-order mark) with `encoding`, refusing malformed bytes with their
/// position (that of the next character of the text decoded so far).
fn with_encoding_rs(
    encoding: &'static encoding_rs::Encoding,
    input: &[u8],
    name: &str,
) -> Result<String, Error> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(input.len())
        .unwrap_or(input.len());
    let mut out = String::with_capacity(capacity);
    let mut read = 0;
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&input[read..], &mut out, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(out),
            encoding_rs::DecoderResult::OutputFull => out.reserve(input.len() - read + 16),
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                let end = read - usize::from(after);
                let start = end - usize::from(bad);
                let bytes: Vec<String> = input[start..end]
                    .iter()
                    .map(|b| format!("0x{b:02X}"))
                    .collect();
                let what = if bytes.len() == 1 { "byte" } else { "bytes" };
                // An odd number of UTF-16 bytes: the last one is half a code unit.
                let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
                let cut = utf16 && start + 1 == input.len();
                let message = if cut {
                    format!("the document ends inside a character of the encoding {name:?}")
                } else {
                    format!(
                        "{what} {} not valid in the encoding {name:?}",
                        bytes.join(" ") + if bytes.len() == 1 { " is" } else { " are" }
                    )
                };
                return Err(error_in(out.as_bytes(), out.len(), message));
            }
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Writing

/// An `io::Write` adapter that takes UTF-8 text (as [`XmlWriter`](super::XmlWriter) writes it)
/// and writes it to `inner` in another encoding; call [`Encoder::finish`] at the end. UTF-16 is
/// written with a byte-order mark. A character the encoding cannot hold is an
/// [`io::ErrorKind::InvalidData`] error (the writer replaces those it can by character
/// references before they get here).
pub struct Encoder<'w> {
    inner: &'w mut dyn Write,
    encoding: Encoding,
    rs: Option<encoding_rs::Encoder>,
    /// The end of a character split between two writes.
    carry: Vec<u8>,
    out: Vec<u8>,
    started: bool,
}

impl<'w> Encoder<'w> {
    /// An encoder writing `encoding` to `inner`.
    pub fn new(inner: &'w mut dyn Write, encoding: Encoding) -> Self {
        Encoder {
            inner,
            encoding,
            rs: match encoding.0 {
                Kind::Other(e) => Some(e.new_encoder()),
                _ => None,
            },
            carry: Vec::new(),
            out: Vec::new(),
            started: false,
        }
    }

    fn encode(&mut self, text: &str, last: bool) -> io::Result<()> {
        self.out.clear();
        if !self.started {
            self.started = true;
            match self.encoding.0 {
                Kind::Utf16Le => self.out.extend_from_slice(&[0xFF, 0xFE]),
                Kind::Utf16Be => self.out.extend_from_slice(&[0xFE, 0xFF]),
                _ => {}
            }
        }
        let unmappable = |c: char, e: Encoding| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "character {c:?} (U+{:04X}) cannot be written in {e}",
                    c as u32
                ),
            )
        };
        match self.encoding.0 {
            Kind::Utf8 => self.out.extend_from_slice(text.as_bytes()),
            Kind::Utf16Le => text
                .encode_utf16()
                .for_each(|u| self.out.extend_from_slice(&u.to_le_bytes())),
            Kind::Utf16Be => text
                .encode_utf16()
                .for_each(|u| self.out.extend_from_slice(&u.to_be_bytes())),
            Kind::Ascii | Kind::Latin1 => {
                let max = if self.encoding.0 == Kind::Ascii {
                    0x7F
                } else {
                    0xFF
                };
                for c in text.chars() {
                    match u8::try_from(c as u32) {
                        Ok(b) if u32::from(b) <= max => self.out.push(b),
                        _ => return Err(unmappable(c, self.encoding)),
                    }
                }
            }
            Kind::Other(_) => {
                let encoder = self
                    .rs
                    .as_mut()
                    .expect("encoder of an encoding_rs encoding");
                let mut rest = text;
                loop {
                    let room = encoder
                        .max_buffer_length_from_utf8_without_replacement(rest.len())
                        .unwrap_or(rest.len() * 4 + 16);
                    let start = self.out.len();
                    self.out.resize(start + room, 0);
                    let (result, read, written) = encoder.encode_from_utf8_without_replacement(
                        rest,
                        &mut self.out[start..],
                        last,
                    );
                    self.out.truncate(start + written);
                    rest = &rest[read..];
                    match result {
                        encoding_rs::EncoderResult::InputEmpty => break,
                        encoding_rs::EncoderResult::OutputFull => {}
                        encoding_rs::EncoderResult::Unmappable(c) => {
                            return Err(unmappable(c, self.encoding))
                        }
                    }
                }
            }
        }
        self.inner.write_all(&self.out)
    }

    /// Ends the output (the return to the initial state of a stateful encoding such as
    /// ISO-2022-JP), then flushes.
    pub fn finish(&mut self) -> io::Result<()> {
        if !self.carry.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the text ends inside a UTF-8 character",
            ));
        }
        self.encode("", true)?;
        self.inner.flush()
    }
}

impl Write for Encoder<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut carry = std::mem::take(&mut self.carry);
        let bytes: &[u8] = if carry.is_empty() {
            buf
        } else {
            carry.extend_from_slice(buf);
            &carry
        };
        let (text, rest) = match std::str::from_utf8(bytes) {
            Ok(s) => (s, &[][..]),
            // An incomplete character at the end waits for the next write.
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(valid).unwrap_or_default(), rest)
            }
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the text to encode is not UTF-8",
                ))
            }
        };
        let rest = rest.to_vec();
        self.encode(text, false)?;
        self.carry = rest;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `text` (a whole document) encoded in `encoding` (see [`Encoder`]).
pub fn encode(text: &str, encoding: Encoding) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() + 2);
    let mut encoder = Encoder::new(&mut out, encoding);
    encoder.write_all(text.as_bytes())?;
    encoder.finish()?;
    Ok(out)
}
