//! SOAP faults, both versions in one type.

use std::fmt;

use quick_xml::events::BytesStart;

use super::xml::{DeError, XmlReader};
use super::SoapVersion;

/// A namespace-qualified name, such as a fault code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QualifiedName {
    /// The namespace, or `None` when the name has none (or its prefix was not declared).
    pub namespace: Option<String>,
    /// The local name, e.g. `Client` or `Sender`.
    pub local: String,
}

impl QualifiedName {
    /// A name in namespace `namespace`.
    pub fn new(namespace: impl Into<String>, local: impl Into<String>) -> Self {
        Self { namespace: Some(namespace.into()), local: local.into() }
    }

    /// Whether the name is in one of the two SOAP envelope namespaces, or has no namespace.
    fn in_envelope_namespace(&self) -> bool {
        match &self.namespace {
            None => true,
            Some(ns) => is_envelope_namespace(ns),
        }
    }
}

impl fmt::Display for QualifiedName {
    /// Names in a SOAP envelope namespace (the standard fault codes) print as their local name;
    /// others as `{namespace}local`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) if !is_envelope_namespace(ns) => write!(f, "{{{ns}}}{}", self.local),
            _ => f.write_str(&self.local),
        }
    }
}

fn is_envelope_namespace(ns: &str) -> bool {
    ns == SoapVersion::V11.envelope_namespace() || ns == SoapVersion::V12.envelope_namespace()
}

/// A SOAP fault: the service refused or failed the call.
///
/// One type for both versions. SOAP 1.1's `faultcode`, `faultstring`, `faultactor` and `detail`
/// map to [`code`](Fault::code), [`reason`](Fault::reason), [`role`](Fault::role) and
/// [`detail`](Fault::detail); SOAP 1.2's `Code/Value` (with its `Subcode/Value` chain),
/// the first `Reason/Text`, `Node`, `Role` and `Detail` map to the fields of the same names.
///
/// ```
/// use soapbind::soap::{Fault, QualifiedName, SoapVersion};
///
/// let fault = Fault::new(
///     SoapVersion::V12,
///     QualifiedName::new(SoapVersion::V12.envelope_namespace(), "Sender"),
///     "Invalid Token",
/// );
/// assert!(fault.is_client());
/// assert_eq!(fault.to_string(), "Sender: Invalid Token");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fault {
    /// The envelope version the fault arrived in.
    pub version: SoapVersion,
    /// The fault code, with its prefix resolved: `{http://schemas.xmlsoap.org/soap/envelope/}Client`
    /// (1.1, possibly dotted as `Client.Authentication`) or `{http://www.w3.org/2003/05/soap-envelope}Sender` (1.2).
    pub code: QualifiedName,
    /// SOAP 1.2 subcodes, outermost first (empty for SOAP 1.1).
    pub subcodes: Vec<QualifiedName>,
    /// The human-readable explanation (`faultstring`, or the first `Reason/Text`).
    pub reason: String,
    /// The `xml:lang` of the reason, when given.
    pub reason_lang: Option<String>,
    /// Who raised the fault: SOAP 1.1 `faultactor` or SOAP 1.2 `Role`.
    pub role: Option<String>,
    /// SOAP 1.2 `Node`: the URI of the node that raised the fault.
    pub node: Option<String>,
    /// The content of the `detail` / `Detail` element as written in the reply (raw XML), for the
    /// API layer to read, e.g. with [`XmlReader`]. Namespace prefixes declared on the envelope
    /// are not declared inside it.
    pub detail: Option<String>,
}

impl Fault {
    /// A fault with the given code and reason and nothing else.
    pub fn new(version: SoapVersion, code: QualifiedName, reason: impl Into<String>) -> Self {
        Self {
            version,
            code,
            subcodes: Vec::new(),
            reason: reason.into(),
            reason_lang: None,
            role: None,
            node: None,
            detail: None,
        }
    }

    /// Adds a SOAP 1.2 subcode (innermost last).
    pub fn with_subcode(mut self, subcode: QualifiedName) -> Self {
        self.subcodes.push(subcode);
        self
    }

    /// Sets the raw XML content of the detail element.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Whether the fault blames the request: SOAP 1.1 `Client` (also `Client.*`) or SOAP 1.2
    /// `Sender`. Sending the same request again will fail the same way.
    pub fn is_client(&self) -> bool {
        self.code.in_envelope_namespace() && matches_code(&self.code.local, &["Client", "Sender"])
    }

    /// Whether the fault blames the service: SOAP 1.1 `Server` (also `Server.*`) or SOAP 1.2
    /// `Receiver`.
    pub fn is_server(&self) -> bool {
        self.code.in_envelope_namespace() && matches_code(&self.code.local, &["Server", "Receiver"])
    }

    /// Whether any subcode has local name `local`.
    pub fn has_subcode(&self, local: &str) -> bool {
        self.subcodes.iter().any(|c| c.local == local)
    }
}

