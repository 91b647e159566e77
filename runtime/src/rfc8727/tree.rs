//! The RFC 8727 data model as a value tree: what JSON and CBOR share. Members are named as in
//! Table 4 (`keys`): JSON writes the names, CBOR their integer keys.

use std::fmt::Write as _;

use base64::Engine as _;

use super::{keys, DecodeError};

/// A value of the RFC 8727 data model (Section 3, Table 2).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// BOOLEAN.
    Bool(bool),
    /// INTEGER.
    Int(i128),
    /// REAL from `xs:float` (CBOR `float32`).
    Float32(f32),
    /// REAL from `xs:double` / `xs:decimal`.
    Float(f64),
    /// STRING and ENUM.
    Text(String),
    /// BYTE: base64 in JSON, a byte string tagged 22 (`eb64legacy`) in CBOR.
    Bytes(Vec<u8>),
    /// DATETIME: a string in JSON, tag 0 in CBOR.
    Date(String),
    /// URI (`URLtype`): a string in JSON, tag 32 in CBOR.
    Uri(String),
    /// A repeatable member's values.
    Array(Vec<Tree>),
    /// A class: its members in order, named as in Table 4.
    Map(Vec<(&'static str, Tree)>),
}

impl Tree {
    /// A member of a map.
    pub fn get(&self, name: &str) -> Option<&Tree> {
        match self {
            Tree::Map(members) => members.iter().find(|(k, _)| *k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// What this value is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Tree::Bool(_) => "a boolean",
            Tree::Int(_) => "an integer",
            Tree::Float32(_) | Tree::Float(_) => "a number",
            Tree::Text(_) => "a string",
            Tree::Bytes(_) => "a byte string",
            Tree::Date(_) => "a date-time",
            Tree::Uri(_) => "a URI",
            Tree::Array(_) => "an array",
            Tree::Map(_) => "an object",
        }
    }

    // -----------------------------------------------------------------------------------------
    // JSON

    /// The JSON text (compact, or indented by two spaces).
    pub fn to_json_string(&self, pretty: bool) -> String {
        let mut out = String::new();
        self.write_json(&mut out, pretty.then_some(0));
        out
    }

    fn write_json(&self, out: &mut String, indent: Option<usize>) {
        match self {
            Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Tree::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Tree::Float32(f) => write_json_number(out, f64::from(*f), Some(*f)),
            Tree::Float(f) => write_json_number(out, *f, None),
            Tree::Text(s) | Tree::Date(s) | Tree::Uri(s) => write_json_string(out, s),
            Tree::Bytes(b) => {
                write_json_string(out, &base64::engine::general_purpose::STANDARD.encode(b))
            }
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|n| n + 1));
                    item.write_json(out, indent.map(|n| n + 1));
                }
                if !items.is_empty() {
                    newline(out, indent);
                }
                out.push(']');
            }
            Tree::Map(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|n| n + 1));
                    write_json_string(out, name);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write_json(out, indent.map(|n| n + 1));
                }
                if !members.is_empty() {
                    newline(out, indent);
                }
                out.push('}');
            }
        }
    }

    /// Reads a JSON text. Member names must be RFC 8727 names, once per object; numbers keep
    /// their kind (integer or not); strings stay strings (the decoder converts them where the
    /// target is a date, URI or bytes). Errors carry serde_json's line and column.
    pub fn from_json_str(text: &str) -> Result<Tree, DecodeError> {
        serde_json::from_str(text).map_err(|e| DecodeError {
            pointer: String::new(),
            message: format!("not RFC 8727 JSON: {e}"),
        })
    }

    // -----------------------------------------------------------------------------------------
    // CBOR

    /// The CBOR encoding: integer map keys (Table 4), definite lengths, shortest integer heads,
    /// `float32` for `xs:float` values (as the CDDL says), tags 0 (dates), 32 (URIs) and 22
    /// (bytes), members in the order of the XML.
    pub fn to_cbor(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_cbor(&mut out);
        out
    }

    fn write_cbor(&self, out: &mut Vec<u8>) {
        match self {
            Tree::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
            Tree::Int(i) => write_cbor_int(out, *i),
            Tree::Float32(f) => {
                out.push(0xfa);
                out.extend_from_slice(&f.to_be_bytes());
            }
            Tree::Float(f) => {
                out.push(0xfb);
                out.extend_from_slice(&f.to_be_bytes());
            }
            Tree::Text(s) => cbor_text(out, s),
            Tree::Date(s) => {
                cbor_head(out, 6, 0);
                cbor_text(out, s);
            }
            Tree::Uri(s) => {
                cbor_head(out, 6, 32);
                cbor_text(out, s);
            }
            Tree::Bytes(b) => {
                cbor_head(out, 6, 22);
                cbor_head(out, 2, b.len() as u64);
                out.extend_from_slice(b);
            }
            Tree::Array(items) => {
                cbor_head(out, 4, items.len() as u64);
                items.iter().for_each(|item| item.write_cbor(out));
            }
            Tree::Map(members) => {
                cbor_head(out, 5, members.len() as u64);
                for (name, value) in members {
                    // The encoder only names Table 4 members (checked when it adds them).
                    write_cbor_int(out, i128::from(keys::cbor_key(name).unwrap_or(i32::MIN)));
                    value.write_cbor(out);
                }
            }
        }
    }

    /// Reads CBOR (one data item, nothing after it). Map keys are Table 4 integers (member
    /// names as text are accepted too); dates tagged 0 or untagged (the RFC's own figures are
    /// untagged), byte strings with or without tag 22.
    pub fn from_cbor_slice(bytes: &[u8]) -> Result<Tree, DecodeError> {
        let mut reader = bytes;
        let tree: Tree = ciborium::from_reader(&mut reader).map_err(|e| DecodeError {
            pointer: String::new(),
            message: format!("not RFC 8727 CBOR: {e}"),
        })?;
        if !reader.is_empty() {
            return Err(DecodeError {
                pointer: String::new(),
                message: format!("{} bytes after the CBOR data item", reader.len()),
            });
        }
        Ok(tree)
    }
}

