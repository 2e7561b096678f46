//! The three logins — SOAP `Authenticate`, REST JSON and REST XML — each yielding a [`Session`].

use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use serde_json::Value;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::generated::data_zoo::DataZooClient;
use super::generated::rest_models::{LoginRequestModel, LoginResponseModel};
use super::session::{CountrySources, Credentials, LoginMethod, Session};
use super::Error;
use crate::soap::xml::{Element, XmlReader, XmlWriter};
use crate::soap::{self, CallContext, Endpoint, PlainCaller, Secret, SoapVersion};

/// The largest REST login reply accepted: 1 MiB (a reply lists countries and data sources).
const MAX_REST_REPLY_BYTES: usize = 1024 * 1024;

/// The longest excerpt of a REST reply body kept in an error, in characters.
const EXCERPT_CHARS: usize = 200;

/// The call context of every Data Zoo SOAP call: the password and, when known, the token are
/// secrets; the `UserPassword`, `Password`, `Token` and `SessionToken` elements are redacted in
/// traced envelopes whatever they hold.
pub(crate) fn context(credentials: &Credentials, token: Option<&Secret>) -> CallContext {
    let mut ctx = CallContext::new("datazoo")
        .with_secret(credentials.password().clone())
        .with_secret_element("UserPassword")
        .with_secret_element("Password")
        .with_secret_element("Token")
        .with_secret_element("SessionToken");
    if let Some(token) = token {
        ctx.add_secret(token.clone());
    }
    ctx
}

/// Signs in with one method; shared by every clone of a client through the token manager.
#[derive(Debug)]
pub(crate) struct Login {
    method: LoginMethod,
    credentials: Credentials,
    soap: soap::Client,
    endpoint: Endpoint,
    rest: Option<RestLogin>,
}

/// The REST side: its own HTTP client with the same rules as the SOAP one (https except to
/// loopback, no redirects, bounded replies).
#[derive(Debug)]
struct RestLogin {
    http: reqwest::Client,
    json_url: reqwest::Url,
    xml_url: reqwest::Url,
    host: String,
}

impl Login {
    pub(crate) fn new(
        method: LoginMethod,
        credentials: Credentials,
        soap: soap::Client,
        endpoint: Endpoint,
        rest_base: &str,
        rest_timeouts: (Duration, Duration),
    ) -> Result<Self, Error> {
        let rest = match method {
            LoginMethod::Soap => None,
            LoginMethod::RestJson | LoginMethod::RestXml => Some(RestLogin::new(rest_base, rest_timeouts)?),
        };
        Ok(Self { method, credentials, soap, endpoint, rest })
    }

    pub(crate) fn method(&self) -> LoginMethod {
        self.method
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Signs in once and returns the new session.
    pub(crate) async fn login(&self) -> Result<Session, Error> {
        let span =
            tracing::info_span!("datazoo.login", method = self.method.as_str(), user = self.credentials.user_name());
        async {
            let result = match (self.method, &self.rest) {
                (LoginMethod::Soap, _) => self.soap_login().await,
                (LoginMethod::RestJson, Some(rest)) => rest.json_login(&self.credentials).await,
                (LoginMethod::RestXml, Some(rest)) => rest.xml_login(&self.credentials).await,
                (_, None) => Err(Error::Config { reason: "REST login without a REST base URL".into() }),
            };
            match &result {
                Ok(session) => tracing::debug!(countries = session.countries().len(), "login succeeded"),
                Err(e) => tracing::debug!(error = %e, "login failed"),
            }
            result
        }
        .instrument(span)
        .await
    }

    async fn soap_login(&self) -> Result<Session, Error> {
        let method = LoginMethod::Soap;
        let caller = PlainCaller::new(self.soap.clone(), self.endpoint.clone(), SoapVersion::V12)
            .with_context(context(&self.credentials, None));
        let user_name = Some(self.credentials.user_name().to_owned());
        let password = Some(self.credentials.password().expose().to_owned());
        let started = Instant::now();
        let result = DataZooClient::new(caller).authenticate(user_name, password).await?;
        let message = result.message.as_deref().map(str::trim).unwrap_or_default();
        let token = result.token.as_deref().map(str::trim).unwrap_or_default();
        if !message.is_empty() && !message.eq_ignore_ascii_case("success") {
            return Err(self.refused(method, message));
        }
        if token.is_empty() {
            return Err(Error::LoginReply { method, reason: "AuthenticateResult has no Token".into() });
        }
        let names = result.data_sources.into_iter().filter_map(|d| d.data_source_name).collect();
        let countries = vec![CountrySources { country: String::new(), data_sources: names }];
        // The session keeps the configured user name, whatever spelling the reply echoes: the
        // token store is keyed by it.
        Ok(Session::new(self.user(), Secret::new(token), started, countries, method)
            .with_reference(result.reference.unwrap_or_default()))
    }

    fn user(&self) -> &str {
        self.credentials.user_name()
    }

    fn refused(&self, method: LoginMethod, message: &str) -> Error {
        refused(&self.credentials, method, message)
    }
}

impl RestLogin {
    fn new(base: &str, (connect_timeout, timeout): (Duration, Duration)) -> Result<Self, Error> {
        let base = if base.ends_with('/') { base.to_owned() } else { format!("{base}/") };
        let base = Endpoint::new(&base)?;
        let url = |path: &str| -> Result<reqwest::Url, Error> {
            let endpoint = base.join(path)?;
            reqwest::Url::parse(endpoint.as_str())
                .map_err(|e| Error::Config { reason: format!("REST URL {endpoint}: {e}") })
        };
        let http = reqwest::Client::builder()
            .user_agent(soap::USER_AGENT)
            .connect_timeout(connect_timeout)
            .timeout(timeout)
            // A redirect could send the password elsewhere, even to plain http.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config { reason: format!("cannot build the REST HTTP client: {e}") })?;
        Ok(Self {
            http,
            json_url: url("api/Authenticate.json")?,
            xml_url: url("api/Authenticate.xml")?,
            host: base.host().to_owned(),
        })
    }

