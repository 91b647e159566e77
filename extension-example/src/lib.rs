//! An IODEF 2.0 extension built from its own XSD (`schemas/sighting-1.0.xsd`) by
//! `iodef_codegen::build::generate` in `build.rs`, following the "Adding an extension XSD" steps
//! of `docs/extensions.md`. Its elements are typed values inside `AdditionalData` once
//! [`register`] has run.

// Step 4: include the generated module(s): here `sighting`, `Root`, `PREFIXES` and `register`.
iodef::include_bindings!();

/// Step 5: make the extension known to the `iodef` reader (once, before parsing).
pub fn register_extension() {
    iodef::rt::register(register);
}
