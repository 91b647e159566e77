//! n6 events (CERT Polska's event-sharing platform) to one IODEF 2.0 document.
//!
//! n6 emits events as JSON objects whose fields its data specification defines (`N6DataSpec`
//! in n6's `n6lib/data_spec/_data_spec.py`, described in n6's REST API documentation, "Event
//! Attributes"): a JSON array (REST API `.json`) or one object per line (REST API `.sjson`,
//! the Stream API). [`from_json`] reads either; [`events_to_iodef`] maps parsed events.
//!
//! **Grouping.** One `Incident` per distinct n6 `id`, in order of first appearance; each
//! event is one `EventData` of its Incident, in input order. n6 gives a blacklist entry's
//! updates (`bl-update`, `bl-delist`, `bl-expire`) the `id` of the entry itself: they describe
//! the same incident, and RFC 7970 §3.4 makes `IncidentID` identify one incident, so they
//! become EventData of one Incident rather than Incidents with a clashing ID. An event without
//! an `id` gets a random one ([`crate::incident_id`], RFC 8134 §7.4) and a [`Note`].
//!
//! **Fields.** Each field goes to its IODEF home (the table in `docs/n6.md`, with the RFC 7970
//! section of each); a field with none — and any field n6's specification does not define —
//! is carried verbatim in `EventData/AdditionalData` with `meaning="n6:FIELD"` (`dtype` from the
//! JSON type; objects, arrays and `null` as their JSON text with `formatid="application/json"`).
//! Nothing is dropped. The document is schema-valid and clean under [`crate::rules`].
//!
//! ```
//! let events = br#"{"id": "392ab73bbe7bcd6a56c84af2234987a4", "source": "hidden.42",
//!   "restriction": "need-to-know", "confidence": "medium", "category": "bots",
//!   "time": "2024-05-04T10:59:03Z", "address": [{"ip": "203.0.113.42", "cc": "PL", "asn": 1234}],
//!   "adip": "x.x.51.198", "dport": 22, "name": "avalanche-andromeda", "origin": "sinkhole",
//!   "proto": "tcp", "sport": 58362, "type": "event"}"#;
//! let (doc, notes) = iodef::n6::from_json(events, &iodef::n6::Options::default())?;
//! assert!(notes.is_empty());
//! let incident = &doc.root.incident[0];
//! assert_eq!(incident.incident_id.value, "392ab73bbe7bcd6a56c84af2234987a4");
//! assert_eq!(incident.restriction(), iodef::v2::RestrictionType::NeedToKnow);
//! let xml = doc.to_xml_string();
//! assert!(iodef::validate(xml.as_bytes()).is_valid());
//! assert!(iodef::rules::check(xml.as_bytes()).is_empty());
//! # Ok::<(), iodef::n6::Error>(())
//! ```

use crate::bindings::xmldsig::DigestMethodType;
use crate::incident_id::RandomError;
use crate::rt::{self, DateTime, Document, Mixed};
use crate::v2::{
    Address, AddressCategoryType, Assessment, AssessmentChoice, Confidence, ConfidenceRatingType,
    Contact, ContactRoleType, ContactType, Counter, CounterType, CounterUnitType, Discovery,
    DiscoverySourceType, DomainData, DomaindataDomainStatusType, DomaindataSystemStatusType,
    DtypeType, EventData, ExtensionType, File, FileData, Flow, Hash, HashData, HashdataScopeType,
    Incident, IncidentIdType, IncidentPurposeType, IodefDocument, Method, MlStringType, Node,
    NodeChoice, NodeRole, NoderoleCategoryType, Record, RecordData, Reference, RelatedActivity,
    RestrictionType, Service, System, SystemCategoryType, SystemImpact, SystemimpactType,
};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The schema location RFC 7970 §4.2 requires on the root.
const SCHEMA_LOCATION: &str = "urn:ietf:params:xml:ns:iodef-2.0 \
    https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd";

/// `ds:DigestMethod@Algorithm` of each n6 hash field (RFC 6931 §2.1.1, RFC 3275 §6.2.1,
/// XML Encryption §5.7.2), with the digest length in bytes.
const HASHES: [(&str, &str, usize); 3] = [
    ("md5", "http://www.w3.org/2001/04/xmldsig-more#md5", 16),
    ("sha1", "http://www.w3.org/2000/09/xmldsig#sha1", 20),
    ("sha256", "http://www.w3.org/2001/04/xmlenc#sha256", 32),
];

/// The largest count an `xs:float` Counter holds exactly (2^24); larger counts are carried
/// in AdditionalData as integers.
const EXACT_FLOAT_MAX: u64 = 1 << 24;

/// Event fields n6's data specification (`N6DataSpec`, and the Stream API's `type`) defines:
/// a field outside this list is carried too, with a [`Note`] saying it is unknown.
const N6_FIELDS: &[&str] = &[
    "id",
    "rid",
    "source",
    "restriction",
    "confidence",
    "category",
    "time",
    "modified",
    "address",
    "expires",
    "replaces",
    "status",
    "count",
    "count_actual",
    "until",
    "action",
    "adip",
    "dip",
    "dport",
    "email",
    "fqdn",
    "iban",
    "injects",
    "md5",
    "name",
    "origin",
    "phone",
    "proto",
    "registrar",
    "sha1",
    "sha256",
    "sport",
    "target",
    "url",
    "url_pattern",
    "urls_matched",
    "username",
    "x509fp_sha1",
    "client",
    "ignored",
    "alternative_fqdns",
    "block",
    "ip_network",
    "tags",
    "description",
    "filename",
    "min_amplification",
    "rt",
    "score",
    "x509issuer",
    "x509subject",
    "artemis_uuid",
    "snitch_uuid",
    "long_description",
    "additional_data",
    "botid",
    "cert_length",
    "channel",
    "dataset",
    "detected_since",
    "device_id",
    "device_model",
    "device_type",
    "device_vendor",
    "device_version",
    "dns_version",
    "facebook_id",
    "first_seen",
    "gca_specific",
    "handshake",
    "header",
    "intelmq",
    "internal_ip",
    "ipmi_version",
    "mac_address",
    "method",
    "misp_eventdid",
    "misp_attr_uuid",
    "misp_event_uuid",
    "product",
    "product_code",
    "proxy_type",
    "referer",
    "request",
    "revision",
    "sender",
    "subject_common_name",
    "sysdesc",
    "user_agent",
    "vendor",
    "version",
    "visible_databases",
    "type",
];

