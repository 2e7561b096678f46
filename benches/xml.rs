//! Reading and writing replies with the generated code, next to a bare `quick_xml::NsReader`
//! scan of the same bytes (the limit of the XML reader).
//!
//! `cargo bench --bench xml` (add `-- --quick` for a short run, or a filter such as
//! `zeep_shape`). Groups:
//!
//! - `zeep_shape`: python-zeep's benchmark shape with 100, 10,000 and 100,000 items,
//!   pretty-printed SOAP 1.1 replies read from `target/bench-data/zeep_reply_<n>.xml` (the files
//!   `bench/zeep_bench.py` times zeep on); `serialize` writes a request envelope of the same
//!   items (those read from the same file).
//! - `nmbrs_reply`: `PersonalInfo_GetAll_AllEmployeesByCompanyResponse` with 2,000 employees
//!   (two full records each), built with the generated types, written as the mock writes
//!   replies, and read back.
//! - `datazoo_reply`: a Data Zoo `VerifyResponse` (SOAP 1.2) with three data-source results.
//! - `zeep_shape_parts`: where the time of `deserialize` goes, on the 10,000-item reply:
//!   `ns_scan_starts` (quick-xml events, namespaces resolved for start tags only, as the
//!   generated code needs them), `reader_skip` (the crate's `XmlReader` skipping the whole
//!   document: its event layer without the typed building), and `deserialize_no_drop` (as
//!   `deserialize`, without dropping the result in the timed loop).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::soap::envelope;
use soapbind::soap::{NoHeader, SoapVersion};

mod common;
use common::{bare_scan, read, zeep};

/// Employees in the Nmbrs reply.
const NMBRS_EMPLOYEES: usize = 2_000;

fn zeep_shape(c: &mut Criterion) {
    let mut group = c.benchmark_group("zeep_shape");
    for n in common::ZEEP_SIZES {
        let xml = common::zeep_reply_file(n);
        let items: zeep::Items = read(&xml);
        assert_eq!(items.0.item.len(), n);
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.sample_size(if n >= 100_000 { 20 } else { 50 });
        group.bench_with_input(BenchmarkId::new("deserialize", n), &xml[..], |b, bytes| {
            b.iter(|| read::<zeep::Items>(black_box(bytes)))
        });
        group.bench_with_input(BenchmarkId::new("bare_ns_scan", n), &xml[..], |b, bytes| {
            b.iter(|| bare_scan(black_box(bytes)))
        });
        group.bench_with_input(BenchmarkId::new("serialize", n), &items, |b, items| {
            b.iter(|| envelope::write_request(SoapVersion::V11, &NoHeader, &envelope::body_xml(black_box(items))))
        });
    }
    group.finish();
}

/// quick-xml events with the namespace of start tags resolved, nothing else.
fn ns_scan_starts(bytes: &[u8]) -> usize {
    use quick_xml::events::Event;
    let mut reader = quick_xml::NsReader::from_reader(bytes);
    let mut bound = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                if let (quick_xml::name::ResolveResult::Bound(_), _) = reader.resolve_element(start.name()) {
                    bound += 1;
                }
            }
            Ok(Event::Eof) => return bound,
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
}

/// The crate's reader skipping the whole document.
fn reader_skip(bytes: &[u8]) -> u32 {
    let mut r = soapbind::soap::xml::XmlReader::new(bytes);
    let root = r.root().expect("root");
    r.skip(&root).expect("skip");
    r.finish().expect("finish");
    r.depth()
}

fn zeep_shape_parts(c: &mut Criterion) {
    let n = 10_000;
    let xml = common::zeep_reply_file(n);
    let mut group = c.benchmark_group("zeep_shape_parts");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.sample_size(50);
    group.bench_with_input(BenchmarkId::new("ns_scan_starts", n), &xml[..], |b, bytes| {
        b.iter(|| ns_scan_starts(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("reader_skip", n), &xml[..], |b, bytes| {
        b.iter(|| reader_skip(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("deserialize_no_drop", n), &xml[..], |b, bytes| {
        b.iter_with_large_drop(|| read::<zeep::Items>(black_box(bytes)))
    });
    group.finish();
}

fn nmbrs_reply(c: &mut Criterion) {
    let reply = common::nmbrs_personal_infos(NMBRS_EMPLOYEES);
    let xml = common::write_and_read("nmbrs_personal_info_get_all.xml", &common::envelope_of(SoapVersion::V11, &reply));
    let back: es::PersonalInfoGetAllAllEmployeesByCompanyResponse = read(&xml);
    assert_eq!(back, reply, "the Nmbrs reply round-trips");

    let mut group = c.benchmark_group("nmbrs_reply");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.sample_size(30);
    let id = "PersonalInfo_GetAll_2000";
    group.bench_with_input(BenchmarkId::new("deserialize", id), &xml[..], |b, bytes| {
        b.iter(|| read::<es::PersonalInfoGetAllAllEmployeesByCompanyResponse>(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("bare_ns_scan", id), &xml[..], |b, bytes| {
        b.iter(|| bare_scan(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("serialize", id), &reply, |b, reply| {
        b.iter(|| common::envelope_of(SoapVersion::V11, black_box(reply)))
    });
    group.finish();
}

fn datazoo_reply(c: &mut Criterion) {
    let reply = common::datazoo_verify_reply();
    let xml = common::write_and_read("datazoo_verify.xml", &common::envelope_of(SoapVersion::V12, &reply));
    let back: dz::VerifyResponse = read(&xml);
    assert_eq!(back, reply, "the Data Zoo reply round-trips");

    let mut group = c.benchmark_group("datazoo_reply");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_with_input(BenchmarkId::new("deserialize", "Verify"), &xml[..], |b, bytes| {
        b.iter(|| read::<dz::VerifyResponse>(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("bare_ns_scan", "Verify"), &xml[..], |b, bytes| {
        b.iter(|| bare_scan(black_box(bytes)))
    });
    group.bench_with_input(BenchmarkId::new("serialize", "Verify"), &reply, |b, reply| {
        b.iter(|| common::envelope_of(SoapVersion::V12, black_box(reply)))
    });
    group.finish();
}

criterion_group!(benches, zeep_shape, zeep_shape_parts, nmbrs_reply, datazoo_reply);
criterion_main!(benches);
