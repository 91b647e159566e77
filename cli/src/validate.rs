//! `iodef validate`: one engine ([`validate_file`] / [`validate_bytes`]) that reads a document
//! the way [`iodef::read`] does (any root element of the generated namespaces) and returns its
//! findings, and two thin formatters over it ([`write_text`], [`write_json`]).
//!
//! Schema validation ([`iodef::rt::validate`]) checks well-formedness, element order,
//! cardinality, namespaces, attributes, enumerations, typed and fixed values, facets and
//! `xs:ID`/`xs:IDREF`, and enforces the untrusted-input limits (no DOCTYPE, nesting depth,
//! element count, tag and text size). It collects every error of a file (a well-formedness
//! error or a limit ends the file). Schema-valid files are then checked against the RFC prose
//! rules, whose findings count as errors, as warnings, or are not computed ([`RuleLevel`]).

use std::io::{self, Read, Write};

use iodef::{Document, Error, ErrorKind};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// XML, with the same root element and namespace as the input.
    Xml,
    /// RFC 8727 JSON.
    Json,
    /// RFC 8727 CBOR (binary).
    Cbor,
}

/// The input format by content: JSON starts with `{`, CBOR with a map head (or the
/// self-described CBOR tag), anything else is read as XML.
pub fn detect(input: &[u8]) -> Format {
    match input.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Json,
        _ if matches!(input.first(), Some(0xa0..=0xbb | 0xbf))
            || input.starts_with(&[0xd9, 0xd9, 0xf7]) =>
        {
            Format::Cbor
        }
        _ => Format::Xml,
    }
}

/// An RFC 8727 JSON or CBOR document.
pub fn read_data_model(
    input: &[u8],
    from: Format,
) -> Result<iodef::Document<iodef::Root>, iodef::rfc8727::DecodeError> {
    match from {
        Format::Cbor => iodef::rfc8727::from_cbor(input),
        _ => {
            let text = std::str::from_utf8(input).map_err(|e| iodef::rfc8727::DecodeError {
                pointer: String::new(),
                message: format!("JSON must be UTF-8: {e}"),
            })?;
            iodef::rfc8727::from_json(text)
        }
    }
}

/// Name used for standard input in findings.
pub const STDIN_NAME: &str = "<stdin>";

/// How documents are read: the reading options (limits, nesting depth, and the policy:
/// `--lenient` makes unknown content a warning of kind `unknown_content`), and entity expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// What a broken RFC prose rule counts for (`--rules`).
    pub rules: RuleLevel,
    /// What [`iodef::read_with`] takes; the default is exactly what [`iodef::read`] uses.
    pub read: iodef::ReadOptions,
    /// Expand internal DOCTYPE entities within these limits before reading
    /// (`--expand-entities`); `None`: a DOCTYPE is refused.
    pub expand_entities: Option<iodef::rt::EntityLimits>,
}

/// What the RFC prose rules ([`iodef::rules`]) count for in the verdict (`--rules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RuleLevel {
    /// As the RFCs say: a broken MUST is an error, a SHOULD a warning (the default).
    #[default]
    Error,
    /// Every prose finding is a warning: the verdict is the schema's (XSD-only).
    Warn,
    /// The prose rules are not checked: the verdict is the schema's (XSD-only).
    Off,
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
    /// `invalid_value`, `io`; `rule` for a prose-rule finding, `unknown_content` for what
    /// `--lenient` kept aside.
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
    /// The root element in Clark notation (`{namespace}local`), when the file has one (valid
    /// or not).
    pub root: Option<String>,
    /// The schema part of the verdict (what an XSD validator decides; the typed reader agrees).
    pub schema_valid: bool,
    /// No RFC MUST rule is broken (whatever `--rules` makes of it); `None` when the rules were
    /// not checked (a schema-invalid file, or `--rules off`).
    pub rules_valid: Option<bool>,
    /// The file could not be read (exit status 2, as for `convert`).
    pub unreadable: bool,
    /// What is wrong: schema errors, or the prose-rule findings of a schema-valid document.
    pub findings: Vec<Finding>,
}

