//! The token manager: one token per account, shared, renewed once for all callers.
//!
//! Data Zoo hands out a new token on every authentication, valid for 24 hours, and revokes the
//! user's previous token at the same moment. Authenticating per call, or from several workers
//! independently, therefore breaks the calls of everyone else on the account. The manager
//!
//! - keeps the current token in a [`TokenStore`] shared by every clone of a
//!   [`Client`](super::Client) (and, with a shared store, by every process);
//! - authenticates on first need and again ahead of the 24-hour expiry (by
//!   [`TokenPolicy::refresh_margin`]), once for any number of concurrent callers (single flight:
//!   a local gate within the process, the store's lease lock across processes);
//! - on "Invalid Token", re-authenticates only if the token that failed is still the current one
//!   (compared by [`TokenRecord::generation`]); a call that failed with an older token retries
//!   with the current one;
//! - stops with [`Error::TokenContention`] when a token it obtained to replace a rejected one is
//!   itself rejected within [`TokenPolicy::contention_window`]: another party is authenticating
//!   with the same account, and re-authenticating again would only start a fight.
//!
//! Time is tokio's clock ([`tokio::time::Instant`]), so tests can pause and advance it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;
use uuid::Uuid;

use super::error::StoreError;
use super::login::Login;
use super::session::Session;
use super::Error;

/// How long a Data Zoo token is valid after it was handed out: 24 hours.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The default margin before expiry at which the token is renewed: 5 minutes.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// The default contention window: 60 seconds.
pub const DEFAULT_CONTENTION_WINDOW: Duration = Duration::from_secs(60);

/// The default lease of the renewal lock: 150 seconds, longer than the default per-call timeout
/// (120 s) of the login request.
pub const DEFAULT_LOCK_LEASE: Duration = Duration::from_secs(150);

/// A boxed future returned by [`TokenStore`] methods (the trait is object safe, so a client
/// holds an `Arc<dyn TokenStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Why a token was obtained. Part of the stored record: the contention rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RenewalCause {
    /// No token was stored yet.
    Initial,
    /// The stored token was about to expire (or had expired).
    Expiry,
    /// The service rejected the stored token with "Invalid Token".
    Rejected,
}

impl RenewalCause {
    /// `initial`, `expiry` or `rejected`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RenewalCause::Initial => "initial",
            RenewalCause::Expiry => "expiry",
            RenewalCause::Rejected => "rejected",
        }
    }
}

/// What a [`TokenStore`] holds: the session and its generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Increases with every replacement; callers compare it to tell whether the token they used
    /// is still the current one.
    pub generation: u64,
    /// Why this token was obtained.
    pub cause: RenewalCause,
    /// The session, token included.
    pub session: Arc<Session>,
}

/// The outcome of [`TokenStore::replace_if`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replaced {
    /// The store held the expected generation and now holds the new record.
    Done(TokenRecord),
    /// The store held another generation; nothing was changed. Carries what it holds.
    Conflict(Option<TokenRecord>),
}

/// Proof of holding the renewal lock, returned by [`TokenStore::try_lock`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LockLease {
    /// A random id: releasing checks that the lock is still held with this id, so a holder whose
    /// lease ran out cannot release someone else's lock.
    pub id: Uuid,
    /// How long the lock is held at most without being released.
    pub lease: Duration,
}

/// Where the current token of one account lives.
///
/// One store holds the token of one account. [`MemoryTokenStore`] (the default) shares it among
/// the clones of a client, or among several clients of one process that are given the same
/// store. A store shared by processes (for example in Redis) lets a fleet of workers use one
/// token instead of revoking each other's; the operations map onto such a store as follows:
///
/// | operation | Redis sketch |
/// |---|---|
/// | [`current`](TokenStore::current) | `GET token` |
/// | [`replace_if`](TokenStore::replace_if) | a script: compare the stored generation, `SET` the record with generation + 1 |
/// | [`try_lock`](TokenStore::try_lock) | `SET lock <id> NX PX <lease>` |
/// | [`unlock`](TokenStore::unlock) | a script: `DEL lock` if it still holds `<id>` |
/// | [`wait_for_change`](TokenStore::wait_for_change) | poll, or subscribe to a channel the writer publishes to |
///
/// A store that leaves the process must persist [`Session::obtained_at`] as wall-clock time
/// (`SystemTime::now() - obtained_at.elapsed()`) and map it back to a `tokio::time::Instant` the
/// same way when reading, and must keep the token as confidential as a password. Errors must not
/// carry the token.
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The current record, if any.
    fn current(&self) -> StoreFuture<'_, Option<TokenRecord>>;

    /// Stores `session` as the new current record if the store still holds generation
    /// `expected` (`None`: the store is empty). The new record's generation must be greater than
    /// every generation the store held before.
    fn replace_if(
        &self,
        expected: Option<u64>,
        session: Arc<Session>,
        cause: RenewalCause,
    ) -> StoreFuture<'_, Replaced>;

    /// Takes the renewal lock for at most `lease` if nobody holds it (or its holder's lease ran
    /// out). `None` when it is held.
    fn try_lock(&self, lease: Duration) -> StoreFuture<'_, Option<LockLease>>;

    /// Releases the lock if it is still held with `lock.id`; does nothing otherwise.
    fn unlock(&self, lock: LockLease) -> StoreFuture<'_, ()>;

    /// Waits until the current generation differs from `seen` or the lock is released, or at
    /// most `max_wait`. May return early (spuriously); callers check again.
    ///
    /// The default polls: it sleeps `min(max_wait, 100 ms)`.
    fn wait_for_change(&self, seen: Option<u64>, max_wait: Duration) -> StoreFuture<'_, ()> {
        let _ = seen;
        Box::pin(async move {
            tokio::time::sleep(max_wait.min(Duration::from_millis(100))).await;
            Ok(())
        })
    }
}

