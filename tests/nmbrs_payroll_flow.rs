//! A payroll month against the mock through the generated client: bank account, contract, fixed
//! and variable wage components, an hour component (each read back), then the run's payslips show
//! what was entered.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::nmbrs::Error;
use soapbind::soap::xml::Decimal;

const EMPLOYEE: i32 = 100;
const COMPANY: i32 = 10;

#[tokio::test]
async fn a_payroll_month() -> Result<(), Error> {
    let mock = MockNmbrs::start().await.unwrap();
    let client = mock.client()?;
    let employee = client.employee();

    let account = es::BankAccount { iban: Some("NL91ABNA0417164300".into()), ..Default::default() };
    let account_id = employee.bank_account_insert_current(EMPLOYEE, Some(account)).await?;
    let accounts = employee.bank_account_get_list_current(EMPLOYEE).await?;
    assert_eq!(accounts.len(), 2, "the seeded account and the new one");
    assert_eq!(accounts[1].id, account_id);
    assert_eq!(accounts[1].iban.as_deref(), Some("NL91ABNA0417164300"));

    let refused = employee.bank_account_insert_current(EMPLOYEE, Some(Default::default())).await.unwrap_err();
    assert_eq!(refused.code().map(|c| c.number()), Some(2032));

    let contract = es::ContractV2 { employement_type: 1, indefinite: Some(false), ..Default::default() };
    employee.contract_insert_current_period_v2(EMPLOYEE, Some(contract)).await?;
    assert_eq!(employee.contract_get_all_v2(EMPLOYEE).await?.len(), 2);

    let fixed = es::WageComponentFixedInsertCurrentWageComponent {
        code: 1021,
        value: Decimal::new(15_000, 2),
        ..Default::default()
    };
    employee.wage_component_fixed_insert_current(EMPLOYEE, Some(fixed)).await?;
    let variable = es::WageComponentVarInsertCurrentWageComponent {
        code: 1180,
        value: Decimal::new(4_250, 2),
        ..Default::default()
    };
    employee.wage_component_var_insert_current(EMPLOYEE, Some(variable)).await?;
    let hours = es::HourComponent { hour_code: 2, hours: Decimal::new(8, 0), ..Default::default() };
    employee.hour_component_var_insert_current(EMPLOYEE, Some(hours)).await?;

    // The components read back with their fields (the list items are types declared inline).
    let fixed = employee.wage_component_fixed_get_current(EMPLOYEE).await?;
    assert_eq!(fixed.iter().map(|c| (c.code, c.value)).collect::<Vec<_>>(), [(1021, Decimal::new(15_000, 2))]);
    let variable = employee.wage_component_var_get_current(EMPLOYEE).await?;
    assert_eq!(variable.iter().map(|c| (c.code, c.value)).collect::<Vec<_>>(), [(1180, Decimal::new(4_250, 2))]);
    let hours = employee.hour_component_var_get_current(EMPLOYEE).await?;
    assert_eq!(hours.iter().map(|c| (c.hour_code, c.hours)).collect::<Vec<_>>(), [(2, Decimal::new(8, 0))]);
    assert!(hours[0].id > 0, "the id the insert returned");
    assert!(employee.hour_component_fixed_get_current(EMPLOYEE).await?.is_empty());

    let refused = employee.wage_component_var_insert_current(EMPLOYEE, Some(Default::default())).await.unwrap_err();
    assert_eq!(refused.code().map(|c| c.number()), Some(2002));

    let run = client.company().run_get_list(COMPANY, 2024).await?.remove(0);
    let payslips = client.company().reports_get_payslip_by_run_company_v2(COMPANY, run.id, 2024).await?;
    let payslips = payslips.expect("a report");
    assert!(payslips.contains(r#"<Line Code="1021" Kind="fixed">150.00</Line>"#), "{payslips}");
    assert!(payslips.contains(r#"<Line Code="1180" Kind="variable">42.50</Line>"#), "{payslips}");
    mock.shutdown().await;
    Ok(())
}