impl FileReport {
    /// Schema-valid and no error-level finding (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.schema_valid && self.count(Severity::Error) == 0
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// A report without a verdict from the rules: the file is not schema-valid.
    fn invalid(file: &str, root: Option<String>, findings: Vec<Finding>) -> Self {
        FileReport {
            file: file.to_string(),
            root,
            schema_valid: false,
            rules_valid: None,
            unreadable: false,
            findings,
        }
    }
}

fn prose_finding(file: &str, f: iodef::rules::Finding, level: RuleLevel) -> Finding {
    Finding {
        file: file.to_string(),
        line: f.line,
        column: f.column,
        severity: match (f.severity, level) {
            (iodef::rules::Severity::Error, RuleLevel::Error) => Severity::Error,
            _ => Severity::Warning,
        },
        rule: f.rule.to_string(),
        path: f.path,
        kind: "rule".to_string(),
        message: f.message,
    }
}

/// Reads and validates `file` (`-`: standard input). A file that cannot be read is reported
/// as a finding of kind `io`, like any other reason the file is not a valid document.
///
/// An XML `IODEF-Document` (1.0 or 2.0) is validated in parts as it is read
/// ([`iodef::stream::validate`]: memory bounded by the largest Incident, the same findings);
/// any other document (other roots, JSON, CBOR, `--lenient`, a DOCTYPE) is read whole.
pub fn validate_file(file: &str, options: &Options) -> FileReport {
    let (name, mut input) = match open_input(file) {
        Ok(opened) => opened,
        Err(report) => return report,
    };
    let unreadable = |e: io::Error| FileReport {
        unreadable: true,
        ..FileReport::invalid(name, None, vec![Finding::unreadable(name, &e)])
    };
    // `IODEF_WHOLE=1` reads every document whole (to compare the two ways in tests and
    // benchmarks).
    let stream = options.read.policy == iodef::Policy::Strict
        && std::env::var_os("IODEF_WHOLE").is_none_or(|v| v != "1");
    let version = match input.fill_buf() {
        Ok(head) if stream => streamable_root(head),
        Ok(_) => None,
        Err(e) => return unreadable(e),
    };
    match version {
        Some(version) => {
            let report = validate_streamed(name, input, version, options);
            if report.header_failed && file != "-" {
                // Every error of the prolog or root start tag: read whole.
                return match read_file(file) {
                    Ok((name, bytes)) => validate_bytes(name, &bytes, options),
                    Err(report) => report,
                };
            }
            report.report
        }
        None => {
            let mut bytes = Vec::new();
            match input.read_to_end(&mut bytes) {
                Ok(_) => validate_bytes(name, &bytes, options),
                Err(e) => unreadable(e),
            }
        }
    }
}

/// The reading buffer of an input: the prolog and root start tag of nearly every document
/// fit in it ([`streamable_root`] looks there).
const HEAD_BYTES: usize = 64 << 10;

/// `file` (`-`: standard input) opened for reading, with the name to use in messages.
pub fn open_input(file: &str) -> Result<(&str, Box<dyn io::BufRead + Send>), FileReport> {
    if file == "-" {
        return Ok((
            STDIN_NAME,
            Box::new(io::BufReader::with_capacity(HEAD_BYTES, io::stdin())),
        ));
    }
    std::fs::File::open(file)
        .map(|f| {
            let input: Box<dyn io::BufRead + Send> =
                Box::new(io::BufReader::with_capacity(HEAD_BYTES, f));
            (file, input)
        })
        .map_err(|e| FileReport {
            unreadable: true,
            ..FileReport::invalid(file, None, vec![Finding::unreadable(file, &e)])
        })
}

