//! The XML layer the generated bindings are written against.
//!
//! Generated types implement [`ReadXml`] and [`WriteXml`]; leaf values (numbers, strings, dates,
//! enumerations) implement [`XmlValue`]. Reading goes through [`XmlReader`], a thin layer over
//! quick-xml's reader that borrows from the reply bytes, resolves namespaces itself (declarations
//! are tracked only on the elements that carry them), refuses DOCTYPEs, bounds nesting and
//! reports errors with the path of the element that was wrong. Writing goes through
//! [`XmlWriter`], which tracks the default namespace so every element lands in the namespace the
//! schema gives it.

mod chars;
mod encoding;
mod error;
mod reader;
mod value;
mod writer;

pub(crate) use chars::element_path_at;
pub use chars::illegal_char;
pub use encoding::document_text;
pub use error::{DeError, DeErrorKind};
pub use reader::{Child, ListItems, XmlReader, DEFAULT_MAX_DEPTH, MAX_NAMESPACES_IN_SCOPE};
pub use value::{Base64Binary, Date, DateTime, NoOffset, XmlValue, Zone};
pub use writer::XmlWriter;

/// Implements [`Element`] for a type: `element!(Type, "LocalName", NAMESPACE);` is
/// `impl Element for Type { const NAME: &'static str = "LocalName"; const NAMESPACE: &'static str = NAMESPACE; }`.
/// Generated bindings declare their global elements with it (one line where the impl takes four).
///
/// ```
/// use soapbind::soap::xml::{element, Element, WriteXml, XmlWriter};
///
/// struct Ping;
/// impl WriteXml for Ping {
///     fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
///         w.start_tag(name, ns);
///         w.end(name);
///     }
/// }
/// # impl soapbind::soap::xml::ReadXml for Ping {
/// #     fn read_xml(r: &mut soapbind::soap::xml::XmlReader<'_>, s: &soapbind::soap::xml::BytesStart<'_>) -> Result<Self, soapbind::soap::xml::DeError> {
/// #         r.skip(s)?;
/// #         Ok(Ping)
/// #     }
/// # }
/// element!(Ping, "Ping", "urn:example");
///
/// assert_eq!((Ping::NAME, Ping::NAMESPACE), ("Ping", "urn:example"));
/// ```
pub use crate::__soapbind_element as element;

/// The implementation of [`element!`](element); reached through `soap::xml::element`.
#[doc(hidden)]
#[macro_export]
macro_rules! __soapbind_element {
    ($ty:ty, $name:expr, $namespace:expr) => {
        impl $crate::soap::xml::Element for $ty {
            const NAME: &'static str = $name;
            const NAMESPACE: &'static str = $namespace;
        }
    };
}

pub use quick_xml::events::BytesStart;
pub use rust_decimal::Decimal;
pub use uuid::Uuid;
pub(crate) use writer::escape;

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// `value`, or a [`DeErrorKind::Missing`] error naming the required element `name`.
pub fn required<T>(value: Option<T>, name: &'static str) -> Result<T, DeError> {
    value.ok_or_else(|| DeError::missing(name))
}

/// A type that can be read from an element's content.
pub trait ReadXml: Sized {
    /// Reads the element whose start tag `start` has just been consumed, up to and including its
    /// end tag.
    fn read_xml(r: &mut XmlReader<'_>, start: &quick_xml::events::BytesStart<'_>) -> Result<Self, DeError>;
}

/// A type that can be written as an element.
pub trait WriteXml {
    /// Writes `self` as the element `name` in namespace `ns` (empty for no namespace).
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str);
}

/// A global element of a schema: a SOAP body or header entry.
pub trait Element: ReadXml + WriteXml {
    /// The element's local name.
    const NAME: &'static str;
    /// The element's namespace (empty for no namespace).
    const NAMESPACE: &'static str;

    /// Writes `self` as this element.
    fn write_element(&self, w: &mut XmlWriter) {
        self.write_xml(w, Self::NAME, Self::NAMESPACE);
    }

    /// The value a reply without a body entry (or without any body, HTTP 202) stands for, if
    /// such a reply is a success: only [`Accepted`], the reply of one-way operations.
    fn empty_reply() -> Option<Self> {
        None
    }
}

/// The reply of a one-way operation (a `wsdl:input` without `wsdl:output`): the server accepted
/// the request. Any 2xx reply that is not a fault reads as `Accepted`, with or without a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accepted;

impl ReadXml for Accepted {
    fn read_xml(r: &mut XmlReader<'_>, start: &quick_xml::events::BytesStart<'_>) -> Result<Self, DeError> {
        r.skip(start)?;
        Ok(Accepted)
    }
}

impl WriteXml for Accepted {
    fn write_xml(&self, _w: &mut XmlWriter, _name: &str, _ns: &'static str) {}
}

impl Element for Accepted {
    const NAME: &'static str = "";
    const NAMESPACE: &'static str = "";

    fn empty_reply() -> Option<Self> {
        Some(Accepted)
    }
}

/// The absence of a SOAP header, for operations that declare none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoHeader;

/// A value that can be written as SOAP header entries.
pub trait HeaderEntries {
    /// Writes the header entries (nothing for [`NoHeader`]).
    fn write_entries(&self, w: &mut XmlWriter);
}

impl HeaderEntries for NoHeader {
    fn write_entries(&self, _w: &mut XmlWriter) {}
}

impl<E: Element> HeaderEntries for E {
    fn write_entries(&self, w: &mut XmlWriter) {
        self.write_element(w);
    }
}
