//! IODEF 1.0 (RFC 5070) → IODEF 2.0 (RFC 7970), with a report of what does not carry over.
//!
//! The mapping follows RFC 7970 §1.4 ("Changes from RFC 5070") and a side-by-side reading of
//! the two schemas (`docs/upgrade.md` has the table). Every 1.0 value goes to its 2.0 home;
//! where 2.0 has none, or holds it in another form, a [`Loss`] says so, with the 1.0 path and
//! the RFC section. Schema defaults that changed are written explicitly, so that a value the
//! 1.0 document left implicit keeps its 1.0 meaning (an `Address` without `category` is
//! `ipv4-addr` in 1.0 but `ipv6-addr` in 2.0; an `IncidentID` without `restriction` is
//! `public` in 1.0 but inherits the Incident's in 2.0).
//!
//! ```
//! let xml = br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en">
//!   <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
//!   <ReportTime>2006-08-01T00:00:00Z</ReportTime>
//!   <Assessment><Impact type="recon"/></Assessment>
//!   <Contact role="creator" type="organization"><ContactName>CSIRT</ContactName></Contact>
//!   <EventData><Flow><System><Node><Address>192.0.2.1</Address></Node></System></Flow></EventData>
//!   </Incident></IODEF-Document>"#;
//! let doc = iodef::read(xml)?;
//! let (v2, losses) = iodef::upgrade::document_to_v2(&doc)?;
//! let incident = &v2.root.as_iodef2().expect("IODEF 2.0").incident[0];
//! assert_eq!(incident.generation_time.to_string(), "2006-08-01T00:00:00Z");
//! // The 1.0 default category, written explicitly (2.0's default is ipv6-addr).
//! let address = &v2.find_all::<iodef::v2::Address>()[0];
//! assert_eq!(address.category, Some(iodef::v2::AddressCategoryType::Ipv4Addr));
//! // `recon` has no 2.0 SystemImpact type: carried as ext-type, and reported.
//! assert!(losses.iter().any(|l| l.kind == iodef::upgrade::LossKind::Changed
//!     && l.path == "/IODEF-Document/Incident[1]/Assessment[1]/Impact[1]"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::bindings::Root;
use crate::rt::{self, SimpleValue};
use crate::{v1, v2, Document};

/// Something of the 1.0 document that IODEF 2.0 does not hold as it was (path: the 1.0 element
/// or `…/@attribute` path, e.g.
/// `/IODEF-Document/Incident[1]/EventData[2]/Flow[1]/System[1]/Node/NodeName`; what: in plain
/// words, with the RFC section).
pub type Loss = rt::Loss<LossKind>;

/// What kind of [`Loss`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LossKind {
    /// Not carried: 2.0 has no place for it.
    Dropped,
    /// Carried in another form: another element or attribute (free text, an `ext-*` value)
    /// whose meaning is close to, but not exactly, the 1.0 one.
    Changed,
    /// Not lost: a value 2.0 requires (or its prose rules do) that the 1.0 document did not
    /// have, filled from another 1.0 value or with `unknown`. A note, not a loss.
    Inferred,
}

impl LossKind {
    /// The name used in reports: `dropped`, `changed`, `inferred`.
    pub fn as_str(self) -> &'static str {
        match self {
            LossKind::Dropped => "dropped",
            LossKind::Changed => "changed",
            LossKind::Inferred => "inferred",
        }
    }

    /// True for a loss of 1.0 information (`dropped`, `changed`); false for a note.
    pub fn is_loss(self) -> bool {
        self != LossKind::Inferred
    }
}

/// Why a document cannot be converted: its root is not an IODEF 1.0 `IODEF-Document`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotIodef1 {
    /// The root element, `{namespace}local`.
    pub root: String,
}

impl std::fmt::Display for NotIodef1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the root is {}, not an IODEF 1.0 IODEF-Document (urn:ietf:params:xml:ns:iodef-1.0): \
             nothing to convert to IODEF 2.0",
            self.root
        )
    }
}

impl std::error::Error for NotIodef1 {}

/// Where RFC 7970 §4.2 puts the IODEF 2.0 schema (its IANA registration).
pub const SCHEMA_LOCATION_V2: &str =
    "https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd";

/// Converts a document whose root is an IODEF 1.0 `IODEF-Document`: the 2.0 document (with
/// the comments before and after the root, and `xsi:schemaLocation` pointed at the 2.0
/// schema) and what did not carry over, in document order.
pub fn document_to_v2(doc: &Document<Root>) -> Result<(Document<Root>, Vec<Loss>), NotIodef1> {
    let v1 = doc.root.as_iodef1().ok_or_else(|| NotIodef1 {
        root: format!("{{{}}}{}", doc.root.namespace(), doc.root.local_name()),
    })?;
    let mut up = Upgrade::default();
    // The root's attributes first: the losses are in document order.
    let schema_location = up.schema_location(doc.xsi.schema_location.as_deref());
    if let Some(location) = &doc.xsi.no_namespace_schema_location {
        up.lose(
            "/IODEF-Document/@xsi:noNamespaceSchemaLocation",
            LossKind::Dropped,
            format!(
                "xsi:noNamespaceSchemaLocation {location:?} names a schema without a namespace; \
                 IODEF 2.0 has one (RFC 7970 §4.2)"
            ),
        );
    }
    let root = up.document(v1);
    let mut out = Document::new(Root::Iodef2(v2::Element::IodefDocument(Box::new(root))));
    out.prolog = doc.prolog.clone();
    out.epilog = doc.epilog.clone();
    out.xsi.schema_location = Some(schema_location);
    Ok((out, up.losses))
}

/// Converts an IODEF 1.0 `IODEF-Document` value; the losses are in document order.
pub fn to_v2(doc: &v1::IodefDocument) -> (v2::IodefDocument, Vec<Loss>) {
    let mut up = Upgrade::default();
    let out = up.document(doc);
    (out, up.losses)
}

