//! The API surface of a contract: what callers of the generated bindings see, in a compact form
//! that can be written next to the committed code and read back.
//!
//! A [`Surface`] keeps the services with their ports, the operations with their Rust method,
//! request, reply and header types and SOAPActions, and every generated type with its fields
//! (XML name, Rust type, occurrence) or enumeration values. Documentation is left out: it does not
//! change what compiles or what goes on the wire.
//!
//! [`Surface::render`] writes it as lines of tab-separated words (the `.api` file, one next to
//! each file in `generated/`); [`Surface::parse`] reads that back. Two surfaces are compared by
//! [`crate::diff`]; [`crate::api_check`] is the build-script side that keeps the `.api` files in
//! step. This module depends on neither.

use std::path::{Path, PathBuf};

use crate::ir::{Builtin, Field, FieldKind, FieldType, Module, Occurs, Operation, ResultShape, TypeDef};

/// The first line of an `.api` file; the number is the format version.
pub const HEADER: &str = "# soapgen api 2";

/// The header of the first format (no `param`/`returns` lines, no lists), still read.
const HEADER_V1: &str = "# soapgen api 1";

/// What callers see of one contract.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// The contract file, as the generator was given it.
    pub contract: String,
    /// Services in contract order.
    pub services: Vec<ServiceApi>,
    /// Generated types in emission order.
    pub types: Vec<TypeApi>,
}

/// A service: its client type, ports and operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceApi {
    /// WSDL service name.
    pub name: String,
    /// Rust client type.
    pub client: String,
    /// SOAP ports.
    pub ports: Vec<PortApi>,
    /// Operations in port type order.
    pub operations: Vec<OperationApi>,
}

/// A `wsdl:port`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortApi {
    /// Port name.
    pub name: String,
    /// `1.1` or `1.2`.
    pub soap_version: String,
    /// Endpoint address.
    pub address: String,
}

/// An operation as a client method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationApi {
    /// WSDL operation name.
    pub name: String,
    /// Rust method name.
    pub method: String,
    /// Rust request type.
    pub input: String,
    /// Rust reply type.
    pub output: String,
    /// Rust type of the declared header, if any.
    pub header: Option<String>,
    /// XML element name of the declared header, if any.
    pub header_element: Option<String>,
    /// SOAPAction of the SOAP 1.1 binding, if bound.
    pub soap11_action: Option<String>,
    /// Action of the SOAP 1.2 binding, if bound.
    pub soap12_action: Option<String>,
    /// A wrapped operation's parameters, in order (empty otherwise).
    pub params: Vec<ParamApi>,
    /// A wrapped operation's return type (`()` when the reply has no result); `None` when the
    /// method takes the request struct and returns the reply struct.
    pub returns: Option<String>,
}

/// A parameter of a wrapped operation's method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamApi {
    /// Rust parameter name.
    pub rust_name: String,
    /// XML name of the request child it fills.
    pub xml_name: String,
    /// Rust type: `i32`, `Option<String>`, `Vec<Employee>`.
    pub rust_type: String,
}

impl OperationApi {
    /// The surface of one operation of the bindings model.
    pub fn of(o: &Operation) -> Self {
        OperationApi {
            name: o.name.clone(),
            method: o.method.clone(),
            input: o.input.clone(),
            output: o.output.clone().unwrap_or_else(|| "()".to_owned()),
            header: o.header.clone(),
            header_element: o.header_element.clone(),
            soap11_action: o.soap11_action.clone(),
            soap12_action: o.soap12_action.clone(),
            params: o.wrapped.iter().flat_map(|w| &w.params).map(param_api).collect(),
            returns: o.wrapped.as_ref().map(|w| result_type(w.result.as_ref())),
        }
    }

    /// The method as the client declares it: `async fn list_get_by_company(&self, company_id: i32,
    /// employee_type: i32) -> Result<Vec<Employee>, C::Error>` for a wrapped operation, `async fn
    /// method(&self, request: Input) -> Result<Output, C::Error>` otherwise.
    pub fn signature(&self) -> String {
        let Some(returns) = &self.returns else {
            return format!(
                "async fn {}(&self, request: {}) -> Result<{}, C::Error>",
                self.method, self.input, self.output
            );
        };
        let params: String = self.params.iter().map(|p| format!(", {}: {}", p.rust_name, p.rust_type)).collect();
        format!("async fn {}(&self{params}) -> Result<{returns}, C::Error>", self.method)
    }

