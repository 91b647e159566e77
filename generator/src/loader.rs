//! Loads the catalog's schemas through `xsd-parser` (parse + interpret) without any network
//! access: every import is resolved by namespace through the catalog.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::rc::Rc;

use xsd_parser::models::meta::CustomMeta;
use xsd_parser::models::schema::NamespaceId;
use xsd_parser::pipeline::parser::resolver::{ResolveRequest, ResolveResult, Resolver};
use xsd_parser::{Interpreter, MetaTypes, Parser, Schemas, TypeIdent};
use xsd_parser_types::misc::Namespace;

use crate::catalog::{Catalog, LoadedSchema};
use crate::error::{Error, Result};

/// XSD built-in types we map ourselves (see `ir::Builtin`), registered as custom types so the
/// interpreter keeps their XSD names instead of collapsing them to Rust primitives.
pub const XS_BUILTINS: &[&str] = &[
    "anySimpleType",
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "NMTOKENS",
    "ID",
    "IDREF",
    "IDREFS",
    "ENTITY",
    "ENTITIES",
    "QName",
    "NOTATION",
    "anyURI",
    "boolean",
    "decimal",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
    "float",
    "double",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
];

/// The interpreted schema set plus what is needed to map it back to namespaces and files.
pub struct Loaded {
    pub types: MetaTypes,
    /// Namespace URI of each xsd-parser namespace id.
    pub namespaces: BTreeMap<NamespaceId, String>,
    /// Every schema file actually read, keyed by namespace.
    pub files: BTreeMap<String, LoadedSchema>,
    /// `fixed` values of attributes, which xsd-parser's interpreter does not keep:
    /// (namespace, named owner element or type, attribute name) -> value.
    pub fixed: BTreeMap<(String, String, String), String>,
}

#[derive(Debug)]
struct CatalogResolver {
    catalog: Catalog,
    dirs: Vec<PathBuf>,
    loaded: Rc<RefCell<BTreeMap<String, LoadedSchema>>>,
}

impl Resolver for CatalogResolver {
    type Buffer = Cursor<Vec<u8>>;
    type Error = Error;

    fn resolve(&mut self, req: &ResolveRequest) -> ResolveResult<Self> {
        let current = req
            .current_location
            .as_ref()
            .map_or_else(String::new, |u| u.to_string());
        // Roots are requested by their catalog URL, imports by namespace.
        let entry = match (
            &req.requested_ns,
            req.requested_location.strip_prefix(CATALOG_URL),
        ) {
            (Some(ns), _) => {
                let ns = ns_string(ns);
                self.catalog
                    .entry(&ns)
                    .ok_or_else(|| Error::UnknownNamespace {
                        file: current.clone(),
                        namespace: ns.clone(),
                    })?
            }
            (None, Some(file)) => self
                .catalog
                .schemas
                .iter()
                .find(|e| e.file == file)
                .ok_or_else(|| Error::Parse {
                    file: file.to_owned(),
                    message: "not in the catalog".into(),
                })?,
            (None, None) => {
                return Err(Error::Parse {
                    file: current,
                    message: format!("include/import without namespace is not supported ({req})"),
                })
            }
        };
        let schema = entry.load(&self.dirs)?;
        let bytes = locate_imports(&schema.text).into_bytes();
        let url = schema_url(&entry.file);
        self.loaded
            .borrow_mut()
            .insert(entry.namespace.clone(), schema);
        Ok(Some((Some(entry.module.clone()), url, Cursor::new(bytes))))
    }
}

const CATALOG_URL: &str = "catalog:///";

/// A stable pseudo-URL per file: no absolute path reaches the generated code.
fn schema_url(file: &str) -> url::Url {
    url::Url::parse(&format!("{CATALOG_URL}{file}")).expect("catalog file names form valid URLs")
}

fn ns_string(ns: &Namespace) -> String {
    String::from_utf8_lossy(&ns.0).into_owned()
}

