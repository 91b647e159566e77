//! The example extension end to end: an IODEF 2.0 document carrying a `sight:Sighting` in
//! `AdditionalData dtype="xml"` is read after `register_extension()` with every field typed,
//! written back as the same infoset with stable bytes, and the output is valid for Python
//! `xmlschema` with the extension's own XSD (plus the shared IODEF schemas it imports). An
//! invalid Sighting is refused with a path naming it. The build script reports every schema
//! it read to Cargo.

use std::path::{Path, PathBuf};
use std::sync::Once;

use iodef::v2::{AddressCategoryType, DtypeType, IodefDocument};
use iodef::{Document, MixedNode};
use iodef_sighting_example::sighting::{self, Sighting, SightingChoice, SourceType};
use iodef_tests::{infoset, validator};

const IODEF2: &str = "urn:ietf:params:xml:ns:iodef-2.0";

/// An IODEF 2.0 incident with a Sighting in AdditionalData: ext-value source with its
/// ext-source, a `type` and a `match` attribute (Rust keywords), the hyphenated `sensor-id`, an
/// iodef:Description inside the extension element, repeated SeenAt, the choice (iodef:Address),
/// and the optional Count and Score.
const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en"
                xmlns="urn:ietf:params:xml:ns:iodef-2.0"
                xmlns:sight="urn:example:params:xml:ns:iodef-sighting-1.0">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">189801</IncidentID>
    <GenerationTime>2024-03-01T10:00:00Z</GenerationTime>
    <Contact type="organization" role="creator">
      <Email><EmailTo>contact@csirt.example.com</EmailTo></Email>
    </Contact>
    <AdditionalData dtype="xml" meaning="sighting">
      <!-- one sighting of the C2 address -->
      <sight:Sighting source="ext-value" ext-source="passive-dns" type="beacon" match="true"
                      sensor-id="sensor-7">
        <Description xml:lang="en">Beacon to a known C2 address</Description>
        <sight:SeenAt>2024-03-01T09:15:00Z</sight:SeenAt>
        <sight:SeenAt> 2024-03-01T09:45:30.5+01:00 </sight:SeenAt>
        <Address category="ipv4-addr">192.0.2.10</Address>
        <sight:Count>2</sight:Count>
        <sight:Score>0.750</sight:Score>
      </sight:Sighting>
    </AdditionalData>
  </Incident>
</IODEF-Document>
"#;

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(iodef_sighting_example::register_extension);
}

fn parse(xml: &str) -> Result<Document<IodefDocument>, iodef::Error> {
    register();
    Document::<IodefDocument>::from_str(xml)
}

/// The Sighting of the first AdditionalData of the first Incident, and checks that nothing else
/// but whitespace and the comment sits beside it.
fn sighting_of(doc: &Document<IodefDocument>) -> &Sighting {
    let additional = &doc.root.incident[0].additional_data[0];
    assert_eq!(additional.dtype, DtypeType::Xml);
    assert_eq!(additional.meaning.as_deref(), Some("sighting"));
    let content = &additional.content;
    let mut typed = Vec::new();
    for node in &content.0 {
        match node {
            MixedNode::Text(t) => assert!(t.trim().is_empty(), "text {t:?}"),
            MixedNode::Comment(c) => assert_eq!(c.trim(), "one sighting of the C2 address"),
            MixedNode::Element(e) => panic!("left raw (not registered?): {e:?}"),
            MixedNode::Typed(t) => typed.push(t),
            MixedNode::ProcessingInstruction(p) => panic!("no PI in the example: {p:?}"),
        }
    }
    assert_eq!(typed.len(), 1, "{content:?}");
    assert_eq!(typed[0].namespace(), sighting::NAMESPACE);
    assert_eq!(typed[0].local_name(), "Sighting");
    match typed[0].downcast_ref::<sighting::Element>() {
        Some(sighting::Element::Sighting(s)) => s,
        None => panic!("not a sighting::Element: {:?}", typed[0]),
    }
}

#[test]
fn sighting_is_typed_field_by_field() {
    let doc = parse(DOCUMENT).unwrap_or_else(|e| panic!("{e}"));
    let s = sighting_of(&doc);

    assert_eq!(s.source, SourceType::Ext("passive-dns".into()));
    assert_eq!(s.source.as_str(), "ext-value");
    assert_eq!(s.type_.as_deref(), Some("beacon"));
    assert_eq!(s.match_, Some(true));
    assert_eq!(s.sensor_id.as_deref(), Some("sensor-7"));

    assert_eq!(s.description.len(), 1);
    assert_eq!(s.description[0].value, "Beacon to a known C2 address");
    assert_eq!(s.description[0].lang.as_deref(), Some("en"));

    let seen: Vec<&str> = s.seen_at.iter().map(|t| t.as_str()).collect();
    assert_eq!(
        seen,
        ["2024-03-01T09:15:00Z", "2024-03-01T09:45:30.5+01:00"]
    );
    assert_eq!(s.seen_at[1].hour(), 9);
    assert_eq!(s.seen_at[1].timezone(), Some(60));

    match &s.choice {
        SightingChoice::Address(address) => {
            assert_eq!(address.value, "192.0.2.10");
            assert_eq!(address.category, Some(AddressCategoryType::Ipv4Addr));
        }
        other => panic!("expected the Address alternative, got {other:?}"),
    }
    assert_eq!(s.count.as_deref().map(u64::try_from), Some(Ok(2)));
    let score = s.score.as_ref().expect("Score");
    assert_eq!(score.as_str(), "0.750", "lexical form kept");
    assert_eq!(
        *score,
        "0.75".parse::<iodef::Decimal>().unwrap(),
        "value equality"
    );

    // The IODEF part around it is typed as usual.
    assert_eq!(doc.root.incident[0].incident_id.value, "189801");
}

