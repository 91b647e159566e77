//! Opt-in expansion of internal general entities declared in a DOCTYPE, under strict
//! amplification limits, before a document is given to the reader.
//!
//! The reader ([`XmlReader`](super::XmlReader), `iodef::read`, [`Document`](super::Document))
//! refuses every DOCTYPE ([`ErrorKind::Doctype`]). A caller that has to accept documents with a
//! small internal subset (`<!ENTITY org "Example CSIRT">`) runs [`expand_internal_entities`]
//! first and reads its output:
//!
//! ```
//! use iodef::rt::entities::{expand_internal_entities, EntityLimits};
//!
//! let input = br#"<?xml version="1.0" encoding="UTF-8"?>
//! <!DOCTYPE IODEF-Document [
//!   <!ENTITY org "Example CSIRT">
//! ]>
//! <IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
//!   <Incident purpose="reporting">
//!     <IncidentID name="csirt.example.com">492382</IncidentID>
//!     <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
//!     <Contact type="organization" role="creator"><ContactName>&org;</ContactName></Contact>
//!   </Incident>
//! </IODEF-Document>"#;
//! // Without expansion the DOCTYPE is refused.
//! assert_eq!(iodef::read(input).unwrap_err().kind, iodef::ErrorKind::Doctype);
//!
//! let expanded = expand_internal_entities(input, &EntityLimits::default())?;
//! let doc = iodef::read(&expanded)?;
//! assert!(doc.to_xml_string().contains("<ContactName>Example CSIRT</ContactName>"));
//!
//! // Without a DOCTYPE the input is returned as it is, without a copy.
//! let plain = b"<a/>";
//! assert!(matches!(
//!     expand_internal_entities(plain, &EntityLimits::default())?,
//!     std::borrow::Cow::Borrowed(_)
//! ));
//! # Ok::<(), iodef::Error>(())
//! ```
//!
//! # What is accepted
//!
//! Only a DOCTYPE in the prolog (before the root element) is processed, and only
//! `<!DOCTYPE name [ internal subset ]>` without an external identifier. In the internal subset:
//!
//! - `<!ENTITY name "value">` / `'value'`: internal general entities. Character references in
//!   the value are replaced when the entity is declared, entity references are kept and expanded
//!   where the entity is used (XML 1.0 §4.5). The first declaration of a name wins (§4.2);
//!   declarations of the predefined entities (`lt`, `gt`, `amp`, `quot`, `apos`) are ignored.
//! - `<!ELEMENT ...>` and `<!NOTATION ...>` declarations, comments and processing instructions
//!   are ignored (they do not change what a non-validating parser reports).
//!
//! Everything else is refused with an [`ErrorKind::Doctype`] error naming the construct and its
//! line:column, and nothing is ever fetched:
//!
//! - an external DTD subset (`<!DOCTYPE x SYSTEM "...">`, `PUBLIC`);
//! - external entities (`<!ENTITY x SYSTEM "...">`, `PUBLIC`), unparsed ones (`NDATA`) included;
//! - parameter entities (`<!ENTITY % x ...>`) and parameter-entity references (`%x;`);
//! - `<!ATTLIST ...>`: default attribute values would change the document, and are not applied;
//! - a reference to an entity that is not declared, and recursive entities;
//! - markup in replacement text: an entity whose replacement text contains `<` (an element, a
//!   comment, ...) is refused where it is used. Replacement text may hold text, character
//!   references, predefined entities and references to other entities.
//!
//! Malformed declarations (unterminated, missing quotes, invalid names, invalid character
//! references) and invalid UTF-8 or characters that are not XML characters anywhere in the
//! DOCTYPE are [`ErrorKind::Syntax`] errors. Names are checked loosely (ASCII name characters,
//! and any non-ASCII character).
//!
//! # Output
//!
//! References to declared entities in element content and in attribute values are replaced by
//! their expansion, escaped so that it is character data and never markup: `<`, `>`, `&`, `"`
//! and `'` coming from an entity are written as predefined entity references, character
//! references in replacement text are kept as character references, and a carriage return in
//! replacement text (from a character reference in the declaration) is written as `&#xD;` in
//! content and as a space in an attribute value, so the reader sees exactly the characters the
//! XML 1.0 rules give (§4.4, §3.3.3 attribute-value normalisation, appendix D). References in
//! comments, processing instructions and CDATA sections are not expanded. Character
//! references and predefined entities outside entities are left for the reader.
//!
//! The DOCTYPE itself is replaced by spaces, keeping its line breaks, so line numbers of the
//! rest of the document are unchanged. Columns after an expanded reference on the same line
//! shift by the difference in length between the reference and its expansion.
//!
//! # Limits
//!
//! [`EntityLimits`] bounds the work and the output: entity declarations, nesting of references,
//! references expanded (nested ones included) and bytes written by expansions. Exceeding one is
//! an [`ErrorKind::Limit`] error naming the limit and its value, at the line:column of the
//! reference in the document whose expansion exceeded it. The expansion never recurses on the
//! call stack, so no input can overflow it.

use crate::reader::is_xml_char;
use std::borrow::Cow;
use std::collections::HashMap;

use super::error::{Error, ErrorKind};
use super::reader::{element_path, line_column};

/// Limits of [`expand_internal_entities`]; exceeding one is an [`ErrorKind::Limit`] error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityLimits {
    /// Entity declarations in the internal subset.
    pub max_entities: usize,
    /// Bytes written by all expansions of the document together (the output is at most the
    /// input plus this).
    pub max_expanded_bytes: usize,
    /// Nesting of entity references: 1 for a reference in the document, 2 for a reference in
    /// that entity's replacement text, and so on.
    pub max_depth: u32,
    /// Entity references expanded in the whole document, nested ones included.
    pub max_references: usize,
}

impl Default for EntityLimits {
    /// 1,000 declarations, 1 MiB of expanded text, references nested 8 deep, 10,000 references.
    fn default() -> Self {
        EntityLimits {
            max_entities: 1_000,
            max_expanded_bytes: 1 << 20,
            max_depth: 8,
            max_references: 10_000,
        }
    }
}

