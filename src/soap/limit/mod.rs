//! Rate limits: how many calls may start per second, for one account.
//!
//! - [`RateLimit`] is the setting: `calls` per `period` (for Nmbrs, [`RateLimit::NMBRS_FAIR_USE`],
//!   150 calls per second).
//! - [`RateLimiter`] enforces it: in this process (GCRA, the `governor` crate, on tokio's clock),
//!   or for a whole fleet of workers through Redis (feature `redis`, `RedisRateLimiter`).
//!   Clones share one limit. Waiting callers queue in arrival order (a fair `tokio` mutex), and
//!   the one at the head sleeps until its turn: no busy waiting, no starvation.
//!
//! The limit is strict: calls are spaced evenly, without bursts, and a little further apart than
//! `period / calls` (by [`HEADROOM`]), so that however the transit times of two calls differ
//! by up to that margin, the service never sees more than `calls` in any window of `period`.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::Quota;

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
pub use self::redis::{RedisRateLimiter, RedisRateLimiterBuilder, DEFAULT_RATE_KEY_PREFIX};

/// How much further apart than `period / calls` calls are spaced: 1/20 of the period (50 ms of a
/// second), the margin for differences in transit time between calls.
pub const HEADROOM: f64 = 0.05;

/// A rate limit: at most `calls` calls start in any window of `period`.
///
/// ```
/// use std::time::Duration;
/// use soapbind::soap::RateLimit;
///
/// let fair_use = RateLimit::NMBRS_FAIR_USE;
/// assert_eq!((fair_use.calls(), fair_use.period()), (150, Duration::from_secs(1)));
/// // Calls are spaced by a twentieth more than 1 s / 150.
/// assert_eq!(fair_use.spacing(), Duration::from_nanos(7_000_000));
/// let slow = RateLimit::new(10, Duration::from_secs(60));
/// assert_eq!(slow.spacing(), Duration::from_millis(6_300));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    calls: u32,
    period: Duration,
}

impl RateLimit {
    /// The Nmbrs fair-use limit: 150 calls per second per account. Above it Nmbrs slows calls
    /// down, and abuse can get API access blocked.
    pub const NMBRS_FAIR_USE: RateLimit = RateLimit::per_second(150);

    /// At most `calls` calls in any window of `period`. A limit of zero calls, or a zero period,
    /// is refused when a [`RateLimiter`] is built from it.
    pub const fn new(calls: u32, period: Duration) -> Self {
        Self { calls, period }
    }

    /// At most `calls` calls in any one second.
    pub const fn per_second(calls: u32) -> Self {
        Self::new(calls, Duration::from_secs(1))
    }

    /// The number of calls per period.
    pub const fn calls(&self) -> u32 {
        self.calls
    }

    /// The period.
    pub const fn period(&self) -> Duration {
        self.period
    }

    /// The time between the starts of two calls: `period / calls`, plus [`HEADROOM`].
    pub fn spacing(&self) -> Duration {
        self.period.mul_f64(1.0 + HEADROOM) / self.calls.max(1)
    }

    fn check(&self) -> Result<(), LimitError> {
        if self.calls == 0 || self.period.is_zero() {
            return Err(LimitError::Config {
                reason: format!(
                    "{} calls per {:?} allows no call; use a positive rate, or no limiter",
                    self.calls, self.period
                ),
            });
        }
        Ok(())
    }
}

/// `150 calls per second`, or `10 calls per 60s`.
impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.period == Duration::from_secs(1) {
            true => write!(f, "{} calls per second", self.calls),
            false => write!(f, "{} calls per {:?}", self.calls, self.period),
        }
    }
}

