//! Typed, async SOAP bindings for the Nmbrs payroll API v3 and the Data Zoo identity-verification API.

pub mod soap;

#[cfg(feature = "mock")]
pub mod mock;

#[cfg(feature = "nmbrs")]
pub mod nmbrs;

#[cfg(feature = "datazoo")]
pub mod datazoo;
