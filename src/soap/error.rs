//! The runtime's error type.

use std::time::Duration;

use super::xml::{DeError, DeErrorKind};
use super::{Fault, SoapVersion};

/// A boxed error from the HTTP stack, kept as the `source` of transport errors.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error of a SOAP call.
///
/// Each variant says what went wrong; its message also says what to check. Use
/// [`is_retryable`](Error::is_retryable) to decide whether sending the call again may help.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No connection could be made to the endpoint.
    #[error(
        "could not connect to {host}: {source}; check the endpoint URL, DNS, the network, firewall and proxy settings"
    )]
    Connect {
        /// The endpoint's host.
        host: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// Connecting, or the whole call, took longer than the configured limit.
    #[error(
        "the call to {host} timed out after {}ms while {}; the service may be slow or unreachable — \
         retry later or raise the timeout in the client builder",
        limit.as_millis(),
        if *.connecting { "connecting" } else { "waiting for the reply" }
    )]
    Timeout {
        /// The endpoint's host.
        host: String,
        /// The limit that ran out (connect timeout or per-call timeout).
        limit: Duration,
        /// Whether the connect phase timed out (rather than the call as a whole).
        connecting: bool,
    },

    /// The connection broke after the request was sent, before the whole reply arrived
    /// (connection reset, closed early, or a body shorter than its `Content-Length`).
    #[error(
        "the connection to {host} was lost after {received} bytes of the reply: {source}; \
         a network or server problem — the call may be retried"
    )]
    Interrupted {
        /// The endpoint's host.
        host: String,
        /// Bytes of the reply body received before the connection broke.
        received: u64,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The service answered with an HTTP error status and a body that is not a SOAP envelope
    /// (e.g. an HTML error page from a proxy or load balancer).
    #[error(
        "HTTP status {status} from the service{} with a body that is not a SOAP reply: \"{excerpt}\"; {}",
        content_type.as_deref().map(|ct| format!(" ({ct})")).unwrap_or_default(),
        status_advice(*status)
    )]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// The reply's `Content-Type`, if any.
        content_type: Option<String>,
        /// The start of the body as text: tags stripped, whitespace collapsed, at most about 200
        /// characters, secrets replaced by `***`.
        excerpt: String,
        /// How long the reply's `Retry-After` asks to wait (seconds, or an HTTP date taken
        /// relative to when the reply arrived), if it has a readable one.
        retry_after: Option<Duration>,
    },

    /// The service answered with a SOAP fault (with HTTP 500 or 200).
    #[error("{operation} failed with a SOAP fault: {fault}; {}", fault_advice(fault))]
    Fault {
        /// The operation called.
        operation: &'static str,
        /// The fault.
        fault: Box<Fault>,
    },

    /// The reply is larger than the client accepts; reading stopped at the limit.
    #[error(
        "the reply is larger than the limit of {limit} bytes; reading stopped and the connection was dropped — \
         raise `max_reply_bytes` in the client builder if such replies are expected"
    )]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },

    /// The reply is not a well-formed, safe XML document: not XML, not UTF-8, truncated,
    /// nested too deeply, or carrying a DOCTYPE.
    #[error("the reply cannot be read ({0}); the service or something in between sent a broken or unsafe reply")]
    Malformed(DeError),

    /// The reply is well-formed XML but does not match the contract: a SOAP envelope was
    /// expected, or the body element, or a value inside it, is not what the WSDL says.
    #[error(
        "the reply does not match the contract: {0}; check that the endpoint serves this service and that the \
         bindings were generated from its current WSDL"
    )]
    Contract(DeError),

    /// A successful HTTP status, but a reply that is not XML (e.g. `text/html` from a login page
    /// or captive portal).
    #[error(
        "HTTP status {status} with content type {} instead of a SOAP (XML) reply: \"{excerpt}\"; \
         check the endpoint URL and any proxy in between",
        content_type.as_deref().unwrap_or("(none)")
    )]
    UnexpectedContentType {
        /// The HTTP status code.
        status: u16,
        /// The reply's `Content-Type`, if any.
        content_type: Option<String>,
        /// The start of the body as text (as in [`Error::HttpStatus`]).
        excerpt: String,
    },

    /// A plain `http://` URL to a host that is not the local machine: refused before connecting.
    #[error(
        "refusing to send to {url}: plain http is only allowed for loopback hosts \
         (127.0.0.0/8, ::1, localhost); use an https:// URL"
    )]
    InsecureUrl {
        /// The URL refused.
        url: String,
    },

    /// The endpoint URL is not usable.
    #[error("invalid endpoint URL {url:?}: {reason}")]
    InvalidEndpoint {
        /// The URL given (with any user info removed).
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The operation has no binding for the SOAP version the caller uses.
    #[error(
        "{service}.{operation} has no SOAP {} binding in its WSDL; call it with the other SOAP version",
        version.as_str()
    )]
    UnsupportedVersion {
        /// The service.
        service: &'static str,
        /// The operation.
        operation: &'static str,
        /// The version asked for.
        version: SoapVersion,
    },

    /// Waiting for the rate limit failed (a shared limiter's Redis is unreachable or refused
    /// the script); the call was not sent.
    #[error(transparent)]
    RateLimit(#[from] super::LimitError),

    /// A request value holds a character XML 1.0 does not allow (U+0000–U+0008, U+000B, U+000C,
    /// U+000E–U+001F, U+FFFE, U+FFFF): refused before sending, since a service would reject the
    /// malformed request with an unrelated error. No request was sent.
    #[error(
        "the request was not sent: `{path}` holds the character U+{:04X}, which XML 1.0 does not allow \
         (not even escaped); remove or replace it",
        *character as u32
    )]
    IllegalCharacter {
        /// The elements down to the value, outermost first (`Envelope/Body/…/FirstName`).
        path: String,
        /// The character refused.
        character: char,
    },

    /// The service broke the HTTP protocol (e.g. a response head larger than the HTTP client
    /// accepts); sending the call again will not help.
    #[error(
        "the service at {host} broke the HTTP protocol: {source}; check the endpoint URL and any proxy in between"
    )]
    Protocol {
        /// The endpoint's host.
        host: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The HTTP client or request could not be built (invalid header value, TLS backend failure…).
    #[error("could not build the HTTP {what}: {source}")]
    BuildRequest {
        /// What could not be built.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: BoxError,
    },
}

