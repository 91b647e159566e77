//! [`extract`]: a typed walk of `IndicatorData` that builds each value's path as it descends.

use std::collections::{HashMap, HashSet};
use std::io;
use std::sync::Arc;

use super::normalize;
use super::{Diagnostic, Extraction, IndicatorValue, Kind, Origin, Severity};
use crate::rt::values::SimpleValue;
use crate::rt::{Document, XmlEvents};
use crate::v2::{
    self, AddressCategoryType as Category, BulkobservableType as Bulk, HashdataScopeType,
    IndicatorChoice, IndicatorExpressionSequenceChoice as ExprChoice, ObservableChoice,
    SystemCategoryType,
};
use crate::Root;

/// The indicators of `doc`: see the [module documentation](super). An IODEF 1.0 document
/// (RFC 5070 has no IndicatorData) and any root other than an IODEF 2.0 `IODEF-Document` give
/// none, with a warning that says so.
pub fn extract(doc: &Document<Root>) -> Extraction {
    let mut x = Extractor::default();
    match &doc.root {
        Root::Iodef2(v2::Element::IodefDocument(d)) => {
            if has_references(d) {
                x.index_references(doc);
            }
            x.document(d);
        }
        Root::Iodef1(crate::v1::Element::IodefDocument(_)) => x.warn(
            "/IODEF-Document".into(),
            "an IODEF 1.0 (RFC 5070) document has no IndicatorData: no indicator to export".into(),
        ),
        other => x.warn(
            format!("/{}", other.local_name()),
            format!(
                "the root is {{{}}}{}, not an IODEF 2.0 IODEF-Document: no indicator to export",
                other.namespace(),
                other.local_name()
            ),
        ),
    }
    Extraction {
        indicators: x.indicators,
        diagnostics: x.diagnostics,
    }
}

fn has_references(d: &v2::IodefDocument) -> bool {
    !crate::visit::find_all::<v2::ObservableReference>(d).is_empty()
}

