//! Nmbrs authentication over real HTTP against the mock service on 127.0.0.1: error 1001 told
//! apart into a wrong domain or wrong credentials, one rediscovery and one retry when the
//! domain changes, protected mode (2011) typed and not retried, and the token kept out of
//! every error.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use std::future::Future;
use std::time::Duration;

use soapbind::mock::nmbrs::{MockNmbrs, DOMAIN, TOKEN, USERNAME};
use soapbind::nmbrs::generated::{company_service as cs, employee_service as es};
use soapbind::nmbrs::{AuthCause, Client, Credentials, Domain, Environment, Error, ErrorCode};
use soapbind::soap::{Endpoint, PlainCaller, SoapVersion};
use tokio::task::JoinSet;

/// Fails a test that hangs instead of letting it run forever (not a speed assertion).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

const BAD_TOKEN: &str = "BAD-token-8c1f0e7d2b";

fn client_with_token(mock: &MockNmbrs, token: &str, domain: Domain) -> Client {
    Client::builder(Credentials::new(USERNAME, token), Environment::Custom(mock.base_url()))
        .domain(domain)
        .build()
        .unwrap()
}

/// Neither the message nor the debug form of `err` contains `secret`.
fn assert_hidden(err: &Error, secret: &str) {
    let (display, debug) = (err.to_string(), format!("{err:?}"));
    assert!(!display.contains(secret), "the token leaked into Display: {display}");
    assert!(!debug.contains(secret), "the token leaked into Debug: {debug}");
}

#[tokio::test]
async fn a_fixed_wrong_domain_names_the_configured_and_the_real_domain() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client_builder().domain(Domain::Fixed("wrongco".into())).build().unwrap();
        let err = client.company().list_get_all().await.unwrap_err();
        match &err {
            Error::InvalidAuthentication {
                cause: AuthCause::Domain { configured, actual }, operation, fault, ..
            } => {
                assert_eq!((configured.as_str(), actual.as_str()), ("wrongco", DOMAIN));
                assert_eq!(*operation, "List_GetAll");
                assert_eq!(fault.code, Some(ErrorCode::InvalidAuthentication));
                assert_eq!(fault.title, "Invalid Authentication");
            }
            other => panic!("expected a domain cause, got {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("`wrongco`") && message.contains("`mocktest`"), "{message}");
        assert!(message.contains("1001"), "{message}");
        assert!(!err.is_retryable());
        assert_eq!(err.code(), Some(ErrorCode::InvalidAuthentication));
        assert_hidden(&err, TOKEN);
        // One refused call, one Environment_Get to tell the causes apart, no retry.
        assert_eq!(mock.calls("CompanyService.List_GetAll"), 1);
        assert_eq!(mock.environment_get_calls(), 1);
        mock.shutdown().await;
    })
    .await;
}

fn assert_credentials_cause(err: &Error) {
    assert!(
        matches!(err, Error::InvalidAuthentication { cause: AuthCause::Credentials, .. }),
        "expected a credentials cause, got {err:?}"
    );
    let message = err.to_string();
    for reason in ["deleted", "token was reset", "typo", "debtor level", "cannot see its own token", USERNAME] {
        assert!(message.contains(reason), "`{reason}` missing from: {message}");
    }
    assert!(!err.is_retryable());
    assert_hidden(err, BAD_TOKEN);
}

