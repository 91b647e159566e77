//! Small inputs the tests build themselves.

/// `text` in UTF-16, little- or big-endian, with or without a byte-order mark.
pub fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = match (bom, little) {
        (false, _) => Vec::new(),
        (true, true) => vec![0xFF, 0xFE],
        (true, false) => vec![0xFE, 0xFF],
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}
