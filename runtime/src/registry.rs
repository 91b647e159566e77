//! Typed extension elements: decoders per namespace, used by [`XmlReader::read_mixed`] to turn
//! elements of known namespaces inside mixed content (IODEF `AdditionalData`, RID `XMLDocument`,
//! ...) into typed values instead of raw [`AnyElement`](crate::AnyElement)s.
//!
//! A [`Registry`] is a plain value: pass one in [`ReadOptions::registry`](crate::ReadOptions)
//! (or [`XmlReader::with_registry`]) to choose exactly which namespaces are decoded. When none
//! is given, the process-wide registry ([`global`]) is used: it starts with the namespaces
//! that linked crates declared with [`default_namespaces!`](crate::default_namespaces) (the
//! `iodef` crate declares all of its generated bindings), and extension crates add theirs with
//! [`register`]. A reader takes a snapshot of it when it is created.
//!
//! The runtime itself knows no bindings: it never imports them, the bindings import it.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use crate::error::Error;
use crate::reader::{Element, XmlReader};
use crate::schema::ElementDecl;
use crate::writer::XmlWriter;

/// A decoded element of a registered namespace, kept in [`MixedNode::Typed`](crate::MixedNode::Typed).
///
/// Get the concrete value back with [`downcast_ref`](trait.TypedElement.html#method.downcast_ref).
pub trait TypedElement: fmt::Debug + Send + Sync + 'static {
    /// Namespace URI of the element.
    fn namespace(&self) -> &'static str;
    /// Local name of the element.
    fn local_name(&self) -> &str;
    /// Writes the whole element under its own name.
    fn write(&self, w: &mut XmlWriter<'_>) -> io::Result<()>;
    /// A boxed copy.
    fn clone_box(&self) -> Box<dyn TypedElement>;
    /// Equality with another typed element (false when the concrete types differ).
    fn eq_dyn(&self, other: &dyn TypedElement) -> bool;
    /// `self` as [`Any`], for downcasting.
    fn as_any(&self) -> &dyn Any;
    /// Calls `f` on the element's value and every value inside it, in document order
    /// ([`crate::visit`]); by default on `self` only.
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        f(self.as_any());
    }
    /// [`TypedElement::walk`], mutably; by default it visits nothing.
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        let _ = f;
    }
}

impl dyn TypedElement {
    /// The value as a `T`, if it is one.
    pub fn downcast_ref<T: 'static>(&self) -> Option<&T> {
        self.as_any().downcast_ref::<T>()
    }

    /// True when the value is a `T`.
    pub fn is<T: 'static>(&self) -> bool {
        self.as_any().is::<T>()
    }
}

impl Clone for Box<dyn TypedElement> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

impl PartialEq for Box<dyn TypedElement> {
    fn eq(&self, other: &Self) -> bool {
        self.eq_dyn(&**other)
    }
}

/// Decodes `el` (a child element in the decoder's namespace), or returns `Ok(None)` — without
/// reading anything — when the namespace's module has no global element of that name (the
/// element then stays raw XML).
pub type DecodeFn =
    for<'a> fn(&mut XmlReader<'a>, &Element<'a>) -> Result<Option<Box<dyn TypedElement>>, Error>;

/// Decoders by namespace URI.
#[derive(Clone, Default)]
pub struct Registry {
    decoders: BTreeMap<&'static str, DecodeFn>,
    prefixes: BTreeMap<&'static str, &'static str>,
    /// Global element declarations per namespace, sorted by name (for the validator).
    schemas: BTreeMap<&'static str, &'static [ElementDecl]>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Sets the decoder of `namespace` (replacing an earlier one).
    pub fn add(&mut self, namespace: &'static str, decode: DecodeFn) {
        self.decoders.insert(namespace, decode);
    }

    /// Also records `prefix` as the preferred prefix of `namespace` (used by writers that must
    /// declare it).
    pub fn add_with_prefix(
        &mut self,
        namespace: &'static str,
        prefix: &'static str,
        decode: DecodeFn,
    ) {
        self.decoders.insert(namespace, decode);
        self.prefixes.insert(namespace, prefix);
    }

