//! Our intermediate representation: a small, IODEF-aware model of what to emit, built from
//! xsd-parser's interpreted `MetaTypes`. Everything the renderers need is decided here: Rust names,
//! `foo`/`ext-foo` pairs, choices as enums, boxing of recursion, lossless mixed content.

use std::collections::{BTreeMap, BTreeSet};

use xsd_parser::models::meta::{
    AttributeMetaVariant, ComplexMeta, ElementMeta, ElementMetaVariant, ElementMode, GroupMeta,
    MetaTypeVariant,
};
use xsd_parser::models::schema::xs::{
    BasicNamespaceListItemType, FormChoiceType, NamespaceListType, ProcessContentsType, Use,
};
use xsd_parser::models::schema::{MaxOccurs, NamespaceId};
use xsd_parser::models::IdentType;
use xsd_parser::TypeIdent;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::loader::Loaded;
use crate::naming::{field_name, type_name, variant_name};

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The whole generated model: one module per namespace, sorted by module name.
#[derive(Debug, Clone)]
pub struct Model {
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
    pub namespace: String,
    pub prefix: String,
    pub file: String,
    pub source: String,
    /// Sorted by Rust name.
    pub items: Vec<Item>,
    /// Global elements, sorted by XML name.
    pub elements: Vec<GlobalElement>,
}

#[derive(Debug, Clone)]
pub struct GlobalElement {
    pub xml_name: String,
    pub ty: TypeRef,
    /// The declared type's name (namespace URI, local name), for `xsi:type`; `None` for an
    /// anonymous type.
    pub type_name: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub enum Item {
    Struct(StructDef),
    Enum(EnumDef),
    Choice(ChoiceDef),
    Simple(SimpleDef),
}

/// A simple type restricted by facets (pattern, bounds, lengths): a newtype whose parsing checks
/// them.
#[derive(Debug, Clone)]
pub struct SimpleDef {
    pub name: String,
    pub origin: String,
    pub base: TypeRef,
    /// Anchored Rust regexes translated from the XSD patterns (checked to compile).
    pub patterns: Vec<String>,
    /// The XSD patterns as written, for docs.
    pub xsd_patterns: Vec<String>,
    pub min_inclusive: Option<String>,
    pub max_inclusive: Option<String>,
    pub min_exclusive: Option<String>,
    pub max_exclusive: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub total_digits: Option<usize>,
    pub fraction_digits: Option<usize>,
}

impl Item {
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) => &s.name,
            Item::Enum(e) => &e.name,
            Item::Choice(c) => &c.name,
            Item::Simple(d) => &d.name,
        }
    }
}

/// A complex type (named, or the anonymous type of a global element), or a sequence inside a choice.
#[derive(Debug, Clone)]
pub struct StructDef {
    pub name: String,
    /// XSD component this came from, for docs and errors.
    pub origin: String,
    pub doc: Vec<String>,
    pub attributes: Vec<AttrField>,
    pub content: Content,
    /// A group (choice alternative or repeated sequence) read and written inside its parent's
    /// element, without an element of its own.
    pub group: bool,
}

#[derive(Debug, Clone)]
pub enum Content {
    Empty,
    /// Text content of a simple type (`simpleContent`, or mixed without child elements).
    Simple(TypeRef),
    /// Element-only content: particles in document order.
    Elements(Vec<Field>),
    /// Mixed content with child elements: kept losslessly as interleaved text and XML. The
    /// particles are not used by the typed value; they describe the content for validation.
    Mixed(Vec<Field>),
}

