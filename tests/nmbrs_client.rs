//! The Nmbrs client over real HTTP against the mock service on 127.0.0.1: typed listings,
//! domain discovery by one call for many concurrent callers, SOAP 1.1 and 1.2, the header each
//! operation declares, updates that persist, and single sign-on.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use std::future::Future;
use std::time::Duration;

use soapbind::mock::nmbrs::{MockNmbrs, DOMAIN};
use soapbind::nmbrs::generated::{company_service as cs, employee_service as es};
use soapbind::nmbrs::{login_url, Client, Domain, Environment, Error};
use soapbind::soap::xml::Decimal;
use soapbind::soap::SoapVersion;
use tokio::task::JoinSet;

/// Fails a test that hangs instead of letting it run forever (not a speed assertion).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(120), f).await.expect("the test hung")
}

fn ns(service: &str) -> String {
    format!("https://api.nmbrs.nl/soap/v3/{service}")
}

async fn list_everything(client: &Client) -> Vec<(String, String, Vec<es::Employee>)> {
    let mut out = Vec::new();
    for debtor in client.debtor().list_get_all().await.unwrap() {
        for company in client.company().list_get_by_debtor(debtor.id).await.unwrap() {
            let employees = client.employee().list_get_by_company(company.id, 1).await.unwrap();
            out.push((debtor.name.clone().unwrap(), company.name.clone().unwrap(), employees));
        }
    }
    out
}

