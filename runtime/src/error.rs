//! The error type of parsing: what went wrong, where (line:column) and in which element (path).

use std::fmt;

/// What kind of problem an [`Error`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed XML (quick-xml error), truncated input, mismatched tags, invalid UTF-8, empty input,
    /// undefined entity, unbound namespace prefix, nesting too deep.
    Syntax,
    /// The document's character encoding is unknown or unsupported (UTF-32, EBCDIC), its bytes
    /// are invalid in it, or its XML declaration contradicts its bytes (byte-order mark,
    /// UTF-16 or not); see `rt::encoding`. (Invalid UTF-8 in a UTF-8 document is
    /// [`ErrorKind::Syntax`].)
    Encoding,
    /// A DOCTYPE declaration was found; DTDs are refused for untrusted input.
    Doctype,
    /// An element that is not allowed at this place (wrong name or namespace, or one too many).
    UnexpectedElement,
    /// A required child element is missing.
    MissingElement,
    /// An attribute that is not allowed on this element.
    UnexpectedAttribute,
    /// A required attribute is missing.
    MissingAttribute,
    /// Non-whitespace text in element-only content.
    UnexpectedText,
    /// A simple value (enumeration, dateTime, integer, ...) does not parse.
    InvalidValue,
    /// Reading the input failed.
    Io,
    /// A resource limit was exceeded (element count, tag or text size; see `rt::Limits`).
    Limit,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Doctype => "DOCTYPE refused",
            ErrorKind::Encoding => "character encoding error",
            ErrorKind::Limit => "limit exceeded",
            ErrorKind::UnexpectedElement => "unexpected element",
            ErrorKind::MissingElement => "missing element",
            ErrorKind::UnexpectedAttribute => "unexpected attribute",
            ErrorKind::MissingAttribute => "missing attribute",
            ErrorKind::UnexpectedText => "unexpected text",
            ErrorKind::InvalidValue => "invalid value",
            ErrorKind::Io => "I/O error",
        })
    }
}

/// A parse error with its position.
///
/// `path` names the element the error is in, by local names, every step after the root with
/// its 1-based index among same-named siblings: `/IODEF-Document/Incident[2]/Assessment[1]/Impact[1]`.
/// `line` and `column` are 1-based; the column counts characters. Both are 0 for errors that have
/// no position in the input (I/O errors).
///
/// `Display` and `Debug` both print `LINE:COL: PATH: message`, so that `?` in a
/// `fn main() -> Result<(), iodef::Error>` (which prints the `Debug` form) shows the readable
/// line; the alternate form (`{:#?}`) prints the fields, kind included.
#[derive(Clone, thiserror::Error, PartialEq, Eq)]
#[error("{line}:{column}: {path}: {message}")]
pub struct Error {
    /// The kind of problem.
    pub kind: ErrorKind,
    /// A plain-language description.
    pub message: String,
    /// The element path, e.g. `/IODEF-Document/Incident[2]/Contact[1]`.
    pub path: String,
    /// 1-based line number.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.debug_struct("Error")
                .field("kind", &self.kind)
                .field("message", &self.message)
                .field("path", &self.path)
                .field("line", &self.line)
                .field("column", &self.column)
                .finish()
        } else {
            fmt::Display::fmt(self, f)
        }
    }
}

impl Error {
    /// An error without position (line and column 0, empty path).
    pub fn without_position(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            path: String::new(),
            line: 0,
            column: 0,
        }
    }

    /// An [`ErrorKind::Io`] error.
    pub fn io(err: &std::io::Error) -> Self {
        Error::without_position(ErrorKind::Io, err.to_string())
    }
}
