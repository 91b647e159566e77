//! `iodef validate`: one engine ([`validate_file`] / [`validate_bytes`]) that reads a document
//! the way [`iodef::read`] does (any root element of the generated namespaces) and returns its
//! findings, and two thin formatters over it ([`write_text`], [`write_json`]).
//!
//! Schema validation ([`iodef::rt::validate`]) checks well-formedness, element order,
//! cardinality, namespaces, attributes, enumerations, typed and fixed values, facets and
//! `xs:ID`/`xs:IDREF`, and enforces the untrusted-input limits (no DOCTYPE, nesting depth,
//! element count, tag and text size). It collects every error of a file (a well-formedness
//! error or a limit ends the file). Schema-valid files are then checked against the RFC prose
//! rules.

use std::io::{self, Read, Write};

use iodef::{Document, Error, ErrorKind};
use serde::Serialize;

/// Name used for standard input in findings.
pub const STDIN_NAME: &str = "<stdin>";

/// How documents are read: the reading options (limits, nesting depth, and the policy:
/// `--lenient` makes unknown content a warning of kind `unknown_content`), and entity expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// What [`iodef::read_with`] takes; the default is exactly what [`iodef::read`] uses.
    pub read: iodef::ReadOptions,
    /// Expand internal DOCTYPE entities within these limits before reading
    /// (`--expand-entities`); `None`: a DOCTYPE is refused.
    pub expand_entities: Option<iodef::rt::EntityLimits>,
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document is not valid (an XSD or MUST-level violation).
    Error,
    /// A SHOULD-level finding: reported, the document stays valid.
    Warning,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The `rule` of findings from schema validation (the other rules cite their RFC section).
pub const SCHEMA_RULE: &str = "XSD";

/// One problem found in one file. Serialised as one JSON object (fields in this order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The file as named on the command line (`<stdin>` for `-`).
    pub file: String,
    /// 1-based line; 0 when the problem has no position (the file could not be read).
    pub line: u64,
    /// 1-based column in characters; 0 when the problem has no position.
    pub column: u64,
    /// `error` or `warning`.
    pub severity: Severity,
    /// What was broken: `XSD` for schema validation, else the RFC section (`RFC 7970 §5.1.1`).
    pub rule: String,
    /// Element path, e.g. `/IODEF-Document/Incident[1]/Contact[2]` (`/` before the root
    /// element; empty when the file could not be read).
    pub path: String,
    /// Machine-readable kind: `syntax`, `doctype`, `limit`, `unexpected_element`,
    /// `missing_element`, `unexpected_attribute`, `missing_attribute`, `unexpected_text`,
    /// `invalid_value`, `io`.
    pub kind: String,
    /// Plain-language description.
    pub message: String,
}

impl Finding {
    fn from_error(file: &str, e: &Error) -> Self {
        Finding {
            file: file.to_string(),
            line: e.line,
            column: e.column,
            severity: Severity::Error,
            rule: SCHEMA_RULE.to_string(),
            path: e.path.clone(),
            kind: kind_name(&e.kind),
            message: e.message.clone(),
        }
    }

    fn unreadable(file: &str, e: &io::Error) -> Self {
        Finding {
            file: file.to_string(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            rule: SCHEMA_RULE.to_string(),
            path: String::new(),
            kind: "io".to_string(),
            message: format!("cannot read: {e}"),
        }
    }
}

/// The stable, machine-readable name of an error kind.
pub fn kind_name(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::Syntax => "syntax",
        ErrorKind::Doctype => "doctype",
        ErrorKind::Encoding => "encoding",
        ErrorKind::UnexpectedElement => "unexpected_element",
        ErrorKind::MissingElement => "missing_element",
        ErrorKind::UnexpectedAttribute => "unexpected_attribute",
        ErrorKind::MissingAttribute => "missing_attribute",
        ErrorKind::UnexpectedText => "unexpected_text",
        ErrorKind::InvalidValue => "invalid_value",
        ErrorKind::Io => "io",
        ErrorKind::Limit => "limit",
        // A kind added to the runtime later: its display text, spaces as underscores.
        other => return other.to_string().replace(' ', "_"),
    }
    .to_string()
}

/// The result of validating one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The file as named on the command line (`<stdin>` for `-`).
    pub file: String,
    /// The root element in Clark notation (`{namespace}local`) when the file is schema-valid.
    pub root: Option<String>,
    /// What is wrong: a schema error, or the prose-rule findings of a schema-valid document.
    pub findings: Vec<Finding>,
}

impl FileReport {
    /// Schema-valid and no error-level prose finding (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.schema_valid() && self.findings.iter().all(|f| f.severity != Severity::Error)
    }

    /// The schema part of the verdict (what an XSD validator decides).
    pub fn schema_valid(&self) -> bool {
        self.root.is_some()
    }
}