    /// The raw view's method: `async fn method(&self, request: Input) -> Result<Output, C::Error>`.
    pub fn raw_signature(&self) -> String {
        format!("async fn {}(&self, request: {}) -> Result<{}, C::Error>", self.method, self.input, self.output)
    }
}

/// The Rust type a wrapped operation's method returns for `result` (`()` for none).
pub fn result_type(result: Option<&(Field, ResultShape)>) -> String {
    let Some((field, shape)) = result else { return "()".to_owned() };
    let value = rust_value_type(&field.ty);
    match shape {
        ResultShape::Value => value,
        ResultShape::Optional => format!("Option<{value}>"),
        ResultShape::List => format!("Vec<{value}>"),
    }
}

/// A generated type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeApi {
    /// Rust name.
    pub name: String,
    /// XML type or element name.
    pub xml_name: String,
    /// Struct fields, enum values or the wrapped type.
    pub kind: TypeKind,
}

/// What a type is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// A struct with fields.
    Struct(Vec<FieldApi>),
    /// An enum: `(Rust variant, XML value)` pairs.
    Enum(Vec<(String, String)>),
    /// A newtype around another type.
    Newtype(FieldType),
}

impl TypeKind {
    /// `struct`, `enum` or `newtype`.
    pub fn label(&self) -> &'static str {
        match self {
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::Newtype(_) => "newtype",
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldApi {
    /// Rust field name.
    pub rust_name: String,
    /// XML local name.
    pub xml_name: String,
    /// Element, attribute or text.
    pub kind: FieldKind,
    /// The type of one value.
    pub ty: FieldType,
    /// How often it occurs.
    pub occurs: Occurs,
    /// For a list ([`Occurs::List`]): the XML name of the repeated child.
    pub item: Option<String>,
}

impl FieldApi {
    /// The Rust type of the field as declared: `i32`, `Option<String>`, `Vec<Employee>`.
    pub fn rust_type(&self) -> String {
        rust_field_type(&self.ty, self.occurs)
    }
}

/// The Rust type of one value: `i32`, `Decimal`, `Employee`.
pub fn rust_value_type(ty: &FieldType) -> String {
    match ty {
        FieldType::Builtin(b) => builtin_rust(*b).to_owned(),
        FieldType::Enum(name) | FieldType::Struct(name) => name.clone(),
    }
}

/// The Rust type of a field: the value type wrapped in `Option` or `Vec` as `occurs` says.
pub fn rust_field_type(ty: &FieldType, occurs: Occurs) -> String {
    let value = rust_value_type(ty);
    match occurs {
        Occurs::Required => value,
        Occurs::Optional | Occurs::Nillable => format!("Option<{value}>"),
        Occurs::Many | Occurs::List => format!("Vec<{value}>"),
    }
}

/// `required`, `optional`, `nillable`, `many` or `list`.
pub fn occurs_label(occurs: Occurs) -> &'static str {
    match occurs {
        Occurs::Required => "required",
        Occurs::Optional => "optional",
        Occurs::Nillable => "nillable",
        Occurs::Many => "many",
        Occurs::List => "list",
    }
}

/// `element`, `attribute`, `text` or `any`.
pub fn kind_label(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Element => "element",
        FieldKind::Attribute => "attribute",
        FieldKind::Text => "text",
        FieldKind::Any => "any",
    }
}

const BUILTINS: [Builtin; 17] = [
    Builtin::String,
    Builtin::Bool,
    Builtin::I8,
    Builtin::I16,
    Builtin::I32,
    Builtin::I64,
    Builtin::U8,
    Builtin::U16,
    Builtin::U32,
    Builtin::U64,
    Builtin::F32,
    Builtin::F64,
    Builtin::Decimal,
    Builtin::DateTime,
    Builtin::Date,
    Builtin::Uuid,
    Builtin::Base64,
];

