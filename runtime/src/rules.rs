//! RFC prose rules that XSD cannot express, checked on a document after it has been read: every
//! violation is reported (not only the first), each citing its section. A MUST violation is an
//! [`Severity::Error`]; a SHOULD-level finding, or a value that does not have the format its RFC
//! definition gives, is a [`Severity::Warning`].
//!
//! One engine, fed elements (namespace, local name), their attributes and their text in
//! document order: each open element keeps its attributes, the names of its children (and
//! grandchildren), and, where a rule reads it, its text; rules run when an element opens
//! (attribute rules) or closes (content rules). Two sources feed it:
//!
//! - a typed value, through the writer's event mode ([`Document::write_events`]): the XML the
//!   value stands for, without a pass over any text. [`check_typed`] checks a document as it
//!   would be written; [`check_read`] checks the document as it was read from its input — §4.1
//!   from the input's XML declaration, line:column from one scan of the input when there are
//!   findings — and gives what [`check_decoded`] gives (`iodef validate` uses it);
//! - a streaming pass over the XML text ([`check`], [`check_decoded`]), with the positions as
//!   it goes, for documents the typed reader does not read (lenient validation runs it).
//!
//! Both see attribute values and text as the typed reader reads them (attribute-value
//! normalisation, end-of-lines as line feeds). IODEF 2.0 elements cite RFC 7970, IODEF 1.0
//! elements RFC 5070. Rules (see `docs/prose-rules.md` for the full table):
//!
//! - §5.1.1 (RFC 5070 §5.1): `ext-foo` only with `foo="ext-value"`, and `foo="ext-value"` needs
//!   its `ext-foo`.
//! - §4.1: an IODEF document begins with an XML declaration (v2: with its encoding; an encoding
//!   other than UTF-8/UTF-16 is a warning).
//! - §4.2: `xsi:schemaLocation` on `IODEF-Document` (v2 MUST; RFC 5070 SHOULD).
//! - §6: v2 `IODEF-Document` specifies its language (`xml:lang`).
//! - §3.1: `private-enum-id` needs `private-enum-name`; §3.1/§3.4/§3.29.1 (RFC 5070 §3.3): CSIRT
//!   names (`private-enum-name`, `IncidentID@name`, `IndicatorID@name`) are domain names.
//! - §3.4 (RFC 5070 §3.3) / §3.29.1: two Incidents (Indicators) of one document do not share an
//!   IncidentID (IndicatorID); one hash lookup per identifier.
//! - "Required." attributes the XSD leaves optional without a default (§3.1 `version`, §3.9.1,
//!   §3.19; RFC 5070 §3.1, §3.7.1, §3.10.3, §3.15).
//! - "At least one of these classes MUST be present": Contact, EventData, Method, Reference,
//!   Node, Service, ServiceName, RelatedActivity, Campaign, DetectionPattern, RecordData,
//!   HashData, Observable, BulkObservableFormat, the SoftwareType elements (§2.15) (and their
//!   RFC 5070 equivalents).
//! - §3.13.1/§3.15: `action="defined-coa"` needs `DefinedCOA`; §3.20: `ip-protocol` with a
//!   Port/Portlist/Proto*; §3.20 (RFC 5070 §3.17): Portlist symmetry in a Flow; §3.19.1:
//!   Nameservers addresses are IP addresses; §3.20.2/§3.21: header fields carry `name` (and
//!   `dtype="string"`); §2.15.1: `spec-name="custom"` needs `dtype`; §3.26: HashData scopes that
//!   need HashTargetID or an Application; §3.29.3.1: `file-hash` bulk observables need a format
//!   Hash; §3.29.7: IndicatorReference needs `uid-ref` or `euid-ref`.
//! - §5.2: extension content matches its `dtype` (XML content only with `dtype="xml"`, in a
//!   namespace; atomic values parse as their type).
//! - §3.18.1 (RFC 5070 §3.16.2) Address content in the format of its category, and RFC 5070
//!   §3.10.4 empty non-numeric Confidence: warnings.
//!
//! `uid-ref` pointing at an existing `observable-id` is enforced by the reader itself
//! (`xs:IDREF`).
//!
//! `docs/rfc-requirements.md` lists every MUST-level requirement of both RFCs with its status.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::encoding::Decoded;
use crate::reader::{normalize_eol, Positions};
use crate::values::{Base64Binary, DateTime, Decimal, HexBinary};
use crate::writer::XmlEvents;
use crate::{Document, ReadRoot};

/// How serious a finding is: a MUST violation is an error, a SHOULD one a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One rule violation, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's source, e.g. `RFC 7970 §5.1.1`.
    pub rule: &'static str,
    pub message: String,
    /// Element path, e.g. `/IODEF-Document/Incident[1]`.
    pub path: String,
    pub line: u64,
    pub column: u64,
}

const NS_IODEF2: &[u8] = b"urn:ietf:params:xml:ns:iodef-2.0";
const NS_IODEF1: &[u8] = b"urn:ietf:params:xml:ns:iodef-1.0";
const NS_XSI: &[u8] = b"http://www.w3.org/2001/XMLSchema-instance";
const NS_XML: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// The IODEF version of an element's namespace: it decides which RFC a rule cites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// RFC 5070.
    V1,
    /// RFC 7970.
    V2,
}

impl Version {
    fn of(ns: &[u8]) -> Option<Version> {
        match ns {
            NS_IODEF2 => Some(Version::V2),
            NS_IODEF1 => Some(Version::V1),
            _ => None,
        }
    }

    /// The citation for this version: `v2` from RFC 7970, `v1` from RFC 5070.
    fn pick(self, v2: &'static str, v1: &'static str) -> &'static str {
        match self {
            Version::V2 => v2,
            Version::V1 => v1,
        }
    }
}

/// "At least one of these classes MUST be present": `element` needs a child named in `any_of`
/// (any child element when empty).
struct NeedsChild {
    version: Version,
    element: &'static str,
    any_of: &'static [&'static str],
    rule: &'static str,
}

const fn needs(
    version: Version,
    element: &'static str,
    any_of: &'static [&'static str],
    rule: &'static str,
) -> NeedsChild {
    NeedsChild {
        version,
        element,
        any_of,
        rule,
    }
}

/// Only the rules the schemas leave open (e.g. Assessment's impact choice, ThreatActor's URL and
/// DomainContacts are enforced by the XSD and not listed).
const NEEDS_CHILD: &[NeedsChild] = &[
    needs(
        Version::V2,
        "RelatedActivity",
        &[
            "IncidentID",
            "URL",
            "ThreatActor",
            "Campaign",
            "Description",
            "AdditionalData",
        ],
        "RFC 7970 §3.6",
    ),
    needs(Version::V2, "Campaign", &[], "RFC 7970 §3.8"),
    needs(Version::V2, "Contact", &[], "RFC 7970 §3.9"),
    needs(
        Version::V2,
        "DetectionPattern",
        &["Description", "DetectionConfiguration"],
        "RFC 7970 §3.10.1",
    ),
    needs(Version::V2, "Method", &[], "RFC 7970 §3.11"),
    needs(Version::V2, "Reference", &[], "RFC 7970 §3.11.1"),
    needs(Version::V2, "EventData", &[], "RFC 7970 §3.14"),
    needs(
        Version::V2,
        "Node",
        &["DomainData", "Address"],
        "RFC 7970 §3.18",
    ),
    needs(Version::V2, "Service", &[], "RFC 7970 §3.20"),
    needs(Version::V2, "ServiceName", &[], "RFC 7970 §3.20.1"),
    needs(
        Version::V2,
        "RecordData",
        &[
            "RecordItem",
            "URL",
            "FileData",
            "WindowsRegistryKeysModified",
            "CertificateData",
            "AdditionalData",
        ],
        "RFC 7970 §3.22.1",
    ),
    needs(
        Version::V2,
        "HashData",
        &["Hash", "FuzzyHash"],
        "RFC 7970 §3.26",
    ),
    needs(Version::V2, "Observable", &[], "RFC 7970 §3.29.3"),
    needs(
        Version::V2,
        "BulkObservableFormat",
        &["Hash", "AdditionalData"],
        "RFC 7970 §3.29.3.1.1",
    ),
    needs(
        Version::V2,
        "OperatingSystem",
        SOFTWARE_CHILDREN,
        "RFC 7970 §2.15",
    ),
    needs(
        Version::V2,
        "Application",
        SOFTWARE_CHILDREN,
        "RFC 7970 §2.15",
    ),
    needs(
        Version::V2,
        "AssociatedSoftware",
        SOFTWARE_CHILDREN,
        "RFC 7970 §2.15",
    ),
    needs(Version::V1, "Contact", &[], "RFC 5070 §3.7"),
    needs(
        Version::V1,
        "Method",
        &["Reference", "Description"],
        "RFC 5070 §3.9",
    ),
    needs(Version::V1, "EventData", &[], "RFC 5070 §3.12"),
    needs(
        Version::V1,
        "Node",
        &["NodeName", "Address"],
        "RFC 5070 §3.16",
    ),
    needs(
        Version::V1,
        "Service",
        &["Port", "Portlist"],
        "RFC 5070 §3.17",
    ),
];

