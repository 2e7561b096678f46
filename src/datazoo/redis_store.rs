//! A [`TokenStore`] in Redis, so that a fleet of workers shares one Data Zoo token (feature
//! `redis`).
//!
//! Every Data Zoo login revokes the user's previous token. Workers that each keep their own
//! token revoke each other's in a loop; with a [`RedisTokenStore`] they keep one token in Redis
//! and one of them signs in for all (see `docs/datazoo-redis.md`).
//!
//! Layout, for the account whose user name hashes (SHA-256, hex) to `<h>`:
//!
//! | key | type | content |
//! |---|---|---|
//! | `<prefix>:{<h>}:token` | hash | `generation`, `cause`, `obtained_ms` (Redis server time), `method`, `token`, `reference`, `countries` (JSON) |
//! | `<prefix>:{<h>}:lock` | string | the renewal lock: the holder's random id, with a lease (`SET NX PX`) |
//!
//! The user name and the password are never written to Redis; the token necessarily is.
//!
//! - [`current`](TokenStore::current) reads the hash and the server's clock in one script.
//! - [`replace_if`](TokenStore::replace_if) is a script that compares the stored generation with
//!   the expected one and writes the new record only on a match (compare-and-swap).
//! - [`try_lock`](TokenStore::try_lock) is `SET lock <id> NX PX <lease>`;
//!   [`unlock`](TokenStore::unlock) a compare-and-delete script, so a holder whose lease ran out
//!   cannot release a lock someone else has taken since.
//! - [`wait_for_change`](TokenStore::wait_for_change) polls the generation and the lock's
//!   existence (one small script per poll) until either changed.
//!
//! Times are Redis server time: a token's age is measured against one clock for the whole fleet,
//! whatever the skew between the workers' clocks.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Script, Value};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;
use tokio::time::Instant;
use uuid::Uuid;

use super::error::{BoxError, StoreError};
use super::session::{CountrySources, LoginMethod, Session};
use super::token::{LockLease, RenewalCause, Replaced, StoreFuture, TokenRecord, TokenStore, TOKEN_LIFETIME};
use crate::soap::Secret;

/// The default prefix of the store's keys: `soapbind:datazoo`.
pub const DEFAULT_KEY_PREFIX: &str = "soapbind:datazoo";

/// The default interval at which a worker waiting for another one's login polls Redis: 100 ms.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(100);

/// The default timeout of connecting to Redis and of each Redis command: 2 seconds.
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_secs(2);

/// With the in-memory fallback enabled, how long the store keeps to memory after Redis failed
/// before it tries Redis again, by default: 5 seconds.
pub const DEFAULT_FALLBACK_RETRY: Duration = Duration::from_secs(5);

/// How many times a lost connection is re-established before a command fails.
const CONNECTION_RETRIES: usize = 2;

/// Reads the record and the server's clock. `KEYS[1]`: the record.
const READ_SCRIPT: &str = r"
local now = redis.call('TIME')
return {redis.call('HGETALL', KEYS[1]), now[1], now[2]}
";

/// Compare-and-swap on the generation.
///
/// `KEYS[1]`: the record. `ARGV[1]`: the expected generation (`''`: none); `ARGV[2]`: the
/// token's age in ms; `ARGV[3]`: the highest generation this store has seen; `ARGV[4..]`: the
/// other fields, name and value in turn.
///
/// The new generation is the server time in ms, or one more than the stored generation or the
/// highest one this store has seen if that is larger: generations keep increasing even if Redis
/// loses the record (a restart without persistence, eviction, a fail-over to a replica that
/// lagged), also within one millisecond.
const REPLACE_SCRIPT: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local now = redis.call('TIME')
local current = redis.call('HGET', KEYS[1], 'generation')
if (current or '') ~= ARGV[1] then
  return {0, redis.call('HGETALL', KEYS[1]), now[1], now[2]}
end
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local generation = math.max((tonumber(current) or 0) + 1, tonumber(ARGV[3]) + 1, now_ms)
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1],
  'generation', string.format('%d', generation),
  'obtained_ms', string.format('%d', math.max(0, now_ms - tonumber(ARGV[2]))),
  unpack(ARGV, 4))
return {1, string.format('%d', generation)}
";

/// Compare-and-delete. `KEYS[1]`: the lock; `ARGV[1]`: the holder's id.
const UNLOCK_SCRIPT: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// The stored generation and whether the lock is held. `KEYS[1]`: the record; `KEYS[2]`: the lock.
const PEEK_SCRIPT: &str = r"
return {redis.call('HGET', KEYS[1], 'generation'), redis.call('EXISTS', KEYS[2])}
";

