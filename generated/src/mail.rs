//! IODEF documents in e-mail (feature `mail`): find every document in an RFC 5322 message or
//! an mbox file ([`extract`], [`extract_mbox`]), and put one in a new message ([`compose`]).
//!
//! How CSIRTs ship IODEF by mail (RFC 8134 §3): REN-ISAC attaches the report and asks
//! receivers to process the attachment, not the body; NATO's CIMS imports and exports IODEF in
//! the body and mails a report whenever a ticket changes; RFC 8659 §4.4 lets a CAA `iodef`
//! property name a `mailto:` address for such reports. [`extract`] therefore looks at every
//! leaf MIME part (attachments, inline bodies, every branch of `multipart/alternative`, and the
//! parts of forwarded `message/rfc822` messages, recursively) whatever its transfer encoding
//! (base64, quoted-printable, 7bit, 8bit, binary) and charset.
//!
//! # Part paths
//! Each part is named by its IMAP section number (RFC 3501 §6.4.5, `BODY[1.2]`): the body of a
//! single-part message is `1`; the children of a multipart are numbered from 1 and joined by
//! dots; the parts of a forwarded `message/rfc822` part `2` are `2.1`, `2.2`, ... (its body is
//! `2.1` when it is not multipart). In an mbox file, messages are numbered from 1 in file
//! order and the path is `MESSAGE/SECTION` (`3/1.2`: message 3, section 1.2).
//!
//! # What counts as an IODEF document
//! A part is an IODEF document when it is XML whose root element is in one of the namespaces
//! of the IODEF schemas this crate is generated from ([`iodef_namespaces`]: IODEF 1.0 and 2.0,
//! RID 1.0/2.0, SCI, phishing, thraud, XEP-0268, ...; not the W3C XML and XML Signature
//! namespaces they import, so a detached `ds:Signature` is not taken for a report). Its
//! content type does not matter: CIMS mails the document as a `text/plain` body. Each such
//! part is read with [`crate::read`]; [`Extracted::document`] holds the typed document or the
//! first schema error (a well-formed but schema-invalid document is still extracted: check it
//! with [`crate::validate`]).
//!
//! A part *claims* to be IODEF when its media type is an IODEF one (`application/iodef+xml`,
//! `application/rid+xml` of RFC 6546, any `*/…iodef…` subtype) or its file name contains
//! `iodef`. No XML media type of its own is registered for IODEF 1.0 or 2.0 (RFC 5070 and
//! RFC 7970 register namespaces and schemas only): senders use `application/xml` or `text/xml`
//! (RFC 7303). An IODEF document that is not well-formed (or cannot be decoded), and a part
//! that claims to be IODEF but is not XML with an IODEF root, is an [`Outcome::Error`] naming
//! the part. Other XML (an HTML body, an Atom feed) is [`Outcome::Skipped`] with the reason;
//! parts that are not XML at all (plain text, images) are not reported.
//!
//! # Character encodings
//! The part's bytes after transfer decoding are what an XML reader gets: a byte-order mark or
//! the XML declaration decides their encoding (XML 1.0 §4.3.3). When the part also has a
//! `charset` parameter that disagrees and there is no byte-order mark, the charset is
//! authoritative (RFC 7303 §3.2, §3.6; a mail gateway may have re-encoded the text): the part is
//! decoded from that charset to UTF-8 and its declaration's `encoding` is rewritten to
//! `UTF-8`, so that [`Extracted::xml`] is a standalone document that reads the same. When the
//! bytes are not valid in the charset, the XML's own declaration is used instead. `us-ascii`
//! is taken as agreeing with UTF-8; `utf-16` without a byte-order mark takes the byte order
//! its first character shows.
//!
//! ```
//! let message = b"From: csirt@example.net\r\nTo: abuse@example.org\r\nSubject: report\r\n\
//! MIME-Version: 1.0\r\nContent-Type: application/xml\r\n\r\n\
//! <IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\
//! <Incident purpose=\"reporting\"><IncidentID name=\"csirt.example.net\">42</IncidentID>\
//! <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>\
//! <Contact type=\"organization\" role=\"creator\"/></Incident></IODEF-Document>\r\n";
//! let found = iodef::mail::extract(message)?;
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].path.to_string(), "1");
//! let iodef::mail::Outcome::Document(doc) = &found[0].outcome else { panic!() };
//! assert!(doc.document.as_ref().unwrap().root.as_iodef2().is_some());
//! # Ok::<(), iodef::mail::NotAMessage>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use crate::rt::{Encoding, ErrorKind};
use crate::{bindings, Document, Error, Root};

