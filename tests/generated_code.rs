//! The generator's golden outputs (`soapgen/tests/golden/*.rs`) compile against the runtime and
//! read and write XML as the contracts say: unknown elements and enumeration values are
//! tolerated, missing required elements are errors naming the path, `xsi:nil` works with `xsi`
//! declared on the envelope, and requests are qualified as the schema says.

use soapbind::soap::envelope::{self, ResponseBody};
use soapbind::soap::xml::{DeErrorKind, Element, XmlWriter};
use soapbind::soap::{NoHeader, SoapVersion};

#[allow(dead_code, clippy::all)]
mod wrapped {
    include!("../soapgen/tests/golden/wrapped.rs");
}

#[allow(dead_code, clippy::all)]
mod types {
    include!("../soapgen/tests/golden/types.rs");
}

#[allow(dead_code, clippy::all)]
mod rpc {
    include!("../soapgen/tests/golden/rpc.rs");
}

#[allow(dead_code, clippy::all)]
mod ports {
    include!("../soapgen/tests/golden/ports.rs");
}

#[allow(dead_code, clippy::all)]
mod schemas {
    include!("../soapgen/tests/golden/schemas.rs");
}

mod soap_support;

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Body>{body}</soap:Body>
</soap:Envelope>"#
    )
}

fn read<R: Element>(xml: &str) -> Result<R, soapbind::soap::xml::DeError> {
    match envelope::read_response::<R>(xml.as_bytes())?.body {
        ResponseBody::Reply(reply) => Ok(reply),
        ResponseBody::Fault(f) => panic!("unexpected fault {f}"),
    }
}

const ORDER: &str = r#"<Order_GetResponse xmlns="urn:golden:wrapped"><Order_GetResult>
  <Id>0f8fad5b-d9cb-469f-a165-70867728950e</Id>
  <Customer>Jan &amp; Anton</Customer>
  <Total>1234.10</Total>
  <Placed>2017-08-11T00:00:00</Placed>
  <Shipped xsi:nil="true"/>
  <Paid>true</Paid>
  <Lines><Line><Quantity>2</Quantity><Weight>1.5</Weight><Shipped>2018-01-09</Shipped></Line><Line xsi:nil="true"/></Lines>
  <Attachment>aGVsbG8=</Attachment>
</Order_GetResult></Order_GetResponse>"#;

