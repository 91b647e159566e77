//! `iodef::rt::validate` (the collecting validator behind `iodef validate`) on arbitrary bytes:
//! no panic, no hang, bounded memory, every error located; and its verdict equals the typed
//! reader's (`iodef::read`) — two engines over the same schema tables and value parsers, so a
//! difference is a bug in one of them (see `iodef_fuzz::check_same_verdict`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    iodef_fuzz::check_same_verdict(data);
});
