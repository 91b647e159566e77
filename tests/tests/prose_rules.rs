//! RFC prose rules (`iodef::rules`) on the real corpus: every error-level finding on a
//! schema-valid document is listed below with the reason it is a true violation, so a change in
//! what the rules report shows up here. Warnings are counted and printed, not pinned.

use std::collections::BTreeMap;

use iodef::rules::{self, Severity};
use iodef_tests::corpus;

/// `(document, rule, how many errors)`: each one a true violation of the cited MUST.
///
/// - RFC 7970 §4.2 / §6: the RFC 8274 examples (and their drafts and converter copies) have
///   neither `xsi:schemaLocation` nor `xml:lang` on `IODEF-Document`; the converter's rewrite of
///   the minimal example drops the `xsi:schemaLocation` its input has.
/// - RFC 7970 §4.1: GuidanceDraft_SpearPhishing.xml has no XML declaration; RFC 5070 §4.1: nor
///   has the XMPP README example.
/// - RFC 7970 §3.18: RFC 8274 B.2 (and its draft) has a sensor System with an empty `<Node>`;
///   RFC 5070 §3.16: RFC 5901 C.2's OriginatingSensor Node has only a NodeRole.
/// - RFC 5070 §5.1: both RFC 5901 examples set ext-purpose while purpose="reporting".
/// - RFC 5070 §3.1: the RFC 5901, RFC 5941 and RFC 6545 examples omit IODEF-Document@version,
///   "Required." in RFC 5070 (the XSD makes it optional, fixed to "1.00").
/// - RFC 5070 §3.15: the RFC 5901 examples' OriginatingSensor System has no category, "Required."
///   in RFC 5070.
/// - RFC 5070 §3.3: iodeflib's sample uses IncidentID "908711" of csirt.example.com for two
///   Incidents (the third and fourth).
/// - RFC 7970 §3.19: RFC 8274 B.3 (and its draft) has two DomainData without system-status and
///   domain-status, both "Required." in RFC 7970.
const EXPECTED_ERRORS: &[(&str, &str, usize)] = &[
    ("iodeflib/iodef.xml", "RFC 5070 §3.3", 1),
    (
        "milewg-iodef-converter/infiles/iot_malware.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/infiles/iot_malware.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef-converter/infiles/malware1.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/infiles/malware1.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef-converter/infiles/malware2.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/infiles/malware2.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef-converter/outfiles/iodef-2.0-minimal.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/outfiles/malware1-xml2xml.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/outfiles/malware1-xml2xml.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef-converter/outfiles/malware2-xml2xml.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef-converter/outfiles/malware2-xml2xml.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_DDoS.xml",
        "RFC 7970 §3.18",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_DDoS.xml",
        "RFC 7970 §4.2",
        1,
    ),
    ("milewg-iodef2stix/GuidanceDraft_DDoS.xml", "RFC 7970 §6", 1),
    (
        "milewg-iodef2stix/GuidanceDraft_IoTMalware.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_IoTMalware.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_Malware.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_Malware.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_MalwareDeliverURL.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_MalwareDeliverURL.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_SpearPhishing.xml",
        "RFC 7970 §3.19",
        4,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_SpearPhishing.xml",
        "RFC 7970 §4.1",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_SpearPhishing.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "milewg-iodef2stix/GuidanceDraft_SpearPhishing.xml",
        "RFC 7970 §6",
        1,
    ),
    (
        "rfc5901/rfc5901-B.2-generated-report.xml",
        "RFC 5070 §3.1",
        1,
    ),
    (
        "rfc5901/rfc5901-B.2-generated-report.xml",
        "RFC 5070 §3.15",
        1,
    ),
    (
        "rfc5901/rfc5901-B.2-generated-report.xml",
        "RFC 5070 §5.1",
        1,
    ),
    (
        "rfc5901/rfc5901-C.2-phishing-report.xml",
        "RFC 5070 §3.1",
        1,
    ),
    (
        "rfc5901/rfc5901-C.2-phishing-report.xml",
        "RFC 5070 §3.15",
        1,
    ),
    (
        "rfc5901/rfc5901-C.2-phishing-report.xml",
        "RFC 5070 §3.16",
        1,
    ),
    (
        "rfc5901/rfc5901-C.2-phishing-report.xml",
        "RFC 5070 §5.1",
        1,
    ),
    ("rfc5941/rfc5941-B-thraud-report.xml", "RFC 5070 §3.1", 1),
    ("rfc6545/rfc6545-7.1.3-result.xml", "RFC 5070 §3.1", 1),
    (
        "rfc6545/rfc6545-7.2.1-investigation.xml",
        "RFC 5070 §3.1",
        1,
    ),
    ("rfc6545/rfc6545-7.3.1-report.xml", "RFC 5070 §3.1", 1),
    (
        "rfc8274/rfc8274-B.1-malware-delivery-url.xml",
        "RFC 7970 §4.2",
        1,
    ),
    (
        "rfc8274/rfc8274-B.1-malware-delivery-url.xml",
        "RFC 7970 §6",
        1,
    ),
    ("rfc8274/rfc8274-B.2-ddos.xml", "RFC 7970 §3.18", 1),
    ("rfc8274/rfc8274-B.2-ddos.xml", "RFC 7970 §4.2", 1),
    ("rfc8274/rfc8274-B.2-ddos.xml", "RFC 7970 §6", 1),
    (
        "rfc8274/rfc8274-B.3-spear-phishing.xml",
        "RFC 7970 §3.19",
        4,
    ),
    ("rfc8274/rfc8274-B.3-spear-phishing.xml", "RFC 7970 §4.2", 1),
    ("rfc8274/rfc8274-B.3-spear-phishing.xml", "RFC 7970 §6", 1),
    ("rfc8274/rfc8274-B.4-malware.xml", "RFC 7970 §4.2", 1),
    ("rfc8274/rfc8274-B.4-malware.xml", "RFC 7970 §6", 1),
    ("rfc8274/rfc8274-B.5-iot-malware.xml", "RFC 7970 §4.2", 1),
    ("rfc8274/rfc8274-B.5-iot-malware.xml", "RFC 7970 §6", 1),
    (
        "xmpp-ftw-item-parser/readme-iodef-example.xml",
        "RFC 5070 §4.1",
        1,
    ),
];