/// Where a part is: its message in an mbox file (1-based; `None` for a single message) and
/// its IMAP section number (`1.2`). Displayed as `1.2`, or `3/1.2` in an mbox file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartPath {
    /// The message's number in an mbox file, from 1.
    pub message: Option<usize>,
    /// The IMAP section number (RFC 3501 §6.4.5).
    pub section: String,
}

impl fmt::Display for PartPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message {
            Some(n) => write!(f, "{n}/{}", self.section),
            None => f.write_str(&self.section),
        }
    }
}

/// One part that is, claims to be, or looks like (XML) a document.
#[derive(Debug)]
pub struct Found {
    /// Where the part is.
    pub path: PartPath,
    /// Its media type, lower case (`application/xml`); `text/plain` when the part has none.
    pub content_type: String,
    /// Its file name (`Content-Disposition` `filename`, or `Content-Type` `name`).
    pub filename: Option<String>,
    /// What it holds.
    pub outcome: Outcome,
}

/// What a part holds.
#[derive(Debug)]
pub enum Outcome {
    /// An IODEF document.
    Document(Box<Extracted>),
    /// XML that is not an IODEF document, and why (`root element {ns}name is not IODEF`).
    Skipped(String),
    /// A part that is or claims to be an IODEF document but cannot be read: not well-formed,
    /// not decodable, not XML. `line`/`column` are in the document (0 when the error has no
    /// position, e.g. a part that is not XML at all).
    Error(Error),
}

/// An IODEF document found in a part.
#[derive(Debug)]
pub struct Extracted {
    /// The document as a standalone XML file: the part's bytes after transfer decoding, or
    /// their UTF-8 decoding when the part's charset overrode the document's own encoding (see
    /// [`Extracted::transcoded_from`]).
    pub xml: Vec<u8>,
    /// The root element in Clark notation (`{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document`).
    pub root: String,
    /// The charset the part was decoded from when it overrode the document's own encoding.
    pub transcoded_from: Option<String>,
    /// The typed document, or the first schema error of a well-formed document that is not
    /// schema-valid.
    pub document: Result<Document<Root>, Error>,
}

/// The input is not an e-mail message (no header could be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAMessage;

impl fmt::Display for NotAMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an e-mail message (no header fields)")
    }
}

impl std::error::Error for NotAMessage {}

/// The namespaces whose root elements make an IODEF document: every namespace this crate is
/// generated from, less the W3C ones the IODEF schemas import (`xml:`, XML Signature).
pub fn iodef_namespaces() -> impl Iterator<Item = &'static str> {
    static NAMESPACES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMESPACES
        .get_or_init(|| {
            crate::registry()
                .namespaces()
                .filter(|ns| *ns != bindings::xml::NAMESPACE && *ns != bindings::xmldsig::NAMESPACE)
                .collect()
        })
        .iter()
        .copied()
}

/// Every IODEF document (and every XML part, skipped or not) of one RFC 5322 message, in part
/// order. Parts that are not XML and do not claim to be IODEF are left out.
pub fn extract(message: &[u8]) -> Result<Vec<Found>, NotAMessage> {
    extract_numbered(message, None)
}

/// [`extract`] of each message of an mbox file (`From ` lines; `>From ` unquoted as mboxrd
/// and mboxo do), numbered from 1, one at a time: linear in the file's size.
pub fn extract_mbox(
    mbox: &[u8],
) -> impl Iterator<Item = (usize, Result<Vec<Found>, NotAMessage>)> + '_ {
    mbox_messages(mbox)
        .enumerate()
        .map(|(i, message)| (i + 1, extract_numbered(&message, Some(i + 1))))
}