/// The in-memory [`TokenStore`]: the default, one per client unless one is given.
///
/// Give the same `Arc<MemoryTokenStore>` to several clients of the same account in one process
/// and they share one token.
#[derive(Debug)]
pub struct MemoryTokenStore {
    state: Mutex<MemoryState>,
    changes: watch::Sender<u64>,
}

#[derive(Debug, Default)]
struct MemoryState {
    record: Option<TokenRecord>,
    last_generation: u64,
    lock: Option<(Uuid, Instant)>,
}

impl Default for MemoryTokenStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self { state: Mutex::new(MemoryState::default()), changes: watch::Sender::new(0) }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, MemoryState> {
        // The state stays consistent even if a holder panicked: every update is one assignment.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn changed(&self) {
        self.changes.send_modify(|n| *n = n.wrapping_add(1));
    }
}

impl TokenStore for MemoryTokenStore {
    fn current(&self) -> StoreFuture<'_, Option<TokenRecord>> {
        let record = self.state().record.clone();
        Box::pin(std::future::ready(Ok(record)))
    }

    fn replace_if(
        &self,
        expected: Option<u64>,
        session: Arc<Session>,
        cause: RenewalCause,
    ) -> StoreFuture<'_, Replaced> {
        let outcome = {
            let mut state = self.state();
            if state.record.as_ref().map(|r| r.generation) == expected {
                state.last_generation += 1;
                let record = TokenRecord { generation: state.last_generation, cause, session };
                state.record = Some(record.clone());
                Replaced::Done(record)
            } else {
                Replaced::Conflict(state.record.clone())
            }
        };
        if matches!(outcome, Replaced::Done(_)) {
            self.changed();
        }
        Box::pin(std::future::ready(Ok(outcome)))
    }

    fn try_lock(&self, lease: Duration) -> StoreFuture<'_, Option<LockLease>> {
        let now = Instant::now();
        let mut state = self.state();
        let taken = match state.lock {
            Some((_, until)) if until > now => None,
            _ => {
                let id = Uuid::new_v4();
                state.lock = Some((id, now + lease));
                Some(LockLease { id, lease })
            }
        };
        Box::pin(std::future::ready(Ok(taken)))
    }

    fn unlock(&self, lock: LockLease) -> StoreFuture<'_, ()> {
        let released = {
            let mut state = self.state();
            if state.lock.is_some_and(|(id, _)| id == lock.id) {
                state.lock = None;
                true
            } else {
                false
            }
        };
        if released {
            self.changed();
        }
        Box::pin(std::future::ready(Ok(())))
    }

    fn wait_for_change(&self, seen: Option<u64>, max_wait: Duration) -> StoreFuture<'_, ()> {
        // Subscribe before looking, so a change in between is not missed.
        let mut changes = self.changes.subscribe();
        let settled = {
            let state = self.state();
            let now = Instant::now();
            state.record.as_ref().map(|r| r.generation) != seen || state.lock.is_none_or(|(_, until)| until <= now)
        };
        Box::pin(async move {
            if !settled {
                let _ = tokio::time::timeout(max_wait, changes.changed()).await;
            }
            Ok(())
        })
    }
}

