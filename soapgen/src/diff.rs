//! Compares two API [`Surface`]s and classifies each change from the caller's side.
//!
//! Services and operations are matched by their WSDL names, types by their Rust names, struct
//! fields by XML name and kind (element, attribute, text), enum values by their XML value.
//!
//! Whether a change in a type breaks callers depends on which way the type travels: a type
//! reachable from an operation's request or header is written by callers, one reachable from a
//! reply is read by them. A type both ways (or used by no operation, as in an XSD-only contract)
//! gets the stricter rule. The rules:
//!
//! | change | request side | reply side |
//! |---|---|---|
//! | field added, required | BREAKING (callers must supply it) | ADDITIVE |
//! | field added, optional, nillable or repeated | ADDITIVE | ADDITIVE |
//! | field removed, renamed in Rust or retyped | BREAKING | BREAKING |
//! | field made required (`Option<T>` → `T`) | BREAKING | BREAKING (the Rust type changes) |
//! | field made optional (`T` → `Option<T>`) | BREAKING (the Rust type changes) | BREAKING |
//! | field to or from repeated (`Vec<T>`) | BREAKING | BREAKING |
//! | optional ↔ nillable (same `Option<T>`) | NOTE | NOTE |
//! | element order changed | NOTE | NOTE |
//! | enum value added | ADDITIVE | ADDITIVE (replies with it no longer land in `Other`) |
//! | enum value removed, or its variant renamed | BREAKING | BREAKING |
//! | type removed, or changed kind (struct/enum/newtype) | BREAKING | BREAKING |
//! | type added | ADDITIVE | ADDITIVE |
//!
//! Operations: removed, method renamed, request or reply type changed, header changed, SOAPAction
//! changed or removed are BREAKING; added (or an action where there was none) is ADDITIVE.
//! Services: removed or client renamed is BREAKING, added is ADDITIVE. Ports: an address, SOAP
//! version, added or removed port is a NOTE (the endpoint usually comes from configuration).
//!
//! Adding a field to a struct also breaks a caller who builds it with a struct literal that lists
//! every field. The generated structs implement `Default`; build them with `..Default::default()`
//! and optional fields added by the contract keep compiling. That is why an optional request field
//! added counts as ADDITIVE. Likewise an enum value added breaks an exhaustive `match` that names
//! every variant, `Other` included, without a `_` arm.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::api::{rust_value_type, FieldApi, OperationApi, ParamApi, ServiceApi, Surface, TypeApi, TypeKind};
use crate::ir::{FieldType, Occurs};

/// How a change affects callers. Ordered: `Note < Additive < Breaking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Worth knowing, no code change needed (an endpoint, element order, nil handling).
    Note,
    /// New things; existing callers keep compiling and working.
    Additive,
    /// Existing callers stop compiling, or deployed builds stop working against the new contract.
    Breaking,
}

impl Class {
    /// `note`, `additive` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Note => "note",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Note => "NOTE",
            Class::Additive => "ADDITIVE",
            Class::Breaking => "BREAKING",
        })
    }
}

/// Which way a type travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Written by callers: part of a request or header.
    Request,
    /// Read by callers: part of a reply.
    Reply,
    /// Both.
    Both,
    /// Used by no operation (treated like [`Side::Both`]).
    Unused,
}

