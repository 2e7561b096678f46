#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
//!
//! # Guide
//!
//! - [`nmbrs`]: the Nmbrs v3 client ([`nmbrs::Client`]), its errors and the generated bindings
//!   ([`nmbrs::generated`]).
//! - [`datazoo`]: the Data Zoo client ([`datazoo::Client`]), the token manager and Verify.
//! - [`soap`]: the runtime the generated code targets: envelopes, faults, the transport, errors,
//!   and the XML layer ([`soap::xml`]).
//! - [`mock`]: loopback mock services of both APIs, for tests and the quickstart.
//! - [`guide`]: the guides of `docs/` (the Nmbrs and Data Zoo layers, the Redis token store, the
//!   contracts, the `soapgen` command, the design).
//! - [`types`]: the types of other crates that the API uses (`Decimal`, `NaiveDate`, `Uuid`, ...).

pub mod guide;
pub mod soap;

/// The types of other crates that appear in the API, re-exported so that a user's crate needs no
/// dependency of its own on a matching version of `rust_decimal`, `chrono` or `uuid`.
pub mod types {
    pub use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
    pub use rust_decimal::Decimal;
    pub use uuid::Uuid;
}

#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;

#[cfg(feature = "nmbrs-core")]
#[cfg_attr(docsrs, doc(cfg(feature = "nmbrs-core")))]
pub mod nmbrs;

#[cfg(feature = "datazoo")]
#[cfg_attr(docsrs, doc(cfg(feature = "datazoo")))]
pub mod datazoo;
