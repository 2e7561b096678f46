//! The Data Zoo client: login method, token manager and Verify in one cheap-to-clone value.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument as _;

use super::generated::data_zoo::{operations::VERIFY, DataZooClient};
use super::login::{context, Login};
use super::session::{Credentials, LoginMethod, Session};
use super::token::{MemoryTokenStore, TokenManager, TokenPolicy, TokenRecord, TokenStore};
use super::verify::{says_invalid_token, Verification, VerificationResult};
use super::Error;
use crate::soap::{self, CallCounters, CallStats, Endpoint, PlainCaller, RetryPolicy, SoapVersion};

/// The REST base URL Data Zoo publishes for the REST logins.
pub const DEFAULT_REST_BASE_URL: &str = "https://rest.datazoo.co.nz";

/// Builds a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    endpoint: Option<String>,
    rest_base_url: String,
    method: LoginMethod,
    policy: TokenPolicy,
    store: Option<Arc<dyn TokenStore>>,
    http: Option<soap::Client>,
    rest_connect_timeout: Duration,
    rest_timeout: Duration,
    retry: RetryPolicy,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            endpoint: None,
            rest_base_url: DEFAULT_REST_BASE_URL.to_owned(),
            method: LoginMethod::Soap,
            policy: TokenPolicy::default(),
            store: None,
            http: None,
            rest_connect_timeout: soap::DEFAULT_CONNECT_TIMEOUT,
            rest_timeout: soap::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }
}

impl ClientBuilder {
    /// The account's user name and password (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The SOAP endpoint Data Zoo gave the account (required: the address in the WSDL is a
    /// placeholder). `https://` only, except plain `http://` to the local machine.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The base URL of the REST logins; `api/Authenticate.json` or `.xml` is appended. Default
    /// [`DEFAULT_REST_BASE_URL`].
    pub fn rest_base_url(mut self, url: impl Into<String>) -> Self {
        self.rest_base_url = url.into();
        self
    }

    /// How to sign in. Default [`LoginMethod::Soap`].
    pub fn login_method(mut self, method: LoginMethod) -> Self {
        self.method = method;
        self
    }

    /// How long before expiry the token is renewed. Default 5 minutes.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.policy.refresh_margin = margin;
        self
    }

    /// How long a token is valid. Default 24 hours, as Data Zoo documents it.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.policy.lifetime = lifetime;
        self
    }

    /// The contention window (see [`Error::TokenContention`]). Default 60 seconds.
    pub fn contention_window(mut self, window: Duration) -> Self {
        self.policy.contention_window = window;
        self
    }

    /// The lease of the renewal lock in the token store. Default 150 seconds; keep it longer
    /// than the login call's timeout.
    pub fn lock_lease(mut self, lease: Duration) -> Self {
        self.policy.lock_lease = lease;
        self
    }

    /// Where the token lives. Default: a new [`MemoryTokenStore`] for this client and its clones.
    /// Give several clients (or processes, with a shared implementation) of one account the same
    /// store so that they share one token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The SOAP HTTP client to send through. Default: [`soap::Client::new`].
    pub fn http_client(mut self, client: soap::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The connect and per-call timeouts of the REST login. Default 10 s and 120 s.
    pub fn rest_timeouts(mut self, connect: Duration, call: Duration) -> Self {
        self.rest_connect_timeout = connect;
        self.rest_timeout = call;
        self
    }

    /// Which failed Verify calls are sent again, and when. Default [`RetryPolicy::default`]:
    /// `Verify` is not a read (each verification may be billed), so it is sent again only when
    /// the request never reached Data Zoo (connection refused, connect timeout) or was refused
    /// unprocessed (HTTP 429, honouring `Retry-After`); never after a timeout, reset or 5xx once
    /// sent, nor for a 503 unless [`RetryPolicy::retry_unavailable_writes`] says so.
    /// [`RetryPolicy::none`] turns retries off. (An "Invalid Token" answer is not a failure of
    /// this kind: it renews the token, see [`Client::verify`].)
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client. Nothing is sent: the first call that needs a token signs in.
    ///
    /// # Errors
    /// [`Error::Config`] when credentials or the endpoint are missing or the policy is
    /// inconsistent; [`Error::Soap`] with an endpoint error for a URL that is not https (or
    /// http to loopback).
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self
            .credentials
            .ok_or_else(|| Error::Config { reason: "no credentials: call .credentials(...)".into() })?;
        if credentials.user_name().trim().is_empty() {
            return Err(Error::Config { reason: "the user name is empty".into() });
        }
        let endpoint = self.endpoint.ok_or_else(|| Error::Config {
            reason: "no SOAP endpoint: call .endpoint(...) with the address Data Zoo gave the account".into(),
        })?;
        let endpoint = Endpoint::new(&endpoint)?;
        if self.policy.refresh_margin >= self.policy.lifetime {
            return Err(Error::Config { reason: "the refresh margin must be shorter than the token lifetime".into() });
        }
        let http = match self.http {
            Some(http) => http,
            None => soap::Client::new()?,
        };
        let login = Login::new(
            self.method,
            credentials,
            http.clone(),
            endpoint.clone(),
            &self.rest_base_url,
            (self.rest_connect_timeout, self.rest_timeout),
        )?;
        let store = self.store.unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        let manager = TokenManager::new(store, login, self.policy);
        let (retry, counters) = (self.retry, CallCounters::default());
        Ok(Client { inner: Arc::new(Inner { http, endpoint, manager, retry, counters }) })
    }
}

