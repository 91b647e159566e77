//! `Document::<iodef::v2::IodefDocument>::from_slice` on arbitrary bytes: the typed IODEF 2.0
//! root (RFC 7970). Same contract as `read_document`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = iodef::Document::<iodef::v2::IodefDocument>::from_slice(data) {
        iodef_fuzz::check_round_trip(data, &doc);
    }
});
