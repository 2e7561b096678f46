//! The runtime against hostile servers and hostile input, with the defaults: secrets in every
//! spelling, characters XML refuses, namespace and header floods, huge texts, UTF-16, oversized
//! response heads, gzip bombs and endless replies. Real HTTP servers on 127.0.0.1 throughout.

mod log_capture;
mod soap_support;

use std::convert::Infallible;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use log_capture::CapturedLogs;
use soap_support::*;
use soapbind::soap::xml::{DeErrorKind, MAX_NAMESPACES_IN_SCOPE};
use soapbind::soap::{
    envelope, CallContext, Client, Error, PlainCaller, Secret, SoapVersion, DEFAULT_MAX_REPLY_BYTES, MAX_WIRE_TEXT,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

const PASSWORD: &str = "it's-S3cret";

/// A call of `Echo` with the defaults, `PASSWORD` as a secret of the context.
async fn call_with_secret(ep: &soapbind::soap::Endpoint, version: SoapVersion) -> Result<EchoResponse, Error> {
    let ctx = CallContext::new("test").with_secret(Secret::new(PASSWORD));
    let client = Client::builder().no_proxy().build().unwrap();
    let caller = PlainCaller::new(client, ep.clone(), version).with_header(auth()).with_context(ctx);
    bounded(EchoServiceClient { caller }.echo(request())).await
}

fn assert_no_secret(err: &Error) {
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("S3cret"), "the password leaked: {text}");
    }
}

// ------------------------------------------------------------------------------------------------
// Secrets in every spelling (defects 1 and 2)

#[tokio::test]
async fn an_entity_encoded_password_in_an_html_error_page_is_redacted() {
    for encoded in ["it&#39;s-S3cret", "it&#x27;s-S3cret", "it&apos;s-S3cret", "it&amp;#39;s-S3cret"] {
        let page = format!("<html><body><p>Login failed: password {encoded} is not valid.</p></body></html>");
        let (ep, _) = fixed_server(500, "text/html; charset=utf-8", page).await;
        let err = call_with_secret(&ep, SoapVersion::V11).await.unwrap_err();
        let Error::HttpStatus { excerpt, .. } = &err else { panic!("expected HttpStatus, got {err:?}") };
        assert_eq!(excerpt, "Login failed: password *** is not valid.", "{encoded}");
        assert_no_secret(&err);
    }
}

#[tokio::test]
async fn json_escaped_and_percent_encoded_passwords_in_a_fault_are_redacted() {
    for encoded in ["it\\u0027s-S3cret", "it%27s-S3cret", "it&#39;s-S3cret", "it's-S3cret"] {
        let reason = format!("Login failed for {encoded}; retry");
        let fault = format!(
            r#"<soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring></soap:Fault>"#,
            reason.replace('&', "&amp;")
        );
        let (ep, _) = fixed_server(500, TEXT_XML, envelope_of(SoapVersion::V11, &fault)).await;
        let err = call_with_secret(&ep, SoapVersion::V11).await.unwrap_err();
        assert_eq!(err.fault().unwrap().reason, "Login failed for ***; retry", "{encoded}");
        assert_no_secret(&err);
    }
}

// ------------------------------------------------------------------------------------------------
// Characters XML 1.0 does not allow (defect 3)

#[tokio::test]
async fn an_illegal_character_is_refused_before_sending_naming_the_field() {
    let (ep, log) = fixed_server(200, TEXT_XML, String::new()).await;
    for c in ['\u{0}', '\u{1}', '\u{b}', '\u{c}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
        let caller = PlainCaller::new(client(), ep.clone(), SoapVersion::V11).with_header(auth());
        let mut echo = request();
        echo.text = format!("before{c}after");
        let err = bounded(EchoServiceClient { caller }.echo(echo)).await.unwrap_err();
        let Error::IllegalCharacter { path, character } = &err else { panic!("expected IllegalCharacter: {err:?}") };
        assert_eq!((path.as_str(), *character), ("Envelope/Body/Echo/Text", c));
        assert!(err.to_string().contains(&format!("U+{:04X}", c as u32)), "{err}");
        assert!(!err.is_retryable());
    }
    // In a header value too, and never with the value itself in the message.
    let header = AuthHeader { username: "pay\u{8}roll".into(), token: Secret::new("tok") };
    let caller = PlainCaller::new(client(), ep.clone(), SoapVersion::V12).with_header(header);
    let err = bounded(EchoServiceClient { caller }.echo(request())).await.unwrap_err();
    assert!(matches!(&err, Error::IllegalCharacter { path, .. } if path == "Envelope/Header/AuthHeader/Username"));
    assert!(!err.to_string().contains("pay"), "{err}");
    assert!(log.lock().unwrap().is_empty(), "no request left");
}

