//! The SOAP runtime against real HTTP servers on 127.0.0.1: round trips in both SOAP versions,
//! faults, broken and hostile replies, limits, timeouts. (What reaches the logs is checked in
//! `soap_tracing.rs`, alone in its test binary.)

mod http_support;
mod soap_support;

use std::convert::Infallible;
use std::io::Write as _;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use rust_decimal::Decimal;
use soap_support::*;
use soapbind::soap::xml::{DeErrorKind, XmlReader};
use soapbind::soap::{
    envelope, CallContext, Client, Endpoint, Error, Fault, NoHeader, PlainCaller, QualifiedName, Secret, SoapVersion,
};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpListener;

// ------------------------------------------------------------------------------------------------
// Round trips

#[tokio::test]
async fn soap11_round_trip_with_header() {
    // xsi is declared on the Envelope only; the reply reads it on an inner element.
    let reply = envelope_of(
        SoapVersion::V11,
        r#"<EchoResponse xmlns="urn:test:echo"><Text>hello &amp; &lt;goodbye&gt;</Text><Amount xsi:nil="true"/></EchoResponse>"#,
    );
    let (ep, log) = fixed_server(200, TEXT_XML, reply).await;

    let reply = echo_call(&ep, SoapVersion::V11).await.unwrap();
    assert_eq!(reply, EchoResponse { text: "hello & <goodbye>".into(), amount: None });

    let seen = log.lock().unwrap()[0].clone();
    assert_eq!(seen.content_type, "text/xml; charset=utf-8");
    assert_eq!(seen.soap_action.as_deref(), Some("\"urn:test:echo/Echo\""));
    assert!(seen.user_agent.starts_with("soapbind/"), "{}", seen.user_agent);
    assert!(seen.body.starts_with(r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">"#), "{}", seen.body);
    assert!(
        seen.body.contains(
            r#"<soap:Header><AuthHeader xmlns="urn:test:echo"><Username>payroll@example.nl</Username><Token>tok-7f3a9c</Token></AuthHeader></soap:Header>"#
        ),
        "{}",
        seen.body
    );
    assert!(
        seen.body.contains(
            r#"<soap:Body><Echo xmlns="urn:test:echo"><Text>hello &amp; &lt;goodbye&gt;</Text><Amount>1234.12</Amount></Echo></soap:Body></soap:Envelope>"#
        ),
        "{}",
        seen.body
    );
}

#[tokio::test]
async fn soap12_round_trip_with_and_without_header() {
    let reply = envelope_of(
        SoapVersion::V12,
        r#"<r:EchoResponse xmlns:r="urn:test:echo"><r:Text>ok</r:Text><r:Amount>-0.50</r:Amount></r:EchoResponse>"#,
    );
    let (ep, log) = fixed_server(200, SOAP12, reply).await;

    let reply = echo_call(&ep, SoapVersion::V12).await.unwrap();
    assert_eq!(reply, EchoResponse { text: "ok".into(), amount: Some(Decimal::from_str("-0.50").unwrap()) });

    // A header-less operation through the same kind of caller (ProvideHeader<NoHeader> is
    // available to every Call) and through a caller without any header.
    let headered =
        EchoServiceClient { caller: PlainCaller::new(client(), ep.clone(), SoapVersion::V12).with_header(auth()) };
    let plain = EchoServiceClient { caller: PlainCaller::new(client(), ep.clone(), SoapVersion::V12) };
    let fut = headered.ping(request());
    assert_send(&fut);
    bounded(fut).await.unwrap();
    bounded(plain.ping(request())).await.unwrap();

    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].content_type, r#"application/soap+xml; charset=utf-8; action="urn:test:echo/Echo12""#);
    assert_eq!(log[0].soap_action, None);
    assert!(log[0].body.contains(r#"xmlns:soap="http://www.w3.org/2003/05/soap-envelope""#), "{}", log[0].body);
    assert!(log[0].body.contains(r#"<soap:Header><AuthHeader xmlns="urn:test:echo"><Username>payroll@example.nl</Username><Token>tok-7f3a9c</Token></AuthHeader></soap:Header>"#));
    assert!(log[0].body.contains(r#"<soap:Body><Echo xmlns="urn:test:echo"><Text>hello &amp; &lt;goodbye&gt;</Text><Amount>1234.12</Amount></Echo></soap:Body>"#));
    for ping in &log[1..] {
        assert_eq!(ping.content_type, r#"application/soap+xml; charset=utf-8; action="urn:test:echo/Ping""#);
        assert!(!ping.body.contains("Header"), "{}", ping.body);
    }
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn a_soap11_reply_to_a_soap12_request_is_accepted() {
    let reply =
        envelope_of(SoapVersion::V11, r#"<EchoResponse xmlns="urn:test:echo"><Text>mixed</Text></EchoResponse>"#);
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    assert_eq!(echo_call(&ep, SoapVersion::V12).await.unwrap().text, "mixed");
}

#[tokio::test]
async fn the_body_is_serialized_once_and_sent_per_attempt() {
    let reply = envelope_of(SoapVersion::V11, r#"<EchoResponse xmlns="urn:test:echo"><Text>x</Text></EchoResponse>"#);
    let (ep, log) = fixed_server(200, TEXT_XML, reply).await;
    let client = client();
    let ctx = CallContext::new("test");
    let body = envelope::body_xml(&request());
    for token in ["first", "second"] {
        let header = AuthHeader { username: "u".into(), token: Secret::new(token) };
        let _: EchoResponse = bounded(client.send(&ep, SoapVersion::V11, &ECHO, &header, &body, &ctx)).await.unwrap();
    }
    let log = log.lock().unwrap();
    assert!(log[0].body.contains("<Token>first</Token>") && log[1].body.contains("<Token>second</Token>"));
    assert!(log.iter().all(|s| s.body.contains(&body)));
}

#[tokio::test]
async fn gzip_replies_are_decompressed() {
    let reply = envelope_of(
        SoapVersion::V11,
        &format!(r#"<EchoResponse xmlns="urn:test:echo"><Text>{}</Text></EchoResponse>"#, "z".repeat(10_000)),
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(reply.as_bytes()).unwrap();
    let compressed = gz.finish().unwrap();
    assert!(compressed.len() < 1000);
    let accept = Arc::new(Mutex::new(String::new()));
    let accept2 = accept.clone();
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move |headers: HeaderMap| {
            *accept2.lock().unwrap() = seen(&headers, &Bytes::new()).accept_encoding;
            let compressed = compressed.clone();
            async move {
                Response::builder()
                    .header(header::CONTENT_TYPE, TEXT_XML)
                    .header(header::CONTENT_ENCODING, "gzip")
                    .body(Body::from(compressed))
                    .unwrap()
            }
        }),
    );
    let ep = endpoint(serve(router).await);
    let reply = echo_call(&ep, SoapVersion::V11).await.unwrap();
    assert_eq!(reply.text.len(), 10_000);
    assert!(accept.lock().unwrap().contains("gzip"));
}

// ------------------------------------------------------------------------------------------------
// Faults

#[tokio::test]
async fn soap11_fault_with_http_500() {
    let reply = envelope_of(
        SoapVersion::V11,
        r#"<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Server was unable to process request. ---&gt; 1001: Invalid Authentication</faultstring><detail><n:Error xmlns:n="urn:n">1001</n:Error></detail></soap:Fault>"#,
    );
    let (ep, _) = fixed_server(500, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Fault { operation, fault } = &err else { panic!("expected a fault, got {err:?}") };
    assert_eq!(*operation, "Echo");
    assert_eq!(fault.version, SoapVersion::V11);
    assert_eq!(fault.code, QualifiedName::new(V11, "Server"));
    assert!(fault.is_server() && !fault.is_client());
    assert_eq!(fault.reason, "Server was unable to process request. ---> 1001: Invalid Authentication");
    assert_eq!(fault.detail.as_deref(), Some(r#"<n:Error xmlns:n="urn:n">1001</n:Error>"#));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("1001: Invalid Authentication"), "{err}");

    // The detail can be read again with the crate's reader.
    let detail = fault.detail.as_deref().unwrap();
    let mut r = XmlReader::new(detail.as_bytes());
    let start = r.root().unwrap();
    assert_eq!(r.text(&start).unwrap(), "1001");
}

#[tokio::test]
async fn soap12_fault_with_subcodes_and_detail() {
    let reply = format!(
        r#"<env:Envelope xmlns:env="{V12}" xmlns:dz="http://svc.datazoo.co.nz"><env:Body><env:Fault>
             <env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>dz:Authentication</env:Value>
               <env:Subcode><env:Value>dz:InvalidToken</env:Value></env:Subcode></env:Subcode></env:Code>
             <env:Reason><env:Text xml:lang="en">Invalid Token</env:Text></env:Reason>
             <env:Role>urn:role</env:Role>
             <env:Detail><dz:Token>superseded</dz:Token></env:Detail>
           </env:Fault></env:Body></env:Envelope>"#
    );
    let (ep, _) = fixed_server(500, SOAP12, reply).await;
    let err = echo_call(&ep, SoapVersion::V12).await.unwrap_err();
    let fault = err.fault().unwrap_or_else(|| panic!("expected a fault, got {err:?}"));
    assert_eq!(fault.version, SoapVersion::V12);
    assert_eq!(fault.code, QualifiedName::new(V12, "Sender"));
    assert_eq!(
        fault.subcodes,
        vec![
            QualifiedName::new("http://svc.datazoo.co.nz", "Authentication"),
            QualifiedName::new("http://svc.datazoo.co.nz", "InvalidToken")
        ]
    );
    assert!(fault.is_client() && fault.has_subcode("InvalidToken"));
    assert_eq!((fault.reason.as_str(), fault.reason_lang.as_deref()), ("Invalid Token", Some("en")));
    assert_eq!(fault.role.as_deref(), Some("urn:role"));
    assert_eq!(fault.detail.as_deref(), Some("<dz:Token>superseded</dz:Token>"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_fault_with_http_200_is_a_fault() {
    let fault = Fault::new(
        SoapVersion::V11,
        QualifiedName::new(V11, "Client"),
        "Unable to handle request without a valid action parameter.",
    );
    let (ep, _) = fixed_server(200, TEXT_XML, envelope::write_fault(SoapVersion::V11, &fault)).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    assert_eq!(err.fault(), Some(&fault), "{err:?}");
    assert!(err.fault().unwrap().is_client());
}

// ------------------------------------------------------------------------------------------------
// Non-SOAP replies

#[tokio::test]
async fn an_html_502_is_an_http_status_error_with_an_excerpt() {
    let html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>h1 { color: red }</style></head>\
                <body>\n  <h1>Bad Gateway</h1>\n  <p>The proxy server received an invalid\n response from an upstream server.</p>\
                <hr><address>nginx</address></body></html>";
    let (ep, _) = fixed_server(502, "text/html; charset=utf-8", html.into()).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::HttpStatus { status, content_type, excerpt, .. } = &err else {
        panic!("expected HttpStatus, got {err:?}")
    };
    assert_eq!(*status, 502);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(
        excerpt,
        "502 Bad Gateway Bad Gateway The proxy server received an invalid response from an upstream server. nginx"
    );
    assert!(err.is_retryable());
    assert_eq!(err.http_status(), Some(502));
}

#[tokio::test]
async fn an_html_page_with_200_is_an_unexpected_content_type() {
    let (ep, _) = fixed_server(200, "text/html", "<html><body><h1>Sign in</h1></body></html>".into()).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::UnexpectedContentType { status: 200, content_type, excerpt } = &err else {
        panic!("expected UnexpectedContentType, got {err:?}")
    };
    assert_eq!(content_type.as_deref(), Some("text/html"));
    assert_eq!(excerpt, "Sign in");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let router = Router::new().route(
        "/EchoService.asmx",
        post(|| async {
            Response::builder()
                .status(302)
                .header(header::LOCATION, "http://example.com/elsewhere")
                .body(Body::empty())
                .unwrap()
        }),
    );
    let ep = endpoint(serve(router).await);
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::HttpStatus { status: 302, excerpt, .. } = &err else { panic!("expected HttpStatus, got {err:?}") };
    assert_eq!(excerpt, "redirect to http://example.com/elsewhere");
}

#[tokio::test]
async fn a_wrong_body_element_is_a_contract_error_naming_both() {
    let reply =
        envelope_of(SoapVersion::V11, r#"<OtherResponse xmlns="urn:test:other"><Text>x</Text></OtherResponse>"#);
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Contract(de) = &err else { panic!("expected Contract, got {err:?}") };
    assert_eq!(
        de.kind(),
        &DeErrorKind::Unexpected {
            expected: "{urn:test:echo}EchoResponse".into(),
            found: "{urn:test:other}OtherResponse".into()
        }
    );
    assert!(err.to_string().contains("{urn:test:echo}EchoResponse"), "{err}");
}

#[tokio::test]
async fn a_bad_value_is_a_contract_error_with_its_path() {
    let reply = envelope_of(
        SoapVersion::V11,
        r#"<EchoResponse xmlns="urn:test:echo"><Text>x</Text><Amount>12,50</Amount></EchoResponse>"#,
    );
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Contract(de) = &err else { panic!("expected Contract, got {err:?}") };
    assert_eq!(de.path(), "EchoResponse/Amount");
    assert!(matches!(de.kind(), DeErrorKind::InvalidValue { expected: "decimal", .. }));
}

// ------------------------------------------------------------------------------------------------
// Broken and hostile replies

#[tokio::test]
async fn a_truncated_reply_is_malformed() {
    let full = envelope_of(SoapVersion::V11, r#"<EchoResponse xmlns="urn:test:echo"><Text>x</Text></EchoResponse>"#);
    let cut = full[..full.len() - 30].to_owned();
    let (ep, _) = fixed_server(200, TEXT_XML, cut).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(de) = &err else { panic!("expected Malformed, got {err:?}") };
    assert!(matches!(de.kind(), DeErrorKind::Syntax(_)), "{de}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn invalid_utf8_is_malformed() {
    let mut reply =
        envelope_of(SoapVersion::V11, r#"<EchoResponse xmlns="urn:test:echo"><Text>caf?</Text></EchoResponse>"#)
            .into_bytes();
    let at = reply.iter().position(|&b| b == b'?').unwrap();
    reply[at] = 0xE9; // Latin-1 é
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move || {
            let reply = reply.clone();
            async move { Response::builder().header(header::CONTENT_TYPE, TEXT_XML).body(Body::from(reply)).unwrap() }
        }),
    );
    let ep = endpoint(serve(router).await);
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(de) = &err else { panic!("expected Malformed, got {err:?}") };
    assert!(de.to_string().contains("UTF-8"), "{de}");
}

#[tokio::test]
async fn a_billion_laughs_doctype_is_refused() {
    let mut doctype = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    for i in 1..=9 {
        let prev = if i == 1 { "lol".to_owned() } else { format!("lol{}", i - 1) };
        doctype.push_str(&format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10)));
    }
    doctype.push_str("]>");
    let reply = format!(
        r#"{doctype}<soap:Envelope xmlns:soap="{V11}"><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>&lol9;</Text></EchoResponse></soap:Body></soap:Envelope>"#
    );
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(de) = &err else { panic!("expected Malformed, got {err:?}") };
    assert_eq!(de.kind(), &DeErrorKind::Doctype);
}

#[tokio::test]
async fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let inner = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let reply = envelope_of(
        SoapVersion::V11,
        &format!(r#"<EchoResponse xmlns="urn:test:echo"><Text>x</Text>{inner}</EchoResponse>"#),
    );
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(de) = &err else { panic!("expected Malformed, got {err:?}") };
    assert_eq!(de.kind(), &DeErrorKind::TooDeep(256));
}

// ------------------------------------------------------------------------------------------------
// Limits, timeouts and broken connections

/// Signals when the server's reply body is dropped (the connection closed or the reply ended).
struct DropSignal(Option<tokio::sync::oneshot::Sender<()>>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

#[tokio::test]
async fn an_endless_chunked_reply_stops_at_the_size_limit() {
    const LIMIT: u64 = 64 * 1024;
    let sent = Arc::new(AtomicU64::new(0));
    let (dropped_tx, dropped_rx) = tokio::sync::oneshot::channel();
    let dropped_tx = Arc::new(Mutex::new(Some(dropped_tx)));
    let sent2 = sent.clone();
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move || {
            let signal = DropSignal(dropped_tx.lock().unwrap().take());
            let sent = sent2.clone();
            async move {
                let head = Bytes::from(format!(
                    r#"<soap:Envelope xmlns:soap="{V11}"><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>"#
                ));
                let chunks =
                    futures_util::stream::unfold((signal, sent, Some(head)), |(signal, sent, head)| async move {
                        let chunk = head.unwrap_or_else(|| Bytes::from_static(&[b'x'; 8192]));
                        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        Some((Ok::<_, Infallible>(chunk), (signal, sent, None)))
                    });
                // No Content-Length: chunked, and it never ends.
                Response::builder().header(header::CONTENT_TYPE, TEXT_XML).body(Body::from_stream(chunks)).unwrap()
            }
        }),
    );
    let ep = endpoint(serve(router).await);
    let client = Client::builder().no_proxy().max_reply_bytes(LIMIT).build().unwrap();
    let caller = PlainCaller::new(client, ep, SoapVersion::V11).with_header(auth());
    let err = bounded(EchoServiceClient { caller }.echo(request())).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: LIMIT }), "{err:?}");
    assert!(!err.is_retryable());

    // The client dropped the connection: the server's endless body was dropped, after far less
    // than an endless amount (what sits in socket buffers at most).
    bounded(dropped_rx).await.expect("the server never saw the connection close");
    let sent = sent.load(Ordering::Relaxed);
    assert!(sent < 32 * 1024 * 1024, "the server streamed {sent} bytes");
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_reading() {
    // The body never arrives: only the Content-Length can make the client give up in time.
    let router = Router::new().route(
        "/EchoService.asmx",
        post(|| async {
            let never = futures_util::stream::pending::<Result<Bytes, Infallible>>();
            Response::builder()
                .header(header::CONTENT_TYPE, TEXT_XML)
                .header(header::CONTENT_LENGTH, "100000000")
                .body(Body::from_stream(never))
                .unwrap()
        }),
    );
    let ep = endpoint(serve(router).await);
    let client = Client::builder().no_proxy().max_reply_bytes(1024).timeout(Duration::from_secs(20)).build().unwrap();
    let caller = PlainCaller::new(client, ep, SoapVersion::V11).with_header(auth());
    let err = bounded(EchoServiceClient { caller }.echo(request())).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: 1024 }), "{err:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let router = Router::new().route(
        "/EchoService.asmx",
        post(|| async {
            std::future::pending::<()>().await;
            "never"
        }),
    );
    let ep = endpoint(serve(router).await);
    let ctx = CallContext::new("test").with_timeout(Duration::from_millis(300));
    let caller = PlainCaller::new(client(), ep, SoapVersion::V11).with_header(auth()).with_context(ctx);
    let err = bounded(EchoServiceClient { caller }.echo(request())).await.unwrap_err();
    let Error::Timeout { limit, connecting: false, .. } = &err else { panic!("expected Timeout, got {err:?}") };
    assert_eq!(*limit, Duration::from_millis(300));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_interrupted_and_retryable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        http_support::read_request(&mut sock).await.expect("a whole request");
        let partial =
            format!(r#"<soap:Envelope xmlns:soap="{V11}"><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>"#);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 5000\r\n\r\n{partial}"
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        sock.set_zero_linger().unwrap();
        drop(sock); // RST
    });
    let err = echo_call(&endpoint(addr), SoapVersion::V11).await.unwrap_err();
    let Error::Interrupted { received, .. } = &err else { panic!("expected Interrupted, got {err:?}") };
    assert!(*received < 5000);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = echo_call(&endpoint(addr), SoapVersion::V11).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(err.is_retryable());
}

// ------------------------------------------------------------------------------------------------
// Refused before any connection

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused() {
    for url in ["http://example.com/EchoService.asmx", "http://api.nmbrs.nl/soap/v3/", "http://10.0.0.1/x"] {
        let err = Endpoint::new(url).unwrap_err();
        assert!(matches!(err, Error::InsecureUrl { .. }), "{url}: {err:?}");
        assert!(err.to_string().contains("https://"), "{err}");
    }
    for url in ["http://127.0.0.1:1/x", "http://localhost:1/x", "http://[::1]:1/x", "https://example.com/x"] {
        Endpoint::new(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[tokio::test]
async fn an_operation_without_a_binding_for_the_version_is_refused_before_sending() {
    let (ep, log) = fixed_server(200, TEXT_XML, String::new()).await;
    let client = client();
    let result: Result<EchoResponse, Error> =
        bounded(client.call(&ep, SoapVersion::V12, &ONLY11, &NoHeader, &request(), &CallContext::new("test"))).await;
    let err = result.unwrap_err();
    assert!(matches!(err, Error::UnsupportedVersion { operation: "Only11", version: SoapVersion::V12, .. }), "{err:?}");
    assert!(log.lock().unwrap().is_empty());
}