impl Side {
    /// `request`, `reply`, `both` or `unused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Reply => "reply",
            Side::Both => "both",
            Side::Unused => "unused",
        }
    }

    fn written(self) -> bool {
        self != Side::Reply
    }

    fn field_word(self) -> &'static str {
        match self {
            Side::Request => "request field",
            Side::Reply => "reply field",
            Side::Both => "request and reply field",
            Side::Unused => "field",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum ChangeKind {
    ServiceAdded,
    ServiceRemoved,
    ClientRenamed,
    PortAdded,
    PortRemoved,
    EndpointChanged,
    SoapVersionChanged,
    OperationAdded,
    OperationRemoved,
    MethodRenamed,
    RequestTypeChanged,
    ReplyTypeChanged,
    HeaderChanged,
    SignatureChanged,
    ParamAdded,
    ParamRemoved,
    ParamRetyped,
    ParamOrderChanged,
    ResultRetyped,
    SoapActionAdded,
    SoapActionChanged,
    SoapActionRemoved,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    NewtypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldRetyped,
    FieldMadeRequired,
    FieldMadeOptional,
    FieldOccurrenceChanged,
    FieldOrderChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
}

impl ChangeKind {
    /// The snake_case name used in JSON output (`field_made_required`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ServiceAdded => "service_added",
            ChangeKind::ServiceRemoved => "service_removed",
            ChangeKind::ClientRenamed => "client_renamed",
            ChangeKind::PortAdded => "port_added",
            ChangeKind::PortRemoved => "port_removed",
            ChangeKind::EndpointChanged => "endpoint_changed",
            ChangeKind::SoapVersionChanged => "soap_version_changed",
            ChangeKind::OperationAdded => "operation_added",
            ChangeKind::OperationRemoved => "operation_removed",
            ChangeKind::MethodRenamed => "method_renamed",
            ChangeKind::RequestTypeChanged => "request_type_changed",
            ChangeKind::ReplyTypeChanged => "reply_type_changed",
            ChangeKind::HeaderChanged => "header_changed",
            ChangeKind::SignatureChanged => "signature_changed",
            ChangeKind::ParamAdded => "param_added",
            ChangeKind::ParamRemoved => "param_removed",
            ChangeKind::ParamRetyped => "param_retyped",
            ChangeKind::ParamOrderChanged => "param_order_changed",
            ChangeKind::ResultRetyped => "result_retyped",
            ChangeKind::SoapActionAdded => "soap_action_added",
            ChangeKind::SoapActionChanged => "soap_action_changed",
            ChangeKind::SoapActionRemoved => "soap_action_removed",
            ChangeKind::TypeAdded => "type_added",
            ChangeKind::TypeRemoved => "type_removed",
            ChangeKind::TypeKindChanged => "type_kind_changed",
            ChangeKind::NewtypeChanged => "newtype_changed",
            ChangeKind::FieldAdded => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::FieldRenamed => "field_renamed",
            ChangeKind::FieldRetyped => "field_retyped",
            ChangeKind::FieldMadeRequired => "field_made_required",
            ChangeKind::FieldMadeOptional => "field_made_optional",
            ChangeKind::FieldOccurrenceChanged => "field_occurrence_changed",
            ChangeKind::FieldOrderChanged => "field_order_changed",
            ChangeKind::EnumValueAdded => "enum_value_added",
            ChangeKind::EnumValueRemoved => "enum_value_removed",
            ChangeKind::EnumVariantRenamed => "enum_variant_renamed",
        }
    }
}

/// An operation that uses a type, and which way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Use {
    /// Service name.
    pub service: String,
    /// Operation name.
    pub operation: String,
    /// `true` when the type is part of the request or header, `false` for the reply.
    pub request: bool,
}

/// One change between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects callers.
    pub class: Class,
    /// What changed.
    pub kind: ChangeKind,
    /// The service, when the change belongs to one.
    pub service: Option<String>,
    /// The operation, when the change belongs to one (also for a field of the operation's own
    /// request or reply struct).
    pub operation: Option<String>,
    /// The Rust type the change is in, for type, field and enum value changes.
    pub type_name: Option<String>,
    /// The field's XML name, the enum value, or the port name.
    pub item: Option<String>,
    /// Which way the type travels, for type, field and enum value changes.
    pub side: Option<Side>,
    /// The value before (a Rust type, an action, an address), when there is one.
    pub old: Option<String>,
    /// The value after.
    pub new: Option<String>,
    /// The operations using the type, for type, field and enum value changes.
    pub used_by: Vec<Use>,
    /// What changed, in words, without the location.
    pub detail: String,
}

impl Change {
    /// Where the change is, in words: `EmployeeService.Employee_Get`, ``type `Employee` ``,
    /// ``service `EmployeeService` ``.
    pub fn location(&self) -> String {
        match (&self.service, &self.operation, &self.type_name) {
            (Some(s), Some(o), _) => format!("{s}.{o}"),
            (_, None, Some(t)) => format!("type `{t}`"),
            (Some(s), None, None) => format!("service `{s}`"),
            _ => String::from("contract"),
        }
    }
}