fn prose_finding(file: &str, f: iodef::rules::Finding) -> Finding {
    Finding {
        file: file.to_string(),
        line: f.line,
        column: f.column,
        severity: match f.severity {
            iodef::rules::Severity::Error => Severity::Error,
            iodef::rules::Severity::Warning => Severity::Warning,
        },
        rule: f.rule.to_string(),
        path: f.path,
        kind: "rule".to_string(),
        message: f.message,
    }
}

/// Reads and validates `file` (`-`: standard input). A file that cannot be read is reported
/// as a finding of kind `io`, like any other reason the file is not a valid document.
pub fn validate_file(file: &str, options: &Options) -> FileReport {
    let (name, read) = if file == "-" {
        let mut bytes = Vec::new();
        let read = io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes);
        (STDIN_NAME, read)
    } else {
        (file, std::fs::read(file))
    };
    match read {
        Ok(bytes) => validate_bytes(name, &bytes, options),
        Err(e) => FileReport {
            file: name.to_string(),
            root: None,
            findings: vec![Finding::unreadable(name, &e)],
        },
    }
}

/// Validates `input` as a document with any root element of the generated namespaces, with the
/// reader limits of `options`; `name` is used in the findings.
///
/// Schema validation ([`iodef::rt::validate`]) collects every error. A schema-valid document is
/// then read with the typed reader ([`iodef::read`]'s engine, same limits) — so that "valid"
/// always means "readable" — and checked against the RFC prose rules ([`iodef::rules`]).
pub fn validate_bytes(name: &str, input: &[u8], options: &Options) -> FileReport {
    // `--expand-entities`: the expanded document is what is read and checked.
    let entity_limits = options.expand_entities.as_ref();
    let expanded = crate::entities::expand(input, entity_limits);
    let input: &[u8] = match &expanded {
        Ok(expanded) => expanded,
        Err(e) => {
            return FileReport {
                file: name.to_string(),
                root: None,
                findings: vec![Finding::from_error(name, e)],
            }
        }
    };
    let schema = iodef::rt::validate::validate_with(
        input,
        &iodef::rt::validate::Options {
            read: options.read,
            ..Default::default()
        },
    );
    // Lenient: unknown content, kept aside by the reader, is a warning.
    let mut findings: Vec<Finding> = schema
        .warnings
        .iter()
        .map(|e| Finding {
            severity: Severity::Warning,
            kind: "unknown_content".to_string(),
            ..Finding::from_error(name, e)
        })
        .collect();
    if !schema.is_valid() {
        findings.extend(
            schema
                .errors
                .into_iter()
                .map(|e| Finding::from_error(name, &crate::entities::hint(e, entity_limits))),
        );
        findings.sort_by_key(|f| (f.line, f.column));
        return FileReport {
            file: name.to_string(),
            root: None,
            findings,
        };
    }
    match Document::<iodef::bindings::Root>::from_slice_with(input, &options.read) {
        Ok(doc) => FileReport {
            file: name.to_string(),
            root: Some(format!(
                "{{{}}}{}",
                doc.root.namespace(),
                doc.root.local_name()
            )),
            findings: findings
                .into_iter()
                .chain(
                    iodef::rules::check(input)
                        .into_iter()
                        .map(|f| prose_finding(name, f)),
                )
                .collect(),
        },
        // The validator and the typed reader disagree: report what stops reading.
        Err(e) => FileReport {
            file: name.to_string(),
            root: None,
            findings: vec![Finding::from_error(
                name,
                &crate::entities::hint(e, entity_limits),
            )],
        },
    }
}

/// One text line per finding: `FILE:LINE:COL: error: PATH: message` (`FILE: error: message`
/// for a file that could not be read). A valid file prints nothing, or `FILE: valid (ROOT)`
/// when `verbose`.
pub fn write_text(out: &mut impl Write, report: &FileReport, verbose: bool) -> io::Result<()> {
    for f in &report.findings {
        write!(out, "{}", f.file)?;
        if f.line > 0 {
            write!(out, ":{}:{}", f.line, f.column)?;
        }
        write!(out, ": {}: ", f.severity.as_str())?;
        if !f.path.is_empty() {
            write!(out, "{}: ", f.path)?;
        }
        if f.rule == SCHEMA_RULE {
            writeln!(out, "{}", f.message)?;
        } else {
            writeln!(out, "{} ({})", f.message, f.rule)?;
        }
    }
    if verbose && report.is_valid() {
        let root = report.root.as_deref().unwrap_or("?");
        writeln!(out, "{}: valid ({root})", report.file)?;
    }
    Ok(())
}

