//! Retries that cannot double a write: which failures are tried again, how long to wait, and the
//! loop that does it (see [`RetryPolicy`] and `docs/fair-use.md`).
// The loop and the counters serve the Nmbrs and Data Zoo clients; without them only the policy's
// rules are used.
#![cfg_attr(not(any(feature = "nmbrs-core", feature = "datazoo")), allow(dead_code))]

use std::future::Future;
use std::hash::{BuildHasher as _, Hasher as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use tracing::{field, Instrument as _};

use super::{Error, Operation};

/// Whether `op` only reads, by its name: the rule the default [`RetryPolicy`] uses to decide
/// which calls may be repeated after a failure that may have reached the service.
///
/// A read is an operation whose name has a part (between underscores) that is `List`, or starts
/// with `Get` (`List_GetAll`, `PersonalInfo_GetCurrent`, `Absence_GetList`,
/// `Company_GetCurrentPeriod`, `Journals_GetByRunCompany_v2`), or is
/// `ReportService.Reports_BackgroundTask_Result`, except:
/// - the `SingleSignOn` service (`GetToken*` issues a login token: not a read);
/// - operations ending in `_Background` (each starts a report task).
///
/// Everything else is not a read: inserts, updates, deletes, `*_Set*`, `*_Stop`, `*_Clear`,
/// uploads, and Data Zoo's `Authenticate` and `Verify` (each verification may be billed). Reads
/// the rule misses (e.g. `SalaryDocuments_*`) are only retried when the request never left.
///
/// ```
/// use soapbind::soap::{is_read, Operation};
///
/// let op = |service, name| Operation { service, name, namespace: "", soap11_action: None, soap12_action: None, header: None, documentation: "" };
/// assert!(is_read(&op("EmployeeService", "PersonalInfo_GetCurrent")));
/// assert!(is_read(&op("CompanyService", "List_GetAll")));
/// assert!(!is_read(&op("EmployeeService", "Employee_Insert")));
/// assert!(!is_read(&op("SingleSignOn", "GetToken")));
/// assert!(!is_read(&op("ReportService", "Reports_GetJournalsReportByCompany_Background")));
/// assert!(!is_read(&op("DataZooService", "Verify")));
/// ```
pub fn is_read(op: &Operation) -> bool {
    if op.service == "SingleSignOn" || op.name.ends_with("_Background") {
        return false;
    }
    if op.service == "ReportService" && op.name == "Reports_BackgroundTask_Result" {
        return true;
    }
    op.name.split('_').any(|part| part == "List" || part.starts_with("Get"))
}

/// When and how often a failed call is sent again.
///
/// A failure is retried only when sending the call again cannot make the service act twice:
///
/// | failure | the request… | retried for |
/// |---|---|---|
/// | [`Connect`](Error::Connect), [`Timeout`](Error::Timeout) while connecting | never left | every operation |
/// | HTTP 429 Too Many Requests | was refused unprocessed | every operation |
/// | HTTP 503 Service Unavailable | was most likely not processed | reads; writes only with [`RetryPolicy::retry_unavailable_writes`] |
/// | [`Timeout`](Error::Timeout) waiting for or reading the reply, [`Interrupted`](Error::Interrupted) (reset, closed), HTTP 502, 504 | may have been acted on | reads only |
/// | [`Protocol`](Error::Protocol) (the reply broke HTTP, e.g. an oversized head) | may have been acted on; another attempt would end the same way | never |
/// | [`IllegalCharacter`](Error::IllegalCharacter) | was refused before sending; it would be refused again | never |
/// | anything else (faults, 4xx, 500, contract errors, the rate limiter's errors) | was answered | never |
///
/// An operation is a *read* when [`is_read`] says so, or whatever rule
/// [`RetryPolicy::reads`] installs. 429 and 503 wait as long as their `Retry-After` asks
/// (seconds or an HTTP date) up to [`RetryPolicy::max_retry_after`]; a longer wait is not
/// attempted. Other retries wait an exponential backoff with jitter. The attempts and the total
/// time are capped.
///
/// | setting | default |
/// |---|---|
/// | [`max_attempts`](Self::max_attempts) | 4 (the call and up to 3 retries) |
/// | [`max_elapsed`](Self::max_elapsed) | 60 s from the first attempt; no retry would end later |
/// | [`backoff`](Self::backoff) | 250 ms, doubling, at most 8 s; each wait is drawn between half and all of it |
/// | [`max_retry_after`](Self::max_retry_after) | 30 s |
/// | [`retry_unavailable_writes`](Self::retry_unavailable_writes) | off |
/// | [`reads`](Self::reads) | [`is_read`] |
///
/// ```
/// use std::time::Duration;
/// use soapbind::soap::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(6)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5))
///     .max_retry_after(Duration::from_secs(10));
/// assert_eq!(policy.get_max_attempts(), 6);
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    unavailable_writes: bool,
    reads: fn(&Operation) -> bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            unavailable_writes: false,
            reads: is_read,
        }
    }
}