impl fmt::Display for Change {
    /// `BREAKING EmployeeService.Employee_Get: operation removed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.class, self.location(), self.detail)
    }
}

/// Every change between two surfaces, services and operations first (in contract order), then
/// types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Diff {
    /// The most severe class among the changes, if any.
    pub fn worst(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }

    /// How many changes have class `class`.
    pub fn count(&self, class: Class) -> usize {
        self.changes.iter().filter(|c| c.class == class).count()
    }

    /// Whether there is a change at `class` or above.
    pub fn has_at_least(&self, class: Class) -> bool {
        self.worst().is_some_and(|w| w >= class)
    }
}

/// Compares `old` with `new`.
pub fn compare(old: &Surface, new: &Surface) -> Diff {
    let mut out = Vec::new();
    let old_uses = uses(old);
    let new_uses = uses(new);
    let mut removed_ops = BTreeSet::new();
    let mut added_ops = BTreeSet::new();

    for os in &old.services {
        let Some(ns) = new.services.iter().find(|s| s.name == os.name) else {
            out.push(service_change(os, Class::Breaking, ChangeKind::ServiceRemoved, "service removed".into()));
            removed_ops.extend(os.operations.iter().map(|o| (os.name.clone(), o.name.clone())));
            continue;
        };
        compare_service(os, ns, &mut out, &mut removed_ops, &mut added_ops);
    }
    for ns in &new.services {
        if !old.services.iter().any(|s| s.name == ns.name) {
            let detail = format!("service added (client `{}`, {} operations)", ns.client, ns.operations.len());
            out.push(service_change(ns, Class::Additive, ChangeKind::ServiceAdded, detail));
            added_ops.extend(ns.operations.iter().map(|o| (ns.name.clone(), o.name.clone())));
        }
    }

    let mut type_changes = Vec::new();
    for ot in &old.types {
        let used: BTreeSet<Use> =
            old_uses.get(&ot.name).into_iter().chain(new_uses.get(&ot.name)).flatten().cloned().collect();
        let side = side_of(&used);
        let ctx = TypeCtx { name: &ot.name, side, used: &used };
        match new.type_named(&ot.name) {
            None => {
                let only_removed_ops = !used.is_empty()
                    && used.iter().all(|u| removed_ops.contains(&(u.service.clone(), u.operation.clone())));
                if !only_removed_ops {
                    let detail = format!("{} removed", ot.kind.label());
                    type_changes.push(ctx.change(Class::Breaking, ChangeKind::TypeRemoved, None, detail));
                }
            }
            Some(nt) => compare_type(ot, nt, &ctx, &mut type_changes),
        }
    }
    for nt in &new.types {
        if old.type_named(&nt.name).is_none() {
            let used: BTreeSet<Use> = new_uses.get(&nt.name).into_iter().flatten().cloned().collect();
            let only_added_ops =
                !used.is_empty() && used.iter().all(|u| added_ops.contains(&(u.service.clone(), u.operation.clone())));
            if !only_added_ops {
                let ctx = TypeCtx { name: &nt.name, side: side_of(&used), used: &used };
                let detail = format!("{} added", nt.kind.label());
                type_changes.push(ctx.change(Class::Additive, ChangeKind::TypeAdded, None, detail));
            }
        }
    }

    // A change in the request or reply struct of exactly one operation belongs to that operation.
    let own_structs = own_structs(old, new);
    for change in &mut type_changes {
        if let Some((service, operation)) = change.type_name.as_ref().and_then(|t| own_structs.get(t)) {
            change.service = Some(service.clone());
            change.operation = Some(operation.clone());
        }
    }
    out.extend(type_changes);
    // Group by service and operation, in contract order (old order, then what was added); a
    // stable sort keeps each operation's own changes before its struct's.
    let order = Order::new(old, new);
    out.sort_by_key(|c| order.key(c));
    Diff { changes: out }
}

