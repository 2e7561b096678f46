//! What a login yields: the session token and the data sources the account may use.

use std::fmt;

use tokio::time::Instant;

use crate::soap::Secret;

/// How the client signs in. All three hand out the same kind of token, valid for 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LoginMethod {
    /// SOAP 1.2 `Authenticate` at the SOAP endpoint (the default).
    #[default]
    Soap,
    /// `POST {rest_base}/api/Authenticate.json` with a JSON body.
    RestJson,
    /// `POST {rest_base}/api/Authenticate.xml` with a `LoginRequestModel` body.
    RestXml,
}

impl LoginMethod {
    /// A short name: `soap`, `rest-json` or `rest-xml`.
    pub const fn as_str(self) -> &'static str {
        match self {
            LoginMethod::Soap => "soap",
            LoginMethod::RestJson => "rest-json",
            LoginMethod::RestXml => "rest-xml",
        }
    }
}

impl fmt::Display for LoginMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data sources an account may use in one country.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountrySources {
    /// The country, e.g. `Australia`; empty when the login does not say (SOAP `Authenticate`
    /// returns a flat list).
    pub country: String,
    /// Data source names as Data Zoo spells them, e.g. `Australian Residential`.
    pub data_sources: Vec<String>,
}

/// A signed-in session: the token, when it was obtained and what the account may query.
///
/// The token is a [`Secret`]: `Debug` prints `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    user_name: String,
    token: Secret,
    obtained_at: Instant,
    reference: String,
    countries: Vec<CountrySources>,
    method: LoginMethod,
}

impl Session {
    /// A session as a login hands it out. `obtained_at` should be taken just before the login
    /// request was sent, so the token's lifetime is never overestimated.
    pub fn new(
        user_name: impl Into<String>,
        token: Secret,
        obtained_at: Instant,
        countries: Vec<CountrySources>,
        method: LoginMethod,
    ) -> Self {
        Self { user_name: user_name.into(), token, obtained_at, reference: String::new(), countries, method }
    }

    /// The same session with the `Reference` the login returned (SOAP `Authenticate` only).
    pub fn with_reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = reference.into();
        self
    }

    /// The user name the session belongs to.
    pub fn user_name(&self) -> &str {
        &self.user_name
    }

    /// The session token. Use [`Secret::expose`] only to put it on the wire.
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// When the token was obtained, by tokio's clock (`tokio::time::Instant`).
    pub fn obtained_at(&self) -> Instant {
        self.obtained_at
    }

    /// The `Reference` of the login reply (empty unless the service sent one).
    pub fn reference(&self) -> &str {
        &self.reference
    }

    /// The data sources the account may use, per country.
    ///
    /// REST logins name the countries. SOAP `Authenticate` returns one flat list, which lands
    /// under a single entry with an empty `country`.
    pub fn countries(&self) -> &[CountrySources] {
        &self.countries
    }

    /// Every data source name, in the order the login listed them.
    pub fn data_source_names(&self) -> impl Iterator<Item = &str> {
        self.countries.iter().flat_map(|c| c.data_sources.iter().map(String::as_str))
    }

    /// Whether the account may use data source `name` (exact, case-sensitive match).
    pub fn allows(&self, name: &str) -> bool {
        self.data_source_names().any(|n| n == name)
    }

    /// The login method that produced this session.
    pub fn method(&self) -> LoginMethod {
        self.method
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user_name", &self.user_name)
            .field("token", &self.token)
            .field("obtained_at", &self.obtained_at)
            .field("reference", &self.reference)
            .field("countries", &self.countries)
            .field("method", &self.method)
            .finish()
    }
}

/// A user name and password.
///
/// ```
/// use soapbind::datazoo::Credentials;
///
/// let creds = Credentials::new("api-user", "s3cret");
/// assert_eq!(creds.user_name(), "api-user");
/// assert!(!format!("{creds:?}").contains("s3cret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user_name: String,
    password: Secret,
}

impl Credentials {
    /// Credentials for `user_name` with `password`.
    pub fn new(user_name: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self { user_name: user_name.into(), password: password.into() }
    }

    /// The user name.
    pub fn user_name(&self) -> &str {
        &self.user_name
    }

    /// The password.
    pub fn password(&self) -> &Secret {
        &self.password
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("user_name", &self.user_name).field("password", &self.password).finish()
    }
}