/// JSON lines: one object per finding
/// (`{"file","line","column","severity","rule","path","kind","message"}`), and one
/// `{"file","valid","schema_valid":true,"root":"{ns}local"}` per schema-valid file (`valid` is
/// false when a prose rule is broken), so that every file appears.
pub fn write_json(out: &mut impl Write, report: &FileReport) -> io::Result<()> {
    #[derive(Serialize)]
    struct Valid<'r> {
        file: &'r str,
        valid: bool,
        schema_valid: bool,
        root: &'r str,
    }
    for f in &report.findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    if report.schema_valid() {
        let valid = Valid {
            file: &report.file,
            valid: report.is_valid(),
            schema_valid: true,
            root: report.root.as_deref().unwrap_or(""),
        };
        serde_json::to_writer(&mut *out, &valid)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use iodef::rt::Limits;

    // RFC 7970 §4.1, §4.2 and §6 ask for the XML declaration, xsi:schemaLocation and xml:lang.
    const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"><Email><EmailTo>csirt@example.com</EmailTo></Email></Contact>
  </Incident>
</IODEF-Document>"#;

    fn text(report: &FileReport, verbose: bool) -> String {
        let mut out = Vec::new();
        write_text(&mut out, report, verbose).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn json(report: &FileReport) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        write_json(&mut out, report).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn valid_document() {
        let report = validate_bytes("a.xml", MINIMAL.as_bytes(), &Options::default());
        assert!(report.is_valid());
        assert_eq!(
            report.root.as_deref(),
            Some("{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document")
        );
        assert_eq!(text(&report, false), "");
        assert_eq!(
            text(&report, true),
            "a.xml: valid ({urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document)\n"
        );
        let lines = json(&report);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0],
            serde_json::json!({"file": "a.xml", "valid": true, "schema_valid": true,
                "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document"})
        );
    }

    #[test]
    fn prose_rule_breaks_make_a_schema_valid_document_invalid() {
        let input = MINIMAL.replace(
            r#"purpose="reporting""#,
            r#"purpose="reporting" ext-purpose="x""#,
        );
        let report = validate_bytes("c.xml", input.as_bytes(), &Options::default());
        assert!(report.schema_valid() && !report.is_valid());
        assert_eq!(
            text(&report, false),
            "c.xml:5:3: error: /IODEF-Document/Incident[1]: attribute ext-purpose is only \
             allowed when purpose=\"ext-value\" (RFC 7970 §5.1.1)\n"
        );
        let lines = json(&report);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["rule"], "RFC 7970 §5.1.1");
        assert_eq!(lines[0]["kind"], "rule");
        assert_eq!(lines[1]["valid"], false);
        assert_eq!(lines[1]["schema_valid"], true);
    }

    #[test]
    fn same_verdict_as_iodef_read() {
        let broken = MINIMAL.replace(r#" role="creator""#, "");
        for input in [MINIMAL, &broken, "", "<a"] {
            let report = validate_bytes("x", input.as_bytes(), &Options::default());
            match iodef::read(input.as_bytes()) {
                Ok(_) => assert!(report.is_valid()),
                Err(e) => {
                    assert!(!report.is_valid());
                    assert!(report.findings.iter().any(|f| f.path == e.path), "{e}");
                }
            }
        }
    }

    #[test]
    fn invalid_document() {
        let input = MINIMAL.replace(r#" role="creator""#, "");
        let report = validate_bytes("b.xml", input.as_bytes(), &Options::default());
        assert!(!report.is_valid() && report.root.is_none());
        assert_eq!(
            text(&report, true),
            "b.xml:8:5: error: /IODEF-Document/Incident[1]/Contact[1]: \
             missing required attribute role on Contact\n"
        );
        let lines = json(&report);
        assert_eq!(
            lines,
            [
                serde_json::json!({"file": "b.xml", "line": 8, "column": 5, "severity": "error",
                "rule": "XSD",
                "path": "/IODEF-Document/Incident[1]/Contact[1]", "kind": "missing_attribute",
                "message": "missing required attribute role on Contact"})
            ]
        );
    }

    #[test]
    fn unreadable_file() {
        let report = validate_file("no/such/dir/file.xml", &Options::default());
        assert!(!report.is_valid());
        let line = text(&report, false);
        assert!(
            line.starts_with("no/such/dir/file.xml: error: cannot read: "),
            "{line}"
        );
        assert_eq!(json(&report)[0]["kind"], "io");
    }

    #[test]
    fn lowered_limits_apply() {
        let options = Options {
            read: iodef::ReadOptions {
                max_depth: 2,
                ..Default::default()
            },
            ..Options::default()
        };
        let report = validate_bytes("c.xml", MINIMAL.as_bytes(), &options);
        assert_eq!(report.findings[0].kind, "syntax");
        assert!(report.findings[0].message.contains("deeper than 2"));
        let options = Options {
            read: iodef::ReadOptions {
                limits: Limits {
                    max_elements: 3,
                    ..Limits::default()
                },
                ..Default::default()
            },
            ..Options::default()
        };
        let report = validate_bytes("c.xml", MINIMAL.as_bytes(), &options);
        assert_eq!(report.findings[0].kind, "limit");
    }
}
