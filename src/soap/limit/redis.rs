//! A [`RateLimit`] shared through Redis by every worker of an account (feature `redis`).
//!
//! One key per account, `<prefix>:{<h>}:rate` (`<h>`: the SHA-256 of the account name, in hex, as
//! in the Data Zoo token store), holds the GCRA's *theoretical arrival
//! time* (TAT) in microseconds of Redis' clock. A Lua script reads Redis' `TIME`, lets the call
//! start when the TAT has passed (and moves the TAT one spacing past now), or answers how long to
//! wait. The script runs atomically, and on one clock, so the fleet's calls are spaced as one
//! process's would be, whatever the skew between the workers' clocks.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Script, Value};
use tokio::sync::OnceCell;
use tokio::time::Instant;

use super::{LimitError, LocalLimiter, RateLimit};
use crate::datazoo::redis_store::hex_sha256;

/// The default prefix of the limiter's keys: `soapbind:rate`.
pub const DEFAULT_RATE_KEY_PREFIX: &str = "soapbind:rate";

/// The default timeout of connecting to Redis and of each command: 2 seconds.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

/// With the local fallback: how long to keep to the local limit after Redis failed.
const FALLBACK_RETRY: Duration = Duration::from_secs(5);

/// GCRA without bursts on Redis' clock. `KEYS[1]`: the TAT; `ARGV[1]`: the spacing in µs.
/// Returns 0 when the call may start (and stores the new TAT), else the µs to wait.
const GCRA_SCRIPT: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local spacing = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat > now then
  return tat - now
end
redis.call('SET', KEYS[1], string.format('%d', now + spacing), 'PX', math.ceil(spacing / 1000) + 1000)
return 0
";

/// Builds a [`RedisRateLimiter`]; from [`RedisRateLimiter::builder`].
#[must_use]
pub struct RedisRateLimiterBuilder {
    url: String,
    account: String,
    limit: RateLimit,
    key_prefix: String,
    timeout: Duration,
    fallback: bool,
}

impl fmt::Debug for RedisRateLimiterBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password: left out.
        f.debug_struct("RedisRateLimiterBuilder")
            .field("account", &self.account)
            .field("limit", &self.limit)
            .field("key_prefix", &self.key_prefix)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiterBuilder {
    /// The prefix of the limiter's key. Default [`DEFAULT_RATE_KEY_PREFIX`].
    pub fn key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.key_prefix = prefix.into();
        self
    }

    /// The timeout of connecting to Redis and of each command. Default 2 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Opt in to a local fallback: while Redis is unreachable, this process keeps to the limit
    /// on its own (trying Redis again after 5 s) instead of failing the calls.
    ///
    /// **Each worker then allows the whole limit**: ten workers that fall back together may
    /// send ten times the rate. Without the fallback (the default) an unreachable Redis fails
    /// the calls with [`LimitError::Unreachable`].
    pub fn fallback_to_local(mut self) -> Self {
        self.fallback = true;
        self
    }

    /// Builds the limiter without connecting: the first call connects.
    ///
    /// # Errors
    /// [`LimitError::Config`] for an unusable URL, an empty account or key prefix, or a limit
    /// of zero.
    pub fn build(self) -> Result<RedisRateLimiter, LimitError> {
        let config = |reason: String| LimitError::Config { reason };
        self.limit.check()?;
        if self.account.trim().is_empty() {
            return Err(config("the account name of the shared rate limit is empty".into()));
        }
        if self.key_prefix.is_empty() {
            return Err(config("the key prefix of the shared rate limit is empty".into()));
        }
        // The client's messages describe the problem, not the URL (which may hold a password).
        let client = ::redis::Client::open(self.url.as_str())
            .map_err(|e| config(format!("the Redis URL is not usable: {e}")))?;
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        let spacing_us = u64::try_from(self.limit.spacing().as_micros()).unwrap_or(u64::MAX).max(1);
        let connection_config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(self.timeout))
            .set_response_timeout(Some(self.timeout));
        let fallback = match self.fallback {
            true => Some(Fallback { local: LocalLimiter::new(self.limit)?, down_since: Mutex::new(None) }),
            false => None,
        };
        Ok(RedisRateLimiter {
            limit: self.limit,
            key: format!("{}:{{{}}}:rate", self.key_prefix, hex_sha256(&self.account)),
            server,
            spacing_us,
            client,
            config: connection_config,
            connection: OnceCell::new(),
            script: Script::new(GCRA_SCRIPT),
            queue: tokio::sync::Mutex::new(()),
            fallback,
        })
    }
}