/// The children of `iodef:SoftwareType` (OperatingSystem, Application, AssociatedSoftware).
const SOFTWARE_CHILDREN: &[&str] = &["SoftwareReference", "URL", "Description"];

/// An attribute the RFC calls "Required." that the XSD leaves optional without a default.
struct RequiredAttr {
    version: Version,
    element: &'static str,
    attr: &'static str,
    rule: &'static str,
}

const fn required(
    version: Version,
    element: &'static str,
    attr: &'static str,
    rule: &'static str,
) -> RequiredAttr {
    RequiredAttr {
        version,
        element,
        attr,
        rule,
    }
}

/// (Attributes with a schema or RFC default, e.g. Address@category, SystemImpact@type, RFC 5070
/// TimeImpact@duration, always have a value and are not listed; nor are RFC 5070's `lang`
/// attributes, which inherit `IODEF-Document@lang` per RFC 5070 §6.)
const REQUIRED_ATTRS: &[RequiredAttr] = &[
    required(Version::V2, "IODEF-Document", "version", "RFC 7970 §3.1"),
    required(Version::V2, "RegistryHandle", "registry", "RFC 7970 §3.9.1"),
    required(Version::V2, "DomainData", "system-status", "RFC 7970 §3.19"),
    required(Version::V2, "DomainData", "domain-status", "RFC 7970 §3.19"),
    required(Version::V1, "IODEF-Document", "version", "RFC 5070 §3.1"),
    required(Version::V1, "RegistryHandle", "registry", "RFC 5070 §3.7.1"),
    required(
        Version::V1,
        "MonetaryImpact",
        "currency",
        "RFC 5070 §3.10.3",
    ),
    required(Version::V1, "System", "category", "RFC 5070 §3.15"),
];

/// Elements of type `iodef:ExtensionType` (their content is described by `dtype`).
fn is_extension(version: Version, local: &str) -> bool {
    match version {
        Version::V2 => matches!(
            local,
            "AdditionalData"
                | "RecordItem"
                | "ApplicationHeaderField"
                | "EmailHeaderField"
                | "RelatedDNS"
                | "FileProperties"
                | "FuzzyHashValue"
        ),
        Version::V1 => matches!(local, "AdditionalData" | "RecordItem"),
    }
}

/// The namespace of an attribute, as far as the rules tell namespaces apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttrNs {
    /// Unprefixed.
    None,
    Xsi,
    Xml,
    Other,
}

impl AttrNs {
    fn of(ns: &str) -> AttrNs {
        match ns.as_bytes() {
            b"" => AttrNs::None,
            NS_XSI => AttrNs::Xsi,
            NS_XML => AttrNs::Xml,
            _ => AttrNs::Other,
        }
    }
}

/// An attribute of an open element: its local name and value are ranges of the frame's
/// `attr_text` (one buffer per frame, reused: nothing is allocated per attribute).
struct Attr {
    ns: AttrNs,
    local: Range<usize>,
    value: Range<usize>,
}

/// A child element: whether it is in a namespace, and its local name (a range of the frame's
/// `child_names`).
struct Child {
    in_namespace: bool,
    local: Range<usize>,
}

/// A System of a Flow, with the number of ports its (first) Service's Portlist lists.
struct FlowSystem {
    category: Option<String>,
    ports: Option<u64>,
    path: String,
}

/// Children so far per local name (for the `[n]` of paths): a few names in a vector (ranges of
/// the frame's `child_names`), then a map.
#[derive(Default)]
struct SiblingCounts {
    few: Vec<(Range<usize>, u32)>,
    many: HashMap<Box<str>, u32>,
}

impl SiblingCounts {
    const FEW: usize = 8;

    /// Counts one more child named `names[name]`; returns its 1-based index among its
    /// namesakes.
    fn next(&mut self, names: &str, name: Range<usize>) -> u32 {
        let local = &names[name.clone()];
        if let Some(entry) = self
            .few
            .iter_mut()
            .find(|(n, _)| &names[n.clone()] == local)
        {
            entry.1 += 1;
            return entry.1;
        }
        if self.few.len() < Self::FEW {
            self.few.push((name, 1));
            return 1;
        }
        if let Some(count) = self.many.get_mut(local) {
            *count += 1;
            return *count;
        }
        self.many.insert(local.into(), 1);
        1
    }

    fn clear(&mut self) {
        self.few.clear();
        self.many.clear();
    }
}

/// One open element and what its rules need once it closes. Frames are reused (their buffers
/// keep their capacity): a pass allocates per nesting level, not per element.
#[derive(Default)]
struct Frame {
    version: Option<Version>,
    local: String,
    /// Its path is `Findings::path[..path_len]` while it is open (0: the document, `/`).
    path_len: usize,
    /// Its number in document order (elements are counted as they start).
    ordinal: usize,
    /// Where its start tag is, when the source knows (0 otherwise).
    line: u64,
    column: u64,
    attrs: Vec<Attr>,
    attr_text: String,
    /// Children so far per local name.
    counts: SiblingCounts,
    children: Vec<Child>,
    child_names: String,
    /// `(child, grandchild)` local names, kept for the elements whose rules read them.
    grandchildren: Vec<(String, String)>,
    /// Whether its rules read its text content (kept in `text`).
    wants_text: bool,
    text: String,
    /// Service: the number of ports of its Portlist.
    portlist_ports: Option<u64>,
    /// System: the ports of its first Service with a Portlist.
    service_ports: Option<u64>,
    /// Flow: its Systems.
    systems: Vec<FlowSystem>,
    /// The `IODEF-Document` this element belongs to (a serial number: a RID message can carry
    /// several documents, each with its own identifiers).
    document: usize,
    /// Incident / Indicator: the identifier its IncidentID / IndicatorID child gives it (name,
    /// instance or version, value), ranges of `ident_text`.
    ident: Option<[Range<usize>; 3]>,
    ident_text: String,
}

/// Identifiers seen so far, per document, with the path of the first element that used each,
/// so that a repeat is found with one hash lookup. Everything is kept in a few growing buffers,
/// not in allocations per identifier.
#[derive(Default)]
struct Seen {
    documents: usize,
    /// The parts and first paths of the identifiers kept, concatenated.
    text: String,
    entries: Vec<SeenEntry>,
    /// (kind, document, hash of the parts) → the last entry with that key; entries whose keys
    /// collide are chained.
    index: HashMap<(u8, usize, u64), u32>,
    /// Hashes the parts (random keys, as the map's own).
    hasher: std::collections::hash_map::RandomState,
}

/// An identifier kept by [`Seen`]: its parts and the path of its first element (ranges of
/// `Seen::text`), and the previous entry with the same key.
struct SeenEntry {
    parts: [Range<usize>; 3],
    path: Range<usize>,
    previous: Option<u32>,
}

