//! Verify: the typed request builder and the typed result.

use std::fmt;

use chrono::NaiveDate;

use super::generated::data_zoo::{Criteria, DataSourceResult, DataSourceV27, Session as WireSession, VerifyResult};
use super::session::Session;
use super::Error;

/// A data source to query in a verification, with whether the person consented to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DataSource {
    name: String,
    consent_obtained: bool,
}

impl DataSource {
    /// Data source `name` as Data Zoo spells it (e.g. `Australian Residential`), without
    /// consent.
    pub fn new(name: impl Into<String>) -> Self {
        Self { name: name.into(), consent_obtained: false }
    }

    /// Sets whether the person's consent to query this source was obtained.
    pub fn consent_obtained(mut self, consent: bool) -> Self {
        self.consent_obtained = consent;
        self
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether consent was obtained.
    pub fn has_consent(&self) -> bool {
        self.consent_obtained
    }
}

/// A verification to run: the person's details and the data sources to check them against.
///
/// Every criteria field is optional; dates are sent as `YYYY-MM-DD`, the form of the published
/// sample. At least one data source and one criteria field are needed.
///
/// ```
/// use chrono::NaiveDate;
/// use soapbind::datazoo::{DataSource, Verification};
///
/// let verification = Verification::new()
///     .first_name("Test")
///     .last_name("TESTING")
///     .date_of_birth(NaiveDate::from_ymd_opt(1980, 1, 1).unwrap())
///     .street_number("1")
///     .street_name("Test")
///     .suburb("Testville")
///     .post_code("2001")
///     .data_source(DataSource::new("Australian Residential").consent_obtained(true));
/// assert_eq!(verification.criteria().date_of_birth.as_deref(), Some("1980-01-01"));
/// assert_eq!(verification.data_sources().len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct Verification {
    criteria: Criteria,
    data_sources: Vec<DataSource>,
    reference: Option<String>,
}

macro_rules! text_criteria {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: impl Into<String>) -> Self {
                self.criteria.$name = Some(value.into());
                self
            }
        )*
    };
}

impl Verification {
    /// An empty verification.
    pub fn new() -> Self {
        Self::default()
    }

    text_criteria! {
        /// `FirstName`.
        first_name;
        /// `MiddleName`.
        middle_name;
        /// `LastName`.
        last_name;
        /// `Gender`, as the data source expects it (the accepted values are not published).
        gender;
        /// `StreetNumber`.
        street_number;
        /// `StreetName`.
        street_name;
        /// `Suburb`.
        suburb;
        /// `PostCode`.
        post_code;
        /// `PassportNumber`.
        passport_number;
        /// `DriversLicenseNo`.
        drivers_license_no;
        /// `DriversLicenseStateOfIssue`.
        drivers_license_state_of_issue;
        /// `FullName`.
        full_name;
        /// `IDCardNo`.
        id_card_no;
    }

    /// `DateOfBirth`, sent as `YYYY-MM-DD`.
    pub fn date_of_birth(mut self, date: NaiveDate) -> Self {
        self.criteria.date_of_birth = Some(date.format("%Y-%m-%d").to_string());
        self
    }

    /// `PassportExpiry`, sent as `YYYY-MM-DD`.
    pub fn passport_expiry(mut self, date: NaiveDate) -> Self {
        self.criteria.passport_expiry = Some(date.format("%Y-%m-%d").to_string());
        self
    }

    /// Adds a data source to query.
    pub fn data_source(mut self, source: DataSource) -> Self {
        self.data_sources.push(source);
        self
    }

    /// Adds several data sources.
    pub fn data_sources_from(mut self, sources: impl IntoIterator<Item = DataSource>) -> Self {
        self.data_sources.extend(sources);
        self
    }

    /// Sets the session `Reference` sent with this call (default: the one the login returned,
    /// usually empty).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// The criteria as they will be sent.
    pub fn criteria(&self) -> &Criteria {
        &self.criteria
    }

    /// The data sources to query.
    pub fn data_sources(&self) -> &[DataSource] {
        &self.data_sources
    }

