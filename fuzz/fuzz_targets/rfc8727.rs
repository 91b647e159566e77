//! RFC 8727 JSON and CBOR on arbitrary bytes: `from_json` / `from_cbor` never panic, hang or
//! allocate without bound; a document they read writes back as JSON and CBOR that read again
//! and write the same text and bytes (the first write normalises, the second must not change
//! anything); an XML document that reads converts to JSON that reads back.
#![no_main]

use iodef::rfc8727;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let from_json = std::str::from_utf8(data)
        .ok()
        .and_then(|text| rfc8727::from_json(text).ok());
    for doc in [from_json, rfc8727::from_cbor(data).ok()].into_iter().flatten() {
        let (json, _) = rfc8727::to_json(&doc, false).expect("an IODEF 2.0 document");
        let again = rfc8727::from_json(&json)
            .unwrap_or_else(|e| panic!("written JSON does not read back: {e}\n{json}"));
        assert_eq!(rfc8727::to_json(&again, false).unwrap().0, json, "JSON not stable");
        let (cbor, _) = rfc8727::to_cbor(&doc).unwrap();
        let again = rfc8727::from_cbor(&cbor)
            .unwrap_or_else(|e| panic!("written CBOR does not read back: {e}\n{json}"));
        assert_eq!(rfc8727::to_cbor(&again).unwrap().0, cbor, "CBOR not stable");
    }
    if let Ok(doc) = iodef::read(data) {
        if let Ok((json, _)) = rfc8727::to_json(&doc, false) {
            if let Err(e) = rfc8727::from_json(&json) {
                panic!("the JSON of an XML document does not read back: {e}\n{json}");
            }
        }
    }
});
