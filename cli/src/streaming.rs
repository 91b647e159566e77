//! `iodef convert --to xml` of an `IODEF-Document` in parts ([`iodef::stream`]): read one
//! batch of Incidents at a time and written at once, memory bounded by the largest part. The
//! output goes to a temporary file first (beside `-o FILE`, or in the temporary directory for
//! standard output), so that a document found invalid halfway leaves no partial output.

use std::io::{self, BufRead, Seek, Write};

use iodef::rt::codec::Composite;
use iodef::rt::stream::{StreamReader, StreamWriter};
use iodef::rt::{Encoding, RootElement};

use crate::validate::IodefVersion;
use crate::{ConvertArgs, Destination, Failure};

/// Converts the `IODEF-Document` of `input` to XML at `destination`; the number of comments
/// and processing instructions dropped (`--drop-comments`).
pub(crate) fn convert_xml(
    version: IodefVersion,
    input: Box<dyn BufRead + Send>,
    args: &ConvertArgs,
    destination: &Destination,
) -> Result<u64, Failure> {
    let mut spool = match destination {
        Destination::File(path) => {
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            tempfile::NamedTempFile::new_in(dir).map_err(|e| {
                Failure::Io(io::Error::new(e.kind(), format!("{}: {e}", dir.display())))
            })?
        }
        Destination::Stdout => tempfile::NamedTempFile::new().map_err(Failure::Io)?,
    };
    let dropped = {
        let mut out = io::BufWriter::new(spool.as_file_mut());
        let dropped = match version {
            IodefVersion::V2 => copy::<iodef::v2::IodefDocument>(input, args, &mut out)?,
            IodefVersion::V1 => copy::<iodef::v1::IodefDocument>(input, args, &mut out)?,
        };
        out.write_all(newline(args.encoding)).map_err(Failure::Io)?;
        out.flush().map_err(Failure::Io)?;
        dropped
    };
    match destination {
        Destination::File(path) => {
            spool.persist(path).map_err(|e| {
                Failure::Io(io::Error::new(
                    e.error.kind(),
                    format!("{}: {}", path.display(), e.error),
                ))
            })?;
        }
        Destination::Stdout => {
            let file = spool.as_file_mut();
            file.rewind().map_err(Failure::Io)?;
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            io::copy(file, &mut lock).map_err(Failure::Io)?;
            lock.flush().map_err(Failure::Io)?;
        }
    }
    Ok(dropped)
}

/// Copies what is left of `input` to a temporary file; the file, and a reader over it.
pub(crate) fn spool(
    input: &mut Box<dyn BufRead + Send>,
) -> io::Result<(tempfile::NamedTempFile, Box<dyn BufRead + Send>)> {
    let mut spooled = tempfile::NamedTempFile::new()?;
    io::copy(input, spooled.as_file_mut())?;
    let reopened = spooled.reopen()?;
    Ok((
        spooled,
        Box::new(io::BufReader::with_capacity(64 << 10, reopened)),
    ))
}

/// A line feed in `encoding` (after the document: text files end with one).
pub(crate) fn newline(encoding: Encoding) -> &'static [u8] {
    match encoding {
        e if e == Encoding::UTF_16LE => b"\n\0",
        e if e == Encoding::UTF_16BE => b"\0\n",
        _ => b"\n",
    }
}

/// Reads the parts of `input` and writes each at once.
fn copy<T: RootElement + Composite + Default>(
    input: Box<dyn BufRead + Send>,
    args: &ConvertArgs,
    out: &mut dyn Write,
) -> Result<u64, Failure> {
    let options = iodef::ReadOptions {
        comments: if args.drop_comments {
            iodef::Comments::Drop
        } else {
            iodef::Comments::Keep
        },
        ..iodef::ReadOptions::default()
    };
    let mut reader =
        StreamReader::<_, T>::with_options(input, &options).map_err(Failure::Invalid)?;
    let encoding = args.encoding;
    if encoding == Encoding::UTF_8 {
        write_parts(&mut reader, out, encoding)?;
    } else {
        let mut encoder = iodef::rt::encoding::Encoder::new(out, encoding);
        write_parts(&mut reader, &mut encoder, encoding)?;
        encoder.finish().map_err(unwritable)?;
    }
    Ok(reader.header().comments_dropped)
}

/// Writes the header, then each part as it is read, then the end, to `sink` (UTF-8 text
/// declared as `encoding`).
fn write_parts<R: BufRead, T: RootElement + Composite + Default>(
    reader: &mut StreamReader<R, T>,
    sink: &mut dyn Write,
    encoding: Encoding,
) -> Result<(), Failure> {
    let mut w = StreamWriter::with_encoding(sink, reader.header(), encoding).map_err(unwritable)?;
    while let Some(part) = reader.next_part().map_err(Failure::Invalid)? {
        w.write_part(&part).map_err(unwritable)?;
    }
    let epilog = reader.header().epilog.clone();
    w.finish(&epilog).map_err(unwritable)
}

/// A write error: a character the output encoding cannot hold where XML allows no
/// reference, or an I/O error.
fn unwritable(e: io::Error) -> Failure {
    match e.kind() {
        io::ErrorKind::InvalidData => Failure::Unwritable(e),
        _ => Failure::Io(e),
    }
}
