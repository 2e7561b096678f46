//! Typed, async SOAP bindings for the Nmbrs payroll API v3 and the Data Zoo identity-verification API.

pub mod soap;
