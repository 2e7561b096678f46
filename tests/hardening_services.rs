//! Hardening of the API layers and the mock services, against real servers on 127.0.0.1: one
//! domain discovery and one 1001 diagnosis for the callers that fail together, the mock
//! services refusing what a conforming server refuses and serving what independent clients
//! need, and a Data Zoo result that merely mentions an invalid token renewing nothing.

mod log_capture;

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::Router;
use soapbind::mock::datazoo::MockDataZoo;
use soapbind::mock::nmbrs::{MockNmbrs, DOMAIN, USERNAME};
use soapbind::nmbrs::{AuthCause, Client, Credentials, Domain, Environment, Error};
use tokio::net::TcpListener;

async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn a_failing_domain_discovery_is_shared_by_every_waiting_caller() {
    bounded(async {
        let requests = Arc::new(AtomicU64::new(0));
        let counter = requests.clone();
        let router = Router::new().fallback(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                (StatusCode::SERVICE_UNAVAILABLE, "<html><body>Service Unavailable</body></html>")
            }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

        let client = Client::builder(
            Credentials::new(USERNAME, "token"),
            Environment::Custom(format!("http://{addr}/soap/v3/")),
        )
        .build()
        .unwrap();
        let calls = (0..50).map(|_| {
            let client = client.clone();
            async move { client.company().list_get_all().await }
        });
        let results = futures_util::future::join_all(calls).await;
        // One discovery, whose attempts the retry policy repeats (Environment_Get is a read and
        // 503 is retried for reads); without sharing, each of the 50 callers would repeat them.
        let attempts = u64::from(client.retry_policy().get_max_attempts());
        assert!(attempts > 1, "the default policy retries a 503 for a read");
        assert_eq!(requests.load(Ordering::SeqCst), attempts, "one discovery for all 50 callers");
        let shared = results.iter().filter(|r| matches!(r, Err(Error::DiscoveryFailed { .. }))).count();
        assert_eq!(shared, 49);
        for result in &results {
            let err = result.as_ref().unwrap_err();
            assert!(err.is_retryable(), "{err}");
            assert!(err.to_string().contains("503"), "{err}");
        }
    })
    .await;
}

#[tokio::test]
async fn one_1001_diagnosis_serves_the_callers_that_fail_together() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = Client::builder(Credentials::new(USERNAME, "revoked-token"), Environment::Custom(mock.base_url()))
            .domain(Domain::Fixed(DOMAIN.into()))
            .build()
            .unwrap();
        let calls = (0..100).map(|_| {
            let client = client.clone();
            async move { client.company().list_get_all().await }
        });
        let results = futures_util::future::join_all(calls).await;
        for result in results {
            let err = result.unwrap_err();
            assert!(matches!(err, Error::InvalidAuthentication { cause: AuthCause::Credentials, .. }), "{err}");
        }
        assert_eq!(mock.environment_get_calls(), 1, "one diagnosis for the 100 callers");
        assert_eq!(mock.requests().len(), 101);
    })
    .await;
}

