//! The streaming reader behind [`super::read`] and [`super::read_str`].
//!
//! One pass of `quick_xml::NsReader` per file, in document order. Embedded schemas are copied
//! out of the original text by byte positions (only the root `xs:schema` tag and the tags with a
//! `schemaLocation` are rewritten), so the schema text keeps its formatting and escapes.
//! Files referred to are queued and read after the file that refers to them; references between
//! WSDL parts are recorded with their position and checked at the end, when everything is known.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{PrefixDeclaration, QName as XmlQName, ResolveResult};
use quick_xml::NsReader;

use super::model::{
    AbstractOperation, Binding, BoundOperation, Definitions, HeaderRef, Message, Part, Port, PortType, QName,
    SchemaSource, Service, SoapVersion, Style,
};
use super::WsdlError;

const NS_WSDL: &[u8] = b"http://schemas.xmlsoap.org/wsdl/";
const NS_SOAP11: &[u8] = b"http://schemas.xmlsoap.org/wsdl/soap/";
const NS_SOAP12: &[u8] = b"http://schemas.xmlsoap.org/wsdl/soap12/";
const NS_HTTP: &[u8] = b"http://schemas.xmlsoap.org/wsdl/http/";
const NS_XSD: &[u8] = b"http://www.w3.org/2001/XMLSchema";
const NS_WSDL20: &[u8] = b"http://www.w3.org/ns/wsdl";

/// Namespaces an `xs:import` without `schemaLocation` may name without any schema of the WSDL
/// defining them (the schema processor knows them, or they are only used in encoded bindings).
const WELL_KNOWN_NAMESPACES: &[&str] = &[
    "http://www.w3.org/2001/XMLSchema",
    "http://www.w3.org/XML/1998/namespace",
    "http://schemas.xmlsoap.org/soap/encoding/",
    "http://schemas.xmlsoap.org/wsdl/",
];

/// Decodes a file's bytes as UTF-8 (dropping a byte-order mark); names the line of the first
/// invalid byte otherwise.
pub(super) fn decode_utf8<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, WsdlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
        WsdlError::Invalid {
            file: path.to_path_buf(),
            line: line_of(bytes, e.valid_up_to()),
            message: if utf16 {
                "the file is UTF-16; only UTF-8 is supported".to_owned()
            } else {
                format!("the file is not valid UTF-8 ({e})")
            },
        }
    })
}

/// 1-based line of a byte offset.
fn line_of(text: &[u8], offset: usize) -> usize {
    let end = offset.min(text.len());
    text[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Reads the WSDL `text` (reported as `path`) and everything it refers to.
pub(super) fn read_definitions(
    path: &Path,
    text: &str,
    locations: &BTreeMap<String, PathBuf>,
) -> Result<Definitions, WsdlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut st = State { locations: locations.clone(), ..State::default() };
    st.defs.path = path.to_path_buf();
    st.seen.insert(absolute(path));
    let root = st.add_source(path.to_path_buf(), Rc::from(text));
    Doc::new(&mut st, root).wsdl_document(true)?;
    while let Some(job) = st.queue.pop_front() {
        st.run_job(job)?;
    }
    st.finish()
}

/// A byte position in one of the files read.
#[derive(Debug, Clone, Copy)]
struct Loc {
    file: usize,
    offset: usize,
}

/// What a queued file is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobKind {
    /// `schemaLocation` of an `xs:import`/`xs:include`/…: an XML Schema document.
    Schema,
    /// `location` of a `wsdl:import`: a WSDL or an XML Schema document.
    Import,
}

/// A file referred to, still to be read.
#[derive(Debug)]
struct Job {
    path: PathBuf,
    from: Loc,
    kind: JobKind,
}

/// A reference to check once every file is read.
#[derive(Debug)]
enum Check {
    /// A `message=` of a port type operation.
    Message { name: String, what: String, loc: Loc },
    /// A binding's `type=`.
    PortType { binding: String, port_type: String, loc: Loc },
    /// A bound operation must be an operation of the port type.
    BindingOp { binding: String, port_type: String, op: String, loc: Loc },
    /// `soap:header message= part=`.
    Header { message: String, part: String, loc: Loc },
    /// `soap:body parts=` must name parts of the operation's message.
    BodyParts { port_type: String, op: String, output: bool, parts: Vec<String>, loc: Loc },
}

/// A `wsdl:port` before its binding is known.
#[derive(Debug)]
struct RawPort {
    name: String,
    binding: String,
    address: Option<(String, SoapVersion)>,
    loc: Loc,
}

/// A `wsdl:service` before its ports' bindings are known.
#[derive(Debug)]
struct RawService {
    name: String,
    documentation: String,
    ports: Vec<RawPort>,
}

/// `wsdl:input`/`wsdl:output` of a bound operation.
#[derive(Debug, Default)]
struct RawIo {
    encoded: bool,
    parts: Option<(Vec<String>, Loc)>,
    namespace: Option<String>,
    headers: Vec<(HeaderRef, Loc)>,
}

/// `wsdl:binding/wsdl:operation` before the binding kind is known.
#[derive(Debug)]
struct RawOp {
    name: String,
    loc: Loc,
    soap_action: String,
    style: Option<Style>,
    input: RawIo,
    output: RawIo,
    encoded_fault: bool,
}

/// What the `wsdl:binding` binds to.
enum BindingKind {
    Soap(SoapVersion),
    Http(String),
}

/// Everything gathered while reading the files.
#[derive(Default)]
struct State {
    defs: Definitions,
    /// Display path and text of every file read, indexed by [`Loc::file`].
    sources: Vec<(PathBuf, Rc<str>)>,
    /// Absolute paths of the files read or queued.
    seen: HashSet<PathBuf>,
    queue: VecDeque<Job>,
    checks: Vec<Check>,
    services: Vec<RawService>,
    /// Bindings skipped, with the reason.
    skipped_bindings: HashMap<String, String>,
    /// Local copies of remote documents: URL → file.
    locations: BTreeMap<String, PathBuf>,
    /// `wsdl:import` locations that were not read (remote, without a local copy).
    unread_imports: Vec<String>,
}

