//! What real contracts need beyond the file itself: remote documents (left out when unused,
//! named in the error when used, read from a local copy when one is given), and schema errors
//! that name the namespace, the type, the file and the line.

use std::path::PathBuf;

fn contract(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contracts").join(name)
}

#[test]
fn a_used_remote_schema_is_named_with_the_way_to_supply_it() {
    let error = soapgen::Generator::new().contract(contract("remote_types.wsdl")).generate().expect_err("needs it");
    let message = error.to_string();
    assert!(message.contains("remote_types.wsdl:8: "), "{message}");
    assert!(message.contains("`Identifier` of namespace `urn:remote:common` is not defined"), "{message}");
    assert!(message.contains("`--location https://example.test/schemas/common.xsd=FILE`"), "{message}");
}

#[test]
fn a_remote_schema_is_read_from_the_local_copy_given() {
    let files = soapgen::Generator::new()
        .location("https://example.test/schemas/common.xsd", contract("common.xsd"))
        .contract(contract("remote_types.wsdl"))
        .generate()
        .expect("generates with the local copy");
    assert!(files[0].code.contains("pub id: i32,"), "{}", files[0].code);
    assert!(files[0].module.notes.iter().all(|n| !n.contains("not read")), "{:?}", files[0].module.notes);
}

#[test]
fn a_missing_type_is_named_with_namespace_file_and_line() {
    let error = soapgen::Generator::new().contract(contract("missing_type.wsdl")).generate().expect_err("fails");
    let message = error.to_string();
    assert!(
        message.contains(
            "missing_type.wsdl:8: schema error: `Identifier` of namespace `urn:remote:common` is not defined: \
             no schema of the contract defines namespace `urn:remote:common`"
        ),
        "{message}"
    );
    assert!(!message.contains("schema=") && !message.contains("ns="), "no xsd-parser indices: {message}");
}

#[test]
fn a_port_type_of_a_remote_wsdl_import_names_the_import() {
    let error = soapgen::Generator::new().contract(contract("remote_port_type.wsdl")).generate().expect_err("fails");
    let message = error.to_string();
    assert!(message.contains("remote_port_type.wsdl:6: "), "{message}");
    assert!(message.contains("port type `Remote`"), "{message}");
    assert!(message.contains("`https://example.test/remote-abstract.wsdl`"), "{message}");
    assert!(message.contains("--location https://example.test/remote-abstract.wsdl=FILE"), "{message}");
}