/// n6 categories (`CATEGORY_ENUMS`); another value is kept and noted.
const N6_CATEGORIES: &[&str] = &[
    "amplifier",
    "bots",
    "backdoor",
    "cnc",
    "deface",
    "dns-query",
    "dos-attacker",
    "dos-victim",
    "exposed",
    "flow",
    "flow-anomaly",
    "fraud",
    "leak",
    "malurl",
    "malware-action",
    "other",
    "phish",
    "proxy",
    "sandbox-url",
    "scam",
    "scanning",
    "server-exploit",
    "spam",
    "spam-url",
    "tor",
    "vulnerable",
    "webinject",
];

/// How the document is built.
#[derive(Debug, Clone)]
pub struct Options {
    /// `IncidentID@name` (the FQDN of the n6 instance whose `id`s these are, RFC 7970 §3.4)
    /// and the name of the creator Contact. Default `n6.cert.pl`.
    pub name: String,
    /// The document's `xml:lang` (RFC 7970 §6). Default `en`.
    pub lang: String,
    /// `Incident@purpose`. Default `reporting` (n6 shares events for information).
    pub purpose: IncidentPurposeType,
    /// `Incident/GenerationTime`; the current time (UTC, seconds) when `None`.
    pub generation_time: Option<DateTime>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            name: "n6.cert.pl".into(),
            lang: "en".into(),
            purpose: IncidentPurposeType::Reporting,
            generation_time: None,
        }
    }
}

/// Where in the input an event is: its number (1-based) and, for JSON lines, its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The event's number in the input, from 1.
    pub event: usize,
    /// The line its object starts on (JSON lines and concatenated objects only).
    pub line: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "event {} (line {line})", self.event),
            None => write!(f, "event {}", self.event),
        }
    }
}

/// Something the mapping decided that the reader should know (not an error): a generated ID,
/// a field or category n6's specification does not define, a count kept as an integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The event.
    pub position: Position,
    /// The n6 field, e.g. `id`, `address[1].asn`.
    pub field: String,
    /// What was done.
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.position, self.field, self.message)
    }
}

/// Why the input cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The input is not JSON (or not an array or stream of JSON values): where and why.
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// The input holds no event.
    Empty,
    /// An event is not an n6 event: which, which field, what is wrong.
    Event {
        /// The event.
        position: Position,
        /// The field (empty when the event itself is wrong, e.g. not an object).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The options make a document that breaks a rule (e.g. a `name` that is not a domain
    /// name, RFC 7970 §3.4): the path and the finding.
    Options(String),
    /// The system random number generator failed while making an ID.
    Random(RandomError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Json {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: not JSON: {message}"),
            Error::Empty => f.write_str("no n6 event in the input"),
            Error::Event {
                position,
                field,
                message,
            } if field.is_empty() => write!(f, "{position}: {message}"),
            Error::Event {
                position,
                field,
                message,
            } => write!(f, "{position}: {field}: {message}"),
            Error::Options(problem) => {
                write!(f, "the options make an invalid document: {problem}")
            }
            Error::Random(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<RandomError> for Error {
    fn from(e: RandomError) -> Self {
        Error::Random(e)
    }
}

/// One event of the input and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The JSON value (an object, once [`parse`] accepted it).
    pub value: Value,
    /// The line it starts on (JSON lines), `None` for array elements.
    pub line: Option<u64>,
}

/// Reads n6 events: a JSON array of objects (REST API `.json`), or JSON objects one after
/// another (JSON lines as the REST API's `.sjson` and the Stream API emit them; any whitespace
/// between objects). A UTF-8 byte-order mark is skipped.
pub fn parse(input: &[u8]) -> Result<Vec<Event>, Error> {
    let mut events = Vec::new();
    for_each_event(input, |event| {
        events.push(event);
        Ok(())
    })?;
    if events.is_empty() {
        return Err(Error::Empty);
    }
    Ok(events)
}

/// [`parse`] then [`events_to_iodef`], one event at a time (JSON lines are never all in
/// memory as JSON values): positions in errors and notes have the line of each event for
/// JSON lines.
pub fn from_json(
    input: &[u8],
    options: &Options,
) -> Result<(Document<IodefDocument>, Vec<Note>), Error> {
    let mut mapper = Mapper::new(options)?;
    for_each_event(input, |event| mapper.add(&event))?;
    mapper.finish()
}

/// Maps n6 events (JSON objects) to one IODEF 2.0 document (see the module documentation for
/// the grouping and `docs/n6.md` for each field), with the [`Note`]s on what the mapping
/// decided. An event that is not an object, lacks a required field (`source`, `restriction`,
/// `confidence`, `category`, `time`) or has a field of the wrong type or value (an invalid IP
/// address, port, hash, time, ...) is an [`Error::Event`] naming it and the field; options
/// the document cannot carry (a `name` that is not a domain name, RFC 7970 §3.4) are an
/// [`Error::Options`].
pub fn events_to_iodef(
    events: &[Value],
    options: &Options,
) -> Result<(Document<IodefDocument>, Vec<Note>), Error> {
    let mut mapper = Mapper::new(options)?;
    for value in events {
        mapper.add(&Event {
            value: value.clone(),
            line: None,
        })?;
    }
    mapper.finish()
}

/// Calls `f` on each event of `input` (see [`parse`]), in order; an event that is not a JSON
/// object is an error.
fn for_each_event(
    input: &[u8],
    mut f: impl FnMut(Event) -> Result<(), Error>,
) -> Result<(), Error> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let json_error = |e: serde_json::Error| {
        // serde_json's message ends with the position, which the error gives apart.
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        Error::Json {
            line: e.line(),
            column: e.column().max(1),
            message: message
                .strip_suffix(&position)
                .unwrap_or(&message)
                .to_string(),
        }
    };
    let mut checked = |index: usize, event: Event| {
        if event.value.is_object() {
            return f(event);
        }
        let position = Position {
            event: index + 1,
            line: event.line,
        };
        Err(not_an_object(position, &event.value))
    };
    let start = input.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| input[i]) {
        None => Ok(()),
        Some(b'[') => match serde_json::from_slice::<Value>(input).map_err(json_error)? {
            Value::Array(values) => {
                for (i, value) in values.into_iter().enumerate() {
                    checked(i, Event { value, line: None })?;
                }
                Ok(())
            }
            _ => unreachable!("a JSON text starting with `[` is an array"),
        },
        Some(b'{') => {
            let mut stream = serde_json::Deserializer::from_slice(input).into_iter::<Value>();
            // Lines counted once over the input, up to each object's first byte.
            let (mut counted, mut line, mut index) = (0usize, 1u64, 0usize);
            loop {
                let before = stream.byte_offset();
                let Some(value) = stream.next() else {
                    return Ok(());
                };
                let value = value.map_err(json_error)?;
                let begin = before
                    + input[before..]
                        .iter()
                        .position(|b| !b.is_ascii_whitespace())
                        .unwrap_or(0);
                line += input[counted..begin]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count() as u64;
                counted = begin;
                checked(
                    index,
                    Event {
                        value,
                        line: Some(line),
                    },
                )?;
                index += 1;
            }
        }
        Some(_) => {
            let line = 1 + input[..start.unwrap_or(0)]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(Error::Json {
                line,
                column: 1,
                message: "expected a JSON array of n6 events (`[`) or JSON objects, one per \
                          line (`{`)"
                    .into(),
            })
        }
    }
}

/// The document being built: one Incident per n6 id.
struct Mapper<'o> {
    options: &'o Options,
    generation_time: DateTime,
    events: usize,
    notes: Vec<Note>,
    incidents: Vec<Incident>,
    /// n6 id → index in `incidents`.
    by_id: HashMap<String, usize>,
    /// The IDs each Incident's RelatedActivity already lists.
    related: Vec<HashSet<String>>,
}

