//! Nmbrs payroll SOAP API v3: the generated service clients plus a thin layer for
//! authentication, domain discovery, error codes, report polling and single sign-on.
//!
//! - [`Client`] holds the [`Credentials`], the [`Environment`] and the [`Domain`] setting and
//!   hands out one handle per service ([`Client::debtor`], [`Client::company`],
//!   [`Client::employee`], [`Client::report`], [`Client::single_sign_on`]): the generated
//!   clients over the [`Caller`], which supplies the header each operation declares.
//! - [`Error`] turns Nmbrs faults into an [`ErrorCode`]; error 1001 becomes
//!   [`Error::InvalidAuthentication`] with an [`AuthCause`] saying whether the e-mail/token pair
//!   or the domain is wrong.
//! - [`ReportService::run`] starts a background report and polls for it with backoff.
//! - [`SingleSignOnService::login`] and [`login_url`] log a user in to the web application.
//!
//! See `docs/nmbrs.md` for how authentication, the domain and error 1001 are handled.
//!
//! ```no_run
//! use soapbind::nmbrs::{Client, Credentials, Environment};
//!
//! # async fn run() -> Result<(), soapbind::nmbrs::Error> {
//! let client = Client::new(Credentials::new("api@example.com", "token"), Environment::Sandbox)?;
//! for employee in client.employee().list_get_by_company(42, 1).await? {
//!     println!("{} {:?}", employee.id, employee.display_name);
//! }
//! # Ok(()) }
//! ```

mod client;
mod config;
mod error;
mod report;
mod sso;

#[cfg(feature = "nmbrs-company")]
pub use client::CompanyService;
#[cfg(feature = "nmbrs-employee")]
pub use client::EmployeeService;
pub use client::{Caller, Client, ClientBuilder, DebtorService, ReportService, SingleSignOnService};
pub use config::{Credentials, Domain, Environment};
pub use error::{parse_fault_text, ApiFault, AuthCause, Error, ErrorCode};
pub use report::{BackgroundReport, PollOptions, Report};
pub use sso::{login_url, login_url_on_host, SsoLogin, SSO_TOKEN_VALIDITY};

/// Generated bindings of the vendored Nmbrs v3 contracts (`wsdl/nmbrs/v3/`).
pub mod generated {
    /// `DebtorService`.
    pub mod debtor_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/debtor_service.rs"));
    }
    /// `CompanyService` (feature `nmbrs-company`).
    #[cfg(feature = "nmbrs-company")]
    pub mod company_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/company_service.rs"));
    }
    /// `EmployeeService` (feature `nmbrs-employee`).
    #[cfg(feature = "nmbrs-employee")]
    pub mod employee_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/employee_service.rs"));
    }
    /// `ReportService`.
    pub mod report_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/report_service.rs"));
    }
    /// `SingleSignOn`.
    pub mod single_sign_on {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/single_sign_on.rs"));
    }
}
