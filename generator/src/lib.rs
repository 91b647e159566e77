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
pub use crate::render::{Layout, RenderOptions};

/// build.rs support: `iodef_codegen::build::generate("schemas/catalog.toml")?` in a build script,
/// `iodef::include_bindings!();` in the crate.
pub mod build {
    use std::path::Path;

    use crate::{Builder, Output, Result};

    /// Generates the catalog's namespaces into `$OUT_DIR/iodef_bindings.rs`, reusing `iodef`'s
    /// types for the IODEF namespaces, and prints `cargo:rerun-if-changed` for every file read.
    /// `catalog` is relative to the crate being built.
    pub fn generate(catalog: impl AsRef<Path>) -> Result<Output> {
        let dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map_or_else(Default::default, std::path::PathBuf::from);
        Builder::for_build_script(dir.join(catalog)).build()
    }
}

/// Environment variable naming the directory the XSD files are read from.
pub const SCHEMA_DIR_ENV: &str = "IODEF_SCHEMA_DIR";

/// Configures and runs a generation. By value: `Builder::from_catalog(..).schema_dir(..).generate()`.
#[derive(Debug, Clone)]
pub struct Builder {
    catalog_path: PathBuf,
    schema_dirs: Vec<PathBuf>,
    base: Option<Catalog>,
    roots: Option<Vec<String>>,
    render: RenderOptions,
}

impl Builder {
    /// Uses the catalog at `path` (e.g. `schemas/catalog.toml`).
    pub fn from_catalog(path: impl Into<PathBuf>) -> Self {
        Builder {
            catalog_path: path.into(),
            schema_dirs: Vec::new(),
            base: None,
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

    /// Reuses existing Rust types for `namespace` (e.g. `::iodef::bindings::iodef2`) instead of
    /// generating them again (like prost's `extern_path`).
    pub fn extern_namespace(
        mut self,
        namespace: impl Into<String>,
        rust_path: impl Into<String>,
    ) -> Self {
        self.render
            .extern_modules
            .insert(namespace.into(), rust_path.into());
        self
    }

    /// One file per module (default) or one file of inline modules (for `include!`).
    pub fn layout(mut self, layout: Layout) -> Self {
        self.render.layout = layout;
        self
    }

    /// Catalog entries consulted for imports that the catalog itself does not list.
    pub fn base_catalog(mut self, base: Catalog) -> Self {
        self.base = Some(base);
        self
    }

    /// The preset for build scripts: the catalog's namespaces generated as one file of inline
    /// modules using the `iodef` runtime, with every namespace the `iodef` crate ships taken from
    /// `iodef` (its catalog is built in, so an extension catalog lists only its own schemas).
    pub fn for_build_script(catalog: impl Into<PathBuf>) -> Self {
        let mut builder = Builder::from_catalog(catalog)
            .runtime_path("::iodef::rt")
            .layout(Layout::SingleFile)
            .base_catalog(Catalog::iodef());
        for entry in Catalog::iodef().schemas {
            builder = builder.extern_namespace(
                entry.namespace,
                format!("::iodef::bindings::{}", entry.module),
            );
        }
        builder
    }

    /// For build scripts: generates into `$OUT_DIR` (nowhere else) and prints
    /// `cargo:rerun-if-changed` for the catalog and every schema file read, imports included.
    pub fn build(&self) -> Result<Output> {
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or_else(|| Error::Catalog {
                path: self.catalog_path.clone(),
                message: "OUT_DIR is not set: Builder::build is meant for build scripts".into(),
            })?;
        let output = self.generate()?;
        println!("cargo:rerun-if-changed={}", self.catalog_path.display());
        for file in &output.schema_files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        println!("cargo:rerun-if-env-changed={SCHEMA_DIR_ENV}");
        output.write_to(out_dir)?;
        Ok(output)
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
        if let Some(base) = &self.base {
            catalog.extend_from(base);
        }
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
