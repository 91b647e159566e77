//! `iodef::stream` against whole-document reading on arbitrary bytes (IODEF 2.0 and 1.0
//! roots): no panic; streaming accepts exactly what whole reading accepts, refusing at the same
//! line:column; an accepted document gives the same Incidents and the stream writer writes the
//! bytes `Document::write_to` writes.
#![no_main]

use std::fmt::Debug;

use iodef::rt::codec::Composite;
use iodef::rt::stream::{StreamReader, StreamWriter};
use iodef::rt::RootElement;
use iodef::Document;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    same::<iodef::v2::IodefDocument>(data);
    same::<iodef::v1::IodefDocument>(data);
});

fn same<T: RootElement + Composite + Default + Clone + PartialEq + Debug>(data: &[u8]) {
    let whole = Document::<T>::from_slice(data);
    let streamed = (|| {
        let mut reader = StreamReader::<_, T>::new(data)?;
        let mut parts = Vec::new();
        while let Some(part) = reader.next_part()? {
            parts.push(part);
        }
        Ok::<_, iodef::Error>((reader.header().clone(), parts))
    })();
    match (whole, streamed) {
        (Ok(doc), Ok((header, parts))) => {
            let mut expected = Vec::new();
            doc.write_to(&mut expected).expect("a read document is writable");
            let mut written = Vec::new();
            let mut w = StreamWriter::new(&mut written, &header).expect("header writable");
            for part in &parts {
                w.write_part(part).expect("part writable");
            }
            w.finish(&header.epilog).expect("end writable");
            assert!(
                written == expected,
                "streamed output differs:\n{}\n{}",
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected)
            );
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("streaming refuses what whole reading accepts: {e}"),
        (Err(e), Ok(_)) => panic!("streaming accepts what whole reading refuses: {e}"),
    }
}
