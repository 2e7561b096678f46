//! Loopback servers that speak the vendored contracts and the APIs' auth rules, for tests, the
//! quickstart and any other SOAP client (feature `mock`).
//!
//! They parse requests with the same generated types the clients use, check the SOAPAction and
//! content type, and serve each contract at `?WSDL`.

pub mod datazoo;
#[cfg(all(feature = "nmbrs-company", feature = "nmbrs-employee"))]
pub mod nmbrs;
pub mod wire;
