//! Every encoding XML allows, through every library entry point: UTF-16LE/BE with and without
//! byte-order mark, UTF-8 with a byte-order mark, ISO-8859-1 (exactly: 0x85 is U+0085),
//! windows-1252, US-ASCII, Shift_JIS; contradictions, unknown and unsupported encodings, and
//! invalid bytes as located errors; positions of later errors in characters of the document;
//! writing in UTF-16, ISO-8859-1, windows-1252 and US-ASCII. Test inputs are encoded here with
//! the standard library (not with the code under test).

use iodef::rt::encoding::{decode, Encoding};
use iodef::rt::{expand_internal_entities, EntityLimits, WriteOptions, XmlReader};
use iodef::{Document, ErrorKind};

/// A valid IODEF 2.0 document that keeps the prose rules, declaring `encoding` (none: no
/// `encoding` pseudo-attribute), with `text` as the Description and `after` right after it.
fn doc_with(encoding: Option<&str>, text: &str, after: &str) -> String {
    let decl = match encoding {
        Some(e) => format!(r#"<?xml version="1.0" encoding="{e}"?>"#),
        None => r#"<?xml version="1.0"?>"#.to_string(),
    };
    format!(
        r#"{decl}
<IODEF-Document version="2.00" xml:lang="fr" xmlns="urn:ietf:params:xml:ns:iodef-2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ietf:params:xml:ns:iodef-2.0 iodef-2.0.xsd">
  <Incident purpose="reporting">
    <IncidentID name="csirt.example.com">492382</IncidentID>
    <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
    <Description>{text}</Description>{after}
    <Contact type="organization" role="creator">
      <ContactName>CSIRT</ContactName>
    </Contact>
  </Incident>
</IODEF-Document>
"#
    )
}

fn doc(encoding: Option<&str>, text: &str) -> String {
    doc_with(encoding, text, "")
}

fn utf16le(s: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    s.encode_utf16()
        .for_each(|u| out.extend_from_slice(&u.to_le_bytes()));
    out
}

fn utf16be(s: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
    s.encode_utf16()
        .for_each(|u| out.extend_from_slice(&u.to_be_bytes()));
    out
}

/// ISO-8859-1: each character is one byte (the test documents hold only such characters).
fn latin1(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

fn written(input: &[u8]) -> String {
    iodef::read(input)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_xml_string()
}

const TEXT: &str = "Hameçonnage à grande échelle – coût 5 € ✓";

#[test]
fn utf16_with_a_byte_order_mark_reads_like_utf8() {
    let expected = written(doc(Some("UTF-8"), TEXT).as_bytes());
    assert!(expected.contains(TEXT));
    for (input, encoding) in [
        (
            utf16le(&doc(Some("UTF-16"), TEXT), true),
            Encoding::UTF_16LE,
        ),
        (
            utf16be(&doc(Some("UTF-16"), TEXT), true),
            Encoding::UTF_16BE,
        ),
        (
            utf16le(&doc(Some("utf-16le"), TEXT), true),
            Encoding::UTF_16LE,
        ),
        (
            utf16be(&doc(Some("UTF-16BE"), TEXT), true),
            Encoding::UTF_16BE,
        ),
        // A byte-order mark is enough: no encoding in the declaration.
        (utf16le(&doc(None, TEXT), true), Encoding::UTF_16LE),
        (utf16be(&doc(None, TEXT), true), Encoding::UTF_16BE),
    ] {
        let decoded = decode(&input).unwrap();
        assert_eq!(decoded.encoding(), encoding);
        assert!(!decoded.is_borrowed());
        assert_eq!(written(&input), expected, "{encoding}");
        let report = iodef::rt::validate::validate(&input);
        assert!(report.is_valid(), "{encoding}: {:?}", report.errors);
    }
}

#[test]
fn utf16_without_a_byte_order_mark_needs_its_declaration() {
    let expected = written(doc(Some("UTF-8"), TEXT).as_bytes());
    for input in [
        utf16le(&doc(Some("UTF-16"), TEXT), false),
        utf16be(&doc(Some("UTF-16"), TEXT), false),
        utf16le(&doc(Some("UTF-16LE"), TEXT), false),
        utf16be(&doc(Some("UTF-16BE"), TEXT), false),
    ] {
        assert_eq!(written(&input), expected);
    }
    // `<?xml` in UTF-16 without an encoding: XML 1.0 §4.3.3 requires one.
    let e = iodef::read(&utf16le(&doc(None, TEXT), false)).unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.line, e.column),
        (ErrorKind::Encoding, 1, 1),
        "{e}"
    );
    assert!(e.message.contains("must name the encoding"), "{e}");
    // No declaration, no byte-order mark.
    let body = doc(None, TEXT);
    let body = &body[body.find('\n').unwrap() + 1..];
    let e = iodef::read(&utf16le(body, false)).unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.line, e.column),
        (ErrorKind::Encoding, 1, 1),
        "{e}"
    );
    assert!(e.message.contains("looks like UTF-16"), "{e}");
}

