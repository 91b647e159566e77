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
        let rt = &self.rt;
        let statics = module.items.iter().map(|item| match item {
            Item::Struct(s) if s.group => {
                let name = format_ident!("{}", s.name);
                let fields = match &s.content {
                    Content::Elements(fields) | Content::Mixed(fields) => fields.as_slice(),
                    _ => &[],
                };
                let particles = self.particles(module, fields);
                quote! {
                    pub static #name: #rt::schema::Term = #rt::schema::Term::Sequence(&[#(#particles),*]);
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
        let elements = module.elements.iter().map(|e| {
            let name = Literal::string(&e.xml_name);
            let ty = self.table_ref(module, &e.ty);
            let type_name = match &e.type_name {
                Some((ns, local)) => quote!(::std::option::Option::Some((#ns, #local))),
                None => quote!(::std::option::Option::None),
            };
            quote!(#rt::schema::ElementDecl { ns: super::NAMESPACE, name: #name, ty: #ty, type_name: #type_name })
        });
        quote! {
            /// Schema tables of this namespace for the validator (`rt::validate`): one static
            /// per type, named like it, and the global element declarations.
            #[allow(non_upper_case_globals)]
            pub mod schema {
                use super::rt;
                #(#statics)*
                /// Global element declarations, sorted by name.
                pub static ELEMENTS: &[rt::schema::ElementDecl] = &[#(#elements),*];
            }
        }
    }

    fn simple_static(&self, name: &str, role: TokenStream) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", name);
        quote! {
            pub static #name: #rt::schema::TypeDef = #rt::schema::TypeDef::Simple(#rt::schema::SimpleType {
                check: #rt::schema::check::<super::#name>,
                role: #rt::schema::IdRole::#role,
            });
        }
    }

    fn complex_static(&self, module: &Module, s: &StructDef) -> TokenStream {
        let rt = &self.rt;
        let name = format_ident!("{}", s.name);
        let attributes = s
            .attributes
            .iter()
            .flat_map(|a| self.attribute_decls(module, a));
        let content = match &s.content {
            Content::Empty => quote!(#rt::schema::ContentModel::Empty),
            Content::Simple(ty) => {
                let ty = self.table_ref(module, ty);
                quote!(#rt::schema::ContentModel::Simple(#ty))
            }
            Content::Elements(fields) => {
                let particles = self.particles(module, fields);
                quote!(#rt::schema::ContentModel::Elements(&[#(#particles),*]))
            }
            Content::Mixed(fields) => {
                let particles = self.particles(module, fields);
                quote!(#rt::schema::ContentModel::Mixed(&[#(#particles),*]))
            }
        };
        quote! {
            pub static #name: #rt::schema::TypeDef = #rt::schema::TypeDef::Complex(
                #rt::schema::ComplexType::new(&[#(#attributes),*], #content),
            );
        }
    }

    /// The declaration of an attribute, and of its `ext-*` partner (a string) when paired.
    fn attribute_decls(&self, module: &Module, a: &AttrField) -> Vec<TokenStream> {
        let rt = &self.rt;
        let ns = Literal::string(a.ns.as_deref().unwrap_or(""));
        let name = Literal::string(&a.xml_name);
        let ty = self.table_ref(module, &a.ty);
        let required = a.required;
        let fixed = match &a.fixed {
            Some(f) => {
                let f = Literal::string(f);
                quote!(::std::option::Option::Some(#f))
            }
            None => quote!(::std::option::Option::None),
        };
        let mut out = vec![quote! {
            #rt::schema::AttributeDecl { ns: #ns, name: #name, ty: #ty, required: #required, fixed: #fixed }
        }];
        if let Some(ext) = &a.ext {
            let ext = Literal::string(ext);
            out.push(quote! {
                #rt::schema::AttributeDecl { ns: "", name: #ext, ty: &#rt::schema::STRING, required: false, fixed: ::std::option::Option::None }
            });
        }
        out
    }

    fn choice_static(&self, module: &Module, c: &ChoiceDef) -> TokenStream {
        let rt = &self.rt;
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
                particle(rt, quote!(#rt::schema::Term::Group(#group)), Occurs::ONE)
            }
        });
        quote! {
            pub static #name: #rt::schema::Term = #rt::schema::Term::Choice(&[#(#particles),*]);
        }
    }

    fn particles(&self, module: &Module, fields: &[Field]) -> Vec<TokenStream> {
        let rt = &self.rt;
        fields
            .iter()
            .map(|f| match &f.term {
                Term::Element { ns, name, ty } => {
                    self.element_particle(module, ns, name, ty, f.occurs)
                }
                Term::Any { ns, process } => self.any_particle(ns, *process, f.occurs),
                Term::Choice { ty, .. } => {
                    let group = self.table_ref(module, ty);
                    particle(rt, quote!(#rt::schema::Term::Group(#group)), f.occurs)
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
        let rt = &self.rt;
        let ty = self.table_ref(module, ty);
        let term = quote! {
            #rt::schema::Term::Element(#rt::schema::ElementDecl { ns: #ns, name: #name, ty: #ty, type_name: ::std::option::Option::None })
        };
        particle(rt, term, occurs)
    }

    fn any_particle(&self, ns: &crate::ir::AnyNs, process: Process, occurs: Occurs) -> TokenStream {
        let rt = &self.rt;
        let ns = any_tokens(rt, ns);
        let process = match process {
            Process::Strict => quote!(#rt::schema::Process::Strict),
            Process::Lax => quote!(#rt::schema::Process::Lax),
            Process::Skip => quote!(#rt::schema::Process::Skip),
        };
        let term = quote! {
            #rt::schema::Term::Any(#rt::schema::Wildcard { ns: #ns, process: #process })
        };
        particle(rt, term, occurs)
    }

    /// `&STATIC` describing `ty`, seen from inside a module's `schema` submodule.
    fn table_ref(&self, module: &Module, ty: &TypeRef) -> TokenStream {
        let rt = &self.rt;
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
                quote!(&#rt::schema::#name)
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

fn particle(rt: &TokenStream, term: TokenStream, occurs: Occurs) -> TokenStream {
    let min = u32::try_from(occurs.min).unwrap_or(u32::MAX);
    let max = match occurs.max {
        Some(n) => {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            quote!(#n)
        }
        None => quote!(#rt::schema::UNBOUNDED),
    };
    quote!(#rt::schema::Particle { term: #term, min: #min, max: #max })
}
