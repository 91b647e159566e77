//! The collecting validator (`iodef::rt::validate`): every error of a document, each with its
//! path, line:column and message; recovery; policies; limits. Its agreement with xmlschema on
//! the corpus and on mutants is tested in `tests/tests/mutation.rs` and
//! `cli/tests/validate_agreement.rs`.

use iodef::rt::validate::{validate, validate_with, Options, Report};
use iodef::ErrorKind;

const IODEF2: &str = "urn:ietf:params:xml:ns:iodef-2.0";

/// An IODEF 2.0 document with `incident` as the content of its only Incident.
fn doc(incident: &str) -> String {
    format!(
        r#"<IODEF-Document version="2.00" xmlns="{IODEF2}">
  <Incident purpose="reporting">
{incident}
  </Incident>
</IODEF-Document>"#
    )
}

const GOOD: &str = r#"    <IncidentID name="csirt.example.com">1</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"/>"#;

/// (kind, line, column, path) of each error.
fn summary(report: &Report) -> Vec<(ErrorKind, u64, u64, String)> {
    report
        .errors
        .iter()
        .map(|e| (e.kind.clone(), e.line, e.column, e.path.clone()))
        .collect()
}

#[test]
fn a_valid_document_has_no_error() {
    let report = validate(doc(GOOD).as_bytes());
    assert!(report.is_valid(), "{:?}", report.errors);
    assert_eq!(
        report.root.as_deref(),
        Some("{urn:ietf:params:xml:ns:iodef-2.0}IODEF-Document")
    );
    assert!(iodef::read(doc(GOOD).as_bytes()).is_ok());
}

#[test]
fn every_error_is_collected_in_document_order() {
    let incident = r#"    <IncidentID name="csirt.example.com">1</IncidentID>
    <Bogus/>
    <GenerationTime>yesterday</GenerationTime>
    <Contact type="organization" role="nobody" color="red"/>
    <Contact type="person"/>"#;
    let report = validate(doc(incident).as_bytes());
    let i = "/IODEF-Document/Incident[1]";
    assert_eq!(
        summary(&report),
        [
            (ErrorKind::UnexpectedElement, 4, 5, format!("{i}/Bogus[1]")),
            (
                ErrorKind::InvalidValue,
                5,
                5,
                format!("{i}/GenerationTime[1]")
            ),
            (ErrorKind::InvalidValue, 6, 34, format!("{i}/Contact[1]")),
            (
                ErrorKind::UnexpectedAttribute,
                6,
                48,
                format!("{i}/Contact[1]")
            ),
            (ErrorKind::MissingAttribute, 7, 5, format!("{i}/Contact[2]")),
        ],
        "{:#?}",
        report.errors
    );
    assert!(report.errors[0].message.contains("Bogus"));
    assert!(report.errors[1].message.contains("yesterday"));
    assert!(report.errors[3].message.contains("color"));
    assert!(report.errors[4].message.contains("role"));
    // The typed reader stops at the first of them.
    let first = iodef::read(doc(incident).as_bytes()).unwrap_err();
    assert_eq!((first.line, first.column), (4, 5), "{first}");
}

#[test]
fn a_missing_child_is_reported_at_the_end_tag_on_the_parent_path() {
    let incident = r#"    <IncidentID name="csirt.example.com">1</IncidentID>"#;
    let report = validate(doc(incident).as_bytes());
    assert_eq!(
        summary(&report),
        [(
            ErrorKind::MissingElement,
            4,
            3,
            "/IODEF-Document/Incident[1]".to_string()
        )]
    );
    assert!(
        report.errors[0].message.contains("GenerationTime"),
        "{}",
        report.errors[0].message
    );
}

#[test]
fn order_and_cardinality() {
    // Contact before GenerationTime: GenerationTime is then out of place.
    let swapped = r#"    <IncidentID name="csirt.example.com">1</IncidentID>
    <Contact type="organization" role="creator"/>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>"#;
    let report = validate(doc(swapped).as_bytes());
    assert!(!report.is_valid());
    assert!(report
        .errors
        .iter()
        .any(|e| e.kind == ErrorKind::UnexpectedElement && e.path.ends_with("Contact[1]")));
    // Two IncidentIDs (maxOccurs 1).
    let twice = format!("    <IncidentID name=\"csirt.example.com\">0</IncidentID>\n{GOOD}");
    let report = validate(doc(&twice).as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].path.ends_with("IncidentID[2]"));
}

#[test]
fn ids_and_idrefs() {
    let incident = format!(
        r#"{GOOD}
    <IndicatorData>
      <Indicator><IndicatorID name="csirt.example.com" version="1">i1</IndicatorID>
        <Observable><Address category="ipv4-addr" observable-id="o1">192.0.2.1</Address></Observable>
      </Indicator>
      <Indicator><IndicatorID name="csirt.example.com" version="1">i2</IndicatorID>
        <Observable><Address category="ipv4-addr" observable-id="o1">192.0.2.2</Address></Observable>
      </Indicator>
      <Indicator><IndicatorID name="csirt.example.com" version="1">i3</IndicatorID>
        <ObservableReference uid-ref="nowhere"/>
      </Indicator>
    </IndicatorData>"#
    );
    let report = validate(doc(&incident).as_bytes());
    let messages: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(report.errors.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("duplicate xs:ID \"o1\""),
        "{messages:?}"
    );
    assert!(messages[1].contains("\"nowhere\""), "{messages:?}");
    assert!(report.errors[1].path.ends_with("ObservableReference[1]"));
}

#[test]
fn text_where_only_elements_are_allowed_is_reported_once_per_element() {
    let incident = format!("{GOOD}\n    stray text <!-- c --> more text");
    let report = validate(doc(&incident).as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].kind, ErrorKind::UnexpectedText);
    assert_eq!(report.errors[0].path, "/IODEF-Document/Incident[1]");
}

