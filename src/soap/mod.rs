//! The SOAP runtime the generated bindings target: envelopes (1.1 and 1.2), faults, the HTTP
//! transport, errors and tracing.
//!
//! - [`envelope`] writes request envelopes and reads replies of either version.
//! - [`Fault`] is a SOAP fault of either version.
//! - [`Client`] sends calls over HTTPS (reqwest), to an [`Endpoint`], with a [`CallContext`]
//!   naming the API and the secrets to keep out of logs; [`PlainCaller`] is a ready-made
//!   [`Call`] implementation over it.
//! - [`Error`] tells apart what can go wrong, and whether a retry may help.
//! - [`RateLimit`] and [`RateLimiter`] keep calls under a rate (in process, or through Redis
//!   with feature `redis`); [`RetryPolicy`] says which failures are sent again, and when.
//! - [`Secret`] holds a credential that never prints.

mod call;
pub mod envelope;
mod error;
mod fault;
mod limit;
mod operation;
mod redact;
mod retry;
mod secret;
mod transport;
pub mod xml;

pub use call::{reply_result, Call, PlainCaller, ProvideHeader, ProvidedBy};
pub use envelope::{ResponseBody, ResponseEnvelope};
pub use error::{BoxError, Error};
pub use fault::{Fault, QualifiedName};
pub use limit::{LimitError, RateLimit, RateLimiter, HEADROOM};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use limit::{RedisRateLimiter, RedisRateLimiterBuilder, DEFAULT_RATE_KEY_PREFIX};
pub use operation::{Operation, OperationVisitor, SoapVersion};
pub use redact::MAX_WIRE_TEXT;
#[cfg(any(feature = "nmbrs-core", feature = "datazoo"))]
pub(crate) use retry::CallCounters;
pub use retry::{is_read, parse_retry_after, CallStats, RetryPolicy};
pub use secret::{Secret, REDACTED};
#[cfg(feature = "datazoo")]
pub(crate) use transport::{cause_chain, check_characters};
pub use transport::{
    CallContext, Client, ClientBuilder, Endpoint, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_REPLY_BYTES, DEFAULT_TIMEOUT,
    USER_AGENT,
};
pub use xml::{Accepted, NoHeader};
