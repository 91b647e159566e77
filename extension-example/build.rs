// Step 3 of "Adding an extension XSD": generate the bindings into OUT_DIR.
fn main() {
    if let Err(e) = iodef_codegen::build::generate("schemas/catalog.toml") {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