impl Seen {
    /// The path of the first element of `document` whose identifier of `kind` is `parts`, if
    /// any; otherwise records `path` as that element.
    fn first(&mut self, kind: u8, document: usize, parts: [&str; 3], path: &str) -> Option<&str> {
        use std::hash::BuildHasher as _;
        let key = (kind, document, self.hasher.hash_one(parts));
        let last = self.index.get(&key).copied();
        let mut at = last;
        while let Some(i) = at {
            let entry = &self.entries[i as usize];
            if entry
                .parts
                .iter()
                .zip(parts)
                .all(|(range, part)| self.text[range.clone()] == *part)
            {
                return Some(&self.text[self.entries[i as usize].path.clone()]);
            }
            at = entry.previous;
        }
        let mut keep = |s: &str| {
            let start = self.text.len();
            self.text.push_str(s);
            start..self.text.len()
        };
        let entry = SeenEntry {
            parts: parts.map(&mut keep),
            path: keep(path),
            previous: last,
        };
        let index = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.entries.push(entry);
        self.index.insert(key, index);
        None
    }
}

impl Frame {
    /// An unprefixed attribute's value, trimmed.
    fn attr(&self, local: &str) -> Option<&str> {
        self.attr_ns(AttrNs::None, local)
    }

    fn attr_ns(&self, ns: AttrNs, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns == ns && self.attr_text[a.local.clone()] == *local)
            .map(|a| self.attr_text[a.value.clone()].trim())
    }

    /// The unprefixed attributes: local name and value (untrimmed), in the order they came.
    fn unprefixed_attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs.iter().filter(|a| a.ns == AttrNs::None).map(|a| {
            (
                &self.attr_text[a.local.clone()],
                &self.attr_text[a.value.clone()],
            )
        })
    }

    fn push_attr(&mut self, ns: AttrNs, local: &str, value: &str) {
        let start = self.attr_text.len();
        self.attr_text.push_str(local);
        let middle = self.attr_text.len();
        self.attr_text.push_str(value);
        self.attrs.push(Attr {
            ns,
            local: start..middle,
            value: middle..self.attr_text.len(),
        });
    }

    fn child_name(&self, child: &Child) -> &str {
        &self.child_names[child.local.clone()]
    }

    fn has_child(&self, local: &str) -> bool {
        self.children.iter().any(|c| self.child_name(c) == local)
    }

    /// Registers a child element; returns its 1-based index among its namesakes.
    fn add_child(&mut self, local: &str, in_namespace: bool) -> u32 {
        let start = self.child_names.len();
        self.child_names.push_str(local);
        let name = start..self.child_names.len();
        self.children.push(Child {
            in_namespace,
            local: name.clone(),
        });
        self.counts.next(&self.child_names, name)
    }

    fn is(&self, version: Version, local: &str) -> bool {
        self.version == Some(version) && self.local == local
    }

    /// Whether its rules read `(child, grandchild)` names.
    fn wants_grandchildren(&self) -> bool {
        self.version == Some(Version::V2)
            && matches!(self.local.as_str(), "BulkObservable" | "HashData")
    }

    fn text(&self) -> &str {
        self.text.trim()
    }

    /// Empties the frame for reuse, keeping its buffers.
    fn clear(&mut self) {
        self.version = None;
        self.local.clear();
        self.path_len = 0;
        self.ordinal = 0;
        self.line = 0;
        self.column = 0;
        self.attrs.clear();
        self.attr_text.clear();
        self.counts.clear();
        self.children.clear();
        self.child_names.clear();
        self.grandchildren.clear();
        self.wants_text = false;
        self.text.clear();
        self.portlist_ports = None;
        self.service_ports = None;
        self.systems.clear();
        self.document = 0;
        self.ident = None;
        self.ident_text.clear();
    }
}

/// A finding as the engine records it: the number of its element in document order, and for
/// a finding about one attribute (§5.1.1), that attribute's name.
struct Found {
    ordinal: usize,
    attr: Option<String>,
    finding: Finding,
}

/// Collects findings, each located at an element; holds the path of the open elements (each
/// frame knows how much of it is its own path), so that no path is built per element.
struct Findings {
    list: Vec<Found>,
    path: String,
}

impl Findings {
    /// The element path of `frame`, an open element (or the one being closed).
    fn path_of(&self, frame: &Frame) -> &str {
        match frame.path_len {
            0 => "/",
            n => &self.path[..n],
        }
    }

    fn push_about(
        &mut self,
        at: &Frame,
        attr: Option<&str>,
        severity: Severity,
        rule: &'static str,
        message: String,
    ) {
        let path = self.path_of(at).to_string();
        self.list.push(Found {
            ordinal: at.ordinal,
            attr: attr.map(str::to_string),
            finding: Finding {
                severity,
                rule,
                message,
                path,
                line: at.line,
                column: at.column,
            },
        });
    }

    fn error(&mut self, at: &Frame, rule: &'static str, message: String) {
        self.push_about(at, None, Severity::Error, rule, message);
    }

    fn warning(&mut self, at: &Frame, rule: &'static str, message: String) {
        self.push_about(at, None, Severity::Warning, rule, message);
    }
}

/// What §4.1 reads, which a typed value does not hold: the XML declaration (`Some` with its
/// encoding name, if it names one; `None`: no declaration) and the encoding the document is
/// in.
struct Declaration {
    declared: Option<Option<String>>,
    encoding: crate::Encoding,
}

/// The rules engine: fed elements (namespace URI, local name, position when known), their
/// attributes and their text in document order, by either source — a pass over the XML text
/// ([`check_decoded`]) or the events of a typed value ([`check_typed`], [`check_read`]) — it
/// keeps the open elements' frames and runs each rule when its element starts or ends.
struct Engine {
    findings: Findings,
    /// The frames of the open elements, `frames[..depth]`; those beyond are closed frames kept
    /// for reuse (frames stay in place: none is moved per element).
    frames: Vec<Frame>,
    depth: usize,
    seen: Seen,
    /// Elements started so far.
    elements: usize,
    /// For §4.1 at the root element; `None`: not checked.
    declaration: Option<Declaration>,
    /// The innermost element has started and its start rules have not run: attributes may
    /// still come.
    pending: bool,
}

impl Engine {
    fn new(declaration: Option<Declaration>) -> Self {
        Engine {
            findings: Findings {
                list: Vec::new(),
                path: String::new(),
            },
            frames: Vec::new(),
            depth: 0,
            seen: Seen::default(),
            elements: 0,
            declaration,
            pending: false,
        }
    }

    /// An element starts: `ns` is its namespace URI ("" for none); its attributes follow
    /// ([`Engine::attribute`]). Registers it as a child of its parent and appends its step to
    /// the path of the open elements.
    fn start(&mut self, ns: &str, local: &str, (line, column): (u64, u64)) {
        self.opened();
        let version = Version::of(ns.as_bytes());
        if self.depth == self.frames.len() {
            self.frames.push(Frame::default());
        }
        let (open, rest) = self.frames.split_at_mut(self.depth);
        let (frame, mut parent) = (&mut rest[0], open.last_mut());
        self.depth += 1;
        self.elements += 1;
        frame.ordinal = self.elements;
        frame.version = version;
        frame.local.push_str(local);
        (frame.line, frame.column) = (line, column);
        let path = &mut self.findings.path;
        path.push('/');
        path.push_str(local);
        if let Some(parent) = parent.as_mut() {
            push_index(path, parent.add_child(local, !ns.is_empty()));
        }
        frame.path_len = path.len();
        frame.wants_text = version.is_some_and(|v| {
            matches!(
                local,
                "Address" | "Portlist" | "Confidence" | "IncidentID" | "IndicatorID"
            ) || is_extension(v, local)
        });
        frame.document = match parent {
            _ if local == "IODEF-Document" && version.is_some() => {
                self.seen.documents += 1;
                self.seen.documents
            }
            Some(parent) => parent.document,
            None => 0,
        };
        self.pending = true;
    }

    /// The frame of the innermost open element.
    fn innermost(&mut self) -> Option<&mut Frame> {
        self.depth.checked_sub(1).map(|i| &mut self.frames[i])
    }

    /// An attribute of the element that just started (namespace declarations are not given).
    fn attribute(&mut self, ns: &str, local: &str, value: &str) {
        if !self.pending {
            return;
        }
        if let Some(frame) = self.innermost() {
            frame.push_attr(AttrNs::of(ns), local, value);
        }
    }

