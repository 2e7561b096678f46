//! Errors of the Nmbrs layer: Nmbrs error codes, invalid authentication (1001) with its cause,
//! report failures, and everything the SOAP runtime can report.

use std::fmt;
use std::time::Duration;

use crate::soap::{self, Fault};

use super::generated::report_service::BackgroundTaskStatus;

macro_rules! error_codes {
    ($($number:literal => $variant:ident, $doc:literal;)+) => {
        /// A Nmbrs API error number, as found in fault texts (`---> 1001: Invalid Authentication`).
        ///
        /// Every number Nmbrs documents has a variant; any other number parses as
        /// [`Unknown`](ErrorCode::Unknown), keeping the number.
        ///
        /// ```
        /// use soapbind::nmbrs::ErrorCode;
        ///
        /// assert_eq!(ErrorCode::from_number(2011), ErrorCode::ProtectedMode);
        /// assert_eq!(ErrorCode::ProtectedMode.number(), 2011);
        /// assert_eq!(ErrorCode::from_number(4242), ErrorCode::Unknown(4242));
        /// assert_eq!(ErrorCode::from_number(4242).number(), 4242);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!(stringify!($number), ": ", $doc, ".")]
                $variant,
            )+
            /// A number this crate does not know (it is kept as sent).
            Unknown(u32),
        }

        impl ErrorCode {
            /// Every documented code, in numeric order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The code for `number` ([`Unknown`](ErrorCode::Unknown) when it is not documented).
            pub fn from_number(number: u32) -> Self {
                match number {
                    $($number => ErrorCode::$variant,)+
                    other => ErrorCode::Unknown(other),
                }
            }

            /// The number, e.g. `1001`.
            pub fn number(self) -> u32 {
                match self {
                    $(ErrorCode::$variant => $number,)+
                    ErrorCode::Unknown(n) => n,
                }
            }

            /// What the code means, as Nmbrs documents it.
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $doc,)+
                    ErrorCode::Unknown(_) => "an error number this client does not know; see the title",
                }
            }
        }
    };
}

error_codes! {
    1001 => InvalidAuthentication, "invalid authentication: the e-mail address, API token or domain is wrong";
    1002 => UnauthorizedAccess, "unauthorized access: the API user's template lacks the rights for this call";
    1003 => UnauthorizedData, "unauthorized data: debtor or company tag filters hide this data from the user";
    1004 => NoValidSubscription, "disabled: there is no valid subscription";
    1006 => LoginSecurityFailure, "generic login security failure (single sign-on); a retry can help";
    2001 => InvalidHourComponent, "invalid hour component";
    2002 => InvalidWageComponent, "invalid wage component";
    2003 => UnauthorizedEmployee, "unauthorized employee: the employee does not exist or the user may not see it";
    2004 => UnauthorizedCompany, "unauthorized company: the company does not exist or the user may not see it";
    2006 => InvalidPeriod, "invalid period for the company's period type";
    2009 => UnauthorizedDebtor, "unauthorized debtor: the debtor does not exist or the user may not see it";
    2011 => ProtectedMode, "protected mode: the change touches the past; send UnprotectedMode=true to allow it";
    2012 => WageTaxDeclarationAlreadySent, "the wage tax declaration was already sent";
    2013 => NotPossibleOnFreeTrial, "not possible on a free trial";
    2014 => InvalidIban, "invalid IBAN";
    2015 => InvalidAccountNumber, "invalid account number";
    2016 => InvalidAccountType, "invalid account type";
    2017 => InvalidLabourAgreementId, "invalid labour agreement id";
    2018 => InvalidLeaveId, "invalid leave id";
    2019 => TaskStatusNotAvailable2019, "task status not available";
    2020 => TaskStatusNotAvailable2020, "task status not available";
    2021 => InvalidTaskResult, "invalid task result";
    2022 => InvalidLeaveType, "invalid leave type";
    2028 => StartTimeAfterEndTime, "the start time is after the end time";
    2029 => TimeSlotsOverlap, "time slots overlap";
    2030 => InvalidSetOfValues, "invalid set of values";
    2032 => IbanRequired, "an IBAN is required";
    2033 => TaxTypeRequired, "a tax type is required (Sweden)";
    2034 => InvalidTaxType, "invalid tax type (Sweden)";
    2035 => TaxFormRequired, "a tax form is required (Sweden)";
    2036 => InvalidTaxForm, "invalid tax form (Sweden)";
    2037 => InvalidCostCenterId, "invalid cost center id";
    2038 => InvalidCostCenterCode, "invalid cost center code";
    2039 => DuplicatedCostCenterCode, "duplicated cost center code";
    2040 => FileNameWithoutExtension, "the file name needs an extension";
    2041 => FileTooLarge, "the file is too large";
    2042 => UserInSeveralEnvironments, "the user exists in several environments; use GetTokenWithDomain";
    2043 => InvalidDomain, "invalid domain";
    2044 => InvalidEndpoint, "invalid endpoint: a webhook URL must use https";
    2045 => InvalidName, "invalid name";
    2046 => NotFound, "not found";
    2047 => InvalidDocumentType, "invalid document type";
    9999 => UnknownError, "unknown error (GetToken also answers it when the user belongs to several environments)";
}