/// Runs `f` with `step` appended to the JSON pointer `pointer`.
pub(crate) fn with_step<T>(
    pointer: &mut String,
    step: &str,
    f: impl FnOnce(&mut String) -> T,
) -> T {
    let len = pointer.len();
    pointer.push('/');
    for c in step.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    let out = f(pointer);
    pointer.truncate(len);
    out
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(n) = indent {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", n));
    }
}

fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs of characters that need no escape are copied at once.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// A finite number in JSON (the encoder reports infinities and NaN, which JSON cannot hold,
/// and writes them as strings instead).
fn write_json_number(out: &mut String, f: f64, single: Option<f32>) {
    match single {
        // Shortest text that reads back as the same f32: "0.85", not "0.8500000238418579".
        Some(s) if s.fract() == 0.0 && s.abs() < 1e15 => {
            let _ = write!(out, "{s:.1}");
        }
        Some(s) => {
            let _ = write!(out, "{s}");
        }
        None if f.fract() == 0.0 && f.abs() < 1e15 => {
            let _ = write!(out, "{f:.1}");
        }
        None => {
            let _ = write!(out, "{f}");
        }
    }
}

fn cbor_head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend_from_slice(&[m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }
}

fn cbor_text(out: &mut Vec<u8>, s: &str) {
    cbor_head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// An integer: major type 0/1, or a bignum (tags 2/3) beyond 64 bits.
fn write_cbor_int(out: &mut Vec<u8>, i: i128) {
    if let Ok(u) = u64::try_from(i) {
        cbor_head(out, 0, u);
    } else if let Ok(n) = u64::try_from(-1 - i) {
        cbor_head(out, 1, n);
    } else {
        let (tag, magnitude) = if i >= 0 {
            (2, i as u128)
        } else {
            (3, (-1 - i) as u128)
        };
        let bytes = magnitude.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        cbor_head(out, 6, tag);
        cbor_head(out, 2, (16 - skip) as u64);
        out.extend_from_slice(&bytes[skip..]);
    }
}
