//! Secrets (passwords, API tokens) and how they are kept out of logs.

use std::borrow::Cow;
use std::fmt;

use super::xml::{escape, DeError, XmlValue, XmlWriter};

/// The text that replaces a secret wherever the runtime prints or logs something.
pub const REDACTED: &str = "***";

/// A password, API token or other credential.
///
/// Its `Debug` and `Display` forms print `***`, so a `Secret` can sit in a struct that derives
/// `Debug` or be passed to `tracing` without leaking. The value is reachable only through
/// [`expose`](Secret::expose), which makes every use visible in review.
///
/// ```
/// use soapbind::soap::Secret;
///
/// let token = Secret::new("0123456789abcdef");
/// assert_eq!(format!("{token:?} {token}"), "*** ***");
/// assert_eq!(token.expose(), "0123456789abcdef");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself: use it only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl XmlValue for Secret {
    const XSD_TYPE: &'static str = "string";

    fn from_xml(text: &str) -> Result<Self, DeError> {
        Ok(Self(text.to_owned()))
    }

    fn from_xml_cow(text: Cow<'_, str>) -> Result<Self, DeError> {
        Ok(Self(text.into_owned()))
    }

    fn write_text(&self, w: &mut XmlWriter) {
        w.escaped_text(&self.0);
    }
}

/// Replaces every occurrence of each secret in `text` — as is and XML-escaped — with `***`.
pub(crate) fn redact_literals<'t>(text: &'t str, secrets: &[Secret]) -> Cow<'t, str> {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let raw = secret.expose();
        for form in [raw.to_owned(), escape(raw, false), escape(raw, true)] {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    // Longest first, so a secret that contains another one is replaced whole.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    let mut out = Cow::Borrowed(text);
    for form in &forms {
        if out.contains(form.as_str()) {
            out = Cow::Owned(out.replace(form.as_str(), REDACTED));
        }
    }
    out
}

/// Replaces the text content of every element whose local name is in `names` with `***`.
///
/// A plain scan, not a parser: it works on any text (also on a reply that is not well-formed)
/// and never panics. Content is the text up to the next `<`, or a whole CDATA section.
pub(crate) fn redact_elements<'t>(text: &'t str, names: &[Cow<'static, str>]) -> Cow<'t, str> {
    if names.is_empty() {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0; // bytes of `text` already in `out`
    let mut i = 0;
    while let Some(lt) = find(bytes, i, b'<') {
        i = lt + 1;
        let name_end = bytes[i..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
            .map_or(bytes.len(), |p| i + p);
        let qname = &text[i..name_end];
        if qname.is_empty() || qname.starts_with(['!', '?']) {
            continue;
        }
        let local = qname.rsplit(':').next().unwrap_or(qname);
        if !names.iter().any(|n| n == local) {
            continue;
        }
        let Some(gt) = tag_end(bytes, name_end) else { break };
        i = gt + 1;
        if bytes[gt - 1] == b'/' {
            continue; // empty element
        }
        let content_end = if text[i..].starts_with("<![CDATA[") {
            text[i..].find("]]>").map_or(bytes.len(), |p| i + p + 3)
        } else {
            find(bytes, i, b'<').unwrap_or(bytes.len())
        };
        if content_end > i {
            out.push_str(&text[copied..i]);
            out.push_str(REDACTED);
            copied = content_end;
            i = content_end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn find(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == needle).map(|p| from + p)
}

/// The index of the `>` closing a start tag whose attributes begin at `from`, skipping quoted
/// attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_as_stars() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(s.to_string(), "***");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Creds {
            user: String,
            token: Secret,
        }
        let c = Creds { user: "a@b.nl".into(), token: s.clone() };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn literal_secrets_are_replaced_raw_and_escaped() {
        let secrets = [Secret::new("p&ss<1>"), Secret::new(""), Secret::new("tok")];
        let text = "<a>p&amp;ss&lt;1&gt;</a><b x=\"tok\">p&ss<1></b>";
        assert_eq!(redact_literals(text, &secrets), "<a>***</a><b x=\"***\">***</b>");
        assert!(matches!(redact_literals("nothing here", &secrets), Cow::Borrowed(_)));
    }

    #[test]
    fn marked_elements_are_replaced() {
        let names = [Cow::Borrowed("Token"), Cow::Borrowed("Password")];
        let text = r#"<h:Auth xmlns:h="urn:x"><h:Username>me</h:Username><h:Token a=">">abc</h:Token><Token/><Password><![CDATA[x<y]]></Password><TokenX>keep</TokenX></h:Auth>"#;
        assert_eq!(
            redact_elements(text, &names),
            r#"<h:Auth xmlns:h="urn:x"><h:Username>me</h:Username><h:Token a=">">***</h:Token><Token/><Password>***</Password><TokenX>keep</TokenX></h:Auth>"#
        );
        // Not well-formed input neither panics nor loses text.
        for bad in ["<Token", "<Token>", "<Token>abc", "<", "<Token a='>", "é<Token>é"] {
            let _ = redact_elements(bad, &names);
        }
        assert_eq!(redact_elements("é<Token>é", &names), "é<Token>***");
    }
}
