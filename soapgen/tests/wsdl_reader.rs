//! Tests of the WSDL 1.1 reader on small WSDLs written here. The vendored contracts are read in
//! `vendored_contracts.rs`, the reference corpus's Nmbrs v2.1 WSDLs in `reference-tests`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use soapgen::wsdl::{self, Definitions, HeaderRef, QName, SoapVersion, Style, WsdlError};

// ------------------------------------------------------------------ helpers

/// A fresh, empty scratch directory.
fn scratch_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "soapgen-wsdl-reader-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

/// Reads `text` written to `dir/name`.
fn read_text(dir: &Path, name: &str, text: &str) -> Result<Definitions, WsdlError> {
    wsdl::read(&write(dir, name, text))
}

/// Fails unless the text is well-formed XML.
fn assert_well_formed(text: &str, what: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what} is not well-formed at byte {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "{what}: unclosed elements");
}

fn qname(ns: &str, local: &str) -> QName {
    QName { ns: ns.to_owned(), local: local.to_owned() }
}

const WSDL_HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="urn:test"
    targetNamespace="urn:test" name="Test">
"#;

// ------------------------------------------------------------------ small WSDLs

#[test]
fn rpc_literal_kept_and_rpc_encoded_skipped() {
    let dir = scratch_dir("rpc");
    let text = format!(
        r#"{WSDL_HEAD}
  <wsdl:message name="AddIn">
    <wsdl:part name="a" type="xs:int"/>
    <wsdl:part name="b" type="xs:int"/>
  </wsdl:message>
  <wsdl:message name="AddOut"><wsdl:part name="sum" type="xs:int"/></wsdl:message>
  <wsdl:portType name="CalcPort">
    <wsdl:operation name="Add">
      <wsdl:documentation>Adds &lt;a&gt; &amp; <b>b</b>&#x21;
        Second line,   spaced.
          Indented more.
      </wsdl:documentation>
      <wsdl:input message="tns:AddIn"/>
      <wsdl:output message="tns:AddOut"/>
    </wsdl:operation>
    <wsdl:operation name="AddOld">
      <wsdl:input message="tns:AddIn"/>
      <wsdl:output message="tns:AddOut"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="CalcSoap" type="tns:CalcPort">
    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Add">
      <soap:operation soapAction="urn:test#Add"/>
      <wsdl:input><soap:body use="literal" namespace="urn:test:rpc" parts="a b"/></wsdl:input>
      <wsdl:output><soap:body use="literal" namespace="urn:test:rpc-out"/></wsdl:output>
    </wsdl:operation>
    <wsdl:operation name="AddOld">
      <soap:operation soapAction="urn:test#AddOld"/>
      <wsdl:input><soap:body use="encoded" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" namespace="urn:test:rpc"/></wsdl:input>
      <wsdl:output><soap:body use="encoded" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" namespace="urn:test:rpc"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="CalcHttpGet" type="tns:CalcPort">
    <http:binding verb="GET"/>
    <wsdl:operation name="Add"><http:operation location="/Add"/></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="Calc">
    <wsdl:documentation>The calculator.</wsdl:documentation>
    <wsdl:port name="CalcSoap" binding="tns:CalcSoap">
      <soap:address location="http://example.com/calc?a=1&amp;b=&#x32;"/>
    </wsdl:port>
    <wsdl:port name="CalcHttpGet" binding="tns:CalcHttpGet">
      <http:address location="http://example.com/calc"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"#
    );
    let defs = read_text(&dir, "Calc.wsdl", &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(defs.name.as_deref(), Some("Test"));
    assert_eq!(defs.target_namespace, "urn:test");

    let ops = &defs.port_types["CalcPort"].operations;
    assert_eq!(ops[0].documentation, "Adds <a> & b!\nSecond line,   spaced.\n  Indented more.");
    assert_eq!(ops[1].documentation, "");
    assert_eq!(defs.messages["AddIn"].parts[1].type_, Some(qname("http://www.w3.org/2001/XMLSchema", "int")));

    assert_eq!(defs.bindings.len(), 1);
    let binding = &defs.bindings["CalcSoap"];
    assert_eq!(binding.style, Style::Rpc);
    assert_eq!(binding.version, SoapVersion::Soap11);
    assert_eq!(binding.operations.len(), 1);
    let add = &binding.operations[0];
    assert_eq!(add.name, "Add");
    assert_eq!(add.style, Style::Rpc);
    assert_eq!(add.soap_action, "urn:test#Add");
    assert_eq!(add.input_namespace.as_deref(), Some("urn:test:rpc"));
    assert_eq!(add.output_namespace.as_deref(), Some("urn:test:rpc-out"));
    assert_eq!(add.input_body_parts, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(add.output_body_parts, None);

    assert!(defs.notes.iter().any(|n| n.contains("AddOld") && n.contains("rpc/encoded")), "{:#?}", defs.notes);
    assert!(
        defs.notes.contains(&"binding CalcHttpGet skipped: HTTP GET binding is not SOAP".to_owned()),
        "{:#?}",
        defs.notes
    );
    assert!(defs.notes.iter().any(|n| n.starts_with("port CalcHttpGet of service Calc skipped")), "{:#?}", defs.notes);
    assert_eq!(defs.services[0].documentation, "The calculator.");
    assert_eq!(defs.services[0].ports.len(), 1);
    assert_eq!(defs.services[0].ports[0].address, "http://example.com/calc?a=1&b=2");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn soap12_headers_and_prefixes_resolved_not_compared() {
    let dir = scratch_dir("prefixes");
    // The same namespace under three prefixes, one declared on the message element only; the
    // default namespace is WSDL's.
    let text = r#"<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
    xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/"
    xmlns:a="urn:test" targetNamespace="urn:test">
  <types>
    <schema xmlns="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:test">
      <element name="Ping" type="string"/>
      <element name="Auth" type="string"/>
    </schema>
  </types>
  <message name="PingIn"><part name="p" element="a:Ping"/></message>
  <message name="AuthIn" xmlns:zz="urn:test"><part name="h" element="zz:Auth"/></message>
  <portType name="P">
    <operation name="Ping"><input message="a:PingIn"/></operation>
  </portType>
  <binding name="B" type="a:P">
    <s12:binding/>
    <operation name="Ping">
      <s12:operation soapAction="urn:ping" style="document"/>
      <input>
        <s12:body use="literal"/>
        <s12:header xmlns:q="urn:test" message="q:AuthIn" part="h" use="literal"/>
      </input>
    </operation>
  </binding>
  <service name="S">
    <port name="BP" binding="a:B"><s12:address location="https://example.com/s"/></port>
  </service>
</definitions>
"#;
    let defs = read_text(&dir, "P.wsdl", text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(defs.messages["AuthIn"].parts[0].element, Some(qname("urn:test", "Auth")));
    let binding = &defs.bindings["B"];
    assert_eq!(binding.version, SoapVersion::Soap12);
    assert_eq!(binding.operations[0].input_headers, [HeaderRef { message: "AuthIn".into(), part: "h".into() }]);
    assert_eq!(defs.services[0].ports[0].version, SoapVersion::Soap12);
    // The schema keeps its own default namespace; the WSDL's is not copied over it.
    let schema = &defs.schemas[0].text;
    assert!(schema.contains(r#"xmlns="http://www.w3.org/2001/XMLSchema""#));
    assert!(!schema.contains(r#"xmlns="http://schemas.xmlsoap.org/wsdl/""#));
    assert!(schema.contains(r#"xmlns:a="urn:test""#));
    assert_well_formed(schema, "schema");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn schema_location_resolved_recursively() {
    let dir = scratch_dir("imports");
    std::fs::create_dir_all(dir.join("xsd")).unwrap();
    write(
        &dir,
        "xsd/Types.xsd",
        r#"<?xml version="1.0" encoding="utf-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:types"
    xmlns:t="urn:types" elementFormDefault="qualified">
  <xs:include schemaLocation="More.xsd"/>
  <xs:import namespace="urn:test" schemaLocation="../Calc.wsdl.xsd"/>
  <xs:element name="Thing" type="t:More"/>
</xs:schema>
"#,
    );
    write(
        &dir,
        "xsd/More.xsd",
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:types">
  <xs:include schemaLocation='Types.xsd'/>
  <xs:complexType name="More"><xs:sequence/></xs:complexType>
</xs:schema>
"#,
    );
    // Referenced from Types.xsd only: a cycle back into the WSDL's directory.
    write(
        &dir,
        "Calc.wsdl.xsd",
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:other"/>"#,
    );
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:types>
    <xs:schema targetNamespace="urn:test" xmlns:t="urn:types">
      <xs:import namespace="urn:types" schemaLocation="xsd/Types.xsd"/>
      <xs:import namespace="urn:nowhere"/>
      <xs:element name="Ping" type="t:Thing"/>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="PingIn"><wsdl:part name="parameters" element="tns:Ping"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Ping"><wsdl:input message="tns:PingIn"/></wsdl:operation></wsdl:portType>
</wsdl:definitions>
"#
    );
    let defs = read_text(&dir, "Calc.wsdl", &text).unwrap_or_else(|e| panic!("{e}"));
    let origins: Vec<&str> = defs.schemas.iter().map(|s| s.origin.as_str()).collect();
    assert_eq!(defs.schemas.len(), 4, "{origins:#?}");

    let types = std::fs::canonicalize(dir.join("xsd/Types.xsd")).unwrap();
    let more = std::fs::canonicalize(dir.join("xsd/More.xsd")).unwrap();
    let other = std::fs::canonicalize(dir.join("Calc.wsdl.xsd")).unwrap();

    let embedded = &defs.schemas[0];
    assert!(embedded.origin.ends_with("Calc.wsdl#schema0"));
    assert!(embedded.text.contains(&format!("schemaLocation=\"{}\"", types.display())), "{}", embedded.text);
    assert_eq!(embedded.imports_without_location, ["urn:nowhere"]);
    assert!(defs.notes.iter().any(|n| n.contains("urn:nowhere") && n.contains("without schemaLocation")));
    assert_well_formed(&embedded.text, "embedded schema");

    let by_origin = |p: &Path| {
        defs.schemas
            .iter()
            .find(|s| Path::new(&s.origin) == p)
            .unwrap_or_else(|| panic!("no schema from {}: {origins:#?}", p.display()))
    };
    let types_schema = by_origin(&types);
    assert!(Path::new(&types_schema.origin).is_absolute());
    assert_eq!(types_schema.target_namespace, "urn:types");
    assert!(types_schema.text.contains(&format!("schemaLocation=\"{}\"", more.display())));
    assert!(types_schema.text.contains(&format!("schemaLocation=\"{}\"", other.display())));
    assert!(types_schema.text.starts_with("<?xml"));
    let more_schema = by_origin(&more);
    assert!(more_schema.text.contains(&format!("schemaLocation=\"{}\"", types.display())));
    assert_eq!(by_origin(&other).target_namespace, "urn:other");
    for schema in &defs.schemas {
        assert_well_formed(&schema.text, &schema.origin);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn wsdl_import_merged() {
    let dir = scratch_dir("wsdl-import");
    write(
        &dir,
        "Abstract.wsdl",
        &format!(
            r#"{WSDL_HEAD}  <wsdl:types><xs:schema targetNamespace="urn:test"><xs:element name="Ping" type="xs:string"/></xs:schema></wsdl:types>
  <wsdl:message name="PingIn"><wsdl:part name="parameters" element="tns:Ping"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Ping"><wsdl:input message="tns:PingIn"/></wsdl:operation></wsdl:portType>
</wsdl:definitions>
"#
        ),
    );
    write(&dir, "Extra.xsd", r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:extra"/>"#);
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:import namespace="urn:test" location="Abstract.wsdl"/>
  <wsdl:import namespace="urn:extra" location="Extra.xsd"/>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Ping">
      <soap:operation soapAction="urn:ping"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
    </wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>
"#
    );
    let defs = read_text(&dir, "Concrete.wsdl", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(defs.port_types.contains_key("P"));
    assert!(defs.messages.contains_key("PingIn"));
    assert_eq!(defs.bindings["B"].operations.len(), 1);
    assert_eq!(defs.schemas.len(), 2);
    assert!(defs.schemas[0].origin.ends_with("Abstract.wsdl#schema0"));
    assert!(defs.schemas[1].origin.ends_with("Extra.xsd"));
    assert_eq!(defs.schemas[1].target_namespace, "urn:extra");
    let _ = std::fs::remove_dir_all(dir);
}

// ------------------------------------------------------------------ errors

/// Reads `text` as `name` in a scratch directory and returns the error message, which must
/// start with `<path>:<line>: `.
fn error_at(name: &str, text: &str, line: usize) -> String {
    let dir = scratch_dir("errors");
    let path = dir.join(name);
    let err = read_text(&dir, name, text).expect_err("the WSDL must be rejected");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:{line}: ", path.display())),
        "expected an error at line {line}: {message}"
    );
    assert_eq!(err.line(), Some(line));
    assert_eq!(err.file(), path);
    let _ = std::fs::remove_dir_all(dir);
    message
}

#[test]
fn malformed_xml_names_file_and_line() {
    let text = format!(
        "{WSDL_HEAD}  <wsdl:message name=\"M\">\n    <wsdl:part name=\"p\" type=\"xs:int\">\n  </wsdl:message>\n</wsdl:definitions>\n"
    );
    // WSDL_HEAD is 8 lines; the unmatched </wsdl:message> is on line 11.
    let message = error_at("Bad.wsdl", &text, 11);
    assert!(message.contains("malformed XML"), "{message}");
}

#[test]
fn unterminated_tag_names_its_line() {
    let text = format!("{WSDL_HEAD}  <wsdl:message name=\"M\"\n");
    let message = error_at("Cut.wsdl", &text, 9);
    assert!(message.contains("malformed XML"), "{message}");
}

#[test]
fn part_without_element_or_type() {
    let text = format!(
        "{WSDL_HEAD}  <wsdl:message name=\"M\">\n    <wsdl:part name=\"parameters\"/>\n  </wsdl:message>\n</wsdl:definitions>\n"
    );
    let message = error_at("EmployeeService.wsdl", &text, 10);
    assert!(message.ends_with("wsdl:part `parameters` of message `M` has neither element= nor type="), "{message}");
}

#[test]
fn part_with_undeclared_prefix() {
    let text = format!(
        "{WSDL_HEAD}  <wsdl:message name=\"M\">\n    <wsdl:part name=\"parameters\"\n      element=\"nope:Ping\"/>\n  </wsdl:message>\n</wsdl:definitions>\n"
    );
    let message = error_at("Prefix.wsdl", &text, 10);
    assert!(message.contains("`nope` is not declared"), "{message}");
}

#[test]
fn binding_operation_missing_from_port_type() {
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:message name="PingIn"><wsdl:part name="p" type="xs:int"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Ping"><wsdl:input message="tns:PingIn"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding/>
    <wsdl:operation name="Ping"><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
    <wsdl:operation name="Pong"><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>
"#
    );
    let message = error_at("Missing.wsdl", &text, 14);
    assert!(message.contains("operation `Pong` of binding `B` is not an operation of port type `P`"), "{message}");
}

#[test]
fn undefined_message_and_header_part() {
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:portType name="P">
    <wsdl:operation name="Ping">
      <wsdl:input message="tns:PingIn"/>
    </wsdl:operation>
  </wsdl:portType>
</wsdl:definitions>
"#
    );
    let message = error_at("NoMessage.wsdl", &text, 11);
    assert!(message.contains("refers to message `PingIn`, which is not defined"), "{message}");

    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:message name="PingIn"><wsdl:part name="p" type="xs:int"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Ping"><wsdl:input message="tns:PingIn"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding/>
    <wsdl:operation name="Ping">
      <wsdl:input>
        <soap:body use="literal"/>
        <soap:header message="tns:PingIn" part="AuthHeader" use="literal"/>
      </wsdl:input>
    </wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>
"#
    );
    let message = error_at("NoPart.wsdl", &text, 16);
    assert!(message.contains("part `AuthHeader`"), "{message}");
}

#[test]
fn port_of_undefined_binding() {
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:service name="S">
    <wsdl:port name="X" binding="tns:Nope"><soap:address location="http://x"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"#
    );
    let message = error_at("NoBinding.wsdl", &text, 10);
    assert!(message.contains("binding `Nope`"), "{message}");
}

#[test]
fn missing_schema_file_names_the_reference() {
    let text = format!(
        r#"{WSDL_HEAD}  <wsdl:types>
    <xs:schema targetNamespace="urn:test">
      <xs:include schemaLocation="Missing.xsd"/>
    </xs:schema>
  </wsdl:types>
</wsdl:definitions>
"#
    );
    let message = error_at("MissingXsd.wsdl", &text, 11);
    assert!(message.contains("Missing.xsd"), "{message}");
}

#[test]
fn duplicate_attribute_is_malformed() {
    let text = format!("{WSDL_HEAD}\n  <wsdl:message name=\"M\" name=\"N\"/>\n</wsdl:definitions>\n");
    let message = error_at("Dup.wsdl", &text, 10);
    assert!(message.contains("malformed XML"), "{message}");
}

#[test]
fn not_a_wsdl() {
    let message = error_at(
        "Schema.wsdl",
        "<?xml version=\"1.0\"?>\n\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>\n",
        3,
    );
    assert!(message.contains("wsdl:definitions"), "{message}");
}

#[test]
fn missing_file_names_the_path() {
    let dir = scratch_dir("missing");
    let path = dir.join("Nope.wsdl");
    let err = wsdl::read(&path).expect_err("no such file");
    assert!(matches!(err, WsdlError::Io { .. }));
    assert!(err.to_string().contains("Nope.wsdl"), "{err}");
    assert_eq!(err.line(), None);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn read_str_reports_the_given_path() {
    let text = "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n<b></a>";
    let err = wsdl::read_str(Path::new("virtual/In.wsdl"), text).expect_err("malformed");
    assert!(err.to_string().starts_with("virtual/In.wsdl:2: "), "{err}");
    assert!(matches!(err, WsdlError::Xml { .. }), "{err:?}");
}
