//! A payroll month against the mock through the generated client: bank account, contract, fixed
//! and variable wage components, an hour component (each read back), then the run's payslips show
//! what was entered.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::{company_service as cs, employee_service as es};
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
    let request = es::BankAccountInsertCurrent { employee_id: EMPLOYEE, bank_account: Some(account) };
    let account_id = employee.bank_account_insert_current(request).await?.bank_account_insert_current_result;
    let accounts =
        employee.bank_account_get_list_current(es::BankAccountGetListCurrent { employee_id: EMPLOYEE }).await?;
    let accounts = accounts.bank_account_get_list_current_result.unwrap_or_default().bank_account;
    assert_eq!(accounts.len(), 2, "the seeded account and the new one");
    assert_eq!(accounts[1].id, account_id);
    assert_eq!(accounts[1].iban.as_deref(), Some("NL91ABNA0417164300"));

    let missing_iban = es::BankAccountInsertCurrent { employee_id: EMPLOYEE, bank_account: Some(Default::default()) };
    let refused = employee.bank_account_insert_current(missing_iban).await.unwrap_err();
    assert_eq!(refused.code().map(|c| c.number()), Some(2032));

    let contract = es::ContractV2 { employement_type: 1, indefinite: Some(false), ..Default::default() };
    let request = es::ContractInsertCurrentPeriodV2 { employee_id: EMPLOYEE, contract: Some(contract) };
    employee.contract_insert_current_period_v2(request).await?;
    let contracts = employee.contract_get_all_v2(es::ContractGetAllV2 { employee_id: EMPLOYEE }).await?;
    assert_eq!(contracts.contract_get_all_v2_result.unwrap_or_default().contract_v2.len(), 2);

    let fixed = es::WageComponentFixedInsertCurrentWageComponent {
        code: 1021,
        value: Decimal::new(15_000, 2),
        ..Default::default()
    };
    let request = es::WageComponentFixedInsertCurrent { employee_id: EMPLOYEE, wage_component: Some(fixed) };
    employee.wage_component_fixed_insert_current(request).await?;
    let variable = es::WageComponentVarInsertCurrentWageComponent {
        code: 1180,
        value: Decimal::new(4_250, 2),
        ..Default::default()
    };
    let request = es::WageComponentVarInsertCurrent { employee_id: EMPLOYEE, wage_component: Some(variable) };
    employee.wage_component_var_insert_current(request).await?;
    let hours = es::HourComponent { hour_code: 2, hours: Decimal::new(8, 0), ..Default::default() };
    let request = es::HourComponentVarInsertCurrent { employee_id: EMPLOYEE, hourcomponent: Some(hours) };
    employee.hour_component_var_insert_current(request).await?;

    // The components read back with their fields (the list items are types declared inline).
    let fixed = employee.wage_component_fixed_get_current(es::WageComponentFixedGetCurrent { employee_id: EMPLOYEE });
    let fixed = fixed.await?.wage_component_fixed_get_current_result.unwrap_or_default().wage_component;
    assert_eq!(fixed.iter().map(|c| (c.code, c.value)).collect::<Vec<_>>(), [(1021, Decimal::new(15_000, 2))]);
    let variable = employee.wage_component_var_get_current(es::WageComponentVarGetCurrent { employee_id: EMPLOYEE });
    let variable = variable.await?.wage_component_var_get_current_result.unwrap_or_default().wage_component;
    assert_eq!(variable.iter().map(|c| (c.code, c.value)).collect::<Vec<_>>(), [(1180, Decimal::new(4_250, 2))]);
    let hours = employee.hour_component_var_get_current(es::HourComponentVarGetCurrent { employee_id: EMPLOYEE });
    let hours = hours.await?.hour_component_var_get_current_result.unwrap_or_default().hour_component;
    assert_eq!(hours.iter().map(|c| (c.hour_code, c.hours)).collect::<Vec<_>>(), [(2, Decimal::new(8, 0))]);
    assert!(hours[0].id > 0, "the id the insert returned");
    let none = employee.hour_component_fixed_get_current(es::HourComponentFixedGetCurrent { employee_id: EMPLOYEE });
    assert!(none.await?.hour_component_fixed_get_current_result.unwrap_or_default().hour_component.is_empty());

    let bad_code =
        es::WageComponentVarInsertCurrent { employee_id: EMPLOYEE, wage_component: Some(Default::default()) };
    let refused = employee.wage_component_var_insert_current(bad_code).await.unwrap_err();
    assert_eq!(refused.code().map(|c| c.number()), Some(2002));

    let runs = client.company().run_get_list(cs::RunGetList { company_id: COMPANY, year: 2024 }).await?;
    let run = runs.run_get_list_result.unwrap_or_default().run_info.remove(0);
    let request = cs::ReportsGetPayslipByRunCompanyV2 { company_id: COMPANY, run_id: run.id, int_year: 2024 };
    let payslips = client.company().reports_get_payslip_by_run_company_v2(request).await?;
    let payslips = payslips.reports_get_payslip_by_run_company_v2_result.expect("a report");
    assert!(payslips.contains(r#"<Line Code="1021" Kind="fixed">150.00</Line>"#), "{payslips}");
    assert!(payslips.contains(r#"<Line Code="1180" Kind="variable">42.50</Line>"#), "{payslips}");
    mock.shutdown().await;
    Ok(())
}