/// The messages of an mbox file (text before the first `From ` line is not part of any; the
/// empty line that ends each message is the separator mbox writers add, not content).
pub fn mbox_messages(mbox: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    // Reading from a slice cannot fail: `flatten` drops no message.
    mail_parser::mailbox::mbox::MessageIterator::new(mbox)
        .flatten()
        .map(|m| {
            let mut contents = m.contents().to_vec();
            if contents.ends_with(b"\r\n\r\n") {
                contents.truncate(contents.len() - 2);
            } else if contents.ends_with(b"\n\n") {
                contents.truncate(contents.len() - 1);
            }
            contents
        })
}

/// Whether `input` is an mbox file rather than one message: it starts with a `From ` line (a
/// message's first header field has a colon, `From:`).
pub fn is_mbox(input: &[u8]) -> bool {
    input.starts_with(b"From ")
}

fn extract_numbered(message: &[u8], number: Option<usize>) -> Result<Vec<Found>, NotAMessage> {
    // The parser is lenient enough to find "header fields" in any text (an XML document
    // included): a message must start with one (RFC 5322 §2.2: a name of printable ASCII
    // characters, then a colon).
    let name_len = message
        .iter()
        .position(|&b| !(b'!'..=b'~').contains(&b) || b == b':')
        .unwrap_or(0);
    if name_len == 0 || message.get(name_len) != Some(&b':') {
        return Err(NotAMessage);
    }
    let parsed = MessageParser::default()
        .parse(message)
        .filter(|m| m.parts.first().is_some_and(|p| !p.headers.is_empty()))
        .ok_or(NotAMessage)?;
    let mut found = Vec::new();
    let mut walk = Walk {
        number,
        found: &mut found,
    };
    walk.message(&parsed, "", 0);
    drop_iteratively(parsed);
    Ok(found)
}

/// Drops a parsed message without recursion: forwarded messages nest as values, and dropping
/// a hostile chain of thousands of them would overflow the stack.
fn drop_iteratively(message: Message<'_>) {
    let mut pending = vec![message];
    while let Some(mut message) = pending.pop() {
        for part in &mut message.parts {
            if let PartType::Message(nested) = &mut part.body {
                pending.push(std::mem::take(nested));
            }
        }
    }
}

/// How deep multiparts and forwarded messages may nest; deeper parts are an error, not
/// searched (real messages nest a few levels).
pub const MAX_NESTING: usize = 100;

struct Walk<'f> {
    number: Option<usize>,
    found: &'f mut Vec<Found>,
}

