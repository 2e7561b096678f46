//! soapgen's WSDL reader on the published Nmbrs v2.1 WSDLs, read in place from the reference
//! corpus.

#[cfg(reference)]
mod bodies {
    use std::path::PathBuf;

    use soapgen::wsdl::{self, HeaderRef, QName, SoapVersion, Style};

    fn corpus() -> PathBuf {
        reference_tests::reference_dir().join("nmbrs-v2.1")
    }

    fn qname(ns: &str, local: &str) -> QName {
        QName { ns: ns.to_owned(), local: local.to_owned() }
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

    fn check_nmbrs(service: &str, expected_operations: usize) {
        let path = corpus().join(format!("{service}.wsdl"));
        let defs = wsdl::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let tns = format!("https://api.nmbrs.nl/soap/v2.1/{service}");

        assert_eq!(defs.path, path);
        assert_eq!(defs.target_namespace, tns);

        // Port type.
        assert_eq!(defs.port_types.len(), 1, "{:?}", defs.port_types.keys());
        let port_type = &defs.port_types[&format!("{service}Soap")];
        assert_eq!(port_type.operations.len(), expected_operations);
        for op in &port_type.operations {
            let input = op.input.as_deref().expect("input");
            let output = op.output.as_deref().expect("output");
            assert_eq!(input, format!("{}SoapIn", op.name));
            assert_eq!(output, format!("{}SoapOut", op.name));
            let part = &defs.messages[input].parts[0];
            assert_eq!(part.name, "parameters");
            assert_eq!(part.element, Some(qname(&tns, &op.name)));
            assert_eq!(part.type_, None);
        }
        assert!(port_type.operations.iter().any(|op| !op.documentation.is_empty()));
        for op in &port_type.operations {
            assert_eq!(op.documentation, op.documentation.trim(), "{}", op.name);
        }

        // Bindings: SOAP 1.1 and 1.2, every operation with the AuthHeader input header.
        assert_eq!(defs.bindings.len(), 2, "{:?}", defs.bindings.keys());
        let mut versions: Vec<SoapVersion> = defs.bindings.values().map(|b| b.version).collect();
        versions.sort();
        assert_eq!(versions, [SoapVersion::Soap11, SoapVersion::Soap12]);
        for binding in defs.bindings.values() {
            assert_eq!(binding.port_type, format!("{service}Soap"));
            assert_eq!(binding.style, Style::Document);
            assert_eq!(binding.operations.len(), expected_operations);
            for op in &binding.operations {
                // The published EmployeeService has one exception: EndServiceReason_GetList takes
                // `AuthHeaderWithDomain` (in both bindings); every other operation `AuthHeader`.
                let header = if service == "EmployeeService" && op.name == "EndServiceReason_GetList" {
                    "AuthHeaderWithDomain"
                } else {
                    "AuthHeader"
                };
                assert_eq!(
                    op.input_headers,
                    [HeaderRef { message: format!("{}{header}", op.name), part: header.to_owned() }],
                    "{} {}",
                    binding.name,
                    op.name
                );
                assert!(op.output_headers.is_empty());
                assert_eq!(op.soap_action, format!("{tns}/{}", op.name));
                assert_eq!(op.style, Style::Document);
                assert_eq!(op.input_body_parts, None);
                let part = &defs.messages[&format!("{}{header}", op.name)].parts[0];
                assert_eq!(part.name, header);
                assert_eq!(part.element, Some(qname(&tns, header)));
            }
            let with_domain = binding.operations.iter().filter(|op| op.input_headers[0].part != "AuthHeader").count();
            assert_eq!(with_domain, usize::from(service == "EmployeeService"));
        }

        // Types: the service schema and the ASP.NET `guid` schema.
        assert_eq!(defs.schemas.len(), 2);
        let (first, second) = (&defs.schemas[0], &defs.schemas[1]);
        assert_eq!(first.target_namespace, tns);
        assert_eq!(second.target_namespace, "http://microsoft.com/wsdl/types/");
        assert_eq!(first.origin, format!("{}#schema0", path.display()));
        assert!(first.text.contains(&format!("xmlns:tns=\"{tns}\"")), "{}", &first.text[..400]);
        assert!(first.text.contains("xmlns:s1=\"http://microsoft.com/wsdl/types/\""));
        assert!(first.text.contains("xmlns:s=\"http://www.w3.org/2001/XMLSchema\""));
        assert!(second.text.contains("xmlns:s=\"http://www.w3.org/2001/XMLSchema\""));
        assert_eq!(first.imports_without_location, ["http://microsoft.com/wsdl/types/"]);
        for schema in &defs.schemas {
            assert_well_formed(&schema.text, &schema.origin);
            assert!(schema.text.trim_end().ends_with("</s:schema>"));
        }

        // Service.
        assert_eq!(defs.services.len(), 1);
        let svc = &defs.services[0];
        assert_eq!(svc.name, service);
        assert_eq!(svc.ports.len(), 2);
        for port in &svc.ports {
            assert_eq!(port.address, format!("https://api.nmbrs.nl/soap/v2.1/{service}.asmx"));
            assert_eq!(defs.bindings[&port.binding].version, port.version);
        }

        // HTTP GET/POST bindings (if the service publishes any) become notes, nothing else does.
        let text = std::fs::read_to_string(&path).unwrap();
        let http_bindings = text.matches("<http:binding").count();
        let http_notes = defs.notes.iter().filter(|n| n.contains("binding is not SOAP")).count();
        assert_eq!(http_notes, http_bindings, "{:#?}", defs.notes);
        assert!(defs.notes.iter().all(|n| n.contains("binding") && n.contains("not SOAP")), "{:#?}", defs.notes);
    }

    pub fn nmbrs_company_service() {
        check_nmbrs("CompanyService", 98);
    }

    pub fn nmbrs_employee_service() {
        check_nmbrs("EmployeeService", 191);
    }

    pub fn nmbrs_documentation_text() {
        let defs = wsdl::read(&corpus().join("CompanyService.wsdl")).unwrap();
        let op = defs.port_types["CompanyServiceSoap"]
            .operations
            .iter()
            .find(|op| op.name == "Address_GetCurrent")
            .expect("Address_GetCurrent");
        assert_eq!(op.documentation, "Get the company's current address.");
    }
}

reference_tests::reference_tests!(nmbrs_company_service, nmbrs_employee_service, nmbrs_documentation_text);
