//! Streaming IODEF documents: an `IODEF-Document` of any size read one `Incident` at a time
//! from any [`BufRead`], and written one at a time, with memory bounded by the largest part
//! (see [`rt::stream`](crate::rt::stream) for the bound and the checks made across parts).
//!
//! ```
//! let xml = br#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
//!   <Incident purpose="reporting"><IncidentID name="csirt.example.com">1</IncidentID>
//!   <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
//!   <Contact type="organization" role="creator"/></Incident>
//! </IODEF-Document>"#;
//! let mut incidents = iodef::stream::incidents(&xml[..])?;
//! assert_eq!(incidents.header().root.version(), "2.00");
//! for incident in &mut incidents {
//!     println!("{}", incident?.incident_id.value);
//! }
//! # Ok::<(), iodef::Error>(())
//! ```

use std::collections::VecDeque;
use std::io::BufRead;

pub use crate::rt::stream::{validate, StreamReader, StreamWriter, Validation, PART_BYTES};
use crate::{v2, Document, Error};

/// The `Incident`s of an IODEF 2.0 document, read in parts ([`incidents`]).
pub struct Incidents<R: BufRead> {
    reader: StreamReader<R, v2::IodefDocument>,
    queue: VecDeque<v2::Incident>,
    /// `AdditionalData` after the Incidents (RFC 7970 §3.1), gathered as they come.
    additional_data: Vec<v2::ExtensionType>,
    failed: bool,
}

/// Reads the IODEF 2.0 document of `input` one `Incident` at a time.
pub fn incidents<R: BufRead>(input: R) -> Result<Incidents<R>, Error> {
    Ok(Incidents {
        reader: StreamReader::new(input)?,
        queue: VecDeque::new(),
        additional_data: Vec::new(),
        failed: false,
    })
}

impl<R: BufRead> Incidents<R> {
    /// The document without its Incidents: attributes, xsi attributes, prolog (and, once the
    /// iteration has ended, the epilog).
    pub fn header(&self) -> &Document<v2::IodefDocument> {
        self.reader.header()
    }

    /// The `AdditionalData` children of `IODEF-Document` read so far (they follow the
    /// Incidents: all of them once the iteration has ended).
    pub fn additional_data(&self) -> &[v2::ExtensionType] {
        &self.additional_data
    }
}

impl<R: BufRead> Iterator for Incidents<R> {
    type Item = Result<v2::Incident, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(incident) = self.queue.pop_front() {
                return Some(Ok(incident));
            }
            if self.failed {
                return None;
            }
            match self.reader.next_part() {
                Ok(Some(part)) => {
                    self.queue.extend(part.incident);
                    self.additional_data.extend(part.additional_data);
                }
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
