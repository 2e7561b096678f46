//! The v3 contracts in `wsdl/nmbrs/v3/` against the real v2.1 WSDLs they were written from: for
//! every operation both define, the request and the reply element trees (names, order, types,
//! occurrence, nillability, recursively through named types) are equal apart from the namespace
//! and the header. The known differences are the rows of the table under "Differences from the
//! v2.1 reference" in `docs/contracts.md`: a difference the table does not list fails, and so does
//! a listed one that no longer differs.

#[cfg(reference)]
mod bodies {
    use std::collections::{BTreeSet, HashMap};
    use std::path::{Path, PathBuf};

    use reference_tests::reference_dir;
    use soapgen::ir::{FieldType, Module, Occurs, TypeDef};

    /// Service, the v3 file, the reference file.
    const SERVICES: [(&str, &str); 4] = [
        ("DebtorService", "DebtorService-2016.wsdl"),
        ("CompanyService", "CompanyService.wsdl"),
        ("EmployeeService", "EmployeeService.wsdl"),
        ("SingleSignOn", "SingleSignOn-2016.wsdl"),
    ];

    fn repository() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
    }

    fn model(path: &Path) -> Module {
        soapgen::model(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The element tree of a type as lines `path name kind occurs nillable type`, recursively
    /// through named types (a type already on the path is named, not expanded again).
    struct Trees<'a> {
        types: HashMap<&'a str, &'a TypeDef>,
    }

    impl<'a> Trees<'a> {
        fn new(module: &'a Module) -> Self {
            Trees { types: module.types.iter().map(|t| (t.rust_name(), t)).collect() }
        }

        fn tree(&self, rust_name: &str) -> Vec<String> {
            let mut lines = Vec::new();
            self.walk(rust_name, "", &mut Vec::new(), &mut lines);
            lines
        }

        fn walk(&self, rust_name: &str, path: &str, stack: &mut Vec<String>, out: &mut Vec<String>) {
            let Some(def) = self.types.get(rust_name) else {
                out.push(format!("{path} missing type {rust_name}"));
                return;
            };
            match def {
                TypeDef::Struct(s) => {
                    out.push(format!("{path} struct {}", s.xml_name));
                    if stack.contains(&s.xml_name) {
                        return;
                    }
                    stack.push(s.xml_name.clone());
                    for field in &s.fields {
                        let mut here = format!("{path}/{}", field.xml_name);
                        let occurs = match field.occurs {
                            Occurs::Required => "1",
                            Occurs::Optional => "0..1",
                            Occurs::Nillable => "1 nil",
                            Occurs::Many => "*",
                            Occurs::List => "list",
                        };
                        let ty = self.leaf(&field.ty);
                        if let Some(item) = &field.item {
                            // A list (`ArrayOfX`, a `Vec` in Rust): the wrapper, then its entries.
                            out.push(format!(
                                "{here} {:?} {occurs} nillable={} {}",
                                field.kind, field.nillable, item.list_type
                            ));
                            here = format!("{here}/{}", item.xml_name);
                            out.push(format!("{here} Element * nillable={} {ty}", item.nillable));
                        } else {
                            out.push(format!("{here} {:?} {occurs} nillable={} {ty}", field.kind, field.nillable));
                        }
                        if let FieldType::Struct(inner) = &field.ty {
                            self.walk(inner, &here, stack, out);
                        }
                    }
                    stack.pop();
                }
                TypeDef::Enum(e) => {
                    let values: Vec<&str> = e.variants.iter().map(|(_, v)| v.as_str()).collect();
                    out.push(format!("{path} enum {} {values:?}", e.xml_name));
                }
                TypeDef::Newtype(n) => {
                    out.push(format!(
                        "{path} element {} nillable={} {}",
                        n.element.name,
                        n.nillable,
                        self.leaf(&n.inner)
                    ));
                    if let FieldType::Struct(inner) = &n.inner {
                        self.walk(inner, path, stack, out);
                    }
                }
            }
        }

        fn leaf(&self, ty: &FieldType) -> String {
            match ty {
                FieldType::Builtin(b) => b.xsd_name().to_owned(),
                FieldType::Enum(name) => match self.types.get(name.as_str()) {
                    Some(TypeDef::Enum(e)) => {
                        let values: Vec<&str> = e.variants.iter().map(|(_, v)| v.as_str()).collect();
                        format!("enum {} {values:?}", e.xml_name)
                    }
                    _ => format!("enum {name}"),
                },
                FieldType::Struct(name) => match self.types.get(name.as_str()) {
                    Some(TypeDef::Struct(s)) => s.xml_name.clone(),
                    _ => name.clone(),
                },
            }
        }
    }

    /// `(service, operation, "request" | "reply")` rows of the exceptions table in docs/contracts.md.
    fn listed_exceptions() -> BTreeSet<(String, String, String)> {
        let doc = std::fs::read_to_string(repository().join("docs/contracts.md")).expect("docs/contracts.md");
        let section = doc
            .split("#### Differences from the v2.1 reference")
            .nth(1)
            .expect("docs/contracts.md has a section \"Differences from the v2.1 reference\"");
        section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2)
            .map(|row| {
                let cells: Vec<String> =
                    row.split('|').map(|c| c.trim().trim_matches('`').to_owned()).filter(|c| !c.is_empty()).collect();
                assert!(
                    cells.len() >= 4,
                    "docs/contracts.md: an exception row needs service, operation, side, source: {row}"
                );
                (cells[0].clone(), cells[1].clone(), cells[2].clone())
            })
            .collect()
    }

    pub fn shared_operations_match_the_reference() {
        let mut found = BTreeSet::new();
        let mut compared = 0;
        for (service, reference_file) in SERVICES {
            let v3 = model(&repository().join(format!("wsdl/nmbrs/v3/{service}.wsdl")));
            let reference = model(&reference_dir().join("nmbrs-v2.1").join(reference_file));
            let (v3_trees, ref_trees) = (Trees::new(&v3), Trees::new(&reference));
            let v3_ops: HashMap<&str, _> =
                v3.services.iter().flat_map(|s| &s.operations).map(|o| (o.name.as_str(), o)).collect();
            for op in reference.services.iter().flat_map(|s| &s.operations) {
                let Some(ours) = v3_ops.get(op.name.as_str()) else {
                    panic!("{service}.{} is in the reference but not in the v3 contract", op.name)
                };
                compared += 1;
                let action = format!("https://api.nmbrs.nl/soap/v3/{service}/{}", op.name);
                assert_eq!(ours.soap11_action.as_deref(), Some(action.as_str()), "{service}.{}", op.name);
                assert_eq!(ours.soap12_action.as_deref(), Some(action.as_str()), "{service}.{}", op.name);
                assert_eq!(ours.header.is_some(), op.header.is_some(), "{service}.{}: header or none", op.name);
                // A one-way operation has no reply type: its tree is `None`.
                let sides = [
                    ("request", Some(ours.input.as_str()), Some(op.input.as_str())),
                    ("reply", ours.output.as_deref(), op.output.as_deref()),
                ];
                for (side, mine, theirs) in sides {
                    if mine.map(|t| v3_trees.tree(t)) != theirs.map(|t| ref_trees.tree(t)) {
                        found.insert((service.to_owned(), op.name.clone(), side.to_owned()));
                    }
                }
            }
        }
        assert_eq!(compared, 22 + 98 + 191 + 2, "operations compared");
        let listed = listed_exceptions();
        let unlisted: Vec<_> = found.difference(&listed).collect();
        let gone: Vec<_> = listed.difference(&found).collect();
        assert!(
            unlisted.is_empty(),
            "differences from the reference that docs/contracts.md does not list: {unlisted:?}"
        );
        assert!(gone.is_empty(), "docs/contracts.md lists differences that no longer exist: {gone:?}");
    }

    pub fn every_v3_header_is_the_one_docs_name() {
        for service in ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"] {
            let v3 = model(&repository().join(format!("wsdl/nmbrs/v3/{service}.wsdl")));
            for op in v3.services.iter().flat_map(|s| &s.operations) {
                let expected = match (service, op.name.as_str()) {
                    ("SingleSignOn", _) => None,
                    ("DebtorService", "Environment_Get") => Some("AuthHeader"),
                    _ => Some("AuthHeaderWithDomain"),
                };
                assert_eq!(op.header_element.as_deref(), expected, "{service}.{}", op.name);
            }
        }
    }
}

reference_tests::reference_tests!(shared_operations_match_the_reference, every_v3_header_is_the_one_docs_name);

#[cfg(reference)]
mod tool {
    /// The committed contracts are what `tools/nmbrs_v3_contracts.py` writes from the reference
    /// and its inputs: a correction is a rerun, never a hand edit.
    pub fn contracts_are_what_the_tool_writes() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        let run = std::process::Command::new("python3")
            .args(["tools/nmbrs_v3_contracts.py", "--check", "--reference"])
            .arg(reference_tests::reference_dir().join("nmbrs-v2.1"))
            .current_dir(root)
            .output()
            .expect("python3 runs tools/nmbrs_v3_contracts.py");
        assert!(
            run.status.success(),
            "{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[cfg(reference)]
use tool as tool_bodies;

mod checks {
    #[cfg(reference)]
    use super::tool_bodies as bodies;
    reference_tests::reference_tests!(contracts_are_what_the_tool_writes);
}
