//! RFC 8727 (IODEF 2.0 in JSON and CBOR) against the RFC's own figures and the corpus:
//! the mapkey table, Figure 1 (JSON) and Figure 2 (CBOR) from the RFC 7970 §7.1 XML, JSON →
//! XML → JSON identity for the schema-valid corpus JSON, and XML → JSON/CBOR → XML for every
//! schema-valid IODEF 2.0 corpus document, where the loss report is empty exactly when the
//! round trip is infoset-equal.

use iodef::rfc8727::{self, Loss, LossKind};
use iodef::{Comments, ReadOptions};
use iodef_tests::{corpus, infoset};

fn shared(path: &str) -> std::path::PathBuf {
    corpus::shared_dir().join(path)
}

fn json_value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {e}\n{text}"))
}

#[test]
fn mapkeys_are_rfc8727_table_4() {
    let table =
        std::fs::read_to_string(shared("schemas/rfc8727/mapkeys.tsv")).expect("mapkeys.tsv");
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (key, name) = (cols[1].parse::<i32>().expect("a key"), cols[2]);
        assert_eq!(rfc8727::cbor_key(name), Some(key), "{name}");
        rows += 1;
    }
    assert_eq!(rows, 207);
    assert_eq!(
        rfc8727::cbor_key("Nameservers"),
        None,
        "RFC 8727 renames it NameServers"
    );
}

/// RFC 8727 Figure 1 is RFC 7970 §7.1 in JSON. Normalisation: the figure's `"version": "2.0"`
/// is the schema's fixed `2.00` (README, "RFC 8727 decisions").
#[test]
fn figure_1_from_rfc7970_7_1() {
    let xml = std::fs::read(shared("corpus/rfc7970/rfc7970-7.1-minimal.xml")).expect("7.1");
    let doc = iodef::read(&xml).expect("valid");
    let (json, losses) = rfc8727::to_json(&doc, false).expect("IODEF 2.0");
    let mut figure = json_value(
        &std::fs::read_to_string(shared("corpus/rfc7970/rfc7970-7.1-minimal.json"))
            .expect("figure"),
    );
    figure["version"] = "2.00".into();
    assert_eq!(json_value(&json), figure);
    let what: Vec<&str> = losses.iter().map(|l| l.what.as_str()).collect();
    assert_eq!(
        what,
        [
            "a comment outside the root element",
            "attribute xsi:schemaLocation",
            "a comment"
        ]
    );
    // Figure 1 read back is the same document as the XML (comments and xsi aside).
    let back = rfc8727::from_json(
        &std::fs::read_to_string(shared("corpus/rfc7970/rfc7970-7.1-minimal.json")).unwrap(),
    )
    .expect("figure 1 reads");
    assert_eq!(back.root, without_losses(&xml).root);
}

/// A CBOR value with tags removed and maps sorted: what is compared with the RFC figures.
fn canonical(v: ciborium::Value) -> ciborium::Value {
    use ciborium::Value as C;
    match v {
        C::Tag(_, inner) => canonical(*inner),
        C::Array(items) => C::Array(items.into_iter().map(canonical).collect()),
        C::Map(members) => {
            let mut members: Vec<(C, C)> = members
                .into_iter()
                .map(|(k, v)| (canonical(k), canonical(v)))
                .collect();
            members.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)));
            C::Map(members)
        }
        other => other,
    }
}

fn cbor(bytes: &[u8]) -> ciborium::Value {
    ciborium::from_reader(bytes).expect("CBOR")
}

/// RFC 8727 Figure 2 is §7.1 in CBOR. Our bytes differ from the figure's in three ways, each an
/// RFC defect or freedom: `version` "2.00" (the schema's fixed value) for "2.0"; GenerationTime
/// tagged 0 as Table 2 and the CDDL require (the figure leaves it untagged); Contact's `role`
/// before `type` (schema order; the figure follows the XML's attribute order, which CBOR maps
/// do not carry). As CBOR values without tags and member order, and with the version fixed,
/// they are equal.
#[test]
fn figure_2_from_rfc7970_7_1() {
    let xml = std::fs::read(shared("corpus/rfc7970/rfc7970-7.1-minimal.xml")).expect("7.1");
    let (bytes, _) = rfc8727::to_cbor(&iodef::read(&xml).expect("valid")).expect("IODEF 2.0");
    let figure = std::fs::read(shared("corpus/rfc8727/rfc8727-4.1-minimal.cbor")).expect("figure");
    let mut expected = canonical(cbor(&figure));
    if let ciborium::Value::Map(members) = &mut expected {
        for (k, v) in members.iter_mut() {
            if *k == ciborium::Value::Integer((-24).into()) {
                *v = ciborium::Value::Text("2.00".into());
            }
        }
    }
    assert_eq!(canonical(cbor(&bytes)), expected);
    // The date is tagged 0 in ours.
    assert!(
        bytes.windows(2).any(|w| w == [0xc0, 0x78]),
        "tag 0 before the date text"
    );
    // The figure reads back (untagged dates accepted) as the XML's document.
    let back = rfc8727::from_cbor(&figure).expect("figure 2 reads");
    assert_eq!(back.root, without_losses(&xml).root);
}