/// Contract order of services and operations: the old contract's, then what the new one adds.
struct Order {
    services: Vec<String>,
    operations: Vec<(String, String)>,
}

impl Order {
    fn new(old: &Surface, new: &Surface) -> Self {
        let mut services = Vec::new();
        let mut operations = Vec::new();
        for s in old.services.iter().chain(&new.services) {
            if !services.contains(&s.name) {
                services.push(s.name.clone());
            }
        }
        for name in &services {
            for s in old.services.iter().chain(&new.services).filter(|s| &s.name == name) {
                for o in &s.operations {
                    let key = (s.name.clone(), o.name.clone());
                    if !operations.contains(&key) {
                        operations.push(key);
                    }
                }
            }
        }
        Self { services, operations }
    }

    /// `(0, service, 0)` for service changes, `(0, service, 1 + operation)` for operation
    /// changes, `(1, 0, 0)` for types.
    fn key(&self, c: &Change) -> (u8, usize, usize) {
        let Some(service) = &c.service else { return (1, 0, 0) };
        let s = self.services.iter().position(|n| n == service).unwrap_or(usize::MAX);
        let o = c
            .operation
            .as_ref()
            .and_then(|op| self.operations.iter().position(|(sn, on)| sn == service && on == op))
            .map_or(0, |i| i + 1);
        (0, s, o)
    }
}

fn service_change(s: &ServiceApi, class: Class, kind: ChangeKind, detail: String) -> Change {
    Change {
        class,
        kind,
        service: Some(s.name.clone()),
        operation: None,
        type_name: None,
        item: None,
        side: None,
        old: None,
        new: None,
        used_by: Vec::new(),
        detail,
    }
}

type OpKeys = BTreeSet<(String, String)>;

fn compare_service(os: &ServiceApi, ns: &ServiceApi, out: &mut Vec<Change>, removed: &mut OpKeys, added: &mut OpKeys) {
    if os.client != ns.client {
        let mut c = service_change(
            ns,
            Class::Breaking,
            ChangeKind::ClientRenamed,
            format!("client renamed: `{}` → `{}`", os.client, ns.client),
        );
        (c.old, c.new) = (Some(os.client.clone()), Some(ns.client.clone()));
        out.push(c);
    }
    for op in &os.ports {
        let mut c = match ns.ports.iter().find(|p| p.name == op.name) {
            None => service_change(
                ns,
                Class::Note,
                ChangeKind::PortRemoved,
                format!("port `{}` (SOAP {}, {}) removed", op.name, op.soap_version, op.address),
            ),
            Some(np) if np.address != op.address => {
                let mut c = service_change(
                    ns,
                    Class::Note,
                    ChangeKind::EndpointChanged,
                    format!("endpoint of port `{}` changed: {} → {}", op.name, op.address, np.address),
                );
                (c.old, c.new) = (Some(op.address.clone()), Some(np.address.clone()));
                c
            }
            Some(np) if np.soap_version != op.soap_version => {
                let mut c = service_change(
                    ns,
                    Class::Note,
                    ChangeKind::SoapVersionChanged,
                    format!("port `{}` changed SOAP version: {} → {}", op.name, op.soap_version, np.soap_version),
                );
                (c.old, c.new) = (Some(op.soap_version.clone()), Some(np.soap_version.clone()));
                c
            }
            Some(_) => continue,
        };
        c.item = Some(op.name.clone());
        out.push(c);
    }
    for np in &ns.ports {
        if !os.ports.iter().any(|p| p.name == np.name) {
            let mut c = service_change(
                ns,
                Class::Note,
                ChangeKind::PortAdded,
                format!("port `{}` (SOAP {}, {}) added", np.name, np.soap_version, np.address),
            );
            c.item = Some(np.name.clone());
            out.push(c);
        }
    }
    for oo in &os.operations {
        match ns.operations.iter().find(|o| o.name == oo.name) {
            None => {
                removed.insert((os.name.clone(), oo.name.clone()));
                let detail = format!("operation removed (was `{}`)", oo.signature());
                out.push(op_change(ns, oo, Class::Breaking, ChangeKind::OperationRemoved, detail, None, None));
            }
            Some(no) => compare_operation(ns, oo, no, out),
        }
    }
    for no in &ns.operations {
        if !os.operations.iter().any(|o| o.name == no.name) {
            added.insert((ns.name.clone(), no.name.clone()));
            let header = match &no.header {
                Some(h) => format!("header `{h}`"),
                None => "no header".to_owned(),
            };
            let detail = format!("operation added: `{}`, {header}", no.signature());
            out.push(op_change(ns, no, Class::Additive, ChangeKind::OperationAdded, detail, None, None));
        }
    }
}