impl ErrorCode {
    /// Whether sending the same call again may succeed: only for 1006 (login security failure),
    /// which Nmbrs documents as transient. The client never retries it by itself (a burst of
    /// login attempts is what such a check guards against); the caller decides.
    pub fn is_retryable(self) -> bool {
        self == ErrorCode::LoginSecurityFailure
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.number(), self.description())
    }
}

/// Splits a Nmbrs fault text into its error code and title.
///
/// Nmbrs puts the error after an ASMX arrow: `Server was unable to process request. ---> 1001:
/// Invalid Authentication`. The last arrow that is followed by a number wins (inner exceptions
/// come last); the title runs to the end of that line or to the next arrow. A text with an arrow but no number gives
/// no code and the text after the last arrow as title (`---> Invalid combination
/// email/password`); a text without an arrow gives no code and its first line as title.
///
/// ```
/// use soapbind::nmbrs::{parse_fault_text, ErrorCode};
///
/// let text = "System.Web.Services.Protocols.SoapException: Server was unable to process request. \
///             ---> 1001: Invalid Authentication";
/// assert_eq!(parse_fault_text(text), (Some(ErrorCode::InvalidAuthentication), "Invalid Authentication"));
/// assert_eq!(
///     parse_fault_text("Server was unable to process request. ---> Invalid combination email/password"),
///     (None, "Invalid combination email/password")
/// );
/// ```
pub fn parse_fault_text(text: &str) -> (Option<ErrorCode>, &str) {
    const ARROW: &str = "--->";
    let mut last_untitled: Option<&str> = None;
    let mut found: Option<(ErrorCode, &str)> = None;
    for (at, _) in text.match_indices(ARROW) {
        let after = first_line(&text[at + ARROW.len()..]);
        match numbered(after) {
            Some(hit) => found = Some(hit),
            None => last_untitled = Some(after),
        }
    }
    if let Some((code, title)) = found {
        return (Some(code), title);
    }
    match last_untitled {
        Some(title) => (None, title),
        // No arrow: the text may still start with `NNNN: Title`.
        None => match numbered(first_line(text)) {
            Some((code, title)) => (Some(code), title),
            None => (None, first_line(text)),
        },
    }
}

/// The trimmed text up to the first line break or the next arrow.
fn first_line(text: &str) -> &str {
    let line = text.trim_start().lines().next().unwrap_or_default();
    line[..line.find("--->").unwrap_or(line.len())].trim()
}

/// `NNNN: Title` → the code and the title.
fn numbered(text: &str) -> Option<(ErrorCode, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let rest = text[digits..].trim_start().strip_prefix(':')?;
    let number: u32 = text[..digits].parse().ok()?;
    Some((ErrorCode::from_number(number), rest.trim()))
}

/// A SOAP fault from Nmbrs, with the error number read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiFault {
    /// The operation whose call failed, e.g. `List_GetByCompany`.
    pub operation: &'static str,
    /// The Nmbrs error code, when the fault text carries a number.
    pub code: Option<ErrorCode>,
    /// The title after the number (or the text after the arrow when there is no number).
    pub title: String,
    /// The full fault text (`faultstring` / `Reason/Text`), secrets redacted.
    pub text: String,
    /// The SOAP fault as received (code, subcodes, detail).
    pub fault: Fault,
}

impl ApiFault {
    /// Reads the code and title of `fault`, raised by `operation`.
    pub fn new(operation: &'static str, fault: Fault) -> Self {
        let (code, title) = parse_fault_text(&fault.reason);
        Self { operation, code, title: title.to_owned(), text: fault.reason.trim().to_owned(), fault }
    }
}

