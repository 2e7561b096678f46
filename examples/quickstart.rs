//! A realistic Nmbrs + Data Zoo integration, start to finish.
//!
//! `cargo run --example quickstart` needs no configuration: it starts the embedded mock services
//! on 127.0.0.1 and walks through discovering the Nmbrs domain, listing debtors, companies and
//! employees, reading and updating one employee, running a background report, logging in to
//! Data Zoo and verifying an identity — and shows the two failure modes the crate was built
//! for: a wrong Nmbrs domain diagnosed as such (error 1001), and a Data Zoo token invalidated
//! by another login, renewed once with the call still succeeding.
//!
//! With `NMBRS_USERNAME` and `NMBRS_TOKEN` set (optionally `NMBRS_DOMAIN`, and `NMBRS_ENV=sandbox`
//! or `sweden`), the Nmbrs part talks to the real service instead; with `DATAZOO_USERNAME` and
//! `DATAZOO_PASSWORD` set (optionally `DATAZOO_ENDPOINT`), the Data Zoo part logs in to the real
//! service. Against real services the example only reads.

use std::error::Error;
use std::time::Duration;

use chrono::NaiveDate;
use soapbind::datazoo::{self, DataSource, LoginMethod, Verification};
use soapbind::mock::datazoo::{MockDataZoo, KNOWN_IDENTITIES};
use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::nmbrs::generated::report_service::ReportsGetJournalsReportByCompanyBackground;
use soapbind::nmbrs::{self, AuthCause, Credentials, Domain, Environment, PollOptions};
use soapbind::types::Decimal;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // Display, not Debug: the error says what failed and where, in words.
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    match nmbrs_from_env()? {
        Some(client) => nmbrs_read_only(&client).await?,
        None => nmbrs_walkthrough().await?,
    }
    match datazoo_from_env()? {
        Some(client) => datazoo_read_only(&client).await?,
        None => datazoo_walkthrough().await?,
    }
    println!("\nquickstart finished: every step succeeded");
    Ok(())
}

fn step(api: &str, text: impl std::fmt::Display) {
    println!("[{api}] {text}");
}

// ----- Nmbrs ------------------------------------------------------------------------------------

fn nmbrs_from_env() -> Result<Option<nmbrs::Client>> {
    if std::env::var_os("NMBRS_USERNAME").is_none() && std::env::var_os("NMBRS_TOKEN").is_none() {
        return Ok(None);
    }
    let credentials = Credentials::from_env()?;
    let environment = match std::env::var("NMBRS_ENV").as_deref() {
        Ok("sandbox") => Environment::Sandbox,
        Ok("sweden") => Environment::Sweden,
        _ => Environment::Production,
    };
    let domain = std::env::var("NMBRS_DOMAIN").map_or(Domain::Discover, Domain::Fixed);
    Ok(Some(nmbrs::Client::builder(credentials, environment).domain(domain).build()?))
}

/// Against the real Nmbrs: discovery and listings only.
async fn nmbrs_read_only(client: &nmbrs::Client) -> Result<()> {
    step("nmbrs", format!("talking to the real service at {}", client.environment().base_url()));
    step("nmbrs", format!("domain: {}", client.domain().await?));
    let debtors = client.debtor().list_get_all().await?;
    step("nmbrs", format!("debtors: {}", debtors.len()));
    let companies = client.company().list_get_all().await?;
    step("nmbrs", format!("companies: {}", companies.len()));
    if let Some(company) = companies.first() {
        let count = client.employee().list_get_by_company(company.id, 1).await?.len();
        step("nmbrs", format!("employees of {}: {count}", company.name.as_deref().unwrap_or("?")));
    }
    Ok(())
}

