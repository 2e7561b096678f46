//! The operations of each `wsdl:service`: body elements, declared header, actions, docs.

use std::collections::BTreeMap;

use crate::ident::{self, Scope};
use crate::ir::{Operation, Service};
use crate::wsdl::model::{Binding, Definitions, QName, SoapVersion, Style};

/// Builds the services of `defs`; `elements` maps global elements to their Rust types.
/// Operations that cannot be bound are left out with a note.
pub fn build(defs: &Definitions, elements: &BTreeMap<QName, String>, notes: &mut Vec<String>) -> Vec<Service> {
    let mut clients = Scope::default();
    let mut constants = Scope::with_reserved(&["ALL"]);
    let mut services = Vec::new();
    for service in &defs.services {
        let Some(port_type) = service
            .ports
            .iter()
            .find_map(|p| defs.bindings.get(&p.binding))
            .map(|b| b.port_type.clone())
        else {
            notes.push(format!("service `{}` has no SOAP port", service.name));
            continue;
        };
        let Some(pt) = defs.port_types.get(&port_type) else { continue };
        let bindings: Vec<&Binding> = defs.bindings.values().filter(|b| b.port_type == port_type).collect();
        let mut methods = Scope::with_reserved(&["new", "caller"]);
        let mut operations = Vec::new();
        for op in &pt.operations {
            match operation(defs, elements, &bindings, &op.name) {
                Ok((input, output, header, header_element, namespace)) => {
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
        services.push(Service {
            name: service.name.clone(),
            client_name: clients.claim(&format!("{}Client", ident::type_name(&service.name))),
            doc: service.documentation.clone(),
            ports,
            operations,
        });
    }
    services
}

type Bound = (String, String, Option<String>, Option<String>, String);

fn operation(
    defs: &Definitions,
    elements: &BTreeMap<QName, String>,
    bindings: &[&Binding],
    name: &str,
) -> Result<Bound, String> {
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
    if bound.style == Style::Rpc {
        return Err("rpc style is not supported yet (document/literal only)".into());
    }
    let body_element = |message: &Option<String>, parts: Option<&Vec<String>>| -> Result<(String, QName), String> {
        let message = message.as_ref().ok_or("no message")?;
        let message = defs.messages.get(message).ok_or_else(|| format!("message `{message}` is not defined"))?;
        let body: Vec<_> = message
            .parts
            .iter()
            .filter(|p| parts.is_none_or(|names| names.contains(&p.name)))
            .collect();
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
    let (input, input_element) = body_element(&pt_op.input, bound.input_body_parts.as_ref())?;
    let (output, _) = body_element(&pt_op.output, None)?;
    let (header, header_element) = match bound.input_headers.as_slice() {
        [] => (None, None),
        [h] => {
            let message = defs.messages.get(&h.message).ok_or_else(|| format!("header message `{}` is not defined", h.message))?;
            let part = message
                .parts
                .iter()
                .find(|p| p.name == h.part)
                .ok_or_else(|| format!("header part `{}` is not in message `{}`", h.part, h.message))?;
            let element = part.element.as_ref().ok_or("header part refers to a type, not an element")?;
            let rust = elements.get(element).ok_or_else(|| format!("header element `{}` has no generated type", element.local))?;
            (Some(rust.clone()), Some(element.local.clone()))
        }
        _ => return Err("more than one input header is not supported yet".into()),
    };
    Ok((input, output, header, header_element, input_element.ns))
}
