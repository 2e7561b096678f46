//! Keeping secrets and hostile text out of errors and logs: one place for every redaction.
//!
//! A secret can reach a log line or an error in many spellings: as is, XML- or HTML-escaped
//! (named, decimal or hexadecimal character references), JSON-escaped or percent-encoded. Each
//! secret is expanded once into all these forms and every form is replaced by `***`. Texts that
//! are decoded before they are shown (the excerpt of an HTML error page) are redacted again
//! after every decoding step, on the final text. Every function here is linear in its input.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::xml::escape;
use super::{Secret, REDACTED};

/// The longest text taken from the wire into an error message, in bytes (about 2 KB): a fault
/// reason, a data-source message.
pub const MAX_WIRE_TEXT: usize = 2048;

/// Every spelling of the non-empty `secrets`, longest first, without duplicates.
pub(crate) fn forms(secrets: &[Secret]) -> Vec<String> {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        for form in spellings(secret.expose()) {
            if !form.is_empty() && !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    // Longest first, so a secret that contains another one is replaced whole.
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
}

/// The spellings of one secret on the wire and in logs.
fn spellings(raw: &str) -> Vec<String> {
    let mut out = vec![raw.to_owned(), escape(raw, false), escape(raw, true)];
    // XML/HTML character references: for the markup characters only, or for every character
    // that is not a letter or digit; named, decimal, or hexadecimal in either case.
    let markup = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'');
    let special = |c: char| !c.is_ascii_alphanumeric();
    for (which, named) in [(markup as fn(char) -> bool, true), (markup, false), (special, false)] {
        for style in [Ref::Decimal, Ref::HexLower, Ref::HexUpper] {
            out.push(map_chars(raw, |c| {
                if !which(c) {
                    return None;
                }
                match (named, c) {
                    (true, '&') => Some("&amp;".into()),
                    (true, '<') => Some("&lt;".into()),
                    (true, '>') => Some("&gt;".into()),
                    (true, '"') => Some("&quot;".into()),
                    _ => Some(style.reference(c)),
                }
            }));
        }
    }
    out.push(map_chars(raw, |c| match c {
        '\'' => Some("&apos;".into()),
        '"' => Some("&quot;".into()),
        c => escape_char(c),
    }));
    // JSON string content: as serde_json writes it, with `\/`, and with every character that is
    // not a letter or digit as `\uXXXX` (as .NET's encoder does for `'`, `<`, `+`, non-ASCII).
    let json = serde_json::to_string(raw).unwrap_or_default();
    let json = json.get(1..json.len().saturating_sub(1)).unwrap_or_default().to_owned();
    out.push(json.replace('/', "\\/"));
    out.push(json);
    // .NET's default encoder: `\uXXXX` for the HTML-sensitive characters and non-ASCII.
    let html_sensitive = |c: char| matches!(c, '<' | '>' | '&' | '\'' | '"' | '+' | '`') || !c.is_ascii();
    for upper in [false, true] {
        out.push(map_chars(raw, |c| (!c.is_ascii_alphanumeric()).then(|| json_unicode(c, upper))));
        out.push(map_chars(raw, |c| match c {
            c if html_sensitive(c) || c.is_control() => Some(json_unicode(c, upper)),
            '\\' => Some("\\\\".into()),
            _ => None,
        }));
    }
    // Percent-encoding: RFC 3986 (unreserved characters kept), and forms (`+` for a space).
    for upper in [false, true] {
        for plus in [false, true] {
            out.push(map_chars(raw, |c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
                    None
                } else if c == ' ' && plus {
                    Some("+".into())
                } else {
                    Some(percent(c, upper))
                }
            }));
        }
    }
    out
}

fn escape_char(c: char) -> Option<String> {
    let mut buf = [0; 4];
    let s: &str = c.encode_utf8(&mut buf);
    let e = escape(s, false);
    (e != s).then_some(e)
}

#[derive(Clone, Copy)]
enum Ref {
    Decimal,
    HexLower,
    HexUpper,
}

impl Ref {
    fn reference(self, c: char) -> String {
        match self {
            Ref::Decimal => format!("&#{};", c as u32),
            Ref::HexLower => format!("&#x{:x};", c as u32),
            Ref::HexUpper => format!("&#x{:X};", c as u32),
        }
    }
}