/// A Data Zoo client: signs in with the chosen [`LoginMethod`], shares one token among all its
/// clones, renews it ahead of expiry and after "Invalid Token", and runs verifications.
///
/// Cheap to clone; clones share the token, the HTTP connection pool and the single-flight login.
///
/// ```no_run
/// use chrono::NaiveDate;
/// use soapbind::datazoo::{Client, Credentials, DataSource, LoginMethod, Verification};
///
/// # async fn run() -> Result<(), soapbind::datazoo::Error> {
/// let client = Client::builder()
///     .credentials(Credentials::new("api-user", std::env::var("DATAZOO_PASSWORD").unwrap_or_default()))
///     .endpoint("https://svc.datazoo.co.nz/")
///     .login_method(LoginMethod::RestJson)
///     .build()?;
/// let result = client
///     .verify(
///         &Verification::new()
///             .first_name("Test")
///             .last_name("TESTING")
///             .date_of_birth(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap())
///             .data_source(DataSource::new("Australian Residential").consent_obtained(true)),
///     )
///     .await?;
/// println!("{}", result.status);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: soap::Client,
    endpoint: Endpoint,
    manager: TokenManager,
    retry: RetryPolicy,
    counters: CallCounters,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("datazoo::Client")
            .field("user_name", &self.user_name())
            .field("endpoint", &self.inner.endpoint)
            .field("login_method", &self.login_method())
            .field("policy", self.inner.manager.policy())
            .finish_non_exhaustive()
    }
}

/// The outcome of one attempt of a call.
enum Attempt<T> {
    Done(T),
    InvalidToken,
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The account's user name.
    pub fn user_name(&self) -> &str {
        self.inner.manager.login().credentials().user_name()
    }

    /// The login method.
    pub fn login_method(&self) -> LoginMethod {
        self.inner.manager.login().method()
    }

    /// The SOAP endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The timing rules of the token manager.
    pub fn policy(&self) -> TokenPolicy {
        *self.inner.manager.policy()
    }

    /// The token store.
    pub fn token_store(&self) -> &Arc<dyn TokenStore> {
        self.inner.manager.store()
    }

    /// The retry policy of Verify calls.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// What this client and its clones have sent to the SOAP endpoint so far: Verify requests
    /// and their retries (logins are counted by [`authentications`](Self::authentications)).
    pub fn stats(&self) -> CallStats {
        self.inner.counters.snapshot()
    }