/// Figure 4 (§7.2 in CBOR) reads, and is Figure 3 (JSON, its wrapped string joined) as a
/// document.
#[test]
fn figure_4_is_figure_3() {
    let figure4 = std::fs::read(shared(
        "corpus/rfc8727/rfc8727-4.2-campaign-indicators.cbor",
    ))
    .unwrap();
    let figure3 = std::fs::read_to_string(shared(
        "corpus/rfc7970/rfc7970-7.2-campaign-indicators.json",
    ))
    .unwrap();
    // The RFC wraps one string over three lines (not JSON as printed): joined by spaces.
    let joined = figure3
        .split('\n')
        .map(str::to_string)
        .reduce(|a, b| {
            if a.matches('"').count() % 2 == 1 {
                format!("{a} {}", b.trim_start())
            } else {
                format!("{a}\n{b}")
            }
        })
        .unwrap();
    // Both figures (like the RFC 7970 §7.2 XML they come from) leave out ThreatActor's URL,
    // which the RFC 7970 schema requires: read strictly, both are refused at the same place.
    let from_cbor = rfc8727::from_cbor(&figure4).expect_err("ThreatActor without URL");
    let from_json = rfc8727::from_json(&joined).expect_err("ThreatActor without URL");
    assert_eq!(from_cbor, from_json);
    assert_eq!(
        from_cbor.to_string(),
        "/Incident/0/RelatedActivity/0/ThreatActor/0: ThreatActor: member URL is missing"
    );
    // With the URL the schema wants, both read as the same document.
    let fixed = joined.replace(
        r#""ThreatActorID": ["TA-12-AGGRESSIVE-BUTTERFLY"],"#,
        r#""ThreatActorID": ["TA-12-AGGRESSIVE-BUTTERFLY"], "URL": ["https://example.com/ta"],"#,
    );
    let doc = rfc8727::from_json(&fixed).expect("figure 3 with a URL reads");
    let iodef = doc.root.as_iodef2().unwrap();
    assert_eq!(iodef.incident[0].incident_id.value, "897923");
    let (bytes, _) = rfc8727::to_cbor(&doc).unwrap();
    assert_eq!(rfc8727::from_cbor(&bytes).unwrap().root, doc.root);
}

/// The document as the data model sees it: no comments, no xsi attributes.
fn without_losses(xml: &[u8]) -> iodef::Document<iodef::Root> {
    let options = ReadOptions {
        comments: Comments::Drop,
        ..ReadOptions::default()
    };
    let mut doc = iodef::read_with(xml, &options).expect("valid");
    doc.xsi = Default::default();
    doc
}

/// The losses that change the infoset: comments and xsi attributes aside ([`without_losses`]
/// removes them from the expected document), what is dropped or reordered. (`Form` losses
/// keep the value, `Invalid` ones everything.)
fn structural(losses: &[Loss]) -> Vec<&Loss> {
    losses
        .iter()
        .filter(|l| matches!(l.kind, LossKind::Dropped | LossKind::Order))
        .filter(|l| !removed_from_expected(l))
        .collect()
}

/// Comments, processing instructions and xsi attributes: [`without_losses`] drops them.
fn removed_from_expected(l: &Loss) -> bool {
    l.what.contains("comment")
        || l.what.contains("processing instruction")
        || l.what.starts_with("attribute xsi:")
}

