//! No Nmbrs API token (nor a single sign-on token) reaches the logs, the errors or a `Debug`
//! form: the flows run with a TRACE subscriber capturing into a buffer, which is then searched.
//!
//! The subscriber is global, so this file holds a single test.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

mod log_capture;

use log_capture::CapturedLogs;

use soapbind::mock::nmbrs::{MockNmbrs, TOKEN, USERNAME};
use soapbind::nmbrs::generated::report_service::ReportsGetJournalsReportByCompanyBackground;
use soapbind::nmbrs::{Client, Credentials, Domain, Environment, PollOptions};

const BAD_TOKEN: &str = "BAD-token-5e0a7c3d91";

#[tokio::test]
async fn no_token_appears_in_traces_errors_or_debug() {
    let captured = CapturedLogs::global();

    let mock = MockNmbrs::start().await.unwrap();
    let mut printed = Vec::new();

    // The happy paths: discovery, v3 calls, an update, a report, single sign-on.
    let client = mock.client().unwrap();
    client.debtor().list_get_all().await.unwrap();
    let info = client.employee().personal_info_get_current(100).await.unwrap();
    client.employee().personal_info_update_current(100, Some(info)).await.unwrap();
    mock.set_report_polls(0);
    let options = PollOptions::default().initial_interval(std::time::Duration::from_millis(1));
    let request =
        ReportsGetJournalsReportByCompanyBackground { company_id: 10, start_period: 1, end_period: 1, year: 2024 };
    client.report().run(request, &options).await.unwrap();
    let login = client.single_sign_on().login().await.unwrap();
    printed.push(format!("{login:?}"));
    printed.push(format!("{client:?}"));
    printed.push(format!("{:?}", client.caller()));
    printed.push(format!("{:?}", mock.credentials()));

    // Rediscovery after a domain change, and a wrong fixed domain.
    mock.set_domain("moved");
    client.company().list_get_all().await.unwrap();
    let fixed = mock.client_builder().domain(Domain::Fixed("wrong".into())).build().unwrap();
    let err = fixed.company().list_get_all().await.unwrap_err();
    printed.push(err.to_string());
    printed.push(format!("{err:?}"));

    // A bad token, discovered and fixed domain.
    for domain in [Domain::Discover, Domain::Fixed("moved".into())] {
        let bad = Client::builder(Credentials::new(USERNAME, BAD_TOKEN), Environment::Custom(mock.base_url()))
            .domain(domain)
            .build()
            .unwrap();
        let err = bad.debtor().list_get_all().await.unwrap_err();
        printed.push(err.to_string());
        printed.push(format!("{err:?}"));
        printed.push(format!("{bad:?}"));
    }
    mock.shutdown().await;

    let logs = captured.text();
    assert!(logs.contains("soap request") && logs.contains("soap reply"), "envelopes are traced at TRACE");
    assert!(logs.contains("<Token>***</Token>"), "the header's token is redacted, not dropped");
    assert!(logs.contains("<GetToken2Result>***</GetToken2Result>"));
    let everything = format!("{logs}\n{}", printed.join("\n"));
    for secret in [TOKEN, BAD_TOKEN, login.token().expose()] {
        assert!(!everything.contains(secret), "`{secret}` leaked");
    }
}
