//! Secrets (passwords, API tokens) and how they are kept out of logs.

use std::borrow::Cow;
use std::fmt;

use super::xml::{DeError, XmlValue, XmlWriter};

/// The text that replaces a secret wherever the runtime prints or logs something.
pub const REDACTED: &str = "***";

/// A password, API token or other credential.
///
/// Its `Debug` and `Display` forms print `***`, so a `Secret` can sit in a struct that derives
/// `Debug` or be passed to `tracing` without leaking. The value is reachable only through
/// [`expose`](Secret::expose), which makes every use visible in review.
///
/// ```
/// use soapbind::soap::Secret;
///
/// let token = Secret::new("0123456789abcdef");
/// assert_eq!(format!("{token:?} {token}"), "*** ***");
/// assert_eq!(token.expose(), "0123456789abcdef");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself: use it only to put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl XmlValue for Secret {
    const XSD_TYPE: &'static str = "string";

    fn from_xml(text: &str) -> Result<Self, DeError> {
        Ok(Self(text.to_owned()))
    }

    fn from_xml_cow(text: Cow<'_, str>) -> Result<Self, DeError> {
        Ok(Self(text.into_owned()))
    }

    fn write_text(&self, w: &mut XmlWriter) {
        w.escaped_text(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_as_stars() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(s.to_string(), "***");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Creds {
            user: String,
            token: Secret,
        }
        let c = Creds { user: "a@b.nl".into(), token: s.clone() };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }
}
