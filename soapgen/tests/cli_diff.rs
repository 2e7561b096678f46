//! `soapgen diff`: the vendored contracts against hand-edited copies, checking each change's
//! class and the exit status (the reference corpus's EmployeeService is diffed in
//! `reference-tests`).

mod cli_support;

use cli_support::{json, replace_once, soapgen, workspace, Scratch};

fn changes(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
    doc["changes"].as_array().expect("changes")
}

/// The vendored DebtorService with one edit: diffed against the original, the single change
/// besides those to a method's parameters must have `kind` and `class`.
fn vendored_change(edit: impl FnOnce(&str) -> String, kind: &str, class: &str) -> serde_json::Value {
    let original = workspace().join("wsdl/nmbrs/v3/DebtorService.wsdl");
    let text = std::fs::read_to_string(&original).unwrap();
    let scratch = Scratch::new(&format!("diff-vendored-{kind}"));
    let new = scratch.write("DebtorService.wsdl", &edit(&text));
    let run = soapgen(&["diff", "--json", original.to_str().unwrap(), new.to_str().unwrap()], None);
    run.expect_code(0);
    let doc = json(&run.stdout);
    let all: Vec<_> = changes(&doc).iter().filter(|c| !c["kind"].as_str().unwrap().starts_with("param_")).collect();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!((all[0]["kind"].as_str(), all[0]["class"].as_str()), (Some(kind), Some(class)), "{all:#?}");
    all[0].clone()
}

#[test]
fn reply_side_header_action_and_endpoint_rules() {
    // A reply field added, even a required one, is additive; removed is breaking.
    let c = vendored_change(
        |t| {
            replace_once(
                t,
                "name=\"SubDomain\" type=\"s:string\" />",
                "name=\"SubDomain\" type=\"s:string\" />\n            \
                 <s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"Region\" type=\"s:int\" />",
            )
        },
        "field_added",
        "additive",
    );
    assert_eq!(c["side"], "reply");
    let c = vendored_change(
        |t| replace_once(t, "<s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"SubDomain\" type=\"s:string\" />", ""),
        "field_removed",
        "breaking",
    );
    assert_eq!(c["side"], "reply");
    // A request field made optional changes its Rust type: breaking.
    vendored_change(
        |t| {
            replace_once(
                t,
                "<s:element name=\"Department_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
                 <s:element minOccurs=\"1\"",
                "<s:element name=\"Department_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
                 <s:element minOccurs=\"0\"",
            )
        },
        "field_made_optional",
        "breaking",
    );
    // SOAPAction changed in the SOAP 1.1 binding: breaking.
    let c = vendored_change(
        |t| {
            replace_once(
                t,
                "<soap:operation soapAction=\"https://api.nmbrs.nl/soap/v3/DebtorService/List_GetAll\"",
                "<soap:operation soapAction=\"https://api.nmbrs.nl/soap/v3/DebtorService/List_GetAll2\"",
            )
        },
        "soap_action_changed",
        "breaking",
    );
    assert_eq!(c["operation"], "List_GetAll");
    // The SOAP 1.2 port's address: a note.
    vendored_change(
        |t| {
            replace_once(
                t,
                "<soap12:address location=\"https://api.nmbrs.nl/soap/v3/DebtorService.asmx\"",
                "<soap12:address location=\"https://api.nmbrs.se/soap/v3/DebtorService.asmx\"",
            )
        },
        "endpoint_changed",
        "note",
    );
}

#[test]
fn a_header_changed_is_breaking() {
    let original = workspace().join("wsdl/nmbrs/v3/DebtorService.wsdl");
    let text = std::fs::read_to_string(&original).unwrap();
    // Environment_Get takes the plain AuthHeader in both bindings; point both at the domain one.
    let edited = text.replace(
        "header message=\"tns:Environment_GetAuthHeader\" part=\"AuthHeader\"",
        "header message=\"tns:List_GetAllAuthHeaderWithDomain\" part=\"AuthHeaderWithDomain\"",
    );
    assert_eq!(text.matches("header message=\"tns:Environment_GetAuthHeader\"").count(), 2, "SOAP 1.1 and 1.2");
    assert_ne!(edited, text, "the edit applies");
    let scratch = Scratch::new("diff-header");
    let new = scratch.write("DebtorService.wsdl", &edited);
    let run = soapgen(&["diff", "--fail-on", "breaking", original.to_str().unwrap(), new.to_str().unwrap()], None);
    run.expect_code(1);
    assert!(
        run.stdout.contains("  Environment_Get\n    BREAKING  header changed: `AuthHeader` → `AuthHeaderWithDomain`"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_committed_api_surfaces_match_the_vendored_contracts() {
    // `generated/<name>.api` can stand for the old side: against its own contract, no changes.
    let root = workspace();
    let run = soapgen(
        &["diff", "--fail-on", "any", "generated/nmbrs/v3/employee_service.api", "wsdl/nmbrs/v3/EmployeeService.wsdl"],
        Some(&root),
    );
    run.expect_code(0);
    assert!(run.stdout.contains("no changes for callers"), "{}", run.stdout);
}

#[test]
fn usage_and_file_errors_exit_with_2() {
    let run = soapgen(&["diff", "wsdl/nmbrs/v3/DebtorService.wsdl"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("give the old and the new contract"), "{}", run.stderr);
    let run = soapgen(&["diff", "--fail-on", "sometimes", "a.wsdl", "b.wsdl"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("--fail-on takes `breaking`, `additive` or `any`, not `sometimes`"), "{}", run.stderr);
    let run = soapgen(&["diff", "wsdl/nmbrs/v3/DebtorService.wsdl", "missing/New.wsdl"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("missing/New.wsdl"), "{}", run.stderr);
    let scratch = Scratch::new("diff-bad-api");
    let bad = scratch.write("x.api", "# soapgen api 1\nservice\tS\n");
    let run = soapgen(&["diff", bad.to_str().unwrap(), "wsdl/nmbrs/v3/DebtorService.wsdl"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("x.api:2: `service` takes 2 words, found 1"), "{}", run.stderr);
}
