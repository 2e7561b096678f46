//! The seam between generated service stubs and whoever sends the calls.

use std::future::Future;

use super::xml::{Element, HeaderEntries};
use super::Operation;

/// Sends operations: implemented by the API layers (Nmbrs, Data Zoo) and by [`super::PlainCaller`].
///
/// Generated service clients are thin structs over a `Call`; every cross-cutting concern —
/// endpoint, SOAP version, authentication headers, retries, error mapping — lives in the
/// implementation, in one place, not in each method.
pub trait Call: Send + Sync {
    /// The error calls return.
    type Error: From<super::Error> + Send;

    /// Sends `body` as operation `op` with the header `Self` provides, and reads the reply.
    fn call<H, Req, Resp>(
        &self,
        op: &'static Operation,
        body: &Req,
    ) -> impl Future<Output = Result<Resp, Self::Error>> + Send
    where
        Self: ProvideHeader<H>,
        H: HeaderEntries + Send + Sync,
        Req: Element + Sync,
        Resp: Element + Send;
}

/// Supplies the header an operation declares, as its generated type.
///
/// A generated method whose operation declares header `H` requires `C: ProvideHeader<H>`, so an
/// operation that declares `AuthHeader` cannot be sent with `AuthHeaderWithDomain` by mistake.
pub trait ProvideHeader<H>: Call {
    /// The header to send with `op`.
    fn header(&self, op: &'static Operation) -> impl Future<Output = Result<H, Self::Error>> + Send;
}