    /// How many logins this client (with its clones) has performed.
    pub fn authentications(&self) -> u64 {
        self.inner.manager.authentications()
    }

    /// The current session, signing in first if there is none or it is about to expire.
    ///
    /// # Errors
    /// Login and token store errors.
    pub async fn session(&self) -> Result<Arc<Session>, Error> {
        Ok(self.inner.manager.token().await?.session)
    }

    /// Runs a verification with the current session's user name, token and reference.
    ///
    /// A call answered with "Invalid Token" (as a SOAP fault or in `VerifyResult/Message`) is
    /// retried once, with a renewed token if the one it used is still the current one, else with
    /// the current one. A request that never reached Data Zoo, or was refused unprocessed (429),
    /// is sent again as the [retry policy](ClientBuilder::retry_policy) says; one that may have
    /// been acted on is not.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`] before sending; [`Error::TokenContention`] or
    /// [`Error::TokenRejected`] when the retry is rejected too; login, SOAP and store errors.
    pub async fn verify(&self, verification: &Verification) -> Result<VerificationResult, Error> {
        verification.validate()?;
        let span = tracing::info_span!("datazoo.verify", sources = verification.data_sources().len());
        async {
            let manager = &self.inner.manager;
            let record = manager.token().await?;
            if let Attempt::Done(result) = self.verify_once(&record, verification).await? {
                return Ok(result);
            }
            let retry = manager.rejected(&record).await?;
            match self.verify_once(&retry, verification).await? {
                Attempt::Done(result) => Ok(result),
                Attempt::InvalidToken => Err(manager.rejected_again(&retry)),
            }
        }
        .instrument(span)
        .await
    }

    async fn verify_once(
        &self,
        record: &TokenRecord,
        verification: &Verification,
    ) -> Result<Attempt<VerificationResult>, Error> {
        let session = &record.session;
        let caller = PlainCaller::new(self.inner.http.clone(), self.inner.endpoint.clone(), SoapVersion::V12)
            .with_context(context(self.inner.manager.login().credentials(), Some(session.token())));
        let (wire_session, criteria) = verification.to_wire(session);
        let client = DataZooClient::new(caller);
        let inner = &*self.inner;
        let attempt = || {
            let (session, criteria) = (wire_session.clone(), criteria.clone());
            let client = &client;
            async move {
                inner.counters.request(Duration::ZERO);
                client.verify(Some(session), Some(criteria)).await
            }
        };
        let reply = inner.retry.run("datazoo", &VERIFY, &inner.counters, attempt).await;
        let result = match reply {
            Ok(result) => result,
            Err(soap::Error::Fault { fault, .. })
                if says_invalid_token(&fault.reason) || fault.detail.as_deref().is_some_and(says_invalid_token) =>
            {
                tracing::debug!(generation = record.generation, "Invalid Token fault");
                return Ok(Attempt::InvalidToken);
            }
            Err(e) => return Err(e.into()),
        };
        if result.status != Some(0) && result.message.as_deref().is_some_and(says_invalid_token) {
            tracing::debug!(generation = record.generation, "Invalid Token message");
            return Ok(Attempt::InvalidToken);
        }
        VerificationResult::from_wire(result).map(Attempt::Done)
    }

    /// The generated client, for calls with hand-built values (its `raw()` view takes the
    /// request structs): it sends through this client's HTTP client and endpoint (SOAP 1.2),
    /// with the password and `Token` elements redacted from traces, but without the token
    /// manager: fill `Session` yourself, e.g. from [`session`](Self::session), and handle
    /// "Invalid Token" yourself.
    pub fn generated(&self) -> DataZooClient<PlainCaller> {
        let caller = PlainCaller::new(self.inner.http.clone(), self.inner.endpoint.clone(), SoapVersion::V12)
            .with_context(context(self.inner.manager.login().credentials(), None));
        DataZooClient::new(caller)
    }
}