/// Which IODEF version's `IODEF-Document` the XML document starting with `head` has as its
/// root, if it has one and the root start tag is in `head` (no DOCTYPE before it).
pub fn streamable_root(head: &[u8]) -> Option<IodefVersion> {
    if detect(head) != Format::Xml {
        return None;
    }
    let mut reader = quick_xml::Reader::from_reader(head);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(start)) => {
                let name = start.name();
                if name.local_name().as_ref() != b"IODEF-Document" {
                    return None;
                }
                let declaring: Vec<u8> = match name.prefix() {
                    Some(p) => [b"xmlns:".as_slice(), p.as_ref()].concat(),
                    None => b"xmlns".to_vec(),
                };
                let ns = start
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == declaring.as_slice())?;
                return match ns.value.as_ref() {
                    b"urn:ietf:params:xml:ns:iodef-2.0" => Some(IodefVersion::V2),
                    b"urn:ietf:params:xml:ns:iodef-1.0" => Some(IodefVersion::V1),
                    _ => None,
                };
            }
            Ok(quick_xml::events::Event::Decl(_) | quick_xml::events::Event::Comment(_))
            | Ok(quick_xml::events::Event::PI(_) | quick_xml::events::Event::Text(_)) => {}
            _ => return None,
        }
    }
}

/// The IODEF version of an `IODEF-Document`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IodefVersion {
    /// RFC 5070.
    V1,
    /// RFC 7970.
    V2,
}

/// A streamed validation's report, and whether the error came before the root's content.
struct Streamed {
    report: FileReport,
    header_failed: bool,
}

/// Validates an `IODEF-Document` in parts ([`iodef::stream::validate`]).
fn validate_streamed(
    name: &str,
    input: Box<dyn io::BufRead + Send>,
    version: IodefVersion,
    options: &Options,
) -> Streamed {
    let validator_options = iodef::rt::validate::Options {
        read: options.read.clone(),
        ..Default::default()
    };
    let rules_on = options.rules != RuleLevel::Off;
    let (validation, ns) = match version {
        IodefVersion::V2 => (
            iodef::stream::validate::<_, iodef::v2::IodefDocument>(
                input,
                &validator_options,
                rules_on,
            ),
            "urn:ietf:params:xml:ns:iodef-2.0",
        ),
        IodefVersion::V1 => (
            iodef::stream::validate::<_, iodef::v1::IodefDocument>(
                input,
                &validator_options,
                rules_on,
            ),
            "urn:ietf:params:xml:ns:iodef-1.0",
        ),
    };
    let root = Some(format!("{{{ns}}}IODEF-Document"));
    let header_failed = validation.header_failed;
    if !validation.errors.is_empty() {
        let findings = validation
            .errors
            .iter()
            .map(|e| Finding::from_error(name, e))
            .collect();
        return Streamed {
            report: FileReport::invalid(name, root, findings),
            header_failed,
        };
    }
    let prose = validation.findings;
    let rules_valid = prose.as_ref().map(|prose| {
        prose
            .iter()
            .all(|f| f.severity != iodef::rules::Severity::Error)
    });
    let findings = prose
        .into_iter()
        .flatten()
        .map(|f| prose_finding(name, f, options.rules))
        .collect();
    Streamed {
        report: FileReport {
            file: name.to_string(),
            root,
            schema_valid: true,
            rules_valid,
            unreadable: false,
            findings,
        },
        header_failed,
    }
}

/// Reads `file` (`-`: standard input); returns the name to use in messages and the bytes, or
/// the report of a file that cannot be read (`convert` and `validate` say the same).
pub fn read_file(file: &str) -> Result<(&str, Vec<u8>), FileReport> {
    let (name, read) = if file == "-" {
        let mut bytes = Vec::new();
        let read = io::stdin().lock().read_to_end(&mut bytes).map(|_| bytes);
        (STDIN_NAME, read)
    } else {
        (file, std::fs::read(file))
    };
    read.map(|bytes| (name, bytes)).map_err(|e| FileReport {
        unreadable: true,
        ..FileReport::invalid(name, None, vec![Finding::unreadable(name, &e)])
    })
}

/// Validates `input` as a document with any root element of the generated namespaces, with the
/// reader limits of `options`; `name` is used in the findings.
///
/// The typed reader ([`iodef::read`]'s engine, same limits) reads the document once: "valid"
/// means "readable". A document it refuses is then validated by the collecting validator
/// ([`iodef::rt::validate`]), which lists every error; a readable one is checked against the
/// RFC prose rules ([`iodef::rules`]).
pub fn validate_bytes(name: &str, input: &[u8], options: &Options) -> FileReport {
    validate_as(name, input, detect(input), options)
}

