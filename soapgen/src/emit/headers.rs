//! The struct that carries the input headers of an operation declaring several: one field per
//! header element, written as header entries in binding order.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::Operation;

/// The headers struct of `op`, when it declares more than one input header.
pub(super) fn headers_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.header.as_deref().filter(|_| op.headers.len() > 1)?);
    let doc = super::docs(&format!(" The input headers of operation `{}`, sent in field order.", op.name));
    let fields = op.headers.iter().map(|h| {
        let field = ident(&h.field);
        let ty = ident(&h.rust_type);
        let doc = super::docs(&format!(" Header `{}`.", h.element));
        quote!(#doc pub #field: #ty,)
    });
    let writes = op.headers.iter().map(|h| {
        let field = ident(&h.field);
        quote!(self.#field.write_element(w);)
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct #name { #(#fields)* }
        impl HeaderEntries for #name {
            fn write_entries(&self, w: &mut XmlWriter) {
                #(#writes)*
            }
        }
    })
}
