//! One call end to end over loopback HTTP, next to a bare reqwest POST of the same envelope to
//! the same server (the transport's limit), with 1 and with 64 concurrent callers.
//!
//! `cargo bench --bench call` (add `-- --quick` for a short run). The servers run on a tokio
//! runtime of their own with one worker thread; the callers on a current-thread runtime in the
//! bench thread, so on a two-core machine client and server each have a core. Each iteration is
//! one call (`/1`) or 64 calls started together and awaited together (`/64`, throughput in
//! calls per second).
//!
//! Groups (see `benches/common/net.rs`):
//! - `call_zeep_shape/<n>items`: a minimal axum server answering every POST with a canned
//!   zeep-shape reply of `n` items; `soapbind` is the generated `BenchmarkServiceClient` over
//!   `soap::PlainCaller`; `reqwest_read` is the bare POST followed by `envelope::read_response`
//!   of the reply into the generated type (the transport's limit plus the XML reading, without
//!   the rest of `soap::Client`).
//! - `call_nmbrs_mock/Absence_GetList`: against `mock::nmbrs::MockNmbrs` through
//!   `nmbrs::Client` (domain discovered before timing, `AuthHeaderWithDomain` from its caller).
//! - `call_datazoo_mock/Verify`: against `mock::datazoo::MockDataZoo`: `managed` is
//!   `datazoo::Client::verify` (token from the token manager, cached and valid), `fixed` the
//!   generated client (`Client::raw`) with a fixed `Session`.
//! - `token_manager/session_cached`: `datazoo::Client::session` alone, with a valid cached
//!   token (no I/O): the token manager's cost on the hot path.
//!
//! `bench/compare-zeep.sh` runs the `paired` bench too, which times the same calls alternately
//! (crate, bare, crate, ...) so that the ratios hold on a loaded machine.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

mod common;
#[path = "common/net.rs"]
mod net;

/// Concurrent callers of the `/64` variants.
const CONCURRENCY: usize = 64;

fn bench_scenario(c: &mut Criterion, rig: &net::Rig, scenario: &net::Scenario) {
    let mut g = c.benchmark_group(&scenario.group);
    g.measurement_time(Duration::from_secs(6));
    for calls in [1, CONCURRENCY] {
        g.throughput(Throughput::Elements(calls as u64));
        for (name, call) in &scenario.variants {
            g.bench_function(BenchmarkId::new(*name, calls), |b| {
                b.iter_custom(|iters| {
                    let elapsed = rig.time(iters, calls, call);
                    (scenario.after)();
                    elapsed
                })
            });
        }
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    let rig = net::Rig::new();
    for n in [10, 100] {
        bench_scenario(c, &rig, &net::zeep_canned(&rig, n));
    }
    bench_scenario(c, &rig, &net::nmbrs_mock(&rig));

    let datazoo = net::datazoo_mock(&rig);
    bench_scenario(c, &rig, &datazoo);
    let client = datazoo.datazoo.as_ref().expect("the Data Zoo client");
    assert_eq!(client.authentications(), 1, "the token was reused throughout");
    let mut g = c.benchmark_group("token_manager");
    g.bench_function("session_cached", |b| {
        b.iter_custom(|iters| {
            rig.client.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    std::hint::black_box(client.session().await.expect("session"));
                }
                start.elapsed()
            })
        })
    });
    g.finish();
}

criterion_group!(call, benches);
criterion_main!(call);