#[test]
fn utf8_with_a_byte_order_mark_is_not_copied() {
    let plain = doc(Some("UTF-8"), TEXT);
    let mut input = vec![0xEF, 0xBB, 0xBF];
    input.extend_from_slice(plain.as_bytes());
    let decoded = decode(&input).unwrap();
    assert!(decoded.is_borrowed());
    assert_eq!(decoded.encoding(), Encoding::UTF_8);
    assert_eq!(decoded.as_bytes(), &input[..]);
    assert!(decode(plain.as_bytes()).unwrap().is_borrowed());
    assert_eq!(written(&input), written(plain.as_bytes()));
    // Same without any declaration.
    let mut no_decl = vec![0xEF, 0xBB, 0xBF];
    no_decl.extend_from_slice(&plain.as_bytes()[plain.find('\n').unwrap() + 1..]);
    assert_eq!(written(&no_decl), written(plain.as_bytes()));
}

#[test]
fn iso_8859_1_is_latin1_exactly_and_windows_1252_is_not() {
    // 0x85 is U+0085 in ISO-8859-1, "…" in windows-1252; 0x80 is "€" in windows-1252.
    let text = "é\u{85}ÿ";
    let input = latin1(&doc(Some("ISO-8859-1"), text));
    assert!(input.contains(&0x85) && input.contains(&0xE9));
    let decoded = decode(&input).unwrap();
    assert_eq!(decoded.encoding(), Encoding::ISO_8859_1);
    assert_eq!(decoded.declared_encoding(), Some("ISO-8859-1"));
    let out = written(&input);
    assert!(out.contains("<Description>é\u{85}ÿ</Description>"), "{out}");
    for label in ["latin1", "iso_8859-1", "L1"] {
        let input = latin1(&doc(Some(label), text));
        assert_eq!(written(&input), out, "{label}");
    }
    let input = latin1(&doc(Some("windows-1252"), text));
    let out = written(&input);
    assert!(out.contains("<Description>é…ÿ</Description>"), "{out}");
    // The euro sign is byte 0x80 in windows-1252.
    let mut input = latin1(&doc(Some("windows-1252"), "5 #"));
    let x = input.iter().position(|&b| b == b'#').unwrap();
    input[x] = 0x80;
    let out = written(&input);
    assert!(out.contains("<Description>5 €</Description>"), "{out}");
    assert!(iodef::rt::validate::validate(&input).is_valid());
}

#[test]
fn shift_jis_and_us_ascii_are_read() {
    // "あ" is 0x82 0xA0 in Shift_JIS.
    let mut input = doc(Some("Shift_JIS"), "#").into_bytes();
    let at = input.iter().position(|&b| b == b'#').unwrap();
    input.splice(at..=at, [0x82, 0xA0]);
    assert!(written(&input).contains("<Description>あ</Description>"));
    // ASCII-only text is not copied, whatever ASCII-compatible encoding it declares.
    for (label, encoding) in [
        ("US-ASCII", Encoding::US_ASCII),
        ("ISO-8859-1", Encoding::ISO_8859_1),
        ("windows-1252", Encoding::WINDOWS_1252),
    ] {
        let ascii = doc(Some(label), "plain");
        let decoded = decode(ascii.as_bytes()).unwrap();
        assert_eq!(decoded.encoding(), encoding);
        assert!(decoded.is_borrowed(), "{label}");
        assert!(iodef::read(ascii.as_bytes()).is_ok());
    }
    // ISO-2022-JP: ASCII escape sequences switch to JIS X 0208 ("あ" is ESC $ B 0x24 0x22).
    let jis = doc(Some("ISO-2022-JP"), "\u{1b}$B$\"\u{1b}(B");
    let decoded = decode(jis.as_bytes()).unwrap();
    assert!(!decoded.is_borrowed());
    assert!(written(jis.as_bytes()).contains("<Description>あ</Description>"));
}

