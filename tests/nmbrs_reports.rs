//! Nmbrs background reports over real HTTP against the mock service on 127.0.0.1: polling with
//! backoff on tokio's paused clock until Success, typed failures and timeouts, and polling that
//! stops when the caller's future is dropped.
//!
//! The backoff sleeps run on a paused clock. A paused clock jumps to the next timer whenever the
//! runtime waits, also while it waits for a socket. Two guards keep such jumps from firing the
//! HTTP timeouts: `tick` keeps a 5 ms timer pending, so each jump is small, and the clients use
//! HTTP timeouts of a day (virtual time), far beyond what the jumps can add up to.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use std::future::Future;
use std::time::Duration;

use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::report_service::{
    BackgroundTaskStatus, ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackground,
    ReportsGetJournalsReportByCompanyBackground,
};
use soapbind::nmbrs::{Client, Error, ErrorCode, PollOptions};
use tokio::time::Instant;

/// Fails a test that hangs instead of letting it run forever (not a speed assertion; on the
/// paused clock this bounds virtual time).
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(7 * 24 * 3600), f).await.expect("the test hung")
}

/// Keeps a 5 ms timer pending (see the file documentation).
fn tick() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        loop {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
}

/// A client for `mock` whose HTTP timeouts are a day long (see the file documentation).
fn client(mock: &MockNmbrs) -> Client {
    let day = Duration::from_secs(24 * 3600);
    let soap = soapbind::soap::Client::builder().connect_timeout(day).timeout(day).build().unwrap();
    mock.client_builder().soap_client(soap).build().unwrap()
}

/// Runs `test` with a fresh mock and a client for it on the paused clock, `tick` running and the
/// whole test `bounded`.
async fn on_paused_clock(test: impl AsyncFnOnce(&MockNmbrs, &Client)) {
    let mock = MockNmbrs::start().await.unwrap();
    let client = client(&mock);
    let ticker = tick();
    tokio::time::pause();
    bounded(test(&mock, &client)).await;
    ticker.abort();
}

fn journals(company_id: i32) -> ReportsGetJournalsReportByCompanyBackground {
    ReportsGetJournalsReportByCompanyBackground { company_id, start_period: 1, end_period: 12, year: 2024 }
}

#[tokio::test]
async fn a_report_completes_after_several_polls_and_its_content_is_returned() {
    on_paused_clock(async |mock, client| {
        mock.set_report_polls(3);
        let started = Instant::now();
        let report = client.report().run(journals(10), &PollOptions::default()).await.unwrap();
        let waited = started.elapsed();

        // Enqueued, Executing, Executing, then Success.
        assert_eq!(report.polls, 4);
        assert_eq!(mock.calls("Reports_BackgroundTask_Result"), 4);
        assert_eq!(mock.calls("Reports_GetJournalsReportByCompany_Background"), 1);
        // Waits of 1 + 2 + 4 + 8 s on the paused clock.
        assert!(waited >= Duration::from_secs(15), "{waited:?}");

        // The content arrives unescaped once: an XML document whose own escapes are intact.
        assert!(report.content.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?><Report "), "{}", report.content);
        assert!(report.content.contains("CompanyId=\"10\" Year=\"2024\""));
        assert!(report.content.contains("<Company>Acme Software B.V.</Company>"));
        assert!(report.content.contains("<Description>Loon &amp; salaris</Description><Amount>4250.00</Amount>"));
        assert!(report.content.ends_with("</Report>"));
    })
    .await;
}

#[tokio::test]
async fn reports_start_from_any_background_operation_or_a_future() {
    on_paused_clock(async |mock, client| {
        mock.set_report_polls(1);
        let reports = client.report();
        let options = PollOptions::default().initial_interval(Duration::from_secs(5)).factor(1.0);
        let request =
            ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackground { company_id: 20, year: 2023 };
        let report = reports.run(request, &options).await.unwrap();
        assert_eq!(report.polls, 2);
        assert!(report.content.contains("EmployeeId=\"200\""));

        // A background operation's method returns the task id itself.
        let start = reports.reports_get_wage_codes_by_run_company_v2_background(11, 1, 2024);
        let report = reports.run_with(start, &options).await.unwrap();
        assert!(report.content.contains("Name=\"Reports_GetWageCodesByRunCompany_v2_Background\""));
        assert!(report.content.contains("<Amount>22.75</Amount>"));

        // A report for a company the user cannot see fails when it is started.
        let err = reports.run(journals(999), &options).await.unwrap_err();
        assert_eq!(err.code(), Some(ErrorCode::UnauthorizedCompany), "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_failed_report_is_a_typed_error() {
    on_paused_clock(async |mock, client| {
        mock.set_report_polls(2);
        mock.set_report_failure(true);
        let err = client.report().run(journals(10), &PollOptions::default()).await.unwrap_err();
        match &err {
            Error::ReportFailed { status, content, .. } => {
                assert_eq!(*status, BackgroundTaskStatus::Error);
                assert_eq!(content.as_deref(), Some("The report could not be generated."));
            }
            other => panic!("expected ReportFailed, got {other:?}"),
        }
        assert!(err.to_string().contains("status Error"), "{err}");
        assert!(!err.is_retryable());
        assert_eq!(mock.calls("Reports_BackgroundTask_Result"), 3);
    })
    .await;
}

#[tokio::test]
async fn a_report_that_outlives_the_deadline_is_a_typed_timeout() {
    on_paused_clock(async |mock, client| {
        mock.set_report_polls(u32::MAX);
        let options = PollOptions::default().max_interval(Duration::from_secs(10)).deadline(Duration::from_secs(60));
        let started = Instant::now();
        let err = client.report().run(journals(10), &options).await.unwrap_err();
        let Error::ReportTimeout { polls, last_status, waited, task_id } = &err else {
            panic!("expected ReportTimeout, got {err:?}")
        };
        // 1, 2, 4, 8, then every 10 s up to the deadline: a last poll is made at the deadline.
        assert!(*polls >= 8, "{polls}");
        assert_eq!(mock.calls("Reports_BackgroundTask_Result"), *polls as usize);
        assert_eq!(*last_status, Some(BackgroundTaskStatus::Executing));
        assert!(*waited >= Duration::from_secs(60) && started.elapsed() >= Duration::from_secs(60));
        assert!(err.to_string().contains(&task_id.to_string()), "{err}");
    })
    .await;
}

#[tokio::test]
async fn dropping_the_future_stops_the_polling() {
    on_paused_clock(async |mock, client| {
        mock.set_report_polls(u32::MAX);
        let (reports, options) = (client.report(), PollOptions::default());
        let run = reports.run(journals(10), &options);
        assert!(tokio::time::timeout(Duration::from_secs(20), run).await.is_err());
        let polls = mock.calls("Reports_BackgroundTask_Result");
        assert!(polls >= 3, "{polls}");
        tokio::time::sleep(Duration::from_secs(120)).await;
        assert_eq!(mock.calls("Reports_BackgroundTask_Result"), polls, "no poll after the future was dropped");
    })
    .await;
}
