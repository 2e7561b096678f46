//! What a Nmbrs client is configured with: credentials, environment and domain.

use std::fmt;

use crate::soap::Secret;

use super::Error;

/// The e-mail address and API token of a Nmbrs user.
///
/// The token is a [`Secret`]: `Debug` prints `***` in its place.
///
/// ```
/// use soapbind::nmbrs::Credentials;
///
/// let credentials = Credentials::new("api@example.com", "0123456789abcdef");
/// assert_eq!(credentials.username(), "api@example.com");
/// assert!(!format!("{credentials:?}").contains("0123456789abcdef"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    username: String,
    token: Secret,
}

impl Credentials {
    /// Credentials of user `username` (the e-mail address) with API token `token`.
    pub fn new(username: impl Into<String>, token: impl Into<Secret>) -> Self {
        Self { username: username.into(), token: token.into() }
    }

    /// Reads `NMBRS_USERNAME` and `NMBRS_TOKEN` from the environment.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] naming the variable that is missing or not Unicode.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &'static str| {
            std::env::var(name).map_err(|e| Error::InvalidConfig { what: name, reason: e.to_string() })
        };
        Ok(Self::new(var("NMBRS_USERNAME")?, Secret::new(var("NMBRS_TOKEN")?)))
    }

    /// The e-mail address.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The API token.
    pub fn token(&self) -> &Secret {
        &self.token
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("username", &self.username).field("token", &self.token).finish()
    }
}

/// A Nmbrs API environment: where the services are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.nmbrs.nl/soap/v3/`.
    #[default]
    Production,
    /// `https://api-sandbox.nmbrs.nl/soap/v3/`.
    Sandbox,
    /// The Swedish environment, `https://api.nmbrs.se/soap/v3/`.
    Sweden,
    /// Another base URL, such as a test double's (e.g. [`MockNmbrs`](crate::mock::nmbrs::MockNmbrs)).
    /// Service endpoints are this URL + `<Service>.asmx`; a missing trailing `/` is added.
    Custom(String),
}

impl Environment {
    /// The base URL the service files are appended to.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => "https://api.nmbrs.nl/soap/v3/",
            Environment::Sandbox => "https://api-sandbox.nmbrs.nl/soap/v3/",
            Environment::Sweden => "https://api.nmbrs.se/soap/v3/",
            Environment::Custom(url) => url,
        }
    }

    /// The host of the Nmbrs web application for `domain` (the subdomain), where single sign-on
    /// logins land: `<domain>.nmbrs.nl`, `<domain>.nmbrs-sandbox.nl`, or `<domain>.nmbrs.se`
    /// (the Swedish host is an assumption by analogy, not documented). `None` for
    /// [`Custom`](Environment::Custom).
    pub fn web_host(&self, domain: &str) -> Option<String> {
        let suffix = match self {
            Environment::Production => "nmbrs.nl",
            Environment::Sandbox => "nmbrs-sandbox.nl",
            Environment::Sweden => "nmbrs.se",
            Environment::Custom(_) => return None,
        };
        Some(format!("{domain}.{suffix}"))
    }
}

/// Where the `Domain` of the v3 authentication header comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Domain {
    /// Ask Nmbrs: call `DebtorService.Environment_Get` once, on first need, and use its
    /// `SubDomain`. When a call fails with 1001 the domain is looked up again (once) and the
    /// call retried (once).
    #[default]
    Discover,
    /// Always send this subdomain (`nlpayroll`, not `nlpayroll.nmbrs.nl`).
    Fixed(String),
}

/// Whether `domain` is a plain subdomain label (letters, digits, hyphens).
pub(crate) fn is_subdomain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 63
        && domain.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !domain.starts_with('-')
        && !domain.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments() {
        assert_eq!(Environment::default().base_url(), "https://api.nmbrs.nl/soap/v3/");
        assert_eq!(Environment::Sandbox.base_url(), "https://api-sandbox.nmbrs.nl/soap/v3/");
        assert_eq!(Environment::Sweden.base_url(), "https://api.nmbrs.se/soap/v3/");
        assert_eq!(Environment::Sandbox.web_host("acme").as_deref(), Some("acme.nmbrs-sandbox.nl"));
        assert_eq!(Environment::Custom("http://127.0.0.1:1/".into()).web_host("acme"), None);
    }

    #[test]
    fn subdomains() {
        assert!(is_subdomain("nlpayroll") && is_subdomain("api-testing2"));
        for bad in ["", "nlpayroll.nmbrs.nl", "-x", "x-", "a b", "a/b"] {
            assert!(!is_subdomain(bad), "{bad}");
        }
    }
}
