//! SOAP 1.1 and 1.2 envelopes: writing requests, reading replies.
//!
//! A call serializes its body once with [`body_xml`] and splices it into an envelope per attempt
//! with [`write_request`], so an API layer that retries with a fresh header does not serialize
//! the body again. [`read_response`] reads a reply of either version, whichever the request used.

use std::fmt::Write as _;

use super::fault::read_fault;
use super::xml::{escape, DeError, DeErrorKind, Element, HeaderEntries, XmlReader, XmlWriter, XSI_NS};
use super::{Fault, QualifiedName, SoapVersion};

/// The XML Schema namespace, declared as `xsd` on every envelope written.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// The prefix of the envelope namespace in envelopes this module writes.
const PREFIX: &str = "soap";

/// Serializes a body element, once per call.
///
/// ```
/// # use soapbind::soap::xml::{Element, ReadXml, WriteXml, XmlReader, XmlWriter, DeError};
/// # struct Ping;
/// # impl WriteXml for Ping {
/// #     fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
/// #         w.start(name, ns); w.end_start(); w.end(name);
/// #     }
/// # }
/// # impl ReadXml for Ping {
/// #     fn read_xml(r: &mut XmlReader<'_>, s: &quick_xml::events::BytesStart<'_>) -> Result<Self, DeError> {
/// #         r.skip(s)?; Ok(Ping)
/// #     }
/// # }
/// # impl Element for Ping { const NAME: &'static str = "Ping"; const NAMESPACE: &'static str = "urn:p"; }
/// use soapbind::soap::{envelope, NoHeader, SoapVersion};
///
/// let body = envelope::body_xml(&Ping);
/// assert_eq!(body, r#"<Ping xmlns="urn:p"></Ping>"#);
/// let request = envelope::write_request(SoapVersion::V11, &NoHeader, &body);
/// assert!(request.contains(r#"<soap:Body><Ping xmlns="urn:p"></Ping></soap:Body>"#));
/// ```
pub fn body_xml<E: Element>(body: &E) -> String {
    let mut w = XmlWriter::with_capacity(512);
    body.write_element(&mut w);
    w.into_string()
}

/// Writes a request envelope of `version` around header entries and an already serialized body.
///
/// The envelope declares `xsi` and `xsd`; the `Header` element is left out when `header` writes
/// nothing (e.g. [`NoHeader`](super::NoHeader)).
pub fn write_request<H: HeaderEntries + ?Sized>(version: SoapVersion, header: &H, body_xml: &str) -> String {
    let mut entries = XmlWriter::new();
    header.write_entries(&mut entries);
    let entries = entries.into_string();
    let mut out = String::with_capacity(body_xml.len() + entries.len() + 320);
    open_envelope(&mut out, version);
    if !entries.is_empty() {
        let _ = write!(out, "<{PREFIX}:Header>{entries}</{PREFIX}:Header>");
    }
    let _ = write!(out, "<{PREFIX}:Body>{body_xml}</{PREFIX}:Body></{PREFIX}:Envelope>");
    out
}

fn open_envelope(out: &mut String, version: SoapVersion) {
    let _ = write!(
        out,
        r#"<?xml version="1.0" encoding="utf-8"?><{PREFIX}:Envelope xmlns:{PREFIX}="{}" xmlns:xsi="{XSI_NS}" xmlns:xsd="{XSD_NS}">"#,
        version.envelope_namespace()
    );
}

