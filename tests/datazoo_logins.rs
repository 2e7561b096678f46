//! Data Zoo logins (SOAP, REST JSON, REST XML), Verify's typed results, the raw client and the
//! mock's protocol details, over real HTTP against the mock service on 127.0.0.1.

#![cfg(all(feature = "datazoo", feature = "mock"))]

use chrono::NaiveDate;
use soapbind::datazoo::generated::data_zoo::{DataSourceV27, Session as WireSession, Verify};
use soapbind::datazoo::{
    Client, CountrySources, Credentials, DataSource, Error, LoginMethod, Verification, VerificationStatus,
};
use soapbind::mock::datazoo::{MockDataZoo, DATA_SOURCES, PASSWORD, USER_NAME, WSDL};

fn builder(mock: &MockDataZoo, method: LoginMethod) -> soapbind::datazoo::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(USER_NAME, PASSWORD))
        .endpoint(mock.base_url())
        .rest_base_url(mock.rest_base_url())
        .login_method(method)
}

fn expected_countries() -> Vec<CountrySources> {
    DATA_SOURCES
        .iter()
        .map(|(country, sources)| CountrySources {
            country: (*country).to_owned(),
            data_sources: sources.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect()
}

fn dob(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn json_and_xml_rest_logins_return_equal_sessions() {
    let mock = MockDataZoo::start().await.unwrap();
    let json = builder(&mock, LoginMethod::RestJson).build().unwrap().session().await.unwrap();
    let xml = builder(&mock, LoginMethod::RestXml).build().unwrap().session().await.unwrap();
    assert_eq!(mock.authentications(), 2);

    assert_eq!(json.user_name(), USER_NAME);
    assert_eq!(xml.user_name(), json.user_name());
    assert_eq!(json.countries(), expected_countries().as_slice());
    assert_eq!(xml.countries(), json.countries());
    assert_eq!(xml.reference(), json.reference());
    assert_eq!((json.method(), xml.method()), (LoginMethod::RestJson, LoginMethod::RestXml));
    // Each login issued its own token; the second revoked the first.
    let issued = mock.issued_tokens();
    assert_eq!(json.token().expose(), issued[0]);
    assert_eq!(xml.token().expose(), issued[1]);
    assert_eq!(mock.current_token(USER_NAME).as_deref(), Some(xml.token().expose()));
    assert!(json.allows("Australian Residential") && !json.allows("Atlantis Registry"));
}

#[tokio::test]
async fn the_soap_login_lists_the_data_sources_under_one_unnamed_country() {
    let mock = MockDataZoo::start().await.unwrap();
    let session = builder(&mock, LoginMethod::Soap).build().unwrap().session().await.unwrap();
    assert_eq!(session.method(), LoginMethod::Soap);
    assert_eq!(session.user_name(), USER_NAME);
    assert_eq!(session.reference(), "");
    assert_eq!(session.countries().len(), 1);
    assert_eq!(session.countries()[0].country, "");
    let all: Vec<&str> = DATA_SOURCES.iter().flat_map(|(_, s)| s.iter().copied()).collect();
    assert_eq!(session.data_source_names().collect::<Vec<_>>(), all);
    assert_eq!(session.token().expose(), mock.current_token(USER_NAME).unwrap());
    // A GUID, as Data Zoo hands out.
    assert!(uuid::Uuid::parse_str(session.token().expose()).is_ok());
}

#[tokio::test]
async fn every_login_method_refuses_a_wrong_password_without_repeating_it() {
    let mock = MockDataZoo::start().await.unwrap();
    let wrong = "wr0ng-Pa55word";
    for method in [LoginMethod::Soap, LoginMethod::RestJson, LoginMethod::RestXml] {
        let client = Client::builder()
            .credentials(Credentials::new(USER_NAME, wrong))
            .endpoint(mock.base_url())
            .rest_base_url(mock.rest_base_url())
            .login_method(method)
            .build()
            .unwrap();
        let error = client.session().await.unwrap_err();
        let Error::LoginRefused { user_name, method: m, message } = &error else { panic!("{method}: {error:?}") };
        assert_eq!((user_name.as_str(), *m), (USER_NAME, method));
        assert!(message.contains("Invalid username or password"), "{message}");
        for text in [error.to_string(), format!("{error:?}"), format!("{client:?}")] {
            assert!(!text.contains(wrong), "{method}: {text}");
        }
        assert!(!error.is_retryable());
    }
    assert_eq!(mock.failed_logins(), 3);
    assert_eq!(mock.authentications(), 0);
}

#[tokio::test]
async fn verify_reports_each_status_and_the_per_source_results() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::RestJson).build().unwrap();
    let person = || {
        Verification::new()
            .first_name("Test")
            .last_name("TESTING")
            .street_number("1")
            .street_name("Test")
            .suburb("Testville")
            .post_code("2001")
            .data_source(DataSource::new("Australian Residential").consent_obtained(true))
            .data_source(DataSource::new("Australian Experian"))
    };

    let full = client.verify(&person().date_of_birth(dob(1980, 1, 1))).await.unwrap();
    assert_eq!(full.status, VerificationStatus::FullMatch);
    assert!(full.is_full_match());
    assert_eq!(full.sources.len(), 2);
    let residential = full.source("Australian Residential").unwrap();
    assert_eq!(residential.status, Some(VerificationStatus::FullMatch));
    assert_eq!(residential.verified.first_name, Some(true));
    assert_eq!(residential.verified.date_of_birth, Some(true));
    assert_eq!(residential.verified.address, Some(true));
    assert_eq!(residential.verified.passport_number, None);
    assert_eq!(full.safe_harbour, Some(true));
    assert!(full.reporting_reference.is_some());

    let partial = client.verify(&person().date_of_birth(dob(1981, 2, 3))).await.unwrap();
    assert_eq!(partial.status, VerificationStatus::PartialMatch);
    assert!(partial.status.is_match());
    assert_eq!(partial.sources[0].verified.date_of_birth, Some(false));

    let unknown = client
        .verify(
            &Verification::new()
                .first_name("Nobody")
                .last_name("Known")
                .data_source(DataSource::new("Australian Residential")),
        )
        .await
        .unwrap();
    assert_eq!(unknown.status, VerificationStatus::NotFound);
    assert_eq!(unknown.sources[0].status, Some(VerificationStatus::NotFound));

    let forbidden = client
        .verify(&person().data_source(DataSource::new("Atlantis Registry")).date_of_birth(dob(1980, 1, 1)))
        .await
        .unwrap();
    assert_eq!(forbidden.status, VerificationStatus::FullMatch);
    let atlantis = forbidden.source("Atlantis Registry").unwrap();
    assert_eq!(atlantis.status, Some(VerificationStatus::DataSourceError));
    assert!(atlantis.message.as_deref().unwrap().contains("not available"));

    let invalid = client
        .verify(&Verification::new().first_name("Only").data_source(DataSource::new("Australian Residential")))
        .await
        .unwrap();
    assert_eq!(invalid.status, VerificationStatus::PreValidationFailed);
    assert_eq!(invalid.status.code(), -1);
    assert!(invalid.message.unwrap().contains("LastName"));

    assert_eq!(mock.authentications(), 1);
}

#[tokio::test]
async fn incomplete_verifications_are_refused_before_sending() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).build().unwrap();
    let no_source = client.verify(&Verification::new().last_name("X")).await.unwrap_err();
    assert!(matches!(&no_source, Error::InvalidRequest { reason } if reason.contains("data source")), "{no_source}");
    let no_criteria =
        client.verify(&Verification::new().data_source(DataSource::new("Australian Residential"))).await.unwrap_err();
    assert!(matches!(&no_criteria, Error::InvalidRequest { reason } if reason.contains("criteria")), "{no_criteria}");
    assert_eq!(mock.authentications(), 0);
    assert_eq!(mock.verifications(), 0);
}

