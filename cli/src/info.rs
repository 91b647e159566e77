//! `iodef info`: what a document holds, in one line per file (or one JSON object): its root,
//! IODEF version, how many Incidents, Indicators and Observables, and the extension namespaces
//! it uses.

use std::collections::BTreeSet;
use std::io::{self, Write};

use iodef::bindings::Root;
use iodef::{v1, v2, AnyElement, Document, Mixed, MixedNode};
use serde::Serialize;

/// What `iodef info` says of one document.
#[derive(Debug, Serialize)]
pub struct Info {
    /// The file as named (`<stdin>` for `-`).
    pub file: String,
    /// The root element, `{namespace}local`.
    pub root: String,
    /// The `version` attribute of an `IODEF-Document`.
    pub version: Option<String>,
    /// Incidents of the IODEF documents in it (the root's children; those a RID message carries).
    pub incidents: usize,
    /// Indicators, anywhere.
    pub indicators: usize,
    /// Observables, anywhere.
    pub observables: usize,
    /// Namespaces of the elements inside extension content (typed or kept as XML), other than
    /// the root's, sorted.
    pub extensions: Vec<String>,
}

impl Info {
    /// The facts of `doc`, read from `file`.
    pub fn of(file: &str, doc: &Document<Root>) -> Info {
        let root_ns = doc.root.namespace();
        let version = match (doc.root.as_iodef2(), doc.root.as_iodef1()) {
            (Some(d), _) => d.version.clone(),
            (_, Some(d)) => d.version.clone(),
            _ => None,
        };
        // One walk over every value. The Incidents are those of every IODEF document in it
        // (the root's, or those a RID message carries; not those an Observable describes).
        let (mut incidents, mut indicators, mut observables) = (0, 0, 0);
        let mut extensions = BTreeSet::new();
        iodef::visit::Walk::walk(&doc.root, &mut |v: &dyn std::any::Any| {
            if let Some(d) = v.downcast_ref::<v2::IodefDocument>() {
                incidents += d.incident.len();
            } else if let Some(d) = v.downcast_ref::<v1::IodefDocument>() {
                incidents += d.incident.len();
            } else if v.is::<v2::Indicator>() {
                indicators += 1;
            } else if v.is::<v2::Observable>() {
                observables += 1;
            } else if let Some(mixed) = v.downcast_ref::<Mixed>() {
                // Typed extension elements (raw ones are walked as `AnyElement`s).
                for node in &mixed.0 {
                    if let MixedNode::Typed(t) = node {
                        extensions.insert(t.namespace().to_string());
                    }
                }
            } else if let Some(e) = v.downcast_ref::<AnyElement>() {
                extensions.insert(namespace_name(e));
            }
        });
        extensions.remove(root_ns);
        Info {
            file: file.to_string(),
            root: format!("{{{root_ns}}}{}", doc.root.local_name()),
            version,
            incidents,
            indicators,
            observables,
            extensions: extensions.into_iter().collect(),
        }
    }

    /// `FILE: ROOT version V: N Incidents, N Indicators, N Observables; extensions: NS, NS`.
    pub fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(out, "{}: {}", self.file, self.root)?;
        if let Some(v) = &self.version {
            write!(out, " version {v}")?;
        }
        write!(
            out,
            ": {}, {}, {}",
            plural(self.incidents, "Incident"),
            plural(self.indicators, "Indicator"),
            plural(self.observables, "Observable")
        )?;
        if !self.extensions.is_empty() {
            write!(out, "; extensions: {}", self.extensions.join(", "))?;
        }
        writeln!(out)
    }
}

/// An element's namespace URI, or `(no namespace)`.
fn namespace_name(e: &AnyElement) -> String {
    e.ns.clone().unwrap_or_else(|| "(no namespace)".to_string())
}
