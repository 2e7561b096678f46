//! A loopback Data Zoo service (features `mock` and `datazoo`): SOAP `Authenticate` and `Verify`,
//! the REST JSON and XML logins, and Data Zoo's token rules.
//!
//! - Every login issues a new GUID token, valid for 24 hours by the server's clock (tokio's, so a
//!   test can pause and advance it), and revokes the user's previous token.
//! - `Verify` with an unknown, revoked or expired token answers "Invalid Token", as a SOAP fault
//!   or in `VerifyResult/Message` ([`MockDataZoo::set_invalid_token_style`]).
//! - A valid `Verify` answers per data source: status 0 for the [known test
//!   identities](KNOWN_IDENTITIES), 1 when the name matches one but the date of birth does not, 2
//!   otherwise, 3 for a data source the account may not use; -1 without a data source or a
//!   last or full name.
//! - `GET ?WSDL` serves the contract.
//!
//! ```no_run
//! use soapbind::mock::datazoo::MockDataZoo;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockDataZoo::start().await?;
//! let client = mock.client()?;
//! client.session().await?;
//! assert_eq!(mock.authentications(), 1);
//! # Ok(()) }
//! ```

#![cfg(feature = "datazoo")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::wire;
use crate::datazoo::generated::data_zoo::{
    self as dz, AuthenticateResponse, Criteria, DataSourceResult, DataSourceV27, SessionResult, VerifyResponse,
    VerifyResult,
};
use crate::datazoo::generated::rest_models::{LoginRequestModel, LoginResponseCountryModel, LoginResponseModel};
use crate::soap::xml::{Element, XmlReader, XmlWriter};
use crate::soap::SoapVersion;

/// The test account's user name.
pub const USER_NAME: &str = "zoo-tester";

/// The test account's password.
pub const PASSWORD: &str = "Tr0ub4dor&3-zoo";

/// How long a token is valid: 24 hours.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The contract served at `?WSDL`.
pub const WSDL: &str = include_str!("../../wsdl/datazoo/DataZoo.wsdl");

/// The data sources of the test account, per country.
pub const DATA_SOURCES: &[(&str, &[&str])] = &[
    ("Australia", &["Australian Third Party Datasets", "Australian Experian", "Australian Residential"]),
    ("New Zealand", &["New Zealand Driver Licence", "New Zealand Companies Office"]),
];

/// A person the mock finds: first name, last name (both compared without regard to case) and
/// date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestIdentity {
    /// `FirstName`.
    pub first_name: &'static str,
    /// `LastName`.
    pub last_name: &'static str,
    /// `DateOfBirth`, `YYYY-MM-DD`.
    pub date_of_birth: &'static str,
}

impl TestIdentity {
    /// A verification of this person (name and date of birth) against `Australian Residential`,
    /// consent obtained: a full match at the mock.
    ///
    /// ```
    /// use soapbind::mock::datazoo::KNOWN_IDENTITIES;
    ///
    /// let verification = KNOWN_IDENTITIES[0].verification();
    /// assert_eq!(verification.data_sources()[0].name(), "Australian Residential");
    /// ```
    pub fn verification(&self) -> crate::datazoo::Verification {
        let date_of_birth = chrono::NaiveDate::parse_from_str(self.date_of_birth, "%Y-%m-%d")
            .expect("the mock's identities have valid dates of birth");
        crate::datazoo::Verification::new()
            .first_name(self.first_name)
            .last_name(self.last_name)
            .date_of_birth(date_of_birth)
            .data_source(crate::datazoo::DataSource::new("Australian Residential").consent_obtained(true))
    }
}

/// The identities every data source of the mock knows; the first is the one of the published
/// sample.
pub const KNOWN_IDENTITIES: &[TestIdentity] = &[
    TestIdentity { first_name: "Test", last_name: "TESTING", date_of_birth: "1980-01-01" },
    TestIdentity { first_name: "Jane", last_name: "Citizen", date_of_birth: "1975-05-17" },
];

/// How the mock says "Invalid Token".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvalidTokenStyle {
    /// A SOAP fault (`Sender`/`Client`) with reason `Invalid Token` and HTTP 500.
    #[default]
    Fault,
    /// A normal reply with `VerifyResult/Status` -1 and `Message` `Invalid Token`.
    Message,
}

/// A running mock Data Zoo service on 127.0.0.1; stops when dropped.
#[derive(Debug)]
pub struct MockDataZoo {
    addr: SocketAddr,
    state: Arc<MockState>,
    server: JoinHandle<()>,
}