#[test]
fn verification_statuses_map_both_ways() {
    for (code, status) in [
        (0, VerificationStatus::FullMatch),
        (1, VerificationStatus::PartialMatch),
        (2, VerificationStatus::NotFound),
        (3, VerificationStatus::DataSourceError),
        (-1, VerificationStatus::PreValidationFailed),
        (-2, VerificationStatus::Cancelled),
        (7, VerificationStatus::Other(7)),
    ] {
        assert_eq!(VerificationStatus::from(code), status);
        assert_eq!(status.code(), code);
    }
    assert_eq!(VerificationStatus::Cancelled.to_string(), "cancelled by the client (-2)");
    assert_eq!(VerificationStatus::Other(9).to_string(), "status 9");
}

#[tokio::test]
async fn the_raw_generated_client_can_verify_with_the_managed_session() {
    let mock = MockDataZoo::start().await.unwrap();
    let client = builder(&mock, LoginMethod::Soap).build().unwrap();
    let session = client.session().await.unwrap();
    let request = Verify {
        session: Some(WireSession {
            user_name: Some(session.user_name().to_owned()),
            token: Some(session.token().expose().to_owned()),
            reference: Some(String::new()),
            data_sources: vec![DataSourceV27 {
                data_source_name: Some("New Zealand Driver Licence".into()),
                enabled: Some(true),
                consent_obtained: Some(true),
            }],
        }),
        criteria: Some(Default::default()),
    };
    let mut criteria = request.criteria.clone().unwrap();
    criteria.first_name = Some("Jane".into());
    criteria.last_name = Some("Citizen".into());
    criteria.date_of_birth = Some("1975-05-17".into());
    // The request struct through `raw()`, then the same values as parameters.
    let generated = client.generated();
    let reply = generated.raw().verify(Verify { criteria: Some(criteria.clone()), ..request.clone() }).await.unwrap();
    assert_eq!(reply.verify_result.unwrap().status, Some(0));
    let result = generated.verify(request.session, Some(criteria)).await.unwrap();
    assert_eq!(result.status, Some(0));
}

