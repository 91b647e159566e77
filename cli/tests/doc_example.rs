//! The crate documentation's RFC 7970 §7.1 example (`generated/examples/rfc7970_7_1.rs`, shown
//! in the `iodef` crate docs) builds a document that the real `iodef validate` accepts with no
//! finding: xml:lang (RFC 7970 §6) and xsi:schemaLocation (§4.2) included.

mod common;

use common::{code, json_lines, run, stdout};

#[allow(dead_code)] // the example's `main` is not called here
mod example {
    include!("../../generated/examples/rfc7970_7_1.rs");
}

#[test]
fn the_documented_rfc7970_7_1_example_validates_with_no_finding() {
    let xml = example::rfc7970_7_1().unwrap().to_xml_string();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("doc_example");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rfc7970-7.1-built.xml");
    std::fs::write(&file, &xml).unwrap();
    let file = file.to_str().unwrap();

    let out = run(&["validate", file]);
    assert_eq!(code(&out), 0, "{}\n{xml}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "1 file: 1 valid, 0 invalid (0 errors, 0 warnings)\n",
        "{xml}"
    );
    let out = run(&["validate", "--format", "json", file]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "{}", stdout(&out));
    assert_eq!(
        (
            &lines[0]["schema_valid"],
            &lines[0]["rules_valid"],
            &lines[0]["valid"]
        ),
        (&true.into(), &true.into(), &true.into())
    );
    // Without the two attributes the RFC requires, the same document is refused.
    let mut doc = example::rfc7970_7_1().unwrap();
    doc.root.lang = None;
    doc.xsi.schema_location = None;
    let path = dir.join("rfc7970-7.1-bare.xml");
    std::fs::write(&path, doc.to_xml_string()).unwrap();
    let out = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("(RFC 7970 §4.2)") && text.contains("(RFC 7970 §6)"),
        "{text}"
    );
}