    /// Runs the start rules of the element that started last, once its attributes are known.
    fn opened(&mut self) {
        if !std::mem::take(&mut self.pending) {
            return;
        }
        let Some((frame, ancestors)) = self.frames[..self.depth].split_last() else {
            return;
        };
        if self.elements == 1 {
            if let Some(declaration) = &self.declaration {
                check_declaration(frame, declaration, &mut self.findings);
            }
        }
        on_open(frame, ancestors.last(), &mut self.findings);
    }

    /// A piece of the innermost element's character data.
    fn text(&mut self, piece: &str) {
        self.opened();
        if let Some(frame) = self.innermost().filter(|f| f.wants_text) {
            frame.text.push_str(piece);
        }
    }

    /// The innermost element ends: its content rules run.
    fn end(&mut self) {
        self.opened();
        let Some(depth) = self.depth.checked_sub(1) else {
            return;
        };
        self.depth = depth;
        let (open, rest) = self.frames.split_at_mut(depth);
        let (frame, parent) = (&mut rest[0], open.last_mut());
        let parent_path = parent.as_ref().map_or(0, |p| p.path_len);
        close(frame, parent, &mut self.seen, &mut self.findings);
        self.findings.path.truncate(parent_path);
        frame.clear();
    }

    /// The findings, in the order they were found.
    fn finish(mut self) -> Vec<Found> {
        self.opened();
        self.findings.list
    }
}

/// A typed value's writer events feed the engine ([`check_typed`]).
impl XmlEvents for Engine {
    fn start_element(&mut self, ns: &str, local: &str) -> io::Result<()> {
        self.start(ns, local, (0, 0));
        Ok(())
    }
    fn attribute(&mut self, ns: &str, local: &str, value: &str) -> io::Result<()> {
        Engine::attribute(self, ns, local, value);
        Ok(())
    }
    fn text(&mut self, text: &str) -> io::Result<()> {
        Engine::text(self, text);
        Ok(())
    }
    fn end_element(&mut self) -> io::Result<()> {
        self.end();
        Ok(())
    }
}

/// Checks the prose rules on `input`, a well-formed document (read it with `iodef::read`
/// first: malformed input yields no findings here). Findings are in document order.
pub fn check(input: &[u8]) -> Vec<Finding> {
    // Any encoding XML allows; the declaration keeps its encoding name (§4.1 reads it).
    match crate::encoding::decode(input) {
        Ok(decoded) => check_counting(&decoded).0,
        Err(_) => Vec::new(),
    }
}

/// [`check`] on a document already decoded (one decoding for several passes).
pub fn check_decoded(decoded: &Decoded<'_>) -> Vec<Finding> {
    check_counting(decoded).0
}

/// [`check`], plus the bytes scanned to compute positions (at most the input's length: the
/// linearity test holds it to that).
fn check_counting(decoded: &Decoded<'_>) -> (Vec<Finding>, usize) {
    let input = decoded.as_bytes();
    let mut positions = Positions::new(input);
    let mut reader = NsReader::from_reader(input);
    let mut engine = Engine::new(None);
    // The XML declaration's encoding (`Some(None)`: a declaration without one).
    let mut declared: Option<Option<String>> = None;
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(ok) => ok,
            Err(_) => break,
        };
        let (start, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                engine.end();
                continue;
            }
            Event::Decl(d) if engine.elements == 0 => {
                declared = Some(declared_encoding(&d));
                continue;
            }
            Event::Text(t) => {
                engine.text(&normalize_eol(&String::from_utf8_lossy(&t)));
                continue;
            }
            Event::CData(t) => {
                engine.text(&normalize_eol(&String::from_utf8_lossy(&t)));
                continue;
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&name)
                        .unwrap_or_default()
                        .to_string(),
                };
                engine.text(&resolved);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if engine.elements == 0 {
            engine.declaration = Some(Declaration {
                declared: declared.take(),
                encoding: decoded.encoding(),
            });
        }
        // The element's namespace ("" when it has none, or its prefix is unbound).
        let ns = match &resolved {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()),
            _ => Cow::Borrowed(""),
        };
        let local = in_input(input, start.local_name().into_inner());
        engine.start(&ns, local, positions.at(offset));
        for a in start
            .attributes()
            .flatten()
            .filter(|a| a.key.as_namespace_binding().is_none())
        {
            let (resolved, attr_local) = reader.resolve_attribute(a.key);
            let ns = match resolved {
                ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.into_inner()),
                // `xml:` is bound without a declaration.
                _ if a.key.prefix().is_some_and(|p| p.as_ref() == b"xml") => {
                    Cow::Borrowed(std::str::from_utf8(NS_XML).unwrap_or_default())
                }
                _ => Cow::Borrowed(""),
            };
            let value = attribute_value(in_input(input, &a.value));
            engine.attribute(&ns, in_input(input, attr_local.into_inner()), &value);
        }
        engine.opened();
        if empty {
            engine.end();
        }
    }
    let mut findings: Vec<Finding> = engine.finish().into_iter().map(|f| f.finding).collect();
    findings.sort_by_key(|f| (f.line, f.column));
    (findings, positions.scanned())
}

/// The encoding an XML declaration names, if any.
fn declared_encoding(d: &quick_xml::events::BytesDecl<'_>) -> Option<String> {
    d.encoding()
        .and_then(Result::ok)
        .map(|e| String::from_utf8_lossy(&e).into_owned())
}

/// Appends `[n]`, the index of a path step (without the formatting machinery: once per element).
fn push_index(path: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    path.extend(digits[i..].iter().map(|&d| char::from(d)));
    path.push(']');
}

/// An attribute value as the typed reader reads it: attribute-value normalisation (XML 1.0
/// §3.3.3: a literal tab, line feed or end of line is a space), then references expanded.
fn attribute_value(raw: &str) -> Cow<'_, str> {
    let normalized: Cow<'_, str> = if raw.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push(' ');
                }
                '\t' | '\n' => out.push(' '),
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    };
    if !normalized.contains('&') {
        return normalized;
    }
    // (Attribute::unescape_value is compiled out when another crate of the build enables
    // quick-xml's `encoding` feature.)
    match quick_xml::escape::unescape(&normalized) {
        Ok(unescaped) => Cow::Owned(unescaped.into_owned()),
        Err(_) => normalized,
    }
}

/// `part`, a slice of `input` (the borrowing reader's events point into it), with the input's
/// lifetime; text that is not UTF-8 reads as empty (the typed reader refuses such input first).
fn in_input<'a>(input: &'a [u8], part: &[u8]) -> &'a str {
    let start = (part.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
    input
        .get(start..start.wrapping_add(part.len()))
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or("")
}

/// Checks the prose rules on a typed document as it would be written: the rules read the XML
/// the value stands for from the writer's events ([`Document::write_events`]), with no XML
/// text. Findings have element paths but no position (line and column 0), in document order.
/// The XML declaration (§4.1) is not checked: the writer always writes one, naming the
/// encoding.
///
/// ```
/// let doc = iodef::Document::<iodef::v2::IodefDocument>::from_str(
///     r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
///   <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
///   <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
///   <Contact type="organization" role="creator"/></Incident></IODEF-Document>"#,
/// )?;
/// let rules: Vec<&str> = iodef::rules::check_typed(&doc).iter().map(|f| f.rule).collect();
/// // No xsi:schemaLocation, no xml:lang, and a Contact without children.
/// assert_eq!(rules, ["RFC 7970 §4.2", "RFC 7970 §6", "RFC 7970 §3.9"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_typed<T: ReadRoot>(doc: &Document<T>) -> Vec<Finding> {
    typed(doc, None).into_iter().map(|f| f.finding).collect()
}

/// The prose rules on `doc`, a document read from `decoded`: the findings [`check_decoded`]
/// gives on that input — same rules, messages, paths, positions and order — without a second
/// pass over the XML: the rules run over the typed value ([`check_typed`]), §4.1 reads the XML
/// declaration at the start of the input, and, only when there are findings, one scan of the
/// input gives their line:column (it stops at the last element with a finding).
pub fn check_read<T: ReadRoot>(doc: &Document<T>, decoded: &Decoded<'_>) -> Vec<Finding> {
    let declaration = Declaration {
        declared: xml_declaration(decoded.as_bytes()),
        encoding: decoded.encoding(),
    };
    let mut found = typed(doc, Some(declaration));
    if found.is_empty() {
        return Vec::new();
    }
    locate(&mut found, decoded.as_bytes());
    let mut findings: Vec<Finding> = found.into_iter().map(|f| f.finding).collect();
    findings.sort_by_key(|f| (f.line, f.column));
    findings
}