impl<'o> Mapper<'o> {
    /// Checks what the options put in every Incident (once, on a probe document, rather than
    /// the whole output at the end): the events' values are checked as they are mapped.
    fn new(options: &'o Options) -> Result<Self, Error> {
        let generation_time = match &options.generation_time {
            Some(time) => time.clone(),
            None => now(),
        };
        let mut probe = Mapper {
            options,
            generation_time,
            events: 0,
            notes: Vec::new(),
            incidents: Vec::new(),
            by_id: HashMap::new(),
            related: Vec::new(),
        };
        probe.incident("probe".into(), RestrictionType::Public);
        let doc = probe.document();
        // `xml:lang=""` is schema-valid ("no language"), but RFC 7970 §6 wants one.
        if options.lang.trim().is_empty() {
            return Err(Error::Options(
                "/IODEF-Document@xml:lang: empty; RFC 7970 §6 requires the document's language"
                    .into(),
            ));
        }
        let problem = match doc.validate().errors.first() {
            Some(e) => Some(format!("{}: {}", e.path, e.message)),
            None => crate::rules::check_typed(&doc)
                .first()
                .map(|f| format!("{}: {} ({})", f.path, f.message, f.rule)),
        };
        if let Some(problem) = problem {
            return Err(Error::Options(problem));
        }
        Ok(Mapper {
            incidents: Vec::new(),
            by_id: HashMap::new(),
            related: Vec::new(),
            ..probe
        })
    }

    /// A new Incident for n6 id `id`: its index.
    fn incident(&mut self, id: String, restriction: RestrictionType) -> usize {
        let name = &self.options.name;
        let incident_id = IncidentIdType {
            name: name.clone(),
            value: id.clone(),
            ..Default::default()
        };
        let mut creator = Contact::new(ContactRoleType::Creator, ContactType::Organization);
        creator.contact_name.push(MlStringType::new(name.clone()));
        let mut incident = Incident::new(
            self.options.purpose.clone(),
            incident_id,
            self.generation_time.clone(),
            vec![creator],
        );
        incident.restriction = Some(restriction);
        self.incidents.push(incident);
        self.related.push(HashSet::new());
        self.by_id.insert(id, self.incidents.len() - 1);
        self.incidents.len() - 1
    }

    fn add(&mut self, event: &Event) -> Result<(), Error> {
        self.events += 1;
        let position = Position {
            event: self.events,
            line: event.line,
        };
        let Value::Object(object) = &event.value else {
            return Err(not_an_object(position, &event.value));
        };
        let mut cx = EventCx {
            position,
            fields: object.clone(),
            notes: &mut self.notes,
        };
        let mapped = cx.map()?;
        let id = match mapped.id {
            Some(id) => id,
            None => {
                let id = crate::incident_id::random_value()?;
                cx.note(
                    "id",
                    "no `id`: a random IncidentID was generated (RFC 8134 §7.4)",
                );
                id
            }
        };
        let index = match self.by_id.get(&id) {
            Some(&index) => index,
            None => self.incident(id, mapped.restriction.clone()),
        };
        let incident = &mut self.incidents[index];
        // The Incident is as restricted as its most restricted event.
        if strictness(&mapped.restriction) > strictness(&incident.restriction()) {
            incident.restriction = Some(mapped.restriction);
        }
        if let Some(replaced) = mapped.replaces {
            if replaced != incident.incident_id.value
                && self.related[index].insert(replaced.clone())
            {
                if incident.related_activity.is_empty() {
                    incident.related_activity.push(RelatedActivity::new());
                }
                incident.related_activity[0]
                    .incident_id
                    .push(IncidentIdType {
                        name: self.options.name.clone(),
                        value: replaced,
                        ..Default::default()
                    });
            }
        }
        incident.event_data.push(mapped.event_data);
        Ok(())
    }

