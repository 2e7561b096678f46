//! soapgen over the third-party WSDL corpus (`../shared/reference/wsdl-corpus`, read in place):
//! every file generates, or is one of the files broken on purpose and fails with an error naming
//! the file and line; every operation of every SOAP port is a method of a generated client or
//! is named in a note saying why it was skipped; and every generated file compiles, all of them
//! in one scratch crate (`target/wsdl-corpus/`) checked against this workspace's `soapbind`.

#[cfg(reference)]
mod bodies {
    use std::fmt::Write as _;
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::time::Instant;

    /// Corpus entries whose WSDL is broken on purpose, and what the error must say (besides the
    /// file and line, which every such error names).
    const BROKEN: &[(&str, &str)] = &[
        ("gowsdl-stock", "binding `StockQuoteBinding`, which is not defined"),
        ("gowsdl-workday-time-min", "type `WorkerReferenceEnumeration` of namespace `urn:com.workday/bsvc`"),
        ("nodesoap-netsuite", "platform.core.xsd"),
        ("nodesoap-default_namespace_soap12", "prefix `soap`, which is not declared"),
        ("nodesoap-marketo", "message `AuthenticationHeader`, which is not defined"),
        ("nodesoap-xsd_include", "`DummySave` of binding `DummyBinding` is not an operation"),
    ];

    fn corpus() -> PathBuf {
        reference_tests::reference_dir().join("wsdl-corpus")
    }

    /// `(id, main file)` of each manifest row.
    fn entries() -> Vec<(String, PathBuf)> {
        let manifest = std::fs::read_to_string(corpus().join("MANIFEST.tsv")).expect("MANIFEST.tsv is readable");
        manifest
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let mut cols = line.split('\t');
                let id = cols.next().expect("an id column").to_owned();
                let main = cols.next().expect("a main_file column");
                (id, corpus().join(main))
            })
            .collect()
    }

    /// The operations of every SOAP port, by the WSDL reader, that are neither a method of a
    /// client of that port's port type nor named in a note.
    fn lost_operations(path: &Path, module: &soapgen::ir::Module) -> Vec<String> {
        let defs = soapgen::wsdl::read(path).expect("a file that generated reads");
        let mut lost = Vec::new();
        for service in &defs.services {
            for port in &service.ports {
                let binding = &defs.bindings[&port.binding];
                let port_type = &defs.port_types[&binding.port_type];
                for op in &port_type.operations {
                    let generated = module.services.iter().any(|s| {
                        s.name == service.name
                            && s.port_type == binding.port_type
                            && s.operations.iter().any(|o| o.name == op.name)
                    });
                    let noted = module.notes.iter().any(|n| {
                        n.contains(&format!("`{}.{}`", service.name, op.name))
                            || n.contains(&format!("operation {} skipped", op.name))
                    });
                    if !generated && !noted {
                        lost.push(format!("{}.{} (port {})", service.name, op.name, port.name));
                    }
                }
            }
        }
        lost
    }

    pub fn every_contract_generates_keeps_its_operations_and_compiles() {
        let scratch = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wsdl-corpus");
        let src = scratch.join("src");
        std::fs::create_dir_all(&src).expect("creating the scratch crate");
        let mut lib = String::from("#![allow(dead_code, clippy::all)]\n");
        let mut failures = Vec::new();
        let (mut generated, mut operations, mut present) = (0, 0, 0);
        let mut report = String::new();
        for (id, path) in entries() {
            let started = Instant::now();
            let result = soapgen::Generator::new().runtime_path("::soapbind::soap").contract(&path).generate();
            let elapsed = started.elapsed();
            let broken = BROKEN.iter().find(|(b, _)| *b == id).map(|(_, says)| *says);
            let files = match (result, broken) {
                (Ok(files), None) => files,
                (Ok(_), Some(_)) => {
                    failures.push(format!("{id}: broken on purpose, but it generated"));
                    continue;
                }
                (Err(e), Some(says)) => {
                    let message = e.to_string();
                    let names_place = message.split(": ").next().is_some_and(|place| {
                        place.rsplit_once(':').is_some_and(|(file, line)| {
                            (file.ends_with(".wsdl") || file.ends_with(".xsd")) && line.parse::<usize>().is_ok()
                        })
                    });
                    if !names_place || !message.contains(says) {
                        failures.push(format!("{id}: the error should name file, line and `{says}`: {message}"));
                    }
                    continue;
                }
                (Err(e), None) => {
                    failures.push(format!("{id}: {e}"));
                    continue;
                }
            };
            let file = &files[0];
            generated += 1;
            let methods: usize = file.module.services.iter().map(|s| s.operations.len()).sum();
            operations += methods;
            let defs = soapgen::wsdl::read(&path).expect("a file that generated reads");
            present += defs
                .services
                .iter()
                .flat_map(|s| &s.ports)
                .map(|p| &defs.bindings[&p.binding].port_type)
                .collect::<std::collections::BTreeSet<_>>()
                .iter()
                .map(|pt| defs.port_types[*pt].operations.len())
                .sum::<usize>();
            for op in lost_operations(&path, &file.module) {
                failures.push(format!("{id}: operation {op} is neither generated nor named in a note"));
            }
            let lines = file.code.lines().count();
            let _ = writeln!(
                report,
                "{id}: {methods} operations, {lines} lines, {} lines per operation, generated in {elapsed:.2?}",
                lines / methods.max(1)
            );
            let module = soapgen::ident::field_name(&id);
            soapgen::write_if_changed(&src.join(format!("{module}.rs")), &file.code).expect("writing a module");
            let _ = writeln!(lib, "pub mod {module};");
        }
        eprintln!("{report}generated {generated} files; {operations} operations of {present} in their SOAP ports");
        soapgen::write_if_changed(&src.join("lib.rs"), &lib).expect("writing lib.rs");
        let soapbind = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let manifest = format!(
            "[package]\nname = \"wsdl-corpus-check\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nsoapbind = {{ path = {:?}, default-features = false }}\n\n\
             [workspace]\n",
            soapbind.display().to_string()
        );
        soapgen::write_if_changed(&scratch.join("Cargo.toml"), &manifest).expect("writing Cargo.toml");
        // The workspace's lock file, so that the check uses the versions the workspace builds with.
        let lock = std::fs::read_to_string(soapbind.join("Cargo.lock")).expect("the workspace has a Cargo.lock");
        soapgen::write_if_changed(&scratch.join("Cargo.lock"), &lock).expect("writing Cargo.lock");
        let cargo = option_env!("CARGO").unwrap_or("cargo");
        let output = Command::new(cargo)
            .args(["check", "--offline", "--quiet", "--message-format=short"])
            .current_dir(&scratch)
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("running cargo check on the scratch crate");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let errors: Vec<&str> = stderr.lines().filter(|l| l.contains("error")).take(40).collect();
            failures.push(format!("the generated code does not compile:\n{}", errors.join("\n")));
        }
        assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
    }
}

reference_tests::reference_tests!(every_contract_generates_keeps_its_operations_and_compiles);
