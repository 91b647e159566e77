//! `iodef split` (one document per Incident, the header kept) and `iodef merge` (the Incidents
//! of several documents with the same header in one), for IODEF 2.0 and 1.0 documents.
//!
//! The header is everything of the `IODEF-Document` but its Incidents: its attributes, its
//! document-level `AdditionalData`, its xsi attributes, comments and processing instructions.
//! Each output is validated as a whole before it is written: an Incident that refers to an ID
//! in another one cannot be split off, and merging documents whose IDs clash is refused.

use iodef::bindings::Root;
use iodef::{v1, v2, Document};

/// An IODEF-Document of either version, split into its header and its Incidents.
pub enum Parts {
    /// IODEF 2.0 (RFC 7970).
    V2(Box<v2::IodefDocument>, Vec<v2::Incident>),
    /// IODEF 1.0 (RFC 5070).
    V1(Box<v1::IodefDocument>, Vec<v1::Incident>),
}

impl Parts {
    /// The header and Incidents of `doc`, or why it has none.
    pub fn of(doc: &Document<Root>) -> Result<Parts, String> {
        match (doc.root.as_iodef2(), doc.root.as_iodef1()) {
            (Some(d), _) => {
                let mut header = d.clone();
                let incidents = std::mem::take(&mut header.incident);
                Ok(Parts::V2(Box::new(header), incidents))
            }
            (_, Some(d)) => {
                let mut header = d.clone();
                let incidents = std::mem::take(&mut header.incident);
                Ok(Parts::V1(Box::new(header), incidents))
            }
            _ => Err(format!(
                "not an IODEF-Document: the root is {{{}}}{}",
                doc.root.namespace(),
                doc.root.local_name()
            )),
        }
    }

    /// How many Incidents.
    pub fn len(&self) -> usize {
        match self {
            Parts::V2(_, i) => i.len(),
            Parts::V1(_, i) => i.len(),
        }
    }

    /// The document made of the header and the Incidents `range`, with `like`'s prolog, epilog
    /// and xsi attributes.
    pub fn document(&self, range: std::ops::Range<usize>, like: &Document<Root>) -> Document<Root> {
        let root = match self {
            Parts::V2(header, incidents) => {
                let mut d = header.clone();
                d.incident = incidents[range].to_vec();
                Root::Iodef2(v2::Element::IodefDocument(d))
            }
            Parts::V1(header, incidents) => {
                let mut d = header.clone();
                d.incident = incidents[range].to_vec();
                Root::Iodef1(v1::Element::IodefDocument(d))
            }
        };
        let mut doc = Document::new(root);
        doc.xsi = like.xsi.clone();
        doc.prolog = like.prolog.clone();
        doc.epilog = like.epilog.clone();
        doc
    }

    /// Appends `other`'s Incidents when its header is this one's; otherwise says what differs.
    pub fn absorb(&mut self, other: Parts) -> Result<(), String> {
        let differs = match (self, other) {
            (Parts::V2(h, i), Parts::V2(oh, oi)) => {
                let differs = [
                    (h.version != oh.version, "version"),
                    (h.lang != oh.lang, "xml:lang"),
                    (h.format_id != oh.format_id, "format-id"),
                    (
                        h.private_enum_name != oh.private_enum_name,
                        "private-enum-name",
                    ),
                    (h.private_enum_id != oh.private_enum_id, "private-enum-id"),
                    (
                        h.additional_data != oh.additional_data,
                        "the document's AdditionalData",
                    ),
                    (h.extra != oh.extra, "the root's comments or xsi attributes"),
                ]
                .into_iter()
                .find_map(|(d, what)| d.then_some(what));
                if differs.is_none() {
                    i.extend(oi);
                }
                differs
            }
            (Parts::V1(h, i), Parts::V1(oh, oi)) => {
                let differs = [
                    (h.version != oh.version, "version"),
                    (h.lang != oh.lang, "xml:lang"),
                    (h.formatid != oh.formatid, "formatid"),
                    (h.extra != oh.extra, "the root's comments or xsi attributes"),
                ]
                .into_iter()
                .find_map(|(d, what)| d.then_some(what));
                if differs.is_none() {
                    i.extend(oi);
                }
                differs
            }
            _ => return Err("IODEF 1.0 and 2.0 documents cannot be merged".to_string()),
        };
        match differs {
            None => Ok(()),
            Some(what) => Err(format!(
                "its header differs from the first document's: {what}"
            )),
        }
    }
}
