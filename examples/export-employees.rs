//! Exports every employee of every company into a SQLite file: the bulk job that trips a rate
//! limit, done inside one.
//!
//! `cargo run --example export-employees` starts the embedded mock Nmbrs service with a few
//! hundred employees and exports them; with `NMBRS_USERNAME` and `NMBRS_TOKEN` set (optionally
//! `NMBRS_DOMAIN`, and `NMBRS_ENV=sandbox` or `sweden`) it exports from the real service
//! instead, reading only.
//!
//! Options: `--out FILE` (default `target/export-employees.sqlite`, replaced if it exists),
//! `--employees N` (how many the mock adds to its four, default 300), `--concurrency N` (calls in
//! flight at once, default 8).
//!
//! The client keeps to Nmbrs' fair use (150 calls per second, its default) whatever the
//! concurrency, and retries what its retry policy allows (only reads here). For each company it
//! lists the employees (`List_GetByCompany`), then reads each one's personal info
//! (`PersonalInfo_GetCurrent`) and salary (`Salary_GetCurrent`). The file gets the tables
//! `companies`, `employees` and `salaries` (money as decimal text, never a float). A progress bar
//! shows on a terminal, plain lines otherwise; a summary ends the run. Ctrl-C stops cleanly:
//! calls in flight are dropped, what was read is committed, and the summary says so.

use std::error::Error;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rusqlite::{params, Connection};
use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::{company_service as cs, employee_service as es};
use soapbind::nmbrs::{self, Credentials, Domain, Environment};
use tokio::task::JoinSet;

type Result<T> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(Outcome::Complete) => std::process::ExitCode::SUCCESS,
        Ok(Outcome::Interrupted) => std::process::ExitCode::from(130),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The command line.
struct Options {
    out: PathBuf,
    employees: usize,
    concurrency: usize,
}

impl Options {
    fn parse() -> Result<Self> {
        let mut options = Options { out: "target/export-employees.sqlite".into(), employees: 300, concurrency: 8 };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--out" => options.out = value("--out")?.into(),
                "--employees" => options.employees = value("--employees")?.parse()?,
                "--concurrency" => options.concurrency = value("--concurrency")?.parse::<usize>()?.max(1),
                other => return Err(format!("unknown argument {other:?}; see the example's documentation").into()),
            }
        }
        Ok(options)
    }
}

/// How the export ended.
enum Outcome {
    Complete,
    Interrupted,
}

async fn run() -> Result<Outcome> {
    let options = Options::parse()?;
    // The mock lives as long as the export.
    let (client, _mock) = match client_from_env()? {
        Some(client) => {
            println!("exporting from {}", client.environment().base_url());
            (client, None)
        }
        None => {
            let mock = MockNmbrs::start().await?;
            mock.add_employees(options.employees);
            println!("exporting from the mock Nmbrs service at {}", mock.base_url());
            (mock.client()?, Some(mock))
        }
    };
    let mut db = open(&options.out)?;
    let started = Instant::now();
    let mut rows = Rows::default();
    let finished = {
        let export = export(&client, &mut db, options.concurrency, &mut rows);
        tokio::select! {
            result = export => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        }
    };
    // Dropping the export dropped the calls in flight; every row written is committed.
    let outcome = match finished {
        Some(result) => {
            result?;
            Outcome::Complete
        }
        None => Outcome::Interrupted,
    };
    let elapsed = started.elapsed();
    let stats = client.stats();
    let calls_per_second = stats.requests as f64 / elapsed.as_secs_f64().max(1e-9);
    match outcome {
        Outcome::Complete => println!("export complete: {}", options.out.display()),
        Outcome::Interrupted => {
            println!("export interrupted (Ctrl-C); the rows read so far are in {}", options.out.display())
        }
    }
    println!(
        "rows: {} ({} companies, {} employees, {} salaries)\n\
         calls: {} in {:.1} s, {calls_per_second:.0} calls/s (limit: {})\n\
         retries: {}; calls that waited for the limit: {} ({:.1} s in all)",
        rows.companies + rows.employees + rows.salaries,
        rows.companies,
        rows.employees,
        rows.salaries,
        stats.requests,
        elapsed.as_secs_f64(),
        client.rate_limiter().limit().map_or("none".to_owned(), |l| l.to_string()),
        stats.retries,
        stats.limited,
        stats.limit_wait.as_secs_f64(),
    );
    Ok(outcome)
}

fn client_from_env() -> Result<Option<nmbrs::Client>> {
    if std::env::var_os("NMBRS_USERNAME").is_none() && std::env::var_os("NMBRS_TOKEN").is_none() {
        return Ok(None);
    }
    let environment = match std::env::var("NMBRS_ENV").as_deref() {
        Ok("sandbox") => Environment::Sandbox,
        Ok("sweden") => Environment::Sweden,
        _ => Environment::Production,
    };
    let domain = std::env::var("NMBRS_DOMAIN").map_or(Domain::Discover, Domain::Fixed);
    Ok(Some(nmbrs::Client::builder(Credentials::from_env()?, environment).domain(domain).build()?))
}

