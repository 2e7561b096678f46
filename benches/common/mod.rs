//! The one place where the benchmarks' documents are made.
//!
//! The zeep-shape replies are written to `target/bench-data/zeep_reply_<n>.xml` (or
//! `$SOAPBIND_BENCH_DATA/…`) and read back from there, so the Rust benches and
//! `bench/zeep_bench.py` time exactly the same bytes.

#![allow(dead_code)]

use std::path::PathBuf;
use std::str::FromStr;

use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::soap::envelope::{self, ResponseBody};
use soapbind::soap::xml::{DateTime, Element};
use soapbind::soap::{NoHeader, SoapVersion};

#[allow(dead_code, clippy::all)]
pub mod zeep {
    include!(concat!(env!("OUT_DIR"), "/bench/zeep_benchmark.rs"));
}

/// The item counts of the zeep-shape replies.
pub const ZEEP_SIZES: [usize; 3] = [100, 10_000, 100_000];

/// Where the benchmark documents live: `$SOAPBIND_BENCH_DATA`, else `<crate>/target/bench-data`.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("SOAPBIND_BENCH_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"),
    }
}

/// A pretty-printed SOAP 1.1 reply of zeep's benchmark shape with `n` items (about 180 bytes an
/// item).
pub fn zeep_reply(n: usize) -> String {
    let mut xml = String::with_capacity(200 + n * 190);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <soap:Body>\n    <items xmlns=\"http://benchmark.python-zeep.org/\">\n");
    for i in 0..n {
        xml.push_str(&format!(
            "      <item>\n        <id>{i}</id>\n        <name>Item number {i} of the benchmark list</name>\n        <active>{}</active>\n        <price>{}.{:02}</price>\n      </item>\n",
            i % 2 == 0,
            1000 + i % 9000,
            i % 100
        ));
    }
    xml.push_str("    </items>\n  </soap:Body>\n</soap:Envelope>\n");
    xml
}

