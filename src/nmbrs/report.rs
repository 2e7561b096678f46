//! Background reports: start a `Reports_*_Background` task, poll
//! `Reports_BackgroundTask_Result` with backoff, return the report.

use std::future::Future;
use std::time::Duration;

use tokio::time::{sleep_until, Instant};
use uuid::Uuid;

use crate::soap::xml::Element;
use crate::soap::{Call, Operation};

use super::generated::report_service::{self as rs, AuthHeaderWithDomain, BackgroundTaskStatus};
use super::{Error, ReportService};

/// How [`ReportService::run`] polls for the result.
///
/// The first poll comes after `initial_interval`; each wait is `factor` times the previous one,
/// at most `max_interval`; polling stops at `deadline` after the start (one last poll is made
/// at the deadline). Time is measured with tokio's clock, so tests can pause it.
///
/// ```
/// use std::time::Duration;
/// use soapbind::nmbrs::PollOptions;
///
/// let options = PollOptions::default()
///     .initial_interval(Duration::from_secs(5))
///     .max_interval(Duration::from_secs(60))
///     .deadline(Duration::from_secs(600));
/// assert_eq!(options.factor_value(), 2.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PollOptions {
    initial_interval: Duration,
    factor: f64,
    max_interval: Duration,
    deadline: Duration,
}

impl Default for PollOptions {
    /// 1 s, doubling, at most 60 s between polls, for at most an hour.
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(1),
            factor: 2.0,
            max_interval: Duration::from_secs(60),
            deadline: Duration::from_secs(3600),
        }
    }
}

impl PollOptions {
    /// The wait before the first poll (at least 1 ms).
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// The factor each wait grows by (at least 1.0; 1.0 polls at a fixed interval).
    pub fn factor(mut self, factor: f64) -> Self {
        self.factor = if factor.is_finite() { factor.max(1.0) } else { 1.0 };
        self
    }

    /// The longest wait between polls.
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// How long to wait for the report in all, from the start of polling.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The wait before the first poll.
    pub fn initial_interval_value(&self) -> Duration {
        self.initial_interval
    }

    /// The growth factor of the wait.
    pub fn factor_value(&self) -> f64 {
        self.factor
    }

    /// The longest wait between polls.
    pub fn max_interval_value(&self) -> Duration {
        self.max_interval
    }

    /// The overall deadline.
    pub fn deadline_value(&self) -> Duration {
        self.deadline
    }

    fn next_interval(&self, interval: Duration) -> Duration {
        interval.mul_f64(self.factor).min(self.max_interval)
    }
}

/// A finished background report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The task that produced it.
    pub task_id: Uuid,
    /// The report: the `Content` of the task result, already unescaped (usually an XML
    /// document).
    pub content: String,
    /// How many times the result was polled.
    pub polls: u32,
}

/// A `Reports_*_Background` request: starts a report task whose id the reply carries.
///
/// Implemented for every background report of the contract; pass one to
/// [`ReportService::run`].
pub trait BackgroundReport: Element + Sync {
    /// The reply, which carries the task id.
    type Response: Element + Send;
    /// The operation.
    const OPERATION: &'static Operation;
    /// The task id in the reply.
    fn task_id(response: &Self::Response) -> Uuid;
}

macro_rules! background_reports {
    ($($request:ident => $response:ident, $op:ident, $field:ident;)+) => {$(
        impl BackgroundReport for rs::$request {
            type Response = rs::$response;
            const OPERATION: &'static Operation = &rs::operations::$op;
            fn task_id(response: &Self::Response) -> Uuid {
                response.$field
            }
        }
    )+};
}

background_reports! {
    ReportsGetJournalsReportByCompanyBackground => ReportsGetJournalsReportByCompanyBackgroundResponse,
        REPORTS_GET_JOURNALS_REPORT_BY_COMPANY_BACKGROUND, reports_get_journals_report_by_company_background_result;
    ReportsGetWageCodesByRunCompanyV2Background => ReportsGetWageCodesByRunCompanyV2BackgroundResponse,
        REPORTS_GET_WAGE_CODES_BY_RUN_COMPANY_V2_BACKGROUND, reports_get_wage_codes_by_run_company_v2_background_result;
    ReportsGetWageCodesByRunCompanyFilterByWageCodeBackground
        => ReportsGetWageCodesByRunCompanyFilterByWageCodeBackgroundResponse,
        REPORTS_GET_WAGE_CODES_BY_RUN_COMPANY_FILTER_BY_WAGE_CODE_BACKGROUND,
        reports_get_wage_codes_by_run_company_filter_by_wage_code_background_result;
    ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackground
        => ReportsAccountantCompanyEmployeeWageComponentsPerRunPeriodBackgroundResponse,
        REPORTS_ACCOUNTANT_COMPANY_EMPLOYEE_WAGE_COMPONENTS_PER_RUN_PERIOD_BACKGROUND,
        reports_accountant_company_employee_wage_components_per_run_period_background_result;
}