/// An element an `ObservableReference` may point to and values can be read from.
#[derive(Clone, Copy)]
enum Target<'d> {
    Address(&'d v2::Address),
    DomainData(&'d v2::DomainData),
    EmailData(&'d v2::EmailData),
    FileData(&'d v2::FileData),
    File(&'d v2::File),
    System(&'d v2::System),
}

/// Where an element with an `observable-id` is, and why its values must not be exported when it
/// sits inside a Contact or a System that is not an attacker's.
struct Located {
    path: String,
    local: String,
    excluded: Option<String>,
}

#[derive(Default)]
struct Extractor<'d> {
    indicators: Vec<IndicatorValue>,
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<(Kind, String)>,
    /// `observable-id` → the typed element (one walk of the document).
    targets: HashMap<&'d str, Target<'d>>,
    /// `observable-id` → its path (one pass over the document's events).
    located: HashMap<String, Located>,
    /// The Indicator being read.
    origin: Option<Arc<Origin>>,
    /// The path of the ObservableReference being followed.
    via: Option<String>,
}

impl<'d> Extractor<'d> {
    fn warn(&mut self, path: String, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            path,
            message,
        });
    }

    fn note(&mut self, path: String, message: String) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Note,
            path,
            message,
        });
    }

    /// Exports `checked` (a canonical value, or why it is not one) as `kind` at `path`.
    fn emit(&mut self, kind: Kind, checked: Result<String, String>, path: String) {
        match checked {
            Ok(value) => self.push(kind, value, path),
            Err(why) => self.warn(path, format!("not exported as {kind}: {why}")),
        }
    }

    fn push(&mut self, kind: Kind, value: String, path: String) {
        let Some(origin) = &self.origin else { return };
        if self.seen.insert((kind, value.clone())) {
            self.indicators.push(IndicatorValue {
                kind,
                value,
                path,
                via: self.via.clone(),
                origin: Arc::clone(origin),
            });
        }
    }

    /// Builds both reference maps: the typed elements by `observable-id` (one walk) and their
    /// paths (one pass over the document's events, which name every element).
    fn index_references(&mut self, doc: &'d Document<Root>) {
        crate::visit::Walk::walk(&doc.root, &mut |v: &'d dyn std::any::Any| {
            let found = if let Some(a) = v.downcast_ref::<v2::Address>() {
                a.observable_id
                    .as_deref()
                    .map(|id| (id, Target::Address(a)))
            } else if let Some(d) = v.downcast_ref::<v2::DomainData>() {
                d.observable_id
                    .as_deref()
                    .map(|id| (id, Target::DomainData(d)))
            } else if let Some(e) = v.downcast_ref::<v2::EmailData>() {
                e.observable_id
                    .as_deref()
                    .map(|id| (id, Target::EmailData(e)))
            } else if let Some(f) = v.downcast_ref::<v2::FileData>() {
                f.observable_id
                    .as_deref()
                    .map(|id| (id, Target::FileData(f)))
            } else if let Some(f) = v.downcast_ref::<v2::File>() {
                f.observable_id.as_deref().map(|id| (id, Target::File(f)))
            } else if let Some(s) = v.downcast_ref::<v2::System>() {
                s.observable_id.as_deref().map(|id| (id, Target::System(s)))
            } else {
                None
            };
            if let Some((id, target)) = found {
                self.targets.entry(id).or_insert(target);
            }
        });
        let mut locator = Locator::default();
        // The events writer fails only on what cannot be written as XML (a document read from
        // XML, JSON or CBOR can be); then the references stay unresolved, each with a warning.
        let _ = doc.write_events(&mut locator);
        self.located = locator.found;
    }

    fn document(&mut self, d: &'d v2::IodefDocument) {
        if d.incident.iter().all(|i| i.indicator_data.is_none()) {
            self.warn(
                "/IODEF-Document".into(),
                "no Incident has IndicatorData: nothing to export (EventData, victims and contacts are not indicators)".into(),
            );
        }
        for (i, incident) in d.incident.iter().enumerate() {
            let incident_path = format!("/IODEF-Document/Incident[{}]", i + 1);
            let Some(data) = &incident.indicator_data else {
                continue;
            };
            let data_path = format!("{incident_path}/IndicatorData[1]");
            for (k, indicator) in data.indicator.iter().enumerate() {
                let path = format!("{data_path}/Indicator[{}]", k + 1);
                self.origin = Some(Arc::new(Origin {
                    incident_name: incident.incident_id.name.clone(),
                    incident_id: incident.incident_id.value.clone(),
                    generation_time: incident.generation_time.clone(),
                    indicator_name: indicator.indicator_id.name.clone(),
                    indicator_id: indicator.indicator_id.value.clone(),
                    indicator_version: indicator.indicator_id.version.clone(),
                    start_time: indicator.start_time.clone(),
                    end_time: indicator.end_time.clone(),
                }));
                self.indicator(indicator, &path);
            }
        }
    }

    fn indicator(&mut self, indicator: &'d v2::Indicator, path: &str) {
        match &indicator.choice {
            IndicatorChoice::Observable(o) => self.observable(o, &format!("{path}/Observable[1]")),
            IndicatorChoice::ObservableReference(r) => {
                self.reference(&r.uid_ref, format!("{path}/ObservableReference[1]"))
            }
            IndicatorChoice::IndicatorExpression(e) => {
                self.expression(e, &format!("{path}/IndicatorExpression[1]"))
            }
            IndicatorChoice::IndicatorReference(r) => {
                self.indicator_reference(r, format!("{path}/IndicatorReference[1]"))
            }
        }
        if !indicator.contact.is_empty() {
            self.note(
                format!("{path}/Contact[1]"),
                "the Indicator's Contacts are not indicators: not exported".into(),
            );
        }
    }

    /// Every operand of an `and`, `or` or `xor` (the default is `and`): a block list cannot
    /// express the combination, and each operand is an indicator of the activity. The operands
    /// of a `not` are what the activity is *not*: never exported.
    fn expression(&mut self, e: &'d v2::IndicatorExpression, path: &str) {
        use v2::IndicatorexpressionOperatorType as Operator;
        match &e.operator {
            None | Some(Operator::And | Operator::Or | Operator::Xor) => {}
            Some(Operator::Not) => {
                return self.warn(
                    path.to_string(),
                    "the operands of a \"not\" IndicatorExpression are exclusions: not exported"
                        .into(),
                )
            }
        }
        let mut counts = Counts::default();
        for v2::IndicatorExpressionChoice::Sequence(item) in &e.sequence {
            match &item.choice {
                ExprChoice::IndicatorExpression(inner) => {
                    let p = counts.child(path, "IndicatorExpression");
                    self.expression(inner, &p);
                }
                ExprChoice::Observable(o) => {
                    let p = counts.child(path, "Observable");
                    self.observable(o, &p);
                }
                ExprChoice::ObservableReference(r) => {
                    let p = counts.child(path, "ObservableReference");
                    self.reference(&r.uid_ref, p);
                }
                ExprChoice::IndicatorReference(r) => {
                    let p = counts.child(path, "IndicatorReference");
                    self.indicator_reference(r, p);
                }
            }
            if item.confidence.is_some() {
                counts.child(path, "Confidence");
            }
            for _ in &item.additional_data {
                counts.child(path, "AdditionalData");
            }
        }
    }

    /// Another Indicator: those of this document are exported where they stand (every
    /// Indicator is in IndicatorData), an external one (`euid-ref`) cannot be read.
    fn indicator_reference(&mut self, r: &v2::IndicatorReference, path: String) {
        match (&r.uid_ref, &r.euid_ref) {
            (Some(id), _) => self.note(
                path,
                format!("IndicatorReference to {id:?}: that Indicator is exported where it stands"),
            ),
            (None, Some(euid)) => self.warn(
                path,
                format!("IndicatorReference to the external Indicator {euid:?}: not in this document, not exported"),
            ),
            (None, None) => {}
        }
    }

    fn reference(&mut self, uid: &str, path: String) {
        let Some(located) = self.located.get(uid) else {
            self.warn(
                path,
                format!("ObservableReference uid-ref {uid:?}: no element has this observable-id"),
            );
            return;
        };
        let target_path = located.path.clone();
        if let Some(why) = &located.excluded {
            let message = format!(
                "ObservableReference uid-ref {uid:?} points to {target_path}, inside {why}: not exported"
            );
            self.warn(path, message);
            return;
        }
        let Some(&target) = self.targets.get(uid) else {
            let message = format!(
                "ObservableReference uid-ref {uid:?} points to {target_path}, a {} holds no exported kind",
                located.local
            );
            self.warn(path, message);
            return;
        };
        // A referenced element holds no ObservableReference itself: no reference chains.
        let outer = self.via.replace(path);
        match target {
            Target::Address(a) => self.address(a, target_path),
            Target::DomainData(d) => self.domain_data(d, &target_path),
            Target::EmailData(e) => self.email_data(e, &target_path),
            Target::FileData(f) => self.file_data(f, &target_path),
            Target::File(f) => self.file(f, &target_path),
            Target::System(s) => self.system(s, &target_path),
        }
        self.via = outer;
    }

    fn observable(&mut self, o: &'d v2::Observable, path: &str) {
        let Some(choice) = &o.choice else { return };
        match choice {
            ObservableChoice::Address(a) => self.address(a, format!("{path}/Address[1]")),
            ObservableChoice::DomainData(d) => {
                self.domain_data(d, &format!("{path}/DomainData[1]"))
            }
            ObservableChoice::EmailData(e) => self.email_data(e, &format!("{path}/EmailData[1]")),
            ObservableChoice::FileData(f) => self.file_data(f, &format!("{path}/FileData[1]")),
            ObservableChoice::System(s) => self.system(s, &format!("{path}/System[1]")),
            ObservableChoice::BulkObservable(b) => {
                self.bulk(b, &format!("{path}/BulkObservable[1]"))
            }
            ObservableChoice::Incident(_) => self.warn(
                format!("{path}/Incident[1]"),
                "an Incident as an Observable is a whole report (victims and contacts included): not exported".into(),
            ),
            ObservableChoice::Reference(_) => self.note(
                format!("{path}/Reference[1]"),
                "a Reference's URLs point to documentation, not to an indicator: not exported"
                    .into(),
            ),
            other => {
                let name = observable_name(other);
                self.warn(
                    format!("{path}/{name}[1]"),
                    format!("an Observable {name} has no exported kind: not exported"),
                );
            }
        }
    }

    fn address(&mut self, a: &v2::Address, path: String) {
        let value = a.value.trim();
        let Some(category) = &a.category else {
            // The schema default is ipv6-addr; IODEF 1.0's was ipv4-addr, and documents that
            // leave it out often hold IPv4 addresses.
            if value.parse::<std::net::Ipv6Addr>().is_ok() {
                return self.emit(Kind::Ipv6Addr, normalize::ipv6(value), path);
            }
            if let Ok(v4) = normalize::ipv4(value) {
                self.warn(
                    path.clone(),
                    format!("Address {value:?} has no category, whose schema default is ipv6-addr, but it is an IPv4 address: exported as ipv4-addr"),
                );
                return self.push(Kind::Ipv4Addr, v4, path);
            }
            return self.warn(
                path,
                format!("not exported: Address {value:?} has no category (the schema default ipv6-addr) and is not an IPv6 address"),
            );
        };
        match category {
            Category::Ipv4Addr => self.emit(Kind::Ipv4Addr, normalize::ipv4(value), path),
            Category::Ipv6Addr => self.emit(Kind::Ipv6Addr, normalize::ipv6(value), path),
            Category::Ipv4Net => self.net(Kind::Ipv4Net, normalize::network(value, false), path),
            Category::Ipv6Net => self.net(Kind::Ipv6Net, normalize::network(value, true), path),
            Category::Ipv4NetMask => {
                self.net(Kind::Ipv4Net, normalize::network_mask(value, false), path)
            }
            Category::SiteUri => self.emit(Kind::Url, normalize::url(value), path),
            Category::EMail => self.emit(Kind::Email, normalize::email(value), path),
            Category::Asn => self.emit(Kind::Asn, normalize::asn(value), path),
            Category::Ipv4NetMasked | Category::Ipv6NetMasked => self.warn(
                path,
                format!("Address {value:?} of category {} is sanitized (digits replaced by 'x'): not exported", category.to_xml()),
            ),
            Category::Mac | Category::Atm => self.warn(
                path,
                format!("Address {value:?} of category {}: no exported kind, not exported", category.to_xml()),
            ),
            Category::Ext(ext) => self.warn(
                path,
                format!("Address {value:?} of extension category {ext:?}: not exported"),
            ),
        }
    }

    /// A network: exported as its network address; host bits set are a warning.
    fn net(&mut self, kind: Kind, checked: Result<(String, bool), String>, path: String) {
        match checked {
            Ok((value, host_bits)) => {
                if host_bits {
                    self.warn(
                        path.clone(),
                        format!("the network has host bits set: exported as {value}"),
                    );
                }
                self.push(kind, value, path);
            }
            Err(why) => self.warn(path, format!("not exported as {kind}: {why}")),
        }
    }

    fn domain_data(&mut self, d: &v2::DomainData, path: &str) {
        self.emit(
            Kind::Domain,
            normalize::domain(d.name.trim()),
            format!("{path}/Name[1]"),
        );
        if !d.nameservers.is_empty() || d.domain_contacts.is_some() {
            self.note(
                path.to_string(),
                "the domain's Nameservers and DomainContacts are the registration's, not indicators: not exported".into(),
            );
        }
    }

    fn email_data(&mut self, e: &v2::EmailData, path: &str) {
        if let Some(from) = &e.email_from {
            self.emit(
                Kind::Email,
                normalize::email(from.trim()),
                format!("{path}/EmailFrom[1]"),
            );
        }
        if !e.email_to.is_empty() {
            self.note(
                format!("{path}/EmailTo[1]"),
                "EmailTo holds the recipients (the victims): not exported".into(),
            );
        }
        for (n, h) in e.hash_data.iter().enumerate() {
            self.hash_data(h, &format!("{path}/HashData[{}]", n + 1));
        }
    }

    fn file_data(&mut self, f: &v2::FileData, path: &str) {
        for (n, file) in f.file.iter().enumerate() {
            self.file(file, &format!("{path}/File[{}]", n + 1));
        }
    }

    fn file(&mut self, f: &v2::File, path: &str) {
        for (n, url) in f.url.iter().enumerate() {
            self.emit(
                Kind::Url,
                normalize::url(url.trim()),
                format!("{path}/URL[{}]", n + 1),
            );
        }
        if let Some(h) = &f.hash_data {
            self.hash_data(h, &format!("{path}/HashData[1]"));
        }
    }

    fn hash_data(&mut self, h: &v2::HashData, path: &str) {
        if h.scope != HashdataScopeType::FileContents {
            let scope = h.scope.ext().map_or_else(|| h.scope.to_xml(), Into::into);
            return self.warn(
                path.to_string(),
                format!("HashData of scope {scope:?} is not a hash of a whole file: not exported"),
            );
        }
        for (n, hash) in h.hash.iter().enumerate() {
            let hash_path = format!("{path}/Hash[{}]", n + 1);
            let algorithm = hash.digest_method.algorithm.trim();
            let Some(kind) = self.algorithm(algorithm, &hash_path) else {
                continue;
            };
            let value_path = format!("{hash_path}/DigestValue[1]");
            let bytes = &hash.digest_value.0;
            if bytes.len() == normalize::digest_len(kind) {
                self.push(kind, normalize::hex(bytes), value_path);
                continue;
            }
            // ds:DigestValue is base64; some producers write hex there, which also reads as
            // base64: give the text back and take it as hex when it has the digest's length.
            use base64::Engine;
            let text = base64::engine::general_purpose::STANDARD.encode(bytes);
            if let Some(hex) = normalize::hex_digest(&text, kind) {
                self.warn(
                    value_path.clone(),
                    format!("DigestValue is hex, not base64 as XML Signature defines: exported as {kind} {hex}"),
                );
                self.push(kind, hex, value_path);
            } else {
                self.warn(
                    value_path,
                    format!(
                        "DigestValue decodes to {} bytes, not the {} of {kind}: not exported",
                        bytes.len(),
                        normalize::digest_len(kind)
                    ),
                );
            }
        }
        if !h.fuzzy_hash.is_empty() {
            self.warn(
                format!("{path}/FuzzyHash[1]"),
                "fuzzy hashes have no exported kind: not exported".into(),
            );
        }
    }

    /// The hash kind of a DigestMethod Algorithm, with a warning when the URI is not the W3C's
    /// for it, or not one of a kind exported.
    fn algorithm(&mut self, algorithm: &str, path: &str) -> Option<Kind> {
        match normalize::hash_kind(algorithm) {
            Some((kind, true)) => Some(kind),
            Some((kind, false)) => {
                self.warn(
                    path.to_string(),
                    format!("DigestMethod Algorithm {algorithm:?} is not the XML Signature URI of {kind}, but names it: read as {kind}"),
                );
                Some(kind)
            }
            None => {
                self.warn(
                    path.to_string(),
                    format!("DigestMethod Algorithm {algorithm:?} is not MD5, SHA-1, SHA-256 or SHA-512: not exported"),
                );
                None
            }
        }
    }

    /// A System's Node addresses and domains, when it is an attacker's (category `source` or
    /// `intermediate`, or none): a `target`, `sensor` or `infrastructure` System is the
    /// victim's or the reporter's own.
    fn system(&mut self, s: &v2::System, path: &str) {
        match &s.category {
            None | Some(SystemCategoryType::Source | SystemCategoryType::Intermediate) => {}
            Some(category) => {
                let name = category.ext().map_or_else(|| category.to_xml(), Into::into);
                return self.warn(
                    path.to_string(),
                    format!("a System of category {name:?} is not an attacker's: not exported"),
                );
            }
        }
        let node_path = format!("{path}/Node[1]");
        let (mut addresses, mut domains) = (0, 0);
        for choice in &s.node.choice {
            match choice {
                v2::NodeChoice::Address(list) => {
                    for a in list {
                        addresses += 1;
                        self.address(a, format!("{node_path}/Address[{addresses}]"));
                    }
                }
                v2::NodeChoice::DomainData(list) => {
                    for d in list {
                        domains += 1;
                        self.domain_data(d, &format!("{node_path}/DomainData[{domains}]"));
                    }
                }
            }
        }
    }

    fn bulk(&mut self, b: &v2::BulkObservable, path: &str) {
        let list_path = format!("{path}/BulkObservableList[1]");
        let list = b.bulk_observable_list.children.text_content();
        if b.bulk_observable_list.children.elements().next().is_some()
            || b.bulk_observable_list.children.typed().next().is_some()
        {
            self.warn(
                list_path.clone(),
                "elements inside a BulkObservableList are not values: only its text is read".into(),
            );
        }
        let hash_kind = match &b.type_ {
            Bulk::FileHash => {
                let algorithm = b
                    .bulk_observable_format
                    .as_ref()
                    .and_then(|f| f.hash.as_ref())
                    .map(|h| h.digest_method.algorithm.as_str());
                match algorithm.map(|a| self.algorithm(a.trim(), &list_path)) {
                    Some(Some(kind)) => Some(kind),
                    Some(None) => return,
                    None => {
                        return self.warn(
                            list_path,
                            "file-hash list without BulkObservableFormat/Hash to name the algorithm (RFC 7970 §3.29.3.1 requires one): not exported".into(),
                        )
                    }
                }
            }
            _ => None,
        };
        let mut skipped = 0usize;
        for (n, line) in list.split('\n').enumerate() {
            let value = line.strip_suffix('\r').unwrap_or(line).trim();
            if value.is_empty() {
                continue;
            }
            let at = format!("{list_path}:{}", n + 1);
            match &b.type_ {
                Bulk::Ipv4Addr => self.emit(Kind::Ipv4Addr, normalize::ipv4(value), at),
                Bulk::Ipv6Addr => self.emit(Kind::Ipv6Addr, normalize::ipv6(value), at),
                Bulk::Ipv4Net => self.net(Kind::Ipv4Net, normalize::network(value, false), at),
                Bulk::Ipv6Net => self.net(Kind::Ipv6Net, normalize::network(value, true), at),
                Bulk::Ipv4NetMask => {
                    self.net(Kind::Ipv4Net, normalize::network_mask(value, false), at)
                }
                Bulk::Ipv6NetMask => {
                    self.net(Kind::Ipv6Net, normalize::network_mask(value, true), at)
                }
                Bulk::EMail => self.emit(Kind::Email, normalize::email(value), at),
                Bulk::SiteUri => self.emit(Kind::Url, normalize::url(value), at),
                Bulk::DomainName => self.emit(Kind::Domain, normalize::domain(value), at),
                Bulk::Asn => self.emit(Kind::Asn, normalize::asn(value), at),
                Bulk::DomainToIpv4
                | Bulk::DomainToIpv4Timestamp
                | Bulk::DomainToIpv6
                | Bulk::DomainToIpv6Timestamp => {
                    let v6 = matches!(b.type_, Bulk::DomainToIpv6 | Bulk::DomainToIpv6Timestamp);
                    let mut fields = value.split(',').map(str::trim);
                    match (fields.next(), fields.next()) {
                        (Some(name), Some(ip)) => {
                            self.emit(Kind::Domain, normalize::domain(name), at.clone());
                            if v6 {
                                self.emit(Kind::Ipv6Addr, normalize::ipv6(ip), at);
                            } else {
                                self.emit(Kind::Ipv4Addr, normalize::ipv4(ip), at);
                            }
                        }
                        _ => self.warn(
                            at,
                            format!("{value:?} is not a \"name, address\" pair: not exported"),
                        ),
                    }
                }
                Bulk::Ipv4Port | Bulk::Ipv6Port => {
                    let ip = value.split(',').next().unwrap_or_default().trim();
                    if b.type_ == Bulk::Ipv4Port {
                        self.emit(Kind::Ipv4Addr, normalize::ipv4(ip), at);
                    } else {
                        self.emit(Kind::Ipv6Addr, normalize::ipv6(ip), at);
                    }
                }
                Bulk::FileHash => {
                    let kind = hash_kind.unwrap_or(Kind::Sha256);
                    let checked = normalize::hex_digest(value, kind).ok_or_else(|| {
                        format!(
                            "not a {kind} digest in hex ({} hex digits)",
                            2 * normalize::digest_len(kind)
                        )
                    });
                    self.emit(kind, checked, at);
                }
                _ => skipped += 1,
            }
        }
        if matches!(b.type_, Bulk::Ipv4Port | Bulk::Ipv6Port) {
            self.note(
                list_path.clone(),
                "address, port, protocol tuples: the addresses are exported, not the ports and protocols".into(),
            );
        }
        if skipped > 0 {
            let name = b.type_.ext().map_or_else(|| b.type_.to_xml(), Into::into);
            self.warn(
                list_path,
                format!("BulkObservable type {name:?} has no exported kind: {skipped} values not exported"),
            );
        }
    }
}

