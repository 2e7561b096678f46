//! One call end to end over loopback HTTP, next to a bare reqwest POST of the same envelope to
//! the same server (the transport's limit), with 1 and with 64 concurrent callers.
//!
//! `cargo bench --bench call` (add `-- --quick` for a short run). The servers run on a tokio
//! runtime of their own with one worker thread; the callers on a current-thread runtime in the
//! bench thread, so on a two-core machine client and server each have a core. Each iteration is
//! one call (`/1`) or 64 calls started together and awaited together (`/64`, throughput in
//! calls per second).
//!
//! Groups:
//! - `call_zeep_shape/<n>items`: a minimal axum server answering every POST with a canned
//!   zeep-shape reply of `n` items (`target/bench-data/zeep_reply_<n>.xml` for 100); `soapbind`
//!   is the generated `BenchmarkServiceClient` over `soap::PlainCaller`; `reqwest_read` is the
//!   bare POST followed by `envelope::read_response` of the reply into the generated type (the
//!   transport's limit plus the XML reading, without the rest of `soap::Client`).
//! - `call_nmbrs_mock`: `EmployeeService.Absence_GetList` against `mock::nmbrs::MockNmbrs`
//!   through `nmbrs::Client` (domain discovered before timing, `AuthHeaderWithDomain` from the
//!   caller), next to reqwest POSTing the envelope the client sends.
//! - `call_datazoo_mock`: `Verify` against `mock::datazoo::MockDataZoo`: `managed` is
//!   `datazoo::Client::verify` (token from the token manager, cached and valid), `fixed` the
//!   generated client (`Client::raw`) with a fixed `Session`, `reqwest` the bare POST.
//! - `token_manager`: `datazoo::Client::session` alone, with a valid cached token (no I/O).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::datazoo::{self, DataSource, Verification};
use soapbind::mock::datazoo::{MockDataZoo, PASSWORD, USER_NAME};
use soapbind::mock::nmbrs::{self as mock_nmbrs, MockNmbrs};
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::soap::{self, envelope, Endpoint, PlainCaller, SoapVersion};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

mod common;
use common::zeep;

/// Concurrent callers of the `/64` variants.
const CONCURRENCY: usize = 64;

struct Rig {
    /// Runs the servers (one worker thread).
    server: Runtime,
    /// Runs the callers (current thread, driven by `block_on` in the bench thread).
    client: Runtime,
}

impl Rig {
    fn new() -> Self {
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bench-server")
            .enable_all()
            .build()
            .expect("server runtime");
        let client = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
        Self { server, client }
    }

    /// Times `iters` rounds of `calls` concurrent calls of `call`.
    fn time<F, Fut>(&self, iters: u64, calls: usize, call: F) -> Duration
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.client.block_on(async {
            let start = Instant::now();
            for _ in 0..iters {
                if calls == 1 {
                    call().await;
                } else {
                    let mut set = JoinSet::new();
                    for _ in 0..calls {
                        set.spawn(call());
                    }
                    while let Some(done) = set.join_next().await {
                        done.expect("a caller panicked");
                    }
                }
            }
            start.elapsed()
        })
    }
}

/// A reqwest client as bare as the transport allows: no proxy, no redirects, otherwise the
/// defaults.
fn bare_reqwest() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().expect("reqwest client")
}

fn soap_client() -> soap::Client {
    soap::Client::builder().no_proxy().build().expect("soap client")
}

/// A bare POST: send the envelope, read the whole reply, check the status.
async fn post_bare(
    http: reqwest::Client,
    url: Arc<str>,
    content_type: &'static str,
    action: Option<&'static str>,
    body: Bytes,
) {
    let mut request = http.post(&*url).header(CONTENT_TYPE, content_type).body(body);
    if let Some(action) = action {
        request = request.header("SOAPAction", action);
    }
    let reply = request.send().await.expect("bare POST");
    assert!(reply.status().is_success(), "{}", reply.status());
    let bytes = reply.bytes().await.expect("bare POST body");
    std::hint::black_box(bytes);
}

/// A bare POST whose reply is then read into `E` with the crate's envelope reader.
async fn post_bare_and_read<E: soapbind::soap::xml::Element>(
    http: reqwest::Client,
    url: Arc<str>,
    content_type: &'static str,
    action: Option<&'static str>,
    body: Bytes,
) {
    let mut request = http.post(&*url).header(CONTENT_TYPE, content_type).body(body);
    if let Some(action) = action {
        request = request.header("SOAPAction", action);
    }
    let reply = request.send().await.expect("bare POST");
    assert!(reply.status().is_success(), "{}", reply.status());
    let bytes = reply.bytes().await.expect("bare POST body");
    std::hint::black_box(common::read::<E>(&bytes));
}

