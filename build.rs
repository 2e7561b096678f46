//! Generates the bindings from the contracts in `wsdl/` (or `$SOAPBIND_WSDL_DIR`) into `OUT_DIR`,
//! keeps `generated/` in step, and generates the reference-corpus bindings the tests use.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-env-changed=SOAPBIND_WSDL_DIR");
    println!("cargo:rerun-if-env-changed=SOAPGEN_BLESS");

    let (contracts, vendored) = match env::var_os("SOAPBIND_WSDL_DIR") {
        Some(dir) => (PathBuf::from(dir), false),
        None => (manifest.join("wsdl"), true),
    };
    println!("cargo:rerun-if-changed={}", contracts.display());
    let files = soapgen::Generator::new()
        .runtime_path("crate::soap")
        .contracts_in(&contracts)
        .write_to(&out)
        .unwrap_or_else(|e| panic!("generating bindings from {}: {e}", contracts.display()));

    if vendored {
        keep_generated_in_step(&manifest.join("generated"), &files);
    }
    reference_corpus(&manifest, &out);
    bench_contracts(&manifest, &out);
}

/// The benchmarks' own contracts (`benches/contracts/`), generated into `OUT_DIR/bench/`.
fn bench_contracts(manifest: &Path, out: &Path) {
    let dir = manifest.join("benches/contracts");
    println!("cargo:rerun-if-changed={}", dir.display());
    soapgen::Generator::new()
        .runtime_path("::soapbind::soap")
        .contracts_in(&dir)
        .write_to(out.join("bench"))
        .unwrap_or_else(|e| panic!("generating the benchmark contracts: {e}"));
}

/// `generated/` is the committed copy of what this script emits: rewritten with
/// `SOAPGEN_BLESS=1`, otherwise compared (the `generated_in_sync` test fails on a difference).
fn keep_generated_in_step(dir: &Path, files: &[soapgen::GeneratedFile]) {
    let bless = env::var_os("SOAPGEN_BLESS").is_some_and(|v| v == "1");
    for file in files {
        let path = dir.join(&file.relative_path);
        if bless {
            soapgen::write_if_changed(&path, &file.code).expect("writing generated/");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(file.code.as_str()) {
            println!(
                "cargo:warning=generated/{} is out of date: run `SOAPGEN_BLESS=1 cargo build` and commit it",
                file.relative_path.display()
            );
        }
    }
    let warnings = soapgen::api::check_generated(dir, files, bless).expect("writing the API surfaces in generated/");
    warnings.iter().for_each(|w| println!("cargo:warning={w}"));
}

/// Bindings of the real Nmbrs v2.1 WSDLs in `../shared/reference/`, read in place, for the
/// reference-corpus tests. When the corpus is absent an empty module says so.
fn reference_corpus(manifest: &Path, out: &Path) {
    let corpus = manifest.join("../shared/reference/nmbrs-v2.1");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let target = out.join("reference");
    let services = ["CompanyService", "EmployeeService"];
    let available = services.iter().all(|s| corpus.join(format!("{s}.wsdl")).is_file());
    let mut index = format!(
        "/// Whether the reference corpus was found at build time.\npub const AVAILABLE: bool = {available};\n"
    );
    for service in services {
        let module = soapgen::ident::field_name(service);
        if available {
            let files = soapgen::Generator::new()
                .runtime_path("::soapbind::soap")
                .contract(corpus.join(format!("{service}.wsdl")))
                .write_to(&target)
                .unwrap_or_else(|e| panic!("generating the reference corpus: {e}"));
            let file = target.join(&files[0].relative_path);
            index.push_str(&format!("pub mod {module} {{ include!({:?}); }}\n", file.display().to_string()));
        } else {
            index.push_str(&format!("pub mod {module} {{}}\n"));
        }
    }
    soapgen::write_if_changed(&out.join("reference_corpus.rs"), &index).expect("writing the reference index");
}