/// Every schema-valid IODEF 2.0 corpus document: XML → JSON → XML and XML → CBOR → XML give
/// the document back (infoset-equal, comments and xsi aside) exactly when the loss report has
/// nothing else; otherwise the report is right that something differs.
#[test]
fn corpus_xml_round_trips_or_reports() {
    let mut checked = 0;
    let mut with_loss = Vec::new();
    for entry in corpus::entries() {
        if !entry.is_iodef2() || !entry.xmlschema_valid || !entry.path.ends_with(".xml") {
            continue;
        }
        let xml = std::fs::read(&entry.file).expect("readable");
        let Ok(doc) = iodef::read(&xml) else { continue };
        if doc.root.as_iodef2().is_none() {
            continue;
        }
        let expected = without_losses(&xml).to_xml_string();
        for target in ["json", "cbor"] {
            let (back, losses) = if target == "json" {
                let (json, losses) = rfc8727::to_json(&doc, false).unwrap();
                let back = rfc8727::from_json(&json).unwrap_or_else(|e| {
                    panic!("{} as JSON does not read back: {e}\n{json}", entry.path)
                });
                (back, losses)
            } else {
                let (bytes, losses) = rfc8727::to_cbor(&doc).unwrap();
                let back = rfc8727::from_cbor(&bytes)
                    .unwrap_or_else(|e| panic!("{} as CBOR does not read back: {e}", entry.path));
                (back, losses)
            };
            let compared =
                infoset::compare_xml(expected.as_bytes(), back.to_xml_string().as_bytes());
            let remaining = structural(&losses);
            let reported = losses
                .iter()
                .any(|l| l.kind != LossKind::Invalid && !removed_from_expected(l));
            match (compared, remaining.is_empty()) {
                (Ok(()), true) => {}
                (Ok(()), false) => panic!(
                    "{} via {target}: reported {:?} but nothing differs",
                    entry.path, remaining
                ),
                (Err(diff), _) if !reported => panic!(
                    "{} via {target}: no loss reported, but the document differs: {diff}",
                    entry.path
                ),
                (Err(_), _) => with_loss.push(format!("{} ({target}): {}", entry.path, losses[0])),
            }
        }
        checked += 1;
    }
    println!("{checked} documents; with loss: {with_loss:#?}");
    assert!(checked >= 10, "only {checked} IODEF 2.0 documents checked");
}

/// The schema-valid corpus JSON (SOURCES.md, Draft 4 with jsonschema): those the RFC 7970
/// schema accepts read and are written back as the same JSON value (version normalised to
/// "2.00"); the others are refused where the RFC 7970 schema and RFC 8727 disagree.
#[test]
fn corpus_json_identity() {
    let url = "/Incident/0/RelatedActivity/0/ThreatActor/0: ThreatActor: member URL is missing";
    let mut xml_files = Vec::new();
    for (path, refused) in [
        ("rfc7970/rfc7970-7.1-minimal.json", None),
        ("milewg-jsoniodef/example_Section7_1.json", None),
        ("milewg-iodef-converter/infiles/iodef-2.0-minimal.json", None),
        // RFC 7970's schema requires ThreatActor/URL; RFC 8727 and these files do not.
        ("milewg-iodef-converter/infiles/iodef-2.0.json", Some(url)),
        ("milewg-iodef-converter/infiles/ExampleRecursive.json", Some(url)),
        ("milewg-iodef-converter/infiles/LongExample_forVerification.json", Some(url)),
        // RFC 8727's Confidence has a value (RFC 7970 erratum 5543); the RFC 7970 schema's
        // Confidence is empty.
        (
            "milewg-iodef-converter/infiles/LongLongExample.json",
            Some("/Incident/0/RelatedActivity/0/Confidence: member \"value\" is not allowed in Confidence"),
        ),
    ] {
        let text = std::fs::read_to_string(corpus::corpus_dir().join(path)).expect("readable");
        match (rfc8727::from_json(&text), refused) {
            (Ok(doc), None) => {
                let (json, losses) = rfc8727::to_json(&doc, false).unwrap();
                assert!(losses.is_empty(), "{path}: {losses:?}");
                let mut original = json_value(&text);
                original["version"] = "2.00".into();
                assert_eq!(json_value(&json), original, "{path}");
                // The XML is schema-valid, for our validator and for xmlschema.
                let xml = doc.to_xml_string();
                assert!(iodef::validate(xml.as_bytes()).is_valid(), "{path}");
                xml_files.push((path, xml));
            }
            (Err(e), Some(expected)) => assert_eq!(e.to_string(), expected, "{path}"),
            (Ok(_), Some(expected)) => panic!("{path}: read, expected {expected}"),
            (Err(e), None) => panic!("{path}: {e}"),
        }
    }
    assert_eq!(xml_files.len(), 3);
    xmlschema_accepts(&xml_files);
}

