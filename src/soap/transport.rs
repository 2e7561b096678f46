//! The HTTP transport: endpoints, the client, and one SOAP exchange with its tracing.

use std::borrow::Cow;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use tracing::{field, Instrument as _, Level};

use super::envelope::{self, ResponseBody};
use super::error::BoxError;
use super::redact::{self, redact_elements, redact_forms};
use super::xml::{DeErrorKind, Element, HeaderEntries};
use super::{Error, Operation, Secret, SoapVersion};

/// The `User-Agent` every request carries: `soapbind/<crate version>`.
pub const USER_AGENT: &str = concat!("soapbind/", env!("CARGO_PKG_VERSION"));

/// The default limit on the size of a reply body (after decompression): 32 MiB.
pub const DEFAULT_MAX_REPLY_BYTES: u64 = 32 * 1024 * 1024;

/// The default connect timeout: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default per-call timeout (connecting, sending and reading the whole reply): 120 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// The longest excerpt of a non-SOAP body kept in an error, in characters.
const EXCERPT_CHARS: usize = 200;

// ---------------------------------------------------------------------------------------------
// Endpoint

/// A validated service URL.
///
/// Only `https://` URLs are accepted, except plain `http://` to the local machine (`127.0.0.0/8`,
/// `::1`, `localhost`) for tests and local test doubles. URLs with user info (`user:pass@`) are
/// refused, so no credential can end up in a log line that prints the endpoint.
///
/// ```
/// use soapbind::soap::{Endpoint, Error};
///
/// let base = Endpoint::new("https://api.nmbrs.nl/soap/v3/")?;
/// let service = base.join("EmployeeService.asmx")?;
/// assert_eq!(service.as_str(), "https://api.nmbrs.nl/soap/v3/EmployeeService.asmx");
/// assert_eq!(service.host(), "api.nmbrs.nl");
///
/// assert!(Endpoint::new("http://127.0.0.1:8080/svc").is_ok());
/// assert!(matches!(Endpoint::new("http://api.nmbrs.nl/soap/v3/"), Err(Error::InsecureUrl { .. })));
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    url: reqwest::Url,
}

impl Endpoint {
    /// Parses and validates `url`.
    ///
    /// # Errors
    /// [`Error::InvalidEndpoint`] when it does not parse, is not http(s), has no host or carries
    /// user info; [`Error::InsecureUrl`] for plain http to a host that is not loopback.
    pub fn new(url: impl Into<String>) -> Result<Self, Error> {
        let url = url.into();
        let url = url.as_str();
        let invalid = |reason: &str| Error::InvalidEndpoint { url: shorten(url, 200), reason: reason.to_owned() };
        let mut parsed = reqwest::Url::parse(url.trim()).map_err(|e| invalid(&e.to_string()))?;
        Self::check(&mut parsed, url)?;
        Ok(Self { url: parsed })
    }

    fn check(url: &mut reqwest::Url, given: &str) -> Result<(), Error> {
        let invalid = |reason: &str| Error::InvalidEndpoint { url: shorten(given, 200), reason: reason.to_owned() };
        if !url.username().is_empty() || url.password().is_some() {
            // Do not echo the credentials back.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            return Err(Error::InvalidEndpoint {
                url: url.to_string(),
                reason: "credentials in the URL are not supported (they would end up in logs)".into(),
            });
        }
        url.set_fragment(None);
        let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
            return Err(invalid("the URL has no host"));
        };
        match url.scheme() {
            "https" => Ok(()),
            "http" if is_loopback_host(host) => Ok(()),
            "http" => Err(Error::InsecureUrl { url: url.to_string() }),
            other => Err(invalid(&format!("scheme `{other}` is not supported; use https"))),
        }
    }

    /// Resolves `relative` against this URL (as a browser would: `base/` + `Service.asmx`).
    ///
    /// # Errors
    /// As [`Endpoint::new`], for the resulting URL.
    pub fn join(&self, relative: &str) -> Result<Self, Error> {
        let mut url = self.url.join(relative).map_err(|e| Error::InvalidEndpoint {
            url: shorten(relative, 200),
            reason: format!("cannot be joined to {}: {e}", self.url),
        })?;
        Self::check(&mut url, relative)?;
        Ok(Self { url })
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The host name or IP address.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// Whether the host is the local machine.
    pub fn is_loopback(&self) -> bool {
        is_loopback_host(self.host())
    }
}

fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return Ipv6Addr::from_str(v6)
            .is_ok_and(|ip| ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()));
    }
    Ipv4Addr::from_str(host).is_ok_and(|ip| ip.is_loopback())
}

impl FromStr for Endpoint {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::new(s)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url.as_str())
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Endpoint({})", self.url.as_str())
    }
}

fn shorten(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// CallContext

/// What a call carries besides the request: the API's name for tracing, the secrets to keep
/// out of logs, and an optional per-call timeout.
///
/// Secrets are replaced by `***` in the traced envelopes (as written and XML-escaped), in error
/// excerpts and in fault texts. Elements marked with
/// [`with_secret_element`](CallContext::with_secret_element) have their text content replaced
/// in the traced request *and* reply envelopes — useful for a token that a reply hands out.
///
/// ```
/// use soapbind::soap::{CallContext, Secret};
///
/// let token = Secret::new("c0ffee");
/// let ctx = CallContext::new("nmbrs").with_secret(token.clone()).with_secret_element("Password");
/// assert_eq!(ctx.redact("<Token>c0ffee</Token><Password>pw</Password>"), "<Token>***</Token><Password>***</Password>");
/// assert!(!format!("{ctx:?}").contains("c0ffee"));
/// ```
#[derive(Clone, Default)]
pub struct CallContext {
    api: &'static str,
    secrets: Vec<Secret>,
    /// Every spelling of every secret (see [`redact::forms`]), kept up to date with `secrets`.
    forms: Arc<[String]>,
    secret_elements: Vec<Cow<'static, str>>,
    timeout: Option<Duration>,
}

impl fmt::Debug for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallContext")
            .field("api", &self.api)
            .field("secrets", &self.secrets)
            .field("secret_elements", &self.secret_elements)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl CallContext {
    /// A context for calls of API `api` (`"nmbrs"`, `"datazoo"`, …).
    pub fn new(api: &'static str) -> Self {
        Self { api, ..Self::default() }
    }

    /// Adds a secret to redact.
    pub fn with_secret(mut self, secret: Secret) -> Self {
        self.add_secret(secret);
        self
    }

    /// Adds a secret to redact.
    pub fn add_secret(&mut self, secret: Secret) {
        if !secret.is_empty() && !self.secrets.contains(&secret) {
            self.secrets.push(secret);
            self.forms = redact::forms(&self.secrets).into();
        }
    }

    /// Marks elements with local name `local_name` (in any namespace) as holding a secret.
    pub fn with_secret_element(mut self, local_name: impl Into<Cow<'static, str>>) -> Self {
        let name = local_name.into();
        if !self.secret_elements.contains(&name) {
            self.secret_elements.push(name);
        }
        self
    }

    /// Sets a timeout for calls with this context, replacing the client's per-call timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The API name.
    pub fn api(&self) -> &'static str {
        self.api
    }

    /// The per-call timeout, if set.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// `text` with marked elements' content and every secret replaced by `***`, in every
    /// spelling: as is, XML/HTML-escaped (named, decimal or hexadecimal references),
    /// JSON-escaped and percent-encoded. Linear in the length of `text`.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match redact_elements(text, &self.secret_elements) {
            Cow::Borrowed(t) => redact_forms(t, &self.forms),
            Cow::Owned(t) => Cow::Owned(redact_forms(&t, &self.forms).into_owned()),
        }
    }

    /// `text` taken from the wire, for an error message: secrets redacted, at most
    /// [`MAX_WIRE_TEXT`](redact::MAX_WIRE_TEXT) bytes, with how much was cut.
    pub(crate) fn wire_text(&self, text: &str) -> String {
        redact::bounded(&redact_forms(text, &self.forms), redact::MAX_WIRE_TEXT).into_owned()
    }

    /// The start of a non-SOAP body as readable text, redacted after every decoding step.
    pub(crate) fn excerpt(&self, body: &[u8], max_chars: usize) -> String {
        redact::excerpt(body, |t| self.redact(t), &self.forms, max_chars)
    }
}

