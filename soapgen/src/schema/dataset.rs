//! The .NET DataSet pattern: `<s:element ref="s:schema"/><s:any/>` inside a sequence says "an
//! inline XML Schema, then the data it describes". `xs:schema` is no element a schema can refer
//! to, so the reference is read as what it stands for: more arbitrary XML content (`xs:any`).

/// `text` with every `<P:element ref="P:schema" .../>`, where `P` is bound to the XML Schema
/// namespace, replaced by `<P:any processContents="skip"/>`.
pub(super) fn rewrite(text: &str) -> String {
    let mut out = text.to_owned();
    for prefix in xsd_prefixes(text) {
        for quote in ['"', '\''] {
            let needle = format!("ref={quote}{prefix}:schema{quote}");
            while let Some(at) = out.find(&needle) {
                let Some(open) = out[..at].rfind('<') else { break };
                let Some(close) = out[at..].find('>').map(|i| at + i + 1) else { break };
                if !out[..close].ends_with("/>") || !out[open..].starts_with(&format!("<{prefix}:element")) {
                    break;
                }
                out.replace_range(open..close, &format!("<{prefix}:any processContents=\"skip\"/>"));
            }
        }
    }
    out
}

/// The prefixes the text binds to the XML Schema namespace.
fn xsd_prefixes(text: &str) -> Vec<String> {
    let mut prefixes = Vec::new();
    for quote in ['"', '\''] {
        let value = format!("={quote}http://www.w3.org/2001/XMLSchema{quote}");
        for (pos, _) in text.match_indices(&value) {
            if let Some(prefix) = text[..pos].rsplit("xmlns:").next().filter(|p| !p.contains(char::is_whitespace)) {
                if text[..pos].ends_with(&format!("xmlns:{prefix}")) && !prefixes.contains(&prefix.to_owned()) {
                    prefixes.push(prefix.to_owned());
                }
            }
        }
    }
    prefixes
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn the_inline_schema_reference_becomes_any_content() {
        let text = r#"<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema"><s:sequence><s:element ref="s:schema" /><s:any /></s:sequence></s:schema>"#;
        assert_eq!(
            rewrite(text),
            r#"<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema"><s:sequence><s:any processContents="skip"/><s:any /></s:sequence></s:schema>"#
        );
    }
}
