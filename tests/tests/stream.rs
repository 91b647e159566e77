//! Streaming (`iodef::stream`, `rt::stream`) against whole-document reading and writing:
//! equal values and identical output on every schema-valid IODEF-Document of the corpus
//! (1.0 and 2.0) and on bulk documents of many parts; the same error (message, path,
//! line:column) on invalid ones, wherever the problem is; IDs across parts.

use iodef_tests::mutate::replace_at;
use std::io::Cursor;

use iodef::rt::stream::{StreamReader, StreamWriter};
use iodef::rt::{codec::Composite, RootElement};
use iodef::{v1, v2, Document};
use iodef_tests::{bulk, corpus};

/// Header and parts of `xml` read in streaming.
fn stream<T: RootElement + Composite + Default + Clone>(
    xml: &[u8],
) -> Result<(Document<T>, Vec<T>), iodef::Error> {
    let mut reader = StreamReader::<_, T>::new(Cursor::new(xml.to_vec()))?;
    let mut parts = Vec::new();
    while let Some(part) = reader.next_part()? {
        parts.push(part);
    }
    Ok((reader.header().clone(), parts))
}

/// What the stream writer writes for a header and parts.
fn written<T: RootElement + Composite>(header: &Document<T>, parts: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = StreamWriter::new(&mut out, header).unwrap();
    for part in parts {
        w.write_part(part).unwrap();
    }
    w.finish(&header.epilog).unwrap();
    out
}

/// The stream writer writes what whole-document writing writes.
fn same_bytes<T: RootElement + Composite>(
    whole: &Document<T>,
    header: &Document<T>,
    parts: &[T],
    name: &str,
) {
    let mut expected = Vec::new();
    whole.write_to(&mut expected).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&written(header, parts)),
        String::from_utf8_lossy(&expected),
        "{name}"
    );
}

macro_rules! assemble {
    ($header:expr, $parts:expr, $whole:expr) => {{
        let mut root = $header.root.clone();
        for part in $parts {
            root.incident.extend(part.incident.iter().cloned());
        }
        root.extra = $whole.root.extra.clone();
        root
    }};
}

#[test]
fn corpus_documents_stream_as_they_read_whole() {
    let mut tried = (0, 0);
    for entry in corpus::manifest().unwrap() {
        if !entry.xmlschema_valid {
            continue;
        }
        let xml = std::fs::read(&entry.file).unwrap();
        if let Ok(whole) = Document::<v2::IodefDocument>::from_slice(&xml) {
            let (header, parts) =
                stream::<v2::IodefDocument>(&xml).unwrap_or_else(|e| panic!("{}: {e}", entry.path));
            let mut root = assemble!(header, &parts, whole);
            for part in &parts {
                root.additional_data
                    .extend(part.additional_data.iter().cloned());
            }
            assert_eq!(root, whole.root, "{}", entry.path);
            assert_eq!(
                (&header.xsi, &header.prolog, &header.epilog),
                (&whole.xsi, &whole.prolog, &whole.epilog),
                "{}",
                entry.path
            );
            same_bytes(&whole, &header, &parts, &entry.path);
            tried.0 += 1;
        } else if let Ok(whole) = Document::<v1::IodefDocument>::from_slice(&xml) {
            let (header, parts) =
                stream::<v1::IodefDocument>(&xml).unwrap_or_else(|e| panic!("{}: {e}", entry.path));
            let root = assemble!(header, &parts, whole);
            assert_eq!(root, whole.root, "{}", entry.path);
            same_bytes(&whole, &header, &parts, &entry.path);
            tried.1 += 1;
        }
    }
    eprintln!(
        "streamed {} IODEF 2.0 and {} IODEF 1.0 corpus documents",
        tried.0, tried.1
    );
    assert!(tried.0 >= 15 && tried.1 >= 5, "{tried:?}");
}

#[test]
fn a_bulk_document_streams_in_many_parts_with_identical_output() {
    let bulk = bulk::build(2 << 20).unwrap();
    let whole = Document::<v2::IodefDocument>::from_slice(&bulk.xml).unwrap();
    let (header, parts) = stream::<v2::IodefDocument>(&bulk.xml).unwrap();
    assert!(parts.len() >= 20, "{} parts", parts.len());
    let root = assemble!(header, &parts, whole);
    assert_eq!(root.incident.len(), bulk.incidents);
    assert_eq!(root, whole.root);
    let mut expected = Vec::new();
    whole.write_to(&mut expected).unwrap();
    assert!(written(&header, &parts) == expected);
    // Built values pushed one Incident at a time write what the whole document writes.
    let singles: Vec<v2::IodefDocument> = whole
        .root
        .incident
        .iter()
        .map(|i| v2::IodefDocument {
            incident: vec![i.clone()],
            ..Default::default()
        })
        .collect();
    assert!(written(&header, &singles) == expected);
    // The facade's Incident iterator.
    let incidents: Vec<v2::Incident> = iodef::stream::incidents(&bulk.xml[..])
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(incidents, whole.root.incident);
}