/// Parses and interprets the catalog's root namespaces (sorted, so input order does not matter).
pub fn load(catalog: &Catalog, dirs: &[PathBuf]) -> Result<Loaded> {
    let loaded = Rc::new(RefCell::new(BTreeMap::new()));
    let resolver = CatalogResolver {
        catalog: catalog.clone(),
        dirs: dirs.to_vec(),
        loaded: loaded.clone(),
    };
    let mut parser = Parser::new()
        .with_resolver(resolver)
        .with_default_namespaces();
    let mut roots = catalog.roots.clone();
    roots.sort();
    roots.dedup();
    for root in &roots {
        let entry = catalog.entry(root).ok_or_else(|| Error::UnknownNamespace {
            file: "catalog".into(),
            namespace: root.clone(),
        })?;
        // By URL, so that a root that is also imported elsewhere is parsed once (xsd-parser caches
        // schemas by location).
        parser = parser
            .add_schema_from_url(schema_url(&entry.file))
            .map_err(|e| match e {
                xsd_parser::ParserError::Resolver(inner) => inner,
                other => Error::Parse {
                    file: entry.file.clone(),
                    message: other.to_string(),
                },
            })?;
    }
    let schemas = parser.finish();
    let types = interpret(&schemas)?;
    let namespaces = schemas
        .namespaces()
        .filter_map(|(id, info)| info.namespace.as_ref().map(|ns| (*id, ns_string(ns))))
        .collect();
    let files = loaded.borrow().clone();
    let mut fixed = BTreeMap::new();
    for (ns, schema) in &files {
        for ((owner, attr), value) in fixed_attributes(&schema.text) {
            fixed.insert((ns.clone(), owner, attr), value);
        }
    }
    Ok(Loaded {
        types,
        namespaces,
        files,
        fixed,
    })
}

fn interpret(schemas: &Schemas) -> Result<MetaTypes> {
    let err = |e: xsd_parser::InterpreterError| Error::Interpret {
        message: e.to_string(),
    };
    let xs = schemas
        .resolve_namespace(&Some(Namespace::XS))
        .ok_or_else(|| Error::Interpret {
            message: "XML Schema namespace unknown".into(),
        })?;
    // Built-ins: xsd-parser types an attribute without `type` as its built-in `String`.
    let mut interpreter = Interpreter::new(schemas)
        .with_buildin_types()
        .map_err(err)?
        .with_xs_any_type()
        .map_err(err)?;
    for name in XS_BUILTINS {
        interpreter = interpreter
            .with_type(
                TypeIdent::type_(name).with_ns(xs),
                CustomMeta::new(format!("xs:{name}")),
            )
            .map_err(err)?;
    }
    interpreter.finish().map(|(types, _)| types).map_err(err)
}

/// Scans schema text for `<xs:attribute name=".." fixed="..">`, keyed by the nearest enclosing
/// named `element` or `complexType` (the name xsd-parser gives that component).
fn fixed_attributes(text: &str) -> Vec<((String, String), String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut owners: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(_)) => {
                owners.pop();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let local = e.local_name();
        let local = local.as_ref();
        if local == b"attribute" {
            if let (Some(name), Some(value)) = (attr(&e, b"name"), attr(&e, b"fixed")) {
                if let Some(owner) = owners.iter().rev().flatten().next() {
                    out.push(((owner.clone(), name), value));
                }
            }
        }
        if !empty {
            let owner = (local == b"element" || local == b"complexType")
                .then(|| attr(&e, b"name"))
                .flatten();
            owners.push(owner);
        }
    }
    out
}

/// Gives every `xs:import` without `schemaLocation` a placeholder location, so that xsd-parser
/// asks the catalog resolver for it (it skips such imports otherwise). The location's value is
/// never used: imports resolve by namespace.
fn locate_imports(text: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut inserts = Vec::new();
    loop {
        let (e, closing) = match reader.read_event() {
            Ok(Event::Empty(e)) => (e, 2),
            Ok(Event::Start(e)) => (e, 1),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let is_import = e.local_name().as_ref() == b"import";
        let located = e
            .attributes()
            .flatten()
            .any(|a| a.key.local_name().as_ref() == b"schemaLocation");
        if is_import && !located {
            let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            if let Some(at) = end.checked_sub(closing) {
                inserts.push(at);
            }
        }
    }
    let mut out = text.to_owned();
    for at in inserts.into_iter().rev() {
        if out.is_char_boundary(at) {
            out.insert_str(at, " schemaLocation=\"catalog:namespace\"");
        }
    }
    out
}
