//! The bindings crate's `generated/` is the committed copy of what its build.rs emits from
//! `wsdl/` (the code and, next to each file, its API surface `<name>.api`): this test fails when
//! they differ. Rewrite it with `SOAPGEN_BLESS=1 cargo build`
//! (see the README). It lives here so the bindings crate needs no dev-dependency on soapgen.

use std::path::PathBuf;

#[test]
fn generated_matches_what_build_rs_produces() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = soapgen::Generator::new()
        .runtime_path("crate::soap")
        .serde(soapgen::SerdeDerives::Feature("serde".into()))
        .contracts_in(root.join("wsdl"))
        .generate()
        .expect("the vendored contracts generate");
    assert!(!files.is_empty(), "no contracts found under wsdl/");
    let mut stale = Vec::new();
    for file in &files {
        let path = root.join("generated").join(&file.relative_path);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.code.as_str()) {
            stale.push(path.display().to_string());
        }
        // The API surface next to it, which build.rs diffs a changed contract against.
        let api = root.join("generated").join(soapgen::api::api_path(&file.relative_path));
        let surface = soapgen::api::Surface::from_module(&file.module).render();
        if std::fs::read_to_string(&api).ok().as_deref() != Some(surface.as_str()) {
            stale.push(api.display().to_string());
        }
    }
    let committed = soapgen::contract_files(&root.join("wsdl")).len();
    assert_eq!(committed, files.len());
    assert!(stale.is_empty(), "out of date: {stale:?}; run `SOAPGEN_BLESS=1 cargo build` and commit generated/");
}