fn op_change(
    s: &ServiceApi,
    o: &OperationApi,
    class: Class,
    kind: ChangeKind,
    detail: String,
    old: Option<String>,
    new: Option<String>,
) -> Change {
    Change {
        class,
        kind,
        service: Some(s.name.clone()),
        operation: Some(o.name.clone()),
        type_name: None,
        item: None,
        side: None,
        old,
        new,
        used_by: Vec::new(),
        detail,
    }
}

fn shown(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("`{v}`"),
        None => "none".to_owned(),
    }
}

fn compare_operation(s: &ServiceApi, old: &OperationApi, new: &OperationApi, out: &mut Vec<Change>) {
    let mut push = |class, kind, detail: String, o: &str, n: &str| {
        out.push(op_change(s, new, class, kind, detail, Some(o.to_owned()), Some(n.to_owned())));
    };
    if old.method != new.method {
        let detail = format!("method renamed: `{}` → `{}`", old.method, new.method);
        push(Class::Breaking, ChangeKind::MethodRenamed, detail, &old.method, &new.method);
    }
    if old.input != new.input {
        let detail = format!("request type changed: `{}` → `{}`", old.input, new.input);
        push(Class::Breaking, ChangeKind::RequestTypeChanged, detail, &old.input, &new.input);
    }
    if old.output != new.output {
        let detail = format!("reply type changed: `{}` → `{}`", old.output, new.output);
        push(Class::Breaking, ChangeKind::ReplyTypeChanged, detail, &old.output, &new.output);
    }
    if old.header != new.header || old.header_element != new.header_element {
        let detail = format!("header changed: {} → {}", shown(&old.header), shown(&new.header));
        let (o, n) = (old.header.clone().unwrap_or_default(), new.header.clone().unwrap_or_default());
        push(Class::Breaking, ChangeKind::HeaderChanged, detail, &o, &n);
    }
    for (label, o, n) in [
        ("SOAP 1.1 SOAPAction", &old.soap11_action, &new.soap11_action),
        ("SOAP 1.2 action", &old.soap12_action, &new.soap12_action),
    ] {
        let (class, kind, detail) = match (o, n) {
            (a, b) if a == b => continue,
            (None, Some(b)) => (Class::Additive, ChangeKind::SoapActionAdded, format!("{label} added: `{b}`")),
            (Some(a), None) => (Class::Breaking, ChangeKind::SoapActionRemoved, format!("{label} removed (was `{a}`)")),
            (Some(a), Some(b)) => {
                (Class::Breaking, ChangeKind::SoapActionChanged, format!("{label} changed: `{a}` → `{b}`"))
            }
            (None, None) => continue,
        };
        push(class, kind, detail, o.as_deref().unwrap_or(""), n.as_deref().unwrap_or(""));
    }
    compare_params(s, old, new, out);
}

