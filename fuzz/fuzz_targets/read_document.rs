//! `iodef::read` on arbitrary bytes: any root (IODEF 1.0/2.0, RID, XEP-0268, every global
//! element). No panic, no hang, bounded memory; a document that reads writes back and reads
//! again to the same value (see `iodef_fuzz::check_round_trip`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = iodef::read(data) {
        iodef_fuzz::check_round_trip(data, &doc);
    }
});
