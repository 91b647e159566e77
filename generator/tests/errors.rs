//! Unsupported XSD constructs are typed errors naming the schema file, the line and the
//! component (`{namespace}name`), not panics or generic failures.

mod common;

use iodef_codegen::{Builder, Error};

const NAMESPACE: &str = "urn:example:unsupported";

#[test]
fn xs_all_is_an_unsupported_error_naming_file_line_and_component() {
    let fixture = common::fixture("unsupported");
    let result = Builder::from_catalog(fixture.join("catalog.toml"))
        .schema_dir(&fixture)
        .generate();
    let err = match result {
        Ok(output) => panic!(
            "generating from an xs:all schema succeeded ({} files); expected Error::Unsupported",
            output.files.len()
        ),
        Err(e) => e,
    };
    let component = format!("{{{NAMESPACE}}}Component");
    let Error::Unsupported {
        file,
        line,
        component: got_component,
        what,
    } = &err
    else {
        panic!("expected Error::Unsupported, got {err:?} ({err})");
    };
    assert_eq!(file, "bad.xsd", "{err}");
    let text = std::fs::read_to_string(fixture.join("bad.xsd")).unwrap();
    let declared = text
        .lines()
        .position(|l| l.contains(r#"<xs:element name="Component">"#))
        .expect("fixture declares Component")
        + 1;
    assert!(*line > 0, "no line number: {err}");
    assert_eq!(*line, declared, "line of the Component declaration: {err}");
    assert_eq!(got_component, &component, "{err}");
    assert!(
        what.contains("xs:all"),
        "the message names the construct: {err}"
    );

    let shown = err.to_string();
    assert!(shown.contains("bad.xsd"), "Display names the file: {shown}");
    assert!(
        shown.contains(&format!("bad.xsd:{line}:")),
        "Display has file:line: {shown}"
    );
    assert!(
        shown.contains(&component),
        "Display names the component: {shown}"
    );
}
