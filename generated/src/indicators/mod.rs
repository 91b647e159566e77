//! Indicator export (RFC 8134's CyberFed use): the indicators an IODEF 2.0 document shares, as
//! values of a few kinds ([`Kind`]), ready for block lists, IDS rules and STIX 2.1.
//!
//! [`extract`] reads only what `IndicatorData` holds: each Indicator's Observable,
//! IndicatorExpressions at any depth, BulkObservableLists (one value per line), and the elements
//! their `ObservableReference@uid-ref` point to. Victims, contacts and the reference URLs the
//! rest of a report mentions are never read: a block list that blocks one's own constituents
//! is worse than none. Every value is trimmed, checked and put in a canonical form (see
//! `docs/indicators.md`); the first occurrence of each (kind, value) is kept, with the path of
//! its source element. What is not exported is said: a [`Diagnostic`] with its path.
//!
//! Renderers: [`write_plain`], [`write_csv`], [`write_json`], [`suricata_rule`],
//! [`snort_rule`] and [`stix_bundle`].
//!
//! ```
//! let doc = iodef::read(br#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
//!   <Incident purpose="reporting">
//!     <IncidentID name="csirt.example.com">492382</IncidentID>
//!     <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
//!     <Contact type="organization" role="creator"/>
//!     <IndicatorData><Indicator>
//!       <IndicatorID name="csirt.example.com" version="1">i-1</IndicatorID>
//!       <Observable><Address category="ipv4-addr">192.0.2.200 </Address></Observable>
//!     </Indicator></IndicatorData>
//!   </Incident>
//! </IODEF-Document>"#)?;
//! let found = iodef::indicators::extract(&doc);
//! assert_eq!(found.indicators[0].kind, iodef::indicators::Kind::Ipv4Addr);
//! assert_eq!(found.indicators[0].value, "192.0.2.200");
//! assert_eq!(
//!     found.indicators[0].path,
//!     "/IODEF-Document/Incident[1]/IndicatorData[1]/Indicator[1]/Observable[1]/Address[1]"
//! );
//! # Ok::<(), iodef::Error>(())
//! ```

mod extract;
mod normalize;
mod render;
mod rules;
mod stix;

use std::sync::Arc;

pub use extract::extract;
pub use render::{write_csv, write_json, write_plain};
pub use rules::{snort_rule, suricata_rule, RuleSkip};
pub use stix::{stix_bundle, stix_timestamp, StixOptions};

/// The kind of an indicator value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An IPv4 address (`Address@category="ipv4-addr"`).
    Ipv4Addr,
    /// An IPv4 network `a.b.c.d/nn` (`ipv4-net`, and `ipv4-net-mask` with a contiguous mask).
    Ipv4Net,
    /// An IPv6 address (`ipv6-addr`, the schema default category), RFC 5952 text.
    Ipv6Addr,
    /// An IPv6 network `address/prefix` (`ipv6-net`, BulkObservable `ipv6-net-mask`).
    Ipv6Net,
    /// A domain name (DomainData/Name, BulkObservable `domain-name`), in ASCII (IDNA).
    Domain,
    /// A URL (`site-uri`, File/URL), WHATWG canonical form.
    Url,
    /// An e-mail address (`e-mail`, EmailData/EmailFrom).
    Email,
    /// An autonomous system number, asplain (`asn`).
    Asn,
    /// An MD5 digest, lower-case hex.
    Md5,
    /// A SHA-1 digest, lower-case hex.
    Sha1,
    /// A SHA-256 digest, lower-case hex.
    Sha256,
    /// A SHA-512 digest, lower-case hex.
    Sha512,
}

impl Kind {
    /// The kind's name in every output: `ipv4-addr`, `ipv4-net`, `ipv6-addr`, `ipv6-net`,
    /// `domain`, `url`, `email`, `asn`, `md5`, `sha1`, `sha256`, `sha512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Ipv4Addr => "ipv4-addr",
            Kind::Ipv4Net => "ipv4-net",
            Kind::Ipv6Addr => "ipv6-addr",
            Kind::Ipv6Net => "ipv6-net",
            Kind::Domain => "domain",
            Kind::Url => "url",
            Kind::Email => "email",
            Kind::Asn => "asn",
            Kind::Md5 => "md5",
            Kind::Sha1 => "sha1",
            Kind::Sha256 => "sha256",
            Kind::Sha512 => "sha512",
        }
    }

    /// A file hash.
    pub fn is_hash(self) -> bool {
        matches!(self, Kind::Md5 | Kind::Sha1 | Kind::Sha256 | Kind::Sha512)
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One exported indicator value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    /// Its kind.
    pub kind: Kind,
    /// The value, trimmed and canonical for its kind.
    pub value: String,
    /// Where it was found, as `iodef validate` names elements
    /// (`/IODEF-Document/Incident[1]/IndicatorData[1]/Indicator[2]/Observable[1]/Address[1]`);
    /// a line of a BulkObservableList is `PATH:N` (its N-th line).
    pub path: String,
    /// For a value reached through an `ObservableReference`: the reference's path (`path` is
    /// the referenced element's).
    pub via: Option<String>,
    /// The Indicator and Incident it comes from.
    pub origin: Arc<Origin>,
}

/// The Indicator (and its Incident) a value comes from: what STIX needs for its identifiers
/// and validity times.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// `IncidentID@name`.
    pub incident_name: String,
    /// `IncidentID`.
    pub incident_id: String,
    /// `Incident/GenerationTime`.
    pub generation_time: crate::DateTime,
    /// `IndicatorID@name`.
    pub indicator_name: String,
    /// `IndicatorID`.
    pub indicator_id: String,
    /// `IndicatorID@version`.
    pub indicator_version: String,
    /// `Indicator/StartTime`.
    pub start_time: Option<crate::DateTime>,
    /// `Indicator/EndTime`.
    pub end_time: Option<crate::DateTime>,
}

/// How much a [`Diagnostic`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Indicator data that is not exported: a value that does not parse as its kind, a kind
    /// no output has, an unknown hash algorithm, ...
    Warning,
    /// Content deliberately not exported (an e-mail's recipients, a System of category
    /// `target`, a Contact): said for completeness.
    Note,
}

/// Something [`extract`] did not export, or exported with a doubt, at a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Warning or note.
    pub severity: Severity,
    /// The element (`PATH` or `PATH:N` for a BulkObservableList line).
    pub path: String,
    /// What happened.
    pub message: String,
}

/// What [`extract`] found in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// The indicators, in document order, each (kind, value) once.
    pub indicators: Vec<IndicatorValue>,
    /// What was not exported, or exported with a doubt, in document order.
    pub diagnostics: Vec<Diagnostic>,
}