    fn document(&mut self) -> Document<IodefDocument> {
        let mut root = IodefDocument::new(std::mem::take(&mut self.incidents));
        root.lang = Some(self.options.lang.clone());
        let mut doc = Document::new(root);
        doc.xsi.schema_location = Some(SCHEMA_LOCATION.into());
        doc
    }

    fn finish(mut self) -> Result<(Document<IodefDocument>, Vec<Note>), Error> {
        if self.incidents.is_empty() {
            return Err(Error::Empty);
        }
        Ok((self.document(), self.notes))
    }
}

/// What one event gives its Incident.
struct Mapped {
    id: Option<String>,
    restriction: RestrictionType,
    replaces: Option<String>,
    event_data: EventData,
}

/// Where an event's `address` hosts stand in its traffic, by category: whether n6's ports
/// and `fqdn`/`url` describe them or the other end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The addresses start the connections (infected machines, scanners, spam senders, DoS
    /// sources): `sport` is theirs; `dport`, `dip`/`adip`, `fqdn` and `url` are the other end.
    Source,
    /// The addresses are the hosts the event is about (C2 servers, malicious sites, vulnerable
    /// services, victims): `dport`, `fqdn` and `url` are theirs.
    Host,
}

/// What an n6 category says about the event's hosts: their side, `System@category`,
/// `NodeRole@category` and `SystemImpact@type` (RFC 7970 §3.17, §3.18.2, §3.12.1). Only what
/// n6's definition of the category states; the rest is left out (no category, no role,
/// impact `unknown`).
fn profile(
    category: &str,
) -> (
    Side,
    Option<SystemCategoryType>,
    Option<NoderoleCategoryType>,
    SystemimpactType,
) {
    use NoderoleCategoryType as Role;
    use SystemCategoryType as Sys;
    use SystemimpactType as Impact;
    match category {
        // "infected machines"
        "bots" => (
            Side::Source,
            Some(Sys::Source),
            None,
            Impact::TakeoverSystem,
        ),
        "scanning" | "server-exploit" | "spam" | "flow" | "flow-anomaly" | "dns-query" => {
            (Side::Source, Some(Sys::Source), None, Impact::Unknown)
        }
        "dos-attacker" => (
            Side::Source,
            Some(Sys::Source),
            None,
            Impact::AvailabilitySystem,
        ),
        "dos-victim" => (
            Side::Host,
            Some(Sys::Target),
            None,
            Impact::AvailabilitySystem,
        ),
        "cnc" => (
            Side::Host,
            Some(Sys::Source),
            Some(Role::C2Server),
            Impact::Unknown,
        ),
        "malurl" => (
            Side::Host,
            Some(Sys::Source),
            Some(Role::MalwareDistribution),
            Impact::Unknown,
        ),
        "phish" => (
            Side::Host,
            Some(Sys::Source),
            Some(Role::PhishingSite),
            Impact::Unknown,
        ),
        "scam" => (
            Side::Host,
            Some(Sys::Source),
            Some(Role::FraudulentSite),
            Impact::Unknown,
        ),
        "fraud" | "sandbox-url" | "spam-url" => {
            (Side::Host, Some(Sys::Source), None, Impact::Unknown)
        }
        "proxy" => (
            Side::Host,
            Some(Sys::Intermediate),
            Some(Role::Proxy),
            Impact::Unknown,
        ),
        "tor" => (
            Side::Host,
            Some(Sys::Intermediate),
            Some(Role::Anonymization),
            Impact::Unknown,
        ),
        "amplifier" => (
            Side::Host,
            Some(Sys::Intermediate),
            Some(Role::Reflector),
            Impact::Unknown,
        ),
        // "web shells or other types of backdoors installed on compromised servers"
        "backdoor" => (Side::Host, Some(Sys::Target), None, Impact::TakeoverSystem),
        "deface" => (Side::Host, Some(Sys::Target), None, Impact::IntegrityData),
        // vulnerable, exposed, leak, webinject, malware-action, other, and unknown ones
        _ => (Side::Host, None, None, Impact::Unknown),
    }
}

/// The order of restrictions from least to most restricted, for an Incident's events.
fn strictness(restriction: &RestrictionType) -> u8 {
    match restriction {
        RestrictionType::Public => 0,
        RestrictionType::NeedToKnow => 1,
        _ => 2,
    }
}

/// One event being mapped: its fields not yet used, its position, the notes.
struct EventCx<'a> {
    position: Position,
    fields: Map<String, Value>,
    notes: &'a mut Vec<Note>,
}