impl State {
    fn add_source(&mut self, path: PathBuf, text: Rc<str>) -> usize {
        self.sources.push((path, text));
        self.sources.len() - 1
    }

    fn invalid(&self, loc: Loc, message: impl Into<String>) -> WsdlError {
        let (path, text) = &self.sources[loc.file];
        WsdlError::Invalid { file: path.clone(), line: line_of(text.as_bytes(), loc.offset), message: message.into() }
    }

    /// Queues `path` unless it was read or queued already.
    fn enqueue(&mut self, path: PathBuf, from: Loc, kind: JobKind) {
        if self.seen.insert(path.clone()) {
            self.queue.push_back(Job { path, from, kind });
        }
    }

    fn run_job(&mut self, job: Job) -> Result<(), WsdlError> {
        let bytes = std::fs::read(&job.path).map_err(|source| {
            let (file, text) = &self.sources[job.from.file];
            WsdlError::ReferencedIo {
                file: file.clone(),
                line: line_of(text.as_bytes(), job.from.offset),
                path: job.path.clone(),
                source,
            }
        })?;
        let text = decode_utf8(&job.path, &bytes)?;
        let file = self.add_source(job.path.clone(), Rc::from(text));
        let mut doc = Doc::new(self, file);
        match job.kind {
            JobKind::Schema => doc.schema_document(None),
            JobKind::Import => doc.imported_document(),
        }
    }

    /// Checks the recorded references, resolves the ports and adds the final notes.
    fn finish(mut self) -> Result<Definitions, WsdlError> {
        for check in std::mem::take(&mut self.checks) {
            self.check(check)?;
        }
        for raw in std::mem::take(&mut self.services) {
            let mut service = Service { name: raw.name, documentation: raw.documentation, ports: Vec::new() };
            for port in raw.ports {
                if self.defs.bindings.contains_key(&port.binding) {
                    match port.address {
                        Some((address, version)) => {
                            service.ports.push(Port { name: port.name, binding: port.binding, address, version })
                        }
                        None => self.defs.notes.push(format!(
                            "port {} of service {} skipped: it has no soap:address or \
                             soap12:address",
                            port.name, service.name
                        )),
                    }
                } else if let Some(reason) = self.skipped_bindings.get(&port.binding) {
                    self.defs.notes.push(format!(
                        "port {} of service {} skipped: binding {} was skipped ({reason})",
                        port.name, service.name, port.binding
                    ));
                } else {
                    return Err(self.invalid(
                        port.loc,
                        format!("wsdl:port `{}` refers to binding `{}`, which is not defined", port.name, port.binding),
                    ));
                }
            }
            self.defs.services.push(service);
        }
        let defined: HashSet<&str> = self.defs.schemas.iter().map(|s| s.target_namespace.as_str()).collect();
        let mut notes = Vec::new();
        for schema in &self.defs.schemas {
            for ns in &schema.imports_without_location {
                if !defined.contains(ns.as_str()) && !WELL_KNOWN_NAMESPACES.contains(&ns.as_str()) {
                    notes.push(format!(
                        "schema {} imports namespace `{ns}` without schemaLocation, and no \
                         schema of the WSDL defines it",
                        schema.origin
                    ));
                }
            }
        }
        self.defs.notes.extend(notes);
        Ok(self.defs)
    }

