//! The clients of each `wsdl:service`: one per port type its SOAP ports bind, with the
//! operations of that port type (body elements, headers, actions, docs).

use crate::ident::{self, Scope};
use crate::ir::{
    ElementName, Field, FieldKind, FieldType, HeaderPart, Occurs, Operation, ResultShape, Service, StructDef, TypeDef,
    Wrapped,
};
use crate::schema::Types;
use crate::wsdl::model::{
    AbstractOperation, Binding, BoundOperation, Definitions, HeaderRef, Message, Port, QName, SoapVersion, Style,
};

/// Builds the clients of `defs` over the contract's `types`; rpc/literal operations add their
/// wrapper structs to `types`. Operations that cannot be bound are left out with a note.
///
/// Every SOAP port is reachable: the ports of a service are grouped by the port type their
/// binding binds, and each group becomes one client (so a port type bound in SOAP 1.1 and 1.2
/// gives one client serving both).
pub fn build(defs: &Definitions, types: &mut Types, notes: &mut Vec<String>) -> Vec<Service> {
    let mut clients = Scope::default();
    let mut constants = Scope::with_reserved(&["ALL"]);
    let mut services = Vec::new();
    for service in &defs.services {
        let mut groups: Vec<(&str, Vec<&Port>)> = Vec::new();
        for port in &service.ports {
            let Some(binding) = defs.bindings.get(&port.binding) else { continue };
            match groups.iter_mut().find(|(pt, _)| *pt == binding.port_type) {
                Some((_, ports)) => ports.push(port),
                None => groups.push((&binding.port_type, vec![port])),
            }
        }
        if groups.is_empty() {
            notes.push(format!("service `{}` has no SOAP port", service.name));
            continue;
        }
        let several = groups.len() > 1;
        for (port_type, ports) in groups {
            let Some(pt) = defs.port_types.get(port_type) else { continue };
            let mut bindings: Vec<&Binding> = Vec::new();
            for port in &ports {
                let binding = &defs.bindings[&port.binding];
                if !bindings.iter().any(|b| b.name == binding.name) {
                    bindings.push(binding);
                }
            }
            let mut methods = Scope::with_reserved(&["new", "caller"]);
            let mut operations = Vec::new();
            for op in &pt.operations {
                match operation(defs, types, &bindings, op) {
                    Ok(bound) => {
                        let action = |v: SoapVersion| {
                            bindings
                                .iter()
                                .filter(|b| b.version == v)
                                .find_map(|b| b.operations.iter().find(|o| o.name == op.name))
                                .map(|o| o.soap_action.clone())
                        };
                        operations.push(Operation {
                            name: op.name.clone(),
                            method: methods.claim(&ident::field_name(&op.name)),
                            constant: constants.claim(&ident::const_name(&op.name)),
                            doc: op.documentation.clone(),
                            input: bound.input,
                            output: bound.output,
                            header: bound.header,
                            header_element: bound.header_element,
                            headers: bound.headers,
                            output_headers: bound.output_headers,
                            namespace: bound.namespace,
                            soap11_action: action(SoapVersion::Soap11),
                            soap12_action: action(SoapVersion::Soap12),
                            rpc: bound.rpc,
                            wrapped: None,
                        });
                    }
                    Err(why) => notes.push(format!("operation `{}.{}` skipped: {why}", service.name, op.name)),
                }
            }
            let ports = ports
                .iter()
                .map(|p| {
                    let version = match p.version {
                        SoapVersion::Soap11 => "1.1",
                        SoapVersion::Soap12 => "1.2",
                    };
                    (p.name.clone(), version, p.address.clone())
                })
                .collect();
            let client_name = clients.claim(&ident::client_name(&service.name, port_type, several));
            let raw_name = client_name.strip_suffix("Client").unwrap_or(&client_name);
            services.push(Service {
                name: service.name.clone(),
                raw_name: types.scope.claim(&format!("{raw_name}Raw")),
                client_name,
                doc: service.documentation.clone(),
                ports,
                port_type: port_type.to_owned(),
                bindings: bindings.iter().map(|b| b.name.clone()).collect(),
                operations,
            });
        }
    }
    services
}