/// The element name of an Observable's content.
fn observable_name(choice: &ObservableChoice) -> &'static str {
    match choice {
        ObservableChoice::System(_) => "System",
        ObservableChoice::Address(_) => "Address",
        ObservableChoice::DomainData(_) => "DomainData",
        ObservableChoice::Service(_) => "Service",
        ObservableChoice::EmailData(_) => "EmailData",
        ObservableChoice::WindowsRegistryKeysModified(_) => "WindowsRegistryKeysModified",
        ObservableChoice::FileData(_) => "FileData",
        ObservableChoice::CertificateData(_) => "CertificateData",
        ObservableChoice::RegistryHandle(_) => "RegistryHandle",
        ObservableChoice::RecordData(_) => "RecordData",
        ObservableChoice::EventData(_) => "EventData",
        ObservableChoice::Incident(_) => "Incident",
        ObservableChoice::Expectation(_) => "Expectation",
        ObservableChoice::Reference(_) => "Reference",
        ObservableChoice::Assessment(_) => "Assessment",
        ObservableChoice::DetectionPattern(_) => "DetectionPattern",
        ObservableChoice::HistoryItem(_) => "HistoryItem",
        ObservableChoice::BulkObservable(_) => "BulkObservable",
        ObservableChoice::AdditionalData(_) => "AdditionalData",
    }
}

