//! Driver for the independent XSD validators (`tests/tools/xsd_validate.py`):
//! Python `xmlschema` (default) or `xmllint`, both against the local, offline
//! `<shared>/schemas/local/all-iodef.xsd` ([`validate`]), or `xmlschema` against
//! another schema such as an extension XSD ([`validate_against`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which validator the script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The Python `xmlschema` package.
    XmlSchema,
    /// libxml2's `xmllint --schema`.
    Xmllint,
}

/// One file's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Schema-valid?
    pub valid: bool,
    /// First error message when invalid.
    pub error: Option<String>,
}

/// The Python interpreter to use: `$PYTHON` or `python3`.
pub fn python() -> String {
    std::env::var("PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "python3".to_string())
}

/// Path of `tests/tools/xsd_validate.py`.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tools")
        .join("xsd_validate.py")
}

/// `<shared>/schemas/local/all-iodef.xsd`.
pub fn schema() -> PathBuf {
    crate::corpus::shared_dir()
        .join("schemas")
        .join("local")
        .join("all-iodef.xsd")
}

fn quiet(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Whether `python3 -c 'import xmlschema'` works.
pub fn xmlschema_available() -> bool {
    quiet(Command::new(python()).args(["-c", "import xmlschema"]))
}

/// Whether `xmllint` is on the PATH.
pub fn xmllint_available() -> bool {
    quiet(Command::new("xmllint").arg("--version"))
}

/// True when `IODEF_SKIP_VALIDATOR=1` asks to skip independent validation.
pub fn skip_requested() -> bool {
    std::env::var("IODEF_SKIP_VALIDATOR").is_ok_and(|v| v == "1")
}

/// Why the validator cannot run, or `None` when it can.
pub fn unavailable_reason(engine: Engine) -> Option<String> {
    match engine {
        Engine::XmlSchema if !xmlschema_available() => Some(format!(
            "the independent validator needs `{} -c 'import xmlschema'` to work: run `pip install xmlschema` \
             (or set IODEF_SKIP_VALIDATOR=1 to skip schema-validity checks)",
            python()
        )),
        Engine::Xmllint if !xmllint_available() => {
            Some("xmllint not found: apt-get install libxml2-utils".to_string())
        }
        _ => None,
    }
}

/// Parses the script's output: one JSON object per line.
pub fn parse_output(stdout: &str) -> Result<BTreeMap<PathBuf, Verdict>, String> {
    #[derive(serde::Deserialize)]
    struct Line {
        file: String,
        valid: bool,
        error: Option<String>,
    }
    let mut out = BTreeMap::new();
    for (i, line) in stdout.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(line)
            .map_err(|e| format!("validator output line {}: {e}: {line:?}", i + 1))?;
        out.insert(
            PathBuf::from(l.file),
            Verdict {
                valid: l.valid,
                error: l.error,
            },
        );
    }
    Ok(out)
}

/// Validates a batch of files in one run of the script, against
/// `<shared>/schemas/local/all-iodef.xsd`. The map is keyed by the paths
/// exactly as given; every given file has an entry on success.
pub fn validate(files: &[PathBuf], engine: Engine) -> Result<BTreeMap<PathBuf, Verdict>, String> {
    run(files, &schema(), &[], engine)
}

/// Validates a batch of files with Python `xmlschema` against `schema` (e.g. an
/// extension XSD), loading each namespace of `locations` from the given local
/// file wherever the schemas import it (`--location NS=XSD`), e.g.
/// `("urn:ietf:params:xml:ns:iodef-2.0", local_schema("iodef-2.0.xsd"))`.
pub fn validate_against(
    files: &[PathBuf],
    schema: &Path,
    locations: &[(&str, PathBuf)],
) -> Result<BTreeMap<PathBuf, Verdict>, String> {
    run(files, schema, locations, Engine::XmlSchema)
}