// ---------------------------------------------------------------------------------------------
// Client

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use soapbind::soap::Client;
///
/// let client = Client::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(60))
///     .max_reply_bytes(8 * 1024 * 1024)
///     .build()?;
/// assert_eq!(client.max_reply_bytes(), 8 * 1024 * 1024);
/// # Ok::<(), soapbind::soap::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    gzip: bool,
    max_reply_bytes: u64,
    proxies: Vec<reqwest::Proxy>,
    no_proxy: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            gzip: true,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            proxies: Vec::new(),
            no_proxy: false,
        }
    }
}

impl ClientBuilder {
    /// The limit for establishing a connection (TCP and TLS). Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit for a whole call, from connecting to the last byte of the reply. Default 120 s;
    /// a [`CallContext`] may set another one per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Whether to ask for gzip-compressed replies and decompress them. Default on.
    pub fn gzip(mut self, enable: bool) -> Self {
        self.gzip = enable;
        self
    }

    /// The largest reply body accepted, in bytes after decompression. Default 32 MiB. A larger
    /// reply fails with [`Error::TooLarge`] as soon as the limit is passed.
    pub fn max_reply_bytes(mut self, limit: u64) -> Self {
        self.max_reply_bytes = limit;
        self
    }

    /// Sends requests through `proxy`. Without any, the system proxy settings (`HTTPS_PROXY`,
    /// `HTTP_PROXY`, `NO_PROXY`, …) apply, as in reqwest.
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        self.proxies.push(proxy);
        self
    }

    /// Uses no proxy at all, ignoring the system settings.
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`Error::BuildRequest`] when the HTTP stack cannot be set up (e.g. TLS initialisation).
    pub fn build(self) -> Result<Client, Error> {
        let mut http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .gzip(self.gzip)
            // A redirect could carry the credentials in the body elsewhere, even to plain http.
            .redirect(reqwest::redirect::Policy::none());
        if self.no_proxy {
            http = http.no_proxy();
        }
        for proxy in self.proxies {
            http = http.proxy(proxy);
        }
        let http = http.build().map_err(|e| Error::BuildRequest { what: "client", source: Box::new(e) })?;
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                max_reply_bytes: self.max_reply_bytes,
                connect_timeout: self.connect_timeout,
                timeout: self.timeout,
            }),
        })
    }
}

