//! Walking typed values: every struct, choice, simple value, raw foreign element and typed
//! extension element under a root, in document order. One call finds every `Address`, every
//! `Indicator` or every typed extension element, whichever namespace or crate defines it:
//! the walk follows the same descriptions as the codec (`rt::codec`), and descends into
//! extension content (`AdditionalData` and the like) through the registry's typed elements.
//!
//! ```
//! let doc = iodef::read(br#"<IODEF-Document version="2.00" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
//!   <Incident purpose="reporting">
//!     <IncidentID name="csirt.example.com">492382</IncidentID>
//!     <GenerationTime>2015-07-18T09:00:00-05:00</GenerationTime>
//!     <Contact type="organization" role="creator"/>
//!     <EventData><Flow><System category="source"><Node>
//!       <Address category="ipv4-addr">192.0.2.200</Address>
//!       <Address category="ipv4-addr">192.0.2.201</Address>
//!     </Node></System></Flow></EventData>
//!   </Incident>
//! </IODEF-Document>"#)?;
//! let addresses: Vec<&str> = doc
//!     .find_all::<iodef::v2::Address>()
//!     .into_iter()
//!     .map(|a| a.value.as_str())
//!     .collect();
//! assert_eq!(addresses, ["192.0.2.200", "192.0.2.201"]);
//! # Ok::<(), iodef::Error>(())
//! ```

use std::any::Any;

use super::codec::Value;

/// A value that can be walked: every generated type (through [`Value`]), each namespace's
/// `Element` enum and the crate-wide `Root`.
pub trait Walk {
    /// Calls `f` on this value, then on every value inside it, in document order.
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any));
    /// [`Walk::walk`], with mutable access.
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any));
}

impl<T: Value> Walk for T {
    fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a dyn Any)) {
        Value::walk(self, f);
    }
    fn walk_mut(&mut self, f: &mut dyn FnMut(&mut dyn Any)) {
        Value::walk_mut(self, f);
    }
}

/// Every `U` under `root` (`root` included), in document order.
pub fn find_all<U: Any>(root: &(impl Walk + ?Sized)) -> Vec<&U> {
    let mut found = Vec::new();
    root.walk(&mut |v| {
        if let Some(u) = v.downcast_ref::<U>() {
            found.push(u);
        }
    });
    found
}

/// Calls `f` on every `U` under `root` (`root` included), in document order, mutably.
pub fn for_each_mut<U: Any>(root: &mut (impl Walk + ?Sized), mut f: impl FnMut(&mut U)) {
    root.walk_mut(&mut |v| {
        if let Some(u) = v.downcast_mut::<U>() {
            f(u);
        }
    });
}

/// Implements [`Walk`] (and the walk of [`crate::TypedElement`]) for an enum whose every
/// variant holds one walkable value: a namespace's `Element` enum, the crate-wide `Root`.
#[macro_export]
#[doc(hidden)]
macro_rules! walk_variants {
    ($ty:ident, [$($variant:ident),* $(,)?]) => {
        impl $crate::visit::Walk for $ty {
            fn walk<'v>(&'v self, f: &mut dyn ::std::ops::FnMut(&'v dyn ::std::any::Any)) {
                f(self);
                match self {
                    $(Self::$variant(v) => $crate::visit::Walk::walk(v, f),)*
                }
            }
            fn walk_mut(&mut self, f: &mut dyn ::std::ops::FnMut(&mut dyn ::std::any::Any)) {
                f(self);
                match self {
                    $(Self::$variant(v) => $crate::visit::Walk::walk_mut(v, f),)*
                }
            }
        }
    };
}

/// Generates a namespace's visitor traits, in the manner of `syn::visit`: `Visit` and
/// `VisitMut` with one `visit_*` method per generated type (doing nothing by default), and
/// `visit` / `visit_mut`, which walk a root ([`Walk`]) and call the method of each value's type,
/// in document order, typed extension content included. The generator lists the types:
/// `visitor!([Type visit_type visit_type_mut, ...])`.
#[macro_export]
#[doc(hidden)]
macro_rules! visitor {
    ([$($ty:ident $visit:ident $visit_mut:ident),* $(,)?]) => {
        /// A visitor of this namespace's types: override the `visit_*` methods of the types of
        /// interest; [`visit`] calls them for every value of those types under a root, in
        /// document order (typed extension content included).
        pub trait Visit<'ast> {
            $(
                #[doc = concat!("Called for every `", stringify!($ty), "`.")]
                fn $visit(&mut self, node: &'ast $ty) {
                    let _ = node;
                }
            )*
        }

        /// [`Visit`], with mutable access ([`visit_mut`]).
        pub trait VisitMut {
            $(
                #[doc = concat!("Called for every `", stringify!($ty), "`.")]
                fn $visit_mut(&mut self, node: &mut $ty) {
                    let _ = node;
                }
            )*
        }

        /// Calls `visitor`'s method for every value of this namespace's types under `root`
        /// (`root` included), in document order.
        pub fn visit<'ast, V: Visit<'ast> + ?Sized>(
            root: &'ast (impl $crate::visit::Walk + ?Sized),
            visitor: &mut V,
        ) {
            root.walk(&mut |node: &'ast dyn ::std::any::Any| {
                match visitor_kinds::kind(node) {
                    $(::std::option::Option::Some(visitor_kinds::Kind::$ty) => {
                        if let ::std::option::Option::Some(v) = node.downcast_ref::<$ty>() {
                            visitor.$visit(v);
                        }
                    })*
                    ::std::option::Option::None => {}
                }
            });
        }

        /// Calls `visitor`'s method for every value of this namespace's types under `root`
        /// (`root` included), in document order, mutably.
        pub fn visit_mut<V: VisitMut + ?Sized>(
            root: &mut (impl $crate::visit::Walk + ?Sized),
            visitor: &mut V,
        ) {
            root.walk_mut(&mut |node: &mut dyn ::std::any::Any| {
                match visitor_kinds::kind(node) {
                    $(::std::option::Option::Some(visitor_kinds::Kind::$ty) => {
                        if let ::std::option::Option::Some(v) = node.downcast_mut::<$ty>() {
                            visitor.$visit_mut(v);
                        }
                    })*
                    ::std::option::Option::None => {}
                }
            });
        }

        /// Which of this namespace's types a value is: one table lookup, not a test per type.
        mod visitor_kinds {
            #[allow(non_camel_case_types, clippy::enum_variant_names)]
            #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
            pub(super) enum Kind {
                $($ty),*
            }

            pub(super) fn kind(node: &dyn ::std::any::Any) -> ::std::option::Option<Kind> {
                static TABLE: ::std::sync::OnceLock<::std::vec::Vec<(::std::any::TypeId, Kind)>> =
                    ::std::sync::OnceLock::new();
                let table = TABLE.get_or_init(|| {
                    let mut table = ::std::vec![
                        $((::std::any::TypeId::of::<super::$ty>(), Kind::$ty)),*
                    ];
                    table.sort_unstable();
                    table
                });
                let id = node.type_id();
                table
                    .binary_search_by(|(t, _)| t.cmp(&id))
                    .ok()
                    .map(|i| table[i].1)
            }
        }
    };
}
