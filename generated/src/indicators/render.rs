//! Plain, CSV and JSON-lines output.

use std::io::{self, Write};

use super::IndicatorValue;

/// One value per line.
pub fn write_plain<'a>(
    out: &mut dyn Write,
    indicators: impl IntoIterator<Item = &'a IndicatorValue>,
) -> io::Result<()> {
    for i in indicators {
        writeln!(out, "{}", i.value)?;
    }
    Ok(())
}

/// CSV (RFC 4180: CRLF line ends, fields quoted when needed) with a header line
/// `kind,value,path,file`; each item is (file name, indicator).
pub fn write_csv<'a>(
    out: &mut dyn Write,
    indicators: impl IntoIterator<Item = (&'a str, &'a IndicatorValue)>,
) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(["kind", "value", "path", "file"])?;
    for (file, i) in indicators {
        writer.write_record([i.kind.as_str(), &i.value, &i.path, file])?;
    }
    writer.flush()
}

/// JSON lines: one object per indicator,
/// `{"kind","value","path","file","indicator_id"}` and `"via"` (the ObservableReference's
/// path) for a value reached through a reference.
pub fn write_json<'a>(
    out: &mut dyn Write,
    indicators: impl IntoIterator<Item = (&'a str, &'a IndicatorValue)>,
) -> io::Result<()> {
    for (file, i) in indicators {
        let mut record = serde_json::json!({
            "kind": i.kind.as_str(),
            "value": i.value,
            "path": i.path,
            "file": file,
            "indicator_id": i.origin.indicator_id,
        });
        if let Some(via) = &i.via {
            record["via"] = via.as_str().into();
        }
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
