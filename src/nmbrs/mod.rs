//! Nmbrs payroll SOAP API v3.

/// Generated bindings of the vendored Nmbrs v3 contracts (`wsdl/nmbrs/v3/`).
pub mod generated {
    /// `DebtorService`.
    pub mod debtor_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/debtor_service.rs"));
    }
    /// `CompanyService`.
    pub mod company_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/company_service.rs"));
    }
    /// `EmployeeService`.
    pub mod employee_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/employee_service.rs"));
    }
    /// `ReportService`.
    pub mod report_service {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/report_service.rs"));
    }
    /// `SingleSignOn`.
    pub mod single_sign_on {
        include!(concat!(env!("OUT_DIR"), "/nmbrs/v3/single_sign_on.rs"));
    }
}