/// A new SQLite file at `path` with the export's tables.
fn open(path: &PathBuf) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let db = Connection::open(path)?;
    // Each row is its own transaction (committed at once, so an interrupted export keeps what it
    // read); WAL without a sync per commit keeps that fast.
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         CREATE TABLE companies (id INTEGER PRIMARY KEY, number INTEGER NOT NULL, name TEXT);
         CREATE TABLE employees (
             id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES companies(id), number INTEGER NOT NULL,
             display_name TEXT, first_name TEXT, last_name TEXT, gender TEXT, birthday TEXT, email_work TEXT);
         CREATE TABLE salaries (
             employee_id INTEGER PRIMARY KEY REFERENCES employees(id), amount TEXT NOT NULL, type TEXT NOT NULL,
             start_date TEXT NOT NULL);",
    )?;
    Ok(db)
}

// ----- The calls (one function each, so that a change of the generated API is one edit) -------

async fn companies(client: &nmbrs::Client) -> Result<Vec<cs::Company>> {
    Ok(client.company().list_get_all().await?)
}

async fn employees(client: &nmbrs::Client, company_id: i32) -> Result<Vec<es::Employee>> {
    Ok(client.employee().list_get_by_company(company_id, 1).await?)
}

async fn personal_info(client: &nmbrs::Client, employee_id: i32) -> Result<es::PersonalInfo> {
    Ok(client.employee().personal_info_get_current(employee_id).await?)
}

/// The current salary; `None` for an employee without one. Through the `raw()` view, whose reply
/// keeps the result optional: `salary_get_current` treats a reply without a salary as an error.
async fn salary(client: &nmbrs::Client, employee_id: i32) -> Result<Option<es::Salary>> {
    let request = es::SalaryGetCurrent { employee_id };
    Ok(client.employee().raw().salary_get_current(request).await?.salary_get_current_result)
}

// ----- The export -------------------------------------------------------------------------------

/// Rows written so far.
#[derive(Debug, Default)]
struct Rows {
    companies: u64,
    employees: u64,
    salaries: u64,
}

/// One employee, as read.
struct Record {
    company_id: i32,
    employee: es::Employee,
    info: es::PersonalInfo,
    salary: Option<es::Salary>,
}

/// Lists the companies and their employees, then reads every employee with at most
/// `concurrency` calls in flight, writing each one as it arrives.
async fn export(client: &nmbrs::Client, db: &mut Connection, concurrency: usize, rows: &mut Rows) -> Result<()> {
    let mut payroll = Vec::new();
    for company in companies(client).await? {
        db.execute(
            "INSERT INTO companies (id, number, name) VALUES (?1, ?2, ?3)",
            params![company.id, company.number, company.name],
        )?;
        rows.companies += 1;
        payroll.push((company.id, employees(client, company.id).await?));
    }
    let total: usize = payroll.iter().map(|(_, list)| list.len()).sum();
    let progress = Progress::new(total as u64);
    let mut in_flight = JoinSet::new();
    for (company_id, list) in payroll {
        for employee in list {
            while in_flight.len() >= concurrency {
                write(db, next(&mut in_flight).await?, rows)?;
                progress.tick();
            }
            let client = client.clone();
            in_flight.spawn(async move {
                let info = personal_info(&client, employee.id).await?;
                let salary = salary(&client, employee.id).await?;
                Ok(Record { company_id, employee, info, salary })
            });
        }
    }
    while !in_flight.is_empty() {
        write(db, next(&mut in_flight).await?, rows)?;
        progress.tick();
    }
    progress.finish();
    Ok(())
}

async fn next(in_flight: &mut JoinSet<Result<Record>>) -> Result<Record> {
    match in_flight.join_next().await {
        Some(joined) => joined?,
        None => Err("no call in flight".into()),
    }
}

fn write(db: &Connection, record: Record, rows: &mut Rows) -> Result<()> {
    let Record { company_id, employee, info, salary } = record;
    db.execute(
        "INSERT INTO employees (id, company_id, number, display_name, first_name, last_name, gender, birthday, email_work)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            employee.id,
            company_id,
            employee.number,
            employee.display_name,
            info.first_name,
            info.last_name,
            info.gender.as_ref().map(|g| g.as_str().to_owned()),
            info.birthday.map(|b| b.to_string()),
            info.email_work,
        ],
    )?;
    rows.employees += 1;
    if let Some(salary) = salary {
        db.execute(
            "INSERT INTO salaries (employee_id, amount, type, start_date) VALUES (?1, ?2, ?3, ?4)",
            params![employee.id, salary.value.to_string(), salary.r#type.as_str(), salary.start_date.to_string()],
        )?;
        rows.salaries += 1;
    }
    Ok(())
}

/// A progress bar on a terminal, a line per tenth of the work otherwise.
enum Progress {
    Bar(ProgressBar),
    Lines { total: u64, done: std::cell::Cell<u64> },
}

impl Progress {
    fn new(total: u64) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{bar:40} {pos}/{len} employees, {per_sec}, eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Progress::Bar(bar)
        } else {
            println!("{total} employees to export");
            Progress::Lines { total, done: std::cell::Cell::new(0) }
        }
    }

    fn tick(&self) {
        match self {
            Progress::Bar(bar) => bar.inc(1),
            Progress::Lines { total, done } => {
                let now = done.get() + 1;
                done.set(now);
                let step = (*total / 10).max(1);
                if now % step == 0 || now == *total {
                    println!("exported {now}/{total} employees");
                }
            }
        }
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish();
        }
    }
}
