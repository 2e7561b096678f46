//! Structs, enums and newtypes with their `ReadXml`, `WriteXml`, `XmlValue` and `Element` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, value_type, Namespaces, SerdeDerives};
use crate::ir::{ElementName, EnumDef, Field, FieldKind, FieldType, NewtypeDef, Occurs, StructDef, TypeDef};

/// The serde derive attribute of a generated type, if any.
fn serde_attr(serde: &SerdeDerives) -> TokenStream {
    match serde {
        SerdeDerives::None => TokenStream::new(),
        SerdeDerives::Always => quote!(#[derive(serde::Serialize, serde::Deserialize)]),
        SerdeDerives::Feature(name) => {
            quote!(#[cfg_attr(feature = #name, derive(serde::Serialize, serde::Deserialize))])
        }
    }
}

pub(super) fn type_def(def: &TypeDef, ns: &Namespaces, serde: &SerdeDerives) -> TokenStream {
    match def {
        TypeDef::Struct(s) => struct_def(s, ns, serde),
        TypeDef::Enum(e) => enum_def(e, serde),
        TypeDef::Newtype(n) => newtype_def(n, ns, serde),
    }
}

/// The `Element` impl, through the runtime's `element!` (one line where the impl takes four).
fn element_impl(name: &proc_macro2::Ident, element: &ElementName, ns: &Namespaces) -> TokenStream {
    let local = &element.name;
    let namespace = ns.expr(&element.namespace);
    quote!(element!(#name, #local, #namespace);)
}

fn xsd_label(ty: &FieldType) -> String {
    match ty {
        FieldType::Builtin(b) => format!("xs:{}", b.xsd_name()),
        FieldType::Enum(n) | FieldType::Struct(n) => format!("[`{n}`]"),
    }
}

fn field_doc(f: &Field) -> String {
    let what = match f.kind {
        FieldKind::Element => format!("Element `{}`", f.xml_name),
        FieldKind::Attribute => format!("Attribute `{}`", f.xml_name),
        FieldKind::Text => "The element's text".to_owned(),
        FieldKind::Any => {
            return " Any other child elements (`xs:any`), each as raw XML as written; namespace \
                    prefixes declared on enclosing elements are not repeated."
                .to_owned()
        }
    };
    let occurs = match f.occurs {
        Occurs::Required if f.kind == FieldKind::Attribute => ", required",
        Occurs::Required => "",
        Occurs::Optional if f.nillable => ", optional and nillable (`None` is left out)",
        Occurs::Optional => ", optional",
        Occurs::Nillable => ", nillable (`None` is sent as `xsi:nil`)",
        Occurs::Many if f.nillable => ", repeated (nil entries are skipped)",
        Occurs::Many => ", repeated",
        Occurs::List => "",
    };
    let mut doc = format!(" {what}: {}{occurs}.", xsd_label(&f.ty));
    if let Some(item) = &f.item {
        let nil = if item.nillable { ", nil entries skipped" } else { "" };
        let (list, label) = (&item.list_type, xsd_label(&f.ty));
        doc =
            format!(" {what}: a list of {label} (`{list}` of `{}`{nil}); absent or nil reads as empty.", item.xml_name);
    }
    if !f.doc.is_empty() {
        doc = format!(" {}\n\n{doc}", f.doc);
    }
    doc
}

fn struct_def(s: &StructDef, ns: &Namespaces, serde: &SerdeDerives) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = if s.doc.is_empty() {
        match &s.element {
            Some(e) => format!(" Element `{}`.", e.name),
            None => format!(" Complex type `{}`.", s.xml_name),
        }
    } else {
        format!(" {}", s.doc)
    };
    let doc = super::docs(&doc);
    let serde = serde_attr(serde);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let ty = super::field_type(f);
        let doc = super::docs(&field_doc(f));
        quote! { #doc pub #fname: #ty, }
    });
    let read = read_impl(s, ns);
    let write = write_impl(s, ns);
    let element = s.element.as_ref().map(|e| element_impl(&name, e, ns));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #serde
        pub struct #name { #(#fields)* }
        #read
        #write
        #element
    }
}

fn local_var(f: &Field) -> proc_macro2::Ident {
    quote::format_ident!("f_{}", f.rust_name)
}

fn read_impl(s: &StructDef, ns: &Namespaces) -> TokenStream {
    let name = ident(&s.rust_name);
    let mut prelude = Vec::new();
    let mut build = Vec::new();
    let mut arms = Vec::new();
    let mut text = None;
    let mut any = None;
    let any_field = s.fields.iter().any(|f| f.kind == FieldKind::Any);
    let element_fields: Vec<&Field> = s.fields.iter().filter(|f| f.kind == FieldKind::Element).collect();
    let common_ns = element_fields.first().map(|f| f.namespace.clone());
    let single_ns = element_fields.iter().all(|f| Some(&f.namespace) == common_ns.as_ref());

    for f in &s.fields {
        let var = local_var(f);
        let fname = ident(&f.rust_name);
        let xml = &f.xml_name;
        let ty = value_type(&f.ty);
        match f.kind {
            FieldKind::Attribute => {
                let label = format!("@{xml}");
                prelude.push(quote!(let #var: Option<#ty> = r.attribute_value(start, #xml)?;));
                build.push(match f.occurs {
                    Occurs::Required => quote!(#fname: required(#var, #label)?,),
                    _ => quote!(#fname: #var,),
                });
            }
            FieldKind::Text => {
                text = Some(quote!(let #var = <#ty as ReadXml>::read_xml(r, start)?;));
                build.push(quote!(#fname: #var,));
            }
            FieldKind::Any => {
                prelude.push(quote!(let mut #var: Vec<String> = Vec::new();));
                build.push(quote!(#fname: #var,));
                any = Some(var);
            }
            FieldKind::Element => {
                let (decl_ty, init, assign, finish) = match (f.occurs, f.nillable) {
                    (Occurs::List, _) => {
                        let item = f.item.as_ref().expect("a list field has its item");
                        let key = proc_macro2::Literal::byte_string(item.xml_name.as_bytes());
                        let ins = ns.expr(&item.namespace);
                        (
                            quote!(ListItems<#ty>),
                            quote!(ListItems::new(#key, #ins)),
                            quote!(r.list_into(&child, &mut #var)?),
                            quote!(#var.into_vec()),
                        )
                    }
                    (Occurs::Many, false) => {
                        (quote!(Vec<#ty>), quote!(Vec::new()), quote!(r.push_into(&child, &mut #var)?), quote!(#var))
                    }
                    (Occurs::Many, true) => (
                        quote!(Vec<#ty>),
                        quote!(Vec::new()),
                        quote!(r.push_some_into(&child, &mut #var)?),
                        quote!(#var),
                    ),
                    (Occurs::Optional, false) => {
                        (quote!(Option<#ty>), quote!(None), quote!(r.read_into(&child, &mut #var)?), quote!(#var))
                    }
                    (Occurs::Optional, true) => (
                        quote!(Option<Option<#ty>>),
                        quote!(None),
                        quote!(r.read_into(&child, &mut #var)?),
                        quote!(#var.flatten()),
                    ),
                    (Occurs::Required, false) => (
                        quote!(Option<#ty>),
                        quote!(None),
                        quote!(r.read_into(&child, &mut #var)?),
                        quote!(required(#var, #xml)?),
                    ),
                    (Occurs::Nillable, _) | (Occurs::Required, true) => (
                        quote!(Option<Option<#ty>>),
                        quote!(None),
                        quote!(r.read_into(&child, &mut #var)?),
                        quote!(required(#var, #xml)?),
                    ),
                };
                let finish = if f.boxed { boxed_finish(f.occurs, finish) } else { finish };
                prelude.push(if f.occurs == Occurs::List {
                    quote!(let mut #var = #init;)
                } else {
                    quote!(let mut #var: #decl_ty = #init;)
                });
                let key = proc_macro2::Literal::byte_string(xml.as_bytes());
                let guard = if single_ns && any_field {
                    quote!(if child.in_ns)
                } else if single_ns {
                    quote!()
                } else {
                    let fns = ns.expr(&f.namespace);
                    quote!(if r.in_namespace(&child.start, #fns))
                };
                arms.push(quote!(#key #guard => #assign,));
                build.push(quote!(#fname: #finish,));
            }
        }
    }

    let body = if let Some(text) = text {
        quote! { #text }
    } else {
        let expected_ns = ns.expr(common_ns.as_deref().unwrap_or(""));
        let next = if single_ns && any.is_none() { quote!(next_child_in) } else { quote!(next_child) };
        let other = match &any {
            Some(var) => quote!(#var.push(r.raw_outer(&child.start)?.to_owned())),
            None => quote!(r.skip(&child.start)?),
        };
        if arms.is_empty() {
            quote! {
                while let Some(child) = r.next_child(#expected_ns)? {
                    #other;
                }
            }
        } else {
            quote! {
                while let Some(child) = r.#next(#expected_ns)? {
                    match child.local_name() {
                        #(#arms)*
                        _ => #other,
                    }
                }
            }
        }
    };
    let uses_start = s.fields.iter().any(|f| matches!(f.kind, FieldKind::Attribute | FieldKind::Text));
    let start_param = if uses_start { quote!(start) } else { quote!(_) };
    quote! {
        impl ReadXml for #name {
            fn read_xml(r: &mut XmlReader<'_>, #start_param: &BytesStart<'_>) -> Result<Self, DeError> {
                #(#prelude)*
                #body
                Ok(Self { #(#build)* })
            }
        }
    }
}

/// The value of a boxed field from the unboxed value read (`finish`).
fn boxed_finish(occurs: Occurs, finish: TokenStream) -> TokenStream {
    match occurs {
        Occurs::Required => quote!(Box::new(#finish)),
        Occurs::Optional | Occurs::Nillable => quote!(#finish.map(Box::new)),
        Occurs::Many | Occurs::List => finish,
    }
}

/// Writes a boxed element field.
fn boxed_write(occurs: Occurs, fname: &proc_macro2::Ident, xml: &str, fns: &TokenStream) -> TokenStream {
    match occurs {
        Occurs::Required => quote!((*self.#fname).write_xml(w, #xml, #fns);),
        Occurs::Optional => quote!(if let Some(v) = &self.#fname { (**v).write_xml(w, #xml, #fns); }),
        Occurs::Nillable => quote! {
            match &self.#fname {
                Some(v) => (**v).write_xml(w, #xml, #fns),
                None => w.nil(#xml, #fns),
            }
        },
        // Lists and repeated fields are never boxed: a `Vec` already breaks the cycle.
        Occurs::Many | Occurs::List => quote!(w.many(#xml, #fns, &self.#fname);),
    }
}

fn write_impl(s: &StructDef, ns: &Namespaces) -> TokenStream {
    let name = ident(&s.rust_name);
    let mut attrs = Vec::new();
    let mut content = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.rust_name);
        let xml = &f.xml_name;
        let fns = ns.expr(&f.namespace);
        match f.kind {
            FieldKind::Attribute => attrs.push(match f.occurs {
                Occurs::Required => quote!(w.attribute_value(#xml, &self.#fname);),
                _ => quote!(if let Some(v) = &self.#fname { w.attribute_value(#xml, v); }),
            }),
            FieldKind::Text => content.push(quote!(self.#fname.write_text(w);)),
            FieldKind::Any => content.push(quote!(for xml in &self.#fname { w.raw(xml); })),
            FieldKind::Element if f.boxed => content.push(boxed_write(f.occurs, &fname, xml, &fns)),
            FieldKind::Element => content.push(match f.occurs {
                Occurs::Required | Occurs::Nillable => quote!(self.#fname.write_xml(w, #xml, #fns);),
                Occurs::Optional => quote!(w.optional(#xml, #fns, &self.#fname);),
                Occurs::Many => quote!(w.many(#xml, #fns, &self.#fname);),
                Occurs::List => {
                    let item = f.item.as_ref().expect("a list field has its item");
                    let ixml = &item.xml_name;
                    if item.namespace == f.namespace {
                        quote!(w.list(#xml, #fns, #ixml, &self.#fname);)
                    } else {
                        let ins = ns.expr(&item.namespace);
                        quote!(w.list_in(#xml, #fns, #ixml, #ins, &self.#fname);)
                    }
                }
            }),
        }
    }
    // Without attributes the start tag is one call.
    let start = if attrs.is_empty() {
        quote!(w.start_tag(name, ns);)
    } else {
        quote!(w.start(name, ns); #(#attrs)* w.end_start();)
    };
    quote! {
        impl WriteXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
                #start
                #(#content)*
                w.end(name);
            }
        }
    }
}

fn enum_def(e: &EnumDef, serde: &SerdeDerives) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = if e.doc.is_empty() { format!(" Enumeration `{}`.", e.xml_name) } else { format!(" {}", e.doc) };
    let doc = super::docs(&doc);
    let serde = serde_attr(serde);
    let xsd = &e.xml_name;
    let variants = e.variants.iter().enumerate().map(|(i, (v, value))| {
        let id = ident(v);
        let doc = super::docs(&format!(" `{value}`"));
        let default = (i == 0).then(|| quote!(#[default]));
        quote!(#doc #default #id,)
    });
    let to_str = e.variants.iter().map(|(v, value)| {
        let id = ident(v);
        quote!(Self::#id => #value,)
    });
    let from_str = e.variants.iter().map(|(v, value)| {
        let id = ident(v);
        quote!(#value => Self::#id,)
    });
    let (derive_default, manual_default) = if e.variants.is_empty() {
        (quote!(), quote! { impl Default for #name { fn default() -> Self { Self::Other(String::new()) } } })
    } else {
        (quote!(Default,), quote!())
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #derive_default)]
        #serde
        pub enum #name {
            #(#variants)*
            /// A value the contract does not list, kept as sent.
            Other(String),
        }
        #manual_default
        impl #name {
            /// The value as written in XML.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Other(value) => value,
                }
            }
        }
        impl XmlValue for #name {
            const XSD_TYPE: &'static str = #xsd;
            fn from_xml(text: &str) -> Result<Self, DeError> {
                Ok(match text.trim() {
                    #(#from_str)*
                    other => Self::Other(other.to_owned()),
                })
            }
            fn write_text(&self, w: &mut XmlWriter) {
                w.escaped_text(self.as_str());
            }
        }
    }
}

fn newtype_def(n: &NewtypeDef, ns: &Namespaces, serde: &SerdeDerives) -> TokenStream {
    let name = ident(&n.rust_name);
    let inner = value_type(&n.inner);
    let doc = super::docs(&format!(" Element `{}` of type {}.", n.element.name, xsd_label(&n.inner)));
    let serde = serde_attr(serde);
    let field_ty = if n.nillable { quote!(Option<#inner>) } else { quote!(#inner) };
    let element = element_impl(&name, &n.element, ns);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        #serde
        pub struct #name(pub #field_ty);
        impl ReadXml for #name {
            fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
                Ok(Self(ReadXml::read_xml(r, start)?))
            }
        }
        impl WriteXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
                self.0.write_xml(w, name, ns);
            }
        }
        #element
    }
}
