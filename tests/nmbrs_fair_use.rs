//! The Nmbrs client's rate limit and retry policy against a scripted HTTP server on 127.0.0.1
//! that records when each request arrives: the limit measured at the server, `Retry-After`,
//! backoff, and which failures are (never) retried.
//!
//! The server speaks plain HTTP/1.1 over tokio's TCP, one request per connection (`Connection:
//! close`), so that it can also drop a connection after reading a request, as a reset or a crash
//! after sending would. Waits here are real: the longest is the 1,000-call run, about 7 s.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

mod http_support;
mod log_capture;
#[cfg(feature = "redis")]
mod redis_support;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use soapbind::nmbrs::{Client, Credentials, Domain, Environment, Error};
use soapbind::soap::{self, RateLimit, RetryPolicy};
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};

/// What the server does with a request.
#[derive(Debug, Clone)]
enum Answer {
    /// A SOAP reply for the operation called.
    Reply,
    /// An HTTP status with a plain-text body and maybe a `Retry-After`.
    Status(u16, Option<String>),
    /// Closes the connection after reading the request, without answering.
    Drop,
    /// An HTTP status with an HTML page as its body.
    Page(u16, String),
}

/// A scripted server: answers from the script in order, then [`Answer::Reply`].
struct Server {
    addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<(Instant, String)>>>,
    script: Arc<Mutex<VecDeque<Answer>>>,
}

impl Server {
    async fn start(script: impl IntoIterator<Item = Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter().collect::<VecDeque<_>>()));
        let (log, answers) = (Arc::clone(&arrivals), Arc::clone(&script));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, answers) = (Arc::clone(&log), Arc::clone(&answers));
                tokio::spawn(async move {
                    let _ = serve(stream, log, answers).await;
                });
            }
        });
        Self { addr, arrivals, script }
    }

    fn client(&self, limit: Option<RateLimit>, policy: RetryPolicy) -> Client {
        Client::builder(
            Credentials::new("api@example.com", "token"),
            Environment::Custom(format!("http://{}/soap/v3/", self.addr)),
        )
        .domain(Domain::Fixed("acme".into()))
        .rate_limit(limit)
        .retry_policy(policy)
        .build()
        .unwrap()
    }

    /// Arrival times of the requests, in order.
    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().unwrap().iter().map(|(at, _)| *at).collect()
    }

    fn requests(&self) -> usize {
        self.arrivals.lock().unwrap().len()
    }

    fn push(&self, answers: impl IntoIterator<Item = Answer>) {
        self.script.lock().unwrap().extend(answers);
    }
}

async fn serve(
    mut stream: TcpStream,
    log: Arc<Mutex<Vec<(Instant, String)>>>,
    answers: Arc<Mutex<VecDeque<Answer>>>,
) -> std::io::Result<()> {
    // A client that closes before the whole request arrived gets no answer and no log entry.
    let request = http_support::read_request(&mut stream).await?;
    let head = request.head();
    let action = head
        .lines()
        .find_map(|l| l.strip_prefix("SOAPAction:").or_else(|| l.strip_prefix("soapaction:")))
        .map(|v| v.trim().trim_matches('"').to_owned())
        .unwrap_or_default();
    log.lock().unwrap().push((Instant::now(), action.clone()));
    let answer = answers.lock().unwrap().pop_front().unwrap_or(Answer::Reply);
    let (status, extra, content_type, body) = match answer {
        Answer::Drop => return Ok(()),
        Answer::Status(status, retry_after) => {
            let extra = retry_after.map(|v| format!("Retry-After: {v}\r\n")).unwrap_or_default();
            (status, extra, "text/plain", "slow down".to_owned())
        }
        Answer::Page(status, page) => (status, String::new(), "text/html; charset=utf-8", page),
        Answer::Reply => (200, String::new(), "text/xml; charset=utf-8", reply(&action)),
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// The reply to `List_GetAll` (an empty list) or `Debtor_Insert` (id 7) of DebtorService.
fn reply(action: &str) -> String {
    let (ns, op) = action.rsplit_once('/').unwrap_or_default();
    let result = match op {
        "Debtor_Insert" => "<Debtor_InsertResult>7</Debtor_InsertResult>".to_owned(),
        _ => format!("<{op}Result/>"),
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">\
         <soap:Body><{op}Response xmlns=\"{ns}\">{result}</{op}Response></soap:Body></soap:Envelope>"
    )
}

/// A read: `DebtorService.List_GetAll`.
async fn read(client: &Client) -> Result<(), Error> {
    client.debtor().list_get_all().await.map(drop)
}

/// A write: `DebtorService.Debtor_Insert`.
async fn insert(client: &Client) -> Result<i32, Error> {
    client.debtor().debtor_insert(None).await
}

/// The whole binary's logs at TRACE: a subscriber of one thread alone can miss events whose
/// callsite another test's thread registered at the same time.
fn logs() -> &'static log_capture::CapturedLogs {
    static LOGS: OnceLock<log_capture::CapturedLogs> = OnceLock::new();
    LOGS.get_or_init(log_capture::CapturedLogs::global)
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(20), Duration::from_millis(40))
}