#[derive(Debug)]
struct MockState {
    /// The SOAP endpoint, for the address in the served WSDL.
    base_url: String,
    accounts: Mutex<HashMap<String, Account>>,
    issued: Mutex<Vec<String>>,
    style: Mutex<InvalidTokenStyle>,
    authentications: AtomicU64,
    failed_logins: AtomicU64,
    verifications: AtomicU64,
    invalid_token_replies: AtomicU64,
    /// While `true`, `Verify` requests wait after arriving, before their token is checked.
    hold: watch::Sender<bool>,
    /// While `true`, logins (SOAP and REST) wait after arriving, before they are checked.
    hold_logins: watch::Sender<bool>,
}

/// Data source names per country.
type Countries = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone)]
struct Account {
    password: String,
    countries: Countries,
    /// The only valid token of the user and when it was issued.
    token: Option<(String, Instant)>,
}

impl Drop for MockDataZoo {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl MockDataZoo {
    /// Starts the service on `127.0.0.1` with an ephemeral port and the test account
    /// ([`USER_NAME`], [`PASSWORD`], [`DATA_SOURCES`]).
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(MockState {
            base_url: format!("http://{addr}/DataZoo.asmx"),
            accounts: Mutex::new(HashMap::new()),
            issued: Mutex::new(Vec::new()),
            style: Mutex::new(InvalidTokenStyle::default()),
            authentications: AtomicU64::new(0),
            failed_logins: AtomicU64::new(0),
            verifications: AtomicU64::new(0),
            invalid_token_replies: AtomicU64::new(0),
            hold: watch::Sender::new(false),
            hold_logins: watch::Sender::new(false),
        });
        let router = Router::new()
            .route("/DataZoo.asmx", get(wsdl).post(soap))
            .route("/api/Authenticate.json", post(rest_json))
            .route("/api/Authenticate.xml", post(rest_xml))
            .with_state(state.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        let mock = Self { addr, state, server };
        mock.add_user(USER_NAME, PASSWORD);
        Ok(mock)
    }

    /// A client builder for this mock: its SOAP endpoint, its REST base URL and the credentials
    /// of its built-in user ([`USER_NAME`], [`PASSWORD`]), other settings default.
    pub fn client_builder(&self) -> crate::datazoo::ClientBuilder {
        crate::datazoo::Client::builder()
            .credentials(crate::datazoo::Credentials::new(USER_NAME, PASSWORD))
            .endpoint(self.base_url())
            .rest_base_url(self.rest_base_url())
    }

    /// A client for this mock with the defaults.
    ///
    /// # Errors
    /// As [`ClientBuilder::build`](crate::datazoo::ClientBuilder::build).
    pub fn client(&self) -> Result<crate::datazoo::Client, crate::datazoo::Error> {
        self.client_builder().build()
    }

    /// The SOAP endpoint, `http://127.0.0.1:<port>/DataZoo.asmx`.
    pub fn base_url(&self) -> String {
        format!("http://{}/DataZoo.asmx", self.addr)
    }

    /// The REST base URL, `http://127.0.0.1:<port>`; the logins are under `/api/`.
    pub fn rest_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the service listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Adds (or resets) an account with the data sources of [`DATA_SOURCES`].
    pub fn add_user(&self, user_name: &str, password: &str) {
        let countries =
            DATA_SOURCES.iter().map(|(c, s)| ((*c).to_owned(), s.iter().map(|s| (*s).to_owned()).collect())).collect();
        self.state
            .accounts()
            .insert(user_name.to_owned(), Account { password: password.to_owned(), countries, token: None });
    }

    /// Selects how "Invalid Token" is answered from now on.
    pub fn set_invalid_token_style(&self, style: InvalidTokenStyle) {
        *lock(&self.state.style) = style;
    }

    /// Successful logins so far, over any protocol, including [`issue_token`](Self::issue_token).
    pub fn authentications(&self) -> u64 {
        self.state.authentications.load(Ordering::SeqCst)
    }

    /// Logins refused for a wrong user name or password.
    pub fn failed_logins(&self) -> u64 {
        self.state.failed_logins.load(Ordering::SeqCst)
    }

    /// `Verify` calls received (valid or not).
    pub fn verifications(&self) -> u64 {
        self.state.verifications.load(Ordering::SeqCst)
    }

    /// `Verify` calls answered with "Invalid Token".
    pub fn invalid_token_replies(&self) -> u64 {
        self.state.invalid_token_replies.load(Ordering::SeqCst)
    }

    /// Holds `Verify` requests from now on: each is counted in
    /// [`verifications`](Self::verifications) when it arrives, then waits, before its token is
    /// checked, until [`release_verifications`](Self::release_verifications). Lets a test have
    /// calls in flight while something else happens (e.g. another client signs in).
    pub fn hold_verifications(&self) {
        self.state.hold.send_replace(true);
    }

