//! Hands the schemas of a contract to xsd-parser and turns its resolved type model into the
//! bindings model ([`crate::ir`]).
//!
//! xsd-parser parses and resolves (imports, includes, extensions, references); this module
//! decides the Rust shape: which types become structs or enums, how each field occurs, and the
//! Rust names.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use url::Url;
use xsd_parser::models::meta::{
    BuildInMeta, ComplexMeta, ElementMetaVariant, ElementMode, MetaType, MetaTypeVariant, MetaTypes,
};
use xsd_parser::models::schema::xs::{FormChoiceType, Use};
use xsd_parser::models::schema::MaxOccurs;
use xsd_parser::models::{IdentType, TypeIdent};
use xsd_parser::pipeline::parser::resolver::{ResolveRequest, ResolveResult, Resolver};
use xsd_parser::{Interpreter, Parser};

use crate::ident::{self, Scope};
use crate::ir::{Builtin, ElementName, EnumDef, Field, FieldKind, FieldType, NewtypeDef, Occurs, StructDef, TypeDef};
use crate::wsdl::model::{QName, SchemaSource};
use crate::Error;

mod dataset;
mod diagnose;
mod encoding;
mod imports;

const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
const MS_TYPES_NS: &str = "http://microsoft.com/wsdl/types/";

/// The types of one contract, resolved and named.
#[derive(Debug, Default)]
pub struct Types {
    /// Types in emission order.
    pub defs: Vec<TypeDef>,
    /// Rust type of each global element, by qualified name.
    pub elements: BTreeMap<QName, String>,
    /// The Rust type of each named schema type, by qualified name (for rpc-style parts).
    pub by_type: BTreeMap<QName, FieldType>,
    /// The Rust type names claimed so far (synthesized types claim theirs here too).
    pub scope: Scope,
    /// What was skipped.
    pub notes: Vec<String>,
}

/// Serves the contract's schemas to xsd-parser from memory.
#[derive(Debug, Default)]
struct MemoryResolver {
    by_location: BTreeMap<String, String>,
}

impl Resolver for MemoryResolver {
    type Buffer = Cursor<Vec<u8>>;
    type Error = std::io::Error;

    fn resolve(&mut self, req: &ResolveRequest) -> ResolveResult<Self> {
        let direct = Url::parse(&req.requested_location).ok();
        let file = Url::from_file_path(&req.requested_location).ok();
        let joined = req.current_location.as_ref().and_then(|c| c.join(&req.requested_location).ok());
        for url in [direct, file, joined].into_iter().flatten() {
            if let Some(text) = self.by_location.get(url.as_str()) {
                let name = url.path().rsplit('/').next().map(|s| s.trim_end_matches(".xsd").to_owned());
                return Ok(Some((name, url, Cursor::new(text.clone().into_bytes()))));
            }
        }
        Ok(None)
    }
}

fn location_of(index: usize) -> String {
    format!("soapgen:/schema/{index}.xsd")
}

/// Adds `schemaLocation` to `xs:import`s of namespaces defined by sibling schemas.
fn link_sibling_imports(text: &str, siblings: &BTreeMap<String, usize>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(pos) = rest.find("import") {
        let (before, after) = rest.split_at(pos);
        out.push_str(before);
        let is_tag = before.ends_with(':') || before.ends_with('<');
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        if is_tag && !tag.contains("schemaLocation") {
            let ns = tag
                .split_once("namespace=")
                .and_then(|(_, v)| {
                    let quote = v.chars().next()?;
                    v[1..].split(quote).next()
                })
                .unwrap_or("");
            if let Some(index) = siblings.get(ns) {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                out.push_str(body);
                out.push_str(&format!(" schemaLocation=\"{}\"", location_of(*index)));
                if self_closing {
                    out.push('/');
                }
                rest = &after[end..];
                continue;
            }
        }
        out.push_str("import");
        rest = &after["import".len()..];
    }
    out.push_str(rest);
    out
}

