#![doc = include_str!("../README.md")]
//!
//! # Guide
//!
//! - [`nmbrs`]: the Nmbrs v3 client ([`nmbrs::Client`]), its errors and the generated bindings
//!   ([`nmbrs::generated`]).
//! - [`datazoo`]: the Data Zoo client ([`datazoo::Client`]), the token manager and Verify.
//! - [`soap`]: the runtime the generated code targets: envelopes, faults, the transport, errors,
//!   and the XML layer ([`soap::xml`]).
//! - [`mock`]: loopback mock services of both APIs, for tests and the quickstart.

pub mod soap;

#[cfg(feature = "mock")]
pub mod mock;

#[cfg(feature = "nmbrs-core")]
pub mod nmbrs;

#[cfg(feature = "datazoo")]
pub mod datazoo;
