//! The bindings model: what gets emitted, with Rust names already chosen.
//!
//! Built from the WSDL model and xsd-parser's resolved types; emitted by [`crate::emit`]. Kept
//! separate from both so the naming rules, the golden tests and the contract diff work on one
//! small, stable structure.

/// Everything generated from one WSDL (or XSD) file: one Rust module.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// The Rust module name (snake_case of the file stem).
    pub name: String,
    /// The contract file, as given to the generator (for the header comment).
    pub source: String,
    /// The target namespace of the WSDL (or XSD).
    pub namespace: String,
    /// Types in emission order.
    pub types: Vec<TypeDef>,
    /// Services with their operations.
    pub services: Vec<Service>,
    /// What the generator skipped and why.
    pub notes: Vec<String>,
}

/// A generated type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A complex type or a global element with an anonymous complex type.
    Struct(StructDef),
    /// A simple type with enumeration facets.
    Enum(EnumDef),
    /// A global element whose type is a named type with another name.
    Newtype(NewtypeDef),
}

impl TypeDef {
    /// The Rust name.
    pub fn rust_name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.rust_name,
            TypeDef::Enum(e) => &e.rust_name,
            TypeDef::Newtype(n) => &n.rust_name,
        }
    }
}

/// The XML element a type stands for, when it is a global element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementName {
    /// Local name.
    pub name: String,
    /// Namespace (empty for none).
    pub namespace: String,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Rust name.
    pub rust_name: String,
    /// The XML type or element name it comes from.
    pub xml_name: String,
    /// Documentation from the schema.
    pub doc: String,
    /// Fields in schema order (base type's first).
    pub fields: Vec<Field>,
    /// Set when the struct is also a global element (`impl Element`).
    pub element: Option<ElementName>,
}

/// How often a field occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    /// Exactly once: `T`.
    Required,
    /// `minOccurs="0"`: `Option<T>`, left out when `None`.
    Optional,
    /// `nillable="true"` and required: `Option<T>`, written as `xsi:nil` when `None`.
    Nillable,
    /// `maxOccurs` above one: `Vec<T>`.
    Many,
    /// A list type (`ArrayOfX`, see [`ListItem`]) used once: `Vec<T>` read from and written as
    /// the wrapper element, whose repeated child is [`Field::item`].
    List,
}

/// The repeated child of a list type: a complex type whose only content is one repeated element
/// (ASMX's `ArrayOfX`), which the bindings show as `Vec<X>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The list type's XML name (`ArrayOfCompany`).
    pub list_type: String,
    /// XML local name of the repeated child (`Company`).
    pub xml_name: String,
    /// XML namespace of the repeated child (empty for unqualified).
    pub namespace: String,
    /// Whether entries may be `xsi:nil` (they are skipped when read).
    pub nillable: bool,
}

/// Where a field lives in XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A child element.
    Element,
    /// An attribute.
    Attribute,
    /// The text content (simple content).
    Text,
    /// The children `xs:any` stands for (and the inline schema of a .NET DataSet), each kept
    /// as raw XML, as written: a `Vec<String>`.
    Any,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust field name (snake_case, keywords escaped at emission).
    pub rust_name: String,
    /// XML local name.
    pub xml_name: String,
    /// XML namespace of the element (empty for unqualified).
    pub namespace: String,
    /// The Rust type of one value.
    pub ty: FieldType,
    /// Occurrence.
    pub occurs: Occurs,
    /// Element, attribute or text.
    pub kind: FieldKind,
    /// Documentation from the schema.
    pub doc: String,
    /// Whether the schema allows `xsi:nil` on the element.
    pub nillable: bool,
    /// Whether one value is held in a `Box`: set on the fields through which a type contains
    /// itself (directly or through a cycle), which would otherwise have no finite size.
    pub boxed: bool,
    /// For [`Occurs::List`]: the repeated child of the wrapper element; `ty` is its type.
    pub item: Option<ListItem>,
}

/// The type of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A built-in leaf type, with its Rust path (`i32`, `String`, `Decimal`, ...).
    Builtin(Builtin),
    /// A generated enum (a leaf value).
    Enum(String),
    /// A generated struct or newtype (complex content).
    Struct(String),
}

/// The built-in leaf types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Builtin {
    String,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    Decimal,
    DateTime,
    Date,
    Uuid,
    Base64,
}

impl Builtin {
    /// The XML Schema name used in docs and `inspect`.
    pub fn xsd_name(self) -> &'static str {
        match self {
            Builtin::String => "string",
            Builtin::Bool => "boolean",
            Builtin::I8 => "byte",
            Builtin::I16 => "short",
            Builtin::I32 => "int",
            Builtin::I64 => "long",
            Builtin::U8 => "unsignedByte",
            Builtin::U16 => "unsignedShort",
            Builtin::U32 => "unsignedInt",
            Builtin::U64 => "unsignedLong",
            Builtin::F32 => "float",
            Builtin::F64 => "double",
            Builtin::Decimal => "decimal",
            Builtin::DateTime => "dateTime",
            Builtin::Date => "date",
            Builtin::Uuid => "guid",
            Builtin::Base64 => "base64Binary",
        }
    }
}