#[test]
fn prose_rule_findings_on_the_corpus_are_exactly_the_known_ones() {
    let mut errors: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let mut warnings: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let mut documents = 0;
    // Prose rules are checked after schema validation: the schema-valid documents.
    for entry in corpus::entries().into_iter().filter(|e| e.xmlschema_valid) {
        documents += 1;
        let bytes = std::fs::read(corpus::corpus_dir().join(&entry.path)).unwrap();
        let mut warned = std::collections::BTreeSet::new();
        for f in rules::check(&bytes) {
            println!(
                "{}:{}:{}: {:?}: {}: {} ({})",
                entry.path, f.line, f.column, f.severity, f.path, f.message, f.rule
            );
            match f.severity {
                Severity::Error => *errors.entry((entry.path.clone(), f.rule)).or_default() += 1,
                Severity::Warning => {
                    let w = warnings.entry(f.rule).or_default();
                    w.0 += 1;
                    if warned.insert(f.rule) {
                        w.1 += 1;
                    }
                }
            }
        }
    }
    println!("\n{documents} schema-valid documents checked");
    for (rule, (count, docs)) in &warnings {
        println!("warnings {rule}: {count} in {docs} documents");
    }
    let found: Vec<(String, &str, usize)> = errors
        .into_iter()
        .map(|((doc, rule), n)| (doc, rule, n))
        .collect();
    for (doc, rule, n) in &found {
        println!("error {rule}: {n} in {doc}");
    }
    let expected: Vec<(String, &str, usize)> = EXPECTED_ERRORS
        .iter()
        .map(|(doc, rule, n)| (doc.to_string(), *rule, *n))
        .collect();
    assert_eq!(found, expected);
}

/// The rules over the typed value (`rules::check_read`: the writer's events, §4.1 from the
/// input's declaration, positions from one scan when there are findings) report exactly what
/// the pass over the XML text (`rules::check_decoded`) reports — rule, message, path, line,
/// column, severity and order — on every corpus document the typed reader accepts, whatever
/// its root, IODEF 1.0 and 2.0 alike; and on four variants of each: CR LF end-of-lines,
/// without its XML declaration, after a UTF-8 byte-order mark, and as written back in UTF-16.
#[test]
fn rules_over_the_typed_value_find_what_the_pass_over_the_text_finds() {
    let (mut compared, mut with_findings, mut variants) = (0, 0, 0);
    let mut versions = std::collections::BTreeSet::new();
    for entry in corpus::entries() {
        let bytes = std::fs::read(corpus::corpus_dir().join(&entry.path)).unwrap();
        let Ok(doc) = iodef::read(&bytes) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
        let without_declaration = match text.strip_prefix("<?xml") {
            Some(rest) => rest[rest.find("?>").unwrap() + 2..].to_string(),
            None => text.clone(),
        };
        let utf16 = doc
            .to_xml_bytes_with(&iodef::rt::WriteOptions {
                encoding: iodef::rt::Encoding::UTF_16LE,
            })
            .unwrap();
        let inputs = [
            bytes.clone(),
            text.replace('\n', "\r\n").into_bytes(),
            without_declaration.into_bytes(),
            [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            utf16,
        ];
        for (i, input) in inputs.iter().enumerate() {
            let decoded = iodef::rt::decode(input).unwrap();
            let doc = iodef::Document::<iodef::Root>::from_xml_reader(decoded.reader())
                .unwrap_or_else(|e| panic!("{} (variant {i}): {e}", entry.path));
            let expected = rules::check_decoded(&decoded);
            let typed = rules::check_read(&doc, &decoded);
            assert_eq!(typed, expected, "{} (variant {i})", entry.path);
            if i == 0 {
                // Without positions: the same findings, but for their line:column and §4.1.
                let mut unlocated = rules::check_typed(&doc);
                let mut no_declaration: Vec<_> = expected
                    .iter()
                    .filter(|f| !f.rule.ends_with("§4.1"))
                    .map(|f| rules::Finding {
                        line: 0,
                        column: 0,
                        ..f.clone()
                    })
                    .collect();
                let key = |f: &rules::Finding| (f.path.clone(), f.rule, f.message.clone());
                unlocated.sort_by_key(key);
                no_declaration.sort_by_key(key);
                assert_eq!(unlocated, no_declaration, "{}", entry.path);
                compared += 1;
                with_findings += usize::from(!expected.is_empty());
                versions.insert(entry.version.clone());
            } else {
                variants += 1;
            }
        }
    }
    println!(
        "{compared} documents compared ({with_findings} with findings; versions {versions:?}), \
         and {variants} variants"
    );
    // The typed reader accepts every schema-valid document of the corpus (44 today).
    assert_eq!(compared, corpus::valid().len());
    assert!(with_findings > 0);
    assert!(
        versions.contains("1.0") && versions.contains("2.0"),
        "{versions:?}"
    );
}
