//! Golden tests of the emitted code, one small hand-written WSDL per construct, in the style of
//! prost-build's fixtures: `tests/golden/<name>.wsdl` generates exactly `tests/golden/<name>.rs`.
//! Rewrite the expectations with `SOAPGEN_BLESS=1 cargo test -p soapgen --test golden`.

use std::path::PathBuf;

fn check(name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let files = soapgen::Generator::new()
        .runtime_path("::soapbind::soap")
        .serde(soapgen::SerdeDerives::Feature("serde".into()))
        .contract(dir.join(format!("{name}.wsdl")))
        .generate()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let code = files[0].code.replace(&dir.display().to_string(), "tests/golden");
    let expected_path = dir.join(format!("{name}.rs"));
    if std::env::var_os("SOAPGEN_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&expected_path, &code).expect("writing the expectation");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if code != expected {
        let first = code.lines().zip(expected.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name}: generated code differs from {} from line {}:\n  got:      {:?}\n  expected: {:?}\nrun SOAPGEN_BLESS=1 cargo test -p soapgen --test golden to accept",
            expected_path.display(),
            first + 1,
            code.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn wrapped_document_literal_with_header() {
    check("wrapped");
}

#[test]
fn enumerations_extension_attributes_and_bare_bodies() {
    check("types");
}

#[test]
fn unsupported_bindings_are_skipped_with_a_note() {
    check("skipped");
}

#[test]
fn rpc_literal_wrappers_are_synthesized() {
    check("rpc");
}

#[test]
fn every_soap_port_one_way_operations_and_several_headers() {
    check("ports");
}

#[test]
fn sibling_schemas_recursion_dataset_and_soap_encoding() {
    check("schemas");
}

#[test]
fn complex_types_declared_inline_on_local_elements_are_structs() {
    check("inline");
}
