//! The README's coverage table states the operation count of each Nmbrs v3 service: it must equal
//! the generated `operations::ALL`, so the stated coverage cannot drift from the contracts.
#![cfg(feature = "nmbrs")]

use soapbind::nmbrs::generated::{
    company_service as cs, debtor_service as ds, employee_service as es, report_service as rs, single_sign_on as sso,
};

#[test]
fn readme_states_the_operation_count_of_every_service() {
    let readme = include_str!("../README.md");
    let table = readme.split("### Coverage").nth(1).expect("README.md has a \"Coverage\" section");
    let rows: Vec<(String, usize)> = table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
            let count = cells[1].parse().unwrap_or_else(|_| panic!("README.md: not a count in {row}"));
            (cells[0].to_owned(), count)
        })
        .collect();
    let actual: Vec<(String, usize)> = [
        ("DebtorService", ds::operations::ALL.len()),
        ("CompanyService", cs::operations::ALL.len()),
        ("EmployeeService", es::operations::ALL.len()),
        ("ReportService", rs::operations::ALL.len()),
        ("SingleSignOn", sso::operations::ALL.len()),
    ]
    .into_iter()
    .map(|(s, n)| (s.to_owned(), n))
    .collect();
    assert_eq!(rows, actual, "README.md's coverage table differs from the contracts");
}

#[test]
fn the_contracts_hold_at_least_the_real_services_operations() {
    assert!(ds::operations::ALL.len() >= 23);
    assert!(cs::operations::ALL.len() >= 98);
    assert!(es::operations::ALL.len() >= 191);
    assert_eq!(sso::operations::ALL.len(), 3);
    assert!(rs::operations::ALL.len() >= 5);
}