#[test]
fn fixed_values_and_unknown_roots() {
    let wrong_version = doc(GOOD).replace("version=\"2.00\"", "version=\"2.01\"");
    let report = validate(wrong_version.as_bytes());
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].message.contains("fixes it to \"2.00\""));

    let report = validate(b"<Envelope xmlns=\"urn:example\"/>");
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.errors[0].kind, ErrorKind::UnexpectedElement);
    assert!(report.errors[0].message.contains("unknown root element"));
}

#[test]
fn malformed_input_ends_validation_with_one_located_error() {
    for (input, line) in [
        (&b""[..], 1),
        (b"<IODEF-Document", 1),
        (b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">\n<Incident purpose=\"reporting\"></IODEF-Document>", 2),
        (b"<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", 1),
    ] {
        let report = validate(input);
        let shown = String::from_utf8_lossy(input);
        assert_eq!(report.errors.len(), 1, "{shown}: {:?}", report.errors);
        assert_eq!(report.errors[0].line, line, "{shown}: {:?}", report.errors);
    }
    // Errors before the malformed part are kept.
    let broken = doc(r#"    <IncidentID name="csirt.example.com">1</IncidentID><Bogus/>"#)
        .replace("</IODEF-Document>", "");
    let report = validate(broken.as_bytes());
    let kinds: Vec<ErrorKind> = report.errors.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(
        kinds.first(),
        Some(&ErrorKind::UnexpectedElement),
        "{kinds:?}"
    );
    assert_eq!(kinds.last(), Some(&ErrorKind::Syntax), "{kinds:?}");
}

#[test]
fn the_error_count_is_capped() {
    let many: String = (0..50).map(|_| "    <Bogus/>\n").collect();
    let options = Options {
        max_errors: 10,
        ..Options::default()
    };
    let report = validate_with(doc(&format!("{GOOD}\n{many}")).as_bytes(), &options);
    assert_eq!(report.errors.len(), 10);
    assert!(report.errors[9].message.contains("validation stopped"));
}

#[test]
fn lenient_turns_unknown_content_into_warnings() {
    let incident = format!(
        "    <IncidentID name=\"csirt.example.com\" color=\"red\">1</IncidentID>\n    \
         <Bogus><Inner/></Bogus>\n{}",
        &GOOD[GOOD.find("    <GenerationTime>").unwrap()..]
    );
    let input = doc(&incident);
    let strict = validate(input.as_bytes());
    assert_eq!(strict.errors.len(), 2, "{:?}", strict.errors);
    assert!(strict.warnings.is_empty());
    let lenient = validate_with(
        input.as_bytes(),
        &Options {
            read: iodef::ReadOptions::lenient(),
            ..Options::default()
        },
    );
    assert!(lenient.is_valid(), "{:?}", lenient.errors);
    let warnings: Vec<(ErrorKind, &str)> = lenient
        .warnings
        .iter()
        .map(|w| (w.kind.clone(), w.path.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (
                ErrorKind::UnexpectedAttribute,
                "/IODEF-Document/Incident[1]/IncidentID[1]"
            ),
            (
                ErrorKind::UnexpectedElement,
                "/IODEF-Document/Incident[1]/Bogus[1]"
            ),
        ]
    );
    // The lenient typed reader keeps the same two items aside.
    let read = iodef::read_with(input.as_bytes(), &iodef::ReadOptions::lenient()).unwrap();
    let kept: Vec<&str> = read.unknown.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(kept, [warnings[0].1, warnings[1].1]);
    // A known element out of order stays an error.
    let misplaced = doc(&format!(
        "{GOOD}\n    <IncidentID name=\"csirt.example.com\">2</IncidentID>"
    ));
    let report = validate_with(
        misplaced.as_bytes(),
        &Options {
            read: iodef::ReadOptions::lenient(),
            ..Options::default()
        },
    );
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
}

#[test]
fn xmldsig_mixed_content_models_are_checked() {
    let ds = "http://www.w3.org/2000/09/xmldsig#";
    // KeyInfo needs one of its children; an empty one is invalid (for both engines).
    let empty_key_info = format!(r#"<KeyInfo xmlns="{ds}"></KeyInfo>"#);
    let report = validate(empty_key_info.as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].kind, ErrorKind::MissingElement);
    assert!(iodef::read(empty_key_info.as_bytes()).is_err());
    // SignatureMethod's wildcard is ##other: an xmldsig element there is not allowed.
    let own_ns = format!(
        r#"<SignatureMethod xmlns="{ds}" Algorithm="urn:x">text<KeyName>k</KeyName></SignatureMethod>"#
    );
    let report = validate(own_ns.as_bytes());
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(iodef::read(own_ns.as_bytes()).is_err());
    // Text and a KeyName: valid.
    let ok = format!(r#"<KeyInfo xmlns="{ds}">some text<KeyName>k</KeyName></KeyInfo>"#);
    assert!(validate(ok.as_bytes()).is_valid());
    assert!(iodef::read(ok.as_bytes()).is_ok());
}

#[test]
fn xml_lang_is_a_language_tag_or_empty() {
    for (lang, valid) in [
        ("en", true),
        ("de-CH-1996", true),
        ("", true),
        ("not a tag!", false),
    ] {
        let input = doc(GOOD).replace(
            "<IODEF-Document ",
            &format!("<IODEF-Document xml:lang=\"{lang}\" "),
        );
        assert_eq!(validate(input.as_bytes()).is_valid(), valid, "{lang:?}");
        assert_eq!(iodef::read(input.as_bytes()).is_ok(), valid, "{lang:?}");
    }
}
