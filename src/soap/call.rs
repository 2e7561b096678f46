//! The seam between generated service stubs and whoever sends the calls.

use std::future::Future;

use super::xml::{DeError, Element, HeaderEntries, NoHeader};
use super::{CallContext, Client, Endpoint, Error, Operation, SoapVersion};

/// Sends operations: implemented by the API layers (Nmbrs, Data Zoo) and by [`PlainCaller`].
///
/// Generated service clients are thin structs over a `Call`; every cross-cutting concern —
/// endpoint, SOAP version, authentication headers, retries, error mapping — lives in the
/// implementation, in one place, not in each method.
///
/// An implementation gets the header for `op` with `H::provide(self, op)` (see
/// [`ProvidedBy`]), which calls its [`ProvideHeader<H>`] implementation.
pub trait Call: Send + Sync {
    /// The error calls return.
    type Error: From<super::Error> + Send;

    /// Sends `body` as operation `op` with the header `Self` provides, and reads the reply.
    ///
    /// Generated methods call it as `caller.call::<H, Req, Resp>(&OP, &body)` under the bound
    /// `C: ProvideHeader<H>`, which implies `H: ProvidedBy<C>`.
    fn call<H, Req, Resp>(
        &self,
        op: &'static Operation,
        body: &Req,
    ) -> impl Future<Output = Result<Resp, Self::Error>> + Send
    where
        H: ProvidedBy<Self> + HeaderEntries + Send + Sync,
        Req: Element + Sync,
        Resp: Element + Send;
}

/// The result of a wrapped operation's reply, or [`Error::Contract`] naming the missing element
/// by its `path` (`Order_GetResponse/Order_GetResult`).
///
/// Generated methods return a complex-type result itself where ASMX marks it `minOccurs="0"` (it
/// does so for every reference type, which says nothing about the operation); a reply without
/// it is an error of the reply.
pub fn reply_result<T, E: From<Error>>(value: Option<T>, path: &'static str) -> Result<T, E> {
    value.ok_or_else(|| {
        let error = match path.rsplit_once('/') {
            Some((reply, result)) => DeError::missing(result).within(reply),
            None => DeError::missing(path),
        };
        Error::from(error).into()
    })
}