/// Writes a fault envelope of `version` (for servers, such as test doubles, that answer calls).
///
/// Codes in another namespace than the envelope's get a prefix declared on their element; the
/// detail is inserted as is.
pub fn write_fault(version: SoapVersion, fault: &Fault) -> String {
    let mut out = String::with_capacity(512);
    open_envelope(&mut out, version);
    let _ = write!(out, "<{PREFIX}:Body><{PREFIX}:Fault>");
    let lang = |lang: &Option<String>| {
        lang.as_deref().map(|l| format!(r#" xml:lang="{}""#, escape(l, true))).unwrap_or_default()
    };
    match version {
        SoapVersion::V11 => {
            write_qname_element(&mut out, "faultcode", &fault.code, version);
            let _ =
                write!(out, "<faultstring{}>{}</faultstring>", lang(&fault.reason_lang), escape(&fault.reason, false));
            if let Some(role) = &fault.role {
                let _ = write!(out, "<faultactor>{}</faultactor>", escape(role, false));
            }
            if let Some(detail) = &fault.detail {
                let _ = write!(out, "<detail>{detail}</detail>");
            }
        }
        SoapVersion::V12 => {
            let _ = write!(out, "<{PREFIX}:Code>");
            write_qname_element(&mut out, &format!("{PREFIX}:Value"), &fault.code, version);
            for sub in &fault.subcodes {
                let _ = write!(out, "<{PREFIX}:Subcode>");
                write_qname_element(&mut out, &format!("{PREFIX}:Value"), sub, version);
            }
            for _ in &fault.subcodes {
                let _ = write!(out, "</{PREFIX}:Subcode>");
            }
            let _ = write!(
                out,
                "</{PREFIX}:Code><{PREFIX}:Reason><{PREFIX}:Text{}>{}</{PREFIX}:Text></{PREFIX}:Reason>",
                lang(&fault.reason_lang),
                escape(&fault.reason, false)
            );
            if let Some(node) = &fault.node {
                let _ = write!(out, "<{PREFIX}:Node>{}</{PREFIX}:Node>", escape(node, false));
            }
            if let Some(role) = &fault.role {
                let _ = write!(out, "<{PREFIX}:Role>{}</{PREFIX}:Role>", escape(role, false));
            }
            if let Some(detail) = &fault.detail {
                let _ = write!(out, "<{PREFIX}:Detail>{detail}</{PREFIX}:Detail>");
            }
        }
    }
    let _ = write!(out, "</{PREFIX}:Fault></{PREFIX}:Body></{PREFIX}:Envelope>");
    out
}

fn write_qname_element(out: &mut String, element: &str, name: &QualifiedName, version: SoapVersion) {
    match name.namespace.as_deref() {
        Some(ns) if ns == version.envelope_namespace() => {
            let _ = write!(out, "<{element}>{PREFIX}:{}</{element}>", escape(&name.local, false));
        }
        Some(ns) => {
            let _ = write!(
                out,
                r#"<{element} xmlns:c="{}">c:{}</{element}>"#,
                escape(ns, true),
                escape(&name.local, false)
            );
        }
        None => {
            let _ = write!(out, "<{element}>{}</{element}>", escape(&name.local, false));
        }
    }
}

/// A reply envelope that was read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResponseEnvelope<R> {
    /// The envelope version of the reply (which may differ from the request's).
    pub version: SoapVersion,
    /// The reply's header entries, each as written in the reply (raw XML); usually none.
    pub header_entries: Vec<String>,
    /// The body: the reply element or a fault.
    pub body: ResponseBody<R>,
}

/// The content of a reply's `Body`.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody<R> {
    /// The reply element the contract announces.
    Reply(R),
    /// A SOAP fault.
    Fault(Fault),
}

/// Reads a reply envelope of either SOAP version whose body holds an `R` or a fault.
///
/// The whole document is checked: it must be UTF-8 (a byte order mark is allowed), well-formed
/// to the end, free of DOCTYPEs and nested less than
/// [`DEFAULT_MAX_DEPTH`](super::xml::DEFAULT_MAX_DEPTH) deep. `R` is read by the same
/// [`XmlReader`], so namespace declarations on `Envelope` and `Body` (such as `xsi`) stay in
/// scope. The body element must be `R::NAME` in `R::NAMESPACE`; further body entries and
/// header entries are allowed.
///
/// Errors of kind [`Syntax`](DeErrorKind::Syntax), [`Doctype`](DeErrorKind::Doctype) and
/// [`TooDeep`](DeErrorKind::TooDeep) mean the reply is malformed; the others that it does not
/// match the contract (see [`Error::from_de`](super::Error::from_de)).
pub fn read_response<R: Element>(doc: &[u8]) -> Result<ResponseEnvelope<R>, DeError> {
    read_response_until(doc, None)
}