fn http_status(err: &Error) -> Option<u16> {
    match err {
        Error::Soap(e) => e.http_status(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_from_twenty_clones_never_exceed_the_rate_in_any_second() {
    let server = Server::start([]).await;
    let limit = RateLimit::per_second(150);
    let client = server.client(Some(limit), RetryPolicy::none());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let clone = client.clone();
        tasks.spawn(async move {
            for _ in 0..50 {
                read(&clone).await.unwrap();
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 1000);
    let busiest = busiest_second(&arrivals);
    eprintln!("busiest second at the server: {busiest} calls (limit 150)");
    assert!(busiest <= 150, "{busiest} calls arrived within one second");
    assert_eq!(client.stats().requests, 1000);
    assert!(client.stats().limited > 900, "{:?}", client.stats());
}

/// The most arrivals within any one-second window `[t, t + 1 s)`.
fn busiest_second(arrivals: &[Instant]) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    let mut most = 0;
    let mut start = 0;
    for (end, at) in sorted.iter().enumerate() {
        while *at - sorted[start] >= Duration::from_secs(1) {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[tokio::test]
async fn a_429_with_retry_after_one_second_is_retried_once_after_about_a_second() {
    let logs = logs();
    let server = Server::start([Answer::Status(429, Some("1".into()))]).await;
    let client = server.client(None, RetryPolicy::default());
    read(&client).await.unwrap();
    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 2);
    let gap = arrivals[1] - arrivals[0];
    assert!(gap >= Duration::from_millis(990) && gap < Duration::from_secs(3), "{gap:?}");
    assert_eq!(client.stats().retries, 1);
    // The retry is an event of the call's span, with its cause and wait.
    let text = logs.text();
    let line = text
        .lines()
        .find(|l| l.contains("retrying") && l.contains("delay_ms=1000") && l.contains("HTTP status 429"))
        .unwrap_or_else(|| panic!("no retry logged: {text}"));
    assert!(line.contains("soap.request") && line.contains("operation=\"List_GetAll\""), "{line}");
    assert!(line.contains("delay_ms=1000") && line.contains("cause=\"refused for now\""), "{line}");
    assert!(line.contains("HTTP status 429"), "{line}");
}

#[tokio::test]
async fn a_retry_after_date_is_honoured_and_one_beyond_the_bound_is_not_waited_for() {
    // An HTTP date two seconds ahead (whole seconds: the wait is between 1 and 2 s).
    let at = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + 2;
    let date = chrono::DateTime::from_timestamp(at as i64, 0).unwrap().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = Server::start([Answer::Status(503, Some(date))]).await;
    let client = server.client(None, RetryPolicy::default());
    read(&client).await.unwrap();
    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 2);
    assert!(arrivals[1] - arrivals[0] >= Duration::from_millis(900), "{:?}", arrivals[1] - arrivals[0]);

    // Asked to wait longer than the policy allows: the 429 is returned, with what it asked.
    server.push([Answer::Status(429, Some("120".into()))]);
    let err = read(&client).await.unwrap_err();
    assert_eq!(http_status(&err), Some(429), "{err}");
    let Error::Soap(soap_error) = &err else { panic!("{err:?}") };
    assert_eq!(soap_error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_429_without_retry_after_follows_the_backoff() {
    let server = Server::start([Answer::Status(429, None), Answer::Status(429, None)]).await;
    let policy = RetryPolicy::default().backoff(Duration::from_millis(200), Duration::from_secs(1));
    let client = server.client(None, policy);
    read(&client).await.unwrap();
    let arrivals = server.arrivals();
    assert_eq!(arrivals.len(), 3);
    // Waits drawn from [100, 200] ms, then [200, 400] ms (upper bounds with room for a slow machine).
    let (first, second) = (arrivals[1] - arrivals[0], arrivals[2] - arrivals[1]);
    assert!(first >= Duration::from_millis(100) && first < Duration::from_millis(1200), "{first:?}");
    assert!(second >= Duration::from_millis(200) && second < Duration::from_millis(1400), "{second:?}");
    assert_eq!(client.stats().retries, 2);

    // Attempts are capped: 429 four times is returned after the fourth.
    server.push(std::iter::repeat_n(Answer::Status(429, None), 4));
    let err = read(&client).await.unwrap_err();
    assert_eq!(http_status(&err), Some(429));
    assert_eq!(server.requests(), 3 + 4);
}

#[tokio::test]
async fn a_503_on_an_insert_is_retried_only_when_the_policy_says_so() {
    let server = Server::start([Answer::Status(503, None)]).await;
    let strict = server.client(None, quick_policy());
    let err = insert(&strict).await.unwrap_err();
    assert_eq!(http_status(&err), Some(503), "{err}");
    assert_eq!(server.requests(), 1, "the insert was repeated");

    // A read is retried under the same policy.
    server.push([Answer::Status(503, None)]);
    read(&strict).await.unwrap();
    assert_eq!(server.requests(), 3);

    // With retry_unavailable_writes, the insert is sent again.
    server.push([Answer::Status(503, None)]);
    let lenient = server.client(None, quick_policy().retry_unavailable_writes(true));
    assert_eq!(insert(&lenient).await.unwrap(), 7);
    assert_eq!(server.requests(), 5);
}

#[tokio::test]
async fn a_connection_lost_after_sending_an_insert_is_never_retried() {
    let server = Server::start([Answer::Drop]).await;
    let client = server.client(None, quick_policy());
    let err = insert(&client).await.unwrap_err();
    assert!(matches!(err, Error::Soap(soap::Error::Interrupted { .. })), "{err:?}");
    assert_eq!(server.requests(), 1, "the insert was repeated");
    assert_eq!(client.stats().retries, 0);

    // The same failure on a read is retried.
    server.push([Answer::Drop]);
    read(&client).await.unwrap();
    assert_eq!(server.requests(), 3);
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_any_operation_up_to_the_cap() {
    // A port nobody listens on: the request never leaves, so even an insert may be retried.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(
        Credentials::new("api@example.com", "token"),
        Environment::Custom(format!("http://127.0.0.1:{port}/soap/v3/")),
    )
    .domain(Domain::Fixed("acme".into()))
    .retry_policy(quick_policy().max_attempts(3))
    .build()
    .unwrap();
    let err = insert(&client).await.unwrap_err();
    assert!(matches!(err, Error::Soap(soap::Error::Connect { .. })), "{err:?}");
    assert_eq!((client.stats().requests, client.stats().retries), (3, 2));
}

#[test]
fn the_default_limit_is_nmbrs_fair_use_and_a_zero_limit_is_refused() {
    let client = Client::builder(Credentials::new("a@b.nl", "t"), Environment::Sandbox).build().unwrap();
    assert_eq!(client.rate_limiter().limit(), Some(RateLimit::NMBRS_FAIR_USE));
    let off = Client::builder(Credentials::new("a@b.nl", "t"), Environment::Sandbox).rate_limit(None).build();
    assert_eq!(off.unwrap().rate_limiter().limit(), None);
    let zero = Client::builder(Credentials::new("a@b.nl", "t"), Environment::Sandbox)
        .rate_limit(Some(RateLimit::per_second(0)))
        .build()
        .unwrap_err();
    assert!(matches!(zero, Error::InvalidConfig { what: "rate_limit", .. }), "{zero}");
}

/// The limit shared through a real `redis-server` (feature `redis`; see `tests/redis_support`).
#[cfg(feature = "redis")]
mod fleet {
    use super::*;
    use soapbind::soap::{LimitError, RateLimiter, RedisRateLimiter, RedisRateLimiterBuilder};

    use super::redis_support::RedisServer;

    const ACCOUNT: &str = "api@example.com";

    /// A worker: a client with its own Redis limiter (and connection) for the account.
    fn worker(
        server: &Server,
        redis_url: &str,
        limit: RateLimit,
        configure: impl Fn(RedisRateLimiterBuilder) -> RedisRateLimiterBuilder,
    ) -> Client {
        let limiter = configure(RedisRateLimiter::builder(redis_url, ACCOUNT, limit)).build().unwrap();
        Client::builder(
            Credentials::new(ACCOUNT, "token"),
            Environment::Custom(format!("http://{}/soap/v3/", server.addr)),
        )
        .domain(Domain::Fixed("acme".into()))
        .rate_limiter(RateLimiter::redis(limiter))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn four_workers_together_stay_under_one_shared_limit() {
        let Some(redis) = RedisServer::start_or_skip("four_workers_together_stay_under_one_shared_limit") else {
            return;
        };
        let server = Server::start([]).await;
        let limit = RateLimit::per_second(100);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let client = worker(&server, &redis.url(), limit, |b| b);
            tasks.spawn(async move {
                for _ in 0..100 {
                    read(&client).await.unwrap();
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
        let arrivals = server.arrivals();
        assert_eq!(arrivals.len(), 400);
        let busiest = busiest_second(&arrivals);
        eprintln!("busiest second at the server, 4 workers through Redis: {busiest} calls (limit 100)");
        assert!(busiest <= 100, "{busiest} calls arrived within one second");

        // One key, named after a hash of the account; the account itself is not in Redis.
        let mut raw = redis.raw().await;
        let keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut raw).await.unwrap();
        assert_eq!(keys.len(), 1, "{keys:?}");
        assert!(keys[0].starts_with("soapbind:rate:{") && keys[0].ends_with("}:rate") && !keys[0].contains(ACCOUNT));
    }

    #[tokio::test]
    async fn an_unreachable_redis_fails_calls_with_a_typed_error_unless_the_local_fallback_is_chosen() {
        let server = Server::start([]).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("redis://:hunter2@127.0.0.1:{port}/0");
        let limit = RateLimit::per_second(50);

        let strict = worker(&server, &url, limit, |b| b.timeout(Duration::from_millis(500)));
        let err = read(&strict).await.unwrap_err();
        let Error::Soap(soap::Error::RateLimit(limit_error)) = &err else { panic!("{err:?}") };
        assert!(matches!(limit_error, LimitError::Unreachable { .. }) && limit_error.is_unreachable());
        let text = err.to_string();
        assert!(text.contains(&format!("127.0.0.1:{port}/0")) && !text.contains("hunter2"), "{text}");
        assert_eq!(server.requests(), 0, "a call was sent without the shared limit");

        let lenient = worker(&server, &url, limit, |b| b.timeout(Duration::from_millis(500)).fallback_to_local());
        for _ in 0..3 {
            read(&lenient).await.unwrap();
        }
        assert_eq!(server.requests(), 3);
        // The calls were still spaced, by the local limit.
        let arrivals = server.arrivals();
        assert!(arrivals[2] - arrivals[0] >= limit.spacing() * 2 - Duration::from_millis(2));
    }
}

#[tokio::test]
async fn a_retried_call_redacts_the_token_in_every_attempt_its_logs_and_its_error() {
    let logs = logs();
    // The token as an error page would echo it: HTML-escaped and percent-encoded.
    let token = "it's-T0ken\"<&>";
    let page = "<html><body><p>Token it&#39;s-T0ken&quot;&lt;&amp;&gt; is busy</p>\
                <a href=\"/retry?token=it%27s-T0ken%22%3C%26%3E\">again</a></body></html>";
    let server = Server::start(std::iter::repeat_n(Answer::Page(503, page.into()), 4)).await;
    let client = Client::builder(
        Credentials::new("api@example.com", token),
        Environment::Custom(format!("http://{}/soap/v3/", server.addr)),
    )
    .domain(Domain::Fixed("acme".into()))
    .rate_limit(None)
    .retry_policy(quick_policy())
    .build()
    .unwrap();
    let err = read(&client).await.unwrap_err();
    assert_eq!(server.requests(), 4, "a read refused with 503 is tried four times");
    assert_eq!(client.stats().retries, 3);
    assert_eq!(http_status(&err), Some(503), "{err}");
    let shown = format!("{err}\n{err:?}");
    assert!(shown.contains("is busy"), "the excerpt is kept: {shown}");
    let text = logs.text();
    let retried = text.lines().filter(|l| l.contains("retrying") && l.contains("is busy")).count();
    assert_eq!(retried, 3, "the retries are logged with the error: {text}");
    for form in ["it's-T0ken", "it&#39;s-T0ken", "it%27s-T0ken", "T0ken"] {
        assert!(!shown.contains(form), "{form} in the error: {shown}");
        assert!(!text.contains(form), "{form} in the logs");
    }
}