fn matches_code(local: &str, names: &[&str]) -> bool {
    names.iter().any(|n| local == *n || local.strip_prefix(n).is_some_and(|rest| rest.starts_with('.')))
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        for sub in &self.subcodes {
            write!(f, "/{sub}")?;
        }
        write!(f, ": {}", self.reason.trim())?;
        if let Some(role) = &self.role {
            write!(f, " (raised by {role})")?;
        }
        Ok(())
    }
}

/// Reads a `Fault` element whose start tag has just been read, either version's shape.
///
/// Children are matched by local name, whatever their namespace: SOAP 1.1 faults carry
/// unqualified children, SOAP 1.2 faults qualified ones, and some services mix the two.
pub(crate) fn read_fault(r: &mut XmlReader<'_>, version: SoapVersion) -> Result<Fault, DeError> {
    let mut fault = Fault::new(version, QualifiedName::default(), String::new());
    while let Some(child) = r.next_child("")? {
        let start = &child.start;
        match child.local_name() {
            b"faultcode" => fault.code = read_qname(r, start).map_err(|e| e.within("faultcode"))?,
            b"faultstring" => {
                fault.reason_lang = r.attribute(start, "xml:lang")?;
                fault.reason = r.text(start).map_err(|e| e.within("faultstring"))?.into_owned();
            }
            b"faultactor" | b"Role" => fault.role = Some(r.text(start)?.trim().to_owned()),
            b"Node" => fault.node = Some(r.text(start)?.trim().to_owned()),
            b"detail" | b"Detail" => fault.detail = Some(r.raw_inner(start)?.to_owned()),
            b"Code" => {
                let (code, subcodes) = read_code(r).map_err(|e| e.within("Code"))?;
                fault.code = code;
                fault.subcodes = subcodes;
            }
            b"Reason" => {
                let (text, lang) = read_reason(r).map_err(|e| e.within("Reason"))?;
                fault.reason = text;
                fault.reason_lang = lang;
            }
            _ => r.skip(start)?,
        }
    }
    Ok(fault)
}