impl Walk<'_> {
    /// The parts of `message`, whose section numbers start with `prefix` (`""` at the top).
    fn message(&mut self, message: &Message<'_>, prefix: &str, depth: usize) {
        let join = |n: usize| {
            if prefix.is_empty() {
                n.to_string()
            } else {
                format!("{prefix}.{n}")
            }
        };
        match &message.parts[0].body {
            // The children of the top multipart are the message's sections 1, 2, ...
            PartType::Multipart(children) => {
                for (i, &child) in children.iter().enumerate() {
                    self.part(message, child as usize, &join(i + 1), depth + 1);
                }
            }
            // A single-part message: its body is section 1.
            _ => self.part(message, 0, &join(1), depth + 1),
        }
    }

    fn part(&mut self, message: &Message<'_>, id: usize, section: &str, depth: usize) {
        let Some(part) = message.parts.get(id) else {
            return;
        };
        // Hostile nesting: bounded recursion, and section paths of bounded length.
        if depth > MAX_NESTING {
            self.found.push(Found {
                path: PartPath {
                    message: self.number,
                    section: section.to_string(),
                },
                content_type: media_type(part),
                filename: None,
                outcome: Outcome::Error(plain_error(format!(
                    "MIME parts nested more than {MAX_NESTING} levels deep: not searched"
                ))),
            });
            return;
        }
        match &part.body {
            PartType::Multipart(children) => {
                for (i, &child) in children.iter().enumerate() {
                    let child_section = format!("{section}.{}", i + 1);
                    self.part(message, child as usize, &child_section, depth + 1);
                }
            }
            PartType::Message(nested) if !nested.parts.is_empty() => {
                self.message(nested, section, depth)
            }
            _ => self.leaf(message, part, section),
        }
    }

    fn leaf(&mut self, message: &Message<'_>, part: &MessagePart<'_>, section: &str) {
        let content_type = media_type(part);
        let charset = part
            .content_type()
            .and_then(|ct| ct.attribute("charset"))
            .map(str::to_string);
        let filename = part.attachment_name().map(str::to_string);
        let claims = claims_iodef(&content_type, filename.as_deref());
        let mut found = |outcome| {
            self.found.push(Found {
                path: PartPath {
                    message: self.number,
                    section: section.to_string(),
                },
                content_type: content_type.clone(),
                filename: filename.clone(),
                outcome,
            })
        };
        // A forwarded message the parser could not open (nested too deeply, or broken).
        if content_type == "message/rfc822" || content_type == "message/global" {
            found(Outcome::Error(plain_error(
                "a forwarded message that cannot be read (nested too deeply or malformed): \
                 its parts were not searched",
            )));
            return;
        }
        let xml_named = content_type.contains("xml")
            || filename
                .as_deref()
                .is_some_and(|f| f.to_ascii_lowercase().ends_with(".xml"));
        if part.is_encoding_problem && (claims || xml_named) {
            found(Outcome::Error(plain_error(
                "the part's transfer encoding cannot be decoded (broken base64 or \
                 quoted-printable): its content was not searched",
            )));
            return;
        }
        let raw = transfer_decoded(message, part);
        let looks_xml = looks_like_xml(&raw);
        if !looks_xml && !claims {
            return;
        }
        found(classify(&raw, charset.as_deref(), claims, &content_type));
    }
}

/// The part's media type, lower case, `text/plain` when it has none (RFC 2045 §5.2).
fn media_type(part: &MessagePart<'_>) -> String {
    part.content_type().map_or_else(
        || "text/plain".to_string(),
        |ct| match ct.subtype() {
            Some(sub) => format!("{}/{sub}", ct.ctype()).to_ascii_lowercase(),
            None => ct.ctype().to_ascii_lowercase(),
        },
    )
}

/// The part's bytes after transfer decoding, before any charset decoding (the parser decodes
/// text parts to UTF-8 strings, lossily without a charset; an XML reader needs the bytes).
fn transfer_decoded<'m>(message: &'m Message<'_>, part: &'m MessagePart<'_>) -> Cow<'m, [u8]> {
    match &part.body {
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => Cow::Borrowed(bytes),
        PartType::Text(text) | PartType::Html(text) => {
            let raw = message
                .raw_message
                .get(part.offset_body as usize..part.offset_end as usize)
                .unwrap_or_default();
            let decoded = match part.encoding {
                mail_parser::Encoding::Base64 => base64_decode(raw).map(Cow::Owned),
                mail_parser::Encoding::QuotedPrintable => {
                    quoted_printable_decode(raw).map(Cow::Owned)
                }
                mail_parser::Encoding::None => Some(Cow::Borrowed(raw)),
            };
            // The parser decoded the same bytes; should the slice not decode, its text is
            // the next best thing.
            decoded.unwrap_or(Cow::Borrowed(text.as_bytes()))
        }
        PartType::Message(_) | PartType::Multipart(_) => Cow::Borrowed(&[]),
    }
}

/// A media type or file name that says "IODEF".
fn claims_iodef(content_type: &str, filename: Option<&str>) -> bool {
    let subtype = content_type.split_once('/').map_or("", |(_, s)| s);
    subtype.contains("iodef")
        || subtype == "rid+xml"
        || filename.is_some_and(|f| f.to_ascii_lowercase().contains("iodef"))
}

/// Starts with `<` after whitespace and a byte-order mark, in UTF-8 or UTF-16.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .or_else(|| bytes.strip_prefix(b"\xFF\xFE"))
        .or_else(|| bytes.strip_prefix(b"\xFE\xFF"))
        .unwrap_or(bytes);
    bytes
        .iter()
        .find(|&&b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0))
        == Some(&b'<')
}

