//! XML names -> Rust names. The exact XML name is always kept separately for the wire.

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Splits `IODEF-Document`, `MLStringType`, `ext-value`, `malware distribution` into words.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = cur.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (prev.is_ascii_digit() && c.is_ascii_uppercase())
                || (prev.is_ascii_uppercase()
                    && c.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase()));
            if boundary {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalise(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// PascalCase with Rust acronym style: `IODEF-Document` -> `IodefDocument`.
pub fn type_name(xml: &str) -> String {
    let mut out = String::new();
    let mut prev_digit = false;
    for w in words(xml) {
        let starts_digit = w.starts_with(|c: char| c.is_ascii_digit());
        if prev_digit && starts_digit {
            out.push('_');
        }
        prev_digit = w.ends_with(|c: char| c.is_ascii_digit());
        out.push_str(&capitalise(&w));
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// The Rust name of a schema type or element: [`type_name`] without the stutter of a repeated
/// last word (`contact-type-type` -> `ContactType`, not `ContactTypeType`). The caller keeps
/// the full name when the short one is taken.
pub fn item_name(xml: &str) -> String {
    let w = words(xml);
    match w.as_slice() {
        [rest @ .., a, b] if a.eq_ignore_ascii_case(b) => {
            let mut kept = rest.to_vec();
            kept.push(a.clone());
            type_name(&kept.join("-"))
        }
        _ => type_name(xml),
    }
}

/// Enum variant for an enumeration value: `ipv4-addr` -> `Ipv4Addr`, `1.0` -> `V1_0`.
pub fn variant_name(xml: &str) -> String {
    type_name(xml)
}

/// snake_case; Rust keywords get a trailing underscore: `type` -> `type_`.
pub fn field_name(xml: &str) -> String {
    let mut out = words(xml)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'f');
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Module names from the catalog are used as given but must be valid identifiers.
pub fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("IODEF-Document"), "IodefDocument");
        assert_eq!(type_name("MLStringType"), "MlStringType");
        assert_eq!(type_name("EmailX-Mailer"), "EmailXMailer");
        assert_eq!(type_name("contact-role-type"), "ContactRoleType");
        assert_eq!(type_name("IncidentID"), "IncidentId");
        assert_eq!(item_name("contact-type-type"), "ContactType");
        assert_eq!(item_name("ArchivedDataType-type"), "ArchivedDataType");
        assert_eq!(item_name("contact-role-type"), "ContactRoleType");
        assert_eq!(item_name("IODEF-Document"), "IodefDocument");
        assert_eq!(variant_name("ipv4-addr"), "Ipv4Addr");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("malware distribution"), "MalwareDistribution");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("virtual"), "virtual_");
        assert_eq!(field_name("ext-restriction"), "ext_restriction");
        assert_eq!(field_name("IncidentID"), "incident_id");
        assert_eq!(field_name("observable-id"), "observable_id");
        assert_eq!(field_name("IODEF-Document"), "iodef_document");
    }
}