/// An enumeration value of 1.0 as the 2.0 enumeration of the same name, when 2.0 lists the
/// value (`ext-value` keeps its `ext-*` text).
fn same_value<A: SimpleValue, B: SimpleValue>(a: &A) -> Option<B> {
    let mut b = B::parse_xml(&a.to_xml()).ok()?;
    if let Some(ext) = a.ext() {
        b.set_ext(ext.to_owned()).ok()?;
    }
    Some(b)
}

/// An enumeration whose 1.0 values are all 2.0 values (checked by the tests on every value).
fn listed<A: SimpleValue, B: SimpleValue>(a: &A) -> B {
    same_value(a).expect("every 1.0 value of this enumeration is a 2.0 value")
}

fn ml(s: &v1::MlStringType) -> v2::MlStringType {
    v2::MlStringType {
        lang: s.lang.clone(),
        value: s.value.clone(),
        ..Default::default()
    }
}

fn text(value: &str) -> v2::MlStringType {
    v2::MlStringType {
        value: value.to_owned(),
        ..Default::default()
    }
}

fn restriction(r: &Option<v1::RestrictionType>) -> Option<v2::RestrictionType> {
    r.as_ref().map(listed)
}

/// A `restriction` whose 1.0 schema default is not 2.0's: written explicitly when implicit.
fn restriction_or(
    r: &Option<v1::RestrictionType>,
    default: v2::RestrictionType,
) -> Option<v2::RestrictionType> {
    Some(restriction(r).unwrap_or(default))
}

/// `[n]` paths: 1-based index of repeatable elements.
fn nth(path: &str, name: &str, i: usize) -> String {
    format!("{path}/{name}[{}]", i + 1)
}

#[derive(Default)]
struct Upgrade {
    losses: Vec<Loss>,
}

impl Upgrade {
    fn lose(&mut self, path: impl Into<String>, kind: LossKind, what: impl Into<String>) {
        self.losses.push(Loss {
            path: path.into(),
            kind,
            what: what.into(),
        });
    }

    /// Comments, processing instructions and (lenient reading) unknown content kept beside a
    /// 1.0 value: the 2.0 element structure differs, so they are not carried.
    fn extra(&mut self, path: &str, extra: &rt::Extra) {
        let Some(data) = extra.get() else { return };
        for attribute in &data.attributes {
            self.lose(
                path,
                LossKind::Dropped,
                format!(
                    "attribute {}={:?} not carried (not an IODEF 2.0 attribute here)",
                    match &attribute.prefix {
                        Some(prefix) => format!("{prefix}:{}", attribute.local),
                        None => attribute.local.clone(),
                    },
                    attribute.value
                ),
            );
        }
        let (mut comments, mut unknown) = (0, 0);
        let mut count = |node: &rt::ExtraNode| match node {
            rt::ExtraNode::Comment(_) | rt::ExtraNode::ProcessingInstruction(_) => comments += 1,
            rt::ExtraNode::Text(_) | rt::ExtraNode::Element(_) => unknown += 1,
            rt::ExtraNode::Child(child) => {
                for anchored in child.nodes() {
                    match anchored.node {
                        rt::ExtraNode::Comment(_) | rt::ExtraNode::ProcessingInstruction(_) => {
                            comments += 1
                        }
                        _ => unknown += 1,
                    }
                }
            }
        };
        for anchored in &data.nodes {
            count(&anchored.node);
        }
        if comments > 0 {
            self.lose(
                path,
                LossKind::Dropped,
                format!(
                    "{comments} comment(s) or processing instruction(s) inside it not carried \
                     (its 2.0 element structure differs, RFC 7970 §1.4)"
                ),
            );
        }
        if unknown > 0 {
            self.lose(
                path,
                LossKind::Dropped,
                format!(
                    "{unknown} item(s) of content unknown to the IODEF 1.0 schema (kept by a \
                     lenient read) not carried"
                ),
            );
        }
    }

    /// `ext-*` attributes without an `ext-value` partner (RFC 7970 §5.1.1 violations the
    /// schemas allow): carried, except one the conversion itself now needs (`conflict`).
    fn unpaired(
        &mut self,
        path: &str,
        list: &[(String, String)],
        conflict: Option<&str>,
    ) -> Vec<(String, String)> {
        let mut out = Vec::with_capacity(list.len());
        for (name, value) in list {
            if Some(name.as_str()) == conflict {
                self.lose(
                    format!("{path}/@{name}"),
                    LossKind::Dropped,
                    format!(
                        "{name}={value:?} without ext-value not carried: the 2.0 element needs \
                         {name} for the converted value (RFC 7970 §5.1.1)"
                    ),
                );
            } else {
                out.push((name.clone(), value.clone()));
            }
        }
        out
    }

    /// Converts each item of a repeatable 1.0 element (`name`, under `path`) with `convert`.
    fn each<A, B>(
        &mut self,
        path: &str,
        name: &str,
        list: &[A],
        convert: impl Fn(&mut Self, &str, &A) -> B,
    ) -> Vec<B> {
        list.iter()
            .enumerate()
            .map(|(i, item)| convert(self, &nth(path, name, i), item))
            .collect()
    }

    fn ml(&mut self, path: &str, s: &v1::MlStringType) -> v2::MlStringType {
        self.extra(path, &s.extra);
        ml(s)
    }

    fn ml_list(
        &mut self,
        path: &str,
        name: &str,
        list: &[v1::MlStringType],
    ) -> Vec<v2::MlStringType> {
        self.each(path, name, list, Self::ml)
    }

    fn document(&mut self, doc: &v1::IodefDocument) -> v2::IodefDocument {
        let path = "/IODEF-Document";
        self.extra(path, &doc.extra);
        v2::IodefDocument {
            // RFC 7970 §3.1: the version of this specification.
            version: Some("2.00".into()),
            lang: Some(doc.lang.clone()),
            // RFC 7970 §3.1: `formatid` is spelled `format-id`.
            format_id: doc.formatid.clone(),
            incident: self.each(path, "Incident", &doc.incident, Self::incident),
            ..Default::default()
        }
    }