/// An enumeration: a Rust enum with one variant per value plus `Other(String)` so a value the
/// contract does not list never makes a reply unreadable.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Rust name.
    pub rust_name: String,
    /// XML type name.
    pub xml_name: String,
    /// Documentation.
    pub doc: String,
    /// `(variant name, XML value)` pairs in schema order.
    pub variants: Vec<(String, String)>,
}

/// A global element whose type is a named type: `pub struct Elem(pub Type)`.
#[derive(Debug, Clone)]
pub struct NewtypeDef {
    /// Rust name.
    pub rust_name: String,
    /// The element.
    pub element: ElementName,
    /// The wrapped type.
    pub inner: FieldType,
    /// Whether the element is nillable.
    pub nillable: bool,
}

/// A `wsdl:service` and the operations of its port type.
#[derive(Debug, Clone)]
pub struct Service {
    /// WSDL service name.
    pub name: String,
    /// Rust client type name (`<Service>Client`).
    pub client_name: String,
    /// Rust name of the raw view (`<Service>Raw`): every operation with its request and reply structs.
    pub raw_name: String,
    /// Documentation.
    pub doc: String,
    /// `(port name, SOAP version "1.1"/"1.2", address)`.
    pub ports: Vec<(String, &'static str, String)>,
    /// The port type the client's operations come from.
    pub port_type: String,
    /// The SOAP bindings of that port type the ports use, in port order.
    pub bindings: Vec<String>,
    /// Operations in port type order.
    pub operations: Vec<Operation>,
}

/// One of several input headers of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPart {
    /// Rust field name in the headers struct.
    pub field: String,
    /// Rust type of the header element.
    pub rust_type: String,
    /// XML name of the header element.
    pub element: String,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// WSDL operation name.
    pub name: String,
    /// Rust method name.
    pub method: String,
    /// Rust constant name of its `Operation` descriptor.
    pub constant: String,
    /// Documentation from the port type.
    pub doc: String,
    /// Rust type of the request body element.
    pub input: String,
    /// Rust type of the reply body element; `None` for a one-way operation (no `wsdl:output`),
    /// whose call returns once the server has accepted the request.
    pub output: Option<String>,
    /// Rust type of the declared input header, if any: the header element's type, or for
    /// several headers the struct in [`Operation::headers`].
    pub header: Option<String>,
    /// XML name of the (first) header element, if any.
    pub header_element: Option<String>,
    /// Several input headers: each entry, in binding order, becomes a field of the struct
    /// named by [`Operation::header`]. Empty for none or one.
    pub headers: Vec<HeaderPart>,
    /// XML names of the headers the reply declares (documented; read by the runtime as raw
    /// header entries).
    pub output_headers: Vec<String>,
    /// Namespace of the body elements.
    pub namespace: String,
    /// SOAPAction in the SOAP 1.1 binding.
    pub soap11_action: Option<String>,
    /// Action in the SOAP 1.2 binding.
    pub soap12_action: Option<String>,
    /// Whether the binding's style is rpc (the body wrappers are synthesized).
    pub rpc: bool,
    /// For a wrapped document/literal operation: its parameters and result, which the client
    /// method takes and returns instead of the request and reply structs.
    pub wrapped: Option<Wrapped>,
}

/// A wrapped document/literal operation: the request element is named after the operation and
/// is a sequence of elements; the reply element has at most one child.
#[derive(Debug, Clone)]
pub struct Wrapped {
    /// The request's children, in contract order: the method's parameters.
    pub params: Vec<Field>,
    /// The reply's only child, if it has one: the method's return value.
    pub result: Option<(Field, ResultShape)>,
    /// The XML name of the reply element (for the error when a result is missing).
    pub reply_element: String,
}

/// How a wrapped operation returns its result; decided by [`ResultShape::of`] alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultShape {
    /// `T`: a required result, or a complex-type result marked `minOccurs="0"` (ASMX marks every
    /// reference type so, which says nothing); an absent one is a read error naming the element.
    Value,
    /// `Option<T>`: a nillable result, or a simple-type result that may be absent.
    Optional,
    /// `Vec<T>`: a list or repeated result; absent or nil reads as empty.
    List,
}

impl ResultShape {
    /// The one rule for result types.
    pub fn of(result: &Field) -> Self {
        match result.occurs {
            Occurs::List | Occurs::Many => ResultShape::List,
            Occurs::Nillable => ResultShape::Optional,
            Occurs::Required => ResultShape::Value,
            Occurs::Optional if result.nillable => ResultShape::Optional,
            Occurs::Optional if matches!(result.ty, FieldType::Struct(_)) => ResultShape::Value,
            Occurs::Optional => ResultShape::Optional,
        }
    }
}
