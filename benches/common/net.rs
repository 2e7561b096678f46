//! The loopback-HTTP scenarios shared by the `call` (criterion) and `paired` benches: a canned
//! server for zeep's shape and the mock services, each with the crate's call and a bare reqwest
//! POST of the same envelope to the same server. Included by those benches with
//! `#[path = "common/net.rs"] mod net;` next to `mod common;`.

#![allow(dead_code)]

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;
use chrono::NaiveDate;
use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::datazoo::{self, DataSource, Verification};
use soapbind::mock::datazoo::{MockDataZoo, PASSWORD, USER_NAME};
use soapbind::mock::nmbrs::{self as mock_nmbrs, MockNmbrs};
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::soap::xml::Element;
use soapbind::soap::{self, envelope, Endpoint, PlainCaller, SoapVersion};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::common::{self, zeep};

/// One call, as a future that can be spawned.
pub type CallFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
/// Makes a call.
pub type CallFn = Arc<dyn Fn() -> CallFuture + Send + Sync>;

/// A server and the ways of calling it.
pub struct Scenario {
    /// The criterion group name, e.g. `call_zeep_shape/10items`.
    pub group: String,
    /// The crate's ways first, `reqwest` (the reference) among them.
    pub variants: Vec<(&'static str, CallFn)>,
    /// Runs untimed after a batch of calls (the Nmbrs mock clears its request log).
    pub after: Box<dyn Fn()>,
    /// The Data Zoo client, for the token-manager bench.
    pub datazoo: Option<datazoo::Client>,
    /// Keeps the servers running.
    _keep: Vec<Box<dyn Any>>,
}

impl Scenario {
    /// The variant called `name`.
    pub fn variant(&self, name: &str) -> &CallFn {
        &self.variants.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no variant {name}")).1
    }
}

/// Servers on a runtime of their own with one worker thread; callers on a current-thread
/// runtime driven by the bench thread: on two cores, one core each.
pub struct Rig {
    /// Runs the servers.
    pub server: Runtime,
    /// Runs the callers.
    pub client: Runtime,
}

impl Rig {
    pub fn new() -> Self {
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bench-server")
            .enable_all()
            .build()
            .expect("server runtime");
        let client = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("client runtime");
        Self { server, client }
    }

    /// Times `iters` rounds of `calls` concurrent calls.
    pub fn time(&self, iters: u64, calls: usize, call: &CallFn) -> Duration {
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
/// defaults (the same HTTP stack and features as the crate's client).
pub fn bare_reqwest() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().expect("reqwest client")
}

/// The crate's HTTP client, without system proxies.
pub fn soap_client() -> soap::Client {
    soap::Client::builder().no_proxy().build().expect("soap client")
}

/// A canned POST: the envelope, its content type and SOAPAction, and where to send it.
#[derive(Clone)]
struct Post {
    http: reqwest::Client,
    url: Arc<str>,
    content_type: &'static str,
    action: Option<&'static str>,
    body: Bytes,
}

impl Post {
    async fn send(self) -> Bytes {
        let mut request = self.http.post(&*self.url).header(CONTENT_TYPE, self.content_type).body(self.body);
        if let Some(action) = self.action {
            request = request.header("SOAPAction", action);
        }
        let reply = request.send().await.expect("bare POST");
        assert!(reply.status().is_success(), "{}", reply.status());
        reply.bytes().await.expect("bare POST body")
    }

    /// The bare POST: send, read the whole reply.
    fn bare(self) -> CallFn {
        Arc::new(move || {
            let post = self.clone();
            Box::pin(async move {
                std::hint::black_box(post.send().await);
            })
        })
    }

