//! Schema validation that collects every error: an interpreter of the generated schema tables
//! ([`super::schema`]) over the reader's event stream.
//!
//! The typed reader stops at the first problem (it cannot build a value past it); this validator
//! goes on, so that a user sees everything that is wrong at once. Each error has the element
//! path, line:column and a plain message. Recovery: an element that is not allowed where it is
//! found is reported and its content skipped; a missing element is reported at its parent's end
//! tag; a bad value is reported and reading goes on. Well-formedness errors and resource limits
//! end the document (nothing after them can be trusted).
//!
//! What is checked (XSD 1.0 Structures §3.3.4, §3.4.4, §3.10.4, Datatypes §4.3): element names
//! and namespaces, order and cardinality (content models of sequences, choices and wildcards,
//! `processContents` strict/lax/skip), required and unknown attributes, fixed values, simple
//! values (enumerations, patterns, ranges, lengths, built-in types, whitespace), text in
//! element-only content, `xs:ID` uniqueness and `xs:IDREF` resolution.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use super::reader::{
    append, clark, element_paths, line_columns, same_str, shown_value, snippet, Node,
};
use super::registry::{self, Registry};
use super::schema::{
    one_of, ComplexType, ContentModel, ElementDecl, IdRole, Process, SimpleType, States, Symbol,
    TypeDef,
};
use super::{Element, Error, ErrorKind, Policy, ReadOptions, XmlReader, XSI_NS};

/// How many errors are collected before validation stops (the last one says so).
pub const DEFAULT_MAX_ERRORS: usize = 1000;

/// Options of [`validate_with`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The reading options: resource limits, nesting depth, and the policy —
    /// [`Policy::Lenient`] makes unknown content (an element whose name its parent's content
    /// model allows nowhere, an undeclared attribute, text in element-only content) a warning,
    /// not an error (what lenient reading keeps aside).
    pub read: ReadOptions,
    /// Errors collected before stopping (and lenient warnings listed); 0 means
    /// [`DEFAULT_MAX_ERRORS`].
    pub max_errors: usize,
    /// Where global element declarations are looked up (root, wildcards); `None`: the
    /// process-wide registry ([`registry::global`]).
    pub registry: Option<Arc<Registry>>,
}

/// The outcome of validating one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every error found, in document order.
    pub errors: Vec<Error>,
    /// Unknown content accepted by [`Policy::Lenient`], in document order (always empty when
    /// strict).
    pub warnings: Vec<Error>,
    /// The root element in Clark notation (`{ns}local`), when the document has one.
    pub root: Option<String>,
}