/// Why a failed attempt is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// The request never reached the service.
    NotSent,
    /// HTTP 429 or 503: the service refused it for now.
    Refused,
    /// The request may have been acted on; the operation is a read.
    MaybeSentRead,
}

impl Cause {
    fn as_str(self) -> &'static str {
        match self {
            Cause::NotSent => "not sent",
            Cause::Refused => "refused for now",
            Cause::MaybeSentRead => "read that may have been sent",
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The most attempts of one call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest time from the first attempt to the start of the last: a retry whose wait
    /// would end later is not made.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The backoff: the first retry waits up to `initial`, each next one up to twice as long,
    /// never more than `max`. Each wait is drawn at random between half and all of it.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` honoured; a 429 or 503 asking for more is returned as is.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Whether a 503 is retried for operations that are not reads. Off by default: a proxy
    /// may answer 503 after the service took the request.
    pub fn retry_unavailable_writes(mut self, on: bool) -> Self {
        self.unavailable_writes = on;
        self
    }

    /// The rule telling reads apart, replacing [`is_read`].
    pub fn reads(mut self, rule: fn(&Operation) -> bool) -> Self {
        self.reads = rule;
        self
    }

    /// The most attempts of one call.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether `error`, from an attempt of `op`, may be retried under this policy (whatever the
    /// attempts and time left).
    pub fn is_retryable(&self, op: &Operation, error: &Error) -> bool {
        self.cause(op, error).is_some()
    }

    fn cause(&self, op: &Operation, error: &Error) -> Option<Cause> {
        let read = (self.reads)(op);
        match error {
            Error::Connect { .. } | Error::Timeout { connecting: true, .. } => Some(Cause::NotSent),
            Error::HttpStatus { status: 429, .. } => Some(Cause::Refused),
            Error::HttpStatus { status: 503, .. } if read || self.unavailable_writes => Some(Cause::Refused),
            Error::Timeout { .. } | Error::Interrupted { .. } | Error::HttpStatus { status: 502..=504, .. } if read => {
                Some(Cause::MaybeSentRead)
            }
            _ => None,
        }
    }

    /// The wait before retry number `retry` (1 for the first) without a `Retry-After`: drawn
    /// between half and all of `initial × 2^(retry-1)`, capped at the maximum backoff.
    pub fn backoff_delay(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let full = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(random_fraction())
    }

    /// Runs `attempt` until it succeeds, fails in a way this policy does not retry, or the
    /// attempts or the time run out. The attempts run in a `soap.request` span (fields `api`,
    /// `service`, `operation`, `attempts`), each retry is an INFO event in it naming the cause,
    /// the wait and the error, and `stats` counts them.
    pub(crate) async fn run<T, F, Fut>(
        &self,
        api: &'static str,
        op: &'static Operation,
        stats: &CallCounters,
        mut attempt: F,
    ) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let span = tracing::info_span!(
            "soap.request",
            api,
            service = op.service,
            operation = op.name,
            attempts = field::Empty,
        );
        let started = tokio::time::Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let result = attempt().instrument(span.clone()).await;
            let error = match result {
                Ok(reply) => {
                    span.record("attempts", attempts);
                    return Ok(reply);
                }
                Err(error) => error,
            };
            let Some(wait) = self.next_wait(op, &error, attempts, started.elapsed()) else {
                span.record("attempts", attempts);
                return Err(error);
            };
            stats.retries.fetch_add(1, Ordering::Relaxed);
            let (cause, delay) = wait;
            span.in_scope(|| {
                tracing::info!(
                    retry = attempts,
                    cause = cause.as_str(),
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    error = %error,
                    "retrying"
                );
            });
            tokio::time::sleep(delay).await;
        }
    }

    /// The cause and the wait before the next attempt, or `None` to give up.
    fn next_wait(&self, op: &Operation, error: &Error, attempts: u32, elapsed: Duration) -> Option<(Cause, Duration)> {
        let cause = self.cause(op, error)?;
        if attempts >= self.max_attempts {
            return None;
        }
        let delay = match error.retry_after() {
            Some(asked) if asked > self.max_retry_after => return None,
            Some(asked) => asked,
            None => self.backoff_delay(attempts),
        };
        (elapsed + delay <= self.max_elapsed).then_some((cause, delay))
    }
}