    /// The bare POST, then the reply read into `E` by the crate's envelope reader.
    fn bare_then_read<E: Element + Send + 'static>(self) -> CallFn {
        Arc::new(move || {
            let post = self.clone();
            Box::pin(async move {
                let bytes = post.send().await;
                std::hint::black_box(common::read::<E>(&bytes));
            })
        })
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

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

/// A minimal axum server answering every POST with the zeep-shape reply of `n` items; the
/// crate calls it through the generated `BenchmarkServiceClient` over `soap::PlainCaller`.
/// Variants: `soapbind`, `reqwest`, `reqwest_read`.
pub fn zeep_canned(rig: &Rig, n: usize) -> Scenario {
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
    let caller = PlainCaller::new(soap_client(), Endpoint::new(&*url).expect("endpoint"), SoapVersion::V11);
    let client = Arc::new(zeep::BenchmarkServiceClient::new(caller));
    let check = rig.client.block_on(client.get_item_list(request.clone())).expect("a call");
    assert_eq!(check.0.item.len(), n);

    let op = &zeep::operations::GET_ITEM_LIST;
    let post = Post {
        http: bare_reqwest(),
        url,
        content_type: "text/xml; charset=utf-8",
        action: Some(leak(format!("\"{}\"", op.soap11_action.expect("a 1.1 action")))),
        body: Bytes::from(common::envelope_of(SoapVersion::V11, &request)),
    };
    let ours: CallFn = Arc::new(move || {
        let client = client.clone();
        let request = request.clone();
        Box::pin(async move {
            std::hint::black_box(client.get_item_list(request).await.expect("call"));
        })
    });
    Scenario {
        group: format!("call_zeep_shape/{n}items"),
        variants: vec![
            ("soapbind", ours),
            ("reqwest_read", post.clone().bare_then_read::<zeep::Items>()),
            ("reqwest", post.bare()),
        ],
        after: Box::new(|| {}),
        datazoo: None,
        _keep: Vec::new(),
    }
}

/// `EmployeeService.Absence_GetList` against the Nmbrs mock: `soapbind` through
/// `nmbrs::Client` (domain discovered before timing), `reqwest` POSTing the envelope the client
/// sends, `reqwest_read` the same followed by reading the reply into its generated type.
pub fn nmbrs_mock(rig: &Rig) -> Scenario {
    let mock = rig.server.block_on(MockNmbrs::start()).expect("mock Nmbrs");
    // The limit is set far above what the benchmark reaches: the limiter is consulted on every
    // call (its cost is part of the figure) but never waits; the default fair-use limit of 150
    // calls a second would make this a measure of the limit (`benches/limit.rs` times the check).
    let unreached = soapbind::soap::RateLimit::per_second(1_000_000);
    let client =
        mock.client_builder().soap_client(soap_client()).rate_limit(Some(unreached)).build().expect("Nmbrs client");
    let request = es::AbsenceGetList { employee_id: 100 };
    let absences = rig.client.block_on(client.employee().absence_get_list(100)).expect("Absence_GetList");
    assert_eq!(absences.len(), 1);

    let header = es::AuthHeaderWithDomain {
        username: Some(mock_nmbrs::USERNAME.into()),
        token: Some(mock_nmbrs::TOKEN.into()),
        domain: Some(mock.domain()),
    };
    let op = &es::operations::ABSENCE_GET_LIST;
    let post = Post {
        http: bare_reqwest(),
        url: format!("{}EmployeeService.asmx", mock.base_url()).into(),
        content_type: "text/xml; charset=utf-8",
        action: Some(leak(format!("\"{}\"", op.soap11_action.expect("a 1.1 action")))),
        body: Bytes::from(envelope::write_request(SoapVersion::V11, &header, &envelope::body_xml(&request))),
    };
    rig.client.block_on(post.clone().send());

    let employee = Arc::new(client.employee());
    let ours: CallFn = Arc::new(move || {
        let employee = employee.clone();
        Box::pin(async move {
            std::hint::black_box(employee.absence_get_list(100).await.expect("call"));
        })
    });
    let mock = Arc::new(mock);
    let log = mock.clone();
    Scenario {
        group: "call_nmbrs_mock/Absence_GetList".into(),
        variants: vec![
            ("soapbind", ours),
            ("reqwest_read", post.clone().bare_then_read::<es::AbsenceGetListResponse>()),
            ("reqwest", post.bare()),
        ],
        // The mock logs every request; clearing the log keeps it from growing through the run.
        after: Box::new(move || log.clear_requests()),
        datazoo: None,
        _keep: vec![Box::new(mock)],
    }
}

/// The verification the Data Zoo scenario runs (a known identity, one data source).
pub fn verification() -> Verification {
    Verification::new()
        .first_name("Test")
        .last_name("TESTING")
        .date_of_birth(NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date"))
        .data_source(DataSource::new("Australian Residential").consent_obtained(true))
}

/// `Verify` against the Data Zoo mock: `managed` is `datazoo::Client::verify` (the token from
/// the token manager, cached and valid), `fixed` the generated client (`Client::raw`) with a
/// fixed `Session`, `reqwest` the bare POST of the same envelope, `reqwest_read` the same followed by
/// reading the reply into its generated type.
pub fn datazoo_mock(rig: &Rig) -> Scenario {
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

    // The request `verify` sends, with the session it holds.
    let session = rig.client.block_on(client.session()).expect("session");
    let request = dz::Verify {
        session: Some(dz::Session {
            user_name: Some(session.user_name().to_owned()),
            token: Some(session.token().expose().to_owned()),
            reference: Some(session.reference().to_owned()),
            data_sources: vec![dz::DataSourceV27 {
                data_source_name: Some("Australian Residential".into()),
                enabled: Some(true),
                consent_obtained: Some(true),
            }],
        }),
        criteria: Some(verification.criteria().clone()),
    };
    let raw = Arc::new(client.generated());
    let check = rig.client.block_on(raw.raw().verify(request.clone())).expect("raw Verify");
    assert_eq!(check.verify_result.and_then(|r| r.status), Some(0));

    let action = dz::operations::VERIFY.soap12_action.expect("a 1.2 action");
    let post = Post {
        http: bare_reqwest(),
        url: mock.base_url().into(),
        content_type: leak(format!("application/soap+xml; charset=utf-8; action=\"{action}\"")),
        action: None,
        body: Bytes::from(common::envelope_of(SoapVersion::V12, &request)),
    };
    rig.client.block_on(post.clone().send());

    let verification = Arc::new(verification);
    let managed_client = client.clone();
    let managed: CallFn = Arc::new(move || {
        let client = managed_client.clone();
        let verification = verification.clone();
        Box::pin(async move {
            std::hint::black_box(client.verify(&verification).await.expect("verify"));
        })
    });
    let fixed: CallFn = Arc::new(move || {
        let raw = raw.clone();
        let request = request.clone();
        Box::pin(async move {
            std::hint::black_box(raw.raw().verify(request).await.expect("verify"));
        })
    });
    Scenario {
        group: "call_datazoo_mock/Verify".into(),
        variants: vec![
            ("managed", managed),
            ("fixed", fixed),
            ("reqwest_read", post.clone().bare_then_read::<dz::VerifyResponse>()),
            ("reqwest", post.bare()),
        ],
        after: Box::new(|| {}),
        datazoo: Some(client),
        _keep: vec![Box::new(mock)],
    }
}
