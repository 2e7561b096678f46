//! Shared by the SOAP runtime tests: hand-written bindings shaped like the generated ones, and
//! helpers for servers on 127.0.0.1.
#![allow(dead_code)]

use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use quick_xml::events::BytesStart;
use rust_decimal::Decimal;
use soapbind::soap::xml::{DeError, Element, ReadXml, WriteXml, XmlReader, XmlValue, XmlWriter};
use soapbind::soap::{
    Call, Client, Endpoint, Error, NoHeader, Operation, PlainCaller, ProvideHeader, Secret, SoapVersion,
};
use tokio::net::TcpListener;

// ------------------------------------------------------------------------------------------------
// Hand-written bindings, shaped like the generated ones.

pub const NS: &str = "urn:test:echo";
pub const V11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const V12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// Operation `Echo`: declares the `AuthHeader` header.
pub static ECHO: Operation = Operation {
    service: "EchoService",
    name: "Echo",
    namespace: NS,
    soap11_action: Some("urn:test:echo/Echo"),
    soap12_action: Some("urn:test:echo/Echo12"),
    header: Some("AuthHeader"),
    documentation: "Echoes its input.",
};

/// Operation `Ping`: no header.
pub static PING: Operation = Operation {
    service: "EchoService",
    name: "Ping",
    namespace: NS,
    soap11_action: Some("urn:test:echo/Ping"),
    soap12_action: Some("urn:test:echo/Ping"),
    header: None,
    documentation: "",
};

/// Operation bound for SOAP 1.1 only.
pub static ONLY11: Operation = Operation {
    service: "EchoService",
    name: "Only11",
    namespace: NS,
    soap11_action: Some("urn:test:echo/Only11"),
    soap12_action: None,
    header: None,
    documentation: "",
};

#[derive(Debug, Clone, PartialEq)]
pub struct Echo {
    pub text: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EchoResponse {
    pub text: String,
    pub amount: Option<Decimal>,
}

#[derive(Clone)]
pub struct AuthHeader {
    pub username: String,
    pub token: Secret,
}

impl WriteXml for Echo {
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
        w.start(name, ns);
        w.end_start();
        w.value("Text", ns, &self.text);
        w.value("Amount", ns, &self.amount);
        w.end(name);
    }
}

impl ReadXml for Echo {
    fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
        let reply = EchoResponse::read_xml(r, start)?;
        Ok(Echo { text: reply.text, amount: reply.amount.unwrap_or_default() })
    }
}

impl Element for Echo {
    const NAME: &'static str = "Echo";
    const NAMESPACE: &'static str = NS;
}

impl WriteXml for EchoResponse {
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
        w.start(name, ns);
        w.end_start();
        w.value("Text", ns, &self.text);
        match &self.amount {
            Some(amount) => w.value("Amount", ns, amount),
            None => w.nil("Amount", ns),
        }
        w.end(name);
    }
}

impl ReadXml for EchoResponse {
    fn read_xml(r: &mut XmlReader<'_>, _start: &BytesStart<'_>) -> Result<Self, DeError> {
        let mut text = None;
        let mut amount = None;
        while let Some(child) = r.next_child(NS)? {
            match (child.in_ns, child.local_name()) {
                (true, b"Text") => text = Some(r.text(&child.start)?.into_owned()),
                (true, b"Amount") if r.is_nil(&child.start) => r.skip(&child.start)?,
                (true, b"Amount") => {
                    let t = r.text(&child.start).map_err(|e| e.within("Amount"))?;
                    amount = Some(Decimal::from_xml(&t).map_err(|e| e.within("Amount"))?);
                }
                _ => r.skip(&child.start)?,
            }
        }
        Ok(EchoResponse { text: text.ok_or_else(|| DeError::missing("Text"))?, amount })
    }
}

impl Element for EchoResponse {
    const NAME: &'static str = "EchoResponse";
    const NAMESPACE: &'static str = NS;
}

impl WriteXml for AuthHeader {
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
        w.start(name, ns);
        w.end_start();
        w.value("Username", ns, &self.username);
        w.value("Token", ns, &self.token);
        w.end(name);
    }
}

impl ReadXml for AuthHeader {
    fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
        r.skip(start)?;
        Ok(AuthHeader { username: String::new(), token: Secret::default() })
    }
}

impl Element for AuthHeader {
    const NAME: &'static str = "AuthHeader";
    const NAMESPACE: &'static str = NS;
}

/// A service client as the generator writes them: thin, generic over the caller.
pub struct EchoServiceClient<C> {
    pub caller: C,
}

impl<C: Call> EchoServiceClient<C> {
    pub async fn echo(&self, request: Echo) -> Result<EchoResponse, C::Error>
    where
        C: ProvideHeader<AuthHeader>,
    {
        self.caller.call::<AuthHeader, _, _>(&ECHO, &request).await
    }

    pub async fn ping(&self, request: Echo) -> Result<EchoResponse, C::Error>
    where
        C: ProvideHeader<NoHeader>,
    {
        self.caller.call::<NoHeader, _, _>(&PING, &request).await
    }
}

// ------------------------------------------------------------------------------------------------
// Helpers

/// Every test step is bounded: a hang fails the test instead of blocking the suite.
pub async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), f).await.expect("the call hung")
}

pub fn client() -> Client {
    Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub fn request() -> Echo {
    Echo { text: "hello & <goodbye>".into(), amount: Decimal::from_str("1234.12").unwrap() }
}

pub fn auth() -> AuthHeader {
    AuthHeader { username: "payroll@example.nl".into(), token: Secret::new("tok-7f3a9c") }
}

/// What a server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub content_type: String,
    pub soap_action: Option<String>,
    pub user_agent: String,
    pub accept_encoding: String,
    pub body: String,
}

pub type Log = Arc<Mutex<Vec<Seen>>>;

pub fn seen(headers: &HeaderMap, body: &Bytes) -> Seen {
    let get = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
    Seen {
        content_type: get("content-type").unwrap_or_default(),
        soap_action: get("soapaction"),
        user_agent: get("user-agent").unwrap_or_default(),
        accept_encoding: get("accept-encoding").unwrap_or_default(),
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

pub async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

pub fn endpoint(addr: SocketAddr) -> Endpoint {
    Endpoint::new(format!("http://{addr}/EchoService.asmx")).unwrap()
}

/// A server answering every POST with `status`, `content_type` and `body`, logging requests.
pub async fn fixed_server(status: u16, content_type: &'static str, body: String) -> (Endpoint, Log) {
    let log: Log = Arc::default();
    let log2 = log.clone();
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move |headers: HeaderMap, req: Bytes| {
            let log = log2.clone();
            let body = body.clone();
            async move {
                log.lock().unwrap().push(seen(&headers, &req));
                Response::builder()
                    .status(status)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(Body::from(body))
                    .unwrap()
            }
        }),
    );
    (endpoint(serve(router).await), log)
}

pub fn envelope_of(version: SoapVersion, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{body}</soap:Body></soap:Envelope>"#,
        version.envelope_namespace()
    )
}

pub const TEXT_XML: &str = "text/xml; charset=utf-8";
pub const SOAP12: &str = "application/soap+xml; charset=utf-8";

pub async fn echo_call(endpoint: &Endpoint, version: SoapVersion) -> Result<EchoResponse, Error> {
    let caller = PlainCaller::new(client(), endpoint.clone(), version).with_header(auth());
    bounded(EchoServiceClient { caller }.echo(request())).await
}
