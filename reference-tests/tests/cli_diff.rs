//! `soapgen diff`: the real Nmbrs v2.1 EmployeeService (read in place from the reference corpus)
//! against copies changed one way each, checking each change's class, its place in the output and
//! the exit status under `--fail-on`.

#[cfg(reference)]
mod bodies {
    use std::path::{Path, PathBuf};

    use reference_tests::cli::{json, remove_operation, replace_once, soapgen, Run, Scratch};

    /// Writes `text` as `New.wsdl` next to nothing else and diffs `old` against it: text output,
    /// JSON output, and the exit statuses under `--fail-on breaking` and `--fail-on any`.
    struct Compared {
        text: Run,
        json: serde_json::Value,
        fail_on_breaking: Option<i32>,
        fail_on_additive: Option<i32>,
        fail_on_any: Option<i32>,
    }

    fn compare(scratch: &Scratch, old: &Path, text: &str) -> Compared {
        let new = scratch.write("New.wsdl", text);
        let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
        let text = soapgen(&["diff", old, new]);
        text.expect_code(0);
        let json_run = soapgen(&["diff", "--json", old, new]);
        json_run.expect_code(0);
        Compared {
            text,
            json: json(&json_run.stdout),
            fail_on_breaking: soapgen(&["diff", "--fail-on", "breaking", old, new]).code,
            fail_on_additive: soapgen(&["diff", "--fail-on=additive", old, new]).code,
            fail_on_any: soapgen(&["diff", old, new, "--fail-on", "any"]).code,
        }
    }

    fn changes(doc: &serde_json::Value) -> &Vec<serde_json::Value> {
        doc["changes"].as_array().expect("changes")
    }

    fn reference() -> (PathBuf, String) {
        let path = reference_tests::reference_dir().join("nmbrs-v2.1/EmployeeService.wsdl");
        let text = std::fs::read_to_string(&path).expect("reading the reference EmployeeService");
        (path, text)
    }