    async fn json_login(&self, credentials: &Credentials) -> Result<Session, Error> {
        let method = LoginMethod::RestJson;
        let body = serde_json::json!({
            "UserName": credentials.user_name(),
            "Password": credentials.password().expose(),
        })
        .to_string();
        let started = Instant::now();
        let (status, reply) = self.post(method, &self.json_url, "application/json", body, credentials).await?;
        let parsed: Option<Value> = serde_json::from_slice(&reply).ok();
        let field = |v: &Value, name: &str| -> Option<Value> {
            v.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let text = |v: Option<Value>| v.and_then(|v| v.as_str().map(str::to_owned));
        if !(200..300).contains(&status) {
            let message = parsed.as_ref().and_then(|v| text(field(v, "message")));
            return Err(self.status_error(method, status, message, &reply, credentials));
        }
        let Some(json) = parsed else {
            return Err(Error::LoginReply { method, reason: "the reply is not JSON".into() });
        };
        let token = text(field(&json, "sessionToken")).map(|t| t.trim().to_owned()).unwrap_or_default();
        if token.is_empty() {
            return Err(match text(field(&json, "message")) {
                Some(message) => refused(credentials, method, &message),
                None => Error::LoginReply { method, reason: "the reply has no sessionToken".into() },
            });
        }
        let countries = field(&json, "countries")
            .and_then(|c| c.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|c| CountrySources {
                country: text(field(c, "country")).unwrap_or_default(),
                data_sources: field(c, "dataSources")
                    .and_then(|d| d.as_array().cloned())
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|d| d.as_str().map(str::to_owned))
                    .collect(),
            })
            .collect();
        Ok(Session::new(credentials.user_name(), Secret::new(token), started, countries, method))
    }

    async fn xml_login(&self, credentials: &Credentials) -> Result<Session, Error> {
        let method = LoginMethod::RestXml;
        let request = LoginRequestModel {
            user_name: Some(credentials.user_name().to_owned()),
            password: Some(credentials.password().expose().to_owned()),
        };
        let mut w = XmlWriter::new();
        request.write_element(&mut w);
        // The samples declare the xsi and xsd prefixes on the root, as .NET's XmlSerializer does.
        let body = w.into_string().replacen(
            "<LoginRequestModel",
            "<LoginRequestModel xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
            1,
        );
        let body = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>{body}");
        soap::check_characters(&body)?;
        let started = Instant::now();
        let (status, reply) = self.post(method, &self.xml_url, "application/xml", body, credentials).await?;
        if !(200..300).contains(&status) {
            return Err(self.status_error(method, status, None, &reply, credentials));
        }
        let model =
            read_document::<LoginResponseModel>(&reply).map_err(|reason| Error::LoginReply { method, reason })?;
        let token = model.session_token.as_deref().map(str::trim).unwrap_or_default();
        if token.is_empty() {
            return Err(Error::LoginReply { method, reason: "LoginResponseModel has no SessionToken".into() });
        }
        let countries = model
            .countries
            .into_iter()
            .map(|c| CountrySources { country: c.country.unwrap_or_default(), data_sources: c.data_sources })
            .collect();
        Ok(Session::new(credentials.user_name(), Secret::new(token), started, countries, method))
    }