#[test]
fn a_wrapped_reply_reads_with_typed_values() {
    let reply: wrapped::OrderGetResponse = read(&envelope(ORDER)).expect("reads");
    let order = reply.order_get_result.expect("a result");
    assert_eq!(order.id.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
    assert_eq!(order.customer.as_deref(), Some("Jan & Anton"));
    assert_eq!(order.total.to_string(), "1234.10");
    assert_eq!(order.placed.to_string(), "2017-08-11T00:00:00");
    assert_eq!(order.shipped, None);
    assert!(order.paid);
    let lines = order.lines.expect("lines").line;
    assert_eq!(lines.len(), 1, "the nil entry is skipped");
    assert_eq!(lines[0].quantity, 2);
    assert_eq!(order.attachment.expect("attachment").0, b"hello");
}

#[test]
fn unknown_elements_and_enumeration_values_are_tolerated() {
    let extra = ORDER
        .replace("<Paid>", "<Discount><Amount>5</Amount></Discount><x:Note xmlns:x=\"urn:other\">hi</x:Note><Paid>");
    let reply: wrapped::OrderGetResponse = read(&envelope(&extra)).expect("extra elements are skipped");
    assert!(reply.order_get_result.expect("a result").paid);

    let account = r#"<OpenAccount xmlns="urn:golden:types" currency="EUR"><Type>Crypto</Type><Rate>1.5</Rate><Future>x</Future></OpenAccount>"#;
    let account: types::OpenAccount = read(&envelope(account)).expect("an unknown enumeration value reads");
    assert_eq!(account.0.r#type, types::BankAccountType::Other("Crypto".into()));
    assert_eq!(account.0.r#type.as_str(), "Crypto");
    assert_eq!(account.0.currency, "EUR");
}

#[test]
fn a_missing_required_element_names_its_path() {
    let missing = ORDER.replace("<Total>1234.10</Total>", "");
    let err = read::<wrapped::OrderGetResponse>(&envelope(&missing)).expect_err("Total is required");
    assert_eq!(err.kind(), &DeErrorKind::Missing("Total"));
    assert_eq!(err.path(), "Order_GetResponse/Order_GetResult/Total");

    let bad = ORDER.replace("<Quantity>2</Quantity>", "<Quantity>two</Quantity>");
    let err = read::<wrapped::OrderGetResponse>(&envelope(&bad)).expect_err("not an int");
    assert_eq!(err.path(), "Order_GetResponse/Order_GetResult/Lines/Line/Quantity");
    assert!(err.to_string().contains("`two` is not a valid int"), "{err}");
}

#[test]
fn elements_in_another_namespace_do_not_match() {
    let foreign = ORDER.replace("<Total>1234.10</Total>", r#"<Total xmlns="urn:other">1</Total>"#);
    let err = read::<wrapped::OrderGetResponse>(&envelope(&foreign)).expect_err("Total in the wrong namespace");
    assert_eq!(err.kind(), &DeErrorKind::Missing("Total"));
}

#[test]
fn replies_round_trip_and_requests_are_qualified() {
    let reply: wrapped::OrderGetResponse = read(&envelope(ORDER)).expect("reads");
    let written = envelope::write_request(SoapVersion::V11, &NoHeader, &envelope::body_xml(&reply));
    let again: wrapped::OrderGetResponse = read(&written).expect("reads again");
    assert_eq!(again, reply);

    let mut w = XmlWriter::new();
    wrapped::OrderGet { order_id: reply.order_get_result.as_ref().expect("result").id }.write_element(&mut w);
    assert_eq!(
        w.as_str(),
        r#"<Order_Get xmlns="urn:golden:wrapped"><OrderId>0f8fad5b-d9cb-469f-a165-70867728950e</OrderId></Order_Get>"#
    );

    let mut w = XmlWriter::new();
    let account = types::OpenAccount(types::SavingsAccount {
        currency: "E\"UR".into(),
        r#type: types::BankAccountType::V4weekly,
        rate: "0.25".parse().expect("decimal"),
        ..Default::default()
    });
    account.write_element(&mut w);
    assert_eq!(
        w.as_str(),
        r#"<OpenAccount xmlns="urn:golden:types" currency="E&quot;UR"><Type>4Weekly</Type><Rate>0.25</Rate></OpenAccount>"#
    );
}

#[test]
fn operation_descriptors_carry_the_binding() {
    let op = &wrapped::operations::ORDER_GET;
    assert_eq!(op.header, Some("AuthHeader"));
    assert_eq!(op.soap11_action, Some("urn:golden:wrapped/Order_Get"));
    assert_eq!(op.soap12_action, Some("urn:golden:wrapped/Order_Get"));
    assert_eq!(op.documentation, "Reads one order.");
    let op = &types::operations::OPEN_ACCOUNT;
    assert_eq!((op.soap11_action, op.header), (None, None));
}

#[test]
fn rpc_literal_bodies_wrap_unqualified_parts() {
    let request = rpc::ConvertRequest {
        amount: rpc::Money { amount: "12.50".parse().expect("decimal"), currency: "EUR".into() },
        to: "SEK".into(),
    };
    let mut w = XmlWriter::new();
    request.write_element(&mut w);
    assert_eq!(
        w.as_str(),
        r#"<Convert xmlns="urn:golden:rpc"><amount xmlns=""><Amount>12.50</Amount><Currency>EUR</Currency></amount><to xmlns="">SEK</to></Convert>"#
    );
    let reply = r#"<r:ConvertResponse xmlns:r="urn:golden:rpc"><result><Amount>139.1</Amount><Currency>SEK</Currency></result></r:ConvertResponse>"#;
    let reply: rpc::ConvertResponse = read(&envelope(reply)).expect("reads");
    assert_eq!(reply.result.currency, "SEK");
    assert_eq!(rpc::operations::CONVERT.soap11_action, Some("urn:golden:rpc#Convert"));
}

#[test]
fn a_recursive_type_round_trips_through_its_boxes() {
    let leaf = schemas::Node { name: "leaf".into(), ..Default::default() };
    let owner = schemas::Person { name: "Ann".into(), favourite: Some(Box::new(leaf.clone())) };
    let tree = schemas::Node {
        name: "root".into(),
        parent: Some(Box::new(leaf.clone())),
        children: vec![leaf.clone(), leaf],
        owner: Some(Box::new(owner)),
    };
    let reply = schemas::GetTreeResponse { tree: tree.clone(), data: None };
    let mut w = XmlWriter::new();
    reply.write_element(&mut w);
    let back: schemas::GetTreeResponse = read(&envelope(w.as_str())).expect("reads");
    assert_eq!(back.tree, tree);
    // A nil favourite reads as None.
    let nil = w.as_str().replace("<Favourite><Name>leaf</Name></Favourite>", r#"<Favourite xsi:nil="true"/>"#);
    assert_ne!(nil, w.as_str(), "the favourite is written: {}", w.as_str());
    let back: schemas::GetTreeResponse = read(&envelope(&nil)).expect("reads");
    assert_eq!(back.tree.owner.expect("an owner").favourite, None);
}

#[test]
fn several_input_headers_are_written_in_binding_order() {
    use soapbind::soap::xml::HeaderEntries;
    let headers = ports::NotifyHeaders {
        session: ports::Session { id: "s-1".into() },
        tenant: ports::Tenant { code: "acme".into() },
    };
    let mut w = XmlWriter::new();
    headers.write_entries(&mut w);
    let xml = w.as_str();
    let (session, tenant) = (xml.find("<Session").expect("session"), xml.find("<Tenant").expect("tenant"));
    assert!(session < tenant, "{xml}");
    assert!(xml.contains("<Id>s-1</Id>") && xml.contains("<Code>acme</Code>"), "{xml}");
}

#[tokio::test]
async fn a_one_way_call_returns_when_the_server_accepts_it() {
    use soapbind::soap::PlainCaller;
    let (endpoint, log) = soap_support::fixed_server(202, "text/xml", String::new()).await;
    let client = ports::RatesEventsClient::new(PlainCaller::new(soap_support::client(), endpoint, SoapVersion::V11));
    client.ping(ports::Ping::default()).await.expect("an empty 202 is success");
    assert_eq!(log.lock().unwrap().len(), 1);

    // A fault is still an error.
    let fault = soap_support::envelope_of(
        SoapVersion::V11,
        "<soap:Fault><faultcode>soap:Server</faultcode><faultstring>down</faultstring></soap:Fault>",
    );
    let (endpoint, _) = soap_support::fixed_server(500, "text/xml", fault).await;
    let client = ports::RatesEventsClient::new(PlainCaller::new(soap_support::client(), endpoint, SoapVersion::V11));
    let error = client.ping(ports::Ping::default()).await.expect_err("a fault");
    assert!(matches!(error, soapbind::soap::Error::Fault { .. }), "{error:?}");
}

#[test]
fn a_dataset_reads_as_raw_xml_and_is_written_back_as_it_came() {
    let data = r#"<Data><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" id="NewDataSet"/><diffgr:diffgram xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><Row>1</Row></diffgr:diffgram></Data>"#;
    let xml = format!(
        r#"<GetTreeResponse xmlns="urn:golden:schemas"><Tree><Name xmlns="urn:golden:schemas:types">t</Name></Tree>{data}</GetTreeResponse>"#
    );
    let reply: schemas::GetTreeResponse = read(&envelope(&xml)).expect("reads");
    let any = reply.data.as_ref().expect("data").any.clone();
    assert_eq!(any.len(), 2, "{any:?}");
    assert!(any[0].starts_with("<xs:schema ") && any[1].ends_with("</diffgr:diffgram>"), "{any:?}");
    let mut w = XmlWriter::new();
    reply.write_element(&mut w);
    assert!(w.as_str().contains(&any.concat()), "{}", w.as_str());
}
