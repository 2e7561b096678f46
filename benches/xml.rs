//! Reading and writing replies of python-zeep's benchmark shape with the generated code, next to
//! a bare `quick_xml::NsReader` scan of the same bytes (the limit of the XML reader).
//!
//! `cargo bench --bench xml` (add `-- --quick` for a short run). Sizes: 100, 10,000 and
//! 100,000 items, pretty-printed SOAP 1.1 replies.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use quick_xml::events::Event;
use quick_xml::NsReader;
use soapbind::soap::envelope::{self, ResponseBody};
use soapbind::soap::{NoHeader, SoapVersion};

#[allow(dead_code, clippy::all)]
mod zeep {
    include!(concat!(env!("OUT_DIR"), "/bench/zeep_benchmark.rs"));
}

/// A pretty-printed SOAP 1.1 reply with `n` items (about 180 bytes an item).
pub fn reply(n: usize) -> String {
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

fn request_items(n: usize) -> zeep::Items {
    zeep::Items(zeep::ItemList {
        item: (0..n)
            .map(|i| zeep::Item {
                id: Some(i as i32),
                name: format!("Item number {i} of the benchmark list"),
                active: i % 2 == 0,
                price: rust_decimal::Decimal::new((100_000 + i as i64 % 900_000) * 100 + (i as i64 % 100), 2),
            })
            .collect(),
    })
}

fn bare_scan(bytes: &[u8]) -> usize {
    let mut reader = NsReader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_resolved_event() {
            Ok((_, Event::Eof)) => return events,
            Ok(_) => events += 1,
            Err(e) => panic!("{e}"),
        }
    }
}

fn read(bytes: &[u8]) -> zeep::Items {
    match envelope::read_response::<zeep::Items>(bytes).expect("reads").body {
        ResponseBody::Reply(items) => items,
        ResponseBody::Fault(f) => panic!("{f}"),
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("zeep_shape");
    for n in [100usize, 10_000, 100_000] {
        let xml = reply(n);
        assert_eq!(read(xml.as_bytes()).0.item.len(), n);
        group.throughput(Throughput::Bytes(xml.len() as u64));
        if n >= 100_000 {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::new("deserialize", n), xml.as_bytes(), |b, bytes| {
            b.iter(|| read(black_box(bytes)))
        });
        group.bench_with_input(BenchmarkId::new("bare_ns_scan", n), xml.as_bytes(), |b, bytes| {
            b.iter(|| bare_scan(black_box(bytes)))
        });
        let items = request_items(n);
        group.bench_with_input(BenchmarkId::new("serialize", n), &items, |b, items| {
            b.iter(|| envelope::write_request(SoapVersion::V11, &NoHeader, &envelope::body_xml(black_box(items))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
