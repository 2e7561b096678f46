//! The Nmbrs client and its caller: endpoints, the authentication headers, domain discovery and
//! the handling of error 1001.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::soap::xml::{Element, HeaderEntries};
use crate::soap::{
    self, envelope, Call, CallContext, CallCounters, CallStats, Endpoint, Operation, ProvideHeader, ProvidedBy,
    RateLimit, RateLimiter, RetryPolicy, SoapVersion,
};

use super::config::is_subdomain;
#[cfg(feature = "nmbrs-company")]
use super::generated::company_service;
#[cfg(feature = "nmbrs-employee")]
use super::generated::employee_service;
use super::generated::{debtor_service, report_service, single_sign_on};
use super::{ApiFault, AuthCause, Credentials, Domain, Environment, Error, ErrorCode};

/// `DebtorService` over the Nmbrs [`Caller`].
pub type DebtorService = debtor_service::DebtorServiceClient<Caller>;
/// `CompanyService` over the Nmbrs [`Caller`].
#[cfg(feature = "nmbrs-company")]
pub type CompanyService = company_service::CompanyServiceClient<Caller>;
/// `EmployeeService` over the Nmbrs [`Caller`].
#[cfg(feature = "nmbrs-employee")]
pub type EmployeeService = employee_service::EmployeeServiceClient<Caller>;
/// `ReportService` over the Nmbrs [`Caller`] (see also [`ReportService::run`]).
pub type ReportService = report_service::ReportServiceClient<Caller>;
/// `SingleSignOn` over the Nmbrs [`Caller`] (see also [`SingleSignOnService::login`]).
pub type SingleSignOnService = single_sign_on::SingleSignOnClient<Caller>;

/// The services of API v3, in the order of [`Inner::endpoints`].
const SERVICES: [&str; 5] = ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"];

/// The header local name of the v3 operations.
const WITH_DOMAIN: &str = "AuthHeaderWithDomain";

/// Elements whose content is kept out of traced envelopes, besides the token itself.
const SECRET_ELEMENTS: [&str; 5] =
    ["Token", "Password", "GetTokenResult", "GetToken2Result", "GetTokenWithDomainResult"];

/// Builds a [`Client`].
///
/// ```
/// use soapbind::nmbrs::{Client, Credentials, Domain, Environment};
/// use soapbind::soap::SoapVersion;
///
/// let client = Client::builder(Credentials::new("api@example.com", "token"), Environment::Sandbox)
///     .soap_version(SoapVersion::V12)
///     .domain(Domain::Fixed("mycompany".into()))
///     .build()?;
/// assert_eq!(client.cached_domain().as_deref(), Some("mycompany"));
/// # Ok::<(), soapbind::nmbrs::Error>(())
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    environment: Environment,
    version: SoapVersion,
    domain: Domain,
    soap: Option<soap::Client>,
    call_timeout: Option<Duration>,
    limiter: Limiter,
    retry: RetryPolicy,
}

/// The rate limit a [`ClientBuilder`] was given.
#[derive(Debug)]
enum Limiter {
    /// A new in-process limiter for this limit, or none.
    Limit(Option<RateLimit>),
    /// A limiter given by the caller, maybe shared with other clients or through Redis.
    Shared(RateLimiter),
}

impl ClientBuilder {
    /// The SOAP version to speak: 1.1 (the default) or 1.2. Nmbrs binds every operation in both.
    pub fn soap_version(mut self, version: SoapVersion) -> Self {
        self.version = version;
        self
    }

    /// Where the domain comes from: [`Domain::Discover`] (the default) or [`Domain::Fixed`].
    pub fn domain(mut self, domain: Domain) -> Self {
        self.domain = domain;
        self
    }

    /// Shares `client` (its connection pool and settings) instead of building a new one.
    pub fn soap_client(mut self, client: soap::Client) -> Self {
        self.soap = Some(client);
        self
    }