fn json_unicode(c: char, upper: bool) -> String {
    let mut units = [0u16; 2];
    let mut out = String::new();
    for unit in c.encode_utf16(&mut units) {
        let _ = if upper { write!(out, "\\u{unit:04X}") } else { write!(out, "\\u{unit:04x}") };
    }
    out
}

fn percent(c: char, upper: bool) -> String {
    let mut buf = [0; 4];
    let mut out = String::new();
    for b in c.encode_utf8(&mut buf).bytes() {
        let _ = if upper { write!(out, "%{b:02X}") } else { write!(out, "%{b:02x}") };
    }
    out
}

fn map_chars(raw: &str, f: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(raw.len() * 2);
    for c in raw.chars() {
        match f(c) {
            Some(rep) => out.push_str(&rep),
            None => out.push(c),
        }
    }
    out
}

/// Replaces every occurrence of each of `forms` (longest first) in `text` with `***`.
pub(crate) fn redact_forms<'t>(text: &'t str, forms: &[String]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for form in forms {
        if out.contains(form.as_str()) {
            out = Cow::Owned(out.replace(form.as_str(), REDACTED));
        }
    }
    out
}

/// Replaces every spelling of each secret in `text` with `***`.
#[cfg(test)]
pub(crate) fn redact_literals<'t>(text: &'t str, secrets: &[Secret]) -> Cow<'t, str> {
    if secrets.iter().all(Secret::is_empty) {
        return Cow::Borrowed(text);
    }
    redact_forms(text, &forms(secrets))
}

/// Replaces the text content of every element whose local name is in `names` with `***`.
///
/// A plain scan, not a parser: it works on any text (also on a reply that is not well-formed),
/// never panics and reads each byte a bounded number of times. Content is the text up to the
/// next `<`, or a whole CDATA section.
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
        // A name ends at the next `<` too, so a run of `<` is scanned once, not once per `<`.
        let name_end = bytes[i..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>' || b == b'<')
            .map_or(bytes.len(), |p| i + p);
        let qname = &text[i..name_end];
        if qname.is_empty() || qname.starts_with(['!', '?']) {
            continue;
        }
        let local = qname.rsplit(':').next().unwrap_or(qname);
        if !names.iter().any(|n| n == local) {
            i = name_end;
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

/// At most `max` bytes of `text` (cut at a character boundary), followed by
/// `… (cut N bytes)` when anything was cut.
///
/// ```text
/// bounded("a long reason", 6) == "a long… (cut 7 bytes)"
/// ```
pub(crate) fn bounded(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}… (cut {} bytes)", &text[..end], text.len() - end))
}

/// The start of a body as readable text for an error: secrets redacted, tags, comments, scripts
/// and styles removed, character references decoded, whitespace collapsed, at most `max_chars`
/// characters. Secrets are redacted before and after each step, so an entity-encoded secret is
/// caught once decoded.
pub(crate) fn excerpt(
    body: &[u8],
    redact: impl Fn(&str) -> Cow<'_, str>,
    forms: &[String],
    max_chars: usize,
) -> String {
    let head = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    let text = redact(&head);
    let stripped = strip_markup(&text, 8 * max_chars);
    let stripped = redact_forms(&stripped, forms);
    let decoded = decode_references(&stripped);
    let decoded = redact_forms(&decoded, forms);
    let collapsed = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
    let collapsed = redact_forms(&collapsed, forms);
    shorten(&collapsed, max_chars)
}

/// The text of `text` with markup removed (each tag becomes a space), up to about `limit` bytes.
fn strip_markup(text: &str, limit: usize) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut stripped = String::with_capacity(text.len().min(4096));
    let mut i = 0;
    let skip_to =
        |from: usize, needle: &str| lower[from..].find(needle).map_or(text.len(), |p| from + p + needle.len());
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let rest = &lower[i..];
            i = if rest.starts_with("<!--") {
                skip_to(i, "-->")
            } else if rest.starts_with("<script") {
                skip_to(skip_to(i, "</script"), ">")
            } else if rest.starts_with("<style") {
                skip_to(skip_to(i, "</style"), ">")
            } else {
                skip_to(i, ">")
            };
            stripped.push(' ');
        } else {
            let next = lower[i..].find('<').map_or(text.len(), |p| i + p);
            stripped.push_str(&text[i..next]);
            i = next;
        }
        if stripped.len() > limit {
            break;
        }
    }
    stripped
}