/// The findings of the engine fed by `doc`'s writer events, in document order.
fn typed<T: ReadRoot>(doc: &Document<T>, declaration: Option<Declaration>) -> Vec<Found> {
    let mut engine = Engine::new(declaration);
    // The engine never fails; the writer fails only on a value no document could hold (a
    // second root), and then the findings so far are what there is.
    let _ = doc.write_events(&mut engine);
    let mut found = engine.finish();
    found.sort_by_key(|f| f.ordinal);
    found
}

/// The prose rules over a document read in parts ([`crate::stream`]): one engine, fed the
/// header's root start tag, each part's children as they come, then the root's end, so that
/// the rules spanning the document (IncidentID reuse) see all of it. Findings inside a part
/// are located in that part's input; those about the root element at its start tag.
pub(crate) struct StreamRules {
    engine: Engine,
    root_position: (u64, u64),
}

impl StreamRules {
    pub(crate) fn new<T: crate::RootElement + crate::codec::Composite>(
        header: &Document<T>,
        declared: Option<Option<String>>,
        encoding: crate::Encoding,
        root_position: (u64, u64),
    ) -> io::Result<Self> {
        let declaration = Declaration { declared, encoding };
        let mut rules = StreamRules {
            engine: Engine::new(Some(declaration)),
            root_position,
        };
        {
            let mut w = crate::XmlWriter::with_events(&mut rules.engine);
            w.set_root_xsi(&header.xsi);
            crate::codec::write_root_start(
                &mut w,
                T::NAMESPACE,
                T::NAME,
                crate::codec::type_of::<T>(),
                &header.root,
            )?;
        }
        rules.engine.opened();
        Ok(rules)
    }

    /// The findings so far of the root element itself.
    pub(crate) fn header_findings(&mut self) -> Vec<Finding> {
        self.take(None)
    }

    /// Feeds a part's children; returns the findings inside them.
    pub(crate) fn part<T: crate::codec::Composite>(
        &mut self,
        part: &T,
        raw: &crate::stream::RawPart,
    ) -> io::Result<Vec<Finding>> {
        {
            let mut w = crate::XmlWriter::with_events(&mut self.engine);
            w.continue_inside_element();
            crate::codec::write_root_part(&mut w, crate::codec::type_of::<T>(), part)?;
        }
        Ok(self.take(Some(raw)))
    }

    /// The root element ends: the findings of its content rules.
    pub(crate) fn finish(mut self) -> Vec<Finding> {
        self.engine.end();
        self.take(None)
    }

    fn take(&mut self, raw: Option<&crate::stream::RawPart>) -> Vec<Finding> {
        let mut found = std::mem::take(&mut self.engine.findings.list);
        found.sort_by_key(|f| f.ordinal);
        let (line, column) = self.root_position;
        let Some(raw) = raw else {
            return found
                .into_iter()
                .map(|f| Finding {
                    line,
                    column,
                    ..f.finding
                })
                .collect();
        };
        // Located by their paths as the part's own input numbers its children.
        let paths: Vec<String> = found.iter().map(|f| f.finding.path.clone()).collect();
        for f in &mut found {
            f.finding.path = raw.local_path(&f.finding.path);
        }
        locate(&mut found, &raw.input);
        let mut findings: Vec<Finding> = found
            .into_iter()
            .zip(paths)
            .map(|(f, path)| {
                let (line, column) = raw.map_position((f.finding.line, f.finding.column));
                Finding {
                    path,
                    line,
                    column,
                    ..f.finding
                }
            })
            .collect();
        findings.sort_by_key(|f| (f.line, f.column));
        findings
    }
}

/// The XML declaration of `input` (decoded): `Some` with the encoding it names, if any, or
/// `None` when the document has none. Reads the prolog only.
fn xml_declaration(input: &[u8]) -> Option<Option<String>> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut declared = None;
    loop {
        match reader.read_event() {
            Ok(Event::Decl(d)) => declared = Some(declared_encoding(&d)),
            Ok(Event::Start(_) | Event::Empty(_) | Event::Eof) | Err(_) => return declared,
            Ok(_) => {}
        }
    }
}