/// Expands the internal general entities declared in the DOCTYPE of `input` and removes the
/// DOCTYPE; see the [module documentation](self) for what is accepted and what is refused.
///
/// Without a DOCTYPE in the prolog the input is returned unchanged (`Cow::Borrowed`); only the
/// prolog is looked at, so this is cheap to call on every input.
///
/// The input may be in any encoding XML allows ([`super::encoding::decode`]); the output is in
/// the same encoding, declaration unchanged (UTF-16 with a byte-order mark), so that it reads
/// like the input.
pub fn expand_internal_entities<'a>(
    input: &'a [u8],
    limits: &EntityLimits,
) -> Result<Cow<'a, [u8]>, Error> {
    let decoded = super::encoding::decode(input)?;
    if decoded.is_borrowed() {
        return expand_utf8(input, limits);
    }
    // Expanded as UTF-8 (positions of errors are the document's lines and characters), then
    // written back in the document's encoding: every character comes from the document.
    match expand_utf8(decoded.as_bytes(), limits)? {
        Cow::Borrowed(_) => Ok(Cow::Borrowed(input)),
        Cow::Owned(out) => {
            let fail = |message: String| Error::without_position(ErrorKind::Encoding, message);
            let text = String::from_utf8(out).map_err(|e| fail(e.to_string()))?;
            super::encoding::encode(&text, decoded.encoding())
                .map(Cow::Owned)
                .map_err(|e| fail(e.to_string()))
        }
    }
}

/// [`expand_internal_entities`] on UTF-8 input.
fn expand_utf8<'a>(input: &'a [u8], limits: &EntityLimits) -> Result<Cow<'a, [u8]>, Error> {
    let Some(start) = find_doctype(input) else {
        return Ok(Cow::Borrowed(input));
    };
    let mut parser = Parser {
        input,
        pos: start,
        limits,
        entities: Vec::new(),
        by_name: HashMap::new(),
        declarations: 0,
    };
    parser.doctype()?;
    let end = parser.pos;
    // The DOCTYPE is blanked in the output: the reader never sees its characters.
    parser.check_chars(start, end)?;
    let mut out = Vec::with_capacity(input.len() + 64);
    out.extend_from_slice(&input[..start]);
    blank(&input[start..end], &mut out);
    let mut expander = Expander {
        input,
        doctype: start..end,
        entities: &parser.entities,
        by_name: &parser.by_name,
        limits,
        out,
        copied: end,
        references: 0,
        bytes: 0,
    };
    expander.body(end)?;
    let mut out = expander.out;
    out.extend_from_slice(&input[expander.copied..]);
    Ok(Cow::Owned(out))
}

// ------------------------------------------------------------------------------------------------
// Prolog

/// Byte offset of `<!DOCTYPE` when it is in the prolog (after an optional BOM and XML
/// declaration, comments, processing instructions and whitespace).
fn find_doctype(input: &[u8]) -> Option<usize> {
    let mut i = if input.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    loop {
        while input.get(i).is_some_and(|&b| is_ws(b)) {
            i += 1;
        }
        let rest = &input[i..];
        if rest.starts_with(b"<!--") {
            i += 4 + find(&rest[4..], b"-->")? + 3;
        } else if rest.starts_with(b"<?") {
            i += 2 + find(&rest[2..], b"?>")? + 2;
        } else if rest.starts_with(b"<!DOCTYPE") {
            return Some(i);
        } else {
            return None;
        }
    }
}

/// Copies `doctype` to `out` as one space per character, keeping CR and LF.
fn blank(doctype: &[u8], out: &mut Vec<u8>) {
    for &b in doctype {
        match b {
            b'\n' | b'\r' => out.push(b),
            // UTF-8 continuation bytes: one space per character keeps the columns after it.
            0x80..=0xBF => {}
            _ => out.push(b' '),
        }
    }
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80
}

fn is_name_byte(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit() || b == b'-' || b == b'.'
}

/// Length of the name at the start of `bytes` (0 when there is none). Names are checked
/// loosely: ASCII name characters and any non-ASCII character.
fn name_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(&b) if is_name_start(b) => bytes.iter().take_while(|&&b| is_name_byte(b)).count(),
        _ => 0,
    }
}

const PREDEFINED: [&str; 5] = ["lt", "gt", "amp", "quot", "apos"];

/// Parses the character reference at the start of `bytes` (`&#65;`, `&#x41;`): its character
/// and length. `Err` is the message.
fn char_ref(bytes: &[u8]) -> Result<(char, usize), String> {
    let semi = bytes
        .iter()
        .take(64)
        .position(|&b| b == b';')
        .ok_or_else(|| "malformed character reference: no ';'".to_string())?;
    let body = &bytes[2..semi];
    let (digits, radix) = match body.strip_prefix(b"x") {
        Some(hex) => (hex, 16),
        None => (body, 10),
    };
    let text = String::from_utf8_lossy(&bytes[..=semi]).into_owned();
    let valid_digits = !digits.is_empty()
        && digits.iter().all(|b| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        });
    if !valid_digits {
        return Err(format!("invalid character reference {text}"));
    }
    let code = std::str::from_utf8(digits)
        .ok()
        .and_then(|d| u32::from_str_radix(d, radix).ok());
    match code.and_then(char::from_u32) {
        Some(c) if is_xml_char(c) => Ok((c, semi + 1)),
        _ => Err(format!(
            "character reference {text} is not an XML character"
        )),
    }
}

// ------------------------------------------------------------------------------------------------
// DOCTYPE

struct Entity {
    name: String,
    /// Replacement text: the literal value with character references replaced (§4.5).
    text: String,
}

struct Parser<'a, 'l> {
    input: &'a [u8],
    pos: usize,
    limits: &'l EntityLimits,
    entities: Vec<Entity>,
    by_name: HashMap<String, usize>,
    declarations: usize,
}

