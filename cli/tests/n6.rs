//! `iodef from-n6` and `iodef::n6`: n6 events to IODEF 2.0.
//!
//! - Golden tests per field: a minimal n6 event is mapped with and without one field (or one
//!   category); the leaves (`PATH@attr = value`, `PATH = text`) the field adds or changes in
//!   the real binary's output are compared with the expected list, exactly.
//! - The whole fixture (`data/n6/events.jsonl` / `.json`: every category profile, every
//!   field family, unknown fields) gives a document that Python `xmlschema` accepts and
//!   `iodef validate` (schema + prose rules) reports nothing about; every input value is found
//!   in the output.
//! - Error cases through the real binary: exit status and the message naming event and field.

mod common;

use common::{code, run, run_with_stdin, stderr, stdout};
use iodef_tests::infoset::{self, Element, Node};
use iodef_tests::validator::{self, Engine};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const GENERATED: &str = "2024-06-01T00:00:00Z";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/n6")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("n6");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// `iodef from-n6 -` on `input`: the XML, panicking with stderr on failure.
fn convert(input: &str) -> String {
    let out = run_with_stdin(
        &["from-n6", "-", "--generation-time", GENERATED, "--quiet"],
        input.as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}\n{input}", stderr(&out));
    stdout(&out)
}

/// Every leaf of the document: `PATH@attr = value` for attributes, `PATH = text` for
/// non-blank text; `PATH` counts same-name siblings (`System[2]`), `ds:` for xmldsig.
fn leaves(xml: &str) -> Vec<String> {
    fn walk(el: &Element, path: &str, out: &mut Vec<String>) {
        for a in &el.attrs {
            let prefix = match a.ns.as_str() {
                "" => "",
                infoset::XML_NS => "xml:",
                _ => "xsi:",
            };
            out.push(format!("{path}@{prefix}{} = {}", a.name, a.value));
        }
        let text = el.text();
        if !text.trim().is_empty() {
            out.push(format!("{path} = {}", text.trim()));
        }
        let mut seen: Vec<(String, usize)> = Vec::new();
        for child in &el.children {
            let Node::Element(c) = child else { continue };
            let name = if c.ns.contains("xmldsig") {
                format!("ds:{}", c.name)
            } else {
                c.name.clone()
            };
            let n = match seen.iter_mut().find(|(k, _)| *k == name) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((name.clone(), 1));
                    1
                }
            };
            walk(c, &format!("{path}/{name}[{n}]"), out);
        }
    }
    let root = infoset::parse(xml.as_bytes()).expect("well-formed output");
    let mut out = Vec::new();
    walk(&root, &format!("/{}", root.name), &mut out);
    out
}

/// The minimal event: the fields n6 requires, category `other` (no System role).
fn base() -> Value {
    json!({
        "id": "0123456789abcdef0123456789abcdef",
        "source": "hidden.42",
        "restriction": "public",
        "confidence": "low",
        "category": "other",
        "time": "2024-05-04T10:59:03Z"
    })
}

/// The leaves `changes` (fields added to or replacing those of the minimal event) add (`+`)
/// and remove (`-`), sorted.
fn diff(changes: Value) -> Vec<String> {
    let mut event = base();
    for (k, v) in changes.as_object().unwrap() {
        event[k] = v.clone();
    }
    let before: BTreeSet<String> = leaves(&convert(&base().to_string())).into_iter().collect();
    let after: BTreeSet<String> = leaves(&convert(&event.to_string())).into_iter().collect();
    let mut out: Vec<String> = after
        .difference(&before)
        .map(|l| format!("+ {l}"))
        .chain(before.difference(&after).map(|l| format!("- {l}")))
        .collect();
    out.sort();
    out
}

const I: &str = "/IODEF-Document/Incident[1]";
const E: &str = "/IODEF-Document/Incident[1]/EventData[1]";

fn lines(expected: &[String]) -> Vec<String> {
    let mut v = expected.to_vec();
    v.sort();
    v
}

#[test]
fn the_minimal_event_maps_to_these_leaves() {
    let got = leaves(&convert(&base().to_string()));
    let schema = "urn:ietf:params:xml:ns:iodef-2.0 \
                  https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd";
    let expected = vec![
        format!("/IODEF-Document@xsi:schemaLocation = {schema}"),
        "/IODEF-Document@version = 2.00".into(),
        "/IODEF-Document@xml:lang = en".into(),
        format!("{I}@purpose = reporting"),
        format!("{I}@restriction = public"),
        format!("{I}/IncidentID[1]@name = n6.cert.pl"),
        format!("{I}/IncidentID[1] = 0123456789abcdef0123456789abcdef"),
        format!("{I}/GenerationTime[1] = {GENERATED}"),
        format!("{I}/Contact[1]@role = creator"),
        format!("{I}/Contact[1]@type = organization"),
        format!("{I}/Contact[1]/ContactName[1] = n6.cert.pl"),
        format!("{E}@restriction = public"),
        format!("{E}/DetectTime[1] = 2024-05-04T10:59:03Z"),
        format!("{E}/Discovery[1]/Contact[1]@role = reporter"),
        format!("{E}/Discovery[1]/Contact[1]@type = organization"),
        format!("{E}/Discovery[1]/Contact[1]/ContactName[1] = hidden.42"),
        format!("{E}/Assessment[1]/IncidentCategory[1] = other"),
        format!("{E}/Assessment[1]/SystemImpact[1]@type = unknown"),
        format!("{E}/Assessment[1]/Confidence[1]@rating = low"),
    ];
    assert_eq!(lines(&got), lines(&expected));
}

