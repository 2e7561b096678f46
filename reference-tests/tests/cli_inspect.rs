//! `soapgen inspect` on the real Nmbrs v2.1 EmployeeService, read in place from the reference
//! corpus.

#[cfg(reference)]
mod bodies {
    use reference_tests::cli::{json, soapgen};

    pub fn lists_all_191_operations_of_the_reference_employee_service_with_their_headers() {
        let wsdl = reference_tests::reference_dir().join("nmbrs-v2.1/EmployeeService.wsdl");
        let run = soapgen(&["inspect", wsdl.to_str().unwrap()]);
        run.expect_code(0);
        let out = &run.stdout;
        assert!(out.contains("1 service, 191 operations"), "{}", &out[..out.len().min(400)]);
        assert_eq!(out.matches("\n    async fn ").count(), 191);
        let address = "https://api.nmbrs.nl/soap/v2.1/EmployeeService.asmx";
        assert!(out.contains(&format!("\n  port EmployeeServiceSoap    SOAP 1.1  {address}\n")), "{out}");
        assert!(out.contains(&format!("\n  port EmployeeServiceSoap12  SOAP 1.2  {address}\n")), "{out}");
        assert_eq!(out.matches("\n    header      AuthHeader\n").count(), 190);
        // The one operation with the domain header, with its signature, action and documentation.
        let at = out.find("\n  EndServiceReason_GetList\n").expect("EndServiceReason_GetList is listed");
        let block: Vec<&str> = out[at + 1..].lines().skip(1).take(5).collect();
        // A wrapped operation: no parameter, a list result; the structs through `raw()`.
        assert_eq!(
            block[0],
            "    async fn end_service_reason_get_list(&self) -> Result<Vec<EndContractReason>, C::Error>"
        );
        assert_eq!(
            block[1],
            "    raw()       async fn end_service_reason_get_list(&self, request: EndServiceReasonGetList) \
             -> Result<EndServiceReasonGetListResponse, C::Error>"
        );
        assert_eq!(block[2], "    SOAPAction  https://api.nmbrs.nl/soap/v2.1/EmployeeService/EndServiceReason_GetList");
        assert_eq!(block[3], "    header      AuthHeaderWithDomain");
        assert!(block[4].starts_with("    | "), "documentation line: {:?}", block[4]);
        // Parameters in contract order with their Rust types; a complex result as itself.
        assert!(
            out.contains("\n    async fn schedule_get(&self, employee_id: i32, period: i32, year: i32) -> Result<Schedule, C::Error>\n"),
            "{out}"
        );
        // Types with fields: XML name, Rust field and type, occurrence.
        let at =
            out.find("\n  struct Absence2Insert (element Absence2_Insert)\n").expect("the request struct is listed");
        let fields: Vec<&str> = out[at + 1..].lines().skip(1).take(3).collect();
        assert_eq!(
            fields,
            [
                "    EmployeeId  employee_id: i32            required",
                "    Absence     absence: Option<AbsenceV2>  optional",
                "    NewDossier  new_dossier: bool           required",
            ]
        );
        assert!(out.contains("\n  enum Gender (type Gender): undefined, male, female\n"));
        // A list type is a `Vec` of its entries.
        let at = out.find("\n  struct AbsenceGetListResponse (element Absence_GetListResponse)\n").expect("listed");
        let field = out[at + 1..].lines().nth(1).unwrap();
        assert_eq!(
            field,
            "    Absence_GetListResult  absence_get_list_result: Vec<Absence>  list (ArrayOfAbsence of Absence)"
        );
    }

    pub fn json_of_the_reference_employee_service_has_191_operations() {
        let wsdl = reference_tests::reference_dir().join("nmbrs-v2.1/EmployeeService.wsdl");
        let run = soapgen(&["inspect", "--json", wsdl.to_str().unwrap()]);
        run.expect_code(0);
        let doc = json(&run.stdout);
        let services = doc["services"].as_array().expect("services");
        assert_eq!(services.len(), 1);
        let service = &services[0];
        assert_eq!(service["name"], "EmployeeService");
        assert_eq!(service["client"], "EmployeeServiceClient");
        let ports = service["ports"].as_array().unwrap();
        assert_eq!(ports.len(), 2);
        assert_eq!(ports[1]["soap_version"], "1.2");
        assert_eq!(ports[1]["address"], "https://api.nmbrs.nl/soap/v2.1/EmployeeService.asmx");
        let ops = service["operations"].as_array().expect("operations");
        assert_eq!(ops.len(), 191);
        for op in ops {
            let expected = if op["name"] == "EndServiceReason_GetList" { "AuthHeaderWithDomain" } else { "AuthHeader" };
            assert_eq!(op["header"], expected, "{}", op["name"]);
            assert_eq!(op["header_element"], expected, "{}", op["name"]);
            let name = op["name"].as_str().unwrap();
            assert_eq!(op["soap_action"], format!("https://api.nmbrs.nl/soap/v2.1/EmployeeService/{name}"));
            let method = op["method"].as_str().unwrap();
            assert!(op["signature"].as_str().unwrap().starts_with(&format!("async fn {method}(&self")));
            assert!(op["raw_signature"].as_str().unwrap().starts_with(&format!("async fn {method}(&self, request: ")));
            assert!(!op["documentation"].as_str().unwrap().is_empty(), "{name} has documentation");
        }
        let insert =
            doc["types"].as_array().unwrap().iter().find(|t| t["name"] == "Absence2Insert").expect("Absence2Insert");
        assert_eq!(insert["kind"], "struct");
        assert_eq!(insert["element"], "Absence2_Insert");
        let absence = &insert["fields"][1];
        assert_eq!(absence["xml_name"], "Absence");
        assert_eq!(absence["name"], "absence");
        assert_eq!(absence["rust_type"], "Option<AbsenceV2>");
        assert_eq!(absence["value_type"], "AbsenceV2");
        assert_eq!(absence["occurs"], "optional");
        let gender = doc["types"].as_array().unwrap().iter().find(|t| t["name"] == "Gender").expect("Gender");
        assert_eq!(gender["kind"], "enum");
        assert_eq!(gender["values"][1]["value"], "male");
        assert_eq!(gender["values"][1]["variant"], "Male");
    }
}

reference_tests::reference_tests!(
    lists_all_191_operations_of_the_reference_employee_service_with_their_headers,
    json_of_the_reference_employee_service_has_191_operations,
);