/// Python xmlschema (the independent validator) accepts each (name, XML) (skipped with the
/// reason when it is missing and CI is not set; a failure under CI).
fn xmlschema_accepts(files: &[(&str, String)]) {
    use iodef_tests::validator::{self, Engine};
    if let Some(reason) = validator::unavailable_reason(Engine::XmlSchema) {
        assert!(std::env::var("CI").is_err(), "{reason}");
        eprintln!("skipping the xmlschema check: {reason}");
        return;
    }
    let dir = std::env::temp_dir().join(format!("iodef-rfc8727-xml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .map(|(name, xml)| {
            let path = dir.join(format!("{}.xml", name.replace('/', "_")));
            std::fs::write(&path, xml).unwrap();
            path
        })
        .collect();
    let verdicts = validator::validate(&paths, Engine::XmlSchema).expect("xmlschema runs");
    let _ = std::fs::remove_dir_all(&dir);
    for path in &paths {
        let verdict = &verdicts[path];
        assert!(verdict.valid, "{}: {:?}", path.display(), verdict.error);
    }
}

/// dtype `json` is in RFC 8727's enumeration but not RFC 7970's: refused when reading.
#[test]
fn dtype_json_is_refused() {
    let json = r#"{"version": "2.00", "Incident": [{"purpose": "reporting",
        "IncidentID": {"id": "1", "name": "csirt.example.com"}, "GenerationTime": "2026-01-01T00:00:00Z",
        "Contact": [{"role": "creator", "type": "organization"}],
        "AdditionalData": [{"dtype": "json", "value": "{}"}]}]}"#;
    let e = rfc8727::from_json(json).unwrap_err();
    assert_eq!(e.pointer, "/Incident/0/AdditionalData/0/dtype");
    assert!(
        e.message
            .starts_with("\"json\" is not one of: boolean, byte, bytes,"),
        "{e}"
    );
}

/// A document authored to exercise every special rule of the mapping at once (also checked by
/// the RFC 8727 validators in `rfc8727_validators.rs`).
const AUTHORED: &str = include_str!("../data/rfc8727-authored.xml");