/// `ours` and `reqwest` (and `reqwest_read`, when given) with 1 and with [`CONCURRENCY`]
/// callers; `after` runs untimed after each batch of iterations.
#[allow(clippy::too_many_arguments)]
fn bench_pair<Fs, FutS, Fb, FutB, Fr, FutR>(
    c: &mut Criterion,
    rig: &Rig,
    group: &str,
    ours: &str,
    soap_call: Fs,
    bare_call: Fb,
    bare_read_call: Option<Fr>,
    after: &dyn Fn(),
) where
    Fs: Fn() -> FutS,
    FutS: std::future::Future<Output = ()> + Send + 'static,
    Fb: Fn() -> FutB,
    FutB: std::future::Future<Output = ()> + Send + 'static,
    Fr: Fn() -> FutR,
    FutR: std::future::Future<Output = ()> + Send + 'static,
{
    let mut g = c.benchmark_group(group);
    g.measurement_time(Duration::from_secs(6));
    for calls in [1, CONCURRENCY] {
        if let Some(bare_read_call) = &bare_read_call {
            g.throughput(Throughput::Elements(calls as u64));
            g.bench_function(BenchmarkId::new("reqwest_read", calls), |b| {
                b.iter_custom(|iters| {
                    let elapsed = rig.time(iters, calls, bare_read_call);
                    after();
                    elapsed
                })
            });
        }
        g.throughput(Throughput::Elements(calls as u64));
        g.bench_function(BenchmarkId::new(ours, calls), |b| {
            b.iter_custom(|iters| {
                let elapsed = rig.time(iters, calls, &soap_call);
                after();
                elapsed
            })
        });
        g.bench_function(BenchmarkId::new("reqwest", calls), |b| {
            b.iter_custom(|iters| {
                let elapsed = rig.time(iters, calls, &bare_call);
                after();
                elapsed
            })
        });
    }
    g.finish();
}

// ---------------------------------------------------------------------------------------------

