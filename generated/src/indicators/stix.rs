//! STIX 2.1: a bundle of `indicator` objects whose patterns compare one observable property
//! with the value.

use serde_json::{json, Value};
use time::OffsetDateTime;

use super::{Diagnostic, IndicatorValue, Kind, Severity};
use crate::DateTime;

/// The UUID namespace of this crate's STIX identifiers (UUIDv5 names, see [`stix_bundle`]).
const ID_NAMESPACE: uuid::Uuid = uuid::uuid!("fd429e8d-c091-4f46-817f-db0e70f1d511");

/// What the bundle needs besides the indicators.
#[derive(Debug, Clone)]
pub struct StixOptions {
    /// `created` and `modified` of every object: a STIX timestamp
    /// (`2026-01-01T00:00:00.000Z`; [`stix_timestamp`] makes one).
    pub created: String,
    /// Deterministic identifiers (UUIDv5, see [`stix_bundle`]) instead of the random UUIDv4
    /// STIX 2.1 recommends for SDOs.
    pub stable_ids: bool,
}

/// A STIX timestamp (UTC, `Z`, milliseconds) of a point in time; `None` when its year is not
/// within 0000-9999 (RFC 3339 has four digits).
pub fn stix_timestamp(time: OffsetDateTime) -> Option<String> {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    let utc = time.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&utc.year()) {
        return None;
    }
    utc.format(&format).ok()
}

/// An `xs:dateTime` as a STIX timestamp (a time without a timezone is taken as UTC).
fn timestamp(value: &DateTime) -> Option<String> {
    let time = OffsetDateTime::from_unix_timestamp(value.unix_seconds()).ok()?;
    let time = time.replace_nanosecond(value.nanosecond()).ok()?;
    stix_timestamp(time)
}

/// A bundle of one `indicator` object per value (`[ipv4-addr:value = '192.0.2.1']`, ...),
/// and a warning for each value that could not be carried (a time outside STIX's range).
///
/// Identifiers are random UUIDv4, as STIX 2.1 recommends for SDOs; with
/// [`StixOptions::stable_ids`] they are UUIDv5 of the Incident's `IncidentID@name` and value and
/// the indicator's kind and value: exporting the same report again gives the same objects, so a
/// consumer updates rather than duplicates them, and the same value from another report is
/// another object. `valid_from` is the Indicator's StartTime, or the Incident's GenerationTime;
/// `valid_until` its EndTime when that is later. The error is the system's random number
/// generator failing.
pub fn stix_bundle<'a>(
    indicators: impl IntoIterator<Item = &'a IndicatorValue>,
    options: &StixOptions,
) -> Result<(Value, Vec<Diagnostic>), getrandom::Error> {
    let new_id = |name: &str| -> Result<uuid::Uuid, getrandom::Error> {
        if options.stable_ids {
            return Ok(uuid::Uuid::new_v5(&ID_NAMESPACE, name.as_bytes()));
        }
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(uuid::Builder::from_random_bytes(bytes).into_uuid())
    };
    let mut objects = Vec::new();
    let mut problems = Vec::new();
    let mut names = String::new();
    for i in indicators {
        let origin = &i.origin;
        let from = origin
            .start_time
            .as_ref()
            .unwrap_or(&origin.generation_time);
        let Some(valid_from) = timestamp(from) else {
            problems.push(Diagnostic {
                severity: Severity::Warning,
                path: i.path.clone(),
                message: format!(
                    "{} {}: the time {} is outside STIX's range: not in the STIX bundle",
                    i.kind,
                    i.value,
                    from.as_str()
                ),
            });
            continue;
        };
        let name = format!(
            "{}\0{}\0{}\0{}",
            origin.incident_name, origin.incident_id, i.kind, i.value
        );
        let id = format!("indicator--{}", new_id(&name)?);
        names.push_str(&id);
        let mut object = json!({
            "type": "indicator",
            "spec_version": "2.1",
            "id": id,
            "created": options.created,
            "modified": options.created,
            "name": format!("{} {}", i.kind, i.value),
            "description": format!(
                "IODEF Indicator {:?} (name {:?}, version {:?}) of Incident {:?} (name {:?}), at {}",
                origin.indicator_id, origin.indicator_name, origin.indicator_version,
                origin.incident_id, origin.incident_name, i.path
            ),
            "pattern": pattern(i.kind, &i.value),
            "pattern_type": "stix",
            "pattern_version": "2.1",
            "valid_from": valid_from,
        });
        let until = origin
            .end_time
            .as_ref()
            .filter(|end| end.unix_seconds() > from.unix_seconds());
        if let Some(until) = until.and_then(timestamp) {
            object["valid_until"] = until.into();
        }
        objects.push(object);
    }
    let bundle = json!({
        "type": "bundle",
        "id": format!("bundle--{}", new_id(&names)?),
        "objects": objects,
    });
    Ok((bundle, problems))
}

/// The STIX pattern matching `value` as `kind`.
fn pattern(kind: Kind, value: &str) -> String {
    let quoted = format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"));
    match kind {
        Kind::Ipv4Addr | Kind::Ipv4Net => format!("[ipv4-addr:value = {quoted}]"),
        Kind::Ipv6Addr | Kind::Ipv6Net => format!("[ipv6-addr:value = {quoted}]"),
        Kind::Domain => format!("[domain-name:value = {quoted}]"),
        Kind::Url => format!("[url:value = {quoted}]"),
        Kind::Email => format!("[email-addr:value = {quoted}]"),
        // A canonical asplain number: an integer literal.
        Kind::Asn => format!("[autonomous-system:number = {value}]"),
        Kind::Md5 => format!("[file:hashes.MD5 = {quoted}]"),
        Kind::Sha1 => format!("[file:hashes.'SHA-1' = {quoted}]"),
        Kind::Sha256 => format!("[file:hashes.'SHA-256' = {quoted}]"),
        Kind::Sha512 => format!("[file:hashes.'SHA-512' = {quoted}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_escape_quotes_and_backslashes() {
        assert_eq!(
            pattern(Kind::Url, r"http://bad.example/a'b\c"),
            r"[url:value = 'http://bad.example/a\'b\\c']"
        );
        assert_eq!(pattern(Kind::Sha1, "ab"), "[file:hashes.'SHA-1' = 'ab']");
    }

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let t: DateTime =
            crate::rt::values::SimpleValue::parse_xml("2015-07-18T09:00:00-05:00").unwrap();
        assert_eq!(timestamp(&t).unwrap(), "2015-07-18T14:00:00.000Z");
    }
}
