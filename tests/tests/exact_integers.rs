//! Exact `xs:integer` on documents written for the purpose: a 160-bit X.509 serial number
//! (`ds:X509SerialNumber` in IODEF 2.0 `CertificateData/Certificate/ds:X509Data`, and one in the
//! mixed content of a file signature's `ds:KeyInfo`) and a `FileSize` above 2^64 round-trip
//! with their lexical form, as the same infoset, and stay
//! schema-valid per Python xmlschema; out-of-range values of bounded integer types (the
//! phishing schema's `nonNegativeInteger` restrictions, `maxInclusive` 100) are refused by both
//! engines — the typed reader and the collecting validator — with path and line:column, as
//! xmlschema refuses them.

use std::path::PathBuf;

use iodef::bindings::{iodef2, xmldsig, Root};
use iodef::Integer;
use iodef_tests::{corpus, infoset, validator};

/// 2^160 - 1: the largest 20-octet serial number (RFC 5280 §4.1.2.2 allows 20 octets).
const SERIAL: &str = "1461501637330902918203684832716283019655932542975";
/// 2^65, written with a sign and a leading zero: the lexical form must survive.
const FILE_SIZE: &str = "+036893488147419103232";
/// 2^159, with leading zeros.
const KEY_SERIAL: &str = "000730750818665451459101842416358141509827966271488";

/// The test document; `key_serial` is the serial number in the file's XML signature
/// (`SignatureData/ds:Signature/ds:KeyInfo/ds:X509Data`, mixed content in xmldsig).
fn big_document(serial: &str, file_size: &str, key_serial: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en"
    xmlns="urn:ietf:params:xml:ns:iodef-2.0"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">big-integers-1</IncidentID>
    <GenerationTime>2026-01-01T00:00:00Z</GenerationTime>
    <Contact type="organization" role="creator">
      <ContactName>Example CSIRT</ContactName>
    </Contact>
    <IndicatorData>
      <Indicator>
        <IndicatorID name="csirt.example.com" version="1">ind-cert</IndicatorID>
        <Observable>
          <CertificateData>
            <Certificate>
              <ds:X509Data>
                <ds:X509IssuerSerial>
                  <ds:X509IssuerName>CN=Example CA,O=Example</ds:X509IssuerName>
                  <ds:X509SerialNumber>{serial}</ds:X509SerialNumber>
                </ds:X509IssuerSerial>
              </ds:X509Data>
            </Certificate>
          </CertificateData>
        </Observable>
      </Indicator>
      <Indicator>
        <IndicatorID name="csirt.example.com" version="1">ind-file</IndicatorID>
        <Observable>
          <FileData>
            <File>
              <FileName>disk.img</FileName>
              <FileSize>{file_size}</FileSize>
              <SignatureData>
                <ds:Signature>
                  <ds:SignedInfo>
                    <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
                    <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
                    <ds:Reference URI="">
                      <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
                      <ds:DigestValue>47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</ds:DigestValue>
                    </ds:Reference>
                  </ds:SignedInfo>
                  <ds:SignatureValue>AAAA</ds:SignatureValue>
                  <ds:KeyInfo>
                    <ds:X509Data>
                      <ds:X509IssuerSerial>
                        <ds:X509IssuerName>CN=Example Signing CA</ds:X509IssuerName>
                        <ds:X509SerialNumber>{key_serial}</ds:X509SerialNumber>
                      </ds:X509IssuerSerial>
                    </ds:X509Data>
                  </ds:KeyInfo>
                </ds:Signature>
              </SignatureData>
            </File>
          </FileData>
        </Observable>
      </Indicator>
    </IndicatorData>
  </Incident>
</IODEF-Document>
"#
    )
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// xmlschema's verdicts on `files` (`None` when IODEF_SKIP_VALIDATOR=1).
fn xmlschema(files: &[PathBuf]) -> Option<Vec<validator::Verdict>> {
    if validator::skip_requested() {
        eprintln!("IODEF_SKIP_VALIDATOR set: agreement with xmlschema not checked");
        return None;
    }
    if let Some(reason) = validator::unavailable_reason(validator::Engine::XmlSchema) {
        panic!("{reason}");
    }
    let verdicts =
        validator::validate(files, validator::Engine::XmlSchema).expect("xmlschema runs");
    Some(files.iter().map(|f| verdicts[f].clone()).collect())
}

fn observable(i: &mut iodef2::Indicator) -> &mut iodef2::ObservableChoice {
    match &mut i.choice {
        iodef2::IndicatorChoice::Observable(o) => o.choice.as_mut().expect("Observable content"),
        other => panic!("Observable expected, got {other:?}"),
    }
}