#[test]
fn restriction_and_confidence_map_to_their_rfc7970_values() {
    for (n6, iodef) in [
        ("public", "public"),
        ("need-to-know", "need-to-know"),
        ("internal", "private"),
    ] {
        let expected = if n6 == "public" {
            vec![]
        } else {
            vec![
                format!("+ {E}@restriction = {iodef}"),
                format!("+ {I}@restriction = {iodef}"),
                format!("- {E}@restriction = public"),
                format!("- {I}@restriction = public"),
            ]
        };
        assert_eq!(diff(json!({ "restriction": n6 })), lines(&expected), "{n6}");
    }
    for rating in ["medium", "high"] {
        assert_eq!(
            diff(json!({ "confidence": rating })),
            lines(&[
                format!("+ {E}/Assessment[1]/Confidence[1]@rating = {rating}"),
                format!("- {E}/Assessment[1]/Confidence[1]@rating = low"),
            ])
        );
    }
}

#[test]
fn times_map_to_detect_start_end_and_report_time() {
    assert_eq!(
        diff(json!({"until": "2024-05-04T12:00:00Z"})),
        lines(&[
            format!("+ {E}/StartTime[1] = 2024-05-04T10:59:03Z"),
            format!("+ {E}/EndTime[1] = 2024-05-04T12:00:00Z"),
        ])
    );
    assert_eq!(
        diff(json!({"modified": "2024-05-04T11:45:27Z"})),
        lines(&[format!("+ {E}/ReportTime[1] = 2024-05-04T11:45:27Z")])
    );
    // n6 times are UTC: no offset (or a space for `T`) is read as UTC.
    assert_eq!(
        diff(json!({"time": "2024-05-04 10:59:03.5"})),
        lines(&[
            format!("+ {E}/DetectTime[1] = 2024-05-04T10:59:03.5Z"),
            format!("- {E}/DetectTime[1] = 2024-05-04T10:59:03Z"),
        ])
    );
    assert_eq!(
        diff(json!({"expires": "2024-05-06T00:00:00+02:00"})),
        lines(&[
            format!("+ {E}/AdditionalData[1] = 2024-05-06T00:00:00+02:00"),
            format!("+ {E}/AdditionalData[1]@dtype = date-time"),
            format!("+ {E}/AdditionalData[1]@meaning = n6:expires"),
        ])
    );
}

#[test]
fn address_items_are_one_system_each() {
    let s1 = format!("{E}/Flow[1]/System[1]");
    let s2 = format!("{E}/Flow[1]/System[2]");
    assert_eq!(
        diff(json!({"category": "bots", "address": [
            {"ip": "203.0.113.42", "cc": "PL", "asn": 1234},
            {"ipv6": "2001:db8::1", "dir": "dst", "rdns": "host.example.net"}
        ]})),
        lines(&[
            format!("+ {E}/Assessment[1]/IncidentCategory[1] = bots"),
            format!("- {E}/Assessment[1]/IncidentCategory[1] = other"),
            format!("+ {E}/Assessment[1]/SystemImpact[1]@type = takeover-system"),
            format!("- {E}/Assessment[1]/SystemImpact[1]@type = unknown"),
            format!("+ {s1}@category = source"),
            format!("+ {s1}/Node[1]/Address[1] = 203.0.113.42"),
            format!("+ {s1}/Node[1]/Address[1]@category = ipv4-addr"),
            format!("+ {s1}/Node[1]/Address[2] = 1234"),
            format!("+ {s1}/Node[1]/Address[2]@category = asn"),
            format!("+ {s1}/Node[1]/Location[1] = PL"),
            // `dir` overrides the category's side
            format!("+ {s2}@category = target"),
            format!("+ {s2}/Node[1]/Address[1] = 2001:db8::1"),
            format!("+ {s2}/Node[1]/Address[1]@category = ipv6-addr"),
            format!("+ {s2}/Node[1]/DomainData[1]/Name[1] = host.example.net"),
            format!("+ {s2}/Node[1]/DomainData[1]@domain-status = unknown"),
            format!("+ {s2}/Node[1]/DomainData[1]@system-status = unknown"),
        ])
    );
}

