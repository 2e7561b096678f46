//! A loopback Nmbrs API v3 service for tests and examples.
//!
//! [`MockNmbrs`] listens on `127.0.0.1` (a free port) and speaks the vendored contracts
//! (`wsdl/nmbrs/v3/`): it parses requests with the same generated types the client uses,
//! dispatches by SOAPAction (SOAP 1.1 header or SOAP 1.2 `action` parameter), checks the
//! content type, enforces the Nmbrs authentication rules and answers from in-memory debtors,
//! companies and employees. Faults look like ASMX ones: HTTP 500 with
//! `System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> 1001:
//! Invalid Authentication`. Each contract is served at `<Service>.asmx?WSDL`.
//!
//! Authentication rules:
//! - `Environment_Get` takes the plain `AuthHeader` and answers the account's `SubDomain` (and
//!   `Domain`, `<subdomain>.nmbrs.nl`).
//! - Every other operation but the `SingleSignOn` ones takes `AuthHeaderWithDomain` in its
//!   service's namespace. A wrong e-mail or token, a missing header, or a `Domain` other than
//!   the account's gives error 1001; a header without `Domain` is accepted (it is optional in v3).
//!
//! Knobs: [`set_domain`](MockNmbrs::set_domain) (change the account's subdomain mid-test),
//! [`set_protected_mode`](MockNmbrs::set_protected_mode) (`*_UpdateCurrent` and `*_Insert`
//! answer 2011 unless the request carries `UnprotectedMode=true`),
//! [`set_report_polls`](MockNmbrs::set_report_polls) and
//! [`set_report_failure`](MockNmbrs::set_report_failure). Counters and the log of received
//! requests (with the header element names) let tests check what the client sent.
//!
//! ```
//! use soapbind::mock::nmbrs::MockNmbrs;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockNmbrs::start().await?;
//! let client = mock.client()?;
//! let debtors = client.debtor().list_get_all().await?;
//! assert_eq!(debtors.len(), 2);
//! assert_eq!(mock.environment_get_calls(), 1); // the domain was discovered once
//! mock.shutdown().await;
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::wire;
use crate::nmbrs::generated::{
    company_service as cs, debtor_service as ds, employee_service as es, report_service as rs, single_sign_on as sso,
};
use crate::nmbrs::{Client, ClientBuilder, Credentials, Environment};
use crate::soap::xml::DeError;
use crate::soap::xml::{DateTime, Decimal, Element, Uuid, XmlReader};
use crate::soap::{Operation, OperationVisitor, SoapVersion};

/// The e-mail address of the mock's API user.
pub const USERNAME: &str = "api@mock-nmbrs.test";

/// The API token of the mock's API user.
pub const TOKEN: &str = "6f1d2c3b4a5e46d7a8b9c0d1e2f3a4b5";

/// The account's subdomain when the mock starts.
pub const DOMAIN: &str = "mocktest";

/// How many polls of a report task answer `Enqueued`/`Executing` before `Success`, by default.
pub const DEFAULT_REPORT_POLLS: u32 = 3;

/// What ASMX puts before the message of an exception thrown by the service.
const ASMX_PREFIX: &str = "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> ";

/// The fault text for a missing or unknown action.
pub const NO_ACTION_FAULT: &str =
    "Unable to handle request without a valid action parameter. Please supply a valid soap action.";

/// A request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The service, e.g. `EmployeeService`.
    pub service: &'static str,
    /// The operation, e.g. `List_GetByCompany`.
    pub operation: &'static str,
    /// The envelope version.
    pub version: SoapVersion,
    /// The header entries, as `{namespace}LocalName`, in order.
    pub headers: Vec<String>,
    /// The `Domain` of the authentication header, when it had one.
    pub domain: Option<String>,
}

/// A running mock Nmbrs service; see the [module documentation](self).
///
/// Dropping it stops the server (as [`shutdown`](Self::shutdown) does, without waiting).
pub struct MockNmbrs {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

struct Shared {
    base_url: String,
    data: Mutex<Data>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl MockNmbrs {
    /// Binds `127.0.0.1:0` and starts serving on the current tokio runtime.
    ///
    /// # Errors
    /// When the port cannot be bound.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared { base_url: format!("http://{addr}/soap/v3/"), data: Mutex::new(Data::seed()) });
        let router = Router::new().route("/soap/v3/{file}", get(page).post(soap)).with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self { addr, shared, stop: Some(stop), task: Some(task) })
    }

    /// The base URL, `http://127.0.0.1:<port>/soap/v3/`, for [`Environment::Custom`].
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The address the mock listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials the mock accepts.
    pub fn credentials(&self) -> Credentials {
        Credentials::new(USERNAME, TOKEN)
    }