/// Against the embedded mock: the whole integration, and error 1001 on a wrong domain.
async fn nmbrs_walkthrough() -> Result<()> {
    let mock = MockNmbrs::start().await?;
    step("nmbrs", format!("mock Nmbrs service at {}", mock.base_url()));
    let client = mock.client()?;

    let domain = client.domain().await?;
    step("nmbrs", format!("ok: domain discovered with Environment_Get: {domain}"));

    let debtors = client.debtor().list_get_all().await?;
    step("nmbrs", format!("ok: {} debtors", debtors.len()));
    let mut first_company = None;
    for debtor in &debtors {
        let companies = client.company().list_get_by_debtor(debtor.id).await?;
        let names: Vec<_> = companies.iter().filter_map(|c| c.name.as_deref()).collect();
        step(
            "nmbrs",
            format!("   debtor {} {:?}: companies {names:?}", debtor.id, debtor.name.as_deref().unwrap_or("")),
        );
        first_company = first_company.or(companies.into_iter().next());
    }
    let company = first_company.ok_or("the mock has no companies")?;
    step("nmbrs", format!("ok: companies listed; using {:?}", company.name.as_deref().unwrap_or("")));

    let employees = client.employee().list_get_by_company(company.id, 1).await?;
    for e in &employees {
        step("nmbrs", format!("   employee {} {}", e.id, e.display_name.as_deref().unwrap_or("")));
    }
    let employee = employees.first().ok_or("the company has no employees")?;
    step("nmbrs", format!("ok: {} employees listed", employees.len()));

    let mut current = client.employee().personal_info_get_current(employee.id).await?;
    step(
        "nmbrs",
        format!(
            "ok: personal info read: {} {} (born {})",
            current.first_name.as_deref().unwrap_or(""),
            current.last_name.as_deref().unwrap_or(""),
            current.birthday.map(|b| b.to_string()).unwrap_or_default()
        ),
    );
    current.nickname = Some("Evie".to_owned());
    client.employee().personal_info_update_current(employee.id, Some(current)).await?;
    let again = client.employee().personal_info_get_current(employee.id).await?;
    let nickname = again.nickname.unwrap_or_default();
    step("nmbrs", format!("ok: personal info updated and read back: nickname {nickname:?}"));

    payroll_month(&client, company.id, employee.id).await?;

    let request = ReportsGetJournalsReportByCompanyBackground {
        company_id: company.id,
        start_period: 1,
        end_period: 12,
        year: 2024,
    };
    let options = PollOptions::default().initial_interval(Duration::from_millis(50));
    let report = client.report().run(request, &options).await?;
    step(
        "nmbrs",
        format!(
            "ok: background report {} finished after {} polls ({} bytes)",
            report.task_id,
            report.polls,
            report.content.len()
        ),
    );

    // Seed 1: error 1001 because of a wrong domain, diagnosed as such.
    let wrong = mock.client_builder().domain(Domain::Fixed("payroll-old".into())).build()?;
    match wrong.debtor().list_get_all().await {
        Err(nmbrs::Error::InvalidAuthentication { cause: AuthCause::Domain { configured, actual }, .. }) => {
            step(
                "nmbrs",
                format!("ok: error 1001 diagnosed: the domain is wrong (configured {configured}, actual {actual})"),
            );
        }
        Err(other) => return Err(format!("expected a wrong-domain diagnosis, got: {other}").into()),
        Ok(_) => return Err("a wrong domain was accepted".into()),
    }
    mock.shutdown().await;
    Ok(())
}