#[test]
fn errors_in_later_parts_are_the_whole_readers_errors() {
    let bulk = bulk::build(1 << 20).unwrap();
    let xml = String::from_utf8(bulk.xml).unwrap();
    let cases = [
        // A bad enumeration value deep in the document.
        replace_at(&xml, "purpose=\"", "purpose=\"nonsense-", 0.75),
        // An element where none is allowed, in a late Incident.
        replace_at(&xml, "<GenerationTime>", "<Bogus/><GenerationTime>", 0.99),
        // Malformed XML (mismatched end tag) in the middle.
        replace_at(&xml, "</GenerationTime>", "</GenerationTimes>", 0.5),
        // Text where only elements are allowed, between Incidents.
        replace_at(&xml, "</Incident>", "</Incident>stray text", 0.33),
        // Truncated input.
        xml[..xml.len() * 2 / 3].to_string(),
        // Content after the root element.
        format!("{xml}<Incident/>"),
        // The last Incident's close tag replaced by the root's (and so on).
        // An Incident after the trailing AdditionalData.
        xml.replacen(
            "</IODEF-Document>",
            "<AdditionalData dtype=\"string\">x</AdditionalData><Incident/></IODEF-Document>",
            1,
        ),
    ];
    for (i, bad) in cases.iter().enumerate() {
        let whole = Document::<v2::IodefDocument>::from_slice(bad.as_bytes())
            .expect_err("the whole reader refuses it");
        let streamed =
            stream::<v2::IodefDocument>(bad.as_bytes()).expect_err("streaming refuses it");
        assert_eq!(
            (streamed.line, streamed.column, &streamed.path),
            (whole.line, whole.column, &whole.path),
            "case {i}: streamed {streamed} / whole {whole}"
        );
        if i < 2 {
            assert_eq!(streamed.message, whole.message, "case {i}");
        }
    }
}

#[test]
fn ids_and_idrefs_are_checked_across_parts() {
    let bulk = bulk::build(1 << 20).unwrap();
    let xml = String::from_utf8(bulk.xml).unwrap();
    let ids: Vec<&str> = xml
        .match_indices("observable-id=\"")
        .map(|(at, m)| {
            let rest = &xml[at + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(ids.len() > 10);
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    // A duplicate of the first ID at the end of the document.
    let duplicate = xml.replacen(
        &format!("observable-id=\"{last}\""),
        &format!("observable-id=\"{first}\""),
        1,
    );
    // A reference from the first part to the last one's ID (forward) resolves.
    // A dangling reference in the middle.
    let refs = xml.matches("uid-ref=\"").count();
    assert!(refs > 2);
    let at = xml.match_indices("uid-ref=\"").nth(refs / 2).unwrap().0 + "uid-ref=\"".len();
    let dangling = format!("{}nowhere-{}", &xml[..at], &xml[at..]);
    for bad in [&duplicate, &dangling] {
        let whole = Document::<v2::IodefDocument>::from_slice(bad.as_bytes()).unwrap_err();
        let streamed = stream::<v2::IodefDocument>(bad.as_bytes()).unwrap_err();
        assert_eq!(streamed, whole);
    }
    // A forward reference: the first uid-ref names the last observable-id.
    let at = xml.find("uid-ref=\"").unwrap() + "uid-ref=\"".len();
    let end = at + xml[at..].find('"').unwrap();
    let forward = format!("{}{last}{}", &xml[..at], &xml[end..]);
    let whole = Document::<v2::IodefDocument>::from_slice(forward.as_bytes()).unwrap();
    let (header, parts) = stream::<v2::IodefDocument>(forward.as_bytes()).unwrap();
    assert_eq!(assemble!(header, &parts, whole), whole.root);
}

#[test]
fn other_encodings_and_byte_order_marks_stream() {
    let bulk = bulk::build(300 << 10).unwrap();
    let whole = Document::<v2::IodefDocument>::from_slice(&bulk.xml).unwrap();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&bulk.xml);
    let utf16 = whole
        .to_xml_bytes_with(&iodef::rt::WriteOptions {
            encoding: iodef::rt::Encoding::UTF_16LE,
        })
        .unwrap();
    for input in [bom, utf16] {
        let (header, parts) = stream::<v2::IodefDocument>(&input).unwrap();
        assert_eq!(assemble!(header, &parts, whole), whole.root);
    }
}

#[test]
fn a_root_of_another_type_is_refused() {
    let xml = std::fs::read(corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml")).unwrap();
    let e = stream::<v1::IodefDocument>(&xml).unwrap_err();
    assert!(e.message.contains("unexpected root element"), "{e}");
    assert_eq!((e.line > 0, e.column > 0), (true, true));
}

#[test]
fn a_part_larger_than_the_bound_is_refused_not_buffered() {
    let description = format!("<Description>{}</Description>\n", "x".repeat(1000));
    let count = iodef::rt::stream::MAX_PART_BYTES / description.len() + 10;
    let mut xml = String::from(
        r#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
<Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
"#,
    );
    xml.reserve(count * description.len() + 256);
    for _ in 0..count {
        xml.push_str(&description);
    }
    xml.push_str("<GenerationTime>2015-07-18T09:00:00Z</GenerationTime><Contact role=\"creator\" type=\"organization\"/></Incident></IODEF-Document>");
    let e = stream::<v2::IodefDocument>(xml.as_bytes()).unwrap_err();
    assert_eq!(e.kind, iodef::rt::ErrorKind::Limit, "{e}");
    assert_eq!(
        (e.line, e.column, e.path.as_str()),
        (1, 73, "/IODEF-Document"),
        "{e}"
    );
}
