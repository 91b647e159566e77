//! `iodef::rules`: for each prose rule, a document that breaks it (the finding, its rule,
//! severity and position) and one that keeps it (no finding).

use iodef::rules::{check, Finding, Severity};

const DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const V2_ROOT: &str = r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00" xml:lang="en" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">"#;
const V1_ROOT: &str = r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-1.0 iodef-1.0.xsd">"#;

/// `body` inside an IODEF 2.0 document that keeps the document-level rules.
fn v2(body: &str) -> String {
    format!("{DECL}\n{V2_ROOT}\n{body}\n</IODEF-Document>")
}

/// `body` inside an IODEF 1.0 document that keeps the document-level rules.
fn v1(body: &str) -> String {
    format!("{DECL}\n{V1_ROOT}\n{body}\n</IODEF-Document>")
}

/// The findings of the pass over the XML text; when the typed reader accepts the document,
/// checked to be exactly those of the rules over the typed value (`check_read`).
fn findings(doc: &str) -> Vec<Finding> {
    let found = check(doc.as_bytes());
    let decoded = iodef::rt::decode(doc.as_bytes()).unwrap();
    if let Ok(typed) = iodef::Document::<iodef::Root>::from_xml_reader(decoded.reader()) {
        assert_eq!(iodef::rules::check_read(&typed, &decoded), found, "{doc}");
    }
    found
}

/// `doc` has exactly one finding, of `rule` and `severity`, whose message contains `needle`.
#[track_caller]
fn assert_one(doc: &str, rule: &str, severity: Severity, needle: &str) -> Finding {
    let found = findings(doc);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = found.into_iter().next().unwrap();
    assert_eq!((f.rule, f.severity), (rule, severity), "{f:?}");
    assert!(
        f.message.contains(needle),
        "{:?} lacks {needle:?}",
        f.message
    );
    f
}

#[track_caller]
fn assert_clean(doc: &str) {
    let found = findings(doc);
    assert!(found.is_empty(), "{found:#?}");
}

use Severity::{Error, Warning};

#[test]
fn xml_declaration() {
    let body = format!("{V2_ROOT}</IODEF-Document>");
    let f = assert_one(
        &body,
        "RFC 7970 §4.1",
        Error,
        "MUST begin with an XML declaration",
    );
    assert_eq!((f.path.as_str(), f.line, f.column), ("/", 1, 1));
    let no_encoding = format!("<?xml version=\"1.0\"?>{V2_ROOT}</IODEF-Document>");
    assert_one(&no_encoding, "RFC 7970 §4.1", Error, "encoding");
    let latin1 =
        format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{V2_ROOT}</IODEF-Document>");
    assert_one(&latin1, "RFC 7970 §4.1", Warning, "SHOULD NOT");
    assert_clean(&v2(""));
    // IODEF 1.0: the declaration is required, its encoding only when not UTF-8.
    assert_one(
        &format!("{V1_ROOT}</IODEF-Document>"),
        "RFC 5070 §4.1",
        Error,
        "XML declaration",
    );
    assert_clean(&format!(
        "<?xml version=\"1.0\"?>{V1_ROOT}</IODEF-Document>"
    ));
    // ... and UTF-16 (a byte-order mark tells it apart) needs it named.
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let found = check(&utf16(&format!(
        "<?xml version=\"1.0\"?>{V1_ROOT}</IODEF-Document>"
    )));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].rule, found[0].severity), ("RFC 5070 §4.1", Error));
    assert!(found[0].message.contains("UTF-16"), "{}", found[0].message);
    assert!(check(&utf16(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>{V1_ROOT}</IODEF-Document>"
    )))
    .is_empty());
    // Not an IODEF document (a RID message): not checked.
    assert_clean(r#"<RID xmlns="urn:ietf:params:xml:ns:iodef-rid-2.0"/>"#);
}

