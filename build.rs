//! Generates the bindings from the contracts in `wsdl/` (or `$SOAPBIND_WSDL_DIR`) into `OUT_DIR`,
//! keeps `generated/` in step, and generates the benchmarks' contracts.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-env-changed=SOAPBIND_WSDL_DIR");
    println!("cargo:rerun-if-env-changed=SOAPGEN_BLESS");

    let vendored_dir = manifest.join("wsdl");
    let (contracts, vendored) = match env::var_os("SOAPBIND_WSDL_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            check_wsdl_dir(&dir, &vendored_dir);
            (dir, false)
        }
        None => (vendored_dir, true),
    };
    println!("cargo:rerun-if-changed={}", contracts.display());
    let files = soapgen::Generator::new()
        .runtime_path("crate::soap")
        .serde(soapgen::SerdeDerives::Feature("serde".into()))
        .contracts_in(&contracts)
        .write_to(&out)
        .unwrap_or_else(|e| panic!("generating bindings from {}: {e}", contracts.display()));

    if vendored {
        keep_generated_in_step(&manifest.join("generated"), &files);
    }
    bench_contracts(&manifest, &out);
}

/// Fails the build, naming the variable and the path, unless `dir` (from `SOAPBIND_WSDL_DIR`) is
/// a readable directory holding every contract the library includes, at the same relative path
/// as in `wsdl/`.
fn check_wsdl_dir(dir: &Path, vendored: &Path) {
    let fail = |why: String| -> ! { panic!("SOAPBIND_WSDL_DIR={}: {why}", dir.display()) };
    if let Err(e) = std::fs::read_dir(dir) {
        fail(format!("not a readable directory ({e})"));
    }
    if soapgen::contract_files(dir).is_empty() {
        fail("no .wsdl or .xsd contract in it".to_owned());
    }
    let missing: Vec<String> = soapgen::contract_files(vendored)
        .iter()
        .filter_map(|path| path.strip_prefix(vendored).ok())
        .filter(|relative| !dir.join(relative).is_file())
        .map(|relative| relative.display().to_string())
        .collect();
    if !missing.is_empty() {
        fail(format!(
            "the library needs these contracts, at these paths, and they are missing: {}",
            missing.join(", ")
        ));
    }
}

/// The benchmarks' own contracts (`benches/contracts/`), generated into `OUT_DIR/bench/`. The
/// published package holds no benchmarks: then there is nothing to do.
fn bench_contracts(manifest: &Path, out: &Path) {
    let dir = manifest.join("benches/contracts");
    if !dir.is_dir() {
        return;
    }
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