/// The parameters and result of a wrapped operation's method, from the caller's side: the
/// method takes its parameters by position, so any parameter added (optional or not), removed,
/// retyped or moved, and any other result type, stops the caller's code from compiling.
fn compare_params(s: &ServiceApi, old: &OperationApi, new: &OperationApi, out: &mut Vec<Change>) {
    let mut push = |kind, detail: String, o: Option<&str>, n: Option<&str>| {
        out.push(op_change(s, new, Class::Breaking, kind, detail, o.map(str::to_owned), n.map(str::to_owned)));
    };
    let (Some(old_returns), Some(new_returns)) = (&old.returns, &new.returns) else {
        if old.returns.is_some() != new.returns.is_some() {
            let (o, n) = (old.signature(), new.signature());
            push(ChangeKind::SignatureChanged, format!("method signature changed: `{o}` → `{n}`"), Some(&o), Some(&n));
        }
        return;
    };
    for op in &old.params {
        match new.params.iter().find(|np| np.xml_name == op.xml_name) {
            None => {
                let detail = format!("parameter `{}: {}` removed", op.rust_name, op.rust_type);
                push(ChangeKind::ParamRemoved, detail, Some(&op.rust_type), None);
            }
            Some(np) if np.rust_type != op.rust_type || np.rust_name != op.rust_name => {
                let (o, n) =
                    (format!("{}: {}", op.rust_name, op.rust_type), format!("{}: {}", np.rust_name, np.rust_type));
                push(
                    ChangeKind::ParamRetyped,
                    format!("parameter `{o}` → `{n}`"),
                    Some(&op.rust_type),
                    Some(&np.rust_type),
                );
            }
            Some(_) => {}
        }
    }
    for np in new.params.iter().filter(|np| !old.params.iter().any(|op| op.xml_name == np.xml_name)) {
        let detail = format!("parameter `{}: {}` added", np.rust_name, np.rust_type);
        push(ChangeKind::ParamAdded, detail, None, Some(&np.rust_type));
    }
    let order = |of: &[ParamApi], by: &[ParamApi]| -> Vec<String> {
        of.iter().filter(|p| by.iter().any(|q| q.xml_name == p.xml_name)).map(|p| p.rust_name.clone()).collect()
    };
    let (o, n) = (order(&old.params, &new.params).join(", "), order(&new.params, &old.params).join(", "));
    if o != n {
        push(ChangeKind::ParamOrderChanged, format!("parameters reordered: ({o}) → ({n})"), Some(&o), Some(&n));
    }
    if old_returns != new_returns {
        let detail = format!("result retyped: `{old_returns}` → `{new_returns}`");
        push(ChangeKind::ResultRetyped, detail, Some(old_returns), Some(new_returns));
    }
}

/// For each type, the operations whose request (with header) or reply reaches it.
fn uses(surface: &Surface) -> BTreeMap<String, BTreeSet<Use>> {
    let mut map: BTreeMap<String, BTreeSet<Use>> = BTreeMap::new();
    for s in &surface.services {
        for o in &s.operations {
            let mut roots = vec![(o.input.as_str(), true), (o.output.as_str(), false)];
            if let Some(h) = &o.header {
                roots.push((h.as_str(), true));
            }
            for (root, request) in roots {
                let mut stack = vec![root.to_owned()];
                let mut seen = BTreeSet::new();
                while let Some(name) = stack.pop() {
                    if !seen.insert(name.clone()) {
                        continue;
                    }
                    map.entry(name.clone()).or_default().insert(Use {
                        service: s.name.clone(),
                        operation: o.name.clone(),
                        request,
                    });
                    match surface.type_named(&name).map(|t| &t.kind) {
                        Some(TypeKind::Struct(fields)) => {
                            stack.extend(fields.iter().filter_map(|f| named(&f.ty)));
                        }
                        Some(TypeKind::Newtype(inner)) => stack.extend(named(inner)),
                        _ => {}
                    }
                }
            }
        }
    }
    map
}

fn named(ty: &FieldType) -> Option<String> {
    match ty {
        FieldType::Builtin(_) => None,
        FieldType::Enum(n) | FieldType::Struct(n) => Some(n.clone()),
    }
}

fn side_of(used: &BTreeSet<Use>) -> Side {
    match (used.iter().any(|u| u.request), used.iter().any(|u| !u.request)) {
        (true, true) => Side::Both,
        (true, false) => Side::Request,
        (false, true) => Side::Reply,
        (false, false) => Side::Unused,
    }
}