/// A [`RateLimit`] shared by every process that uses the same Redis, key prefix and account:
/// together they start at most the limit's calls per period. Use it through
/// [`RateLimiter::redis`](super::RateLimiter::redis).
///
/// Each call costs one round trip to Redis (a script); a caller that must wait sleeps for the
/// time the script names, then asks again. Within a process, callers queue in arrival order.
///
/// ```no_run
/// use soapbind::soap::{RateLimit, RateLimiter, RedisRateLimiter};
///
/// # fn run() -> Result<(), soapbind::soap::LimitError> {
/// let shared = RedisRateLimiter::builder("redis://redis.internal:6379/0", "payroll-api@example.com", RateLimit::NMBRS_FAIR_USE)
///     .build()?;
/// let limiter = RateLimiter::redis(shared);
/// # Ok(()) }
/// ```
pub struct RedisRateLimiter {
    limit: RateLimit,
    key: String,
    server: String,
    spacing_us: u64,
    client: ::redis::Client,
    config: ConnectionManagerConfig,
    connection: OnceCell<ConnectionManager>,
    script: Script,
    queue: tokio::sync::Mutex<()>,
    fallback: Option<Fallback>,
}

struct Fallback {
    local: LocalLimiter,
    /// When Redis last failed, while the limiter keeps to the local limit.
    down_since: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("server", &self.server)
            .field("key", &self.key)
            .field("limit", &self.limit)
            .field("fallback", &self.fallback.is_some())
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// A builder for the limit `limit` of account `account` (any name the workers share, e.g.
    /// the API user's e-mail address) in the Redis at `redis_url`
    /// (`redis://[user:password@]host:port[/db]`).
    pub fn builder(
        redis_url: impl Into<String>,
        account: impl Into<String>,
        limit: RateLimit,
    ) -> RedisRateLimiterBuilder {
        RedisRateLimiterBuilder {
            url: redis_url.into(),
            account: account.into(),
            limit,
            key_prefix: DEFAULT_RATE_KEY_PREFIX.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            fallback: false,
        }
    }

    /// The limit.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// The key holding the limit's state.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The server, as `host:port/db` (without credentials).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Whether the limiter currently keeps to the local limit because Redis failed (only with
    /// the [fallback](RedisRateLimiterBuilder::fallback_to_local)).
    pub fn is_degraded(&self) -> bool {
        self.fallback.as_ref().is_some_and(|f| f.down_since.lock().unwrap_or_else(PoisonError::into_inner).is_some())
    }

    pub(super) async fn acquire(&self) -> Result<Duration, LimitError> {
        if let Some(fallback) = &self.fallback {
            let down_since = *fallback.down_since.lock().unwrap_or_else(PoisonError::into_inner);
            if down_since.is_some_and(|since| since.elapsed() < FALLBACK_RETRY) {
                return Ok(fallback.local.acquire().await);
            }
        }
        match self.acquire_shared().await {
            Err(e @ LimitError::Unreachable { .. }) => match &self.fallback {
                Some(fallback) => {
                    tracing::warn!(server = %self.server, error = %e, "rate limiter: Redis unreachable, keeping to the limit locally");
                    *fallback.down_since.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
                    Ok(fallback.local.acquire().await)
                }
                None => Err(e),
            },
            Ok(waited) => {
                if let Some(fallback) = &self.fallback {
                    fallback.down_since.lock().unwrap_or_else(PoisonError::into_inner).take();
                }
                Ok(waited)
            }
            Err(e) => Err(e),
        }
    }

    async fn acquire_shared(&self) -> Result<Duration, LimitError> {
        let started = Instant::now();
        let _turn = self.queue.lock().await;
        let mut connection = self
            .connection
            .get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), self.config.clone()))
            .await
            .map_err(|e| self.error(e))?
            .clone();
        loop {
            let reply: Value = self
                .script
                .key(&self.key)
                .arg(self.spacing_us)
                .invoke_async(&mut connection)
                .await
                .map_err(|e| self.error(e))?;
            match reply {
                Value::Int(0) => return Ok(started.elapsed()),
                Value::Int(wait_us) if wait_us > 0 => {
                    tokio::time::sleep(Duration::from_micros(wait_us.unsigned_abs())).await;
                }
                other => {
                    return Err(LimitError::Refused {
                        server: self.server.clone(),
                        key: self.key.clone(),
                        source: format!("unexpected reply to the limit script: {other:?}").into(),
                    })
                }
            }
        }
    }

    fn error(&self, e: ::redis::RedisError) -> LimitError {
        // As the token store: I/O, or a server that cannot serve yet, is unreachability.
        let unreachable = e.is_io_error() || matches!(e.retry_method(), ::redis::RetryMethod::WaitAndRetry);
        let server = self.server.clone();
        if unreachable {
            LimitError::Unreachable { server, source: Box::new(e) }
        } else {
            LimitError::Refused { server, key: self.key.clone(), source: Box::new(e) }
        }
    }
}