fn status_advice(status: u16) -> &'static str {
    match status {
        300..=399 => "the endpoint redirects (redirects are not followed); update the endpoint URL",
        401 | 403 => "access was refused before reaching the SOAP service; check credentials, IP allow-lists and proxy",
        404 => "check the endpoint URL (service path and .asmx file name)",
        429 => "too many calls: the service asks to slow down (see the rate limit and retry policy of the client)",
        405 | 415 => "check the endpoint URL and the SOAP version the service expects",
        502..=504 => "a gateway or the service is unavailable; retry later",
        500..=599 => "the service failed; retry later or contact the service provider",
        _ => "check the endpoint URL and the request",
    }
}

fn fault_advice(fault: &Fault) -> &'static str {
    if fault.is_client() {
        "the service refused the request — check the input values and credentials"
    } else if fault.is_server() {
        "the service could not process the request — see the reason for whether the input or the service is at fault"
    } else {
        "see the reason and detail"
    }
}

impl Error {
    /// Whether sending the same call again may succeed: connection failures, timeouts, a
    /// connection lost mid-reply and HTTP 429, 502, 503 and 504 are; faults, contract and
    /// well-formedness errors, other 4xx statuses and configuration errors are not.
    ///
    /// "Retryable" means the failure looks transient. After a [`Timeout`](Error::Timeout) or an
    /// [`Interrupted`](Error::Interrupted) reply the service may already have acted on the
    /// request: whether repeating an operation that changes data is safe is for the caller to
    /// decide; [`RetryPolicy`](super::RetryPolicy) decides it per operation.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connect { .. } | Error::Timeout { .. } | Error::Interrupted { .. } => true,
            Error::HttpStatus { status, .. } => matches!(status, 429 | 502..=504),
            _ => false,
        }
    }

    /// How long the service asked to wait before the next call (`Retry-After`), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The fault, when the service answered with one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// The HTTP status of the reply, when one arrived and is part of the error.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::HttpStatus { status, .. } | Error::UnexpectedContentType { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The error for an XML reading failure: [`Malformed`](Error::Malformed) for syntax,
    /// DOCTYPE and depth errors, [`Contract`](Error::Contract) for the rest.
    pub fn from_de(e: DeError) -> Self {
        match e.kind() {
            DeErrorKind::Syntax(_) | DeErrorKind::Doctype | DeErrorKind::TooDeep(_) | DeErrorKind::TooMany { .. } => {
                Error::Malformed(e)
            }
            _ => Error::Contract(e),
        }
    }
}

impl From<DeError> for Error {
    fn from(e: DeError) -> Self {
        Self::from_de(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_errors_split_into_malformed_and_contract() {
        assert!(matches!(Error::from(DeError::new(DeErrorKind::Doctype)), Error::Malformed(_)));
        assert!(matches!(Error::from(DeError::new(DeErrorKind::TooDeep(256))), Error::Malformed(_)));
        assert!(matches!(Error::from(DeError::new(DeErrorKind::Syntax("x".into()))), Error::Malformed(_)));
        assert!(matches!(Error::from(DeError::missing("Id")), Error::Contract(_)));
        assert!(matches!(Error::from(DeError::invalid_value("int", "x")), Error::Contract(_)));
    }

    #[test]
    fn errors_can_cross_threads() {
        fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
        assert_bounds::<Error>();
    }

    #[test]
    fn retryability() {
        let status =
            |status| Error::HttpStatus { status, content_type: None, excerpt: String::new(), retry_after: None };
        assert!(status(502).is_retryable() && status(503).is_retryable() && status(504).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(500).is_retryable() && !status(404).is_retryable() && !status(400).is_retryable());
        assert!(!Error::TooLarge { limit: 1 }.is_retryable());
        let timeout = Error::Timeout { host: "h".into(), limit: Duration::from_secs(1), connecting: true };
        assert!(timeout.is_retryable());
        assert!(timeout.to_string().contains("while connecting"));
    }
}