/// 1-based indexes of children among their namesakes, for paths.
#[derive(Default)]
struct Counts(HashMap<&'static str, u32>);

impl Counts {
    /// The path of the next child named `name` of `parent`.
    fn child(&mut self, parent: &str, name: &'static str) -> String {
        let n = self.0.entry(name).or_default();
        *n += 1;
        format!("{parent}/{name}[{n}]")
    }
}

/// Finds the path of every element with an `observable-id`, and whether it sits inside a
/// Contact, a System of category `target`, `sensor`, `infrastructure` or an extension category,
/// or a `not` IndicatorExpression, from the document's events.
#[derive(Default)]
struct Locator {
    /// The open elements: path length before each, namesake counts of its children, why its
    /// content must not be exported.
    stack: Vec<Open>,
    path: String,
    found: HashMap<String, Located>,
}

struct Open {
    path_len: usize,
    local: String,
    children: HashMap<String, u32>,
    excluded: Option<String>,
}

impl XmlEvents for Locator {
    fn start_element(&mut self, ns: &str, local: &str) -> io::Result<()> {
        let path_len = self.path.len();
        let inherited = self.stack.last().and_then(|o| o.excluded.clone());
        self.path.push('/');
        self.path.push_str(local);
        if let Some(parent) = self.stack.last_mut() {
            let n = parent.children.entry(local.to_string()).or_default();
            *n += 1;
            self.path.push_str(&format!("[{n}]"));
        }
        let excluded = inherited.or_else(|| {
            (ns == v2::NAMESPACE && local == "Contact").then(|| "a Contact".to_string())
        });
        self.stack.push(Open {
            path_len,
            local: local.to_string(),
            children: HashMap::new(),
            excluded,
        });
        Ok(())
    }

    fn attribute(&mut self, ns: &str, local: &str, value: &str) -> io::Result<()> {
        let Some(open) = self.stack.last_mut() else {
            return Ok(());
        };
        if !ns.is_empty() {
            return Ok(());
        }
        match local {
            "observable-id" => {
                self.found.entry(value.to_string()).or_insert(Located {
                    path: self.path.clone(),
                    local: open.local.clone(),
                    excluded: open.excluded.clone(),
                });
            }
            // The System's own values are checked by `Extractor::system`; this is for its
            // descendants referenced on their own.
            "category"
                if open.local == "System"
                    && open.excluded.is_none()
                    && !matches!(value.trim(), "source" | "intermediate") =>
            {
                open.excluded = Some(format!("a System of category {:?}", value.trim()));
            }
            "operator"
                if open.local == "IndicatorExpression"
                    && open.excluded.is_none()
                    && value.trim() == "not" =>
            {
                open.excluded = Some("a \"not\" IndicatorExpression".to_string());
            }
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, _text: &str) -> io::Result<()> {
        Ok(())
    }

    fn end_element(&mut self) -> io::Result<()> {
        if let Some(open) = self.stack.pop() {
            self.path.truncate(open.path_len);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extraction of a document whose one Incident has `indicators` in IndicatorData.
    fn run(indicators: &str) -> Extraction {
        let xml = format!(
            r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
                xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
              <Incident purpose="reporting">
                <IncidentID name="csirt.example.com">1</IncidentID>
                <GenerationTime>2026-01-01T00:00:00Z</GenerationTime>
                <Contact type="organization" role="creator"/>
                <IndicatorData>{indicators}</IndicatorData>
              </Incident>
            </IODEF-Document>"#
        );
        extract(&crate::read(xml.as_bytes()).expect("a valid document"))
    }

    /// One Indicator with `observable` as its Observable's content.
    fn observable(observable: &str) -> Extraction {
        run(&format!(
            r#"<Indicator><IndicatorID name="x" version="1">i1</IndicatorID>
               <Observable>{observable}</Observable></Indicator>"#
        ))
    }

    fn values(x: &Extraction) -> Vec<String> {
        x.indicators
            .iter()
            .map(|i| format!("{} {}", i.kind, i.value))
            .collect()
    }

    fn warnings(x: &Extraction) -> Vec<&str> {
        x.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.message.as_str())
            .collect()
    }

    #[test]
    fn default_category_is_ipv6_and_an_ipv4_value_is_a_warning() {
        let x = observable("<Address>2001:DB8::0:1</Address>");
        assert_eq!(values(&x), ["ipv6-addr 2001:db8::1"]);
        assert!(warnings(&x).is_empty());
        let x = observable("<Address>192.0.2.1</Address>");
        assert_eq!(values(&x), ["ipv4-addr 192.0.2.1"]);
        assert!(warnings(&x)[0].contains("schema default is ipv6-addr"));
        let x = observable("<Address>host.example</Address>");
        assert!(values(&x).is_empty());
        assert!(warnings(&x)[0].contains("not an IPv6 address"));
    }

    #[test]
    fn networks_masks_and_sanitized_addresses() {
        let x =
            observable(r#"<Address category="ipv4-net-mask">192.0.2.0/255.255.255.0</Address>"#);
        assert_eq!(values(&x), ["ipv4-net 192.0.2.0/24"]);
        let x = observable(r#"<Address category="ipv4-net-mask">192.0.2.0/255.0.255.0</Address>"#);
        assert!(values(&x).is_empty());
        assert!(warnings(&x)[0].contains("not contiguous"));
        let x = observable(r#"<Address category="ipv4-net">192.0.2.7/24</Address>"#);
        assert_eq!(values(&x), ["ipv4-net 192.0.2.0/24"]);
        assert!(warnings(&x)[0].contains("host bits"));
        let x = observable(r#"<Address category="ipv4-net-masked">192.0.2.x/24</Address>"#);
        assert!(values(&x).is_empty());
        assert!(warnings(&x)[0].contains("sanitized"));
        let x = observable(r#"<Address category="mac">00:00:5e:00:53:01</Address>"#);
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("no exported kind"));
    }

    fn hash(scope: &str, algorithm: &str, value: &str) -> Extraction {
        observable(&format!(
            r#"<FileData><File><HashData scope="{scope}"><Hash>
                 <ds:DigestMethod Algorithm="{algorithm}"/><ds:DigestValue>{value}</ds:DigestValue>
               </Hash></HashData></File></FileData>"#
        ))
    }

    #[test]
    fn hashes_by_algorithm_scope_and_length() {
        const MD5: &str = "http://www.w3.org/2001/04/xmldsig-more#md5";
        let x = hash("file-contents", MD5, "/F31waW/XlP41fHKobldag==");
        assert_eq!(values(&x), ["md5 fc5df5c1a5bf5e53f8d5f1caa1b95d6a"]);
        assert!(warnings(&x).is_empty());
        // Hex where base64 belongs (RFC 8274 B.4 does this): taken, with a warning.
        let x = hash("file-contents", MD5, "FC5DF5C1A5BF5E53F8D5F1CAA1B95D6A");
        assert_eq!(values(&x), ["md5 fc5df5c1a5bf5e53f8d5f1caa1b95d6a"]);
        assert!(warnings(&x)[0].contains("hex, not base64"));
        let x = hash("file-contents", MD5, "AAAA");
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("3 bytes"));
        let x = hash("file-pe-section", MD5, "/F31waW/XlP41fHKobldag==");
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("not a hash of a whole file"));
        let x = hash(
            "file-contents",
            "http://www.w3.org/2001/04/xmlenc#md5",
            "/F31waW/XlP41fHKobldag==",
        );
        assert_eq!(values(&x).len(), 1);
        assert!(warnings(&x)[0].contains("not the XML Signature URI"));
        let x = hash("file-contents", "urn:example:crc32", "AAAA");
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("not MD5, SHA-1"));
    }

    fn bulk(kind: &str, format: &str, list: &str) -> Extraction {
        observable(&format!(
            r#"<BulkObservable type="{kind}">{format}<BulkObservableList>{list}</BulkObservableList></BulkObservable>"#
        ))
    }

    #[test]
    fn bulk_lists_of_every_kind() {
        let x = bulk("ipv6-net-mask", "", "2001:db8::/ffff:ffff::\n");
        assert_eq!(values(&x), ["ipv6-net 2001:db8::/32"]);
        let x = bulk(
            "domain-to-ipv6-timestamp",
            "",
            "a.example, 2001:db8::3, 2015-06-11T00:38:31-06:00",
        );
        assert_eq!(values(&x), ["domain a.example", "ipv6-addr 2001:db8::3"]);
        let x = bulk("ipv4-port", "", "192.0.2.1, 80, TCP\n192.0.2.1, 443, TCP");
        assert_eq!(values(&x), ["ipv4-addr 192.0.2.1"]);
        assert!(x.diagnostics.iter().any(|d| d.message.contains("ports")));
        let x = bulk("mutex", "", "Global\\a\nGlobal\\b\n");
        assert!(values(&x).is_empty());
        assert!(warnings(&x)[0].contains("2 values not exported"));
        let x = bulk("file-hash", "", "00");
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("BulkObservableFormat/Hash"));
        let x = bulk("asn", "", "AS64496\r\n1.10\r\n");
        assert_eq!(values(&x), ["asn 64496", "asn 65546"]);
        assert_eq!(x.indicators[1].path.rsplit_once(':').unwrap().1, "2");
    }

    #[test]
    fn systems_expressions_and_references() {
        let x = observable(
            r#"<System category="intermediate"><Node><Address category="ipv4-addr">192.0.2.1</Address>
               <DomainData><Name>relay.example</Name></DomainData></Node></System>"#,
        );
        assert_eq!(values(&x), ["ipv4-addr 192.0.2.1", "domain relay.example"]);
        let x = observable(
            r#"<System category="sensor"><Node><Address category="ipv4-addr">192.0.2.1</Address></Node></System>"#,
        );
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("\"sensor\""));
        let x = run(
            r#"<Indicator><IndicatorID name="x" version="1">i1</IndicatorID>
            <IndicatorReference euid-ref="urn:example:other"/></Indicator>"#,
        );
        assert!(values(&x).is_empty() && warnings(&x)[0].contains("external Indicator"));
        // A referenced value keeps the path of its element and says where the reference is.
        let x = run(
            r#"<Indicator><IndicatorID name="x" version="1">i1</IndicatorID>
              <Observable><DomainData observable-id="d1"><Name>b.example</Name></DomainData></Observable></Indicator>
            <Indicator><IndicatorID name="x" version="1">i2</IndicatorID>
              <IndicatorExpression><ObservableReference uid-ref="d1"/>
                <Observable><Address category="e-mail">x@b.example</Address></Observable>
              </IndicatorExpression></Indicator>"#,
        );
        assert_eq!(values(&x), ["domain b.example", "email x@b.example"]);
        assert_eq!(x.indicators[1].origin.indicator_id, "i2");
        assert_eq!(
            x.indicators[1].path,
            "/IODEF-Document/Incident[1]/IndicatorData[1]/Indicator[2]/IndicatorExpression[1]/Observable[1]/Address[1]"
        );
    }

    #[test]
    fn iodef1_has_no_indicators() {
        let doc = crate::read(
            br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en">
              <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
              <ReportTime>2006-08-01T00:00:00Z</ReportTime>
              <Assessment><Impact type="recon"/></Assessment>
              <Contact role="creator" type="organization"><ContactName>CSIRT</ContactName></Contact>
              </Incident></IODEF-Document>"#,
        )
        .unwrap();
        let x = extract(&doc);
        assert!(x.indicators.is_empty());
        assert!(warnings(&x)[0].contains("IODEF 1.0"));
    }
}