/// [`read_response`], failing with [`DeErrorKind::OutOfTime`] once `deadline` has passed.
///
/// A UTF-16 reply (with a byte order mark, or starting `<?xml` in UTF-16) is decoded first.
pub fn read_response_until<R: Element>(
    doc: &[u8],
    deadline: Option<std::time::Instant>,
) -> Result<ResponseEnvelope<R>, DeError> {
    read_text(&super::xml::document_text(doc)?, deadline)
}

/// The most header entries a reply may carry; each is kept as text, so the bound keeps memory
/// within a small multiple of the reply's size.
pub const MAX_HEADER_ENTRIES: u32 = 64;

fn read_text<R: Element>(doc: &str, deadline: Option<std::time::Instant>) -> Result<ResponseEnvelope<R>, DeError> {
    let mut r = XmlReader::from_text(doc);
    if let Some(deadline) = deadline {
        r.set_deadline(deadline);
    }
    let root = r.root()?;
    let version = [SoapVersion::V11, SoapVersion::V12]
        .into_iter()
        .find(|v| r.in_namespace(&root, v.envelope_namespace()) && local(&root) == b"Envelope");
    let Some(version) = version else {
        return Err(unexpected(
            &r,
            &root,
            "{http://schemas.xmlsoap.org/soap/envelope/ or http://www.w3.org/2003/05/soap-envelope}Envelope",
        ));
    };
    let env_ns = version.envelope_namespace();

    let mut header_entries = Vec::new();
    loop {
        let Some(child) = r.next_child(env_ns)? else {
            return Err(DeError::missing("Body").within("Envelope"));
        };
        match child.local_name() {
            b"Header" if child.in_ns => {
                while let Some(entry) = r.next_child("")? {
                    if header_entries.len() >= MAX_HEADER_ENTRIES as usize {
                        let kind = DeErrorKind::TooMany { what: "SOAP header entries", limit: MAX_HEADER_ENTRIES };
                        return Err(DeError::new(kind).at_position(r.position()).within("Header"));
                    }
                    header_entries.push(r.raw_outer(&entry.start).map_err(|e| e.within("Header"))?.to_owned());
                }
            }
            b"Body" if child.in_ns => break,
            _ => return Err(unexpected(&r, &child.start, &format!("{{{env_ns}}}Body")).within("Envelope")),
        }
    }

    let Some(first) = r.next_child(R::NAMESPACE)? else {
        if let Some(reply) = R::empty_reply() {
            while let Some(extra) = r.next_child("")? {
                r.skip(&extra.start)?;
            }
            r.finish()?;
            return Ok(ResponseEnvelope { version, header_entries, body: ResponseBody::Reply(reply) });
        }
        return Err(DeError::missing(R::NAME).within("Body").within("Envelope"));
    };
    let is_fault = first.local_name() == b"Fault"
        && (r.in_namespace(&first.start, SoapVersion::V11.envelope_namespace())
            || r.in_namespace(&first.start, SoapVersion::V12.envelope_namespace()));
    let body = if is_fault {
        ResponseBody::Fault(read_fault(&mut r, version).map_err(|e| e.within("Fault"))?)
    } else if let Some(reply) = R::empty_reply() {
        r.skip(&first.start)?;
        ResponseBody::Reply(reply)
    } else if first.in_ns && first.local_name() == R::NAME.as_bytes() {
        ResponseBody::Reply(R::read_xml(&mut r, &first.start).map_err(|e| e.within(R::NAME))?)
    } else {
        return Err(unexpected(&r, &first.start, &expanded(R::NAMESPACE, R::NAME)).within("Body").within("Envelope"));
    };

    // Further body entries (SOAP 1.1 allows several) and anything after the body are skipped,
    // but read, so that a truncated or broken end of the reply is still caught.
    while let Some(extra) = r.next_child("")? {
        r.skip(&extra.start)?;
    }
    while let Some(extra) = r.next_child("")? {
        r.skip(&extra.start)?;
    }
    r.finish()?;
    Ok(ResponseEnvelope { version, header_entries, body })
}

