//! RFC prose rules that XSD cannot express, checked on the document's XML after it has been
//! read: every violation is reported (not only the first), each citing its section.
//!
//! Implemented: RFC 7970 §5.1.1 (and RFC 5070 §5.1 for IODEF 1.0): an `ext-foo` attribute is only
//! allowed when `foo="ext-value"`, and `foo="ext-value"` needs its `ext-foo`. `uid-ref` pointing at
//! an existing `observable-id` is enforced by the reader itself (`xs:IDREF`).

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use crate::rt::reader::line_column;

/// How serious a finding is: a MUST violation is an error, a SHOULD one a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One rule violation, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's source, e.g. `RFC 7970 §5.1.1`.
    pub rule: &'static str,
    pub message: String,
    /// Element path, e.g. `/IODEF-Document/Incident[1]`.
    pub path: String,
    pub line: u64,
    pub column: u64,
}

/// Namespaces that use the `ext-value` convention, with the rule to cite.
const EXT_VALUE_NAMESPACES: &[(&[u8], &str)] = &[
    (b"urn:ietf:params:xml:ns:iodef-2.0", "RFC 7970 §5.1.1"),
    (b"urn:ietf:params:xml:ns:iodef-1.0", "RFC 5070 §5.1"),
];

/// Checks the prose rules on `input`, a well-formed document (read it with [`crate::read`]
/// first: malformed input yields no findings here).
pub fn check(input: &[u8]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut reader = NsReader::from_reader(input);
    // Per open element: its path and how many children of each name it has had so far.
    let mut stack: Vec<(String, HashMap<Vec<u8>, usize>)> = Vec::new();
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(ok) => ok,
            Err(_) => break,
        };
        let (start, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let local = start.local_name().as_ref().to_vec();
        let path = match stack.last_mut() {
            Some((parent, counts)) => {
                let n = counts.entry(local.clone()).or_insert(0);
                *n += 1;
                format!("{parent}/{}[{n}]", String::from_utf8_lossy(&local))
            }
            None => format!("/{}", String::from_utf8_lossy(&local)),
        };
        let rule = match resolved {
            ResolveResult::Bound(ns) => EXT_VALUE_NAMESPACES
                .iter()
                .find(|(uri, _)| *uri == ns.as_ref())
                .map(|(_, rule)| *rule),
            _ => None,
        };
        if let Some(rule) = rule {
            let attrs: Vec<(String, String)> = start
                .attributes()
                .flatten()
                .filter(|a| a.key.prefix().is_none())
                .map(|a| {
                    // (Attribute::unescape_value is compiled out when another crate of the
                    // build enables quick-xml's `encoding` feature.)
                    let raw = String::from_utf8_lossy(&a.value).into_owned();
                    let value = quick_xml::escape::unescape(&raw)
                        .map(|v| v.into_owned())
                        .unwrap_or(raw);
                    (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
                })
                .collect();
            let (line, column) = line_column(input, offset);
            let value_of =
                |name: &str| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim());
            for (name, value) in &attrs {
                if let Some(base) = name.strip_prefix("ext-") {
                    if value_of(base) != Some("ext-value") {
                        findings.push(Finding {
                            severity: Severity::Error,
                            rule,
                            message: format!(
                                "attribute {name} is only allowed when {base}=\"ext-value\""
                            ),
                            path: path.clone(),
                            line,
                            column,
                        });
                    }
                } else if value.trim() == "ext-value" && value_of(&format!("ext-{name}")).is_none()
                {
                    findings.push(Finding {
                        severity: Severity::Error,
                        rule,
                        message: format!("{name}=\"ext-value\" needs the attribute ext-{name}"),
                        path: path.clone(),
                        line,
                        column,
                    });
                }
            }
        }
        if !empty {
            stack.push((path, HashMap::new()));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_value_pairs() {
        let doc = br#"<IODEF-Document xmlns="urn:ietf:params:xml:ns:iodef-2.0" version="2.00">
  <Incident purpose="ext-value" ext-purpose="hunting" restriction="private">
    <Contact role="creator" type="ext-value"/>
    <Contact role="tech" type="person" ext-type="robot"/>
  </Incident>
  <x:Other xmlns:x="urn:example" a="ext-value"/>
</IODEF-Document>"#;
        let findings = check(doc);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].path, "/IODEF-Document/Incident[1]/Contact[1]");
        assert!(findings[0].message.contains("needs the attribute ext-type"));
        assert_eq!((findings[0].line, findings[0].column), (3, 5));
        assert_eq!(findings[1].path, "/IODEF-Document/Incident[1]/Contact[2]");
        assert!(findings[1].message.contains("ext-type is only allowed"));
        assert_eq!(findings[1].rule, "RFC 7970 §5.1.1");
    }
}