// ------------------------------------------------------------------------------------------------
// Namespace floods, header floods, the deadline (defects 4 and 6)

#[tokio::test]
async fn a_namespace_flood_is_refused() {
    let declarations: String = (0..20_000).map(|i| format!(r#" xmlns:p{i}="urn:p{i}""#)).collect();
    let children = "<c/>".repeat(100_000);
    let body = format!(r#"<EchoResponse xmlns="urn:test:echo"{declarations}><Text>x</Text>{children}</EchoResponse>"#);
    let (ep, _) = fixed_server(200, TEXT_XML, envelope_of(SoapVersion::V11, &body)).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(e) = &err else { panic!("expected Malformed, got {err:?}") };
    assert_eq!(
        e.kind(),
        &DeErrorKind::TooMany { what: "namespace declarations in scope", limit: MAX_NAMESPACES_IN_SCOPE }
    );
    assert!(err.to_string().contains("more than 128 namespace declarations"), "{err}");

    // Declarations that go out of scope do not count, however many there are in the document.
    let siblings: String = (0..1000).map(|i| format!(r#"<c xmlns:a="urn:a{i}" xmlns="urn:b"/>"#)).collect();
    let body = format!(r#"<EchoResponse xmlns="urn:test:echo"><Text>ok</Text>{siblings}</EchoResponse>"#);
    let (ep, _) = fixed_server(200, TEXT_XML, envelope_of(SoapVersion::V11, &body)).await;
    assert_eq!(echo_call(&ep, SoapVersion::V11).await.unwrap().text, "ok");
}

#[tokio::test]
async fn a_header_entry_flood_is_refused() {
    let entries = "<e/>".repeat(100_000);
    let reply = format!(
        r#"<soap:Envelope xmlns:soap="{V11}"><soap:Header>{entries}</soap:Header><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>x</Text></EchoResponse></soap:Body></soap:Envelope>"#
    );
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let Error::Malformed(e) = &err else { panic!("expected Malformed, got {err:?}") };
    assert!(matches!(e.kind(), DeErrorKind::TooMany { what: "SOAP header entries", limit: 64 }), "{err}");
}

#[test]
fn reading_stops_at_the_deadline() {
    let items = "<Text>x</Text>".repeat(50_000);
    let doc = envelope_of(SoapVersion::V11, &format!(r#"<EchoResponse xmlns="urn:test:echo">{items}</EchoResponse>"#));
    let past = Instant::now();
    let err = envelope::read_response_until::<EchoResponse>(doc.as_bytes(), Some(past)).unwrap_err();
    assert_eq!(err.kind(), &DeErrorKind::OutOfTime, "{err}");
    let later = Instant::now() + Duration::from_secs(600);
    assert!(envelope::read_response_until::<EchoResponse>(doc.as_bytes(), Some(later)).is_ok());
}

// ------------------------------------------------------------------------------------------------
// Bounded wire text (defect 10) and escaped TRACE bodies (defect 11)

#[tokio::test]
async fn a_huge_fault_reason_is_cut_saying_how_much() {
    let reason = "r".repeat(3_000_000);
    let fault =
        format!(r#"<soap:Fault><faultcode>soap:Server</faultcode><faultstring>{reason}</faultstring></soap:Fault>"#);
    let (ep, _) = fixed_server(500, TEXT_XML, envelope_of(SoapVersion::V11, &fault)).await;
    let err = echo_call(&ep, SoapVersion::V11).await.unwrap_err();
    let kept = err.fault().unwrap().reason.clone();
    assert!(kept.len() < MAX_WIRE_TEXT + 40, "{}", kept.len());
    assert!(kept.ends_with(&format!("… (cut {} bytes)", 3_000_000 - MAX_WIRE_TEXT)), "{}", &kept[kept.len() - 40..]);
    assert!(err.to_string().len() < MAX_WIRE_TEXT + 400);
}

#[tokio::test]
async fn line_breaks_in_traced_bodies_cannot_forge_log_lines() {
    let reply = envelope_of(
        SoapVersion::V11,
        "<EchoResponse xmlns=\"urn:test:echo\"><Text>x\nFORGED-REPLY level=ERROR</Text></EchoResponse>",
    );
    let (ep, _) = fixed_server(200, TEXT_XML, reply).await;
    let (logs, _guard) = CapturedLogs::on_this_thread();
    let header = AuthHeader { username: "me\nFORGED-REQUEST level=ERROR".into(), token: Secret::new("tok") };
    let caller = PlainCaller::new(client(), ep, SoapVersion::V11).with_header(header);
    bounded(EchoServiceClient { caller }.echo(request())).await.unwrap();
    let text = logs.text();
    assert!(text.contains("FORGED-REQUEST") && text.contains("FORGED-REPLY"), "{text}");
    for line in text.lines() {
        assert!(!line.starts_with("FORGED"), "a forged line: {line}");
    }
}

// ------------------------------------------------------------------------------------------------
// UTF-16 (defect 12), an oversized response head (defect 13)

#[tokio::test]
async fn a_utf16_reply_is_read() {
    let text =
        envelope_of(SoapVersion::V11, r#"<EchoResponse xmlns="urn:test:echo"><Text>Zoë €</Text></EchoResponse>"#)
            .replace("utf-8", "utf-16");
    for (bom, big_endian) in [(true, false), (true, true), (false, false)] {
        let mut bytes = Vec::new();
        let units = if bom { format!("\u{feff}{text}") } else { text.clone() };
        for unit in units.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        let router = Router::new().route(
            "/EchoService.asmx",
            post(move || {
                let bytes = bytes.clone();
                async move {
                    Response::builder()
                        .header(header::CONTENT_TYPE, "text/xml; charset=utf-16")
                        .body(Body::from(bytes))
                        .unwrap()
                }
            }),
        );
        let ep = endpoint(serve(router).await);
        assert_eq!(echo_call(&ep, SoapVersion::V11).await.unwrap().text, "Zoë €");
    }
}

#[tokio::test]
async fn an_oversized_response_head_is_a_protocol_error_not_retryable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 65536];
        let _ = sock.read(&mut buf).await;
        let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n");
        for i in 0..20_000 {
            head.push_str(&format!("X-Filler-{i}: {}\r\n", "f".repeat(40)));
        }
        let _ = sock.write_all(head.as_bytes()).await;
        let _ = sock.write_all(b"\r\n").await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    });
    let err = echo_call(&endpoint(addr), SoapVersion::V11).await.unwrap_err();
    assert!(matches!(err, Error::Protocol { .. }), "expected Protocol, got {err:?}");
    assert!(!err.is_retryable());
}

// ------------------------------------------------------------------------------------------------
// The defaults: an endless reply and a gzip bomb stop at the default limit

#[tokio::test]
async fn an_endless_reply_stops_at_the_default_limit() {
    let sent = Arc::new(AtomicU64::new(0));
    let sent2 = sent.clone();
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move || {
            let sent = sent2.clone();
            async move {
                let head = Bytes::from(format!(
                    r#"<soap:Envelope xmlns:soap="{V11}"><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>"#
                ));
                let chunks = futures_util::stream::unfold((sent, Some(head)), |(sent, head)| async move {
                    let chunk = head.unwrap_or_else(|| Bytes::from_static(&[b'x'; 65536]));
                    sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    Some((Ok::<_, Infallible>(chunk), (sent, None)))
                });
                Response::builder().header(header::CONTENT_TYPE, TEXT_XML).body(Body::from_stream(chunks)).unwrap()
            }
        }),
    );
    let ep = endpoint(serve(router).await);
    let caller = PlainCaller::new(Client::builder().no_proxy().build().unwrap(), ep, SoapVersion::V11);
    let err = bounded(EchoServiceClient { caller: caller.with_header(auth()) }.echo(request())).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: DEFAULT_MAX_REPLY_BYTES }), "{err:?}");
    assert!(sent.load(Ordering::Relaxed) < 2 * DEFAULT_MAX_REPLY_BYTES);
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_default_limit() {
    // 40 MiB of zeros (over the default 32 MiB) inflated from about 40 KiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let head = format!(r#"<soap:Envelope xmlns:soap="{V11}"><soap:Body><EchoResponse xmlns="urn:test:echo"><Text>"#);
    gz.write_all(head.as_bytes()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..40 {
        gz.write_all(&zeros).unwrap();
    }
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move || {
            let bomb = bomb.clone();
            async move {
                Response::builder()
                    .header(header::CONTENT_TYPE, TEXT_XML)
                    .header(header::CONTENT_ENCODING, "gzip")
                    .body(Body::from(bomb))
                    .unwrap()
            }
        }),
    );
    let ep = endpoint(serve(router).await);
    let caller = PlainCaller::new(Client::builder().no_proxy().build().unwrap(), ep, SoapVersion::V11);
    let err = bounded(EchoServiceClient { caller: caller.with_header(auth()) }.echo(request())).await.unwrap_err();
    assert!(matches!(err, Error::TooLarge { limit: DEFAULT_MAX_REPLY_BYTES }), "{err:?}");
}