#[derive(Debug, Clone)]
pub struct AttrField {
    pub field: String,
    /// Namespace of a qualified attribute (`xml:lang`), `None` for unqualified ones.
    pub ns: Option<String>,
    pub xml_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub default: Option<String>,
    /// `fixed="..."`: any value present must equal it; constructors set it.
    pub fixed: Option<String>,
    /// The paired `ext-*` attribute whose value an `Ext(String)` variant carries.
    pub ext: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurs {
    pub min: usize,
    /// `None` = unbounded.
    pub max: Option<usize>,
}

impl Occurs {
    pub const ONE: Occurs = Occurs {
        min: 1,
        max: Some(1),
    };
    pub fn is_vec(self) -> bool {
        self.max != Some(1)
    }
    pub fn is_option(self) -> bool {
        self.min == 0 && self.max == Some(1)
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub occurs: Occurs,
    pub term: Term,
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub enum Term {
    Element {
        ns: String,
        name: String,
        ty: TypeRef,
    },
    Any {
        ns: AnyNs,
        process: Process,
    },
    /// A choice enum; `first` lists the elements that can start it.
    Choice {
        ty: TypeRef,
        first: First,
    },
}

/// Namespace constraint of an `xs:any` wildcard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyNs {
    Any,
    /// `##other`: any namespace but the target namespace, and not unqualified.
    Other(String),
    /// An explicit list; `None` means unqualified (`##local`).
    List(Vec<Option<String>>),
}

/// `processContents` of a wildcard: what a validator does with the elements it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// A global declaration must exist and is checked.
    Strict,
    /// Checked when a global declaration exists.
    Lax,
    /// Not checked.
    Skip,
}

/// What can start a particle: element names plus wildcards.
#[derive(Debug, Clone, Default)]
pub struct First {
    pub elements: Vec<(String, String)>,
    pub any: Vec<AnyNs>,
}

#[derive(Debug, Clone)]
pub struct ChoiceDef {
    pub name: String,
    pub origin: String,
    pub variants: Vec<ChoiceVariant>,
}

#[derive(Debug, Clone)]
pub struct ChoiceVariant {
    pub name: String,
    pub kind: VariantKind,
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub enum VariantKind {
    /// An element alternative; `occurs.max > 1` makes the variant hold a `Vec`.
    Element {
        ns: String,
        name: String,
        ty: TypeRef,
        occurs: Occurs,
    },
    Any {
        ns: AnyNs,
        process: Process,
        occurs: Occurs,
    },
    /// A sequence alternative, generated as a struct (no attributes, `Content::Elements`).
    Sequence { ty: TypeRef, first: First },
}

impl ChoiceDef {
    /// What can start any of the alternatives.
    pub fn first(&self) -> First {
        let mut first = First::default();
        for v in &self.variants {
            let f = v.kind.first();
            first.elements.extend(f.elements);
            first.any.extend(f.any);
        }
        first
    }
}

impl VariantKind {
    pub fn first(&self) -> First {
        match self {
            VariantKind::Element { ns, name, .. } => First {
                elements: vec![(ns.clone(), name.clone())],
                any: vec![],
            },
            VariantKind::Any { ns, .. } => First {
                elements: vec![],
                any: vec![ns.clone()],
            },
            VariantKind::Sequence { first, .. } => first.clone(),
        }
    }
}

/// A simple enumeration. `ext` = it lists `ext-value`, which becomes `Ext(String)`.
#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub origin: String,
    pub values: Vec<(String, String)>,
    pub ext: bool,
}

/// A reference from a field to its type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    Builtin(Builtin),
    /// A generated item: module and Rust name.
    Named {
        module: String,
        name: String,
        kind: NamedKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NamedKind {
    Struct,
    Enum,
    Choice,
    Simple,
}

impl TypeRef {
    /// True for values read from text (builtins except the XML-valued ones, and enums).
    pub fn is_simple(&self) -> bool {
        match self {
            TypeRef::Builtin(b) => !matches!(b, Builtin::AnyElement | Builtin::Mixed),
            TypeRef::Named { kind, .. } => matches!(kind, NamedKind::Enum | NamedKind::Simple),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Builtin {
    String,
    Bool,
    /// `xs:integer` and its unbounded subtypes: `iodef::Integer` and its checked newtypes.
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    /// The fixed-width integer types, as the Rust integers of the same range.
    Long,
    Int,
    Short,
    Byte,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    Float,
    Double,
    Decimal,
    DateTime,
    HexBinary,
    Base64Binary,
    /// Strings with a lexical rule (kept as `String`, checked when read).
    NcName,
    Nmtoken,
    Language,
    /// The `xml:lang` union: an `xs:language` tag or the empty string.
    LanguageOrEmpty,
    /// `xs:ID`: an NCName, unique in the document.
    Id,
    /// `xs:IDREF`: an NCName naming an `xs:ID` of the document.
    IdRef,
    /// A whole foreign element (xs:anyType).
    AnyElement,
    /// Interleaved text and XML.
    Mixed,
}

impl Builtin {
    /// Numeric types whose value space is exact (facet bounds compare as decimals).
    pub fn is_exact_number(self) -> bool {
        self.is_fixed_width_integer()
            || matches!(
                self,
                Builtin::Decimal
                    | Builtin::Integer
                    | Builtin::NonNegativeInteger
                    | Builtin::PositiveInteger
                    | Builtin::NonPositiveInteger
                    | Builtin::NegativeInteger
            )
    }

    /// `long`, `int`, `short`, `byte` and their unsigned kin: a Rust integer of the same range.
    pub fn is_fixed_width_integer(self) -> bool {
        matches!(
            self,
            Builtin::Long
                | Builtin::Int
                | Builtin::Short
                | Builtin::Byte
                | Builtin::UnsignedLong
                | Builtin::UnsignedInt
                | Builtin::UnsignedShort
                | Builtin::UnsignedByte
        )
    }

    fn from_xs(name: &str) -> Builtin {
        match name {
            "boolean" => Builtin::Bool,
            "decimal" => Builtin::Decimal,
            "integer" => Builtin::Integer,
            "nonNegativeInteger" => Builtin::NonNegativeInteger,
            "positiveInteger" => Builtin::PositiveInteger,
            "nonPositiveInteger" => Builtin::NonPositiveInteger,
            "negativeInteger" => Builtin::NegativeInteger,
            "long" => Builtin::Long,
            "int" => Builtin::Int,
            "short" => Builtin::Short,
            "byte" => Builtin::Byte,
            "unsignedLong" => Builtin::UnsignedLong,
            "unsignedInt" => Builtin::UnsignedInt,
            "unsignedShort" => Builtin::UnsignedShort,
            "unsignedByte" => Builtin::UnsignedByte,
            "float" => Builtin::Float,
            "double" => Builtin::Double,
            "dateTime" => Builtin::DateTime,
            "hexBinary" => Builtin::HexBinary,
            "base64Binary" => Builtin::Base64Binary,
            "NCName" => Builtin::NcName,
            "NMTOKEN" => Builtin::Nmtoken,
            "language" => Builtin::Language,
            "ID" => Builtin::Id,
            "IDREF" => Builtin::IdRef,
            // Strings, tokens, names, URIs, IDs, lists and the date/time types we do not type yet.
            _ => Builtin::String,
        }
    }
}

/// Builds the model for every namespace that was loaded.
pub fn build(loaded: &Loaded, catalog: &Catalog) -> Result<Model> {
    let mut builder = Builder::new(loaded, catalog)?;
    builder.collect()?;
    let mut model = builder.finish();
    box_recursion(&mut model);
    Ok(model)
}

struct ModuleInfo {
    name: String,
    namespace: String,
}

struct Builder<'a> {
    loaded: &'a Loaded,
    catalog: &'a Catalog,
    modules: BTreeMap<NamespaceId, ModuleInfo>,
    /// Rust names of the generated named items.
    names: BTreeMap<TypeIdent, (String, NamedKind)>,
    /// Names taken per module (including choice and sequence helpers).
    taken: BTreeMap<String, BTreeSet<String>>,
    items: BTreeMap<String, Vec<Item>>,
    elements: BTreeMap<String, Vec<GlobalElement>>,
}

impl<'a> Builder<'a> {
    fn new(loaded: &'a Loaded, catalog: &'a Catalog) -> Result<Self> {
        let mut modules = BTreeMap::new();
        for (id, uri) in &loaded.namespaces {
            if let Some(entry) = catalog.entry(uri) {
                if loaded.files.contains_key(uri) {
                    modules.insert(
                        *id,
                        ModuleInfo {
                            name: entry.module.clone(),
                            namespace: uri.clone(),
                        },
                    );
                }
            }
        }
        Ok(Builder {
            loaded,
            catalog,
            modules,
            names: BTreeMap::new(),
            taken: BTreeMap::new(),
            items: BTreeMap::new(),
            elements: BTreeMap::new(),
        })
    }

    fn file_of(&self, ns: NamespaceId) -> String {
        self.modules
            .get(&ns)
            .and_then(|m| self.catalog.entry(&m.namespace))
            .map_or_else(|| "?".into(), |e| e.file.clone())
    }

    fn ns_uri(&self, ns: NamespaceId) -> String {
        self.loaded.namespaces.get(&ns).cloned().unwrap_or_default()
    }

    fn unsupported(&self, ident: &TypeIdent, what: impl Into<String>) -> Error {
        let namespace = self.ns_uri(ident.ns);
        // The declaration's line: the first `name="..."` of that name in the schema text.
        let needle = format!("name=\"{}\"", ident.name);
        let line = self.loaded.files.get(&namespace).map_or(0, |schema| {
            schema
                .text
                .find(&needle)
                .map_or(0, |at| schema.text[..at].lines().count().max(1))
        });
        Error::Unsupported {
            file: self.file_of(ident.ns),
            line,
            component: format!("{{{namespace}}}{}", ident.name),
            what: what.into(),
        }
    }

    /// Assigns names to every named item first, so references can be resolved in any order.
    fn collect(&mut self) -> Result<()> {
        let types = &self.loaded.types;
        let mut candidates: Vec<(&TypeIdent, NamedKind)> = Vec::new();
        for (ident, ty) in &types.items {
            if !self.modules.contains_key(&ident.ns) {
                continue;
            }
            let kind = match (&ident.type_, &ty.variant) {
                (IdentType::Type | IdentType::ElementType, MetaTypeVariant::ComplexType(_)) => {
                    NamedKind::Struct
                }
                (
                    IdentType::Type | IdentType::ElementType | IdentType::Attribute,
                    MetaTypeVariant::Enumeration(_),
                ) => NamedKind::Enum,
                (
                    IdentType::Type | IdentType::ElementType | IdentType::Attribute,
                    MetaTypeVariant::SimpleType(st),
                ) if !st.is_list && has_facets(&st.constrains) => NamedKind::Simple,
                _ => continue,
            };
            candidates.push((ident, kind));
        }
        // Element-derived names win over type-derived ones; then alphabetical: deterministic.
        candidates.sort_by_key(|(ident, _)| {
            (
                ident.ns,
                ident.type_ != IdentType::ElementType,
                ident.name.as_str().to_owned(),
            )
        });
        for (ident, kind) in candidates {
            let module = self.modules[&ident.ns].name.clone();
            let base = crate::naming::item_name(ident.name.as_str());
            let name = self.take_name(&module, &base, "Type");
            self.names.insert(ident.clone(), (name, kind));
        }
        let named: Vec<(TypeIdent, String, NamedKind)> = self
            .names
            .iter()
            .map(|(i, (n, k))| (i.clone(), n.clone(), *k))
            .collect();
        for (ident, name, kind) in named {
            let module = self.modules[&ident.ns].name.clone();
            let item = match kind {
                NamedKind::Enum => Item::Enum(self.build_enum(&ident, &name)?),
                NamedKind::Simple => Item::Simple(self.build_simple(&ident, &name)?),
                _ => {
                    let MetaTypeVariant::ComplexType(cm) = &types.items[&ident].variant else {
                        unreachable!("collected as complex type")
                    };
                    Item::Struct(self.build_struct(&ident, &name, cm)?)
                }
            };
            self.items.entry(module).or_default().push(item);
        }
        // Global elements: every one can be read and written on its own.
        for ident in types.items.keys() {
            if ident.type_ != IdentType::Element || !self.modules.contains_key(&ident.ns) {
                continue;
            }
            let module = self.modules[&ident.ns].name.clone();
            let ty = self.resolve(ident)?;
            let type_name = self.declared_type_name(ident);
            self.elements
                .entry(module)
                .or_default()
                .push(GlobalElement {
                    xml_name: ident.name.as_str().to_owned(),
                    ty,
                    type_name,
                });
        }
        Ok(())
    }

    /// The name of the type declared for the global element `ident` (`type="..."`), or `None`
    /// when it is anonymous.
    fn declared_type_name(&self, ident: &TypeIdent) -> Option<(String, String)> {
        let mut cur = ident.clone();
        for _ in 0..64 {
            match cur.type_ {
                IdentType::ElementType => return None,
                IdentType::Element => {}
                _ => return Some((self.ns_uri(cur.ns), cur.name.as_str().to_owned())),
            }
            match &self.loaded.types.items.get(&cur)?.variant {
                MetaTypeVariant::Reference(r) if r.is_single() => cur = r.type_.clone(),
                _ => return None,
            }
        }
        None
    }

    fn push_item(&mut self, module: &str, item: Item) {
        self.items.entry(module.to_owned()).or_default().push(item);
    }

    fn take_name(&mut self, module: &str, base: &str, suffix: &str) -> String {
        let taken = self.taken.entry(module.to_owned()).or_default();
        let mut name = base.to_owned();
        if taken.contains(&name) {
            name = format!("{base}{suffix}");
        }
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{suffix}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        name
    }

    /// Follows references and simple restrictions down to something we emit or map.
    fn resolve(&self, start: &TypeIdent) -> Result<TypeRef> {
        let types = &self.loaded.types;
        let mut ident = start.clone();
        for _ in 0..64 {
            if let Some((name, kind)) = self.names.get(&ident) {
                let module = self.modules[&ident.ns].name.clone();
                return Ok(TypeRef::Named {
                    module,
                    name: name.clone(),
                    kind: *kind,
                });
            }
            let Some(ty) = types.items.get(&ident) else {
                return Err(
                    self.unsupported(start, format!("reference to unknown type {}", ident.name))
                );
            };
            match &ty.variant {
                MetaTypeVariant::Reference(r) => {
                    if !r.is_single() {
                        // xs:list types (NMTOKENS, IDREFS): kept as their whitespace-separated text.
                        return Ok(TypeRef::Builtin(Builtin::String));
                    }
                    ident = r.type_.clone();
                }
                MetaTypeVariant::Custom(c) => {
                    let xs = c.name().strip_prefix("xs:").unwrap_or(c.name());
                    return Ok(TypeRef::Builtin(Builtin::from_xs(xs)));
                }
                MetaTypeVariant::SimpleType(s) => {
                    if s.is_list {
                        return Ok(TypeRef::Builtin(Builtin::String));
                    }
                    ident = s.base.clone();
                }
                MetaTypeVariant::Union(u) => {
                    // The only union of the schemas is xml:lang's (xs:language or ""), checked
                    // as such; any other union is kept as an unchecked string.
                    let mut language = false;
                    let mut others_empty = true;
                    for m in u.types.iter() {
                        if self.resolve(&m.type_)? == TypeRef::Builtin(Builtin::Language) {
                            language = true;
                        } else if !self.is_empty_enumeration(&m.type_) {
                            others_empty = false;
                        }
                    }
                    return Ok(TypeRef::Builtin(if language && others_empty {
                        Builtin::LanguageOrEmpty
                    } else {
                        Builtin::String
                    }));
                }
                MetaTypeVariant::BuildIn(_) => {
                    return Ok(TypeRef::Builtin(Builtin::String));
                }
                MetaTypeVariant::Enumeration(e) => match e.base.as_ident() {
                    // An enumeration outside our modules (none today): keep its base.
                    Some(base) => ident = base.clone(),
                    None => return Ok(TypeRef::Builtin(Builtin::String)),
                },
                MetaTypeVariant::ComplexType(_) => {
                    if self.ns_uri(ident.ns) == XS_NS {
                        // xs:anyType: the whole element, losslessly.
                        return Ok(TypeRef::Builtin(Builtin::AnyElement));
                    }
                    return Err(self.unsupported(start, "complex type outside the catalog"));
                }
                other => {
                    return Err(self.unsupported(start, format!("unexpected type kind {other:?}")))
                }
            }
        }
        Err(self.unsupported(start, "type reference loop"))
    }

    /// An enumeration whose only value is the empty string.
    fn is_empty_enumeration(&self, ident: &TypeIdent) -> bool {
        matches!(
            self.loaded.types.items.get(ident).map(|t| &t.variant),
            Some(MetaTypeVariant::Enumeration(e))
                if e.variants.iter().all(|v| v.ident.name.as_str().is_empty())
        )
    }

    fn build_enum(&self, ident: &TypeIdent, name: &str) -> Result<EnumDef> {
        let MetaTypeVariant::Enumeration(e) = &self.loaded.types.items[ident].variant else {
            unreachable!("collected as enumeration")
        };
        let mut values = Vec::new();
        let mut ext = false;
        let mut used = BTreeSet::new();
        for v in e.variants.iter() {
            if v.use_ == Use::Prohibited {
                continue;
            }
            let xml = v.ident.name.as_str().to_owned();
            if xml == "ext-value" {
                ext = true;
                continue;
            }
            let mut rust = variant_name(&xml);
            while !used.insert(rust.clone()) {
                rust.push('_');
            }
            values.push((rust, xml));
        }
        if values.is_empty() && !ext {
            return Err(self.unsupported(ident, "enumeration without values"));
        }
        Ok(EnumDef {
            name: name.to_owned(),
            origin: self.origin(ident),
            values,
            ext,
        })
    }

    fn build_simple(&self, ident: &TypeIdent, name: &str) -> Result<SimpleDef> {
        let MetaTypeVariant::SimpleType(st) = &self.loaded.types.items[ident].variant else {
            unreachable!("collected as simple type")
        };
        let c = &st.constrains;
        let mut patterns = Vec::new();
        for p in &c.patterns {
            let anchored = format!("^(?:{p})$");
            regex::Regex::new(&anchored).map_err(|e| {
                self.unsupported(ident, format!("pattern {p:?} is not supported: {e}"))
            })?;
            patterns.push(anchored);
        }
        let bound = |b: &std::ops::Bound<String>, inclusive: bool| match b {
            std::ops::Bound::Included(v) if inclusive => Some(v.clone()),
            std::ops::Bound::Excluded(v) if !inclusive => Some(v.clone()),
            _ => None,
        };
        Ok(SimpleDef {
            name: name.to_owned(),
            origin: self.origin(ident),
            base: self.resolve(&st.base)?,
            patterns,
            xsd_patterns: c.patterns.clone(),
            min_inclusive: bound(&c.range.start, true),
            max_inclusive: bound(&c.range.end, true),
            min_exclusive: bound(&c.range.start, false),
            max_exclusive: bound(&c.range.end, false),
            min_length: c.min_length,
            max_length: c.max_length,
            total_digits: c.total_digits,
            fraction_digits: c.fraction_digits,
        })
    }

    fn origin(&self, ident: &TypeIdent) -> String {
        let kind = match ident.type_ {
            IdentType::ElementType => "element",
            IdentType::Attribute => "attribute",
            _ => "type",
        };
        format!("{kind} `{{{}}}{}`", self.ns_uri(ident.ns), ident.name)
    }

    fn build_struct(
        &mut self,
        ident: &TypeIdent,
        name: &str,
        cm: &ComplexMeta,
    ) -> Result<StructDef> {
        let attributes = self.attributes(ident, cm)?;
        let types = &self.loaded.types;
        let content = match &cm.content {
            // `mixed="true"` without particles (IODEF 1.0 Confidence): the text is the content.
            None if cm.is_mixed => Content::Simple(TypeRef::Builtin(Builtin::String)),
            None => Content::Empty,
            Some(content) => {
                let ty = types
                    .items
                    .get(content)
                    .ok_or_else(|| self.unsupported(ident, "content type not found"))?;
                match &ty.variant {
                    MetaTypeVariant::Sequence(g)
                    | MetaTypeVariant::Choice(g)
                    | MetaTypeVariant::All(g) => {
                        if matches!(ty.variant, MetaTypeVariant::All(_)) {
                            return Err(self.unsupported(ident, "xs:all content"));
                        }
                        let has_children = !g.elements.is_empty();
                        let mixed = cm.is_mixed || g.is_mixed;
                        if !has_children {
                            if mixed {
                                Content::Simple(TypeRef::Builtin(Builtin::String))
                            } else {
                                Content::Empty
                            }
                        } else {
                            let module = self.modules[&ident.ns].name.clone();
                            let repeated = Occurs {
                                min: cm.min_occurs,
                                max: match cm.max_occurs {
                                    MaxOccurs::Unbounded => None,
                                    MaxOccurs::Bounded(n) => Some(n),
                                },
                            };
                            let group = if repeated != Occurs::ONE {
                                // `<xs:sequence maxOccurs="unbounded">` as the whole content.
                                let inner = GroupMeta {
                                    is_mixed: false,
                                    elements: g.elements.clone(),
                                };
                                if let MetaTypeVariant::Choice(_) = ty.variant {
                                    vec![self.choice_field(ident, &module, name, &inner, repeated)?]
                                } else {
                                    let term = self.seq_as_choice(ident, &module, name, &inner)?;
                                    vec![Field {
                                        name: "sequence".into(),
                                        occurs: repeated,
                                        term,
                                        boxed: false,
                                    }]
                                }
                            } else if let MetaTypeVariant::Choice(_) = ty.variant {
                                // A choice as the whole content: one field holding the choice.
                                vec![self.choice_field(ident, &module, name, g, Occurs::ONE)?]
                            } else {
                                self.sequence_fields(ident, &module, name, g)?
                            };
                            if mixed {
                                Content::Mixed(group)
                            } else {
                                Content::Elements(group)
                            }
                        }
                    }
                    _ => Content::Simple(self.resolve(content)?),
                }
            }
        };
        let doc = self.loaded.types.items[ident]
            .documentation
            .iter()
            .take(1)
            .cloned()
            .collect();
        Ok(StructDef {
            name: name.to_owned(),
            origin: self.origin(ident),
            doc,
            attributes,
            content,
            group: false,
        })
    }

    fn attributes(&self, ident: &TypeIdent, cm: &ComplexMeta) -> Result<Vec<AttrField>> {
        let target = self.ns_uri(ident.ns);
        let mut out: Vec<AttrField> = Vec::new();
        for a in cm.attributes.iter() {
            // A restriction restates or prohibits its base's attributes: the last word wins.
            let same = |f: &AttrField| f.xml_name == a.ident.name.as_str();
            out.retain(|f| !same(f));
            if a.use_ == Use::Prohibited {
                continue;
            }
            let AttributeMetaVariant::Type(ty) = &a.variant else {
                return Err(self.unsupported(ident, "xs:anyAttribute"));
            };
            let attr_ns = self.ns_uri(a.ident.ns);
            // Global attributes (`ref=`) and qualified ones carry their namespace on the wire.
            let qualified = ty.type_ == IdentType::Attribute || a.form == FormChoiceType::Qualified;
            let xml_name = a.ident.name.as_str().to_owned();
            out.push(AttrField {
                field: field_name(&xml_name),
                ns: qualified.then_some(attr_ns),
                xml_name,
                ty: self.resolve(ty)?,
                required: a.use_ == Use::Required,
                default: a.default.clone(),
                fixed: self
                    .loaded
                    .fixed
                    .get(&(
                        target.clone(),
                        ident.name.as_str().to_owned(),
                        a.ident.name.as_str().to_owned(),
                    ))
                    .cloned(),
                ext: None,
            });
        }
        // `foo` with an ext-value enumeration + sibling `ext-foo`: one field, `Ext(String)` arm.
        let names: BTreeSet<String> = out.iter().map(|a| a.xml_name.clone()).collect();
        let mut paired = BTreeSet::new();
        for a in &mut out {
            let ext_name = format!("ext-{}", a.xml_name);
            if a.ns.is_none() && names.contains(&ext_name) && self.is_ext_enum(&a.ty) {
                a.ext = Some(ext_name.clone());
                paired.insert(ext_name);
            }
        }
        out.retain(|a| !paired.contains(&a.xml_name));
        let mut seen = BTreeSet::new();
        for a in &mut out {
            while !seen.insert(a.field.clone()) {
                a.field.push('_');
            }
        }
        Ok(out)
    }

    fn is_ext_enum(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named {
            kind: NamedKind::Enum,
            module,
            name,
        } = ty
        else {
            return false;
        };
        self.names.iter().any(|(ident, (n, _))| {
            n == name
                && self.modules[&ident.ns].name == *module
                && matches!(&self.loaded.types.items[ident].variant,
                    MetaTypeVariant::Enumeration(e) if e.variants.iter().any(|v| v.ident.name.as_str() == "ext-value"))
        })
    }

    fn occurs(el: &ElementMeta) -> Occurs {
        Occurs {
            min: el.min_occurs,
            max: match el.max_occurs {
                MaxOccurs::Unbounded => None,
                MaxOccurs::Bounded(n) => Some(n),
            },
        }
    }

    fn any_ns(&self, owner: &TypeIdent, meta: &xsd_parser::models::meta::AnyMeta) -> AnyNs {
        let target = self.ns_uri(owner.ns);
        match &meta.namespace {
            None | Some(NamespaceListType::Any) => AnyNs::Any,
            Some(NamespaceListType::Other) => AnyNs::Other(target),
            Some(NamespaceListType::BasicNamespaceList(list)) => AnyNs::List(
                list.0
                    .iter()
                    .map(|item| match item {
                        BasicNamespaceListItemType::String(s) => Some(s.clone()),
                        BasicNamespaceListItemType::TargetNamespace => Some(target.clone()),
                        BasicNamespaceListItemType::Local => None,
                    })
                    .collect(),
            ),
        }
    }

    /// Element wire name and type of an element particle.
    fn element_term(&self, el: &ElementMeta, ty: &TypeIdent) -> Result<(String, String, TypeRef)> {
        let ns = if el.form == FormChoiceType::Qualified || ty.type_ == IdentType::Element {
            self.ns_uri(el.ident.ns)
        } else {
            String::new()
        };
        Ok((ns, el.ident.name.as_str().to_owned(), self.resolve(ty)?))
    }

    fn sequence_fields(
        &mut self,
        owner: &TypeIdent,
        module: &str,
        parent: &str,
        g: &GroupMeta,
    ) -> Result<Vec<Field>> {
        let mut fields = Vec::new();
        for el in g.elements.iter() {
            let occurs = Self::occurs(el);
            match &el.variant {
                ElementMetaVariant::Text => {}
                ElementMetaVariant::Any { meta } => {
                    fields.push(Field {
                        name: "any".into(),
                        occurs,
                        term: Term::Any {
                            ns: self.any_ns(owner, meta),
                            process: process(meta),
                        },
                        boxed: false,
                    });
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let (ns, name, ty) = self.element_term(el, type_)?;
                    fields.push(Field {
                        name: field_name(&name),
                        occurs,
                        term: Term::Element { ns, name, ty },
                        boxed: false,
                    });
                }
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Group,
                } => {
                    let group = self
                        .loaded
                        .types
                        .items
                        .get(type_)
                        .ok_or_else(|| self.unsupported(owner, "group not found"))?;
                    match &group.variant {
                        MetaTypeVariant::Sequence(inner) if occurs == Occurs::ONE => {
                            fields.extend(self.sequence_fields(owner, module, parent, inner)?);
                        }
                        MetaTypeVariant::Choice(inner) => {
                            fields.push(self.choice_field(owner, module, parent, inner, occurs)?);
                        }
                        MetaTypeVariant::Sequence(inner) => {
                            // A repeated or optional inner sequence: a choice of one sequence.
                            let single = GroupMeta {
                                is_mixed: false,
                                elements: inner.elements.clone(),
                            };
                            let wrapper = self.seq_as_choice(owner, module, parent, &single)?;
                            fields.push(Field {
                                name: "sequence".into(),
                                occurs,
                                term: wrapper,
                                boxed: false,
                            });
                        }
                        _ => return Err(self.unsupported(owner, "xs:all group")),
                    }
                }
            }
        }
        let mut seen = BTreeSet::new();
        for f in &mut fields {
            while !seen.insert(f.name.clone()) {
                f.name.push('_');
            }
        }
        Ok(fields)
    }

    fn seq_as_choice(
        &mut self,
        owner: &TypeIdent,
        module: &str,
        parent: &str,
        g: &GroupMeta,
    ) -> Result<Term> {
        let seq_name = self.take_name(module, &format!("{parent}Sequence"), "");
        let fields = self.sequence_fields(owner, module, &seq_name, g)?;
        let first = first_of_fields(&fields);
        let seq_ty = TypeRef::Named {
            module: module.into(),
            name: seq_name.clone(),
            kind: NamedKind::Struct,
        };
        let origin = format!("sequence in {}", self.origin(owner));
        self.push_item(
            module,
            Item::Struct(StructDef {
                name: seq_name,
                origin,
                doc: vec![],
                attributes: vec![],
                content: Content::Elements(fields),
                group: true,
            }),
        );
        let choice_name = self.take_name(module, &format!("{parent}Choice"), "");
        let origin = format!("repeated sequence in {}", self.origin(owner));
        self.push_item(
            module,
            Item::Choice(ChoiceDef {
                name: choice_name.clone(),
                origin,
                variants: vec![ChoiceVariant {
                    name: "Sequence".into(),
                    kind: VariantKind::Sequence {
                        ty: seq_ty,
                        first: first.clone(),
                    },
                    boxed: false,
                }],
            }),
        );
        Ok(Term::Choice {
            ty: TypeRef::Named {
                module: module.into(),
                name: choice_name,
                kind: NamedKind::Choice,
            },
            first,
        })
    }

    fn choice_field(
        &mut self,
        owner: &TypeIdent,
        module: &str,
        parent: &str,
        g: &GroupMeta,
        occurs: Occurs,
    ) -> Result<Field> {
        let choice_name = self.take_name(module, &format!("{parent}Choice"), "");
        let mut variants = Vec::new();
        let mut used = BTreeSet::new();
        for el in g.elements.iter() {
            let el_occurs = Self::occurs(el);
            let kind = match &el.variant {
                ElementMetaVariant::Text => continue,
                ElementMetaVariant::Any { meta } => VariantKind::Any {
                    ns: self.any_ns(owner, meta),
                    process: process(meta),
                    occurs: el_occurs,
                },
                ElementMetaVariant::Type {
                    type_,
                    mode: ElementMode::Element,
                } => {
                    let (ns, name, ty) = self.element_term(el, type_)?;
                    VariantKind::Element {
                        ns,
                        name,
                        ty,
                        occurs: el_occurs,
                    }
                }
                _ => {
                    // A group alternative, or an alternative with its own cardinality: a sequence struct.
                    let seq_name =
                        self.take_name(module, &format!("{choice_name}{}", variants.len() + 1), "");
                    let single = GroupMeta {
                        is_mixed: false,
                        elements: xsd_parser::models::meta::ElementsMeta(vec![el.clone()]),
                    };
                    let fields =
                        match &el.variant {
                            ElementMetaVariant::Type {
                                type_,
                                mode: ElementMode::Group,
                            } if el_occurs == Occurs::ONE => {
                                let group =
                                    self.loaded.types.items.get(type_).ok_or_else(|| {
                                        self.unsupported(owner, "group not found")
                                    })?;
                                match &group.variant {
                                    MetaTypeVariant::Sequence(inner) => {
                                        self.sequence_fields(owner, module, &seq_name, inner)?
                                    }
                                    _ => self.sequence_fields(owner, module, &seq_name, &single)?,
                                }
                            }
                            _ => self.sequence_fields(owner, module, &seq_name, &single)?,
                        };
                    let first = first_of_fields(&fields);
                    let origin = format!("choice alternative in {}", self.origin(owner));
                    self.push_item(
                        module,
                        Item::Struct(StructDef {
                            name: seq_name.clone(),
                            origin,
                            doc: vec![],
                            attributes: vec![],
                            content: Content::Elements(fields),
                            group: true,
                        }),
                    );
                    VariantKind::Sequence {
                        ty: TypeRef::Named {
                            module: module.into(),
                            name: seq_name,
                            kind: NamedKind::Struct,
                        },
                        first,
                    }
                }
            };
            let base = match &kind {
                VariantKind::Element { name, .. } => type_name(name),
                VariantKind::Any { .. } => "Any".into(),
                VariantKind::Sequence { first, .. } => first.elements.first().map_or_else(
                    || "Sequence".into(),
                    |(_, n)| format!("{}Sequence", type_name(n)),
                ),
            };
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            variants.push(ChoiceVariant {
                name,
                kind,
                boxed: false,
            });
        }
        // An alternative that may be empty makes the whole choice optional.
        let emptiable = variants.iter().any(|v| match &v.kind {
            VariantKind::Element { occurs, .. } | VariantKind::Any { occurs, .. } => {
                occurs.min == 0
            }
            VariantKind::Sequence { .. } => false,
        });
        let choice = ChoiceDef {
            name: choice_name.clone(),
            origin: format!("choice in {}", self.origin(owner)),
            variants,
        };
        let first = choice.first();
        self.push_item(module, Item::Choice(choice));
        let occurs = if emptiable {
            Occurs { min: 0, ..occurs }
        } else {
            occurs
        };
        Ok(Field {
            name: "choice".into(),
            occurs,
            term: Term::Choice {
                ty: TypeRef::Named {
                    module: module.into(),
                    name: choice_name,
                    kind: NamedKind::Choice,
                },
                first,
            },
            boxed: false,
        })
    }

    fn finish(self) -> Model {
        let mut modules = Vec::new();
        let mut infos: Vec<&ModuleInfo> = self.modules.values().collect();
        infos.sort_by(|a, b| a.name.cmp(&b.name));
        for info in infos {
            let entry = self
                .catalog
                .entry(&info.namespace)
                .expect("module from catalog");
            let mut items = self.items.get(&info.name).cloned().unwrap_or_default();
            items.sort_by(|a, b| a.name().cmp(b.name()));
            let mut elements = self.elements.get(&info.name).cloned().unwrap_or_default();
            elements.sort_by(|a, b| a.xml_name.cmp(&b.xml_name));
            modules.push(Module {
                name: info.name.clone(),
                namespace: info.namespace.clone(),
                prefix: entry.prefix.clone(),
                file: entry.file.clone(),
                source: entry.source.clone(),
                items,
                elements,
            });
        }
        Model { modules }
    }
}

fn process(meta: &xsd_parser::models::meta::AnyMeta) -> Process {
    match meta.process_contents {
        ProcessContentsType::Strict => Process::Strict,
        ProcessContentsType::Lax => Process::Lax,
        ProcessContentsType::Skip => Process::Skip,
    }
}

fn has_facets(c: &xsd_parser::models::meta::Constrains) -> bool {
    !c.patterns.is_empty()
        || !matches!(c.range.start, std::ops::Bound::Unbounded)
        || !matches!(c.range.end, std::ops::Bound::Unbounded)
        || c.min_length.is_some()
        || c.max_length.is_some()
        || c.total_digits.is_some()
        || c.fraction_digits.is_some()
}

/// What can start a list of fields (stops at the first required field).
fn first_of_fields(fields: &[Field]) -> First {
    let mut first = First::default();
    for f in fields {
        match &f.term {
            Term::Element { ns, name, .. } => first.elements.push((ns.clone(), name.clone())),
            Term::Any { ns, .. } => first.any.push(ns.clone()),
            Term::Choice { first: f2, .. } => {
                first.elements.extend(f2.elements.iter().cloned());
                first.any.extend(f2.any.iter().cloned());
            }
        }
        if f.occurs.min > 0 {
            break;
        }
    }
    first
}

/// Boxes every non-`Vec` reference that closes a cycle of by-value containment.
fn box_recursion(model: &mut Model) {
    // Graph: item -> items it contains by value (single or optional fields, choice variants).
    let key = |m: &str, n: &str| format!("{m}::{n}");
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &model.modules {
        for item in &m.items {
            let from = key(&m.name, item.name());
            let targets = edges.entry(from).or_default();
            for ty in by_value_refs(item) {
                if let TypeRef::Named { module, name, .. } = ty {
                    targets.insert(key(&module, &name));
                }
            }
        }
    }
    let sccs = strongly_connected(&edges);
    let same = |a: &str, b: &str| sccs.contains_key(a) && sccs.get(a) == sccs.get(b);
    for m in &mut model.modules {
        let module = m.name.clone();
        for item in &mut m.items {
            let from = key(&module, item.name());
            match item {
                Item::Struct(s) => {
                    if let Content::Elements(fields) = &mut s.content {
                        for f in fields.iter_mut().filter(|f| !f.occurs.is_vec()) {
                            if let Some(TypeRef::Named { module, name, kind }) = term_type(&f.term)
                            {
                                // Optional structs are boxed too: an absent one then costs a
                                // pointer, not its size (measured: EventData 840 -> 488 bytes,
                                // Service 720 -> 208; the parsed bulk document held 2.9x its
                                // size in memory, mostly absent optional fields, now 2.25x).
                                let optional_struct =
                                    f.occurs.is_option() && *kind == NamedKind::Struct;
                                f.boxed = optional_struct || same(&from, &key(module, name));
                            }
                        }
                    }
                }
                Item::Choice(c) => {
                    for v in &mut c.variants {
                        let ty = match &v.kind {
                            VariantKind::Element { ty, occurs, .. } if !occurs.is_vec() => Some(ty),
                            VariantKind::Sequence { ty, .. } => Some(ty),
                            _ => None,
                        };
                        // Struct alternatives are always boxed: a choice enum is as large as its
                        // largest alternative, and Observable alone has 19 (measured: 792 bytes
                        // per Observable unboxed, whatever it holds).
                        if let Some(TypeRef::Named {
                            kind: NamedKind::Struct,
                            ..
                        }) = ty
                        {
                            v.boxed = true;
                        }
                    }
                }
                Item::Enum(_) | Item::Simple(_) => {}
            }
        }
    }
}

fn term_type(term: &Term) -> Option<&TypeRef> {
    match term {
        Term::Element { ty, .. } | Term::Choice { ty, .. } => Some(ty),
        Term::Any { .. } => None,
    }
}

fn by_value_refs(item: &Item) -> Vec<TypeRef> {
    match item {
        Item::Struct(s) => match &s.content {
            Content::Elements(fields) => fields
                .iter()
                .filter(|f| !f.occurs.is_vec())
                .filter_map(|f| term_type(&f.term).cloned())
                .collect(),
            _ => vec![],
        },
        Item::Choice(c) => c
            .variants
            .iter()
            .filter_map(|v| match &v.kind {
                VariantKind::Element { ty, occurs, .. } if !occurs.is_vec() => Some(ty.clone()),
                VariantKind::Sequence { ty, .. } => Some(ty.clone()),
                _ => None,
            })
            .collect(),
        Item::Enum(_) | Item::Simple(_) => vec![],
    }
}

/// Tarjan's algorithm; returns node -> component id for components that form a cycle.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, usize> {
    struct State<'e> {
        edges: &'e BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'e str, usize>,
        low: BTreeMap<&'e str, usize>,
        stack: Vec<&'e str>,
        on_stack: BTreeSet<&'e str>,
        next: usize,
        out: BTreeMap<String, usize>,
        comp: usize,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut members = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                members.push(w);
                if w == v {
                    break;
                }
            }
            let self_loop = s.edges.get(v).is_some_and(|t| t.contains(v));
            if members.len() > 1 || self_loop {
                for m in members {
                    s.out.insert(m.to_owned(), s.comp);
                }
                s.comp += 1;
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on_stack: BTreeSet::new(),
        next: 0,
        out: BTreeMap::new(),
        comp: 0,
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}
