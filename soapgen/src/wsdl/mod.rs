//! The WSDL 1.1 reader: turns a `wsdl:definitions` document into the [`model`] the generator
//! works from.
//!
//! What is read:
//!
//! - `wsdl:definitions` (`targetNamespace`, `name`);
//! - `wsdl:types`: every embedded `xs:schema` becomes a standalone [`SchemaSource`]
//!   (`origin` `<wsdl path>#schema<N>`, N counting the embedded schemas of that file from 0).
//!   The namespace declarations in scope on the enclosing WSDL elements are copied onto the
//!   schema root element unless the schema declares the prefix itself (ASP.NET `.asmx` services
//!   declare `s`, `tns`, `s1`, … only on `wsdl:definitions`). `xs:import`/`xs:include`/
//!   `xs:redefine`/`xs:override` with a local `schemaLocation` are followed (relative to the
//!   referring file, recursively, each file once), every such file is added as a further
//!   [`SchemaSource`] and the `schemaLocation` in the text is rewritten to the absolute path.
//!   An `xs:import` without `schemaLocation` is left as it is and recorded in
//!   [`SchemaSource::imports_without_location`];
//! - `wsdl:message`/`wsdl:part` (`element=`/`type=` resolved to [`QName`]s through the namespace
//!   declarations in scope);
//! - `wsdl:portType` with its operations, their `wsdl:documentation` and messages;
//! - `wsdl:binding` for SOAP 1.1 and SOAP 1.2 (style, `soapAction`, `soap:body`, `soap:header`);
//!   other bindings (HTTP GET/POST, …) and operations with `use="encoded"` are skipped and
//!   explained in [`Definitions::notes`];
//! - `wsdl:service`/`wsdl:port` with `soap:address`/`soap12:address`;
//! - `wsdl:import` with a `location` (another WSDL is merged, an XSD becomes a schema source).
//!
//! References between the parts (messages, port types, bindings, header messages and parts)
//! are checked; every problem is a [`WsdlError`] naming the file and line.

pub mod model;
mod parse;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use model::{
    AbstractOperation, Binding, BoundOperation, Definitions, HeaderRef, Message, Part, Port, PortType, QName,
    SchemaSource, Service, SoapVersion, Style,
};

/// Why a WSDL (or a file it refers to) could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WsdlError {
    /// The file itself could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file referred to (`schemaLocation`, `wsdl:import location`) could not be read.
    #[error("{}:{line}: cannot read `{}`: {source}", file.display(), path.display())]
    ReferencedIo {
        /// The referring file.
        file: PathBuf,
        /// The line of the reference (1-based).
        line: usize,
        /// The file referred to.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The text is not well-formed XML.
    #[error("{}:{line}: malformed XML: {source}", file.display())]
    Xml {
        /// The file.
        file: PathBuf,
        /// The line (1-based).
        line: usize,
        /// What the XML parser reported.
        #[source]
        source: quick_xml::Error,
    },
    /// Well-formed XML that is not a usable WSDL 1.1 / XML Schema document: missing attributes,
    /// undeclared prefixes, undefined references, unsupported constructs.
    #[error("{}:{line}: {message}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// The line (1-based).
        line: usize,
        /// What is wrong, and what was expected.
        message: String,
    },
}

impl WsdlError {
    /// The file the error is about (for [`WsdlError::ReferencedIo`]: the referring file).
    pub fn file(&self) -> &Path {
        match self {
            WsdlError::Io { path, .. } => path,
            WsdlError::ReferencedIo { file, .. } | WsdlError::Xml { file, .. } | WsdlError::Invalid { file, .. } => {
                file
            }
        }
    }

    /// The 1-based line the error is about, when it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            WsdlError::Io { .. } => None,
            WsdlError::ReferencedIo { line, .. } | WsdlError::Xml { line, .. } | WsdlError::Invalid { line, .. } => {
                Some(*line)
            }
        }
    }
}

/// Reads the WSDL 1.1 file at `path`, and every local file it refers to.
pub fn read(path: &Path) -> Result<Definitions, WsdlError> {
    read_with_locations(path, &BTreeMap::new())
}

/// Reads the WSDL 1.1 file at `path` like [`read`], reading a remote `schemaLocation` or
/// `wsdl:import location` from the local file `locations` maps its URL to.
pub fn read_with_locations(path: &Path, locations: &BTreeMap<String, PathBuf>) -> Result<Definitions, WsdlError> {
    let bytes = std::fs::read(path).map_err(|source| WsdlError::Io { path: path.to_path_buf(), source })?;
    let text = parse::decode_utf8(path, &bytes)?;
    parse::read_definitions(path, text, locations)
}

/// Reads a WSDL 1.1 document given as text.
///
/// `path_for_messages` is the path reported in errors and in [`Definitions::path`]; relative
/// `schemaLocation`s and `wsdl:import` locations are resolved against its directory (and those
/// files are read from disk).
pub fn read_str(path_for_messages: &Path, text: &str) -> Result<Definitions, WsdlError> {
    parse::read_definitions(path_for_messages, text, &BTreeMap::new())
}