#[test]
fn the_other_choice_alternative_and_enumerated_source() {
    let xml = DOCUMENT
        .replace(
            r#"source="ext-value" ext-source="passive-dns""#,
            r#"source="honeypot""#,
        )
        .replace(
            r#"<Address category="ipv4-addr">192.0.2.10</Address>"#,
            "<sight:Host-Name>c2.example.net</sight:Host-Name>",
        );
    let doc = parse(&xml).unwrap_or_else(|e| panic!("{e}"));
    let s = sighting_of(&doc);
    assert_eq!(s.source, SourceType::Honeypot);
    assert_eq!(s.choice, SightingChoice::HostName("c2.example.net".into()));
    let out = doc.to_xml_string();
    infoset::compare_xml(xml.as_bytes(), out.as_bytes()).unwrap();
}

fn out_file(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sighting_roundtrip");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn written_back_same_infoset_stable_and_schema_valid() {
    let doc = parse(DOCUMENT).unwrap_or_else(|e| panic!("{e}"));
    let out = doc.to_xml_string();

    infoset::compare_xml(DOCUMENT.as_bytes(), out.as_bytes())
        .unwrap_or_else(|e| panic!("written back differently: {e}\n{out}"));
    // The extension's catalog prefix, registered with its decoder, is used when declaring it.
    assert!(out.contains("<sight:Sighting xmlns:sight="), "{out}");
    let again = parse(&out).unwrap_or_else(|e| panic!("re-parsing the output: {e}\n{out}"));
    assert_eq!(sighting_of(&again), sighting_of(&doc));
    assert_eq!(again.to_xml_string(), out, "writing is not stable");
    let mut streamed = Vec::new();
    doc.write_to(&mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), out);

    // A value built in Rust and put into AdditionalData is written like a parsed one.
    let mut built = doc.clone();
    let content = &mut built.root.incident[0].additional_data[0].content;
    for node in &mut content.0 {
        if let MixedNode::Typed(t) = node {
            let s = sighting_of(&doc).clone();
            *t = Box::new(sighting::Element::Sighting(Box::new(s)));
        }
    }
    assert_eq!(built.to_xml_string(), out);

    if validator::skip_requested() {
        eprintln!("IODEF_SKIP_VALIDATOR=1: schema validity not checked");
        return;
    }
    if let Some(reason) = validator::unavailable_reason(validator::Engine::XmlSchema) {
        panic!("cannot check schema validity: {reason}");
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/sighting-1.0.xsd");
    let locations = [(IODEF2, validator::local_schema("iodef-2.0.xsd"))];
    let valid_out = out_file("sighting-output.xml");
    std::fs::write(&valid_out, &out).unwrap();
    // Sanity check of the validator set-up: a Sighting without SeenAt is refused by it.
    let invalid = out_file("sighting-invalid.xml");
    std::fs::write(&invalid, without_seen_at(&out)).unwrap();
    let files = [valid_out.clone(), invalid.clone()];
    let verdicts = validator::validate_against(&files, &schema, &locations)
        .unwrap_or_else(|e| panic!("validator: {e}"));
    let verdict = &verdicts[&valid_out];
    assert!(
        verdict.valid,
        "output not valid for sighting-1.0.xsd: {:?}\n{out}",
        verdict.error
    );
    let verdict = &verdicts[&invalid];
    assert!(
        !verdict.valid,
        "the validator accepts a Sighting without SeenAt"
    );
    let error = verdict.error.as_deref().unwrap_or_default();
    assert!(error.contains("Sighting"), "{error}");
}

/// `xml` without its `SeenAt` elements (whatever their prefix and layout).
fn without_seen_at(xml: &str) -> String {
    let mut s = xml.to_string();
    while let Some(name_end) = s.find(":SeenAt>") {
        let start = s[..name_end].rfind('<').expect("a start tag");
        let prefix = s[start + 1..name_end].to_string();
        assert!(!prefix.starts_with('/'), "unbalanced SeenAt in {xml}");
        let end_tag = format!("</{prefix}:SeenAt>");
        let end = s[start..].find(&end_tag).expect("SeenAt is closed") + start + end_tag.len();
        s.replace_range(start..end, "");
    }
    assert_ne!(s, xml, "no SeenAt in {xml}");
    s
}

