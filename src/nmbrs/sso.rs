//! Single sign-on: exchange the API credentials for a short-lived token and build the URL that
//! logs a user in to the Nmbrs web application.

use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

use crate::soap::Secret;

use super::config::is_subdomain;
use super::generated::single_sign_on as sso;
use super::{Environment, Error, SingleSignOnService};

/// How long a single sign-on token is valid after Nmbrs issues it: 30 seconds.
pub const SSO_TOKEN_VALIDITY: Duration = Duration::from_secs(30);

/// The path and fixed query of the login URL.
const LOGIN_PATH: &str = "/applications/common/externalactions.aspx";

/// The login URL for a single sign-on `token` on the web application of `domain` in
/// `environment`: `https://<domain>.nmbrs.nl/applications/common/externalactions.aspx?login=nmbrs&ID=<token>`.
///
/// The sandbox host is `<domain>.nmbrs-sandbox.nl`; the Swedish host `<domain>.nmbrs.se` is an
/// assumption by analogy (not documented). The URL carries the token, so it is a [`Secret`];
/// it works for [`SSO_TOKEN_VALIDITY`] (30 seconds) after the token was issued.
///
/// ```
/// use soapbind::nmbrs::{login_url, Environment};
/// use soapbind::soap::Secret;
///
/// let url = login_url(&Environment::Sandbox, "acme", &Secret::new("3f2b"))?;
/// assert_eq!(
///     url.expose(),
///     "https://acme.nmbrs-sandbox.nl/applications/common/externalactions.aspx?login=nmbrs&ID=3f2b"
/// );
/// # Ok::<(), soapbind::nmbrs::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidConfig`] when `domain` is not a plain subdomain, or for a
/// [`Custom`](Environment::Custom) environment, whose web host is unknown (use
/// [`login_url_on_host`]).
pub fn login_url(environment: &Environment, domain: &str, token: &Secret) -> Result<Secret, Error> {
    if !is_subdomain(domain) {
        return Err(Error::InvalidConfig {
            what: "domain",
            reason: format!("`{domain}` is not a subdomain (such as `mycompany`)"),
        });
    }
    let host = environment.web_host(domain).ok_or_else(|| Error::InvalidConfig {
        what: "environment",
        reason: "no Nmbrs web host is known for a custom environment; build the URL with login_url_on_host".into(),
    })?;
    login_url_on_host(&host, token)
}

/// The login URL for `token` on web host `host` (e.g. `acme.nmbrs.nl`).
///
/// # Errors
/// [`Error::InvalidConfig`] when `host` does not make a valid https URL.
pub fn login_url_on_host(host: &str, token: &Secret) -> Result<Secret, Error> {
    let invalid = |reason: String| Error::InvalidConfig { what: "web host", reason };
    if host.is_empty() || host.contains(['/', '?', '#', '@']) {
        return Err(invalid(format!("`{host}` is not a host name")));
    }
    let mut url = reqwest::Url::parse(&format!("https://{host}{LOGIN_PATH}")).map_err(|e| invalid(e.to_string()))?;
    url.query_pairs_mut().append_pair("login", "nmbrs").append_pair("ID", token.expose());
    Ok(Secret::new(String::from(url)))
}

/// A single sign-on token, with the domain and environment it is for.
///
/// `Debug` does not show the token.
#[derive(Clone)]
pub struct SsoLogin {
    token: Secret,
    domain: String,
    environment: Environment,
    issued_at: Instant,
}

impl SsoLogin {
    /// The token (valid for 30 seconds).
    pub fn token(&self) -> &Secret {
        &self.token
    }

    /// The subdomain of the environment the user logs in to.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// When the token stops working (30 seconds after the reply arrived; tokio's clock).
    pub fn expires_at(&self) -> Instant {
        self.issued_at + SSO_TOKEN_VALIDITY
    }

    /// Whether the token is older than 30 seconds.
    pub fn is_expired(&self) -> bool {
        Instant::now() >= self.expires_at()
    }

    /// The login URL (see [`login_url`]).
    ///
    /// # Errors
    /// As [`login_url`]: for a custom environment use [`url_on_host`](Self::url_on_host).
    pub fn url(&self) -> Result<Secret, Error> {
        login_url(&self.environment, &self.domain, &self.token)
    }

    /// The login URL on web host `host` (see [`login_url_on_host`]).
    ///
    /// # Errors
    /// As [`login_url_on_host`].
    pub fn url_on_host(&self, host: &str) -> Result<Secret, Error> {
        login_url_on_host(host, &self.token)
    }
}

impl fmt::Debug for SsoLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoLogin")
            .field("token", &self.token)
            .field("domain", &self.domain)
            .field("environment", &self.environment)
            .field("expires_at", &self.expires_at())
            .finish()
    }
}

impl SingleSignOnService {
    /// Gets a single sign-on token for the client's own user with `GetToken2` (e-mail and API
    /// token, sent in the body) and pairs it with the client's domain (fixed or discovered,
    /// looked up before the token is asked for, so none of its 30 seconds is spent on that).
    ///
    /// ```no_run
    /// use soapbind::nmbrs::{Client, Credentials, Environment};
    ///
    /// # async fn run() -> Result<(), soapbind::nmbrs::Error> {
    /// let client = Client::new(Credentials::from_env()?, Environment::Production)?;
    /// let login = client.single_sign_on().login().await?;
    /// // Redirect the user's browser within 30 seconds.
    /// let url = login.url()?;
    /// # let _ = url.expose();
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As domain discovery and the `GetToken2` call; [`Error::MissingResult`] for an empty
    /// token.
    pub async fn login(&self) -> Result<SsoLogin, Error> {
        let caller = self.caller();
        let domain = caller.current_domain(&sso::operations::GET_TOKEN2).await?;
        let credentials = caller.credentials();
        let username = Some(credentials.username().to_owned());
        let token = self.get_token2(username, Some(credentials.token().expose().to_owned())).await?;
        let issued_at = Instant::now();
        let token = token
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .ok_or(Error::MissingResult { operation: sso::operations::GET_TOKEN2.name, what: "GetToken2Result" })?;
        Ok(SsoLogin { token: Secret::new(token), domain, environment: caller.environment().clone(), issued_at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_urls_per_environment() {
        let token = Secret::new("a b&c");
        let url = login_url(&Environment::Production, "acme", &token).unwrap();
        assert_eq!(
            url.expose(),
            "https://acme.nmbrs.nl/applications/common/externalactions.aspx?login=nmbrs&ID=a+b%26c"
        );
        assert_eq!(format!("{url:?}"), "***");
        let se = login_url(&Environment::Sweden, "acme", &Secret::new("t")).unwrap();
        assert!(se.expose().starts_with("https://acme.nmbrs.se/applications/"));
        assert!(login_url(&Environment::Production, "acme.nmbrs.nl", &token).is_err());
        assert!(login_url(&Environment::Custom("http://127.0.0.1:1/".into()), "acme", &token).is_err());
        assert!(login_url_on_host("evil.com/x?", &token).is_err());
    }
}