/// What went wrong in a [`RedisTokenStore`]. Reaches callers as the source of a
/// [`StoreError`] (inside [`Error::Store`](super::Error::Store)); find it with
/// [`RedisStoreError::find`].
///
/// No variant carries the token, the password of the Redis URL or the Data Zoo password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisStoreError {
    /// The Redis URL could not be parsed.
    #[error("the Redis URL is not usable: {reason}; expected redis://[user:password@]host:port[/db]")]
    InvalidUrl {
        /// What is wrong with it (never the URL itself: it may hold a password).
        reason: String,
    },

    /// The store's configuration is not usable.
    #[error("invalid Redis token store configuration: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },

    /// Redis could not be reached: connection refused or lost, or a timeout, or the server is
    /// loading or fail-over is in progress. Calls fail with this rather than sign in without the
    /// shared store, which would revoke the token of the rest of the fleet; see
    /// [`RedisTokenStoreBuilder::fallback_to_memory`].
    #[error(
        "Redis at {server} is unreachable while {operation}: {source}. No Data Zoo login is attempted without the \
         shared token store, since it would revoke the token of every other worker; check that Redis is running \
         and reachable"
    )]
    Unreachable {
        /// The server, as `host:port/db` (no password).
        server: String,
        /// What the store was doing, e.g. `reading the token`.
        operation: &'static str,
        /// The Redis client's error.
        #[source]
        source: BoxError,
    },

    /// Redis answered with an error: authentication failed, the ACL denies a command or a key,
    /// the server is read-only, scripting is disabled, ...
    #[error(
        "Redis at {server} refused {operation}: {source}; check the credentials in the Redis URL and that the \
         user's ACL allows the keys {keys} and the commands PING, SET, EVALSHA, SCRIPT|LOAD, GET, DEL, EXISTS, HGET, \
         HGETALL, HSET and TIME (see docs/datazoo-redis.md)"
    )]
    Refused {
        /// The server, as `host:port/db`.
        server: String,
        /// What the store was doing.
        operation: &'static str,
        /// The key pattern the store uses.
        keys: String,
        /// The Redis client's error.
        #[source]
        source: BoxError,
    },

    /// The record in Redis cannot be read back as a token.
    #[error(
        "the token record {key} in Redis at {server} is not usable: {reason}; delete the key and the next call signs \
         in again"
    )]
    CorruptRecord {
        /// The server, as `host:port/db`.
        server: String,
        /// The record's key.
        key: String,
        /// What is wrong (never a stored value).
        reason: String,
    },

    /// A session of another user was given to a store bound to one account.
    #[error(
        "the Redis token store of account {account} was given a session of user {user_name:?}, another account: use \
         one store per account"
    )]
    WrongAccount {
        /// The SHA-256 (hex) of the store's user name, as in its keys.
        account: String,
        /// The user name of the session.
        user_name: String,
    },
}

impl RedisStoreError {
    /// Finds a `RedisStoreError` in `error` or its chain of sources, e.g. in a
    /// [`datazoo::Error`](super::Error) returned by a call.
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a RedisStoreError> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<RedisStoreError>() {
                return Some(found);
            }
            current = e.source();
        }
        None
    }

    /// Whether Redis could not be reached ([`RedisStoreError::Unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, RedisStoreError::Unreachable { .. })
    }

    fn into_store_error(self) -> StoreError {
        StoreError::with_source("Redis token store", self)
    }
}

/// Builds a [`RedisTokenStore`]; from [`RedisTokenStore::builder`].
#[must_use]
pub struct RedisTokenStoreBuilder {
    url: String,
    user_name: String,
    key_prefix: String,
    poll_interval: Duration,
    connect_timeout: Duration,
    response_timeout: Duration,
    fallback: Option<Duration>,
}

