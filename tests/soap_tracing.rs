//! What reaches the logs: the TRACE output of calls carries no secret.
//!
//! Alone in its test binary: a thread-local subscriber (`set_default`) can miss events whose
//! callsites another test thread registers at the same moment, so no other test runs beside it.

mod log_capture;
mod soap_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use log_capture::CapturedLogs;
use rust_decimal::Decimal;
use soap_support::*;
use soapbind::soap::{envelope, CallContext, Endpoint, Fault, PlainCaller, QualifiedName, Secret, SoapVersion};

// ------------------------------------------------------------------------------------------------
// Logs

#[tokio::test]
async fn secrets_never_reach_the_trace_output() {
    const TOKEN: &str = "tok-7f3a9c";
    const PASSWORD: &str = "pa$$w<rd&1";
    const FRESH: &str = "67CC647E-20EA-4726-8045-14C179077D2F";

    let (logs, _guard) = CapturedLogs::on_this_thread();

    // First call succeeds and hands out a fresh token; the second fails with a fault that
    // echoes the token.
    let calls = Arc::new(AtomicUsize::new(0));
    let router = Router::new().route(
        "/EchoService.asmx",
        post(move || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                let body = if n == 0 {
                    envelope_of(
                        SoapVersion::V11,
                        &format!(r#"<EchoResponse xmlns="urn:test:echo"><Text>ok</Text><NewToken>{FRESH}</NewToken></EchoResponse>"#),
                    )
                } else {
                    envelope::write_fault(
                        SoapVersion::V11,
                        &Fault::new(SoapVersion::V11, QualifiedName::new(V11, "Client"), format!("Invalid token {TOKEN}"))
                            .with_detail(format!("<Token>{TOKEN}</Token>")),
                    )
                };
                let status = if n == 0 { StatusCode::OK } else { StatusCode::INTERNAL_SERVER_ERROR };
                Response::builder().status(status).header(header::CONTENT_TYPE, TEXT_XML).body(Body::from(body)).unwrap()
            }
        }),
    );
    let ep = endpoint(serve(router).await);
    let ctx = CallContext::new("nmbrs")
        .with_secret(Secret::new(TOKEN))
        .with_secret(Secret::new(PASSWORD))
        .with_secret_element("NewToken");
    let header = AuthHeader { username: "payroll@example.nl".into(), token: Secret::new(TOKEN) };
    let caller = PlainCaller::new(client(), ep, SoapVersion::V11).with_header(header).with_context(ctx);
    let service = EchoServiceClient { caller };
    let login = Echo { text: PASSWORD.into(), amount: Decimal::ONE };
    assert_eq!(bounded(service.echo(login.clone())).await.unwrap().text, "ok");
    let err = bounded(service.echo(login)).await.unwrap_err();
    assert!(!err.to_string().contains(TOKEN) && !format!("{err:?}").contains(TOKEN), "{err}");

    let logs = logs.text();
    for secret in [TOKEN, PASSWORD, "pa$$w&lt;rd&amp;1", FRESH] {
        assert!(!logs.contains(secret), "`{secret}` leaked into the logs:\n{logs}");
    }
    assert!(logs.contains("<Token>***</Token>"), "{logs}");
    assert!(logs.contains("<Text>***</Text>"), "{logs}");
    assert!(logs.contains("<NewToken>***</NewToken>"), "{logs}");
    assert!(logs.contains("Invalid token ***"), "{logs}");
    for field in [
        "soap.call",
        "api=\"nmbrs\"",
        "service=\"EchoService\"",
        "operation=\"Echo\"",
        "soap_version=\"1.1\"",
        "endpoint=\"127.0.0.1\"",
        "http_status=200",
        "http_status=500",
        "reply_bytes=",
        "duration_ms=",
    ] {
        assert!(logs.contains(field), "`{field}` missing from the logs:\n{logs}");
    }

    // Debug output of the secret types and of the caller does not show them either.
    let secret = Secret::new(TOKEN);
    assert_eq!(format!("{secret:?}"), "***");
    assert_eq!(format!("{secret}"), "***");
    let caller = PlainCaller::new(client(), Endpoint::new("https://example.com/").unwrap(), SoapVersion::V11)
        .with_header(auth())
        .with_context(CallContext::new("x").with_secret(Secret::new(TOKEN)));
    assert!(!format!("{caller:?}").contains(TOKEN), "{caller:?}");
}