impl Report {
    /// No error.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Validates `input` against the schemas of the process-wide registry with default options.
///
/// ```
/// let report = iodef::rt::validate::validate(br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
///   <Incident purpose="nonsense"><IncidentID name="csirt.example.com">1</IncidentID></Incident>
/// </IODEF-Document>"#);
/// // Both problems are reported: the bad enumeration value and the missing children.
/// assert_eq!(report.errors.len(), 2);
/// assert_eq!(report.errors[0].path, "/IODEF-Document/Incident[1]");
/// ```
pub fn validate(input: &[u8]) -> Report {
    validate_with(input, &Options::default())
}

/// Validates `input` (in any encoding XML allows, see [`super::encoding::decode`]) with
/// `options`.
pub fn validate_with(input: &[u8], options: &Options) -> Report {
    // Any encoding XML allows; positions below are in the decoded text, whose lines and
    // characters are the document's.
    match super::encoding::decode(input) {
        Ok(decoded) => validate_decoded(&decoded, options),
        Err(e) => Report {
            errors: vec![e],
            warnings: Vec::new(),
            root: None,
        },
    }
}

/// [`validate_with`] on a document already decoded (one decoding for several passes).
pub fn validate_decoded(decoded: &super::encoding::Decoded<'_>, options: &Options) -> Report {
    let registry = options.registry.clone().unwrap_or_else(registry::global);
    let reader = decoded.reader_with_registry(None);
    run(decoded.as_bytes(), reader, options, &registry, false).0
}

/// `xs:ID` or `xs:IDREF` values with the offsets of their elements.
pub(crate) type IdValues = Vec<(String, usize)>;

/// Validates a part of a streamed document (see [`super::stream`]): `input` (UTF-8) is the
/// root's start tag with its namespace declarations, some of its children, its end tag. The
/// root's attributes and content model are the stream's to check: the root is lax (each child
/// is checked against its global declaration), and the part's `xs:ID`s and (unresolved)
/// `xs:IDREF`s are handed back.
pub(crate) fn validate_part(input: &[u8], options: &Options) -> (Report, IdValues, IdValues) {
    let registry = options.registry.clone().unwrap_or_else(registry::global);
    let mut reader = XmlReader::with_registry(input, None);
    reader.set_decoded();
    run(input, reader, options, &registry, true)
}

fn run<'r>(
    input: &'r [u8],
    mut reader: XmlReader<'r>,
    options: &Options,
    registry: &'r Registry,
    part: bool,
) -> (Report, IdValues, IdValues) {
    reader.set_limits(options.read.limits);
    reader.set_max_depth(options.read.max_depth);
    let mut v = Validator {
        registry,
        lenient: options.read.policy == Policy::Lenient,
        errors: Vec::new(),
        error_count: 0,
        warning_count: 0,
        max_errors: match options.max_errors {
            0 => DEFAULT_MAX_ERRORS,
            n => n,
        },
        ids: HashSet::default(),
        idrefs: Vec::new(),
        part: part.then(Vec::new),
        stack: Vec::new(),
        next: States::new(),
        spare: Vec::new(),
    };
    let root = v.run(&mut reader);
    let mut pending = std::mem::take(&mut v.errors);
    pending.sort_by_key(|e| e.offset);
    // Element paths of all errors in one pass over the input (not kept per open element while
    // validating: a valid document needs none).
    let mut by_path: Vec<(usize, usize)> = pending
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.path_at.map(|at| (at, i)))
        .collect();
    by_path.sort_unstable();
    let path_offsets: Vec<usize> = by_path.iter().map(|&(at, _)| at).collect();
    for ((_, i), path) in by_path.into_iter().zip(element_paths(input, &path_offsets)) {
        pending[i].path = path;
    }
    let offsets: Vec<usize> = pending
        .iter()
        .filter(|e| e.position.is_none())
        .map(|e| e.offset)
        .collect();
    let mut positions = line_columns(input, &offsets).into_iter();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for e in pending {
        let (line, column) = e.position.or_else(|| positions.next()).unwrap_or((0, 0));
        let error = Error {
            kind: e.kind,
            message: e.message,
            path: e.path,
            line,
            column,
        };
        if e.warning {
            warnings.push(error);
        } else {
            errors.push(error);
        }
    }
    let ids = v.part.unwrap_or_default();
    let report = Report {
        errors,
        warnings,
        root,
    };
    (report, ids, v.idrefs)
}

/// An error before its line:column is known (computed for all errors in one pass at the end).
struct Pending {
    kind: ErrorKind,
    message: String,
    /// The element path, once known.
    path: String,
    /// Offset of the element (or of a place inside its start tag) whose path is the error's.
    path_at: Option<usize>,
    /// Byte offset (`usize::MAX` for the reader's fatal error, which comes last).
    offset: usize,
    /// Line and column when already known.
    position: Option<(u64, u64)>,
    /// Unknown content under [`Policy::Lenient`].
    warning: bool,
}

/// What an open element is checked against.
enum Mode {
    /// A simple type: text only.
    Simple(&'static SimpleType),
    /// A complex type; `states` is where its content automaton is.
    Complex {
        ty: &'static ComplexType,
        states: States,
    },
    /// No declaration (lax wildcard, `xs:anyType`): children are checked when they have a
    /// global declaration.
    Lax,
}

struct Frame<'a> {
    el: Element<'a>,
    local: &'a str,
    mode: Mode,
    /// Text of simple content (borrowed from the input while it is one piece).
    text: Option<Cow<'a, str>>,
    /// Unexpected text already reported in this element.
    text_reported: bool,
}