impl fmt::Debug for RedisTokenStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: left out.
        f.debug_struct("RedisTokenStoreBuilder")
            .field("user_name", &self.user_name)
            .field("key_prefix", &self.key_prefix)
            .field("poll_interval", &self.poll_interval)
            .field("connect_timeout", &self.connect_timeout)
            .field("response_timeout", &self.response_timeout)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl RedisTokenStoreBuilder {
    /// The prefix of the store's keys. Default [`DEFAULT_KEY_PREFIX`]. Use different prefixes
    /// for environments that share a Redis server and a user name (e.g. Data Zoo's test and
    /// production services).
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// How often a worker that waits for another one's login polls Redis. Default
    /// [`DEFAULT_POLL_INTERVAL`].
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// The timeout of connecting to Redis. Default [`DEFAULT_REDIS_TIMEOUT`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The timeout of each Redis command. Default [`DEFAULT_REDIS_TIMEOUT`].
    pub fn response_timeout(mut self, timeout: Duration) -> Self {
        self.response_timeout = timeout;
        self
    }

    /// Opt in to an in-memory fallback: while Redis is unreachable, the store keeps the token
    /// in this process's memory instead of failing the calls.
    ///
    /// **For a single worker only.** Each worker that falls back signs in on its own, and every
    /// login revokes the token of the others: with several workers this brings back the loop of
    /// revocations the store exists to prevent. Without the fallback (the default) an
    /// unreachable Redis fails the calls with [`RedisStoreError::Unreachable`].
    ///
    /// While Redis is down the store serves the last record it saw there, so a token that is
    /// still valid keeps being used without a login. After a failure it tries Redis again after
    /// [`fallback_retry_after`](Self::fallback_retry_after). A token obtained during the
    /// outage is written back to Redis when it is reachable again, unless Redis holds a newer one.
    /// Only unreachability falls back: an error that Redis answers (a refused password, an ACL)
    /// still fails the call.
    pub fn fallback_to_memory(mut self) -> Self {
        self.fallback.get_or_insert(DEFAULT_FALLBACK_RETRY);
        self
    }

    /// With [`fallback_to_memory`](Self::fallback_to_memory): how long to keep to memory after a
    /// failure before trying Redis again. Default [`DEFAULT_FALLBACK_RETRY`]. Enables the
    /// fallback.
    pub fn fallback_retry_after(mut self, retry_after: Duration) -> Self {
        self.fallback = Some(retry_after);
        self
    }

    /// Builds the store without connecting: the first operation connects.
    ///
    /// # Errors
    /// [`RedisStoreError::InvalidUrl`] or [`RedisStoreError::Config`], inside a [`StoreError`].
    pub fn build(self) -> Result<RedisTokenStore, StoreError> {
        self.build_store().map_err(RedisStoreError::into_store_error)
    }

    /// Builds the store and checks that Redis answers (`PING`).
    ///
    /// With the [fallback](Self::fallback_to_memory), an unreachable Redis is not an error: the
    /// store starts in memory ([`RedisTokenStore::is_degraded`]) and tries Redis again later.
    ///
    /// # Errors
    /// As [`build`](Self::build); [`RedisStoreError::Unreachable`] or
    /// [`RedisStoreError::Refused`] when Redis does not answer `PING`.
    pub async fn connect(self) -> Result<RedisTokenStore, StoreError> {
        let store = self.build()?;
        match store.ping().await {
            Ok(()) => Ok(store),
            Err(e) => match store.fallen_back(e) {
                Ok(()) => Ok(store),
                Err(e) => Err(e.into_store_error()),
            },
        }
    }

    fn build_store(self) -> Result<RedisTokenStore, RedisStoreError> {
        if self.user_name.trim().is_empty() {
            return Err(RedisStoreError::Config { reason: "the user name is empty".into() });
        }
        if self.key_prefix.is_empty() {
            return Err(RedisStoreError::Config { reason: "the key prefix is empty".into() });
        }
        if self.poll_interval.is_zero() {
            return Err(RedisStoreError::Config { reason: "the poll interval is zero".into() });
        }
        let client = ::redis::Client::open(self.url.as_str()).map_err(|e| RedisStoreError::InvalidUrl {
            // The client's messages describe the problem, not the URL.
            reason: e.to_string(),
        })?;
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        let account = hex_sha256(&self.user_name);
        let base = format!("{}:{{{account}}}", self.key_prefix);
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(CONNECTION_RETRIES)
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.response_timeout));
        Ok(RedisTokenStore {
            client,
            config,
            connection: OnceCell::new(),
            server,
            user_name: self.user_name,
            token_key: format!("{base}:token"),
            lock_key: format!("{base}:lock"),
            key_pattern: format!("{base}:*"),
            account,
            poll_interval: self.poll_interval,
            fallback: self.fallback.map(|retry_after| Fallback { retry_after, state: Mutex::new(Local::default()) }),
            highest_generation: AtomicU64::new(0),
            scripts: Scripts {
                read: Script::new(READ_SCRIPT),
                replace: Script::new(REPLACE_SCRIPT),
                unlock: Script::new(UNLOCK_SCRIPT),
                peek: Script::new(PEEK_SCRIPT),
            },
        })
    }
}

/// A [`TokenStore`] in Redis: workers of one Data Zoo account, in any number of processes and
/// hosts, share one token and sign in once for all.
///
/// One store per account: the keys are named after the SHA-256 of the user name (the user name
/// itself is not stored). Every call of a [`Client`](super::Client) reads the token from Redis
/// (one round trip); a renewal is done under a Redis lock with a lease, by one worker, while the
/// others wait for its result.
///
/// When Redis is unreachable, calls fail with [`RedisStoreError::Unreachable`] (inside
/// [`Error::Store`](super::Error::Store)) and no login is attempted, unless the
/// [in-memory fallback](RedisTokenStoreBuilder::fallback_to_memory) is enabled (for single-worker
/// deployments).
///
/// The token is stored in Redis in clear: protect Redis like the password (ACL, TLS, a private
/// network). See `docs/datazoo-redis.md`.
///
/// ```no_run
/// use std::sync::Arc;
/// use soapbind::datazoo::{Client, Credentials, RedisTokenStore};
///
/// # async fn run() -> Result<(), soapbind::datazoo::Error> {
/// let store = RedisTokenStore::connect("redis://datazoo:acl-password@redis.internal:6379/0", "api-user").await?;
/// let client = Client::builder()
///     .credentials(Credentials::new("api-user", std::env::var("DATAZOO_PASSWORD").unwrap_or_default()))
///     .endpoint("https://svc.datazoo.co.nz/")
///     .token_store(Arc::new(store))
///     .build()?;
/// # Ok(()) }
/// ```
pub struct RedisTokenStore {
    client: ::redis::Client,
    config: ConnectionManagerConfig,
    connection: OnceCell<ConnectionManager>,
    server: String,
    user_name: String,
    account: String,
    token_key: String,
    lock_key: String,
    key_pattern: String,
    poll_interval: Duration,
    fallback: Option<Fallback>,
    scripts: Scripts,
    /// The highest generation this store has read or written, the floor of the next one.
    highest_generation: AtomicU64,
}

