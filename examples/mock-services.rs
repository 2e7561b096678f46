//! Starts the mock Nmbrs and Data Zoo services on 127.0.0.1, prints their URLs and the test
//! credentials, and runs until Ctrl-C, so any SOAP client (zeep, SoapUI, a browser for `?WSDL`)
//! can be pointed at them.
//!
//! `cargo run --example mock-services`

use soapbind::mock::datazoo::{self, MockDataZoo};
use soapbind::mock::nmbrs::{self, MockNmbrs};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let nmbrs = MockNmbrs::start().await?;
    let datazoo = MockDataZoo::start().await?;
    let base = nmbrs.base_url();
    println!("Nmbrs SOAP API v3 (mock)");
    for service in ["DebtorService", "CompanyService", "EmployeeService", "ReportService", "SingleSignOn"] {
        println!("  {base}{service}.asmx        WSDL: {base}{service}.asmx?WSDL");
    }
    println!("  username (e-mail): {}", nmbrs::USERNAME);
    println!("  API token:         {}", nmbrs::TOKEN);
    println!("  domain:            {}", nmbrs::DOMAIN);
    println!();
    println!("Data Zoo (mock)");
    println!("  SOAP 1.2:  {}        WSDL: {}?WSDL", datazoo.base_url(), datazoo.base_url());
    println!(
        "  REST:      {}/api/Authenticate.json, {}/api/Authenticate.xml",
        datazoo.rest_base_url(),
        datazoo.rest_base_url()
    );
    println!("  user name: {}", datazoo::USER_NAME);
    println!("  password:  {}", datazoo::PASSWORD);
    println!();
    println!("These are test credentials of the local mock, not secrets. Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    nmbrs.shutdown().await;
    Ok(())
}