impl EventCx<'_> {
    fn error(&self, field: &str, message: impl Into<String>) -> Error {
        Error::Event {
            position: self.position,
            field: field.into(),
            message: message.into(),
        }
    }

    fn note(&mut self, field: &str, message: impl Into<String>) {
        self.notes.push(Note {
            position: self.position,
            field: field.into(),
            message: message.into(),
        });
    }

    /// A string field, checked for characters XML can carry; `None` when absent.
    fn string(&mut self, field: &str) -> Result<Option<String>, Error> {
        match self.fields.remove(field) {
            None => Ok(None),
            Some(Value::String(s)) => {
                xml_text(&s).map_err(|m| self.error(field, m))?;
                Ok(Some(s))
            }
            Some(other) => Err(self.error(
                field,
                format!("expected a string, found {}", json_kind(&other)),
            )),
        }
    }

    /// A string field n6 requires, not empty.
    fn required(&mut self, field: &str) -> Result<String, Error> {
        match self.string(field)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            Some(_) => Err(self.error(field, "is empty")),
            None => Err(self.error(field, "missing (n6 requires it in every event)")),
        }
    }

    /// A time field (RFC 3339; n6 writes UTC as `Z`, a time without offset is UTC).
    fn time(&mut self, field: &str) -> Result<Option<DateTime>, Error> {
        match self.string(field)? {
            None => Ok(None),
            Some(s) => n6_time(&s).map(Some).map_err(|m| self.error(field, m)),
        }
    }

    fn map(&mut self) -> Result<Mapped, Error> {
        let id = match self.string("id")? {
            Some(id) if id.trim().is_empty() => return Err(self.error("id", "is empty")),
            id => id,
        };
        let source = self.required("source")?;
        let restriction = match self.required("restriction")?.as_str() {
            "public" => RestrictionType::Public,
            "need-to-know" => RestrictionType::NeedToKnow,
            // n6's `internal`: not to be shared outside the producing organisation.
            "internal" => RestrictionType::Private,
            other => {
                return Err(self.error(
                    "restriction",
                    format!("`{other}` is not an n6 restriction (public, need-to-know, internal)"),
                ))
            }
        };
        let confidence = match self.required("confidence")?.as_str() {
            "low" => ConfidenceRatingType::Low,
            "medium" => ConfidenceRatingType::Medium,
            "high" => ConfidenceRatingType::High,
            other => {
                return Err(self.error(
                    "confidence",
                    format!("`{other}` is not an n6 confidence (low, medium, high)"),
                ))
            }
        };
        let category = self.required("category")?;
        if !N6_CATEGORIES.contains(&category.as_str()) {
            self.note(
                "category",
                format!(
                    "`{category}` is not a category of n6's data specification: kept in \
                     Assessment/IncidentCategory, no System category or NodeRole"
                ),
            );
        }
        let time = self
            .time("time")?
            .ok_or_else(|| self.error("time", "missing (n6 requires it in every event)"))?;
        let (side, system_category, role, impact) = profile(&category);
        let origin = self.string("origin")?;

        let mut event = EventData {
            restriction: Some(restriction.clone()),
            detect_time: Some(time.clone()),
            ..EventData::new()
        };
        // An aggregated series (n6 "hifreq" events): first and last occurrence.
        if let Some(until) = self.time("until")? {
            event.start_time = Some(time);
            event.end_time = Some(until);
        }
        event.report_time = self.time("modified")?;
        if let Some(target) = self.string("target")? {
            let mut victim = Contact::new(ContactRoleType::Victim, ContactType::Organization);
            victim.contact_name.push(MlStringType::new(target));
            event.contact.push(victim);
        }
        let flow = self.flow(side, system_category, role, origin.as_deref())?;
        event.discovery.push(discovery(source, origin));
        event.assessment = Some(Box::new(self.assessment(category, impact, confidence)?));
        if let Some(name) = self.string("name")? {
            let mut reference = Reference::new();
            reference.description.push(MlStringType::new(name));
            let mut method = Method::new();
            method.reference.push(reference);
            event.method.push(method);
        }
        if !flow.system.is_empty() {
            event.flow.push(flow);
        }
        event.record = self.record()?.map(Box::new);
        let replaces = self.string("replaces")?;
        event.additional_data = self.carried()?;
        Ok(Mapped {
            id,
            restriction,
            replaces,
            event_data: event,
        })
    }

    /// `category`, `confidence` and `count` → Assessment (RFC 7970 §3.12).
    fn assessment(
        &mut self,
        category: String,
        impact: SystemimpactType,
        confidence: ConfidenceRatingType,
    ) -> Result<Assessment, Error> {
        let impact = SystemImpact {
            type_: Some(impact),
            ..SystemImpact::new()
        };
        let mut assessment =
            Assessment::new(vec![AssessmentChoice::SystemImpact(Box::new(impact))]);
        assessment
            .incident_category
            .push(MlStringType::new(category));
        assessment.confidence = Some(Box::new(Confidence::new(confidence)));
        if let Some(value) = self.fields.get("count") {
            let count =
                integer_value(value, u64::from(u32::MAX)).map_err(|m| self.error("count", m))?;
            if count <= EXACT_FLOAT_MAX {
                self.fields.remove("count");
                let mut counter =
                    Counter::new(CounterType::Counter, CounterUnitType::Event, count as f32);
                counter.meaning = Some("n6:count".into());
                assessment.counter.push(counter);
            } else {
                self.note(
                    "count",
                    format!(
                        "{count} is more than an xs:float Counter holds exactly: carried in \
                         AdditionalData"
                    ),
                );
            }
        }
        Ok(assessment)
    }

    /// `address`, `dip`, `adip`, `fqdn`, `url`, `proto`, `sport`, `dport` → the Systems of a
    /// Flow (RFC 7970 §3.16–§3.20).
    fn flow(
        &mut self,
        side: Side,
        category: Option<SystemCategoryType>,
        role: Option<NoderoleCategoryType>,
        origin: Option<&str>,
    ) -> Result<Flow, Error> {
        let mut hosts = self.address_systems(&category, &role)?;
        let fqdn = self.string("fqdn")?;
        let url = self.string("url")?;
        let dip = match self.string("dip")? {
            Some(ip) => Some(ipv4(&ip).map_err(|m| self.error("dip", m))?),
            None => None,
        };
        let adip = match self.string("adip")? {
            Some(ip) => Some(anonymized_ipv4(&ip).map_err(|m| self.error("adip", m))?),
            None => None,
        };
        // The other end of the traffic: the destination n6 names (e.g. a sinkhole).
        let mut peer: Vec<Address> = Vec::new();
        peer.extend(dip.map(|ip| address(ip, AddressCategoryType::Ipv4Addr)));
        // n6 replaces octets with `x`: not an ipv4-addr, the value as n6 gives it.
        peer.extend(
            adip.map(|ip| address(ip, AddressCategoryType::Ext("ipv4-addr-anonymized".into()))),
        );
        let site = site_node(fqdn, url);
        let mut peer_domains = Vec::new();
        match (side, site) {
            (Side::Source, Some((domains, urls))) => {
                peer_domains = domains;
                peer.extend(urls);
            }
            (Side::Host, Some((domains, urls))) => {
                let mut system = System::new(node(urls, domains, Vec::new()));
                system.category.clone_from(&category);
                system.node_role.extend(role.clone().map(NodeRole::new));
                hosts.push(system);
            }
            (_, None) => {}
        }
        let mut peer = if peer.is_empty() && peer_domains.is_empty() {
            None
        } else {
            let mut system = System::new(node(peer, peer_domains, Vec::new()));
            let (peer_category, peer_role) = match origin {
                Some("sinkhole") => (
                    SystemCategoryType::Sensor,
                    Some(NoderoleCategoryType::Sinkhole),
                ),
                Some("honeypot") => (
                    SystemCategoryType::Sensor,
                    Some(NoderoleCategoryType::Honeypot),
                ),
                Some("darknet") => (SystemCategoryType::Sensor, None),
                _ => (SystemCategoryType::Target, None),
            };
            system.category = Some(peer_category);
            system.node_role.extend(peer_role.map(NodeRole::new));
            Some(system)
        };
        self.services(side, &mut hosts, peer.as_mut())?;
        hosts.extend(peer);
        Ok(Flow {
            system: hosts,
            ..Default::default()
        })
    }

    /// One System per `address` item (RFC 7970 §3.17): its IP, ASN (`Address@category="asn"`),
    /// country code (`Location`), reverse DNS name (`DomainData`), and `dir` as
    /// `System@category`.
    fn address_systems(
        &mut self,
        category: &Option<SystemCategoryType>,
        role: &Option<NoderoleCategoryType>,
    ) -> Result<Vec<System>, Error> {
        let Some(value) = self.fields.remove("address") else {
            return Ok(Vec::new());
        };
        let Value::Array(items) = value else {
            return Err(self.error(
                "address",
                format!("expected an array of objects, found {}", json_kind(&value)),
            ));
        };
        let mut systems = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let field = |key: &str| format!("address[{i}].{key}");
            let Value::Object(mut item) = item else {
                return Err(self.error(
                    &format!("address[{i}]"),
                    format!("expected an object, found {}", json_kind(&item)),
                ));
            };
            let text =
                |key: &str, item: &mut Map<String, Value>| -> Result<Option<String>, Error> {
                    match item.remove(key) {
                        None => Ok(None),
                        Some(Value::String(s)) => {
                            xml_text(&s).map_err(|m| self.error(&field(key), m))?;
                            Ok(Some(s))
                        }
                        Some(other) => Err(self.error(
                            &field(key),
                            format!("expected a string, found {}", json_kind(&other)),
                        )),
                    }
                };
            let ip = text("ip", &mut item)?;
            let ipv6 = text("ipv6", &mut item)?;
            let cc = text("cc", &mut item)?;
            let dir = text("dir", &mut item)?;
            let rdns = text("rdns", &mut item)?;
            let mut addresses = match (ip, ipv6) {
                (Some(ip), None) => vec![address(
                    ipv4(&ip).map_err(|m| self.error(&field("ip"), m))?,
                    AddressCategoryType::Ipv4Addr,
                )],
                (None, Some(ip)) => vec![address(
                    ipv6_text(&ip).map_err(|m| self.error(&field("ipv6"), m))?,
                    AddressCategoryType::Ipv6Addr,
                )],
                (Some(_), Some(_)) => {
                    return Err(self.error(
                        &format!("address[{i}]"),
                        "has both `ip` and `ipv6` (n6 allows one of them)",
                    ))
                }
                (None, None) => {
                    return Err(self.error(&format!("address[{i}]"), "has neither `ip` nor `ipv6`"))
                }
            };
            if let Some(asn) = item.remove("asn") {
                let asn = integer_value(&asn, u64::from(u32::MAX))
                    .map_err(|m| self.error(&field("asn"), m))?;
                addresses.push(address(asn.to_string(), AddressCategoryType::Asn));
            }
            let system_category = match dir.as_deref() {
                None => category.clone(),
                Some("src") => Some(SystemCategoryType::Source),
                Some("dst") => Some(SystemCategoryType::Target),
                Some(other) => {
                    return Err(self.error(
                        &field("dir"),
                        format!("`{other}` is not an n6 direction (src, dst)"),
                    ))
                }
            };
            let domains = rdns.map(domain).into_iter().collect();
            let mut system = System::new(node(
                addresses,
                domains,
                cc.map(MlStringType::new).into_iter().collect(),
            ));
            system.category = system_category;
            system.node_role.extend(role.clone().map(NodeRole::new));
            // Keys n6 does not define in an address item: carried with the System.
            for (key, value) in item {
                self.note(
                    &field(&key),
                    "not in n6's data specification: carried in the System's AdditionalData",
                );
                system
                    .additional_data
                    .push(extension(&format!("address.{key}"), &value));
            }
            systems.push(system);
        }
        Ok(systems)
    }

    /// `proto` → `Service@ip-protocol`, `sport`/`dport` → `Service/Port` of the System they
    /// belong to (RFC 7970 §3.20, which requires `ip-protocol` with a Port). A port with no
    /// System or no protocol, and a protocol with no port, stay in AdditionalData.
    fn services(
        &mut self,
        side: Side,
        hosts: &mut [System],
        peer: Option<&mut System>,
    ) -> Result<(), Error> {
        let protocol = match self.fields.get("proto").map(|v| (v.as_str(), v)) {
            None => None,
            Some((Some("tcp"), _)) => Some(6u8),
            Some((Some("udp"), _)) => Some(17),
            Some((Some("icmp"), _)) => Some(1),
            Some((Some(other), _)) => {
                return Err(self.error(
                    "proto",
                    format!("`{other}` is not an n6 protocol (tcp, udp, icmp)"),
                ))
            }
            Some((None, value)) => {
                return Err(self.error(
                    "proto",
                    format!("expected a string, found {}", json_kind(value)),
                ))
            }
        };
        let port = |cx: &mut Self, field: &str| -> Result<Option<u16>, Error> {
            match cx.fields.get(field) {
                None => Ok(None),
                Some(value) => integer_value(value, u64::from(u16::MAX))
                    .map(|p| Some(p as u16))
                    .map_err(|m| cx.error(field, m)),
            }
        };
        let sport = port(self, "sport")?;
        let dport = port(self, "dport")?;
        let Some(protocol) = protocol else {
            return Ok(()); // ports without a protocol: AdditionalData
        };
        let mut placed = false;
        let mut place = |systems: &mut [System], port: u16| {
            for system in systems.iter_mut() {
                system.service.push(Service {
                    ip_protocol: Some(protocol.into()),
                    port: Some(port.into()),
                    ..Service::new()
                });
                placed = true;
            }
        };
        match peer {
            // A destination is named: sport is the addresses', dport the destination's.
            Some(peer) => {
                if let Some(port) = sport.filter(|_| !hosts.is_empty()) {
                    place(hosts, port);
                    self.fields.remove("sport");
                }
                if let Some(port) = dport {
                    place(std::slice::from_mut(peer), port);
                    self.fields.remove("dport");
                }
            }
            // No destination: the port of the addresses' side only (the other one has no
            // System to belong to).
            None if !hosts.is_empty() => {
                let (field, port) = match side {
                    Side::Source => ("sport", sport),
                    Side::Host => ("dport", dport),
                };
                if let Some(port) = port {
                    place(hosts, port);
                    self.fields.remove(field);
                }
            }
            None => {}
        }
        if placed {
            self.fields.remove("proto");
        }
        Ok(())
    }

    /// `md5`, `sha1`, `sha256` (hex digests of the file the event concerns) and `filename`
    /// → Record/RecordData/FileData/File with HashData (RFC 7970 §3.22, §3.25, §3.26).
    fn record(&mut self) -> Result<Option<Record>, Error> {
        let mut hashes = Vec::new();
        for (field, algorithm, length) in HASHES {
            let Some(hex) = self.string(field)? else {
                continue;
            };
            let digest = rt::HexBinary::parse(&hex)
                .ok()
                .filter(|d| d.0.len() == length)
                .ok_or_else(|| {
                    self.error(
                        field,
                        format!(
                            "`{hex}` is not a {field} digest ({} hex digits)",
                            2 * length
                        ),
                    )
                })?;
            hashes.push(Hash::new(
                DigestMethodType::new(algorithm),
                rt::Base64Binary(digest.0),
            ));
        }
        let file_name = match self.fields.get("filename") {
            Some(Value::String(_)) => self.string("filename")?,
            _ => None, // another type: carried as it is
        };
        if hashes.is_empty() && file_name.is_none() {
            return Ok(None);
        }
        let mut file = File::new();
        file.file_name = file_name;
        if !hashes.is_empty() {
            let mut hash_data = HashData::new(HashdataScopeType::FileContents);
            hash_data.hash = hashes;
            file.hash_data = Some(Box::new(hash_data));
        }
        let mut record_data = RecordData::new();
        record_data.file_data.push(FileData::new(vec![file]));
        Ok(Some(Record::new(vec![record_data])))
    }

    /// Every field not mapped above → AdditionalData `meaning="n6:FIELD"` (RFC 7970 §3.14,
    /// §2.16), in field-name order; a field n6 does not define is noted.
    fn carried(&mut self) -> Result<Vec<crate::v2::ExtensionType>, Error> {
        let fields = std::mem::take(&mut self.fields);
        let mut carried = Vec::with_capacity(fields.len());
        for (field, value) in fields {
            if let Value::String(s) = &value {
                xml_text(s).map_err(|m| self.error(&field, m))?;
            }
            if !N6_FIELDS.contains(&field.as_str()) {
                self.note(
                    &field,
                    "not in n6's data specification: carried in AdditionalData",
                );
            }
            let mut data = extension(&field, &value);
            // n6's blacklist expiry is a time: typed as one when it is a valid one.
            if field == "expires" {
                if let Some(time) = value.as_str().and_then(|s| n6_time(s).ok()) {
                    data.dtype = DtypeType::DateTime;
                    data.content = Mixed::text(time.as_str());
                }
            }
            carried.push(data);
        }
        Ok(carried)
    }
}