impl<'a> Parser<'a, '_> {
    fn rest(&self) -> &'a [u8] {
        &self.input[self.pos..]
    }

    fn error(&self, kind: ErrorKind, offset: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_column(self.input, offset);
        Error {
            kind,
            message: message.into(),
            path: "/".to_string(),
            line,
            column,
        }
    }

    fn syntax(&self, offset: usize, message: impl Into<String>) -> Error {
        self.error(
            ErrorKind::Syntax,
            offset,
            format!("malformed DOCTYPE: {}", message.into()),
        )
    }

    fn refused(&self, offset: usize, message: impl Into<String>) -> Error {
        self.error(ErrorKind::Doctype, offset, message)
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.pos;
        while self.input.get(self.pos).is_some_and(|&b| is_ws(b)) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn require_ws(&mut self, after: &str) -> Result<(), Error> {
        if self.skip_ws() {
            Ok(())
        } else if self.pos >= self.input.len() {
            Err(self.syntax(self.pos, format!("unexpected end of input after {after}")))
        } else {
            Err(self.syntax(self.pos, format!("expected whitespace after {after}")))
        }
    }

    fn name(&mut self, what: &str) -> Result<&str, Error> {
        let len = name_len(self.rest());
        if len == 0 {
            return Err(self.syntax(self.pos, format!("expected {what}")));
        }
        let start = self.pos;
        let input = self.input;
        let name = std::str::from_utf8(&input[start..start + len])
            .map_err(|_| self.syntax(start, format!("invalid UTF-8 in {what}")))?;
        self.pos += len;
        Ok(name)
    }

    /// An external identifier (`SYSTEM`/`PUBLIC`) at the current position, if any.
    fn external_id(&self) -> Option<&'static str> {
        let rest = self.rest();
        ["SYSTEM", "PUBLIC"]
            .into_iter()
            .find(|k| rest.starts_with(k.as_bytes()))
    }

    /// Refuses invalid UTF-8 and characters that are not XML characters in `start..end`.
    fn check_chars(&self, start: usize, end: usize) -> Result<(), Error> {
        let text = std::str::from_utf8(&self.input[start..end]).map_err(|e| {
            self.error(
                ErrorKind::Syntax,
                start + e.valid_up_to(),
                "invalid UTF-8 in the DOCTYPE",
            )
        })?;
        match text.char_indices().find(|&(_, c)| !is_xml_char(c)) {
            Some((i, c)) => Err(self.error(
                ErrorKind::Syntax,
                start + i,
                format!("character U+{:04X} is not allowed in XML", c as u32),
            )),
            None => Ok(()),
        }
    }

    /// `<!DOCTYPE name [ ... ]>` at `self.pos`; leaves `self.pos` after the `>`.
    fn doctype(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += b"<!DOCTYPE".len();
        self.require_ws("<!DOCTYPE")?;
        self.name("the document element name after <!DOCTYPE")?;
        self.skip_ws();
        if let Some(keyword) = self.external_id() {
            return Err(self.refused(
                self.pos,
                format!(
                    "DOCTYPE with an external DTD subset ({keyword}) is not accepted: no DTD is \
                     ever fetched"
                ),
            ));
        }
        if self.rest().first() == Some(&b'[') {
            self.pos += 1;
            self.internal_subset(start)?;
            self.skip_ws();
        }
        match self.rest().first() {
            Some(b'>') => {
                self.pos += 1;
                Ok(())
            }
            None => Err(self.syntax(start, "unterminated DOCTYPE")),
            Some(_) => Err(self.syntax(self.pos, "expected '>' to end the DOCTYPE")),
        }
    }

    /// The internal subset after `[`, up to and including `]`.
    fn internal_subset(&mut self, doctype_start: usize) -> Result<(), Error> {
        loop {
            self.skip_ws();
            let rest = self.rest();
            if rest.is_empty() {
                return Err(self.syntax(doctype_start, "unterminated DOCTYPE internal subset"));
            } else if rest[0] == b']' {
                self.pos += 1;
                return Ok(());
            } else if rest.starts_with(b"<!--") {
                let at = self.pos;
                let len = find(&rest[4..], b"-->")
                    .ok_or_else(|| self.syntax(at, "unterminated comment"))?;
                self.pos += 4 + len + 3;
            } else if rest.starts_with(b"<?") {
                let at = self.pos;
                let len = find(&rest[2..], b"?>")
                    .ok_or_else(|| self.syntax(at, "unterminated processing instruction"))?;
                self.pos += 2 + len + 2;
            } else if rest.starts_with(b"<!ENTITY") {
                self.entity_decl()?;
            } else if rest.starts_with(b"<!ATTLIST") {
                return Err(self.refused(
                    self.pos,
                    "<!ATTLIST> declarations are not accepted (default attribute values \
                     would change the document)",
                ));
            } else if rest.starts_with(b"<!ELEMENT") || rest.starts_with(b"<!NOTATION") {
                self.skip_decl()?;
            } else if rest[0] == b'%' {
                return Err(self.refused(
                    self.pos,
                    "parameter entity references (%name;) are not accepted",
                ));
            } else {
                let c = String::from_utf8_lossy(&rest[..rest.len().min(12)]).into_owned();
                return Err(
                    self.syntax(self.pos, format!("unexpected {c:?} in the internal subset"))
                );
            }
        }
    }

    /// Skips an ignored declaration (`<!ELEMENT ...>`, `<!NOTATION ...>`): up to the `>` that is
    /// not in a quoted string.
    fn skip_decl(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 2;
        let mut quote = None;
        while let Some(&b) = self.input.get(self.pos) {
            self.pos += 1;
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => return Ok(()),
                (None, b'%') => {
                    return Err(self.refused(
                        self.pos - 1,
                        "parameter entity references (%name;) are not accepted",
                    ))
                }
                (None, b'<') => return Err(self.syntax(self.pos - 1, "unterminated declaration")),
                _ => {}
            }
        }
        Err(self.syntax(start, "unterminated declaration"))
    }

    /// `<!ENTITY name "value">`.
    fn entity_decl(&mut self) -> Result<(), Error> {
        let decl_start = self.pos;
        self.pos += b"<!ENTITY".len();
        self.require_ws("<!ENTITY")?;
        if self.rest().first() == Some(&b'%') {
            return Err(self.refused(
                decl_start,
                "parameter entity declarations (<!ENTITY % ...>) are not accepted",
            ));
        }
        let name = self.name("an entity name")?.to_string();
        self.require_ws(&format!("the entity name '{name}'"))?;
        if let Some(keyword) = self.external_id() {
            let unparsed = self.decl_has_ndata();
            let what = if unparsed {
                "unparsed external entity (NDATA)"
            } else {
                "external entity"
            };
            return Err(self.refused(
                decl_start,
                format!(
                    "{what} '{name}' ({keyword}) is not accepted: no external entity is ever \
                     fetched"
                ),
            ));
        }
        let quote = match self.rest().first() {
            Some(&q @ (b'"' | b'\'')) => q,
            Some(_) => {
                return Err(self.syntax(
                    self.pos,
                    format!("expected a quoted value for entity '{name}'"),
                ))
            }
            None => return Err(self.syntax(decl_start, format!("unterminated entity '{name}'"))),
        };
        let value_start = self.pos + 1;
        let len = self.input[value_start..]
            .iter()
            .position(|&b| b == quote)
            .ok_or_else(|| {
                self.syntax(self.pos, format!("unterminated value of entity '{name}'"))
            })?;
        let text = self.replacement_text(&name, value_start, len)?;
        self.pos = value_start + len + 1;
        self.skip_ws();
        match self.rest().first() {
            Some(b'>') => self.pos += 1,
            _ => {
                return Err(self.syntax(
                    self.pos,
                    format!("expected '>' to end the declaration of entity '{name}'"),
                ))
            }
        }
        self.declarations += 1;
        if self.declarations > self.limits.max_entities {
            return Err(self.error(
                ErrorKind::Limit,
                decl_start,
                format!(
                    "more than {} entity declarations: entity expansion limit max_entities",
                    self.limits.max_entities
                ),
            ));
        }
        if !PREDEFINED.contains(&name.as_str()) && !self.by_name.contains_key(&name) {
            self.by_name.insert(name.clone(), self.entities.len());
            self.entities.push(Entity { name, text });
        }
        Ok(())
    }

    /// True when the rest of the declaration (outside quoted strings) has `NDATA`.
    fn decl_has_ndata(&self) -> bool {
        let mut quote = None;
        let rest = self.rest();
        for (i, &b) in rest.iter().enumerate() {
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'>') => return false,
                (None, b'N') if rest[i..].starts_with(b"NDATA") => return true,
                _ => {}
            }
        }
        false
    }

    /// The replacement text of the literal value at `start..start + len` (XML 1.0 §4.5):
    /// character references replaced, entity references kept, line ends normalised.
    fn replacement_text(&self, name: &str, start: usize, len: usize) -> Result<String, Error> {
        let raw = &self.input[start..start + len];
        if let Err(e) = std::str::from_utf8(raw) {
            return Err(self.syntax(
                start + e.valid_up_to(),
                format!("invalid UTF-8 in the value of entity '{name}'"),
            ));
        }
        let mut text = String::with_capacity(len);
        let mut i = 0;
        while i < raw.len() {
            let at = start + i;
            match raw[i] {
                b'%' => {
                    return Err(self.refused(
                        at,
                        format!(
                            "parameter entity reference in the value of entity '{name}' is not \
                             accepted"
                        ),
                    ))
                }
                b'&' if raw.get(i + 1) == Some(&b'#') => {
                    let (c, n) = char_ref(&raw[i..]).map_err(|m| {
                        self.syntax(at, format!("{m} in the value of entity '{name}'"))
                    })?;
                    text.push(c);
                    i += n;
                }
                b'&' => {
                    let n = name_len(&raw[i + 1..]);
                    if n == 0 || raw.get(i + 1 + n) != Some(&b';') {
                        return Err(self.syntax(
                            at,
                            format!("malformed entity reference in the value of entity '{name}'"),
                        ));
                    }
                    // Kept: expanded where the entity is used (§4.5). Checked UTF-8 above.
                    text.push_str(&String::from_utf8_lossy(&raw[i..i + n + 2]));
                    i += n + 2;
                }
                b'\r' => {
                    text.push('\n');
                    i += 1;
                    if raw.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                }
                _ => {
                    // Copy the run up to the next special byte (UTF-8 boundaries: all specials
                    // are ASCII).
                    let n = raw[i..]
                        .iter()
                        .position(|&b| matches!(b, b'%' | b'&' | b'\r'))
                        .unwrap_or(raw.len() - i);
                    text.push_str(&String::from_utf8_lossy(&raw[i..i + n]));
                    i += n;
                }
            }
        }
        Ok(text)
    }
}

