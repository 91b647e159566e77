//! Runtime behaviour that needs the generated IODEF schemas (the runtime crate's own unit tests
//! use a small hand-written model and no bindings): the facade's registry and entry points,
//! and the validator's side of processing-instruction targets.

use iodef::{Document, MixedNode, ReadOptions};

#[test]
fn malformed_processing_instruction_targets_are_validation_errors() {
    // Names with dots, hyphens and colons are targets.
    let ok = "<?a.b-c:d x?><IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"><?x-y?></IODEF-Document>";
    let report = iodef::validate(ok.as_bytes());
    assert!(
        report
            .errors
            .iter()
            .all(|e| !e.message.contains("processing-instruction")),
        "{:?}",
        report.errors
    );
    // The validator refuses the broken ones too.
    let report = iodef::validate(b"<?x00</a>?><IODEF-Document/>");
    assert!(report.errors[0]
        .message
        .starts_with("invalid processing-instruction target"));
    // `xml` in any case is reserved, after the root too.
    let report = iodef::validate(
        b"<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" version=\"2.00\"/><?XmL v?>",
    );
    assert!(
        report.errors.iter().any(|e| e
            .message
            .starts_with("invalid processing-instruction target")),
        "{:?}",
        report.errors
    );
}

/// An IODEF 2.0 document whose AdditionalData holds an IODEF `Contact` (a generated namespace).
const WITH_CONTACT: &str = r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">1</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"/>
    <AdditionalData dtype="xml"><Contact role="tech" type="person"/></AdditionalData>
  </Incident>
</IODEF-Document>"#;

fn typed_count(doc: &Document<iodef::v2::IodefDocument>) -> usize {
    doc.root.incident[0].additional_data[0]
        .content
        .0
        .iter()
        .filter(|n| matches!(n, MixedNode::Typed(_)))
        .count()
}

#[test]
fn generated_namespaces_are_typed_by_default_on_every_entry_point() {
    // The runtime knows no bindings; the facade declares them as the process-wide default, so
    // the runtime's own entry points decode them too, whatever is called first.
    let doc = Document::<iodef::v2::IodefDocument>::from_str(WITH_CONTACT).unwrap();
    assert_eq!(typed_count(&doc), 1);
    let doc = Document::<iodef::v2::IodefDocument>::from_slice(WITH_CONTACT.as_bytes()).unwrap();
    assert_eq!(typed_count(&doc), 1);
    assert!(iodef::rt::registry::global()
        .get(iodef::v2::NAMESPACE)
        .is_some());
    let root = iodef::read(WITH_CONTACT.as_bytes()).unwrap();
    let v2 = root.root.as_iodef2().expect("IODEF 2.0");
    assert!(matches!(
        &v2.incident[0].additional_data[0].content.0[0],
        MixedNode::Typed(t) if t.downcast_ref::<iodef::v2::Element>().is_some()
    ));
}