/// `origin` (how the data was obtained) → `Discovery@source`; `source` (the n6 data
/// source) → its reporter Contact (RFC 7970 §3.10).
fn discovery(source: String, origin: Option<String>) -> Discovery {
    let mut discovery = Discovery::new();
    if let Some(origin) = origin {
        discovery.source = Some(match origin.as_str() {
            "av" => DiscoverySourceType::Av,
            // n6's other origins (sinkhole, honeypot, darknet, ids, ...) have no exact
            // equivalent: the value itself, as RFC 7970 §5.1.1 allows.
            _ => DiscoverySourceType::Ext(origin),
        });
    }
    let mut reporter = Contact::new(ContactRoleType::Reporter, ContactType::Organization);
    reporter.contact_name.push(MlStringType::new(source));
    discovery.contact.push(reporter);
    discovery
}

/// AdditionalData `meaning="n6:FIELD"` holding `value`: strings, booleans and numbers as
/// such, anything else as its JSON text.
fn extension(field: &str, value: &Value) -> ExtensionType {
    let (dtype, text, json) = match value {
        Value::String(s) => (DtypeType::String, s.clone(), false),
        Value::Bool(b) => (DtypeType::Boolean, b.to_string(), false),
        Value::Number(n) if n.is_f64() => (DtypeType::Real, n.to_string(), false),
        Value::Number(n) => (DtypeType::Integer, n.to_string(), false),
        // serde_json escapes every control character: the text is XML-safe.
        other => (DtypeType::String, other.to_string(), true),
    };
    let mut data = ExtensionType::new(dtype);
    data.meaning = Some(format!("n6:{field}"));
    if json {
        data.formatid = Some("application/json".into());
    }
    data.content = Mixed::text(text);
    data
}

