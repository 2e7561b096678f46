//! The runtime's error type (placeholder until the transport lands).

/// An error of a SOAP call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reply did not match the contract.
    #[error("the reply does not match the contract: {0}")]
    Contract(#[from] super::xml::DeError),
}