fn builtin_rust(b: Builtin) -> &'static str {
    match b {
        Builtin::String => "String",
        Builtin::Bool => "bool",
        Builtin::I8 => "i8",
        Builtin::I16 => "i16",
        Builtin::I32 => "i32",
        Builtin::I64 => "i64",
        Builtin::U8 => "u8",
        Builtin::U16 => "u16",
        Builtin::U32 => "u32",
        Builtin::U64 => "u64",
        Builtin::F32 => "f32",
        Builtin::F64 => "f64",
        Builtin::Decimal => "Decimal",
        Builtin::DateTime => "DateTime",
        Builtin::Date => "Date",
        Builtin::Uuid => "Uuid",
        Builtin::Base64 => "Base64Binary",
    }
}

impl Surface {
    /// The surface of a bindings model.
    pub fn from_module(module: &Module) -> Self {
        let services = module
            .services
            .iter()
            .map(|s| ServiceApi {
                name: s.name.clone(),
                client: s.client_name.clone(),
                ports: s
                    .ports
                    .iter()
                    .map(|(name, version, address)| PortApi {
                        name: name.clone(),
                        soap_version: (*version).to_owned(),
                        address: address.clone(),
                    })
                    .collect(),
                operations: s.operations.iter().map(OperationApi::of).collect(),
            })
            .collect();
        let types = module
            .types
            .iter()
            .map(|t| match t {
                TypeDef::Struct(s) => TypeApi {
                    name: s.rust_name.clone(),
                    xml_name: s.xml_name.clone(),
                    kind: TypeKind::Struct(
                        s.fields
                            .iter()
                            .map(|f| FieldApi {
                                rust_name: f.rust_name.clone(),
                                xml_name: f.xml_name.clone(),
                                kind: f.kind,
                                ty: f.ty.clone(),
                                occurs: f.occurs,
                                item: f.item.as_ref().map(|i| i.xml_name.clone()),
                            })
                            .collect(),
                    ),
                },
                TypeDef::Enum(e) => TypeApi {
                    name: e.rust_name.clone(),
                    xml_name: e.xml_name.clone(),
                    kind: TypeKind::Enum(e.variants.clone()),
                },
                TypeDef::Newtype(n) => TypeApi {
                    name: n.rust_name.clone(),
                    xml_name: n.element.name.clone(),
                    kind: TypeKind::Newtype(n.inner.clone()),
                },
            })
            .collect();
        Surface { contract: module.source.clone(), services, types }
    }

