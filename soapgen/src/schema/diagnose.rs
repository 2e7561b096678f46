//! xsd-parser's resolution errors in the contract's terms: xsd-parser names a missing type by
//! its internal indices (`Type(schema=0, ns=5, name=X)`); this finds where the contract uses it
//! and names the namespace URI, the type, the file and the line, and a remote import that would
//! have defined it.

use crate::wsdl::model::SchemaSource;
use crate::Error;

/// The [`Error::Schema`] for xsd-parser's `message` about `schemas`.
pub(super) fn error(schemas: &[SchemaSource], message: &str) -> Error {
    let fallback = || Error::Schema {
        origin: schemas.first().map(|s| s.origin.clone()).unwrap_or_default(),
        message: message.to_owned(),
    };
    if let Some(rest) = message.strip_prefix("Unknown namespace: ") {
        let ns = rest.trim_end_matches('!').trim();
        let used = schemas.iter().find_map(|s| usage(&s.text, ns).map(|(offset, name)| (s, offset, name)));
        if let Some((schema, offset, name)) = used {
            return Error::Schema {
                origin: place(schema, offset),
                message: format!(
                    "`{name}` of namespace `{ns}` is not defined: no schema of the contract defines namespace \
                     `{ns}`{}",
                    hint(schemas, ns)
                ),
            };
        }
        let Some((schema, offset)) = find(schemas, |text| declaration(text, ns)) else { return fallback() };
        return Error::Schema {
            origin: place(schema, offset),
            message: format!("namespace `{ns}` is used, but no schema of the contract defines it{}", hint(schemas, ns)),
        };
    }
    let Some((kind, name)) = unknown_ident(message) else { return fallback() };
    let Some((schema, offset, prefix)) = schemas.iter().find_map(|s| {
        let (offset, prefix) = reference(&s.text, &name)?;
        Some((s, offset, prefix))
    }) else {
        return fallback();
    };
    let ns = namespace_of(&schema.text, &prefix).unwrap_or_default();
    let what = match kind.as_str() {
        "Element" => "element",
        "Attribute" => "attribute",
        "Group" => "group",
        "AttributeGroup" => "attribute group",
        _ => "type",
    };
    let defined = schemas.iter().any(|s| s.target_namespace == ns);
    let why = if defined {
        format!("the schema of namespace `{ns}` does not define it")
    } else {
        format!("no schema of the contract defines namespace `{ns}`")
    };
    Error::Schema {
        origin: place(schema, offset),
        message: format!("{what} `{name}` of namespace `{ns}` is not defined: {why}{}", hint(schemas, &ns)),
    }
}

/// `file:line` of `offset` in `schema`'s text (the file without the `#schemaN` suffix).
fn place(schema: &SchemaSource, offset: usize) -> String {
    let file = schema.origin.split_once('#').map_or(schema.origin.as_str(), |(file, _)| file);
    let line = schema.text[..offset].matches('\n').count() + 1 + schema.first_line;
    format!("{file}:{line}")
}

/// How to supply a remote document defining `ns`, when one was left out.
fn hint(schemas: &[SchemaSource], ns: &str) -> String {
    schemas
        .iter()
        .flat_map(|s| &s.remote_imports)
        .find(|(namespace, _)| namespace == ns)
        .map(|(_, url)| {
            format!(
                "; it is imported from `{url}`, a remote document soapgen does not download: give a local \
                 copy with `--location {url}=FILE` (Generator::location)"
            )
        })
        .unwrap_or_default()
}

fn find(schemas: &[SchemaSource], f: impl Fn(&str) -> Option<usize>) -> Option<(&SchemaSource, usize)> {
    schemas.iter().find_map(|s| f(&s.text).map(|offset| (s, offset)))
}

/// `("Type", "X")` from `Unknown type: Type(schema=0, ns=5, name=X)!`.
fn unknown_ident(message: &str) -> Option<(String, String)> {
    let rest = message.split_once("Unknown ")?.1;
    let rest = rest.split_once(": ")?.1;
    let (kind, rest) = rest.split_once('(')?;
    let name = rest.split_once("name=")?.1;
    let name = name.split(')').next()?;
    Some((kind.trim().to_owned(), name.to_owned()))
}