/// What an operation binds to: the Rust types of its messages and headers.
struct Bound {
    input: String,
    output: Option<String>,
    header: Option<String>,
    header_element: Option<String>,
    headers: Vec<HeaderPart>,
    output_headers: Vec<String>,
    namespace: String,
    rpc: bool,
}

fn message<'d>(defs: &'d Definitions, name: &Option<String>) -> Result<&'d Message, String> {
    let name = name.as_ref().ok_or("no message")?;
    defs.messages.get(name).ok_or_else(|| format!("message `{name}` is not defined"))
}

/// The parts of `message` that go in the body: those `soap:body parts=` names, else every part
/// the binding does not send as a header.
fn body_parts<'m>(
    message: &'m Message,
    parts: Option<&Vec<String>>,
    headers: &[HeaderRef],
) -> Vec<&'m crate::wsdl::Part> {
    message
        .parts
        .iter()
        .filter(|p| match parts {
            Some(names) => names.contains(&p.name),
            None => !headers.iter().any(|h| h.message == message.name && h.part == p.name),
        })
        .collect()
}

fn operation(
    defs: &Definitions,
    types: &mut Types,
    bindings: &[&Binding],
    pt_op: &AbstractOperation,
) -> Result<Bound, String> {
    let name = pt_op.name.as_str();
    let bound: &BoundOperation = bindings
        .iter()
        .find_map(|b| b.operations.iter().find(|o| o.name == name))
        .ok_or("not bound by any literal SOAP binding (rpc/encoded operations are left out)")?;
    let body_element = |types: &Types, msg: &Message, parts: Option<&Vec<String>>, headers: &[HeaderRef]| {
        let body = body_parts(msg, parts, headers);
        let [part] = body.as_slice() else {
            return Err(format!("message `{}` has {} body parts; exactly one is supported", msg.name, body.len()));
        };
        let element = part
            .element
            .as_ref()
            .ok_or_else(|| format!("part `{}` refers to a type; document style needs an element", part.name))?;
        let rust =
            types.elements.get(element).ok_or_else(|| format!("element `{}` has no generated type", element.local))?;
        Ok::<_, String>((rust.clone(), element.clone()))
    };
    let one_way = pt_op.output.is_none();
    let (input, output, namespace) = if bound.style == Style::Rpc {
        let namespace = bound.input_namespace.clone().unwrap_or_else(|| defs.target_namespace.clone());
        let input_parts =
            body_parts(message(defs, &pt_op.input)?, bound.input_body_parts.as_ref(), &bound.input_headers);
        let input = rpc_wrapper(types, &input_parts, name, "Request", &namespace)?;
        let output = if one_way {
            None
        } else {
            let out_name = format!("{name}Response");
            let output_ns = bound.output_namespace.clone().unwrap_or_else(|| namespace.clone());
            let parts =
                body_parts(message(defs, &pt_op.output)?, bound.output_body_parts.as_ref(), &bound.output_headers);
            Some(rpc_wrapper(types, &parts, &out_name, "", &output_ns)?)
        };
        (input, output, namespace)
    } else {
        let input_message = message(defs, &pt_op.input)?;
        let (input, input_element) =
            body_element(types, input_message, bound.input_body_parts.as_ref(), &bound.input_headers)?;
        let output = if one_way {
            None
        } else {
            let output_message = message(defs, &pt_op.output)?;
            let parts = bound.output_body_parts.as_ref();
            Some(body_element(types, output_message, parts, &bound.output_headers)?.0)
        };
        (input, output, input_element.ns)
    };
    let mut headers = Vec::new();
    let mut fields = Scope::default();
    for h in &bound.input_headers {
        let element = header_element(defs, h)?;
        let rust = types
            .elements
            .get(&element)
            .ok_or_else(|| format!("header element `{}` has no generated type", element.local))?;
        headers.push(HeaderPart {
            field: fields.claim(&ident::field_name(&element.local)),
            rust_type: rust.clone(),
            element: element.local.clone(),
        });
    }
    let output_headers = bound
        .output_headers
        .iter()
        .map(|h| header_element(defs, h).map(|e| e.local).unwrap_or_else(|_| h.part.clone()))
        .collect();
    let header_element = headers.first().map(|h| h.element.clone());
    let header = match headers.as_slice() {
        [] => None,
        [one] => Some(one.rust_type.clone()),
        _ => Some(types.scope.claim_with_suffix(&ident::headers_name(name), "Set")),
    };
    if headers.len() == 1 {
        headers.clear();
    }
    let rpc = bound.style == Style::Rpc;
    Ok(Bound { input, output, header, header_element, headers, output_headers, namespace, rpc })
}

