//! The mock Nmbrs service on the wire, spoken to with a plain HTTP client: the contracts at
//! `?WSDL`, ASMX-style faults for a missing or wrong SOAPAction and for error 1001, the content
//! type check, and both SOAP versions.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use std::future::Future;
use std::time::Duration;

use soapbind::mock::nmbrs::{MockNmbrs, NO_ACTION_FAULT, TOKEN, USERNAME};

/// Fails a test that hangs instead of letting it run forever (not a speed assertion).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const DEBTOR_NS: &str = "https://api.nmbrs.nl/soap/v3/DebtorService";

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

fn environment_get(envelope_ns: &str, token: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{envelope_ns}"><soap:Header><AuthHeader xmlns="{DEBTOR_NS}"><Username>{USERNAME}</Username><Token>{token}</Token></AuthHeader></soap:Header><soap:Body><Environment_Get xmlns="{DEBTOR_NS}" /></soap:Body></soap:Envelope>"#
    )
}

#[tokio::test]
async fn every_contract_is_served_at_wsdl_with_the_mock_address() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        for service in ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"] {
            let url = format!("{}{service}.asmx?WSDL", mock.base_url());
            let reply = http().get(&url).send().await.unwrap();
            assert_eq!(reply.status(), 200, "{url}");
            assert!(reply.headers()["content-type"].to_str().unwrap().starts_with("text/xml"));
            let wsdl = reply.text().await.unwrap();
            assert!(wsdl.contains(&format!("targetNamespace=\"https://api.nmbrs.nl/soap/v3/{service}\"")), "{service}");
            assert!(wsdl.contains(&format!("location=\"{}{service}.asmx\"", mock.base_url())), "{service}");
            assert!(!wsdl.contains("location=\"https://api.nmbrs.nl"), "{service}");
        }
        let reply = http().get(format!("{}Nope.asmx?WSDL", mock.base_url())).send().await.unwrap();
        assert_eq!(reply.status(), 404);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_missing_or_wrong_soap_action_is_a_client_fault() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let url = format!("{}DebtorService.asmx", mock.base_url());
        let body = environment_get(SOAP11, TOKEN);
        for action in [None, Some("\"https://api.nmbrs.nl/soap/v3/CompanyService/List_GetAll\""), Some("\"\"")] {
            let mut request = http().post(&url).header("content-type", "text/xml; charset=utf-8").body(body.clone());
            if let Some(action) = action {
                request = request.header("SOAPAction", action);
            }
            let reply = request.send().await.unwrap();
            assert_eq!(reply.status(), 500, "{action:?}");
            let text = reply.text().await.unwrap();
            assert!(text.contains("<faultcode>soap:Client</faultcode>"), "{text}");
            assert!(text.contains(NO_ACTION_FAULT), "{text}");
        }
        // SOAP 1.2 without an action parameter: a Sender fault.
        let reply = http()
            .post(&url)
            .header("content-type", "application/soap+xml; charset=utf-8")
            .body(environment_get(SOAP12, TOKEN))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 500);
        let text = reply.text().await.unwrap();
        assert!(text.contains("<soap:Value>soap:Sender</soap:Value>") && text.contains(NO_ACTION_FAULT), "{text}");
        assert_eq!(mock.requests().len(), 0, "refused before dispatch");
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn other_content_types_are_refused() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let reply = http()
            .post(format!("{}DebtorService.asmx", mock.base_url()))
            .header("content-type", "application/json")
            .header("SOAPAction", "\"https://api.nmbrs.nl/soap/v3/DebtorService/Environment_Get\"")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 415);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn both_versions_answer_and_1001_looks_like_asmx() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let url = format!("{}DebtorService.asmx", mock.base_url());
        let action = "https://api.nmbrs.nl/soap/v3/DebtorService/Environment_Get";

        let v11 = |token| {
            http()
                .post(&url)
                .header("content-type", "text/xml; charset=utf-8")
                .header("SOAPAction", format!("\"{action}\""))
                .body(environment_get(SOAP11, token))
                .send()
        };
        let reply = v11(TOKEN).await.unwrap();
        assert_eq!(reply.status(), 200);
        let text = reply.text().await.unwrap();
        assert!(text.contains(SOAP11) && text.contains("<SubDomain>mocktest</SubDomain>"), "{text}");

        let reply = v11("wrong").await.unwrap();
        assert_eq!(reply.status(), 500);
        let text = reply.text().await.unwrap();
        assert!(text.contains("<faultcode>soap:Server</faultcode>"), "{text}");
        assert!(
            text.contains(
                "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---&gt; 1001: \
                 Invalid Authentication"
            ),
            "{text}"
        );

        let reply = http()
            .post(&url)
            .header("content-type", format!("application/soap+xml; charset=utf-8; action=\"{action}\""))
            .body(environment_get(SOAP12, TOKEN))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        assert!(reply.headers()["content-type"].to_str().unwrap().starts_with("application/soap+xml"));
        let text = reply.text().await.unwrap();
        assert!(text.contains(SOAP12) && text.contains("<Domain>mocktest.nmbrs.nl</Domain>"), "{text}");
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn environment_get_requires_the_plain_auth_header() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let body = format!(
            r#"<soap:Envelope xmlns:soap="{SOAP11}"><soap:Header><AuthHeaderWithDomain xmlns="{DEBTOR_NS}"><Username>{USERNAME}</Username><Token>{TOKEN}</Token><Domain>mocktest</Domain></AuthHeaderWithDomain></soap:Header><soap:Body><Environment_Get xmlns="{DEBTOR_NS}" /></soap:Body></soap:Envelope>"#
        );
        let reply = http()
            .post(format!("{}DebtorService.asmx", mock.base_url()))
            .header("content-type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"https://api.nmbrs.nl/soap/v3/DebtorService/Environment_Get\"")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 500);
        assert!(reply.text().await.unwrap().contains("1001: Invalid Authentication"));
        let requests = mock.requests();
        assert_eq!(requests[0].headers, vec![format!("{{{DEBTOR_NS}}}AuthHeaderWithDomain")]);
        mock.shutdown().await;
    })
    .await;
}