/// A number in `[0, 1)`, from the standard library's randomly seeded hasher: enough to spread
/// retries apart, without a dependency.
fn random_fraction() -> f64 {
    let bits = std::collections::hash_map::RandomState::new().build_hasher().finish();
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// Parses a `Retry-After` value: a number of seconds, or an HTTP date (`Wed, 21 Oct 2015
/// 07:28:00 GMT`) taken relative to `now` (a date in the past means no wait). `None` when it is
/// neither.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use soapbind::soap::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // Wed, 21 Oct 2015 07:27:50 GMT
/// assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(Duration::ZERO));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or_default())
}

/// Counts of a client's calls, shared by its clones.
#[derive(Debug, Default)]
pub(crate) struct CallCounters {
    /// HTTP requests sent (attempts), retries included.
    pub(crate) requests: AtomicU64,
    /// Retries made.
    pub(crate) retries: AtomicU64,
    /// Requests that waited for the rate limit.
    pub(crate) limited: AtomicU64,
    /// Microseconds spent waiting for the rate limit, summed over requests.
    pub(crate) limit_wait_us: AtomicU64,
}

impl CallCounters {
    /// Records one request and the time it waited for the rate limit.
    pub(crate) fn request(&self, waited: Duration) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if !waited.is_zero() {
            self.limited.fetch_add(1, Ordering::Relaxed);
            let us = u64::try_from(waited.as_micros()).unwrap_or(u64::MAX);
            self.limit_wait_us.fetch_add(us, Ordering::Relaxed);
        }
    }

    /// A snapshot.
    pub(crate) fn snapshot(&self) -> CallStats {
        CallStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            limited: self.limited.load(Ordering::Relaxed),
            limit_wait: Duration::from_micros(self.limit_wait_us.load(Ordering::Relaxed)),
        }
    }
}

