//! Characters XML 1.0 does not allow, and where in a written document they sit.

/// The first character of `text` that XML 1.0 does not allow in a document (U+0000–U+0008,
/// U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF), with its byte offset.
///
/// Escaping cannot help: XML 1.0 refuses these characters also as character references.
///
/// ```
/// use soapbind::soap::xml::illegal_char;
///
/// assert_eq!(illegal_char("tab\tand line\nfeed are fine"), None);
/// assert_eq!(illegal_char("bell\u{7}"), Some((4, '\u{7}')));
/// ```
pub fn illegal_char(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let at = bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f => true,
        // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    })?;
    Some((at, text[at..].chars().next()?))
}

/// The local names of the elements open at byte `pos` of the XML `doc` we wrote, outermost
/// first, `/`-separated (`Envelope/Body/Employee_Update/PersonalInfo/FirstName`); an attribute
/// value at `pos` counts as inside its element.
pub(crate) fn element_path_at(doc: &str, pos: usize) -> String {
    let bytes = doc.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < pos.min(bytes.len()) {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let end = bytes[i..].iter().position(|&b| b == b'>').map_or(bytes.len(), |p| i + p);
        let tag = &doc[i + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            if open.last().is_some_and(|last| *last == local(name.trim())) {
                open.pop();
            }
        } else if !tag.starts_with(['?', '!']) {
            let name = tag.split(|c: char| c.is_ascii_whitespace() || c == '/').next().unwrap_or_default();
            if !tag.ends_with('/') || end >= pos {
                open.push(local(name));
            }
        }
        i = end + 1;
    }
    open.join("/")
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_illegal_character_is_found() {
        for c in (0u32..0x20).filter(|c| ![9, 10, 13].contains(c)).chain([0xFFFE, 0xFFFF]) {
            let c = char::from_u32(c).unwrap();
            assert_eq!(illegal_char(&format!("ab{c}")), Some((2, c)), "{:?}", c);
        }
        assert_eq!(illegal_char("é€\u{FFFD}\u{FFEF}\u{10000}\t\r\n"), None);
    }

    #[test]
    fn the_path_names_the_open_elements() {
        let doc = r#"<?xml version="1.0"?><s:Envelope xmlns:s="x"><s:Header><A><U>me</U></A></s:Header><s:Body><Op><B/><P><F>x</F></P></Op></s:Body></s:Envelope>"#;
        let at = doc.find(">x<").unwrap() + 1;
        assert_eq!(element_path_at(doc, at), "Envelope/Body/Op/P/F");
        let at = doc.find(">me<").unwrap() + 1;
        assert_eq!(element_path_at(doc, at), "Envelope/Header/A/U");
        let doc = r#"<Op><B a="v"/></Op>"#;
        assert_eq!(element_path_at(doc, doc.find('v').unwrap()), "Op/B");
    }
}