/// An error without a position in the document.
fn plain_error(message: impl Into<String>) -> Error {
    Error {
        kind: ErrorKind::Syntax,
        message: message.into(),
        path: String::new(),
        line: 0,
        column: 0,
    }
}

fn classify(raw: &[u8], charset: Option<&str>, claims: bool, content_type: &str) -> Outcome {
    let (xml, transcoded_from) = match charset.and_then(|c| transcode(raw, c)) {
        Some(text) => (Cow::Owned(text.into_bytes()), charset.map(str::to_string)),
        None => (Cow::Borrowed(raw), None),
    };
    let root = match root_name(&xml) {
        Ok(root) => root,
        Err(e) if claims => return Outcome::Error(e),
        Err(e) => return Outcome::Skipped(format!("not XML: {}", e.message)),
    };
    let (ns, local) = &root;
    let clark = format!("{{{ns}}}{local}");
    if !iodef_namespaces().any(|n| n == ns) {
        let what = if ns.is_empty() { local.clone() } else { clark };
        return if claims {
            Outcome::Error(plain_error(format!(
                "the part claims to be IODEF ({content_type}) but its root element {what} is \
                 not in an IODEF namespace"
            )))
        } else {
            Outcome::Skipped(format!("root element {what} is not IODEF"))
        };
    }
    let document = crate::read(&xml);
    if let Err(e) = &document {
        if let Some(malformed) = not_well_formed(e, &xml) {
            return Outcome::Error(malformed);
        }
    }
    Outcome::Document(Box::new(Extracted {
        xml: xml.into_owned(),
        root: clark,
        transcoded_from,
        document,
    }))
}

/// The root element's namespace and local name, or why there is none (not decodable, not
/// XML, a DOCTYPE).
fn root_name(xml: &[u8]) -> Result<(String, String), Error> {
    let decoded = crate::rt::decode(xml)?;
    let mut reader = decoded.reader_with_registry(Some(crate::registry()));
    let root = reader.root()?;
    Ok((reader.ns_str(root.ns).to_string(), root.local.to_string()))
}

/// The well-formedness error of a document the typed reader refused (`e`): `e` itself when it
/// is one; else the collecting validator's first (the reader stops at the first schema error,
/// the rest may still be broken); `None` for a well-formed, schema-invalid document.
fn not_well_formed(e: &Error, xml: &[u8]) -> Option<Error> {
    let fatal = |kind: &ErrorKind| {
        matches!(
            kind,
            ErrorKind::Syntax | ErrorKind::Encoding | ErrorKind::Doctype | ErrorKind::Limit
        )
    };
    if fatal(&e.kind) {
        return Some(e.clone());
    }
    crate::validate(xml)
        .errors
        .into_iter()
        .find(|e| fatal(&e.kind))
}

/// The part decoded from its `charset` to UTF-8, with its declaration naming UTF-8, when the
/// charset disagrees with what the bytes say of themselves (RFC 7303 §3.2: a byte-order mark
/// first, then the charset, then the declaration). `None`: read the bytes as they are.
fn transcode(raw: &[u8], charset: &str) -> Option<String> {
    let has_bom = raw.starts_with(b"\xEF\xBB\xBF")
        || raw.starts_with(b"\xFF\xFE")
        || raw.starts_with(b"\xFE\xFF");
    if has_bom {
        return None;
    }
    let label = charset.trim().to_ascii_lowercase();
    let labelled = Encoding::for_label(&label).ok()?;
    let is_utf16 = |e: Encoding| e == Encoding::UTF_16LE || e == Encoding::UTF_16BE;
    if let Ok(detected) = crate::rt::decode(raw).map(|d| d.encoding()) {
        let agrees = detected == labelled
            || (labelled == Encoding::US_ASCII && detected == Encoding::UTF_8)
            || (is_utf16(labelled) && is_utf16(detected) && matches!(label.as_str(), "utf-16"));
        if agrees {
            return None;
        }
    }
    let rs = match labelled {
        // `utf-16` without a byte-order mark: the zero byte of the first (ASCII) character
        // tells the byte order.
        e if is_utf16(e) && label == "utf-16" => {
            if raw.first() == Some(&0) {
                encoding_rs::UTF_16BE
            } else {
                encoding_rs::UTF_16LE
            }
        }
        e if e == Encoding::UTF_16BE => encoding_rs::UTF_16BE,
        e if e == Encoding::UTF_16LE => encoding_rs::UTF_16LE,
        e if e == Encoding::ISO_8859_1 => {
            // Exactly Latin-1 (WHATWG would read windows-1252).
            let text: String = raw.iter().map(|&b| char::from(b)).collect();
            return Some(declare_utf8(text));
        }
        _ => encoding_rs::Encoding::for_label_no_replacement(label.as_bytes())?,
    };
    let text = rs
        .decode_without_bom_handling_and_without_replacement(raw)?
        .into_owned();
    Some(declare_utf8(text))
}