/// Gives each finding without a position the line:column of its element's start tag, found by
/// its path in one scan of `input` (element paths built as the engine builds them), which ends
/// at the last element with a finding. Findings about one attribute of the same element
/// (§5.1.1) are put in the order of those attributes in the input (a typed value writes its
/// attributes in schema order).
fn locate(found: &mut [Found], input: &[u8]) {
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, f) in found.iter().enumerate() {
        if f.finding.line == 0 {
            wanted.entry(f.finding.path.clone()).or_default().push(i);
        }
    }
    let mut positions = Positions::new(input);
    let mut reader = quick_xml::Reader::from_reader(input);
    // Per open element: the path length before it, and its children so far per name.
    let mut stack: Vec<(usize, crate::reader::SiblingCounts<'_>)> = Vec::new();
    let mut path = String::new();
    while !wanted.is_empty() {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (start, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                if let Some((len, _)) = stack.pop() {
                    path.truncate(len);
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let local = in_input(input, start.local_name().into_inner());
        let before = path.len();
        path.push('/');
        path.push_str(local);
        if let Some((_, counts)) = stack.last_mut() {
            push_index(&mut path, counts.next(local.as_bytes()));
        }
        if let Some(indices) = wanted.remove(path.as_str()) {
            let (line, column) = positions.at(offset);
            for &i in &indices {
                (found[i].finding.line, found[i].finding.column) = (line, column);
            }
            order_by_attributes(found, &indices, &start, input);
        }
        if empty {
            path.truncate(before);
        } else {
            stack.push((before, Default::default()));
        }
    }
}

/// Puts the findings `indices` of one element that are about an attribute in the order of
/// their attributes in `start`, its start tag.
fn order_by_attributes(
    found: &mut [Found],
    indices: &[usize],
    start: &BytesStart<'_>,
    input: &[u8],
) {
    let slots: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| found[i].attr.is_some())
        .collect();
    if slots.len() < 2 {
        return;
    }
    let names: Vec<&str> = start
        .attributes()
        .flatten()
        .filter(|a| a.key.prefix().is_none())
        .map(|a| in_input(input, a.key.local_name().into_inner()))
        .collect();
    let rank = |i: &usize| {
        let attr = found[*i].attr.as_deref();
        names
            .iter()
            .position(|n| Some(*n) == attr)
            .unwrap_or(usize::MAX)
    };
    let mut ordered = slots.clone();
    ordered.sort_by_key(rank);
    let moved: Vec<(Option<String>, Finding)> = ordered
        .iter()
        .map(|&i| (found[i].attr.clone(), found[i].finding.clone()))
        .collect();
    for (&slot, (attr, finding)) in slots.iter().zip(moved) {
        found[slot].attr = attr;
        found[slot].finding = finding;
    }
}

/// RFC 7970 §4.1 / RFC 5070 §4.1 on a document whose root is `IODEF-Document`.
/// The declaration's encoding is checked against the one the document is in (a byte-order
/// mark or UTF-16's `<?` tells UTF-16 from UTF-8 when the declaration names none).
fn check_declaration(root: &Frame, declaration: &Declaration, findings: &mut Findings) {
    let Some(version) = root.version.filter(|_| root.local == "IODEF-Document") else {
        return;
    };
    let rule = version.pick("RFC 7970 §4.1", "RFC 5070 §4.1");
    let at = Frame {
        path_len: 0,
        ordinal: root.ordinal,
        line: 1,
        column: 1,
        ..Frame::default()
    };
    let encoding = declaration.encoding;
    match (&declaration.declared, version) {
        (None, _) => findings.error(
            &at,
            rule,
            "an IODEF document MUST begin with an XML declaration (<?xml version=\"1.0\" ...?>)"
                .to_string(),
        ),
        (Some(None), Version::V2) => findings.error(
            &at,
            rule,
            "the XML declaration MUST specify the character encoding".to_string(),
        ),
        (Some(None), Version::V1) if encoding.name() != "UTF-8" => findings.error(
            &at,
            rule,
            format!(
                "the document is in {}, not UTF-8, so its XML declaration MUST specify the character encoding",
                encoding.xml_name()
            ),
        ),

        (Some(Some(encoding)), Version::V2)
            if !["utf-8", "utf-16", "utf-16le", "utf-16be"]
                .contains(&encoding.to_ascii_lowercase().as_str()) =>
        {
            findings.warning(
                &at,
                rule,
                format!("encoding {encoding:?}: encodings other than UTF-8 and UTF-16 SHOULD NOT be used"),
            )
        }
        _ => {}
    }
}

/// Rules on an element's attributes (and its parent), run when it starts.
fn on_open(frame: &Frame, parent: Option<&Frame>, findings: &mut Findings) {
    let Some(version) = frame.version else {
        return;
    };
    check_ext_value(frame, version, findings);
    check_required_attrs(frame, version, findings);
    match (version, frame.local.as_str()) {
        (_, "IODEF-Document") => {
            if frame.attr_ns(AttrNs::Xsi, "schemaLocation").is_none() {
                let message =
                    "IODEF-Document has no xsi:schemaLocation referencing the IODEF schema";
                match version {
                    Version::V2 => {
                        findings.error(frame, "RFC 7970 §4.2", format!("{message} (MUST)"))
                    }
                    Version::V1 => {
                        findings.warning(frame, "RFC 5070 §4.2", format!("{message} (SHOULD)"))
                    }
                }
            }
            if version == Version::V2 {
                if frame.attr_ns(AttrNs::Xml, "lang").is_none() {
                    findings.error(
                        frame,
                        "RFC 7970 §6",
                        "IODEF-Document has no xml:lang: each IODEF document MUST specify the language of its content".to_string(),
                    );
                }
                match frame.attr("private-enum-name") {
                    Some(name) => {
                        check_fqdn(frame, "private-enum-name", name, "RFC 7970 §3.1", findings)
                    }
                    None if frame.attr("private-enum-id").is_some() => findings.error(
                        frame,
                        "RFC 7970 §3.1",
                        "private-enum-id is set, so private-enum-name MUST also be set".to_string(),
                    ),
                    None => {}
                }
            }
        }
        (_, "IncidentID") => {
            if let Some(name) = frame.attr("name") {
                let rule = version.pick("RFC 7970 §3.4", "RFC 5070 §3.3");
                check_fqdn(frame, "IncidentID name", name, rule, findings);
            }
        }
        (Version::V2, "IndicatorID") => {
            if let Some(name) = frame.attr("name") {
                check_fqdn(
                    frame,
                    "IndicatorID name",
                    name,
                    "RFC 7970 §3.29.1",
                    findings,
                );
            }
        }
        (Version::V2, "IndicatorReference")
            if frame.attr("uid-ref").is_none() && frame.attr("euid-ref").is_none() =>
        {
            findings.error(
                frame,
                "RFC 7970 §3.29.7",
                "IndicatorReference MUST set either uid-ref or euid-ref".to_string(),
            );
        }
        (Version::V2, "SoftwareReference")
            if frame.attr("spec-name") == Some("custom") && frame.attr("dtype").is_none() =>
        {
            findings.error(
                frame,
                "RFC 7970 §2.15.1",
                "spec-name=\"custom\" requires the dtype attribute".to_string(),
            );
        }
        (Version::V2, field @ ("EmailHeaderField" | "ApplicationHeaderField")) => {
            let rule = if field == "EmailHeaderField" {
                "RFC 7970 §3.21"
            } else {
                "RFC 7970 §3.20.2"
            };
            if frame.attr("name").is_none() {
                findings.error(
                    frame,
                    rule,
                    format!("{field} MUST set the name attribute to the header field name"),
                );
            }
            if field == "EmailHeaderField" {
                if let Some(dtype) = frame.attr("dtype").filter(|d| *d != "string") {
                    findings.error(
                        frame,
                        rule,
                        format!(
                            "EmailHeaderField dtype MUST be \"string\", not {:?}",
                            shorten(dtype)
                        ),
                    );
                }
            }
        }
        (Version::V2, "Address") if parent.is_some_and(|p| p.is(Version::V2, "Nameservers")) => {
            let category = frame.attr("category").unwrap_or("ipv6-addr");
            if !matches!(category, "ipv4-addr" | "ipv6-addr") {
                findings.error(
                    frame,
                    "RFC 7970 §3.19.1",
                    format!("a Nameservers Address MUST have category \"ipv4-addr\" or \"ipv6-addr\", not {:?}", shorten(category)),
                );
            }
        }
        _ => {}
    }
}

/// Attributes the RFC requires and the XSD leaves optional ([`REQUIRED_ATTRS`]).
fn check_required_attrs(frame: &Frame, version: Version, findings: &mut Findings) {
    for rule in REQUIRED_ATTRS
        .iter()
        .filter(|r| r.version == version && r.element == frame.local)
    {
        if frame.attr(rule.attr).is_none() {
            findings.error(
                frame,
                rule.rule,
                format!(
                    "{} has no {} attribute: the RFC makes it required (the schema does not)",
                    rule.element, rule.attr
                ),
            );
        }
    }
}

/// Gives `parent` the identifier its IncidentID (`other` = `instance`) or IndicatorID (`other`
/// = `version`) child `frame` makes: its name, that attribute and its content.
fn set_ident(parent: &mut Frame, frame: &Frame, other: &str) {
    let parts = [
        frame.attr("name").unwrap_or_default(),
        frame.attr(other).unwrap_or_default(),
        frame.text(),
    ];
    parent.ident_text.clear();
    parent.ident = Some(parts.map(|part| {
        let start = parent.ident_text.len();
        parent.ident_text.push_str(part);
        start..parent.ident_text.len()
    }));
}

/// RFC 7970 §3.4 (RFC 5070 §3.3): IncidentID name + content is a globally unique identifier of
/// the activity, so two Incidents of one document do not share it (`instance`, a subset of the
/// named incident, tells them apart); RFC 7970 §3.29.1: likewise IndicatorID name + version +
/// content for the Indicators of a document.
fn check_unique_ident(frame: &Frame, parent: &Frame, seen: &mut Seen, findings: &mut Findings) {
    let (Some(version), Some(ident)) = (frame.version, &frame.ident) else {
        return;
    };
    let (kind, rule, what) = match frame.local.as_str() {
        "Incident" if parent.is(version, "IODEF-Document") => (
            0,
            version.pick("RFC 7970 §3.4", "RFC 5070 §3.3"),
            "IncidentID",
        ),
        "Indicator" if version == Version::V2 => (1, "RFC 7970 §3.29.1", "IndicatorID"),
        _ => return,
    };
    let parts = ident.clone().map(|range| &frame.ident_text[range]);
    let path = findings.path_of(frame);
    if let Some(first) = seen.first(kind, frame.document, parts, path) {
        let message = format!(
            "{} {what} {:?} (name {:?}) is already the identifier of {first}: it MUST be unique",
            frame.local,
            shorten(parts[2]),
            shorten(parts[0]),
        );
        findings.error(frame, rule, message);
    }
}

/// RFC 7970 §5.1.1 / RFC 5070 §5.1: `ext-foo` only with `foo="ext-value"`, and back. An empty
/// `ext-foo` gives no extension value: it counts as missing (a typed value cannot tell it from
/// a missing one, and writes neither).
fn check_ext_value(frame: &Frame, version: Version, findings: &mut Findings) {
    let rule = version.pick("RFC 7970 §5.1.1", "RFC 5070 §5.1");
    for (name, value) in frame.unprefixed_attrs() {
        if let Some(base) = name.strip_prefix("ext-") {
            if frame.attr(base) != Some("ext-value") {
                findings.push_about(
                    frame,
                    Some(name),
                    Severity::Error,
                    rule,
                    format!("attribute {name} is only allowed when {base}=\"ext-value\""),
                );
            }
        } else if value.trim() == "ext-value"
            && frame.attr(&format!("ext-{name}")).is_none_or(str::is_empty)
        {
            findings.push_about(
                frame,
                Some(name),
                Severity::Error,
                rule,
                format!("{name}=\"ext-value\" needs the attribute ext-{name}"),
            );
        }
    }
}

/// A CSIRT name MUST be the CSIRT's fully qualified domain name: a value that is not a domain
/// name at all is an error. (A single label such as `CERT-FOR-OUR-DOMAIN` is a valid domain name;
/// whether it is the CSIRT's fully qualified one cannot be decided without DNS: not reported.)
fn check_fqdn(frame: &Frame, what: &str, name: &str, rule: &'static str, findings: &mut Findings) {
    let host = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
        findings.error(frame, rule, format!("{what} {:?} is not a domain name; the CSIRT's fully qualified domain name MUST be used", shorten(name)));
    }
}