#[test]
fn authored_document_maps_every_rule() {
    let doc = iodef::read(AUTHORED.as_bytes()).expect("the authored document is valid");
    let (json, losses) = rfc8727::to_json(&doc, false).unwrap();
    let v = json_value(&json);
    let incident = &v["Incident"][0];
    // ext-value with its partner; ID-typed? no: IncidentID's text is a string, kept as is.
    assert_eq!(incident["purpose"], "ext-value");
    assert_eq!(incident["ext-purpose"], "hunting");
    assert_eq!(incident["IncidentID"]["id"], " 42 ");
    // ML_STRING: an object with lang, a plain string without.
    assert_eq!(
        incident["Description"],
        serde_json::json!([{"value": "Ein Vorfall", "lang": "de"}, "plain"])
    );
    // Impacts in order, each a one-member map.
    assert_eq!(
        incident["Assessment"][0]["Impact"],
        serde_json::json!([
            {"SystemImpact": {"type": "breach-privacy"}},
            {"BusinessImpact": {"type": "asset-damage"}},
            {"SystemImpact": {"type": "unknown"}}
        ])
    );
    assert_eq!(incident["Assessment"][0]["Counter"][0]["value"], 1.5);
    // Deleted wrappers: Flow, ApplicationHeader, Record, IndicatorData.
    let system = &incident["EventData"][0]["System"][0];
    assert_eq!(system["Node"]["Address"][0]["value"], "192.0.2.1");
    assert_eq!(
        system["Node"]["Address"][0]["vlan-num"],
        1152921504606846976_i64
    );
    assert_eq!(
        system["Service"][0]["ApplicationHeaderField"][0]["value"],
        "Host: x"
    );
    let record = &incident["EventData"][0]["RecordData"][0];
    let hash = &record["FileData"][0]["File"][0]["HashData"]["Hash"][0];
    assert_eq!(hash["DigestValue"], "q83v", "base64 of the digest bytes");
    let method = base64_decode(hash["DigestMethod"].as_str().unwrap());
    assert!(method.starts_with(b"<DigestMethod xmlns=\"http://www.w3.org/2000/09/xmldsig#\""));
    assert_eq!(
        record["RecordItem"][0]["value"],
        r#"<x:Note xmlns:x="urn:example:note">see <x:b>this</x:b></x:Note>"#
    );
    // SCI's AttackPattern as STRUCTUREDINFO, its RawData as BYTE holding the XML content.
    let pattern = &incident["Method"][0]["AttackPattern"][0];
    assert_eq!(
        (pattern["SpecID"].as_str(), pattern["ContentID"].as_str()),
        (Some("private"), Some("ap-1"))
    );
    assert_eq!(
        base64_decode(pattern["RawData"][0].as_str().unwrap()),
        br#"<capec:Pattern xmlns:capec="urn:example:capec" id="66">SQL injection</capec:Pattern>"#
    );
    assert_eq!(
        system["Service"][0]["Application"]["SoftwareReference"]["value"],
        r#"<sw:Product xmlns:sw="urn:example:sw" v="1"/>"#
    );
    let expression = &incident["Indicator"][0]["IndicatorExpression"];
    assert_eq!(expression["operator"], "or");
    assert_eq!(
        expression["Observable"][0]["Address"]["value"],
        "198.51.100.7"
    );
    assert_eq!(expression["uid-ref"], serde_json::json!(["obs-1"]));
    // Exactly these losses.
    let report: Vec<(String, LossKind, String)> = losses
        .iter()
        .map(|l| (l.path.clone(), l.kind, l.what.clone()))
        .collect();
    let address = "/IODEF-Document/Incident[1]/EventData[1]/Flow[1]/System[1]/Node[1]/Address[1]";
    let hash_path = "/IODEF-Document/Incident[1]/EventData[1]/Record[1]/RecordData[1]/FileData[1]/File[1]/HashData[1]/Hash[1]/DigestMethod[1]";
    let item = "/IODEF-Document/Incident[1]/EventData[1]/Record[1]/RecordData[1]/RecordItem[1]";
    let raw = "/IODEF-Document/Incident[1]/Method[1]/AttackPattern[1]/RawData[1]";
    let software = "/IODEF-Document/Incident[1]/EventData[1]/Flow[1]/System[1]/Service[1]/Application[1]/SoftwareReference[1]";
    let flattened = "XML content written as a string (its namespace prefixes are not kept)";
    let expected: Vec<(&str, LossKind, &str)> = vec![
        (
            raw,
            LossKind::Form,
            "RawData: its XML content written as bytes (namespace prefixes not kept)",
        ),
        (
            address,
            LossKind::Form,
            "integer 1152921504606846976 is beyond 2^53: many JSON readers round it",
        ),
        (software, LossKind::Form, flattened),
        (item, LossKind::Form, flattened),
        (
            hash_path,
            LossKind::Form,
            "DigestMethod: written as the bytes of its XML (not byte-exact to the input)",
        ),
    ];
    let expected: Vec<(String, LossKind, String)> = expected
        .into_iter()
        .map(|(p, k, w)| (p.to_string(), k, w.to_string()))
        .collect();
    assert_eq!(report, expected);
    // Back to XML: the same document, but for the number's lexical form, which the typed value
    // does not keep (XML → XML writes 1.5 too): not a loss of the JSON.
    let back = rfc8727::from_json(&json).unwrap();
    let expected = AUTHORED.replace(">1.50<", ">1.5<");
    infoset::compare_xml(expected.as_bytes(), back.to_xml_string().as_bytes()).unwrap();
    // CBOR: no 2^53 loss; the same document back.
    let (cbor, cbor_losses) = rfc8727::to_cbor(&doc).unwrap();
    assert_eq!(cbor_losses.len(), 4, "{cbor_losses:?}");
    let back = rfc8727::from_cbor(&cbor).unwrap();
    infoset::compare_xml(expected.as_bytes(), back.to_xml_string().as_bytes()).unwrap();
}