fn address(value: String, category: AddressCategoryType) -> Address {
    Address {
        category: Some(category),
        ..Address::new(value)
    }
}

/// A DomainData for a name n6 gives: RFC 7970 §3.19 requires both status attributes; n6
/// states neither.
fn domain(name: String) -> DomainData {
    DomainData {
        system_status: Some(DomaindataSystemStatusType::Unknown),
        domain_status: Some(DomaindataDomainStatusType::Unknown),
        ..DomainData::new(name)
    }
}

/// `fqdn` → DomainData/Name, `url` → Address `site-uri` (RFC 7970 §3.19, §3.18.1).
fn site_node(fqdn: Option<String>, url: Option<String>) -> Option<(Vec<DomainData>, Vec<Address>)> {
    if fqdn.is_none() && url.is_none() {
        return None;
    }
    let domains = fqdn.map(domain).into_iter().collect();
    let urls = url
        .map(|u| address(u, AddressCategoryType::SiteUri))
        .into_iter()
        .collect();
    Some((domains, urls))
}

fn node(addresses: Vec<Address>, domains: Vec<DomainData>, location: Vec<MlStringType>) -> Node {
    let mut node = Node::new();
    if !addresses.is_empty() {
        node.choice.push(NodeChoice::Address(addresses));
    }
    if !domains.is_empty() {
        node.choice.push(NodeChoice::DomainData(domains));
    }
    node.location = location;
    node
}