    /// Lets held and later `Verify` requests proceed.
    pub fn release_verifications(&self) {
        self.state.hold.send_replace(false);
    }

    /// Holds logins (SOAP and REST) from now on, before they are checked, until
    /// [`release_logins`](Self::release_logins). Lets a test queue callers behind a login.
    pub fn hold_logins(&self) {
        self.state.hold_logins.send_replace(true);
    }

    /// Lets held and later logins proceed.
    pub fn release_logins(&self) {
        self.state.hold_logins.send_replace(false);
    }

    /// Signs `user_name` in as another client would: issues a new token and revokes the previous
    /// one. Returns the new token, or `None` for an unknown user.
    pub fn issue_token(&self, user_name: &str) -> Option<String> {
        self.state.issue(user_name)
    }

    /// The user's currently valid token, if any (expired tokens included until replaced).
    pub fn current_token(&self, user_name: &str) -> Option<String> {
        self.state.accounts().get(user_name).and_then(|a| a.token.as_ref().map(|(t, _)| t.clone()))
    }

    /// Every token issued so far, oldest first.
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.state.issued).clone()
    }
}

/// Waits while `hold` is `true`.
async fn wait_unheld(hold: &watch::Sender<bool>) {
    let mut hold = hold.subscribe();
    let _ = hold.wait_for(|held| !held).await;
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl MockState {
    fn accounts(&self) -> MutexGuard<'_, HashMap<String, Account>> {
        lock(&self.accounts)
    }

    /// Checks the password and issues a token; `None` when refused.
    fn login(&self, user_name: &str, password: &str) -> Option<(String, Countries)> {
        let countries = {
            let accounts = self.accounts();
            match accounts.get(user_name) {
                Some(account) if account.password == password => account.countries.clone(),
                _ => {
                    self.failed_logins.fetch_add(1, Ordering::SeqCst);
                    return None;
                }
            }
        };
        self.issue(user_name).map(|token| (token, countries))
    }

    fn issue(&self, user_name: &str) -> Option<String> {
        let token = uuid::Uuid::new_v4().to_string().to_ascii_uppercase();
        let mut accounts = self.accounts();
        let account = accounts.get_mut(user_name)?;
        account.token = Some((token.clone(), Instant::now()));
        self.authentications.fetch_add(1, Ordering::SeqCst);
        lock(&self.issued).push(token.clone());
        Some(token)
    }

    /// The account's data sources if `token` is the user's current, unexpired token.
    fn check(&self, user_name: &str, token: &str) -> Option<Vec<String>> {
        let accounts = self.accounts();
        let account = accounts.get(user_name)?;
        let (current, issued) = account.token.as_ref()?;
        let valid = current == token && Instant::now().saturating_duration_since(*issued) < TOKEN_LIFETIME;
        valid.then(|| account.countries.iter().flat_map(|(_, s)| s.iter().cloned()).collect())
    }
}

// ------------------------------------------------------------------------------------------------
// SOAP

fn read_body<B: Element>(version: SoapVersion, body: &[u8]) -> Result<B, Box<Response>> {
    wire::read_body::<B>(body)
        .map_err(|e| Box::new(wire::fault(version, true, &format!("Server was unable to read request. {e}"))))
}

/// `GET ?WSDL`: the contract, with the address pointing at the mock.
async fn wsdl(State(state): State<Arc<MockState>>, RawQuery(query): RawQuery) -> Response {
    if query.is_some_and(|q| q.eq_ignore_ascii_case("wsdl")) {
        let wsdl = WSDL.replace("location=\"https://svc.datazoo.co.nz/\"", &format!("location=\"{}\"", state.base_url));
        ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], wsdl).into_response()
    } else {
        (StatusCode::NOT_FOUND, "GET ?WSDL for the contract; POST SOAP requests").into_response()
    }
}