    /// A timeout per call, replacing the SOAP client's.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// The rate limit of this client and its clones: `Some(limit)`, or `None` for no limit.
    /// Default [`RateLimit::NMBRS_FAIR_USE`], 150 calls per second (see `docs/fair-use.md`).
    /// Several clients of one account, or workers of a fleet, should share one limiter instead:
    /// see [`rate_limiter`](Self::rate_limiter).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.limiter = Limiter::Limit(limit);
        self
    }

    /// Uses `limiter` (and its limit), shared with whatever else holds a clone of it: other
    /// clients of the account in this process, or, through Redis, the other workers of a fleet.
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Limiter::Shared(limiter);
        self
    }

    /// Which failed calls are sent again, and when. Default [`RetryPolicy::default`]: reads
    /// and unsent requests up to 4 attempts in 60 s, `Retry-After` honoured up to 30 s, writes
    /// never repeated once they may have reached Nmbrs. [`RetryPolicy::none`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client; no call is made.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for an empty e-mail address or token, or a fixed domain that is
    /// not a plain subdomain; [`Error::Soap`] for an unusable base URL or HTTP client.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |what, reason: &str| Error::InvalidConfig { what, reason: reason.to_owned() };
        if self.credentials.username().trim().is_empty() {
            return Err(invalid("credentials", "the e-mail address (username) is empty"));
        }
        if self.credentials.token().expose().trim().is_empty() {
            return Err(invalid("credentials", "the API token is empty"));
        }
        let fixed = match &self.domain {
            Domain::Discover => None,
            Domain::Fixed(domain) => {
                let domain = domain.trim();
                if !is_subdomain(domain) {
                    return Err(Error::InvalidConfig {
                        what: "domain",
                        reason: format!(
                            "`{domain}` is not a subdomain; give the subdomain only (`nlpayroll`, not \
                             `nlpayroll.nmbrs.nl`), or use Domain::Discover"
                        ),
                    });
                }
                Some(domain.to_owned())
            }
        };
        let mut base = self.environment.base_url().trim().to_owned();
        if !base.ends_with('/') {
            base.push('/');
        }
        let base = Endpoint::new(&base)?;
        let mut endpoints = Vec::with_capacity(SERVICES.len());
        for service in SERVICES {
            endpoints.push(base.join(&format!("{service}.asmx"))?);
        }
        let soap = match self.soap {
            Some(client) => client,
            None => soap::Client::new()?,
        };
        let mut context = CallContext::new("nmbrs").with_secret(self.credentials.token().clone());
        for element in SECRET_ELEMENTS {
            context = context.with_secret_element(element);
        }
        if let Some(timeout) = self.call_timeout {
            context = context.with_timeout(timeout);
        }
        let limiter = match self.limiter {
            Limiter::Limit(Some(limit)) => RateLimiter::local(limit)
                .map_err(|e| Error::InvalidConfig { what: "rate_limit", reason: e.to_string() })?,
            Limiter::Limit(None) => RateLimiter::off(),
            Limiter::Shared(limiter) => limiter,
        };
        let inner = Inner {
            credentials: self.credentials,
            environment: self.environment,
            version: self.version,
            soap,
            endpoints,
            context,
            domain: DomainCache::new(fixed),
            limiter,
            retry: self.retry,
            counters: CallCounters::default(),
        };
        Ok(Client { caller: Caller { inner: Arc::new(inner), pinned: None } })
    }
}

/// A Nmbrs API v3 client: one handle per service, all sharing one connection pool and one
/// authentication state.
///
/// Cheap to clone (an `Arc`); clones share the discovered domain. Every call carries the
/// header its operation declares (`AuthHeader` for `DebtorService.Environment_Get`,
/// `AuthHeaderWithDomain` for the rest, no header for `SingleSignOn`), in the namespace of the
/// service called, supplied by the [`Caller`].
///
/// ```no_run
/// use soapbind::nmbrs::{Client, Credentials, Environment};
///
/// # async fn run() -> Result<(), soapbind::nmbrs::Error> {
/// let client = Client::new(Credentials::from_env()?, Environment::Production)?;
/// for debtor in client.debtor().list_get_all().await? {
///     let companies = client.company().list_get_by_debtor(debtor.id).await?;
///     println!("{:?}: {} companies", debtor.name, companies.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    caller: Caller,
}

