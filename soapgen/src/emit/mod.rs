//! Rust code for a [`Module`]: types with their XML readers and writers, operation descriptors
//! and service clients, built with `quote` and formatted with `prettyplease`.

mod headers;
mod services;
mod types;

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ident;
use crate::ir::{Builtin, Field, FieldType, Module, Occurs};

/// How the emitted code refers to the runtime, and what it derives.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Path of the runtime module, e.g. `crate::soap` inside soapbind or `::soapbind::soap`.
    pub runtime: String,
    /// Whether the types derive serde's `Serialize` and `Deserialize`.
    pub serde: SerdeDerives,
}

impl Default for EmitOptions {
    fn default() -> Self {
        Self { runtime: "::soapbind::soap".into(), serde: SerdeDerives::None }
    }
}

/// Whether the generated types derive serde's `Serialize` and `Deserialize`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SerdeDerives {
    /// No serde derives (the default): the crate needs neither serde nor a feature for it.
    #[default]
    None,
    /// Always derived: the crate depends on serde (with `derive`), and on the runtime's `serde`
    /// feature for the value types.
    Always,
    /// Derived when the crate's cargo feature of this name is on:
    /// `#[cfg_attr(feature = "<name>", derive(serde::Serialize, serde::Deserialize))]`.
    Feature(String),
}

/// Namespace constants of one module: `NS` for the target namespace, `NS1`, `NS2`, ... others.
pub(crate) struct Namespaces {
    names: BTreeMap<String, Ident>,
}

impl Namespaces {
    fn new(module: &Module) -> Self {
        let mut all: Vec<String> = Vec::new();
        let mut add = |ns: &str| {
            if !ns.is_empty() && ns != module.namespace && !all.iter().any(|a| a == ns) {
                all.push(ns.to_owned());
            }
        };
        for def in &module.types {
            match def {
                crate::ir::TypeDef::Struct(s) => {
                    s.fields.iter().for_each(|f| add(&f.namespace));
                    s.fields.iter().filter_map(|f| f.item.as_ref()).for_each(|i| add(&i.namespace));
                    if let Some(e) = &s.element {
                        add(&e.namespace);
                    }
                }
                crate::ir::TypeDef::Newtype(n) => add(&n.element.namespace),
                crate::ir::TypeDef::Enum(_) => {}
            }
        }
        for service in &module.services {
            service.operations.iter().for_each(|op| add(&op.namespace));
        }
        let mut names = BTreeMap::new();
        if !module.namespace.is_empty() {
            names.insert(module.namespace.clone(), format_ident!("NS"));
        }
        for (i, ns) in all.into_iter().enumerate() {
            names.insert(ns, format_ident!("NS{}", i + 1));
        }
        Self { names }
    }

    /// The expression for namespace `ns`: a constant, or `""`.
    pub(crate) fn expr(&self, ns: &str) -> TokenStream {
        match self.names.get(ns) {
            Some(id) => quote!(#id),
            None => quote!(""),
        }
    }

    fn constants(&self) -> TokenStream {
        let items = self.names.iter().map(|(ns, id)| {
            let doc = format!(" XML namespace `{ns}`.");
            quote! { #[doc = #doc] pub const #id: &str = #ns; }
        });
        quote!(#(#items)*)
    }
}

/// Doc attributes, one per line of `text` (so they print as `///` lines).
pub(crate) fn docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.starts_with(' ') || line.is_empty() { line.to_owned() } else { format!(" {line}") };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// A Rust identifier, raw when it is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if ident::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The Rust type of one value.
pub(crate) fn value_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Builtin(b) => builtin_type(*b),
        FieldType::Enum(name) | FieldType::Struct(name) => {
            let id = ident(name);
            quote!(#id)
        }
    }
}

/// The Rust type of a field: the value type in `Option` or `Vec` as its occurrence says.
pub(crate) fn field_type(f: &Field) -> TokenStream {
    let ty = value_type(&f.ty);
    let ty = if f.boxed { quote!(Box<#ty>) } else { ty };
    match f.occurs {
        Occurs::Required => ty,
        Occurs::Optional | Occurs::Nillable => quote!(Option<#ty>),
        Occurs::Many | Occurs::List => quote!(Vec<#ty>),
    }
}

fn builtin_type(b: Builtin) -> TokenStream {
    match b {
        Builtin::String => quote!(String),
        Builtin::Bool => quote!(bool),
        Builtin::I8 => quote!(i8),
        Builtin::I16 => quote!(i16),
        Builtin::I32 => quote!(i32),
        Builtin::I64 => quote!(i64),
        Builtin::U8 => quote!(u8),
        Builtin::U16 => quote!(u16),
        Builtin::U32 => quote!(u32),
        Builtin::U64 => quote!(u64),
        Builtin::F32 => quote!(f32),
        Builtin::F64 => quote!(f64),
        Builtin::Decimal => quote!(Decimal),
        Builtin::DateTime => quote!(DateTime),
        Builtin::Date => quote!(Date),
        Builtin::Uuid => quote!(Uuid),
        Builtin::Base64 => quote!(Base64Binary),
    }
}

/// Emits the module's code, formatted.
pub fn module(module: &Module, options: &EmitOptions) -> Result<String, syn::Error> {
    let runtime: syn::Path = syn::parse_str(&options.runtime)?;
    let namespaces = Namespaces::new(module);
    let ns_consts = namespaces.constants();
    let types = module.types.iter().map(|t| types::type_def(t, &namespaces, &options.serde));
    let services = services::services(module, &namespaces);
    // Only contracts that need them import these, so that other generated files stay as they were.
    let operations = || module.services.iter().flat_map(|s| &s.operations);
    let one_way = operations().any(|o| o.output.is_none()).then(|| quote!(use #runtime::xml::Accepted;));
    let headers = operations().any(|o| o.headers.len() > 1).then(|| quote!(use #runtime::xml::HeaderEntries;));
    let extra_imports = quote!(#one_way #headers);
    let mut header = format!(
        "// Bindings generated by soapgen from `{}`.\n// Do not edit: see the README, \"Regenerating the bindings\".\n",
        module.source
    );
    if !module.notes.is_empty() {
        header.push_str("//\n// Skipped by the generator:\n");
        for note in &module.notes {
            header.push_str(&format!("// - {note}\n"));
        }
    }
    header.push('\n');
    let tokens = quote! {
        #[allow(unused_imports)]
        use #runtime::xml::{
            element, required, Base64Binary, BytesStart, Date, DateTime, Decimal, DeError, Element, ListItems, ReadXml, Uuid, WriteXml,
            XmlReader, XmlValue, XmlWriter,
        };
        #[allow(unused_imports)]
        use #runtime::{reply_result, Call, NoHeader, Operation, OperationVisitor, ProvideHeader};
        #extra_imports

        #ns_consts
        #(#types)*
        #services
    };
    let file: syn::File = syn::parse2(tokens)?;
    Ok(header + &prettyplease::unparse(&file))
}
