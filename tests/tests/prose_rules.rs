//! RFC prose rules (`iodef::rules`) on the real corpus: every finding is listed, so a change in
//! what the rules report shows up here.

use iodef::rules::{self, Severity};
use iodef_tests::corpus;

#[test]
fn ext_value_findings_on_the_corpus_are_exactly_the_known_ones() {
    let mut found = Vec::new();
    // Prose rules are checked after schema validation: the schema-valid documents.
    for entry in corpus::entries().into_iter().filter(|e| e.xmlschema_valid) {
        let bytes = std::fs::read(corpus::corpus_dir().join(&entry.path)).unwrap();
        for f in rules::check(&bytes) {
            assert_eq!(f.severity, Severity::Error);
            found.push(format!(
                "{}:{}:{}: {}: {} ({})",
                entry.path, f.line, f.column, f.path, f.message, f.rule
            ));
        }
    }
    found.sort();
    println!("{}", found.join("\n"));
    // Both RFC 5901 examples set ext-purpose while purpose="reporting".
    let expected = [
        "rfc5901/rfc5901-B.2-generated-report.xml:6:1: /IODEF-Document/Incident[1]: attribute ext-purpose is only allowed when purpose=\"ext-value\" (RFC 5070 §5.1)",
        "rfc5901/rfc5901-C.2-phishing-report.xml:5:2: /IODEF-Document/Incident[1]: attribute ext-purpose is only allowed when purpose=\"ext-value\" (RFC 5070 §5.1)",
    ];
    assert_eq!(found, expected);
}