impl Client {
    /// A client with the defaults: SOAP 1.1, discovered domain, a new HTTP client.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn new(credentials: Credentials, environment: Environment) -> Result<Self, Error> {
        Self::builder(credentials, environment).build()
    }

    /// A builder starting from the defaults.
    pub fn builder(credentials: Credentials, environment: Environment) -> ClientBuilder {
        ClientBuilder {
            credentials,
            environment,
            version: SoapVersion::V11,
            domain: Domain::Discover,
            soap: None,
            call_timeout: None,
            limiter: Limiter::Limit(Some(RateLimit::NMBRS_FAIR_USE)),
            retry: RetryPolicy::default(),
        }
    }

    /// `DebtorService`.
    pub fn debtor(&self) -> DebtorService {
        DebtorService::new(self.caller.clone())
    }

    /// `CompanyService` (feature `nmbrs-company`).
    #[cfg(feature = "nmbrs-company")]
    pub fn company(&self) -> CompanyService {
        CompanyService::new(self.caller.clone())
    }

    /// `EmployeeService` (feature `nmbrs-employee`).
    #[cfg(feature = "nmbrs-employee")]
    pub fn employee(&self) -> EmployeeService {
        EmployeeService::new(self.caller.clone())
    }

    /// `ReportService`.
    pub fn report(&self) -> ReportService {
        ReportService::new(self.caller.clone())
    }

    /// `SingleSignOn`.
    pub fn single_sign_on(&self) -> SingleSignOnService {
        SingleSignOnService::new(self.caller.clone())
    }

    /// The caller the service handles send through.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The domain sent in `AuthHeaderWithDomain`: the fixed one, or the discovered one
    /// (discovering it now if no call has needed it yet).
    ///
    /// # Errors
    /// As the discovery call, `DebtorService.Environment_Get`; a 1001 becomes
    /// [`Error::InvalidAuthentication`] with [`AuthCause::Credentials`].
    pub async fn domain(&self) -> Result<String, Error> {
        let snapshot = self.caller.resolve_domain(None, &debtor_service::operations::ENVIRONMENT_GET).await?;
        Ok(snapshot.domain.to_string())
    }

    /// Looks the domain up again with `Environment_Get`, whether or not one is cached (the fixed
    /// domain, without a call, when the domain is fixed).
    ///
    /// # Errors
    /// As [`domain`](Client::domain).
    pub async fn rediscover_domain(&self) -> Result<String, Error> {
        let stale = self.caller.inner.domain.current().map(|s| s.generation);
        let op = &debtor_service::operations::ENVIRONMENT_GET;
        let snapshot = self.caller.resolve_domain(stale.or(Some(0)), op).await?;
        Ok(snapshot.domain.to_string())
    }

    /// The domain in use, if it is fixed or already discovered.
    pub fn cached_domain(&self) -> Option<String> {
        self.caller.inner.domain.current().map(|s| s.domain.to_string())
    }

    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.caller.inner.environment
    }

    /// The SOAP version spoken.
    pub fn soap_version(&self) -> SoapVersion {
        self.caller.inner.version
    }

    /// The e-mail address of the credentials.
    pub fn username(&self) -> &str {
        self.caller.inner.credentials.username()
    }

    /// The rate limiter every call waits for (shared by the clones).
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.caller.inner.limiter
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.caller.inner.retry
    }

    /// What this client and its clones have sent so far: requests, retries, waits for the rate
    /// limit.
    pub fn stats(&self) -> CallStats {
        self.caller.inner.counters.snapshot()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Client").field(&self.caller).finish()
    }
}

/// Sends Nmbrs calls: the one place where endpoints, headers, domain discovery and the
/// handling of error 1001 live.
///
/// It implements [`Call`] and [`ProvideHeader`] for the `AuthHeaderWithDomain` of every v3
/// service and for `DebtorService`'s `AuthHeader`, so the generated service clients (see
/// [`Client::debtor`] and the others) get the right header for each operation. Obtain one from
/// [`Client::caller`]; clones share the client's state.
#[derive(Clone)]
pub struct Caller {
    inner: Arc<Inner>,
    /// The domain to put in headers, set for one attempt of a call.
    pinned: Option<Snapshot>,
}

struct Inner {
    credentials: Credentials,
    environment: Environment,
    version: SoapVersion,
    soap: soap::Client,
    /// One per entry of [`SERVICES`].
    endpoints: Vec<Endpoint>,
    context: CallContext,
    domain: DomainCache,
    limiter: RateLimiter,
    retry: RetryPolicy,
    counters: CallCounters,
}

