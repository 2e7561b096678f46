//! Reading and redacting hostile shapes: the time must grow linearly with the input.
//!
//! `cargo bench --bench hostile` (add `-- --quick` for fewer rounds). For each shape and size it
//! prints one JSON line with the best time of a few rounds and the throughput in MB/s; linear
//! means the MB/s stay about the same as the size grows. Shapes:
//!
//! - `ns_flood_accepted`: the most namespace declarations the reader accepts
//!   ([`MAX_NAMESPACES_IN_SCOPE`]) on the reply element, then empty children up to the size —
//!   the worst case for resolving names, read to the end;
//! - `same_shape_one_declaration`: the same children with one declaration, for comparison;
//! - `ns_flood_refused`: 20,000 declarations on one element, then empty children (the shape of
//!   issue 14: 0.6 s for 0.9 MB and 18–20 s for 3.4 MB before the limit) — refused;
//! - `header_flood`: empty SOAP header entries up to the size (7 million in 28 MB) — refused
//!   after [`MAX_HEADER_ENTRIES`];
//! - `redact_lt_run`: a run of `<` (each not followed by a space, `/` or `>`), through
//!   [`CallContext::redact`] with secret elements, as for a TRACE body or an error excerpt;
//! - `redact_envelope`: an envelope of many `<Token>` elements with secrets in every spelling.

use std::hint::black_box;
use std::time::{Duration, Instant};

use soapbind::soap::envelope::{self, MAX_HEADER_ENTRIES};
use soapbind::soap::xml::MAX_NAMESPACES_IN_SCOPE;
use soapbind::soap::{CallContext, Secret};

mod common;
use common::zeep;

const SIZES_MB: [usize; 4] = [1, 4, 16, 32];
const V11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

fn reply(declarations: usize, size: usize) -> Vec<u8> {
    let decls: String = (0..declarations).map(|i| format!(" xmlns:p{i}=\"urn:p{i}\"")).collect();
    let head = format!(
        "<soap:Envelope xmlns:soap=\"{V11}\"><soap:Body><items xmlns=\"http://benchmark.python-zeep.org/\"{decls}>"
    );
    let tail = "</items></soap:Body></soap:Envelope>";
    // Children in the first namespace declared: resolving each looks through all the others.
    let n = size.saturating_sub(head.len() + tail.len()) / 7;
    format!("{head}{}{tail}", "<p0:c/>".repeat(n)).into_bytes()
}

fn header_flood(size: usize) -> Vec<u8> {
    let head = format!("<soap:Envelope xmlns:soap=\"{V11}\"><soap:Header>");
    let tail = "</soap:Header><soap:Body/></soap:Envelope>";
    let n = size.saturating_sub(head.len() + tail.len()) / 4;
    format!("{head}{}{tail}", "<e/>".repeat(n)).into_bytes()
}

/// The best of `rounds` timings of `f`.
fn best(rounds: usize, mut f: impl FnMut()) -> Duration {
    f();
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn report(shape: &str, bytes: usize, time: Duration) {
    let mb = bytes as f64 / 1e6;
    println!(
        "{{\"shape\":\"{shape}\",\"bytes\":{bytes},\"seconds\":{:.6},\"mb_per_s\":{:.1}}}",
        time.as_secs_f64(),
        mb / time.as_secs_f64()
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 2 } else { 5 };
    let ctx = CallContext::new("bench")
        .with_secret(Secret::new("it's-S3cret"))
        .with_secret_element("Token")
        .with_secret_element("Password");

    for mb in SIZES_MB {
        let size = mb * 1_000_000;

        let doc = reply(MAX_NAMESPACES_IN_SCOPE as usize - 2, size);
        let time = best(rounds, || {
            let items = envelope::read_response::<zeep::Items>(black_box(&doc)).expect("accepted");
            black_box(items);
        });
        report("ns_flood_accepted", doc.len(), time);

        let doc = reply(1, size);
        let time = best(rounds, || {
            let items = envelope::read_response::<zeep::Items>(black_box(&doc)).expect("accepted");
            black_box(items);
        });
        report("same_shape_one_declaration", doc.len(), time);

        let doc = reply(20_000, size);
        let time = best(rounds, || {
            let err = envelope::read_response::<zeep::Items>(black_box(&doc)).unwrap_err();
            black_box(err);
        });
        report("ns_flood_refused", doc.len(), time);

        let doc = header_flood(size);
        let time = best(rounds, || {
            let err = envelope::read_response::<zeep::Items>(black_box(&doc)).unwrap_err();
            assert!(err.to_string().contains(&MAX_HEADER_ENTRIES.to_string()));
        });
        report("header_flood", doc.len(), time);

        let text = "<".repeat(size);
        let time = best(rounds, || {
            black_box(ctx.redact(black_box(&text)));
        });
        report("redact_lt_run", text.len(), time);

        let entry = "<Token>abc</Token><p>it&#39;s-S3cret it%27s-S3cret it\\u0027s-S3cret</p><<x\n";
        let text = entry.repeat(size / entry.len());
        let time = best(rounds, || {
            black_box(ctx.redact(black_box(&text)));
        });
        report("redact_envelope", text.len(), time);
    }
}