/// What can go wrong while waiting for the rate limit. Reaches callers as
/// [`soap::Error::RateLimit`](super::Error::RateLimit).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// The limit or the limiter's settings are not usable.
    #[error("invalid rate limit: {reason}")]
    Config {
        /// What is wrong.
        reason: String,
    },

    /// The shared limiter's Redis could not be reached (refused, lost, timed out, loading). No
    /// call is sent without the shared limit, since the fleet could then exceed it; see
    /// `RedisRateLimiterBuilder::fallback_to_local`.
    #[error(
        "the rate limiter's Redis at {server} is unreachable: {source}; no call is sent without the shared limit, \
         which the other workers of the account also count on. Check that Redis is running and reachable, or opt \
         in to a local fallback"
    )]
    Unreachable {
        /// The server, as `host:port/db` (no password).
        server: String,
        /// The Redis client's error.
        #[source]
        source: super::BoxError,
    },

    /// The limiter's Redis answered with an error (authentication, ACL, scripting disabled, ...)
    /// or an unexpected reply.
    #[error(
        "the rate limiter's Redis at {server} refused the limit script: {source}; check the credentials in the Redis \
         URL and that the user's ACL allows EVALSHA, SCRIPT|LOAD, GET, SET and TIME on the key {key}"
    )]
    Refused {
        /// The server, as `host:port/db`.
        server: String,
        /// The key of the limit.
        key: String,
        /// The error.
        #[source]
        source: super::BoxError,
    },
}

impl LimitError {
    /// Whether the limiter's Redis could not be reached ([`LimitError::Unreachable`]).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, LimitError::Unreachable { .. })
    }
}

/// Enforces a [`RateLimit`]: call [`acquire`](RateLimiter::acquire) before each call.
///
/// The limit is strict: calls are spaced evenly, without bursts, by
/// [`RateLimit::spacing`] (a little more than `period / calls`, see [`HEADROOM`]), so that the
/// service never sees more than `calls` in any window of `period` either. Waiting callers queue
/// in arrival order (a fair tokio mutex) and only the one at the head sleeps, until its turn: no
/// busy waiting, no starvation. In process the limit is a GCRA (the `governor` crate) on tokio's
/// clock; with feature `redis`, `RedisRateLimiter` keeps it in Redis for a fleet.
///
/// Cheap to clone; clones share one limit. An API client (e.g.
/// `nmbrs::ClientBuilder::rate_limiter`) acquires
/// before every HTTP request, retries included.
///
/// ```
/// use soapbind::soap::{RateLimit, RateLimiter};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), soapbind::soap::LimitError> {
/// let limiter = RateLimiter::local(RateLimit::per_second(100))?;
/// let shared = limiter.clone();
/// let started = tokio::time::Instant::now();
/// for _ in 0..3 {
///     shared.acquire().await?;
/// }
/// // The first call starts at once, the next two after 10.5 ms each.
/// assert!(started.elapsed() >= 2 * limiter.limit().unwrap().spacing());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Off,
    Local(Arc<LocalLimiter>),
    #[cfg(feature = "redis")]
    Redis(Arc<RedisRateLimiter>),
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Off => f.write_str("RateLimiter(off)"),
            Kind::Local(local) => write!(f, "RateLimiter(local, {})", local.limit),
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => f.debug_tuple("RateLimiter").field(redis).finish(),
        }
    }
}

impl RateLimiter {
    /// A limiter that never waits.
    pub fn off() -> Self {
        Self { kind: Kind::Off }
    }

    /// A limiter for this process.
    ///
    /// # Errors
    /// [`LimitError::Config`] for a limit of zero calls or a zero period.
    pub fn local(limit: RateLimit) -> Result<Self, LimitError> {
        Ok(Self { kind: Kind::Local(Arc::new(LocalLimiter::new(limit)?)) })
    }

    /// A limiter shared through Redis by every worker of an account (feature `redis`).
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn redis(limiter: RedisRateLimiter) -> Self {
        Self { kind: Kind::Redis(Arc::new(limiter)) }
    }

    /// The limit enforced, `None` when off.
    pub fn limit(&self) -> Option<RateLimit> {
        match &self.kind {
            Kind::Off => None,
            Kind::Local(local) => Some(local.limit),
            #[cfg(feature = "redis")]
            Kind::Redis(redis) => Some(redis.limit()),
        }
    }

