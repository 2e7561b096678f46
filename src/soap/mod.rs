//! The SOAP runtime the generated bindings target: envelopes (1.1 and 1.2), faults, the HTTP
//! transport, errors and tracing.

mod call;
mod error;
mod operation;
pub mod xml;

pub use call::{Call, ProvideHeader};
pub use error::Error;
pub use operation::{Operation, SoapVersion};
pub use xml::NoHeader;
