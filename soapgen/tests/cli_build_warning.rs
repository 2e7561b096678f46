//! The build-script side of the contract diff: `soapgen::api_check::check_generated` keeps the `.api`
//! surfaces next to the committed bindings and warns when a contract changes in a breaking way.

mod cli_support;

use std::path::Path;

use cli_support::{remove_operation, replace_once, workspace, Scratch};

fn generate(contracts: &Path) -> Vec<soapgen::GeneratedFile> {
    soapgen::Generator::new()
        .runtime_path("crate::soap")
        .contracts_in(contracts)
        .generate()
        .expect("contracts generate")
}

fn vendored(service: &str) -> String {
    std::fs::read_to_string(workspace().join(format!("wsdl/nmbrs/v3/{service}.wsdl"))).unwrap()
}

#[test]
fn blessing_writes_surfaces_and_breaking_changes_warn() {
    let scratch = Scratch::new("build-warning");
    scratch.write("wsdl/nmbrs/v3/DebtorService.wsdl", &vendored("DebtorService"));
    scratch.write("wsdl/nmbrs/v3/SingleSignOn.wsdl", &vendored("SingleSignOn"));
    let generated = scratch.path("generated");

    // Before blessing there is nothing to compare with: say so.
    let files = generate(&scratch.path("wsdl"));
    let warnings = soapgen::api_check::check_generated(&generated, &files, false).unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].starts_with("generated/nmbrs/v3/debtor_service.api is missing"), "{}", warnings[0]);

    // Blessing writes one surface per file; then the same contracts warn about nothing.
    assert!(soapgen::api_check::check_generated(&generated, &files, true).unwrap().is_empty());
    let surface = std::fs::read_to_string(generated.join("nmbrs/v3/debtor_service.api")).unwrap();
    assert!(surface.starts_with("# soapgen api 2\ncontract\twsdl/nmbrs/v3/DebtorService.wsdl\n"), "{surface}");
    assert!(generated.join("nmbrs/v3/single_sign_on.api").is_file());
    assert!(soapgen::api_check::check_generated(&generated, &files, false).unwrap().is_empty());

    // An additive change (an optional field of a type replies carry) does not warn.
    scratch.write(
        "wsdl/nmbrs/v3/DebtorService.wsdl",
        &replace_once(
            &vendored("DebtorService"),
            "<s:complexType name=\"Debtor\">\n        <s:sequence>\n",
            "<s:complexType name=\"Debtor\">\n        <s:sequence>\n          \
             <s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Region\" type=\"s:string\" />\n",
        ),
    );
    let files = generate(&scratch.path("wsdl"));
    let warnings = soapgen::api_check::check_generated(&generated, &files, false).unwrap();
    assert!(warnings.is_empty(), "{warnings:#?}");

    // A removed operation warns, naming the contract, the change and how to see the rest.
    scratch
        .write("wsdl/nmbrs/v3/DebtorService.wsdl", &remove_operation(&vendored("DebtorService"), "Function_GetList"));
    let files = generate(&scratch.path("wsdl"));
    let warnings = soapgen::api_check::check_generated(&generated, &files, false).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    let w = &warnings[0];
    assert!(
        w.starts_with(
            "wsdl/nmbrs/v3/DebtorService.wsdl changed in a way that breaks callers (1 breaking change against \
             generated/nmbrs/v3/debtor_service.api): BREAKING DebtorService.Function_GetList: operation removed"
        ),
        "{w}"
    );
    assert!(
        w.ends_with("(details: `soapgen diff generated/nmbrs/v3/debtor_service.api wsdl/nmbrs/v3/DebtorService.wsdl`)")
    );
    assert!(!w.contains('\n'), "a cargo:warning is one line");

    // Blessing accepts it: the surface follows the contract and the warning goes.
    assert!(soapgen::api_check::check_generated(&generated, &files, true).unwrap().is_empty());
    assert!(soapgen::api_check::check_generated(&generated, &files, false).unwrap().is_empty());
}

#[test]
fn many_breaking_changes_are_summed_up() {
    let scratch = Scratch::new("build-warning-many");
    scratch.write("wsdl/nmbrs/v3/DebtorService.wsdl", &vendored("DebtorService"));
    let generated = scratch.path("generated");
    soapgen::api_check::check_generated(&generated, &generate(&scratch.path("wsdl")), true).unwrap();
    let mut text = vendored("DebtorService");
    for op in ["Environment_Get", "List_GetAll", "Department_GetList"] {
        text = remove_operation(&text, op);
    }
    let text = text.replace("soap/v3/DebtorService/Function_GetList\"", "soap/v3/DebtorService/Function_GetList2\"");
    let text =
        replace_once(&text, "<s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"SubDomain\" type=\"s:string\" />", "");
    scratch.write("wsdl/nmbrs/v3/DebtorService.wsdl", &text);
    let warnings = soapgen::api_check::check_generated(&generated, &generate(&scratch.path("wsdl")), false).unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("(6 breaking changes against"), "{}", warnings[0]);
    assert!(warnings[0].contains("; and 1 more (details:"), "{}", warnings[0]);
}

#[test]
fn an_unreadable_surface_warns_with_its_line() {
    let scratch = Scratch::new("build-warning-bad");
    scratch.write("wsdl/nmbrs/v3/SingleSignOn.wsdl", &vendored("SingleSignOn"));
    scratch.write("generated/nmbrs/v3/single_sign_on.api", "# soapgen api 1\nop\tSingleSignOn\tGetToken\n");
    let files = generate(&scratch.path("wsdl"));
    let warnings = soapgen::api_check::check_generated(&scratch.path("generated"), &files, false).unwrap();
    assert_eq!(
        warnings,
        ["generated/nmbrs/v3/single_sign_on.api:2: `op` takes 9 words, found 2: \
          run `SOAPGEN_BLESS=1 cargo build` and commit it"]
    );
}
