//! The text of a document: UTF-8 as is, UTF-16 decoded, anything else refused by name.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE};

use super::{DeError, DeErrorKind};

/// The text of the XML document `doc`.
///
/// UTF-8 (with or without a byte order mark) is borrowed; UTF-16 — with a byte order mark, or
/// starting `<?` in UTF-16, as .NET may send it — is decoded with `encoding_rs`. Any other
/// encoding is refused with a message that names it.
///
/// ```
/// use soapbind::soap::xml::document_text;
///
/// let utf16: Vec<u8> = "\u{feff}<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// assert_eq!(document_text(&utf16)?, "<a>é</a>");
/// let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>";
/// assert!(document_text(latin1).unwrap_err().to_string().contains("ISO-8859-1"));
/// # Ok::<(), soapbind::soap::xml::DeError>(())
/// ```
///
/// # Errors
/// [`DeErrorKind::Syntax`] when `doc` is neither valid UTF-8 nor valid UTF-16.
pub fn document_text(doc: &[u8]) -> Result<Cow<'_, str>, DeError> {
    let utf8_error = match std::str::from_utf8(doc) {
        Ok(text) => return Ok(Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text))),
        Err(e) => e,
    };
    let (encoding, bom) = match encoding_rs::Encoding::for_bom(doc) {
        Some((encoding, bom)) if encoding == UTF_16LE || encoding == UTF_16BE => (encoding, bom),
        _ if doc.starts_with(b"<\0?\0") => (UTF_16LE, 0),
        _ if doc.starts_with(b"\0<\0?") => (UTF_16BE, 0),
        _ => {
            let at = utf8_error.valid_up_to();
            let message = match declared_encoding(doc) {
                Some(name) if !name.eq_ignore_ascii_case("utf-8") => format!(
                    "the document declares the encoding `{name}`, which is not supported (UTF-8 and UTF-16 are); \
                     its byte {at} is not UTF-8"
                ),
                _ => format!("the document is not valid UTF-8 (byte {at}) nor UTF-16"),
            };
            return Err(DeError::new(DeErrorKind::Syntax(message)).at_position(at as u64));
        }
    };
    match encoding.decode_without_bom_handling_and_without_replacement(&doc[bom..]) {
        Some(text) => Ok(Cow::Owned(text.into_owned())),
        None => Err(DeError::new(DeErrorKind::Syntax(format!(
            "the document is {} but holds bytes that are not valid in it",
            encoding.name()
        )))),
    }
}

/// The `encoding` of an ASCII-compatible XML declaration at the start of `doc`.
fn declared_encoding(doc: &[u8]) -> Option<String> {
    let head = &doc[..doc.len().min(200)];
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = String::from_utf8_lossy(&head[..end]);
    let decl = decl.strip_prefix("<?xml")?;
    let (_, rest) = decl.split_once("encoding")?;
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let value = rest[1..].split(quote).next()?;
    Some(value.chars().take(40).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    #[test]
    fn utf16_is_decoded_with_or_without_a_bom() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>Zoë €</a>";
        for be in [false, true] {
            assert_eq!(document_text(&utf16(doc, be)).unwrap(), doc);
            assert_eq!(document_text(&utf16(&format!("\u{feff}{doc}"), be)).unwrap(), doc);
        }
        assert!(matches!(document_text(b"\xef\xbb\xbf<a/>").unwrap(), Cow::Borrowed("<a/>")));
    }

    #[test]
    fn other_encodings_are_named() {
        let e = document_text(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>\x80</a>").unwrap_err();
        assert!(e.to_string().contains("`windows-1252`"), "{e}");
        let e = document_text(b"<a>\xff</a>").unwrap_err();
        assert!(e.to_string().contains("not valid UTF-8 (byte 3)"), "{e}");
        let e = document_text(b"\xff\xfe<\x00\x00\xd8").unwrap_err();
        assert!(e.to_string().contains("UTF-16LE"), "{e}");
    }
}