struct Scripts {
    read: Script,
    replace: Script,
    unlock: Script,
    peek: Script,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("server", &self.server)
            .field("user_name", &self.user_name)
            .field("token_key", &self.token_key)
            .field("lock_key", &self.lock_key)
            .field("poll_interval", &self.poll_interval)
            .field("fallback", &self.fallback.as_ref().map(|f| f.retry_after))
            .field("degraded", &self.is_degraded())
            .finish_non_exhaustive()
    }
}

/// The in-memory fallback's state.
struct Fallback {
    retry_after: Duration,
    state: Mutex<Local>,
}

#[derive(Default)]
struct Local {
    /// When Redis last failed, while the store keeps to memory.
    down_since: Option<Instant>,
    /// The last record seen in Redis, or obtained while Redis was down.
    record: Option<TokenRecord>,
    /// A record obtained while Redis was down, to write back, and the generation it replaced in
    /// Redis.
    pending: Option<(Option<u64>, TokenRecord)>,
    /// The renewal lock while Redis is down.
    lock: Option<(Uuid, Instant)>,
}

impl Fallback {
    fn state(&self) -> MutexGuard<'_, Local> {
        // Every update is a few assignments; a panic cannot leave the state half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl RedisTokenStore {
    /// A builder for the store of account `user_name` in the Redis at `redis_url`
    /// (`redis://[user:password@]host:port[/db]`, or `rediss://` when the `redis` crate's TLS
    /// feature is enabled).
    pub fn builder(redis_url: impl Into<String>, user_name: impl Into<String>) -> RedisTokenStoreBuilder {
        RedisTokenStoreBuilder {
            url: redis_url.into(),
            user_name: user_name.into(),
            key_prefix: DEFAULT_KEY_PREFIX.to_owned(),
            poll_interval: DEFAULT_POLL_INTERVAL,
            connect_timeout: DEFAULT_REDIS_TIMEOUT,
            response_timeout: DEFAULT_REDIS_TIMEOUT,
            fallback: None,
        }
    }

    /// The store of account `user_name` in the Redis at `redis_url`, with the defaults, after
    /// checking that Redis answers. See [`RedisTokenStoreBuilder::connect`].
    ///
    /// # Errors
    /// [`RedisStoreError`]s inside a [`StoreError`].
    pub async fn connect(redis_url: impl Into<String>, user_name: impl Into<String>) -> Result<Self, StoreError> {
        Self::builder(redis_url, user_name).connect().await
    }

    /// The server, as `host:port/db` (without credentials).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The SHA-256 (lower-case hex) of the user name, which names the keys.
    pub fn account_hash(&self) -> &str {
        &self.account
    }

    /// The key of the token record (a hash).
    pub fn token_key(&self) -> &str {
        &self.token_key
    }

    /// The key of the renewal lock.
    pub fn lock_key(&self) -> &str {
        &self.lock_key
    }

    /// Whether the store currently keeps to memory because Redis failed (only with the
    /// [fallback](RedisTokenStoreBuilder::fallback_to_memory)).
    pub fn is_degraded(&self) -> bool {
        self.fallback.as_ref().is_some_and(|f| f.state().down_since.is_some())
    }

    // --------------------------------------------------------------------------------------------
    // Redis

