//! The Data Zoo layer's error type.

use std::fmt;
use std::time::Duration;

use crate::soap;

use super::session::LoginMethod;

/// A boxed error kept as the `source` of another.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error of a Data Zoo call, a login or the token store.
///
/// No variant carries the password or a token: they are kept out of messages, `Debug` output
/// and logs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A SOAP call failed: transport, HTTP status, a fault other than "Invalid Token", or a reply
    /// that does not match the contract.
    #[error(transparent)]
    Soap(#[from] soap::Error),

    /// The REST login could not be sent, or its reply did not arrive whole.
    #[error("the REST login to {host} failed: {source}; check the REST base URL, the network and proxy settings")]
    RestTransport {
        /// The host of the REST base URL.
        host: String,
        /// Whether the limit of the connect timeout or of the whole call ran out.
        timeout: bool,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The REST login answered with an HTTP status that is neither success nor a refusal of the
    /// credentials.
    #[error("the REST login ({method}) answered HTTP status {status}: \"{excerpt}\"; check the REST base URL")]
    RestStatus {
        /// The login method used.
        method: LoginMethod,
        /// The HTTP status code.
        status: u16,
        /// The start of the reply body as text, secrets replaced by `***`.
        excerpt: String,
    },

    /// The service refused the user name or password.
    #[error(
        "Data Zoo refused the login of user {user_name:?} ({method}): {message}; check the user name and password"
    )]
    LoginRefused {
        /// The user name (not a secret).
        user_name: String,
        /// The login method used.
        method: LoginMethod,
        /// What the service said (its `Message`, or the HTTP status).
        message: String,
    },

    /// The login reply was understood as a success but lacks what a session needs, or could not
    /// be read at all.
    #[error("the {method} login reply is not usable: {reason}")]
    LoginReply {
        /// The login method used.
        method: LoginMethod,
        /// What is wrong with it.
        reason: String,
    },

    /// The login that this call waited for — started by a concurrent call of the same client —
    /// failed. The call that ran the login got the error itself; the others get its message, so
    /// that a failing login is not repeated once per waiting caller.
    #[error("the Data Zoo login this call waited for failed: {message}")]
    LoginFailed {
        /// The message of the login's error.
        message: String,
        /// Whether that error was retryable.
        retryable: bool,
    },

    /// A Verify reply is not usable (no `VerifyResult`, or no `Status` in it).
    #[error("the Verify reply is not usable: {reason}")]
    VerifyReply {
        /// What is wrong with it.
        reason: String,
    },

    /// The request was refused before sending: something it needs is missing.
    #[error("invalid verification request: {reason}")]
    InvalidRequest {
        /// What is missing or wrong.
        reason: String,
    },

    /// The service answered "Invalid Token" again after the call was retried with a renewed or
    /// newer token.
    #[error(
        "Data Zoo rejected the token of user {user_name:?} with \"Invalid Token\" even after one retry with a \
         renewed token; the call was not retried again. If this repeats, another client may be authenticating \
         with the same account"
    )]
    TokenRejected {
        /// The user name.
        user_name: String,
    },

    /// Another client or process is authenticating with the same account, so each side keeps
    /// revoking the other's token.
    ///
    /// Raised when a token that this client obtained to replace a rejected one is itself rejected
    /// within the contention window. The client then does not authenticate again until the window
    /// has passed since that token was obtained; see `docs/datazoo.md`, "Contention".
    #[error(
        "token contention on Data Zoo account {user_name:?}: the token this client obtained {age_ms}ms ago to \
         replace a rejected token was rejected too. Either another client or process is authenticating with the \
         same account (each authentication revokes the previous token): share one token — one datazoo::Client (it \
         is cheap to clone) per process and one shared TokenStore across processes — or give each worker its own \
         account; or the service rejects every new token at once: an account or service problem to raise with \
         Data Zoo. No new authentication is attempted until {window_ms}ms have passed since the last one"
    )]
    TokenContention {
        /// The user name.
        user_name: String,
        /// How old the rejected token was, in milliseconds.
        age_ms: u64,
        /// The contention window, in milliseconds.
        window_ms: u64,
    },

    /// The token store failed.
    #[error("the token store failed: {0}")]
    Store(#[from] StoreError),

    /// The client configuration is not usable.
    #[error("invalid Data Zoo client configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// Whether sending the same call again later may succeed: retryable SOAP errors (see
    /// [`soap::Error::is_retryable`]), REST transport failures, REST statuses 502 to 504, token
    /// contention (once the window has passed), and a shared login failure whose cause was
    /// retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Soap(e) => e.is_retryable(),
            Error::RestTransport { .. } | Error::TokenContention { .. } => true,
            Error::RestStatus { status, .. } => matches!(status, 502..=504),
            Error::LoginFailed { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// Whether this is [`Error::TokenContention`].
    pub fn is_contention(&self) -> bool {
        matches!(self, Error::TokenContention { .. })
    }

    pub(crate) fn contention(user_name: &str, age: Duration, window: Duration) -> Self {
        Error::TokenContention {
            user_name: user_name.to_owned(),
            age_ms: u64::try_from(age.as_millis()).unwrap_or(u64::MAX),
            window_ms: u64::try_from(window.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// An error of a [`TokenStore`](super::TokenStore) implementation.
///
/// Must not carry the token: implementations describe what failed (connection, serialization,
/// …), never the values stored.
#[derive(Debug)]
pub struct StoreError {
    message: String,
    source: Option<BoxError>,
}

impl StoreError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), source: None }
    }

    /// An error with a message and the underlying cause.
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        Self { message: message.into(), source: Some(source.into()) }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
