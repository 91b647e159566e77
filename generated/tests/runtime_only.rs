//! A program that names nothing of the `iodef` crate but its runtime (`iodef::rt`) still gets
//! the generated namespaces as the process-wide default: the declaration in `iodef`'s lib.rs
//! (`rt::default_namespaces!`) is collected at link time, not by running facade code first.
//! Its own test binary, so that no other test has touched the facade.

#[test]
fn the_process_wide_registry_has_the_generated_namespaces_without_the_facade() {
    let registry = iodef::rt::registry::global();
    for ns in [
        "urn:ietf:params:xml:ns:iodef-1.0",
        "urn:ietf:params:xml:ns:iodef-2.0",
        "urn:ietf:params:xml:ns:iodef-rid-2.0",
        "urn:ietf:params:xml:ns:iodef-phish-1.0",
    ] {
        assert!(registry.get(ns).is_some(), "{ns} not registered");
    }
    let report = iodef::rt::validate::validate(
        br#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">1</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact type="organization" role="creator"/>
  </Incident>
</IODEF-Document>"#,
    );
    assert!(report.is_valid(), "{:?}", report.errors);
    // Only the linked declarations: the runtime's defaults are the same set.
    assert_eq!(
        iodef::rt::registry::defaults()
            .namespaces()
            .collect::<Vec<_>>(),
        registry.namespaces().collect::<Vec<_>>()
    );
}