/// Parses and resolves `schemas` with xsd-parser.
///
/// Before that, the texts are completed the way other toolkits read them: the SOAP encoding
/// schemas are added when mentioned ([`encoding`]), embedded schemas import the sibling
/// namespaces they use ([`imports`]), and the .NET DataSet reference to `xs:schema` becomes
/// any content ([`dataset`]). Resolution errors name the file, line and namespace ([`diagnose`]).
pub fn resolve(schemas: &[SchemaSource]) -> Result<MetaTypes, Error> {
    let mut all = schemas.to_vec();
    all.extend(encoding::needed(schemas));
    let schemas = all.as_slice();
    let siblings: BTreeMap<String, usize> =
        schemas.iter().enumerate().map(|(i, s)| (s.target_namespace.clone(), i)).collect();
    let embedded: Vec<(&str, String)> = schemas
        .iter()
        .enumerate()
        .filter(|(_, s)| s.origin.contains("#schema") || s.origin.starts_with("soapgen's"))
        .map(|(i, s)| (s.target_namespace.as_str(), location_of(i)))
        .collect();
    let known: Vec<(&str, String)> = embedded
        .iter()
        .filter(|(ns, _)| [encoding::SOAP11_ENCODING, encoding::SOAP12_ENCODING].contains(ns))
        .cloned()
        .collect();
    let mut resolver = MemoryResolver::default();
    for (i, schema) in schemas.iter().enumerate() {
        let available = if schema.origin.contains("#schema") { &embedded } else { &known };
        let text = imports::add_missing(&schema.text, &schema.target_namespace, available);
        let text = dataset::rewrite(&text);
        let text = link_sibling_imports(&text, &siblings);
        resolver.by_location.insert(location_of(i), text.clone());
        if let Ok(url) = Url::from_file_path(&schema.origin) {
            resolver.by_location.insert(url.to_string(), text);
        }
    }
    let mut parser = Parser::new().with_resolver(resolver).with_default_namespaces();
    for (i, schema) in schemas.iter().enumerate() {
        let url = Url::parse(&location_of(i)).expect("valid internal URL");
        parser = parser.add_schema_from_url(url).map_err(|e| match diagnose::error(schemas, &e.to_string()) {
            Error::Schema { origin, message } if origin == schemas[0].origin => {
                Error::Schema { origin: schema.origin.clone(), message }
            }
            located => located,
        })?;
    }
    let parsed = parser.finish();
    let schema_error = |e: xsd_parser::InterpreterError| diagnose::error(schemas, &e.to_string());
    let (types, _) = Interpreter::new(&parsed)
        .with_buildin_types()
        .and_then(Interpreter::with_default_typedefs)
        .and_then(Interpreter::with_xs_any_type)
        .and_then(Interpreter::finish)
        .map_err(schema_error)?;
    Ok(types)
}

/// Decides the Rust types of `meta`; `needed_elements` are the global elements the contract's
/// messages use (other elements with named types get no type of their own).
/// With `all_elements`, every global element gets a type (for plain XSD contracts).
pub fn build(meta: &MetaTypes, needed_elements: &BTreeSet<QName>, all_elements: bool) -> Types {
    Builder::new(meta, all_elements).build(needed_elements)
}

struct Builder<'a> {
    meta: &'a MetaTypes,
    names: BTreeMap<TypeIdent, String>,
    scope: Scope,
    notes: Vec<String>,
    all_elements: bool,
    /// Where each inline type of a local element sits, as `Owner/Element`.
    inline_paths: BTreeMap<TypeIdent, String>,
}

impl<'a> Builder<'a> {
    fn new(meta: &'a MetaTypes, all_elements: bool) -> Self {
        Self {
            meta,
            names: BTreeMap::new(),
            scope: Scope::default(),
            notes: Vec::new(),
            all_elements,
            inline_paths: BTreeMap::new(),
        }
    }

    fn namespace(&self, ident: &TypeIdent) -> String {
        self.namespace_of(ident.ns)
    }

    fn namespace_of(&self, ns: xsd_parser::models::schema::NamespaceId) -> String {
        self.meta
            .modules
            .get(&ns)
            .and_then(|m| m.namespace.as_ref())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default()
    }

    fn is_builtin_ns(&self, ident: &TypeIdent) -> bool {
        // The SOAP encoding types are known only so that schemas resolve: rpc/encoded operations
        // are skipped, and a value of such a type elsewhere is read as text.
        matches!(
            self.namespace(ident).as_str(),
            XS_NS | MS_TYPES_NS | encoding::SOAP11_ENCODING | encoding::SOAP12_ENCODING
        ) || ident.type_ == IdentType::BuildIn
    }

