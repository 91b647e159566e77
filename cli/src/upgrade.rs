//! `iodef convert --to-version 2`: IODEF 1.0 → 2.0 ([`iodef::upgrade`]), its losses as
//! warnings on standard error and as a `--loss-report` record.

use std::io::Write;

use iodef::upgrade::{self, LossKind};
use iodef::{Document, Root};

/// Converts `doc` (named `name`) to IODEF 2.0. Each loss is a warning on `err` (an error with
/// `fail_on_loss`), each note a note; the report record is
/// `{"file","to":"iodef-2.0","losses":[{"path","kind","what"}]}`. An IODEF 2.0 document is
/// passed through unchanged (with a note). Fails, with the message, for any other root, for
/// a loss under `fail_on_loss`, and should the output not be schema-valid IODEF 2.0.
pub fn to_v2(
    doc: Document<Root>,
    name: &str,
    fail_on_loss: bool,
    err: &mut Vec<u8>,
) -> Result<(Document<Root>, serde_json::Value), String> {
    if doc.root.as_iodef2().is_some() {
        // Nothing to do when standard error is gone.
        let _ = writeln!(err, "{name}: note: already IODEF 2.0: written unchanged");
        return Ok((doc, report(name, &[])));
    }
    let (converted, losses) = upgrade::document_to_v2(&doc).map_err(|e| e.to_string())?;
    // The 1.0 values are no longer needed: free them before the output is checked.
    drop(doc);
    for loss in &losses {
        let severity = match loss.kind {
            LossKind::Inferred => "note",
            _ if fail_on_loss => "error",
            _ => "warning",
        };
        let _ = writeln!(
            err,
            "{name}: {severity}: {}: {}: {}",
            loss.path,
            loss.kind.as_str(),
            loss.what
        );
    }
    let lost = losses.iter().filter(|l| l.kind.is_loss()).count();
    if fail_on_loss && lost > 0 {
        return Err(format!(
            "{lost} item(s) would be lost or changed in IODEF 2.0 (--fail-on-loss): nothing written"
        ));
    }
    // The mapping is meant to give schema-valid output; should it not, say so rather than
    // write an invalid document.
    let check = converted.validate();
    if let Some(e) = check.errors.first() {
        return Err(format!(
            "the IODEF 2.0 output is not schema-valid ({} error(s), first: {e}); please report \
             this document",
            check.errors.len()
        ));
    }
    Ok((converted, report(name, &losses)))
}

fn report(name: &str, losses: &[upgrade::Loss]) -> serde_json::Value {
    serde_json::json!({
        "file": name,
        "to": "iodef-2.0",
        "losses": losses
            .iter()
            .map(|l| serde_json::json!({ "path": l.path, "kind": l.kind.as_str(), "what": l.what }))
            .collect::<Vec<_>>(),
    })
}

/// One `--loss-report` record for a file converted to IODEF 2.0 and then to JSON/CBOR: the
/// upgrade's losses first, then the format's, under the format's `to`.
pub fn merge_reports(
    upgrade: Option<serde_json::Value>,
    format: Option<serde_json::Value>,
) -> Option<serde_json::Value> {
    match (upgrade, format) {
        (Some(mut upgrade), Some(format)) => {
            if let (Some(losses), Some(more)) = (
                upgrade["losses"].as_array_mut(),
                format["losses"].as_array(),
            ) {
                losses.extend(more.iter().cloned());
            }
            upgrade["to"] = format["to"].clone();
            Some(upgrade)
        }
        (upgrade, format) => upgrade.or(format),
    }
}
