//! Running the real `iodef` binary from the integration tests of this package.

#![allow(dead_code)] // each test crate uses its own subset

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `iodef` binary with standard input closed.
pub fn iodef() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iodef"));
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `iodef ARGS` with standard input closed.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    iodef().args(args).output().expect("run iodef")
}

/// Runs `iodef ARGS` with `input` on standard input.
pub fn run_with_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], input: &[u8]) -> Output {
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

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The exit code (the binary must not die from a signal, e.g. a stack overflow).
pub fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("iodef was killed by a signal: {:?}", out.status))
}

/// The JSON lines of `iodef validate --format json`.
pub fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line: {e}: {l:?}")))
        .collect()
}

/// A text finding `FILE:LINE:COL: error: PATH: message`, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFinding {
    pub line: u64,
    pub column: u64,
    pub path: String,
    pub message: String,
}

/// Parses one text finding line of `file`; an error says what is wrong with it.
pub fn parse_text_finding(line: &str, file: &str) -> Result<TextFinding, String> {
    let rest = line
        .strip_prefix(file)
        .and_then(|r| r.strip_prefix(':'))
        .ok_or_else(|| format!("does not start with `{file}:`: {line}"))?;
    let mut parts = rest.splitn(3, ':');
    let number = |s: Option<&str>, what: &str| {
        s.and_then(|s| s.parse::<u64>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("no {what}: {line}"))
    };
    let line_no = number(parts.next(), "line")?;
    let column = number(parts.next(), "column")?;
    let rest = parts.next().unwrap_or_default();
    let rest = rest
        .strip_prefix(" error: ")
        .ok_or_else(|| format!("no ` error: ` after LINE:COL: {line}"))?;
    let (path, message) = rest
        .split_once(": ")
        .ok_or_else(|| format!("no `PATH: message`: {line}"))?;
    if !path.starts_with('/') {
        return Err(format!("path does not start with `/`: {line}"));
    }
    if message.trim().is_empty() {
        return Err(format!("empty message: {line}"));
    }
    Ok(TextFinding {
        line: line_no,
        column,
        path: path.to_string(),
        message: message.to_string(),
    })
}