async fn canned_server(reply: Bytes) -> std::net::SocketAddr {
    let router = Router::new().route(
        "/bench",
        post(move |body: Bytes| {
            let reply = reply.clone();
            async move {
                std::hint::black_box(body);
                ([(CONTENT_TYPE, "text/xml; charset=utf-8")], reply)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

fn call_zeep_shape(c: &mut Criterion, rig: &Rig) {
    for n in [10usize, 100] {
        let reply = Bytes::from(if n == 100 { common::zeep_reply_file(n) } else { common::zeep_reply(n).into_bytes() });
        let addr = rig.server.block_on(canned_server(reply));
        let url: Arc<str> = format!("http://{addr}/bench").into();

        let request = zeep::Items(zeep::ItemList {
            item: vec![zeep::Item {
                id: Some(1),
                name: "Item number 1 of the benchmark list".into(),
                active: true,
                price: rust_decimal::Decimal::new(100_101, 2),
            }],
        });
        let caller = PlainCaller::new(soap_client(), Endpoint::new(&url).expect("endpoint"), SoapVersion::V11);
        let client = Arc::new(zeep::BenchmarkServiceClient::new(caller));
        let check = rig.client.block_on(client.get_item_list(request.clone())).expect("a call");
        assert_eq!(check.0.item.len(), n);

        let op = &zeep::operations::GET_ITEM_LIST;
        let body = Bytes::from(common::envelope_of(SoapVersion::V11, &request));
        let action: &'static str =
            Box::leak(format!("\"{}\"", op.soap11_action.expect("a 1.1 action")).into_boxed_str());
        let http = bare_reqwest();

        bench_pair(
            c,
            rig,
            &format!("call_zeep_shape/{n}items"),
            "soapbind",
            || {
                let client = client.clone();
                let request = request.clone();
                async move {
                    let reply = client.get_item_list(request).await.expect("call");
                    std::hint::black_box(reply);
                }
            },
            || post_bare(http.clone(), url.clone(), "text/xml; charset=utf-8", Some(action), body.clone()),
            Some(|| {
                post_bare_and_read::<zeep::Items>(
                    http.clone(),
                    url.clone(),
                    "text/xml; charset=utf-8",
                    Some(action),
                    body.clone(),
                )
            }),
            &|| {},
        );
    }
}

fn call_nmbrs_mock(c: &mut Criterion, rig: &Rig) {
    let mock = rig.server.block_on(MockNmbrs::start()).expect("mock Nmbrs");
    let client = mock.client_builder().soap_client(soap_client()).build().expect("Nmbrs client");
    let request = es::AbsenceGetList { employee_id: 100 };
    let reply = rig.client.block_on(client.employee().absence_get_list(request.clone())).expect("Absence_GetList");
    assert_eq!(reply.absence_get_list_result.map(|a| a.absence.len()), Some(1));

    // The envelope the client sends, for the bare POST.
    let header = es::AuthHeaderWithDomain {
        username: Some(mock_nmbrs::USERNAME.into()),
        token: Some(mock_nmbrs::TOKEN.into()),
        domain: Some(mock.domain()),
    };
    let body = Bytes::from(envelope::write_request(SoapVersion::V11, &header, &envelope::body_xml(&request)));
    let op = &es::operations::ABSENCE_GET_LIST;
    let action: &'static str = Box::leak(format!("\"{}\"", op.soap11_action.expect("a 1.1 action")).into_boxed_str());
    let url: Arc<str> = format!("{}EmployeeService.asmx", mock.base_url()).into();
    let http = bare_reqwest();
    rig.client.block_on(post_bare(http.clone(), url.clone(), "text/xml; charset=utf-8", Some(action), body.clone()));

    let employee = Arc::new(client.employee());
    bench_pair(
        c,
        rig,
        "call_nmbrs_mock/Absence_GetList",
        "soapbind",
        || {
            let employee = employee.clone();
            let request = request.clone();
            async move {
                let reply = employee.absence_get_list(request).await.expect("call");
                std::hint::black_box(reply);
            }
        },
        || post_bare(http.clone(), url.clone(), "text/xml; charset=utf-8", Some(action), body.clone()),
        None::<fn() -> std::future::Ready<()>>,
        // The mock logs every request; clearing the log keeps it from growing through the run.
        &|| mock.clear_requests(),
    );
}

fn verification() -> Verification {
    Verification::new()
        .first_name("Test")
        .last_name("TESTING")
        .date_of_birth(NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date"))
        .data_source(DataSource::new("Australian Residential").consent_obtained(true))
}

fn call_datazoo_mock(c: &mut Criterion, rig: &Rig) {
    let mock = rig.server.block_on(MockDataZoo::start()).expect("mock Data Zoo");
    let client = datazoo::Client::builder()
        .credentials(datazoo::Credentials::new(USER_NAME, PASSWORD))
        .endpoint(mock.base_url())
        .rest_base_url(mock.rest_base_url())
        .http_client(soap_client())
        .build()
        .expect("Data Zoo client");
    let verification = verification();
    let result = rig.client.block_on(client.verify(&verification)).expect("Verify");
    assert!(result.is_full_match(), "{result:?}");
    assert_eq!(client.authentications(), 1);

    // The request `verify` sends, with the session it holds, for the fixed-session variants.
    let session = rig.client.block_on(client.session()).expect("session");
    let request = dz::Verify {
        session: Some(dz::Session {
            user_name: Some(session.user_name().to_owned()),
            token: Some(session.token().expose().to_owned()),
            reference: Some(session.reference().to_owned()),
            data_sources: Some(dz::ArrayOfDataSourceV27 {
                data_source_v27: vec![dz::DataSourceV27 {
                    data_source_name: Some("Australian Residential".into()),
                    enabled: Some(true),
                    consent_obtained: Some(true),
                }],
            }),
        }),
        criteria: Some(verification.criteria().clone()),
    };
    let raw = Arc::new(client.raw());
    let check = rig.client.block_on(raw.verify(request.clone())).expect("raw Verify");
    assert_eq!(check.verify_result.and_then(|r| r.status), Some(0));

    let op = &dz::operations::VERIFY;
    let action = op.soap12_action.expect("a 1.2 action");
    let content_type: &'static str =
        Box::leak(format!("application/soap+xml; charset=utf-8; action=\"{action}\"").into_boxed_str());
    let body = Bytes::from(common::envelope_of(SoapVersion::V12, &request));
    let url: Arc<str> = mock.base_url().into();
    let http = bare_reqwest();
    rig.client.block_on(post_bare(http.clone(), url.clone(), content_type, None, body.clone()));

    let verification = Arc::new(verification);
    let mut g = c.benchmark_group("call_datazoo_mock/Verify");
    g.measurement_time(Duration::from_secs(6));
    for calls in [1, CONCURRENCY] {
        g.throughput(Throughput::Elements(calls as u64));
        g.bench_function(BenchmarkId::new("managed", calls), |b| {
            b.iter_custom(|iters| {
                rig.time(iters, calls, || {
                    let client = client.clone();
                    let verification = verification.clone();
                    async move {
                        let result = client.verify(&verification).await.expect("verify");
                        std::hint::black_box(result);
                    }
                })
            })
        });
        g.bench_function(BenchmarkId::new("fixed", calls), |b| {
            b.iter_custom(|iters| {
                rig.time(iters, calls, || {
                    let raw = raw.clone();
                    let request = request.clone();
                    async move {
                        let reply = raw.verify(request).await.expect("verify");
                        std::hint::black_box(reply);
                    }
                })
            })
        });
        g.bench_function(BenchmarkId::new("reqwest", calls), |b| {
            b.iter_custom(|iters| {
                rig.time(iters, calls, || post_bare(http.clone(), url.clone(), content_type, None, body.clone()))
            })
        });
    }
    g.finish();
    assert_eq!(client.authentications(), 1, "the token was reused throughout");

    let mut g = c.benchmark_group("token_manager");
    g.bench_function("session_cached", |b| {
        b.iter_custom(|iters| {
            rig.client.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    std::hint::black_box(client.session().await.expect("session"));
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let rig = Rig::new();
    call_zeep_shape(c, &rig);
    call_nmbrs_mock(c, &rig);
    call_datazoo_mock(c, &rig);
}

criterion_group!(call, benches);
criterion_main!(call);