    /// Waits until a call may start; returns how long it waited.
    ///
    /// Callers are served in the order they arrived. Dropping the future gives up the turn.
    ///
    /// # Errors
    /// Only a Redis limiter fails: [`LimitError::Unreachable`] or [`LimitError::Refused`].
    pub async fn acquire(&self) -> Result<Duration, LimitError> {
        match &self.kind {
            Kind::Off => Ok(Duration::ZERO),
            Kind::Local(local) => Ok(local.acquire().await),
            #[cfg(feature = "redis")]
            // Boxed: the Redis client's futures are deep, and every call's future holds this one.
            Kind::Redis(redis) => Box::pin(redis.acquire()).await,
        }
    }
}

/// Governor's clock, reading tokio's: a paused test clock pauses the limiter too.
#[derive(Debug, Clone)]
struct TokioClock {
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    /// The time since the limiter was made.
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

type Gcra = governor::RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>;

/// The limit in this process: GCRA state (a single atomic) and the queue of waiting callers.
pub(crate) struct LocalLimiter {
    limit: RateLimit,
    gcra: Gcra,
    clock: TokioClock,
    /// Held by the caller at the head of the queue while it waits; tokio's mutex is fair (FIFO).
    queue: tokio::sync::Mutex<()>,
}

impl LocalLimiter {
    pub(crate) fn new(limit: RateLimit) -> Result<Self, LimitError> {
        limit.check()?;
        let quota = Quota::with_period(limit.spacing())
            .ok_or_else(|| LimitError::Config { reason: format!("{limit} is too fast to space calls") })?
            .allow_burst(NonZeroU32::MIN);
        let clock = TokioClock { start: tokio::time::Instant::now() };
        let gcra = governor::RateLimiter::direct_with_clock(quota, clock.clone());
        Ok(Self { limit, gcra, clock, queue: tokio::sync::Mutex::new(()) })
    }

    pub(crate) async fn acquire(&self) -> Duration {
        // Fast path: nobody waiting and a call may start now. `try_lock` fails while anyone
        // queues, so it never overtakes a waiting caller.
        if let Ok(_turn) = self.queue.try_lock() {
            if self.gcra.check().is_ok() {
                return Duration::ZERO;
            }
        }
        let started = tokio::time::Instant::now();
        let _turn = self.queue.lock().await;
        loop {
            match self.gcra.check() {
                Ok(()) => return started.elapsed(),
                Err(not_until) => tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        assert!(matches!(RateLimiter::local(RateLimit::per_second(0)), Err(LimitError::Config { .. })));
        assert!(matches!(RateLimiter::local(RateLimit::new(5, Duration::ZERO)), Err(LimitError::Config { .. })));
        assert_eq!(RateLimiter::off().limit(), None);
        assert_eq!(RateLimit::per_second(20).spacing(), Duration::from_micros(52_500));
    }

    #[tokio::test(start_paused = true)]
    async fn calls_are_spaced_on_tokio_clock_and_served_in_order() {
        let limiter = RateLimiter::local(RateLimit::per_second(10)).unwrap();
        let spacing = RateLimit::per_second(10).spacing();
        let started = tokio::time::Instant::now();
        assert_eq!(limiter.acquire().await.unwrap(), Duration::ZERO);
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..5 {
            let (limiter, order) = (limiter.clone(), Arc::clone(&order));
            tasks.push(tokio::spawn(async move {
                limiter.acquire().await.unwrap();
                order.lock().unwrap().push((i, started.elapsed()));
            }));
            // Each task queues before the next one is spawned.
            tokio::task::yield_now().await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        let order = order.lock().unwrap().clone();
        assert_eq!(order.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
        for (n, (_, at)) in order.iter().enumerate() {
            let due = spacing * (n as u32 + 1);
            assert!(*at >= due && *at < due + Duration::from_millis(5), "call {n} at {at:?}, due {due:?}");
        }
    }
}