/// The timing rules of the token manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenPolicy {
    /// How long a token is valid after it was obtained. Default [`TOKEN_LIFETIME`] (24 h).
    pub lifetime: Duration,
    /// How long before expiry the token is renewed. Default [`DEFAULT_REFRESH_MARGIN`] (5 min).
    pub refresh_margin: Duration,
    /// A token obtained to replace a rejected one and rejected itself within this time means
    /// contention. Default [`DEFAULT_CONTENTION_WINDOW`] (60 s).
    pub contention_window: Duration,
    /// The lease of the renewal lock. Default [`DEFAULT_LOCK_LEASE`] (150 s); keep it longer
    /// than the login call's timeout.
    pub lock_lease: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self {
            lifetime: TOKEN_LIFETIME,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            contention_window: DEFAULT_CONTENTION_WINDOW,
            lock_lease: DEFAULT_LOCK_LEASE,
        }
    }
}

impl TokenPolicy {
    /// Whether `record` may still be used without renewing it, at `now`.
    pub fn is_fresh(&self, record: &TokenRecord, now: Instant) -> bool {
        let usable_for = self.lifetime.saturating_sub(self.refresh_margin);
        now.saturating_duration_since(record.session.obtained_at()) < usable_for
    }

    /// Whether a rejection of `record` at `now` means contention: the token was obtained to
    /// replace a rejected token, less than [`contention_window`](Self::contention_window) ago.
    pub fn is_contention(&self, record: &TokenRecord, now: Instant) -> bool {
        record.cause == RenewalCause::Rejected
            && now.saturating_duration_since(record.session.obtained_at()) < self.contention_window
    }
}

/// Hands out the current token and renews it; one per client, shared by its clones.
#[derive(Debug)]
pub(crate) struct TokenManager {
    store: Arc<dyn TokenStore>,
    login: Login,
    policy: TokenPolicy,
    /// Serialises renewals within the process, so concurrent callers cause one login.
    gate: tokio::sync::Mutex<()>,
    authentications: AtomicU64,
    /// Login attempts finished so far; with `last_failure`, lets the callers that queued at the
    /// gate while an attempt failed share its failure instead of each trying again in turn.
    attempts: AtomicU64,
    last_failure: Mutex<Option<Failure>>,
}

/// A failed login attempt, as shared with the callers that waited for it.
#[derive(Debug, Clone)]
struct Failure {
    attempt: u64,
    message: String,
    retryable: bool,
}

/// The store's renewal lock while held; released when dropped, even when the call holding it is
/// cancelled mid-login, so nobody waits for the lease to run out.
struct HeldLock<'a> {
    store: &'a Arc<dyn TokenStore>,
    lock: Option<LockLease>,
}

impl HeldLock<'_> {
    async fn release(mut self) {
        if let Some(lock) = self.lock.take() {
            if let Err(e) = self.store.unlock(lock).await {
                tracing::warn!(error = %e, "could not release the datazoo token lock; it expires with its lease");
            }
        }
    }
}

impl Drop for HeldLock<'_> {
    fn drop(&mut self) {
        if let Some(lock) = self.lock.take() {
            let store = self.store.clone();
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = store.unlock(lock).await;
                });
            }
        }
    }
}

impl TokenManager {
    pub(crate) fn new(store: Arc<dyn TokenStore>, login: Login, policy: TokenPolicy) -> Self {
        Self {
            store,
            login,
            policy,
            gate: tokio::sync::Mutex::new(()),
            authentications: AtomicU64::new(0),
            attempts: AtomicU64::new(0),
            last_failure: Mutex::new(None),
        }
    }

    pub(crate) fn login(&self) -> &Login {
        &self.login
    }

    pub(crate) fn policy(&self) -> &TokenPolicy {
        &self.policy
    }

    pub(crate) fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// Logins this manager performed.
    pub(crate) fn authentications(&self) -> u64 {
        self.authentications.load(Ordering::Relaxed)
    }

    fn user(&self) -> &str {
        self.login.credentials().user_name()
    }

    /// The last login failure, if an attempt after `attempts_seen` failed.
    fn failure_since(&self, attempts_seen: u64) -> Option<Failure> {
        let last = self.last_failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        last.as_ref().filter(|f| f.attempt > attempts_seen).cloned()
    }

    /// The current record, if it belongs to this account.
    async fn stored(&self) -> Result<Option<TokenRecord>, Error> {
        let record = self.store.current().await?;
        if let Some(r) = &record {
            if r.session.user_name() != self.user() {
                return Err(Error::Store(StoreError::new(format!(
                    "the token store holds a token of user {:?}, not of {:?}: use one store per account",
                    r.session.user_name(),
                    self.user()
                ))));
            }
        }
        Ok(record)
    }

    /// A token to call with: the stored one while fresh, else a renewed one.
    pub(crate) async fn token(&self) -> Result<TokenRecord, Error> {
        match self.stored().await? {
            Some(record) if self.policy.is_fresh(&record, Instant::now()) => Ok(record),
            Some(record) => self.renew(Some(record.generation), RenewalCause::Expiry).await,
            None => self.renew(None, RenewalCause::Initial).await,
        }
    }