fn read_qname(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<QualifiedName, DeError> {
    let text = r.text(start)?;
    // The element's own namespace scope is still in effect right after its end tag.
    let (namespace, local) = r.resolve_qname(&text);
    Ok(QualifiedName { namespace, local: local.to_owned() })
}

/// Reads the content of a SOAP 1.2 `Code` or `Subcode`: its `Value` and the chain of subcodes.
fn read_code(r: &mut XmlReader<'_>) -> Result<(QualifiedName, Vec<QualifiedName>), DeError> {
    let mut value = QualifiedName::default();
    let mut subcodes = Vec::new();
    while let Some(child) = r.next_child("")? {
        match child.local_name() {
            b"Value" => value = read_qname(r, &child.start).map_err(|e| e.within("Value"))?,
            b"Subcode" => {
                // Recursion is bounded by the reader's depth limit.
                let (sub, deeper) = read_code(r).map_err(|e| e.within("Subcode"))?;
                subcodes.push(sub);
                subcodes.extend(deeper);
            }
            _ => r.skip(&child.start)?,
        }
    }
    Ok((value, subcodes))
}

/// Reads the first `Text` of a SOAP 1.2 `Reason`, with its `xml:lang`.
fn read_reason(r: &mut XmlReader<'_>) -> Result<(String, Option<String>), DeError> {
    let mut first: Option<(String, Option<String>)> = None;
    while let Some(child) = r.next_child("")? {
        if child.local_name() == b"Text" && first.is_none() {
            let lang = r.attribute(&child.start, "xml:lang")?;
            let text = r.text(&child.start).map_err(|e| e.within("Text"))?.into_owned();
            first = Some((text, lang));
        } else {
            r.skip(&child.start)?;
        }
    }
    Ok(first.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const V11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
    const V12: &str = "http://www.w3.org/2003/05/soap-envelope";

    /// Reads the `Fault` element of `doc` (its root's first grandchild).
    fn parse(doc: &str, version: SoapVersion) -> Fault {
        let mut r = XmlReader::from_text(doc);
        r.root().unwrap();
        let _body = r.next_child("").unwrap().unwrap();
        let _fault = r.next_child("").unwrap().unwrap();
        read_fault(&mut r, version).unwrap()
    }

    #[test]
    fn soap11_fault() {
        let doc = r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
            <soap:Fault>
              <faultcode>soap:Server</faultcode>
              <faultstring xml:lang="en">Server was unable to process request. ---&gt; 1001: Invalid Authentication</faultstring>
              <faultactor>https://api.nmbrs.nl/soap/v3/EmployeeService.asmx</faultactor>
              <detail><e:Info xmlns:e="urn:e" a="1">x &amp; y</e:Info><More/></detail>
            </soap:Fault></soap:Body></soap:Envelope>"#;
        let f = parse(doc, SoapVersion::V11);
        assert_eq!(f.code, QualifiedName::new(V11, "Server"));
        assert!(f.is_server() && !f.is_client());
        assert_eq!(f.reason, "Server was unable to process request. ---> 1001: Invalid Authentication");
        assert_eq!(f.reason_lang.as_deref(), Some("en"));
        assert_eq!(f.role.as_deref(), Some("https://api.nmbrs.nl/soap/v3/EmployeeService.asmx"));
        assert_eq!(f.detail.as_deref(), Some(r#"<e:Info xmlns:e="urn:e" a="1">x &amp; y</e:Info><More/>"#));
        assert!(f.subcodes.is_empty());
        assert_eq!(
            f.to_string(),
            "Server: Server was unable to process request. ---> 1001: Invalid Authentication \
             (raised by https://api.nmbrs.nl/soap/v3/EmployeeService.asmx)"
        );
    }

    #[test]
    fn soap11_fault_code_prefix_declared_on_the_code_and_dotted_codes() {
        let doc = r#"<E><B><F>
            <faultcode xmlns:x="http://schemas.xmlsoap.org/soap/envelope/">x:Client.Authentication</faultcode>
            <faultstring>Unable to handle request without a valid action parameter.</faultstring>
            <detail/>
            </F></B></E>"#;
        let f = parse(doc, SoapVersion::V11);
        assert_eq!(f.code, QualifiedName::new(V11, "Client.Authentication"));
        assert!(f.is_client());
        assert_eq!(f.detail.as_deref(), Some(""));
        assert_eq!(f.role, None);
    }

    #[test]
    fn soap11_fault_with_undeclared_prefix_is_kept_leniently() {
        let doc = "<E><B><F><faultcode>q:Oops</faultcode><faultstring>bad</faultstring></F></B></E>";
        let f = parse(doc, SoapVersion::V11);
        assert_eq!(f.code, QualifiedName { namespace: None, local: "Oops".into() });
        assert_eq!(f.detail, None);
        assert!(!f.is_client() && !f.is_server());
    }

    #[test]
    fn soap12_fault_with_subcodes_and_detail() {
        let doc = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:dz="http://svc.datazoo.co.nz">
          <env:Body><env:Fault>
            <env:Code><env:Value>env:Sender</env:Value>
              <env:Subcode><env:Value>dz:InvalidToken</env:Value>
                <env:Subcode><env:Value xmlns:q="urn:q">q:Expired</env:Value></env:Subcode>
              </env:Subcode>
            </env:Code>
            <env:Reason><env:Text xml:lang="en-US">Invalid Token</env:Text><env:Text xml:lang="nl">Ongeldig</env:Text></env:Reason>
            <env:Node>http://svc.datazoo.co.nz/node</env:Node>
            <env:Role>http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver</env:Role>
            <env:Detail><dz:Reason>superseded</dz:Reason></env:Detail>
          </env:Fault></env:Body></env:Envelope>"#;
        let f = parse(doc, SoapVersion::V12);
        assert_eq!(f.version, SoapVersion::V12);
        assert_eq!(f.code, QualifiedName::new(V12, "Sender"));
        assert_eq!(
            f.subcodes,
            vec![
                QualifiedName::new("http://svc.datazoo.co.nz", "InvalidToken"),
                QualifiedName::new("urn:q", "Expired")
            ]
        );
        assert!(f.is_client() && f.has_subcode("InvalidToken"));
        assert_eq!(f.reason, "Invalid Token");
        assert_eq!(f.reason_lang.as_deref(), Some("en-US"));
        assert_eq!(f.node.as_deref(), Some("http://svc.datazoo.co.nz/node"));
        assert_eq!(f.role.as_deref(), Some("http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"));
        assert_eq!(f.detail.as_deref(), Some("<dz:Reason>superseded</dz:Reason>"));
        assert!(f
            .to_string()
            .starts_with("Sender/{http://svc.datazoo.co.nz}InvalidToken/{urn:q}Expired: Invalid Token"));
    }

    #[test]
    fn soap12_receiver_is_server() {
        let doc = r#"<E xmlns:s="http://www.w3.org/2003/05/soap-envelope"><B><F><s:Code><s:Value>s:Receiver</s:Value></s:Code><s:Reason><s:Text>down</s:Text></s:Reason></F></B></E>"#;
        let f = parse(doc, SoapVersion::V12);
        assert!(f.is_server());
        assert_eq!(f.to_string(), "Receiver: down");
    }

    #[test]
    fn fault_text_with_markup_is_a_contract_error() {
        let doc = "<E><B><F><faultstring>a<b/>c</faultstring></F></B></E>";
        let mut r = XmlReader::from_text(doc);
        r.root().unwrap();
        r.next_child("").unwrap().unwrap();
        r.next_child("").unwrap().unwrap();
        let err = read_fault(&mut r, SoapVersion::V11).unwrap_err();
        assert!(err.to_string().contains("faultstring"), "{err}");
    }
}
