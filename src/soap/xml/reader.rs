//! Borrowing, namespace-aware reading of replies.

use std::borrow::Cow;
use std::collections::HashMap;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, NamespaceError, PrefixDeclaration, QName, ResolveResult};
use quick_xml::Reader;

use super::{DeError, DeErrorKind, ReadXml, XmlValue, XSI_NS};

/// Leaf values read from the element text.
impl<T: XmlValue> ReadXml for T {
    fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
        let pos = r.position();
        let text = r.text(start)?;
        T::from_xml_cow(text).map_err(|e| e.at_position(pos))
    }
}

/// `xsi:nil` reads as `None`.
impl<T: ReadXml> ReadXml for Option<T> {
    fn read_xml(r: &mut XmlReader<'_>, start: &BytesStart<'_>) -> Result<Self, DeError> {
        if r.is_nil(start) {
            r.skip(start)?;
            return Ok(None);
        }
        T::read_xml(r, start).map(Some)
    }
}

/// The entries of a list type (ASMX's `ArrayOfX`: one repeated child, nothing else) being read
/// into a `Vec`: which child they are, and what was read so far (see [`XmlReader::list_into`]).
#[derive(Debug)]
pub struct ListItems<T> {
    item: &'static [u8],
    namespace: &'static str,
    items: Vec<T>,
}

impl<T> ListItems<T> {
    /// No entries yet; entries are the children `item` in `namespace` (empty for none).
    pub fn new(item: &'static [u8], namespace: &'static str) -> Self {
        Self { item, namespace, items: Vec::new() }
    }

    /// The entries read.
    pub fn into_vec(self) -> Vec<T> {
        self.items
    }
}

/// Nesting depth beyond which a document is refused.
pub const DEFAULT_MAX_DEPTH: u32 = 256;

/// The most namespace declarations in scope at once; a document with more is refused.
///
/// Resolving a name costs the same whatever the number of declarations in scope (above a
/// handful they are looked up by prefix); this bound keeps the memory for them small (real
/// replies declare a handful).
pub const MAX_NAMESPACES_IN_SCOPE: u32 = 128;

/// Up to this many bindings in scope, a prefix is found by looking through them all, innermost
/// first (the fastest for the handful real replies declare); above it, through a map by prefix.
const SCAN_NAMESPACES: usize = 8;

/// How many events are read between two looks at the clock when a deadline is set.
const EVENTS_PER_CLOCK_CHECK: u32 = 4096;

/// A reader over a complete XML document held in memory.
///
/// Events borrow from the document; text is only copied when it contains escapes or when the
/// target type owns it. Every element entered is counted, so documents nested deeper than the
/// limit fail with [`DeErrorKind::TooDeep`] instead of exhausting the stack.
pub struct XmlReader<'i> {
    /// quick-xml's reader without its namespace layer: namespaces are tracked in `scope`, only
    /// on the elements that declare any.
    reader: Reader<&'i [u8]>,
    /// The whole document (without a UTF-8 byte order mark), for raw slices.
    doc: &'i [u8],
    /// The same document as text, when it is valid UTF-8 (checked once, up front): text nodes
    /// are slices of it and need no check of their own.
    text: Option<&'i str>,
    /// Byte offset where the last event read began.
    event_start: u64,
    depth: u32,
    max_depth: u32,
    /// Namespace declarations in scope, and per element that declares any, (depth, count,
    /// bindings in `scope` before it).
    namespaces: u32,
    declared: Vec<(u32, u32, usize)>,
    /// The bindings in scope, by prefix.
    scope: Scope,
    /// The end tag just read closed an element that declared namespaces: its bindings go out of
    /// scope at the next event (as in quick-xml, names read up to then still resolve with them).
    pending_pop: bool,
    /// When reading must stop, if ever, and events left until the next look at the clock.
    deadline: Option<std::time::Instant>,
    events_to_check: u32,
}

/// A child element whose start tag has just been read.
pub struct Child<'i> {
    /// The start tag.
    pub start: BytesStart<'i>,
    /// Whether the element is in the namespace the caller expected.
    pub in_ns: bool,
}

impl<'i> Child<'i> {
    /// The element's local name.
    #[inline]
    pub fn local_name(&self) -> &[u8] {
        local_of(self.start.name().into_inner())
    }
}