/// The element a `soap:header` sends.
fn header_element(defs: &Definitions, h: &HeaderRef) -> Result<QName, String> {
    let message =
        defs.messages.get(&h.message).ok_or_else(|| format!("header message `{}` is not defined", h.message))?;
    let part = message
        .parts
        .iter()
        .find(|p| p.name == h.part)
        .ok_or_else(|| format!("header part `{}` is not in message `{}`", h.part, h.message))?;
    part.element.clone().ok_or_else(|| format!("header part `{}` refers to a type, not an element", h.part))
}

/// Marks the wrapped document/literal operations of `services` with their parameters and
/// result, read from the final type definitions (list types already collapsed).
///
/// Wrapped: not rpc; the request element is named after the operation and is a struct of child
/// elements only; the reply is a struct with at most one child element and nothing else.
pub fn unwrap(services: &mut [Service], defs: &[TypeDef]) {
    let structs: std::collections::BTreeMap<&str, &StructDef> = defs
        .iter()
        .filter_map(|d| match d {
            TypeDef::Struct(s) => Some((s.rust_name.as_str(), s)),
            _ => None,
        })
        .collect();
    for op in services.iter_mut().flat_map(|s| s.operations.iter_mut()) {
        // A one-way operation has no reply: its method returns `()`.
        let output = match &op.output {
            Some(output) => match structs.get(output.as_str()) {
                Some(s) => Some(*s),
                None => continue,
            },
            None => None,
        };
        let Some(input) = structs.get(op.input.as_str()) else { continue };
        let named_after_op = input.element.as_ref().is_some_and(|e| e.name == op.name);
        let elements_only = |s: &StructDef| s.fields.iter().all(|f| f.kind == FieldKind::Element);
        let output_fits = output.is_none_or(|o| elements_only(o) && o.fields.len() <= 1);
        if op.rpc || !named_after_op || !elements_only(input) || !output_fits {
            continue;
        }
        let result = output.and_then(|o| o.fields.first()).map(|f| (f.clone(), ResultShape::of(f)));
        let reply_element = output
            .map_or_else(String::new, |o| o.element.as_ref().map_or_else(|| o.xml_name.clone(), |e| e.name.clone()));
        op.wrapped = Some(Wrapped { params: input.fields.clone(), result, reply_element });
    }
}

/// The rpc/literal wrapper element `element` (the operation name, or `<name>Response`) in
/// `namespace`, with one unqualified child per body part: a struct added to `types`.
fn rpc_wrapper(
    types: &mut Types,
    parts: &[&crate::wsdl::Part],
    element: &str,
    suffix: &str,
    namespace: &str,
) -> Result<String, String> {
    let mut scope = Scope::default();
    let mut fields = Vec::new();
    for part in parts {
        let ty = match (&part.type_, &part.element) {
            (Some(t), _) => {
                types.by_type.get(t).cloned().ok_or_else(|| format!("part type `{}` is not defined", t.local))?
            }
            (None, Some(e)) => FieldType::Struct(
                types.elements.get(e).cloned().ok_or_else(|| format!("part element `{}` has no type", e.local))?,
            ),
            (None, None) => return Err(format!("part `{}` has neither type nor element", part.name)),
        };
        fields.push(Field {
            rust_name: scope.claim(&ident::field_name(&part.name)),
            xml_name: part.name.clone(),
            namespace: String::new(),
            ty,
            occurs: Occurs::Required,
            kind: FieldKind::Element,
            doc: String::new(),
            nillable: false,
            boxed: false,
            item: None,
        });
    }
    let rust_name = types.scope.claim_with_suffix(&ident::type_name(&format!("{element}{suffix}")), "Message");
    types.defs.push(TypeDef::Struct(StructDef {
        rust_name: rust_name.clone(),
        xml_name: element.to_owned(),
        doc: format!("The rpc/literal wrapper `{element}`: one child per message part."),
        fields,
        element: Some(ElementName { name: element.to_owned(), namespace: namespace.to_owned() }),
    }));
    Ok(rust_name)
}