    async fn connection(&self, operation: &'static str) -> Result<ConnectionManager, RedisStoreError> {
        self.connection
            .get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), self.config.clone()))
            .await
            .cloned()
            .map_err(|e| self.redis_error(operation, e))
    }

    fn redis_error(&self, operation: &'static str, e: ::redis::RedisError) -> RedisStoreError {
        // I/O (refused, lost, timed out) or a server that cannot serve yet (LOADING, MASTERDOWN,
        // TRYAGAIN, CLUSTERDOWN). Anything else is an answer: refused credentials, ACL, ...
        let unreachable = e.is_io_error() || matches!(e.retry_method(), ::redis::RetryMethod::WaitAndRetry);
        let server = self.server.clone();
        let source: BoxError = Box::new(e);
        if unreachable {
            RedisStoreError::Unreachable { server, operation, source }
        } else {
            RedisStoreError::Refused { server, operation, keys: self.key_pattern.clone(), source }
        }
    }

    fn corrupt(&self, reason: impl Into<String>) -> RedisStoreError {
        RedisStoreError::CorruptRecord {
            server: self.server.clone(),
            key: self.token_key.clone(),
            reason: reason.into(),
        }
    }

    async fn ping(&self) -> Result<(), RedisStoreError> {
        const OP: &str = "connecting";
        let mut conn = self.connection(OP).await?;
        let _: Value = ::redis::cmd("PING").query_async(&mut conn).await.map_err(|e| self.redis_error(OP, e))?;
        Ok(())
    }

    async fn redis_current(&self) -> Result<Option<TokenRecord>, RedisStoreError> {
        const OP: &str = "reading the token";
        let mut conn = self.connection(OP).await?;
        let reply: Value = self
            .scripts
            .read
            .key(&self.token_key)
            .invoke_async(&mut conn)
            .await
            .map_err(|e| self.redis_error(OP, e))?;
        let Value::Array(mut items) = reply else { return Err(self.corrupt("unexpected reply to the read script")) };
        if items.len() != 3 {
            return Err(self.corrupt("unexpected reply to the read script"));
        }
        let micros = items.pop().unwrap_or_default();
        let secs = items.pop().unwrap_or_default();
        let fields = items.pop().unwrap_or_default();
        let now_ms = server_ms(&secs, &micros).ok_or_else(|| self.corrupt("unreadable server time"))?;
        self.record(fields, now_ms)
    }

    async fn redis_replace(
        &self,
        expected: Option<u64>,
        session: Arc<Session>,
        cause: RenewalCause,
    ) -> Result<Replaced, RedisStoreError> {
        const OP: &str = "storing a new token";
        // At most about 35 years, well within the integers a Lua number holds exactly.
        let age_ms = u64::try_from(session.obtained_at().elapsed().as_millis()).unwrap_or(u64::MAX).min(1 << 40);
        let countries = serde_json::Value::Array(
            session
                .countries()
                .iter()
                .map(|c| {
                    let sources = c.data_sources.iter().cloned().map(serde_json::Value::String).collect();
                    serde_json::Value::Array(vec![
                        serde_json::Value::String(c.country.clone()),
                        serde_json::Value::Array(sources),
                    ])
                })
                .collect(),
        )
        .to_string();
        let mut conn = self.connection(OP).await?;
        let reply: Value = self
            .scripts
            .replace
            .key(&self.token_key)
            .arg(expected.map(|g| g.to_string()).unwrap_or_default())
            .arg(age_ms)
            .arg(self.highest_generation.load(Ordering::SeqCst).min(1 << 52))
            .arg("cause")
            .arg(cause.as_str())
            .arg("method")
            .arg(session.method().as_str())
            .arg("token")
            .arg(session.token().expose())
            .arg("reference")
            .arg(session.reference())
            .arg("countries")
            .arg(countries)
            .invoke_async(&mut conn)
            .await
            .map_err(|e| self.redis_error(OP, e))?;
        let Value::Array(mut items) = reply else { return Err(self.corrupt("unexpected reply to the replace script")) };
        match (items.first(), items.len()) {
            (Some(Value::Int(1)), 2) => {
                let generation = int(&items[1]).ok_or_else(|| self.corrupt("unreadable new generation"))?;
                self.highest_generation.fetch_max(generation, Ordering::SeqCst);
                Ok(Replaced::Done(TokenRecord { generation, cause, session }))
            }
            (Some(Value::Int(0)), 4) => {
                let micros = items.pop().unwrap_or_default();
                let secs = items.pop().unwrap_or_default();
                let fields = items.pop().unwrap_or_default();
                let now_ms = server_ms(&secs, &micros).ok_or_else(|| self.corrupt("unreadable server time"))?;
                Ok(Replaced::Conflict(self.record(fields, now_ms)?))
            }
            _ => Err(self.corrupt("unexpected reply to the replace script")),
        }
    }

    async fn redis_try_lock(&self, lease: Duration) -> Result<Option<LockLease>, RedisStoreError> {
        const OP: &str = "taking the renewal lock";
        let id = Uuid::new_v4();
        let lease_ms = u64::try_from(lease.as_millis()).unwrap_or(u64::MAX).max(1);
        let mut conn = self.connection(OP).await?;
        let reply: Value = ::redis::cmd("SET")
            .arg(&self.lock_key)
            .arg(id.to_string())
            .arg("NX")
            .arg("PX")
            .arg(lease_ms)
            .query_async(&mut conn)
            .await
            .map_err(|e| self.redis_error(OP, e))?;
        Ok(match reply {
            Value::Nil => None,
            _ => Some(LockLease { id, lease }),
        })
    }

    async fn redis_unlock(&self, lock: LockLease) -> Result<(), RedisStoreError> {
        const OP: &str = "releasing the renewal lock";
        let mut conn = self.connection(OP).await?;
        let _: Value = self
            .scripts
            .unlock
            .key(&self.lock_key)
            .arg(lock.id.to_string())
            .invoke_async(&mut conn)
            .await
            .map_err(|e| self.redis_error(OP, e))?;
        Ok(())
    }

    /// Whether the generation differs from `seen` or the lock is free.
    async fn redis_settled(&self, seen: Option<u64>) -> Result<bool, RedisStoreError> {
        const OP: &str = "waiting for a renewal";
        let mut conn = self.connection(OP).await?;
        let reply: Value = self
            .scripts
            .peek
            .key(&self.token_key)
            .key(&self.lock_key)
            .invoke_async(&mut conn)
            .await
            .map_err(|e| self.redis_error(OP, e))?;
        let Value::Array(items) = reply else { return Err(self.corrupt("unexpected reply to the peek script")) };
        let [generation, locked] = items.as_slice() else {
            return Err(self.corrupt("unexpected reply to the peek script"));
        };
        let generation = match generation {
            Value::Nil => None,
            v => Some(int(v).ok_or_else(|| self.corrupt("unreadable generation"))?),
        };
        Ok(generation != seen || matches!(locked, Value::Int(0)))
    }

    /// A record from the fields of the hash (`HGETALL`), `now_ms` being the server's time.
    fn record(&self, fields: Value, now_ms: u64) -> Result<Option<TokenRecord>, RedisStoreError> {
        let pairs: Vec<(Value, Value)> = match fields {
            Value::Array(items) => {
                let mut items = items.into_iter();
                let mut pairs = Vec::new();
                while let (Some(k), Some(v)) = (items.next(), items.next()) {
                    pairs.push((k, v));
                }
                pairs
            }
            Value::Map(pairs) => pairs,
            Value::Nil => Vec::new(),
            _ => return Err(self.corrupt("the record is not a hash")),
        };
        if pairs.is_empty() {
            return Ok(None);
        }
        let mut r = RawRecord::default();
        for (name, value) in pairs {
            let Value::BulkString(value) = value else { return Err(self.corrupt("a field is not a string")) };
            match bytes(&name) {
                Some(b"generation") => r.generation = Some(value),
                Some(b"cause") => r.cause = Some(value),
                Some(b"obtained_ms") => r.obtained_ms = Some(value),
                Some(b"method") => r.method = Some(value),
                Some(b"token") => r.token = Some(value),
                Some(b"reference") => r.reference = Some(value),
                Some(b"countries") => r.countries = Some(value),
                _ => {} // fields of a later version
            }
        }
        let field = |v: Option<Vec<u8>>, name: &str| {
            v.ok_or_else(|| self.corrupt(format!("the field {name} is missing")))
                .and_then(|v| String::from_utf8(v).map_err(|_| self.corrupt(format!("the field {name} is not UTF-8"))))
        };
        let number = |v: Option<Vec<u8>>, name: &str| {
            field(v, name)?.parse::<u64>().map_err(|_| self.corrupt(format!("the field {name} is not a number")))
        };
        let generation = number(r.generation, "generation")?;
        self.highest_generation.fetch_max(generation, Ordering::SeqCst);
        let obtained_ms = number(r.obtained_ms, "obtained_ms")?;
        let cause = match field(r.cause, "cause")?.as_str() {
            "initial" => RenewalCause::Initial,
            "expiry" => RenewalCause::Expiry,
            "rejected" => RenewalCause::Rejected,
            _ => return Err(self.corrupt("the field cause is not initial, expiry or rejected")),
        };
        let method = match field(r.method, "method")?.as_str() {
            "soap" => LoginMethod::Soap,
            "rest-json" => LoginMethod::RestJson,
            "rest-xml" => LoginMethod::RestXml,
            _ => return Err(self.corrupt("the field method is not soap, rest-json or rest-xml")),
        };
        let token = Secret::new(field(r.token, "token")?);
        if token.is_empty() {
            return Err(self.corrupt("the token is empty"));
        }
        let reference = field(r.reference, "reference")?;
        let countries = parse_countries(&field(r.countries, "countries")?)
            .ok_or_else(|| self.corrupt("the field countries is not a JSON list of [country, [data sources]]"))?;
        let age = Duration::from_millis(now_ms.saturating_sub(obtained_ms));
        let now = Instant::now();
        // An age beyond what the monotonic clock can go back to (a host that booted after the
        // token was obtained, on some platforms) is treated as a token at the end of its life.
        let obtained_at = now.checked_sub(age).or_else(|| now.checked_sub(TOKEN_LIFETIME)).unwrap_or(now);
        let session =
            Session::new(self.user_name.clone(), token, obtained_at, countries, method).with_reference(reference);
        Ok(Some(TokenRecord { generation, cause, session: Arc::new(session) }))
    }

    // --------------------------------------------------------------------------------------------
    // The fallback

    /// Whether an operation goes to memory without trying Redis: with the fallback, within the
    /// retry delay after a failure. Once the delay has passed, the first caller tries Redis and
    /// the others keep to memory meanwhile, so that a Redis that does not answer (a connect
    /// timeout) holds up one call, not all of them.
    fn keeps_to_memory(&self) -> bool {
        let Some(fallback) = &self.fallback else { return false };
        let mut state = fallback.state();
        match state.down_since {
            Some(since) if since.elapsed() < fallback.retry_after => true,
            Some(_) => {
                state.down_since = Some(Instant::now());
                false
            }
            None => false,
        }
    }

    /// After a Redis failure: `Ok` when the fallback takes over, else the error.
    fn fallen_back(&self, e: RedisStoreError) -> Result<(), RedisStoreError> {
        match &self.fallback {
            Some(fallback) if e.is_unreachable() => {
                let mut state = fallback.state();
                if state.down_since.is_none() {
                    tracing::warn!(
                        server = %self.server,
                        error = %e,
                        "Redis token store unreachable: keeping the Data Zoo token in memory (fallback)"
                    );
                }
                state.down_since = Some(Instant::now());
                Ok(())
            }
            _ => Err(e),
        }
    }

    /// After a Redis success: leaves the fallback.
    fn reachable(&self) {
        if let Some(fallback) = &self.fallback {
            if fallback.state().down_since.take().is_some() {
                tracing::info!(server = %self.server, "Redis token store reachable again");
            }
        }
    }

    /// The record obtained while Redis was down, to write back, with the generation it replaced.
    fn take_pending(&self) -> Option<(Option<u64>, TokenRecord)> {
        self.fallback.as_ref().and_then(|f| f.state().pending.take())
    }

    fn mirror(&self, record: &Option<TokenRecord>) {
        if let Some(fallback) = &self.fallback {
            fallback.state().record.clone_from(record);
        }
    }

    fn local_current(&self) -> Option<TokenRecord> {
        self.fallback.as_ref().and_then(|f| f.state().record.clone())
    }

    fn local_replace(&self, expected: Option<u64>, session: Arc<Session>, cause: RenewalCause) -> Replaced {
        let Some(fallback) = &self.fallback else { return Replaced::Conflict(None) };
        let mut state = fallback.state();
        let stored = state.record.as_ref().map(|r| r.generation);
        if stored != expected {
            return Replaced::Conflict(state.record.clone());
        }
        let wall_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let generation = stored.map_or(1, |g| g.saturating_add(1)).max(u64::try_from(wall_ms).unwrap_or(u64::MAX));
        let record = TokenRecord { generation, cause, session };
        let base = state.pending.as_ref().map_or(expected, |(base, _)| *base);
        state.pending = Some((base, record.clone()));
        state.record = Some(record.clone());
        Replaced::Done(record)
    }

    fn local_try_lock(&self, lease: Duration) -> Option<LockLease> {
        let fallback = self.fallback.as_ref()?;
        let mut state = fallback.state();
        let now = Instant::now();
        match state.lock {
            Some((_, until)) if until > now => None,
            _ => {
                let id = Uuid::new_v4();
                state.lock = Some((id, now + lease));
                Some(LockLease { id, lease })
            }
        }
    }

    /// Releases `lock` if it was taken in memory; whether it was.
    fn local_unlock(&self, lock: &LockLease) -> bool {
        let Some(fallback) = &self.fallback else { return false };
        let mut state = fallback.state();
        let held = state.lock.is_some_and(|(id, _)| id == lock.id);
        if held {
            state.lock = None;
        }
        held
    }

    // --------------------------------------------------------------------------------------------
    // The operations

    async fn current_impl(&self) -> Result<Option<TokenRecord>, RedisStoreError> {
        if self.keeps_to_memory() {
            return Ok(self.local_current());
        }
        let record = match self.redis_current().await {
            Ok(record) => record,
            Err(e) => return self.fallen_back(e).map(|()| self.local_current()),
        };
        self.reachable();
        if let Some((base, pending)) = self.take_pending() {
            let stored = record.as_ref().map(|r| r.generation);
            if stored.is_none() || stored == base {
                // A token obtained while Redis was down: Redis still holds what it replaced (or
                // lost everything), so the token goes back to Redis instead of a new login.
                let written = match self.redis_replace(stored, pending.session, pending.cause).await {
                    Ok(Replaced::Done(record)) => Some(record),
                    Ok(Replaced::Conflict(record)) => record,
                    Err(e) => return self.fallen_back(e).map(|()| self.local_current()),
                };
                self.mirror(&written);
                return Ok(written);
            }
        }
        self.mirror(&record);
        Ok(record)
    }

    async fn replace_impl(
        &self,
        expected: Option<u64>,
        session: Arc<Session>,
        cause: RenewalCause,
    ) -> Result<Replaced, RedisStoreError> {
        if session.user_name() != self.user_name {
            return Err(RedisStoreError::WrongAccount {
                account: self.account.clone(),
                user_name: session.user_name().to_owned(),
            });
        }
        if self.keeps_to_memory() {
            return Ok(self.local_replace(expected, session, cause));
        }
        match self.redis_replace(expected, session.clone(), cause).await {
            Ok(outcome) => {
                // Redis holds the newest record now (or a newer one): nothing to write back.
                self.reachable();
                let _ = self.take_pending();
                match &outcome {
                    Replaced::Done(record) => self.mirror(&Some(record.clone())),
                    Replaced::Conflict(record) => self.mirror(record),
                }
                Ok(outcome)
            }
            Err(e) => self.fallen_back(e).map(|()| self.local_replace(expected, session, cause)),
        }
    }

    async fn try_lock_impl(&self, lease: Duration) -> Result<Option<LockLease>, RedisStoreError> {
        if self.keeps_to_memory() {
            return Ok(self.local_try_lock(lease));
        }
        match self.redis_try_lock(lease).await {
            Ok(lock) => {
                self.reachable();
                Ok(lock)
            }
            Err(e) => self.fallen_back(e).map(|()| self.local_try_lock(lease)),
        }
    }

    async fn unlock_impl(&self, lock: LockLease) -> Result<(), RedisStoreError> {
        if self.local_unlock(&lock) {
            return Ok(());
        }
        // Taken in Redis: released there even while other operations keep to memory, so that it
        // does not hold up this process's next renewal once Redis is back.
        match self.redis_unlock(lock).await {
            Ok(()) => {
                self.reachable();
                Ok(())
            }
            // With the fallback, a lock left in Redis runs out with its lease.
            Err(e) => self.fallen_back(e),
        }
    }

    async fn wait_impl(&self, seen: Option<u64>, max_wait: Duration) -> Result<(), RedisStoreError> {
        let deadline = Instant::now() + max_wait;
        loop {
            if self.keeps_to_memory() {
                // Nobody else can change memory while this process waits at its own gate: poll.
                tokio::time::sleep(self.poll_interval.min(max_wait)).await;
                return Ok(());
            }
            match self.redis_settled(seen).await {
                Ok(settled) => {
                    self.reachable();
                    if settled {
                        return Ok(());
                    }
                }
                Err(e) => return self.fallen_back(e),
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(());
            }
            tokio::time::sleep(self.poll_interval.min(deadline - now)).await;
        }
    }
}

