// Generates the honeypot bindings into $OUT_DIR/iodef_bindings.rs (docs/extensions.md, step 3).
fn main() {
    if let Err(e) = iodef_codegen::build::generate("schemas/catalog.toml") {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
