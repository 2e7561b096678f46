//! Operation descriptors and one client struct per service.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{field_type, ident, value_type, Namespaces};
use crate::ir::{Module, Occurs, Operation, ResultShape, Service};

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
        let raw = ident(&service.raw_name);
        // Operations grouped by declared header, one impl block each with the header as a bound.
        let mut headers: Vec<&Option<String>> = Vec::new();
        for op in &service.operations {
            if !headers.contains(&&op.header) {
                headers.push(&op.header);
            }
        }
        let blocks = headers.iter().map(|header| {
            let ops: Vec<&Operation> = service.operations.iter().filter(|op| op.header == **header).collect();
            let bound = match header {
                Some(h) => {
                    let h = ident(h);
                    quote!(ProvideHeader<#h>)
                }
                None => quote!(Call),
            };
            let methods = ops.iter().map(|op| client_method(service, op));
            let raw_methods = ops.iter().map(|op| raw_method(service, op));
            quote! {
                impl<C: #bound> #client<C> {
                    #(#methods)*
                }

                impl<C: #bound> #raw<'_, C> {
                    #(#raw_methods)*
                }
            }
        });
        let doc = super::docs(&doc);
        let raw_doc = format!(
            " Every operation of service `{}` with its request and reply structs, as sent and read: \
             from [`{}::raw`].",
            service.name, service.client_name
        );
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

                /// The operations with their request and reply structs: to log, queue or replay a body.
                pub fn raw(&self) -> #raw<'_, C> {
                    #raw { caller: &self.caller }
                }
            }

            #[doc = #raw_doc]
            #[derive(Debug)]
            pub struct #raw<'a, C> {
                caller: &'a C,
            }

            #(#blocks)*
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
        use operations::*;

        #(#clients)*
    }
}

fn header_type(op: &Operation) -> TokenStream {
    match &op.header {
        Some(h) => {
            let h = ident(h);
            quote!(#h)
        }
        None => quote!(NoHeader),
    }
}

/// The client's method: parameters and result for a wrapped operation, the structs otherwise.
fn client_method(service: &Service, op: &Operation) -> TokenStream {
    let method = ident(&op.method);
    let mut doc = String::new();
    for line in op.doc.lines() {
        doc.push_str(&format!(" {}\n", line.trim()));
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
    let Some(wrapped) = &op.wrapped else {
        let input = ident(&op.input);
        let output = match &op.output {
            Some(o) => {
                let o = ident(o);
                quote!(#o)
            }
            None => quote!(()),
        };
        let doc = super::docs(&doc);
        return quote! {
            #doc
            pub async fn #method(&self, request: #input) -> Result<#output, C::Error> {
                self.raw().#method(request).await
            }
        };
    };
    doc.push_str(&format!(" The request and reply structs: [`{}::{}`].", service.raw_name, op.method));
    let doc = super::docs(&doc);
    let input = ident(&op.input);
    let names: Vec<_> = wrapped.params.iter().map(|f| ident(&f.rust_name)).collect();
    let types = wrapped.params.iter().map(field_type);
    // The reply in a variable where one line would not fit: the formatter would break the chain
    // over five lines (at 50 characters of method and result names, measured on the corpus).
    let request = if names.is_empty() { quote!(#input {}) } else { quote!(request) };
    let build = (!names.is_empty()).then(|| quote!(let request = #input { #(#names),* };));
    let call = quote!(self.raw().#method(#request).await);
    let (result, body) = match &wrapped.result {
        None => (quote!(()), quote!(#build #call.map(drop))),
        Some((field, shape)) => {
            let value = value_type(&field.ty);
            let fname = ident(&field.rust_name);
            let result = match shape {
                ResultShape::List => quote!(Vec<#value>),
                ResultShape::Optional => quote!(Option<#value>),
                ResultShape::Value => value,
            };
            let body = if *shape == ResultShape::Value && field.occurs != Occurs::Required {
                let path = format!("{}/{}", wrapped.reply_element, field.xml_name);
                quote!(#build let reply = #call?; reply_result(reply.#fname, #path))
            } else if op.method.len() + field.rust_name.len() <= 50 {
                quote!(#build Ok(#call?.#fname))
            } else {
                quote!(#build let reply = #call?; Ok(reply.#fname))
            };
            (result, body)
        }
    };
    // The contract decides the parameters; clippy's limit (seven with `self`) is not the caller's to fix.
    let allow = (names.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #allow
        pub async fn #method(&self, #(#names: #types),*) -> Result<#result, C::Error> {
            #body
        }
    }
}

/// The raw view's method: the request struct in, the reply struct out.
fn raw_method(service: &Service, op: &Operation) -> TokenStream {
    let (method, constant) = (ident(&op.method), ident(&op.constant));
    let input = ident(&op.input);
    let header = header_type(op);
    let doc = format!(" `{}.{}` with its request and reply structs.", service.name, op.name);
    let Some(output) = &op.output else {
        // One-way: any accepted reply that is not a fault.
        return quote! {
            #[doc = #doc]
            pub async fn #method(&self, request: #input) -> Result<(), C::Error> {
                self.caller.call::<#header, _, Accepted>(&#constant, &request).await.map(drop)
            }
        };
    };
    let output = ident(output);
    quote! {
        #[doc = #doc]
        pub async fn #method(&self, request: #input) -> Result<#output, C::Error> {
            self.caller.call::<#header, _, _>(&#constant, &request).await
        }
    }
}