// ------------------------------------------------------------------------------------------------
// Document body

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Content,
    Attribute,
}

struct Expander<'a, 'e> {
    input: &'a [u8],
    doctype: std::ops::Range<usize>,
    entities: &'e [Entity],
    by_name: &'e HashMap<String, usize>,
    limits: &'e EntityLimits,
    out: Vec<u8>,
    /// Input before this offset has been written to `out`.
    copied: usize,
    references: usize,
    bytes: usize,
}

impl Expander<'_, '_> {
    /// An error at `offset` of the input, with the element path there.
    fn error(&self, kind: ErrorKind, offset: usize, message: String) -> Error {
        let (line, column) = line_column(self.input, offset);
        // The path scan must not see the DOCTYPE.
        let mut blanked = self.input[..self.doctype.start].to_vec();
        blank(&self.input[self.doctype.clone()], &mut blanked);
        blanked.extend_from_slice(&self.input[self.doctype.end..]);
        Error {
            kind,
            message,
            path: element_path(&blanked, offset),
            line,
            column,
        }
    }

    /// Scans the document after the DOCTYPE, expanding references in content and attribute
    /// values.
    fn body(&mut self, from: usize) -> Result<(), Error> {
        let input = self.input;
        let mut i = from;
        while i < input.len() {
            // Content: up to the next markup or reference.
            match input[i..].iter().position(|&b| b == b'<' || b == b'&') {
                None => break,
                Some(n) => i += n,
            }
            if input[i] == b'&' {
                i = self.reference(i, Context::Content)?;
                continue;
            }
            let rest = &input[i..];
            let skip_to = move |start: usize, end: &[u8]| {
                find(&rest[start..], end).map_or(input.len(), |n| i + start + n + end.len())
            };
            if rest.starts_with(b"<!--") {
                i = skip_to(4, b"-->");
            } else if rest.starts_with(b"<![CDATA[") {
                i = skip_to(9, b"]]>");
            } else if rest.starts_with(b"<?") {
                i = skip_to(2, b"?>");
            } else if rest.starts_with(b"<!") {
                // A misplaced DOCTYPE or other declaration: left to the reader, which refuses it.
                i += 2;
            } else {
                i = self.tag(i + 1)?;
            }
        }
        Ok(())
    }

