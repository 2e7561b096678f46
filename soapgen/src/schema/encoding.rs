//! The SOAP encoding namespaces (SOAP 1.1 and 1.2), known without reading the remote schema, so
//! that schemas of rpc/encoded contracts (`soapenc:Array`, `soapenc:arrayType`, `soapenc:string`)
//! resolve. The rpc/encoded operations themselves are skipped with a note; the others generate.

use crate::wsdl::model::SchemaSource;

/// SOAP 1.1 encoding.
pub(super) const SOAP11_ENCODING: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// SOAP 1.2 encoding.
pub(super) const SOAP12_ENCODING: &str = "http://www.w3.org/2003/05/soap-encoding";

/// The simple types of the encoding namespace: each the XML Schema type of the same name.
const SIMPLE_TYPES: &[&str] = &[
    "string",
    "boolean",
    "float",
    "double",
    "decimal",
    "duration",
    "dateTime",
    "time",
    "date",
    "gYearMonth",
    "gYear",
    "gMonthDay",
    "gDay",
    "gMonth",
    "hexBinary",
    "base64Binary",
    "anyURI",
    "QName",
    "NOTATION",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NMTOKEN",
    "NCName",
    "NMTOKENS",
    "ID",
    "IDREF",
    "ENTITY",
    "IDREFS",
    "ENTITIES",
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
];

/// A schema for the encoding namespace `ns`, with what contracts refer to: the compound types
/// `Array` and `Struct` (any content), the array attributes, and the simple types.
fn schema(ns: &str) -> String {
    let mut text = format!(
        r###"<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:enc="{ns}" targetNamespace="{ns}">
  <xs:attribute name="arrayType" type="xs:string"/>
  <xs:attribute name="offset" type="xs:string"/>
  <xs:attribute name="position" type="xs:string"/>
  <xs:attribute name="itemType" type="xs:QName"/>
  <xs:attribute name="arraySize" type="xs:string"/>
  <xs:attribute name="root" type="xs:boolean"/>
  <xs:attributeGroup name="commonAttributes">
    <xs:attribute name="id" type="xs:ID"/>
    <xs:attribute name="href" type="xs:anyURI"/>
    <xs:anyAttribute namespace="##other" processContents="lax"/>
  </xs:attributeGroup>
  <xs:attributeGroup name="arrayAttributes">
    <xs:attribute ref="enc:arrayType"/>
    <xs:attribute ref="enc:offset"/>
  </xs:attributeGroup>
  <xs:complexType name="Array">
    <xs:sequence>
      <xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
    </xs:sequence>
    <xs:attributeGroup ref="enc:arrayAttributes"/>
    <xs:attributeGroup ref="enc:commonAttributes"/>
  </xs:complexType>
  <xs:complexType name="Struct">
    <xs:sequence>
      <xs:any namespace="##any" minOccurs="0" maxOccurs="unbounded" processContents="lax"/>
    </xs:sequence>
    <xs:attributeGroup ref="enc:commonAttributes"/>
  </xs:complexType>
  <xs:element name="Array" type="enc:Array"/>
  <xs:element name="Struct" type="enc:Struct"/>
"###
    );
    for name in SIMPLE_TYPES {
        text.push_str(&format!(
            "  <xs:simpleType name=\"{name}\"><xs:restriction base=\"xs:{name}\"/></xs:simpleType>\n"
        ));
    }
    text.push_str("</xs:schema>\n");
    text
}

/// Whether `text` uses a name of namespace `ns` (`"p:name"` with `p` bound to `ns`), or imports it.
fn refers_to(text: &str, ns: &str) -> bool {
    let imports = text.contains(&format!("namespace=\"{ns}\"")) || text.contains(&format!("namespace='{ns}'"));
    imports
        || text.match_indices(&format!("=\"{ns}\"")).any(|(pos, _)| {
            let before = &text[..pos];
            let prefix = before.rsplit("xmlns:").next().unwrap_or_default();
            !prefix.is_empty()
                && before.ends_with(&format!("xmlns:{prefix}"))
                && (text.contains(&format!("\"{prefix}:")) || text.contains(&format!("'{prefix}:")))
        })
}

/// The encoding schemas `schemas` mention (by namespace URI) and do not define themselves.
pub(super) fn needed(schemas: &[SchemaSource]) -> Vec<SchemaSource> {
    [SOAP11_ENCODING, SOAP12_ENCODING]
        .into_iter()
        .filter(|ns| !schemas.iter().any(|s| s.target_namespace == *ns))
        .filter(|ns| schemas.iter().any(|s| refers_to(&s.text, ns)))
        .map(|ns| SchemaSource {
            origin: format!("soapgen's schema of the SOAP encoding namespace {ns}"),
            target_namespace: ns.to_owned(),
            text: schema(ns),
            imports_without_location: Vec::new(),
            remote_imports: Vec::new(),
            first_line: 0,
        })
        .collect()
}
