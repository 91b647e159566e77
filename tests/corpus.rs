//! The shared test corpus (`<shared>/corpus/MANIFEST.tsv`), read in place at test
//! time: corpus data is never copied into the repository.

use std::path::{Path, PathBuf};

/// Root of the workspace (the parent of this package's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests package has a parent directory")
        .to_path_buf()
}

/// The shared data directory: `$IODEF_SHARED_DIR`, else `<workspace root>/../shared`.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("IODEF_SHARED_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => workspace_root().join("..").join("shared"),
    }
}

/// `<shared>/corpus`.
pub fn corpus_dir() -> PathBuf {
    shared_dir().join("corpus")
}

/// One XML document of the corpus, as described by MANIFEST.tsv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path relative to the corpus directory (as written in the manifest).
    pub path: String,
    /// Absolute (or shared-dir relative) path of the file on disk.
    pub file: PathBuf,
    /// IODEF version column, e.g. `1.0`, `2.0`, `1.0+2.0`.
    pub version: String,
    /// Extensions used (empty when the manifest says `-`).
    pub extensions: Vec<String>,
    /// xmllint's verdict.
    pub xmllint_valid: bool,
    /// Python xmlschema's verdict.
    pub xmlschema_valid: bool,
    /// Raw xmllint verdict text (includes the first error when invalid).
    pub xmllint_verdict: String,
    /// Raw xmlschema verdict text (includes the first error when invalid).
    pub xmlschema_verdict: String,
    /// Size in bytes according to the manifest.
    pub size_bytes: u64,
    /// Free-form notes.
    pub notes: String,
}

impl Entry {
    /// An IODEF 2.0 document (not 1.0, not mixed, not a JSON binding).
    pub fn is_iodef2(&self) -> bool {
        self.version == "2.0"
    }

    /// xmllint refuses a document that xmlschema accepts: a known libxml2 disagreement
    /// (e.g. whitespace around `xs:dateTime` content, which XSD collapses; see the notes).
    /// Outputs of such documents are not required to be xmllint-valid.
    pub fn xmllint_disagrees(&self) -> bool {
        self.xmlschema_valid && !self.xmllint_valid
    }
}

fn verdict(field: &str, line: usize, column: &str) -> Result<bool, String> {
    if field.starts_with("valid") {
        Ok(true)
    } else if field.starts_with("invalid") {
        Ok(false)
    } else {
        Err(format!(
            "MANIFEST.tsv line {line}: {column} verdict {field:?} is neither valid nor invalid"
        ))
    }
}

/// Parses MANIFEST.tsv text; returns the entries whose path ends in `.xml`.
pub fn parse_manifest(text: &str, corpus_dir: &Path) -> Result<Vec<Entry>, String> {
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, h)| h).unwrap_or_default();
    let expected = [
        "path",
        "source",
        "iodef_version",
        "extensions",
        "xmllint_schema_validity",
        "xmlschema_py_validity",
        "size_bytes",
        "notes",
    ];
    let columns: Vec<&str> = header.split('\t').collect();
    if columns.len() < expected.len() || columns[..expected.len()] != expected {
        return Err(format!("MANIFEST.tsv: unexpected header {header:?}"));
    }
    let mut out = Vec::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            return Err(format!(
                "MANIFEST.tsv line {n}: {} fields, expected 8",
                f.len()
            ));
        }
        if !f[0].ends_with(".xml") {
            continue;
        }
        let extensions = match f[3].trim() {
            "" | "-" => Vec::new(),
            list => list.split(',').map(|s| s.trim().to_string()).collect(),
        };
        out.push(Entry {
            path: f[0].to_string(),
            file: corpus_dir.join(f[0]),
            version: f[2].trim().to_string(),
            extensions,
            xmllint_valid: verdict(f[4], n, "xmllint")?,
            xmlschema_valid: verdict(f[5], n, "xmlschema")?,
            xmllint_verdict: f[4].to_string(),
            xmlschema_verdict: f[5].to_string(),
            size_bytes: f[6]
                .trim()
                .parse()
                .map_err(|e| format!("MANIFEST.tsv line {n}: size_bytes: {e}"))?,
            notes: f.get(7).map(|s| s.to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Reads `<shared>/corpus/MANIFEST.tsv` and returns its XML entries.
pub fn manifest() -> Result<Vec<Entry>, String> {
    let dir = corpus_dir();
    let file = dir.join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        format!(
            "cannot read {}: {e} (set IODEF_SHARED_DIR to the shared data directory)",
            file.display()
        )
    })?;
    parse_manifest(&text, &dir)
}

/// Like [`manifest`], panicking with the reason on failure (for test harnesses).
pub fn entries() -> Vec<Entry> {
    manifest().unwrap_or_else(|e| panic!("{e}"))
}

/// xmlschema-invalid corpus documents that the runtime accepts today, each with
/// the reason (the part of XSD validation that is not implemented yet: pattern,
/// length and range facets, `xs:ID` uniqueness, `xs:IDREF` resolution).
///
/// The corpus tests treat these as explicit exceptions: each must exist in the
/// manifest, be xmlschema-invalid and still be accepted (and round-trip); once
/// the runtime refuses one, the tests fail until it is removed from this list.
pub const EXPECTED_ACCEPTED: &[(&str, &str)] = &[];

/// The reason `path` is in [`EXPECTED_ACCEPTED`], if it is.
pub fn expected_accepted(path: &str) -> Option<&'static str> {
    EXPECTED_ACCEPTED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, reason)| *reason)
}