/// The error of reading `input`: kind Encoding, at `line:column`, message containing `needle`;
/// the validator reports the same error.
#[track_caller]
fn assert_encoding_error(input: &[u8], line: u64, column: u64, needle: &str) {
    let e = iodef::read(input).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Encoding, "{e}");
    assert_eq!(
        (e.line, e.column, e.path.as_str()),
        (line, column, "/"),
        "{e}"
    );
    assert!(e.message.contains(needle), "{e}");
    let report = iodef::rt::validate::validate(input);
    assert_eq!(report.errors, vec![e.clone()]);
    assert_eq!(decode(input).unwrap_err(), e);
}

#[test]
fn contradictions_and_unknown_encodings_are_located_errors() {
    // The encoding name starts at column 31 of `<?xml version="1.0" encoding="...`.
    let mut bom_latin1 = vec![0xEF, 0xBB, 0xBF];
    bom_latin1.extend_from_slice(&latin1(&doc(Some("ISO-8859-1"), "x")));
    assert_encoding_error(
        &bom_latin1,
        1,
        31,
        "UTF-8 byte-order mark but declares encoding \"ISO-8859-1\"",
    );
    assert_encoding_error(
        &utf16le(&doc(Some("ISO-8859-1"), "x"), true),
        1,
        31,
        "UTF-16LE byte-order mark but declares encoding \"ISO-8859-1\"",
    );
    assert_encoding_error(
        &utf16le(&doc(Some("UTF-16BE"), "x"), true),
        1,
        31,
        "UTF-16LE byte-order mark but declares encoding \"UTF-16BE\"",
    );
    assert_encoding_error(
        &utf16be(&doc(Some("UTF-8"), "x"), false),
        1,
        31,
        "UTF-16BE bytes but declares encoding \"UTF-8\"",
    );
    assert_encoding_error(
        doc(Some("UTF-16"), "x").as_bytes(),
        1,
        31,
        "declares encoding \"UTF-16\" but is not UTF-16",
    );
    assert_encoding_error(
        doc(Some("UTF-16LE"), "x").as_bytes(),
        1,
        31,
        "declares encoding \"UTF-16LE\" but is not UTF-16",
    );
    assert_encoding_error(
        doc(Some("klingon"), "x").as_bytes(),
        1,
        31,
        "unknown encoding \"klingon\"",
    );
    assert_encoding_error(doc(Some("UTF-32"), "x").as_bytes(), 1, 31, "not supported");
    assert_encoding_error(
        &utf16le(&doc(Some("klingon"), "x"), true),
        1,
        31,
        "unknown encoding \"klingon\"",
    );
    // UTF-32 (by byte-order mark or by its first character) and EBCDIC are refused by name.
    let mut utf32 = vec![0xFF, 0xFE, 0x00, 0x00];
    for c in doc(None, "x").chars() {
        utf32.extend_from_slice(&u32::from(c).to_le_bytes());
    }
    assert_encoding_error(&utf32, 1, 1, "UTF-32");
    assert_encoding_error(&utf32[4..], 1, 1, "UTF-32");
    assert_encoding_error(&[0x4C, 0x6F, 0xA7, 0x94, 0x40], 1, 1, "EBCDIC");
}