    /// A client builder for this mock: its base URL and credentials, other settings default.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder(self.credentials(), Environment::Custom(self.base_url()))
    }

    /// A client for this mock with the defaults (SOAP 1.1, discovered domain).
    ///
    /// # Errors
    /// As [`ClientBuilder::build`].
    pub fn client(&self) -> Result<Client, crate::nmbrs::Error> {
        self.client_builder().build()
    }

    /// The account's subdomain.
    pub fn domain(&self) -> String {
        self.shared.lock().domain.clone()
    }

    /// Changes the account's subdomain: calls with the old one get 1001 from now on.
    pub fn set_domain(&self, domain: impl Into<String>) {
        self.shared.lock().domain = domain.into();
    }

    /// Turns protected mode on or off: when on, `*_UpdateCurrent` and `*_Insert` answer 2011
    /// (unless the request carries `UnprotectedMode=true`).
    pub fn set_protected_mode(&self, on: bool) {
        self.shared.lock().protected = on;
    }

    /// How many polls of a new report task answer `Enqueued` (the first) or `Executing` before
    /// the task ends. Default [`DEFAULT_REPORT_POLLS`].
    pub fn set_report_polls(&self, polls: u32) {
        self.shared.lock().report_polls = polls;
    }

    /// Makes new report tasks end with status `Error` instead of `Success`.
    pub fn set_report_failure(&self, fail: bool) {
        self.shared.lock().report_failure = fail;
    }

    /// Adds `count` made-up employees, spread over the companies in turn, each with personal info,
    /// a salary, a schedule, a bank account and a contract: a payroll large enough for bulk work
    /// (see `examples/export-employees.rs`). Returns the ids given.
    pub fn add_employees(&self, count: usize) -> Vec<i32> {
        const FIRST: [&str; 8] = ["Anna", "Bram", "Cor", "Daan", "Emma", "Fenna", "Gijs", "Hanna"];
        const LAST: [&str; 6] = ["de Jong", "Smit", "Meijer", "Mulder", "Bos", "Vos"];
        let mut data = self.shared.lock();
        let company_ids: Vec<i32> = data.companies.iter().map(|c| c.company.id).collect();
        let mut ids = Vec::with_capacity(count);
        for n in 0..count {
            let id = data.next_id();
            let company_id = company_ids[n % company_ids.len()];
            let number = data.employees.iter().filter(|e| e.company_id == company_id).count() as i32 + 1;
            let (first, last) = (FIRST[n % FIRST.len()], LAST[(n / FIRST.len()) % LAST.len()]);
            let gender = if n % 2 == 0 { es::Gender::Female } else { es::Gender::Male };
            let salary = es::Salary {
                value: Decimal::new(300_000 + (n as i64 % 50) * 2_500, 2),
                r#type: es::SalaryType::BrutoSalarisFulltime,
                salary_table: None,
                start_date: date(2024, 1, 1),
            };
            data.employees.push(employee(id, company_id, number, first, last, gender, salary, schedule([8; 5], 100)));
            ids.push(id);
        }
        ids
    }

    /// Calls of `DebtorService.Environment_Get` received.
    pub fn environment_get_calls(&self) -> usize {
        self.calls("Environment_Get")
    }

    /// Calls of `operation` received (with a valid action), counting failed ones. Give the
    /// operation alone (`List_GetAll`, summed over services) or with its service
    /// (`CompanyService.List_GetAll`).
    pub fn calls(&self, operation: &str) -> usize {
        let (service, name) = match operation.split_once('.') {
            Some((service, name)) => (Some(service), name),
            None => (None, operation),
        };
        let data = self.shared.lock();
        data.log.iter().filter(|r| r.operation == name && service.is_none_or(|s| s == r.service)).count()
    }

    /// Requests received with a valid action, in order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().log.clone()
    }

    /// Forgets the requests received (the counters start again from zero).
    pub fn clear_requests(&self) {
        self.shared.lock().log.clear();
    }

    /// The single sign-on tokens issued, oldest first.
    pub fn sso_tokens(&self) -> Vec<String> {
        self.shared.lock().sso_tokens.clone()
    }

    /// The stored personal info of an employee.
    pub fn personal_info(&self, employee_id: i32) -> Option<es::PersonalInfo> {
        self.shared.lock().employees.iter().find(|e| e.employee.id == employee_id).map(|e| e.personal.clone())
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockNmbrs {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl std::fmt::Debug for MockNmbrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockNmbrs").field("addr", &self.addr).finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Services and HTTP handlers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Debtor,
    Company,
    Employee,
    Report,
    SingleSignOn,
}

impl Service {
    const ALL: [Service; 5] =
        [Service::Debtor, Service::Company, Service::Employee, Service::Report, Service::SingleSignOn];

    fn name(self) -> &'static str {
        match self {
            Service::Debtor => "DebtorService",
            Service::Company => "CompanyService",
            Service::Employee => "EmployeeService",
            Service::Report => "ReportService",
            Service::SingleSignOn => "SingleSignOn",
        }
    }

    /// The service whose file is `file` (`DebtorService.asmx`, any case).
    fn from_file(file: &str) -> Option<Self> {
        let stem = file.strip_suffix(".asmx").or_else(|| file.strip_suffix(".ASMX"))?;
        Service::ALL.into_iter().find(|s| s.name().eq_ignore_ascii_case(stem))
    }

    fn operations(self) -> &'static [&'static Operation] {
        match self {
            Service::Debtor => ds::operations::ALL,
            Service::Company => cs::operations::ALL,
            Service::Employee => es::operations::ALL,
            Service::Report => rs::operations::ALL,
            Service::SingleSignOn => sso::operations::ALL,
        }
    }

    /// Runs `visitor` with the generated types of this service's operation `name`.
    fn visit<V: OperationVisitor>(self, name: &str, visitor: V) -> Option<V::Output> {
        match self {
            Service::Debtor => ds::operations::visit(name, visitor),
            Service::Company => cs::operations::visit(name, visitor),
            Service::Employee => es::operations::visit(name, visitor),
            Service::Report => rs::operations::visit(name, visitor),
            Service::SingleSignOn => sso::operations::visit(name, visitor),
        }
    }

    fn wsdl(self) -> &'static str {
        match self {
            Service::Debtor => include_str!("../../wsdl/nmbrs/v3/DebtorService.wsdl"),
            Service::Company => include_str!("../../wsdl/nmbrs/v3/CompanyService.wsdl"),
            Service::Employee => include_str!("../../wsdl/nmbrs/v3/EmployeeService.wsdl"),
            Service::Report => include_str!("../../wsdl/nmbrs/v3/ReportService.wsdl"),
            Service::SingleSignOn => include_str!("../../wsdl/nmbrs/v3/SingleSignOn.wsdl"),
        }
    }
}