#[tokio::test]
async fn the_mock_services_refuse_characters_xml_does_not_allow() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let envelope = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><AuthHeaderWithDomain xmlns="https://api.nmbrs.nl/soap/v3/CompanyService"><Username>{USERNAME}</Username><Token>t</Token><Domain>{DOMAIN}</Domain></AuthHeaderWithDomain></soap:Header><soap:Body><List_GetAll xmlns="https://api.nmbrs.nl/soap/v3/CompanyService">bad&#1;{}</List_GetAll></soap:Body></soap:Envelope>"#,
            '\u{1}'
        );
        let reply = http()
            .post(format!("{}CompanyService.asmx", mock.base_url()))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"https://api.nmbrs.nl/soap/v3/CompanyService/List_GetAll\"")
            .body(envelope)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 500);
        let text = reply.text().await.unwrap();
        assert!(text.contains("U+0001") && text.contains("faultcode"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn the_data_zoo_mock_speaks_soap_12_only_with_xml_lang_and_serves_its_own_address() {
    bounded(async {
        let mock = MockDataZoo::start().await.unwrap();
        let wsdl = http().get(format!("{}?WSDL", mock.base_url())).send().await.unwrap().text().await.unwrap();
        assert!(wsdl.contains(&format!("location=\"{}\"", mock.base_url())), "{wsdl}");
        assert!(!wsdl.contains("location=\"https://svc.datazoo.co.nz"), "the real address is still in the WSDL");

        let envelope = |ns: &str| {
            format!(
                r#"<soap:Envelope xmlns:soap="{ns}"><soap:Body><Nothing xmlns="urn:x"/></soap:Body></soap:Envelope>"#
            )
        };
        let soap11 = http()
            .post(mock.base_url())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"http://svc.datazoo.co.nz/Verify\"")
            .body(envelope("http://schemas.xmlsoap.org/soap/envelope/"))
            .send()
            .await
            .unwrap();
        assert_eq!(soap11.status(), 415, "SOAP 1.1 is not bound by the contract");

        let fault = http()
            .post(mock.base_url())
            .header("Content-Type", "application/soap+xml; charset=utf-8")
            .body(envelope("http://www.w3.org/2003/05/soap-envelope"))
            .send()
            .await
            .unwrap();
        assert_eq!(fault.status(), 500);
        let text = fault.text().await.unwrap();
        assert!(text.contains(r#"<soap:Text xml:lang="en">"#), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_password_with_json_and_xml_specials_never_reaches_the_trace_output() {
    use soapbind::datazoo::{self, LoginMethod, MemoryTokenStore};

    let (logs, _guard) = log_capture::CapturedLogs::on_this_thread();
    let mock = MockDataZoo::start().await.unwrap();
    let password = "Zq9\"Wx7\\ö'<&>\u{7f}Pw";
    mock.add_user("special-user", password);
    for method in [LoginMethod::Soap, LoginMethod::RestJson, LoginMethod::RestXml] {
        for given in [password.to_owned(), format!("{password}-wrong")] {
            let client = mock
                .client_builder()
                .credentials(datazoo::Credentials::new("special-user", given))
                .login_method(method)
                .token_store(Arc::new(MemoryTokenStore::new()))
                .build()
                .unwrap();
            let result = bounded(client.session()).await;
            if let Err(e) = &result {
                assert!(!e.to_string().contains("Zq9") && !format!("{e:?}").contains("Zq9"), "{e}");
            }
        }
    }
    let text = logs.text();
    assert!(text.contains("rest login request"), "TRACE output was captured");
    assert!(!text.contains("Zq9"), "the password leaked into the logs");
}

/// Defect 8: a Verify result whose data-source message merely mentions an invalid token is an
/// answer, not the session-level "Invalid Token" signal: no re-login (which would revoke the
/// account's token for every worker) and no second Verify.
#[tokio::test]
async fn a_data_source_message_mentioning_an_invalid_token_renews_nothing() {
    use soapbind::datazoo::generated::data_zoo as dz;
    use soapbind::datazoo::{DataSource, LoginMethod, Verification};
    use soapbind::soap::xml::{Element as _, XmlWriter};

    bounded(async {
        let mock = MockDataZoo::start().await.unwrap();
        let message = "Data source error: Invalid token in field DriversLicenseNo";
        let result = dz::VerifyResult { status: Some(1), message: Some(message.into()), ..Default::default() };
        let mut w = XmlWriter::new();
        dz::VerifyResponse { verify_result: Some(result) }.write_element(&mut w);
        let envelope = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>{}</soap:Body></soap:Envelope>"#,
            w.as_str()
        );
        let verifies = Arc::new(AtomicU64::new(0));
        let counter = verifies.clone();
        let app = Router::new().fallback(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let envelope = envelope.clone();
            async move { ([("content-type", "application/soap+xml; charset=utf-8")], envelope) }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        // Logins go to the mock's REST API, Verify to the server above.
        let client = mock
            .client_builder()
            .login_method(LoginMethod::RestJson)
            .endpoint(format!("http://{addr}/DataZoo.asmx"))
            .build()
            .unwrap();
        let verification = Verification::new()
            .first_name("Ann")
            .last_name("Example")
            .data_source(DataSource::new("Australian Residential").consent_obtained(true));
        let result = client.verify(&verification).await.expect("the result, as the service gave it");
        assert_eq!(result.message.as_deref(), Some(message));
        assert_eq!(verifies.load(Ordering::SeqCst), 1, "Verify was sent again");
        assert_eq!(mock.authentications(), 1, "the session was renewed for a data source's message");
    })
    .await;
}
