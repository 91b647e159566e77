//! Findings shown rustc-style, with the offending source line and a caret under the position
//! (annotate-snippets): `iodef validate`'s text output when standard output is a terminal.
//! Elsewhere, and for what has no position or source (standard input, a file that is not UTF-8),
//! the plain `FILE:LINE:COL: error: PATH: message` lines.

use std::io::{self, Write};

use annotate_snippets::{Level, Renderer, Snippet};

use crate::validate::{self, FileReport, Severity, SCHEMA_RULE};

/// Writes `report`'s findings with their source lines (`color`: ANSI styles).
pub fn write_report(
    out: &mut impl Write,
    report: &FileReport,
    verbose: bool,
    color: bool,
) -> io::Result<()> {
    let wanted: std::collections::BTreeSet<u64> = report
        .findings
        .iter()
        .map(|f| f.line)
        .filter(|&line| line > 0)
        .collect();
    let source = match report.file != validate::STDIN_NAME && !wanted.is_empty() {
        true => source_lines(&report.file, &wanted).unwrap_or_default(),
        false => Default::default(),
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for f in &report.findings {
        let line = source.get(&f.line).map(String::as_str);
        let Some(line) = line else {
            let one = FileReport {
                findings: vec![f.clone()],
                ..report.clone()
            };
            validate::write_text(out, &one, false)?;
            continue;
        };
        let title = match f.path.is_empty() {
            true => f.message.clone(),
            false => format!("{}: {}", f.path, f.message),
        };
        let title = match f.rule.as_str() {
            SCHEMA_RULE => title,
            rule => format!("{title} ({rule})"),
        };
        let level = match f.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let span = token_at(line, usize::try_from(f.column).unwrap_or(1));
        let message = level.title(&title).snippet(
            Snippet::source(line)
                .line_start(usize::try_from(f.line).unwrap_or(1))
                .origin(&f.file)
                .annotation(level.span(span)),
        );
        writeln!(out, "{}", renderer.render(message))?;
    }
    if verbose && report.is_valid() {
        validate::write_text(out, report, true)?;
    }
    Ok(())
}

/// Longest source line shown (a longer one, e.g. a minified document on one line, gets the
/// plain finding line).
const MAX_SHOWN_LINE: usize = 1000;

/// The lines numbered `wanted` (1-based, as `str::lines` splits) of `file`, in one buffered
/// pass that keeps only them (and none longer than [`MAX_SHOWN_LINE`] bytes): linear in the
/// file whatever the number of findings, memory bounded by what is shown.
fn source_lines(
    file: &str,
    wanted: &std::collections::BTreeSet<u64>,
) -> io::Result<std::collections::HashMap<u64, String>> {
    use std::io::BufRead;
    let mut input = io::BufReader::with_capacity(64 << 10, std::fs::File::open(file)?);
    let last = wanted.iter().next_back().copied().unwrap_or(0);
    let (mut lines, mut number, mut current) = (std::collections::HashMap::new(), 1u64, Vec::new());
    let mut keep = wanted.contains(&1);
    while number <= last {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (piece, ends_line) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], true),
            None => (chunk, false),
        };
        if keep {
            if current.len() + piece.len() <= MAX_SHOWN_LINE {
                current.extend_from_slice(piece);
            } else {
                keep = false;
                current.clear();
            }
        }
        let used = piece.len() + usize::from(ends_line);
        input.consume(used);
        if ends_line {
            if keep {
                if current.last() == Some(&b'\r') {
                    current.pop();
                }
                if let Ok(text) = String::from_utf8(std::mem::take(&mut current)) {
                    lines.insert(number, text);
                }
            }
            number += 1;
            keep = wanted.contains(&number);
            current.clear();
        }
    }
    if keep && !current.is_empty() {
        if let Ok(text) = String::from_utf8(current) {
            lines.insert(number, text);
        }
    }
    Ok(lines)
}

/// The byte range of the token at 1-based character `column` of `line` (a tag or a value: up
/// to the next space or `>`), at least one character, within the line.
fn token_at(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut end = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_whitespace() || *c == '>')
        .map_or(rest.len(), |(i, c)| if c == '>' { i + 1 } else { i });
    if end == 0 {
        end = rest.chars().next().map_or(0, char::len_utf8);
    }
    start..start + end
}

#[cfg(test)]
mod tests {
    use super::{source_lines, token_at, MAX_SHOWN_LINE};

    #[test]
    fn only_the_lines_asked_for_are_kept() {
        let path = std::env::temp_dir().join(format!("iodef-snippet-{}.xml", std::process::id()));
        let long = "x".repeat(MAX_SHOWN_LINE + 1);
        std::fs::write(&path, format!("one\r\ntwo\n{long}\nfour\nlast")).unwrap();
        let wanted = [2, 3, 4, 5, 9].into_iter().collect();
        let lines = source_lines(&path.to_string_lossy(), &wanted).unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut got: Vec<(u64, String)> = lines.into_iter().collect();
        got.sort();
        // Line 3 is too long to show; line 9 does not exist; CR LF ends a line as LF does.
        assert_eq!(
            got,
            [
                (2, "two".to_string()),
                (4, "four".to_string()),
                (5, "last".to_string())
            ]
        );
    }

    #[test]
    fn the_token_under_the_caret() {
        let line = r#"  <Incident purpose="nonsense">"#;
        assert_eq!(&line[token_at(line, 3)], "<Incident");
        assert_eq!(&line[token_at(line, 13)], r#"purpose="nonsense">"#);
        assert_eq!(token_at("", 1), 0..0);
        assert_eq!(&"é<x/>"[token_at("é<x/>", 2)], "<x/>");
    }
}