    /// The type named `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeApi> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The `.api` text: a header line, then one line per item, words separated by tabs, `-` for
    /// an absent value. Items:
    ///
    /// ```text
    /// contract <file>
    /// service  <name> <client>
    /// port     <service> <name> <soap version> <address>
    /// op       <service> <name> <method> <input> <output> <header> <header element> <1.1 action> <1.2 action>
    /// struct   <name> <xml name>
    /// param    <service> <op> <rust name> <xml name> <rust type>
    /// returns  <service> <op> <rust type>
    /// field    <struct> <rust name> <xml name> <element|attribute|text> <type> <required|optional|nillable|many|list:<item>>
    /// enum     <name> <xml name>
    /// value    <enum> <variant> <xml value>
    /// newtype  <name> <xml element> <type>
    /// ```
    ///
    /// `param` and `returns` follow the `op` of a wrapped operation (whose method takes the
    /// parameters and returns the result); `list:<item>` is a list type shown as a `Vec`, read
    /// and written as a wrapper element of `<item>` children. Types are `xs:<builtin>`,
    /// `enum:<name>` or `struct:<name>`. Tabs, newlines and backslashes
    /// in values are escaped as `\t`, `\n`, `\\`; a value that is exactly `-` is written `\-`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut line = |words: &[&str]| {
            let escaped: Vec<String> =
                words.iter().map(|w| if *w == ABSENT { "-".to_owned() } else { escape(w) }).collect();
            out.push_str(&escaped.join("\t"));
            out.push('\n');
        };
        line(&[HEADER]);
        line(&["contract", &self.contract]);
        for s in &self.services {
            line(&["service", &s.name, &s.client]);
            for p in &s.ports {
                line(&["port", &s.name, &p.name, &p.soap_version, &p.address]);
            }
            for o in &s.operations {
                line(&[
                    "op",
                    &s.name,
                    &o.name,
                    &o.method,
                    &o.input,
                    &o.output,
                    opt(&o.header),
                    opt(&o.header_element),
                    opt(&o.soap11_action),
                    opt(&o.soap12_action),
                ]);
                for p in &o.params {
                    line(&["param", &s.name, &o.name, &p.rust_name, &p.xml_name, &p.rust_type]);
                }
                if let Some(returns) = &o.returns {
                    line(&["returns", &s.name, &o.name, returns]);
                }
            }
        }
        for t in &self.types {
            match &t.kind {
                TypeKind::Struct(fields) => {
                    line(&["struct", &t.name, &t.xml_name]);
                    for f in fields {
                        line(&[
                            "field",
                            &t.name,
                            &f.rust_name,
                            &f.xml_name,
                            kind_label(f.kind),
                            &type_code(&f.ty),
                            &match &f.item {
                                Some(item) => format!("list:{item}"),
                                None => occurs_label(f.occurs).to_owned(),
                            },
                        ]);
                    }
                }
                TypeKind::Enum(values) => {
                    line(&["enum", &t.name, &t.xml_name]);
                    for (variant, value) in values {
                        line(&["value", &t.name, variant, value]);
                    }
                }
                TypeKind::Newtype(inner) => line(&["newtype", &t.name, &t.xml_name, &type_code(inner)]),
            }
        }
        out
    }

    /// Reads an `.api` text written by [`Surface::render`]; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ApiError> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, first)) if first.trim_end() == HEADER || first.trim_end() == HEADER_V1 => {}
            Some((_, first)) => {
                return Err(ApiError::new(origin, 1, format!("expected `{HEADER}`, found `{}`", first.trim_end())))
            }
            None => return Err(ApiError::new(origin, 1, "the file is empty".into())),
        }
        let mut surface = Surface::default();
        for (index, raw) in lines {
            let number = index + 1;
            let err = |message: String| ApiError::new(origin, number, message);
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let raw_words: Vec<&str> = raw.split('\t').collect();
            let words: Vec<String> = raw_words.iter().map(|w| unescape(w)).collect();
            let arity = |n: usize| -> Result<(), ApiError> {
                if words.len() == n {
                    Ok(())
                } else {
                    Err(err(format!("`{}` takes {} words, found {}", words[0], n - 1, words.len() - 1)))
                }
            };
            match words[0].as_str() {
                "contract" => {
                    arity(2)?;
                    surface.contract.clone_from(&words[1]);
                }
                "service" => {
                    arity(3)?;
                    surface.services.push(ServiceApi {
                        name: words[1].clone(),
                        client: words[2].clone(),
                        ..ServiceApi::default()
                    });
                }
                "port" | "op" => {
                    arity(if words[0] == "port" { 5 } else { 10 })?;
                    let service = surface
                        .services
                        .iter_mut()
                        .rev()
                        .find(|s| s.name == words[1])
                        .ok_or_else(|| err(format!("service `{}` is not declared before", words[1])))?;
                    if words[0] == "port" {
                        service.ports.push(PortApi {
                            name: words[2].clone(),
                            soap_version: words[3].clone(),
                            address: words[4].clone(),
                        });
                    } else {
                        let o = |i: usize| (raw_words[i] != "-").then(|| words[i].clone());
                        service.operations.push(OperationApi {
                            name: words[2].clone(),
                            method: words[3].clone(),
                            input: words[4].clone(),
                            output: words[5].clone(),
                            header: o(6),
                            header_element: o(7),
                            soap11_action: o(8),
                            soap12_action: o(9),
                            params: Vec::new(),
                            returns: None,
                        });
                    }
                }
                "param" | "returns" => {
                    arity(if words[0] == "param" { 6 } else { 4 })?;
                    let op = surface
                        .services
                        .iter_mut()
                        .rev()
                        .find(|s| s.name == words[1])
                        .and_then(|s| s.operations.last_mut())
                        .filter(|o| o.name == words[2])
                        .ok_or_else(|| err(format!("`{}` of `{}` outside its operation", words[0], words[2])))?;
                    if words[0] == "param" {
                        op.params.push(ParamApi {
                            rust_name: words[3].clone(),
                            xml_name: words[4].clone(),
                            rust_type: words[5].clone(),
                        });
                    } else {
                        op.returns = Some(words[3].clone());
                    }
                }
                "struct" | "enum" => {
                    arity(3)?;
                    let kind =
                        if words[0] == "struct" { TypeKind::Struct(Vec::new()) } else { TypeKind::Enum(Vec::new()) };
                    surface.types.push(TypeApi { name: words[1].clone(), xml_name: words[2].clone(), kind });
                }
                "newtype" => {
                    arity(4)?;
                    let inner = parse_type(&words[3]).ok_or_else(|| err(format!("unknown type `{}`", words[3])))?;
                    surface.types.push(TypeApi {
                        name: words[1].clone(),
                        xml_name: words[2].clone(),
                        kind: TypeKind::Newtype(inner),
                    });
                }
                "field" => {
                    arity(7)?;
                    let kind = match words[4].as_str() {
                        "element" => FieldKind::Element,
                        "attribute" => FieldKind::Attribute,
                        "text" => FieldKind::Text,
                        "any" => FieldKind::Any,
                        other => return Err(err(format!("unknown field kind `{other}`"))),
                    };
                    let ty = parse_type(&words[5]).ok_or_else(|| err(format!("unknown type `{}`", words[5])))?;
                    let (occurs, item) = match words[6].as_str() {
                        "required" => (Occurs::Required, None),
                        "optional" => (Occurs::Optional, None),
                        "nillable" => (Occurs::Nillable, None),
                        "many" => (Occurs::Many, None),
                        other => match other.strip_prefix("list:") {
                            Some(item) => (Occurs::List, Some(item.to_owned())),
                            None => return Err(err(format!("unknown occurrence `{other}`"))),
                        },
                    };
                    match surface.types.last_mut() {
                        Some(TypeApi { name, kind: TypeKind::Struct(fields), .. }) if *name == words[1] => {
                            fields.push(FieldApi {
                                rust_name: words[2].clone(),
                                xml_name: words[3].clone(),
                                kind,
                                ty,
                                occurs,
                                item,
                            })
                        }
                        _ => return Err(err(format!("field of `{}` outside its struct", words[1]))),
                    }
                }
                "value" => {
                    arity(4)?;
                    match surface.types.last_mut() {
                        Some(TypeApi { name, kind: TypeKind::Enum(values), .. }) if *name == words[1] => {
                            values.push((words[2].clone(), words[3].clone()))
                        }
                        _ => return Err(err(format!("value of `{}` outside its enum", words[1]))),
                    }
                }
                other => return Err(err(format!("unknown item `{other}`"))),
            }
        }
        Ok(surface)
    }
}