    /// Checks that the request can be sent.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.data_sources.is_empty() {
            return Err(Error::InvalidRequest {
                reason: "no data source: add at least one with Verification::data_source".into(),
            });
        }
        if let Some(blank) = self.data_sources.iter().find(|d| d.name.trim().is_empty()) {
            return Err(Error::InvalidRequest { reason: format!("a data source has a blank name ({blank:?})") });
        }
        if self.criteria == Criteria::default() {
            return Err(Error::InvalidRequest { reason: "no criteria: set at least one field of the person".into() });
        }
        Ok(())
    }

    /// The wire session (with `session`'s user name and token) and criteria of `Verify`.
    pub(crate) fn to_wire(&self, session: &Session) -> (WireSession, Criteria) {
        let data_sources = self
            .data_sources
            .iter()
            .map(|d| DataSourceV27 {
                data_source_name: Some(d.name.clone()),
                enabled: Some(true),
                consent_obtained: Some(d.consent_obtained),
            })
            .collect();
        let wire = WireSession {
            user_name: Some(session.user_name().to_owned()),
            token: Some(session.token().expose().to_owned()),
            reference: Some(self.reference.clone().unwrap_or_else(|| session.reference().to_owned())),
            data_sources,
        };
        (wire, self.criteria.clone())
    }
}

/// A verification status, overall or per data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerificationStatus {
    /// `0`: every supplied item matched.
    FullMatch,
    /// `1`: the identity was matched, but some supplied details are wrong.
    PartialMatch,
    /// `2`: no match was found.
    NotFound,
    /// `3`: the data source reported an error (see the message).
    DataSourceError,
    /// `-1`: the request failed validation before any source was queried.
    PreValidationFailed,
    /// `-2`: the client cancelled the request.
    Cancelled,
    /// A value this crate does not know.
    Other(i32),
}

impl VerificationStatus {
    /// The status for a numeric code.
    pub const fn from_code(code: i32) -> Self {
        match code {
            0 => Self::FullMatch,
            1 => Self::PartialMatch,
            2 => Self::NotFound,
            3 => Self::DataSourceError,
            -1 => Self::PreValidationFailed,
            -2 => Self::Cancelled,
            other => Self::Other(other),
        }
    }

    /// The numeric code.
    pub const fn code(self) -> i32 {
        match self {
            Self::FullMatch => 0,
            Self::PartialMatch => 1,
            Self::NotFound => 2,
            Self::DataSourceError => 3,
            Self::PreValidationFailed => -1,
            Self::Cancelled => -2,
            Self::Other(code) => code,
        }
    }

    /// Whether the identity was found: [`FullMatch`](Self::FullMatch) or
    /// [`PartialMatch`](Self::PartialMatch).
    pub const fn is_match(self) -> bool {
        matches!(self, Self::FullMatch | Self::PartialMatch)
    }
}

impl From<i32> for VerificationStatus {
    fn from(code: i32) -> Self {
        Self::from_code(code)
    }
}

impl fmt::Display for VerificationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::FullMatch => "full match",
            Self::PartialMatch => "matched, some details wrong",
            Self::NotFound => "not found",
            Self::DataSourceError => "data source error",
            Self::PreValidationFailed => "failed pre-validation",
            Self::Cancelled => "cancelled by the client",
            Self::Other(code) => return write!(f, "status {code}"),
        };
        write!(f, "{text} ({})", self.code())
    }
}

/// Which supplied items a data source confirmed: `Some(true)` matched, `Some(false)` did not,
/// `None` not checked (or not reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct VerifiedItems {
    /// `FirstNameVerified`.
    pub first_name: Option<bool>,
    /// `MiddleNameVerified`.
    pub middle_name: Option<bool>,
    /// `LastNameVerified`.
    pub last_name: Option<bool>,
    /// `FullNameVerified`.
    pub full_name: Option<bool>,
    /// `GenderVerified`.
    pub gender: Option<bool>,
    /// `DateOfBirthVerified`.
    pub date_of_birth: Option<bool>,
    /// `AddressVerified` (street number and name, suburb, post code).
    pub address: Option<bool>,
    /// `PassportNumberVerified`.
    pub passport_number: Option<bool>,
    /// `PassportExpiryVerified`.
    pub passport_expiry: Option<bool>,
    /// `DriversLicenseNoVerified`.
    pub drivers_license_no: Option<bool>,
    /// `IDCardNoVerified`.
    pub id_card_no: Option<bool>,
}

