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
    let source = (report.file != validate::STDIN_NAME
        && report.findings.iter().any(|f| f.line > 0))
    .then(|| std::fs::read(&report.file).ok())
    .flatten()
    .and_then(|bytes| String::from_utf8(bytes).ok());
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for f in &report.findings {
        let line = source
            .as_deref()
            .filter(|_| f.line > 0)
            .and_then(|s| s.lines().nth(usize::try_from(f.line - 1).ok()?));
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
    use super::token_at;

    #[test]
    fn the_token_under_the_caret() {
        let line = r#"  <Incident purpose="nonsense">"#;
        assert_eq!(&line[token_at(line, 3)], "<Incident");
        assert_eq!(&line[token_at(line, 13)], r#"purpose="nonsense">"#);
        assert_eq!(token_at("", 1), 0..0);
        assert_eq!(&"é<x/>"[token_at("é<x/>", 2)], "<x/>");
    }
}