fn param_api(f: &Field) -> ParamApi {
    ParamApi {
        rust_name: f.rust_name.clone(),
        xml_name: f.xml_name.clone(),
        rust_type: rust_field_type(&f.ty, f.occurs),
    }
}

/// Stands for an absent value while rendering (written as a bare `-`).
const ABSENT: &str = "\u{0}";

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or(ABSENT)
}

fn type_code(ty: &FieldType) -> String {
    match ty {
        FieldType::Builtin(b) => format!("xs:{}", b.xsd_name()),
        FieldType::Enum(name) => format!("enum:{name}"),
        FieldType::Struct(name) => format!("struct:{name}"),
    }
}

fn parse_type(code: &str) -> Option<FieldType> {
    if let Some(xsd) = code.strip_prefix("xs:") {
        return BUILTINS.iter().find(|b| b.xsd_name() == xsd).map(|b| FieldType::Builtin(*b));
    }
    if let Some(name) = code.strip_prefix("enum:") {
        return Some(FieldType::Enum(name.to_owned()));
    }
    code.strip_prefix("struct:").map(|name| FieldType::Struct(name.to_owned()))
}

fn escape(word: &str) -> String {
    if word == "-" {
        return "\\-".to_owned();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// An `.api` file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}:{line}: {message}")]
pub struct ApiError {
    /// The file.
    pub origin: String,
    /// The line (1-based).
    pub line: usize,
    /// What was wrong.
    pub message: String,
}

impl ApiError {
    fn new(origin: &str, line: usize, message: String) -> Self {
        Self { origin: origin.to_owned(), line, message }
    }
}

/// Where the surface of a generated file lives: `nmbrs/v3/employee_service.rs` →
/// `nmbrs/v3/employee_service.api`.
pub fn api_path(generated: &Path) -> PathBuf {
    generated.with_extension("api")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for word in ["", "-", "a\tb", "line\nnext", "back\\slash", "\\-", "x-y"] {
            assert_eq!(unescape(&escape(word)), word, "{word:?}");
        }
    }

    #[test]
    fn render_and_parse_round_trip() {
        let surface = Surface {
            contract: "wsdl/x.wsdl".into(),
            services: vec![ServiceApi {
                name: "S".into(),
                client: "SClient".into(),
                ports: vec![PortApi { name: "P".into(), soap_version: "1.1".into(), address: "https://h/s".into() }],
                operations: vec![OperationApi {
                    name: "Op".into(),
                    method: "op".into(),
                    input: "Op".into(),
                    output: "OpResponse".into(),
                    header: None,
                    header_element: Some("AuthHeader".into()),
                    soap11_action: Some("-".into()),
                    soap12_action: Some(String::new()),
                    params: vec![ParamApi {
                        rust_name: "ids".into(),
                        xml_name: "Ids".into(),
                        rust_type: "Vec<i32>".into(),
                    }],
                    returns: Some("Option<Decimal>".into()),
                }],
            }],
            types: vec![
                TypeApi {
                    name: "Op".into(),
                    xml_name: "Op".into(),
                    kind: TypeKind::Struct(vec![
                        FieldApi {
                            rust_name: "id".into(),
                            xml_name: "Id".into(),
                            kind: FieldKind::Element,
                            ty: FieldType::Builtin(Builtin::Decimal),
                            occurs: Occurs::Nillable,
                            item: None,
                        },
                        FieldApi {
                            rust_name: "ids".into(),
                            xml_name: "Ids".into(),
                            kind: FieldKind::Element,
                            ty: FieldType::Builtin(Builtin::I32),
                            occurs: Occurs::List,
                            item: Some("int".into()),
                        },
                    ]),
                },
                TypeApi {
                    name: "E".into(),
                    xml_name: "e".into(),
                    kind: TypeKind::Enum(vec![("A".into(), "a b".into())]),
                },
                TypeApi {
                    name: "N".into(),
                    xml_name: "n".into(),
                    kind: TypeKind::Newtype(FieldType::Enum("E".into())),
                },
            ],
        };
        let text = surface.render();
        assert!(text.contains("\nop\tS\tOp\top\tOp\tOpResponse\t-\tAuthHeader\t\\-\t\n"), "{text}");
        assert!(text.contains("\nparam\tS\tOp\tids\tIds\tVec<i32>\nreturns\tS\tOp\tOption<Decimal>\n"), "{text}");
        assert!(text.contains("\tIds\telement\txs:int\tlist:int\n"), "{text}");
        assert_eq!(
            surface.services[0].operations[0].signature(),
            "async fn op(&self, ids: Vec<i32>) -> Result<Option<Decimal>, C::Error>"
        );
        assert_eq!(Surface::parse(&text, "x.api").unwrap(), surface);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err =
            Surface::parse("# soapgen api 1\nservice\tS\tC\nfield\tX\ta\tA\telement\txs:int\trequired\n", "x.api")
                .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.to_string().starts_with("x.api:3: field of `X` outside its struct"), "{err}");
        let err = Surface::parse("nope\n", "y.api").unwrap_err();
        assert_eq!((err.line, err.origin.as_str()), (1, "y.api"));
        let err = Surface::parse("# soapgen api 1\nport\tS\tP\t1.1\thttps://x\n", "z.api").unwrap_err();
        assert!(err.message.contains("service `S` is not declared"), "{err}");
    }
}