/// Types that are the request or reply struct of exactly one operation (in both surfaces), and
/// are used by nothing else: their changes are listed under that operation.
fn own_structs(old: &Surface, new: &Surface) -> BTreeMap<String, (String, String)> {
    let mut roots: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    let mut referenced = BTreeSet::new();
    for surface in [old, new] {
        for s in &surface.services {
            for o in &s.operations {
                for t in [&o.input, &o.output] {
                    roots.entry(t.clone()).or_default().insert((s.name.clone(), o.name.clone()));
                }
                referenced.extend(o.header.iter().cloned());
            }
        }
        for t in &surface.types {
            match &t.kind {
                TypeKind::Struct(fields) => referenced.extend(fields.iter().filter_map(|f| named(&f.ty))),
                TypeKind::Newtype(inner) => referenced.extend(named(inner)),
                TypeKind::Enum(_) => {}
            }
        }
    }
    roots
        .into_iter()
        .filter(|(name, ops)| ops.len() == 1 && !referenced.contains(name))
        .filter_map(|(name, ops)| ops.into_iter().next().map(|op| (name, op)))
        .collect()
}

struct TypeCtx<'a> {
    name: &'a str,
    side: Side,
    used: &'a BTreeSet<Use>,
}

impl TypeCtx<'_> {
    fn change(&self, class: Class, kind: ChangeKind, item: Option<&str>, detail: String) -> Change {
        Change {
            class,
            kind,
            service: None,
            operation: None,
            type_name: Some(self.name.to_owned()),
            item: item.map(str::to_owned),
            side: Some(self.side),
            old: None,
            new: None,
            used_by: self.used.iter().cloned().collect(),
            detail,
        }
    }
}

fn compare_type(old: &TypeApi, new: &TypeApi, ctx: &TypeCtx<'_>, out: &mut Vec<Change>) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(of), TypeKind::Struct(nf)) => compare_fields(of, nf, ctx, out),
        (TypeKind::Enum(ov), TypeKind::Enum(nv)) => compare_values(ov, nv, ctx, out),
        (TypeKind::Newtype(oi), TypeKind::Newtype(ni)) => {
            if oi != ni {
                let (o, n) = (rust_value_type(oi), rust_value_type(ni));
                let mut c = ctx.change(
                    Class::Breaking,
                    ChangeKind::NewtypeChanged,
                    None,
                    format!("newtype now wraps `{n}` (was `{o}`)"),
                );
                (c.old, c.new) = (Some(o), Some(n));
                out.push(c);
            }
        }
        (o, n) => {
            let mut c = ctx.change(
                Class::Breaking,
                ChangeKind::TypeKindChanged,
                None,
                format!("changed from {} to {}", o.label(), n.label()),
            );
            (c.old, c.new) = (Some(o.label().to_owned()), Some(n.label().to_owned()));
            out.push(c);
        }
    }
}

fn same_field(a: &FieldApi, b: &FieldApi) -> bool {
    a.xml_name == b.xml_name && a.kind == b.kind
}