impl fmt::Display for ApiFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(
                f,
                "{} failed with Nmbrs error {}: {} ({})",
                self.operation,
                code.number(),
                self.title,
                code.description()
            ),
            None => write!(f, "{} failed with a SOAP fault ({}): {}", self.operation, self.fault.code, self.title),
        }
    }
}

/// Why Nmbrs answered 1001 Invalid Authentication, as far as the client could tell.
///
/// The client finds out by calling `DebtorService.Environment_Get` with the same e-mail and
/// token: that call takes no domain, so it fails only when the e-mail/token pair is wrong, and
/// it names the domain the pair belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthCause {
    /// The e-mail/token pair is not valid (`Environment_Get` fails with 1001 too).
    Credentials,
    /// The e-mail/token pair is valid but belongs to another domain than the one sent.
    Domain {
        /// The domain the call was sent with (configured or discovered earlier).
        configured: String,
        /// The domain `Environment_Get` names for these credentials.
        actual: String,
    },
    /// `Environment_Get` confirms both the credentials and the domain, yet the call was refused.
    Unexplained {
        /// The domain the call was sent with, which `Environment_Get` confirms.
        domain: String,
    },
    /// The check with `Environment_Get` could not be made (it failed otherwise than with 1001).
    Undiagnosed {
        /// Why the check failed.
        reason: String,
    },
}

impl fmt::Display for AuthCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthCause::Credentials => f.write_str(
                "the e-mail address and API token are not valid (DebtorService.Environment_Get refuses them too). \
                 Usual reasons: the user account was deleted, the API token was reset, or there is a typo in the \
                 e-mail address or token. Log in to Nmbrs as that user, open the user profile, tab \"API Token\", \
                 and compare. A user added at debtor level for an API connection cannot see its own token: the \
                 owner of the environment must look it up (debtor, client login section, API token) and send it",
            ),
            AuthCause::Domain { configured, actual } => write!(
                f,
                "the domain is wrong: the call was sent with domain `{configured}`, but these credentials belong \
                 to domain `{actual}` (according to DebtorService.Environment_Get). Use domain `{actual}`, or let \
                 the client discover the domain"
            ),
            AuthCause::Unexplained { domain } => write!(
                f,
                "DebtorService.Environment_Get accepts these credentials and confirms domain `{domain}`, yet the \
                 call was refused. Check the Nmbrs status page for incidents; otherwise contact Nmbrs Support with \
                 the date and time of the error and the API method"
            ),
            AuthCause::Undiagnosed { reason } => write!(
                f,
                "either the e-mail address/API token or the domain is wrong; checking with \
                 DebtorService.Environment_Get failed ({reason})"
            ),
        }
    }
}

/// An error of the Nmbrs client.
///
/// Nmbrs faults become [`Api`](Error::Api) (with the [`ErrorCode`]) or, for error 1001,
/// [`InvalidAuthentication`](Error::InvalidAuthentication) with its diagnosed cause. Use
/// [`is_retryable`](Error::is_retryable) to decide whether trying again may help. The API token
/// never appears in the message or the `Debug` form.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Nmbrs answered with a fault (any code but a diagnosed 1001).
    #[error("{0}")]
    Api(Box<ApiFault>),

    /// Nmbrs answered 1001 Invalid Authentication; `cause` says why.
    #[error("Nmbrs refused {operation} for user {username} with error 1001 Invalid Authentication: {cause}")]
    InvalidAuthentication {
        /// What is wrong: the credentials, the domain, or neither as far as the client can tell.
        cause: AuthCause,
        /// The operation the caller asked for.
        operation: &'static str,
        /// The e-mail address sent (never the token).
        username: String,
        /// The 1001 fault (from `operation`, or from `Environment_Get` when discovering the domain
        /// failed).
        fault: Box<ApiFault>,
    },

    /// A background report ended with status `Error` or `Unknown` (or a status the contract does
    /// not list).
    #[error(
        "report task {task_id} ended with status {}{}; check the report's parameters (company, run, period, year)",
        status.as_str(),
        content.as_deref().filter(|c| !c.trim().is_empty()).map(|c| format!(": {}", excerpt(c))).unwrap_or_default()
    )]
    ReportFailed {
        /// The task.
        task_id: uuid::Uuid,
        /// The final status.
        status: BackgroundTaskStatus,
        /// The content sent with the status, if any.
        content: Option<String>,
    },

    /// A background report did not finish before the deadline.
    #[error(
        "report task {task_id} did not finish within {}s ({polls} polls, last status {}); raise the deadline in \
         PollOptions or poll again later with `wait`",
        waited.as_secs(),
        last_status.as_ref().map_or("none", BackgroundTaskStatus::as_str)
    )]
    ReportTimeout {
        /// The task, which may still finish: poll it again with `ReportService::wait`.
        task_id: uuid::Uuid,
        /// Time spent waiting (tokio's clock).
        waited: Duration,
        /// Polls made.
        polls: u32,
        /// The last status seen, if any poll succeeded.
        last_status: Option<BackgroundTaskStatus>,
    },

    /// A reply lacked a value the client needs (e.g. `Environment_Get` without a `SubDomain`).
    #[error("the reply of {operation} has no {what}; the service answered something the client cannot use")]
    MissingResult {
        /// The operation.
        operation: &'static str,
        /// What is missing.
        what: &'static str,
    },

    /// The client configuration is not usable.
    #[error("invalid Nmbrs client configuration: {what}: {reason}")]
    InvalidConfig {
        /// The setting.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// The call failed in the SOAP runtime (connection, timeout, HTTP status, malformed or
    /// unexpected reply).
    #[error(transparent)]
    Soap(soap::Error),

    /// The domain discovery (`Environment_Get`) this call waited for — started by a concurrent
    /// call of the same client — failed. The call that ran it got the error itself; the others
    /// get its message, so that a failing discovery is not repeated once per waiting caller.
    #[error("the Nmbrs domain discovery this call waited for failed: {message}")]
    DiscoveryFailed {
        /// The message of the discovery's error.
        message: String,
        /// Whether that error was retryable.
        retryable: bool,
    },
}