fn text(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `GET <Service>.asmx?WSDL`: the contract, with the addresses pointing at the mock. Without
/// `?WSDL`: a plain list of the operations.
async fn page(State(shared): State<Arc<Shared>>, Path(file): Path<String>, RawQuery(query): RawQuery) -> Response {
    let Some(service) = Service::from_file(&file) else {
        return text(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", format!("no service at {file}"));
    };
    if query.is_some_and(|q| q.eq_ignore_ascii_case("wsdl")) {
        let wsdl = service
            .wsdl()
            .replace("location=\"https://api.nmbrs.nl/soap/v3/", &format!("location=\"{}", shared.base_url));
        return text(StatusCode::OK, "text/xml; charset=utf-8", wsdl);
    }
    let mut page = format!("{} (MockNmbrs). The contract is at ?WSDL. Operations:\n", service.name());
    for op in service.operations() {
        page.push_str(&format!("- {}\n", op.name));
    }
    text(StatusCode::OK, "text/plain; charset=utf-8", page)
}

/// `POST <Service>.asmx`: one SOAP call.
async fn soap(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(service) = Service::from_file(&file) else {
        return text(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", format!("no service at {file}"));
    };
    let info = match wire::request_info(&headers) {
        Ok(info) => info,
        Err(reason) => return text(StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/plain; charset=utf-8", reason),
    };
    let version = info.version;
    let op = info
        .action
        .as_deref()
        .and_then(|action| service.operations().iter().copied().find(|op| op.action(version) == Some(action)));
    let Some(op) = op else {
        return wire::fault(version, true, NO_ACTION_FAULT);
    };
    let mut data = shared.lock();
    data.log.push(ReceivedRequest {
        service: service.name(),
        operation: op.name,
        version,
        headers: header_names(&body),
        domain: None,
    });
    data.dispatch(service, op, version, &body)
}

/// The expanded names of the request's header entries.
fn header_names(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut r = XmlReader::new(bytes);
    if r.root().is_err() {
        return names;
    }
    while let Ok(Some(part)) = r.next_child("") {
        if part.local_name() != b"Header" {
            break;
        }
        while let Ok(Some(entry)) = r.next_child("") {
            names.push(r.expanded_name(&entry.start));
            if r.skip(&entry.start).is_err() {
                return names;
            }
        }
    }
    names
}

// ---------------------------------------------------------------------------------------------
// Authentication headers

/// The fields of an authentication header.
trait AuthFields {
    fn username(&self) -> Option<&str>;
    fn token(&self) -> Option<&str>;
    fn domain(&self) -> Option<&str>;
}

macro_rules! auth_with_domain {
    ($($service:ident),+) => {$(
        impl AuthFields for $service::AuthHeaderWithDomain {
            fn username(&self) -> Option<&str> {
                self.username.as_deref()
            }
            fn token(&self) -> Option<&str> {
                self.token.as_deref()
            }
            fn domain(&self) -> Option<&str> {
                self.domain.as_deref()
            }
        }
    )+};
}

auth_with_domain!(ds, cs, es, rs);

impl AuthFields for ds::AuthHeader {
    fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }
    fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
    fn domain(&self) -> Option<&str> {
        None
    }
}

/// The fields of any authentication header, owned: what [`ReadRequest`] found.
struct Auth {
    username: Option<String>,
    token: Option<String>,
    domain: Option<String>,
}

impl AuthFields for Auth {
    fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }
    fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
    fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }
}

impl Auth {
    fn of<H: AuthFields>(header: Option<H>) -> Option<Self> {
        header.map(|h| Auth {
            username: h.username().map(str::to_owned),
            token: h.token().map(str::to_owned),
            domain: h.domain().map(str::to_owned),
        })
    }
}

/// Reads any operation's request with its generated types: the body through the contract's
/// `operations::visit`, the header as the type of the service that the operation declares.
/// The output is `None` for an operation without a header, else the header found (if any).
struct ReadRequest<'a> {
    service: Service,
    bytes: &'a [u8],
}

impl OperationVisitor for ReadRequest<'_> {
    type Output = Result<Option<Option<Auth>>, DeError>;

    fn visit<Req, Resp>(self, op: &'static Operation) -> Self::Output
    where
        Req: Element + Default + Send + Sync + 'static,
        Resp: Element + Default + Send + 'static,
    {
        fn read<H: Element + AuthFields, Req: Element>(bytes: &[u8]) -> Result<Option<Option<Auth>>, DeError> {
            wire::read_request::<H, Req>(bytes).map(|(header, _)| Some(Auth::of(header)))
        }
        match (self.service, op.header) {
            (_, None) => wire::read_body::<Req>(self.bytes).map(|_| None),
            (Service::Debtor, Some("AuthHeader")) => read::<ds::AuthHeader, Req>(self.bytes),
            (Service::Debtor, _) => read::<ds::AuthHeaderWithDomain, Req>(self.bytes),
            (Service::Company, _) => read::<cs::AuthHeaderWithDomain, Req>(self.bytes),
            (Service::Employee, _) => read::<es::AuthHeaderWithDomain, Req>(self.bytes),
            (Service::Report | Service::SingleSignOn, _) => read::<rs::AuthHeaderWithDomain, Req>(self.bytes),
        }
    }
}