fn local<'a>(start: &'a quick_xml::events::BytesStart<'_>) -> &'a [u8] {
    start.local_name().into_inner()
}

fn expanded(ns: &str, name: &str) -> String {
    if ns.is_empty() {
        name.to_owned()
    } else {
        format!("{{{ns}}}{name}")
    }
}

fn unexpected(r: &XmlReader<'_>, found: &quick_xml::events::BytesStart<'_>, expected: &str) -> DeError {
    DeError::new(DeErrorKind::Unexpected { expected: expected.to_owned(), found: r.expanded_name(found) })
        .at_position(r.position())
}

#[cfg(test)]
mod tests {
    use quick_xml::events::BytesStart;

    use super::*;
    use crate::soap::xml::{ReadXml, WriteXml, XmlValue};

    #[derive(Debug, PartialEq)]
    struct Answer {
        value: Option<i32>,
    }

    impl WriteXml for Answer {
        fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
            w.start(name, ns);
            w.end_start();
            match self.value {
                Some(v) => w.value("Value", ns, &v),
                None => w.nil("Value", ns),
            }
            w.end(name);
        }
    }

    impl ReadXml for Answer {
        fn read_xml(r: &mut XmlReader<'_>, _start: &BytesStart<'_>) -> Result<Self, DeError> {
            let mut value = None;
            while let Some(c) = r.next_child("urn:t")? {
                if c.in_ns && c.local_name() == b"Value" {
                    value = if r.is_nil(&c.start) {
                        r.skip(&c.start)?;
                        None
                    } else {
                        Some(i32::from_xml(&r.text(&c.start)?).map_err(|e| e.within("Value"))?)
                    };
                } else {
                    r.skip(&c.start)?;
                }
            }
            Ok(Answer { value })
        }
    }

    impl Element for Answer {
        const NAME: &'static str = "Answer";
        const NAMESPACE: &'static str = "urn:t";
    }

    #[test]
    fn request_envelopes_of_both_versions() {
        let body = body_xml(&Answer { value: Some(42) });
        assert_eq!(body, r#"<Answer xmlns="urn:t"><Value>42</Value></Answer>"#);
        let v11 = write_request(SoapVersion::V11, &crate::soap::NoHeader, &body);
        assert_eq!(
            v11,
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><Answer xmlns="urn:t"><Value>42</Value></Answer></soap:Body></soap:Envelope>"#
        );
        let v12 = write_request(SoapVersion::V12, &Answer { value: None }, &body);
        assert!(v12.contains(r#"xmlns:soap="http://www.w3.org/2003/05/soap-envelope""#));
        assert!(v12.contains(
            r#"<soap:Header><Answer xmlns="urn:t"><Value xsi:nil="true"/></Answer></soap:Header><soap:Body>"#
        ));
    }

    #[test]
    fn reads_a_reply_with_header_entries_and_xsi_declared_on_the_envelope() {
        let doc = r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
  <s:Header><h:Trace xmlns:h="urn:h">abc</h:Trace><Other/></s:Header>
  <s:Body><Answer xmlns="urn:t"><Value i:nil="true"/></Answer></s:Body>
</s:Envelope>"#;
        let env = read_response::<Answer>(doc.as_bytes()).unwrap();
        assert_eq!(env.version, SoapVersion::V12);
        assert_eq!(env.header_entries, vec![r#"<h:Trace xmlns:h="urn:h">abc</h:Trace>"#.to_owned(), "<Other/>".into()]);
        assert_eq!(env.body, ResponseBody::Reply(Answer { value: None }));
    }

    #[test]
    fn a_bom_and_extra_body_entries_are_accepted() {
        let doc = "\u{feff}<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Answer xmlns=\"urn:t\"><Value>7</Value></Answer><Extra/></soap:Body><Trailer/></soap:Envelope>";
        let env = read_response::<Answer>(doc.as_bytes()).unwrap();
        assert_eq!(env.body, ResponseBody::Reply(Answer { value: Some(7) }));
    }

    #[test]
    fn wrong_body_element_names_expected_and_found() {
        let doc = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Answer xmlns="urn:other"/></soap:Body></soap:Envelope>"#;
        let err = read_response::<Answer>(doc.as_bytes()).unwrap_err();
        assert_eq!(
            err.kind(),
            &DeErrorKind::Unexpected { expected: "{urn:t}Answer".into(), found: "{urn:other}Answer".into() }
        );
        assert_eq!(err.path(), "Envelope/Body");
    }

    #[test]
    fn not_an_envelope_is_a_contract_error() {
        let err = read_response::<Answer>(b"<Answer xmlns=\"urn:t\"/>").unwrap_err();
        assert!(matches!(err.kind(), DeErrorKind::Unexpected { .. }), "{err}");
        let err = read_response::<Answer>(
            br#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>"#,
        )
        .unwrap_err();
        assert_eq!(err.kind(), &DeErrorKind::Missing("Answer"));
        assert_eq!(err.path(), "Envelope/Body/Answer");
    }

    #[test]
    fn broken_documents_are_syntax_errors() {
        let ok = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Answer xmlns="urn:t"><Value>1</Value></Answer></soap:Body></soap:Envelope>"#;
        for cut in [10, 60, 120, ok.len() - 5] {
            let err = read_response::<Answer>(&ok.as_bytes()[..cut]).unwrap_err();
            assert!(matches!(err.kind(), DeErrorKind::Syntax(_)), "cut at {cut}: {err}");
        }
        let mut bad = ok.as_bytes().to_vec();
        bad[130] = 0xff;
        assert!(matches!(read_response::<Answer>(&bad).unwrap_err().kind(), DeErrorKind::Syntax(_)));
        let doctype = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol2;</soap:Body></soap:Envelope>"#;
        assert_eq!(read_response::<Answer>(doctype.as_bytes()).unwrap_err().kind(), &DeErrorKind::Doctype);
    }

    #[test]
    fn faults_round_trip_through_the_writer() {
        let v11 =
            Fault::new(SoapVersion::V11, QualifiedName::new(SoapVersion::V11.envelope_namespace(), "Client"), "a < b")
                .with_detail("<n:Code xmlns:n=\"urn:n\">1001</n:Code>");
        let doc = write_fault(SoapVersion::V11, &v11);
        let env = read_response::<Answer>(doc.as_bytes()).unwrap();
        assert_eq!(env.body, ResponseBody::Fault(v11));

        let mut v12 =
            Fault::new(SoapVersion::V12, QualifiedName::new(SoapVersion::V12.envelope_namespace(), "Receiver"), "down")
                .with_subcode(QualifiedName::new("urn:a", "One"))
                .with_subcode(QualifiedName::new("urn:b", "Two"));
        v12.reason_lang = Some("en".into());
        v12.node = Some("urn:node".into());
        v12.role = Some("urn:role".into());
        let doc = write_fault(SoapVersion::V12, &v12);
        let env = read_response::<Answer>(doc.as_bytes()).unwrap();
        assert_eq!(env.body, ResponseBody::Fault(v12));
    }
}
