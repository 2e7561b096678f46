//! What the generated bindings know about each operation.

/// A SOAP protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml` and a `SOAPAction` HTTP header.
    #[default]
    V11,
    /// SOAP 1.2: `application/soap+xml` with an `action` parameter.
    V12,
}

impl SoapVersion {
    /// The envelope namespace of this version.
    pub const fn envelope_namespace(self) -> &'static str {
        match self {
            SoapVersion::V11 => "http://schemas.xmlsoap.org/soap/envelope/",
            SoapVersion::V12 => "http://www.w3.org/2003/05/soap-envelope",
        }
    }

    /// `"1.1"` or `"1.2"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SoapVersion::V11 => "1.1",
            SoapVersion::V12 => "1.2",
        }
    }
}

/// One operation of a service, as its WSDL binding describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The WSDL service name, e.g. `EmployeeService`.
    pub service: &'static str,
    /// The operation name, e.g. `List_GetByCompany`.
    pub name: &'static str,
    /// The namespace of the request and reply body elements.
    pub namespace: &'static str,
    /// The SOAPAction of the SOAP 1.1 binding, if the service has one.
    pub soap11_action: Option<&'static str>,
    /// The action of the SOAP 1.2 binding, if the service has one.
    pub soap12_action: Option<&'static str>,
    /// The local name of the header element the operation declares, if any.
    pub header: Option<&'static str>,
    /// The operation's documentation from the WSDL.
    pub documentation: &'static str,
}

impl Operation {
    /// The action to send for `version`, or `None` when the WSDL has no binding of that version.
    pub fn action(&self, version: SoapVersion) -> Option<&'static str> {
        match version {
            SoapVersion::V11 => self.soap11_action,
            SoapVersion::V12 => self.soap12_action,
        }
    }

    /// Whether the WSDL binds this operation for `version`.
    pub fn supports(&self, version: SoapVersion) -> bool {
        self.action(version).is_some()
    }
}

/// Work done with one operation's generated request and reply types, the operation being chosen
/// at run time: the generated `operations::visit(name, visitor)` calls [`visit`](Self::visit)
/// with the types of the operation named `name`. A server reads any request with it, and a test
/// can send every operation, without code per operation.
///
/// ```
/// use soapbind::soap::xml::Element;
/// use soapbind::soap::{Operation, OperationVisitor};
///
/// /// The XML name of an operation's request element.
/// struct RequestElement;
///
/// impl OperationVisitor for RequestElement {
///     type Output = &'static str;
///     fn visit<Req, Resp>(self, _op: &'static Operation) -> &'static str
///     where
///         Req: Element + Default + Send + Sync + 'static,
///         Resp: Element + Default + Send + 'static,
///     {
///         Req::NAME
///     }
/// }
///
/// # #[cfg(feature = "nmbrs")] {
/// use soapbind::nmbrs::generated::company_service::operations;
/// assert_eq!(operations::visit("List_GetAll", RequestElement), Some("List_GetAll"));
/// assert_eq!(operations::visit("No_Such_Operation", RequestElement), None);
/// # }
/// ```
pub trait OperationVisitor {
    /// What a visit returns.
    type Output;

    /// Called with the operation's descriptor, its request type `Req` and its reply type `Resp`.
    fn visit<Req, Resp>(self, op: &'static Operation) -> Self::Output
    where
        Req: super::xml::Element + Default + Send + Sync + 'static,
        Resp: super::xml::Element + Default + Send + 'static;
}