#[test]
fn invalid_bytes_are_located_in_characters_of_the_document() {
    // US-ASCII: é (0xE9) on line 6, after `    <Description>ab`.
    let mut input = latin1(&doc(Some("US-ASCII"), "abé"));
    assert_encoding_error(
        &input,
        6,
        20,
        "byte 0xE9 is not valid in the declared encoding \"US-ASCII\"",
    );
    input.retain(|&b| b != 0xE9);
    assert!(iodef::read(&input).is_ok());
    // Shift_JIS: two "あ" (0x82 0xA0), then 0xFF, which no Shift_JIS character starts with.
    let mut sjis = doc(Some("Shift_JIS"), "#").into_bytes();
    let at = sjis.iter().position(|&b| b == b'#').unwrap();
    sjis.splice(at..=at, [0x82, 0xA0, 0x82, 0xA0, 0xFF]);
    assert_encoding_error(
        &sjis,
        6,
        20,
        "byte 0xFF is not valid in the encoding \"Shift_JIS\"",
    );
    // UTF-16LE: a lone low surrogate after "éé" on line 6.
    let mut units: Vec<u16> = doc(Some("UTF-16"), "éé#").encode_utf16().collect();
    let at = units.iter().position(|&u| u == u16::from(b'#')).unwrap();
    units[at] = 0xDC00;
    let mut input = vec![0xFF, 0xFE];
    units
        .iter()
        .for_each(|u| input.extend_from_slice(&u.to_le_bytes()));
    assert_encoding_error(&input, 6, 20, "are not valid in the encoding \"UTF-16LE\"");
    // An odd number of bytes: the last character is cut.
    let mut input = utf16le(&doc(Some("UTF-16"), "x"), true);
    input.push(b'\n');
    assert_encoding_error(&input, 12, 1, "ends inside a character");
}

#[test]
fn later_errors_count_characters_of_the_document() {
    // `<Bogus/>` follows non-ASCII text on line 6: its column counts characters.
    let text = "ééé – ü";
    let utf8 = doc_with(Some("UTF-8"), text, "<Bogus/>");
    let line6 = utf8.lines().nth(5).unwrap();
    let column = line6[..line6.find("<Bogus").unwrap()].chars().count() as u64 + 1;
    assert_eq!(column, 39);
    let windows = |s: &str| {
        s.chars()
            .map(|c| {
                if c == '–' {
                    0x96
                } else {
                    u8::try_from(u32::from(c)).unwrap()
                }
            })
            .collect::<Vec<u8>>()
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(utf8.as_bytes());
    let crlf = doc_with(Some("UTF-16"), text, "<Bogus/>").replace('\n', "\r\n");
    for (what, input) in [
        ("UTF-8", utf8.clone().into_bytes()),
        ("UTF-8 BOM", bom),
        (
            "UTF-16LE",
            utf16le(&doc_with(Some("UTF-16"), text, "<Bogus/>"), true),
        ),
        ("UTF-16BE", utf16be(&doc_with(None, text, "<Bogus/>"), true)),
        ("UTF-16LE CRLF", utf16le(&crlf, true)),
        (
            "windows-1252",
            windows(&doc_with(Some("windows-1252"), text, "<Bogus/>")),
        ),
    ] {
        let e = iodef::read(&input).unwrap_err();
        // The typed reader stops at `Bogus` where it expected Contact.
        assert_eq!(e.kind, ErrorKind::MissingElement, "{what}: {e}");
        assert_eq!((e.line, e.column), (6, column), "{what}: {e}");
        let report = iodef::rt::validate::validate(&input);
        let first = &report.errors[0];
        assert_eq!((first.line, first.column), (6, column), "{what}: {first}");
        assert_eq!(first.path, "/IODEF-Document/Incident[1]/Bogus[1]", "{what}");
    }
}

#[test]
fn prose_rules_see_the_declared_encoding_name() {
    let latin = latin1(&doc(Some("ISO-8859-1"), "é"));
    let findings = iodef::rules::check(&latin);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule, "RFC 7970 §4.1");
    assert!(
        findings[0].message.contains("\"ISO-8859-1\""),
        "{:?}",
        findings[0]
    );
    for input in [
        utf16le(&doc(Some("UTF-16"), TEXT), true),
        utf16be(&doc(Some("UTF-16"), TEXT), false),
        doc(Some("UTF-8"), TEXT).into_bytes(),
    ] {
        assert_eq!(iodef::rules::check(&input), vec![]);
    }
    // No encoding in a UTF-16 document's declaration: §4.1 (v2) wants one.
    let findings = iodef::rules::check(&utf16le(&doc(None, TEXT), true));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0]
        .message
        .contains("MUST specify the character encoding"));
}