/// An HTTP client for SOAP calls.
///
/// Cheap to clone: clones share one connection pool and configuration. Build one per
/// application with [`Client::builder`] and hand clones to the API layers.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    max_reply_bytes: u64,
    connect_timeout: Duration,
    timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("max_reply_bytes", &self.inner.max_reply_bytes)
            .field("connect_timeout", &self.inner.connect_timeout)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with the defaults.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// The largest reply body accepted, in bytes.
    pub fn max_reply_bytes(&self) -> u64 {
        self.inner.max_reply_bytes
    }

    /// Serializes `body` and sends it; see [`send`](Client::send).
    ///
    /// # Errors
    /// As [`send`](Client::send).
    pub async fn call<H, Req, Resp>(
        &self,
        endpoint: &Endpoint,
        version: SoapVersion,
        op: &'static Operation,
        header: &H,
        body: &Req,
        ctx: &CallContext,
    ) -> Result<Resp, Error>
    where
        H: HeaderEntries + ?Sized,
        Req: Element,
        Resp: Element,
    {
        let body_xml = envelope::body_xml(body);
        self.send(endpoint, version, op, header, &body_xml, ctx).await
    }

    /// Sends one call: wraps `header` and the serialized body (see
    /// [`envelope::body_xml`](super::envelope::body_xml)) in an envelope of `version`, posts it
    /// to `endpoint` with the operation's action, and reads the reply into `Resp`.
    ///
    /// The call runs in a `soap.call` tracing span with the fields `api`, `service`,
    /// `operation`, `soap_version`, `endpoint` (the host), `http_status`, `duration_ms` and
    /// `reply_bytes`; the request and reply envelopes are logged at TRACE level with the
    /// secrets of `ctx` replaced by `***`.
    ///
    /// A fault is recognised with any HTTP status. A successful status with a body that is not
    /// XML gives [`Error::UnexpectedContentType`]; an error status with a body that is not a SOAP
    /// envelope gives [`Error::HttpStatus`]. Redirects are not followed.
    ///
    /// # Errors
    /// Any [`Error`] variant but the endpoint ones; see [`Error::is_retryable`].
    pub async fn send<H, Resp>(
        &self,
        endpoint: &Endpoint,
        version: SoapVersion,
        op: &'static Operation,
        header: &H,
        body_xml: &str,
        ctx: &CallContext,
    ) -> Result<Resp, Error>
    where
        H: HeaderEntries + ?Sized,
        Resp: Element,
    {
        let span = tracing::info_span!(
            "soap.call",
            api = ctx.api(),
            service = op.service,
            operation = op.name,
            soap_version = version.as_str(),
            endpoint = endpoint.host(),
            http_status = field::Empty,
            duration_ms = field::Empty,
            reply_bytes = field::Empty,
        );
        let started = Instant::now();
        let envelope = envelope::write_request(version, header, body_xml);
        let result = match check_characters(&envelope) {
            Ok(()) => self.exchange::<Resp>(endpoint, version, op, envelope, ctx).instrument(span.clone()).await,
            Err(e) => Err(e),
        };
        let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("duration_ms", elapsed);
        span.in_scope(|| match &result {
            Ok(_) => tracing::debug!("soap call succeeded"),
            Err(e) => tracing::debug!(error = %e, retryable = e.is_retryable(), "soap call failed"),
        });
        result
    }

    async fn exchange<Resp: Element>(
        &self,
        endpoint: &Endpoint,
        version: SoapVersion,
        op: &'static Operation,
        envelope: String,
        ctx: &CallContext,
    ) -> Result<Resp, Error> {
        let started = Instant::now();
        let action =
            op.action(version).ok_or(Error::UnsupportedVersion { service: op.service, operation: op.name, version })?;
        let build_err = |e: BoxError| Error::BuildRequest { what: "request", source: e };
        let content_type = match version {
            SoapVersion::V11 => HeaderValue::from_static("text/xml; charset=utf-8"),
            SoapVersion::V12 => {
                HeaderValue::from_str(&format!("application/soap+xml; charset=utf-8; action=\"{action}\""))
                    .map_err(|e| build_err(Box::new(e)))?
            }
        };
        let mut request = self.inner.http.post(endpoint.url.clone()).header(CONTENT_TYPE, content_type);
        if version == SoapVersion::V11 {
            let soap_action = HeaderValue::from_str(&format!("\"{action}\"")).map_err(|e| build_err(Box::new(e)))?;
            request = request.header("SOAPAction", soap_action);
        }
        if let Some(timeout) = ctx.timeout {
            request = request.timeout(timeout);
        }
        if tracing::enabled!(Level::TRACE) {
            // Debug-formatted: a line break in a value cannot start a forged log line.
            tracing::trace!(envelope = ?ctx.redact(&envelope), "soap request");
        }
        let request = request.body(envelope).build().map_err(|e| build_err(Box::new(e)))?;

        let mut response =
            self.inner.http.execute(request).await.map_err(|e| self.transport_error(e, endpoint, ctx, 0))?;
        let status = response.status().as_u16();
        let span = tracing::Span::current();
        span.record("http_status", status);
        let header_text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let content_type = header_text(CONTENT_TYPE);
        let location = header_text(LOCATION);
        let declared_length = header_text(CONTENT_LENGTH).and_then(|v| v.trim().parse::<u64>().ok());
        let retry_after = header_text(RETRY_AFTER).and_then(|v| super::parse_retry_after(&v, SystemTime::now()));

        let body = self.read_body(&mut response, declared_length, endpoint, ctx).await?;
        drop(response);
        span.record("reply_bytes", body.len() as u64);
        if tracing::enabled!(Level::TRACE) {
            tracing::trace!(envelope = ?ctx.redact(&String::from_utf8_lossy(&body)), "soap reply");
        }
        // Reading the reply counts towards the call's timeout too.
        let limit = ctx.timeout.unwrap_or(self.inner.timeout);
        match interpret::<Resp>(status, content_type, location.as_deref(), &body, op, ctx, started + limit) {
            Err(Error::Contract(e)) if *e.kind() == DeErrorKind::OutOfTime => {
                Err(Error::Timeout { host: endpoint.host().to_owned(), limit, connecting: false })
            }
            result => result.map_err(|e| with_retry_after(e, retry_after)),
        }
    }

    /// Reads the reply body, enforcing the size limit while reading.
    async fn read_body(
        &self,
        response: &mut reqwest::Response,
        declared_length: Option<u64>,
        endpoint: &Endpoint,
        ctx: &CallContext,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.inner.max_reply_bytes;
        let declared = response.content_length().or(declared_length);
        if declared.is_some_and(|len| len > limit) {
            return Err(Error::TooLarge { limit });
        }
        let initial = declared.unwrap_or(16 * 1024).min(limit).min(4 * 1024 * 1024);
        let mut body = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > limit {
                        // Returning drops the response, which closes the connection mid-body.
                        return Err(Error::TooLarge { limit });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => return Err(self.transport_error(e, endpoint, ctx, body.len() as u64)),
            }
        }
    }

    fn transport_error(&self, e: reqwest::Error, endpoint: &Endpoint, ctx: &CallContext, received: u64) -> Error {
        let host = endpoint.host().to_owned();
        if e.is_timeout() {
            let connecting = e.is_connect();
            let limit = if connecting { self.inner.connect_timeout } else { ctx.timeout.unwrap_or(self.inner.timeout) };
            return Error::Timeout { host, limit, connecting };
        }
        if e.is_builder() {
            return Error::BuildRequest { what: "request", source: Box::new(e) };
        }
        let source: BoxError = Box::new(Cause::of(&e));
        if is_protocol_violation(&e) {
            return Error::Protocol { host, source };
        }
        if e.is_connect() {
            Error::Connect { host, source }
        } else {
            Error::Interrupted { host, received, source }
        }
    }
}