struct Validator<'r> {
    registry: &'r Registry,
    lenient: bool,
    /// Errors and (lenient) warnings.
    errors: Vec<Pending>,
    /// Errors only (what `max_errors` bounds).
    error_count: usize,
    /// Lenient warnings (listed up to `max_errors`).
    warning_count: usize,
    max_errors: usize,
    /// `xs:ID` values: from untrusted input, so a keyed (randomly seeded) hasher.
    ids: HashSet<String, foldhash::fast::RandomState>,
    /// `xs:IDREF` values and where they are (paths computed for the dangling ones only).
    idrefs: Vec<(String, usize)>,
    /// Validating a part of a streamed document ([`validate_part`]): its `xs:ID`s, with
    /// their offsets.
    part: Option<IdValues>,
    stack: Vec<Frame<'r>>,
    /// Scratch state set for automaton steps (swapped with the parent's).
    next: States,
    /// State vectors of closed elements, for the next ones (no allocation per element).
    spare: Vec<States>,
}

/// Stops the walk: a well-formedness error, a limit, or too many errors.
struct Stop;

impl<'r> Validator<'r> {
    /// Where the path of an error in the innermost open element is found.
    fn path_at(&self) -> usize {
        self.stack.last().map_or(0, |f| f.el.offset)
    }

    fn report(&mut self, kind: ErrorKind, offset: usize, message: String) -> Result<(), Stop> {
        let path_at = self.path_at();
        self.report_at(kind, offset, path_at, message)
    }

    fn report_at(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        path_at: usize,
        message: String,
    ) -> Result<(), Stop> {
        self.error_count += 1;
        let last = self.error_count >= self.max_errors;
        let message = if last {
            format!(
                "{message} (and validation stopped: {} errors)",
                self.max_errors
            )
        } else {
            message
        };
        self.record(kind, offset, path_at, message, false);
        if last {
            Err(Stop)
        } else {
            Ok(())
        }
    }

    /// Unknown content: a warning when lenient, else an error.
    fn unknown(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        path_at: usize,
        message: String,
    ) -> Result<(), Stop> {
        if !self.lenient {
            return self.report_at(kind, offset, path_at, message);
        }
        // Warnings are bounded like errors; past the bound, the last one says so.
        self.warning_count += 1;
        if self.warning_count < self.max_errors {
            self.record(
                kind,
                offset,
                path_at,
                format!("{message} (kept aside: lenient)"),
                true,
            );
        } else if self.warning_count == self.max_errors {
            let message =
                format!("{message} (kept aside: lenient; further unknown content is not listed)");
            self.record(kind, offset, path_at, message, true);
        }
        Ok(())
    }

    fn record(
        &mut self,
        kind: ErrorKind,
        offset: usize,
        path_at: usize,
        message: String,
        warning: bool,
    ) {
        self.errors.push(Pending {
            kind,
            message,
            path: String::new(),
            path_at: Some(path_at),
            offset,
            position: None,
            warning,
        });
    }

    /// A fatal error from the reader (which computed its path and position): the last error.
    fn fatal(&mut self, e: Error) -> Stop {
        self.errors.push(Pending {
            kind: e.kind,
            message: e.message,
            path: e.path,
            path_at: None,
            offset: usize::MAX,
            position: Some((e.line, e.column)),
            warning: false,
        });
        Stop
    }

    fn run(&mut self, r: &mut XmlReader<'r>) -> Option<String> {
        let root = match r.root() {
            Ok(el) => el,
            Err(e) => {
                let _ = self.fatal(e);
                return None;
            }
        };
        let root_name = clark(r.ns_str(root.ns), root.local);
        let _ = self.walk(r, root);
        Some(root_name)
    }