#[test]
fn entities_are_expanded_in_the_document_encoding() {
    let with_doctype = doc(Some("UTF-16"), "&org; €").replacen(
        "\n<IODEF-Document",
        "\n<!DOCTYPE IODEF-Document [<!ENTITY org \"Équipe\">]>\n<IODEF-Document",
        1,
    );
    for input in [utf16le(&with_doctype, true), utf16be(&with_doctype, false)] {
        assert_eq!(iodef::read(&input).unwrap_err().kind, ErrorKind::Doctype);
        let expanded = expand_internal_entities(&input, &EntityLimits::default()).unwrap();
        let same = decode(&input).unwrap().encoding();
        assert_eq!(decode(&expanded).unwrap().encoding(), same, "same encoding");
        let out = written(&expanded);
        assert!(out.contains("<Description>Équipe €</Description>"), "{out}");
    }
    // An entity error is located in characters of the document.
    let bad = doc(Some("UTF-16"), "ü &nope;").replacen(
        "\n<IODEF-Document",
        "\n<!DOCTYPE IODEF-Document [<!ENTITY org \"x\">]>\n<IODEF-Document",
        1,
    );
    let e = expand_internal_entities(&utf16le(&bad, true), &EntityLimits::default()).unwrap_err();
    assert_eq!((e.line, e.column), (7, 20), "{e}");
}

#[test]
fn text_is_not_checked_against_its_declaration_and_raw_readers_want_utf8() {
    // A &str is characters already: its declaration's encoding is not applied.
    let text = doc(Some("UTF-16"), TEXT);
    let doc = Document::<iodef::v2::IodefDocument>::from_str(&text).unwrap();
    assert_eq!(doc.root.incident.len(), 1);
    // Bytes given to XmlReader directly are UTF-8: another declared encoding needs decode().
    let input = latin1(&self::doc(Some("ISO-8859-1"), "plain"));
    let e = XmlReader::new(&input).root().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Encoding);
    assert!(e.message.contains("iodef::rt::encoding::decode"), "{e}");
    let decoded = decode(&input).unwrap();
    let mut r = decoded.reader();
    assert_eq!(r.root().unwrap().local, "IODEF-Document");
}