async fn soap(State(state): State<Arc<MockState>>, headers: HeaderMap, body: Bytes) -> Response {
    let info = match wire::request_info(&headers) {
        Ok(info) => info,
        Err(reason) => return (StatusCode::UNSUPPORTED_MEDIA_TYPE, reason).into_response(),
    };
    let version = info.version;
    if version != SoapVersion::V12 {
        // The contract binds SOAP 1.2 only; answering 1.1 would hide a client bug.
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "this service binds SOAP 1.2 only: send application/soap+xml")
            .into_response();
    }
    let (ns, local) = match wire::body_element(&body) {
        Ok(name) => name,
        Err(e) => return wire::fault(version, true, &format!("Server was unable to read request. {e}")),
    };
    if ns != dz::NS {
        return wire::fault(version, true, &format!("unknown body element {{{ns}}}{local}"));
    }
    let op = match local.as_str() {
        "Authenticate" => &dz::operations::AUTHENTICATE,
        "Verify" => &dz::operations::VERIFY,
        _ => return wire::fault(version, true, &format!("unknown operation {local}")),
    };
    if let Some(action) = info.action.as_deref() {
        if Some(action) != op.soap12_action {
            return wire::fault(version, true, &format!("Server did not recognize the value of SOAPAction {action}"));
        }
    }
    match local.as_str() {
        "Authenticate" => {
            wait_unheld(&state.hold_logins).await;
            authenticate(&state, version, &body)
        }
        _ => {
            state.verifications.fetch_add(1, Ordering::SeqCst);
            wait_unheld(&state.hold).await;
            verify(&state, version, &body)
        }
    }
}

fn authenticate(state: &MockState, version: SoapVersion, body: &[u8]) -> Response {
    let request = match read_body::<dz::Authenticate>(version, body) {
        Ok(r) => r,
        Err(fault) => return *fault,
    };
    let user = request.user_name.unwrap_or_default();
    let password = request.user_password.unwrap_or_default();
    let result = match state.login(&user, &password) {
        Some((token, countries)) => SessionResult {
            user_name: Some(user),
            token: Some(token),
            reference: Some(String::new()),
            message: Some("Success".into()),
            data_sources: countries
                .into_iter()
                .flat_map(|(_, sources)| sources)
                .map(|name| DataSourceV27 {
                    data_source_name: Some(name),
                    enabled: Some(true),
                    consent_obtained: Some(false),
                })
                .collect(),
        },
        None => SessionResult {
            user_name: Some(user),
            token: None,
            reference: Some(String::new()),
            message: Some("Invalid username or password".into()),
            data_sources: Vec::new(),
        },
    };
    wire::reply(version, &AuthenticateResponse { authenticate_result: Some(result) })
}

fn verify(state: &MockState, version: SoapVersion, body: &[u8]) -> Response {
    let request = match read_body::<dz::Verify>(version, body) {
        Ok(r) => r,
        Err(fault) => return *fault,
    };
    let session = request.session.unwrap_or_default();
    let user = session.user_name.unwrap_or_default();
    let token = session.token.unwrap_or_default();
    let Some(allowed) = state.check(&user, &token) else {
        state.invalid_token_replies.fetch_add(1, Ordering::SeqCst);
        return match *lock(&state.style) {
            InvalidTokenStyle::Fault => wire::fault(version, true, "Invalid Token"),
            InvalidTokenStyle::Message => {
                let result =
                    VerifyResult { status: Some(-1), message: Some("Invalid Token".into()), ..Default::default() };
                wire::reply(version, &VerifyResponse { verify_result: Some(result) })
            }
        };
    };
    let criteria = request.criteria.unwrap_or_default();
    let sources: Vec<DataSourceV27> = session.data_sources.into_iter().filter(|d| d.enabled != Some(false)).collect();
    let result = evaluate(&criteria, &sources, &allowed);
    wire::reply(version, &VerifyResponse { verify_result: Some(result) })
}

fn evaluate(criteria: &Criteria, sources: &[DataSourceV27], allowed: &[String]) -> VerifyResult {
    let failed = |message: &str| VerifyResult { status: Some(-1), message: Some(message.into()), ..Default::default() };
    if sources.is_empty() {
        return failed("At least one enabled data source is required");
    }
    if criteria.last_name.is_none() && criteria.full_name.is_none() {
        return failed("LastName or FullName is required");
    }
    let same = |a: &Option<String>, b: &str| a.as_deref().is_some_and(|a| a.trim().eq_ignore_ascii_case(b));
    let identity = KNOWN_IDENTITIES
        .iter()
        .find(|i| same(&criteria.first_name, i.first_name) && same(&criteria.last_name, i.last_name));
    let results: Vec<DataSourceResult> = sources
        .iter()
        .map(|source| {
            let name = source.data_source_name.clone().unwrap_or_default();
            if !allowed.contains(&name) {
                return DataSourceResult {
                    data_source: Some(name),
                    status: Some(3),
                    message: Some("Data source not available for this account".into()),
                    ..Default::default()
                };
            }
            let Some(identity) = identity else {
                return DataSourceResult {
                    data_source: Some(name),
                    status: Some(2),
                    safe_harbour_score: Some("0".into()),
                    ..Default::default()
                };
            };
            let dob = criteria.date_of_birth.as_ref().map(|d| d.trim() == identity.date_of_birth);
            let address = [&criteria.street_number, &criteria.street_name, &criteria.suburb, &criteria.post_code]
                .iter()
                .any(|f| f.is_some())
                .then_some(true);
            let status = if dob == Some(false) { 1 } else { 0 };
            DataSourceResult {
                data_source: Some(name),
                status: Some(status),
                message: None,
                safe_harbour_score: Some(if status == 0 { "1" } else { "0" }.into()),
                first_name_verified: Some(true),
                last_name_verified: Some(true),
                date_of_birth_verified: dob,
                address_verified: address,
                ..Default::default()
            }
        })
        .collect();
    let overall = results.iter().filter_map(|r| r.status).min().unwrap_or(2);
    let full_matches = results.iter().filter(|r| r.status == Some(0)).count();
    VerifyResult {
        status: Some(overall),
        message: Some(match overall {
            0 => "Full match".into(),
            1 => "Partial match".into(),
            2 => "Not found".into(),
            _ => "Data source error".into(),
        }),
        results,
        safe_harbour: Some(full_matches >= 2),
        reporting_reference: Some(uuid::Uuid::new_v4().to_string()),
    }
}