#[tokio::test]
async fn lists_debtors_companies_and_employees_with_typed_values() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();

        let tree = list_everything(&client).await;
        let summary: Vec<_> =
            tree.iter().map(|(d, c, e)| (d.as_str(), c.as_str(), e.iter().map(|e| e.id).collect::<Vec<_>>())).collect();
        assert_eq!(
            summary,
            vec![
                ("Acme Holding", "Acme Software B.V.", vec![100, 101]),
                ("Acme Holding", "Acme Services B.V.", vec![102]),
                ("Beta Groep", "Beta Bouw B.V.", vec![200]),
            ]
        );
        assert_eq!(tree[0].2[0].display_name.as_deref(), Some("Jansen, Eva"));

        let companies = client.company().list_get_all().await.unwrap();
        let acme = &companies[0];
        assert_eq!((acme.id, acme.number), (10, 1));
        assert_eq!(acme.loonaangifte_tijdvak, cs::LoonaangifteTijdvak::Month);
        assert_eq!(companies[1].loonaangifte_tijdvak, cs::LoonaangifteTijdvak::Week4);

        let employee = client.employee();
        let info = employee.personal_info_get_current(100).await.unwrap();
        assert_eq!(info.first_name.as_deref(), Some("Eva"));
        assert_eq!(info.gender, Some(es::Gender::Female));
        let birthday = info.birthday.unwrap();
        assert_eq!(birthday.to_string(), "1990-04-12T00:00:00");
        assert_eq!(birthday.zone.offset(), None); // offset-less, as ASMX writes it

        let salary = employee.salary_get_current(100).await.unwrap();
        assert_eq!(salary.value, "4250.00".parse::<Decimal>().unwrap());
        assert_eq!(salary.r#type, es::SalaryType::BrutoSalarisFulltime);
        let hourly = employee.salary_get_current(102).await.unwrap();
        assert_eq!(hourly.value, Decimal::new(2275, 2));

        let schedule = employee.schedule_get_current(101).await.unwrap();
        assert_eq!(schedule.hours_monday, Decimal::from(8));
        assert_eq!(schedule.hours_friday, Decimal::ZERO);
        assert_eq!(schedule.parttime_percentage, Decimal::from(80));

        let absences = employee.absence_get_list(100).await.unwrap();
        assert_eq!(absences.len(), 1);
        assert_eq!(absences[0].percentage, 100);
        assert_eq!(absences[0].comment.as_deref(), Some("Griep"));
        assert_eq!(absences[0].end.unwrap().to_string(), "2024-03-08T00:00:00");

        // Domain discovered once for all of these calls.
        assert_eq!(mock.environment_get_calls(), 1);
        assert_eq!(client.cached_domain().as_deref(), Some(DOMAIN));
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_hundred_concurrent_first_calls_cause_one_environment_get() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        let mut tasks = JoinSet::new();
        for i in 0..100 {
            let client = client.clone();
            tasks.spawn(async move {
                match i % 3 {
                    0 => client.debtor().list_get_all().await.map(|_| ()),
                    1 => client.company().list_get_all().await.map(|_| ()),
                    _ => client.employee().list_get_by_company(10, 1).await.map(|_| ()),
                }
            });
        }
        while let Some(joined) = tasks.join_next().await {
            joined.expect("task panicked").expect("a call failed");
        }
        assert_eq!(mock.environment_get_calls(), 1);
        let requests = mock.requests();
        assert_eq!(requests.len(), 101);
        assert!(requests
            .iter()
            .filter(|r| r.operation != "Environment_Get")
            .all(|r| r.domain.as_deref() == Some(DOMAIN)));
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn soap_11_and_12_both_work() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        for version in [SoapVersion::V11, SoapVersion::V12] {
            mock.clear_requests();
            let client = mock.client_builder().soap_version(version).build().unwrap();
            assert_eq!(client.soap_version(), version);
            let tree = list_everything(&client).await;
            assert_eq!(tree.len(), 3);
            let requests = mock.requests();
            assert!(requests.len() > 4);
            assert!(requests.iter().all(|r| r.version == version), "{version:?}: {requests:?}");
        }
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn each_operation_gets_its_declared_header_in_its_service_namespace() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        client.employee().list_get_by_company(10, 1).await.unwrap();
        client.company().list_get_all().await.unwrap();
        client.debtor().list_get_all().await.unwrap();
        let env = client.debtor().environment_get().await.unwrap();
        assert_eq!(env.sub_domain.as_deref(), Some(DOMAIN));
        client.single_sign_on().login().await.unwrap();

        let seen: Vec<_> = mock
            .requests()
            .into_iter()
            .map(|r| (format!("{}.{}", r.service, r.operation), r.headers, r.domain))
            .collect();
        let with_domain = |service: &str| vec![format!("{{{}}}AuthHeaderWithDomain", ns(service))];
        let plain = vec![format!("{{{}}}AuthHeader", ns("DebtorService"))];
        let domain = Some(DOMAIN.to_owned());
        assert_eq!(
            seen,
            vec![
                ("DebtorService.Environment_Get".to_owned(), plain.clone(), None),
                ("EmployeeService.List_GetByCompany".to_owned(), with_domain("EmployeeService"), domain.clone()),
                ("CompanyService.List_GetAll".to_owned(), with_domain("CompanyService"), domain.clone()),
                ("DebtorService.List_GetAll".to_owned(), with_domain("DebtorService"), domain.clone()),
                ("DebtorService.Environment_Get".to_owned(), plain, None),
                ("SingleSignOn.GetToken2".to_owned(), vec![], None),
            ]
        );
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn a_fixed_domain_needs_no_discovery() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client_builder().domain(Domain::Fixed(DOMAIN.into())).build().unwrap();
        assert_eq!(list_everything(&client).await.len(), 3);
        assert_eq!(mock.environment_get_calls(), 0);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn clients_can_share_one_soap_client() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let soap = soapbind::soap::Client::new().unwrap();
        let a = mock.client_builder().soap_client(soap.clone()).build().unwrap();
        let b = mock.client_builder().soap_client(soap).soap_version(SoapVersion::V12).build().unwrap();
        a.debtor().list_get_all().await.unwrap();
        b.debtor().list_get_all().await.unwrap();
        // Separate clients keep separate authentication state.
        assert_eq!(mock.environment_get_calls(), 2);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn personal_info_updates_persist() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        let employee = client.employee();
        let mut info = employee.personal_info_get_current(101).await.unwrap();
        info.nickname = Some("Jantje & co <3".into());
        info.telephone_work = Some("+31 20 123 4567".into());
        info.display_name = Some("Bakker, Jantje".into());
        employee.personal_info_update_current(101, Some(info.clone())).await.unwrap();

        let again = employee.personal_info_get_current(101).await.unwrap();
        assert_eq!(again, info);
        assert_eq!(mock.personal_info(101).unwrap().nickname.as_deref(), Some("Jantje & co <3"));
        let list = employee.list_get_by_company(10, 1).await.unwrap();
        let names: Vec<_> = list.into_iter().filter_map(|e| e.display_name).collect();
        assert_eq!(names, ["Jansen, Eva", "Bakker, Jantje"]);
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn unknown_ids_and_unimplemented_operations_are_typed_faults() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        let err = client.employee().personal_info_get_current(999).await.unwrap_err();
        assert_eq!(err.code(), Some(soapbind::nmbrs::ErrorCode::UnauthorizedEmployee), "{err}");
        assert!(!err.is_retryable());

        let err = client.company().cost_center_get_list(10).await.unwrap_err();
        let Error::Api(fault) = &err else { panic!("expected an API fault, got {err:?}") };
        assert_eq!(fault.code, None);
        assert_eq!(fault.operation, "CostCenter_GetList");
        assert!(fault.title.contains("CompanyService.CostCenter_GetList is not implemented"), "{err}");
        assert!(fault.fault.is_server());
        mock.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn single_sign_on_login_gives_a_30_second_token_and_url() {
    bounded(async {
        let mock = MockNmbrs::start().await.unwrap();
        let client = mock.client().unwrap();
        let login = client.single_sign_on().login().await.unwrap();
        assert_eq!(mock.sso_tokens(), vec![login.token().expose().to_owned()]);
        assert_eq!(login.domain(), DOMAIN);
        assert!(!login.is_expired());
        let remaining = login.expires_at() - tokio::time::Instant::now();
        assert!(remaining <= Duration::from_secs(30), "{remaining:?}");
        // The mock's environment is custom: no known web host, so a typed error; on a host it works.
        assert!(matches!(login.url(), Err(Error::InvalidConfig { what: "environment", .. })));
        let url = login.url_on_host("mocktest.nmbrs.nl").unwrap();
        let expected = format!(
            "https://mocktest.nmbrs.nl/applications/common/externalactions.aspx?login=nmbrs&ID={}",
            login.token().expose()
        );
        assert_eq!(url.expose(), expected);
        let sandbox = login_url(&Environment::Sandbox, login.domain(), login.token()).unwrap();
        assert!(sandbox.expose().starts_with("https://mocktest.nmbrs-sandbox.nl/applications/common/"));
        assert!(!format!("{login:?}").contains(login.token().expose()));
        mock.shutdown().await;
    })
    .await;
}