    /// `xsi:schemaLocation`, which RFC 7970 §4.2 requires: the IODEF 1.0 pair pointed at the
    /// 2.0 schema, other pairs kept, the 2.0 pair added when missing. A value that is not
    /// pairs (RFC 5070's examples give one URN) is replaced by the 2.0 pair.
    fn schema_location(&mut self, pairs: Option<&str>) -> String {
        let path = "/IODEF-Document/@xsi:schemaLocation";
        let v2_pair = format!("{} {SCHEMA_LOCATION_V2}", v2::NAMESPACE);
        let words: Vec<&str> = pairs.unwrap_or("").split_ascii_whitespace().collect();
        if words.len() % 2 == 1 {
            self.lose(
                path,
                LossKind::Changed,
                format!(
                    "{:?} is not namespace/location pairs: replaced by {v2_pair:?} (RFC 7970 §4.2)",
                    pairs.unwrap_or("")
                ),
            );
            return v2_pair;
        }
        let mut out = Vec::with_capacity(words.len() / 2 + 1);
        for pair in words.chunks(2) {
            if pair[0] == v1::NAMESPACE {
                self.lose(
                    path,
                    LossKind::Changed,
                    format!(
                        "the IODEF 1.0 schema location {:?} is replaced by the IODEF 2.0 one \
                         {SCHEMA_LOCATION_V2:?} (RFC 7970 §4.2)",
                        pair[1]
                    ),
                );
                out.push(v2_pair.clone());
            } else {
                out.push(pair.join(" "));
            }
        }
        if !out.contains(&v2_pair) {
            self.lose(
                path,
                LossKind::Inferred,
                format!(
                    "RFC 7970 §4.2 requires xsi:schemaLocation to name the IODEF 2.0 schema: \
                     {v2_pair:?} is written"
                ),
            );
            out.push(v2_pair);
        }
        out.join(" ")
    }

    fn incident_id(&mut self, path: &str, id: &v1::IncidentIdType) -> v2::IncidentIdType {
        self.extra(path, &id.extra);
        v2::IncidentIdType {
            name: id.name.clone(),
            instance: id.instance.clone(),
            // 1.0 default `public`; 2.0 has none (inherited from the enclosing class,
            // RFC 7970 §3.3.1): written explicitly.
            restriction: restriction_or(&id.restriction, v2::RestrictionType::Public),
            value: id.value.clone(),
            ..Default::default()
        }
    }

    fn incident_ids(&mut self, path: &str, ids: &[v1::IncidentIdType]) -> Vec<v2::IncidentIdType> {
        self.each(path, "IncidentID", ids, Self::incident_id)
    }

    fn incident(&mut self, path: &str, incident: &v1::Incident) -> v2::Incident {
        self.extra(path, &incident.extra);
        let alternative_id = incident.alternative_id.as_ref().map(|alt| {
            let p = format!("{path}/AlternativeID");
            self.extra(&p, &alt.extra);
            Box::new(v2::AlternativeId {
                restriction: restriction(&alt.restriction),
                incident_id: self.incident_ids(&p, &alt.incident_id),
                ..Default::default()
            })
        });
        let related_activity = incident
            .related_activity
            .as_ref()
            .map(|related| {
                let p = format!("{path}/RelatedActivity");
                self.extra(&p, &related.extra);
                let mut out = v2::RelatedActivity {
                    restriction: restriction(&related.restriction),
                    ..Default::default()
                };
                match &related.choice {
                    v1::RelatedActivityChoice::IncidentId(ids) => {
                        out.incident_id = self.incident_ids(&p, ids)
                    }
                    v1::RelatedActivityChoice::Url(urls) => out.url = urls.clone(),
                }
                out
            })
            .into_iter()
            .collect();
        // RFC 7970 §3.2: GenerationTime (required) is new; ReportTime keeps its meaning.
        self.lose(
            format!("{path}/ReportTime"),
            LossKind::Inferred,
            "GenerationTime, required in IODEF 2.0 and absent from 1.0, is taken from \
             ReportTime (RFC 7970 §3.2); ReportTime is kept",
        );
        v2::Incident {
            purpose: listed(&incident.purpose),
            lang: incident.lang.clone(),
            restriction: restriction(&incident.restriction),
            unpaired_ext: self.unpaired(path, &incident.unpaired_ext, None),
            incident_id: self.incident_id(&format!("{path}/IncidentID"), &incident.incident_id),
            alternative_id,
            related_activity,
            detect_time: incident.detect_time.clone(),
            start_time: incident.start_time.clone(),
            end_time: incident.end_time.clone(),
            report_time: Some(incident.report_time.clone()),
            generation_time: incident.report_time.clone(),
            description: self.ml_list(path, "Description", &incident.description),
            assessment: self.each(path, "Assessment", &incident.assessment, Self::assessment),
            method: self.methods(path, &incident.method),
            contact: self.contacts(path, &incident.contact),
            event_data: self.event_data_list(path, &incident.event_data),
            history: incident
                .history
                .as_ref()
                .map(|h| Box::new(self.history(&format!("{path}/History"), h))),
            additional_data: self.additional_data(
                path,
                "AdditionalData",
                &incident.additional_data,
            ),
            ..Default::default()
        }
    }

    fn additional_data(
        &mut self,
        path: &str,
        name: &str,
        list: &[v1::ExtensionType],
    ) -> Vec<v2::ExtensionType> {
        list.iter()
            .enumerate()
            .map(|(i, data)| {
                let p = nth(path, name, i);
                self.extra(&p, &data.extra);
                v2::ExtensionType {
                    dtype: listed(&data.dtype),
                    meaning: data.meaning.clone(),
                    formatid: data.formatid.clone(),
                    restriction: restriction(&data.restriction),
                    unpaired_ext: self.unpaired(&p, &data.unpaired_ext, None),
                    // Foreign XML (and 1.0 elements) carried as they are.
                    content: data.content.clone(),
                    ..Default::default()
                }
            })
            .collect()
    }