/// At most about 200 characters of `text`, on one line.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = line.chars().take(200).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out
}

impl From<soap::Error> for Error {
    /// A fault becomes [`Error::Api`] with its code read from the text; anything else
    /// [`Error::Soap`].
    fn from(e: soap::Error) -> Self {
        match e {
            soap::Error::Fault { operation, fault } => Error::Api(Box::new(ApiFault::new(operation, *fault))),
            other => Error::Soap(other),
        }
    }
}

impl Error {
    /// The Nmbrs error code, for [`Api`](Error::Api) and
    /// [`InvalidAuthentication`](Error::InvalidAuthentication) errors.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api(fault) => fault.code,
            Error::InvalidAuthentication { fault, .. } => fault.code,
            _ => None,
        }
    }

    /// The Nmbrs fault, when there is one.
    pub fn api_fault(&self) -> Option<&ApiFault> {
        match self {
            Error::Api(fault) | Error::InvalidAuthentication { fault, .. } => Some(fault),
            _ => None,
        }
    }

    /// The cause of an [`InvalidAuthentication`](Error::InvalidAuthentication) error.
    pub fn auth_cause(&self) -> Option<&AuthCause> {
        match self {
            Error::InvalidAuthentication { cause, .. } => Some(cause),
            _ => None,
        }
    }

    /// Whether sending the same call again may succeed.
    ///
    /// True for transient transport failures (see [`soap::Error::is_retryable`]) and for Nmbrs
    /// error 1006. False for every other Nmbrs code, for invalid authentication (the client has
    /// already rediscovered the domain and retried where that could help), for report failures
    /// and timeouts, and for configuration errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Soap(e) => e.is_retryable(),
            Error::Api(fault) => fault.code.is_some_and(ErrorCode::is_retryable),
            Error::DiscoveryFailed { retryable, .. } => *retryable,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{QualifiedName, SoapVersion};

    #[test]
    fn numbered_fault_texts() {
        let asmx = "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> 1001: \
                    Invalid Authentication";
        assert_eq!(parse_fault_text(asmx), (Some(ErrorCode::InvalidAuthentication), "Invalid Authentication"));
        assert_eq!(parse_fault_text("---> 2011: Protected Mode"), (Some(ErrorCode::ProtectedMode), "Protected Mode"));
        assert_eq!(parse_fault_text("--->2046:Not found"), (Some(ErrorCode::NotFound), "Not found"));
        assert_eq!(parse_fault_text("---> 9999 : Unknown error"), (Some(ErrorCode::UnknownError), "Unknown error"));
        // Without an arrow, a leading number still counts.
        assert_eq!(
            parse_fault_text("2004: Unauthorized Company"),
            (Some(ErrorCode::UnauthorizedCompany), "Unauthorized Company")
        );
    }

    #[test]
    fn unknown_numbers_parse_and_keep_the_number() {
        let (code, title) = parse_fault_text("Server was unable to process request. ---> 4711: Something new");
        assert_eq!(code, Some(ErrorCode::Unknown(4711)));
        assert_eq!(code.map(ErrorCode::number), Some(4711));
        assert_eq!(title, "Something new");
        assert_eq!(parse_fault_text("---> 0: zero").0, Some(ErrorCode::Unknown(0)));
    }

    #[test]
    fn fault_texts_without_a_number() {
        assert_eq!(
            parse_fault_text("Server was unable to process request. ---> Invalid combination email/password"),
            (None, "Invalid combination email/password")
        );
        assert_eq!(
            parse_fault_text(
                "Unable to handle request without a valid action parameter. Please supply a valid soap action."
            ),
            (None, "Unable to handle request without a valid action parameter. Please supply a valid soap action.")
        );
        assert_eq!(parse_fault_text("---> 12345678901: too long"), (None, "12345678901: too long"));
        assert_eq!(parse_fault_text("---> 1001 Invalid Authentication"), (None, "1001 Invalid Authentication"));
        assert_eq!(parse_fault_text(""), (None, ""));
    }

    #[test]
    fn the_innermost_numbered_arrow_wins_and_stack_traces_are_cut() {
        let text = "System.Web.Services.Protocols.SoapException: Server was unable to process request. ---> \
                    System.Exception: wrapped ---> 2003: Unauthorized Employee\n   at Nmbrs.Api.Employee.Get()\n   \
                    --- End of inner exception stack trace ---";
        assert_eq!(parse_fault_text(text), (Some(ErrorCode::UnauthorizedEmployee), "Unauthorized Employee"));
        let text = "a ---> 1002: Unauthorized Access ---> no number here";
        assert_eq!(parse_fault_text(text), (Some(ErrorCode::UnauthorizedAccess), "Unauthorized Access"));
    }

    #[test]
    fn every_documented_code_round_trips() {
        let numbers = [
            1001, 1002, 1003, 1004, 1006, 2001, 2002, 2003, 2004, 2006, 2009, 2011, 2012, 2013, 2014, 2015, 2016, 2017,
            2018, 2019, 2020, 2021, 2022, 2028, 2029, 2030, 2032, 2033, 2034, 2035, 2036, 2037, 2038, 2039, 2040, 2041,
            2042, 2043, 2044, 2045, 2046, 2047, 9999,
        ];
        assert_eq!(ErrorCode::ALL.len(), numbers.len());
        for n in numbers {
            let code = ErrorCode::from_number(n);
            assert!(!matches!(code, ErrorCode::Unknown(_)), "{n} should be documented");
            assert_eq!(code.number(), n);
            assert!(code.to_string().starts_with(&n.to_string()));
        }
        for n in [1005, 2005, 2010, 2048, 3000] {
            assert_eq!(ErrorCode::from_number(n), ErrorCode::Unknown(n));
        }
        assert!(ErrorCode::LoginSecurityFailure.is_retryable());
        assert!(!ErrorCode::ProtectedMode.is_retryable() && !ErrorCode::InvalidAuthentication.is_retryable());
    }

    #[test]
    fn soap_faults_become_api_errors() {
        let fault = Fault::new(
            SoapVersion::V11,
            QualifiedName::new(SoapVersion::V11.envelope_namespace(), "Server"),
            "Server was unable to process request. ---> 2011: Protected Mode",
        );
        let err = Error::from(soap::Error::Fault { operation: "PersonalInfo_UpdateCurrent", fault: Box::new(fault) });
        assert_eq!(err.code(), Some(ErrorCode::ProtectedMode));
        assert!(!err.is_retryable());
        let msg = err.to_string();
        assert!(
            msg.contains("PersonalInfo_UpdateCurrent") && msg.contains("2011") && msg.contains("UnprotectedMode"),
            "{msg}"
        );
        let fault = err.api_fault().unwrap();
        assert_eq!(fault.title, "Protected Mode");
        assert_eq!(fault.text, "Server was unable to process request. ---> 2011: Protected Mode");

        let timeout = soap::Error::Timeout { host: "h".into(), limit: Duration::from_secs(1), connecting: false };
        let err = Error::from(timeout);
        assert!(matches!(err, Error::Soap(_)) && err.is_retryable() && err.code().is_none());
    }
}