    fn walk(&mut self, r: &mut XmlReader<'r>, root: Element<'r>) -> Result<(), Stop> {
        let ns = r.ns_str(root.ns).to_string();
        if self.part.is_some() {
            self.stack.push(frame(root, Mode::Lax));
            return self.content(r);
        }
        match self.registry.element_decl(&ns, root.local) {
            Some(decl) => self.open(r, root, decl.ty)?,
            None => {
                let known: Vec<&str> = self.registry.schema_namespaces().collect();
                let message = format!(
                    "unknown root element {}: not a global element of the known schemas ({})",
                    clark(&ns, root.local),
                    known.join(", ")
                );
                self.stack.push(frame(root, Mode::Lax));
                let offset = self.stack[0].el.offset;
                self.report(ErrorKind::UnexpectedElement, offset, message)?;
                self.stack.pop();
                return Err(Stop);
            }
        }
        self.content(r)
    }

    /// Reads the open root element's content to its end, then the document's end; resolves
    /// the `xs:IDREF`s (not in a part).
    fn content(&mut self, r: &mut XmlReader<'r>) -> Result<(), Stop> {
        while !self.stack.is_empty() {
            let parent = &self.stack[self.stack.len() - 1].el;
            let node = match r.next_node(parent) {
                Ok(node) => node,
                Err(e) => return Err(self.fatal(e)),
            };
            match node {
                None => self.close(r.last_tag_offset())?,
                Some(Node::Text { text, offset }) => self.text(text, offset)?,
                Some(Node::Element(child)) => self.child(r, child)?,
            }
        }
        if let Err(e) = r.finish() {
            return Err(self.fatal(e));
        }
        if self.part.is_some() {
            return Ok(());
        }
        let mut dangling: Vec<(String, usize)> = std::mem::take(&mut self.idrefs)
            .into_iter()
            .filter(|(value, _)| !self.ids.contains(value))
            .collect();
        dangling.sort_by_key(|&(_, offset)| offset);
        for (value, offset) in dangling {
            // The offset is in the start tag of the element: its path.
            self.report_at(
                ErrorKind::InvalidValue,
                offset,
                offset,
                format!("xs:IDREF {value:?} names no xs:ID of the document"),
            )?;
        }
        Ok(())
    }

    /// A child element of the innermost open element.
    fn child(&mut self, r: &mut XmlReader<'r>, child: Element<'r>) -> Result<(), Stop> {
        let ns = r.ns_str(child.ns);
        let registry = self.registry;
        let depth = self.stack.len();
        let parent = &mut self.stack[depth - 1];
        let parent_ns = r.ns_str(parent.el.ns);
        let name = || clark(ns, child.local);
        // What the child is checked against (`None`: its content is skipped), and why it is
        // not allowed, if it is not.
        // The declared type of the child (for `xsi:type`), when its parent's content model
        // declares it; else the global declaration, looked up only for an `xsi:type`.
        let mut declared: Option<&'static TypeDef> = None;
        let (target, problem): (Option<Mode>, Option<(String, bool)>) = match &mut parent.mode {
            Mode::Simple(_) => (
                None,
                Some((
                    format!(
                        "unexpected element {} in the text-only content of {}",
                        name(),
                        parent.local
                    ),
                    true,
                )),
            ),
            Mode::Lax => (Some(lax_mode(registry, ns, child.local)), None),
            Mode::Complex { ty, states } => match ty.automaton() {
                None => (
                    None,
                    Some((
                        format!(
                            "unexpected element {}: {} has no child elements",
                            name(),
                            parent.local
                        ),
                        true,
                    )),
                ),
                Some(automaton) => match automaton.step(states, ns, child.local, &mut self.next) {
                    Some(symbol) => {
                        std::mem::swap(states, &mut self.next);
                        match symbol {
                            Symbol::Element(decl) => {
                                declared = Some(decl.ty);
                                (Some(mode_of(decl.ty)), None)
                            }
                            Symbol::Any(w) => match w.process {
                                Process::Skip => (None, None),
                                Process::Lax => (Some(lax_mode(registry, ns, child.local)), None),
                                Process::Strict => match registry.element_decl(ns, child.local) {
                                    Some(decl) => (Some(mode_of(decl.ty)), None),
                                    None => (
                                        None,
                                        Some((
                                            format!(
                                                "unexpected element {}: the wildcard here is strict and no declaration of it is known",
                                                name()
                                            ),
                                            false,
                                        )),
                                    ),
                                },
                            },
                        }
                    }
                    None => {
                        let expected = automaton.expected(states, parent_ns);
                        let hint = if expected.is_empty() {
                            format!("no more elements are allowed in {}", parent.local)
                        } else {
                            format!("expected {}", one_of(&expected))
                        };
                        // Unknown: its name is allowed nowhere in the content model.
                        let unknown = !automaton.mentions(ns, child.local);
                        (
                            None,
                            Some((format!("unexpected element {}; {hint}", name()), unknown)),
                        )
                    }
                },
            },
        };
        if let Some((message, unknown)) = problem {
            // The child's own path.
            let path = child.offset;
            let kind = ErrorKind::UnexpectedElement;
            if unknown {
                self.unknown(kind, child.offset, path, message)?;
            } else {
                self.report_at(kind, child.offset, path, message)?;
            }
        }
        match target {
            None => r.skip(&child).map_err(|e| self.fatal(e)),
            Some(mode) => {
                self.stack.push(frame(child, Mode::Lax));
                self.start(r, mode, declared)
            }
        }
    }

