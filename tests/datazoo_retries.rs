//! Which failed Data Zoo `Verify` calls are sent again: a scripted front on 127.0.0.1 answers
//! the first requests itself (a status, or a dropped connection after reading the request) and
//! passes the rest to the Data Zoo mock. Logins go straight to the mock's REST endpoint, so every
//! request the front sees is a Verify.
//!
//! `Verify` may be billed, so it is repeated only when the request never reached Data Zoo or was
//! refused unprocessed (429); never once it may have been acted on.
#![cfg(all(feature = "datazoo", feature = "mock"))]

mod http_support;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use soapbind::datazoo::{Client, Error, LoginMethod, Verification};
use soapbind::mock::datazoo::{MockDataZoo, KNOWN_IDENTITIES};
use soapbind::soap::{self, RetryPolicy};
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};

/// What the front does with a request.
#[derive(Debug, Clone)]
enum Answer {
    /// An HTTP status with a plain-text body and maybe a `Retry-After`; the connection closes.
    Status(u16, Option<&'static str>),
    /// Closes the connection after reading the request, without answering.
    Drop,
}

/// The scripted front: one answer from the script per connection, then the mock.
struct Front {
    addr: SocketAddr,
    answered: Arc<Mutex<Vec<String>>>,
}

impl Front {
    async fn start(upstream: SocketAddr, script: impl IntoIterator<Item = Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let answered = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.into_iter().collect::<VecDeque<_>>()));
        let log = Arc::clone(&answered);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let answer = script.lock().unwrap().pop_front();
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = serve(stream, upstream, answer, log).await;
                });
            }
        });
        Self { addr, answered }
    }

    /// The answers the front gave itself, in order (`pass` for requests it passed on).
    fn answered(&self) -> Vec<String> {
        self.answered.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    upstream: SocketAddr,
    answer: Option<Answer>,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let request = http_support::read_request(&mut stream).await?;
    let Some(answer) = answer else {
        log.lock().unwrap().push("pass".into());
        let mut mock = TcpStream::connect(upstream).await?;
        mock.write_all(&request.bytes).await?;
        tokio::io::copy_bidirectional(&mut stream, &mut mock).await?;
        return Ok(());
    };
    log.lock().unwrap().push(format!("{answer:?}"));
    let Answer::Status(status, retry_after) = answer else { return Ok(()) };
    let extra = retry_after.map(|v| format!("Retry-After: {v}\r\n")).unwrap_or_default();
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n{extra}Connection: close\r\n\r\nslow down"
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

/// A client of `mock` whose SOAP endpoint (Verify) is `endpoint`; logins go to the mock's REST
/// endpoint.
fn client(mock: &MockDataZoo, endpoint: String, policy: RetryPolicy) -> Client {
    mock.client_builder().login_method(LoginMethod::RestJson).endpoint(endpoint).retry_policy(policy).build().unwrap()
}

fn quick_policy() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(20), Duration::from_millis(40))
}

/// The mock's first known person, against one data source: a full match.
fn person() -> Verification {
    KNOWN_IDENTITIES[0].verification()
}

fn http_status(err: &Error) -> Option<u16> {
    match err {
        Error::Soap(e) => e.http_status(),
        _ => None,
    }
}

fn front_url(front: &Front) -> String {
    format!("http://{}/DataZoo.asmx", front.addr)
}

#[tokio::test]
async fn a_429_on_verify_is_sent_again_after_its_retry_after() {
    let mock = MockDataZoo::start().await.unwrap();
    let front = Front::start(mock.addr(), [Answer::Status(429, Some("1"))]).await;
    let client = client(&mock, front_url(&front), quick_policy());
    let started = Instant::now();
    client.verify(&person()).await.unwrap();
    let waited = started.elapsed();
    assert_eq!(front.answered(), ["Status(429, Some(\"1\"))", "pass"]);
    assert_eq!((client.stats().requests, client.stats().retries), (2, 1));
    assert!(waited >= Duration::from_millis(900), "the retry did not wait for Retry-After: {waited:?}");
    assert_eq!(mock.verifications(), 1, "one verification reached Data Zoo");
}

#[tokio::test]
async fn a_verify_that_may_have_been_acted_on_is_never_sent_again() {
    let mock = MockDataZoo::start().await.unwrap();
    let front = Front::start(mock.addr(), [Answer::Status(503, None), Answer::Drop, Answer::Status(502, None)]).await;
    let client = client(&mock, front_url(&front), quick_policy());

    let err = client.verify(&person()).await.unwrap_err();
    assert_eq!(http_status(&err), Some(503), "{err}");
    let err = client.verify(&person()).await.unwrap_err();
    assert!(matches!(err, Error::Soap(soap::Error::Interrupted { .. })), "{err:?}");
    let err = client.verify(&person()).await.unwrap_err();
    assert_eq!(http_status(&err), Some(502), "{err}");
    assert_eq!((client.stats().requests, client.stats().retries), (3, 0));
    assert_eq!(front.answered().len(), 3);

    // A 503 is sent again only when the policy says writes may be.
    let front = Front::start(mock.addr(), [Answer::Status(503, None)]).await;
    let lenient = self::client(&mock, front_url(&front), quick_policy().retry_unavailable_writes(true));
    lenient.verify(&person()).await.unwrap();
    assert_eq!(front.answered(), ["Status(503, None)", "pass"]);
    assert_eq!(lenient.stats().retries, 1);
}

#[tokio::test]
async fn a_verify_that_never_left_is_sent_again_up_to_the_cap() {
    let mock = MockDataZoo::start().await.unwrap();
    // A port nobody listens on: the request never leaves.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = client(&mock, format!("http://127.0.0.1:{port}/"), quick_policy().max_attempts(3));
    let err = client.verify(&person()).await.unwrap_err();
    assert!(matches!(err, Error::Soap(soap::Error::Connect { .. })), "{err:?}");
    assert_eq!((client.stats().requests, client.stats().retries), (3, 2));
    assert_eq!(mock.verifications(), 0);

    // Retries off: one attempt.
    let once = self::client(&mock, format!("http://127.0.0.1:{port}/"), RetryPolicy::none());
    assert!(once.verify(&person()).await.is_err());
    assert_eq!((once.stats().requests, once.stats().retries), (1, 0));
}