impl fmt::Debug for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Caller")
            .field("username", &inner.credentials.username())
            .field("environment", &inner.environment)
            .field("soap_version", &inner.version)
            .field("domain_fixed", &inner.domain.fixed)
            .field("domain", &inner.domain.current().map(|s| s.domain))
            .finish_non_exhaustive()
    }
}

/// A domain and the generation it was installed in (each discovery installs a new one).
#[derive(Debug, Clone)]
struct Snapshot {
    domain: Arc<str>,
    generation: u64,
}

/// The domain in use and the single flight that discovers it.
struct DomainCache {
    fixed: bool,
    current: Mutex<Option<Snapshot>>,
    flight: tokio::sync::Mutex<Flight>,
    /// Mirror of `Flight::completed`, readable without waiting for the flight.
    completed: AtomicU64,
    /// The single flight that diagnoses a 1001, shared by the callers that fail together.
    diagnosis: tokio::sync::Mutex<Diagnosis>,
    /// Mirror of `Diagnosis::completed`.
    diagnosed: AtomicU64,
}

#[derive(Default)]
struct Flight {
    /// Discovery attempts completed (successfully or not).
    completed: u64,
    /// The 1001 fault of the last completed attempt, shared with the callers that waited for it.
    auth_failure: Option<Box<ApiFault>>,
    /// Any other error of the last completed attempt (its message, whether retryable), shared
    /// the same way.
    failure: Option<(String, bool)>,
}

#[derive(Default)]
struct Diagnosis {
    /// Diagnoses completed.
    completed: u64,
    /// The domain the last diagnosis was made for, and its cause.
    last: Option<(Arc<str>, AuthCause)>,
}

impl DomainCache {
    fn new(fixed: Option<String>) -> Self {
        Self {
            fixed: fixed.is_some(),
            current: Mutex::new(fixed.map(|d| Snapshot { domain: d.into(), generation: 0 })),
            flight: tokio::sync::Mutex::new(Flight::default()),
            completed: AtomicU64::new(0),
            diagnosis: tokio::sync::Mutex::new(Diagnosis::default()),
            diagnosed: AtomicU64::new(0),
        }
    }

    fn current(&self) -> Option<Snapshot> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The current domain unless it is the generation `stale`.
    fn usable(&self, stale: Option<u64>) -> Option<Snapshot> {
        self.current().filter(|s| self.fixed || Some(s.generation) != stale)
    }

    /// Installs `domain` as a new generation, unless `only_over` is given and is no longer the
    /// current generation.
    fn install(&self, domain: &str, only_over: Option<u64>) -> Snapshot {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if let (Some(expected), Some(now)) = (only_over, current.as_ref()) {
            if now.generation != expected {
                return now.clone();
            }
        }
        let generation = current.as_ref().map_or(1, |s| s.generation + 1);
        let snapshot = Snapshot { domain: domain.into(), generation };
        *current = Some(snapshot.clone());
        snapshot
    }
}