/// `text` with its XML declaration's `encoding` (if it has one) changed to `UTF-8`.
fn declare_utf8(mut text: String) -> String {
    let Some(decl_end) = text.strip_prefix("<?xml").and_then(|rest| rest.find("?>")) else {
        return text;
    };
    let decl = &text[..decl_end + 5];
    let Some(at) = decl.find("encoding") else {
        return text;
    };
    let after = &decl[at + "encoding".len()..];
    let Some(open) = after.find(['"', '\'']) else {
        return text;
    };
    let quote = after.as_bytes()[open];
    let value_start = at + "encoding".len() + open + 1;
    let Some(len) = text[value_start..].bytes().position(|b| b == quote) else {
        return text;
    };
    text.replace_range(value_start..value_start + len, "UTF-8");
    text
}

/// Why [`compose`] refused.
#[derive(Debug)]
pub enum ComposeError {
    /// A header value that would break the message (a line break: header injection) or is
    /// not an address.
    Header(String),
    /// The document is not a valid document of the IODEF schemas.
    Document(Error),
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ComposeError::Header(m) => f.write_str(m),
            ComposeError::Document(e) => write!(f, "not a valid IODEF document: {e}"),
        }
    }
}

impl std::error::Error for ComposeError {}

/// What [`compose`] puts in the message headers.
#[derive(Debug, Clone, Default)]
pub struct Envelope<'a> {
    /// `From`: `user@example.net` or `Name <user@example.net>`.
    pub from: &'a str,
    /// `To`, one or more addresses in either form.
    pub to: &'a [&'a str],
    /// `Subject`; by default `IODEF report NAME#ID` after the first IncidentID, or `IODEF
    /// document` for a root without one.
    pub subject: Option<&'a str>,
}