/// RFC 7970 values RFC 8727 replaced, and members RFC 8727 requires where RFC 7970 does not:
/// converted, and reported as making the output invalid RFC 8727.
#[test]
fn rfc8727_divergences_are_reported_invalid() {
    let xml = AUTHORED
        .replace(r#"<Counter type="average""#, r#"<Counter type="counter""#)
        .replace(
            r#"<Contact role="creator""#,
            r#"<Contact role="vendor-services""#,
        );
    let doc = iodef::read(xml.as_bytes()).unwrap();
    let (_, losses) = rfc8727::to_json(&doc, false).unwrap();
    let invalid: Vec<(&str, &str)> = losses
        .iter()
        .filter(|l| l.kind == LossKind::Invalid)
        .map(|l| (l.path.as_str(), l.what.as_str()))
        .collect();
    assert_eq!(
        invalid,
        [
            (
                "/IODEF-Document/Incident[1]/Assessment[1]/Counter[1]",
                "type \"counter\" of RFC 7970 is not an RFC 8727 value: the output is not valid RFC 8727 here"
            ),
            (
                "/IODEF-Document/Incident[1]/Contact[1]",
                "role \"vendor-services\" of RFC 7970 is not an RFC 8727 value: the output is not valid RFC 8727 here"
            ),
        ]
    );
}

/// Children of different kinds interleaved where the model lists each kind apart: reported,
/// and read back in the model's order.
#[test]
fn interleaving_is_reported() {
    let xml = AUTHORED.replace(
        r#"<Node><Address category="ipv4-addr" vlan-num="1152921504606846976">192.0.2.1</Address></Node>"#,
        r#"<Node><Address>2001:db8::1</Address><DomainData system-status="spoofed" domain-status="other"><Name>example.com</Name></DomainData><Address>2001:db8::2</Address></Node>"#,
    );
    let doc = iodef::read(xml.as_bytes()).unwrap();
    let (_, losses) = rfc8727::to_json(&doc, false).unwrap();
    let order: Vec<&Loss> = losses
        .iter()
        .filter(|l| l.kind == LossKind::Order)
        .collect();
    assert_eq!(order.len(), 1, "{losses:?}");
    assert_eq!(
        order[0].path,
        "/IODEF-Document/Incident[1]/EventData[1]/Flow[1]/System[1]/Node[1]"
    );
    assert!(order[0]
        .what
        .starts_with("Address: the order of these children"));
    // Both kinds, even in order, break the CDDL's exclusive choice: reported as invalid.
    let invalid: Vec<&Loss> = losses
        .iter()
        .filter(|l| l.kind == LossKind::Invalid)
        .collect();
    assert_eq!(invalid.len(), 1, "{losses:?}");
    assert_eq!(
        invalid[0].what,
        "RFC 8727 allows DomainData or Address in Node, not both (RFC 7970's schema does): the output is not valid RFC 8727 here"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    iodef::Base64Binary::parse(s).expect("base64").0
}

/// The generated types are serde types whose form is RFC 8727's.
#[test]
fn serde_impls_follow_the_mapping() {
    use iodef::v2;
    let id = v2::IncidentIdType {
        value: "492382".into(),
        name: "csirt.example.com".into(),
        ..Default::default()
    };
    let json = serde_json::to_value(&id).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"id": "492382", "name": "csirt.example.com"})
    );
    assert_eq!(
        serde_json::from_value::<v2::IncidentIdType>(json).unwrap(),
        id
    );
    // Key's Value is KeyValue in RFC 8727.
    let key: v2::Key =
        serde_json::from_str(r#"{"KeyName": "HKLM\\Run", "KeyValue": "x.exe"}"#).unwrap();
    assert_eq!(key.value.as_deref(), Some("x.exe"));
    assert_eq!(
        serde_json::to_string(&key).unwrap(),
        r#"{"KeyName":"HKLM\\Run","KeyValue":"x.exe"}"#
    );
    // A whole document through ciborium is the codec's CBOR.
    let doc = iodef::read(AUTHORED.as_bytes()).unwrap();
    let root = doc.root.as_iodef2().unwrap();
    let mut bytes = Vec::new();
    ciborium::into_writer(root, &mut bytes).unwrap();
    let back: v2::IodefDocument = ciborium::from_reader(bytes.as_slice()).unwrap();
    assert_eq!(&back, root);
    // Unknown members and duplicates are errors.
    assert!(serde_json::from_str::<v2::Key>(r#"{"KeyName": "a", "Bogus": 1}"#).is_err());
    let dup = serde_json::from_str::<v2::Key>(r#"{"KeyName": "a", "KeyName": "b"}"#).unwrap_err();
    assert!(
        dup.to_string().contains("duplicate member \"KeyName\""),
        "{dup}"
    );
    // What RFC 8727 cannot carry makes Serialize fail instead of dropping it.
    let commented = iodef::read(
        br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00"><Incident purpose="reporting"><IncidentID name="a">1</IncidentID><GenerationTime>2026-01-01T00:00:00Z</GenerationTime><Contact role="creator" type="organization"><!-- who --></Contact></Incident></IODEF-Document>"#,
    )
    .unwrap();
    let err = serde_json::to_string(commented.root.as_iodef2().unwrap()).unwrap_err();
    assert!(err.to_string().contains("a comment"), "{err}");
}