/// An IPv4 address in dotted-decimal notation, as n6 writes it.
fn ipv4(text: &str) -> Result<String, String> {
    text.parse::<Ipv4Addr>()
        .map(|_| text.to_string())
        .map_err(|_| format!("`{text}` is not an IPv4 address"))
}

fn ipv6_text(text: &str) -> Result<String, String> {
    text.parse::<Ipv6Addr>()
        .map(|_| text.to_string())
        .map_err(|_| format!("`{text}` is not an IPv6 address"))
}

/// n6's anonymized IPv4 address: four dot-separated octets, some (the first at least)
/// replaced by `x`.
fn anonymized_ipv4(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('.').collect();
    let octet = |p: &&str| p.eq_ignore_ascii_case("x") || p.parse::<u8>().is_ok();
    if parts.len() == 4 && parts.iter().all(octet) && parts[0].eq_ignore_ascii_case("x") {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not an anonymized IPv4 address (e.g. `x.x.51.198`)"
        ))
    }
}

/// A JSON integer in `0..=max` (n6's integer fields are never negative).
fn integer_value(value: &Value, max: u64) -> Result<u64, String> {
    match value.as_u64() {
        Some(n) if n <= max => Ok(n),
        Some(n) => Err(format!("{n} is out of range (0 to {max})")),
        None if value.is_number() => Err(format!("{value} is not an integer from 0 to {max}")),
        None => Err(format!("expected an integer, found {}", json_kind(value))),
    }
}

/// An n6 time as `xs:dateTime`: RFC 3339 (a space instead of `T` allowed); n6's times are
/// UTC, so one without an offset gets `Z`.
fn n6_time(text: &str) -> Result<DateTime, String> {
    let mut lexical = text.trim().to_string();
    if lexical.as_bytes().get(10) == Some(&b' ') {
        lexical.replace_range(10..11, "T");
    }
    let has_offset = lexical.ends_with('Z')
        || lexical.ends_with('z')
        || lexical
            .get(lexical.len().saturating_sub(6)..)
            .is_some_and(|tail| {
                let b = tail.as_bytes();
                (b[0] == b'+' || b[0] == b'-') && b[3] == b':'
            });
    if lexical.ends_with('z') {
        lexical.replace_range(lexical.len() - 1.., "Z");
    }
    if !has_offset {
        lexical.push('Z');
    }
    DateTime::parse(&lexical).map_err(|_| format!("`{text}` is not an RFC 3339 date and time"))
}

/// The current time, UTC, whole seconds.
fn now() -> DateTime {
    let text = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    DateTime::parse(&text).unwrap_or_default()
}

/// A string XML 1.0 can carry (JSON strings can hold any code point).
fn xml_text(text: &str) -> Result<(), String> {
    match text.chars().find(|c| !crate::rt::is_xml_char(*c)) {
        None => Ok(()),
        Some(c) => Err(format!(
            "U+{:04X} cannot be carried by IODEF (XML 1.0 has no such character)",
            c as u32
        )),
    }
}

fn not_an_object(position: Position, value: &Value) -> Error {
    Error::Event {
        position,
        field: String::new(),
        message: format!("an n6 event is a JSON object, not {}", json_kind(value)),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