/// [`validate_bytes`] of a document of a known format.
pub fn validate_as(name: &str, input: &[u8], format: Format, options: &Options) -> FileReport {
    match format {
        Format::Xml => validate_xml(name, input, options),
        format => validate_data_model(name, input, format, options),
    }
}

/// The prose rules about the XML encoding itself (the declaration, `xsi:schemaLocation`): they
/// do not apply to a JSON or CBOR document.
const XML_ENCODING_RULES: &[&str] = &["RFC 7970 §4.1", "RFC 7970 §4.2"];

/// An RFC 8727 JSON or CBOR document: read through the model (what does not map is an error
/// at its JSON pointer, kind `rfc8727`), then checked as its XML form is — schema and prose
/// rules, less those about the XML encoding. Findings name element paths; they have no
/// line:column (the positions would be those of the XML form).
fn validate_data_model(name: &str, input: &[u8], format: Format, options: &Options) -> FileReport {
    match read_model(name, input, format) {
        Ok(doc) => check_model(name, &doc, options),
        Err(report) => report,
    }
}

/// An RFC 8727 JSON or CBOR document read through the model; what does not map is the
/// report's finding (at its JSON pointer, rule `RFC 8727`, kind `rfc8727`).
pub fn read_model(
    name: &str,
    input: &[u8],
    format: Format,
) -> Result<Document<iodef::bindings::Root>, FileReport> {
    read_data_model(input, format).map_err(|e| {
        let finding = Finding {
            file: name.to_string(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            rule: "RFC 8727".to_string(),
            path: e.pointer,
            kind: "rfc8727".to_string(),
            message: e.message,
        };
        FileReport::invalid(name, None, vec![finding])
    })
}

/// A document read from JSON or CBOR, checked as its XML form is (schema and prose rules, less
/// those about the XML encoding), findings without line:column.
pub fn check_model(
    name: &str,
    doc: &Document<iodef::bindings::Root>,
    options: &Options,
) -> FileReport {
    let xml = match doc.try_to_xml_string() {
        Ok(xml) => xml,
        Err(e) => {
            let error = Error::io(&e);
            return FileReport::invalid(name, None, vec![Finding::from_error(name, &error)]);
        }
    };
    let mut report = validate_xml(name, xml.as_bytes(), options);
    report
        .findings
        .retain(|f| !XML_ENCODING_RULES.contains(&f.rule.as_str()));
    for f in &mut report.findings {
        (f.line, f.column) = (0, 0);
    }
    if report.rules_valid.is_some() {
        report.rules_valid = Some(
            !report
                .findings
                .iter()
                .any(|f| f.rule != SCHEMA_RULE && f.severity == Severity::Error),
        );
    }
    report
}

/// [`validate_bytes`] of an XML document.
fn validate_xml(name: &str, input: &[u8], options: &Options) -> FileReport {
    // `--expand-entities`: the expanded document is what is read and checked.
    let entity_limits = options.expand_entities.as_ref();
    let expanded = crate::entities::expand(input, entity_limits);
    let input: &[u8] = match &expanded {
        Ok(expanded) => expanded,
        Err(e) => return FileReport::invalid(name, None, vec![Finding::from_error(name, e)]),
    };
    // Decoded once for every pass (a non-UTF-8 document is transcoded once; UTF-8 is
    // borrowed).
    let decoded = match iodef::rt::decode(input) {
        Ok(decoded) => decoded,
        Err(e) => return FileReport::invalid(name, None, vec![Finding::from_error(name, &e)]),
    };
    let decoded = &decoded;
    let read_typed = || {
        let mut r = decoded.reader();
        options.read.apply(&mut r);
        Document::<iodef::bindings::Root>::from_xml_reader(r)
    };
    let root_name = |doc: &Document<iodef::bindings::Root>| {
        format!("{{{}}}{}", doc.root.namespace(), doc.root.local_name())
    };
    let rules_on = options.rules != RuleLevel::Off;
    let validate = || {
        iodef::rt::validate::validate_decoded(
            decoded,
            &iodef::rt::validate::Options {
                read: options.read.clone(),
                ..Default::default()
            },
        )
    };
    // Strict (the default): the typed reader decides validity in one pass over the text — it
    // accepts exactly what the collecting validator accepts (tests/tests/mutation.rs) — and the
    // prose rules then run over the typed value it built (no second pass over the XML; their
    // line:column come from one scan of the input, only when there are findings). Only a
    // document it refuses is read again, by the validator, to list every error rather than the
    // first. Lenient reading reports unknown content as the validator's warnings, so the
    // validator always runs there.
    let (schema, typed, prose) = if options.read.policy == iodef::Policy::Strict {
        match read_typed() {
            Ok(doc) => {
                let prose = rules_on.then(|| iodef::rules::check_read(&doc, decoded));
                let root = root_name(&doc);
                // (The tree is dropped before the report is put together.)
                drop(doc);
                (iodef::rt::validate::Report::default(), Ok(root), prose)
            }
            Err(e) => (validate(), Err(e), None),
        }
    } else {
        // The three passes are independent: wall time is the longest, not their sum.
        let read_typed = || read_typed().map(|doc| root_name(&doc));
        let check_rules = || rules_on.then(|| iodef::rules::check_decoded(decoded));
        std::thread::scope(|scope| {
            let typed = scope.spawn(read_typed);
            let prose = scope.spawn(check_rules);
            let schema = validate();
            (
                schema,
                typed
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                prose
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            )
        })
    };
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
        return FileReport::invalid(name, schema.root, findings);
    }
    match typed {
        Ok(root) => {
            let rules_valid = prose.as_ref().map(|prose| {
                prose
                    .iter()
                    .all(|f| f.severity != iodef::rules::Severity::Error)
            });
            findings.extend(
                prose
                    .into_iter()
                    .flatten()
                    .map(|f| prose_finding(name, f, options.rules)),
            );
            FileReport {
                file: name.to_string(),
                root: Some(root),
                schema_valid: true,
                rules_valid,
                unreadable: false,
                findings,
            }
        }
        // The validator and the typed reader disagree: report what stops reading.
        Err(e) => FileReport::invalid(
            name,
            schema.root,
            vec![Finding::from_error(
                name,
                &crate::entities::hint(e, entity_limits),
            )],
        ),
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
/// (`{"file","line","column","severity","rule","path","kind","message"}`), then one record per
/// file, valid or not:
/// `{"file","root","schema_valid","rules_valid","valid","errors","warnings"}` (`root` is
/// `{ns}local` or null when the file has no root element; `rules_valid` is null when the rules
/// were not checked; `errors`/`warnings` count the file's findings).
pub fn write_json(out: &mut impl Write, report: &FileReport) -> io::Result<()> {
    #[derive(Serialize)]
    struct Record<'r> {
        file: &'r str,
        root: Option<&'r str>,
        schema_valid: bool,
        rules_valid: Option<bool>,
        valid: bool,
        errors: usize,
        warnings: usize,
    }
    for f in &report.findings {
        serde_json::to_writer(&mut *out, f)?;
        out.write_all(b"\n")?;
    }
    let record = Record {
        file: &report.file,
        root: report.root.as_deref(),
        schema_valid: report.schema_valid,
        rules_valid: report.rules_valid,
        valid: report.is_valid(),
        errors: report.count(Severity::Error),
        warnings: report.count(Severity::Warning),
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")
}

/// Totals over the files of one run, for the text summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub files: usize,
    pub valid: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        self.valid += usize::from(report.is_valid());
        self.errors += report.count(Severity::Error);
        self.warnings += report.count(Severity::Warning);
    }
}