/// An RFC 5322 message carrying `document` as an attachment named `filename`, with a short
/// text body saying what it is (as CIMS does) and that the attachment is what to process (as
/// REN-ISAC asks). `multipart/mixed` of a `text/plain` UTF-8 body and the document as
/// `application/xml` (RFC 7303; no IODEF-specific media type is registered) with the
/// `charset` its bytes are in, base64-encoded so that no gateway re-encodes it; `Date`,
/// `Message-ID`, `MIME-Version`; CRLF line endings. The document must be a valid document of
/// the IODEF schemas (any root: IODEF 1.0/2.0, RID, ...); its bytes are attached unchanged.
///
/// ```
/// let xml = br#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
///   <Incident purpose="reporting"><IncidentID name="csirt.example.net">42</IncidentID>
///   <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
///   <Contact type="organization" role="creator"/></Incident></IODEF-Document>"#;
/// let envelope = iodef::mail::Envelope { from: "CSIRT <csirt@example.net>", to: &["abuse@example.org"], subject: None };
/// let message = iodef::mail::compose(&envelope, xml, "report.xml")?;
/// let found = iodef::mail::extract(&message).unwrap();
/// let iodef::mail::Outcome::Document(doc) = &found[0].outcome else { panic!() };
/// assert_eq!(doc.xml, xml);
/// assert!(iodef::mail::compose(&iodef::mail::Envelope { from: "a@b\r\nBcc: x@y", ..envelope }, xml, "r.xml").is_err());
/// # Ok::<(), iodef::mail::ComposeError>(())
/// ```
pub fn compose(
    envelope: &Envelope<'_>,
    document: &[u8],
    filename: &str,
) -> Result<Vec<u8>, ComposeError> {
    use mail_builder::headers::address::Address;
    use mail_builder::headers::content_type::ContentType;
    use mail_builder::MessageBuilder;

    let from = address(envelope.from, "From")?;
    if envelope.to.is_empty() {
        return Err(ComposeError::Header("To: no recipient".to_string()));
    }
    let to = envelope
        .to
        .iter()
        .map(|a| address(a, "To"))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(subject) = envelope.subject {
        no_line_break(subject, "Subject")?;
    }
    no_line_break(filename, "the file name")?;
    let doc = crate::read(document).map_err(ComposeError::Document)?;
    let encoding = crate::rt::decode(document)
        .map_err(ComposeError::Document)?
        .encoding();
    let ids = incident_ids(&doc.root);
    let subject = envelope.subject.map_or_else(
        || match ids.first() {
            Some(id) => format!("IODEF report {id}"),
            None => "IODEF document".to_string(),
        },
        str::to_string,
    );
    // Short lines: the body stays 7bit, readable as it is.
    let mut body = format!(
        "This message carries an IODEF document as the attachment\r\n\
         \"{filename}\": {} of {}.\r\n\
         Please process the attachment, not this text.\r\n",
        doc.root.local_name(),
        doc.root.namespace()
    );
    if !ids.is_empty() {
        body.push_str("\r\nIncidents:\r\n");
        for id in &ids {
            body.push_str(&format!("  {id}\r\n"));
        }
    }
    let to: Vec<Address<'_>> = to
        .into_iter()
        .map(|(name, email)| Address::new_address(name, email))
        .collect();
    let (from_name, from_email) = from;
    let message = MessageBuilder::new()
        .from(Address::new_address(from_name, from_email))
        .to(Address::new_list(to))
        .subject(subject)
        .text_body(body)
        .attachment(
            ContentType::new("application/xml").attribute("charset", encoding.xml_name()),
            filename.to_string(),
            document.to_vec(),
        );
    Ok(message
        .write_to_vec()
        .expect("writing to a Vec does not fail"))
}

/// `NAME#VALUE` of each Incident's IncidentID (IODEF 2.0 and 1.0 documents).
fn incident_ids(root: &Root) -> Vec<String> {
    if let Some(doc) = root.as_iodef2() {
        return doc
            .incident
            .iter()
            .map(|i| format!("{}#{}", i.incident_id.name, i.incident_id.value))
            .collect();
    }
    if let Some(doc) = root.as_iodef1() {
        return doc
            .incident
            .iter()
            .map(|i| format!("{}#{}", i.incident_id.name, i.incident_id.value))
            .collect();
    }
    Vec::new()
}

fn no_line_break(value: &str, what: &str) -> Result<(), ComposeError> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(ComposeError::Header(format!(
            "{what}: {value:?} holds a line break or another control character"
        )));
    }
    Ok(())
}