    fn assessment(&mut self, path: &str, a: &v1::Assessment) -> v2::Assessment {
        self.extra(path, &a.extra);
        let (mut impacts, mut times, mut monies) = (0, 0, 0);
        let mut choice = Vec::with_capacity(a.choice.len());
        for c in &a.choice {
            choice.push(match c {
                v1::AssessmentChoice::Impact(impact) => {
                    impacts += 1;
                    self.impact(&nth(path, "Impact", impacts - 1), impact)
                }
                v1::AssessmentChoice::TimeImpact(t) => {
                    times += 1;
                    let p = nth(path, "TimeImpact", times - 1);
                    self.extra(&p, &t.extra);
                    v2::AssessmentChoice::TimeImpact(Box::new(v2::TimeImpact {
                        severity: t.severity.as_ref().map(listed),
                        metric: listed(&t.metric),
                        duration: t.duration.as_ref().map(listed),
                        unpaired_ext: self.unpaired(&p, &t.unpaired_ext, None),
                        value: v2::PositiveFloatType(t.value.0),
                        ..Default::default()
                    }))
                }
                v1::AssessmentChoice::MonetaryImpact(m) => {
                    monies += 1;
                    self.extra(&nth(path, "MonetaryImpact", monies - 1), &m.extra);
                    v2::AssessmentChoice::MonetaryImpact(Box::new(v2::MonetaryImpact {
                        severity: m.severity.as_ref().map(listed),
                        currency: m.currency.clone(),
                        value: v2::PositiveFloatType(m.value.0),
                        ..Default::default()
                    }))
                }
            });
        }
        let confidence = a.confidence.as_ref().map(|c| {
            let p = format!("{path}/Confidence");
            self.extra(&p, &c.extra);
            let value = rt::trim_ws(&c.value);
            if !value.is_empty() {
                self.lose(
                    &p,
                    LossKind::Dropped,
                    format!(
                        "the Confidence value {value:?} has no place: RFC 7970's schema gives \
                         Confidence no content (§3.12.5; erratum 5543 would restore it)"
                    ),
                );
            }
            Box::new(v2::Confidence {
                rating: listed(&c.rating),
                ..Default::default()
            })
        });
        v2::Assessment {
            occurrence: a.occurrence.as_ref().map(listed),
            restriction: restriction(&a.restriction),
            choice,
            counter: self.counters(path, &a.counter),
            confidence,
            additional_data: self.additional_data(path, "AdditionalData", &a.additional_data),
            ..Default::default()
        }
    }

    /// RFC 7970 §1.4, §3.12.1, §3.12.2: Impact is replaced by SystemImpact and
    /// BusinessImpact, with new type lists. Types 2.0 lists keep their name (`policy`,
    /// `unknown` in SystemImpact, `extortion` in BusinessImpact); the others keep their 1.0
    /// name as `ext-type`, reported.
    fn impact(&mut self, path: &str, impact: &v1::Impact) -> v2::AssessmentChoice {
        self.extra(path, &impact.extra);
        let description: Vec<v2::MlStringType> = if impact.value.is_empty() {
            Vec::new()
        } else {
            vec![v2::MlStringType {
                lang: impact.lang.clone(),
                value: impact.value.clone(),
                ..Default::default()
            }]
        };
        if impact.value.is_empty() && impact.lang.is_some() {
            self.lose(
                format!("{path}/@lang"),
                LossKind::Dropped,
                "the lang of an Impact without text has no place: 2.0 keeps it on the \
                 Description (RFC 7970 §3.12.1)",
            );
        }
        if impact.type_ == Some(v1::ImpactType::Extortion) {
            if let Some(completion) = &impact.completion {
                self.lose(
                    format!("{path}/@completion"),
                    LossKind::Dropped,
                    format!(
                        "completion={:?}: BusinessImpact, the 2.0 home of an extortion impact, \
                         has no completion (RFC 7970 §3.12.2)",
                        completion.as_str()
                    ),
                );
            }
            return v2::AssessmentChoice::BusinessImpact(Box::new(v2::BusinessImpactType {
                severity: impact.severity.as_ref().map(listed),
                type_: Some(v2::BusinessimpactType::Extortion),
                unpaired_ext: self.unpaired(path, &impact.unpaired_ext, None),
                description,
                ..Default::default()
            }));
        }
        let (type_, conflict) = match &impact.type_ {
            None => (None, None),
            Some(
                t @ (v1::ImpactType::Policy | v1::ImpactType::Unknown | v1::ImpactType::Ext(_)),
            ) => (Some(listed(t)), None),
            Some(t) => {
                self.lose(
                    path,
                    LossKind::Changed,
                    format!(
                        "Impact type {:?} has no IODEF 2.0 SystemImpact or BusinessImpact type: \
                         written as SystemImpact type=\"ext-value\" ext-type={:?} \
                         (RFC 7970 §1.4, §3.12.1)",
                        t.as_str(),
                        t.as_str()
                    ),
                );
                (
                    Some(v2::SystemimpactType::Ext(t.as_str().to_owned())),
                    Some("ext-type"),
                )
            }
        };
        v2::AssessmentChoice::SystemImpact(Box::new(v2::SystemImpact {
            severity: impact.severity.as_ref().map(listed),
            completion: impact.completion.as_ref().map(listed),
            type_,
            unpaired_ext: self.unpaired(path, &impact.unpaired_ext, conflict),
            description,
            ..Default::default()
        }))
    }

    /// RFC 7970 §1.4, §3.18.3: the 1.0 `type` (what is counted) is the 2.0 `unit`; the new
    /// 2.0 `type` says whether it is a count or, with `duration` (1.0: "the Counter class
    /// represents a rate"), a rate.
    fn counters(&mut self, path: &str, list: &[v1::Counter]) -> Vec<v2::Counter> {
        list.iter()
            .enumerate()
            .map(|(i, c)| {
                let p = nth(path, "Counter", i);
                self.extra(&p, &c.extra);
                // xs:double in 1.0, xs:float in 2.0.
                let value = c.value as f32;
                if value.to_string() != c.value.to_string() && !c.value.is_nan() {
                    self.lose(
                        &p,
                        LossKind::Changed,
                        format!(
                            "the value {} is not an xs:float (2.0 Counter, RFC 7970 §3.18.3; \
                             1.0 had xs:double): written as {value}",
                            c.value
                        ),
                    );
                }
                let unpaired_ext = self
                    .unpaired(&p, &c.unpaired_ext, None)
                    .into_iter()
                    .map(|(name, v)| {
                        let name = if name == "ext-type" {
                            "ext-unit".into()
                        } else {
                            name
                        };
                        (name, v)
                    })
                    .collect();
                v2::Counter {
                    type_: if c.duration.is_some() {
                        v2::CounterType::Rate
                    } else {
                        v2::CounterType::Counter
                    },
                    unit: listed(&c.type_),
                    meaning: c.meaning.clone(),
                    duration: c.duration.as_ref().map(listed),
                    unpaired_ext,
                    value,
                    ..Default::default()
                }
            })
            .collect()
    }

