//! Random incident IDs (RFC 8134 §7.4): `IncidentIdType::random` in IODEF 2.0 and 1.0.
//! Unique over many draws, 32 lower-case hex digits, no order between consecutive draws,
//! every bit position used (a counter or a clock would leave high bits constant), and a
//! document built with one is valid.

use iodef::incident_id::random_value;
use iodef::{v1, v2};
use std::collections::HashSet;

const DRAWS: usize = 100_000;

fn draws() -> Vec<String> {
    (0..DRAWS).map(|_| random_value().unwrap()).collect()
}

#[test]
fn ids_are_32_lower_case_hex_digits_and_carry_the_name() {
    let id = v2::IncidentIdType::random("csirt.example.com").unwrap();
    assert_eq!(id.name, "csirt.example.com");
    assert_eq!(id.value.len(), 32);
    assert!(
        id.value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{}",
        id.value
    );
    assert_eq!(id.instance, None);
    let id = v1::IncidentIdType::random("csirt.example.com").unwrap();
    assert_eq!(
        (id.name.as_str(), id.value.len()),
        ("csirt.example.com", 32)
    );
}

#[test]
fn ids_do_not_repeat_over_many_draws() {
    let ids = draws();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), DRAWS);
}

#[test]
fn consecutive_ids_are_not_ordered() {
    // A sequence (counter, timestamp) would make nearly every step go up; random values go up
    // about half of the time (binomial: 50% ± 1% for 10^5 steps, far beyond 4 sigma).
    let ids = draws();
    let ups = ids.windows(2).filter(|w| w[1] > w[0]).count();
    let share = ups as f64 / (DRAWS - 1) as f64;
    assert!((0.48..0.52).contains(&share), "{share}");
}

#[test]
fn every_bit_position_varies() {
    // Each of the 128 bits is set in about half of the draws: a counter or a clock leaves its
    // high bits constant, a truncated source its low ones.
    let ids = draws();
    let mut ones = [0usize; 128];
    for id in &ids {
        let bits = u128::from_str_radix(id, 16).unwrap();
        for (i, count) in ones.iter_mut().enumerate() {
            *count += usize::from(bits >> i & 1 == 1);
        }
    }
    for (i, count) in ones.iter().enumerate() {
        let share = *count as f64 / DRAWS as f64;
        assert!((0.48..0.52).contains(&share), "bit {i}: {share}");
    }
}

#[test]
fn a_document_with_a_random_id_is_valid() {
    use v2::{Contact, ContactRoleType, ContactType, Incident, IncidentPurposeType};
    let mut contact = Contact::new(ContactRoleType::Creator, ContactType::Organization);
    contact
        .contact_name
        .push(v2::MlStringType::new("CSIRT of example.com"));
    let incident = Incident::new(
        IncidentPurposeType::Reporting,
        v2::IncidentIdType::random("csirt.example.com").unwrap(),
        "2024-01-01T00:00:00Z".parse().unwrap(),
        vec![contact],
    );
    let xml = iodef::Document::new(v2::IodefDocument::new(vec![incident])).to_xml_string();
    assert!(iodef::validate(xml.as_bytes()).is_valid(), "{xml}");
}

/// The example of docs/guidance.md ("Choosing NodeRole"), as written there.
mod guidance {
    use iodef::v2::{
        Address, AddressCategoryType, Contact, ContactRoleType, ContactType, EventData, Flow,
        Incident, IncidentIdType, IncidentPurposeType, IodefDocument, MlStringType, Node,
        NodeChoice, NodeRole, NoderoleCategoryType, System, SystemCategoryType,
    };

    fn report() -> Result<iodef::Document<IodefDocument>, Box<dyn std::error::Error>> {
        let mut node = Node::new();
        node.choice.push(NodeChoice::Address(vec![Address {
            category: Some(AddressCategoryType::Ipv4Addr),
            ..Address::new("192.0.2.25")
        }]));
        let mut server = System::new(node);
        server.category = Some(SystemCategoryType::Target);
        server
            .node_role
            .push(NodeRole::new(NoderoleCategoryType::Mail));
        server
            .node_role
            .push(NodeRole::new(NoderoleCategoryType::Name));
        let mut event = EventData::new();
        event.flow.push(Flow {
            system: vec![server],
            ..Default::default()
        });

        let mut contact = Contact::new(ContactRoleType::Creator, ContactType::Organization);
        contact
            .contact_name
            .push(MlStringType::new("CSIRT of example.com"));
        let mut incident = Incident::new(
            IncidentPurposeType::Reporting,
            IncidentIdType::random("csirt.example.com")?, // RFC 8134 §7.4
            "2024-05-04T10:59:03Z".parse()?,
            vec![contact],
        );
        incident.event_data.push(event);
        let mut root = IodefDocument::new(vec![incident]);
        root.lang = Some("en".into()); // RFC 7970 §6
        let mut doc = iodef::Document::new(root);
        doc.xsi.schema_location = Some(
            "urn:ietf:params:xml:ns:iodef-2.0 \
             https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd"
                .into(),
        ); // RFC 7970 §4.2
        Ok(doc)
    }

    #[test]
    fn the_guidance_example_is_valid_with_no_rule_finding() {
        let xml = report().unwrap().to_xml_string();
        assert!(iodef::validate(xml.as_bytes()).is_valid(), "{xml}");
        assert_eq!(iodef::rules::check(xml.as_bytes()), vec![], "{xml}");
        assert!(
            xml.contains(r#"<NodeRole category="mail"/><NodeRole category="name"/>"#),
            "{xml}"
        );
    }
}