/// `addr@example.net` or `Display Name <addr@example.net>`: the display name (if any) and the
/// address, which must be `local@domain` without spaces, brackets or separators.
fn address<'a>(value: &'a str, what: &str) -> Result<(Option<&'a str>, &'a str), ComposeError> {
    no_line_break(value, what)?;
    let value = value.trim();
    let (name, email) = match value.strip_suffix('>').and_then(|v| v.rsplit_once('<')) {
        Some((name, email)) => {
            let name = name.trim().trim_matches('"').trim();
            ((!name.is_empty()).then_some(name), email.trim())
        }
        None => (None, value),
    };
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !email
                .chars()
                .any(|c| c.is_whitespace() || "<>()[],;:\\\"".contains(c))
    });
    if !valid {
        return Err(ComposeError::Header(format!(
            "{what}: {value:?} is not an e-mail address (user@example.net or Name <user@example.net>)"
        )));
    }
    Ok((name, email))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0"><Incident purpose="reporting"><IncidentID name="csirt.example.net">é</IncidentID><GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime><Contact type="organization" role="creator"/></Incident></IODEF-Document>"#;

    fn outcome(bytes: &[u8], charset: Option<&str>) -> Outcome {
        classify(bytes, charset, false, "application/xml")
    }

    fn incident_id(outcome: &Outcome) -> String {
        let Outcome::Document(doc) = outcome else {
            panic!("not a document: {outcome:?}");
        };
        let doc = doc.document.as_ref().expect("valid");
        doc.root.as_iodef2().unwrap().incident[0]
            .incident_id
            .value
            .clone()
    }

    #[test]
    fn declaration_encoding_is_rewritten_in_either_quote() {
        assert_eq!(
            declare_utf8(r#"<?xml version="1.0" encoding="UTF-16"?><a/>"#.into()),
            r#"<?xml version="1.0" encoding="UTF-8"?><a/>"#
        );
        assert_eq!(
            declare_utf8("<?xml version='1.0' encoding='latin1' standalone='yes'?><a/>".into()),
            "<?xml version='1.0' encoding='UTF-8' standalone='yes'?><a/>"
        );
        assert_eq!(
            declare_utf8("<?xml version='1.0'?><a/>".into()),
            "<?xml version='1.0'?><a/>"
        );
        assert_eq!(
            declare_utf8("<a encoding='x'/>".into()),
            "<a encoding='x'/>"
        );
    }

    #[test]
    fn charset_decides_only_when_the_bytes_do_not() {
        // UTF-16BE without byte-order mark or declaration, labelled `utf-16`.
        let be: Vec<u8> = DOC.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(incident_id(&outcome(&be, Some("utf-16"))), "é");
        // Latin-1 bytes, declared UTF-8 by nobody: the charset says ISO-8859-1.
        let latin1: Vec<u8> = DOC.chars().map(|c| c as u8).collect();
        assert_eq!(incident_id(&outcome(&latin1, Some("ISO-8859-1"))), "é");
        // A wrong label (UTF-8 bytes called us-ascii, or a declaration the bytes follow):
        // the document's own encoding.
        assert_eq!(incident_id(&outcome(DOC.as_bytes(), Some("us-ascii"))), "é");
        let declared = format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{DOC}");
        let declared: Vec<u8> = declared.chars().map(|c| c as u8).collect();
        assert_eq!(incident_id(&outcome(&declared, Some("iso-8859-1"))), "é");
        assert_eq!(incident_id(&outcome(&declared, None)), "é");
        // A byte-order mark wins over the label.
        let mut bom = vec![0xFF, 0xFE];
        bom.extend(DOC.encode_utf16().flat_map(u16::to_le_bytes));
        let Outcome::Document(doc) = outcome(&bom, Some("iso-8859-1")) else {
            panic!()
        };
        assert_eq!(doc.xml, bom);
        assert_eq!(doc.transcoded_from, None);
    }

    #[test]
    fn not_iodef_skipped_claimed_is_an_error() {
        assert!(
            matches!(outcome(b"<a/>", None), Outcome::Skipped(r) if r == "root element a is not IODEF")
        );
        assert!(matches!(
            classify(b"<a/>", None, true, "application/iodef+xml"),
            Outcome::Error(e) if e.message.contains("claims to be IODEF")
        ));
        assert!(matches!(
            classify(b"%PDF", None, true, "application/iodef+xml"),
            Outcome::Error(_)
        ));
        // A detached XML signature is not a report.
        let sig = br#"<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>"#;
        assert!(matches!(outcome(sig, None), Outcome::Skipped(_)));
        // Well-formed, schema-invalid: still a document; broken: an error with a position.
        let invalid = DOC.replace("reporting", "nonsense");
        let Outcome::Document(doc) = outcome(invalid.as_bytes(), None) else {
            panic!()
        };
        assert!(doc.document.is_err());
        let broken = invalid.replace("</IODEF-Document>", "");
        assert!(
            matches!(outcome(broken.as_bytes(), None), Outcome::Error(e) if e.line == 1 && e.column > 1)
        );
    }

    #[test]
    fn part_paths_display_imap_sections() {
        let path = |message, section: &str| PartPath {
            message,
            section: section.to_string(),
        };
        assert_eq!(path(None, "1.2").to_string(), "1.2");
        assert_eq!(path(Some(3), "1.2").to_string(), "3/1.2");
    }
}
