//! Generates the bindings from the contracts in `wsdl/` (or `$SOAPBIND_WSDL_DIR`) into `OUT_DIR`,
//! keeps `generated/` in step, and generates the benchmarks' contracts.

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
    let warnings =
        soapgen::api_check::check_generated(dir, files, bless).expect("writing the API surfaces in generated/");
    warnings.iter().for_each(|w| println!("cargo:warning={w}"));
}