fn local_of(qname: &[u8]) -> &[u8] {
    match memchr_colon(qname) {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

fn memchr_colon(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b':')
}

impl<'i> XmlReader<'i> {
    /// Creates a reader over `doc` with the default depth limit.
    pub fn new(doc: &'i [u8]) -> Self {
        Self::with_max_depth(doc, DEFAULT_MAX_DEPTH)
    }

    /// Creates a reader over a document already known to be text, with the default depth limit.
    ///
    /// A leading byte order mark is skipped; positions in errors count from after it.
    pub fn from_text(doc: &'i str) -> Self {
        let doc = doc.strip_prefix('\u{feff}').unwrap_or(doc);
        Self::build(doc.as_bytes(), Some(doc), DEFAULT_MAX_DEPTH)
    }

    /// Creates a reader over `doc` refusing nesting deeper than `max_depth`.
    pub fn with_max_depth(doc: &'i [u8], max_depth: u32) -> Self {
        let doc = doc.strip_prefix(UTF8_BOM).unwrap_or(doc);
        Self::build(doc, std::str::from_utf8(doc).ok(), max_depth)
    }

    fn build(doc: &'i [u8], text: Option<&'i str>, max_depth: u32) -> Self {
        debug_assert!(text.is_none_or(|t| t.as_ptr() == doc.as_ptr() && t.len() == doc.len()));
        let mut reader = Reader::from_reader(doc);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        config.trim_text(false);
        Self {
            reader,
            doc,
            text,
            event_start: 0,
            depth: 0,
            max_depth,
            namespaces: 0,
            declared: Vec::new(),
            scope: Scope::default(),
            pending_pop: false,
            deadline: None,
            events_to_check: EVENTS_PER_CLOCK_CHECK,
        }
    }

    /// Makes reading fail with [`DeErrorKind::OutOfTime`] once `deadline` has passed (checked
    /// every few thousand events).
    pub fn set_deadline(&mut self, deadline: std::time::Instant) {
        self.deadline = Some(deadline);
    }

    /// Current byte offset in the document.
    pub fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// Current element depth (0 outside the root element).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    #[cold]
    #[inline(never)]
    fn syntax(&self, e: impl std::fmt::Display) -> DeError {
        DeError::new(DeErrorKind::Syntax(e.to_string())).at_position(self.reader.error_position())
    }

    /// A malformed document found by the reader's own checks, at the event just read.
    #[cold]
    #[inline(never)]
    fn malformed(&self, e: impl std::fmt::Display) -> DeError {
        DeError::new(DeErrorKind::Syntax(e.to_string())).at_position(self.event_start)
    }

    /// Text that is not UTF-8, at the first byte that is not.
    #[cold]
    #[inline(never)]
    fn not_utf8(&self, bytes: &[u8], e: std::str::Utf8Error) -> DeError {
        let at = self.offset_of(bytes).map_or(self.event_start, |from| from as u64) + e.valid_up_to() as u64;
        DeError::new(DeErrorKind::Syntax("text is not valid UTF-8".into())).at_position(at)
    }

    /// Reads the next raw event, keeping count of depth and refusing DOCTYPEs.
    #[inline(always)]
    fn event(&mut self) -> Result<Event<'i>, DeError> {
        if self.pending_pop {
            self.pop_namespaces();
        }
        self.event_start = self.reader.buffer_position();
        let event = match self.reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(self.syntax(e)),
        };
        match &event {
            Event::Start(start) => {
                self.depth += 1;
                if self.depth > self.max_depth {
                    return Err(self.refused(DeErrorKind::TooDeep(self.max_depth)));
                }
                if self.deadline.is_some() {
                    self.check_clock()?;
                }
                if !start.attributes_raw().is_empty() {
                    self.count_namespaces(start)?;
                }
            }
            Event::End(_) => {
                self.pending_pop = self.declared.last().is_some_and(|&(depth, _, _)| depth == self.depth);
                self.depth = self.depth.saturating_sub(1);
            }
            Event::DocType(_) => return Err(self.refused(DeErrorKind::Doctype)),
            Event::Eof if self.depth > 0 => {
                return Err(self.malformed("the document ends before all elements are closed"))
            }
            _ => {}
        }
        Ok(event)
    }

    /// Takes the declarations of the element whose end tag was read last out of scope.
    #[cold]
    #[inline(never)]
    fn pop_namespaces(&mut self) {
        self.pending_pop = false;
        if let Some((_, count, bindings)) = self.declared.pop() {
            self.namespaces -= count;
            self.scope.truncate(bindings);
        }
    }

    /// Fails once the deadline has passed, looking at the clock every few thousand elements.
    #[inline]
    fn check_clock(&mut self) -> Result<(), DeError> {
        self.events_to_check -= 1;
        if self.events_to_check == 0 {
            self.events_to_check = EVENTS_PER_CLOCK_CHECK;
            if self.deadline.is_some_and(|deadline| std::time::Instant::now() > deadline) {
                return Err(self.refused(DeErrorKind::OutOfTime));
            }
        }
        Ok(())
    }

    /// Counts the namespace declarations of `start` and adds them to the scope, refusing more
    /// than [`MAX_NAMESPACES_IN_SCOPE`] in scope.
    #[inline(never)]
    fn count_namespaces(&mut self, start: &BytesStart<'_>) -> Result<(), DeError> {
        if !start.attributes_raw().windows(5).any(|w| w == b"xmlns") {
            return Ok(());
        }
        let before = self.scope.len();
        let mut count = 0u32;
        let mut refused = None;
        // As quick-xml's resolver does: up to the first attribute that does not parse, the
        // raw (unescaped) values.
        for attribute in start.attributes().with_checks(false) {
            let Ok(attribute) = attribute else { break };
            if let Some(declaration) = attribute.key.as_namespace_binding() {
                count = count.saturating_add(1);
                if count <= MAX_NAMESPACES_IN_SCOPE {
                    if let Err(e) = self.scope.declare(declaration, &attribute.value) {
                        refused = Some(e);
                        break;
                    }
                }
            }
        }
        if count > 0 {
            self.namespaces = self.namespaces.saturating_add(count);
            self.declared.push((self.depth, count, before));
            if let Some(e) = refused {
                return Err(self.malformed(e));
            }
            if self.namespaces > MAX_NAMESPACES_IN_SCOPE {
                let limit = MAX_NAMESPACES_IN_SCOPE;
                return Err(self.refused(DeErrorKind::TooMany { what: "namespace declarations in scope", limit }));
            }
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn refused(&self, kind: DeErrorKind) -> DeError {
        DeError::new(kind).at_position(self.position())
    }

    /// Reads up to the document's root element and returns its start tag.
    pub fn root(&mut self) -> Result<BytesStart<'i>, DeError> {
        loop {
            match self.event()? {
                Event::Start(start) => return Ok(start),
                Event::Eof => return Err(self.malformed("the document has no root element")),
                Event::Text(t) if !is_blank(&t) => {
                    return Err(self.malformed("text before the root element"));
                }
                _ => {}
            }
        }
    }

    /// Whether the element `start` (just read) is in namespace `ns` (empty: no namespace).
    #[inline]
    pub fn in_namespace(&self, start: &BytesStart<'_>, ns: &str) -> bool {
        ns_matches(&self.resolve(start.name(), true), ns)
    }

    /// The namespace of an element (`element`) or attribute name in scope at the element just
    /// read. The cost does not grow with the number of declarations in scope.
    #[inline]
    fn resolve(&self, name: QName<'_>, element: bool) -> ResolveResult<'_> {
        self.scope.resolve(name.into_inner(), element)
    }

    /// The namespace of element `start` (just read), as `{ns}local` for messages.
    pub fn expanded_name(&self, start: &BytesStart<'_>) -> String {
        let local = String::from_utf8_lossy(local_of(start.name().into_inner()));
        match self.resolve(start.name(), true) {
            ResolveResult::Bound(ns) => format!("{{{}}}{local}", String::from_utf8_lossy(ns.into_inner())),
            _ => local.into_owned(),
        }
    }

    /// Reads the next child element of the current element, or `None` at its end tag.
    ///
    /// Text, comments and processing instructions between children are skipped. `in_ns` of the
    /// returned child tells whether it is in namespace `ns` (empty: no namespace).
    #[inline]
    pub fn next_child(&mut self, ns: &str) -> Result<Option<Child<'i>>, DeError> {
        loop {
            match self.event()? {
                Event::Start(start) => {
                    let in_ns = ns_matches(&self.resolve(start.name(), true), ns);
                    return Ok(Some(Child { start, in_ns }));
                }
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.malformed("unexpected end of document")),
                _ => {}
            }
        }
    }

    /// Like [`next_child`](Self::next_child), but skips children outside namespace `ns`.
    #[inline]
    pub fn next_child_in(&mut self, ns: &str) -> Result<Option<Child<'i>>, DeError> {
        while let Some(child) = self.next_child(ns)? {
            if child.in_ns {
                return Ok(Some(child));
            }
            self.skip(&child.start)?;
        }
        Ok(None)
    }

    /// Skips the rest of the element `start` (just read), whatever it contains.
    #[inline]
    pub fn skip(&mut self, _start: &BytesStart<'_>) -> Result<(), DeError> {
        let target = self.depth.saturating_sub(1);
        while self.depth > target {
            if let Event::Eof = self.event()? {
                return Err(self.malformed("unexpected end of document"));
            }
        }
        Ok(())
    }

    /// Whether `start` carries `xsi:nil="true"`, with `xsi` declared on any enclosing element.
    #[inline]
    pub fn is_nil(&self, start: &BytesStart<'_>) -> bool {
        if start.attributes_raw().iter().all(|b| b.is_ascii_whitespace()) {
            return false;
        }
        start.attributes().with_checks(false).flatten().any(|a| {
            if local_of(a.key.into_inner()) != b"nil" {
                return false;
            }
            ns_matches(&self.resolve(a.key, false), XSI_NS) && matches!(a.value.as_ref(), b"true" | b"1")
        })
    }

    /// The value of attribute `name` (unqualified) on `start`, unescaped.
    pub fn attribute(&self, start: &BytesStart<'i>, name: &str) -> Result<Option<String>, DeError> {
        for attr in start.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.malformed(e))?;
            if attr.key.into_inner() == name.as_bytes() {
                let value = attr.decode_and_unescape_value(self.reader.decoder()).map_err(|e| self.malformed(e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    /// The value of attribute `name` (unqualified) on `start`, parsed; errors name `@name`.
    pub fn attribute_value<T: XmlValue>(&self, start: &BytesStart<'i>, name: &str) -> Result<Option<T>, DeError> {
        match self.attribute(start, name)? {
            Some(text) => T::from_xml(&text).map(Some).map_err(|e| e.within(&format!("@{name}"))),
            None => Ok(None),
        }
    }

    /// Reads the text content of element `start` (just read) through its end tag.
    ///
    /// Borrows from the document when the text has no escapes; an element child is an error.
    #[inline]
    pub fn text(&mut self, start: &BytesStart<'_>) -> Result<Cow<'i, str>, DeError> {
        // The usual leaf, one text node (or none) and the end tag, takes two events.
        let mut out = Cow::Borrowed("");
        let mut event = self.event()?;
        if let Event::Text(t) = event {
            out = self.decode(t.into_inner())?;
            event = self.event()?;
        }
        if let Event::End(_) = event {
            return Ok(out);
        }
        self.text_rest(start, out, event)
    }

    /// The rest of [`text`](Self::text) from `event` on: escapes, CDATA, comments, more text.
    #[inline(never)]
    fn text_rest(
        &mut self,
        start: &BytesStart<'_>,
        mut out: Cow<'i, str>,
        mut event: Event<'i>,
    ) -> Result<Cow<'i, str>, DeError> {
        loop {
            match event {
                Event::Text(t) => {
                    let s = self.decode(t.into_inner())?;
                    append(&mut out, s);
                }
                Event::CData(c) => {
                    let s = self.decode(c.into_inner())?;
                    append(&mut out, s);
                }
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref().map_err(|e| self.malformed(e))? {
                        Some(ch) => ch.to_string(),
                        None => {
                            let name = r.decode().map_err(|e| self.malformed(e))?;
                            match resolve_predefined_entity(&name) {
                                Some(s) => s.to_owned(),
                                None => return Err(self.malformed(format!("unknown entity `&{name};`"))),
                            }
                        }
                    };
                    out.to_mut().push_str(&ch);
                }
                Event::End(_) => return Ok(out),
                Event::Start(child) => {
                    let name = String::from_utf8_lossy(child.name().into_inner()).into_owned();
                    return Err(DeError::new(DeErrorKind::UnexpectedElement(name))
                        .within(&String::from_utf8_lossy(start.name().into_inner())));
                }
                Event::Eof => return Err(self.malformed("unexpected end of document")),
                _ => {}
            }
            event = self.event()?;
        }
    }

    /// Text of the document as `str`: a slice of the document checked once as a whole when it
    /// came from it, checked on its own otherwise.
    #[inline]
    fn decode(&self, bytes: Cow<'i, [u8]>) -> Result<Cow<'i, str>, DeError> {
        match bytes {
            Cow::Borrowed(b) => match self.doc_slice(b) {
                Some(s) => Ok(Cow::Borrowed(s)),
                None => std::str::from_utf8(b).map(Cow::Borrowed).map_err(|e| self.not_utf8(b, e)),
            },
            Cow::Owned(b) => match String::from_utf8(b) {
                Ok(s) => Ok(Cow::Owned(s)),
                Err(e) => Err(self.not_utf8(e.as_bytes(), e.utf8_error())),
            },
        }
    }

    /// `bytes` as a slice of the checked document text, if the document is text and holds them.
    #[inline]
    fn doc_slice(&self, bytes: &'i [u8]) -> Option<&'i str> {
        let from = self.offset_of(bytes)?;
        self.text?.get(from..from + bytes.len())
    }

    /// Where `bytes` begin in the document, if they are a slice of it.
    #[inline]
    fn offset_of(&self, bytes: &[u8]) -> Option<usize> {
        let from = (bytes.as_ptr() as usize).checked_sub(self.doc.as_ptr() as usize)?;
        (from.checked_add(bytes.len())? <= self.doc.len()).then_some(from)
    }

    /// Reads the value of `child` (just read) through its end tag; errors name the element.
    #[inline]
    pub fn read<T: ReadXml>(&mut self, child: &Child<'_>) -> Result<T, DeError> {
        T::read_xml(self, &child.start).map_err(|e| e.within(&String::from_utf8_lossy(child.local_name())))
    }

    /// Reads `child` into `slot` (a later occurrence replaces an earlier one).
    #[inline]
    pub fn read_into<T: ReadXml>(&mut self, child: &Child<'_>, slot: &mut Option<T>) -> Result<(), DeError> {
        *slot = Some(self.read(child)?);
        Ok(())
    }

    /// Reads `child` and appends it to `items`.
    #[inline]
    pub fn push_into<T: ReadXml>(&mut self, child: &Child<'_>, items: &mut Vec<T>) -> Result<(), DeError> {
        items.push(self.read(child)?);
        Ok(())
    }

    /// Reads `child` and appends it to `items` unless it is `xsi:nil`.
    pub fn push_some_into<T: ReadXml>(&mut self, child: &Child<'_>, items: &mut Vec<T>) -> Result<(), DeError> {
        if let Some(item) = self.read::<Option<T>>(child)? {
            items.push(item);
        }
        Ok(())
    }

    /// Reads the list wrapper `child` (an `ArrayOfX` of the contract) and appends its entries
    /// to `list`. Nil entries and children other than the entries are skipped; a nil wrapper
    /// adds nothing.
    pub fn list_into<T: ReadXml>(&mut self, child: &Child<'_>, list: &mut ListItems<T>) -> Result<(), DeError> {
        if self.is_nil(&child.start) {
            return self.skip(&child.start);
        }
        let mut entries = || -> Result<(), DeError> {
            while let Some(entry) = self.next_child_in(list.namespace)? {
                if entry.local_name() == list.item {
                    self.push_some_into(&entry, &mut list.items)?;
                } else {
                    self.skip(&entry.start)?;
                }
            }
            Ok(())
        };
        entries().map_err(|e| e.within(&String::from_utf8_lossy(child.local_name())))
    }

    /// Checks that nothing but whitespace, comments and processing instructions follow.
    pub fn finish(&mut self) -> Result<(), DeError> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Start(_) => return Err(self.malformed("a second root element")),
                Event::Text(t) if !is_blank(&t) => return Err(self.malformed("text after the root element")),
                _ => {}
            }
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl<'i> XmlReader<'i> {
    /// The document bytes from `from` to `to`, as text.
    fn slice(&self, from: u64, to: u64) -> Result<&'i str, DeError> {
        let doc: &'i [u8] = self.doc;
        let (from, to) = (usize::try_from(from).unwrap_or(usize::MAX), usize::try_from(to).unwrap_or(usize::MAX));
        let bytes = doc.get(from..to).ok_or_else(|| self.malformed("internal: element bounds outside the document"))?;
        if let Some(text) = self.doc_slice(bytes) {
            return Ok(text);
        }
        std::str::from_utf8(bytes).map_err(|e| self.not_utf8(bytes, e))
    }

    /// Reads the rest of element `start` (just read) and returns its content as written in the
    /// document — the markup between its start and end tags, escapes and all.
    ///
    /// Namespace prefixes used inside but declared on an ancestor are not part of the slice; a
    /// reader parsing it again must declare them itself.
    pub fn raw_inner(&mut self, _start: &BytesStart<'_>) -> Result<&'i str, DeError> {
        let from = self.position();
        let target = self.depth.saturating_sub(1);
        let mut to = from;
        while self.depth > target {
            if let Event::Eof = self.event()? {
                return Err(self.malformed("unexpected end of document"));
            }
            // Where the last event (at the end, the end tag) began.
            to = self.event_start;
        }
        self.slice(from, to.max(from))
    }

    /// Reads the rest of the element that [`next_child`](Self::next_child) just returned and
    /// returns the whole element — start tag, content and end tag — as written in the document.
    pub fn raw_outer(&mut self, start: &BytesStart<'_>) -> Result<&'i str, DeError> {
        let from = self.event_start;
        self.skip(start)?;
        self.slice(from, self.position())
    }

    /// Resolves a QName held in text (such as a SOAP 1.1 `faultcode`, `soap:Client`) against the
    /// namespace declarations in scope at the element just read.
    ///
    /// Returns the namespace (`None` when the prefix is undeclared, or when an unprefixed name
    /// has no default namespace in scope) and the local name.
    pub fn resolve_qname<'q>(&self, qname: &'q str) -> (Option<String>, &'q str) {
        let qname = qname.trim();
        let local_len = local_of(qname.as_bytes()).len();
        let local = &qname[qname.len() - local_len..];
        match self.resolve(QName(qname.as_bytes()), true) {
            ResolveResult::Bound(ns) => (Some(String::from_utf8_lossy(ns.into_inner()).into_owned()), local),
            _ => (None, local),
        }
    }
}

/// The namespace declarations in scope, found by prefix. A handful are looked through, innermost
/// first; when there are more, a map by prefix answers (quick-xml's resolver looks through every
/// declaration for each name, so a reply declaring many namespaces and then many elements would
/// cost their product). Bindings are pushed and popped with the elements that declare them, and
/// resolve exactly as quick-xml's resolver does.
#[derive(Default)]
struct Scope {
    /// The innermost binding of each prefix (empty: the default namespace), as an index into
    /// `bindings`.
    innermost: HashMap<Box<[u8]>, usize>,
    /// Every binding in scope, outermost first.
    bindings: Vec<Binding>,
}

struct Binding {
    /// The prefix declared (empty: the default namespace).
    prefix: Box<[u8]>,
    /// The namespace, as written (empty: the declaration undoes an outer one).
    namespace: Box<[u8]>,
    /// The binding of the same prefix this one hides, restored when it goes out of scope.
    hides: Option<usize>,
}

const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &[u8] = b"http://www.w3.org/2000/xmlns/";

impl Scope {
    fn len(&self) -> usize {
        self.bindings.len()
    }

    /// Adds a declaration of the element just entered. As in quick-xml (and the Namespaces in
    /// XML recommendation), `xml` keeps its fixed namespace, `xmlns` cannot be declared, and no
    /// other prefix may be bound to either of their namespaces.
    fn declare(&mut self, declaration: PrefixDeclaration<'_>, namespace: &[u8]) -> Result<(), NamespaceError> {
        let prefix: &[u8] = match declaration {
            PrefixDeclaration::Default => b"",
            PrefixDeclaration::Named(b"xml") if namespace == XML_NS => return Ok(()),
            PrefixDeclaration::Named(b"xml") => return Err(NamespaceError::InvalidXmlPrefixBind(namespace.to_vec())),
            PrefixDeclaration::Named(b"xmlns") => {
                return Err(NamespaceError::InvalidXmlnsPrefixBind(namespace.to_vec()))
            }
            PrefixDeclaration::Named(prefix) if namespace == XML_NS => {
                return Err(NamespaceError::InvalidPrefixForXml(prefix.to_vec()))
            }
            PrefixDeclaration::Named(prefix) if namespace == XMLNS_NS => {
                return Err(NamespaceError::InvalidPrefixForXmlns(prefix.to_vec()))
            }
            PrefixDeclaration::Named(prefix) => prefix,
        };
        let index = self.bindings.len();
        let hides = self.innermost.insert(prefix.into(), index);
        self.bindings.push(Binding { prefix: prefix.into(), namespace: namespace.into(), hides });
        Ok(())
    }

    /// Removes the bindings after the first `len`, restoring what they hid.
    fn truncate(&mut self, len: usize) {
        while self.bindings.len() > len {
            let Some(binding) = self.bindings.pop() else { break };
            match binding.hides {
                Some(hidden) => {
                    self.innermost.insert(binding.prefix, hidden);
                }
                None => {
                    self.innermost.remove(&binding.prefix);
                }
            }
        }
    }

    #[inline]
    fn namespace(&self, prefix: &[u8]) -> Option<&[u8]> {
        if self.bindings.len() <= SCAN_NAMESPACES {
            return self.bindings.iter().rev().find(|b| *b.prefix == *prefix).map(|b| &*b.namespace);
        }
        self.innermost.get(prefix).map(|&i| &*self.bindings[i].namespace)
    }

    /// What quick-xml's `resolve_element` (`element`) or `resolve_attribute` answers for
    /// `qname`.
    #[inline]
    fn resolve(&self, qname: &[u8], element: bool) -> ResolveResult<'_> {
        match memchr_colon(qname) {
            None if !element => ResolveResult::Unbound,
            None => match self.namespace(b"") {
                Some(ns) if !ns.is_empty() => ResolveResult::Bound(Namespace(ns)),
                _ => ResolveResult::Unbound,
            },
            Some(colon) => match &qname[..colon] {
                b"xml" => ResolveResult::Bound(Namespace(XML_NS)),
                b"xmlns" => ResolveResult::Bound(Namespace(XMLNS_NS)),
                prefix => match self.namespace(prefix) {
                    Some(ns) if !prefix.is_empty() && !ns.is_empty() => ResolveResult::Bound(Namespace(ns)),
                    _ => ResolveResult::Unknown(prefix.to_vec()),
                },
            },
        }
    }
}

fn is_blank(t: &[u8]) -> bool {
    t.iter().all(u8::is_ascii_whitespace)
}

fn ns_matches(res: &ResolveResult<'_>, ns: &str) -> bool {
    match res {
        ResolveResult::Bound(bound) => bound.into_inner() == ns.as_bytes(),
        ResolveResult::Unbound => ns.is_empty(),
        ResolveResult::Unknown(_) => false,
    }
}

fn append<'i>(out: &mut Cow<'i, str>, s: Cow<'i, str>) {
    if out.is_empty() {
        *out = s;
    } else {
        out.to_mut().push_str(&s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the root's only child, read with `reader`.
    fn leaf<'i>(r: &mut XmlReader<'i>) -> Result<Cow<'i, str>, DeError> {
        r.root()?;
        let child = r.next_child("")?.expect("a child");
        let text = r.text(&child.start)?;
        assert!(r.next_child("")?.is_none(), "the root ends after the child");
        r.finish()?;
        Ok(text)
    }

    fn text_of(doc: &str) -> Result<Cow<'_, str>, DeError> {
        leaf(&mut XmlReader::from_text(doc))
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(text_of("<r><a>12.50</a></r>").unwrap(), Cow::Borrowed("12.50")));
        assert!(matches!(text_of("<r><a/></r>").unwrap(), Cow::Borrowed("")));
        assert!(matches!(text_of("<r><a></a></r>").unwrap(), Cow::Borrowed("")));
        assert!(matches!(text_of("\u{feff}<r><a>é ü</a></r>").unwrap(), Cow::Borrowed("é ü")));
        let bytes = "<r><a>ß</a></r>".as_bytes();
        assert!(matches!(leaf(&mut XmlReader::new(bytes)).unwrap(), Cow::Borrowed("ß")));
    }

    #[test]
    fn escapes_cdata_and_comments_are_joined() {
        let cases = [
            ("<r><a>Tom &amp; Jerry</a></r>", "Tom & Jerry"),
            ("<r><a>&lt;b&gt;&quot;&apos;</a></r>", "<b>\"'"),
            ("<r><a>&#233;&#x20AC;</a></r>", "é€"),
            ("<r><a>x<![CDATA[<y> & z]]>w</a></r>", "x<y> & zw"),
            ("<r><a>one<!-- two -->three</a></r>", "onethree"),
            ("<r><a><?pi x?>four</a></r>", "four"),
        ];
        for (doc, want) in cases {
            assert_eq!(text_of(doc).unwrap(), want, "{doc}");
        }
    }

    #[test]
    fn a_child_element_or_unknown_entity_is_an_error() {
        let e = text_of("<r><a>x<b>y</b></a></r>").unwrap_err();
        assert!(matches!(e.kind(), DeErrorKind::UnexpectedElement(name) if name == "b"), "{e}");
        assert!(e.to_string().contains('a'), "{e}");
        let e = text_of("<r><a>&nbsp;</a></r>").unwrap_err();
        assert!(e.to_string().contains("&nbsp;"), "{e}");
        assert!(text_of("<r><a>x</b></r>").is_err());
        assert!(text_of("<r><a>x").is_err());
    }

    #[test]
    fn text_that_is_not_utf8_is_an_error_when_read() {
        let mut r = XmlReader::new(b"<r><a>ok\xff</a></r>");
        let e = leaf(&mut r).unwrap_err();
        assert!(matches!(e.kind(), DeErrorKind::Syntax(_)), "{e}");
        assert_eq!(e.position(), Some(8), "{e}");
        // Elsewhere in such a document, text that is UTF-8 reads (checked node by node).
        let mut r = XmlReader::new(b"<r><!--\xff--><a>x\xc3\xa9</a></r>");
        assert!(matches!(leaf(&mut r).unwrap(), Cow::Borrowed("x\u{e9}")));
    }

    #[test]
    fn errors_name_the_byte_where_the_reader_stood() {
        let e = text_of("<r><a>x&nbsp;</a></r>").unwrap_err();
        assert_eq!(e.position(), Some(7), "{e}");
        let e = text_of("<r><a>x</a>").unwrap_err();
        assert_eq!(e.position(), Some(11), "{e}");
        let e = XmlReader::from_text("  text <r/>").root().unwrap_err();
        assert_eq!(e.position(), Some(0), "{e}");
    }

    #[test]
    fn raw_content_is_sliced_from_the_document() {
        let doc = "<r><a x='1'>k &amp; <b>v</b></a><c/></r>";
        let mut r = XmlReader::from_text(doc);
        r.root().unwrap();
        let a = r.next_child("").unwrap().unwrap();
        assert_eq!(r.raw_inner(&a.start).unwrap(), "k &amp; <b>v</b>");
        let c = r.next_child("").unwrap().unwrap();
        assert_eq!(r.raw_outer(&c.start).unwrap(), "<c/>");

        let doc = "<r><a/><b>\n  Zoë <i>€</i>\n</b></r>";
        let mut r = XmlReader::from_text(doc);
        r.root().unwrap();
        let a = r.next_child("").unwrap().unwrap();
        assert_eq!(r.raw_inner(&a.start).unwrap(), "");
        let b = r.next_child("").unwrap().unwrap();
        assert_eq!(r.raw_inner(&b.start).unwrap(), "\n  Zoë <i>€</i>\n");
        assert!(r.next_child("").unwrap().is_none());
    }

    #[test]
    fn reserved_prefixes_and_namespaces_cannot_be_bound() {
        let xml = "http://www.w3.org/XML/1998/namespace";
        let refused = [
            "<r xmlns:xml=\"urn:x\"/>".to_owned(),
            "<r xmlns:xmlns=\"urn:x\"/>".to_owned(),
            format!("<r xmlns:p=\"{xml}\"/>"),
            "<r xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>".to_owned(),
        ];
        for doc in &refused {
            let e = XmlReader::from_text(doc).root().unwrap_err();
            assert!(matches!(e.kind(), DeErrorKind::Syntax(_)), "{doc}: {e}");
            assert_eq!(e.position(), Some(0), "{doc}: {e}");
            assert!(quick_xml::NsReader::from_str(doc).read_event().is_err(), "quick-xml refuses {doc} too");
        }
        let doc = format!("<r xmlns:xml=\"{xml}\"><xml:a/></r>");
        let mut r = XmlReader::from_text(&doc);
        r.root().unwrap();
        let a = r.next_child(xml).unwrap().unwrap();
        assert!(a.in_ns, "the xml prefix keeps its namespace");
    }

    #[test]
    fn names_resolve_by_prefix_as_quick_xml_resolves_them() {
        // Shadowing, undoing, nesting, the reserved prefixes, undeclared prefixes and attributes,
        // with a handful of declarations in scope (looked through) and with many (looked up by
        // prefix); quick-xml's namespace-aware reader, run beside ours, is the reference.
        for declarations in [2, 40] {
            let outer: String = (0..declarations).map(|i| format!(" xmlns:p{i}=\"urn:p{i}\"")).collect();
            let last = declarations - 1;
            let doc = format!(
                "<r xmlns=\"urn:d\"{outer}><p0:a/><b p1:x=\"1\" y=\"2\" xml:lang=\"en\"/>\
                 <c xmlns:p0=\"urn:other\" xmlns=\"\"><p0:a/><d/><p3:e xmlns:p3=\"\"/><p3:e/>\
                 <f xmlns=\"urn:f\" xmlns:p0=\"urn:third\"><p0:a/><g/></f><p0:a/><g/></c>\
                 <p0:a/><q:h/><xml:i/><xmlns:j/><:k/><p{last}:l p{last}:m=\"\" q:n=\"\" :o=\"\"/><g/></r>"
            );
            let mut reference = quick_xml::NsReader::from_str(&doc);
            reference.config_mut().expand_empty_elements = true;
            let mut r = XmlReader::from_text(&doc);
            let mut elements = 0;
            loop {
                let event = r.event().unwrap();
                let (_, expected_event) = reference.read_resolved_event().unwrap();
                assert_eq!(event, expected_event);
                match event {
                    Event::Start(start) => {
                        elements += 1;
                        assert_eq!(r.scope.len() > SCAN_NAMESPACES, declarations > SCAN_NAMESPACES);
                        let name = start.name();
                        let (expected, _) = reference.resolve_element(name);
                        assert_eq!(r.resolve(name, true), expected, "{name:?}");
                        for attribute in start.attributes().with_checks(false).flatten() {
                            let (expected, _) = reference.resolve_attribute(attribute.key);
                            assert_eq!(r.resolve(attribute.key, false), expected, "{attribute:?}");
                        }
                    }
                    Event::End(end) => {
                        // Until the next event, an end tag's name resolves in its element's scope.
                        let (expected, _) = reference.resolve_element(end.name());
                        assert_eq!(r.resolve(end.name(), true), expected, "{end:?}");
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
            assert_eq!(elements, 20);
            assert!(r.scope.innermost.is_empty() && r.scope.bindings.is_empty(), "every binding went out of scope");
        }
    }
}