    /// Opens the root element.
    fn open(
        &mut self,
        r: &mut XmlReader<'r>,
        el: Element<'r>,
        ty: &'static TypeDef,
    ) -> Result<(), Stop> {
        self.stack.push(frame(el, Mode::Lax));
        self.start(r, mode_of(ty), Some(ty))
    }

    /// Checks the attributes of the element just pushed and sets its mode.
    fn start(
        &mut self,
        r: &mut XmlReader<'r>,
        mode: Mode,
        declared_ty: Option<&'static TypeDef>,
    ) -> Result<(), Stop> {
        let top = self.stack.len() - 1;
        let el = self.stack[top].el.clone();
        // The reader's spare vector: no allocation per element.
        let attrs = match r.attributes_buffered(&el, true) {
            Ok(a) => a,
            Err(e) => return Err(self.fatal(e)),
        };
        let checked = self.check_attributes(r, &el, &mode, declared_ty, &attrs);
        r.recycle_attributes(attrs);
        checked?;
        let mut mode = mode;
        if let Mode::Complex { ty, states } = &mut mode {
            if let Some(automaton) = ty.automaton() {
                *states = self.spare.pop().unwrap_or_default();
                automaton.initial_into(states);
            }
        }
        self.stack[top].mode = mode;
        Ok(())
    }

