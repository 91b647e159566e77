//! Renders a module's schema tables (`pub mod schema`): one static per item describing it for
//! the runtime validator (`rt::validate`), and `ELEMENTS`, the global element declarations.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{any_tokens, Ctx};
use crate::ir::{
    AttrField, Builtin, ChoiceDef, Content, Field, Item, Module, Occurs, Process, StructDef, Term,
    TypeRef, VariantKind,
};

impl Ctx {
    pub(super) fn schema_tables(&self, module: &Module) -> TokenStream {
        let statics = module.items.iter().map(|item| match item {
            Item::Struct(s) if s.group => {
                let name = format_ident!("{}", s.name);
                let fields = match &s.content {
                    Content::Elements(fields) | Content::Mixed(fields) => fields.as_slice(),
                    _ => &[],
                };
                let particles = self.particles(module, fields);
                quote! {
                    pub static #name: Term = Term::Sequence(&[#(#particles),*]);
                }
            }
            Item::Struct(s) => self.complex_static(module, s),
            Item::Choice(c) => self.choice_static(module, c),
            Item::Enum(e) => self.simple_static(&e.name, quote!(Plain)),
            Item::Simple(d) => {
                let role = match d.base {
                    TypeRef::Builtin(Builtin::Id) => quote!(Id),
                    TypeRef::Builtin(Builtin::IdRef) => quote!(IdRef),
                    _ => quote!(Plain),
                };
                self.simple_static(&d.name, role)
            }
        });
        let statics: Vec<TokenStream> = statics.collect();
        let elements: Vec<TokenStream> = module
            .elements
            .iter()
            .map(|e| {
                let name = Literal::string(&e.xml_name);
                let ty = self.table_ref(module, &e.ty);
                let type_name = match &e.type_name {
                    Some((ns, local)) => {
                        let ns = self.ns_tokens(module, ns);
                        quote!(::std::option::Option::Some((#ns, #local)))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(global(NS, #name, #ty, #type_name))
            })
            .collect();
        let ns_used = statics
            .iter()
            .chain(&elements)
            .any(|t| mentions(t.clone(), "NS"));
        let ns = if ns_used {
            quote!(
                const NS: &str = super::NAMESPACE;
            )
        } else {
            quote!()
        };
        quote! {
            /// The description of each type of this namespace (one static per type, named like
            /// it): what the codec (`rt::codec`) reads and writes and the validator
            /// (`rt::validate`) checks; and the global element declarations.
            #[allow(non_upper_case_globals)]
            pub mod schema {
                use super::rt;
                use rt::schema::*;
                #ns
                #(#statics)*
                /// Global element declarations, sorted by name.
                pub static ELEMENTS: &[ElementDecl] = &[#(#elements),*];
            }
        }
    }

    /// The namespace `ns` in a table: `NS` for the module's own.
    fn ns_tokens(&self, module: &Module, ns: &str) -> TokenStream {
        if ns == module.namespace {
            quote!(NS)
        } else if ns == crate::ir::XML_NS {
            let rt = &self.rt;
            quote!(#rt::XML_NS)
        } else {
            quote!(#ns)
        }
    }

    fn simple_static(&self, name: &str, role: TokenStream) -> TokenStream {
        let name = format_ident!("{}", name);
        quote! {
            pub static #name: TypeDef = simple::<super::#name>(IdRole::#role);
        }
    }

    fn complex_static(&self, module: &Module, s: &StructDef) -> TokenStream {
        let name = format_ident!("{}", s.name);
        let attributes = s.attributes.iter().map(|a| self.attribute_decl(module, a));
        let content = match &s.content {
            Content::Empty => quote!(ContentModel::Empty),
            Content::Simple(ty) => {
                let ty = self.table_ref(module, ty);
                quote!(ContentModel::Simple(#ty))
            }
            Content::Elements(fields) => {
                let particles = self.particles(module, fields);
                quote!(ContentModel::Elements(&[#(#particles),*]))
            }
            Content::Mixed(fields) => {
                let particles = self.particles(module, fields);
                quote!(ContentModel::Mixed(&[#(#particles),*]))
            }
        };
        quote! {
            pub static #name: TypeDef = complex(&[#(#attributes),*], #content);
        }
    }

    /// The declaration of an attribute, with its `ext-*` partner when paired.
    fn attribute_decl(&self, module: &Module, a: &AttrField) -> TokenStream {
        let name = Literal::string(&a.xml_name);
        let ty = self.table_ref(module, &a.ty);
        let mut decl = quote!(attr(#name, #ty));
        if let Some(ns) = &a.ns {
            let ns = self.ns_tokens(module, ns);
            decl = quote!(#decl.ns(#ns));
        }
        if a.required {
            decl = quote!(#decl.required());
        }
        if let Some(fixed) = &a.fixed {
            decl = quote!(#decl.fixed(#fixed));
        }
        if let Some(ext) = &a.ext {
            decl = quote!(#decl.ext(#ext));
        }
        decl
    }

    fn choice_static(&self, module: &Module, c: &ChoiceDef) -> TokenStream {
        let name = format_ident!("{}", c.name);
        let particles = c.variants.iter().map(|v| match &v.kind {
            VariantKind::Element {
                ns,
                name,
                ty,
                occurs,
            } => self.element_particle(module, ns, name, ty, *occurs),
            VariantKind::Any {
                ns,
                process,
                occurs,
            } => self.any_particle(ns, *process, *occurs),
            VariantKind::Sequence { ty, .. } => {
                let group = self.table_ref(module, ty);
                quote!(group(#group, 1, 1))
            }
        });
        quote! {
            pub static #name: Term = Term::Choice(&[#(#particles),*]);
        }
    }

    fn particles(&self, module: &Module, fields: &[Field]) -> Vec<TokenStream> {
        fields
            .iter()
            .map(|f| match &f.term {
                Term::Element { ns, name, ty } => {
                    self.element_particle(module, ns, name, ty, f.occurs)
                }
                Term::Any { ns, process } => self.any_particle(ns, *process, f.occurs),
                Term::Choice { ty, .. } => {
                    let group = self.table_ref(module, ty);
                    let (min, max) = bounds(f.occurs);
                    quote!(group(#group, #min, #max))
                }
            })
            .collect()
    }

    fn element_particle(
        &self,
        module: &Module,
        ns: &str,
        name: &str,
        ty: &TypeRef,
        occurs: Occurs,
    ) -> TokenStream {
        let ty = self.table_ref(module, ty);
        let ns = self.ns_tokens(module, ns);
        let (min, max) = bounds(occurs);
        quote!(element(#ns, #name, #ty, #min, #max))
    }

    fn any_particle(&self, ns: &crate::ir::AnyNs, process: Process, occurs: Occurs) -> TokenStream {
        let rt = &self.rt;
        let ns = any_tokens(rt, ns);
        let process = match process {
            Process::Strict => quote!(Process::Strict),
            Process::Lax => quote!(Process::Lax),
            Process::Skip => quote!(Process::Skip),
        };
        let (min, max) = bounds(occurs);
        quote!(any(#ns, #process, #min, #max))
    }

    /// `&STATIC` describing `ty`, seen from inside a module's `schema` submodule.
    fn table_ref(&self, module: &Module, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::Builtin(b) => {
                let name = format_ident!(
                    "{}",
                    match b {
                        Builtin::String => "STRING",
                        Builtin::Bool => "BOOLEAN",
                        Builtin::Integer => "INTEGER",
                        Builtin::NonNegativeInteger => "NON_NEGATIVE_INTEGER",
                        Builtin::PositiveInteger => "POSITIVE_INTEGER",
                        Builtin::NonPositiveInteger => "NON_POSITIVE_INTEGER",
                        Builtin::NegativeInteger => "NEGATIVE_INTEGER",
                        Builtin::Long => "LONG",
                        Builtin::Int => "INT",
                        Builtin::Short => "SHORT",
                        Builtin::Byte => "BYTE",
                        Builtin::UnsignedLong => "UNSIGNED_LONG",
                        Builtin::UnsignedInt => "UNSIGNED_INT",
                        Builtin::UnsignedShort => "UNSIGNED_SHORT",
                        Builtin::UnsignedByte => "UNSIGNED_BYTE",
                        Builtin::Float => "FLOAT",
                        Builtin::Double => "DOUBLE",
                        Builtin::Decimal => "DECIMAL",
                        Builtin::DateTime => "DATE_TIME",
                        Builtin::HexBinary => "HEX_BINARY",
                        Builtin::Base64Binary => "BASE64_BINARY",
                        Builtin::NcName => "NCNAME",
                        Builtin::Nmtoken => "NMTOKEN",
                        Builtin::Language => "LANGUAGE",
                        Builtin::LanguageOrEmpty => "LANGUAGE_OR_EMPTY",
                        Builtin::Id => "ID",
                        Builtin::IdRef => "IDREF",
                        Builtin::AnyElement | Builtin::Mixed => "ANY_TYPE",
                    }
                );
                quote!(&#name)
            }
            TypeRef::Named {
                module: m, name, ..
            } => {
                let name = format_ident!("{}", name);
                if let Some(path) = self.extern_paths.get(m) {
                    quote!(&#path::schema::#name)
                } else if *m == module.name {
                    quote!(&#name)
                } else {
                    let m = format_ident!("{}", m);
                    quote!(&super::super::#m::schema::#name)
                }
            }
        }
    }
}

/// `minOccurs` and `maxOccurs` as table literals.
fn bounds(occurs: Occurs) -> (TokenStream, TokenStream) {
    let min = u32::try_from(occurs.min).unwrap_or(u32::MAX);
    let max = match occurs.max {
        Some(n) => {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            quote!(#n)
        }
        None => quote!(UNBOUNDED),
    };
    (quote!(#min), max)
}

/// Whether `tokens` use the identifier `name`.
fn mentions(tokens: TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => i == name,
        proc_macro2::TokenTree::Group(g) => mentions(g.stream(), name),
        _ => false,
    })
}