/// The typed values of the document: (serial number, file size).
fn typed_values(doc: &mut iodef::Document<Root>) -> (&mut Integer, &mut Integer) {
    let Root::Iodef2(iodef2::Element::IodefDocument(d)) = &mut doc.root else {
        panic!("an IODEF 2.0 document expected")
    };
    let indicators = &mut d.incident[0]
        .indicator_data
        .as_mut()
        .expect("IndicatorData")
        .indicator;
    let [cert, file] = &mut indicators[..] else {
        panic!("two Indicators expected")
    };
    let iodef2::ObservableChoice::CertificateData(c) = observable(cert) else {
        panic!("CertificateData expected")
    };
    let xmldsig::X509DataTypeChoice::Sequence(seq) = &mut c.certificate[0].x509_data.sequence[0];
    let xmldsig::X509DataTypeSequenceChoice::X509IssuerSerial(issuer) = &mut seq.choice else {
        panic!("X509IssuerSerial expected")
    };
    let iodef2::ObservableChoice::FileData(f) = observable(file) else {
        panic!("FileData expected")
    };
    let size = f.file[0].file_size.as_mut().expect("FileSize");
    (&mut issuer.x509_serial_number, size)
}

#[test]
fn big_integers_round_trip_exactly() {
    let input = big_document(SERIAL, FILE_SIZE, KEY_SERIAL);
    let mut doc = iodef::read(input.as_bytes()).expect("read");
    let (serial, size) = typed_values(&mut doc);
    assert_eq!(serial.to_string(), SERIAL);
    assert_eq!(serial.bits(), 160);
    assert!(
        u128::try_from(&*serial).is_err(),
        "beyond every Rust integer"
    );
    assert_eq!(size.to_string(), FILE_SIZE, "lexical form kept");
    assert_eq!(*size, Integer::from(1u128 << 65), "value space");
    assert!(u64::try_from(&*size).is_err());

    let written = doc.to_xml_string();
    for form in [
        format!("<ds:X509SerialNumber>{SERIAL}</ds:X509SerialNumber>"),
        format!("<FileSize>{FILE_SIZE}</FileSize>"),
        format!("<ds:X509SerialNumber>{KEY_SERIAL}</ds:X509SerialNumber>"),
    ] {
        assert!(written.contains(&form), "{form} not in\n{written}");
    }
    infoset::compare_xml(input.as_bytes(), written.as_bytes()).expect("same infoset");
    let again = iodef::read(written.as_bytes()).expect("re-read");
    assert_eq!(again.root, doc.root);
    assert_eq!(again.to_xml_string(), written, "stable");
    for (name, xml) in [("input", &input), ("output", &written)] {
        let report = iodef::rt::validate::validate(xml.as_bytes());
        assert!(report.is_valid(), "{name}: {:?}", report.errors);
    }

    let dir = tmp_dir("exact_integers_roundtrip");
    let files = [dir.join("input.xml"), dir.join("output.xml")];
    std::fs::write(&files[0], &input).unwrap();
    std::fs::write(&files[1], &written).unwrap();
    if let Some(verdicts) = xmlschema(&files) {
        for (file, v) in files.iter().zip(verdicts) {
            assert!(v.valid, "{}: xmlschema: {:?}", file.display(), v.error);
        }
    }
}

#[test]
fn big_integers_set_from_rust_values_are_written() {
    let mut doc = iodef::read(big_document("1", "1", "1").as_bytes()).expect("read");
    let (serial, size) = typed_values(&mut doc);
    *serial = SERIAL.parse().unwrap();
    *size = Integer::from(u128::MAX);
    let written = doc.to_xml_string();
    for form in [
        format!("<ds:X509SerialNumber>{SERIAL}</ds:X509SerialNumber>"),
        format!("<FileSize>{}</FileSize>", u128::MAX),
    ] {
        assert!(written.contains(&form), "{form} not in\n{written}");
    }
    assert!(iodef::rt::validate::validate(written.as_bytes()).is_valid());
}

/// A document whose root is the phishing schema's global `Confidence` element
/// (`nonNegativeInteger`, 0 to 100).
fn phish_confidence(value: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<phish:Confidence xmlns:phish=\"urn:ietf:params:xml:ns:iodef-phish-1.0\">{value}</phish:Confidence>\n"
    )
}

/// RFC 5901 B.2 (read from the shared corpus) with a `DCSite` whose `SiteURL` carries
/// `phish:confidence` (a `nonNegativeInteger` attribute, 0 to 100).
fn phish_site_confidence(value: &str) -> String {
    let path = corpus::corpus_dir().join("rfc5901/rfc5901-B.2-generated-report.xml");
    let text = std::fs::read_to_string(&path).expect("read the RFC 5901 example");
    let anchor = "      </phish:PhraudReport>";
    assert!(text.contains(anchor), "{}", path.display());
    text.replacen(
        anchor,
        &format!(
            "        <phish:DCSite DCType=\"web\">\n          <phish:SiteURL phish:confidence=\"{value}\">http://www.example.com/customerservice/cform.php</phish:SiteURL>\n        </phish:DCSite>\n{anchor}"
        ),
        1,
    )
}