/// A payroll month for one employee: bank account, contract, a fixed and a variable wage
/// component and hours, read back, then the run's payslips show the amounts.
async fn payroll_month(client: &nmbrs::Client, company_id: i32, employee_id: i32) -> Result<()> {
    let employee = client.employee();
    let account = es::BankAccount { iban: Some("NL91ABNA0417164300".into()), ..Default::default() };
    employee.bank_account_insert_current(employee_id, Some(account)).await?;
    let contract = es::ContractV2 { employement_type: 1, indefinite: Some(true), ..Default::default() };
    employee.contract_insert_current_period_v2(employee_id, Some(contract)).await?;
    let accounts = employee.bank_account_get_list_current(employee_id).await?;
    let contracts = employee.contract_get_all_v2(employee_id).await?;
    step("nmbrs", format!("ok: payroll: {} bank accounts, {} contracts", accounts.len(), contracts.len()));

    let fixed = es::WageComponentFixedInsertCurrentWageComponent {
        code: 1021,
        value: Decimal::new(15_000, 2),
        ..Default::default()
    };
    employee.wage_component_fixed_insert_current(employee_id, Some(fixed)).await?;
    let variable = es::WageComponentVarInsertCurrentWageComponent {
        code: 1180,
        value: Decimal::new(4_250, 2),
        ..Default::default()
    };
    employee.wage_component_var_insert_current(employee_id, Some(variable)).await?;
    let hours = es::HourComponent { hour_code: 2, hours: Decimal::new(8, 0), ..Default::default() };
    employee.hour_component_var_insert_current(employee_id, Some(hours)).await?;
    let fixed = employee.wage_component_fixed_get_current(employee_id).await?;
    let variable = employee.wage_component_var_get_current(employee_id).await?;
    let hours = employee.hour_component_var_get_current(employee_id).await?;
    let show = |c: &es::WageComponent| format!("code {} {}", c.code, c.value);
    step(
        "nmbrs",
        format!(
            "ok: payroll: wage components fixed [{}], variable [{}]; {} hour(s) entered",
            fixed.iter().map(show).collect::<Vec<_>>().join(", "),
            variable.iter().map(show).collect::<Vec<_>>().join(", "),
            hours.iter().map(|h| h.hours).sum::<Decimal>()
        ),
    );

    let run = client.company().run_get_list(company_id, 2024).await?.into_iter().next().ok_or("no payroll run")?;
    let payslips = client.company().reports_get_payslip_by_run_company_v2(company_id, run.id, 2024).await?;
    let payslips = payslips.ok_or("no payslip report")?;
    let lines = payslips.matches("<Line ").count();
    step("nmbrs", format!("ok: payroll: payslips of run {} read ({lines} lines, {} bytes)", run.id, payslips.len()));
    Ok(())
}

// ----- Data Zoo ---------------------------------------------------------------------------------

fn datazoo_from_env() -> Result<Option<datazoo::Client>> {
    let (Ok(user), Ok(password)) = (std::env::var("DATAZOO_USERNAME"), std::env::var("DATAZOO_PASSWORD")) else {
        return Ok(None);
    };
    let endpoint = std::env::var("DATAZOO_ENDPOINT").unwrap_or_else(|_| "https://svc.datazoo.co.nz/".to_owned());
    let client = datazoo::Client::builder()
        .credentials(datazoo::Credentials::new(user, password))
        .endpoint(endpoint)
        .login_method(LoginMethod::RestJson)
        .build()?;
    Ok(Some(client))
}

/// Against the real Data Zoo: log in and list the data sources the account may use.
async fn datazoo_read_only(client: &datazoo::Client) -> Result<()> {
    let session = client.session().await?;
    for country in session.countries() {
        step("datazoo", format!("{}: {}", country.country, country.data_sources.join(", ")));
    }
    Ok(())
}

/// Against the embedded mock: login, verification, and a token invalidated by another login.
async fn datazoo_walkthrough() -> Result<()> {
    let mock = MockDataZoo::start().await?;
    step("datazoo", format!("mock Data Zoo service at {} (REST at {})", mock.base_url(), mock.rest_base_url()));
    let builder = || mock.client_builder();
    let client = builder().login_method(LoginMethod::RestJson).build()?;

    let session = client.session().await?;
    let sources: Vec<_> = session.data_source_names().collect();
    step("datazoo", format!("ok: logged in (REST JSON); {} data sources, e.g. {:?}", sources.len(), sources.first()));

    let person = KNOWN_IDENTITIES[0];
    let verification = Verification::new()
        .first_name(person.first_name)
        .last_name(person.last_name)
        .date_of_birth(NaiveDate::parse_from_str(person.date_of_birth, "%Y-%m-%d")?)
        .data_source(DataSource::new("Australian Residential").consent_obtained(true));
    let result = client.verify(&verification).await?;
    step("datazoo", format!("ok: identity verified: {} ({} source results)", result.status, result.sources.len()));

    // Seed 2: another process logs in with the same account, which invalidates our token.
    let other = builder().login_method(LoginMethod::Soap).build()?;
    other.session().await?;
    let before = mock.authentications();
    let result = client.verify(&verification).await?;
    let renewals = mock.authentications() - before;
    step(
        "datazoo",
        format!(
            "ok: token invalidated by another login was renewed {renewals} time(s); the call still succeeded: {}",
            result.status
        ),
    );
    Ok(())
}
