//! Runs the real `iodef` binary: exit codes, messages, and a round trip of every
//! schema-valid IODEF 2.0 corpus document through `iodef convert --to xml`.
//!
//! Tests that need a working parser are gated behind the `bindings` feature
//! (off until the generated bindings land).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn iodef() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iodef"));
    cmd.stdin(Stdio::null());
    cmd
}

fn run(args: &[&str]) -> Output {
    iodef().args(args).output().expect("run iodef")
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = iodef()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn iodef");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // The child may exit before reading everything; that is not our concern here.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for iodef");
    writer.join().expect("stdin writer");
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .expect("iodef exited normally (not by a signal)")
}

fn corpus_file(rel: &str) -> PathBuf {
    iodef_tests::corpus::corpus_dir().join(rel)
}

#[test]
fn no_arguments_is_a_usage_error() {
    let out = run(&[]);
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
    assert!(
        err.starts_with("iodef: ") && err.contains(missing),
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
    use iodef_tests::{corpus, infoset};

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

    /// `iodef: FILE:LINE:COL: PATH: message`
    fn assert_error_message(err: &str, name: &str) {
        let rest = err
            .strip_prefix("iodef: ")
            .and_then(|r| r.strip_prefix(name))
            .and_then(|r| r.strip_prefix(':'))
            .unwrap_or_else(|| panic!("stderr does not start with `iodef: {name}:`: {err}"));
        let mut parts = rest.splitn(4, ':');
        let line = parts.next().unwrap_or_default();
        let col = parts.next().unwrap_or_default();
        let path = parts.next().unwrap_or_default().trim();
        let message = parts.next().unwrap_or_default().trim();
        assert!(
            line.parse::<u64>().is_ok_and(|n| n > 0),
            "no line number: {err}"
        );
        assert!(col.parse::<u64>().is_ok(), "no column number: {err}");
        assert!(
            path.starts_with("/IODEF-Document"),
            "no element path: {err}"
        );
        assert!(!message.is_empty(), "no message: {err}");
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
                stderr(&out).starts_with("iodef: <stdin>:"),
                "stderr: {}",
                stderr(&out)
            );
        }
    }

    #[test]
    fn every_valid_iodef2_corpus_document_round_trips() {
        let mut failures = Vec::new();
        let valid = corpus::iodef2_valid();
        assert!(!valid.is_empty());
        for entry in &valid {
            let out = run(&["convert", "--to", "xml", entry.file.to_str().unwrap()]);
            if code(&out) != 0 {
                failures.push(format!(
                    "{}: exit {}: {}",
                    entry.path,
                    code(&out),
                    stderr(&out).trim()
                ));
                continue;
            }
            let input = std::fs::read(&entry.file).unwrap();
            if let Err(e) = infoset::compare_xml(&input, &out.stdout) {
                failures.push(format!("{}: {e}", entry.path));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} documents failed:\n{}",
            failures.len(),
            valid.len(),
            failures.join("\n")
        );
    }
}
