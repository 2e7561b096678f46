//! Operation descriptors and one client struct per service.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Namespaces};
use crate::ir::Module;

fn opt(value: &Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The documentation of `operations::visit`; what it says of shared names and one-way operations
/// only where the contract has them (`shared_names`: some operation name occurs twice).
fn visit_doc(module: &Module, shared_names: bool) -> String {
    let mut doc = String::from(" Runs `visitor` with the request and reply types of the operation named `name`;\n");
    doc.push_str(" `None` when the contract has no such operation.");
    if shared_names {
        doc.push_str(
            "\n Where several port types have an operation of the same name, it is the first one in\n contract order.",
        );
    }
    if module.services.iter().flat_map(|s| &s.operations).any(|o| o.output.is_none()) {
        doc.push_str("\n A one-way operation's reply type is `Accepted`.");
    }
    doc
}

pub(super) fn services(module: &Module, ns: &Namespaces) -> TokenStream {
    if module.services.is_empty() {
        return quote!();
    }
    let mut consts = Vec::new();
    let mut all = Vec::new();
    let mut arms = Vec::new();
    let mut visited = HashSet::new();
    for service in &module.services {
        for op in &service.operations {
            let id = ident(&op.constant);
            let service_name = &service.name;
            let name = &op.name;
            let namespace = ns.expr(&op.namespace);
            let a11 = opt(&op.soap11_action);
            let a12 = opt(&op.soap12_action);
            let header = opt(&op.header_element);
            let documentation = &op.doc;
            let doc = super::docs(&format!(" `{service_name}.{name}`."));
            consts.push(quote! {
                #doc
                pub const #id: Operation = Operation {
                    service: #service_name,
                    name: #name,
                    namespace: #namespace,
                    soap11_action: #a11,
                    soap12_action: #a12,
                    header: #header,
                    documentation: #documentation,
                };
            });
            all.push(quote!(&#id));
            // Several port types of one contract may each have an operation of the same name: the
            // first one, in contract order, is the one `visit` finds by that name.
            if visited.insert(name.as_str()) {
                let input = ident(&op.input);
                // A one-way operation's reply is the runtime's `Accepted`, as its method reads it.
                let output = op.output.as_deref().map_or_else(
                    || quote!(Accepted),
                    |o| {
                        let o = ident(o);
                        quote!(#o)
                    },
                );
                arms.push(quote!(#name => visitor.visit::<#input, #output>(&#id),));
            }
        }
    }
    let visit_docs = super::docs(&visit_doc(module, arms.len() < all.len()));
    let clients = module.services.iter().map(|service| {
        let client = ident(&service.client_name);
        let mut doc = format!(" Client of service `{}`: one async method per operation.", service.name);
        if !service.doc.is_empty() {
            doc = format!(" {}\n\n{doc}", service.doc);
        }
        if !service.ports.is_empty() {
            doc.push_str("\n\n Ports in the contract:\n");
            for (port, version, address) in &service.ports {
                doc.push_str(&format!(" - `{port}` (SOAP {version}): <{address}>\n"));
            }
        }
        let methods = service.operations.iter().map(|op| {
            let method = ident(&op.method);
            let input = ident(&op.input);
            let constant = ident(&op.constant);
            let header = match &op.header {
                Some(h) => {
                    let h = ident(h);
                    quote!(#h)
                }
                None => quote!(NoHeader),
            };
            let mut doc = String::new();
            if !op.doc.is_empty() {
                for line in op.doc.lines() {
                    doc.push_str(&format!(" {}\n", line.trim()));
                }
                doc.push('\n');
            }
            doc.push_str(&format!(" Operation `{}`", op.name));
            match (&op.header_element, op.headers.as_slice()) {
                (_, [_, _, ..]) => {
                    let names: Vec<String> = op.headers.iter().map(|h| format!("`{}`", h.element)).collect();
                    doc.push_str(&format!("; headers {}", names.join(", ")));
                }
                (Some(h), _) => doc.push_str(&format!("; header `{h}`")),
                (None, _) => doc.push_str("; no header"),
            }
            for h in &op.output_headers {
                doc.push_str(&format!("; reply header `{h}`"));
            }
            if op.output.is_none() {
                doc.push_str("; one-way: returns once the server accepts the request");
            }
            if let Some(action) = op.soap11_action.as_ref().or(op.soap12_action.as_ref()) {
                doc.push_str(&format!("; SOAPAction `{action}`"));
            }
            doc.push('.');
            let doc = super::docs(&doc);
            match &op.output {
                Some(output) => {
                    let output = ident(output);
                    quote! {
                        #doc
                        pub async fn #method(&self, request: #input) -> Result<#output, C::Error>
                        where
                            C: ProvideHeader<#header>,
                        {
                            self.caller.call::<#header, _, _>(&operations::#constant, &request).await
                        }
                    }
                }
                None => quote! {
                    #doc
                    pub async fn #method(&self, request: #input) -> Result<(), C::Error>
                    where
                        C: ProvideHeader<#header>,
                    {
                        self.caller.call::<#header, _, Accepted>(&operations::#constant, &request).await.map(|_| ())
                    }
                },
            }
        });
        let doc = super::docs(&doc);
        quote! {
            #doc
            #[derive(Debug, Clone)]
            pub struct #client<C> {
                caller: C,
            }

            impl<C: Call> #client<C> {
                /// A client that sends its calls through `caller`.
                pub fn new(caller: C) -> Self {
                    Self { caller }
                }

                /// The caller this client sends through.
                pub fn caller(&self) -> &C {
                    &self.caller
                }

                #(#methods)*
            }
        }
    });
    let headers = module.services.iter().flat_map(|s| &s.operations).filter_map(super::headers::headers_struct);
    quote! {
        #(#headers)*

        /// Descriptors of the contract's operations: names, actions, declared headers, documentation.
        pub mod operations {
            use super::*;

            #(#consts)*

            /// Every operation of the contract, in contract order.
            pub const ALL: &[&Operation] = &[#(#all),*];

            #visit_docs
            pub fn visit<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
                Some(match name {
                    #(#arms)*
                    _ => return None,
                })
            }
        }

        #(#clients)*
    }
}