    /// Checks the attributes `attrs` of `el` against what `mode` declares.
    fn check_attributes(
        &mut self,
        r: &XmlReader<'r>,
        el: &Element<'r>,
        mode: &Mode,
        declared_ty: Option<&'static TypeDef>,
        attrs: &[super::reader::Attr<'r>],
    ) -> Result<(), Stop> {
        let declared = match mode {
            Mode::Complex { ty, .. } => Some(ty.attributes),
            Mode::Simple(_) => Some(&[][..]),
            Mode::Lax => None,
        };
        if let Some(declared) = declared {
            // Declared attributes seen: a bit set (types declare a handful), a vector beyond.
            let mut seen_bits: u128 = 0;
            let mut seen_more = vec![false; declared.len().saturating_sub(128)];
            for a in attrs {
                if r.ns_is(a.ns, XSI_NS) {
                    // The same verdict as the typed reader's.
                    match super::reader::xsi_verdict(a.local, &a.value, el.local) {
                        Ok(()) if a.local == "type" => {
                            let el_ns = r.ns_str(el.ns);
                            let resolved = r.qname_value(&a.value);
                            let declared_ty = declared_ty.or_else(|| {
                                self.registry.element_decl(el_ns, el.local).map(|d| d.ty)
                            });
                            let verdict = super::reader::xsi_type_verdict(
                                self.registry,
                                (el_ns, el.local),
                                declared_ty,
                                resolved,
                                &a.value,
                            );
                            if let Err(reason) = verdict {
                                self.report(ErrorKind::UnexpectedAttribute, a.offset, reason)?;
                            }
                        }
                        Ok(()) => {}
                        Err(Some(reason)) => {
                            self.report(ErrorKind::UnexpectedAttribute, a.offset, reason)?
                        }
                        Err(None) => {
                            let path = self.path_at();
                            self.unknown(
                                ErrorKind::UnexpectedAttribute,
                                a.offset,
                                path,
                                format!("unexpected attribute xsi:{} on {}", a.local, el.local),
                            )?;
                        }
                    }
                    continue;
                }
                match declared
                    .iter()
                    .position(|d| same_str(d.name, a.local) && r.ns_is(a.ns, d.ns))
                {
                    Some(i) => {
                        if i < 128 {
                            seen_bits |= 1u128 << i;
                        } else {
                            seen_more[i - 128] = true;
                        }
                        let d = &declared[i];
                        if let TypeDef::Simple(st) = d.ty {
                            self.value(st, &a.value, a.offset, ("attribute", a.local))?;
                        }
                        if let Some(fixed) = d.fixed {
                            if a.value.trim() != fixed {
                                self.report(
                                    ErrorKind::InvalidValue,
                                    a.offset,
                                    format!(
                                        "invalid value {:?} for attribute {}: the schema fixes it to {fixed:?}",
                                        a.value, a.local
                                    ),
                                )?;
                            }
                        }
                    }
                    // An `ext-*` partner: any string.
                    None if declared.iter().any(|d| d.is_ext(r.ns_str(a.ns), a.local)) => {}
                    None => {
                        let name = match a.prefix {
                            Some(p) => format!("{p}:{}", a.local),
                            None => a.local.to_string(),
                        };
                        let path = self.path_at();
                        self.unknown(
                            ErrorKind::UnexpectedAttribute,
                            a.offset,
                            path,
                            format!("unexpected attribute {name} on {}", el.local),
                        )?;
                    }
                }
            }
            for (i, d) in declared.iter().enumerate() {
                let seen = if i < 128 {
                    seen_bits & (1u128 << i) != 0
                } else {
                    seen_more[i - 128]
                };
                if d.required && !seen {
                    self.report(
                        ErrorKind::MissingAttribute,
                        el.offset,
                        format!("missing required attribute {} on {}", d.name, el.local),
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Character data in the innermost open element.
    fn text(&mut self, text: Cow<'r, str>, offset: usize) -> Result<(), Stop> {
        let top = self.stack.len() - 1;
        let f = &mut self.stack[top];
        let text_only = match &f.mode {
            Mode::Simple(_) => true,
            Mode::Complex { ty, .. } => match ty.content {
                ContentModel::Simple(_) => true,
                ContentModel::Mixed(_) => return Ok(()),
                ContentModel::Empty | ContentModel::Elements(_) => false,
            },
            Mode::Lax => return Ok(()),
        };
        if text_only {
            append(&mut f.text, text);
            return Ok(());
        }
        let Some(at) = text.find(|c: char| !matches!(c, ' ' | '\t' | '\n' | '\r')) else {
            return Ok(());
        };
        if f.text_reported {
            return Ok(());
        }
        f.text_reported = true;
        let message = format!(
            "unexpected text \"{}\" in element-only content of {}",
            snippet(&text),
            f.local
        );
        let path = self.path_at();
        self.unknown(ErrorKind::UnexpectedText, offset + at, path, message)
    }

    /// The end tag (at `end_offset`) of the innermost open element.
    fn close(&mut self, end_offset: usize) -> Result<(), Stop> {
        let top = self.stack.len() - 1;
        let mode = std::mem::replace(&mut self.stack[top].mode, Mode::Lax);
        let text = self.stack[top].text.take().unwrap_or_default();
        let (local, offset) = (self.stack[top].local, self.stack[top].el.offset);
        let what = ("element", local);
        let result = match mode {
            Mode::Simple(st) => self.value(st, &text, offset, what),
            Mode::Complex { ty, states } => match ty.content {
                ContentModel::Simple(TypeDef::Simple(st)) => self.value(st, &text, offset, what),
                ContentModel::Elements(particles) | ContentModel::Mixed(particles) => {
                    let result = match ty.automaton() {
                        Some(automaton) if !automaton.accepts(&states) => {
                            let expected = automaton.expected(&states, first_ns(particles));
                            let message = format!(
                                "missing required element in {local}: expected {}",
                                one_of(&expected)
                            );
                            // At the end tag (after the errors inside), on the parent's path.
                            let at = end_offset.max(offset);
                            self.report(ErrorKind::MissingElement, at, message)
                        }
                        _ => Ok(()),
                    };
                    self.spare.push(states);
                    result
                }
                _ => Ok(()),
            },
            Mode::Lax => Ok(()),
        };
        self.stack.pop();
        result
    }

    /// Checks a simple value of the attribute or element (`what`) `name`, and does the ID
    /// bookkeeping.
    fn value(
        &mut self,
        st: &SimpleType,
        value: &str,
        offset: usize,
        (what, name): (&str, &str),
    ) -> Result<(), Stop> {
        if let Err(reason) = (st.check)(value) {
            let shown = shown_value(value);
            return self.report(
                ErrorKind::InvalidValue,
                offset,
                format!("invalid value {shown:?} for {what} {name}: {reason}"),
            );
        }
        match st.role {
            IdRole::Plain => Ok(()),
            IdRole::Id => {
                let token = super::collapse_ws(value);
                if self.ids.contains(&*token) {
                    return self.report(
                        ErrorKind::InvalidValue,
                        offset,
                        format!("duplicate xs:ID {token:?}"),
                    );
                }
                if let Some(ids) = &mut self.part {
                    ids.push((token.to_string(), offset));
                }
                self.ids.insert(token.into_owned());
                Ok(())
            }
            IdRole::IdRef => {
                let token = super::collapse_ws(value).into_owned();
                self.idrefs.push((token, offset));
                Ok(())
            }
        }
    }
}

fn lax_mode(registry: &Registry, ns: &str, local: &str) -> Mode {
    match registry.element_decl(ns, local) {
        Some(decl) => mode_of(decl.ty),
        None => Mode::Lax,
    }
}

fn frame(el: Element<'_>, mode: Mode) -> Frame<'_> {
    Frame {
        local: el.local,
        el,
        mode,
        text: None,
        text_reported: false,
    }
}

/// The mode of an element of type `ty`; the states of a complex type are set by
/// [`Validator::start`] (from its pool of state vectors).
fn mode_of(ty: &'static TypeDef) -> Mode {
    match ty {
        TypeDef::Simple(st) => Mode::Simple(st),
        TypeDef::Complex(ct) => Mode::Complex {
            ty: ct,
            states: States::new(),
        },
        TypeDef::Any => Mode::Lax,
    }
}

/// The namespace of the first element declaration in `particles`.
fn first_ns(particles: &'static [super::schema::Particle]) -> &'static str {
    use super::schema::Term;
    fn term_ns(t: &'static Term) -> Option<&'static str> {
        match t {
            Term::Element(ElementDecl { ns, .. }) => Some(ns),
            Term::Any(_) => None,
            Term::Group(inner) => term_ns(inner),
            Term::Sequence(ps) | Term::Choice(ps) => ps.iter().find_map(|p| term_ns(&p.term)),
        }
    }
    particles
        .iter()
        .find_map(|p| term_ns(&p.term))
        .unwrap_or("")
}