/// `text` with the XML/HTML character references decoded: the five XML entities, `&nbsp;`,
/// and decimal and hexadecimal references. Anything else is kept as written.
pub(crate) fn decode_references(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short: look for its `;` within a few bytes only (linear overall).
        let window = &rest.as_bytes()[1..rest.len().min(12)];
        let decoded = window.iter().position(|&b| b == b';').and_then(|semi| {
            let name = &rest[1..=semi];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, semi + 2))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// At most `max` characters of `s`, with `…` when cut.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(list: &[&str]) -> Vec<Secret> {
        list.iter().map(|s| Secret::new(*s)).collect()
    }

    #[test]
    fn literal_secrets_are_replaced_raw_and_escaped() {
        let secrets = secrets(&["p&ss<1>", "", "tok"]);
        let text = "<a>p&amp;ss&lt;1&gt;</a><b x=\"tok\">p&ss<1></b>";
        assert_eq!(redact_literals(text, &secrets), "<a>***</a><b x=\"***\">***</b>");
        assert!(matches!(redact_literals("nothing here", &secrets), Cow::Borrowed(_)));
    }

    #[test]
    fn every_encoding_of_a_secret_is_replaced() {
        let secrets = secrets(&["it's \"S3cret\"/\\ é\u{1}"]);
        let encoded = [
            "it&#39;s &quot;S3cret&quot;/\\ é\u{1}",
            "it&#x27;s &#x22;S3cret&#x22;/\\ é\u{1}",
            "it&apos;s &quot;S3cret&quot;/\\ é\u{1}",
            "it&#39;s&#32;&#34;S3cret&#34;&#47;&#92;&#32;&#233;&#1;",
            "it's \\\"S3cret\\\"/\\\\ é\\u0001",
            "it's \\\"S3cret\\\"\\/\\\\ é\\u0001",
            "it\\u0027s\\u0020\\u0022S3cret\\u0022\\u002f\\u005c\\u0020\\u00e9\\u0001",
            "it%27s%20%22S3cret%22%2F%5C%20%C3%A9%01",
            "it%27s+%22S3cret%22%2f%5c+%c3%a9%01",
            "it\\u0027s \\u0022S3cret\\u0022/\\\\ \\u00e9\\u0001",
        ];
        for form in encoded {
            let text = format!("before {form} after");
            assert_eq!(redact_literals(&text, &secrets), "before *** after", "{form}");
        }
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
        for bad in ["<Token", "<Token>", "<Token>abc", "<", "<Token a='>", "é<Token>é", "<<<Token>x"] {
            let _ = redact_elements(bad, &names);
        }
        assert_eq!(redact_elements("é<Token>é", &names), "é<Token>***");
        assert_eq!(redact_elements("<<<Token>x</Token>", &names), "<<<Token>***</Token>");
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(
            decode_references("a &amp; b &#39;&#x27;&#X41;&nbsp;&bogus; &#xZZ; &"),
            "a & b ''A &bogus; &#xZZ; &"
        );
    }

    #[test]
    fn an_excerpt_is_redacted_after_decoding() {
        let forms = forms(&secrets(&["it's-S3cret"]));
        let page = b"<html><body><p>Login failed: password it&#39;s-S3cret is not valid.</p></body></html>";
        let e = excerpt(page, |t| redact_forms(t, &forms), &forms, 200);
        assert_eq!(e, "Login failed: password *** is not valid.");
        // Encoded twice: decoded once, the secret is still one of its known forms.
        let page = b"<p>password it&amp;#39;s-S3cret</p>";
        assert_eq!(excerpt(page, |t| redact_forms(t, &forms), &forms, 200), "password ***");
    }

    #[test]
    fn wire_text_is_bounded_with_a_marker() {
        assert_eq!(bounded("short", 10), "short");
        assert_eq!(bounded("a long reason", 6), "a long… (cut 7 bytes)");
        assert_eq!(bounded("ééé", 3), "é… (cut 4 bytes)");
        let long = "x".repeat(10_000);
        assert!(bounded(&long, MAX_WIRE_TEXT).ends_with("(cut 7952 bytes)"));
    }
}