#[tokio::test]
async fn the_mock_serves_its_wsdl_at_its_own_address_and_refuses_soap_11() {
    let mock = MockDataZoo::start().await.unwrap();
    let http = reqwest::Client::new();
    let wsdl = http.get(format!("{}?WSDL", mock.base_url())).send().await.unwrap();
    assert_eq!(wsdl.status(), 200);
    // The contract, with the address of the mock in place of the real service's.
    let real = "location=\"https://svc.datazoo.co.nz/\"";
    assert!(WSDL.contains(real));
    assert_eq!(wsdl.text().await.unwrap(), WSDL.replace(real, &format!("location=\"{}\"", mock.base_url())));
    assert!(WSDL.contains("http://svc.datazoo.co.nz/Verify"));

    let envelope = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Authenticate xmlns="http://svc.datazoo.co.nz"><UserName>{USER_NAME}</UserName><UserPassword>{}</UserPassword></Authenticate></soap:Body></soap:Envelope>"#,
        PASSWORD.replace('&', "&amp;")
    );
    let reply = http
        .post(mock.base_url())
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"http://svc.datazoo.co.nz/Authenticate\"")
        .body(envelope.clone())
        .send()
        .await
        .unwrap();
    // The contract binds SOAP 1.2 only: a SOAP 1.1 request is refused, as it would hide a bug.
    assert_eq!(reply.status(), 415);
    assert_eq!(mock.authentications(), 0);

    // A SOAP 1.2 content type around a SOAP 1.1 envelope, as some published samples mix them.
    let reply = http
        .post(mock.base_url())
        .header("Content-Type", "application/soap+xml; charset=utf-8")
        .body(envelope)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(mock.authentications(), 1);

    // A wrong action is a fault.
    let reply = http
        .post(mock.base_url())
        .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"http://svc.datazoo.co.nz/Nope\"")
        .body("<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Body><Verify xmlns=\"http://svc.datazoo.co.nz\"/></soap:Body></soap:Envelope>")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 500);
    assert!(reply.text().await.unwrap().contains("SOAPAction"));
}

#[test]
fn endpoints_must_be_https_except_to_loopback() {
    let build = |endpoint: &str, rest: &str, method| {
        Client::builder()
            .credentials(Credentials::new(USER_NAME, PASSWORD))
            .endpoint(endpoint)
            .rest_base_url(rest)
            .login_method(method)
            .build()
    };
    let insecure = build("http://svc.datazoo.co.nz/", "https://rest.datazoo.co.nz", LoginMethod::Soap).unwrap_err();
    assert!(matches!(insecure, Error::Soap(soapbind::soap::Error::InsecureUrl { .. })), "{insecure}");
    let insecure_rest = build("https://svc.datazoo.co.nz/", "http://rest.datazoo.co.nz", LoginMethod::RestXml);
    assert!(matches!(insecure_rest, Err(Error::Soap(soapbind::soap::Error::InsecureUrl { .. }))));
    assert!(build("https://svc.datazoo.co.nz/", "https://rest.datazoo.co.nz", LoginMethod::RestJson).is_ok());
    assert!(build("http://127.0.0.1:1/DataZoo.asmx", "http://localhost:1", LoginMethod::RestJson).is_ok());

    let missing = Client::builder().credentials(Credentials::new(USER_NAME, PASSWORD)).build().unwrap_err();
    assert!(matches!(&missing, Error::Config { reason } if reason.contains("endpoint")), "{missing}");
    let no_creds = Client::builder().endpoint("https://svc.datazoo.co.nz/").build().unwrap_err();
    assert!(matches!(&no_creds, Error::Config { reason } if reason.contains("credentials")), "{no_creds}");
}

#[tokio::test]
async fn an_unreachable_rest_login_is_a_retryable_transport_error() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .credentials(Credentials::new(USER_NAME, PASSWORD))
        .endpoint(format!("http://127.0.0.1:{port}/DataZoo.asmx"))
        .rest_base_url(format!("http://127.0.0.1:{port}"))
        .login_method(LoginMethod::RestJson)
        .build()
        .unwrap();
    let error = client.session().await.unwrap_err();
    assert!(matches!(error, Error::RestTransport { .. }), "{error}");
    assert!(error.is_retryable());
    assert!(!error.to_string().contains(PASSWORD));
}