/// Writes `name` under [`data_dir`] unless it already holds `content`, then reads it back.
pub fn write_and_read(name: &str, content: &str) -> Vec<u8> {
    let dir = data_dir();
    let path = dir.join(name);
    let same = std::fs::read(&path).is_ok_and(|b| b == content.as_bytes());
    if !same {
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The zeep-shape reply with `n` items, as stored in `target/bench-data/zeep_reply_<n>.xml`.
pub fn zeep_reply_file(n: usize) -> Vec<u8> {
    write_and_read(&format!("zeep_reply_{n}.xml"), &zeep_reply(n))
}

/// Reads a reply envelope into its body element, panicking on a fault or an error.
pub fn read<E: Element>(bytes: &[u8]) -> E {
    match envelope::read_response::<E>(bytes).expect("reads").body {
        ResponseBody::Reply(reply) => reply,
        ResponseBody::Fault(f) => panic!("{f}"),
    }
}

/// A request or reply envelope of `version` around `body`, as the crate writes one.
pub fn envelope_of<E: Element>(version: SoapVersion, body: &E) -> String {
    envelope::write_request(version, &NoHeader, &envelope::body_xml(body))
}

/// Counts the events of a namespace-aware scan of `bytes` that resolves every element name:
/// the least any namespace-aware reader of the document has to do.
pub fn bare_scan(bytes: &[u8]) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::NsReader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_resolved_event() {
            Ok((_, Event::Eof)) => return events,
            Ok(_) => events += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

fn dt(text: &str) -> DateTime {
    DateTime::from_str(text).expect("a valid dateTime")
}

/// `PersonalInfo_GetAll_AllEmployeesByCompanyResponse` for `employees` employees, each with
/// two personal-info records (the current one and an earlier one), every field filled as
/// Nmbrs fills it.
pub fn nmbrs_personal_infos(employees: usize) -> es::PersonalInfoGetAllAllEmployeesByCompanyResponse {
    let first = ["Eva", "Jan", "Sanne", "Pieter", "Fleur", "Daan", "Noor", "Bram"];
    let last = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"];
    let record = |e: usize, version: usize| {
        let f = first[e % first.len()];
        let l = last[(e / 8) % last.len()];
        let id = e as i32 + 1000;
        es::PersonalInfoV2 {
            id: id * 10 + version as i32,
            display_name: Some(format!("{l}, {f}")),
            employee_number: id,
            bsn: Some(format!("{:09}", 100_000_000 + e * 7)),
            title: None,
            first_name: Some(f.to_owned()),
            initials: Some(format!("{}.", &f[..1])),
            prefix: l.split_once(' ').map(|(p, _)| p.to_owned()),
            last_name: Some(l.rsplit(' ').next().unwrap_or(l).to_owned()),
            nickname: Some(f.to_owned()),
            gender: if e % 2 == 0 { es::Gender::Female } else { es::Gender::Male },
            nationality_code: 1,
            place_of_birth: Some("Amsterdam".into()),
            country_of_birth_iso_code: Some("NL".into()),
            identification_number: Some(format!("NX{:07}", e)),
            identification_type: 1,
            partner_prefix: None,
            partner_last_name: None,
            telephone_private: Some(format!("020-{:07}", e)),
            telephone_work: Some(format!("010-{:07}", e)),
            telephone_mobile_private: Some(format!("06-{:08}", e)),
            telephone_mobile_work: None,
            telephone_other: None,
            email_private: Some(format!("{}.{}@example.nl", f.to_lowercase(), e)),
            email_work: Some(format!("{}.{}@company.example", f.to_lowercase(), e)),
            burgerlijke_staat: (e % 3) as i32,
            naamstelling: 0,
            birthday: Some(dt(&format!("{}-{:02}-{:02}T00:00:00", 1960 + e % 40, 1 + e % 12, 1 + e % 28))),
            creation_date: Some(dt(&format!("20{:02}-01-15T09:3{}:12.5970000", 15 + version, e % 10))),
            start_period: 1 + (e % 12) as i32,
            start_year: 2015 + version as i32,
            deceased_date: None,
            in_case_of_emergency: Some("Partner".into()),
            in_case_of_emergency_phone: Some(format!("06-{:08}", e + 1)),
            in_case_of_emergency_relation: Some("Partner".into()),
            title_after: None,
        }
    };
    es::PersonalInfoGetAllAllEmployeesByCompanyResponse {
        personal_info_get_all_all_employees_by_company_result: (0..employees)
            .map(|e| es::PersonalInfoItem {
                employee_id: e as i32 + 1000,
                employee_personal_infos: vec![record(e, 0), record(e, 1)],
            })
            .collect(),
    }
}

/// A Data Zoo `VerifyResponse` with one result per data source of the mock's Australian
/// account, the person found in all of them.
pub fn datazoo_verify_reply() -> dz::VerifyResponse {
    let sources = ["Australian Third Party Datasets", "Australian Experian", "Australian Residential"];
    dz::VerifyResponse {
        verify_result: Some(dz::VerifyResult {
            status: Some(0),
            message: Some("Verified".into()),
            results: sources
                .iter()
                .map(|s| dz::DataSourceResult {
                    data_source: Some((*s).into()),
                    status: Some(0),
                    message: Some("Verified".into()),
                    safe_harbour_score: Some("M1".into()),
                    first_name_verified: Some(true),
                    middle_name_verified: Some(false),
                    last_name_verified: Some(true),
                    full_name_verified: Some(false),
                    gender_verified: Some(false),
                    date_of_birth_verified: Some(true),
                    address_verified: Some(true),
                    passport_number_verified: Some(false),
                    passport_expiry_verified: Some(false),
                    drivers_license_no_verified: Some(false),
                    id_card_no_verified: Some(false),
                })
                .collect(),
            safe_harbour: Some(true),
            reporting_reference: Some("7c1e6a0e-2f4b-4d8e-9a51-0b7f3c2d9e10".into()),
        }),
    }
}
