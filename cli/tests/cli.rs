//! Runs the real `iodef` binary: exit codes, messages, and a round trip of every
//! corpus document (every IODEF version and root element) through
//! `iodef convert --to xml`: schema-valid ones are written back as the same
//! infoset, byte for byte what the library writes; schema-invalid ones exit 1
//! with `FILE:LINE:COL: PATH: message`.

mod common;

use std::path::{Path, PathBuf};

use common::{code, run, run_with_stdin, stderr};

fn corpus_file(rel: &str) -> PathBuf {
    iodef_tests::corpus::corpus_dir().join(rel)
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = run::<&str>(&[]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    assert!(stderr(&out).contains("Usage"), "stderr: {}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_option_is_a_usage_error() {
    let out = run(&["convert", "--bogus", "--to", "xml", "x.xml"]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    assert!(stderr(&out).contains("--bogus"), "stderr: {}", stderr(&out));
    let out = run(&["frobnicate"]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
}

#[test]
fn unknown_format_and_missing_file_are_usage_errors() {
    let out = run(&["convert", "--to", "yaml", "x.xml"]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    let out = run(&["convert", "--to", "xml"]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
}

#[test]
fn help_and_version_succeed() {
    let out = run(&["--help"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("convert"));
    let out = run(&["--version"]);
    assert_eq!(code(&out), 0);
}

#[test]
fn nonexistent_file_is_an_io_error() {
    let missing = "no/such/dir/missing-iodef-document.xml";
    let out = run(&["convert", "--to", "xml", missing]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    let err = stderr(&out);
    // The words `iodef validate` uses for the same file.
    assert!(
        err.starts_with(&format!("{missing}: error: cannot read: ")),
        "stderr: {err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn directory_is_an_io_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(&["convert", "--to", "xml", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "stderr: {}", stderr(&out));
    assert!(
        stderr(&out).contains(dir.to_str().unwrap()),
        "stderr: {}",
        stderr(&out)
    );
}

mod with_bindings {
    use super::*;
    use iodef_tests::{codec, corpus, infoset};

    const VALID: &str = "rfc7970/rfc7970-7.1-minimal.xml";
    const INVALID: &str = "rfc7970/rfc7970-7.2-campaign-indicators.xml";

    #[test]
    fn valid_document_converts() {
        let file = corpus_file(VALID);
        let out = run(&["convert", "--to", "xml", file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "stderr: {}", stderr(&out));
        infoset::compare_xml(&std::fs::read(&file).unwrap(), &out.stdout).unwrap();
    }

    #[test]
    fn valid_document_converts_from_stdin() {
        let input = std::fs::read(corpus_file(VALID)).unwrap();
        let out = run_with_stdin(&["convert", "--to", "xml", "-"], &input);
        assert_eq!(code(&out), 0, "stderr: {}", stderr(&out));
        infoset::compare_xml(&input, &out.stdout).unwrap();
    }

    /// `FILE:LINE:COL: error: PATH: message` lines with PATH under `/IODEF-Document`.
    fn assert_error_message(err: &str, name: &str) {
        if let Err(e) = check_error_message(err, name, "IODEF-Document") {
            panic!("{e}");
        }
    }

    /// `FILE:LINE:COL: error: PATH: message` lines (`iodef validate`'s) with PATH starting at
    /// `/ROOT`.
    fn check_error_message(err: &str, name: &str, root: &str) -> Result<(), String> {
        if err.is_empty() {
            return Err("nothing on stderr".into());
        }
        err.lines()
            .try_for_each(|line| check_error_line(line, name, root))
    }

    fn check_error_line(err: &str, name: &str, root: &str) -> Result<(), String> {
        let rest = err
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix(':'))
            .ok_or_else(|| format!("stderr line does not start with `{name}:`: {err}"))?;
        let mut parts = rest.splitn(5, ':');
        let line = parts.next().unwrap_or_default();
        let col = parts.next().unwrap_or_default();
        if parts.next() != Some(" error") {
            return Err(format!("not an error line: {err}"));
        }
        let path = parts.next().unwrap_or_default().trim();
        let message = parts.next().unwrap_or_default().trim();
        if !line.parse::<u64>().is_ok_and(|n| n > 0) {
            return Err(format!("no line number: {err}"));
        }
        if !col.parse::<u64>().is_ok_and(|n| n > 0) {
            return Err(format!("no column number: {err}"));
        }
        let root_path = format!("/{root}");
        if !(path == root_path || path.starts_with(&format!("{root_path}/"))) {
            return Err(format!("no element path under {root_path}: {err}"));
        }
        if message.is_empty() {
            return Err(format!("no message: {err}"));
        }
        Ok(())
    }

    #[test]
    fn invalid_document_exits_1_with_location() {
        let file = corpus_file(INVALID);
        let name = file.to_str().unwrap();
        let out = run(&["convert", "--to", "xml", name]);
        assert_eq!(code(&out), 1, "stderr: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "no output for an invalid document");
        assert_error_message(stderr(&out).trim_end(), name);
    }

    #[test]
    fn invalid_document_from_stdin_exits_1() {
        let input = std::fs::read(corpus_file(INVALID)).unwrap();
        let out = run_with_stdin(&["convert", "--to", "xml", "-"], &input);
        assert_eq!(code(&out), 1, "stderr: {}", stderr(&out));
        assert_error_message(stderr(&out).trim_end(), "<stdin>");
    }

    #[test]
    fn non_xml_input_exits_1() {
        for input in [
            &b""[..],
            b"not xml at all",
            b"<IODEF-Document",
            b"\xff\xfe\x00<",
        ] {
            let out = run_with_stdin(&["convert", "--to", "xml", "-"], input);
            assert_eq!(code(&out), 1, "input {input:?}: stderr: {}", stderr(&out));
            assert!(
                stderr(&out).starts_with("<stdin>:"),
                "stderr: {}",
                stderr(&out)
            );
        }
    }

    /// The root element's local name, as the infoset parser sees it.
    fn root_name(input: &[u8]) -> String {
        infoset::parse(input).map_or_else(|_| "?".into(), |root| root.name)
    }

    /// Every xmlschema-valid document, every version and root: exit 0, nothing on stderr, the
    /// same infoset as the input, and exactly the bytes the library writes (the documents
    /// listed in `corpus::EXPECTED_REFUSED` must still exit 1 with the listed error).
    #[test]
    fn every_valid_corpus_document_round_trips() {
        let mut failures = Vec::new();
        let mut per_group: std::collections::BTreeMap<(String, String), usize> = Default::default();
        let valid = corpus::valid();
        assert!(!valid.is_empty());
        for entry in &valid {
            let name = entry.file.to_str().unwrap();
            let out = run(&["convert", "--to", "xml", name]);
            if let Some((message, reason)) = corpus::expected_refused(&entry.path) {
                // Refused on purpose today (see corpus::EXPECTED_REFUSED): exit 1, located.
                let err = stderr(&out);
                let root = root_name(&std::fs::read(&entry.file).unwrap());
                if code(&out) != 1 || !err.contains(message) {
                    failures.push(format!(
                        "{}: listed in EXPECTED_REFUSED ({reason}) but exit {}: {}",
                        entry.path,
                        code(&out),
                        err.trim()
                    ));
                } else if let Err(e) = check_error_message(err.trim_end(), name, &root) {
                    failures.push(format!("{}: {e}", entry.path));
                }
                continue;
            }
            if code(&out) != 0 {
                failures.push(format!(
                    "{}: exit {}: {}",
                    entry.path,
                    code(&out),
                    stderr(&out).trim()
                ));
                continue;
            }
            if !out.stderr.is_empty() {
                failures.push(format!("{}: stderr: {}", entry.path, stderr(&out)));
            }
            let input = std::fs::read(&entry.file).unwrap();
            if let Err(e) = infoset::compare_xml(&input, &out.stdout) {
                failures.push(format!("{}: {e}", entry.path));
                continue;
            }
            match codec::roundtrip(&input) {
                // (Streamed for IODEF-Documents, read whole for other roots; a text file
                // ends with a line feed.)
                Ok(written) if format!("{}\n", written.xml).as_bytes() == out.stdout => {}
                Ok(_) => failures.push(format!(
                    "{}: the binary's output differs from Document::to_xml_string",
                    entry.path
                )),
                Err(f) => failures.push(format!("{}: the library refuses it: {f}", entry.path)),
            }
            *per_group
                .entry((entry.version.clone(), root_name(&input)))
                .or_default() += 1;
        }
        assert!(
            failures.is_empty(),
            "{} of {} documents failed:\n{}",
            failures.len(),
            valid.len(),
            failures.join("\n")
        );
        // Every version and several root elements are covered, not just IODEF 2.0.
        for (version, root) in [
            ("2.0", "IODEF-Document"),
            ("1.0", "IODEF-Document"),
            ("1.0", "RID"),
        ] {
            assert!(
                per_group.contains_key(&(version.to_string(), root.to_string())),
                "no valid {version} {root} document converted: {per_group:?}"
            );
        }
    }

    /// Every xmlschema-invalid document (except the listed expected exceptions), every version
    /// and root: exit 1, no output, `FILE:LINE:COL: PATH: message` with PATH under the root.
    #[test]
    fn every_invalid_corpus_document_exits_1_with_location() {
        let mut failures = Vec::new();
        let invalid = corpus::invalid();
        assert!(invalid.iter().any(|e| e.version == "1.0"));
        assert!(invalid.iter().any(|e| e.version == "2.0"));
        for entry in &invalid {
            let name = entry.file.to_str().unwrap();
            let out = run(&["convert", "--to", "xml", name]);
            if let Some(reason) = corpus::expected_accepted(&entry.path) {
                // Listed as accepted today (see corpus::EXPECTED_ACCEPTED).
                if code(&out) != 0 {
                    failures.push(format!(
                        "{}: listed in EXPECTED_ACCEPTED ({reason}) but exit {}: {}",
                        entry.path,
                        code(&out),
                        stderr(&out).trim()
                    ));
                }
                continue;
            }
            if code(&out) != 1 {
                failures.push(format!(
                    "{}: exit {} (expected 1): {}",
                    entry.path,
                    code(&out),
                    stderr(&out).trim()
                ));
                continue;
            }
            if !out.stdout.is_empty() {
                failures.push(format!("{}: output for an invalid document", entry.path));
            }
            let root = root_name(&std::fs::read(&entry.file).unwrap());
            if let Err(e) = check_error_message(stderr(&out).trim_end(), name, &root) {
                failures.push(format!("{}: {e}", entry.path));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} documents failed:\n{}",
            failures.len(),
            invalid.len(),
            failures.join("\n")
        );
    }

    /// An IODEF 1.0 document and a RID message through standard input.
    #[test]
    fn other_roots_convert_from_stdin() {
        for rel in [
            "rfc5070/rfc5070-7.1-worm.xml",
            "rfc6545/rfc6545-7.1.2-acknowledgement.xml",
        ] {
            let input = std::fs::read(corpus_file(rel)).unwrap();
            let out = run_with_stdin(&["convert", "--to", "xml", "-"], &input);
            assert_eq!(code(&out), 0, "{rel}: stderr: {}", stderr(&out));
            infoset::compare_xml(&input, &out.stdout).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
    }

    /// A root element outside the generated namespaces is refused like any invalid input.
    #[test]
    fn foreign_root_exits_1() {
        let input = br#"<?xml version="1.0"?>
<Envelope xmlns="urn:example:not-iodef"><Body/></Envelope>"#;
        let out = run_with_stdin(&["convert", "--to", "xml", "-"], input);
        assert_eq!(code(&out), 1, "stderr: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert!(
            err.starts_with("<stdin>:2:1: error: /Envelope: unknown root element"),
            "stderr: {err}"
        );
    }
}