fn same_domain(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl Caller {
    fn endpoint(&self, service: &str) -> Result<&Endpoint, Error> {
        SERVICES.iter().position(|s| *s == service).map(|i| &self.inner.endpoints[i]).ok_or_else(|| {
            Error::InvalidConfig { what: "service", reason: format!("`{service}` is not a Nmbrs v3 service") }
        })
    }

    /// One call: each attempt waits for the rate limit, and failed attempts are retried as the
    /// retry policy says.
    async fn send<H, Resp>(&self, op: &'static Operation, header: &H, body_xml: &str) -> Result<Resp, Error>
    where
        H: HeaderEntries + Sync,
        Resp: Element,
    {
        let endpoint = self.endpoint(op.service)?;
        let inner = &*self.inner;
        let attempt = || async move {
            let waited = inner.limiter.acquire().await?;
            inner.counters.request(waited);
            inner.soap.send::<H, Resp>(endpoint, inner.version, op, header, body_xml, &inner.context).await
        };
        Ok(inner.retry.run("nmbrs", op, &inner.counters, attempt).await?)
    }

    /// `DebtorService.Environment_Get` with the plain `AuthHeader`, once; returns the subdomain.
    async fn environment_subdomain(&self) -> Result<String, Error> {
        let op = &debtor_service::operations::ENVIRONMENT_GET;
        let header = <debtor_service::AuthHeader as ProvidedBy<Caller>>::provide(self, op).await?;
        let body = envelope::body_xml(&debtor_service::EnvironmentGet {});
        let reply: debtor_service::EnvironmentGetResponse = self.send(op, &header, &body).await?;
        let environment = reply
            .environment_get_result
            .ok_or(Error::MissingResult { operation: op.name, what: "Environment_GetResult" })?;
        let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        if let Some(sub) = nonempty(environment.sub_domain) {
            return Ok(sub);
        }
        // Without SubDomain, the first label of Domain (`acme.nmbrs.nl` → `acme`).
        nonempty(environment.domain)
            .and_then(|d| d.split('.').next().map(str::to_owned))
            .filter(|d| !d.is_empty())
            .ok_or(Error::MissingResult { operation: op.name, what: "SubDomain" })
    }

    /// The domain to use: the current one, or a newly discovered one when there is none or the
    /// current one is generation `stale`. Concurrent callers share one discovery call.
    async fn resolve_domain(&self, stale: Option<u64>, op: &'static Operation) -> Result<Snapshot, Error> {
        let cache = &self.inner.domain;
        if let Some(snapshot) = cache.usable(stale) {
            return Ok(snapshot);
        }
        let observed = cache.completed.load(Ordering::Acquire);
        let mut flight = cache.flight.lock().await;
        if let Some(snapshot) = cache.usable(stale) {
            return Ok(snapshot);
        }
        if flight.completed > observed {
            if let Some(fault) = &flight.auth_failure {
                // The discovery this caller waited for was refused: share its answer.
                return Err(self.invalid_auth(AuthCause::Credentials, op, fault.clone()));
            }
            if let Some((message, retryable)) = &flight.failure {
                // The discovery this caller waited for failed otherwise: share that too.
                return Err(Error::DiscoveryFailed { message: message.clone(), retryable: *retryable });
            }
        }
        tracing::debug!(operation = op.name, "discovering the Nmbrs domain with Environment_Get");
        let result = self.environment_subdomain().await;
        flight.completed += 1;
        cache.completed.store(flight.completed, Ordering::Release);
        flight.auth_failure = None;
        flight.failure = None;
        match result {
            Ok(domain) => {
                let snapshot = cache.install(&domain, None);
                tracing::debug!(domain = %snapshot.domain, generation = snapshot.generation, "Nmbrs domain discovered");
                Ok(snapshot)
            }
            Err(Error::Api(fault)) if fault.code == Some(ErrorCode::InvalidAuthentication) => {
                flight.auth_failure = Some(fault.clone());
                Err(self.invalid_auth(AuthCause::Credentials, op, fault))
            }
            Err(e) => {
                flight.failure = Some((e.to_string(), e.is_retryable()));
                Err(e)
            }
        }
    }

    /// Tells the causes of a 1001 apart by calling `Environment_Get`, once for the callers that
    /// fail together: a caller whose call began (`observed` diagnoses completed) before a
    /// diagnosis for the same domain completed shares that diagnosis.
    async fn diagnose(&self, op: &'static Operation, sent: &Snapshot, fault: Box<ApiFault>, observed: u64) -> Error {
        let cache = &self.inner.domain;
        let mut flight = cache.diagnosis.lock().await;
        if flight.completed > observed {
            if let Some((domain, cause)) = &flight.last {
                if same_domain(domain, &sent.domain) {
                    return self.invalid_auth(cause.clone(), op, fault);
                }
            }
        }
        let cause = self.find_cause(sent).await;
        flight.completed += 1;
        flight.last = Some((sent.domain.clone(), cause.clone()));
        cache.diagnosed.store(flight.completed, Ordering::Release);
        self.invalid_auth(cause, op, fault)
    }

    /// Why `Environment_Get` says a call sent with `sent` got 1001.
    async fn find_cause(&self, sent: &Snapshot) -> AuthCause {
        match self.environment_subdomain().await {
            Ok(actual) if same_domain(&actual, &sent.domain) => {
                AuthCause::Unexplained { domain: sent.domain.to_string() }
            }
            Ok(actual) => {
                if !self.inner.domain.fixed {
                    // Later calls use the domain Nmbrs named.
                    self.inner.domain.install(&actual, Some(sent.generation));
                }
                AuthCause::Domain { configured: sent.domain.to_string(), actual }
            }
            Err(Error::Api(f)) if f.code == Some(ErrorCode::InvalidAuthentication) => AuthCause::Credentials,
            Err(e) => AuthCause::Undiagnosed { reason: e.to_string() },
        }
    }

    fn invalid_auth(&self, cause: AuthCause, op: &'static Operation, fault: Box<ApiFault>) -> Error {
        Error::InvalidAuthentication {
            cause,
            operation: op.name,
            username: self.inner.credentials.username().to_owned(),
            fault,
        }
    }

    /// The domain for the header of `op`: the one pinned for this attempt, or the current one.
    async fn header_domain(&self, op: &'static Operation) -> Result<String, Error> {
        let snapshot = match &self.pinned {
            Some(snapshot) => snapshot.clone(),
            None => self.resolve_domain(None, op).await?,
        };
        Ok(snapshot.domain.to_string())
    }

    fn username(&self) -> Option<String> {
        Some(self.inner.credentials.username().to_owned())
    }

    fn token(&self) -> Option<String> {
        Some(self.inner.credentials.token().expose().to_owned())
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    pub(crate) fn environment(&self) -> &Environment {
        &self.inner.environment
    }

    /// The current domain (fixed or discovered), discovering it if needed.
    pub(crate) async fn current_domain(&self, op: &'static Operation) -> Result<String, Error> {
        Ok(self.resolve_domain(None, op).await?.domain.to_string())
    }
}

impl Call for Caller {
    type Error = Error;

    /// Sends `op` with the header it declares.
    ///
    /// For an `AuthHeaderWithDomain` operation the domain is resolved first (discovered once if
    /// needed). When Nmbrs answers 1001: with a discovered domain, the domain is looked up
    /// again and, if it changed, the call is sent once more; otherwise (or when it fails again,
    /// or with a fixed domain) `Environment_Get` tells whether the credentials or the domain
    /// are wrong, and the result is [`Error::InvalidAuthentication`]. Every HTTP request waits
    /// for the client's rate limit; transport failures, 429 and 503 are retried as the client's
    /// [`RetryPolicy`] says.
    async fn call<H, Req, Resp>(&self, op: &'static Operation, body: &Req) -> Result<Resp, Error>
    where
        H: ProvidedBy<Self> + HeaderEntries + Send + Sync,
        Req: Element + Sync,
        Resp: Element + Send,
    {
        let body_xml = envelope::body_xml(body);
        let mut used = match (&self.pinned, op.header == Some(WITH_DOMAIN)) {
            (Some(pinned), _) => Some(pinned.clone()),
            (None, true) => Some(self.resolve_domain(None, op).await?),
            (None, false) => None,
        };
        let mut retried = false;
        loop {
            let diagnoses_seen = self.inner.domain.diagnosed.load(Ordering::Acquire);
            let attempt = Caller { inner: Arc::clone(&self.inner), pinned: used.clone() };
            let header = H::provide(&attempt, op).await?;
            let fault = match attempt.send::<H, Resp>(op, &header, &body_xml).await {
                Ok(reply) => return Ok(reply),
                Err(Error::Api(fault)) if fault.code == Some(ErrorCode::InvalidAuthentication) => fault,
                Err(e) => return Err(e),
            };
            let Some(sent) = used.take() else {
                // No domain was sent: with a header, only the e-mail/token pair can be wrong.
                return Err(match op.header {
                    Some(_) => self.invalid_auth(AuthCause::Credentials, op, fault),
                    None => Error::Api(fault),
                });
            };
            if self.inner.domain.fixed || retried {
                return Err(self.diagnose(op, &sent, fault, diagnoses_seen).await);
            }
            retried = true;
            let fresh = self.resolve_domain(Some(sent.generation), op).await?;
            if same_domain(&fresh.domain, &sent.domain) {
                // Environment_Get accepted the credentials and named the same domain.
                return Err(self.invalid_auth(AuthCause::Unexplained { domain: sent.domain.to_string() }, op, fault));
            }
            tracing::info!(
                operation = op.name,
                old = %sent.domain,
                new = %fresh.domain,
                "Nmbrs answered 1001 and the domain has changed; retrying once with the new domain"
            );
            used = Some(fresh);
        }
    }
}

macro_rules! provide_auth_header_with_domain {
    ($($service:ident),+ $(,)?) => {$(
        /// `AuthHeaderWithDomain` in this service's namespace: e-mail, token and the domain.
        impl ProvideHeader<$service::AuthHeaderWithDomain> for Caller {
            async fn header(&self, op: &'static Operation) -> Result<$service::AuthHeaderWithDomain, Error> {
                let domain = self.header_domain(op).await?;
                Ok($service::AuthHeaderWithDomain {
                    username: self.username(),
                    token: self.token(),
                    domain: Some(domain),
                })
            }
        }
    )+};
}

provide_auth_header_with_domain!(debtor_service, report_service);
#[cfg(feature = "nmbrs-company")]
provide_auth_header_with_domain!(company_service);
#[cfg(feature = "nmbrs-employee")]
provide_auth_header_with_domain!(employee_service);

/// `AuthHeader` (e-mail and token, no domain), declared by `DebtorService.Environment_Get`.
impl ProvideHeader<debtor_service::AuthHeader> for Caller {
    async fn header(&self, _op: &'static Operation) -> Result<debtor_service::AuthHeader, Error> {
        Ok(debtor_service::AuthHeader { username: self.username(), token: self.token() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("api@example.com", "s3cr3t-token")
    }

    #[test]
    fn client_is_send_sync_clone_and_debug_hides_the_token() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
        assert_traits::<Caller>();
        let client = Client::new(creds(), Environment::Sandbox).unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("s3cr3t-token") && debug.contains("api@example.com"), "{debug}");
        assert_eq!(client.cached_domain(), None);
    }

    #[test]
    fn endpoints_per_service() {
        let client = Client::new(creds(), Environment::Custom("http://127.0.0.1:9/soap/v3".into())).unwrap();
        let caller = client.caller();
        assert_eq!(
            caller.endpoint("EmployeeService").unwrap().as_str(),
            "http://127.0.0.1:9/soap/v3/EmployeeService.asmx"
        );
        assert_eq!(caller.endpoint("SingleSignOn").unwrap().as_str(), "http://127.0.0.1:9/soap/v3/SingleSignOn.asmx");
        assert!(matches!(caller.endpoint("Nope"), Err(Error::InvalidConfig { .. })));
        let client = Client::new(creds(), Environment::Sweden).unwrap();
        assert_eq!(
            client.caller().endpoint("DebtorService").unwrap().as_str(),
            "https://api.nmbrs.se/soap/v3/DebtorService.asmx"
        );
    }

    #[test]
    fn configuration_is_checked() {
        let bad_domain =
            Client::builder(creds(), Environment::Production).domain(Domain::Fixed("acme.nmbrs.nl".into())).build();
        let err = bad_domain.unwrap_err();
        assert!(
            matches!(err, Error::InvalidConfig { what: "domain", .. }) && err.to_string().contains("subdomain"),
            "{err}"
        );
        let empty = Client::new(Credentials::new("a@b.nl", ""), Environment::Production).unwrap_err();
        assert!(matches!(empty, Error::InvalidConfig { .. }));
        let insecure = Client::new(creds(), Environment::Custom("http://example.com/soap/v3/".into())).unwrap_err();
        assert!(matches!(insecure, Error::Soap(soap::Error::InsecureUrl { .. })), "{insecure}");
    }

    #[test]
    fn domain_generations() {
        let cache = DomainCache::new(None);
        assert!(cache.usable(None).is_none());
        let first = cache.install("alpha", None);
        assert_eq!(first.generation, 1);
        assert!(cache.usable(Some(1)).is_none());
        assert_eq!(cache.usable(Some(0)).unwrap().domain.as_ref(), "alpha");
        // A stale install does not clobber a newer one.
        let second = cache.install("beta", Some(1));
        assert_eq!((second.domain.as_ref(), second.generation), ("beta", 2));
        assert_eq!(cache.install("gamma", Some(1)).domain.as_ref(), "beta");
        let fixed = DomainCache::new(Some("fixed".into()));
        assert_eq!(fixed.usable(Some(0)).unwrap().domain.as_ref(), "fixed");
    }
}