/// Whether the HTTP stack refused the reply as malformed HTTP (such as a response head larger
/// than it accepts), rather than losing the connection.
fn is_protocol_violation(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if let Some(h) = s.downcast_ref::<hyper::Error>() {
            // Every malformed response head, too large ones included (`is_parse_too_large`
            // exists only with hyper's server feature).
            return h.is_parse();
        }
        source = s.source();
    }
    false
}

/// Refuses a request holding a character XML 1.0 does not allow, naming the element it is in.
pub(crate) fn check_characters(xml: &str) -> Result<(), Error> {
    match super::xml::illegal_char(xml) {
        None => Ok(()),
        Some((at, character)) => Err(Error::IllegalCharacter { path: super::xml::element_path_at(xml, at), character }),
    }
}

/// The chain of causes of a transport error, as one message (reqwest's own message alone says
/// little more than "error sending request").
#[derive(Debug)]
struct Cause(String);

impl Cause {
    fn of(e: &(dyn std::error::Error + 'static)) -> Self {
        Cause(cause_chain(e))
    }
}

/// A transport error's chain of causes as one message, each cause once; reqwest's own summary
/// (which says little more than "error sending request" and the URL) is left out when there are
/// causes, since they matter more.
pub(crate) fn cause_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.len() > 1 {
        parts.remove(0);
    }
    parts.join(": ")
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Cause {}

/// Turns a complete reply into the typed reply or the right error.
fn interpret<Resp: Element>(
    status: u16,
    content_type: Option<String>,
    location: Option<&str>,
    body: &[u8],
    op: &'static Operation,
    ctx: &CallContext,
    deadline: Instant,
) -> Result<Resp, Error> {
    let success = (200..300).contains(&status);
    let excerpt = || match location {
        Some(location) if (300..400).contains(&status) => format!("redirect to {}", shorten(location, 160)),
        _ => excerpt(body, ctx),
    };
    if success && body.iter().all(u8::is_ascii_whitespace) {
        if let Some(accepted) = Resp::empty_reply() {
            return Ok(accepted);
        }
    }
    let xml = content_type.as_deref().is_none_or(is_xml_content_type);
    if !xml {
        return Err(if success {
            Error::UnexpectedContentType { status, content_type, excerpt: excerpt() }
        } else {
            Error::HttpStatus { status, content_type, excerpt: excerpt(), retry_after: None }
        });
    }
    match envelope::read_response_until::<Resp>(body, Some(deadline)) {
        Ok(env) => match env.body {
            ResponseBody::Fault(mut fault) => {
                fault.reason = ctx.wire_text(&fault.reason);
                if let Some(detail) = &mut fault.detail {
                    *detail = ctx.redact(detail).into_owned();
                }
                for text in fault.role.iter_mut().chain(fault.node.iter_mut()) {
                    *text = ctx.wire_text(text);
                }
                for name in std::iter::once(&mut fault.code).chain(fault.subcodes.iter_mut()) {
                    name.local = ctx.wire_text(&name.local);
                    name.namespace = name.namespace.as_deref().map(|ns| ctx.wire_text(ns));
                }
                Err(Error::Fault { operation: op.name, fault: Box::new(fault) })
            }
            ResponseBody::Reply(reply) if success => Ok(reply),
            ResponseBody::Reply(_) => {
                Err(Error::HttpStatus { status, content_type, excerpt: excerpt(), retry_after: None })
            }
        },
        // An error status with a body that is not a SOAP envelope: the status says more.
        Err(_) if !success => Err(Error::HttpStatus { status, content_type, excerpt: excerpt(), retry_after: None }),
        Err(e) => Err(Error::from_de(e)),
    }
}

/// `e` with the reply's `Retry-After`, when it is an HTTP status error.
fn with_retry_after(mut e: Error, asked: Option<Duration>) -> Error {
    if let Error::HttpStatus { retry_after, .. } = &mut e {
        *retry_after = asked;
    }
    e
}

/// Whether a `Content-Type` is an XML media type.
fn is_xml_content_type(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    matches!(mime.as_str(), "text/xml" | "application/xml" | "application/soap+xml") || mime.ends_with("+xml")
}

/// The start of a body as readable text (see [`redact::excerpt`]).
fn excerpt(body: &[u8], ctx: &CallContext) -> String {
    ctx.excerpt(body, EXCERPT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in ["localhost", "LOCALHOST", "127.0.0.1", "127.255.0.9", "[::1]", "[::ffff:127.0.0.1]"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["example.com", "localhost.example.com", "128.0.0.1", "[::2]", "10.0.0.1", "127.0.0.1.nip.io"] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn endpoints_are_validated() {
        assert!(Endpoint::new("https://api.nmbrs.nl/soap/v3/DebtorService.asmx").is_ok());
        assert!(Endpoint::new("http://localhost:1234/x").is_ok());
        assert!(Endpoint::new("http://[::1]:1234/x").is_ok());
        assert!(Endpoint::new("http://127.1:1234/x").unwrap().is_loopback());
        assert!(matches!(Endpoint::new("http://example.com/x"), Err(Error::InsecureUrl { .. })));
        assert!(matches!(Endpoint::new("http://localhost.example.com/"), Err(Error::InsecureUrl { .. })));
        assert!(matches!(Endpoint::new("ftp://example.com/"), Err(Error::InvalidEndpoint { .. })));
        assert!(matches!(Endpoint::new("not a url"), Err(Error::InvalidEndpoint { .. })));
        let err = Endpoint::new("https://me:hunter2@example.com/").unwrap_err();
        assert!(matches!(err, Error::InvalidEndpoint { .. }));
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let base = Endpoint::new("http://127.0.0.1:9/soap/v3/").unwrap();
        assert_eq!(
            base.join("CompanyService.asmx").unwrap().as_str(),
            "http://127.0.0.1:9/soap/v3/CompanyService.asmx"
        );
        assert!(matches!(base.join("http://example.com/"), Err(Error::InsecureUrl { .. })));
    }

    #[test]
    fn content_types() {
        for ct in ["text/xml", "text/xml; charset=utf-8", "Application/SOAP+XML; action=\"x\"", "application/xml"] {
            assert!(is_xml_content_type(ct), "{ct}");
        }
        for ct in ["text/html", "text/plain", "application/json", ""] {
            assert!(!is_xml_content_type(ct), "{ct}");
        }
    }

    #[test]
    fn excerpts_are_short_readable_and_redacted() {
        let ctx = CallContext::new("t").with_secret(Secret::new("s3cret"));
        let html = "<html><head><title>502 Bad Gateway</title><style>body { color: red }</style>\
                    <script>var x = '<b>';</script></head><!-- c --><body>\n\n<h1>Bad   Gateway</h1>\
                    <p>token s3cret &amp; more</p></body></html>";
        assert_eq!(excerpt(html.as_bytes(), &ctx), "502 Bad Gateway Bad Gateway token *** & more");
        let long = "word ".repeat(200);
        let e = excerpt(long.as_bytes(), &ctx);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1 && e.ends_with('…'), "{e}");
        assert_eq!(excerpt(b"\xff\xfe<p>x", &ctx), "\u{fffd}\u{fffd} x");
        assert_eq!(excerpt(b"<unclosed", &ctx), "");
    }
}