    /// A call made with `failed` got "Invalid Token": the token to retry with.
    ///
    /// If `failed` is no longer the current token, the current one (renewing it if it has
    /// expired); otherwise a new one, unless the rejection means contention.
    pub(crate) async fn rejected(&self, failed: &TokenRecord) -> Result<TokenRecord, Error> {
        tracing::debug!(generation = failed.generation, "datazoo token rejected");
        self.renew(Some(failed.generation), RenewalCause::Rejected).await
    }

    /// The error for a retry that was rejected again with `record`.
    pub(crate) fn rejected_again(&self, record: &TokenRecord) -> Error {
        let now = Instant::now();
        if self.policy.is_contention(record, now) {
            self.contention(record, now)
        } else {
            Error::TokenRejected { user_name: self.user().to_owned() }
        }
    }

    fn contention(&self, record: &TokenRecord, now: Instant) -> Error {
        let age = now.saturating_duration_since(record.session.obtained_at());
        tracing::warn!(
            user = self.user(),
            age_ms = u64::try_from(age.as_millis()).unwrap_or(u64::MAX),
            "datazoo token contention: another client is authenticating with the same account"
        );
        Error::contention(self.user(), age, self.policy.contention_window)
    }

    /// Replaces generation `stale` (`None`: no token yet), unless someone already did.
    async fn renew(&self, stale: Option<u64>, cause: RenewalCause) -> Result<TokenRecord, Error> {
        let attempts_seen = self.attempts.load(Ordering::SeqCst);
        let _gate = self.gate.lock().await;
        if let Some(failure) = self.failure_since(attempts_seen) {
            return Err(Error::LoginFailed { message: failure.message, retryable: failure.retryable });
        }
        loop {
            let current = self.stored().await?;
            if let Some(record) = self.usable(&current, stale, cause)? {
                return Ok(record);
            }
            let Some(lock) = self.store.try_lock(self.policy.lock_lease).await? else {
                // Another process is renewing: wait for its result (or for its lease to run out).
                let seen = current.as_ref().map(|r| r.generation);
                self.store.wait_for_change(seen, self.policy.lock_lease).await?;
                continue;
            };
            let held = HeldLock { store: &self.store, lock: Some(lock) };
            let result = self.renew_locked(stale, cause).await;
            held.release().await;
            return result;
        }
    }

    /// `current` if the caller can use it instead of renewing `stale`; an error on contention;
    /// `None` when a login is needed.
    fn usable(
        &self,
        current: &Option<TokenRecord>,
        stale: Option<u64>,
        cause: RenewalCause,
    ) -> Result<Option<TokenRecord>, Error> {
        let now = Instant::now();
        match current {
            Some(record) if Some(record.generation) != stale && self.policy.is_fresh(record, now) => {
                Ok(Some(record.clone()))
            }
            Some(record)
                if cause == RenewalCause::Rejected
                    && Some(record.generation) == stale
                    && self.policy.is_contention(record, now) =>
            {
                Err(self.contention(record, now))
            }
            _ => Ok(None),
        }
    }

    /// Holding the lock: check again, log in, store the result.
    async fn renew_locked(&self, stale: Option<u64>, cause: RenewalCause) -> Result<TokenRecord, Error> {
        let current = self.stored().await?;
        if let Some(record) = self.usable(&current, stale, cause)? {
            return Ok(record);
        }
        let expected = current.as_ref().map(|r| r.generation);
        // A newer token that has expired is renewed for expiry, whatever made this caller come.
        let cause = if expected == stale { cause } else { RenewalCause::Expiry };
        tracing::info!(
            user = self.user(),
            method = self.login.method().as_str(),
            cause = cause.as_str(),
            "datazoo login"
        );
        self.authentications.fetch_add(1, Ordering::Relaxed);
        let login = self.login.login().await;
        let attempt = self.attempts.fetch_add(1, Ordering::SeqCst) + 1;
        let session = match login {
            Ok(session) => Arc::new(session),
            Err(e) => {
                let failure = Failure { attempt, message: e.to_string(), retryable: e.is_retryable() };
                *self.last_failure.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(failure);
                return Err(e);
            }
        };
        match self.store.replace_if(expected, session, cause).await? {
            Replaced::Done(record) => Ok(record),
            // Someone replaced the record while this process held the lock (its lease ran out):
            // the store's record wins; if it is stale, the next rejection sorts it out.
            Replaced::Conflict(Some(record)) => Ok(record),
            Replaced::Conflict(None) => {
                Err(Error::Store(StoreError::new("the token store lost its record while a login was stored")))
            }
        }
    }
}