#[tokio::test]
async fn a_bad_token_names_the_token_causes_and_never_the_token() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();

        // Discovered domain: discovery itself is refused.
        let client = client_with_token(&mock, BAD_TOKEN, Domain::Discover);
        let err = client.employee().absence_get_list(100).await.unwrap_err();
        assert_credentials_cause(&err);
        assert_eq!(err.api_fault().unwrap().operation, "Environment_Get");
        assert_eq!(mock.environment_get_calls(), 1);
        assert_eq!(mock.calls("Absence_GetList"), 0);

        // Fixed domain: the call is refused, and Environment_Get refuses the pair too.
        mock.clear_requests();
        let client = client_with_token(&mock, BAD_TOKEN, Domain::Fixed(DOMAIN.into()));
        let err = client.debtor().list_get_all().await.unwrap_err();
        assert_credentials_cause(&err);
        assert_eq!(err.api_fault().unwrap().operation, "List_GetAll");
        assert_eq!((mock.calls("DebtorService.List_GetAll"), mock.environment_get_calls()), (1, 1));

        // Environment_Get called directly.
        let err = client.debtor().environment_get().await.unwrap_err();
        assert_credentials_cause(&err);

        // A wrong e-mail address is the same cause.
        let client =
            Client::builder(Credentials::new("someone@else.test", TOKEN), Environment::Custom(mock.base_url()))
                .build()
                .unwrap();
        let err = client.debtor().list_get_all().await.unwrap_err();
        assert!(matches!(err, Error::InvalidAuthentication { cause: AuthCause::Credentials, .. }), "{err:?}");
        assert_hidden(&err, TOKEN);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_callers_with_a_bad_token_share_one_refused_discovery() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = client_with_token(&mock, BAD_TOKEN, Domain::Discover);
        let mut tasks = JoinSet::new();
        for _ in 0..20 {
            let client = client.clone();
            tasks.spawn(async move { client.company().list_get_all().await });
        }
        while let Some(joined) = tasks.join_next().await {
            assert_credentials_cause(&joined.unwrap().unwrap_err());
        }
        assert_eq!(mock.environment_get_calls(), 1);
        // A later call asks again (the token may have been fixed on the server in between).
        client.company().list_get_all().await.unwrap_err();
        assert_eq!(mock.environment_get_calls(), 2);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_domain_changed_on_the_server_costs_one_rediscovery_and_one_retry() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        client.debtor().list_get_all().await.unwrap();
        assert_eq!(mock.environment_get_calls(), 1);

        mock.set_domain("movedco");
        mock.clear_requests();
        let debtors = client.debtor().list_get_all().await.unwrap();
        assert_eq!(debtors.len(), 2);
        assert_eq!(mock.environment_get_calls(), 1, "one rediscovery");
        assert_eq!(mock.calls("DebtorService.List_GetAll"), 2, "the refused call and one retry");
        let domains: Vec<_> = mock.requests().into_iter().map(|r| (r.operation, r.domain)).collect();
        assert_eq!(
            domains,
            vec![
                ("List_GetAll", Some(DOMAIN.to_owned())),
                ("Environment_Get", None),
                ("List_GetAll", Some("movedco".to_owned())),
            ]
        );
        assert_eq!(client.cached_domain().as_deref(), Some("movedco"));

        // Later calls use the new domain directly.
        client.company().list_get_all().await.unwrap();
        assert_eq!(mock.environment_get_calls(), 1);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_domain_change_seen_by_many_callers_is_rediscovered_once() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        assert_eq!(client.domain().await.unwrap(), DOMAIN);
        mock.set_domain("elsewhere");
        mock.clear_requests();
        let mut tasks = JoinSet::new();
        for _ in 0..30 {
            let client = client.clone();
            tasks.spawn(async move { client.company().list_get_all().await });
        }
        while let Some(joined) = tasks.join_next().await {
            joined.unwrap().unwrap();
        }
        assert_eq!(mock.environment_get_calls(), 1);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn protected_mode_is_a_typed_error_and_not_retried() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        mock.set_protected_mode(true);
        let employee = client.employee();
        let info = employee.personal_info_get_current(100).await.unwrap();
        let err = employee.personal_info_update_current(100, Some(info)).await.unwrap_err();
        let Error::Api(fault) = &err else { panic!("expected an API fault, got {err:?}") };
        assert_eq!(fault.code, Some(ErrorCode::ProtectedMode));
        assert_eq!(fault.operation, "PersonalInfo_UpdateCurrent");
        assert!(fault.text.starts_with("System.Web.Services.Protocols.SoapException: Server was unable to process"));
        assert!(err.to_string().contains("2011") && err.to_string().contains("UnprotectedMode"), "{err}");
        assert!(!err.is_retryable());
        assert_eq!(mock.calls("PersonalInfo_UpdateCurrent"), 1);
        assert_eq!(mock.environment_get_calls(), 1);

        // UnprotectedMode=true lets an insert through (built as the request struct, sent raw).
        let employee = employee.raw();
        let insert = |unprotected_mode| es::EmployeeInsert {
            first_name: Some("Lotte".into()),
            last_name: Some("Smit".into()),
            start_date: soapbind::soap::xml::DateTime::default(),
            company_id: 20,
            unprotected_mode,
        };
        let err = employee.employee_insert(insert(false)).await.unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::ProtectedMode));
        let id = employee.employee_insert(insert(true)).await.unwrap().employee_insert_result;
        assert!(id > 0);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn an_auth_header_without_domain_is_accepted_and_a_wrong_one_refused() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let endpoint = Endpoint::new(format!("{}CompanyService.asmx", mock.base_url())).unwrap();
        let header = |domain: Option<&str>| cs::AuthHeaderWithDomain {
            username: Some(USERNAME.into()),
            token: Some(TOKEN.into()),
            domain: domain.map(str::to_owned),
        };
        let plain = |domain| {
            let caller = PlainCaller::new(soapbind::soap::Client::new().unwrap(), endpoint.clone(), SoapVersion::V11)
                .with_header(header(domain));
            cs::CompanyServiceClient::new(caller)
        };
        let companies = plain(None).list_get_all().await.unwrap();
        assert_eq!(companies.len(), 3);
        plain(Some("MOCKTEST")).list_get_all().await.unwrap();
        let err = plain(Some("other")).list_get_all().await.unwrap_err();
        let err = Error::from(err);
        assert_eq!(err.code(), Some(ErrorCode::InvalidAuthentication));
        mock.shutdown().await;
    })
    .await;
}
