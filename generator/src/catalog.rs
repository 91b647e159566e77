//! The project's schema catalog: namespace -> file, pin, module, prefix and recorded fixes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `schemas/catalog.toml`, deserialised.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Namespaces whose types are generated, together with everything they import.
    pub roots: Vec<String>,
    #[serde(rename = "schema")]
    pub schemas: Vec<CatalogEntry>,
}

/// One namespace of the catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub namespace: String,
    pub file: String,
    pub sha256: String,
    /// Rust module name of the generated bindings.
    pub module: String,
    /// Preferred prefix when a writer must declare this namespace.
    pub prefix: String,
    pub source: String,
    #[serde(default, rename = "fix")]
    pub fixes: Vec<Fix>,
}

/// A textual fix applied in memory to a published schema before parsing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fix {
    pub reason: String,
    pub find: String,
    pub replace: String,
    /// Exact number of occurrences expected: guards against a fix silently matching nothing.
    pub count: usize,
}

/// A schema file read from the schema directory, verified and fixed.
#[derive(Debug, Clone)]
pub struct LoadedSchema {
    pub entry: CatalogEntry,
    pub path: PathBuf,
    pub text: String,
}

/// The `iodef` crate's own catalog, built in so that extension catalogs need not repeat it.
const IODEF_CATALOG: &str = include_str!("../../schemas/catalog.toml");

impl Catalog {
    /// The catalog of the namespaces the `iodef` crate ships.
    pub fn iodef() -> Catalog {
        Catalog::from_toml(IODEF_CATALOG).expect("the built-in catalog is valid (tested)")
    }

    /// Adds `base`'s entries for namespaces this catalog does not list (imports only: roots stay).
    pub fn extend_from(&mut self, base: &Catalog) {
        for entry in &base.schemas {
            if self.entry(&entry.namespace).is_none() {
                self.schemas.push(entry.clone());
            }
        }
    }

    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Catalog {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Self::from_toml(&text).map_err(|message| Error::Catalog {
            path: path.to_owned(),
            message,
        })
    }

    pub fn from_toml(text: &str) -> std::result::Result<Self, String> {
        let catalog: Catalog = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = BTreeMap::new();
        for entry in &catalog.schemas {
            if seen.insert(entry.namespace.as_str(), ()).is_some() {
                return Err(format!("namespace {} is listed twice", entry.namespace));
            }
        }
        for root in &catalog.roots {
            if !seen.contains_key(root.as_str()) {
                return Err(format!("root namespace {root} has no [[schema]] entry"));
            }
        }
        Ok(catalog)
    }

    pub fn entry(&self, namespace: &str) -> Option<&CatalogEntry> {
        self.schemas.iter().find(|e| e.namespace == namespace)
    }
}

impl CatalogEntry {
    /// Reads the file from the first of `dirs` that has it, checks its pin and applies the
    /// recorded fixes.
    pub fn load(&self, dirs: &[PathBuf]) -> Result<LoadedSchema> {
        let Some(path) = dirs
            .iter()
            .map(|d| d.join(&self.file))
            .find(|p| p.is_file())
        else {
            let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            return Err(Error::SchemaMissing {
                path: PathBuf::from(&self.file),
                searched: searched.join(", "),
                namespace: self.namespace.clone(),
                expected: self.sha256.clone(),
            });
        };
        let bytes = std::fs::read(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let found = hex(&Sha256::digest(&bytes));
        if !found.eq_ignore_ascii_case(&self.sha256) {
            return Err(Error::SchemaChanged {
                path,
                expected: self.sha256.clone(),
                found,
            });
        }
        let mut text = String::from_utf8(bytes).map_err(|e| Error::Parse {
            file: self.file.clone(),
            message: format!("not UTF-8: {e}"),
        })?;
        for fix in &self.fixes {
            let found = text.matches(fix.find.as_str()).count();
            if found != fix.count {
                return Err(Error::FixDoesNotApply {
                    file: self.file.clone(),
                    reason: fix.reason.clone(),
                    find: fix.find.clone(),
                    expected: fix.count,
                    found,
                });
            }
            text = text.replace(fix.find.as_str(), &fix.replace);
        }
        Ok(LoadedSchema {
            entry: self.clone(),
            path,
            text,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
