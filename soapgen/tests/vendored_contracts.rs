//! The WSDL reader on the workspace's vendored contracts (`wsdl/`). Left out of the published
//! package, which holds no contracts.

use std::path::PathBuf;

use soapgen::wsdl::{self, SoapVersion};

/// The workspace root.
fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Fails unless the text is well-formed XML.
fn assert_well_formed(text: &str, what: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what} is not well-formed at byte {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "{what}: unclosed elements");
}

#[test]
fn datazoo_contract() {
    let path = workspace_root().join("wsdl/datazoo/DataZoo.wsdl");
    let defs = wsdl::read(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(defs.target_namespace, "http://svc.datazoo.co.nz");
    assert_eq!(defs.bindings.len(), 1);
    let binding = defs.bindings.values().next().unwrap();
    assert_eq!(binding.version, SoapVersion::Soap12);
    assert!(binding.operations.iter().all(|op| op.input_headers.is_empty()));
    assert!(defs.port_types.values().all(|pt| pt.operations.iter().all(|op| !op.documentation.is_empty())));
    assert_eq!(defs.services.len(), 1);
    assert_eq!(defs.services[0].ports.len(), 1);
    assert_eq!(defs.services[0].ports[0].version, SoapVersion::Soap12);
    assert_eq!(defs.schemas.len(), 1);
    assert_well_formed(&defs.schemas[0].text, "DataZoo schema");
    assert!(defs.notes.is_empty(), "{:#?}", defs.notes);
}

/// Every vendored Nmbrs v3 WSDL reads, with a SOAP binding and at least one operation.
#[test]
fn nmbrs_v3_contracts() {
    let dir = workspace_root().join("wsdl/nmbrs/v3");
    let paths: Vec<PathBuf> = soapgen::contract_files(&dir);
    assert_eq!(paths.len(), 5, "{paths:?}");
    for path in paths {
        let defs = wsdl::read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!defs.bindings.is_empty(), "{}: no SOAP binding", path.display());
        let operations: usize = defs.port_types.values().map(|pt| pt.operations.len()).sum();
        assert!(operations > 0, "{}: no operations", path.display());
    }
}