#[test]
fn ports_go_to_the_system_they_belong_to() {
    let s1 = format!("{E}/Flow[1]/System[1]");
    let s2 = format!("{E}/Flow[1]/System[2]");
    // A destination (adip) from a sinkhole: sport is the bot's, dport the sinkhole's.
    assert_eq!(
        diff(
            json!({"category": "scanning", "address": [{"ip": "192.0.2.1"}],
                    "adip": "x.x.51.198", "origin": "sinkhole",
                    "proto": "tcp", "sport": 40000, "dport": 22})
        ),
        lines(&[
            format!("+ {E}/Assessment[1]/IncidentCategory[1] = scanning"),
            format!("- {E}/Assessment[1]/IncidentCategory[1] = other"),
            format!("+ {E}/Discovery[1]@source = ext-value"),
            format!("+ {E}/Discovery[1]@ext-source = sinkhole"),
            format!("+ {s1}@category = source"),
            format!("+ {s1}/Node[1]/Address[1] = 192.0.2.1"),
            format!("+ {s1}/Node[1]/Address[1]@category = ipv4-addr"),
            format!("+ {s1}/Service[1]@ip-protocol = 6"),
            format!("+ {s1}/Service[1]/Port[1] = 40000"),
            format!("+ {s2}@category = sensor"),
            format!("+ {s2}/NodeRole[1]@category = sinkhole"),
            format!("+ {s2}/Node[1]/Address[1] = x.x.51.198"),
            format!("+ {s2}/Node[1]/Address[1]@category = ext-value"),
            format!("+ {s2}/Node[1]/Address[1]@ext-category = ipv4-addr-anonymized"),
            format!("+ {s2}/Service[1]@ip-protocol = 6"),
            format!("+ {s2}/Service[1]/Port[1] = 22"),
        ])
    );
    // A host category without destination: dport is the host's; sport has no System.
    assert_eq!(
        diff(
            json!({"category": "vulnerable", "address": [{"ip": "192.0.2.1"}],
                    "proto": "udp", "sport": 5, "dport": 161})
        ),
        lines(&[
            format!("+ {E}/Assessment[1]/IncidentCategory[1] = vulnerable"),
            format!("- {E}/Assessment[1]/IncidentCategory[1] = other"),
            format!("+ {s1}/Node[1]/Address[1] = 192.0.2.1"),
            format!("+ {s1}/Node[1]/Address[1]@category = ipv4-addr"),
            format!("+ {s1}/Service[1]@ip-protocol = 17"),
            format!("+ {s1}/Service[1]/Port[1] = 161"),
            format!("+ {E}/AdditionalData[1] = 5"),
            format!("+ {E}/AdditionalData[1]@dtype = integer"),
            format!("+ {E}/AdditionalData[1]@meaning = n6:sport"),
        ])
    );
    // No protocol: RFC 7970 §3.20 requires one with a Port, so ports stay in AdditionalData.
    assert_eq!(
        diff(json!({"dport": 80})),
        lines(&[
            format!("+ {E}/AdditionalData[1] = 80"),
            format!("+ {E}/AdditionalData[1]@dtype = integer"),
            format!("+ {E}/AdditionalData[1]@meaning = n6:dport"),
        ])
    );
    // A dip from a honeypot; icmp is protocol 1.
    assert_eq!(
        diff(json!({"dip": "198.51.100.1", "origin": "honeypot", "proto": "icmp", "dport": 0})),
        lines(&[
            format!("+ {E}/Discovery[1]@source = ext-value"),
            format!("+ {E}/Discovery[1]@ext-source = honeypot"),
            format!("+ {s1}@category = sensor"),
            format!("+ {s1}/NodeRole[1]@category = honeypot"),
            format!("+ {s1}/Node[1]/Address[1] = 198.51.100.1"),
            format!("+ {s1}/Node[1]/Address[1]@category = ipv4-addr"),
            format!("+ {s1}/Service[1]@ip-protocol = 1"),
            format!("+ {s1}/Service[1]/Port[1] = 0"),
        ])
    );
}

