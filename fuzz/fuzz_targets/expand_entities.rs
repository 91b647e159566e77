//! `iodef::rt::entities::expand_internal_entities` on arbitrary bytes, then `iodef::read` on
//! its output. No panic, no hang, bounded memory; the output is at most the input plus
//! `max_expanded_bytes` and has at least its line breaks; an input without a DOCTYPE comes
//! back uncopied; a
//! document that reads after expansion round-trips (`iodef_fuzz::check_round_trip`).
#![no_main]

use std::borrow::Cow;

use iodef::rt::entities::{expand_internal_entities, EntityLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lowered limits: the fuzzer reaches them with small inputs.
    let limits = EntityLimits {
        max_entities: 64,
        max_expanded_bytes: 64 * 1024,
        max_depth: 8,
        max_references: 1_000,
    };
    let Ok(expanded) = expand_internal_entities(data, &limits) else {
        return;
    };
    assert!(
        expanded.len() <= data.len() + limits.max_expanded_bytes,
        "output of {} bytes from {} bytes of input",
        expanded.len(),
        data.len()
    );
    match &expanded {
        Cow::Borrowed(out) => assert_eq!(out.as_ptr(), data.as_ptr(), "borrowed but not the input"),
        // The DOCTYPE is blanked keeping its line breaks; expansions may add some, never remove.
        Cow::Owned(out) => assert!(newlines(out) >= newlines(data), "lines lost"),
    }
    if let Ok(doc) = iodef::read(&expanded) {
        iodef_fuzz::check_round_trip(&expanded, &doc);
    }
});

fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}
