//! Data Zoo identity-verification API: SOAP 1.2 service and REST login.

/// Generated bindings of the vendored Data Zoo contracts (`wsdl/datazoo/`).
pub mod generated {
    /// The SOAP service (`DataZoo.wsdl`).
    pub mod data_zoo {
        include!(concat!(env!("OUT_DIR"), "/datazoo/data_zoo.rs"));
    }
    /// The REST XML login models (`RestModels.xsd`).
    pub mod rest_models {
        include!(concat!(env!("OUT_DIR"), "/datazoo/rest_models.rs"));
    }
}