impl TokenStore for RedisTokenStore {
    fn current(&self) -> StoreFuture<'_, Option<TokenRecord>> {
        Box::pin(async move { self.current_impl().await.map_err(RedisStoreError::into_store_error) })
    }

    fn replace_if(
        &self,
        expected: Option<u64>,
        session: Arc<Session>,
        cause: RenewalCause,
    ) -> StoreFuture<'_, Replaced> {
        Box::pin(
            async move { self.replace_impl(expected, session, cause).await.map_err(RedisStoreError::into_store_error) },
        )
    }

    fn try_lock(&self, lease: Duration) -> StoreFuture<'_, Option<LockLease>> {
        Box::pin(async move { self.try_lock_impl(lease).await.map_err(RedisStoreError::into_store_error) })
    }

    fn unlock(&self, lock: LockLease) -> StoreFuture<'_, ()> {
        Box::pin(async move { self.unlock_impl(lock).await.map_err(RedisStoreError::into_store_error) })
    }

    fn wait_for_change(&self, seen: Option<u64>, max_wait: Duration) -> StoreFuture<'_, ()> {
        Box::pin(async move { self.wait_impl(seen, max_wait).await.map_err(RedisStoreError::into_store_error) })
    }
}

/// The fields of a stored record as read, before checking. Holds the token: never printed.
#[derive(Default)]
struct RawRecord {
    generation: Option<Vec<u8>>,
    cause: Option<Vec<u8>>,
    obtained_ms: Option<Vec<u8>>,
    method: Option<Vec<u8>>,
    token: Option<Vec<u8>>,
    reference: Option<Vec<u8>>,
    countries: Option<Vec<u8>>,
}