    fn methods(&mut self, path: &str, list: &[v1::Method]) -> Vec<v2::Method> {
        self.each(path, "Method", list, Self::method)
    }

    fn method(&mut self, path: &str, m: &v1::Method) -> v2::Method {
        self.extra(path, &m.extra);
        let mut out = v2::Method {
            restriction: restriction(&m.restriction),
            additional_data: self.additional_data(path, "AdditionalData", &m.additional_data),
            ..Default::default()
        };
        // 2.0 lists the References before the Descriptions (RFC 7970 §3.11); their relative
        // order carries no meaning.
        for c in &m.choice {
            match c {
                v1::MethodChoice::Reference(r) => {
                    let p = nth(path, "Reference", out.reference.len());
                    out.reference.push(self.reference(&p, r));
                }
                v1::MethodChoice::Description(d) => {
                    let p = nth(path, "Description", out.description.len());
                    out.description.push(self.ml(&p, d));
                }
            }
        }
        out
    }

    /// RFC 7970 §3.11.1: ReferenceName is the structured `enum:ReferenceName` of RFC 7495
    /// (an IANA specIndex and an ID), which a free-text 1.0 name cannot be turned into
    /// reliably: it becomes the first Description.
    fn reference(&mut self, path: &str, r: &v1::Reference) -> v2::Reference {
        self.extra(path, &r.extra);
        let name_path = format!("{path}/ReferenceName");
        self.lose(
            &name_path,
            LossKind::Changed,
            format!(
                "ReferenceName {:?} is free text in 1.0 but an RFC 7495 enum:ReferenceName \
                 (specIndex + ID) in 2.0: written as the Reference's first Description \
                 (RFC 7970 §3.11.1)",
                r.reference_name.value
            ),
        );
        let mut description = vec![self.ml(&name_path, &r.reference_name)];
        description.extend(self.ml_list(path, "Description", &r.description));
        v2::Reference {
            url: r.url.clone(),
            description,
            ..Default::default()
        }
    }

    fn contacts(&mut self, path: &str, list: &[v1::Contact]) -> Vec<v2::Contact> {
        self.each(path, "Contact", list, Self::contact)
    }