fn compare_fields(old: &[FieldApi], new: &[FieldApi], ctx: &TypeCtx<'_>, out: &mut Vec<Change>) {
    let word = ctx.side.field_word();
    for of in old {
        let Some(nf) = new.iter().find(|f| same_field(f, of)) else {
            let detail = format!("{word} `{}` removed (was `{}: {}`)", of.xml_name, of.rust_name, of.rust_type());
            let mut c = ctx.change(Class::Breaking, ChangeKind::FieldRemoved, Some(&of.xml_name), detail);
            c.old = Some(of.rust_type());
            out.push(c);
            continue;
        };
        if of.rust_name != nf.rust_name {
            let detail = format!("{word} `{}` renamed in Rust: `{}` → `{}`", of.xml_name, of.rust_name, nf.rust_name);
            let mut c = ctx.change(Class::Breaking, ChangeKind::FieldRenamed, Some(&of.xml_name), detail);
            (c.old, c.new) = (Some(of.rust_name.clone()), Some(nf.rust_name.clone()));
            out.push(c);
        }
        let (ot, nt) = (of.rust_type(), nf.rust_type());
        let change = if of.ty != nf.ty {
            Some((Class::Breaking, ChangeKind::FieldRetyped, "retyped"))
        } else {
            match (of.occurs, nf.occurs) {
                (a, b) if a == b => None,
                (Occurs::Optional | Occurs::Nillable, Occurs::Required) => {
                    Some((Class::Breaking, ChangeKind::FieldMadeRequired, "made required"))
                }
                (Occurs::Required, Occurs::Optional | Occurs::Nillable) => {
                    Some((Class::Breaking, ChangeKind::FieldMadeOptional, "made optional"))
                }
                (Occurs::Optional, Occurs::Nillable) => {
                    Some((Class::Note, ChangeKind::FieldOccurrenceChanged, "made nillable instead of optional"))
                }
                (Occurs::Nillable, Occurs::Optional) => {
                    Some((Class::Note, ChangeKind::FieldOccurrenceChanged, "made optional instead of nillable"))
                }
                (_, Occurs::List) => Some((Class::Breaking, ChangeKind::FieldOccurrenceChanged, "made a list")),
                (Occurs::List, _) => Some((Class::Breaking, ChangeKind::FieldOccurrenceChanged, "no longer a list")),
                (_, Occurs::Many) => Some((Class::Breaking, ChangeKind::FieldOccurrenceChanged, "made repeated")),
                (Occurs::Many, _) => Some((Class::Breaking, ChangeKind::FieldOccurrenceChanged, "no longer repeated")),
                _ => None,
            }
        };
        if let Some((class, kind, what)) = change {
            let detail = if ot == nt {
                format!("{word} `{}` {what} (`{}: {nt}` either way)", of.xml_name, nf.rust_name)
            } else {
                format!("{word} `{}` {what}: `{}: {ot}` → `{nt}`", of.xml_name, nf.rust_name)
            };
            let mut c = ctx.change(class, kind, Some(&of.xml_name), detail);
            (c.old, c.new) = (Some(ot), Some(nt));
            out.push(c);
        }
    }
    for nf in new {
        if old.iter().any(|f| same_field(f, nf)) {
            continue;
        }
        let required = nf.occurs == Occurs::Required;
        let class = if required && ctx.side.written() { Class::Breaking } else { Class::Additive };
        let occurs = match nf.occurs {
            Occurs::Required => "required",
            Occurs::Optional => "optional",
            Occurs::Nillable => "nillable",
            Occurs::Many => "repeated",
            Occurs::List => "a list",
        };
        let detail = format!("{word} `{}` added, {occurs} (`{}: {}`)", nf.xml_name, nf.rust_name, nf.rust_type());
        let mut c = ctx.change(class, ChangeKind::FieldAdded, Some(&nf.xml_name), detail);
        c.new = Some(nf.rust_type());
        out.push(c);
    }
    let common_old: Vec<&str> =
        old.iter().filter(|o| new.iter().any(|n| same_field(n, o))).map(|f| f.xml_name.as_str()).collect();
    let common_new: Vec<&str> =
        new.iter().filter(|n| old.iter().any(|o| same_field(n, o))).map(|f| f.xml_name.as_str()).collect();
    if common_old != common_new {
        let detail = format!("element order changed: {} → {}", common_old.join(", "), common_new.join(", "));
        out.push(ctx.change(Class::Note, ChangeKind::FieldOrderChanged, None, detail));
    }
}

fn compare_values(old: &[(String, String)], new: &[(String, String)], ctx: &TypeCtx<'_>, out: &mut Vec<Change>) {
    for (variant, value) in old {
        match new.iter().find(|(_, v)| v == value) {
            None => {
                let detail = format!("enum value `{value}` removed (variant `{variant}`)");
                out.push(ctx.change(Class::Breaking, ChangeKind::EnumValueRemoved, Some(value), detail));
            }
            Some((nv, _)) if nv != variant => {
                let detail = format!("variant of enum value `{value}` renamed: `{variant}` → `{nv}`");
                let mut c = ctx.change(Class::Breaking, ChangeKind::EnumVariantRenamed, Some(value), detail);
                (c.old, c.new) = (Some(variant.clone()), Some(nv.clone()));
                out.push(c);
            }
            Some(_) => {}
        }
    }
    for (variant, value) in new {
        if !old.iter().any(|(_, v)| v == value) {
            let detail = format!("enum value `{value}` added (variant `{variant}`)");
            out.push(ctx.change(Class::Additive, ChangeKind::EnumValueAdded, Some(value), detail));
        }
    }
}