/// The last line of text output: `3 files: 2 valid, 1 invalid (5 errors, 2 warnings)`.
pub fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(
        out,
        "{}: {} valid, {} invalid ({}, {})",
        plural(summary.files, "file"),
        summary.valid,
        summary.files - summary.valid,
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning")
    )
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
            serde_json::json!({"file": "a.xml",
                "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document", "schema_valid": true,
                "rules_valid": true, "valid": true, "errors": 0, "warnings": 0})
        );
    }

    #[test]
    fn prose_rule_breaks_make_a_schema_valid_document_invalid() {
        let input = MINIMAL.replace(
            r#"purpose="reporting""#,
            r#"purpose="reporting" ext-purpose="x""#,
        );
        let report = validate_bytes("c.xml", input.as_bytes(), &Options::default());
        assert!(report.schema_valid && !report.is_valid());
        assert_eq!(report.rules_valid, Some(false));
        assert_eq!(
            text(&report, false),
            "c.xml:5:3: error: /IODEF-Document/Incident[1]: attribute ext-purpose is only \
             allowed when purpose=\"ext-value\" (RFC 7970 §5.1.1)\n"
        );
        let lines = json(&report);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["rule"], "RFC 7970 §5.1.1");
        assert_eq!(lines[0]["kind"], "rule");
        assert_eq!(
            lines[1],
            serde_json::json!({"file": "c.xml",
                "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document", "schema_valid": true,
                "rules_valid": false, "valid": false, "errors": 1, "warnings": 0})
        );
    }

    #[test]
    fn rule_level_warn_and_off_give_the_schema_verdict() {
        let input = MINIMAL.replace(r#" xml:lang="en""#, "");
        let at = |rules| {
            let options = Options {
                rules,
                ..Options::default()
            };
            validate_bytes("d.xml", input.as_bytes(), &options)
        };
        let error = at(RuleLevel::Error);
        assert!(!error.is_valid() && error.schema_valid);
        assert_eq!(
            (error.count(Severity::Error), error.count(Severity::Warning)),
            (1, 0)
        );
        assert_eq!(error.findings[0].rule, "RFC 7970 §6");
        // warn: the same finding, as a warning; the rules' own verdict is still reported.
        let warn = at(RuleLevel::Warn);
        assert!(warn.is_valid());
        assert_eq!(warn.rules_valid, Some(false));
        assert_eq!(
            (warn.count(Severity::Error), warn.count(Severity::Warning)),
            (0, 1)
        );
        assert_eq!(warn.findings[0].message, error.findings[0].message);
        assert_eq!(
            text(&warn, false),
            "d.xml:2:1: warning: /IODEF-Document: IODEF-Document has no xml:lang: each IODEF \
             document MUST specify the language of its content (RFC 7970 §6)\n"
        );
        // off: not checked at all.
        let off = at(RuleLevel::Off);
        assert!(off.is_valid() && off.findings.is_empty());
        assert_eq!(off.rules_valid, None);
        assert_eq!(json(&off)[0]["rules_valid"], serde_json::Value::Null);
        // Schema errors stay errors at every level.
        let broken = MINIMAL.replace(r#" role="creator""#, "");
        for rules in [RuleLevel::Error, RuleLevel::Warn, RuleLevel::Off] {
            let options = Options {
                rules,
                ..Options::default()
            };
            assert!(!validate_bytes("e.xml", broken.as_bytes(), &options).is_valid());
        }
    }

    #[test]
    fn summary_line_counts_files_and_findings() {
        let mut summary = Summary::default();
        let valid = validate_bytes("a.xml", MINIMAL.as_bytes(), &Options::default());
        let broken = MINIMAL.replace(r#" role="creator""#, "");
        let invalid = validate_bytes("b.xml", broken.as_bytes(), &Options::default());
        let mut out = Vec::new();
        write_summary(&mut out, &summary).unwrap();
        summary.add(&valid);
        write_summary(&mut out, &summary).unwrap();
        summary.add(&invalid);
        summary.add(&valid);
        write_summary(&mut out, &summary).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "0 files: 0 valid, 0 invalid (0 errors, 0 warnings)\n\
             1 file: 1 valid, 0 invalid (0 errors, 0 warnings)\n\
             3 files: 2 valid, 1 invalid (1 error, 0 warnings)\n"
        );
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
        assert!(!report.is_valid() && !report.schema_valid);
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
                "message": "missing required attribute role on Contact"}),
                serde_json::json!({"file": "b.xml",
                "root": "{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document", "schema_valid": false,
                "rules_valid": null, "valid": false, "errors": 1, "warnings": 0})
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
        assert!(report.unreadable);
        let lines = json(&report);
        assert_eq!(lines[0]["kind"], "io");
        assert_eq!(
            lines[1],
            serde_json::json!({"file": "no/such/dir/file.xml", "root": null,
                "schema_valid": false, "rules_valid": null, "valid": false, "errors": 1,
                "warnings": 0})
        );
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