/// Rules on an element's content, run when it ends; then hands what its parent's rules need
/// over to the parent.
fn close(frame: &mut Frame, parent: Option<&mut Frame>, seen: &mut Seen, findings: &mut Findings) {
    if let Some(version) = frame.version {
        on_close(frame, version, findings);
    }
    let Some(parent) = parent else {
        return;
    };
    check_unique_ident(frame, parent, seen, findings);
    if parent.wants_grandchildren() {
        parent.grandchildren.extend(
            frame
                .children
                .iter()
                .map(|c| (frame.local.clone(), frame.child_name(c).to_string())),
        );
    }
    let Some(version) = frame.version.filter(|v| parent.version == Some(*v)) else {
        return;
    };
    match frame.local.as_str() {
        "IncidentID" if parent.is(version, "Incident") => {
            set_ident(parent, frame, "instance");
        }
        "IndicatorID" if parent.is(version, "Indicator") => {
            set_ident(parent, frame, "version");
        }
        "Portlist" => parent.portlist_ports = portlist_count(frame.text()),
        "Service" => parent.service_ports = parent.service_ports.or(frame.portlist_ports),
        "System" if parent.is(version, "Flow") => parent.systems.push(FlowSystem {
            category: frame.attr("category").map(str::to_string),
            ports: frame.service_ports,
            path: findings.path_of(frame).to_string(),
        }),
        _ => {}
    }
}

fn on_close(frame: &Frame, version: Version, findings: &mut Findings) {
    for rule in NEEDS_CHILD
        .iter()
        .filter(|r| frame.is(r.version, r.element))
    {
        if rule.any_of.is_empty() && frame.children.is_empty() {
            findings.error(
                frame,
                rule.rule,
                format!("{} MUST have at least one child element", rule.element),
            );
        } else if !rule.any_of.is_empty() && !rule.any_of.iter().any(|c| frame.has_child(c)) {
            findings.error(
                frame,
                rule.rule,
                format!(
                    "{} MUST contain at least one of: {}",
                    rule.element,
                    rule.any_of.join(", ")
                ),
            );
        }
    }
    if is_extension(version, &frame.local) {
        check_extension(frame, version, findings);
    }
    match (version, frame.local.as_str()) {
        (Version::V2, element @ ("HistoryItem" | "Expectation")) => {
            let action = frame.attr("action");
            if action == Some("defined-coa") && !frame.has_child("DefinedCOA") {
                let rule = if element == "HistoryItem" {
                    "RFC 7970 §3.13.1"
                } else {
                    "RFC 7970 §3.15"
                };
                findings.error(
                    frame,
                    rule,
                    format!("{element} with action=\"defined-coa\" MUST contain DefinedCOA"),
                );
            }
        }
        (Version::V2, "Service") => {
            let layer4 = ["Port", "Portlist", "ProtoCode", "ProtoType", "ProtoField"];
            if let Some(child) = layer4.iter().find(|c| frame.has_child(c)) {
                if frame.attr("ip-protocol").is_none() {
                    findings.error(
                        frame,
                        "RFC 7970 §3.20",
                        format!("Service has {child}, so the ip-protocol attribute MUST be set"),
                    );
                }
            }
        }
        (Version::V2, "HashData") => check_hash_data(frame, findings),
        (Version::V2, "BulkObservable") => {
            let has_hash = frame
                .grandchildren
                .iter()
                .any(|(c, g)| c == "BulkObservableFormat" && g == "Hash");
            if frame.attr("type") == Some("file-hash") && !has_hash {
                findings.error(
                    frame,
                    "RFC 7970 §3.29.3.1",
                    "BulkObservable type=\"file-hash\" MUST have a BulkObservableFormat with a Hash describing the hashes".to_string(),
                );
            }
        }
        (_, "Flow") => check_flow(frame, version, findings),
        (_, "Address") => check_address(frame, version, findings),
        (Version::V1, "Confidence")
            if frame.attr("rating") != Some("numeric") && !frame.text().is_empty() =>
        {
            findings.warning(
                    frame,
                    "RFC 5070 §3.10.4",
                    "Confidence content is only for rating=\"numeric\"; otherwise the element should be empty".to_string(),
                );
        }
        _ => {}
    }
}

/// RFC 7970 §3.26: the scopes whose hash needs to say what was hashed or with which tool.
fn check_hash_data(frame: &Frame, findings: &mut Findings) {
    let Some(scope) = frame.attr("scope") else {
        return;
    };
    let message = match scope {
        "file-pe-section" | "file-pe-resource" | "file-pdf-object" if !frame.has_child("HashTargetID") => {
            format!("HashData scope=\"{scope}\" MUST identify what was hashed with HashTargetID")
        }
        "file-pe-iat"
            if !frame
                .grandchildren
                .iter()
                .any(|(c, g)| (c == "Hash" || c == "FuzzyHash") && g == "Application") =>
        {
            "HashData scope=\"file-pe-iat\": the Application of the Hash or FuzzyHash MUST name the tool used".to_string()
        }
        _ => return,
    };
    findings.error(frame, "RFC 7970 §3.26", message);
}