    /// A start or end tag from after its `<`; returns the offset after its `>`.
    fn tag(&mut self, mut i: usize) -> Result<usize, Error> {
        let input = self.input;
        while i < input.len() {
            match input[i] {
                b'>' => return Ok(i + 1),
                q @ (b'"' | b'\'') => {
                    i += 1;
                    while i < input.len() && input[i] != q {
                        if input[i] == b'&' {
                            i = self.reference(i, Context::Attribute)?;
                        } else {
                            i += 1;
                        }
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        Ok(i)
    }

    /// A reference at `at` in the document; returns the offset after it. Character references,
    /// predefined entities and malformed references are left for the reader.
    fn reference(&mut self, at: usize, context: Context) -> Result<usize, Error> {
        let input = self.input;
        let n = name_len(&input[at + 1..]);
        if n == 0 || input.get(at + 1 + n) != Some(&b';') {
            return Ok(at + 1);
        }
        let end = at + n + 2;
        let Ok(name) = std::str::from_utf8(&input[at + 1..at + 1 + n]) else {
            return Ok(at + 1);
        };
        if PREDEFINED.contains(&name) {
            return Ok(end);
        }
        let Some(&entity) = self.by_name.get(name) else {
            return Err(self.error(
                ErrorKind::Doctype,
                at,
                format!("undefined entity &{name}; (not declared in the DOCTYPE)"),
            ));
        };
        self.out.extend_from_slice(&input[self.copied..at]);
        self.copied = end;
        self.expand(entity, at, context)?;
        Ok(end)
    }

    fn limit(&self, at: usize, what: String) -> Error {
        self.error(ErrorKind::Limit, at, what)
    }

    /// Counts one more reference at nesting `depth`.
    fn count_reference(&mut self, at: usize, depth: usize) -> Result<(), Error> {
        self.references += 1;
        if self.references > self.limits.max_references {
            return Err(self.limit(
                at,
                format!(
                    "entity expansion exceeds the limit of {} entity references \
                     (max_references)",
                    self.limits.max_references
                ),
            ));
        }
        if depth > self.limits.max_depth as usize {
            return Err(self.limit(
                at,
                format!(
                    "entity references nested deeper than the limit of {} (max_depth)",
                    self.limits.max_depth
                ),
            ));
        }
        Ok(())
    }

    fn emit(&mut self, at: usize, bytes: &[u8]) -> Result<(), Error> {
        self.bytes += bytes.len();
        if self.bytes > self.limits.max_expanded_bytes {
            return Err(self.limit(
                at,
                format!(
                    "entity expansion exceeds the limit of {} expanded bytes \
                     (max_expanded_bytes)",
                    self.limits.max_expanded_bytes
                ),
            ));
        }
        self.out.extend_from_slice(bytes);
        Ok(())
    }

    /// Writes the expansion of `entity`, referenced at `at` in the document, without recursion:
    /// a stack of (entity, offset in its replacement text).
    fn expand(&mut self, entity: usize, at: usize, context: Context) -> Result<(), Error> {
        self.count_reference(at, 1)?;
        let entities = self.entities;
        let mut stack: Vec<(usize, usize)> = vec![(entity, 0)];
        // Entities on the stack (recursion check in constant time).
        let mut active = vec![false; entities.len()];
        active[entity] = true;
        let chain = |stack: &[(usize, usize)], entities: &[Entity]| {
            stack
                .iter()
                .map(|&(e, _)| format!("&{};", entities[e].name))
                .collect::<Vec<_>>()
                .join(" → ")
        };
        while let Some(&(current, pos)) = stack.last() {
            let text = entities[current].text.as_bytes();
            if pos >= text.len() {
                active[current] = false;
                stack.pop();
                continue;
            }
            let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | b'\r');
            let run = text[pos..]
                .iter()
                .position(|&b| special(b))
                .unwrap_or(text.len() - pos);
            if run > 0 {
                self.emit(at, &text[pos..pos + run])?;
                stack.last_mut().expect("not empty").1 = pos + run;
                continue;
            }
            let name = &entities[current].name;
            let (escaped, len): (Cow<'static, [u8]>, usize) = match text[pos] {
                b'<' => {
                    return Err(self.error(
                        ErrorKind::Doctype,
                        at,
                        format!(
                            "entity '{name}' contains markup ('<' in its replacement text), \
                             which is not supported: entities may hold text and references \
                             only (expanding {})",
                            chain(&stack, entities)
                        ),
                    ))
                }
                b'>' => (Cow::Borrowed(b"&gt;"), 1),
                b'"' => (Cow::Borrowed(b"&quot;"), 1),
                b'\'' => (Cow::Borrowed(b"&apos;"), 1),
                // Only from a character reference in the declaration: a CR character in
                // content, a space in an attribute value (§3.3.3).
                b'\r' if context == Context::Content => (Cow::Borrowed(b"&#xD;"), 1),
                b'\r' => (Cow::Borrowed(b" "), 1),
                _ if text.get(pos + 1) == Some(&b'#') => match char_ref(&text[pos..]) {
                    Ok((c, n)) => (Cow::Owned(format!("&#x{:X};", c as u32).into_bytes()), n),
                    Err(m) => {
                        return Err(self.error(
                            ErrorKind::Syntax,
                            at,
                            format!(
                                "{m} in the replacement text of entity '{name}' (expanding {})",
                                chain(&stack, entities)
                            ),
                        ))
                    }
                },
                _ => {
                    let n = name_len(&text[pos + 1..]);
                    if n == 0 || text.get(pos + 1 + n) != Some(&b';') {
                        return Err(self.error(
                            ErrorKind::Syntax,
                            at,
                            format!(
                                "malformed reference in the replacement text of entity '{name}' \
                                 (expanding {})",
                                chain(&stack, entities)
                            ),
                        ));
                    }
                    let reference = &text[pos..pos + n + 2];
                    let target = &reference[1..=n];
                    if PREDEFINED.iter().any(|p| p.as_bytes() == target) {
                        (Cow::Owned(reference.to_vec()), n + 2)
                    } else {
                        let target = String::from_utf8_lossy(target);
                        let Some(&next) = self.by_name.get(target.as_ref()) else {
                            return Err(self.error(
                                ErrorKind::Doctype,
                                at,
                                format!(
                                    "undefined entity &{target}; in the replacement text of \
                                     entity '{name}' (expanding {})",
                                    chain(&stack, entities)
                                ),
                            ));
                        };
                        if active[next] {
                            return Err(self.error(
                                ErrorKind::Doctype,
                                at,
                                format!(
                                    "recursive entity: &{target}; refers to itself ({} → \
                                     &{target};)",
                                    chain(&stack, entities)
                                ),
                            ));
                        }
                        stack.last_mut().expect("not empty").1 = pos + n + 2;
                        self.count_reference(at, stack.len() + 1)?;
                        stack.push((next, 0));
                        active[next] = true;
                        continue;
                    }
                }
            };
            self.emit(at, &escaped)?;
            stack.last_mut().expect("not empty").1 = pos + len;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: &str) -> Result<String, Error> {
        expand_with(input, &EntityLimits::default())
    }

    fn expand_with(input: &str, limits: &EntityLimits) -> Result<String, Error> {
        expand_internal_entities(input.as_bytes(), limits)
            .map(|out| String::from_utf8(out.into_owned()).expect("UTF-8 output"))
    }

    fn err(input: &str) -> Error {
        expand(input).expect_err("must be refused")
    }

    #[test]
    fn no_doctype_is_borrowed() {
        for input in [
            "<a>&x;</a>",
            "<?xml version=\"1.0\"?>\n<!-- c --><?pi x?>\n<a/>",
            "\u{feff}<a/>",
            "",
            "<!-- unterminated",
            "text",
        ] {
            let out = expand_internal_entities(input.as_bytes(), &EntityLimits::default());
            assert!(matches!(out, Ok(Cow::Borrowed(_))), "{input:?}");
        }
    }

    #[test]
    fn expands_in_content_and_attributes_and_keeps_lines() {
        let input = "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n  <!ENTITY org \"Example CSIRT\">\n  <!ENTITY full 'The &org; team'>\n]>\n<a x=\"&org;\">&full;</a>";
        let out = expand(input).unwrap();
        assert_eq!(out.lines().count(), input.lines().count());
        assert!(out.ends_with("\n<a x=\"Example CSIRT\">The Example CSIRT team</a>"));
        assert!(!out.contains("DOCTYPE"));
        assert!(out.starts_with("<?xml version=\"1.0\"?>\n"));
        // The DOCTYPE's lines are blank, the root is still on line 6.
        assert_eq!(
            out.lines().nth(5).unwrap(),
            "<a x=\"Example CSIRT\">The Example CSIRT team</a>"
        );
    }

    #[test]
    fn doctype_blanked_one_space_per_character() {
        let input = "<!DOCTYPE a [<!ENTITY e \"é€\">]><a>&e;</a>";
        let out = expand(input).unwrap();
        let doctype_chars = "<!DOCTYPE a [<!ENTITY e \"é€\">]>".chars().count();
        assert_eq!(out, format!("{}<a>é€</a>", " ".repeat(doctype_chars)));
    }

    #[test]
    fn no_expansion_in_comments_pi_cdata() {
        let input =
            "<!DOCTYPE a [<!ENTITY e \"E\">]><a><!-- &e; --><?p &e;?><![CDATA[&e;]]>&e;</a>";
        let out = expand(input).unwrap();
        assert!(
            out.ends_with("<a><!-- &e; --><?p &e;?><![CDATA[&e;]]>E</a>"),
            "{out}"
        );
    }

    #[test]
    fn predefined_and_char_refs_left_for_the_reader() {
        let input = "<!DOCTYPE a [<!ENTITY lt \"ignored\">]><a b='&lt;&#65;'>&amp;&#x42;&gt;</a>";
        let out = expand(input).unwrap();
        assert!(
            out.ends_with("<a b='&lt;&#65;'>&amp;&#x42;&gt;</a>"),
            "{out}"
        );
    }

    /// XML 1.0 appendix D and §4.5: character references are replaced at declaration time, so
    /// `&#38;#38;` is `&#38;` in the replacement text and `&` in the data.
    #[test]
    fn appendix_d_escaping() {
        let input = r#"<!DOCTYPE a [<!ENTITY x "An ampersand (&#38;#38;) or (&#38;amp;), lt &#38;#60;, quote &#34;, tick &#39;, gt &#62;">]><a t="&x;">&x;</a>"#;
        let out = expand(input).unwrap();
        let expected =
            "An ampersand (&#x26;) or (&amp;), lt &#x3C;, quote &quot;, tick &apos;, gt &gt;";
        assert!(
            out.ends_with(&format!("<a t=\"{expected}\">{expected}</a>")),
            "{out}"
        );
    }

    #[test]
    fn entity_value_with_amp_is_data_not_markup() {
        // `&#38;lt;` in the value: `&lt;` in the replacement text, `<` as data.
        let out = expand("<!DOCTYPE a [<!ENTITY e \"&#38;lt;b/>\">]><a>&e;</a>").unwrap();
        assert!(out.ends_with("<a>&lt;b/&gt;</a>"), "{out}");
        // A bare `&#38;` in the replacement text is not a reference: malformed.
        let e = err("<!DOCTYPE a [<!ENTITY e \"&#38;\">]><a>&e;</a>");
        assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
        assert!(e.message.contains("malformed reference"), "{e}");
    }

    #[test]
    fn whitespace_char_refs() {
        // Literal newline and &#10; in the value are both newlines in the replacement text;
        // a &#13; is a CR: kept as a reference in content, a space in attributes.
        let out =
            expand("<!DOCTYPE a [<!ENTITY e \"x&#13;y&#38;#10;z\">]><a b=\"&e;\">&e;</a>").unwrap();
        assert!(
            out.ends_with("<a b=\"x y&#xA;z\">x&#xD;y&#xA;z</a>"),
            "{out}"
        );
        // CR LF in a literal value is a line feed.
        let out = expand("<!DOCTYPE a [<!ENTITY e \"x\r\ny\">]><a>&e;</a>").unwrap();
        assert!(out.ends_with("<a>x\ny</a>"), "{out:?}");
    }

    #[test]
    fn markup_in_replacement_text_is_refused() {
        let e = err("<!DOCTYPE a [<!ENTITY e \"<b/>\">]>\n<a>&e;</a>");
        assert_eq!(e.kind, ErrorKind::Doctype);
        assert!(e.message.contains("markup"), "{e}");
        assert_eq!((e.line, e.column), (2, 4));
        assert_eq!(e.path, "/a");
        let e = err("<!DOCTYPE a [<!ENTITY e \"&#60;b/>\">]><a>&e;</a>");
        assert!(e.message.contains("markup"), "{e}");
        // Declared and unused: fine.
        assert!(expand("<!DOCTYPE a [<!ENTITY e \"<b/>\">]><a/>").is_ok());
    }

    #[test]
    fn refusals_name_the_construct_and_position() {
        let cases: &[(&str, ErrorKind, &str, (u64, u64))] = &[
            (
                "<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>",
                ErrorKind::Doctype,
                "external DTD subset (SYSTEM)",
                (1, 13),
            ),
            (
                "<!DOCTYPE a PUBLIC \"-//x//EN\" \"a.dtd\" [<!ENTITY e \"x\">]><a/>",
                ErrorKind::Doctype,
                "external DTD subset (PUBLIC)",
                (1, 13),
            ),
            (
                "<!DOCTYPE a [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><a>&xxe;</a>",
                ErrorKind::Doctype,
                "external entity 'xxe' (SYSTEM)",
                (2, 1),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x PUBLIC \"-//x//EN\" \"http://x/\">]><a/>",
                ErrorKind::Doctype,
                "external entity 'x' (PUBLIC)",
                (1, 14),
            ),
            (
                "<!DOCTYPE a [<!NOTATION n SYSTEM \"n\"><!ENTITY x SYSTEM \"x.gif\" NDATA n>]><a/>",
                ErrorKind::Doctype,
                "unparsed external entity (NDATA) 'x'",
                (1, 38),
            ),
            (
                "<!DOCTYPE a [<!ENTITY % p \"<!ENTITY x 'y'>\"> %p;]><a/>",
                ErrorKind::Doctype,
                "parameter entity declarations",
                (1, 14),
            ),
            (
                "<!DOCTYPE a [%p;]><a/>",
                ErrorKind::Doctype,
                "parameter entity references",
                (1, 14),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x \"%p;\">]><a/>",
                ErrorKind::Doctype,
                "parameter entity reference in the value of entity 'x'",
                (1, 26),
            ),
            (
                "<!DOCTYPE a [<!ATTLIST a b CDATA \"c\">]><a/>",
                ErrorKind::Doctype,
                "<!ATTLIST>",
                (1, 14),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x \"y\">]>\n<a>\n  &z;</a>",
                ErrorKind::Doctype,
                "undefined entity &z;",
                (3, 3),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x \"&z;\">]><a>&x;</a>",
                ErrorKind::Doctype,
                "undefined entity &z; in the replacement text of entity 'x'",
                (1, 36),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x \"&y;\"><!ENTITY y \"1&x;\">]><a>&x;</a>",
                ErrorKind::Doctype,
                "recursive entity: &x; refers to itself (&x; → &y; → &x;)",
                (1, 54),
            ),
            (
                "<!DOCTYPE a [<!ENTITY x \"&x;\">]><a b='&x;'/>",
                ErrorKind::Doctype,
                "recursive entity",
                (1, 39),
            ),
        ];
        for (input, kind, message, position) in cases {
            let e = err(input);
            assert_eq!(&e.kind, kind, "{input}: {e}");
            assert!(e.message.contains(message), "{input}: {e}");
            assert_eq!((e.line, e.column), *position, "{input}: {e}");
            assert!(e.path.starts_with('/'), "{input}: {e}");
        }
    }

    #[test]
    fn ignored_declarations() {
        let out = expand(
            "<!DOCTYPE a [\n<!-- a > ] comment -->\n<?pi ] > ?>\n<!ELEMENT a (#PCDATA)>\n<!NOTATION n PUBLIC \"x > ]\">\n<!ENTITY e 'v>]'>\n]>\n<a>&e;</a>",
        )
        .unwrap();
        assert!(out.ends_with("\n<a>v&gt;]</a>"), "{out}");
        assert_eq!(out.lines().count(), 8);
        // No internal subset at all.
        let out = expand("<!DOCTYPE a><a/>").unwrap();
        assert_eq!(out, "            <a/>");
        // First declaration wins.
        let out = expand("<!DOCTYPE a [<!ENTITY e '1'><!ENTITY e '2'>]><a>&e;</a>").unwrap();
        assert!(out.ends_with("<a>1</a>"));
    }

    #[test]
    fn malformed_doctypes_are_errors_not_panics() {
        let inputs: &[&[u8]] = &[
            b"<!DOCTYPE",
            b"<!DOCTYPE ",
            b"<!DOCTYPEa>",
            b"<!DOCTYPE a",
            b"<!DOCTYPE a [",
            b"<!DOCTYPE a [ <!ENTITY",
            b"<!DOCTYPE a [ <!ENTITY e",
            b"<!DOCTYPE a [ <!ENTITY e ",
            b"<!DOCTYPE a [ <!ENTITY e \"x",
            b"<!DOCTYPE a [ <!ENTITY e \"x\"",
            b"<!DOCTYPE a [ <!ENTITY e x>]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"x' >]><a/>",
            b"<!DOCTYPE a [ <!ENTITY \"x\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITYe \"x\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"x\" junk>]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"\xff\xfe\">]><a>&e;</a>",
            b"<!DOCTYPE \xff [ ]><a/>",
            b"<!DOCTYPE a [ <!ENTITY \xff \"x\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#0;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#xD800;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#x110000;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#99999999999999999999;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#xZ;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#;\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&#65\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&x\">]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"&\">]><a/>",
            b"<!DOCTYPE a [ <!-- ]><a/>",
            b"<!DOCTYPE a [ <? ]><a/>",
            b"<!DOCTYPE a [ <!ELEMENT a (b) ]><a/>",
            b"<!DOCTYPE a [ <!NOTATION n \"x ]><a/>",
            b"<!DOCTYPE a [ junk ]><a/>",
            b"<!DOCTYPE a [ ] junk><a/>",
            b"<!DOCTYPE a [ ]",
            b"<!DOCTYPE a [ <!-- \x00 --> ]><a/>",
            b"<!DOCTYPE a [ <!-- \xff --> ]><a/>",
            b"<!DOCTYPE a [ <!ENTITY e \"\xef\xbf\xbf\">]><a/>",
        ];
        for input in inputs {
            let r = expand_internal_entities(input, &EntityLimits::default());
            let e = r.expect_err(&String::from_utf8_lossy(input));
            assert!(
                matches!(e.kind, ErrorKind::Syntax | ErrorKind::Doctype),
                "{}: {e}",
                String::from_utf8_lossy(input)
            );
            assert!(e.line >= 1 && e.column >= 1, "{e}");
        }
        // Malformed references in the body are left to the reader.
        let out = expand("<!DOCTYPE a [<!ENTITY e 'v'>]><a>& &e &#; &-;&e;</a>").unwrap();
        assert!(out.ends_with("<a>& &e &#; &-;v</a>"), "{out}");
        let e = err("<!DOCTYPE a [<!ENTITY e 'v'>]><a>&\u{e9};</a>");
        assert!(e.message.contains("undefined entity &\u{e9};"), "{e}");
        // Truncated body: no panic.
        for input in [
            "<!DOCTYPE a [<!ENTITY e 'v'>]><a b=\"&e;",
            "<!DOCTYPE a []><a><!--",
            "<!DOCTYPE a []><a><![CDATA[",
            "<!DOCTYPE a []><",
            "<!DOCTYPE a [<!ENTITY e 'v'>]>&e",
        ] {
            let _ = expand(input);
        }
    }

    /// Every prefix of a document with a DOCTYPE: an error or an output, never a panic.
    #[test]
    fn every_prefix_is_handled() {
        let input = "\u{feff}<?xml version=\"1.0\"?><!-- c --><!DOCTYPE a [ <!ENTITY e \"&#38;amp;&f;é\"> <!ENTITY f 'F'> <!ELEMENT a ANY> ]>\n<a b='&e;' c=\"&f;\">&e;<![CDATA[&e;]]></a>";
        let bytes = input.as_bytes();
        for n in 0..=bytes.len() {
            let _ = expand_internal_entities(&bytes[..n], &EntityLimits::default());
        }
        let out = expand(input).unwrap();
        assert!(
            out.ends_with("<a b='&amp;Fé' c=\"F\">&amp;Fé<![CDATA[&e;]]></a>"),
            "{out}"
        );
    }

    fn laughs(levels: usize, fanout: usize) -> String {
        let mut doc = String::from("<!DOCTYPE a [\n<!ENTITY l0 \"lol\">\n");
        for i in 1..=levels {
            doc.push_str(&format!(
                "<!ENTITY l{i} \"{}\">\n",
                format!("&l{};", i - 1).repeat(fanout)
            ));
        }
        doc.push_str(&format!("]>\n<a>&l{levels};</a>"));
        doc
    }

    #[test]
    fn billion_laughs_hits_a_limit() {
        let start = std::time::Instant::now();
        // 10 levels: nested deeper than 8.
        let e = err(&laughs(10, 10));
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("max_depth"), "{e}");
        assert_eq!((e.line, e.column), (14, 4));
        // 5 levels of 10: 111,111 references.
        let e = err(&laughs(5, 10));
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(
            e.message.contains("limit of 10000 entity references"),
            "{e}"
        );
        // Fewer references, more bytes: a 100 KB entity used 20 times.
        let doc = format!(
            "<!DOCTYPE a [<!ENTITY big \"{}\">]><a>{}</a>",
            "x".repeat(100_000),
            "&big;".repeat(20)
        );
        let e = err(&doc);
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("limit of 1048576 expanded bytes"), "{e}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        // Within the limits, it is expanded.
        let out = expand(&laughs(3, 10)).unwrap();
        assert_eq!(out.matches("lol").count(), 1000);
        // Lowered limits.
        let limits = EntityLimits {
            max_entities: 2,
            ..EntityLimits::default()
        };
        let e = expand_with(&laughs(3, 1), &limits).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.contains("more than 2 entity declarations"), "{e}");
        assert_eq!(e.line, 4);
        let limits = EntityLimits {
            max_depth: 0,
            ..EntityLimits::default()
        };
        let e = expand_with("<!DOCTYPE a [<!ENTITY e 'v'>]><a>&e;</a>", &limits).unwrap_err();
        assert!(e.message.contains("limit of 0 (max_depth)"), "{e}");
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 100_000;
        let mut doc = String::from("<!DOCTYPE a [<!ENTITY e0 'x'>");
        for i in 1..n {
            doc.push_str(&format!("<!ENTITY e{i} '&e{};'>", i - 1));
        }
        doc.push_str(&format!("]><a>&e{};</a>", n - 1));
        let limits = EntityLimits {
            max_entities: usize::MAX,
            max_depth: u32::MAX,
            max_references: usize::MAX,
            max_expanded_bytes: usize::MAX,
        };
        let out = expand_with(&doc, &limits).unwrap();
        assert!(out.ends_with("<a>x</a>"));
    }

    #[test]
    fn output_reads_like_the_spec_says() {
        use crate::XmlReader;
        let input = r#"<!DOCTYPE a [<!ENTITY x "1 &#38;#38; 2 &#38;lt; 3 &#34;&#39; 4&#38;#10;5 6&#13;7">]><a t="&x;">&x;</a>"#;
        let out = expand(input).unwrap();
        let mut r = XmlReader::new(out.as_bytes());
        let root = r.root().unwrap();
        let attrs = r.attributes(&root).unwrap();
        assert_eq!(attrs[0].value, "1 & 2 < 3 \"' 4\n5 6 7");
        assert_eq!(r.read_text(&root).unwrap(), "1 & 2 < 3 \"' 4\n5 6\r7");
    }
}
