//! The server side of the SOAP wire, shared by the mock services: reading request envelopes
//! with the generated types and writing replies and faults.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::soap::envelope;
use crate::soap::xml::{BytesStart, DeError, DeErrorKind, Element, ReadXml, WriteXml, XmlReader, XmlWriter};
use crate::soap::{Fault, QualifiedName, SoapVersion};

/// What a request says about itself before its body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInfo {
    /// The envelope version, from the content type.
    pub version: SoapVersion,
    /// The action: the `SOAPAction` header (1.1) or the `action` parameter (1.2), unquoted.
    pub action: Option<String>,
}

/// Reads the SOAP version and action from the HTTP headers, or explains what is wrong.
pub fn request_info(headers: &HeaderMap) -> Result<RequestInfo, String> {
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).ok_or("the request has no Content-Type")?;
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let param = |name: &str| {
        content_type.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_owned())
        })
    };
    match media.as_str() {
        "text/xml" => {
            let action = headers
                .get("SOAPAction")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().trim_matches('"').to_owned())
                .filter(|v| !v.is_empty());
            Ok(RequestInfo { version: SoapVersion::V11, action })
        }
        "application/soap+xml" => Ok(RequestInfo { version: SoapVersion::V12, action: param("action") }),
        other => Err(format!("unsupported content type `{other}`: expected text/xml or application/soap+xml")),
    }
}

/// The qualified name `{namespace}local` of the first element in the request's Body.
pub fn body_element(bytes: &[u8]) -> Result<(String, String), DeError> {
    refuse_illegal_chars(bytes)?;
    let mut r = XmlReader::new(bytes);
    enter_body(&mut r)?;
    let child = r.next_child("")?.ok_or_else(|| DeError::new(DeErrorKind::Syntax("the Body is empty".into())))?;
    let expanded = r.expanded_name(&child.start);
    let local = String::from_utf8_lossy(child.local_name()).into_owned();
    let ns = expanded.strip_prefix('{').and_then(|s| s.split_once('}')).map(|(ns, _)| ns.to_owned());
    Ok((ns.unwrap_or_default(), local))
}

/// A syntax error for the first character XML 1.0 does not allow, if any.
fn refuse_illegal_chars(bytes: &[u8]) -> Result<(), DeError> {
    let text = String::from_utf8_lossy(bytes);
    match crate::soap::xml::illegal_char(&text) {
        None => Ok(()),
        Some((at, c)) => Err(DeError::new(DeErrorKind::Syntax(format!(
            "the character U+{:04X} is not allowed in XML 1.0",
            c as u32
        )))
        .at_position(at as u64)),
    }
}

fn is_envelope_ns(r: &XmlReader<'_>, start: &quick_xml::events::BytesStart<'_>) -> bool {
    r.in_namespace(start, SoapVersion::V11.envelope_namespace())
        || r.in_namespace(start, SoapVersion::V12.envelope_namespace())
}

/// Moves `r` just inside the Body element; returns the Header entries' reader position untouched.
fn enter_body(r: &mut XmlReader<'_>) -> Result<(), DeError> {
    let root = r.root()?;
    if !is_envelope_ns(r, &root) || root.local_name().into_inner() != b"Envelope" {
        return Err(unexpected("{soap}Envelope", r.expanded_name(&root)));
    }
    while let Some(child) = r.next_child("")? {
        if is_envelope_ns(r, &child.start) && child.local_name() == b"Body" {
            return Ok(());
        }
        r.skip(&child.start)?;
    }
    Err(DeError::missing("Body"))
}

fn unexpected(expected: &str, found: String) -> DeError {
    DeError::new(DeErrorKind::Unexpected { expected: expected.to_owned(), found })
}

/// Reads a request envelope: the header entry `H`, if present, and the body element `B`.
///
/// A request holding a character XML 1.0 does not allow is refused, as a conforming server does.
pub fn read_request<H: Element, B: Element>(bytes: &[u8]) -> Result<(Option<H>, B), DeError> {
    refuse_illegal_chars(bytes)?;
    let mut r = XmlReader::new(bytes);
    let root = r.root()?;
    if !is_envelope_ns(&r, &root) || root.local_name().into_inner() != b"Envelope" {
        return Err(unexpected("{soap}Envelope", r.expanded_name(&root)));
    }
    let mut header = None;
    while let Some(part) = r.next_child("")? {
        let is_soap = is_envelope_ns(&r, &part.start);
        match part.local_name() {
            b"Header" if is_soap => {
                while let Some(entry) = r.next_child(H::NAMESPACE)? {
                    if entry.in_ns && entry.local_name() == H::NAME.as_bytes() {
                        header = Some(r.read::<H>(&entry)?);
                    } else {
                        r.skip(&entry.start)?;
                    }
                }
            }
            b"Body" if is_soap => {
                let first = r.next_child(B::NAMESPACE)?.ok_or_else(|| DeError::missing(B::NAME))?;
                if !first.in_ns || first.local_name() != B::NAME.as_bytes() {
                    let expected = format!("{{{}}}{}", B::NAMESPACE, B::NAME);
                    return Err(unexpected(&expected, r.expanded_name(&first.start)));
                }
                let body = r.read::<B>(&first)?;
                return Ok((header, body));
            }
            _ => r.skip(&part.start)?,
        }
    }
    Err(DeError::missing("Body"))
}

/// Reads a request envelope of an operation that declares no header: the body element `B`
/// (header entries, if any, are skipped).
pub fn read_body<B: Element>(bytes: &[u8]) -> Result<B, DeError> {
    read_request::<NoEntry, B>(bytes).map(|(_, body)| body)
}

/// A header entry no request carries, for [`read_body`].
struct NoEntry;

impl ReadXml for NoEntry {
    fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
        r.skip(start)?;
        Ok(NoEntry)
    }
}

impl WriteXml for NoEntry {
    fn write_xml(&self, _w: &mut XmlWriter, _name: &str, _ns: &'static str) {}
}

impl Element for NoEntry {
    const NAME: &'static str = "\u{0}";
    const NAMESPACE: &'static str = "";
}

fn content_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml; charset=utf-8",
        SoapVersion::V12 => "application/soap+xml; charset=utf-8",
    }
}

/// A `200 OK` reply with `body` in an envelope of `version`.
pub fn reply<B: Element>(version: SoapVersion, body: &B) -> Response {
    let xml = envelope::write_request(version, &crate::soap::NoHeader, &envelope::body_xml(body));
    (StatusCode::OK, [(header::CONTENT_TYPE, content_type(version))], xml).into_response()
}

/// A fault reply (`500`, as ASMX sends them). `sender` selects `Client`/`Sender` over
/// `Server`/`Receiver`.
pub fn fault(version: SoapVersion, sender: bool, reason: &str) -> Response {
    let ns = version.envelope_namespace();
    let local = match (version, sender) {
        (SoapVersion::V11, true) => "Client",
        (SoapVersion::V11, false) => "Server",
        (SoapVersion::V12, true) => "Sender",
        (SoapVersion::V12, false) => "Receiver",
    };
    let mut fault = Fault::new(version, QualifiedName::new(ns, local), reason);
    if version == SoapVersion::V12 {
        // SOAP 1.2 requires xml:lang on every Reason/Text.
        fault.reason_lang = Some("en".into());
    }
    let xml = envelope::write_fault(version, &fault);
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, content_type(version))], xml).into_response()
}