#[test]
fn fqdn_and_url_describe_the_host_or_the_destination() {
    let s1 = format!("{E}/Flow[1]/System[1]");
    let s2 = format!("{E}/Flow[1]/System[2]");
    let site = |s: &str| {
        vec![
            format!("+ {s}/Node[1]/Address[1] = http://bad.example/x"),
            format!("+ {s}/Node[1]/Address[1]@category = site-uri"),
            format!("+ {s}/Node[1]/DomainData[1]/Name[1] = bad.example"),
            format!("+ {s}/Node[1]/DomainData[1]@domain-status = unknown"),
            format!("+ {s}/Node[1]/DomainData[1]@system-status = unknown"),
        ]
    };
    let mut expected = vec![
        format!("+ {E}/Assessment[1]/IncidentCategory[1] = phish"),
        format!("- {E}/Assessment[1]/IncidentCategory[1] = other"),
        format!("+ {s1}@category = source"),
        format!("+ {s1}/NodeRole[1]@category = phishing-site"),
    ];
    expected.extend(site(&s1));
    assert_eq!(
        diff(json!({"category": "phish", "fqdn": "bad.example", "url": "http://bad.example/x"})),
        lines(&expected)
    );
    // For a bot, fqdn/url are where it connects: the destination System.
    let mut expected = vec![
        format!("+ {E}/Assessment[1]/IncidentCategory[1] = bots"),
        format!("- {E}/Assessment[1]/IncidentCategory[1] = other"),
        format!("+ {E}/Assessment[1]/SystemImpact[1]@type = takeover-system"),
        format!("- {E}/Assessment[1]/SystemImpact[1]@type = unknown"),
        format!("+ {s1}@category = source"),
        format!("+ {s1}/Node[1]/Address[1] = 192.0.2.1"),
        format!("+ {s1}/Node[1]/Address[1]@category = ipv4-addr"),
        format!("+ {s2}@category = target"),
    ];
    expected.extend(site(&s2));
    assert_eq!(
        diff(json!({"category": "bots", "address": [{"ip": "192.0.2.1"}],
                    "fqdn": "bad.example", "url": "http://bad.example/x"})),
        lines(&expected)
    );
}

#[test]
fn each_category_has_its_system_role_and_impact() {
    // (category, System@category, NodeRole@category, SystemImpact@type)
    let table = [
        ("bots", Some("source"), None, "takeover-system"),
        ("cnc", Some("source"), Some("c2-server"), "unknown"),
        (
            "malurl",
            Some("source"),
            Some("malware-distribution"),
            "unknown",
        ),
        ("phish", Some("source"), Some("phishing-site"), "unknown"),
        ("scam", Some("source"), Some("fraudulent-site"), "unknown"),
        ("proxy", Some("intermediate"), Some("proxy"), "unknown"),
        (
            "tor",
            Some("intermediate"),
            Some("anonymization"),
            "unknown",
        ),
        (
            "amplifier",
            Some("intermediate"),
            Some("reflector"),
            "unknown",
        ),
        ("dos-attacker", Some("source"), None, "availability-system"),
        ("dos-victim", Some("target"), None, "availability-system"),
        ("backdoor", Some("target"), None, "takeover-system"),
        ("deface", Some("target"), None, "integrity-data"),
        ("scanning", Some("source"), None, "unknown"),
        ("spam", Some("source"), None, "unknown"),
        ("vulnerable", None, None, "unknown"),
        ("exposed", None, None, "unknown"),
        ("leak", None, None, "unknown"),
        ("a-future-category", None, None, "unknown"),
    ];
    for (category, system, role, impact) in table {
        let xml = convert(
            &json!({"id": "1", "source": "s.s", "restriction": "public", "confidence": "low",
                    "category": category, "time": "2024-01-01T00:00:00Z",
                    "address": [{"ip": "192.0.2.1"}]})
            .to_string(),
        );
        let got = leaves(&xml);
        let s = format!("{E}/Flow[1]/System[1]");
        let has = |l: String| got.contains(&l);
        assert!(
            has(format!(
                "{E}/Assessment[1]/IncidentCategory[1] = {category}"
            )),
            "{category}"
        );
        assert!(
            has(format!("{E}/Assessment[1]/SystemImpact[1]@type = {impact}")),
            "{category}: {got:#?}"
        );
        match system {
            Some(c) => assert!(has(format!("{s}@category = {c}")), "{category}: {got:#?}"),
            None => assert!(
                !got.iter().any(|l| l.starts_with(&format!("{s}@category"))),
                "{category}"
            ),
        }
        match role {
            Some(r) => assert!(has(format!("{s}/NodeRole[1]@category = {r}")), "{category}"),
            None => assert!(!got.iter().any(|l| l.contains("NodeRole")), "{category}"),
        }
    }
}

