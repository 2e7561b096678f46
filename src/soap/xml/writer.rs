//! Writing requests: elements in the namespaces the schema gives them.

use std::fmt::{Display, Write as _};

use super::{WriteXml, XmlValue, XSI_NS};

/// Leaf values are written as `<name>text</name>`.
impl<T: XmlValue> WriteXml for T {
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
        w.value(name, ns, self);
    }
}

/// `None` is written as `xsi:nil` (for nillable elements; use [`XmlWriter::optional`] for
/// elements that may be left out).
impl<T: WriteXml> WriteXml for Option<T> {
    fn write_xml(&self, w: &mut XmlWriter, name: &str, ns: &'static str) {
        match self {
            Some(value) => value.write_xml(w, name, ns),
            None => w.nil(name, ns),
        }
    }
}

/// Writes XML into a byte buffer.
///
/// Each element is written with a default-namespace declaration only when its namespace differs
/// from its parent's, so a qualified ASMX request reads as plain `<Name>` children under one
/// `xmlns` on the body element. `xsi` is expected to be declared on an ancestor (the envelope
/// writer declares it).
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
    default_ns: Vec<&'static str>,
}

impl XmlWriter {
    /// Creates an empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self { buf: String::with_capacity(capacity), default_ns: Vec::new() }
    }

    /// Creates a writer whose output lands inside an element whose default namespace is `ns`.
    pub fn within_namespace(ns: &'static str) -> Self {
        Self { buf: String::new(), default_ns: vec![ns] }
    }

    /// The XML written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// Consumes the writer, returning the XML written.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// Appends markup written elsewhere, as is.
    pub fn raw(&mut self, markup: &str) {
        self.buf.push_str(markup);
    }

    fn open(&mut self, name: &str, ns: &'static str) {
        self.buf.push('<');
        self.buf.push_str(name);
        if self.default_ns.last().copied().unwrap_or("") != ns {
            self.buf.push_str(" xmlns=\"");
            push_escaped(&mut self.buf, ns, true);
            self.buf.push('"');
        }
        self.default_ns.push(ns);
    }

    /// Starts element `name` in namespace `ns`; add attributes with [`attribute`](Self::attribute),
    /// then call [`end_start`](Self::end_start).
    pub fn start(&mut self, name: &str, ns: &'static str) {
        self.open(name, ns);
    }

    /// Adds an attribute to the start tag being written.
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        push_escaped(&mut self.buf, value, true);
        self.buf.push('"');
    }

    /// Adds an attribute holding a leaf value to the start tag being written.
    pub fn attribute_value<T: XmlValue>(&mut self, name: &str, value: &T) {
        let mut text = XmlWriter::new();
        value.write_text(&mut text);
        self.buf.push(' ');
        self.buf.push_str(name);
        self.buf.push_str("=\"");
        self.buf.push_str(&text.buf.replace('"', "&quot;"));
        self.buf.push('"');
    }

    /// Closes the start tag being written.
    pub fn end_start(&mut self) {
        self.buf.push('>');
    }

    /// Writes the whole start tag of element `name` in namespace `ns`, without attributes: what
    /// [`start`](Self::start) followed by [`end_start`](Self::end_start) writes.
    pub fn start_tag(&mut self, name: &str, ns: &'static str) {
        self.start(name, ns);
        self.end_start();
    }

    /// Writes the end tag of element `name`.
    pub fn end(&mut self, name: &str) {
        self.default_ns.pop();
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push('>');
    }

    /// Writes `<name xsi:nil="true"/>`.
    pub fn nil(&mut self, name: &str, ns: &'static str) {
        self.open(name, ns);
        self.default_ns.pop();
        self.buf.push_str(" xsi:nil=\"true\"/>");
    }

    /// Writes `<name>value</name>` for a leaf value.
    pub fn value<T: XmlValue>(&mut self, name: &str, ns: &'static str, value: &T) {
        self.open(name, ns);
        self.buf.push('>');
        value.write_text(self);
        self.end(name);
    }

    /// Writes `value` as element `name` when it is `Some`; leaves it out when `None`.
    pub fn optional<T: WriteXml>(&mut self, name: &str, ns: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            value.write_xml(self, name, ns);
        }
    }

    /// Writes each item as an element `name`.
    pub fn many<T: WriteXml>(&mut self, name: &str, ns: &'static str, items: &[T]) {
        for item in items {
            item.write_xml(self, name, ns);
        }
    }

    /// Writes the list wrapper `name` (an `ArrayOfX` of the contract, also when `items` is
    /// empty) with each item as a child `item` in the same namespace.
    pub fn list<T: WriteXml>(&mut self, name: &str, ns: &'static str, item: &str, items: &[T]) {
        self.list_in(name, ns, item, ns, items);
    }

    /// Like [`list`](Self::list), with the items in namespace `item_ns`.
    pub fn list_in<T: WriteXml>(
        &mut self,
        name: &str,
        ns: &'static str,
        item: &str,
        item_ns: &'static str,
        items: &[T],
    ) {
        self.start_tag(name, ns);
        self.many(item, item_ns, items);
        self.end(name);
    }

    /// Writes text, escaping `<`, `&` and `>`.
    pub fn escaped_text(&mut self, text: &str) {
        push_escaped(&mut self.buf, text, false);
    }

    /// Writes text that needs no escaping (numbers, booleans, base64).
    pub fn raw_text(&mut self, text: &str) {
        self.buf.push_str(text);
    }

    /// Writes a value's `Display` form, which must need no escaping.
    pub fn display_text(&mut self, value: &impl Display) {
        let _ = write!(self.buf, "{value}");
    }

    /// The `xmlns:xsi` declaration to put on an enclosing element.
    pub fn xsi_declaration() -> String {
        format!(" xmlns:xsi=\"{XSI_NS}\"")
    }
}

/// `text` escaped the way [`XmlWriter`] escapes element text (`attribute: false`) or attribute
/// values (`attribute: true`).
pub(crate) fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text, attribute);
    out
}

fn push_escaped(out: &mut String, text: &str, attribute: bool) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' if attribute => "&quot;",
            b'\r' => "&#13;",
            b'\n' if attribute => "&#10;",
            b'\t' if attribute => "&#9;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_are_declared_only_where_they_change() {
        let mut w = XmlWriter::new();
        w.start("A", "urn:a");
        w.end_start();
        w.value("B", "urn:a", &String::from("x < y & z"));
        w.value("C", "", &5i32);
        w.nil("D", "urn:a");
        w.end("A");
        assert_eq!(w.as_str(), r#"<A xmlns="urn:a"><B>x &lt; y &amp; z</B><C xmlns="">5</C><D xsi:nil="true"/></A>"#);
    }
}