    fn check(&self, check: Check) -> Result<(), WsdlError> {
        let defs = &self.defs;
        match check {
            Check::Message { name, what, loc } => {
                if !defs.messages.contains_key(&name) {
                    return Err(self.invalid(loc, format!("{what} refers to message `{name}`, which is not defined")));
                }
            }
            Check::PortType { binding, port_type, loc } => {
                if !defs.port_types.contains_key(&port_type) {
                    let mut message = format!(
                        "wsdl:binding `{binding}` refers to port type `{port_type}`, which is not \
                         defined"
                    );
                    for url in &self.unread_imports {
                        message.push_str(&format!(
                            "; it may be in `{url}`, imported by wsdl:import but not read (a remote \
                             document): give a local copy with `--location {url}=FILE` \
                             (Generator::location)"
                        ));
                    }
                    return Err(self.invalid(loc, message));
                }
            }
            Check::BindingOp { binding, port_type, op, loc } => {
                if let Some(pt) = defs.port_types.get(&port_type) {
                    if !pt.operations.iter().any(|o| o.name == op) {
                        return Err(self.invalid(
                            loc,
                            format!(
                                "operation `{op}` of binding `{binding}` is not an operation of \
                                 port type `{port_type}`"
                            ),
                        ));
                    }
                }
            }
            Check::Header { message, part, loc } => match defs.messages.get(&message) {
                None => {
                    return Err(
                        self.invalid(loc, format!("soap:header refers to message `{message}`, which is not defined"))
                    )
                }
                Some(m) if !m.parts.iter().any(|p| p.name == part) => {
                    return Err(self.invalid(
                        loc,
                        format!(
                            "soap:header refers to part `{part}`, which message `{message}` \
                             does not have"
                        ),
                    ))
                }
                Some(_) => {}
            },
            Check::BodyParts { port_type, op, output, parts, loc } => {
                let message = defs
                    .port_types
                    .get(&port_type)
                    .and_then(|pt| pt.operations.iter().find(|o| o.name == op))
                    .and_then(|o| if output { &o.output } else { &o.input }.as_ref())
                    .and_then(|m| defs.messages.get(m));
                if let Some(message) = message {
                    for part in &parts {
                        if !message.parts.iter().any(|p| &p.name == part) {
                            return Err(self.invalid(
                                loc,
                                format!(
                                    "soap:body parts= names `{part}`, which message `{}` does \
                                     not have",
                                    message.name
                                ),
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Namespaces the reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Wsdl,
    Soap11,
    Soap12,
    Http,
    Xsd,
    Wsdl20,
    Other,
}

impl Ns {
    fn of(uri: &[u8]) -> Ns {
        match uri {
            NS_WSDL => Ns::Wsdl,
            NS_SOAP11 => Ns::Soap11,
            NS_SOAP12 => Ns::Soap12,
            NS_HTTP => Ns::Http,
            NS_XSD => Ns::Xsd,
            NS_WSDL20 => Ns::Wsdl20,
            _ => Ns::Other,
        }
    }

    fn soap(self) -> Option<SoapVersion> {
        match self {
            Ns::Soap11 => Some(SoapVersion::Soap11),
            Ns::Soap12 => Some(SoapVersion::Soap12),
            _ => None,
        }
    }
}

/// An element just read (its namespace scope is the reader's current one until the next read).
struct Elem<'a> {
    start: BytesStart<'a>,
    empty: bool,
    /// Number of open elements while inside this one.
    depth: usize,
    /// Byte range of the start tag.
    pos: usize,
    end_pos: usize,
    ns: Ns,
}

impl Elem<'_> {
    fn local(&self) -> &[u8] {
        self.start.local_name().into_inner()
    }

    fn is(&self, ns: Ns, local: &str) -> bool {
        self.ns == ns && self.local() == local.as_bytes()
    }

    /// The tag name as written.
    fn qname(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.start.name().into_inner())
    }
}

/// One file being read.
struct Doc<'s> {
    st: &'s mut State,
    file: usize,
    text: Rc<str>,
    /// Number of open elements.
    depth: usize,
    /// Directory relative locations are resolved against.
    base_dir: PathBuf,
    /// Embedded schemas met so far.
    embedded: usize,
}

impl<'s> Doc<'s> {
    fn new(st: &'s mut State, file: usize) -> Self {
        let (path, text) = &st.sources[file];
        let text = Rc::clone(text);
        let base_dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Doc { st, file, text, depth: 0, base_dir, embedded: 0 }
    }

    fn path(&self) -> &Path {
        &self.st.sources[self.file].0
    }

    fn loc(&self, offset: usize) -> Loc {
        Loc { file: self.file, offset }
    }

    /// Reads the file as a WSDL document (`primary`: the file asked for, whose
    /// `targetNamespace`/`name` are the definitions').
    fn wsdl_document(&mut self, primary: bool) -> Result<(), WsdlError> {
        let text = Rc::clone(&self.text);
        let mut r = Reader::new(&text);
        let root = self.root(&mut r)?;
        self.expect_definitions(&root)?;
        self.definitions(&mut r, root, primary)?;
        self.end_of_document(&mut r)
    }

    /// A `wsdl:import`ed file: a WSDL to merge or an XML Schema.
    fn imported_document(&mut self) -> Result<(), WsdlError> {
        let text = Rc::clone(&self.text);
        let mut r = Reader::new(&text);
        let root = self.root(&mut r)?;
        if root.is(Ns::Xsd, "schema") {
            return self.schema_document(Some((r, root)));
        }
        self.expect_definitions(&root)?;
        self.definitions(&mut r, root, false)?;
        self.end_of_document(&mut r)
    }

    fn expect_definitions(&self, root: &Elem<'_>) -> Result<(), WsdlError> {
        if root.is(Ns::Wsdl, "definitions") {
            Ok(())
        } else if root.ns == Ns::Wsdl20 {
            Err(self.invalid(root.pos, "this is a WSDL 2.0 document; only WSDL 1.1 is supported"))
        } else {
            Err(self.invalid(
                root.pos,
                format!(
                    "expected the root element wsdl:definitions (namespace {}), found <{}>",
                    String::from_utf8_lossy(NS_WSDL),
                    root.qname()
                ),
            ))
        }
    }

    // ---------------------------------------------------------------- errors

    fn invalid(&self, offset: usize, message: impl Into<String>) -> WsdlError {
        self.st.invalid(self.loc(offset), message)
    }

    fn xml_error(&self, offset: usize, source: quick_xml::Error) -> WsdlError {
        WsdlError::Xml { file: self.path().to_path_buf(), line: line_of(self.text.as_bytes(), offset), source }
    }

    fn eof_error(&self, offset: usize, parent: &Elem<'_>) -> WsdlError {
        self.invalid(
            offset,
            format!(
                "unexpected end of file: <{}> (line {}) is not closed",
                parent.qname(),
                line_of(self.text.as_bytes(), parent.pos)
            ),
        )
    }

    // ---------------------------------------------------------------- events

    /// The next event and the byte offset where it starts.
    fn read<'a>(&self, r: &mut Reader<'a>) -> Result<(usize, Event<'a>), WsdlError> {
        let pos = r.ns.buffer_position() as usize;
        match r.ns.read_event() {
            Ok(ev) => Ok((pos, ev)),
            Err(e) => Err(self.xml_error(r.ns.error_position() as usize, e)),
        }
    }

    fn elem<'a>(&self, r: &Reader<'a>, start: BytesStart<'a>, empty: bool, pos: usize) -> Result<Elem<'a>, WsdlError> {
        let ns = match r.ns.resolver().resolve_element(start.name()).0 {
            ResolveResult::Bound(ns) => Ns::of(ns.into_inner()),
            ResolveResult::Unbound => Ns::Other,
            ResolveResult::Unknown(prefix) => {
                return Err(self.invalid(
                    pos,
                    format!(
                        "element <{}> uses the namespace prefix `{}`, which is not declared",
                        String::from_utf8_lossy(start.name().into_inner()),
                        String::from_utf8_lossy(&prefix)
                    ),
                ))
            }
        };
        // Well-formedness of the attributes (syntax, duplicates): lookups stop at the first match.
        for a in start.attributes() {
            if let Err(e) = a {
                return Err(self.xml_error(pos, e.into()));
            }
        }
        Ok(Elem {
            start,
            empty,
            depth: if empty { self.depth + 1 } else { self.depth },
            pos,
            end_pos: r.ns.buffer_position() as usize,
            ns,
        })
    }

    /// The root element (after the XML declaration, comments, DOCTYPE).
    fn root<'a>(&mut self, r: &mut Reader<'a>) -> Result<Elem<'a>, WsdlError> {
        loop {
            let (pos, ev) = self.read(r)?;
            match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    return self.elem(r, e, false, pos);
                }
                Event::Empty(e) => return self.elem(r, e, true, pos),
                Event::Eof => return Err(self.invalid(pos, "the document has no root element")),
                _ => {}
            }
        }
    }

    /// After the root element: only comments, PIs and whitespace may follow.
    fn end_of_document(&mut self, r: &mut Reader<'_>) -> Result<(), WsdlError> {
        loop {
            let (pos, ev) = self.read(r)?;
            match ev {
                Event::Eof => return Ok(()),
                Event::Start(_) | Event::Empty(_) | Event::End(_) => {
                    return Err(self.invalid(pos, "content after the end of the root element"))
                }
                _ => {}
            }
        }
    }

    /// Skips events until `depth` elements are open.
    fn skip_to(&mut self, r: &mut Reader<'_>, depth: usize) -> Result<(), WsdlError> {
        while self.depth > depth {
            let (pos, ev) = self.read(r)?;
            match ev {
                Event::Start(_) => self.depth += 1,
                Event::End(_) => self.depth -= 1,
                Event::Eof => return Err(self.invalid(pos, "unexpected end of file: elements not closed")),
                _ => {}
            }
        }
        Ok(())
    }

    /// The next child element of `parent`, or `None` after its end tag. Whatever the caller
    /// did not read of the previous child is skipped.
    fn next_child<'a>(&mut self, r: &mut Reader<'a>, parent: &Elem<'a>) -> Result<Option<Elem<'a>>, WsdlError> {
        if parent.empty {
            return Ok(None);
        }
        self.skip_to(r, parent.depth)?;
        if self.depth < parent.depth {
            return Ok(None);
        }
        loop {
            let (pos, ev) = self.read(r)?;
            match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    return self.elem(r, e, false, pos).map(Some);
                }
                Event::Empty(e) => return self.elem(r, e, true, pos).map(Some),
                Event::End(_) => {
                    self.depth -= 1;
                    return Ok(None);
                }
                Event::Eof => return Err(self.eof_error(pos, parent)),
                _ => {}
            }
        }
    }

    /// The text content of `el` (markup inside dropped, references resolved), consuming it.
    fn text_content(&mut self, r: &mut Reader<'_>, el: &Elem<'_>) -> Result<String, WsdlError> {
        let mut out = String::new();
        if el.empty {
            return Ok(out);
        }
        loop {
            let (pos, ev) = self.read(r)?;
            match ev {
                Event::Text(t) => out.push_str(&t.xml10_content().map_err(|e| self.xml_error(pos, e.into()))?),
                Event::CData(t) => out.push_str(&t.xml10_content().map_err(|e| self.xml_error(pos, e.into()))?),
                Event::GeneralRef(e) => self.push_reference(&mut out, &e, pos)?,
                Event::Start(_) => self.depth += 1,
                Event::End(_) => {
                    self.depth -= 1;
                    if self.depth < el.depth {
                        return Ok(out);
                    }
                }
                Event::Eof => return Err(self.eof_error(pos, el)),
                _ => {}
            }
        }
    }

    /// Appends the character a `&…;` reference in text stands for.
    fn push_reference(&self, out: &mut String, e: &BytesRef<'_>, pos: usize) -> Result<(), WsdlError> {
        match e.resolve_char_ref() {
            Ok(Some(c)) => out.push(c),
            Ok(None) => {
                let name = e.decode().map_err(|err| self.xml_error(pos, err.into()))?;
                match resolve_predefined_entity(&name) {
                    Some(value) => out.push_str(value),
                    None => {
                        return Err(self.invalid(
                            pos,
                            format!(
                                "reference to the undefined entity `&{name};` (only character \
                                 references and the five predefined entities are supported)"
                            ),
                        ))
                    }
                }
            }
            Err(err) => return Err(self.xml_error(pos, err)),
        }
        Ok(())
    }

    // ---------------------------------------------------------------- attributes

    /// The unescaped value of the unprefixed attribute `name`.
    fn attr(&self, r: &Reader<'_>, el: &Elem<'_>, name: &str) -> Result<Option<String>, WsdlError> {
        for a in el.start.attributes() {
            let a = a.map_err(|e| self.xml_error(el.pos, e.into()))?;
            if a.key.into_inner() == name.as_bytes() {
                let value = a.decode_and_unescape_value(r.ns.decoder()).map_err(|e| self.xml_error(el.pos, e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }

    fn required_attr(&self, r: &Reader<'_>, el: &Elem<'_>, name: &str, what: &str) -> Result<String, WsdlError> {
        self.attr(r, el, name)?.ok_or_else(|| self.invalid(el.pos, format!("{what} has no {name}= attribute")))
    }

    /// Resolves a QName-valued attribute with the namespace declarations in scope at `el`
    /// (which must be the element just read).
    fn resolve_qname(&self, r: &Reader<'_>, el: &Elem<'_>, value: &str, what: &str) -> Result<QName, WsdlError> {
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        let valid = |s: &str| !s.is_empty() && !s.contains([':', ' ', '\t', '\n', '\r']);
        if !valid(local) || prefix.is_some_and(|p| !valid(p)) {
            return Err(self.invalid(el.pos, format!("{what} `{value}` is not a qualified name (prefix:name)")));
        }
        let xml_name = XmlQName(value.as_bytes());
        let ns = match r.ns.resolver().resolve_prefix(xml_name.prefix(), true) {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.into_inner()).into_owned(),
            ResolveResult::Unbound => String::new(),
            ResolveResult::Unknown(_) => {
                return Err(self.invalid(
                    el.pos,
                    format!("{what} `{value}`: the namespace prefix `{}` is not declared", prefix.unwrap_or_default()),
                ))
            }
        };
        Ok(QName { ns, local: local.to_owned() })
    }

    /// A required QName attribute, resolved, as its local name.
    fn qname_attr_local(&self, r: &Reader<'_>, el: &Elem<'_>, name: &str, what: &str) -> Result<String, WsdlError> {
        let value = self.required_attr(r, el, name, what)?;
        Ok(self.resolve_qname(r, el, &value, &format!("{what} {name}="))?.local)
    }

    fn style_attr(&self, r: &Reader<'_>, el: &Elem<'_>) -> Result<Option<Style>, WsdlError> {
        match self.attr(r, el, "style")?.as_deref().map(str::trim) {
            None => Ok(None),
            Some("document") => Ok(Some(Style::Document)),
            Some("rpc") => Ok(Some(Style::Rpc)),
            Some(other) => Err(self
                .invalid(el.pos, format!("<{}> has style=\"{other}\"; expected \"document\" or \"rpc\"", el.qname()))),
        }
    }

    // ---------------------------------------------------------------- WSDL

    fn definitions<'a>(&mut self, r: &mut Reader<'a>, root: Elem<'a>, primary: bool) -> Result<(), WsdlError> {
        if primary {
            self.st.defs.target_namespace = self.attr(r, &root, "targetNamespace")?.unwrap_or_default();
            self.st.defs.name = self.attr(r, &root, "name")?;
        }
        while let Some(el) = self.next_child(r, &root)? {
            if el.ns != Ns::Wsdl {
                continue;
            }
            match el.local() {
                b"import" => self.wsdl_import(r, &el)?,
                b"types" => self.types(r, el)?,
                b"message" => self.message(r, el)?,
                b"portType" => self.port_type(r, el)?,
                b"binding" => self.binding(r, el)?,
                b"service" => self.service(r, el)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn wsdl_import(&mut self, r: &Reader<'_>, el: &Elem<'_>) -> Result<(), WsdlError> {
        let Some(location) = self.attr(r, el, "location")? else {
            return Ok(());
        };
        match self.local_path(&location) {
            Some(path) => self.st.enqueue(path, self.loc(el.pos), JobKind::Import),
            None => {
                let note = format!(
                    "{}: wsdl:import location `{location}` is not a local file and was not read",
                    self.path().display()
                );
                self.st.defs.notes.push(note);
                self.st.unread_imports.push(location.trim().to_owned());
            }
        }
        Ok(())
    }

    fn types<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        while let Some(child) = self.next_child(r, &el)? {
            if child.is(Ns::Xsd, "schema") {
                self.embedded_schema(r, child)?;
            }
        }
        Ok(())
    }

    fn message<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        let name = self.required_attr(r, &el, "name", "wsdl:message")?;
        let mut message = Message { name: name.clone(), parts: Vec::new() };
        while let Some(child) = self.next_child(r, &el)? {
            if !child.is(Ns::Wsdl, "part") {
                continue;
            }
            let part = self.required_attr(r, &child, "name", "wsdl:part")?;
            let element = match self.attr(r, &child, "element")? {
                Some(v) => Some(self.resolve_qname(r, &child, &v, &format!("wsdl:part `{part}` element="))?),
                None => None,
            };
            let type_ = match self.attr(r, &child, "type")? {
                Some(v) => Some(self.resolve_qname(r, &child, &v, &format!("wsdl:part `{part}` type="))?),
                None => None,
            };
            match (&element, &type_) {
                (None, None) => {
                    return Err(self.invalid(
                        child.pos,
                        format!("wsdl:part `{part}` of message `{name}` has neither element= nor type="),
                    ))
                }
                (Some(_), Some(_)) => {
                    return Err(self.invalid(
                        child.pos,
                        format!(
                            "wsdl:part `{part}` of message `{name}` has both element= and type=; \
                             expected one of them"
                        ),
                    ))
                }
                _ => {}
            }
            message.parts.push(Part { name: part, element, type_ });
        }
        if self.st.defs.messages.contains_key(&name) {
            return Err(self.invalid(el.pos, format!("wsdl:message `{name}` is defined twice")));
        }
        self.st.defs.messages.insert(name, message);
        Ok(())
    }

    fn port_type<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        let name = self.required_attr(r, &el, "name", "wsdl:portType")?;
        let mut port_type = PortType { name: name.clone(), operations: Vec::new() };
        while let Some(child) = self.next_child(r, &el)? {
            if child.is(Ns::Wsdl, "operation") {
                let op = self.abstract_operation(r, child, &name)?;
                port_type.operations.push(op);
            }
        }
        if self.st.defs.port_types.contains_key(&name) {
            return Err(self.invalid(el.pos, format!("wsdl:portType `{name}` is defined twice")));
        }
        self.st.defs.port_types.insert(name, port_type);
        Ok(())
    }

    fn abstract_operation<'a>(
        &mut self,
        r: &mut Reader<'a>,
        el: Elem<'a>,
        port_type: &str,
    ) -> Result<AbstractOperation, WsdlError> {
        let name = self.required_attr(r, &el, "name", "wsdl:operation")?;
        let mut op = AbstractOperation { name, ..AbstractOperation::default() };
        while let Some(child) = self.next_child(r, &el)? {
            if child.ns != Ns::Wsdl {
                continue;
            }
            let kind = match child.local() {
                b"documentation" => {
                    let text = self.text_content(r, &child)?;
                    let text = tidy_documentation(&text);
                    if op.documentation.is_empty() {
                        op.documentation = text;
                    } else if !text.is_empty() {
                        op.documentation.push_str("\n\n");
                        op.documentation.push_str(&text);
                    }
                    continue;
                }
                b"input" => "input",
                b"output" => "output",
                b"fault" => "fault",
                _ => continue,
            };
            let what = format!("wsdl:{kind}");
            let message = self.qname_attr_local(r, &child, "message", &what)?;
            self.st.checks.push(Check::Message {
                name: message.clone(),
                what: format!("wsdl:{kind} of operation `{}` in port type `{port_type}`", op.name),
                loc: self.loc(child.pos),
            });
            match kind {
                "input" => op.input = Some(message),
                "output" => op.output = Some(message),
                _ => op.faults.push(message),
            }
        }
        Ok(op)
    }

    fn binding<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        let name = self.required_attr(r, &el, "name", "wsdl:binding")?;
        let port_type = self.qname_attr_local(r, &el, "type", "wsdl:binding")?;
        let mut kind = None;
        let mut style = Style::Document;
        let mut ops = Vec::new();
        while let Some(child) = self.next_child(r, &el)? {
            match (child.ns, child.local()) {
                (Ns::Soap11 | Ns::Soap12, b"binding") => {
                    kind = child.ns.soap().map(BindingKind::Soap);
                    style = self.style_attr(r, &child)?.unwrap_or_default();
                }
                (Ns::Http, b"binding") => {
                    let verb = self.attr(r, &child, "verb")?.unwrap_or_default();
                    kind = Some(BindingKind::Http(verb));
                }
                (Ns::Wsdl, b"operation") => ops.push(self.binding_operation(r, child)?),
                _ => {}
            }
        }
        if self.st.defs.bindings.contains_key(&name) || self.st.skipped_bindings.contains_key(&name) {
            return Err(self.invalid(el.pos, format!("wsdl:binding `{name}` is defined twice")));
        }
        let version = match kind {
            Some(BindingKind::Soap(version)) => version,
            other => {
                let reason = match other {
                    Some(BindingKind::Http(verb)) => {
                        format!("HTTP {} binding is not SOAP", verb.trim().to_uppercase())
                    }
                    _ => "it has neither soap:binding nor soap12:binding".to_owned(),
                };
                self.st.defs.notes.push(format!("binding {name} skipped: {reason}"));
                self.st.skipped_bindings.insert(name, reason);
                return Ok(());
            }
        };
        self.st.checks.push(Check::PortType {
            binding: name.clone(),
            port_type: port_type.clone(),
            loc: self.loc(el.pos),
        });
        let mut binding =
            Binding { name: name.clone(), port_type: port_type.clone(), version, style, operations: Vec::new() };
        for op in ops {
            let op_style = op.style.unwrap_or(style);
            if op.input.encoded || op.output.encoded || op.encoded_fault {
                let style = match op_style {
                    Style::Document => "document",
                    Style::Rpc => "rpc",
                };
                self.st.defs.notes.push(format!(
                    "binding {name} operation {} skipped: {style}/encoded (use=\"encoded\") is \
                     not supported",
                    op.name
                ));
                continue;
            }
            self.st.checks.push(Check::BindingOp {
                binding: name.clone(),
                port_type: port_type.clone(),
                op: op.name.clone(),
                loc: op.loc,
            });
            for (io, output) in [(&op.input, false), (&op.output, true)] {
                for (header, loc) in &io.headers {
                    self.st.checks.push(Check::Header {
                        message: header.message.clone(),
                        part: header.part.clone(),
                        loc: *loc,
                    });
                }
                if let Some((parts, loc)) = &io.parts {
                    self.st.checks.push(Check::BodyParts {
                        port_type: port_type.clone(),
                        op: op.name.clone(),
                        output,
                        parts: parts.clone(),
                        loc: *loc,
                    });
                }
            }
            binding.operations.push(BoundOperation {
                name: op.name,
                soap_action: op.soap_action,
                style: op_style,
                input_headers: op.input.headers.into_iter().map(|(h, _)| h).collect(),
                output_headers: op.output.headers.into_iter().map(|(h, _)| h).collect(),
                input_body_parts: op.input.parts.map(|(p, _)| p),
                input_namespace: op.input.namespace,
                output_body_parts: op.output.parts.map(|(p, _)| p),
                output_namespace: op.output.namespace,
            });
        }
        self.st.defs.bindings.insert(name, binding);
        Ok(())
    }

    fn binding_operation<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<RawOp, WsdlError> {
        let mut op = RawOp {
            name: self.required_attr(r, &el, "name", "wsdl:binding/wsdl:operation")?,
            loc: self.loc(el.pos),
            soap_action: String::new(),
            style: None,
            input: RawIo::default(),
            output: RawIo::default(),
            encoded_fault: false,
        };
        while let Some(child) = self.next_child(r, &el)? {
            match (child.ns, child.local()) {
                (Ns::Soap11 | Ns::Soap12, b"operation") => {
                    op.soap_action = self.attr(r, &child, "soapAction")?.unwrap_or_default();
                    op.style = self.style_attr(r, &child)?;
                }
                (Ns::Wsdl, b"input") => self.binding_io(r, child, &mut op.input)?,
                (Ns::Wsdl, b"output") => self.binding_io(r, child, &mut op.output)?,
                (Ns::Wsdl, b"fault") => {
                    while let Some(fault) = self.next_child(r, &child)? {
                        if fault.ns.soap().is_some() && fault.local() == b"fault" && self.is_encoded(r, &fault)? {
                            op.encoded_fault = true;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(op)
    }

    fn is_encoded(&self, r: &Reader<'_>, el: &Elem<'_>) -> Result<bool, WsdlError> {
        Ok(self.attr(r, el, "use")?.as_deref().map(str::trim) == Some("encoded"))
    }

    fn binding_io<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>, io: &mut RawIo) -> Result<(), WsdlError> {
        while let Some(child) = self.next_child(r, &el)? {
            if child.ns.soap().is_none() {
                continue;
            }
            match child.local() {
                b"body" => {
                    io.encoded |= self.is_encoded(r, &child)?;
                    if let Some(parts) = self.attr(r, &child, "parts")? {
                        let parts = parts.split_whitespace().map(str::to_owned).collect();
                        io.parts = Some((parts, self.loc(child.pos)));
                    }
                    io.namespace = self.attr(r, &child, "namespace")?;
                }
                b"header" => {
                    let what = format!("<{}>", child.qname());
                    let message = self.qname_attr_local(r, &child, "message", &what)?;
                    let part = self.required_attr(r, &child, "part", &what)?;
                    io.encoded |= self.is_encoded(r, &child)?;
                    io.headers.push((HeaderRef { message, part }, self.loc(child.pos)));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn service<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        let mut service = RawService {
            name: self.required_attr(r, &el, "name", "wsdl:service")?,
            documentation: String::new(),
            ports: Vec::new(),
        };
        while let Some(child) = self.next_child(r, &el)? {
            if child.is(Ns::Wsdl, "documentation") {
                let text = self.text_content(r, &child)?;
                service.documentation = tidy_documentation(&text);
            } else if child.is(Ns::Wsdl, "port") {
                let mut port = RawPort {
                    name: self.required_attr(r, &child, "name", "wsdl:port")?,
                    binding: self.qname_attr_local(r, &child, "binding", "wsdl:port")?,
                    address: None,
                    loc: self.loc(child.pos),
                };
                while let Some(address) = self.next_child(r, &child)? {
                    if let (Some(version), b"address") = (address.ns.soap(), address.local()) {
                        let what = format!("<{}>", address.qname());
                        let location = self.required_attr(r, &address, "location", &what)?;
                        port.address = Some((location, version));
                    }
                }
                service.ports.push(port);
            }
        }
        self.st.services.push(service);
        Ok(())
    }

    // ---------------------------------------------------------------- schemas

    /// An `xs:schema` inside `wsdl:types`: copied out as a standalone document.
    fn embedded_schema<'a>(&mut self, r: &mut Reader<'a>, el: Elem<'a>) -> Result<(), WsdlError> {
        let origin = format!("{}#schema{}", self.path().display(), self.embedded);
        // The copy starts with an XML declaration line of its own, then the schema's tag.
        let first_line = line_of(self.text.as_bytes(), el.pos).saturating_sub(2);
        self.embedded += 1;
        let target_namespace = self.attr(r, &el, "targetNamespace")?.unwrap_or_default();

        // The declarations in scope that the schema element does not make itself.
        let mut own: Vec<Option<Vec<u8>>> = Vec::new();
        for a in el.start.attributes() {
            let a = a.map_err(|e| self.xml_error(el.pos, e.into()))?;
            match a.key.as_namespace_binding() {
                Some(PrefixDeclaration::Default) => own.push(None),
                Some(PrefixDeclaration::Named(p)) => own.push(Some(p.to_vec())),
                None => {}
            }
        }
        let mut inherited = String::new();
        for (decl, ns) in r.ns.resolver().bindings() {
            let prefix = match decl {
                PrefixDeclaration::Default => None,
                PrefixDeclaration::Named(p) => Some(p),
            };
            if own.iter().any(|o| o.as_deref() == prefix) {
                continue;
            }
            match prefix {
                None => inherited.push_str(" xmlns=\""),
                Some(p) => {
                    inherited.push_str(" xmlns:");
                    inherited.push_str(&String::from_utf8_lossy(p));
                    inherited.push_str("=\"");
                }
            }
            // The stored value is the attribute value as written (still escaped).
            inherited.push_str(&String::from_utf8_lossy(ns.into_inner()).replace('"', "&quot;"));
            inherited.push('"');
        }

        let text = Rc::clone(&self.text);
        let tag = &text[el.pos..el.end_pos];
        let close = if el.empty { "/>" } else { ">" };
        let head =
            tag.strip_suffix(close).ok_or_else(|| self.invalid(el.pos, "cannot find the end of the xs:schema tag"))?;
        let mut out = String::with_capacity(el.end_pos - el.pos + inherited.len() + 64);
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        out.push_str(head);
        out.push_str(&inherited);
        out.push_str(close);
        let mut refs = SchemaRefs::default();
        if !el.empty {
            self.copy_schema(r, el.depth, el.end_pos, &mut out, &mut refs, &origin)?;
        }
        self.st.defs.schemas.push(SchemaSource {
            origin,
            target_namespace,
            text: out,
            imports_without_location: refs.without_location,
            remote_imports: refs.remote,
            first_line,
        });
        Ok(())
    }

    /// A whole file that must be an XML Schema (`pending`: its root, already read).
    fn schema_document(&mut self, pending: Option<(Reader<'_>, Elem<'_>)>) -> Result<(), WsdlError> {
        let text = Rc::clone(&self.text);
        let origin = self.path().display().to_string();
        let first_line = 0;
        let (mut r, root) = match pending {
            Some((r, root)) => (r, root),
            None => {
                let mut r = Reader::new(&text);
                let root = self.root(&mut r)?;
                (r, root)
            }
        };
        if !root.is(Ns::Xsd, "schema") {
            return Err(self.invalid(
                root.pos,
                format!(
                    "expected the root element xs:schema (namespace {}), found <{}>",
                    String::from_utf8_lossy(NS_XSD),
                    root.qname()
                ),
            ));
        }
        let target_namespace = self.attr(&r, &root, "targetNamespace")?.unwrap_or_default();
        let mut out = String::with_capacity(text.len() + 64);
        let mut refs = SchemaRefs::default();
        let end = if root.empty {
            out.push_str(&text[..root.end_pos]);
            root.end_pos
        } else {
            self.copy_schema(&mut r, root.depth, 0, &mut out, &mut refs, &origin)?
        };
        self.end_of_document(&mut r)?;
        out.push_str(&text[end..]);
        self.st.defs.schemas.push(SchemaSource {
            origin,
            target_namespace,
            text: out,
            imports_without_location: refs.without_location,
            remote_imports: refs.remote,
            first_line,
        });
        Ok(())
    }

    /// Copies the schema text from `from` up to the end tag of the element whose content is at
    /// `depth`, rewriting `schemaLocation`s and queueing the files they name. Returns the
    /// offset after that end tag.
    fn copy_schema<'a>(
        &mut self,
        r: &mut Reader<'a>,
        depth: usize,
        from: usize,
        out: &mut String,
        refs: &mut SchemaRefs,
        origin: &str,
    ) -> Result<usize, WsdlError> {
        let text = Rc::clone(&self.text);
        let mut copied = from;
        loop {
            let (pos, ev) = self.read(r)?;
            let (start, empty) = match ev {
                Event::Start(e) => {
                    self.depth += 1;
                    (e, false)
                }
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    self.depth -= 1;
                    if self.depth < depth {
                        let end = r.ns.buffer_position() as usize;
                        out.push_str(&text[copied..end]);
                        return Ok(end);
                    }
                    continue;
                }
                Event::Eof => return Err(self.invalid(pos, "unexpected end of file inside xs:schema")),
                _ => continue,
            };
            let local = start.local_name().into_inner();
            if !matches!(local, b"import" | b"include" | b"redefine" | b"override") {
                continue;
            }
            let el = self.elem(r, start, empty, pos)?;
            if el.ns != Ns::Xsd {
                continue;
            }
            let Some(location) = self.attr(r, &el, "schemaLocation")? else {
                if el.local() == b"import" {
                    refs.without_location.push(self.attr(r, &el, "namespace")?.unwrap_or_default());
                }
                continue;
            };
            let Some(path) = self.local_path(&location) else {
                // A remote document: left out of the schema, so that an unused import (the SOAP
                // encoding schema, typically) does no harm; a used one fails resolution with an
                // error naming the URL (see `SchemaSource::remote_imports`).
                self.st.defs.notes.push(format!(
                    "schema {origin}: schemaLocation `{location}` is not a local file and was \
                     not read"
                ));
                let namespace = self.attr(r, &el, "namespace")?.unwrap_or_default();
                out.push_str(&text[copied..el.pos]);
                if el.local() == b"import" {
                    out.push_str(&self.rewrite_tag(r, &el, None)?);
                    refs.without_location.push(namespace.clone());
                } else if !el.empty {
                    out.push_str(&text[el.pos..el.end_pos]);
                }
                copied = el.end_pos;
                refs.remote.push((namespace, location.trim().to_owned()));
                continue;
            };
            out.push_str(&text[copied..el.pos]);
            out.push_str(&self.rewrite_tag(r, &el, Some(&path.to_string_lossy()))?);
            copied = el.end_pos;
            self.st.enqueue(path, self.loc(el.pos), JobKind::Schema);
        }
    }

    /// The start tag of `el` with `schemaLocation` set to `location` (left out for `None`).
    fn rewrite_tag(&self, r: &Reader<'_>, el: &Elem<'_>, location: Option<&str>) -> Result<String, WsdlError> {
        let mut tag = String::from("<");
        tag.push_str(&el.qname());
        for a in el.start.attributes() {
            let a = a.map_err(|e| self.xml_error(el.pos, e.into()))?;
            let is_location = a.key.into_inner() == b"schemaLocation";
            if is_location && location.is_none() {
                continue;
            }
            tag.push(' ');
            tag.push_str(&String::from_utf8_lossy(a.key.into_inner()));
            tag.push_str("=\"");
            if let (true, Some(location)) = (is_location, location) {
                tag.push_str(&escape(location));
            } else {
                let value = a.decode_and_unescape_value(r.ns.decoder()).map_err(|e| self.xml_error(el.pos, e))?;
                tag.push_str(&escape(value));
            }
            tag.push('"');
        }
        tag.push_str(if el.empty { "/>" } else { ">" });
        Ok(tag)
    }

    /// The absolute path a `schemaLocation`/`location` names, or `None` for a remote URL.
    fn local_path(&self, location: &str) -> Option<PathBuf> {
        let location = location.trim();
        if let Some(copy) = self.st.locations.get(location) {
            return Some(absolute(copy));
        }
        let path = if let Some(rest) = location.strip_prefix("file://") {
            PathBuf::from(rest)
        } else if location.contains("://") {
            return None;
        } else {
            PathBuf::from(location)
        };
        Some(absolute(&self.base_dir.join(path)))
    }
}

/// What a schema refers to without a local file, gathered while it is copied.
#[derive(Debug, Default)]
struct SchemaRefs {
    /// Namespaces of `xs:import`s without `schemaLocation` (and of remote ones, left out).
    without_location: Vec<String>,
    /// `(namespace, URL)` of remote `schemaLocation`s, left out of the text.
    remote: Vec<(String, String)>,
}

/// The XML reader over one file's text.
struct Reader<'a> {
    ns: NsReader<&'a [u8]>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        let mut ns = NsReader::from_str(text);
        let config = ns.config_mut();
        config.trim_text(false);
        config.expand_empty_elements = false;
        config.check_end_names = true;
        Reader { ns }
    }
}

/// `path` made absolute: canonical when it exists, else joined to the working directory.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf())
}

/// Documentation text: trimmed; continuation lines lose their common indentation and trailing
/// blanks; whitespace inside lines is kept.
fn tidy_documentation(text: &str) -> String {
    let text = text.trim();
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return String::new();
    };
    let rest: Vec<&str> = lines.collect();
    if rest.is_empty() {
        return first.to_owned();
    }
    let indent_of = |l: &str| l.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
    let indent = rest.iter().filter(|l| !l.trim().is_empty()).map(|l| indent_of(l)).min().unwrap_or(0);
    let mut out = first.trim_end().to_owned();
    for line in rest {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str(line[indent..].trim_end());
        }
    }
    out
}