#[test]
fn the_registry_is_an_explicit_read_option() {
    // An empty registry keeps every element of mixed content raw ...
    let empty = ReadOptions {
        registry: Some(std::sync::Arc::new(iodef::rt::Registry::new())),
        ..ReadOptions::default()
    };
    let doc =
        Document::<iodef::v2::IodefDocument>::from_slice_with(WITH_CONTACT.as_bytes(), &empty)
            .unwrap();
    assert_eq!(typed_count(&doc), 0);
    assert!(matches!(
        &doc.root.incident[0].additional_data[0].content.0[0],
        MixedNode::Element(e) if e.local == "Contact"
    ));
    // ... and writes it back all the same.
    let typed = iodef::read(WITH_CONTACT.as_bytes()).unwrap();
    let raw = iodef::read_with(WITH_CONTACT.as_bytes(), &empty).unwrap();
    assert_eq!(raw.to_xml_string(), typed.to_xml_string());
    // `iodef::registry()`: every generated namespace, the same value on every call.
    let options = ReadOptions {
        registry: Some(iodef::registry()),
        ..ReadOptions::default()
    };
    assert_eq!(options, options.clone());
    assert_ne!(options, empty);
    assert_ne!(options, ReadOptions::default());
    let doc =
        Document::<iodef::v2::IodefDocument>::from_slice_with(WITH_CONTACT.as_bytes(), &options)
            .unwrap();
    assert_eq!(typed_count(&doc), 1);
    let registry = iodef::registry();
    for ns in [
        iodef::v1::NAMESPACE,
        iodef::v2::NAMESPACE,
        iodef::bindings::iodef_enum::NAMESPACE,
        iodef::bindings::phish::NAMESPACE,
        iodef::bindings::rid1::NAMESPACE,
        iodef::bindings::rid2::NAMESPACE,
        iodef::bindings::sci::NAMESPACE,
        iodef::bindings::thraud::NAMESPACE,
        iodef::bindings::xmldsig::NAMESPACE,
        iodef::bindings::xmpp_incident::NAMESPACE,
        iodef::bindings::xmpp_jid::NAMESPACE,
    ] {
        assert!(registry.get(ns).is_some(), "{ns}");
        assert!(registry.element_decl(ns, "no-such-element").is_none());
    }
    assert!(std::sync::Arc::ptr_eq(&registry, &iodef::registry()));
}

#[test]
fn the_validator_takes_a_registry() {
    // Without the IODEF schemas the root is unknown; with them the document is valid.
    let none = iodef::rt::validate::validate_with(
        WITH_CONTACT.as_bytes(),
        &iodef::rt::validate::Options {
            registry: Some(std::sync::Arc::new(iodef::rt::Registry::new())),
            ..Default::default()
        },
    );
    assert!(!none.is_valid());
    assert!(
        none.errors[0].message.contains("IODEF-Document"),
        "{:?}",
        none.errors
    );
    let report = iodef::rt::validate::validate_with(
        WITH_CONTACT.as_bytes(),
        &iodef::rt::validate::Options {
            registry: Some(iodef::registry()),
            ..Default::default()
        },
    );
    assert!(report.is_valid(), "{:?}", report.errors);
    assert_eq!(iodef::validate(WITH_CONTACT.as_bytes()), report);
}

#[test]
fn root_accessors_match_one_level() {
    let v1 = iodef::read(
        br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en">
  <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
  <ReportTime>2006-08-01T00:00:00Z</ReportTime>
  <Assessment><Impact type="recon"/></Assessment>
  <Contact role="creator" type="organization"><ContactName>CSIRT</ContactName></Contact>
  </Incident></IODEF-Document>"#,
    )
    .unwrap();
    assert_eq!(
        v1.root.as_iodef1().unwrap().incident[0].incident_id.value,
        "1"
    );
    assert!(v1.root.as_iodef2().is_none());
    // Another global element of IODEF 2.0 as the root is no IODEF-Document.
    let contact = iodef::read(
        br#"<Contact xmlns="urn:ietf:params:xml:ns:iodef-2.0" type="person" role="tech"/>"#,
    )
    .unwrap();
    assert!(contact.root.as_iodef2().is_none());
    assert!(contact.root.as_iodef1().is_none());
}

#[test]
fn errors_print_line_column_path_message_in_display_and_debug() {
    let err = iodef::read(
        br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
  <Incident purpose="nonsense"/>
</IODEF-Document>"#,
    )
    .unwrap_err();
    let line = err.to_string();
    assert!(
        line.starts_with("2:13: /IODEF-Document/Incident[1]: invalid value"),
        "{line}"
    );
    // `?` in `main` prints Debug: the same readable line.
    assert_eq!(format!("{err:?}"), line);
    // The alternate Debug form shows the fields.
    let fields = format!("{err:#?}");
    assert!(fields.contains("kind: InvalidValue"), "{fields}");
    assert!(fields.contains("line: 2"), "{fields}");
}