    fn variant(&self, ident: &TypeIdent) -> Option<&'a MetaTypeVariant> {
        self.meta.items.get(ident).map(|t| &t.variant)
    }

    fn build(mut self, needed_elements: &BTreeSet<QName>) -> Types {
        // 1. Name named complex types and enumerations, sorted by XML name, so that a type keeps
        //    its plain name and elements yield on collisions.
        let mut named: Vec<(&TypeIdent, &MetaType)> = self
            .meta
            .items
            .iter()
            .filter(|(id, ty)| {
                id.type_ == IdentType::Type
                    && !self.is_builtin_ns(id)
                    && matches!(ty.variant, MetaTypeVariant::ComplexType(_) | MetaTypeVariant::Enumeration(_))
            })
            .collect();
        named.sort_by(|a, b| (a.0.name.as_str(), self.namespace(a.0)).cmp(&(b.0.name.as_str(), self.namespace(b.0))));
        for (id, _) in &named {
            let name = self.scope.claim(&ident::type_name(id.name.as_str()));
            self.names.insert((*id).clone(), name);
        }

        // 2. Global elements.
        let mut elements: Vec<(&TypeIdent, &TypeIdent)> = self
            .meta
            .items
            .iter()
            // xsd-parser gives a local element with an inline type an element entry of its own,
            // under a generated name (owner + element): that is not a global element (step 3).
            .filter(|(id, _)| id.type_ == IdentType::Element && !id.name.is_generated() && !self.is_builtin_ns(id))
            .filter_map(|(id, ty)| match &ty.variant {
                MetaTypeVariant::Reference(r) => Some((id, &r.type_)),
                _ => None,
            })
            .collect();
        elements.sort_by(|a, b| a.0.name.as_str().cmp(b.0.name.as_str()));

        let mut element_types: BTreeMap<QName, String> = BTreeMap::new();
        let mut element_of: BTreeMap<TypeIdent, ElementName> = BTreeMap::new();
        let mut newtypes = Vec::new();
        for (el, target) in elements {
            let qname = QName { ns: self.namespace(el), local: el.name.as_str().to_owned() };
            let element = ElementName { name: qname.local.clone(), namespace: qname.ns.clone() };
            let anonymous = target.type_ == IdentType::ElementType
                && matches!(self.variant(target), Some(MetaTypeVariant::ComplexType(_)));
            if anonymous {
                let name = self.scope.claim_with_suffix(&ident::type_name(el.name.as_str()), "Element");
                self.names.insert(target.clone(), name.clone());
                element_of.insert(target.clone(), element);
                element_types.insert(qname, name);
                continue;
            }
            let same_name = target.name.as_str() == el.name.as_str() && target.ns == el.ns;
            let is_struct = matches!(self.variant(target), Some(MetaTypeVariant::ComplexType(_)));
            if same_name && is_struct && self.names.contains_key(target) && !element_of.contains_key(target) {
                element_of.insert(target.clone(), element);
                element_types.insert(qname, self.names[target].clone());
            } else if self.all_elements || needed_elements.contains(&qname) {
                let name = self.scope.claim_with_suffix(&ident::type_name(el.name.as_str()), "Element");
                let nillable = matches!(self.variant(el), Some(MetaTypeVariant::Reference(r)) if r.nillable);
                newtypes.push((name.clone(), element, target.clone(), nillable));
                element_types.insert(qname, name);
            }
        }

        // 3. Complex types declared inline on a local element (`<element name="X"><complexType>`),
        //    found from the types named so far and from each other.
        self.name_local_anonymous_types();

        // 4. Emit, structs and enums in name order, then newtypes.
        let mut defs = Vec::new();
        let mut ordered: Vec<(TypeIdent, String)> = self.names.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        ordered.sort_by(|a, b| a.1.cmp(&b.1));
        for (id, rust_name) in ordered {
            let ty = &self.meta.items[&id];
            let doc = ty.documentation.join("\n").trim().to_owned();
            match &ty.variant {
                MetaTypeVariant::ComplexType(complex) => {
                    let fields = self.fields(complex);
                    let (xml_name, doc) = match self.inline_paths.get(&id) {
                        Some(path) if doc.is_empty() => {
                            let (owner, element) = path.rsplit_once('/').unwrap_or(("", path));
                            (path.clone(), format!("The type declared inline on element `{element}` of `{owner}`."))
                        }
                        Some(path) => (path.clone(), doc),
                        None => (id.name.as_str().to_owned(), doc),
                    };
                    defs.push(TypeDef::Struct(StructDef {
                        rust_name,
                        xml_name,
                        doc,
                        fields,
                        element: element_of.get(&id).cloned(),
                    }));
                }
                MetaTypeVariant::Enumeration(e) => {
                    let mut scope = Scope::with_reserved(&["Other"]);
                    let variants = e
                        .variants
                        .0
                        .iter()
                        .map(|v| {
                            let value = v.ident.name.as_str().to_owned();
                            (scope.claim(&ident::variant_name(&value)), value)
                        })
                        .collect();
                    defs.push(TypeDef::Enum(EnumDef {
                        rust_name,
                        xml_name: id.name.as_str().to_owned(),
                        doc,
                        variants,
                    }));
                }
                _ => {}
            }
        }
        for (rust_name, element, target, nillable) in newtypes {
            let inner = self.field_type(&target, 0);
            defs.push(TypeDef::Newtype(NewtypeDef { rust_name, element, inner, nillable }));
        }
        let by_type = self
            .meta
            .items
            .keys()
            .filter(|id| id.type_ == IdentType::Type)
            .map(|id| (QName { ns: self.namespace(id), local: id.name.as_str().to_owned() }, self.field_type(id, 0)))
            .collect();
        Types { defs, elements: element_types, by_type, scope: self.scope, notes: self.notes }
    }

    /// Names every complex type declared inline on a local element, so that the element's field
    /// gets a struct and not text. The name is the element's (`HourComponent`), or, when a named
    /// type holds it already, the element's plus `Item` inside an `ArrayOf…` type and the owner's
    /// plus the element's elsewhere. Owners are visited in name order, so names are stable; the
    /// type's XML name is its path, `ArrayOfHourComponent/HourComponent`.
    fn name_local_anonymous_types(&mut self) {
        let mut owners: Vec<(String, TypeIdent)> = self.names.iter().map(|(id, n)| (n.clone(), id.clone())).collect();
        owners.sort();
        let mut queue: std::collections::VecDeque<(String, TypeIdent)> = owners.into();
        while let Some((owner, id)) = queue.pop_front() {
            let Some(MetaTypeVariant::ComplexType(complex)) = self.variant(&id) else { continue };
            let mut found = Vec::new();
            if let Some(content) = &complex.content {
                self.inline_element_types(content, &mut found, 0);
            }
            let owner_path = self.inline_paths.get(&id).cloned().unwrap_or_else(|| id.name.as_str().to_owned());
            for (element, target) in found {
                if self.names.contains_key(&target) {
                    continue;
                }
                self.inline_paths.insert(target.clone(), format!("{owner_path}/{element}"));
                let base = ident::type_name(&element);
                let name = if !self.scope.is_claimed(&base) {
                    self.scope.claim(&base)
                } else if owner.starts_with("ArrayOf") {
                    self.scope.claim(&format!("{base}Item"))
                } else {
                    self.scope.claim(&format!("{owner}{base}"))
                };
                self.names.insert(target.clone(), name.clone());
                queue.push_back((name, target));
            }
        }
    }

    /// The local elements of `group` (through nested groups) whose type is an unnamed complex
    /// type declared inline, as (element name, type).
    fn inline_element_types(&self, group: &TypeIdent, out: &mut Vec<(String, TypeIdent)>, depth: usize) {
        let (Some(MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g) | MetaTypeVariant::Choice(g)), true) =
            (self.variant(group), depth <= 32)
        else {
            return;
        };
        for el in g.elements.iter() {
            let ElementMetaVariant::Type { type_, mode } = &el.variant else { continue };
            if *mode == ElementMode::Group {
                self.inline_element_types(type_, out, depth + 1);
                continue;
            }
            let mut target = type_;
            for _ in 0..4 {
                match self.variant(target) {
                    Some(MetaTypeVariant::Reference(r)) if target.type_ != IdentType::Type => target = &r.type_,
                    _ => break,
                }
            }
            let inline = target.type_ != IdentType::Type
                && matches!(self.variant(target), Some(MetaTypeVariant::ComplexType(_)));
            if inline {
                out.push((el.ident.name.as_str().to_owned(), target.clone()));
            }
        }
    }

    fn fields(&mut self, complex: &ComplexMeta) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut scope = Scope::default();
        for attr in complex.attributes.iter() {
            let xsd_parser::models::meta::AttributeMetaVariant::Type(ty) = &attr.variant else {
                continue; // anyAttribute: accepted and ignored
            };
            if attr.use_ == Use::Prohibited {
                continue;
            }
            let xml_name = attr.ident.name.as_str().to_owned();
            let namespace = match attr.form {
                FormChoiceType::Qualified => self.namespace_of(attr.ident.ns),
                FormChoiceType::Unqualified => String::new(),
            };
            fields.push(Field {
                rust_name: scope.claim(&ident::field_name(&xml_name)),
                xml_name,
                namespace,
                ty: self.field_type(ty, 0),
                occurs: if attr.use_ == Use::Required { Occurs::Required } else { Occurs::Optional },
                kind: FieldKind::Attribute,
                doc: attr.documentation.join("\n").trim().to_owned(),
                nillable: false,
                boxed: false,
                item: None,
            });
        }
        if let Some(content) = &complex.content {
            self.group_fields(content, false, &mut scope, &mut fields, 0);
        }
        fields
    }

    fn group_fields(
        &mut self,
        group: &TypeIdent,
        in_choice: bool,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        let Some(variant) = self.variant(group) else { return };
        let (meta, choice) = match variant {
            MetaTypeVariant::Sequence(g) | MetaTypeVariant::All(g) => (g, in_choice),
            MetaTypeVariant::Choice(g) => (g, true),
            MetaTypeVariant::BuildIn(_)
            | MetaTypeVariant::SimpleType(_)
            | MetaTypeVariant::Reference(_)
            | MetaTypeVariant::Enumeration(_)
            | MetaTypeVariant::Union(_) => {
                // Simple content: the element's text.
                fields.push(Field {
                    rust_name: scope.claim("value"),
                    xml_name: String::new(),
                    namespace: String::new(),
                    ty: self.field_type(group, 0),
                    occurs: Occurs::Required,
                    kind: FieldKind::Text,
                    doc: String::new(),
                    nillable: false,
                    boxed: false,
                    item: None,
                });
                return;
            }
            _ => return,
        };
        for el in meta.elements.iter() {
            match &el.variant {
                ElementMetaVariant::Type { type_, mode: ElementMode::Group } => {
                    self.group_fields(type_, choice, scope, fields, depth + 1);
                }
                ElementMetaVariant::Type { type_, mode: ElementMode::Element } => {
                    let xml_name = el.ident.name.as_str().to_owned();
                    let namespace = match el.form {
                        FormChoiceType::Qualified => self.namespace_of(el.ident.ns),
                        FormChoiceType::Unqualified => String::new(),
                    };
                    let many = match el.max_occurs {
                        MaxOccurs::Unbounded => true,
                        MaxOccurs::Bounded(n) => n > 1,
                    };
                    let occurs = if many {
                        Occurs::Many
                    } else if el.min_occurs == 0 || choice {
                        Occurs::Optional
                    } else if el.nillable {
                        Occurs::Nillable
                    } else {
                        Occurs::Required
                    };
                    fields.push(Field {
                        rust_name: scope.claim(&ident::field_name(&xml_name)),
                        xml_name,
                        namespace,
                        ty: self.field_type(type_, 0),
                        occurs,
                        kind: FieldKind::Element,
                        doc: el.documentation.join("\n").trim().to_owned(),
                        nillable: el.nillable,
                        boxed: false,
                        item: None,
                    });
                }
                ElementMetaVariant::Any { .. } => {
                    // One field holds the children of every xs:any of the type.
                    if !fields.iter().any(|f| f.kind == FieldKind::Any) {
                        fields.push(Field {
                            rust_name: scope.claim("any"),
                            xml_name: String::new(),
                            namespace: String::new(),
                            ty: FieldType::Builtin(Builtin::String),
                            occurs: Occurs::Many,
                            kind: FieldKind::Any,
                            doc: String::new(),
                            nillable: false,
                            boxed: false,
                            item: None,
                        });
                    }
                }
                ElementMetaVariant::Text => {}
            }
        }
    }

    fn field_type(&self, id: &TypeIdent, depth: usize) -> FieldType {
        if depth > 32 {
            return FieldType::Builtin(Builtin::String);
        }
        let ns = self.namespace(id);
        if ns == XS_NS {
            if let Some(b) = xsd_builtin(id.name.as_str()) {
                return FieldType::Builtin(b);
            }
        }
        if ns == MS_TYPES_NS {
            match id.name.as_str() {
                "guid" => return FieldType::Builtin(Builtin::Uuid),
                "char" => return FieldType::Builtin(Builtin::U16),
                "duration" => return FieldType::Builtin(Builtin::String),
                _ => {}
            }
        }
        if let Some(name) = self.names.get(id) {
            return match self.variant(id) {
                Some(MetaTypeVariant::Enumeration(_)) => FieldType::Enum(name.clone()),
                _ => FieldType::Struct(name.clone()),
            };
        }
        match self.variant(id) {
            Some(MetaTypeVariant::SimpleType(s)) if !s.is_list => self.field_type(&s.base, depth + 1),
            Some(MetaTypeVariant::Reference(r)) if r.is_single() => self.field_type(&r.type_, depth + 1),
            Some(MetaTypeVariant::BuildIn(b)) => FieldType::Builtin(match b {
                BuildInMeta::Bool => Builtin::Bool,
                BuildInMeta::I8 => Builtin::I8,
                BuildInMeta::I16 => Builtin::I16,
                BuildInMeta::I32 => Builtin::I32,
                BuildInMeta::I64 | BuildInMeta::I128 | BuildInMeta::Isize => Builtin::I64,
                BuildInMeta::U8 => Builtin::U8,
                BuildInMeta::U16 => Builtin::U16,
                BuildInMeta::U32 => Builtin::U32,
                BuildInMeta::U64 | BuildInMeta::U128 | BuildInMeta::Usize => Builtin::U64,
                BuildInMeta::F32 => Builtin::F32,
                BuildInMeta::F64 => Builtin::F64,
                BuildInMeta::Str | BuildInMeta::String => Builtin::String,
            }),
            _ => FieldType::Builtin(Builtin::String),
        }
    }
}

