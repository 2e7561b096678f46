//! The WSDL 1.1 model: what the generator needs from `wsdl:definitions`.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A qualified XML name: namespace and local name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// The namespace URI (empty for none).
    pub ns: String,
    /// The local name.
    pub local: String,
}

/// A parsed WSDL 1.1 document.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// The file it was read from.
    pub path: PathBuf,
    /// `targetNamespace`.
    pub target_namespace: String,
    /// `name`, if present.
    pub name: Option<String>,
    /// Every schema of `wsdl:types`, plus the schemas they import/include through `schemaLocation`.
    pub schemas: Vec<SchemaSource>,
    /// `wsdl:message` by name (local name; messages live in the target namespace).
    pub messages: BTreeMap<String, Message>,
    /// `wsdl:portType` by name.
    pub port_types: BTreeMap<String, PortType>,
    /// `wsdl:binding` by name (only SOAP 1.1 / 1.2 bindings; others are in `notes`).
    pub bindings: BTreeMap<String, Binding>,
    /// `wsdl:service` elements.
    pub services: Vec<Service>,
    /// What was skipped and why (e.g. HTTP GET/POST bindings, rpc/encoded operations).
    pub notes: Vec<String>,
}

/// One XML Schema document as text, ready to hand to the schema parser.
#[derive(Debug, Clone)]
pub struct SchemaSource {
    /// Where it came from: `<wsdl path>#schema<N>` for embedded ones, or the file path.
    pub origin: String,
    /// Its `targetNamespace` (empty for none).
    pub target_namespace: String,
    /// A complete, standalone schema document: for embedded schemas the `xs:schema` element
    /// re-serialized with every namespace declaration in scope on the enclosing WSDL elements
    /// copied onto it (unless the schema redeclares the prefix), and with `schemaLocation` of
    /// `xs:import`/`xs:include` rewritten to absolute paths. An `xs:import` without
    /// `schemaLocation` of a namespace that another schema of the same WSDL defines is left as is
    /// (the schemas are handed over together).
    pub text: String,
    /// Namespaces of the `xs:import`s without `schemaLocation` (in document order; empty string
    /// for an import without `namespace`). They are expected to be defined by another schema of
    /// the same WSDL (ASP.NET imports `http://microsoft.com/wsdl/types/` this way); when none
    /// does, a note says so.
    pub imports_without_location: Vec<String>,
    /// `(namespace, URL)` of the imports and includes whose `schemaLocation` is remote and was
    /// not read; they are left out of [`SchemaSource::text`] (an import keeps its namespace).
    pub remote_imports: Vec<(String, String)>,
    /// Line `n` of [`SchemaSource::text`] is line `first_line + n` of the file it came from
    /// (0 for a whole file; for an embedded schema, the copy's XML declaration line is extra).
    pub first_line: usize,
}

/// `wsdl:message`.
#[derive(Debug, Clone, Default)]
pub struct Message {
    /// The message name.
    pub name: String,
    /// Its parts in document order.
    pub parts: Vec<Part>,
}

/// `wsdl:part`: refers to a global element (document style) or a type (rpc style).
#[derive(Debug, Clone)]
pub struct Part {
    /// The part name.
    pub name: String,
    /// `element=` resolved to a qualified name.
    pub element: Option<QName>,
    /// `type=` resolved to a qualified name.
    pub type_: Option<QName>,
}

/// `wsdl:portType`.
#[derive(Debug, Clone, Default)]
pub struct PortType {
    /// The port type name.
    pub name: String,
    /// Operations in document order.
    pub operations: Vec<AbstractOperation>,
}

/// `wsdl:portType/wsdl:operation`.
#[derive(Debug, Clone, Default)]
pub struct AbstractOperation {
    /// The operation name.
    pub name: String,
    /// `wsdl:documentation` text, whitespace-trimmed (empty when absent).
    pub documentation: String,
    /// The input message (local name).
    pub input: Option<String>,
    /// The output message (local name).
    pub output: Option<String>,
    /// Fault messages (local names).
    pub faults: Vec<String>,
}

/// SOAP version of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SoapVersion {
    /// `http://schemas.xmlsoap.org/wsdl/soap/`
    Soap11,
    /// `http://schemas.xmlsoap.org/wsdl/soap12/`
    Soap12,
}

/// `style` of a SOAP binding or operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Style {
    /// `document` (the default).
    #[default]
    Document,
    /// `rpc`.
    Rpc,
}

/// A SOAP binding (`wsdl:binding` with a `soap:binding` or `soap12:binding` child).
#[derive(Debug, Clone)]
pub struct Binding {
    /// The binding name.
    pub name: String,
    /// The port type it binds (local name).
    pub port_type: String,
    /// SOAP 1.1 or 1.2.
    pub version: SoapVersion,
    /// `style` on the `soap:binding` (default document).
    pub style: Style,
    /// Bound operations in document order (only literal ones; encoded ones are in `notes`).
    pub operations: Vec<BoundOperation>,
}

/// `wsdl:binding/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct BoundOperation {
    /// The operation name (matches the port type's operation).
    pub name: String,
    /// `soapAction` (empty when absent).
    pub soap_action: String,
    /// Effective style (operation's `style`, else the binding's).
    pub style: Style,
    /// Headers of the input (`soap:header` elements).
    pub input_headers: Vec<HeaderRef>,
    /// Headers of the output.
    pub output_headers: Vec<HeaderRef>,
    /// `soap:body parts=` of the input, when given.
    pub input_body_parts: Option<Vec<String>>,
    /// `namespace=` of the input `soap:body` (rpc style).
    pub input_namespace: Option<String>,
    /// `soap:body parts=` of the output, when given.
    pub output_body_parts: Option<Vec<String>>,
    /// `namespace=` of the output `soap:body` (rpc style).
    pub output_namespace: Option<String>,
}

/// `soap:header message=... part=... use="literal"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRef {
    /// The message (local name).
    pub message: String,
    /// The part name.
    pub part: String,
}

/// `wsdl:service`.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// The service name.
    pub name: String,
    /// `wsdl:documentation` text.
    pub documentation: String,
    /// Its SOAP ports (ports of other bindings are in `notes`).
    pub ports: Vec<Port>,
}

/// `wsdl:port` with a `soap:address`/`soap12:address`.
#[derive(Debug, Clone)]
pub struct Port {
    /// The port name.
    pub name: String,
    /// The binding (local name).
    pub binding: String,
    /// `location` of the address element.
    pub address: String,
    /// SOAP version of the address element.
    pub version: SoapVersion,
}