/// RFC 7970 §5.2 / RFC 5070 §5.2: extension content and its `dtype`.
fn check_extension(frame: &Frame, version: Version, findings: &mut Findings) {
    let rule = version.pick("RFC 7970 §5.2", "RFC 5070 §5.2");
    let Some(dtype) = frame.attr("dtype") else {
        return;
    };
    let element = &frame.local;
    if dtype == "xml" {
        if let Some(child) = frame.children.iter().find(|c| !c.in_namespace) {
            findings.error(
                frame,
                rule,
                format!("{element} extension element <{}> has no namespace: an XML extension MUST declare its own namespace", frame.child_name(child)),
            );
        }
        return;
    }
    if let Some(child) = frame.children.first() {
        findings.error(
            frame,
            rule,
            format!(
                "{element} contains the element <{}>, so its dtype MUST be \"xml\", not {dtype:?}",
                frame.child_name(child)
            ),
        );
        return;
    }
    let text = frame.text();
    let ok = match (dtype, version) {
        ("boolean", _) => matches!(text, "true" | "false" | "1" | "0"),
        ("integer", _) => {
            let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        ("real", _) => Decimal::parse(text).is_ok() || text.parse::<f64>().is_ok(),
        ("date-time", _) | ("ntpstamp", Version::V2) => DateTime::parse(text).is_ok(),
        ("portlist", _) => portlist_count(text).is_some(),
        // Line-wrapped hex (as printed in RFCs) is still hex.
        ("bytes", Version::V2) | ("frame" | "packet" | "ipv4-packet" | "ipv6-packet", _) => {
            HexBinary::parse(&text.split_whitespace().collect::<String>()).is_ok()
        }
        // BYTE and BYTE[] are base64 (RFC 7970 §2.5.1, RFC 5070 §2.5).
        ("byte" | "file", _) => Base64Binary::parse(text).is_ok(),
        _ => true,
    };
    if !ok {
        findings.error(
            frame,
            rule,
            format!("{element} dtype={dtype:?}: the content {:?} is not of that type (dtype MUST correspond to the content)", shorten(text)),
        );
    }
}

/// Portlist symmetry between the source and target Systems of a Flow.
fn check_flow(frame: &Frame, version: Version, findings: &mut Findings) {
    let of = |category: &str| -> Vec<&FlowSystem> {
        frame
            .systems
            .iter()
            .filter(|s| s.category.as_deref() == Some(category))
            .collect()
    };
    let (sources, targets) = (of("source"), of("target"));
    let with_ports = |list: &[&FlowSystem]| -> Vec<(u64, String)> {
        list.iter()
            .filter_map(|s| s.ports.map(|p| (p, s.path.clone())))
            .collect()
    };
    let (source_ports, target_ports) = (with_ports(&sources), with_ports(&targets));
    if source_ports.is_empty() || target_ports.is_empty() {
        return;
    }
    match version {
        Version::V2 => {
            let rule = "RFC 7970 §3.20";
            let many = source_ports
                .iter()
                .chain(&target_ports)
                .any(|(n, _)| *n > 1);
            if many && (sources.len() > 1 || targets.len() > 1) {
                findings.error(
                    frame,
                    rule,
                    format!(
                        "a Flow whose Portlists list more than one port MUST have a single source and a single target System (it has {} and {})",
                        sources.len(),
                        targets.len()
                    ),
                );
            } else if source_ports[0].0 != target_ports[0].0 {
                findings.error(
                    frame,
                    rule,
                    format!(
                        "the source Portlist lists {} ports and the target Portlist {}: they must be equal, the n-th source port corresponding to the n-th target port",
                        source_ports[0].0, target_ports[0].0
                    ),
                );
            }
        }
        Version::V1 => {
            for (n, source) in &source_ports {
                if let Some((m, target)) = target_ports.iter().find(|(m, _)| m != n) {
                    findings.error(
                        frame,
                        "RFC 5070 §3.17",
                        format!("Portlists of a Flow MUST be symmetric: {source} lists {n} ports, {target} lists {m}"),
                    );
                    return;
                }
            }
        }
    }
}

/// RFC 7970 §3.18.1 / RFC 5070 §3.16.2: the content has the format of its category (no BCP 14
/// keyword: a warning).
fn check_address(frame: &Frame, version: Version, findings: &mut Findings) {
    let default = version.pick("ipv6-addr", "ipv4-addr");
    let category = frame.attr("category").unwrap_or(default);
    let value = frame.text();
    let expected = match category {
        "ipv4-addr" => (value.parse::<Ipv4Addr>().is_err())
            .then_some("an IPv4 address in dotted-decimal notation (a.b.c.d)"),
        "ipv4-net" => (!is_net::<Ipv4Addr>(value, 32)).then_some("an IPv4 network a.b.c.d/nn"),
        "ipv4-net-mask" => {
            (!is_net_mask::<Ipv4Addr>(value)).then_some("an IPv4 network with mask a.b.c.d/w.x.y.z")
        }
        "ipv6-addr" => (value.parse::<Ipv6Addr>().is_err()).then_some("an IPv6 address"),
        "ipv6-net" => (!is_net::<Ipv6Addr>(value, 128)).then_some("an IPv6 network address/prefix"),
        "ipv6-net-mask" if version == Version::V1 => {
            (!is_net_mask::<Ipv6Addr>(value)).then_some("an IPv6 network address/mask")
        }
        "mac" => (!is_mac(value)).then_some("a MAC address (aa:bb:cc:dd:ee:ff)"),
        "asn" => (!is_asn(value)).then_some("an autonomous system number"),
        "e-mail" => (!is_email(value)).then_some("an email address"),
        _ => None,
    };
    if let Some(expected) = expected {
        let implied = if frame.attr("category").is_none() {
            " (the default)"
        } else {
            ""
        };
        findings.warning(
            frame,
            version.pick("RFC 7970 §3.18.1", "RFC 5070 §3.16.2"),
            format!(
                "Address {:?} is not {expected}, as category \"{category}\"{implied} defines",
                shorten(value)
            ),
        );
    }
}

fn is_net<A: std::str::FromStr>(value: &str, max_bits: u8) -> bool {
    value.split_once('/').is_some_and(|(addr, bits)| {
        addr.parse::<A>().is_ok()
            && !bits.is_empty()
            && bits.bytes().all(|b| b.is_ascii_digit())
            && bits.parse::<u8>().is_ok_and(|b| b <= max_bits)
    })
}

fn is_net_mask<A: std::str::FromStr>(value: &str) -> bool {
    value
        .split_once('/')
        .is_some_and(|(addr, mask)| addr.parse::<A>().is_ok() && mask.parse::<A>().is_ok())
}

fn is_mac(value: &str) -> bool {
    let groups: Vec<&str> = value.split([':', '-']).collect();
    groups.len() == 6
        && groups
            .iter()
            .all(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_asn(value: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    // asplain, or asdot (RFC 5396).
    match value.split_once('.') {
        Some((high, low)) => number(high) && number(low),
        None => number(value),
    }
}

fn is_email(value: &str) -> bool {
    value.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !value.chars().any(char::is_whitespace)
    })
}

/// The number of ports a PORTLIST (`2,5-15,30`) lists; `None` when it is not one.
fn portlist_count(value: &str) -> Option<u64> {
    let mut count = 0u64;
    for part in value.split(',') {
        let (low, high) = part.split_once('-').unwrap_or((part, part));
        let number = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| s.parse::<u64>().ok())
                .flatten()
        };
        let (low, high) = (number(low)?, number(high)?);
        count = count.checked_add(high.checked_sub(low)? + 1)?;
    }
    Some(count)
}

/// A value cut for a message.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &value[..i]),
        None => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_value_pairs() {
        let doc = br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
  <Incident purpose="ext-value" ext-purpose="hunting" restriction="private">
    <Contact role="creator" type="ext-value"/>
    <Contact role="tech" type="person" ext-type="robot"/>
  </Incident>
  <x:Other xmlns:x="urn:example" a="ext-value"/>
</IODEF-Document>"#;
        // (The document also breaks §4.1, §4.2, §6 and §3.9: see tests/rules.rs for those.)
        let findings: Vec<Finding> = check(doc)
            .into_iter()
            .filter(|f| f.rule == "RFC 7970 §5.1.1")
            .collect();
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].path, "/IODEF-Document/Incident[1]/Contact[1]");
        assert!(findings[0].message.contains("needs the attribute ext-type"));
        assert_eq!((findings[0].line, findings[0].column), (3, 5));
        assert_eq!(findings[1].path, "/IODEF-Document/Incident[1]/Contact[2]");
        assert!(findings[1].message.contains("ext-type is only allowed"));
        assert_eq!(findings[1].rule, "RFC 7970 §5.1.1");
    }

    /// `Seen` finds a repeated identifier (all three parts equal, same kind and document) and
    /// nothing else, with the path of its first element.
    #[test]
    fn seen_identifiers() {
        let mut seen = Seen::default();
        for i in 0..1000 {
            let value = i.to_string();
            let path = format!("/d/Incident[{i}]");
            assert_eq!(seen.first(0, 1, ["a", "", &value], &path), None);
        }
        assert_eq!(
            seen.first(0, 1, ["a", "", "7"], "/x"),
            Some("/d/Incident[7]")
        );
        // Another kind, another document, another part: not a repeat.
        assert_eq!(seen.first(1, 1, ["a", "", "7"], "/y"), None);
        assert_eq!(seen.first(0, 2, ["a", "", "7"], "/z"), None);
        assert_eq!(seen.first(0, 1, ["a", "i", "7"], "/w"), None);
        assert_eq!(seen.first(0, 1, ["", "a", "7"], "/v"), None);
        assert_eq!(seen.first(1, 1, ["a", "", "7"], "/u"), Some("/y"));
    }

    /// Positions are computed incrementally: the bytes scanned for them never exceed the input,
    /// however many elements there are (a rescan from byte 0 per element was quadratic).
    #[test]
    fn positions_scan_the_input_once() {
        let incident = r#"<Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime><Contact role="creator" type="organization"/></Incident>
  "#;
        for copies in [10, 1000] {
            let doc = format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
  {}</IODEF-Document>"#,
                incident.repeat(copies)
            );
            let decoded = crate::encoding::decode(doc.as_bytes()).unwrap();
            let (findings, scanned) = check_counting(&decoded);
            assert!(!findings.is_empty(), "the document breaks §4.2 and §6");
            assert!(
                scanned <= doc.len(),
                "{copies} copies: scanned {scanned} of {} bytes",
                doc.len()
            );
        }
    }
}
