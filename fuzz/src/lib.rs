//! Oracles shared by the fuzz targets in `fuzz_targets/`.
//!
//! Contract under test (untrusted input): reading arbitrary bytes never panics, never hangs and
//! never allocates without bound (libFuzzer's `-timeout`, `-rss_limit_mb` and `-malloc_limit_mb`
//! catch the last two); and every document that reads successfully is written back as XML that
//! reads again to the same value, which writes back to the same text, and written in UTF-16 or
//! ISO-8859-1 reads back to the same document.
//!
//! `IODEF_FUZZ_IGNORE_NS_HINTS=1` accepts a round trip whose values differ only in the
//! `prefix` / `namespace_decls` fields of raw foreign XML (`AnyElement`, `AnyAttribute`): the
//! writer takes those as hints, so they need not survive a round trip. Off by default.

use std::fmt::Debug;
use std::sync::OnceLock;

use iodef::rt::{Encoding, WriteOptions};
use iodef::{Document, ReadRoot};

/// Longest excerpt of the input or of the written XML shown in a failure message.
const SHOW: usize = 2048;

/// Checks the write/read round trip of `doc`, read from the input `data` (shown on failure).
/// Any violation panics, which libFuzzer reports as a crash with its reproducer.
pub fn check_round_trip<T: ReadRoot + PartialEq + Debug>(data: &[u8], doc: &Document<T>) {
    // Panics (with the writer's error) if a parsed document holds something XML cannot carry.
    let xml = doc.to_xml_string();
    let again = match Document::<T>::from_str(&xml) {
        Ok(again) => again,
        Err(e) => panic!(
            "the written document does not read back: {e}\n--- input ---\n{}\n--- written ---\n{}",
            excerpt(&String::from_utf8_lossy(data)),
            excerpt(&xml)
        ),
    };
    if again != *doc {
        // Compact dumps: a pretty one grows with the square of the nesting depth.
        let (a, b) = (format!("{doc:?}"), format!("{again:?}"));
        // NaN (xs:float/xs:double "NaN") is the one value not equal to itself: accept a
        // difference only where both values print the same and hold a NaN.
        let nan_only = a == b && a.contains("NaN");
        let hints_only = !nan_only && without_ns_hints(&a) == without_ns_hints(&b);
        let accepted = nan_only || (hints_only && ignore_ns_hints());
        if !accepted {
            panic!(
                "the round trip changed the value{}\n--- input ---\n{}\n--- written ---\n{}\n{}",
                if hints_only {
                    " (only in the prefix / namespace_decls of raw foreign XML; \
                     IODEF_FUZZ_IGNORE_NS_HINTS=1 accepts that)"
                } else {
                    ""
                },
                excerpt(&String::from_utf8_lossy(data)),
                excerpt(&xml),
                first_difference(&a, &b)
            );
        }
    }
    let xml2 = again.to_xml_string();
    assert!(
        xml2 == xml,
        "writing is not a fixed point\n--- first write ---\n{}\n--- second write ---\n{}",
        excerpt(&xml),
        excerpt(&xml2)
    );
    // Written in another encoding (character references for what ISO-8859-1 cannot hold),
    // the document reads back to the same one. A name or comment ISO-8859-1 cannot hold is an
    // error when writing, not a finding.
    for encoding in [Encoding::UTF_16LE, Encoding::ISO_8859_1] {
        let bytes = match again.to_xml_bytes_with(&WriteOptions { encoding }) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData && !encoding.is_unicode() => {
                continue
            }
            Err(e) => panic!("cannot write in {encoding}: {e}\n--- written ---\n{}", excerpt(&xml)),
        };
        let read = Document::<T>::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("written in {encoding}, does not read back: {e}\n--- written ---\n{}", excerpt(&xml)));
        assert!(
            read.to_xml_string() == xml,
            "written in {encoding}, reads back to another document\n--- written ---\n{}",
            excerpt(&xml)
        );
    }
}

fn ignore_ns_hints() -> bool {
    static IGNORE: OnceLock<bool> = OnceLock::new();
    *IGNORE.get_or_init(|| {
        std::env::var("IODEF_FUZZ_IGNORE_NS_HINTS").is_ok_and(|v| !v.is_empty() && v != "0")
    })
}