/// Supplies the header an operation declares, as its generated type.
///
/// A generated method whose operation declares header `H` requires `C: ProvideHeader<H>`, so an
/// operation that declares `AuthHeader` cannot be sent with `AuthHeaderWithDomain` by mistake.
/// Every [`Call`] implementation provides [`NoHeader`].
pub trait ProvideHeader<H>: Call {
    /// The header to send with `op`.
    fn header(&self, op: &'static Operation) -> impl Future<Output = Result<H, Self::Error>> + Send;
}

/// A header type that caller `C` can provide: implemented for every `H` with
/// `C: ProvideHeader<H>`; implement [`ProvideHeader`], not this trait.
///
/// [`Call::call`] is bounded by `H: ProvidedBy<Self>` rather than `Self: ProvideHeader<H>`: the
/// latter would put `Self: Call` among the method's assumptions, after which the compiler no
/// longer sees what `Self::Error` is, and no implementation of `call` would type-check.
pub trait ProvidedBy<C: Call + ?Sized>: Sized {
    /// The header `caller` sends with `op`.
    fn provide(caller: &C, op: &'static Operation) -> impl Future<Output = Result<Self, C::Error>> + Send;
}

impl<C: ProvideHeader<H> + ?Sized, H> ProvidedBy<C> for H {
    fn provide(caller: &C, op: &'static Operation) -> impl Future<Output = Result<Self, C::Error>> + Send {
        caller.header(op)
    }
}

/// Every caller can send operations that declare no header.
impl<C: Call> ProvideHeader<NoHeader> for C {
    fn header(&self, _op: &'static Operation) -> impl Future<Output = Result<NoHeader, Self::Error>> + Send {
        std::future::ready(Ok(NoHeader))
    }
}

/// A ready-made [`Call`]: one endpoint, one SOAP version and a fixed header value.
///
/// Use it for services without an API layer of their own, or to talk to a test double. A
/// `PlainCaller<H>` sends operations declaring header `H` (with a clone of its header value)
/// and operations declaring no header; errors are [`Error`] unchanged.
///
/// ```no_run
/// # use soapbind::soap::xml::{Element, ReadXml, WriteXml, XmlReader, XmlWriter, DeError};
/// # #[derive(Clone)] struct AuthHeader;
/// # impl WriteXml for AuthHeader { fn write_xml(&self, w: &mut XmlWriter, n: &str, ns: &'static str) { w.start(n, ns); w.end_start(); w.end(n); } }
/// # impl ReadXml for AuthHeader { fn read_xml(r: &mut XmlReader<'_>, s: &quick_xml::events::BytesStart<'_>) -> Result<Self, DeError> { r.skip(s)?; Ok(AuthHeader) } }
/// # impl Element for AuthHeader { const NAME: &'static str = "AuthHeader"; const NAMESPACE: &'static str = "urn:x"; }
/// # type Ping = AuthHeader; type Pong = AuthHeader;
/// # static PING: Operation = Operation { service: "S", name: "Ping", namespace: "urn:x",
/// #     soap11_action: Some("urn:x/Ping"), soap12_action: None, header: Some("AuthHeader"), documentation: "" };
/// use soapbind::soap::{Call, Client, Endpoint, Operation, PlainCaller, SoapVersion};
///
/// # async fn run() -> Result<(), soapbind::soap::Error> {
/// let endpoint = Endpoint::new("https://example.com/Service.asmx")?;
/// let caller = PlainCaller::new(Client::new()?, endpoint, SoapVersion::V11).with_header(AuthHeader);
/// let reply: Pong = caller.call::<AuthHeader, Ping, Pong>(&PING, &Ping {}).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PlainCaller<H = NoHeader> {
    client: Client,
    endpoint: Endpoint,
    version: SoapVersion,
    header: H,
    context: CallContext,
}

/// Prints everything but the header value, which may hold credentials.
impl<H> std::fmt::Debug for PlainCaller<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlainCaller")
            .field("client", &self.client)
            .field("endpoint", &self.endpoint)
            .field("version", &self.version)
            .field("header", &std::any::type_name::<H>())
            .field("context", &self.context)
            .finish()
    }
}

impl PlainCaller<NoHeader> {
    /// A caller without a header, with the context `CallContext::new("soap")`.
    pub fn new(client: Client, endpoint: Endpoint, version: SoapVersion) -> Self {
        Self { client, endpoint, version, header: NoHeader, context: CallContext::new("soap") }
    }
}

impl<H> PlainCaller<H> {
    /// The same caller sending `header` with operations that declare a header of type `H2`.
    pub fn with_header<H2>(self, header: H2) -> PlainCaller<H2> {
        PlainCaller {
            client: self.client,
            endpoint: self.endpoint,
            version: self.version,
            header,
            context: self.context,
        }
    }

    /// Replaces the call context (API name for tracing, secrets to redact, timeout).
    pub fn with_context(mut self, context: CallContext) -> Self {
        self.context = context;
        self
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The SOAP version.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The header value.
    pub fn header_value(&self) -> &H {
        &self.header
    }

    /// The call context.
    pub fn context(&self) -> &CallContext {
        &self.context
    }
}

impl<H: Send + Sync> Call for PlainCaller<H> {
    type Error = Error;

    async fn call<H2, Req, Resp>(&self, op: &'static Operation, body: &Req) -> Result<Resp, Error>
    where
        H2: ProvidedBy<Self> + HeaderEntries + Send + Sync,
        Req: Element + Sync,
        Resp: Element + Send,
    {
        let header = H2::provide(self, op).await?;
        self.client.call(&self.endpoint, self.version, op, &header, body, &self.context).await
    }
}

impl<H: Element + Clone + Send + Sync> ProvideHeader<H> for PlainCaller<H> {
    fn header(&self, _op: &'static Operation) -> impl Future<Output = Result<H, Error>> + Send {
        std::future::ready(Ok(self.header.clone()))
    }
}
