//! `soapgen inspect <contract>`: services, ports, operations with their Rust signatures, and
//! types, for a terminal or (`--json`) for machines.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use soapgen::api::{kind_label, occurs_label, rust_field_type, rust_value_type, OperationApi};
use soapgen::ir::{FieldKind, Module, Operation, TypeDef};

use super::{Args, CliError};

/// Runs `inspect` with the arguments after the subcommand.
pub fn run(args: &[String]) -> Result<(), CliError> {
    let args = Args::parse("inspect", args, &[super::LOCATION], &["--json"])?;
    let [contract] = args.positional.as_slice() else {
        return Err(CliError::Usage("inspect: give exactly one contract (.wsdl or .xsd)".into()));
    };
    let path = Path::new(contract);
    if !path.is_file() {
        return Err(CliError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let mut module = soapgen::model_with_locations(path, &args.locations())?;
    module.source.clone_from(contract);
    if args.switch("--json") {
        println!("{}", serde_json::to_string_pretty(&Inspection::of(&module))?);
    } else {
        print!("{}", text(&module));
    }
    Ok(())
}

/// The JSON document of `inspect --json`.
#[derive(Debug, Serialize)]
pub struct Inspection {
    contract: String,
    namespace: String,
    services: Vec<ServiceJson>,
    types: Vec<TypeJson>,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ServiceJson {
    name: String,
    client: String,
    documentation: String,
    ports: Vec<PortJson>,
    port_type: String,
    bindings: Vec<String>,
    operations: Vec<OperationJson>,
}

#[derive(Debug, Serialize)]
struct PortJson {
    name: String,
    soap_version: String,
    address: String,
}

#[derive(Debug, Serialize)]
struct OperationJson {
    name: String,
    method: String,
    signature: String,
    raw_signature: String,
    input: String,
    output: String,
    header: Option<String>,
    header_element: Option<String>,
    /// Element names of several input headers (empty for none or one).
    headers: Vec<String>,
    reply_headers: Vec<String>,
    one_way: bool,
    soap_action: Option<String>,
    soap11_action: Option<String>,
    soap12_action: Option<String>,
    documentation: String,
}

#[derive(Debug, Serialize)]
struct TypeJson {
    name: String,
    kind: &'static str,
    xml_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    documentation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Vec<FieldJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<Vec<ValueJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inner: Option<String>,
}

#[derive(Debug, Serialize)]
struct FieldJson {
    name: String,
    xml_name: String,
    kind: &'static str,
    rust_type: String,
    value_type: String,
    occurs: &'static str,
    nillable: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    documentation: String,
}

#[derive(Debug, Serialize)]
struct ValueJson {
    variant: String,
    value: String,
}

fn signature(op: &Operation) -> String {
    OperationApi::of(op).signature()
}

impl Inspection {
    /// The inspection of a bindings model.
    pub fn of(module: &Module) -> Self {
        let services = module
            .services
            .iter()
            .map(|s| ServiceJson {
                name: s.name.clone(),
                client: s.client_name.clone(),
                documentation: s.doc.clone(),
                port_type: s.port_type.clone(),
                bindings: s.bindings.clone(),
                ports: s
                    .ports
                    .iter()
                    .map(|(name, version, address)| PortJson {
                        name: name.clone(),
                        soap_version: (*version).to_owned(),
                        address: address.clone(),
                    })
                    .collect(),
                operations: s
                    .operations
                    .iter()
                    .map(|o| OperationJson {
                        name: o.name.clone(),
                        method: o.method.clone(),
                        signature: signature(o),
                        raw_signature: OperationApi::of(o).raw_signature(),
                        input: o.input.clone(),
                        output: o.output.clone().unwrap_or_else(|| "()".to_owned()),
                        header: o.header.clone(),
                        header_element: o.header_element.clone(),
                        headers: o.headers.iter().map(|h| h.element.clone()).collect(),
                        reply_headers: o.output_headers.clone(),
                        one_way: o.output.is_none(),
                        soap_action: o.soap11_action.clone().or_else(|| o.soap12_action.clone()),
                        soap11_action: o.soap11_action.clone(),
                        soap12_action: o.soap12_action.clone(),
                        documentation: o.doc.clone(),
                    })
                    .collect(),
            })
            .collect();
        let types = module
            .types
            .iter()
            .map(|t| match t {
                TypeDef::Struct(s) => TypeJson {
                    name: s.rust_name.clone(),
                    kind: "struct",
                    xml_name: s.xml_name.clone(),
                    element: s.element.as_ref().map(|e| e.name.clone()),
                    documentation: s.doc.clone(),
                    fields: Some(
                        s.fields
                            .iter()
                            .map(|f| FieldJson {
                                name: f.rust_name.clone(),
                                xml_name: f.xml_name.clone(),
                                kind: kind_label(f.kind),
                                rust_type: rust_field_type(&f.ty, f.occurs),
                                value_type: rust_value_type(&f.ty),
                                occurs: occurs_label(f.occurs),
                                nillable: f.nillable,
                                documentation: f.doc.clone(),
                            })
                            .collect(),
                    ),
                    values: None,
                    inner: None,
                },
                TypeDef::Enum(e) => TypeJson {
                    name: e.rust_name.clone(),
                    kind: "enum",
                    xml_name: e.xml_name.clone(),
                    element: None,
                    documentation: e.doc.clone(),
                    fields: None,
                    values: Some(
                        e.variants
                            .iter()
                            .map(|(variant, value)| ValueJson { variant: variant.clone(), value: value.clone() })
                            .collect(),
                    ),
                    inner: None,
                },
                TypeDef::Newtype(n) => TypeJson {
                    name: n.rust_name.clone(),
                    kind: "newtype",
                    xml_name: n.element.name.clone(),
                    element: Some(n.element.name.clone()),
                    documentation: String::new(),
                    fields: None,
                    values: None,
                    inner: Some(rust_value_type(&n.inner)),
                },
            })
            .collect();
        Inspection {
            contract: module.source.clone(),
            namespace: module.namespace.clone(),
            services,
            types,
            notes: module.notes.clone(),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The terminal rendering.
pub fn text(module: &Module) -> String {
    let mut out = String::new();
    let operations: usize = module.services.iter().map(|s| s.operations.len()).sum();
    let _ = writeln!(out, "contract   {}", module.source);
    let _ = writeln!(out, "namespace  {}", module.namespace);
    let _ = writeln!(
        out,
        "contains   {}, {}, {}",
        plural(module.services.len(), "service", "services"),
        plural(operations, "operation", "operations"),
        plural(module.types.len(), "type", "types")
    );
    for s in &module.services {
        let _ = writeln!(out, "\nservice {} (client {})", s.name, s.client_name);
        for line in s.doc.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(out, "  {}", line.trim());
        }
        let width = s.ports.iter().map(|(p, _, _)| p.chars().count()).max().unwrap_or(0);
        for (port, version, address) in &s.ports {
            let _ = writeln!(out, "  port {port:<width$}  SOAP {version}  {address}");
        }
        let label = if s.bindings.len() == 1 { "binding" } else { "bindings" };
        let _ = writeln!(out, "  port type {}, {label} {}", s.port_type, s.bindings.join(", "));
        let _ = writeln!(out, "  {}:", plural(s.operations.len(), "operation", "operations"));
        for op in &s.operations {
            let _ = writeln!(out, "\n  {}", op.name);
            let _ = writeln!(out, "    {}", signature(op));
            if op.wrapped.is_some() {
                let _ = writeln!(out, "    raw()       {}", OperationApi::of(op).raw_signature());
            }
            match (&op.soap11_action, &op.soap12_action) {
                (Some(a), Some(b)) if a != b => {
                    let _ = writeln!(out, "    SOAPAction  {a} (SOAP 1.1), {b} (SOAP 1.2)");
                }
                (Some(a), _) | (None, Some(a)) => {
                    let _ = writeln!(out, "    SOAPAction  {a}");
                }
                (None, None) => {}
            }
            match (&op.header, &op.header_element) {
                (Some(h), Some(e)) if h != e => {
                    let _ = writeln!(out, "    header      {h} (element {e})");
                }
                (Some(h), _) => {
                    let _ = writeln!(out, "    header      {h}");
                }
                (None, _) => {
                    let _ = writeln!(out, "    header      none");
                }
            }
            for h in &op.headers {
                let _ = writeln!(out, "      .{}: {} (element {})", h.field, h.rust_type, h.element);
            }
            for h in &op.output_headers {
                let _ = writeln!(out, "    reply header {h}");
            }
            if op.output.is_none() {
                let _ = writeln!(out, "    one-way     returns once the server accepts the request");
            }
            for line in op.doc.lines().filter(|l| !l.trim().is_empty()) {
                let _ = writeln!(out, "    | {}", line.trim());
            }
        }
    }
    if !module.types.is_empty() {
        let _ = writeln!(out, "\ntypes:");
    }
    for t in &module.types {
        match t {
            TypeDef::Struct(s) => {
                let what = match &s.element {
                    Some(e) => format!("element {}", e.name),
                    None => format!("type {}", s.xml_name),
                };
                let _ = writeln!(out, "\n  struct {} ({what})", s.rust_name);
                let rows: Vec<(String, String, String)> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let xml = match f.kind {
                            FieldKind::Element => f.xml_name.clone(),
                            FieldKind::Attribute => format!("@{}", f.xml_name),
                            FieldKind::Text => "(text)".to_owned(),
                            FieldKind::Any => "(any)".to_owned(),
                        };
                        let rust = format!("{}: {}", f.rust_name, rust_field_type(&f.ty, f.occurs));
                        let occurs = match (&f.item, f.occurs) {
                            (Some(item), _) => format!("list ({} of {})", item.list_type, item.xml_name),
                            (None, soapgen::ir::Occurs::Optional) if f.nillable => "optional, nillable".to_owned(),
                            (None, soapgen::ir::Occurs::Many) if f.nillable => "many, nillable".to_owned(),
                            (None, occurs) => occurs_label(occurs).to_owned(),
                        };
                        (xml, rust, occurs)
                    })
                    .collect();
                let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
                let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
                for (xml, rust, occurs) in rows {
                    let _ = writeln!(out, "    {xml:<w0$}  {rust:<w1$}  {occurs}");
                }
            }
            TypeDef::Enum(e) => {
                let values: Vec<&str> = e.variants.iter().map(|(_, v)| v.as_str()).collect();
                let _ = writeln!(out, "\n  enum {} (type {}): {}", e.rust_name, e.xml_name, values.join(", "));
            }
            TypeDef::Newtype(n) => {
                let _ = writeln!(
                    out,
                    "\n  newtype {} (element {}) wraps {}",
                    n.rust_name,
                    n.element.name,
                    rust_value_type(&n.inner)
                );
            }
        }
    }
    if !module.notes.is_empty() {
        let _ = writeln!(out, "\nskipped by the generator:");
        for note in &module.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}