/// A `{:?}` dump without its `prefix: ...` and `namespace_decls: ...` fields (linear time).
fn without_ns_hints(dump: &str) -> String {
    let b = dump.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let end = string_end(b, i);
            out.extend_from_slice(&b[i..end]);
            i = end;
            continue;
        }
        let field_start = out.ends_with(b"{ ") || out.ends_with(b", ");
        let name = [&b"prefix: "[..], b"namespace_decls: "]
            .into_iter()
            .find(|n| b[i..].starts_with(n));
        if let (true, Some(name)) = (field_start, name) {
            // Skip the field's value (balanced) and the `, ` after it.
            i += name.len();
            let mut depth = 0usize;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = string_end(b, i);
                        continue;
                    }
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' if depth == 0 => break,
                    b')' | b']' | b'}' => depth -= 1,
                    b',' if depth == 0 => {
                        i += 1;
                        while b.get(i) == Some(&b' ') {
                            i += 1;
                        }
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    // Cuts are at ASCII bytes only.
    String::from_utf8(out).expect("UTF-8")
}

/// The index just past the Debug string literal that starts at `b[start]` (a `"`).
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// At most `SHOW` bytes of `s` (cut on a char boundary).
fn excerpt(s: &str) -> String {
    if s.len() <= SHOW {
        return s.to_string();
    }
    format!(
        "{}\n[... {} more bytes]",
        cut(s, SHOW),
        s.len() - cut(s, SHOW).len()
    )
}

/// `s[..at]`, `at` moved back to a char boundary.
fn cut(s: &str, mut at: usize) -> &str {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[..at]
}

/// Where two `{:?}` dumps first differ: the enclosing values (outermost first), then an
/// excerpt of both dumps from a little before that point.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let bytes = a.as_bytes();
    let mut path: Vec<&str> = Vec::new();
    let mut seg = 0;
    let mut i = 0;
    while i < at {
        match bytes[i] {
            b'"' => {
                i = string_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => {
                path.push(a[seg..=i].trim());
                seg = i + 1;
            }
            b')' | b']' | b'}' => {
                path.pop();
                seg = i + 1;
            }
            b',' => seg = i + 1,
            _ => {}
        }
        i += 1;
    }
    let from = cut(a, at.saturating_sub(200)).len();
    let window = |s: &str| {
        let s = &s[from.min(s.len())..];
        cut(s, 1200).to_string()
    };
    format!(
        "--- where (byte {at} of the Debug dumps) ---\n{}\n--- value read ---\n{}\n--- value read back ---\n{}",
        path.join(" > "),
        window(a),
        window(b)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ns_hints_are_dropped_and_nothing_else() {
        let a = r#"A { ns: Some("u"), prefix: Some("p"), local: "e", namespace_decls: [(Some("p"), "u, prefix: x")], v: B { prefix: None } }"#;
        let b = r#"A { ns: Some("u"), prefix: None, local: "e", namespace_decls: [], v: B { prefix: Some("q") } }"#;
        assert_eq!(without_ns_hints(a), without_ns_hints(b));
        assert_eq!(
            without_ns_hints(a),
            r#"A { ns: Some("u"), local: "e", v: B { } }"#
        );
        let c = r#"A { ns: Some("v"), prefix: None, local: "e", namespace_decls: [], v: B { prefix: None } }"#;
        assert_ne!(without_ns_hints(a), without_ns_hints(c));
        // A field whose name merely ends in `prefix` is kept.
        assert_eq!(without_ns_hints("X { my_prefix: 1 }"), "X { my_prefix: 1 }");
    }

    #[test]
    fn first_difference_names_the_path() {
        let d = first_difference(r#"A { b: [C { d: "x" }] }"#, r#"A { b: [C { d: "y" }] }"#);
        assert!(d.contains("A { > b: [ > C {"), "{d}");
    }
}

/// The validator and the typed reader decide `data` alike, and every validator error has a
/// position. Panics otherwise. There is no documented difference: `xsi:` attributes on any
/// element are decided alike (the typed reader keeps the accepted ones in `extra`).
pub fn check_same_verdict(data: &[u8]) {
    let report = iodef::rt::validate::validate(data);
    for e in &report.errors {
        assert!(
            e.line > 0 && e.column > 0 && !e.path.is_empty(),
            "validator error without position: {e:?}\n--- input ---\n{}",
            excerpt(&String::from_utf8_lossy(data))
        );
    }
    let read = iodef::read(data);
    if report.is_valid() == read.is_ok() {
        return;
    }
    panic!(
        "the validator and the typed reader disagree\nvalidator: {:?}\nreader: {:?}\n--- input ---\n{}",
        report.errors.first(),
        read.err(),
        excerpt(&String::from_utf8_lossy(data))
    );
}
