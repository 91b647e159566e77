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

use std::path::{Path, PathBuf};

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
    schema_dir: Option<PathBuf>,
    roots: Option<Vec<String>>,
    render: RenderOptions,
}

impl Builder {
    /// Uses the catalog at `path` (e.g. `schemas/catalog.toml`).
    pub fn from_catalog(path: impl Into<PathBuf>) -> Self {
        Builder { catalog_path: path.into(), schema_dir: None, roots: None, render: RenderOptions::default() }
    }

    /// Reads the XSD files from `dir` instead of the default search.
    pub fn schema_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.schema_dir = Some(dir.into());
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

    /// The schema directory: the explicit option, then `$IODEF_SCHEMA_DIR`, then the first of
    /// `<catalog dir>/../../shared/schemas` and `./../shared/schemas` that exists.
    pub fn resolve_schema_dir(&self) -> Result<PathBuf> {
        if let Some(dir) = &self.schema_dir {
            return Ok(dir.clone());
        }
        if let Some(dir) = std::env::var_os(SCHEMA_DIR_ENV) {
            return Ok(PathBuf::from(dir));
        }
        let catalog_dir = self.catalog_path.parent().unwrap_or(Path::new("."));
        let repo = if catalog_dir.as_os_str().is_empty() { Path::new(".").join("..") } else { catalog_dir.join("..") };
        let candidates = [repo.join("..").join("shared").join("schemas"), PathBuf::from("../shared/schemas")];
        for c in &candidates {
            if c.is_dir() {
                return Ok(c.clone());
            }
        }
        Err(Error::SchemaDirNotFound {
            searched: candidates.iter().map(|c| c.display().to_string()).collect::<Vec<_>>().join(", "),
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
        let dir = self.resolve_schema_dir()?;
        let loaded = loader::load(&catalog, &dir)?;
        let model = ir::build(&loaded, &catalog)?;
        let files = render::render(&model, &self.render)?;
        let schema_files = loaded.files.values().map(|s| s.path.clone()).collect();
        Ok(Output::new(files, schema_files))
    }
}