/// `<shared>/schemas/local/NAME`: the compilable copies whose imports resolve
/// to sibling files.
pub fn local_schema(name: &str) -> PathBuf {
    crate::corpus::shared_dir()
        .join("schemas")
        .join("local")
        .join(name)
}

fn run(
    files: &[PathBuf],
    schema: &Path,
    locations: &[(&str, PathBuf)],
    engine: Engine,
) -> Result<BTreeMap<PathBuf, Verdict>, String> {
    if files.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut cmd = Command::new(python());
    cmd.arg(script()).arg("--schema").arg(schema);
    for (namespace, file) in locations {
        let mut pair = std::ffi::OsString::from(format!("{namespace}="));
        pair.push(file);
        cmd.arg("--location").arg(pair);
    }
    if engine == Engine::Xmllint {
        cmd.arg("--xmllint");
    }
    cmd.arg("--").args(files).stdin(Stdio::null());
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "{} exited with {}: {}",
            script().display(),
            output.status,
            stderr.trim()
        ));
    }
    let map = parse_output(&String::from_utf8_lossy(&output.stdout))?;
    for f in files {
        if !map.contains_key(f) {
            return Err(format!(
                "validator gave no verdict for {} (stderr: {})",
                f.display(),
                stderr.trim()
            ));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_lines() {
        let out = "{\"file\": \"a.xml\", \"valid\": true, \"error\": null}\n\n{\"file\": \"b \\\"x\\\".xml\", \"valid\": false, \"error\": \"bad \\u00e9\"}\n";
        let map = parse_output(out).unwrap();
        assert_eq!(
            map[Path::new("a.xml")],
            Verdict {
                valid: true,
                error: None
            }
        );
        assert_eq!(
            map[Path::new("b \"x\".xml")],
            Verdict {
                valid: false,
                error: Some("bad é".into())
            }
        );
        assert!(parse_output("not json").is_err());
    }

    fn check_against_manifest(engine: Engine) {
        if let Some(reason) = unavailable_reason(engine) {
            eprintln!("skipping: {reason}");
            return;
        }
        let entries = crate::corpus::entries();
        let files: Vec<PathBuf> = entries.iter().map(|e| e.file.clone()).collect();
        let verdicts = validate(&files, engine).unwrap();
        for e in &entries {
            let expected = match engine {
                Engine::XmlSchema => e.xmlschema_valid,
                Engine::Xmllint => e.xmllint_valid,
            };
            let got = &verdicts[&e.file];
            assert_eq!(got.valid, expected, "{}: {:?}", e.path, got.error);
            assert_eq!(got.error.is_none(), got.valid, "{}", e.path);
        }
    }

    #[test]
    fn validate_against_another_schema_with_locations() {
        if let Some(reason) = unavailable_reason(Engine::XmlSchema) {
            eprintln!("skipping: {reason}");
            return;
        }
        let doc = crate::corpus::corpus_dir().join("rfc7970/rfc7970-7.1-minimal.xml");
        let files = [doc.clone()];
        // IODEF 2.0 as the schema, one of its imports given explicitly.
        let schema = local_schema("iodef-2.0.xsd");
        let enum_ns = "urn:ietf:params:xml:ns:iodef-enum-1.0";
        let map = validate_against(
            &files,
            &schema,
            &[(enum_ns, local_schema("iodef-enum-1.0.xsd"))],
        )
        .unwrap();
        assert!(map[&doc].valid, "{:?}", map[&doc].error);
        // A location whose file has another target namespace is a set-up error.
        let err =
            validate_against(&files, &schema, &[(enum_ns, local_schema("xml.xsd"))]).unwrap_err();
        assert!(err.contains("iodef-enum-1.0"), "{err}");
    }

    #[test]
    fn xmlschema_agrees_with_manifest() {
        check_against_manifest(Engine::XmlSchema);
    }

    #[test]
    fn xmllint_agrees_with_manifest() {
        check_against_manifest(Engine::Xmllint);
    }
}
