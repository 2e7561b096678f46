//! Data Zoo identity-verification API: SOAP 1.2 service and REST login.
//!
//! - [`Client`] signs in ([`LoginMethod`]: SOAP `Authenticate`, REST JSON or REST XML), keeps
//!   one token for all its clones through the [token manager](token), and runs
//!   [`Verification`]s, retrying once on "Invalid Token".
//! - [`TokenStore`] is where the current token lives: [`MemoryTokenStore`] by default; a store
//!   shared by processes lets a fleet of workers use one token.
//! - [`generated`] holds the bindings of the vendored contracts; [`Client::generated`] hands out
//!   the generated [`DataZooClient`](generated::data_zoo::DataZooClient) for calls without the
//!   token manager (its `raw()` takes the request structs).
//!
//! See `docs/datazoo.md` for the token lifecycle and the contention rule.

mod client;
mod error;
mod login;
#[cfg(feature = "redis")]
pub(crate) mod redis_store;
mod session;
pub mod token;
mod verify;

pub use client::{Client, ClientBuilder, DEFAULT_REST_BASE_URL};
pub use error::{BoxError, Error, StoreError};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis_store::{
    RedisStoreError, RedisTokenStore, RedisTokenStoreBuilder, DEFAULT_FALLBACK_RETRY, DEFAULT_KEY_PREFIX,
    DEFAULT_POLL_INTERVAL, DEFAULT_REDIS_TIMEOUT,
};
pub use session::{CountrySources, Credentials, LoginMethod, Session};
pub use token::{
    LockLease, MemoryTokenStore, RenewalCause, Replaced, StoreFuture, TokenPolicy, TokenRecord, TokenStore,
};
pub use verify::{DataSource, SourceResult, Verification, VerificationResult, VerificationStatus, VerifiedItems};

/// Generated bindings of the vendored Data Zoo contracts (`wsdl/datazoo/`).
pub mod generated {
    /// The SOAP service (`DataZoo.wsdl`).
    pub mod data_zoo {
        include!(concat!(env!("OUT_DIR"), "/datazoo/data_zoo.rs"));
    }
    /// The REST XML login models (`RestModels.xsd`).
    pub mod rest_models {
        include!(concat!(env!("OUT_DIR"), "/datazoo/rest_models.rs"));
    }
}
