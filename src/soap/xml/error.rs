//! Errors of reading XML into generated types.

use std::fmt;

/// Why a reply could not be read into the generated types, and where.
///
/// The path lists the elements from the outermost one the reader entered down to the one that
/// was wrong, for example `List_GetAllResponse/List_GetAllResult/Company/Id`. The error is one
/// pointer wide, so the `Result`s every read returns stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError(Box<Repr>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Repr {
    /// Element names, innermost first (pushed while the error travels outwards).
    path_rev: Vec<String>,
    kind: DeErrorKind,
    position: Option<u64>,
}

/// What was wrong with a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeErrorKind {
    /// The bytes are not well-formed XML (or not UTF-8, or end too early).
    Syntax(String),
    /// The document has a DOCTYPE; these are refused (no entity expansion, nothing fetched).
    Doctype,
    /// Elements are nested deeper than the reader's limit.
    TooDeep(u32),
    /// A required element is missing.
    Missing(&'static str),
    /// A value could not be parsed as the type the contract gives it.
    InvalidValue {
        /// The XML Schema type name expected.
        expected: &'static str,
        /// The text found (shortened).
        found: String,
    },
    /// An element appeared where the contract expects another one.
    Unexpected {
        /// What was expected, as `{namespace}name`.
        expected: String,
        /// What was found, as `{namespace}name`.
        found: String,
    },
    /// Element content was found where only text is allowed.
    UnexpectedElement(String),
    /// The document has more of something than the reader accepts (namespace declarations in
    /// scope, SOAP header entries): refused, so reading stays linear and memory bounded.
    TooMany {
        /// What there are too many of.
        what: &'static str,
        /// The limit.
        limit: u32,
    },
    /// Reading did not finish before the call's deadline.
    OutOfTime,
}

impl DeError {
    /// Creates an error of the given kind with an empty path.
    pub fn new(kind: DeErrorKind) -> Self {
        Self(Box::new(Repr { path_rev: Vec::new(), kind, position: None }))
    }

    /// What was wrong.
    pub fn kind(&self) -> &DeErrorKind {
        &self.0.kind
    }

    /// Byte offset in the document where the reader stood, when known.
    pub fn position(&self) -> Option<u64> {
        self.0.position
    }

    /// A required element `name` was not found.
    pub fn missing(name: &'static str) -> Self {
        Self::new(DeErrorKind::Missing(name))
    }

    /// `found` is not a valid `expected` value.
    pub fn invalid_value(expected: &'static str, found: &str) -> Self {
        let mut short: String = found.chars().take(64).collect();
        if short.len() < found.len() {
            short.push('…');
        }
        Self::new(DeErrorKind::InvalidValue { expected, found: short })
    }

    /// Records that the error happened inside element `name` (called while unwinding).
    pub fn within(mut self, name: &str) -> Self {
        self.0.path_rev.push(name.to_owned());
        self
    }

    /// Sets the byte offset where the error happened, if not already set.
    pub fn at_position(mut self, position: u64) -> Self {
        self.0.position.get_or_insert(position);
        self
    }

    /// The path of elements from the outermost down to where the error happened, `/`-separated.
    pub fn path(&self) -> String {
        let mut parts: Vec<&str> = self.0.path_rev.iter().rev().map(String::as_str).collect();
        if let DeErrorKind::Missing(name) = self.0.kind {
            parts.push(name);
        }
        parts.join("/")
    }
}

impl fmt::Display for DeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(msg) => write!(f, "not well-formed XML: {msg}"),
            Self::Doctype => {
                f.write_str("a DOCTYPE declaration is not allowed (no entity is expanded, nothing fetched)")
            }
            Self::TooDeep(limit) => write!(f, "elements nested deeper than {limit} levels"),
            Self::Missing(name) => write!(f, "required element `{name}` is missing"),
            Self::InvalidValue { expected, found } => write!(f, "`{found}` is not a valid {expected}"),
            Self::Unexpected { expected, found } => write!(f, "expected element {expected}, found {found}"),
            Self::UnexpectedElement(name) => write!(f, "element `{name}` where only text is allowed"),
            Self::TooMany { what, limit } => write!(f, "more than {limit} {what}"),
            Self::OutOfTime => f.write_str("reading the reply did not finish before the call's deadline"),
        }
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "{}", self.0.kind)?;
        } else {
            write!(f, "at `{path}`: {}", self.0.kind)?;
        }
        if let Some(pos) = self.0.position {
            write!(f, " (byte {pos})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeError {}

impl From<quick_xml::Error> for DeError {
    fn from(e: quick_xml::Error) -> Self {
        Self::new(DeErrorKind::Syntax(e.to_string()))
    }
}
