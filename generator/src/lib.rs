//! `iodef-codegen`: generates Rust types, XML readers and writers from the IODEF XML Schemas.
//!
//! One pure engine, thin front ends: [`Builder::generate`] returns the files in memory; the CLI
//! and build scripts only decide where they go ([`Output::write_to`], [`Output::check_against`]).
//!
//! ```no_run
//! let output = iodef_codegen::Builder::from_catalog("schemas/catalog.toml").generate()?;
//! output.write_to("generated/src/bindings")?;
//! # Ok::<(), iodef_codegen::Error>(())
//! ```

pub mod catalog;
mod error;
pub mod ir;
pub mod loader;
pub mod naming;
pub mod output;
pub mod render;

use std::path::PathBuf;

pub use crate::catalog::Catalog;
pub use crate::error::{Error, Result};
pub use crate::output::{GeneratedFile, Output, WriteReport};
pub use crate::render::RenderOptions;

/// Environment variable naming the directory the XSD files are read from.
pub const SCHEMA_DIR_ENV: &str = "IODEF_SCHEMA_DIR";

/// Configures and runs a generation. By value: `Builder::from_catalog(..).schema_dir(..).generate()`.
#[derive(Debug, Clone)]
pub struct Builder {
    catalog_path: PathBuf,
    schema_dirs: Vec<PathBuf>,
    roots: Option<Vec<String>>,
    render: RenderOptions,
}

impl Builder {
    /// Uses the catalog at `path` (e.g. `schemas/catalog.toml`).
    pub fn from_catalog(path: impl Into<PathBuf>) -> Self {
        Builder {
            catalog_path: path.into(),
            schema_dirs: Vec::new(),
            roots: None,
            render: RenderOptions::default(),
        }
    }

    /// Adds a directory to search for XSD files (searched in the order added, before the default
    /// search). Without any, `$IODEF_SCHEMA_DIR` (a path list) or the default search is used.
    pub fn schema_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.schema_dirs.push(dir.into());
        self
    }

    /// Overrides the catalog's root namespaces (their imports are generated too).
    pub fn roots<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roots: I) -> Self {
        self.roots = Some(roots.into_iter().map(Into::into).collect());
        self
    }

    /// Path of the runtime support module in generated code (default `crate::rt`).
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.render.runtime_path = path.into();
        self
    }

    /// The schema search path: the catalog's own directory (extension XSDs next to their catalog),
    /// then the explicit directories, or else `$IODEF_SCHEMA_DIR` (a path list), or else the first
    /// `shared/schemas` folder found in an ancestor of the catalog's directory or of the current
    /// directory (for this repository: `../shared/schemas`).
    pub fn resolve_schema_dirs(&self) -> Result<Vec<PathBuf>> {
        let catalog_dir = match self.catalog_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let mut dirs = vec![catalog_dir.clone()];
        if !self.schema_dirs.is_empty() {
            dirs.extend(self.schema_dirs.iter().cloned());
            return Ok(dirs);
        }
        if let Some(list) = std::env::var_os(SCHEMA_DIR_ENV) {
            dirs.extend(std::env::split_paths(&list));
            return Ok(dirs);
        }
        // Default: a `shared/schemas` folder beside the repository (or any ancestor), looked up
        // from the catalog's directory, then from the current directory.
        let mut searched = Vec::new();
        let starts = [
            catalog_dir.canonicalize().ok(),
            std::env::current_dir().ok(),
        ];
        for start in starts.iter().flatten() {
            for ancestor in start.ancestors() {
                let candidate = ancestor.join("shared").join("schemas");
                if candidate.is_dir() {
                    dirs.push(candidate);
                    return Ok(dirs);
                }
                searched.push(candidate.display().to_string());
            }
        }
        Err(Error::SchemaDirNotFound {
            searched: searched.join(", "),
        })
    }

    /// Loads, interprets and renders. Pure apart from reading the catalog and schema files.
    pub fn generate(&self) -> Result<Output> {
        let mut catalog = Catalog::from_file(&self.catalog_path)?;
        if let Some(roots) = &self.roots {
            catalog.roots = roots.clone();
        }
        for entry in &catalog.schemas {
            if !naming::is_identifier(&entry.module) {
                return Err(Error::Catalog {
                    path: self.catalog_path.clone(),
                    message: format!("module name {:?} is not a Rust identifier", entry.module),
                });
            }
        }
        let dirs = self.resolve_schema_dirs()?;
        let loaded = loader::load(&catalog, &dirs)?;
        let model = ir::build(&loaded, &catalog)?;
        let files = render::render(&model, &self.render)?;
        let schema_files = loaded.files.values().map(|s| s.path.clone()).collect();
        Ok(Output::new(files, schema_files))
    }
}