/// The Rust type of an XML Schema built-in type, where it is not a plain string.
fn xsd_builtin(name: &str) -> Option<Builtin> {
    Some(match name {
        "boolean" => Builtin::Bool,
        "byte" => Builtin::I8,
        "short" => Builtin::I16,
        "int" => Builtin::I32,
        "long" | "integer" | "nonPositiveInteger" | "negativeInteger" => Builtin::I64,
        "unsignedByte" => Builtin::U8,
        "unsignedShort" => Builtin::U16,
        "unsignedInt" => Builtin::U32,
        "unsignedLong" | "nonNegativeInteger" | "positiveInteger" => Builtin::U64,
        "float" => Builtin::F32,
        "double" => Builtin::F64,
        "decimal" => Builtin::Decimal,
        "dateTime" => Builtin::DateTime,
        "date" => Builtin::Date,
        "base64Binary" => Builtin::Base64,
        "string" | "normalizedString" | "token" | "anyURI" | "QName" | "NCName" | "Name" | "language" | "ID"
        | "IDREF" | "NMTOKEN" | "time" | "duration" | "gYear" | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay"
        | "hexBinary" | "anySimpleType" | "anyType" => Builtin::String,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_imports_get_a_location() {
        let siblings = BTreeMap::from([("http://microsoft.com/wsdl/types/".to_owned(), 1)]);
        let text = r#"<s:schema><s:import namespace="http://microsoft.com/wsdl/types/" /><s:element name="importance"/></s:schema>"#;
        let out = link_sibling_imports(text, &siblings);
        assert!(
            out.contains(
                r#"<s:import namespace="http://microsoft.com/wsdl/types/"  schemaLocation="soapgen:/schema/1.xsd"/>"#
            ),
            "{out}"
        );
        assert!(out.contains(r#"name="importance""#));
    }
}
