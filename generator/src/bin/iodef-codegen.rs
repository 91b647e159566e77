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
    /// Directory holding the XSD files (default: $IODEF_SCHEMA_DIR, then ../shared/schemas).
    #[arg(long)]
    schema_dir: Option<PathBuf>,
    /// Output directory (default: generated/src/bindings of the repository).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The repository root: the nearest ancestor of the current directory with schemas/catalog.toml,
/// else the one this binary was built from.
fn repo_root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    for dir in cwd.ancestors() {
        if dir.join("schemas").join("catalog.toml").is_file() {
            return dir.to_owned();
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn builder(c: &Common, root: &Path) -> Builder {
    let catalog = c
        .catalog
        .clone()
        .unwrap_or_else(|| root.join("schemas").join("catalog.toml"));
    let mut b = Builder::from_catalog(catalog);
    if let Some(dir) = &c.schema_dir {
        b = b.schema_dir(dir);
    }
    b
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
    let output = match builder(common, &root).generate() {
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
