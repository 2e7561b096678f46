//! The operations of each `wsdl:service`: body elements, declared header, actions, docs.

use crate::ident::{self, Scope};
use crate::ir::{
    ElementName, Field, FieldKind, FieldType, Occurs, Operation, ResultShape, Service, StructDef, TypeDef, Wrapped,
};
use crate::schema::Types;
use crate::wsdl::model::{Binding, Definitions, Message, QName, SoapVersion, Style};

/// Builds the services of `defs` over the contract's `types`; rpc/literal operations add their
/// wrapper structs to `types`. Operations that cannot be bound are left out with a note.
pub fn build(defs: &Definitions, types: &mut Types, notes: &mut Vec<String>) -> Vec<Service> {
    let mut clients = Scope::default();
    let mut constants = Scope::with_reserved(&["ALL"]);
    let mut services = Vec::new();
    for service in &defs.services {
        let Some(port_type) =
            service.ports.iter().find_map(|p| defs.bindings.get(&p.binding)).map(|b| b.port_type.clone())
        else {
            notes.push(format!("service `{}` has no SOAP port", service.name));
            continue;
        };
        let Some(pt) = defs.port_types.get(&port_type) else { continue };
        let bindings: Vec<&Binding> = defs.bindings.values().filter(|b| b.port_type == port_type).collect();
        let mut methods = Scope::with_reserved(&["new", "caller"]);
        let mut operations = Vec::new();
        for op in &pt.operations {
            match operation(defs, types, &bindings, &op.name) {
                Ok((input, output, header, header_element, namespace, rpc)) => {
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
                        input,
                        output,
                        header,
                        header_element,
                        namespace,
                        soap11_action: action(SoapVersion::Soap11),
                        soap12_action: action(SoapVersion::Soap12),
                        rpc,
                        wrapped: None,
                    });
                }
                Err(why) => notes.push(format!("operation `{}.{}` skipped: {why}", service.name, op.name)),
            }
        }
        let ports = service
            .ports
            .iter()
            .map(|p| {
                let version = match p.version {
                    SoapVersion::Soap11 => "1.1",
                    SoapVersion::Soap12 => "1.2",
                };
                (p.name.clone(), version, p.address.clone())
            })
            .collect();
        let client_name = clients.claim(&format!("{}Client", ident::type_name(&service.name)));
        services.push(Service {
            name: service.name.clone(),
            raw_name: types.scope.claim(&format!("{}Raw", ident::type_name(&service.name))),
            client_name,
            doc: service.documentation.clone(),
            ports,
            operations,
        });
    }
    services
}

type Bound = (String, String, Option<String>, Option<String>, String, bool);

fn operation(defs: &Definitions, types: &mut Types, bindings: &[&Binding], name: &str) -> Result<Bound, String> {
    let pt_op = defs
        .port_types
        .values()
        .flat_map(|pt| pt.operations.iter())
        .find(|o| o.name == name)
        .ok_or("not in the port type")?;
    let bound = bindings
        .iter()
        .find_map(|b| b.operations.iter().find(|o| o.name == name))
        .ok_or("not bound by any SOAP binding")?;
    let elements = &types.elements;
    let body_element = |message: &Option<String>, parts: Option<&Vec<String>>| -> Result<(String, QName), String> {
        let message = message.as_ref().ok_or("no message")?;
        let message = defs.messages.get(message).ok_or_else(|| format!("message `{message}` is not defined"))?;
        let body: Vec<_> = message.parts.iter().filter(|p| parts.is_none_or(|names| names.contains(&p.name))).collect();
        let [part] = body.as_slice() else {
            return Err(format!("message `{}` has {} body parts; exactly one is supported", message.name, body.len()));
        };
        let element = part
            .element
            .as_ref()
            .ok_or_else(|| format!("part `{}` refers to a type; document style needs an element", part.name))?;
        let rust = elements.get(element).ok_or_else(|| format!("element `{}` has no generated type", element.local))?;
        Ok((rust.clone(), element.clone()))
    };
    let (input, output, namespace) = if bound.style == Style::Rpc {
        let namespace = bound.input_namespace.clone().unwrap_or_else(|| defs.target_namespace.clone());
        let message = |m: &Option<String>| -> Result<&Message, String> {
            let m = m.as_ref().ok_or("no message")?;
            defs.messages.get(m).ok_or_else(|| format!("message `{m}` is not defined"))
        };
        let input_parts = bound.input_body_parts.as_ref();
        let input = rpc_wrapper(types, message(&pt_op.input)?, input_parts, name, "Request", &namespace)?;
        let out_name = format!("{name}Response");
        let output_ns = bound.output_namespace.clone().unwrap_or_else(|| namespace.clone());
        let output = rpc_wrapper(types, message(&pt_op.output)?, None, &out_name, "", &output_ns)?;
        (input, output, namespace)
    } else {
        let (input, input_element) = body_element(&pt_op.input, bound.input_body_parts.as_ref())?;
        let (output, _) = body_element(&pt_op.output, None)?;
        (input, output, input_element.ns)
    };
    let elements = &types.elements;
    let (header, header_element) = match bound.input_headers.as_slice() {
        [] => (None, None),
        [h] => {
            let message = defs
                .messages
                .get(&h.message)
                .ok_or_else(|| format!("header message `{}` is not defined", h.message))?;
            let part = message
                .parts
                .iter()
                .find(|p| p.name == h.part)
                .ok_or_else(|| format!("header part `{}` is not in message `{}`", h.part, h.message))?;
            let element = part.element.as_ref().ok_or("header part refers to a type, not an element")?;
            let rust = elements
                .get(element)
                .ok_or_else(|| format!("header element `{}` has no generated type", element.local))?;
            (Some(rust.clone()), Some(element.local.clone()))
        }
        _ => return Err("more than one input header is not supported yet".into()),
    };
    Ok((input, output, header, header_element, namespace, bound.style == Style::Rpc))
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
        let (Some(input), Some(output)) = (structs.get(op.input.as_str()), structs.get(op.output.as_str())) else {
            continue;
        };
        let named_after_op = input.element.as_ref().is_some_and(|e| e.name == op.name);
        let elements_only = |s: &StructDef| s.fields.iter().all(|f| f.kind == FieldKind::Element);
        if op.rpc || !named_after_op || !elements_only(input) || !elements_only(output) || output.fields.len() > 1 {
            continue;
        }
        let result = output.fields.first().map(|f| (f.clone(), ResultShape::of(f)));
        let reply_element = output.element.as_ref().map_or_else(|| output.xml_name.clone(), |e| e.name.clone());
        op.wrapped = Some(Wrapped { params: input.fields.clone(), result, reply_element });
    }
}

/// The rpc/literal wrapper element `element` (the operation name, or `<name>Response`) in
/// `namespace`, with one unqualified child per message part: a struct added to `types`.
fn rpc_wrapper(
    types: &mut Types,
    message: &Message,
    parts: Option<&Vec<String>>,
    element: &str,
    suffix: &str,
    namespace: &str,
) -> Result<String, String> {
    let mut scope = Scope::default();
    let mut fields = Vec::new();
    for part in message.parts.iter().filter(|p| parts.is_none_or(|names| names.contains(&p.name))) {
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