/// 1-based line and column (in characters) of the first occurrence of `at` in `xml`.
fn position(xml: &str, at: &str) -> (u64, u64) {
    let offset = xml
        .find(at)
        .unwrap_or_else(|| panic!("{at:?} not in the document"));
    let before = &xml[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

struct Case {
    name: &'static str,
    xml: String,
    /// `None`: valid. `Some((path, at, reason))`: refused at this path, at the line:column
    /// where the text `at` first occurs, for this reason.
    refusal: Option<(&'static str, &'static str, &'static str)>,
}

#[test]
fn bounded_integers_are_checked_exactly_by_both_engines() {
    let site_path = "/IODEF-Document/Incident[1]/EventData[1]/AdditionalData[1]/PhraudReport[1]/DCSite[1]/SiteURL[1]";
    let cases = [
        Case {
            name: "confidence 100",
            xml: phish_confidence("100"),
            refusal: None,
        },
        Case {
            name: "confidence +0100",
            xml: phish_confidence(" +0100 "),
            refusal: None,
        },
        Case {
            name: "confidence -0",
            xml: phish_confidence("-0"),
            refusal: None,
        },
        Case {
            name: "confidence -1",
            xml: phish_confidence("-1"),
            refusal: Some((
                "/Confidence",
                "<phish:Confidence",
                "-1 is out of range for xs:nonNegativeInteger (at least 0)",
            )),
        },
        Case {
            name: "confidence 101",
            xml: phish_confidence("101"),
            refusal: Some(("/Confidence", "<phish:Confidence", "101 is not at most 100")),
        },
        Case {
            // 2^64 + 100: as f64 it would compare equal to 2^64; exact comparison refuses it.
            name: "confidence beyond 64 bits",
            xml: phish_confidence("18446744073709551716"),
            refusal: Some((
                "/Confidence",
                "<phish:Confidence",
                "18446744073709551716 is not at most 100",
            )),
        },
        Case {
            name: "confidence 1.0",
            xml: phish_confidence("1.0"),
            refusal: Some(("/Confidence", "<phish:Confidence", "not a valid integer")),
        },
        Case {
            name: "site confidence 0",
            xml: phish_site_confidence("0"),
            refusal: None,
        },
        Case {
            name: "site confidence -5",
            xml: phish_site_confidence("-5"),
            refusal: Some((
                site_path,
                "phish:confidence=",
                "-5 is out of range for xs:nonNegativeInteger (at least 0)",
            )),
        },
        Case {
            name: "site confidence 340282366920938463463374607431768211456",
            xml: phish_site_confidence("340282366920938463463374607431768211456"),
            refusal: Some((site_path, "phish:confidence=", "is not at most 100")),
        },
        Case {
            name: "X509SerialNumber not an integer",
            xml: big_document("12.5", "1", "1"),
            refusal: Some((
                "/X509SerialNumber[1]",
                "<ds:X509SerialNumber",
                "not a valid integer",
            )),
        },
        Case {
            name: "signature's X509SerialNumber in hex",
            xml: big_document("1", "1", "0x1F"),
            refusal: Some((
                "/KeyInfo[1]/X509Data[1]/X509IssuerSerial[1]/X509SerialNumber[1]",
                "<ds:X509SerialNumber>0x1F",
                "not a valid integer",
            )),
        },
        Case {
            name: "negative 200-digit serial and zero file size",
            xml: big_document(&format!("-{}", "9".repeat(200)), "-0", "+0"),
            refusal: None,
        },
    ];
    let dir = tmp_dir("exact_integers_bounded");
    let mut files = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let read = iodef::read(case.xml.as_bytes());
        let report = iodef::rt::validate::validate(case.xml.as_bytes());
        match case.refusal {
            None => {
                let doc = read.unwrap_or_else(|e| panic!("{}: {e}", case.name));
                assert!(report.is_valid(), "{}: {:?}", case.name, report.errors);
                let written = doc.to_xml_string();
                infoset::compare_xml(case.xml.as_bytes(), written.as_bytes())
                    .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            }
            Some((path, at, reason)) => {
                let (line, column) = position(&case.xml, at);
                let err = read.expect_err(case.name);
                assert_eq!(report.errors.len(), 1, "{}: {:?}", case.name, report.errors);
                let found = &report.errors[0];
                for e in [&err, found] {
                    assert!(e.path.ends_with(path), "{}: path of {e}", case.name);
                    assert_eq!((e.line, e.column), (line, column), "{}: {e}", case.name);
                    assert!(e.message.contains(reason), "{}: {e}", case.name);
                    assert_eq!(e.kind, iodef::ErrorKind::InvalidValue, "{}: {e}", case.name);
                }
            }
        }
        let file = dir.join(format!("case-{i}.xml"));
        std::fs::write(&file, &case.xml).unwrap();
        files.push(file);
    }
    if let Some(verdicts) = xmlschema(&files) {
        for (case, v) in cases.iter().zip(verdicts) {
            assert_eq!(
                v.valid,
                case.refusal.is_none(),
                "{}: xmlschema says valid={} ({:?})",
                case.name,
                v.valid,
                v.error
            );
        }
    }
}