/// A fault the mock answers with.
enum MockFault {
    /// A Nmbrs error: `---> NNNN: Title`.
    Code(u32, &'static str),
    /// Any other server error.
    Server(String),
}

impl MockFault {
    fn reply(&self, version: SoapVersion) -> Response {
        match self {
            MockFault::Code(number, title) => wire::fault(version, false, &format!("{ASMX_PREFIX}{number}: {title}")),
            MockFault::Server(message) => wire::fault(version, false, &format!("{ASMX_PREFIX}{message}")),
        }
    }
}

const INVALID_AUTHENTICATION: MockFault = MockFault::Code(1001, "Invalid Authentication");
const PROTECTED_MODE: MockFault =
    MockFault::Code(2011, "Protected Mode: set UnprotectedMode to true to change the past");
const UNAUTHORIZED_EMPLOYEE: MockFault = MockFault::Code(2003, "Unauthorized Employee");
const UNAUTHORIZED_COMPANY: MockFault = MockFault::Code(2004, "Unauthorized Company");
const UNAUTHORIZED_DEBTOR: MockFault = MockFault::Code(2009, "Unauthorized Debtor");

// ---------------------------------------------------------------------------------------------
// Data

struct MockCompany {
    debtor_id: i32,
    company: cs::Company,
}

struct MockEmployee {
    company_id: i32,
    employee: es::Employee,
    personal: es::PersonalInfo,
    salary: es::Salary,
    schedule: es::Schedule,
    absences: Vec<es::Absence>,
    bank_accounts: Vec<es::BankAccount>,
    contracts: Vec<es::ContractV2>,
    /// Wage components: `(fixed, id, wage code, amount)`.
    wage_components: Vec<(bool, i32, i32, Decimal)>,
    /// Hour components: `(fixed, component)`.
    hour_components: Vec<(bool, es::HourComponent)>,
}

struct Task {
    polls: u32,
    polls_before_end: u32,
    fail: bool,
    content: String,
}

struct Data {
    domain: String,
    protected: bool,
    report_polls: u32,
    report_failure: bool,
    debtors: Vec<ds::Debtor>,
    departments: Vec<(i32, ds::Department)>,
    functions: Vec<(i32, ds::Function)>,
    companies: Vec<MockCompany>,
    employees: Vec<MockEmployee>,
    tasks: HashMap<Uuid, Task>,
    next_id: i32,
    log: Vec<ReceivedRequest>,
    sso_tokens: Vec<String>,
}

fn date(y: i32, m: u32, d: u32) -> DateTime {
    DateTime::from_date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn hours(h: i64) -> Decimal {
    Decimal::new(h, 0)
}

fn schedule(per_day: [i64; 5], parttime_percentage: i64) -> es::Schedule {
    let [mo, tu, we, th, fr] = per_day.map(hours);
    es::Schedule {
        hours_monday: mo,
        hours_tuesday: tu,
        hours_wednesday: we,
        hours_thursday: th,
        hours_friday: fr,
        hours_monday2: mo,
        hours_tuesday2: tu,
        hours_wednesday2: we,
        hours_thursday2: th,
        hours_friday2: fr,
        parttime_percentage: hours(parttime_percentage),
        start_date: date(2020, 1, 1),
        ..Default::default()
    }
}

/// An employee's salary account, with a made-up (not valid) Dutch IBAN.
fn bank_account(employee_id: i32, first: &str, last: &str) -> es::BankAccount {
    es::BankAccount {
        id: employee_id * 10,
        iban: Some(format!("NL00MOCK{:010}", employee_id)),
        bic: Some("MOCKNL2A".into()),
        name: Some(format!("{first} {last}")),
        r#type: es::BankAccountType::Bankrekening1,
        ..Default::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn employee(
    id: i32,
    company_id: i32,
    number: i32,
    first: &str,
    last: &str,
    gender: es::Gender,
    salary: es::Salary,
    schedule: es::Schedule,
) -> MockEmployee {
    let display = format!("{last}, {first}");
    MockEmployee {
        company_id,
        employee: es::Employee { id, number, display_name: Some(display.clone()) },
        personal: es::PersonalInfo {
            id,
            number,
            display_name: Some(display),
            employee_number: Some(number),
            first_name: Some(first.to_owned()),
            initials: first.chars().next().map(|c| format!("{c}.")),
            last_name: Some(last.to_owned()),
            gender: Some(gender),
            nationality_code: Some(1),
            email_work: Some(format!("{}@example.com", first.to_lowercase())),
            birthday: Some(date(1990, 4, 12)),
            ..Default::default()
        },
        salary,
        schedule,
        absences: Vec::new(),
        bank_accounts: vec![bank_account(id, first, last)],
        contracts: vec![es::ContractV2 {
            contract_id: id * 10,
            start_date: Some(date(2020, 1, 1)),
            indefinite: Some(true),
            ..Default::default()
        }],
        wage_components: Vec::new(),
        hour_components: Vec::new(),
    }
}

impl Data {
    fn seed() -> Self {
        let company = |id, number, name: &str, period| cs::Company {
            id,
            number,
            name: Some(name.to_owned()),
            loonaangifte_tijdvak: period,
            email: Some("payroll@example.com".into()),
            kvk_nr: Some(format!("{:08}", 12_345_000 + id)),
            ..Default::default()
        };
        let salary = |value, r#type| es::Salary { value, r#type, salary_table: None, start_date: date(2024, 1, 1) };
        let mut eva = employee(
            100,
            10,
            1,
            "Eva",
            "Jansen",
            es::Gender::Female,
            salary(Decimal::new(425_000, 2), es::SalaryType::BrutoSalarisFulltime),
            schedule([8, 8, 8, 8, 8], 100),
        );
        eva.absences.push(es::Absence {
            absence_id: 500,
            comment: Some("Griep".into()),
            percentage: 100,
            start: date(2024, 3, 4),
            registration_start_date: Some(date(2024, 3, 4)),
            end: Some(date(2024, 3, 8)),
            registration_end_date: Some(date(2024, 3, 8)),
            dossier: Some("Ziekte".into()),
            dossiernr: 1,
        });
        let jan = employee(
            101,
            10,
            2,
            "Jan",
            "Bakker",
            es::Gender::Male,
            salary(Decimal::new(387_550, 2), es::SalaryType::BrutoSalarisPartime),
            schedule([8, 8, 8, 8, 0], 80),
        );
        let sanne = employee(
            102,
            11,
            1,
            "Sanne",
            "de Vries",
            es::Gender::Female,
            salary(Decimal::new(2_275, 2), es::SalaryType::BrutoUurloon),
            schedule([6, 6, 6, 0, 0], 45),
        );
        let noah = employee(
            200,
            20,
            1,
            "Noah",
            "Visser",
            es::Gender::Male,
            salary(Decimal::new(510_000, 2), es::SalaryType::BrutoSalarisFulltime),
            schedule([8, 8, 8, 8, 8], 100),
        );
        Data {
            domain: DOMAIN.to_owned(),
            protected: false,
            report_polls: DEFAULT_REPORT_POLLS,
            report_failure: false,
            debtors: vec![
                ds::Debtor { id: 1, number: Some("1001".into()), name: Some("Acme Holding".into()) },
                ds::Debtor { id: 2, number: Some("1002".into()), name: Some("Beta Groep".into()) },
            ],
            departments: vec![
                (1, ds::Department { id: 1, code: 10, description: Some("Development".into()) }),
                (1, ds::Department { id: 2, code: 20, description: Some("Sales".into()) }),
                (2, ds::Department { id: 3, code: 10, description: Some("Bouw".into()) }),
            ],
            functions: vec![
                (1, ds::Function { id: 1, code: 1, description: Some("Engineer".into()) }),
                (2, ds::Function { id: 2, code: 1, description: Some("Timmerman".into()) }),
            ],
            companies: vec![
                MockCompany {
                    debtor_id: 1,
                    company: company(10, 1, "Acme Software B.V.", cs::LoonaangifteTijdvak::Month),
                },
                MockCompany {
                    debtor_id: 1,
                    company: company(11, 2, "Acme Services B.V.", cs::LoonaangifteTijdvak::Week4),
                },
                MockCompany { debtor_id: 2, company: company(20, 1, "Beta Bouw B.V.", cs::LoonaangifteTijdvak::Month) },
            ],
            employees: vec![eva, jan, sanne, noah],
            tasks: HashMap::new(),
            next_id: 1000,
            log: Vec::new(),
            sso_tokens: Vec::new(),
        }
    }

    fn authenticate<H: AuthFields>(&self, header: Option<&H>) -> Result<(), MockFault> {
        let header = header.ok_or(INVALID_AUTHENTICATION)?;
        let user_ok = header.username().is_some_and(|u| u.trim().eq_ignore_ascii_case(USERNAME));
        let token_ok = header.token().is_some_and(|t| t.trim() == TOKEN);
        if !user_ok || !token_ok {
            return Err(INVALID_AUTHENTICATION);
        }
        match header.domain().map(str::trim).filter(|d| !d.is_empty()) {
            Some(domain) if !domain.eq_ignore_ascii_case(&self.domain) => Err(INVALID_AUTHENTICATION),
            _ => Ok(()),
        }
    }

    /// Reads header `H` and body `B`, authenticates, and answers with `handler`'s reply.
    fn serve<H, B, R>(
        &mut self,
        version: SoapVersion,
        bytes: &[u8],
        handler: impl FnOnce(&mut Data, B) -> Result<R, MockFault>,
    ) -> Response
    where
        H: Element + AuthFields,
        B: Element,
        R: Element,
    {
        let (header, body) = match wire::read_request::<H, B>(bytes) {
            Ok(parts) => parts,
            Err(e) => return wire::fault(version, true, &format!("Server was unable to read request. ---> {e}")),
        };
        if let Some(last) = self.log.last_mut() {
            last.domain = header.as_ref().and_then(|h| h.domain()).map(str::to_owned);
        }
        if let Err(fault) = self.authenticate(header.as_ref()) {
            return fault.reply(version);
        }
        match handler(self, body) {
            Ok(reply) => wire::reply(version, &reply),
            Err(fault) => fault.reply(version),
        }
    }

    /// Any operation the mock does not implement: reads the request with its generated types,
    /// authenticates as the operation declares, then answers a fault naming the operation.
    fn not_implemented(
        &mut self,
        service: Service,
        op: &'static Operation,
        version: SoapVersion,
        bytes: &[u8],
    ) -> Response {
        let header = match service.visit(op.name, ReadRequest { service, bytes }) {
            Some(Ok(header)) => header,
            Some(Err(e)) => return wire::fault(version, true, &format!("Server was unable to read request. ---> {e}")),
            None => return wire::fault(version, true, NO_ACTION_FAULT),
        };
        if let Some(header) = header {
            if let Some(last) = self.log.last_mut() {
                last.domain = header.as_ref().and_then(|h| h.domain.clone());
            }
            if let Err(fault) = self.authenticate(header.as_ref()) {
                return fault.reply(version);
            }
        }
        MockFault::Server(format!("{}.{} is not implemented by MockNmbrs", service.name(), op.name)).reply(version)
    }

    /// Like [`serve`](Self::serve) for operations without a header (credentials in the body).
    fn serve_open<B: Element, R: Element>(
        &mut self,
        version: SoapVersion,
        bytes: &[u8],
        handler: impl FnOnce(&mut Data, B) -> Result<R, MockFault>,
    ) -> Response {
        match wire::read_body::<B>(bytes) {
            Ok(body) => match handler(self, body) {
                Ok(reply) => wire::reply(version, &reply),
                Err(fault) => fault.reply(version),
            },
            Err(e) => wire::fault(version, true, &format!("Server was unable to read request. ---> {e}")),
        }
    }

    fn check_protected(&self, unprotected_mode: bool) -> Result<(), MockFault> {
        if self.protected && !unprotected_mode {
            Err(PROTECTED_MODE)
        } else {
            Ok(())
        }
    }

    fn company(&self, id: i32) -> Result<&MockCompany, MockFault> {
        self.companies.iter().find(|c| c.company.id == id).ok_or(UNAUTHORIZED_COMPANY)
    }

    fn employee_ref(&self, id: i32) -> Result<&MockEmployee, MockFault> {
        self.employees.iter().find(|e| e.employee.id == id).ok_or(UNAUTHORIZED_EMPLOYEE)
    }

    fn employee_mut(&mut self, id: i32) -> Result<&mut MockEmployee, MockFault> {
        self.employees.iter_mut().find(|e| e.employee.id == id).ok_or(UNAUTHORIZED_EMPLOYEE)
    }

    fn next_id(&mut self) -> i32 {
        self.next_id += 1;
        self.next_id
    }

    fn start_report(&mut self, name: &str, company_id: i32, year: i32) -> Result<Uuid, MockFault> {
        let company = self.company(company_id)?;
        let company_name = company.company.name.clone().unwrap_or_default();
        let employees: Vec<_> = self.employees.iter().filter(|e| e.company_id == company_id).collect();
        let mut content = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Report Name=\"{name}\" CompanyId=\"{company_id}\" \
             Year=\"{year}\"><Company>{}</Company>",
            xml_text(&company_name)
        );
        for e in employees {
            content.push_str(&format!(
                "<Line EmployeeId=\"{}\"><Description>Loon &amp; salaris</Description><Amount>{}</Amount></Line>",
                e.employee.id, e.salary.value
            ));
        }
        content.push_str("</Report>");
        let id = Uuid::new_v4();
        let task = Task { polls: 0, polls_before_end: self.report_polls, fail: self.report_failure, content };
        self.tasks.insert(id, task);
        Ok(id)
    }

    fn poll_report(&mut self, id: Uuid) -> Result<rs::BackgroundTaskResult, MockFault> {
        let task = self.tasks.get_mut(&id).ok_or(MockFault::Code(2019, "Task status not available"))?;
        task.polls += 1;
        let (status, content) = if task.polls <= task.polls_before_end {
            let status =
                if task.polls == 1 { rs::BackgroundTaskStatus::Enqueued } else { rs::BackgroundTaskStatus::Executing };
            (status, None)
        } else if task.fail {
            (rs::BackgroundTaskStatus::Error, Some("The report could not be generated.".to_owned()))
        } else {
            (rs::BackgroundTaskStatus::Success, Some(task.content.clone()))
        };
        Ok(rs::BackgroundTaskResult { task_id: id, status, content })
    }

    fn dispatch(&mut self, service: Service, op: &'static Operation, v: SoapVersion, b: &[u8]) -> Response {
        use Service::{Company, Debtor, Employee, Report, SingleSignOn};
        type DsH = ds::AuthHeaderWithDomain;
        type CsH = cs::AuthHeaderWithDomain;
        type EsH = es::AuthHeaderWithDomain;
        type RsH = rs::AuthHeaderWithDomain;
        match (service, op.name) {
            // ---- DebtorService
            (Debtor, "Environment_Get") => self.serve::<ds::AuthHeader, ds::EnvironmentGet, _>(v, b, |d, _| {
                Ok(ds::EnvironmentGetResponse {
                    environment_get_result: Some(ds::Environment {
                        domain: Some(format!("{}.nmbrs.nl", d.domain)),
                        sub_domain: Some(d.domain.clone()),
                    }),
                })
            }),
            (Debtor, "List_GetAll") => self.serve::<DsH, ds::ListGetAll, _>(v, b, |d, _| {
                Ok(ds::ListGetAllResponse { list_get_all_result: d.debtors.clone() })
            }),
            (Debtor, "Department_GetList") => self.serve::<DsH, ds::DepartmentGetList, _>(v, b, |d, req| {
                d.debtor_exists(req.debtor_id)?;
                let department = d.departments.iter().filter(|(id, _)| *id == req.debtor_id).map(|(_, x)| x.clone());
                Ok(ds::DepartmentGetListResponse { department_get_list_result: department.collect() })
            }),
            (Debtor, "Function_GetList") => self.serve::<DsH, ds::FunctionGetList, _>(v, b, |d, req| {
                d.debtor_exists(req.debtor_id)?;
                let function = d.functions.iter().filter(|(id, _)| *id == req.debtor_id).map(|(_, x)| x.clone());
                Ok(ds::FunctionGetListResponse { function_get_list_result: function.collect() })
            }),

            // ---- CompanyService
            (Company, "List_GetAll") => self.serve::<CsH, cs::ListGetAll, _>(v, b, |d, _| {
                let company = d.companies.iter().map(|c| c.company.clone()).collect();
                Ok(cs::ListGetAllResponse { list_get_all_result: company })
            }),
            (Company, "List_GetByDebtor") => self.serve::<CsH, cs::ListGetByDebtor, _>(v, b, |d, req| {
                d.debtor_exists(req.debtor_id)?;
                let company =
                    d.companies.iter().filter(|c| c.debtor_id == req.debtor_id).map(|c| c.company.clone()).collect();
                Ok(cs::ListGetByDebtorResponse { list_get_by_debtor_result: company })
            }),

            // ---- EmployeeService
            (Employee, "List_GetByCompany") => self.serve::<EsH, es::ListGetByCompany, _>(v, b, |d, req| {
                d.company(req.company_id)?;
                let employee =
                    d.employees.iter().filter(|e| e.company_id == req.company_id).map(|e| e.employee.clone()).collect();
                Ok(es::ListGetByCompanyResponse { list_get_by_company_result: employee })
            }),
            (Employee, "PersonalInfo_GetCurrent") => {
                self.serve::<EsH, es::PersonalInfoGetCurrent, _>(v, b, |d, req| {
                    let e = d.employee_mut(req.employee_id)?;
                    Ok(es::PersonalInfoGetCurrentResponse {
                        personal_info_get_current_result: Some(e.personal.clone()),
                    })
                })
            }
            (Employee, "PersonalInfo_UpdateCurrent") => {
                self.serve::<EsH, es::PersonalInfoUpdateCurrent, _>(v, b, |d, req| {
                    d.check_protected(false)?;
                    let e = d.employee_mut(req.employee_id)?;
                    let mut info = req.personal_info.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                    info.id = e.employee.id;
                    if info.display_name.is_some() {
                        e.employee.display_name.clone_from(&info.display_name);
                    }
                    e.personal = info;
                    Ok(es::PersonalInfoUpdateCurrentResponse {})
                })
            }
            (Employee, "Salary_GetCurrent") => self.serve::<EsH, es::SalaryGetCurrent, _>(v, b, |d, req| {
                let e = d.employee_mut(req.employee_id)?;
                Ok(es::SalaryGetCurrentResponse { salary_get_current_result: Some(e.salary.clone()) })
            }),
            (Employee, "Salary_UpdateCurrent") => self.serve::<EsH, es::SalaryUpdateCurrent, _>(v, b, |d, req| {
                d.check_protected(false)?;
                let e = d.employee_mut(req.employee_id)?;
                let input = req.salary.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                e.salary.value = input.value;
                e.salary.r#type = input.r#type;
                Ok(es::SalaryUpdateCurrentResponse {})
            }),
            (Employee, "Schedule_GetCurrent") => self.serve::<EsH, es::ScheduleGetCurrent, _>(v, b, |d, req| {
                let e = d.employee_mut(req.employee_id)?;
                Ok(es::ScheduleGetCurrentResponse { schedule_get_current_result: Some(e.schedule.clone()) })
            }),
            (Employee, "Schedule_UpdateCurrent") => self.serve::<EsH, es::ScheduleUpdateCurrent, _>(v, b, |d, req| {
                d.check_protected(false)?;
                let e = d.employee_mut(req.employee_id)?;
                e.schedule = req.schedule.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                Ok(es::ScheduleUpdateCurrentResponse {})
            }),
            (Employee, "Absence_GetList") => self.serve::<EsH, es::AbsenceGetList, _>(v, b, |d, req| {
                let e = d.employee_mut(req.employee_id)?;
                Ok(es::AbsenceGetListResponse { absence_get_list_result: e.absences.clone() })
            }),
            (Employee, "Absence_Insert") => self.serve::<EsH, es::AbsenceInsert, _>(v, b, |d, req| {
                d.check_protected(false)?;
                let id = d.next_id();
                let e = d.employee_mut(req.employee_id)?;
                let mut absence = req.absence.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                absence.absence_id = id;
                e.absences.push(absence);
                Ok(es::AbsenceInsertResponse { absence_insert_result: id })
            }),
            (Employee, "Employee_Insert") => self.serve::<EsH, es::EmployeeInsert, _>(v, b, |d, req| {
                d.check_protected(req.unprotected_mode)?;
                d.company(req.company_id)?;
                let id = d.next_id();
                let number = d.employees.iter().filter(|e| e.company_id == req.company_id).count() as i32 + 1;
                let first = req.first_name.unwrap_or_default();
                let last = req.last_name.unwrap_or_default();
                let mut new = employee(
                    id,
                    req.company_id,
                    number,
                    &first,
                    &last,
                    es::Gender::Undefined,
                    es::Salary { start_date: req.start_date, ..Default::default() },
                    es::Schedule { start_date: req.start_date, ..Default::default() },
                );
                new.personal.birthday = None;
                d.employees.push(new);
                Ok(es::EmployeeInsertResponse { employee_insert_result: id })
            }),

            (Employee, "BankAccount_GetListCurrent") => {
                self.serve::<EsH, es::BankAccountGetListCurrent, _>(v, b, |d, req| {
                    let e = d.employee_mut(req.employee_id)?;
                    Ok(es::BankAccountGetListCurrentResponse {
                        bank_account_get_list_current_result: e.bank_accounts.clone(),
                    })
                })
            }
            (Employee, "BankAccount_InsertCurrent") => {
                self.serve::<EsH, es::BankAccountInsertCurrent, _>(v, b, |d, req| {
                    d.check_protected(false)?;
                    let id = d.next_id();
                    let e = d.employee_mut(req.employee_id)?;
                    let mut account = req.bank_account.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                    if account.iban.as_deref().is_none_or(str::is_empty) {
                        return Err(MockFault::Code(2032, "IBAN required"));
                    }
                    account.id = id;
                    e.bank_accounts.push(account);
                    Ok(es::BankAccountInsertCurrentResponse { bank_account_insert_current_result: id })
                })
            }
            (Employee, "Contract_GetAll_v2") => self.serve::<EsH, es::ContractGetAllV2, _>(v, b, |d, req| {
                let e = d.employee_mut(req.employee_id)?;
                Ok(es::ContractGetAllV2Response { contract_get_all_v2_result: e.contracts.clone() })
            }),
            (Employee, "Contract_InsertCurrentPeriod_v2") => {
                self.serve::<EsH, es::ContractInsertCurrentPeriodV2, _>(v, b, |d, req| {
                    d.check_protected(false)?;
                    let id = d.next_id();
                    let e = d.employee_mut(req.employee_id)?;
                    let mut contract = req.contract.ok_or(MockFault::Code(2030, "Invalid set of values"))?;
                    contract.contract_id = id;
                    e.contracts.push(contract);
                    Ok(es::ContractInsertCurrentPeriodV2Response { contract_insert_current_period_v2_result: id })
                })
            }
            (Employee, "WageComponentFixed_InsertCurrent") => self
                .serve::<EsH, es::WageComponentFixedInsertCurrent, _>(v, b, |d, req| {
                    let c = req.wage_component.ok_or(MockFault::Code(2002, "Invalid wage component"))?;
                    let id = d.add_wage_component(req.employee_id, true, c.code, c.value)?;
                    Ok(es::WageComponentFixedInsertCurrentResponse { wage_component_fixed_insert_current_result: id })
                }),
            (Employee, "WageComponentVar_InsertCurrent") => {
                self.serve::<EsH, es::WageComponentVarInsertCurrent, _>(v, b, |d, req| {
                    let c = req.wage_component.ok_or(MockFault::Code(2002, "Invalid wage component"))?;
                    let id = d.add_wage_component(req.employee_id, false, c.code, c.value)?;
                    Ok(es::WageComponentVarInsertCurrentResponse { wage_component_var_insert_current_result: id })
                })
            }
            (Employee, "WageComponentFixed_GetCurrent") => {
                self.serve::<EsH, es::WageComponentFixedGetCurrent, _>(v, b, |d, req| {
                    let list = d.wage_components(req.employee_id, true)?;
                    Ok(es::WageComponentFixedGetCurrentResponse { wage_component_fixed_get_current_result: list })
                })
            }
            (Employee, "WageComponentVar_GetCurrent") => {
                self.serve::<EsH, es::WageComponentVarGetCurrent, _>(v, b, |d, req| {
                    let list = d.wage_components(req.employee_id, false)?;
                    Ok(es::WageComponentVarGetCurrentResponse { wage_component_var_get_current_result: list })
                })
            }
            (Employee, "HourComponentFixed_GetCurrent") => {
                self.serve::<EsH, es::HourComponentFixedGetCurrent, _>(v, b, |d, req| {
                    let list = d.hour_components(req.employee_id, true)?;
                    Ok(es::HourComponentFixedGetCurrentResponse { hour_component_fixed_get_current_result: list })
                })
            }
            (Employee, "HourComponentVar_GetCurrent") => {
                self.serve::<EsH, es::HourComponentVarGetCurrent, _>(v, b, |d, req| {
                    let list = d.hour_components(req.employee_id, false)?;
                    Ok(es::HourComponentVarGetCurrentResponse { hour_component_var_get_current_result: list })
                })
            }
            (Employee, "HourComponentFixed_InsertCurrent") => self
                .serve::<EsH, es::HourComponentFixedInsertCurrent, _>(v, b, |d, req| {
                    let c = req.hourcomponent.ok_or(MockFault::Code(2001, "Invalid hour component"))?;
                    let id = d.add_hour_component(req.employee_id, true, c)?;
                    Ok(es::HourComponentFixedInsertCurrentResponse { hour_component_fixed_insert_current_result: id })
                }),
            (Employee, "HourComponentVar_InsertCurrent") => {
                self.serve::<EsH, es::HourComponentVarInsertCurrent, _>(v, b, |d, req| {
                    let c = req.hourcomponent.ok_or(MockFault::Code(2001, "Invalid hour component"))?;
                    let id = d.add_hour_component(req.employee_id, false, c)?;
                    Ok(es::HourComponentVarInsertCurrentResponse { hour_component_var_insert_current_result: id })
                })
            }

            // ---- CompanyService: runs and the payslip report
            (Company, "Run_GetList") => self.serve::<CsH, cs::RunGetList, _>(v, b, |d, req| {
                d.company(req.company_id)?;
                let run = (1..=3)
                    .map(|month| cs::RunInfo {
                        id: req.company_id * 100 + month,
                        number: month,
                        year: req.year,
                        period_start: month,
                        period_end: month,
                        description: Some(format!("Run {month} {}", req.year)),
                        run_at: date(req.year, month as u32, 25),
                        is_locked: true,
                    })
                    .collect();
                Ok(cs::RunGetListResponse { run_get_list_result: run })
            }),
            (Company, "Reports_GetPayslipByRunCompany_v2") => self
                .serve::<CsH, cs::ReportsGetPayslipByRunCompanyV2, _>(v, b, |d, req| {
                    let report = d.payslips(req.company_id, req.run_id, req.int_year)?;
                    Ok(cs::ReportsGetPayslipByRunCompanyV2Response {
                        reports_get_payslip_by_run_company_v2_result: Some(report),
                    })
                }),

            // ---- ReportService
            (Report, "Reports_GetJournalsReportByCompany_Background") => {
                self.serve::<RsH, rs::ReportsGetJournalsReportByCompanyBackground, _>(v, b, |d, req| {
                    let id = d.start_report(op.name, req.company_id, req.year)?;
                    Ok(rs::ReportsGetJournalsReportByCompanyBackgroundResponse {
                        reports_get_journals_report_by_company_background_result: id,
                    })
                })
            }
            (Report, "Reports_GetWageCodesByRunCompany_v2_Background") => {
                self.serve::<RsH, rs::ReportsGetWageCodesByRunCompanyV2Background, _>(v, b, |d, req| {
                    let id = d.start_report(op.name, req.company_id, req.year)?;
                    Ok(rs::ReportsGetWageCodesByRunCompanyV2BackgroundResponse {
                        reports_get_wage_codes_by_run_company_v2_background_result: id,
                    })
                })
            }
            (Report, "Reports_GetWageCodesByRunCompany_FilterByWageCode_Background") => {
                self.serve::<RsH, rs::ReportsGetWageCodesByRunCompanyFilterByWageCodeBackground, _>(v, b, |d, req| {
                    let id = d.start_report(op.name, req.company_id, req.year)?;
                    Ok(rs::ReportsGetWageCodesByRunCompanyFilterByWageCodeBackgroundResponse {
                        reports_get_wage_codes_by_run_company_filter_by_wage_code_background_result: id,
                    })
                })
            }
            (Report, "Reports_Accountant_Company_EmployeeWageComponentsPerRunPeriod_Background") => {
                self.serve::<RsH, rs::ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackground, _>(
                    v,
                    b,
                    |d, req| {
                        let id = d.start_report(op.name, req.company_id, req.year)?;
                        Ok(rs::ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackgroundResponse {
                            reports_accountant_company_employee_wage_components_per_run_period_background_result: id,
                        })
                    },
                )
            }
            (Report, "Reports_BackgroundTask_Result") => {
                self.serve::<RsH, rs::ReportsBackgroundTaskResult, _>(v, b, |d, req| {
                    let result = d.poll_report(req.task_id)?;
                    Ok(rs::ReportsBackgroundTaskResultResponse { reports_background_task_result_result: Some(result) })
                })
            }

            // ---- SingleSignOn
            (SingleSignOn, "GetToken2") => self.serve_open::<sso::GetToken2, _>(v, b, |d, req| {
                let user_ok = req.username.as_deref().is_some_and(|u| u.trim().eq_ignore_ascii_case(USERNAME));
                if !user_ok || req.token.as_deref().map(str::trim) != Some(TOKEN) {
                    return Err(INVALID_AUTHENTICATION);
                }
                let token = Uuid::new_v4().to_string();
                d.sso_tokens.push(token.clone());
                Ok(sso::GetToken2Response { get_token2_result: Some(token) })
            }),

            _ => self.not_implemented(service, op, v, b),
        }
    }

    fn add_wage_component(
        &mut self,
        employee_id: i32,
        fixed: bool,
        code: i32,
        value: Decimal,
    ) -> Result<i32, MockFault> {
        self.check_protected(false)?;
        if code <= 0 {
            return Err(MockFault::Code(2002, "Invalid wage component"));
        }
        let id = self.next_id();
        self.employee_mut(employee_id)?.wage_components.push((fixed, id, code, value));
        Ok(id)
    }

    /// The fixed or the variable wage components of an employee, as entered.
    fn wage_components(&self, employee_id: i32, fixed: bool) -> Result<Vec<es::WageComponent>, MockFault> {
        let components = self.employee_ref(employee_id)?.wage_components.iter().filter(|c| c.0 == fixed);
        Ok(components.map(|&(_, id, code, value)| es::WageComponent { id, code, value }).collect())
    }

    /// The fixed or the variable hour components of an employee, as entered.
    fn hour_components(&self, employee_id: i32, fixed: bool) -> Result<Vec<es::HourComponentItem>, MockFault> {
        let components = self.employee_ref(employee_id)?.hour_components.iter().filter(|c| c.0 == fixed);
        Ok(components
            .map(|(_, c)| es::HourComponentItem { id: c.id, hour_code: c.hour_code, hours: c.hours })
            .collect())
    }

    fn add_hour_component(
        &mut self,
        employee_id: i32,
        fixed: bool,
        mut c: es::HourComponent,
    ) -> Result<i32, MockFault> {
        self.check_protected(false)?;
        if c.hour_code <= 0 {
            return Err(MockFault::Code(2001, "Invalid hour component"));
        }
        let id = self.next_id();
        c.id = id;
        self.employee_mut(employee_id)?.hour_components.push((fixed, c));
        Ok(id)
    }

    /// The payslips of a company's run as an XML document: per employee the salary and the
    /// wage components entered.
    fn payslips(&self, company_id: i32, run_id: i32, year: i32) -> Result<String, MockFault> {
        self.company(company_id)?;
        let mut xml = format!("<Payslips CompanyId=\"{company_id}\" RunId=\"{run_id}\" Year=\"{year}\">");
        for e in self.employees.iter().filter(|e| e.company_id == company_id) {
            let name = xml_text(e.employee.display_name.as_deref().unwrap_or_default());
            xml.push_str(&format!("<Payslip EmployeeId=\"{}\"><Name>{name}</Name>", e.employee.id));
            xml.push_str(&format!("<Line Code=\"1\" Description=\"Salaris\">{}</Line>", e.salary.value));
            for (fixed, _, code, value) in &e.wage_components {
                let kind = if *fixed { "fixed" } else { "variable" };
                xml.push_str(&format!("<Line Code=\"{code}\" Kind=\"{kind}\">{value}</Line>"));
            }
            xml.push_str("</Payslip>");
        }
        xml.push_str("</Payslips>");
        Ok(xml)
    }

    fn debtor_exists(&self, id: i32) -> Result<(), MockFault> {
        if self.debtors.iter().any(|d| d.id == id) {
            Ok(())
        } else {
            Err(UNAUTHORIZED_DEBTOR)
        }
    }
}

/// `text` escaped for XML character data.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_files() {
        assert_eq!(Service::from_file("DebtorService.asmx"), Some(Service::Debtor));
        assert_eq!(Service::from_file("singlesignon.asmx"), Some(Service::SingleSignOn));
        assert_eq!(Service::from_file("DebtorService"), None);
        assert_eq!(Service::from_file("Other.asmx"), None);
        for service in Service::ALL {
            assert!(service.wsdl().contains(&format!("https://api.nmbrs.nl/soap/v3/{}", service.name())));
        }
    }

    #[test]
    fn header_names_are_expanded() {
        let doc = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><AuthHeaderWithDomain xmlns="urn:a"><Username>x</Username></AuthHeaderWithDomain><h:Other xmlns:h="urn:b"/></s:Header><s:Body><X/></s:Body></s:Envelope>"#;
        assert_eq!(header_names(doc), vec!["{urn:a}AuthHeaderWithDomain".to_owned(), "{urn:b}Other".to_owned()]);
        assert!(header_names(b"not xml").is_empty());
    }
}