/// What a client has sent so far (all its clones together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CallStats {
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// Retries among them.
    pub retries: u64,
    /// Requests that waited for the rate limit.
    pub limited: u64,
    /// The time spent waiting for the rate limit, summed over requests.
    pub limit_wait: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(service: &'static str, name: &'static str) -> Operation {
        Operation {
            service,
            name,
            namespace: "",
            soap11_action: None,
            soap12_action: None,
            header: None,
            documentation: "",
        }
    }

    fn status(status: u16, retry_after: Option<Duration>) -> Error {
        Error::HttpStatus { status, content_type: None, excerpt: String::new(), retry_after }
    }

    fn interrupted() -> Error {
        Error::Interrupted { host: "h".into(), received: 0, source: "reset".into() }
    }

    #[test]
    fn what_is_retried() {
        let policy = RetryPolicy::default();
        let (read, insert) = (op("EmployeeService", "List_GetByCompany"), op("EmployeeService", "Employee_Insert"));
        let connect = Error::Connect { host: "h".into(), source: "refused".into() };
        let waiting = Error::Timeout { host: "h".into(), limit: Duration::from_secs(1), connecting: false };
        for op in [&read, &insert] {
            assert!(policy.is_retryable(op, &connect));
            assert!(policy.is_retryable(op, &status(429, None)));
            assert!(!policy.is_retryable(op, &status(500, None)));
            assert!(!policy.is_retryable(op, &status(404, None)));
            // A broken HTTP protocol (e.g. an oversized response head) after sending, and a
            // request refused before sending: another attempt would end the same way.
            let protocol = Error::Protocol { host: "h".into(), source: "response head too large".into() };
            assert!(!policy.is_retryable(op, &protocol));
            let illegal = Error::IllegalCharacter { path: "Envelope/Body/Name".into(), character: '\u{1}' };
            assert!(!policy.is_retryable(op, &illegal));
        }
        for maybe_sent in [interrupted(), waiting, status(502, None), status(504, None), status(503, None)] {
            assert!(policy.is_retryable(&read, &maybe_sent), "{maybe_sent}");
            assert!(!policy.is_retryable(&insert, &maybe_sent), "{maybe_sent}");
        }
        let lenient = RetryPolicy::default().retry_unavailable_writes(true);
        assert!(lenient.is_retryable(&insert, &status(503, None)));
        assert!(!lenient.is_retryable(&insert, &interrupted()));
    }

    #[test]
    fn waits_honour_retry_after_within_bounds() {
        let policy =
            RetryPolicy::default().max_retry_after(Duration::from_secs(5)).max_elapsed(Duration::from_secs(20));
        let read = op("CompanyService", "List_GetAll");
        let one = status(429, Some(Duration::from_secs(1)));
        assert_eq!(policy.next_wait(&read, &one, 1, Duration::ZERO), Some((Cause::Refused, Duration::from_secs(1))));
        // Too long a Retry-After, too many attempts, or past the time budget: give up.
        assert_eq!(policy.next_wait(&read, &status(429, Some(Duration::from_secs(6))), 1, Duration::ZERO), None);
        assert_eq!(policy.next_wait(&read, &one, 4, Duration::ZERO), None);
        assert_eq!(policy.next_wait(&read, &one, 1, Duration::from_millis(19_500)), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(500));
        for (retry, full) in [(1, 100), (2, 200), (3, 400), (4, 500), (40, 500)] {
            for _ in 0..50 {
                let delay = policy.backoff_delay(retry);
                let full = Duration::from_millis(full);
                assert!(delay >= full / 2 && delay <= full, "retry {retry}: {delay:?}");
            }
        }
        let spread: std::collections::HashSet<_> = (0..20).map(|_| policy.backoff_delay(3)).collect();
        assert!(spread.len() > 1, "the waits are not jittered");
    }

    #[cfg(feature = "nmbrs")]
    #[test]
    fn no_nmbrs_write_is_a_read() {
        use crate::nmbrs::generated::{
            company_service, debtor_service, employee_service, report_service, single_sign_on,
        };
        // A write counted as a read would be repeated after a timeout: no operation the rule
        // calls a read may carry a word that marks a write in the Nmbrs names.
        let writes = ["Insert", "Update", "Delete", "Set", "Stop", "Clear", "Upload", "Remove", "Token", "Background"];
        let all = [
            company_service::operations::ALL,
            debtor_service::operations::ALL,
            employee_service::operations::ALL,
            report_service::operations::ALL,
            single_sign_on::operations::ALL,
        ];
        let mut reads = 0;
        for op in all.iter().flat_map(|ops| ops.iter()) {
            if is_read(op) {
                reads += 1;
                let name = op.name.replace("BackgroundTask_Result", "");
                assert!(!writes.iter().any(|w| name.contains(w)), "{}.{} counted as a read", op.service, op.name);
            }
        }
        assert!(reads > 100, "{reads} reads");
        assert!(is_read(&op("ReportService", "Reports_BackgroundTask_Result")));
        assert!(!is_read(&op("SingleSignOn", "GetToken2")));
    }
}
