//! Bulk IODEF 2.0 documents of any size for benchmarks and linearity tests: the `Incident`
//! elements of the schema-valid IODEF 2.0 examples in `../shared/corpus`, replicated round-robin
//! under one `IODEF-Document` root; `observable-id`/`uid-ref` values and `IndicatorID`/`IncidentID`
//! content get a per-copy suffix so that the result stays schema-valid (xs:ID values are unique).

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::name::{Namespace, PrefixDeclaration, ResolveResult};
use quick_xml::NsReader;

/// The IODEF 2.0 namespace.
pub const IODEF2_NS: &str = "urn:ietf:params:xml:ns:iodef-2.0";
const DS_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Schema-valid IODEF 2.0 documents of the shared corpus whose Incidents are replicated (they
/// also meet the prose rules but for the root's §4.2/§6, which the bulk root provides).
pub const SOURCES: &[&str] = &[
    "rfc7970/rfc7970-7.1-minimal.xml",
    "rfc8274/rfc8274-B.1-malware-delivery-url.xml",
    // Not B.2 (its empty `<Node/>` breaks RFC 7970 §3.18) nor B.3 (DomainData without the
    // `system-status`/`domain-status` §3.19 requires): the bulk document must pass
    // `iodef validate` whole.
    "rfc8274/rfc8274-B.4-malware.xml",
    "rfc8274/rfc8274-B.5-iot-malware.xml",
];

/// The bulk document and what went into it.
pub struct Bulk {
    pub xml: Vec<u8>,
    /// `Incident` elements in it.
    pub incidents: usize,
    /// Distinct Incidents replicated.
    pub templates: usize,
}

/// Namespace declarations of a source root plus the text of its direct `Incident` children.
struct Source {
    decls: Vec<(String, String)>,
    incidents: Vec<String>,
}

fn extract(path: &Path) -> Result<Source, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let bytes = text.as_bytes();
    let mut reader = NsReader::from_reader(bytes);
    let mut depth = 0usize;
    let mut decls = Vec::new();
    let mut incidents = Vec::new();
    let mut incident_start: Option<usize> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let in_iodef2 =
            matches!(ns, ResolveResult::Bound(Namespace(n)) if n == IODEF2_NS.as_bytes());
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name();
                if depth == 0 {
                    if !in_iodef2 || local.as_ref() != b"IODEF-Document" {
                        return Err(format!(
                            "{}: root is not an IODEF 2.0 document",
                            path.display()
                        ));
                    }
                    for attr in e.attributes() {
                        let attr = attr.map_err(|err| format!("{}: {err}", path.display()))?;
                        let prefix = match attr.key.as_namespace_binding() {
                            Some(PrefixDeclaration::Default) => String::new(),
                            Some(PrefixDeclaration::Named(p)) => {
                                String::from_utf8_lossy(p).into_owned()
                            }
                            None => continue,
                        };
                        let value = String::from_utf8_lossy(&attr.value).into_owned();
                        decls.push((prefix, value));
                    }
                } else if depth == 1 && in_iodef2 && local.as_ref() == b"Incident" {
                    if empty {
                        incidents.push(text[before..reader.buffer_position() as usize].to_owned());
                    } else {
                        incident_start = Some(before);
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth -= 1;
                if depth == 1 {
                    if let Some(start) = incident_start.take() {
                        incidents.push(text[start..reader.buffer_position() as usize].to_owned());
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if incidents.is_empty() {
        return Err(format!("{}: no Incident element", path.display()));
    }
    Ok(Source { decls, incidents })
}

/// A schema-valid IODEF 2.0 document of about `target_bytes` bytes (at least one Incident),
/// whose root also satisfies RFC 7970 §4.2 and §6 (`xsi:schemaLocation`, `xml:lang`).
pub fn build(target_bytes: usize) -> Result<Bulk, String> {
    let dir = crate::corpus::corpus_dir();
    // Declarations of the synthetic root: the ones the brief fixes, then every declaration
    // found on a source root (same prefix must mean the same namespace everywhere).
    let mut decls: Vec<(String, String)> = vec![
        (String::new(), IODEF2_NS.to_owned()),
        ("ds".to_owned(), DS_NS.to_owned()),
        ("xsi".to_owned(), XSI_NS.to_owned()),
    ];
    let mut templates = Vec::new();
    for rel in SOURCES {
        let path = dir.join(rel);
        let src = extract(&path)?;
        for (prefix, uri) in src.decls {
            match decls.iter().find(|(p, _)| *p == prefix) {
                Some((_, u)) if *u == uri => {}
                Some((_, u)) => {
                    return Err(format!(
                        "{}: prefix {prefix:?} bound to {uri}, elsewhere to {u}",
                        path.display()
                    ))
                }
                None => decls.push((prefix, uri)),
            }
        }
        templates.extend(src.incidents);
    }

    let mut head = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IODEF-Document version=\"2.00\" xml:lang=\"en\" \
         xsi:schemaLocation=\"{IODEF2_NS} https://www.iana.org/assignments/xml-registry/schema/iodef-2.0.xsd\"",
    );
    for (prefix, uri) in &decls {
        if prefix.is_empty() {
            head.push_str(&format!(" xmlns=\"{uri}\""));
        } else {
            head.push_str(&format!(" xmlns:{prefix}=\"{uri}\""));
        }
    }
    head.push('>');
    let sep = "\n  ";
    let tail = "\n</IODEF-Document>\n";

    // Room for the target plus one more Incident (with renamed IDs): never reallocates.
    let longest = templates.iter().map(String::len).max().unwrap_or(0);
    let mut xml = Vec::with_capacity(target_bytes + head.len() + tail.len() + 2 * longest + 64);
    xml.extend_from_slice(head.as_bytes());
    let mut incidents = 0usize;
    while xml.len() + tail.len() < target_bytes || incidents == 0 {
        xml.extend_from_slice(sep.as_bytes());
        let copy = incidents / templates.len();
        push_with_unique_ids(&mut xml, &templates[incidents % templates.len()], copy);
        incidents += 1;
    }
    xml.extend_from_slice(tail.as_bytes());
    Ok(Bulk {
        xml,
        incidents,
        templates: templates.len(),
    })
}

/// The content of each `element` (`IndicatorID`, an xs:ID; `IncidentID`, unique per document by
/// RFC 7970 §3.4) gets the suffix `.{copy}` in copy `copy` > 0.
fn unique_content(incident: &str, element: &str, copy: usize) -> String {
    if copy == 0 {
        return incident.to_string();
    }
    let mut out = String::with_capacity(incident.len() + 64);
    let mut rest = incident;
    while let Some(at) = rest.find(element) {
        // `<element` or `<prefix:element` (not an end tag, not another name's tail).
        let tag = rest[..at].rfind('<').map_or("", |lt| &rest[lt..at]);
        let is_start_tag = !tag.starts_with("</")
            && tag.starts_with('<')
            && tag[1..].chars().all(|c| c != ' ' && c != '>' && c != '"');
        let Some(gt) = rest[at..].find('>').map(|i| at + i + 1) else {
            break;
        };
        if !is_start_tag || rest[..gt].ends_with("/>") {
            out.push_str(&rest[..gt]);
            rest = &rest[gt..];
            continue;
        }
        let text_end = gt + rest[gt..].find('<').unwrap_or(rest.len() - gt);
        let value_end = gt + rest[gt..text_end].trim_end().len();
        out.push_str(&rest[..value_end]);
        out.push_str(&format!(".{copy}"));
        rest = &rest[value_end..];
    }
    out.push_str(rest);
    out
}

/// Appends `incident`, keeping xs:ID values unique across copies: in copy `copy` > 0 every
/// `observable-id` (xs:ID) and `uid-ref` (xs:IDREF) value gets the suffix `.{copy}`.
fn push_with_unique_ids(out: &mut Vec<u8>, incident: &str, copy: usize) {
    const NAMES: [&str; 2] = ["observable-id", "uid-ref"];
    let incident = unique_content(
        &unique_content(incident, "IndicatorID", copy),
        "IncidentID",
        copy,
    );
    let mut rest = incident.as_str();
    if copy > 0 {
        while let Some((at, name)) = NAMES
            .iter()
            .filter_map(|n| rest.find(n).map(|i| (i, *n)))
            .min()
        {
            let after_name = at + name.len();
            // ` name = "value"` with optional whitespace around `=`: the end of the value.
            let value_end = (|| {
                if at == 0 || !rest.as_bytes()[at - 1].is_ascii_whitespace() {
                    return None;
                }
                let tail = rest[after_name..]
                    .trim_start()
                    .strip_prefix('=')?
                    .trim_start();
                let quote = tail.chars().next().filter(|q| matches!(q, '"' | '\''))?;
                let value_start = rest.len() - tail.len() + 1;
                Some(value_start + rest[value_start..].find(quote)?)
            })();
            match value_end {
                Some(end) => {
                    out.extend_from_slice(&rest.as_bytes()[..end]);
                    out.extend_from_slice(format!(".{copy}").as_bytes());
                    rest = &rest[end..];
                }
                None => {
                    out.extend_from_slice(&rest.as_bytes()[..after_name]);
                    rest = &rest[after_name..];
                }
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
}
