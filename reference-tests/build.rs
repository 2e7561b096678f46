//! Looks for the reference corpus, `../shared/reference` beside the repository. When it is there,
//! turns on `cfg(reference)` for this crate and generates the Nmbrs v2.1 bindings the tests read.
//! When it is missing the tests are reported as ignored, unless `SOAPBIND_REFERENCE=required`
//! (set by `.ci/run`), which makes the build fail with the missing folder's name.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rustc-check-cfg=cfg(reference)");
    // The generated bindings derive serde under `feature = "serde"`, which this crate never sets.
    println!("cargo:rustc-check-cfg=cfg(feature, values(\"serde\"))");
    println!("cargo:rerun-if-env-changed=SOAPBIND_REFERENCE");
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let reference = manifest.join("../../shared/reference");
    let required = env::var_os("SOAPBIND_REFERENCE").is_some_and(|v| v == "required");
    if !reference.is_dir() {
        // No rerun-if-changed on a path that does not exist: cargo would rebuild every time.
        // Adding the corpus later takes `cargo clean -p reference-tests` (or setting the variable).
        assert!(
            !required,
            "SOAPBIND_REFERENCE=required, but the reference corpus is missing: {} does not exist",
            reference.display()
        );
        return;
    }
    println!("cargo:rustc-cfg=reference");
    println!("cargo:rerun-if-changed={}", reference.display());
    nmbrs_v21(&reference.join("nmbrs-v2.1"), &out);
}

/// Bindings of the real Nmbrs v2.1 CompanyService and EmployeeService WSDLs, read in place.
fn nmbrs_v21(corpus: &Path, out: &Path) {
    let target = out.join("nmbrs-v2.1");
    let mut index = String::new();
    for service in ["CompanyService", "EmployeeService"] {
        let files = soapgen::Generator::new()
            .runtime_path("::soapbind::soap")
            .contract(corpus.join(format!("{service}.wsdl")))
            .write_to(&target)
            .unwrap_or_else(|e| panic!("generating the reference bindings of {service}: {e}"));
        let file = target.join(&files[0].relative_path);
        let module = soapgen::ident::field_name(service);
        index.push_str(&format!("pub mod {module} {{ include!({:?}); }}\n", file.display().to_string()));
    }
    soapgen::write_if_changed(&out.join("nmbrs_v21.rs"), &index).expect("writing the reference index");
}
