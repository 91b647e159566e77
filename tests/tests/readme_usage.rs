//! The README's usage example, compiled and run on a real document (RFC 5901 B.2: IODEF 1.0 with a
//! phishing report in AdditionalData).

use iodef::bindings::{iodef1, iodef2, phish, Root};

fn readme_usage(path: &std::path::Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut seen = Vec::new();
    // --- README snippet (println! replaced by pushes) ---
    let doc = iodef::read(&std::fs::read(path)?)?; // any root: IODEF 1.0/2.0, RID, XEP-0268, ...
    match &doc.root {
        Root::Iodef2(iodef2::Element::IodefDocument(d)) => {
            seen.push(format!("{} incidents", d.incident.len()))
        }
        Root::Iodef1(iodef1::Element::IodefDocument(d)) => {
            let extension_data = d
                .incident
                .iter()
                .flat_map(|i| &i.event_data)
                .flat_map(|e| &e.additional_data);
            for data in extension_data {
                // Extension content of a generated namespace is typed; other XML stays raw.
                for element in data.content.typed_as::<phish::Element>() {
                    if let phish::Element::PhraudReport(report) = element {
                        seen.push(format!("{:?}", report.fraud_type));
                    }
                }
            }
        }
        other => seen.push(format!("root {}", other.local_name())),
    }
    let xml = doc.to_xml_string(); // same infoset as the input, foreign XML included
                                   // ---
    assert!(!xml.is_empty());
    Ok(seen)
}

#[test]
fn readme_usage_reads_a_typed_phishing_report() {
    let path = iodef_tests::corpus::corpus_dir().join("rfc5901/rfc5901-B.2-generated-report.xml");
    let seen = readme_usage(&path).expect("README usage runs");
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("Phishing"), "{seen:?}");
}