/// The offset and prefix of the first reference to `name` (`type="p:name"`, `ref=`, `base=`, ...).
fn reference(text: &str, name: &str) -> Option<(usize, String)> {
    for attr in REFERENCES {
        for quote in ['"', '\''] {
            let open = format!("{attr}={quote}");
            for (pos, _) in text.match_indices(&open) {
                let value_start = pos + open.len();
                let Some(len) = text[value_start..].find(quote) else { continue };
                let value = &text[value_start..value_start + len];
                let (prefix, local) = value.split_once(':').unwrap_or(("", value));
                if local == name && text[..pos].ends_with(char::is_whitespace) {
                    return Some((pos, prefix.to_owned()));
                }
            }
        }
    }
    None
}

/// The offset and local name of the first reference (`type=`, `ref=`, ...) to a name in
/// namespace `ns`, through any prefix the text binds to it.
fn usage(text: &str, ns: &str) -> Option<(usize, String)> {
    let prefixes: Vec<&str> = text
        .match_indices(&format!("=\"{ns}\""))
        .filter_map(|(pos, _)| {
            let before = &text[..pos];
            let prefix = before.rsplit("xmlns:").next()?;
            (before.ends_with(&format!("xmlns:{prefix}")) && !prefix.contains(char::is_whitespace)).then_some(prefix)
        })
        .collect();
    let mut first: Option<(usize, String)> = None;
    for attr in REFERENCES {
        let open = format!("{attr}=\"");
        for (pos, _) in text.match_indices(&open) {
            let value = &text[pos + open.len()..];
            let Some(value) = value.find('"').map(|end| &value[..end]) else { continue };
            let Some((prefix, local)) = value.split_once(':') else { continue };
            let attribute = text[..pos].ends_with(char::is_whitespace);
            if attribute && prefixes.contains(&prefix) && first.as_ref().is_none_or(|(at, _)| pos < *at) {
                first = Some((pos, local.to_owned()));
            }
        }
    }
    first
}

/// The attributes that refer to schema components by qualified name.
const REFERENCES: &[&str] = &["type", "base", "ref", "itemType", "element"];

/// The namespace the text binds `prefix` to (the default namespace for an empty prefix).
fn namespace_of(text: &str, prefix: &str) -> Option<String> {
    let attr = if prefix.is_empty() { "xmlns=".to_owned() } else { format!("xmlns:{prefix}=") };
    let pos = text.find(&attr)? + attr.len();
    let quote = text[pos..].chars().next()?;
    let value = &text[pos + 1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// The offset of a declaration of namespace `ns` (or any mention of it).
fn declaration(text: &str, ns: &str) -> Option<usize> {
    text.find(&format!("\"{ns}\"")).or_else(|| text.find(&format!("'{ns}'"))).or_else(|| text.find(ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SchemaSource {
        SchemaSource {
            origin: "c.wsdl#schema0".into(),
            target_namespace: "urn:a".into(),
            text: text.into(),
            imports_without_location: Vec::new(),
            remote_imports: vec![("urn:b".into(), "http://example.com/b.xsd".into())],
            first_line: 10,
        }
    }

    #[test]
    fn an_unknown_type_is_named_with_its_namespace_file_and_line() {
        let text =
            "<?xml version=\"1.0\"?>\n<xs:schema xmlns:b=\"urn:b\">\n<xs:element name=\"x\" type=\"b:Missing\"/>";
        let e = error(&[source(text)], "Unknown type: Type(schema=0, ns=5, name=Missing)!").to_string();
        assert!(e.starts_with("c.wsdl:13: schema error: type `Missing` of namespace `urn:b` is not defined"), "{e}");
        assert!(e.contains("`--location http://example.com/b.xsd=FILE`"), "{e}");
    }
}