#[test]
fn writes_utf16_with_a_byte_order_mark_and_reads_it_back() {
    let doc = iodef::read(doc(Some("UTF-8"), TEXT).as_bytes()).unwrap();
    let utf8 = doc.to_xml_string();
    assert!(utf8.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    let as_utf16 = utf8.replacen(r#"encoding="UTF-8""#, r#"encoding="UTF-16""#, 1);
    for (encoding, expected) in [
        (Encoding::UTF_16LE, utf16le(&as_utf16, true)),
        (Encoding::UTF_16BE, utf16be(&as_utf16, true)),
    ] {
        let out = doc.to_xml_bytes_with(&WriteOptions { encoding }).unwrap();
        assert_eq!(out, expected, "{encoding}");
        assert_eq!(written(&out), utf8);
        let mut streamed = Vec::new();
        doc.write_to_with(&mut streamed, &WriteOptions { encoding })
            .unwrap();
        assert_eq!(streamed, out);
    }
    assert_eq!(
        doc.to_xml_bytes_with(&WriteOptions::default()).unwrap(),
        utf8.as_bytes()
    );
}

#[test]
fn single_byte_outputs_use_character_references_in_text_and_attributes() {
    let input = doc(Some("UTF-8"), "é € ✓").replacen(
        r#"name="csirt.example.com">492382"#,
        r#"name="csirt.example.com">€492382"#,
        1,
    );
    let input = input.replacen(
        r#"<Contact type="organization""#,
        r#"<Contact type="ext-value" ext-type="équipe-€""#,
        1,
    );
    let doc = iodef::read(input.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let utf8 = doc.to_xml_string();
    for (encoding, decl, description, attribute) in [
        (
            Encoding::ISO_8859_1,
            "ISO-8859-1",
            &b"<Description>\xE9 &#x20AC; &#x2713;</Description>"[..],
            &b"ext-type=\"\xE9quipe-&#x20AC;\""[..],
        ),
        (
            Encoding::WINDOWS_1252,
            "windows-1252",
            b"<Description>\xE9 \x80 &#x2713;</Description>",
            b"ext-type=\"\xE9quipe-\x80\"",
        ),
        (
            Encoding::US_ASCII,
            "US-ASCII",
            b"<Description>&#xE9; &#x20AC; &#x2713;</Description>",
            b"ext-type=\"&#xE9;quipe-&#x20AC;\"",
        ),
    ] {
        let out = doc.to_xml_bytes_with(&WriteOptions { encoding }).unwrap();
        let head = format!(r#"<?xml version="1.0" encoding="{decl}"?>"#);
        assert!(out.starts_with(head.as_bytes()), "{encoding}");
        let has = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
        assert!(
            has(description),
            "{encoding}: {}",
            String::from_utf8_lossy(&out)
        );
        assert!(
            has(attribute),
            "{encoding}: {}",
            String::from_utf8_lossy(&out)
        );
        // Read back: the same document.
        assert_eq!(written(&out), utf8, "{encoding}");
    }
}

#[test]
fn a_name_or_comment_the_encoding_cannot_hold_is_an_error() {
    let extension = |content: &str| {
        doc(Some("UTF-8"), "x").replacen(
            "</Contact>",
            &format!(r#"</Contact><AdditionalData dtype="xml">{content}</AdditionalData>"#),
            1,
        )
    };
    for (content, what) in [
        (
            r#"<ex:Ωmega xmlns:ex="urn:example:ext">1</ex:Ωmega>"#,
            "element name",
        ),
        (
            r#"<ex:data xmlns:ex="urn:example:ext" ex:Ω="1"/>"#,
            "attribute name",
        ),
        (r#"<ex:data xmlns:ex="urn:example:Ω"/>"#, "namespace name"),
        ("<!-- Ω -->", "comment"),
    ] {
        let doc = iodef::read(extension(content).as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let e = doc
            .to_xml_bytes_with(&WriteOptions {
                encoding: Encoding::ISO_8859_1,
            })
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
        let message = e.to_string();
        assert!(
            message.contains(what) && message.contains("U+03A9") && message.contains("ISO-8859-1"),
            "{message}"
        );
        // UTF-16 holds every character.
        let out = doc
            .to_xml_bytes_with(&WriteOptions {
                encoding: Encoding::UTF_16LE,
            })
            .unwrap();
        assert_eq!(written(&out), doc.to_xml_string());
    }
}

#[test]
fn labels() {
    for (label, name) in [
        ("UTF-8", "UTF-8"),
        ("utf8", "UTF-8"),
        ("UTF-16", "UTF-16LE"),
        ("UTF-16BE", "UTF-16BE"),
        ("ISO-8859-1", "ISO-8859-1"),
        ("latin1", "ISO-8859-1"),
        ("ascii", "US-ASCII"),
        ("cp1252", "windows-1252"),
        ("ISO-8859-15", "ISO-8859-15"),
        ("Shift_JIS", "Shift_JIS"),
    ] {
        assert_eq!(
            Encoding::for_label(label).map(Encoding::name),
            Ok(name),
            "{label}"
        );
    }
    for label in [
        "klingon",
        "utf-32",
        "UCS-4",
        "x-user-defined",
        "replacement",
        "",
    ] {
        assert!(Encoding::for_label(label).is_err(), "{label}");
    }
    assert_eq!(Encoding::UTF_16BE.xml_name(), "UTF-16");
    assert!(Encoding::ISO_8859_1.can_encode('ÿ') && !Encoding::ISO_8859_1.can_encode('€'));
    assert!(Encoding::WINDOWS_1252.can_encode('€') && !Encoding::WINDOWS_1252.can_encode('Ā'));
}