    pub fn an_unchanged_copy_has_no_changes() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-same");
        let c = compare(&scratch, &path, &text);
        assert!(c.text.stdout.contains("no changes for callers"), "{}", c.text.stdout);
        assert!(changes(&c.json).is_empty());
        assert_eq!(c.json["worst"], serde_json::Value::Null);
        assert_eq!((c.fail_on_breaking, c.fail_on_additive, c.fail_on_any), (Some(0), Some(0), Some(0)));
    }

    pub fn an_operation_removed_is_breaking() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-op-removed");
        let c = compare(&scratch, &path, &remove_operation(&text, "Schedule_Get"));
        let all = changes(&c.json);
        assert_eq!(all.len(), 1, "{all:#?}");
        assert_eq!(all[0]["class"], "breaking");
        assert_eq!(all[0]["kind"], "operation_removed");
        assert_eq!(all[0]["service"], "EmployeeService");
        assert_eq!(all[0]["operation"], "Schedule_Get");
        assert!(c.text.stdout.contains(
            "service EmployeeService\n  Schedule_Get\n    BREAKING  operation removed (was `async fn schedule_get(&self, \
             employee_id: i32, period: i32, year: i32) -> Result<Schedule, C::Error>`)\n"
        ), "{}", c.text.stdout);
        assert!(c.text.stdout.ends_with("\n1 breaking, 0 additive, 0 notes\n"), "{}", c.text.stdout);
        assert_eq!((c.fail_on_breaking, c.fail_on_additive, c.fail_on_any), (Some(1), Some(1), Some(1)));
    }

    pub fn an_optional_request_field_added_is_additive_for_the_struct_and_breaks_the_method() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-field-added");
        let edited = replace_once(
            &text,
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n",
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
             <s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Comment\" type=\"s:string\" />\n",
        );
        let c = compare(&scratch, &path, &edited);
        let all = changes(&c.json);
        assert_eq!(all.len(), 2, "{all:#?}");
        // The method takes its parameters by position: a new one, optional or not, breaks callers.
        let param = &all[0];
        assert_eq!((param["class"].as_str(), param["kind"].as_str()), (Some("breaking"), Some("param_added")));
        assert_eq!(
            (param["operation"].as_str(), param["new"].as_str()),
            (Some("Absence_GetList"), Some("Option<String>"))
        );
        assert_eq!(param["old"], serde_json::Value::Null);
        assert!(
            c.text.stdout.contains("  Absence_GetList\n    BREAKING  parameter `comment: Option<String>` added\n"),
            "{}",
            c.text.stdout
        );
        // The request struct (the raw view's) gains an optional field: code using
        // `..Default::default()` keeps compiling.
        let change = &all[1];
        assert_eq!(change["class"], "additive");
        assert_eq!(change["kind"], "field_added");
        assert_eq!(change["operation"], "Absence_GetList");
        assert_eq!(change["type"], "AbsenceGetList");
        assert_eq!(change["side"], "request");
        assert_eq!(change["item"], "Comment");
        assert_eq!(change["new"], "Option<String>");
        assert!(
            c.text
                .stdout
                .contains("\n    ADDITIVE  request field `Comment` added, optional (`comment: Option<String>`)\n"),
            "{}",
            c.text.stdout
        );
        assert_eq!((c.fail_on_breaking, c.fail_on_additive, c.fail_on_any), (Some(1), Some(1), Some(1)));
    }

    pub fn a_required_request_field_added_is_breaking() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-required-added");
        let edited = replace_once(
            &text,
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n",
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
             <s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"Year\" type=\"s:int\" />\n",
        );
        let c = compare(&scratch, &path, &edited);
        let all = changes(&c.json);
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!((all[0]["class"].as_str(), all[0]["kind"].as_str()), (Some("breaking"), Some("param_added")));
        assert_eq!((all[1]["class"].as_str(), all[1]["kind"].as_str()), (Some("breaking"), Some("field_added")));
        assert_eq!(c.fail_on_breaking, Some(1));
    }

    pub fn a_field_retyped_is_breaking() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-retyped");
        let edited = replace_once(
            &text,
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
             <s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"EmployeeId\" type=\"s:int\" />",
            "<s:element name=\"Absence_GetList\">\n        <s:complexType>\n          <s:sequence>\n            \
             <s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"EmployeeId\" type=\"s:long\" />",
        );
        let c = compare(&scratch, &path, &edited);
        let all = changes(&c.json);
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!((all[0]["kind"].as_str(), all[0]["new"].as_str()), (Some("param_retyped"), Some("i64")));
        assert!(
            c.text
                .stdout
                .contains("  Absence_GetList\n    BREAKING  parameter `employee_id: i32` → `employee_id: i64`\n"),
            "{}",
            c.text.stdout
        );
        let change = &all[1];
        assert_eq!((change["class"].as_str(), change["kind"].as_str()), (Some("breaking"), Some("field_retyped")));
        assert_eq!((change["old"].as_str(), change["new"].as_str()), (Some("i32"), Some("i64")));
        assert!(
            c.text.stdout.contains("\n    BREAKING  request field `EmployeeId` retyped: `employee_id: i32` → `i64`\n"),
            "{}",
            c.text.stdout
        );
        assert_eq!((c.fail_on_breaking, c.fail_on_any), (Some(1), Some(1)));
    }

    pub fn an_enum_value_added_is_additive() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-enum");
        let edited = replace_once(
            &text,
            "<s:enumeration value=\"female\" />",
            "<s:enumeration value=\"female\" />\n          <s:enumeration value=\"nonbinary\" />",
        );
        let c = compare(&scratch, &path, &edited);
        let all = changes(&c.json);
        assert_eq!(all.len(), 1, "{all:#?}");
        let change = &all[0];
        assert_eq!((change["class"].as_str(), change["kind"].as_str()), (Some("additive"), Some("enum_value_added")));
        assert_eq!(change["type"], "Gender");
        assert_eq!(change["item"], "nonbinary");
        assert_eq!(change["operation"], serde_json::Value::Null);
        // Gender is read (PersonalInfo_Get) and written (PersonalInfo_Update…): listed under types.
        assert_eq!(change["side"], "both");
        assert!(change["used_by"].as_array().unwrap().iter().any(|u| u["operation"] == "PersonalInfo_Get"));
        assert!(c.text.stdout.contains("\ntypes\n  Gender (both; used by "), "{}", c.text.stdout);
        assert!(c.text.stdout.contains("    ADDITIVE  enum value `nonbinary` added (variant `Nonbinary`)\n"));
        assert_eq!((c.fail_on_breaking, c.fail_on_any), (Some(0), Some(1)));
    }

    pub fn a_field_made_required_is_breaking() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-required");
        let edited = replace_once(
            &text,
            "<s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Absence\" type=\"tns:AbsenceV2\" />",
            "<s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"Absence\" type=\"tns:AbsenceV2\" />",
        );
        let c = compare(&scratch, &path, &edited);
        let all = changes(&c.json);
        assert_eq!(all.len(), 2, "{all:#?}");
        assert_eq!((all[0]["kind"].as_str(), all[0]["new"].as_str()), (Some("param_retyped"), Some("AbsenceV2")));
        let change = &all[1];
        assert_eq!(
            (change["class"].as_str(), change["kind"].as_str()),
            (Some("breaking"), Some("field_made_required"))
        );
        assert_eq!((change["old"].as_str(), change["new"].as_str()), (Some("Option<AbsenceV2>"), Some("AbsenceV2")));
        assert_eq!(change["operation"], "Absence2_Insert");
        assert!(
            c.text.stdout.contains(
                "  Absence2_Insert\n    BREAKING  parameter `absence: Option<AbsenceV2>` → `absence: AbsenceV2`\n    \
                 BREAKING  request field `Absence` made required: \
             `absence: Option<AbsenceV2>` → `AbsenceV2`\n"
            ),
            "{}",
            c.text.stdout
        );
        assert_eq!((c.fail_on_breaking, c.fail_on_any), (Some(1), Some(1)));
    }

    pub fn several_changes_are_grouped_by_operation_and_counted() {
        let (path, text) = reference();
        let scratch = Scratch::new("diff-several");
        let edited = remove_operation(&text, "Schedule_Get");
        let edited = replace_once(
            &edited,
            "<s:element minOccurs=\"0\" maxOccurs=\"1\" name=\"Absence\" type=\"tns:AbsenceV2\" />",
            "<s:element minOccurs=\"1\" maxOccurs=\"1\" name=\"Absence\" type=\"tns:AbsenceV2\" />",
        );
        let edited = replace_once(
            &edited,
            "<s:enumeration value=\"female\" />",
            "<s:enumeration value=\"female\" /><s:enumeration value=\"x\" />",
        );
        let edited = edited.replace(
            "location=\"https://api.nmbrs.nl/soap/v2.1/EmployeeService.asmx\"",
            "location=\"https://api-sandbox.nmbrs.nl/soap/v2.1/EmployeeService.asmx\"",
        );
        let c = compare(&scratch, &path, &edited);
        assert_eq!(c.json["summary"]["breaking"], 3);
        assert_eq!(c.json["summary"]["additive"], 1);
        assert_eq!(c.json["summary"]["note"], 2);
        assert_eq!(c.json["worst"], "breaking");
        let kinds: Vec<&str> = changes(&c.json).iter().map(|c| c["kind"].as_str().unwrap()).collect();
        // Service changes first, then operations in contract order, then types.
        assert_eq!(
            kinds,
            [
                "endpoint_changed",
                "endpoint_changed",
                "operation_removed",
                "param_retyped",
                "field_made_required",
                "enum_value_added"
            ]
        );
        assert!(
            c.text.stdout.contains("\n  NOTE      endpoint of port `EmployeeServiceSoap` changed: "),
            "{}",
            c.text.stdout
        );
        assert!(c.text.stdout.ends_with("\n3 breaking, 1 additive, 2 notes\n"), "{}", c.text.stdout);
    }
}

reference_tests::reference_tests!(
    an_unchanged_copy_has_no_changes,
    an_operation_removed_is_breaking,
    an_optional_request_field_added_is_additive_for_the_struct_and_breaks_the_method,
    a_required_request_field_added_is_breaking,
    a_field_retyped_is_breaking,
    an_enum_value_added_is_additive,
    a_field_made_required_is_breaking,
    several_changes_are_grouped_by_operation_and_counted,
);