/// `Error` for `xml`, which must be refused; its path must name the Sighting.
fn refused(xml: &str, what: &str) -> iodef::Error {
    let err = match parse(xml) {
        Ok(doc) => panic!("{what}: accepted: {doc:?}"),
        Err(e) => e,
    };
    assert!(
        err.path
            .starts_with("/IODEF-Document/Incident[1]/AdditionalData[1]/Sighting[1]"),
        "{what}: the path does not name the Sighting: {err}"
    );
    assert!(err.line > 0 && err.column > 0, "{what}: no position: {err}");
    err
}

#[test]
fn invalid_sighting_is_refused_with_its_path() {
    // An enumeration value that is not in source-type.
    let bad_enum = DOCUMENT.replace(
        r#"source="ext-value" ext-source="passive-dns""#,
        r#"source="satellite""#,
    );
    let err = refused(&bad_enum, "bad source");
    assert_eq!(err.kind, iodef::ErrorKind::InvalidValue, "{err}");
    assert!(err.message.contains("satellite"), "{err}");
    // The line of the Sighting start tag.
    let line = bad_enum
        .lines()
        .position(|l| l.contains("<sight:Sighting"))
        .unwrap()
        + 1;
    assert_eq!(err.line, line as u64, "{err}");

    // SeenAt is required (maxOccurs unbounded, minOccurs 1).
    let no_seen_at = without_seen_at(DOCUMENT);
    let err = refused(&no_seen_at, "missing SeenAt");
    assert_eq!(err.kind, iodef::ErrorKind::MissingElement, "{err}");
    assert!(err.message.contains("SeenAt"), "{err}");

    // Both together: refused as well (the first problem found is reported).
    let both = without_seen_at(&bad_enum);
    refused(&both, "bad source and missing SeenAt");

    // An unknown child inside the Sighting.
    let unknown = DOCUMENT.replace(
        "<sight:Count>2</sight:Count>",
        "<sight:Count>2</sight:Count><sight:Bogus/>",
    );
    let err = refused(&unknown, "unknown child");
    assert!(err.message.contains("Bogus"), "{err}");
}

/// Without the registration (a reader with the crate's own registry only), the same element
/// stays lossless raw XML.
#[test]
fn unregistered_reader_keeps_the_sighting_raw() {
    let mut registry = iodef::rt::Registry::new();
    iodef::bindings::register(&mut registry);
    let reader = iodef::rt::XmlReader::with_registry(
        DOCUMENT.as_bytes(),
        Some(std::sync::Arc::new(registry)),
    );
    let doc = Document::<IodefDocument>::from_xml_reader(reader).unwrap_or_else(|e| panic!("{e}"));
    let content = &doc.root.incident[0].additional_data[0].content;
    assert_eq!(content.typed().count(), 0);
    let raw: Vec<_> = content.elements().collect();
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].ns.as_deref(), Some(sighting::NAMESPACE));
    assert_eq!(raw[0].local, "Sighting");
    assert_eq!(raw[0].attribute(None, "ext-source"), Some("passive-dns"));
    infoset::compare_xml(DOCUMENT.as_bytes(), doc.to_xml_string().as_bytes()).unwrap();
}

/// The build script's `cargo:` lines: rerun when the catalog, the extension XSD or any IODEF
/// schema it imports (directly or not) changes.
#[test]
fn build_script_reports_every_schema_it_read() {
    let out_dir = Path::new(env!("OUT_DIR"));
    let output_file = out_dir
        .parent()
        .expect("OUT_DIR has a parent")
        .join("output");
    let output = std::fs::read_to_string(&output_file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", output_file.display()));
    let rerun: Vec<PathBuf> = output
        .lines()
        .filter_map(|l| l.strip_prefix("cargo:rerun-if-changed="))
        .map(PathBuf::from)
        .collect();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let same_file = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    for own in ["schemas/catalog.toml", "schemas/sighting-1.0.xsd"] {
        let want = manifest.join(own);
        assert!(
            rerun.iter().any(|p| same_file(p, &want)),
            "no cargo:rerun-if-changed for {}:\n{output}",
            want.display()
        );
    }
    for imported in [
        "iodef-2.0.xsd",
        "iodef-1.0.xsd",
        "iodef-sci-1.0.xsd",
        "iodef-enum-1.0.xsd",
        "xmldsig-core-schema.xsd",
        "xml.xsd",
    ] {
        let found: Vec<&PathBuf> = rerun
            .iter()
            .filter(|p| p.file_name().is_some_and(|n| n == imported))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "cargo:rerun-if-changed for {imported}:\n{output}"
        );
        assert!(found[0].is_absolute(), "{}", found[0].display());
        assert!(found[0].is_file(), "{} does not exist", found[0].display());
    }
    assert!(
        output
            .lines()
            .any(|l| l == "cargo:rerun-if-env-changed=IODEF_SCHEMA_DIR"),
        "{output}"
    );
}