    /// RFC 7970 §3.9: PostalAddress, Email and Telephone are classes; the 1.0 `meaning`
    /// (a free-form description of the content) is their Description; Fax is a Telephone of
    /// type `fax` (§3.9.4).
    fn contact(&mut self, path: &str, c: &v1::Contact) -> v2::Contact {
        self.extra(path, &c.extra);
        let meaning = |m: &Option<String>| m.iter().map(|m| text(m)).collect::<Vec<_>>();
        let mut telephone: Vec<v2::Telephone> = c
            .telephone
            .iter()
            .enumerate()
            .map(|(i, t)| {
                self.extra(&nth(path, "Telephone", i), &t.extra);
                v2::Telephone {
                    telephone_number: t.value.clone(),
                    description: meaning(&t.meaning),
                    ..Default::default()
                }
            })
            .collect();
        if let Some(fax) = &c.fax {
            self.extra(&format!("{path}/Fax"), &fax.extra);
            telephone.push(v2::Telephone {
                type_: Some(v2::TelephoneType::Fax),
                telephone_number: fax.value.clone(),
                description: meaning(&fax.meaning),
                ..Default::default()
            });
        }
        let postal_address = c
            .postal_address
            .iter()
            .map(|p| {
                self.extra(&format!("{path}/PostalAddress"), &p.extra);
                v2::PostalAddress {
                    p_address: v2::MlStringType {
                        lang: p.lang.clone(),
                        value: p.value.clone(),
                        ..Default::default()
                    },
                    description: meaning(&p.meaning),
                    ..Default::default()
                }
            })
            .collect();
        v2::Contact {
            role: listed(&c.role),
            type_: listed(&c.type_),
            restriction: restriction(&c.restriction),
            unpaired_ext: self.unpaired(path, &c.unpaired_ext, None),
            contact_name: c
                .contact_name
                .iter()
                .map(|n| self.ml(&format!("{path}/ContactName"), n))
                .collect(),
            description: self.ml_list(path, "Description", &c.description),
            registry_handle: c
                .registry_handle
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let p = nth(path, "RegistryHandle", i);
                    self.extra(&p, &h.extra);
                    v2::RegistryHandle {
                        registry: h.registry.as_ref().map(listed),
                        unpaired_ext: self.unpaired(&p, &h.unpaired_ext, None),
                        value: h.value.clone(),
                        ..Default::default()
                    }
                })
                .collect(),
            postal_address,
            email: c
                .email
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    self.extra(&nth(path, "Email", i), &e.extra);
                    v2::Email {
                        email_to: e.value.clone(),
                        description: meaning(&e.meaning),
                        ..Default::default()
                    }
                })
                .collect(),
            telephone,
            timezone: c.timezone.as_ref().map(|t| v2::TimezoneType(t.0.clone())),
            contact: self.contacts(path, &c.contact),
            additional_data: self.additional_data(path, "AdditionalData", &c.additional_data),
            ..Default::default()
        }
    }

    fn event_data_list(&mut self, path: &str, list: &[v1::EventData]) -> Vec<v2::EventData> {
        self.each(path, "EventData", list, Self::event_data)
    }

    fn event_data(&mut self, path: &str, e: &v1::EventData) -> v2::EventData {
        self.extra(path, &e.extra);
        v2::EventData {
            // 1.0 default `default`; 2.0 has none (inherited, RFC 7970 §3.3.1).
            restriction: restriction_or(&e.restriction, v2::RestrictionType::Default),
            description: self.ml_list(path, "Description", &e.description),
            detect_time: e.detect_time.clone(),
            start_time: e.start_time.clone(),
            end_time: e.end_time.clone(),
            contact: self.contacts(path, &e.contact),
            assessment: e
                .assessment
                .as_ref()
                .map(|a| Box::new(self.assessment(&format!("{path}/Assessment"), a))),
            method: self.methods(path, &e.method),
            flow: e
                .flow
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let p = nth(path, "Flow", i);
                    self.extra(&p, &f.extra);
                    v2::Flow {
                        system: self.each(&p, "System", &f.system, Self::system),
                        ..Default::default()
                    }
                })
                .collect(),
            expectation: self.each(path, "Expectation", &e.expectation, Self::expectation),
            record: e
                .record
                .as_ref()
                .map(|r| Box::new(self.record(&format!("{path}/Record"), r))),
            event_data: self.event_data_list(path, &e.event_data),
            additional_data: self.additional_data(path, "AdditionalData", &e.additional_data),
            ..Default::default()
        }
    }

    fn system(&mut self, path: &str, s: &v1::System) -> v2::System {
        self.extra(path, &s.extra);
        let (node, node_role) = self.node(&format!("{path}/Node"), &s.node);
        v2::System {
            category: s.category.as_ref().map(listed),
            interface: s.interface.clone(),
            spoofed: s.spoofed.as_ref().map(listed),
            restriction: restriction(&s.restriction),
            unpaired_ext: self.unpaired(path, &s.unpaired_ext, None),
            node,
            node_role,
            service: self.each(path, "Service", &s.service, Self::service),
            operating_system: self
                .each(path, "OperatingSystem", &s.operating_system, Self::software)
                .into_iter()
                .flatten()
                .collect(),
            counter: self.counters(path, &s.counter),
            description: self.ml_list(path, "Description", &s.description),
            additional_data: self.additional_data(path, "AdditionalData", &s.additional_data),
            ..Default::default()
        }
    }

    /// RFC 7970 §1.4, §3.18: NodeName is replaced by DomainData (§3.19), NodeRole moves to
    /// System (§3.17), Node/DateTime is gone (kept as DomainData/DateDomainWasChecked when
    /// there is a name it was the resolution time of).
    fn node(&mut self, path: &str, n: &v1::Node) -> (v2::Node, Vec<v2::NodeRole>) {
        self.extra(path, &n.extra);
        let mut choice = Vec::with_capacity(n.choice.len());
        let mut addresses = 0;
        for c in &n.choice {
            match c {
                v1::NodeChoice::NodeName(name) => {
                    let p = format!("{path}/NodeName");
                    self.extra(&p, &name.extra);
                    if let Some(lang) = &name.lang {
                        self.lose(
                            format!("{p}/@lang"),
                            LossKind::Dropped,
                            format!(
                                "lang={lang:?}: DomainData/Name, the 2.0 home of NodeName, has \
                                 no language (RFC 7970 §3.19)"
                            ),
                        );
                    }
                    self.lose(
                        &p,
                        LossKind::Inferred,
                        "NodeName is written as DomainData/Name (RFC 7970 §1.4, §3.19), with \
                         system-status and domain-status, which §3.19 requires, \"unknown\"",
                    );
                    choice.push(v2::NodeChoice::DomainData(vec![v2::DomainData {
                        system_status: Some(v2::DomaindataSystemStatusType::Unknown),
                        domain_status: Some(v2::DomaindataDomainStatusType::Unknown),
                        name: name.value.clone(),
                        ..Default::default()
                    }]));
                }
                v1::NodeChoice::Address(list) => {
                    let converted = list
                        .iter()
                        .map(|a| {
                            addresses += 1;
                            self.address(&nth(path, "Address", addresses - 1), a)
                        })
                        .collect();
                    choice.push(v2::NodeChoice::Address(converted));
                }
            }
        }
        if let Some(date_time) = &n.date_time {
            let p = format!("{path}/DateTime");
            let domain = choice.iter_mut().find_map(|c| match c {
                v2::NodeChoice::DomainData(d) => d.first_mut(),
                v2::NodeChoice::Address(_) => None,
            });
            match domain {
                Some(domain) => {
                    domain.date_domain_was_checked = Some(date_time.clone());
                    self.lose(
                        p,
                        LossKind::Changed,
                        "Node/DateTime (when the name was resolved to the addresses) is not in \
                         IODEF 2.0: written as DomainData/DateDomainWasChecked (RFC 7970 §1.4, \
                         §3.19)",
                    );
                }
                None => self.lose(
                    p,
                    LossKind::Dropped,
                    format!(
                        "Node/DateTime {date_time} is not in IODEF 2.0 and this Node has no \
                         NodeName to keep it as DomainData/DateDomainWasChecked (RFC 7970 §1.4, \
                         §3.18)"
                    ),
                ),
            }
        }
        let node_role = self.each(path, "NodeRole", &n.node_role, Self::node_role);
        let node = v2::Node {
            choice,
            location: n
                .location
                .iter()
                .map(|l| self.ml(&format!("{path}/Location"), l))
                .collect(),
            counter: self.counters(path, &n.counter),
            ..Default::default()
        };
        (node, node_role)
    }

    /// RFC 7970 §3.18.1: `category` is written explicitly (1.0 default `ipv4-addr`, 2.0
    /// default `ipv6-addr`); `ipv6-net-mask` is not a 2.0 category.
    fn address(&mut self, path: &str, a: &v1::Address) -> v2::Address {
        self.extra(path, &a.extra);
        let category = a.category.clone().unwrap_or(v1::AddressCategory::Ipv4Addr);
        let (category, conflict) = match same_value(&category) {
            Some(c) => (c, None),
            None => {
                self.lose(
                    format!("{path}/@category"),
                    LossKind::Changed,
                    format!(
                        "category {:?} is not an IODEF 2.0 Address category (RFC 7970 §3.18.1; \
                         ipv6-net-masked means a masked prefix): written as \
                         category=\"ext-value\" ext-category={:?}",
                        category.as_str(),
                        category.as_str()
                    ),
                );
                (
                    v2::AddressCategoryType::Ext(category.as_str().to_owned()),
                    Some("ext-category"),
                )
            }
        };
        v2::Address {
            category: Some(category),
            vlan_name: a.vlan_name.clone(),
            vlan_num: a.vlan_num.clone(),
            unpaired_ext: self.unpaired(path, &a.unpaired_ext, conflict),
            value: a.value.clone(),
            ..Default::default()
        }
    }

    /// RFC 7970 §3.18.2: NodeRole is a class under System; the 1.0 text is its Description.
    fn node_role(&mut self, path: &str, r: &v1::NodeRole) -> v2::NodeRole {
        self.extra(path, &r.extra);
        let (category, conflict) = match same_value(&r.category) {
            Some(c) => (c, None),
            None => {
                self.lose(
                    format!("{path}/@category"),
                    LossKind::Changed,
                    format!(
                        "category {:?} is not an IODEF 2.0 NodeRole category (RFC 7970 \
                         §3.18.2): written as ext-category",
                        r.category.as_str()
                    ),
                );
                (
                    v2::NoderoleCategoryType::Ext(r.category.as_str().to_owned()),
                    Some("ext-category"),
                )
            }
        };
        if r.value.is_empty() && r.lang.is_some() {
            self.lose(
                format!("{path}/@lang"),
                LossKind::Dropped,
                "the lang of a NodeRole without text has no place: 2.0 keeps it on the \
                 Description (RFC 7970 §3.18.2)",
            );
        }
        v2::NodeRole {
            category,
            unpaired_ext: self.unpaired(path, &r.unpaired_ext, conflict),
            description: if r.value.is_empty() {
                Vec::new()
            } else {
                vec![v2::MlStringType {
                    lang: r.lang.clone(),
                    value: r.value.clone(),
                    ..Default::default()
                }]
            },
            ..Default::default()
        }
    }

    fn service(&mut self, path: &str, s: &v1::Service) -> v2::Service {
        self.extra(path, &s.extra);
        let (port, portlist) = match &s.choice {
            Some(v1::ServiceChoice::Port(port)) => (Some(port.clone()), None),
            Some(v1::ServiceChoice::Portlist(list)) => {
                (None, Some(v2::PortlistType(list.0.clone())))
            }
            None => (None, None),
        };
        v2::Service {
            ip_protocol: Some(s.ip_protocol.clone()),
            port,
            portlist,
            proto_type: s.proto_type.clone(),
            proto_code: s.proto_code.clone(),
            proto_field: s.proto_field.clone(),
            application: s
                .application
                .as_ref()
                .and_then(|a| self.software(&format!("{path}/Application"), a))
                .map(Box::new),
            ..Default::default()
        }
    }

    /// RFC 7970 §1.4, §2.15: SoftwareType is rewritten: URL stays; the 1.0 attributes
    /// (swid, configid, vendor, family, name, version, patch) have no 2.0 attributes and
    /// SoftwareReference takes elements only, so they become a Description, reported.
    fn software(&mut self, path: &str, s: &v1::SoftwareType) -> Option<v2::SoftwareType> {
        self.extra(path, &s.extra);
        let attributes: Vec<String> = [
            ("swid", &s.swid),
            ("configid", &s.configid),
            ("vendor", &s.vendor),
            ("family", &s.family),
            ("name", &s.name),
            ("version", &s.version),
            ("patch", &s.patch),
        ]
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v:?}")))
        .collect();
        let mut description = Vec::new();
        if !attributes.is_empty() {
            let words = attributes.join(" ");
            self.lose(
                path,
                LossKind::Changed,
                format!(
                    "the software attributes {words} have no IODEF 2.0 attributes (SoftwareType, \
                     RFC 7970 §2.15): written as a Description"
                ),
            );
            description.push(text(&words));
        }
        if description.is_empty() && s.url.is_none() {
            // RFC 7970 §2.15: a SoftwareType MUST have a child; this one says nothing.
            self.lose(
                path,
                LossKind::Dropped,
                "an empty software description (no attribute, no URL) is left out: an IODEF 2.0 \
                 SoftwareType needs SoftwareReference, URL or Description (RFC 7970 §2.15)",
            );
            return None;
        }
        Some(v2::SoftwareType {
            url: s.url.iter().cloned().collect(),
            description,
            ..Default::default()
        })
    }

    fn expectation(&mut self, path: &str, x: &v1::Expectation) -> v2::Expectation {
        self.extra(path, &x.extra);
        v2::Expectation {
            action: x.action.as_ref().map(listed),
            severity: x.severity.as_ref().map(listed),
            // 1.0 default `default`; 2.0 has none (inherited, RFC 7970 §3.3.1).
            restriction: restriction_or(&x.restriction, v2::RestrictionType::Default),
            unpaired_ext: self.unpaired(path, &x.unpaired_ext, None),
            description: self.ml_list(path, "Description", &x.description),
            start_time: x.start_time.clone(),
            end_time: x.end_time.clone(),
            contact: x
                .contact
                .as_ref()
                .map(|c| Box::new(self.contact(&format!("{path}/Contact"), c))),
            ..Default::default()
        }
    }

    fn record(&mut self, path: &str, r: &v1::Record) -> v2::Record {
        self.extra(path, &r.extra);
        v2::Record {
            restriction: restriction(&r.restriction),
            record_data: self.each(path, "RecordData", &r.record_data, Self::record_data),
            ..Default::default()
        }
    }

    fn record_data(&mut self, path: &str, d: &v1::RecordData) -> v2::RecordData {
        self.extra(path, &d.extra);
        v2::RecordData {
            restriction: restriction(&d.restriction),
            date_time: d.date_time.clone(),
            description: self.ml_list(path, "Description", &d.description),
            application: d
                .application
                .as_ref()
                .and_then(|a| self.software(&format!("{path}/Application"), a))
                .map(Box::new),
            record_pattern: d
                .record_pattern
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let pp = nth(path, "RecordPattern", i);
                    self.extra(&pp, &p.extra);
                    v2::RecordPattern {
                        type_: listed(&p.type_),
                        offset: p.offset.clone(),
                        offsetunit: p.offsetunit.as_ref().map(listed),
                        instance: p.instance.clone(),
                        unpaired_ext: self.unpaired(&pp, &p.unpaired_ext, None),
                        value: p.value.clone(),
                        ..Default::default()
                    }
                })
                .collect(),
            record_item: self.additional_data(path, "RecordItem", &d.record_item),
            additional_data: self.additional_data(path, "AdditionalData", &d.additional_data),
            ..Default::default()
        }
    }

    fn history(&mut self, path: &str, h: &v1::History) -> v2::History {
        self.extra(path, &h.extra);
        v2::History {
            // 1.0 default `default`; 2.0 has none (inherited, RFC 7970 §3.3.1).
            restriction: restriction_or(&h.restriction, v2::RestrictionType::Default),
            history_item: h
                .history_item
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let p = nth(path, "HistoryItem", i);
                    self.extra(&p, &item.extra);
                    v2::HistoryItem {
                        action: listed(&item.action),
                        restriction: restriction(&item.restriction),
                        unpaired_ext: self.unpaired(&p, &item.unpaired_ext, None),
                        date_time: item.date_time.clone(),
                        incident_id: item
                            .incident_id
                            .as_ref()
                            .map(|id| Box::new(self.incident_id(&format!("{p}/IncidentID"), id))),
                        contact: item
                            .contact
                            .as_ref()
                            .map(|c| Box::new(self.contact(&format!("{p}/Contact"), c))),
                        description: self.ml_list(&p, "Description", &item.description),
                        additional_data: self.additional_data(
                            &p,
                            "AdditionalData",
                            &item.additional_data,
                        ),
                        ..Default::default()
                    }
                })
                .collect(),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of a 1.0 enumeration (read from its parse error, which lists them all).
    fn values<A: SimpleValue>() -> Vec<String> {
        let message = A::parse_xml("\u{1}").err().expect("not a value");
        let list = message.split_once("is not one of: ").expect("the list").1;
        list.split(", ").map(str::to_owned).collect()
    }

    /// `listed` never fails: each 1.0 value of the enumerations it converts is a 2.0 value.
    fn all_listed<A: SimpleValue, B: SimpleValue>() {
        for value in values::<A>() {
            let mut a = A::parse_xml(&value).expect("a 1.0 value");
            if value == "ext-value" {
                a.set_ext("x-test".into()).expect("ext");
            }
            let b: B = same_value(&a).unwrap_or_else(|| panic!("{value} is not a 2.0 value"));
            assert_eq!(b.to_xml(), value);
            assert_eq!(b.ext(), a.ext());
        }
    }

    #[test]
    fn every_listed_enumeration_value_is_a_2_0_value() {
        all_listed::<v1::RestrictionType, v2::RestrictionType>();
        all_listed::<v1::IncidentPurpose, v2::IncidentPurposeType>();
        all_listed::<v1::DtypeType, v2::DtypeType>();
        all_listed::<v1::SeverityType, v2::SeverityType>();
        all_listed::<v1::SeverityType, v2::BusinessimpactSeverityType>();
        all_listed::<v1::ImpactCompletion, v2::SystemimpactCompletionType>();
        all_listed::<v1::TimeImpactMetric, v2::TimeimpactMetricType>();
        all_listed::<v1::DurationType, v2::DurationType>();
        all_listed::<v1::CounterType, v2::CounterUnitType>();
        all_listed::<v1::ConfidenceRating, v2::ConfidenceRatingType>();
        all_listed::<v1::AssessmentOccurrence, v2::AssessmentOccurrence>();
        all_listed::<v1::ContactRole, v2::ContactRoleType>();
        all_listed::<v1::ContactType, v2::ContactType>();
        all_listed::<v1::RegistryHandleRegistry, v2::RegistryhandleRegistryType>();
        all_listed::<v1::SystemCategory, v2::SystemCategoryType>();
        all_listed::<v1::SystemSpoofed, v2::YesNoUnknownType>();
        all_listed::<v1::ActionType, v2::ActionType>();
        all_listed::<v1::RecordPatternType, v2::RecordpatternType>();
        all_listed::<v1::RecordPatternOffsetunit, v2::RecordpatternOffsetunitType>();
        // Not `listed`, but every value but one is kept as it is.
        all_listed::<v1::NodeRoleCategory, v2::NoderoleCategoryType>();
        let address: Vec<String> = values::<v1::AddressCategory>()
            .into_iter()
            .filter(|v| {
                let a = v1::AddressCategory::parse_xml(v).unwrap();
                same_value::<_, v2::AddressCategoryType>(&a).is_none()
            })
            .collect();
        assert_eq!(address, ["ipv6-net-mask"]);
    }

    #[test]
    fn implicit_restrictions_are_written_explicitly() {
        let id = v1::IncidentIdType {
            name: "example.com".into(),
            value: "1".into(),
            ..Default::default()
        };
        let (incident_id, _) = {
            let mut up = Upgrade::default();
            (up.incident_id("/x", &id), up.losses)
        };
        assert_eq!(incident_id.restriction, Some(v2::RestrictionType::Public));
        let mut up = Upgrade::default();
        let event = up.event_data("/x", &v1::EventData::default());
        assert_eq!(event.restriction, Some(v2::RestrictionType::Default));
        let history = up.history("/x", &v1::History::default());
        assert_eq!(history.restriction, Some(v2::RestrictionType::Default));
        let expectation = up.expectation("/x", &v1::Expectation::default());
        assert_eq!(expectation.restriction, Some(v2::RestrictionType::Default));
        assert!(up.losses.is_empty());
    }
}