/// The outcome for one data source.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceResult {
    /// The data source name.
    pub data_source: String,
    /// Its status, when reported.
    pub status: Option<VerificationStatus>,
    /// Its message (explains a [`DataSourceError`](VerificationStatus::DataSourceError)).
    pub message: Option<String>,
    /// `safe_harbour_score`, as sent.
    pub safe_harbour_score: Option<String>,
    /// The items it confirmed.
    pub verified: VerifiedItems,
}

impl From<DataSourceResult> for SourceResult {
    fn from(r: DataSourceResult) -> Self {
        Self {
            data_source: r.data_source.unwrap_or_default(),
            status: r.status.map(VerificationStatus::from_code),
            message: r.message,
            safe_harbour_score: r.safe_harbour_score,
            verified: VerifiedItems {
                first_name: r.first_name_verified,
                middle_name: r.middle_name_verified,
                last_name: r.last_name_verified,
                full_name: r.full_name_verified,
                gender: r.gender_verified,
                date_of_birth: r.date_of_birth_verified,
                address: r.address_verified,
                passport_number: r.passport_number_verified,
                passport_expiry: r.passport_expiry_verified,
                drivers_license_no: r.drivers_license_no_verified,
                id_card_no: r.id_card_no_verified,
            },
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerificationResult {
    /// The overall status.
    pub status: VerificationStatus,
    /// The overall message, if any.
    pub message: Option<String>,
    /// One result per data source queried.
    pub sources: Vec<SourceResult>,
    /// `SafeHarbour`, when reported.
    pub safe_harbour: Option<bool>,
    /// `ReportingReference`, when reported.
    pub reporting_reference: Option<String>,
}

impl VerificationResult {
    /// Whether the overall status is [`FullMatch`](VerificationStatus::FullMatch).
    pub fn is_full_match(&self) -> bool {
        self.status == VerificationStatus::FullMatch
    }

    /// The result of data source `name`, if it was reported.
    pub fn source(&self, name: &str) -> Option<&SourceResult> {
        self.sources.iter().find(|s| s.data_source == name)
    }

    pub(crate) fn from_wire(result: VerifyResult) -> Result<Self, Error> {
        let status = result
            .status
            .map(VerificationStatus::from_code)
            .ok_or_else(|| Error::VerifyReply { reason: "VerifyResult has no Status".into() })?;
        Ok(Self {
            status,
            message: result.message,
            sources: result.results.into_iter().map(Into::into).collect(),
            safe_harbour: result.safe_harbour,
            reporting_reference: result.reporting_reference,
        })
    }
}

/// Whether a fault reason or result message is the session-level "Invalid Token" signal: the
/// whole text (any case, a final period allowed), possibly after an ASMX `--->` prefix. A
/// message that merely mentions an invalid token — a data source's "Invalid token in field
/// DriversLicenseNo" — is not: renewing the session for it would revoke the account's token for
/// every worker.
pub(crate) fn says_invalid_token(text: &str) -> bool {
    let last = text.rsplit("--->").next().unwrap_or(text);
    let last = last.trim();
    let last = last.strip_suffix('.').unwrap_or(last).trim_end();
    last.eq_ignore_ascii_case("invalid token")
}

#[cfg(test)]
mod signal_tests {
    use super::says_invalid_token;

    #[test]
    fn only_the_session_level_signal_counts() {
        for yes in [
            "Invalid Token",
            "invalid token.",
            " INVALID TOKEN ",
            "Server was unable to process request. ---> Invalid Token",
        ] {
            assert!(says_invalid_token(yes), "{yes}");
        }
        for no in
            ["Data source error: Invalid token in field DriversLicenseNo", "invalid tokens", "Invalid Token Type", ""]
        {
            assert!(!says_invalid_token(no), "{no}");
        }
    }
}