#[test]
fn schema_location_and_language() {
    let root = r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00" xml:lang="en"/>"#;
    let f = assert_one(
        &format!("{DECL}\n{root}"),
        "RFC 7970 §4.2",
        Error,
        "xsi:schemaLocation",
    );
    assert_eq!(
        (f.path.as_str(), f.line, f.column),
        ("/IODEF-Document", 2, 1)
    );
    let root =
        r#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-1.0" version="1.00" lang="en"/>"#;
    assert_one(
        &format!("{DECL}{root}"),
        "RFC 5070 §4.2",
        Warning,
        "xsi:schemaLocation",
    );
    let no_lang = V2_ROOT.replace(r#" xml:lang="en""#, "");
    assert_one(
        &format!("{DECL}{no_lang}</IODEF-Document>"),
        "RFC 7970 §6",
        Error,
        "xml:lang",
    );
}

#[test]
fn private_enum_attributes() {
    let doc = v2("").replace(
        r#"version="2.00""#,
        r#"version="2.00" private-enum-id="13""#,
    );
    assert_one(
        &doc,
        "RFC 7970 §3.1",
        Error,
        "private-enum-name MUST also be set",
    );
    let doc = v2("").replace(
        r#"version="2.00""#,
        r#"version="2.00" private-enum-name="example com""#,
    );
    assert_one(&doc, "RFC 7970 §3.1", Error, "not a domain name");
    let doc = v2("").replace(
        r#"version="2.00""#,
        r#"version="2.00" private-enum-name="example.com" private-enum-id="13""#,
    );
    assert_clean(&doc);
}

#[test]
fn csirt_names_are_fqdns() {
    let id =
        |name: &str| format!(r#"<Incident><IncidentID name="{name}">1</IncidentID></Incident>"#);
    assert_one(
        &v2(&id("csirt example")),
        "RFC 7970 §3.4",
        Error,
        "not a domain name",
    );
    // A single label is a domain name; whether it is fully qualified needs DNS.
    assert_clean(&v2(&id("CSIRT")));
    assert_clean(&v2(&id("csirt.example.com")));
    assert_clean(&v2(&id("csirt.example.com.")));
    assert_one(
        &v1(&id("CERT FOR OUR DOMAIN")),
        "RFC 5070 §3.3",
        Error,
        "not a domain name",
    );
    let indicator =
        |name: &str| format!(r#"<IndicatorID name="{name}" version="1">i</IndicatorID>"#);
    assert_one(
        &v2(&indicator("-bad-.example")),
        "RFC 7970 §3.29.1",
        Error,
        "IndicatorID name",
    );
    assert_clean(&v2(&indicator("csirt.example.com")));
}

#[test]
fn indicator_reference_needs_a_reference() {
    assert_one(
        &v2("<IndicatorReference/>"),
        "RFC 7970 §3.29.7",
        Error,
        "uid-ref or euid-ref",
    );
    assert_clean(&v2(r#"<IndicatorReference euid-ref="x"/>"#));
    assert_clean(&v2(r#"<IndicatorReference uid-ref="x"/>"#));
}

#[test]
fn custom_software_reference_needs_dtype() {
    assert_one(
        &v2(r#"<SoftwareReference spec-name="custom">x</SoftwareReference>"#),
        "RFC 7970 §2.15.1",
        Error,
        "dtype",
    );
    assert_clean(&v2(
        r#"<SoftwareReference spec-name="custom" dtype="string">x</SoftwareReference>"#,
    ));
    assert_clean(&v2(
        r#"<SoftwareReference spec-name="cpe">x</SoftwareReference>"#,
    ));
}

#[test]
fn header_fields() {
    assert_one(
        &v2(r#"<EmailHeaderField dtype="string">v</EmailHeaderField>"#),
        "RFC 7970 §3.21",
        Error,
        "name attribute",
    );
    assert_one(
        &v2(r#"<EmailHeaderField name="X-A" dtype="integer">1</EmailHeaderField>"#),
        "RFC 7970 §3.21",
        Error,
        "\"string\"",
    );
    assert_clean(&v2(
        r#"<EmailHeaderField name="X-A" dtype="string">v</EmailHeaderField>"#,
    ));
    assert_one(
        &v2(r#"<ApplicationHeaderField dtype="string">v</ApplicationHeaderField>"#),
        "RFC 7970 §3.20.2",
        Error,
        "name attribute",
    );
    assert_clean(&v2(
        r#"<ApplicationHeaderField name="Host" dtype="string">v</ApplicationHeaderField>"#,
    ));
}

#[test]
fn nameserver_addresses_are_ip_addresses() {
    let ns = |attr: &str, value: &str| {
        format!("<Nameservers><Server>ns.example.com</Server><Address{attr}>{value}</Address></Nameservers>")
    };
    assert_one(
        &v2(&ns(r#" category="asn""#, "64496")),
        "RFC 7970 §3.19.1",
        Error,
        "\"asn\"",
    );
    assert_clean(&v2(&ns(r#" category="ipv4-addr""#, "192.0.2.1")));
    assert_clean(&v2(&ns("", "2001:db8::1")));
}

#[test]
fn required_children() {
    let f = assert_one(
        &v2("<Incident>\n  <Contact role=\"creator\" type=\"organization\"/>\n</Incident>"),
        "RFC 7970 §3.9",
        Error,
        "at least one child",
    );
    assert_eq!(
        (f.path.as_str(), f.line, f.column),
        ("/IODEF-Document/Incident[1]/Contact[1]", 4, 3)
    );
    assert_clean(&v2(
        r#"<Contact role="creator" type="organization"><Email><EmailTo>a@example.com</EmailTo></Email></Contact>"#,
    ));
    assert_one(
        &v2(
            r#"<RelatedActivity><IndicatorID name="a.example" version="1">x</IndicatorID></RelatedActivity>"#,
        ),
        "RFC 7970 §3.6",
        Error,
        "IncidentID, URL, ThreatActor",
    );
    assert_clean(&v2(
        "<RelatedActivity><URL>http://example.com/</URL></RelatedActivity>",
    ));
    assert_one(
        &v2("<Node><Location>x</Location></Node>"),
        "RFC 7970 §3.18",
        Error,
        "DomainData, Address",
    );
    assert_clean(&v2("<Node><Address>2001:db8::1</Address></Node>"));
    for (element, rule) in [
        ("Campaign", "RFC 7970 §3.8"),
        ("Method", "RFC 7970 §3.11"),
        ("Reference", "RFC 7970 §3.11.1"),
        ("EventData", "RFC 7970 §3.14"),
        ("ServiceName", "RFC 7970 §3.20.1"),
        ("Observable", "RFC 7970 §3.29.3"),
    ] {
        assert_one(&v2(&format!("<{element}/>")), rule, Error, element);
        assert_clean(&v2(&format!(
            "<{element}><Description>d</Description></{element}>"
        )));
    }
    assert_one(
        &v2("<Service/>"),
        "RFC 7970 §3.20",
        Error,
        "at least one child",
    );
    assert_one(
        &v2("<DetectionPattern><Application><URL>https://example.com/ids</URL></Application></DetectionPattern>"),
        "RFC 7970 §3.10.1",
        Error,
        "DetectionConfiguration",
    );
    assert_one(
        &v2("<RecordData><Description>d</Description></RecordData>"),
        "RFC 7970 §3.22.1",
        Error,
        "RecordItem",
    );
    assert_one(
        &v2(r#"<HashData scope="file-contents"><HashTargetID>1</HashTargetID></HashData>"#),
        "RFC 7970 §3.26",
        Error,
        "Hash, FuzzyHash",
    );
    assert_one(
        &v2("<BulkObservableFormat/>"),
        "RFC 7970 §3.29.3.1.1",
        Error,
        "Hash, AdditionalData",
    );
    // IODEF 1.0.
    assert_one(
        &v1(r#"<Contact role="creator" type="organization"/>"#),
        "RFC 5070 §3.7",
        Error,
        "at least one child",
    );
    assert_one(
        &v1("<EventData/>"),
        "RFC 5070 §3.12",
        Error,
        "at least one child",
    );
    assert_one(
        &v1("<Node><Location>x</Location></Node>"),
        "RFC 5070 §3.16",
        Error,
        "NodeName, Address",
    );
    assert_clean(&v1("<Node><NodeName>host.example.com</NodeName></Node>"));
    assert_one(
        &v1("<Service><Application/></Service>"),
        "RFC 5070 §3.17",
        Error,
        "Port, Portlist",
    );
    assert_clean(&v1("<Service><Port>80</Port></Service>"));
    assert_one(
        &v1("<Method><AdditionalData dtype=\"string\">x</AdditionalData></Method>"),
        "RFC 5070 §3.9",
        Error,
        "Reference, Description",
    );
}

#[test]
fn defined_coa() {
    assert_one(
        &v2(
            r#"<HistoryItem action="defined-coa"><DateTime>2020-01-01T00:00:00Z</DateTime></HistoryItem>"#,
        ),
        "RFC 7970 §3.13.1",
        Error,
        "DefinedCOA",
    );
    assert_clean(&v2(
        r#"<HistoryItem action="defined-coa"><DateTime>2020-01-01T00:00:00Z</DateTime><DefinedCOA>c</DefinedCOA></HistoryItem>"#,
    ));
    assert_one(
        &v2(r#"<Expectation action="defined-coa"/>"#),
        "RFC 7970 §3.15",
        Error,
        "DefinedCOA",
    );
    assert_clean(&v2(
        r#"<Expectation action="defined-coa"><DefinedCOA>c</DefinedCOA></Expectation>"#,
    ));
}

#[test]
fn service_ip_protocol() {
    assert_one(
        &v2("<Service><Port>80</Port></Service>"),
        "RFC 7970 §3.20",
        Error,
        "ip-protocol",
    );
    assert_clean(&v2(r#"<Service ip-protocol="6"><Port>80</Port></Service>"#));
    assert_clean(&v2(
        "<Service><ServiceName><Description>web</Description></ServiceName></Service>",
    ));
}

#[test]
fn hash_data_scopes() {
    let hash = |app: &str| format!("<Hash><DigestMethod/><DigestValue/>{app}</Hash>");
    let doc =
        |scope: &str, inner: &str| v2(&format!(r#"<HashData scope="{scope}">{inner}</HashData>"#));
    assert_one(
        &doc("file-pe-section", &hash("")),
        "RFC 7970 §3.26",
        Error,
        "HashTargetID",
    );
    assert_clean(&doc(
        "file-pe-section",
        &format!("<HashTargetID>2</HashTargetID>{}", hash("")),
    ));
    assert_one(
        &doc("file-pe-iat", &hash("")),
        "RFC 7970 §3.26",
        Error,
        "Application",
    );
    assert_clean(&doc(
        "file-pe-iat",
        &hash("<Application><Description>pefile</Description></Application>"),
    ));
}

#[test]
fn file_hash_bulk_observables() {
    let doc = |format: &str| {
        v2(&format!(
            r#"<BulkObservable type="file-hash">{format}<BulkObservableList>a</BulkObservableList></BulkObservable>"#
        ))
    };
    assert_one(
        &doc(""),
        "RFC 7970 §3.29.3.1",
        Error,
        "BulkObservableFormat",
    );
    assert_clean(&doc("<BulkObservableFormat><Hash/></BulkObservableFormat>"));
}

#[test]
fn flow_portlists() {
    let system = |category: &str, ports: &str| {
        format!(
            r#"<System category="{category}"><Node><Address>2001:db8::1</Address></Node><Service ip-protocol="6"><Portlist>{ports}</Portlist></Service></System>"#
        )
    };
    let flow = |systems: &[String]| format!("<Flow>{}</Flow>", systems.concat());
    assert_one(
        &v2(&flow(&[system("source", "1-3"), system("target", "1,2")])),
        "RFC 7970 §3.20",
        Error,
        "lists 3 ports",
    );
    assert_clean(&v2(&flow(&[
        system("source", "1-3"),
        system("target", "7,8,10"),
    ])));
    assert_one(
        &v2(&flow(&[
            system("source", "1,2"),
            system("source", "1,2"),
            system("target", "3,4"),
        ])),
        "RFC 7970 §3.20",
        Error,
        "single source",
    );
    let v1_system = |category: &str, ports: &str| {
        format!(
            r#"<System category="{category}"><Node><Address category="ipv4-addr">192.0.2.1</Address></Node><Service><Portlist>{ports}</Portlist></Service></System>"#
        )
    };
    assert_one(
        &v1(&flow(&[
            v1_system("source", "1-3"),
            v1_system("target", "1"),
        ])),
        "RFC 5070 §3.17",
        Error,
        "symmetric",
    );
    assert_clean(&v1(&flow(&[
        v1_system("source", "1-3"),
        v1_system("target", "1-3"),
        v1_system("target", "4-6"),
    ])));
}

#[test]
fn extension_content_matches_dtype() {
    let ad = |dtype: &str, content: &str| {
        v2(&format!(
            r#"<AdditionalData dtype="{dtype}">{content}</AdditionalData>"#
        ))
    };
    assert_one(
        &ad("string", r#"<x:a xmlns:x="urn:x"/>"#),
        "RFC 7970 §5.2",
        Error,
        "MUST be \"xml\"",
    );
    assert_one(
        &ad("xml", r#"<a xmlns=""/>"#),
        "RFC 7970 §5.2",
        Error,
        "namespace",
    );
    assert_clean(&ad("xml", r#"<x:a xmlns:x="urn:x"/>"#));
    assert_one(
        &ad("integer", "forty-two"),
        "RFC 7970 §5.2",
        Error,
        "forty-two",
    );
    assert_clean(&ad("integer", " 42 "));
    assert_one(
        &ad("byte", "not base64!"),
        "RFC 7970 §5.2",
        Error,
        "not base64!",
    );
    assert_clean(&ad("byte", "QQ=="));
    assert_one(&ad("boolean", "yes"), "RFC 7970 §5.2", Error, "yes");
    assert_clean(&ad("boolean", "true"));
    assert_one(&ad("real", "1,5"), "RFC 7970 §5.2", Error, "1,5");
    assert_clean(&ad("real", "1.5"));
    assert_one(
        &ad("date-time", "yesterday"),
        "RFC 7970 §5.2",
        Error,
        "yesterday",
    );
    assert_clean(&ad("date-time", "2020-01-01T00:00:00Z"));
    assert_one(&ad("portlist", "80-"), "RFC 7970 §5.2", Error, "80-");
    assert_clean(&ad("portlist", "22,80-90"));
    assert_one(&ad("ipv4-packet", "45zz"), "RFC 7970 §5.2", Error, "45zz");
    assert_clean(&ad("ipv4-packet", "4500\n   0052"));
    assert_one(&ad("file", "not base64!"), "RFC 7970 §5.2", Error, "base64");
    assert_clean(&ad("file", "aGVsbG8="));
    assert_clean(&ad("string", "anything &amp; more"));
    // IODEF 1.0 cites RFC 5070.
    let rec = v1(r#"<RecordItem dtype="integer">x</RecordItem>"#);
    assert_one(&rec, "RFC 5070 §5.2", Error, "integer");
}

#[test]
fn address_formats_are_warnings() {
    let addr = |attr: &str, value: &str| v2(&format!("<Address{attr}>{value}</Address>"));
    assert_one(
        &addr(r#" category="ipv4-addr""#, "300.1.1.1"),
        "RFC 7970 §3.18.1",
        Warning,
        "IPv4",
    );
    // The IODEF 2.0 default category is ipv6-addr.
    assert_one(
        &addr("", "192.0.2.1"),
        "RFC 7970 §3.18.1",
        Warning,
        "(the default)",
    );
    assert_clean(&addr(r#" category="ipv4-addr""#, "192.0.2.1"));
    assert_clean(&addr(r#" category="ipv4-net""#, "192.0.2.0/24"));
    assert_one(
        &addr(r#" category="ipv4-net""#, "192.0.2.0/33"),
        "RFC 7970 §3.18.1",
        Warning,
        "a.b.c.d/nn",
    );
    assert_clean(&addr(
        r#" category="ipv4-net-mask""#,
        "192.0.2.0/255.255.255.0",
    ));
    assert_clean(&addr(r#" category="ipv6-net""#, "2001:db8::/32"));
    assert_clean(&addr(r#" category="mac""#, "00:1a:2b:3c:4d:5e"));
    assert_one(
        &addr(r#" category="mac""#, "00:1a:2b"),
        "RFC 7970 §3.18.1",
        Warning,
        "MAC",
    );
    assert_clean(&addr(r#" category="asn""#, "64496"));
    assert_one(
        &addr(r#" category="asn""#, "AS-x"),
        "RFC 7970 §3.18.1",
        Warning,
        "autonomous",
    );
    assert_clean(&addr(r#" category="e-mail""#, "a@example.com"));
    assert_one(
        &addr(r#" category="e-mail""#, "example.com"),
        "RFC 7970 §3.18.1",
        Warning,
        "email",
    );
    assert_clean(&addr(r#" category="site-uri""#, "http://example.com/"));
    // The IODEF 1.0 default category is ipv4-addr.
    assert_clean(&v1("<Address>\n  192.0.2.1\n</Address>"));
    assert_one(
        &v1("<Address>2001:db8::1</Address>"),
        "RFC 5070 §3.16.2",
        Warning,
        "IPv4",
    );
}

#[test]
fn iodef1_confidence_is_empty_unless_numeric() {
    assert_one(
        &v1(r#"<Confidence rating="high">0.5</Confidence>"#),
        "RFC 5070 §3.10.4",
        Warning,
        "empty",
    );
    assert_clean(&v1(r#"<Confidence rating="numeric">0.5</Confidence>"#));
    assert_clean(&v1(r#"<Confidence rating="high"/>"#));
}

#[test]
fn findings_are_in_document_order_with_paths() {
    let doc = v2("<Incident>\n<Contact role=\"creator\" type=\"organization\"/>\n<IndicatorReference/>\n</Incident>");
    let found = findings(&doc);
    let got: Vec<(u64, &str)> = found.iter().map(|f| (f.line, f.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (4, "/IODEF-Document/Incident[1]/Contact[1]"),
            (5, "/IODEF-Document/Incident[1]/IndicatorReference[1]")
        ]
    );
}

#[test]
fn software_needs_a_reference_url_or_description() {
    for element in ["Application", "OperatingSystem", "AssociatedSoftware"] {
        let f = assert_one(
            &v2(&format!("<{element}/>")),
            "RFC 7970 §2.15",
            Error,
            "SoftwareReference, URL, Description",
        );
        assert_eq!(f.path, format!("/IODEF-Document/{element}[1]"));
        assert_clean(&v2(&format!(
            "<{element}><SoftwareReference spec-name=\"cpe\">cpe:/a:x:y</SoftwareReference></{element}>"
        )));
        assert_clean(&v2(&format!(
            "<{element}><URL>https://example.com/</URL></{element}>"
        )));
    }
}

#[test]
fn attributes_the_rfc_requires_and_the_schema_does_not() {
    for (doc, rule, needle) in [
        (
            format!("{DECL}<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\" xml:lang=\"en\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd\"/>"),
            "RFC 7970 §3.1",
            "IODEF-Document has no version",
        ),
        (
            format!("{DECL}<IODEF-Document xmlns=\"urn:ietf:params:xml:ns:iodef-1.0\" lang=\"en\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:ietf:params:xml:ns:iodef-1.0 iodef-1.0.xsd\"/>"),
            "RFC 5070 §3.1",
            "IODEF-Document has no version",
        ),
        (v2("<RegistryHandle>AS1</RegistryHandle>"), "RFC 7970 §3.9.1", "registry"),
        (v1("<RegistryHandle>AS1</RegistryHandle>"), "RFC 5070 §3.7.1", "registry"),
        (
            v2(r#"<DomainData domain-status="assignedAndActive"><Name>example.com</Name></DomainData>"#),
            "RFC 7970 §3.19",
            "system-status",
        ),
        (
            v2(r#"<DomainData system-status="spoofed"><Name>example.com</Name></DomainData>"#),
            "RFC 7970 §3.19",
            "domain-status",
        ),
        (v1("<MonetaryImpact>10</MonetaryImpact>"), "RFC 5070 §3.10.3", "currency"),
        (
            v1("<System><Node><Address>192.0.2.1</Address></Node></System>"),
            "RFC 5070 §3.15",
            "category",
        ),
    ] {
        assert_one(&doc, rule, Error, needle);
    }
    assert_clean(&v2(
        r#"<RegistryHandle registry="arin">AS1</RegistryHandle>"#,
    ));
    assert_clean(&v1(
        r#"<RegistryHandle registry="arin">AS1</RegistryHandle>"#,
    ));
    assert_clean(&v2(
        r#"<DomainData system-status="spoofed" domain-status="assignedAndActive"><Name>example.com</Name></DomainData>"#,
    ));
    assert_clean(&v1(r#"<MonetaryImpact currency="EUR">10</MonetaryImpact>"#));
    assert_clean(&v1(
        r#"<System category="source"><Node><Address>192.0.2.1</Address></Node></System>"#,
    ));
    // A default (the schema's or the RFC's) gives the attribute a value: not reported.
    assert_clean(&v2(
        r#"<SystemImpact><Description>d</Description></SystemImpact>"#,
    ));
    assert_clean(&v1(
        r#"<Impact/><TimeImpact metric="downtime">1</TimeImpact>"#,
    ));
}

/// An Incident element with IncidentID `name`/`value` (and `attrs` on it).
fn incident(name: &str, value: &str, attrs: &str) -> String {
    format!(
        r#"<Incident purpose="reporting"><IncidentID name="{name}"{attrs}>{value}</IncidentID><GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime><Contact role="creator" type="organization"><ContactName>c</ContactName></Contact></Incident>"#
    )
}

#[test]
fn incident_ids_are_unique_in_a_document() {
    let doc = v2(&format!(
        "{}\n{}\n{}",
        incident("csirt.example.com", "1", ""),
        incident("csirt.example.com", "2", ""),
        incident("csirt.example.com", " 1 ", "")
    ));
    let f = assert_one(
        &doc,
        "RFC 7970 §3.4",
        Error,
        "already the identifier of /IODEF-Document/Incident[1]",
    );
    assert_eq!(
        (f.path.as_str(), f.line, f.column),
        ("/IODEF-Document/Incident[3]", 5, 1)
    );
    // Another CSIRT's name, or another instance (a subset of the named incident), is another
    // identifier.
    assert_clean(&v2(&format!(
        "{}{}{}",
        incident("csirt.example.com", "1", ""),
        incident("other.example.org", "1", ""),
        incident("csirt.example.com", "1", r#" instance="b""#)
    )));
    // An IncidentID that refers to another incident (RelatedActivity) is not a duplicate.
    assert_clean(&v2(&format!(
        "{}<RelatedActivity><IncidentID name=\"csirt.example.com\">1</IncidentID></RelatedActivity>",
        incident("csirt.example.com", "1", "")
    )));
    let v1_doc = v1(&format!(
        "{}{}",
        incident("csirt.example.com", "7", ""),
        incident("csirt.example.com", "7", "")
    ));
    let found: Vec<_> = findings(&v1_doc)
        .into_iter()
        .filter(|f| f.rule == "RFC 5070 §3.3")
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "/IODEF-Document/Incident[2]");
}

#[test]
fn indicator_ids_are_unique_in_a_document() {
    let indicator = |version: &str, value: &str| {
        format!(
            r#"<Indicator><IndicatorID name="csirt.example.com" version="{version}">{value}</IndicatorID><Observable><Description>d</Description></Observable></Indicator>"#
        )
    };
    let doc = v2(&format!(
        "<IndicatorData>{}{}</IndicatorData>",
        indicator("1", "ind-1"),
        indicator("1", "ind-1")
    ));
    let f = assert_one(&doc, "RFC 7970 §3.29.1", Error, "IndicatorID \"ind-1\"");
    assert_eq!(f.path, "/IODEF-Document/IndicatorData[1]/Indicator[2]");
    assert_clean(&v2(&format!(
        "<IndicatorData>{}{}{}</IndicatorData>",
        indicator("1", "ind-1"),
        indicator("2", "ind-1"),
        indicator("1", "ind-2")
    )));
}

/// A schema-valid document that breaks many rules at once, written to tell the rules over the
/// typed value (`check_read`) from the pass over the text (`check`) wherever they could
/// differ: attributes out of schema order (several §5.1.1 findings on one element), an empty
/// `ext-*` value (which a typed value cannot tell from a missing one), end-of-lines as CR LF
/// and whitespace in attribute values (normalised), comments, CDATA and references in text,
/// extension content, Flows, duplicate identifiers. `findings` checks both give the same.
#[test]
fn typed_value_and_text_give_the_same_findings() {
    let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- prolog -->
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0
      iodef-2.0.xsd">
  <Incident ext-status="x" purpose="ext-value" ext-restriction="r" status="new">
    <IncidentID name="csirt.example.com">1</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact ext-type="robot" role="ext-value" ext-role="" type="person"><?pi data?>
      <Email><EmailTo>a@example.com</EmailTo></Email>
    </Contact>
    <EventData>
      <Flow>
        <System category="source">
          <Node><Address category="ipv4-addr">192.0.2.<!-- c -->999</Address></Node>
          <Service ip-protocol="6"><Portlist>1,2</Portlist></Service>
        </System>
        <System category="target">
          <Node><Location>here</Location></Node>
          <Service><Port>80</Port></Service>
          <Service ip-protocol="6"><Portlist>3</Portlist></Service>
        </System>
      </Flow>
      <Expectation action="defined-coa"/>
    </EventData>
    <History><HistoryItem action="defined-coa"><DateTime>2015-07-18T09:00:00-05:00</DateTime></HistoryItem></History>
    <AdditionalData dtype="xml"><foo xmlns="">bar</foo></AdditionalData>
    <AdditionalData dtype="integer"> 12<![CDATA[a]]>&#x20;</AdditionalData>
    <AdditionalData dtype="string"><x:y xmlns:x="urn:example"/></AdditionalData>
  </Incident>
  <Incident purpose="reporting">
    <IncidentID name="bad	name
 here" instance="&#10;i">
      1
    </IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact role="creator" type="organization">
      <Email><EmailTo>a@example.com</EmailTo></Email>
    </Contact>
    <EventData><Flow><System><Node><Address category="ipv4-addr">192.0.2.1
x</Address></Node></System></Flow></EventData>
  </Incident>
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com"> 1 </IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Contact role="creator" type="organization"><ContactName>x</ContactName></Contact>
  </Incident>
</IODEF-Document>
<!-- epilog -->
"#;
    for doc in [doc.to_string(), doc.replace('\n', "\r\n")] {
        iodef::read(doc.as_bytes()).expect("schema-valid");
        let found = findings(&doc);
        let rules: Vec<&str> = found.iter().map(|f| f.rule).collect();
        assert_eq!(
            rules,
            [
                "RFC 7970 §5.1.1",
                "RFC 7970 §5.1.1",
                "RFC 7970 §5.1.1",
                "RFC 7970 §5.1.1",
                "RFC 7970 §5.1.1",
                "RFC 7970 §3.20",
                "RFC 7970 §3.18.1",
                "RFC 7970 §3.18",
                "RFC 7970 §3.20",
                "RFC 7970 §3.15",
                "RFC 7970 §3.13.1",
                "RFC 7970 §5.2",
                "RFC 7970 §5.2",
                "RFC 7970 §5.2",
                "RFC 7970 §3.4",
                "RFC 7970 §3.18.1",
                "RFC 7970 §3.4",
            ],
            "{found:#?}"
        );
        // In the order of the attributes in the text, not of the schema.
        assert!(found[0].message.starts_with("attribute ext-status"));
        assert!(found[1].message.starts_with("purpose=\"ext-value\""));
        assert!(found[2].message.starts_with("attribute ext-restriction"));
        // Contact: ext-type (type="person"), then role="ext-value" with an empty ext-role.
        assert!(found[3].message.starts_with("attribute ext-type"));
        assert!(found[4].message.starts_with("role=\"ext-value\""));
        // Normalised as the typed reader reads them: whitespace in an attribute value is a
        // space, a character reference stays what it is, CR LF in text is LF.
        assert!(
            found[14].message.contains(r#""bad name  here""#),
            "{}",
            found[14].message
        );
        assert!(
            found[15].message.contains(r#""192.0.2.1\nx""#),
            "{}",
            found[15].message
        );
        assert_eq!(found[16].path, "/IODEF-Document/Incident[3]");
    }
}
