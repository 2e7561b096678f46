//! `soapgen inspect`: on a vendored contract and on bad input (the reference corpus's
//! EmployeeService is inspected in `reference-tests`).

mod cli_support;

use cli_support::{soapgen, Scratch};

#[test]
fn inspects_a_vendored_contract() {
    let run = soapgen(&["inspect", "wsdl/nmbrs/v3/DebtorService.wsdl"], None);
    run.expect_code(0);
    let out = &run.stdout;
    assert!(
        out.starts_with(
            "contract   wsdl/nmbrs/v3/DebtorService.wsdl\nnamespace  https://api.nmbrs.nl/soap/v3/DebtorService\n"
        ),
        "{out}"
    );
    assert!(out.contains("  port DebtorServiceSoap12  SOAP 1.2  https://api.nmbrs.nl/soap/v3/DebtorService.asmx\n"));
    let at = out.find("\n  Environment_Get\n").expect("Environment_Get is listed");
    assert!(out[at..].contains("    header      AuthHeader\n"));
    let debtor = "\n  struct Debtor (type Debtor)\n    Id      id: i32                 required\n    \
                  Number  number: Option<String>  optional\n";
    assert!(out.contains(debtor), "{out}");
}

#[test]
fn a_missing_file_or_a_broken_contract_is_an_error_naming_it() {
    let run = soapgen(&["inspect", "no/such/Contract.wsdl"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("no/such/Contract.wsdl"), "{}", run.stderr);

    let scratch = Scratch::new("inspect-broken");
    let broken = scratch
        .write("Broken.wsdl", "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n<wsdl:message>");
    let run = soapgen(&["inspect", broken.to_str().unwrap()], None);
    run.expect_code(2);
    assert!(run.stderr.contains("Broken.wsdl"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn usage_errors_exit_with_2() {
    soapgen(&["inspect"], None).expect_code(2);
    let run = soapgen(&["inspect", "wsdl/nmbrs/v3/DebtorService.wsdl", "--jsn"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown option `--jsn`"), "{}", run.stderr);
    let run = soapgen(&["frobnicate"], None);
    run.expect_code(2);
    assert!(run.stderr.contains("unknown command `frobnicate`") && run.stderr.contains("usage:"));
    soapgen(&["help"], None).expect_code(0);
}