// ------------------------------------------------------------------------------------------------
// REST

fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

async fn rest_json(State(state): State<Arc<MockState>>, headers: HeaderMap, body: Bytes) -> Response {
    wait_unheld(&state.hold_logins).await;
    let json = |status: StatusCode, value: serde_json::Value| {
        (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], value.to_string()).into_response()
    };
    if media_type(&headers) != "application/json" {
        return json(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            serde_json::json!({"message": "Content-Type must be application/json"}),
        );
    }
    let Ok(serde_json::Value::Object(request)) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return json(StatusCode::BAD_REQUEST, serde_json::json!({"message": "The request body is not a JSON object"}));
    };
    let text = |key: &str| request.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    match state.login(&text("UserName"), &text("Password")) {
        Some((token, countries)) => json(
            StatusCode::OK,
            serde_json::json!({
                "sessionToken": token,
                "countries": countries
                    .into_iter()
                    .map(|(country, sources)| serde_json::json!({"country": country, "dataSources": sources}))
                    .collect::<Vec<_>>(),
            }),
        ),
        None => json(StatusCode::UNAUTHORIZED, serde_json::json!({"message": "Invalid username or password"})),
    }
}

async fn rest_xml(State(state): State<Arc<MockState>>, headers: HeaderMap, body: Bytes) -> Response {
    wait_unheld(&state.hold_logins).await;
    let xml = |status: StatusCode, text: String| {
        (status, [(header::CONTENT_TYPE, "application/xml; charset=utf-8")], text).into_response()
    };
    let media = media_type(&headers);
    if media != "application/xml" && media != "text/xml" {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/xml").into_response();
    }
    let request = match read_root::<LoginRequestModel>(&body) {
        Ok(r) => r,
        Err(reason) => {
            let reason = reason.replace('&', "&amp;").replace('<', "&lt;");
            return xml(StatusCode::BAD_REQUEST, format!("<Error><Message>{reason}</Message></Error>"));
        }
    };
    match state.login(request.user_name.as_deref().unwrap_or_default(), request.password.as_deref().unwrap_or_default())
    {
        Some((token, countries)) => {
            let model = LoginResponseModel {
                session_token: Some(token),
                countries: countries
                    .into_iter()
                    .map(|(country, sources)| LoginResponseCountryModel {
                        country: Some(country),
                        data_sources: sources,
                    })
                    .collect(),
            };
            let mut w = XmlWriter::new();
            model.write_element(&mut w);
            let text = w.into_string().replacen(
                "<LoginResponseModel",
                "<LoginResponseModel xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
                 xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
                1,
            );
            xml(StatusCode::OK, format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>{text}"))
        }
        None => xml(StatusCode::UNAUTHORIZED, "<Error><Message>Invalid username or password</Message></Error>".into()),
    }
}

fn read_root<E: Element>(doc: &[u8]) -> Result<E, String> {
    let mut r = XmlReader::new(doc);
    let root = r.root().map_err(|e| e.to_string())?;
    if root.local_name().into_inner() != E::NAME.as_bytes() || !r.in_namespace(&root, E::NAMESPACE) {
        return Err(format!("expected {}, found {}", E::NAME, r.expanded_name(&root)));
    }
    let value = E::read_xml(&mut r, &root).map_err(|e| e.to_string())?;
    r.finish().map_err(|e| e.to_string())?;
    Ok(value)
}