fn hex_sha256(text: &str) -> String {
    use std::fmt::Write as _;
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

fn bytes(value: &Value) -> Option<&[u8]> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.as_bytes()),
        _ => None,
    }
}

fn int(value: &Value) -> Option<u64> {
    match value {
        Value::Int(i) => u64::try_from(*i).ok(),
        v => std::str::from_utf8(bytes(v)?).ok()?.parse().ok(),
    }
}

/// Milliseconds since the epoch from the two parts of a `TIME` reply.
fn server_ms(secs: &Value, micros: &Value) -> Option<u64> {
    int(secs)?.checked_mul(1000)?.checked_add(int(micros)? / 1000)
}

fn parse_countries(json: &str) -> Option<Vec<CountrySources>> {
    let serde_json::Value::Array(items) = serde_json::from_str(json).ok()? else { return None };
    items
        .into_iter()
        .map(|item| {
            let serde_json::Value::Array(pair) = item else { return None };
            let [serde_json::Value::String(country), serde_json::Value::Array(sources)] =
                <[_; 2]>::try_from(pair).ok()?
            else {
                return None;
            };
            let data_sources: Option<Vec<String>> = sources
                .into_iter()
                .map(|s| if let serde_json::Value::String(s) = s { Some(s) } else { None })
                .collect();
            Some(CountrySources { country, data_sources: data_sources? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_hash_is_the_sha256_of_the_user_name() {
        assert_eq!(hex_sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn countries_round_trip_through_json() {
        let json = r#"[["Australia",["Australian Residential","Australian Experian"]],["",[]]]"#;
        let countries = parse_countries(json).unwrap();
        assert_eq!(countries.len(), 2);
        assert_eq!(countries[0].country, "Australia");
        assert_eq!(countries[0].data_sources, ["Australian Residential", "Australian Experian"]);
        assert!(parse_countries(r#"[["Australia", "not a list"]]"#).is_none());
        assert!(parse_countries("{}").is_none());
    }

    #[test]
    fn the_builder_checks_its_input_and_hides_the_url() {
        let error = RedisTokenStore::builder("redis://:hunter2@127.0.0.1:1/0", " ").build().unwrap_err();
        assert!(error.to_string().contains("user name is empty"), "{error}");
        let error = RedisTokenStore::builder("http://:hunter2@127.0.0.1:1/0", "user").build().unwrap_err();
        assert!(matches!(RedisStoreError::find(&error), Some(RedisStoreError::InvalidUrl { .. })), "{error}");
        assert!(!error.to_string().contains("hunter2"), "{error}");
        let builder = RedisTokenStore::builder("redis://:hunter2@127.0.0.1:1/3", "user");
        assert!(!format!("{builder:?}").contains("hunter2"));
        let store = builder.build().unwrap();
        assert_eq!(store.server(), "127.0.0.1:1/3");
        assert!(!format!("{store:?}").contains("hunter2"));
        assert_eq!(store.token_key(), format!("soapbind:datazoo:{{{}}}:token", hex_sha256("user")));
    }
}
