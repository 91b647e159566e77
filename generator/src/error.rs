//! The one error type of the generator.

use std::path::PathBuf;

/// Everything that can go wrong while loading schemas or generating code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read catalog {path}: {message}")]
    Catalog { path: PathBuf, message: String },
    #[error("schema directory not found; searched: {searched}. Pass --schema-dir or set IODEF_SCHEMA_DIR")]
    SchemaDirNotFound { searched: String },
    #[error("schema file {path} for namespace {namespace} is missing (expected sha256 {expected}; searched {searched})")]
    SchemaMissing {
        path: PathBuf,
        searched: String,
        namespace: String,
        expected: String,
    },
    #[error(
        "schema file {path} does not match its pin: expected sha256 {expected}, found {found}"
    )]
    SchemaChanged {
        path: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{file}: recorded fix no longer applies ({reason}): expected {expected} occurrence(s) of {find:?}, found {found}")]
    FixDoesNotApply {
        file: String,
        reason: String,
        find: String,
        expected: usize,
        found: usize,
    },
    #[error("{file}: namespace {namespace} is imported but not in the catalog")]
    UnknownNamespace { file: String, namespace: String },
    #[error("{file}: cannot parse schema: {message}")]
    Parse { file: String, message: String },
    #[error("cannot interpret schemas: {message}")]
    Interpret { message: String },
    #[error("{file}:{line}: {component}: unsupported construct: {what}")]
    Unsupported {
        file: String,
        /// Line of the component's declaration (0 when it cannot be found).
        line: usize,
        component: String,
        what: String,
    },
    #[error("generated code for module {module} does not parse (generator bug): {message}")]
    Render { module: String, message: String },
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