    /// The preferred prefix registered for `namespace`.
    pub fn prefix(&self, namespace: &str) -> Option<&'static str> {
        self.prefixes.get(namespace).copied()
    }

    /// The decoder of `namespace`.
    pub fn get(&self, namespace: &str) -> Option<DecodeFn> {
        self.decoders.get(namespace).copied()
    }

    /// Sets the global element declarations of `namespace` (sorted by name), used by the
    /// validator ([`crate::validate`]) for root elements and wildcards.
    pub fn add_schema(&mut self, namespace: &'static str, elements: &'static [ElementDecl]) {
        self.schemas.insert(namespace, elements);
    }

    /// The global element declaration `{namespace}name`.
    pub fn element_decl(&self, namespace: &str, name: &str) -> Option<&'static ElementDecl> {
        let elements = self.schemas.get(namespace)?;
        elements
            .binary_search_by(|d| d.name.cmp(name))
            .ok()
            .map(|i| &elements[i])
    }

    /// The global element declaration of `namespace` whose type is `ty` (the first by name,
    /// when several share it).
    pub fn element_of_type(
        &self,
        namespace: &str,
        ty: &'static crate::schema::TypeDef,
    ) -> Option<&'static ElementDecl> {
        self.schemas
            .get(namespace)?
            .iter()
            .find(|d| std::ptr::eq(d.ty, ty))
    }

    /// The namespaces that have schema tables, in order.
    pub fn schema_namespaces(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.schemas.keys().copied()
    }

    /// The namespaces that have a decoder, in order.
    pub fn namespaces(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.decoders.keys().copied()
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("namespaces", &self.decoders.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Namespaces every process-wide registry starts with, declared by a crate of bindings with
/// [`default_namespaces!`](crate::default_namespaces) (the `iodef` crate declares its
/// generated namespaces). Collected at link time, so that the runtime need not import the
/// bindings and a process gets the same default whatever it calls first.
#[doc(hidden)]
pub struct DefaultNamespaces {
    /// Who declared them (the crate's name): the order in which declarations are applied.
    pub name: &'static str,
    /// Adds the namespaces to a registry (a generated `register` function).
    pub register: fn(&mut Registry),
}

inventory::collect!(DefaultNamespaces);

/// A registry holding the namespaces of every [`default_namespaces!`](crate::default_namespaces)
/// declaration linked into the program, applied in the order of their names (so that the
/// outcome does not depend on link order), and nothing registered at run time.
pub fn defaults() -> Registry {
    let mut declared: Vec<&DefaultNamespaces> = inventory::iter::<DefaultNamespaces>().collect();
    declared.sort_by_key(|d| d.name);
    let mut registry = Registry::new();
    for d in declared {
        (d.register)(&mut registry);
    }
    registry
}

/// The current process-wide registry; replaced (never mutated) by [`register`].
static GLOBAL: OnceLock<RwLock<Arc<Registry>>> = OnceLock::new();
/// Serialises [`register`] calls so that none is lost.
static REGISTERING: Mutex<()> = Mutex::new(());

fn global_cell() -> &'static RwLock<Arc<Registry>> {
    GLOBAL.get_or_init(|| RwLock::new(Arc::new(defaults())))
}

/// Adds an extension's decoders to the process-wide registry (extension crates call this once,
/// e.g. from their generated `register` function). Later registrations for a namespace win.
///
/// Readers created before the call keep the registry they started with. `f` may read
/// [`global`] but must not call `register` itself (that would deadlock).
pub fn register(f: impl FnOnce(&mut Registry)) {
    let _serial = REGISTERING.lock().unwrap_or_else(PoisonError::into_inner);
    let mut next = Registry::clone(&global());
    f(&mut next);
    *global_cell()
        .write()
        .unwrap_or_else(PoisonError::into_inner) = Arc::new(next);
}

/// A snapshot of the process-wide registry: initialised on first use with the linked
/// [`defaults`], then whatever [`register`] added.
pub fn global() -> Arc<Registry> {
    Arc::clone(&global_cell().read().unwrap_or_else(PoisonError::into_inner))
}
