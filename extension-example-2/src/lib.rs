//! Honeypot observations (`urn:example:iodef:honeypot-1.0`) as typed IODEF 2.0 extension content.
//!
//! `HoneypotObservation` travels in `AdditionalData` (`dtype="xml"`); after [`register`] has run,
//! `iodef::read` decodes it into [`honeypot::HoneypotObservation`] instead of raw XML.

iodef::include_bindings!();

/// Adds the honeypot namespace to the process-wide registry of `iodef` (idempotent; call it
/// before parsing).
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| iodef::rt::register(register));
}