/// xmlschema-valid corpus documents that the runtime refuses on purpose, as
/// `(path, part of the expected error message, reason)`.
///
/// The corpus tests treat these as explicit exceptions: each must exist in the
/// manifest, be xmlschema-valid and still be refused with a located error whose
/// message contains the given part (any other error fails); once the runtime
/// accepts one, the tests fail until it is removed from this list.
pub const EXPECTED_REFUSED: &[(&str, &str, &str)] = &[];

/// The expected message part and the reason, if `path` is in [`EXPECTED_REFUSED`].
pub fn expected_refused(path: &str) -> Option<(&'static str, &'static str)> {
    EXPECTED_REFUSED
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, message, reason)| (*message, *reason))
}

/// Entries (every version and root element) that xmlschema accepts.
pub fn valid() -> Vec<Entry> {
    entries()
        .into_iter()
        .filter(|e| e.xmlschema_valid)
        .collect()
}

/// Entries (every version and root element) that xmlschema rejects.
pub fn invalid() -> Vec<Entry> {
    entries()
        .into_iter()
        .filter(|e| !e.xmlschema_valid)
        .collect()
}

/// IODEF 2.0 entries that both validators accept.
pub fn iodef2_valid() -> Vec<Entry> {
    entries()
        .into_iter()
        .filter(|e| e.is_iodef2() && e.xmlschema_valid)
        .collect()
}

/// IODEF 2.0 entries that xmlschema rejects.
pub fn iodef2_invalid() -> Vec<Entry> {
    entries()
        .into_iter()
        .filter(|e| e.is_iodef2() && !e.xmlschema_valid)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows() {
        let text = "path\tsource\tiodef_version\textensions\txmllint_schema_validity\txmlschema_py_validity\tsize_bytes\tnotes\n\
a/x.xml\tsrc\t2.0\t-\tvalid\tvalid\t10\tnote\n\
a/x.json\tsrc\t2.0 (JSON binding, RFC 8727)\t-\tn/a (JSON; parses)\tn/a\t5\t\n\
b/y.xml\tsrc\t1.0\tsci,xmldsig\tinvalid: line 3: boom\tvalid (also: warning)\t7\t\n";
        let entries = parse_manifest(text, Path::new("/c")).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].path, "a/x.xml");
        assert_eq!(entries[0].file, Path::new("/c/a/x.xml"));
        assert!(entries[0].is_iodef2() && entries[0].xmllint_valid && entries[0].xmlschema_valid);
        assert!(entries[0].extensions.is_empty());
        assert_eq!(entries[1].extensions, ["sci", "xmldsig"]);
        assert!(!entries[1].xmllint_valid && entries[1].xmlschema_valid && !entries[1].is_iodef2());
        assert!(entries[1].xmllint_disagrees() && !entries[0].xmllint_disagrees());
        assert!(parse_manifest("bogus\n", Path::new("/c")).is_err());
    }

    #[test]
    fn shared_manifest_is_readable() {
        let entries = entries();
        assert!(entries.len() >= 40, "only {} XML entries", entries.len());
        assert!(entries.iter().all(|e| e.path.ends_with(".xml")));
        let valid2 = iodef2_valid();
        let invalid2 = iodef2_invalid();
        assert!(valid2.len() >= 15, "{} valid 2.0 documents", valid2.len());
        assert!(invalid2
            .iter()
            .any(|e| e.path == "rfc7970/rfc7970-7.2-campaign-indicators.xml"));
        for e in &entries {
            assert!(e.file.is_file(), "{} listed but missing", e.file.display());
        }
        assert_eq!(valid().len() + invalid().len(), entries.len());
        for (path, reason) in EXPECTED_ACCEPTED {
            assert!(
                entries.iter().any(|e| e.path == *path && !e.xmlschema_valid),
                "EXPECTED_ACCEPTED lists {path} ({reason}): not an xmlschema-invalid manifest entry"
            );
        }
        for (path, _, reason) in EXPECTED_REFUSED {
            assert!(
                entries.iter().any(|e| e.path == *path && e.xmlschema_valid),
                "EXPECTED_REFUSED lists {path} ({reason}): not an xmlschema-valid manifest entry"
            );
        }
        assert!(valid().iter().any(|e| e.version == "1.0"));
    }

    #[test]
    fn every_corpus_document_parses_and_equals_itself() {
        for e in entries() {
            let bytes = std::fs::read(&e.file).unwrap();
            let tree =
                crate::infoset::parse(&bytes).unwrap_or_else(|err| panic!("{}: {err}", e.path));
            crate::infoset::compare(&tree, &tree).unwrap();
        }
    }
}