#[test]
fn hashes_name_count_target_origin_and_replaces() {
    let f = format!("{E}/Record[1]/RecordData[1]/FileData[1]/File[1]");
    let h = format!("{f}/HashData[1]");
    assert_eq!(
        diff(json!({"md5": "d41d8cd98f00b204e9800998ecf8427e",
                    "sha1": "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
                    "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    "filename": "a.exe"})),
        lines(&[
            format!("+ {f}/FileName[1] = a.exe"),
            format!("+ {h}@scope = file-contents"),
            format!("+ {h}/Hash[1]/ds:DigestMethod[1]@Algorithm = http://www.w3.org/2001/04/xmldsig-more#md5"),
            format!("+ {h}/Hash[1]/ds:DigestValue[1] = 1B2M2Y8AsgTpgAmY7PhCfg=="),
            format!("+ {h}/Hash[2]/ds:DigestMethod[1]@Algorithm = http://www.w3.org/2000/09/xmldsig#sha1"),
            format!("+ {h}/Hash[2]/ds:DigestValue[1] = 2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
            format!("+ {h}/Hash[3]/ds:DigestMethod[1]@Algorithm = http://www.w3.org/2001/04/xmlenc#sha256"),
            format!("+ {h}/Hash[3]/ds:DigestValue[1] = 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        ])
    );
    assert_eq!(
        diff(json!({"name": "virut"})),
        lines(&[format!(
            "+ {E}/Method[1]/Reference[1]/Description[1] = virut"
        )])
    );
    assert_eq!(
        diff(json!({"count": 42})),
        lines(&[
            format!("+ {E}/Assessment[1]/Counter[1] = 42.0"),
            format!("+ {E}/Assessment[1]/Counter[1]@meaning = n6:count"),
            format!("+ {E}/Assessment[1]/Counter[1]@type = counter"),
            format!("+ {E}/Assessment[1]/Counter[1]@unit = event"),
        ])
    );
    // Beyond 2^24 an xs:float Counter would round: the exact integer is carried instead.
    assert_eq!(
        diff(json!({"count": 16777217})),
        lines(&[
            format!("+ {E}/AdditionalData[1] = 16777217"),
            format!("+ {E}/AdditionalData[1]@dtype = integer"),
            format!("+ {E}/AdditionalData[1]@meaning = n6:count"),
        ])
    );
    assert_eq!(
        diff(json!({"target": "Example Bank"})),
        lines(&[
            format!("+ {E}/Contact[1]@role = victim"),
            format!("+ {E}/Contact[1]@type = organization"),
            format!("+ {E}/Contact[1]/ContactName[1] = Example Bank"),
        ])
    );
    assert_eq!(
        diff(json!({"origin": "av"})),
        lines(&[format!("+ {E}/Discovery[1]@source = av")])
    );
    assert_eq!(
        diff(json!({"replaces": "ffffffffffffffffffffffffffffffff"})),
        lines(&[
            format!("+ {I}/RelatedActivity[1]/IncidentID[1] = ffffffffffffffffffffffffffffffff"),
            format!("+ {I}/RelatedActivity[1]/IncidentID[1]@name = n6.cert.pl"),
        ])
    );
}

#[test]
fn other_fields_are_carried_in_additional_data() {
    // (field, value, dtype, text, formatid)
    let cases = [
        ("rid", json!("0f3c"), "string", "0f3c", None),
        ("status", json!("delisted"), "string", "delisted", None),
        ("type", json!("bl-delist"), "string", "bl-delist", None),
        ("block", json!(true), "boolean", "true", None),
        ("score", json!(0.75), "real", "0.75", None),
        (
            "email",
            json!("a@example.org"),
            "string",
            "a@example.org",
            None,
        ),
        (
            "client",
            json!(["org1", "org2"]),
            "string",
            r#"["org1","org2"]"#,
            Some("application/json"),
        ),
        (
            "injects",
            json!([{"a": 1}]),
            "string",
            r#"[{"a":1}]"#,
            Some("application/json"),
        ),
        (
            "rt",
            json!(null),
            "string",
            "null",
            Some("application/json"),
        ),
        ("x_not_n6", json!("kept"), "string", "kept", None),
    ];
    for (field, value, dtype, text, formatid) in cases {
        let a = format!("{E}/AdditionalData[1]");
        let mut expected = vec![
            format!("+ {a} = {text}"),
            format!("+ {a}@dtype = {dtype}"),
            format!("+ {a}@meaning = n6:{field}"),
        ];
        expected.extend(formatid.map(|f| format!("+ {a}@formatid = {f}")));
        assert_eq!(diff(json!({ field: value })), lines(&expected), "{field}");
    }
    // A key n6 does not define inside an address item stays with its System.
    let s = format!("{E}/Flow[1]/System[1]");
    assert_eq!(
        diff(json!({"address": [{"ip": "192.0.2.1", "x": 1}]})),
        lines(&[
            format!("+ {s}/Node[1]/Address[1] = 192.0.2.1"),
            format!("+ {s}/Node[1]/Address[1]@category = ipv4-addr"),
            format!("+ {s}/AdditionalData[1] = 1"),
            format!("+ {s}/AdditionalData[1]@dtype = integer"),
            format!("+ {s}/AdditionalData[1]@meaning = n6:address.x"),
        ])
    );
}

#[test]
fn events_with_one_id_are_one_incident() {
    let xml = convert(&std::fs::read_to_string(data("events.jsonl")).unwrap());
    let doc = iodef::read(xml.as_bytes()).unwrap();
    let doc = doc.root.as_iodef2().unwrap();
    // 8 events, 7 ids: the bl-new and bl-update of one entry share an Incident.
    assert_eq!(doc.incident.len(), 7);
    let entry = &doc.incident[1];
    assert_eq!(entry.incident_id.value, "eb450876ab458d05238ffe523e56d9b5");
    assert_eq!(entry.event_data.len(), 2);
    // internal (the update) is more restricted than public (the entry): the Incident is
    // private, each EventData keeps its own.
    use iodef::v2::RestrictionType as R;
    assert_eq!(entry.restriction(), R::Private);
    assert_eq!(entry.event_data[0].restriction, Some(R::Public));
    assert_eq!(entry.event_data[1].restriction, Some(R::Private));
    // The bl-change points at the entry it replaces.
    let change = &doc.incident[2];
    assert_eq!(
        change.related_activity[0].incident_id[0].value,
        "eb450876ab458d05238ffe523e56d9b5"
    );
}

#[test]
fn json_array_and_json_lines_give_the_same_document() {
    let lines_out = run(&[
        "from-n6",
        data("events.jsonl").to_str().unwrap(),
        "--generation-time",
        GENERATED,
    ]);
    let array_out = run(&[
        "from-n6",
        data("events.json").to_str().unwrap(),
        "--generation-time",
        GENERATED,
    ]);
    assert_eq!(code(&lines_out), 0, "{}", stderr(&lines_out));
    assert_eq!(code(&array_out), 0, "{}", stderr(&array_out));
    assert_eq!(stdout(&lines_out), stdout(&array_out));
    // Notes name the event (and its line for JSON lines) and the field.
    let notes = stderr(&lines_out);
    assert!(
        notes.contains(
            "events.jsonl: note: event 7 (line 7): x_vendor_score: not in n6's data specification"
        ),
        "{notes}"
    );
    assert!(
        stderr(&array_out).contains("events.json: note: event 7: x_vendor_score: "),
        "{}",
        stderr(&array_out)
    );
}

#[test]
fn the_whole_fixture_is_valid_for_xmlschema_and_iodef_validate_and_keeps_every_value() {
    let out_file = tmp("events.xml");
    let out = run(&[
        "from-n6",
        data("events.jsonl").to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // Our validator, schema and prose rules: nothing at all.
    let check = run(&["validate", out_file.to_str().unwrap()]);
    assert_eq!(
        stdout(&check),
        "1 file: 1 valid, 0 invalid (0 errors, 0 warnings)\n"
    );
    assert_eq!(code(&check), 0);
    // An independent validator.
    if !validator::skip_requested() {
        if let Some(reason) = validator::unavailable_reason(Engine::XmlSchema) {
            panic!("{reason}");
        }
        let verdicts = validator::validate(std::slice::from_ref(&out_file), Engine::XmlSchema)
            .expect("xmlschema runs");
        assert!(verdicts[&out_file].valid, "{:?}", verdicts[&out_file].error);
    }
    // Every scalar value of the input is somewhere in the output (hashes as base64, the
    // values the mapping translates by their translation).
    let xml = std::fs::read_to_string(&out_file).unwrap();
    let found: BTreeSet<String> = leaves(&xml)
        .into_iter()
        .map(|l| l.split_once(" = ").unwrap().1.to_string())
        .collect();
    let translated = |field: &str, v: &str| -> Option<String> {
        match (field, v) {
            ("restriction", "internal") => Some("private".into()),
            ("proto", "tcp") => Some("6".into()),
            ("proto", "udp") => Some("17".into()),
            ("md5" | "sha1" | "sha256", _) => None,
            _ => Some(v.to_string()),
        }
    };
    let input = std::fs::read_to_string(data("events.jsonl")).unwrap();
    for (n, line) in input.lines().enumerate() {
        let event: Value = serde_json::from_str(line).unwrap();
        for (field, value) in event.as_object().unwrap() {
            let mut scalars = Vec::new();
            collect_scalars(value, &mut scalars);
            for v in scalars {
                let Some(v) = translated(field, &v) else {
                    continue;
                };
                let hit = found.contains(&v)
                    || found.iter().any(|f| f.contains(&v))
                    || v.parse::<f64>()
                        .is_ok_and(|x| found.contains(&format!("{x:.1}")));
                assert!(hit, "event {}: {field}: {v} not in the output", n + 1);
            }
        }
    }
}

fn collect_scalars(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Null => out.push("null".into()),
        Value::Array(a) => a.iter().for_each(|v| collect_scalars(v, out)),
        Value::Object(o) => o.values().for_each(|v| collect_scalars(v, out)),
    }
}

#[test]
fn an_event_without_id_gets_a_random_one_and_a_note() {
    let mut event = base();
    event.as_object_mut().unwrap().remove("id");
    let input = format!("{event}\n{event}\n");
    let out = run_with_stdin(&["from-n6", "-"], input.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = iodef::read(stdout(&out).as_bytes()).unwrap();
    let ids: Vec<&str> = doc
        .root
        .as_iodef2()
        .unwrap()
        .incident
        .iter()
        .map(|i| i.incident_id.value.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "two events without id are two incidents");
    assert_ne!(ids[0], ids[1]);
    for id in ids {
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    assert_eq!(
        stderr(&out)
            .lines()
            .filter(
                |l| l.contains(": id: no `id`: a random IncidentID was generated (RFC 8134 §7.4)")
            )
            .count(),
        2,
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_input_is_an_error_naming_event_and_field() {
    let ok = base().to_string();
    let with = |k: &str, v: Value| {
        let mut e = base();
        e[k] = v;
        e.to_string()
    };
    let without = |k: &str| {
        let mut e = base();
        e.as_object_mut().unwrap().remove(k);
        e.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("not json at all".into(), "<stdin>: error: 1:1: not JSON: expected a JSON array of n6 events (`[`) or JSON objects, one per line (`{`)"),
        ("".into(), "<stdin>: error: no n6 event in the input"),
        ("[]".into(), "<stdin>: error: no n6 event in the input"),
        ("[1]".into(), "<stdin>: error: event 1: an n6 event is a JSON object, not a number"),
        (format!("{ok}\n[2]"), "<stdin>: error: event 2 (line 2): an n6 event is a JSON object, not an array"),
        (format!("{ok}\n{{\"a\": "), "<stdin>: error: 2:6: not JSON: EOF while parsing a value"),
        (format!("{ok}\n\n{}", without("source")), "<stdin>: error: event 2 (line 3): source: missing (n6 requires it in every event)"),
        (without("time"), "<stdin>: error: event 1 (line 1): time: missing (n6 requires it in every event)"),
        (with("category", json!("")), "<stdin>: error: event 1 (line 1): category: is empty"),
        (with("confidence", json!(3)), "<stdin>: error: event 1 (line 1): confidence: expected a string, found a number"),
        (with("restriction", json!("amber")), "<stdin>: error: event 1 (line 1): restriction: `amber` is not an n6 restriction (public, need-to-know, internal)"),
        (with("time", json!("yesterday")), "<stdin>: error: event 1 (line 1): time: `yesterday` is not an RFC 3339 date and time"),
        (with("address", json!([{"ip": "10.0.0.256"}])), "<stdin>: error: event 1 (line 1): address[0].ip: `10.0.0.256` is not an IPv4 address"),
        (with("address", json!([{"ip": "192.0.2.1"}, {"ipv6": "2001:db8::g"}])), "<stdin>: error: event 1 (line 1): address[1].ipv6: `2001:db8::g` is not an IPv6 address"),
        (with("address", json!([{"ip": "192.0.2.1", "ipv6": "::1"}])), "<stdin>: error: event 1 (line 1): address[0]: has both `ip` and `ipv6` (n6 allows one of them)"),
        (with("address", json!([{"asn": 1}])), "<stdin>: error: event 1 (line 1): address[0]: has neither `ip` nor `ipv6`"),
        (with("address", json!({"ip": "192.0.2.1"})), "<stdin>: error: event 1 (line 1): address: expected an array of objects, found an object"),
        (with("address", json!([{"ip": "192.0.2.1", "asn": -1}])), "<stdin>: error: event 1 (line 1): address[0].asn: -1 is not an integer from 0 to 4294967295"),
        (with("dip", json!("300.1.1.1")), "<stdin>: error: event 1 (line 1): dip: `300.1.1.1` is not an IPv4 address"),
        (with("adip", json!("1.2.3.4")), "<stdin>: error: event 1 (line 1): adip: `1.2.3.4` is not an anonymized IPv4 address (e.g. `x.x.51.198`)"),
        (with("dport", json!(65536)), "<stdin>: error: event 1 (line 1): dport: 65536 is out of range (0 to 65535)"),
        (with("sport", json!("80")), "<stdin>: error: event 1 (line 1): sport: expected an integer, found a string"),
        (with("proto", json!("sctp")), "<stdin>: error: event 1 (line 1): proto: `sctp` is not an n6 protocol (tcp, udp, icmp)"),
        (with("count", json!(1.5)), "<stdin>: error: event 1 (line 1): count: 1.5 is not an integer from 0 to 4294967295"),
        (with("md5", json!("abc")), "<stdin>: error: event 1 (line 1): md5: `abc` is not a md5 digest (32 hex digits)"),
        (with("name", json!("bad\u{1}char")), "<stdin>: error: event 1 (line 1): name: U+0001 cannot be carried by IODEF (XML 1.0 has no such character)"),
        (with("x_custom", json!("bad\u{FFFF}")), "<stdin>: error: event 1 (line 1): x_custom: U+FFFF cannot be carried by IODEF (XML 1.0 has no such character)"),
        (with("id", json!(12)), "<stdin>: error: event 1 (line 1): id: expected a string, found a number"),
    ];
    for (input, expected) in cases {
        let out = run_with_stdin(&["from-n6", "-"], input.as_bytes());
        assert_eq!(code(&out), 1, "{input}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "{input}: nothing is written");
        assert_eq!(stderr(&out).trim_end(), expected, "{input}");
    }
    // Nothing is written to -o on failure; an unreadable file is exit 2.
    let target = tmp("not-written.xml");
    let _ = std::fs::remove_file(&target);
    let bad = tmp("bad.json");
    std::fs::write(&bad, "[1]").unwrap();
    let out = run(&[
        "from-n6",
        bad.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    assert!(!target.exists());
    let out = run(&["from-n6", tmp("missing.json").to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("missing.json: error: cannot read: "),
        "{}",
        stderr(&out)
    );
    // An option that would make the document break a rule is refused, with the rule.
    let out = run_with_stdin(&["from-n6", "-", "--lang", ""], ok.as_bytes());
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "iodef: error: the options make an invalid document: /IODEF-Document@xml:lang: empty; \
         RFC 7970 §6 requires the document's language\n"
    );
    let out = run_with_stdin(&["from-n6", "-", "--name", "not a domain"], ok.as_bytes());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "iodef: error: the options make an invalid document: /IODEF-Document/Incident[1]/IncidentID[1]"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_library_maps_parsed_values_the_same_way() {
    let events: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(data("events.json")).unwrap()).unwrap();
    let options = iodef::n6::Options {
        generation_time: Some(GENERATED.parse().unwrap()),
        ..Default::default()
    };
    let (doc, notes) = iodef::n6::events_to_iodef(&events, &options).unwrap();
    assert_eq!(notes.len(), 3, "{notes:#?}");
    let cli = run(&[
        "from-n6",
        data("events.json").to_str().unwrap(),
        "--generation-time",
        GENERATED,
    ]);
    assert_eq!(doc.to_xml_string(), stdout(&cli));
    let err = iodef::n6::events_to_iodef(&[json!({"source": "a"})], &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 1: restriction: missing (n6 requires it in every event)"
    );
}

/// Every category with every combination of the fields that decide the Systems (address with
/// and without `dir`, destination, site, ports, protocol, hashes, count) in one document:
/// valid for our validator and its prose rules, and for xmlschema. The mapping is not checked
/// again on output, so this is what guarantees the output is valid.
#[test]
fn every_category_with_every_field_combination_is_valid() {
    let categories = [
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
        "new-one",
    ];
    let parts: [(&str, Value); 8] = [
        (
            "address",
            json!([{"ip": "192.0.2.1", "asn": 1, "cc": "PL"}, {"ipv6": "2001:db8::1", "dir": "src"}]),
        ),
        ("adip", json!("x.x.2.3")),
        ("dip", json!("198.51.100.2")),
        ("fqdn", json!("a.example")),
        ("url", json!("http://a.example/p?q=1&r=<2>")),
        ("proto", json!("udp")),
        ("sport", json!(1024)),
        ("dport", json!(53)),
    ];
    let mut events = Vec::new();
    for (c, category) in categories.iter().enumerate() {
        for mask in 0u32..(1 << parts.len()) {
            let mut event = base();
            event["id"] = json!(format!("{c}-{mask}"));
            event["category"] = json!(category);
            event["origin"] =
                json!(["sinkhole", "honeypot", "darknet", "av", "ids"][mask as usize % 5]);
            if mask % 3 == 0 {
                event["md5"] = json!("d41d8cd98f00b204e9800998ecf8427e");
                event["count"] = json!(mask);
                event["until"] = json!("2024-05-04T12:00:00Z");
                event["replaces"] = json!(format!("{c}-{}", mask / 2));
            }
            for (bit, (field, value)) in parts.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    event[*field] = value.clone();
                }
            }
            events.push(event.to_string());
        }
    }
    let input = events.join("\n");
    let out = run_with_stdin(&["from-n6", "-", "-q"], input.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let xml = stdout(&out);
    let report = iodef::validate(xml.as_bytes());
    assert!(report.is_valid(), "{:?}", report.errors.first());
    assert_eq!(iodef::rules::check(xml.as_bytes()), vec![]);
    // xmlschema is slow on 7168 Incidents: every 7th event (7 is prime to the 256 field
    // combinations, so each category and each field present and absent) for the independent
    // check.
    let sample: Vec<&str> = events.iter().step_by(7).map(String::as_str).collect();
    let out = run_with_stdin(&["from-n6", "-", "-q"], sample.join("\n").as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let file = tmp("combinations.xml");
    std::fs::write(&file, stdout(&out)).unwrap();
    if !validator::skip_requested() {
        if let Some(reason) = validator::unavailable_reason(Engine::XmlSchema) {
            panic!("{reason}");
        }
        let verdicts = validator::validate(std::slice::from_ref(&file), Engine::XmlSchema)
            .expect("xmlschema runs");
        assert!(verdicts[&file].valid, "{:?}", verdicts[&file].error);
    }
}