impl ReportService {
    /// Starts the background report `request` and waits for it (see [`wait`](Self::wait)).
    ///
    /// Nothing is spawned: dropping the returned future stops the polling.
    ///
    /// ```no_run
    /// use soapbind::nmbrs::{Client, Credentials, Environment, PollOptions};
    /// use soapbind::nmbrs::generated::report_service::ReportsGetJournalsReportByCompanyBackground;
    ///
    /// # async fn run() -> Result<(), soapbind::nmbrs::Error> {
    /// let client = Client::new(Credentials::from_env()?, Environment::Production)?;
    /// let request = ReportsGetJournalsReportByCompanyBackground { company_id: 42, start_period: 1, end_period: 12, year: 2024 };
    /// let report = client.report().run(request, &PollOptions::default()).await?;
    /// println!("{}", report.content);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As starting the task, then as [`wait`](Self::wait).
    pub async fn run<R: BackgroundReport>(&self, request: R, options: &PollOptions) -> Result<Report, Error> {
        let response = self.caller().call::<AuthHeaderWithDomain, R, R::Response>(R::OPERATION, &request).await?;
        self.wait(R::task_id(&response), options).await
    }

    /// Awaits `start` (any future that starts a task and yields its id, e.g. a call of a
    /// generated `reports_*_background` method), then waits for the task.
    ///
    /// # Errors
    /// As `start`, then as [`wait`](Self::wait).
    pub async fn run_with<F>(&self, start: F, options: &PollOptions) -> Result<Report, Error>
    where
        F: Future<Output = Result<Uuid, Error>>,
    {
        let task_id = start.await?;
        self.wait(task_id, options).await
    }

    /// Polls `Reports_BackgroundTask_Result` for `task_id` until the task ends or the deadline
    /// passes. `Enqueued` and `Executing` keep polling; `Success` returns the content.
    /// Transient transport failures of a poll are retried at the next poll; any other error
    /// ends the wait.
    ///
    /// # Errors
    /// [`Error::ReportFailed`] for `Error`, `Unknown` or an unlisted status;
    /// [`Error::ReportTimeout`] at the deadline; [`Error::MissingResult`] for a `Success` without
    /// content; any error of the poll call (a reply without a result is a
    /// [`soap::Error::Contract`](crate::soap::Error::Contract) naming the missing element).
    pub async fn wait(&self, task_id: Uuid, options: &PollOptions) -> Result<Report, Error> {
        let started = Instant::now();
        let deadline = started + options.deadline;
        let mut interval = options.initial_interval;
        let mut polls = 0u32;
        let mut last_status = None;
        loop {
            let now = Instant::now();
            if polls > 0 && now >= deadline {
                return Err(Error::ReportTimeout { task_id, waited: now - started, polls, last_status });
            }
            sleep_until((now + interval).min(deadline)).await;
            interval = options.next_interval(interval);
            polls += 1;
            let result = match self.reports_background_task_result(task_id).await {
                Ok(result) => result,
                Err(e) if e.is_retryable() => {
                    tracing::debug!(%task_id, error = %e, "polling the report failed; trying again");
                    continue;
                }
                Err(e) => return Err(e),
            };
            let operation = rs::operations::REPORTS_BACKGROUND_TASK_RESULT.name;
            match result.status {
                BackgroundTaskStatus::Success => {
                    let content = result.content.ok_or(Error::MissingResult { operation, what: "Content" })?;
                    return Ok(Report { task_id, content, polls });
                }
                BackgroundTaskStatus::Enqueued | BackgroundTaskStatus::Executing => {
                    tracing::trace!(%task_id, status = result.status.as_str(), polls, "report not ready");
                    last_status = Some(result.status);
                }
                status => return Err(Error::ReportFailed { task_id, status, content: result.content }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_the_cap() {
        let o = PollOptions::default();
        let mut i = o.initial_interval_value();
        let mut seen = vec![i.as_secs()];
        for _ in 0..8 {
            i = o.next_interval(i);
            seen.push(i.as_secs());
        }
        assert_eq!(seen, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(o.deadline_value(), Duration::from_secs(3600));
        let flat = PollOptions::default().factor(0.5);
        assert_eq!(flat.next_interval(Duration::from_secs(3)), Duration::from_secs(3));
        assert_eq!(PollOptions::default().factor(f64::NAN).factor_value(), 1.0);
    }
}
