//! Test support for iodef-rs: an XML infoset comparator, the shared corpus
//! manifest, a driver for the independent XSD validators, and thin wrappers
//! around the runtime API used by the corpus round-trip tests.

#![forbid(unsafe_code)]

pub mod bench;
pub mod bulk;
pub mod corpus;
pub mod fixtures;
pub mod infoset;
pub mod mutate;
pub mod validator;

/// Parse/write through the runtime, with errors flattened to plain data and
/// panics caught.
pub mod codec {
    /// A parse failure (or a panic, which the design forbids: `panicked` is set).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Failure {
        /// `iodef::Error`'s Display: `LINE:COL: PATH: message`.
        pub display: String,
        /// The plain message.
        pub message: String,
        /// Element path, e.g. `/IODEF-Document/Incident[1]/Contact[2]`.
        pub path: String,
        /// 1-based line (0 when unknown).
        pub line: u64,
        /// 1-based column (0 when unknown).
        pub column: u64,
        /// The runtime panicked instead of returning an error.
        pub panicked: bool,
    }

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            if self.panicked {
                write!(f, "PANIC: {}", self.message)
            } else {
                f.write_str(&self.display)
            }
        }
    }

    fn panic_failure(payload: Box<dyn std::any::Any + Send>) -> Failure {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic payload".to_string());
        Failure {
            display: format!("panic: {message}"),
            message,
            path: String::new(),
            line: 0,
            column: 0,
            panicked: true,
        }
    }

    impl From<&iodef::Error> for Failure {
        fn from(e: &iodef::Error) -> Self {
            Failure {
                display: e.to_string(),
                message: e.message.clone(),
                path: e.path.clone(),
                line: e.line,
                column: e.column,
                panicked: false,
            }
        }
    }

    /// A document read with `Document<iodef::bindings::Root>` and written back.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Written {
        /// The output XML.
        pub xml: String,
        /// Namespace URI of the root element that was read.
        pub namespace: &'static str,
        /// Local name of the root element that was read.
        pub local_name: &'static str,
    }

    fn catching<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|p| Err(panic_failure(p)))
    }

    /// Parses `input` as a document whose root is any global element of the
    /// generated namespaces (`Document<iodef::bindings::Root>`: IODEF 2.0 and
    /// 1.0, RID, phishing, thraud, XEP-0268, ...) and writes it back to XML.
    /// Panics in the runtime are caught and reported as a [`Failure`] with
    /// `panicked` set.
    pub fn roundtrip(input: &[u8]) -> Result<Written, Failure> {
        catching(|| {
            let doc = iodef::Document::<iodef::bindings::Root>::from_slice(input)
                .map_err(|e| Failure::from(&e))?;
            Ok(Written {
                xml: doc.to_xml_string(),
                namespace: doc.root.namespace(),
                local_name: doc.root.local_name(),
            })
        })
    }

    /// Parses `input` as an IODEF 2.0 document and writes it back to XML
    /// (`Document<IodefDocument>::from_slice` then `to_xml_string`). Panics in
    /// the runtime are caught and reported as a [`Failure`] with `panicked` set.
    pub fn iodef2_roundtrip(input: &[u8]) -> Result<String, Failure> {
        catching(|| {
            iodef::Document::<iodef::bindings::iodef2::IodefDocument>::from_slice(input)
                .map(|doc| doc.to_xml_string())
                .map_err(|e| Failure::from(&e))
        })
    }
}
