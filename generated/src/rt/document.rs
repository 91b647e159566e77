//! A whole document: the root element and the xsi attributes of the root.

use std::io::{self, BufRead, Write};

use super::error::{Error, ErrorKind};
use super::reader::{XmlReader, XsiAttributes};
use super::writer::XmlWriter;
use super::RootElement;

/// A parsed (or built) document whose root element is a `T`.
#[derive(Debug, Clone, PartialEq)]
pub struct Document<T> {
    /// The root element.
    pub root: T,
    /// `xsi:schemaLocation` / `xsi:noNamespaceSchemaLocation` of the root element.
    pub xsi: XsiAttributes,
}

impl<T: RootElement> Document<T> {
    /// A document without xsi attributes.
    pub fn new(root: T) -> Self {
        Document {
            root,
            xsi: XsiAttributes::default(),
        }
    }

    /// Parses a document.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_slice(s.as_bytes())
    }

    /// Parses a document from UTF-8 bytes.
    pub fn from_slice(b: &[u8]) -> Result<Self, Error> {
        let mut r = XmlReader::new(b);
        let el = r.root()?;
        if !r.is(&el, T::NAMESPACE, T::NAME) {
            let found = r.ns_str(el.ns);
            let name = |ns: &str, local: &str| {
                if ns.is_empty() {
                    local.to_string()
                } else {
                    format!("{{{ns}}}{local}")
                }
            };
            return Err(r.error(
                ErrorKind::UnexpectedElement,
                el.offset,
                format!(
                    "unexpected root element {}, expected {}",
                    name(found, el.local),
                    name(T::NAMESPACE, T::NAME)
                ),
            ));
        }
        let root = T::from_xml(&mut r, &el)?;
        r.finish()?;
        Ok(Document {
            root,
            xsi: r.xsi_attributes().clone(),
        })
    }

    /// Reads everything from `r`, then parses it.
    pub fn from_reader<R: BufRead>(mut r: R) -> Result<Self, Error> {
        let mut buf = Vec::new();
        r.read_to_end(&mut buf).map_err(|e| Error::io(&e))?;
        Self::from_slice(&buf)
    }

    /// The document as XML text: declaration, then the root element with its namespace as the
    /// default namespace and the xsi attributes.
    ///
    /// # Panics
    /// When the document holds text that XML cannot represent (control characters, a comment
    /// with `--`); use [`Document::try_to_xml_string`] to get an error instead. Parsed
    /// documents never do.
    pub fn to_xml_string(&self) -> String {
        match self.try_to_xml_string() {
            Ok(s) => s,
            Err(e) => panic!("document cannot be written as XML: {e}"),
        }
    }

    /// Like [`Document::to_xml_string`], with an error for content XML cannot represent.
    pub fn try_to_xml_string(&self) -> io::Result<String> {
        let mut out = Vec::with_capacity(4096);
        self.write_unbuffered(&mut out)?;
        String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Writes the document to `w` (buffered internally).
    pub fn write_to<W: Write>(&self, w: W) -> io::Result<()> {
        let mut buf = io::BufWriter::with_capacity(64 * 1024, w);
        self.write_unbuffered(&mut buf)?;
        buf.flush()
    }

    fn write_unbuffered<W: Write>(&self, w: W) -> io::Result<()> {
        let mut xw = XmlWriter::new(w, T::PREFIXES);
        xw.declaration()?;
        xw.set_root_xsi(&self.xsi);
        self.root.to_xml(&mut xw, T::NAMESPACE, T::NAME)?;
        xw.flush()
    }
}

impl<T: RootElement> std::str::FromStr for Document<T> {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Document::from_slice(s.as_bytes())
    }
}
