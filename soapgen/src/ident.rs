//! Name mangling, in one place: XML names to idiomatic Rust identifiers.
//!
//! Types are UpperCamelCase, fields and methods snake_case, constants SHOUTY_SNAKE_CASE;
//! keywords become raw identifiers; type names that would shadow the prelude get a `Type` suffix
//! and enum variants named like the prelude's (`None`, `Some`, `Ok`, `Err`) a `Value` suffix;
//! collisions are resolved deterministically by the order names are claimed in.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names the generated code uses unqualified; a schema type with one of these names is renamed.
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "Iterator",
    "Into",
    "From",
    "Self",
    "Decimal",
    "Uuid",
    "DateTime",
    "Date",
    "Base64Binary",
    "XmlReader",
    "XmlWriter",
    "DeError",
    "BytesStart",
    "Operation",
    "Call",
    "ProvideHeader",
    "NoHeader",
    "Element",
    "ReadXml",
    "WriteXml",
    "XmlValue",
    "ListItems",
];

/// The UpperCamelCase type name for an XML name.
pub fn type_name(xml: &str) -> String {
    let mut name = xml.to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// The snake_case field or method name for an XML name (keywords are escaped at emission).
pub fn field_name(xml: &str) -> String {
    let mut name = xml.to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "f_");
    }
    if matches!(name.as_str(), "self" | "super" | "crate") {
        name.push('_');
    }
    name
}

/// The SHOUTY_SNAKE_CASE constant name for an XML name.
pub fn const_name(xml: &str) -> String {
    let mut name = xml.to_shouty_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "OP_");
    }
    name
}

/// The client type name of one port type of a service: `<Service>Client` when the service binds
/// one port type; when its ports bind several, `<PortType>Client` if the port type's name starts
/// with the service's (`RatesSoap`), else `<Service><PortType>Client`.
pub fn client_name(service: &str, port_type: &str, several: bool) -> String {
    let (service, port_type) = (type_name(service), type_name(port_type));
    match several {
        false => format!("{service}Client"),
        true if port_type.starts_with(&service) => format!("{port_type}Client"),
        true => format!("{service}{port_type}Client"),
    }
}

/// The name of the struct that carries the several input headers of operation `operation`.
pub fn headers_name(operation: &str) -> String {
    format!("{}Headers", type_name(operation))
}

/// The enum variant name for an enumeration value.
pub fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    let mut name = value.to_upper_camel_case();
    if name.is_empty() {
        name = "Value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    // `Other` is the catch-all variant; `None`, `Some`, `Ok` and `Err` would read like the
    // prelude's (`Gender::None` next to `Option::None`).
    if matches!(name.as_str(), "Other" | "Self" | "None" | "Some" | "Ok" | "Err") {
        name.push_str("Value");
    }
    name
}

/// Whether `name` must be written as a raw identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A set of claimed names in one scope; [`claim`](Self::claim) makes a name unique by appending
/// `2`, `3`, ... in claim order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self { used: reserved.iter().map(|s| (*s).to_owned()).collect() }
    }

    /// Claims `base`, or the first free `base2`, `base3`, ... and returns it.
    pub fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unused suffix exists")
    }

    /// Whether `name` is claimed already.
    pub fn is_claimed(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Claims `base`, or `base` + `suffix`, or numbered variants of that.
    pub fn claim_with_suffix(&mut self, base: &str, suffix: &str) -> String {
        if self.used.insert(base.to_owned()) {
            return base.to_owned();
        }
        self.claim(&format!("{base}{suffix}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_idiomatic() {
        assert_eq!(type_name("Absence_GetList"), "AbsenceGetList");
        assert_eq!(type_name("DataSource_v27"), "DataSourceV27");
        assert_eq!(type_name("String"), "StringType");
        assert_eq!(field_name("Absence_GetListResult"), "absence_get_list_result");
        assert_eq!(field_name("IDCardNo"), "id_card_no");
        assert_eq!(field_name("type"), "type");
        assert!(is_keyword("type"));
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("safe_harbour_score"), "safe_harbour_score");
        assert_eq!(const_name("List_GetByCompany"), "LIST_GET_BY_COMPANY");
        assert_eq!(variant_name("4Weekly"), "V4weekly");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("Other"), "OtherValue");
        assert_eq!(client_name("Rates", "RatesSoap", false), "RatesClient");
        assert_eq!(client_name("Rates", "RatesSoap", true), "RatesSoapClient");
        assert_eq!(client_name("Rates", "Events", true), "RatesEventsClient");
        assert_eq!(variant_name("None"), "NoneValue");
        assert_eq!(variant_name("none"), "NoneValue");
        assert_eq!(variant_name("Some"), "SomeValue");
        assert_eq!(variant_name("OK"), "OkValue");
        assert_eq!(variant_name("Ok"), "OkValue");
        assert_eq!(variant_name("Err"), "ErrValue");
    }

    #[test]
    fn collisions_resolve_in_claim_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("BankAccount"), "BankAccount");
        assert_eq!(scope.claim("BankAccountType"), "BankAccountType");
        assert_eq!(scope.claim_with_suffix("BankAccount", "Element"), "BankAccountElement");
        assert_eq!(scope.claim("BankAccount"), "BankAccount2");
    }
}