    /// Posts `body` and reads the whole reply (at most [`MAX_REST_REPLY_BYTES`]).
    async fn post(
        &self,
        method: LoginMethod,
        url: &reqwest::Url,
        content_type: &'static str,
        body: String,
        credentials: &Credentials,
    ) -> Result<(u16, Vec<u8>), Error> {
        let ctx = context(credentials, None);
        if tracing::enabled!(tracing::Level::TRACE) {
            // Debug-formatted: a line break in the user name cannot start a forged log line.
            tracing::trace!(url = %url, body = ?ctx.redact(&body), "rest login request");
        }
        let mut response = self
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static(content_type))
            .header(ACCEPT, HeaderValue::from_static(content_type))
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        if response.content_length().is_some_and(|len| len > MAX_REST_REPLY_BYTES as u64) {
            return Err(Error::LoginReply {
                method,
                reason: format!("the reply is larger than {MAX_REST_REPLY_BYTES} bytes"),
            });
        }
        let mut reply = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(e))? {
            if reply.len() + chunk.len() > MAX_REST_REPLY_BYTES {
                return Err(Error::LoginReply {
                    method,
                    reason: format!("the reply is larger than {MAX_REST_REPLY_BYTES} bytes"),
                });
            }
            reply.extend_from_slice(&chunk);
        }
        if tracing::enabled!(tracing::Level::TRACE) {
            let text = String::from_utf8_lossy(&reply);
            let ctx = match token_in_reply(&reply) {
                Some(token) => ctx.with_secret(token),
                None => ctx,
            };
            tracing::trace!(http_status = status, body = ?ctx.redact(&text), "rest login reply");
        }
        Ok((status, reply))
    }

    fn transport(&self, e: reqwest::Error) -> Error {
        Error::RestTransport {
            host: self.host.clone(),
            timeout: e.is_timeout(),
            source: crate::soap::cause_chain(&e).into(),
        }
    }

    fn status_error(
        &self,
        method: LoginMethod,
        status: u16,
        message: Option<String>,
        reply: &[u8],
        credentials: &Credentials,
    ) -> Error {
        let ctx = context(credentials, None);
        let excerpt = ctx.excerpt(reply, EXCERPT_CHARS);
        match status {
            400 | 401 | 403 => {
                refused(credentials, method, &message.unwrap_or_else(|| format!("HTTP status {status}: {excerpt}")))
            }
            _ => Error::RestStatus { method, status, excerpt },
        }
    }
}

fn refused(credentials: &Credentials, method: LoginMethod, message: &str) -> Error {
    let ctx = context(credentials, None);
    Error::LoginRefused {
        user_name: credentials.user_name().to_owned(),
        method,
        message: shorten(&ctx.redact(message), EXCERPT_CHARS),
    }
}

/// The token of a REST login reply (JSON or XML), for redacting the traced reply.
fn token_in_reply(reply: &[u8]) -> Option<Secret> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(reply) {
        return map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("sessionToken"))
            .and_then(|(_, v)| v.as_str())
            .map(Secret::from);
    }
    read_document::<LoginResponseModel>(reply).ok()?.session_token.map(Secret::new)
}

/// Reads a whole XML document whose root element is `E`.
pub(crate) fn read_document<E: Element>(doc: &[u8]) -> Result<E, String> {
    let doc = crate::soap::xml::document_text(doc).map_err(|e| e.to_string())?;
    let mut r = XmlReader::from_text(&doc);
    let root = r.root().map_err(|e| e.to_string())?;
    if root.local_name().into_inner() != E::NAME.as_bytes() || !r.in_namespace(&root, E::NAMESPACE) {
        return Err(format!("the root element is {}, expected {}", r.expanded_name(&root), E::NAME));
    }
    let value = E::read_xml(&mut r, &root).map_err(|e| e.to_string())?;
    r.finish().map_err(|e| e.to_string())?;
    Ok(value)
}

fn shorten(s: &str, max: usize) -> String {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = collapsed.chars().take(max).collect();
    if out.len() < collapsed.len() {
        out.push('…');
    }
    out
}
