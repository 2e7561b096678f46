//! Imports the schema text does not declare but the contract relies on.
//!
//! Toolkits such as XFire and Axis2 put several schemas in one `wsdl:types` and let them use each
//! other's types without `xs:import`; other toolkits resolve such references across the
//! schemas of the WSDL, and so does soapgen: each embedded schema gets an `xs:import` (with the
//! sibling's internal location) of every sibling namespace it mentions and does not import.
//! The SOAP encoding schemas soapgen knows are imported the same way.

/// `text` with an `xs:import` of each `(namespace, location)` in `available` that the text
/// mentions (as a quoted attribute value, typically a prefix declaration) and does not import
/// yet, inserted right after the root `xs:schema` start tag. `own` is the schema's own namespace.
pub(super) fn add_missing(text: &str, own: &str, available: &[(&str, String)]) -> String {
    let mut imports = String::new();
    for (ns, location) in available {
        if ns.is_empty() || *ns == own || !mentions(text, ns) || imports_namespace(text, ns) {
            continue;
        }
        imports.push_str(&format!(
            "<import xmlns=\"http://www.w3.org/2001/XMLSchema\" namespace=\"{ns}\" schemaLocation=\"{location}\"/>"
        ));
    }
    if imports.is_empty() {
        return text.to_owned();
    }
    let Some(end) = root_tag_end(text) else { return text.to_owned() };
    let mut out = String::with_capacity(text.len() + imports.len());
    out.push_str(&text[..end]);
    out.push_str(&imports);
    out.push_str(&text[end..]);
    out
}

fn mentions(text: &str, ns: &str) -> bool {
    text.contains(&format!("\"{ns}\"")) || text.contains(&format!("'{ns}'"))
}

/// Whether an `import` tag of the text names `ns`.
fn imports_namespace(text: &str, ns: &str) -> bool {
    text.match_indices("import").any(|(pos, _)| {
        let tag = &text[pos..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        tag.contains(&format!("namespace=\"{ns}\"")) || tag.contains(&format!("namespace='{ns}'"))
    })
}

/// The offset just after the root element's start tag (after the XML declaration, comments and
/// processing instructions); `None` when the root is empty (`<xs:schema/>`) or not found.
fn root_tag_end(text: &str) -> Option<usize> {
    let mut pos = 0;
    loop {
        let start = pos + text[pos..].find('<')?;
        let rest = &text[start..];
        if rest.starts_with("<?") {
            pos = start + rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            pos = start + rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            pos = start + rest.find('>')? + 1;
        } else {
            let mut quote = None;
            for (i, c) in rest.char_indices() {
                match (quote, c) {
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (None, '>') => return (!rest[..i].ends_with('/')).then_some(start + i + 1),
                    _ => {}
                }
            }
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::add_missing;

    #[test]
    fn a_sibling_namespace_used_without_import_gets_one() {
        let text = r#"<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:b="urn:b" targetNamespace="urn:a"><xs:element name="x" type="b:T"/></xs:schema>"#;
        let out = add_missing(text, "urn:a", &[("urn:b", "soapgen:/schema/1.xsd".into()), ("urn:c", "c".into())]);
        assert!(out.contains(r#"targetNamespace="urn:a"><import xmlns="http://www.w3.org/2001/XMLSchema" namespace="urn:b" schemaLocation="soapgen:/schema/1.xsd"/><xs:element"#), "{out}");
        assert!(!out.contains("urn:c"));
        // Imported already: unchanged.
        let imported = text.replace("<xs:element", r#"<xs:import namespace="urn:b"/><xs:element"#);
        assert_eq!(add_missing(&imported, "urn:a", &[("urn:b", "x".into())]), imported);
    }
}
