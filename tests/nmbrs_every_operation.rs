//! Every operation of the five v3 contracts, sent once through the client with default arguments
//! (SOAP 1.1 and 1.2): each reaches the mock, which reads it with its generated request type.
//! Operations the mock implements answer (a reply, or a Nmbrs error about the arguments); the
//! others answer a fault naming the operation. The list comes from `operations::ALL` and the
//! types from `operations::visit`, so it follows the contracts.
#![cfg(all(feature = "nmbrs", feature = "mock"))]

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use soapbind::mock::nmbrs::MockNmbrs;
use soapbind::nmbrs::generated::{
    company_service as cs, debtor_service as ds, employee_service as es, report_service as rs, single_sign_on as sso,
};
use soapbind::nmbrs::{Caller, Client, Error};
use soapbind::soap::xml::Element;
use soapbind::soap::{Call, Operation, OperationVisitor, SoapVersion};

type Sent = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// A service: its operations, its generated `operations::visit`, and a caller.
type ServiceRow = (&'static [&'static Operation], fn(&str, SendDefault) -> Option<Sent>, Caller);

/// Sends `Req::default()` as the visited operation, with the header type the operation declares
/// in its service's module.
struct SendDefault {
    caller: Caller,
}

impl OperationVisitor for SendDefault {
    type Output = Sent;

    fn visit<Req, Resp>(self, op: &'static Operation) -> Sent
    where
        Req: Element + Default + Send + Sync + 'static,
        Resp: Element + Default + Send + 'static,
    {
        Box::pin(async move {
            let body = Req::default();
            let c = &self.caller;
            match (op.service, op.header) {
                (_, None) => c.call::<soapbind::soap::NoHeader, Req, Resp>(op, &body).await,
                ("DebtorService", Some("AuthHeader")) => c.call::<ds::AuthHeader, Req, Resp>(op, &body).await,
                ("DebtorService", _) => c.call::<ds::AuthHeaderWithDomain, Req, Resp>(op, &body).await,
                ("CompanyService", _) => c.call::<cs::AuthHeaderWithDomain, Req, Resp>(op, &body).await,
                ("EmployeeService", _) => c.call::<es::AuthHeaderWithDomain, Req, Resp>(op, &body).await,
                ("ReportService", _) => c.call::<rs::AuthHeaderWithDomain, Req, Resp>(op, &body).await,
                (service, Some(header)) => panic!("{service}.{}: no header type for {header}", op.name),
            }
            .map(|_| ())
        })
    }
}

/// `(operation, the request sent)` for every operation of every service.
fn every_operation(client: &Client) -> Vec<(&'static Operation, Sent)> {
    let mut sent = Vec::new();
    let services: [ServiceRow; 5] = [
        (ds::operations::ALL, ds::operations::visit, client.debtor().caller().clone()),
        (cs::operations::ALL, cs::operations::visit, client.company().caller().clone()),
        (es::operations::ALL, es::operations::visit, client.employee().caller().clone()),
        (rs::operations::ALL, rs::operations::visit, client.report().caller().clone()),
        (sso::operations::ALL, sso::operations::visit, client.single_sign_on().caller().clone()),
    ];
    for (all, visit, caller) in services {
        for op in all {
            let request = visit(op.name, SendDefault { caller: caller.clone() }).expect("visit knows every operation");
            sent.push((*op, request));
        }
    }
    sent
}

async fn every_operation_reaches_the_mock(version: SoapVersion) {
    let mock = MockNmbrs::start().await.unwrap();
    let client = mock.client_builder().soap_version(version).build().unwrap();
    client.domain().await.expect("the domain is discovered before the calls");
    mock.clear_requests();
    let (mut implemented, mut not_implemented) = (0, 0);
    for (op, request) in every_operation(&client) {
        let result = tokio::time::timeout(Duration::from_secs(60), request).await.expect("a call hung");
        let named = format!("{}.{} is not implemented by MockNmbrs", op.service, op.name);
        match result {
            Ok(()) => implemented += 1,
            Err(Error::Api(fault)) if fault.text.contains(&named) => not_implemented += 1,
            // An implemented operation refusing the default arguments with a Nmbrs error code.
            Err(e) if e.code().is_some() && !e.to_string().contains("not implemented") => implemented += 1,
            Err(e) => panic!("{}.{}: {e}", op.service, op.name),
        }
        let received = mock.requests().iter().filter(|r| r.service == op.service && r.operation == op.name).count();
        assert!(received >= 1, "{}.{} did not reach the mock", op.service, op.name);
    }
    let total =
        [ds::operations::ALL, cs::operations::ALL, es::operations::ALL, rs::operations::ALL, sso::operations::ALL]
            .iter()
            .map(|all| all.len())
            .sum::<usize>();
    assert_eq!(implemented + not_implemented, total);
    assert!(implemented >= 20, "only {implemented} operations implemented");
    mock.shutdown().await;
}

#[tokio::test]
async fn every_operation_reaches_the_mock_soap11() {
    every_operation_reaches_the_mock(SoapVersion::V11).await;
}

#[tokio::test]
async fn every_operation_reaches_the_mock_soap12() {
    every_operation_reaches_the_mock(SoapVersion::V12).await;
}
