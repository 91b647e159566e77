//! `iodef-codegen generate | check`: a thin front end over `iodef_codegen::Builder`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use iodef_codegen::Builder;

#[derive(Parser)]
#[command(
    name = "iodef-codegen",
    version,
    about = "Generate Rust bindings from the IODEF XML Schemas"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the bindings (writes only files that changed).
    Generate(Common),
    /// Exit 0 when the checked-in bindings are current, 1 with a unified diff when not.
    Check(Common),
}

#[derive(Args)]
struct Common {
    /// The catalog (default: schemas/catalog.toml of the repository around the current directory).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// Directory holding the XSD files, searched in order (repeatable; default: $IODEF_SCHEMA_DIR,
    /// then the first shared/schemas of an ancestor directory).
    #[arg(long = "schema-dir", value_name = "DIR")]
    schema_dirs: Vec<PathBuf>,
    /// Output directory (default: generated/src/bindings of the repository).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Extension preset, as build scripts get it (`Builder::for_build_script`): one file of inline
    /// modules on the `iodef` runtime, IODEF namespaces reused from the `iodef` crate.
    #[arg(long)]
    extension: bool,
    /// Path of the runtime module in generated code (default `crate::rt`, or `::iodef::rt`).
    #[arg(long)]
    runtime_path: Option<String>,
    /// Reuse existing types for a namespace: `NAMESPACE=RUST_PATH` (repeatable).
    #[arg(long = "extern", value_name = "NAMESPACE=RUST_PATH")]
    externs: Vec<String>,
    /// Generate these namespaces (and their imports) instead of the catalog's roots (repeatable).
    #[arg(long = "root", value_name = "NAMESPACE")]
    roots: Vec<String>,
    /// Write one file of inline modules (`iodef_bindings.rs`) instead of one file per module.
    #[arg(long)]
    single_file: bool,
}

/// The repository root: the nearest ancestor of the current directory with schemas/catalog.toml,
/// else the one this binary was built from (this package is `generator/cli`).
fn repo_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for dir in cwd.ancestors() {
        if dir.join("schemas").join("catalog.toml").is_file() {
            return dir.to_owned();
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

fn builder(c: &Common, root: &Path) -> Result<Builder, String> {
    let catalog = c
        .catalog
        .clone()
        .unwrap_or_else(|| root.join("schemas").join("catalog.toml"));
    let mut b = if c.extension {
        Builder::for_build_script(catalog)
    } else {
        Builder::from_catalog(catalog)
    };
    for dir in &c.schema_dirs {
        b = b.schema_dir(dir);
    }
    if let Some(path) = &c.runtime_path {
        b = b.runtime_path(path);
    }
    if !c.roots.is_empty() {
        b = b.roots(c.roots.iter().cloned());
    }
    if c.single_file {
        b = b.layout(iodef_codegen::Layout::SingleFile);
    }
    for spec in &c.externs {
        let (ns, path) = spec
            .rsplit_once('=')
            .ok_or_else(|| format!("--extern {spec}: expected NAMESPACE=RUST_PATH"))?;
        b = b.extern_namespace(ns, path);
    }
    Ok(b)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    let (common, check) = match &cli.command {
        Command::Generate(c) => (c, false),
        Command::Check(c) => (c, true),
    };
    let out = common
        .out
        .clone()
        .unwrap_or_else(|| root.join("generated").join("src").join("bindings"));
    let builder = match builder(common, &root) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("iodef-codegen: {e}");
            return ExitCode::from(2);
        }
    };
    let output = match builder.generate() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("iodef-codegen: {e}");
            return ExitCode::from(2);
        }
    };
    if check {
        match output.check_against(&out) {
            Ok(None) => {
                eprintln!(
                    "iodef-codegen: {} is current ({} files)",
                    out.display(),
                    output.files.len()
                );
                ExitCode::SUCCESS
            }
            Ok(Some(diff)) => {
                print!("{diff}");
                eprintln!(
                    "iodef-codegen: {} is stale; run `iodef-codegen generate`",
                    out.display()
                );
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("iodef-codegen: {e}");
                ExitCode::from(2)
            }
        }
    } else {
        match output.write_to(&out) {
            Ok(report) => {
                eprintln!(
                    "iodef-codegen: {}: {} written, {} unchanged, {} removed",
                    out.display(),
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("iodef-codegen: {e}");
                ExitCode::from(2)
            }
        }
    }
}
