//! The rate limiter's cost per call when the limit is not reached: what every Nmbrs call pays
//! for the fair-use limit (target: under 1 µs in process).
//!
//! `cargo bench --bench limit` (add `-- --quick` for a short run). Each sample awaits
//! `RateLimiter::acquire` many times in a row on a current-thread tokio runtime:
//!
//! - `off`: a limiter that never waits (the floor: an await of a ready future);
//! - `local_under_limit`: the in-process limiter with a limit far above the call rate (10⁹ calls
//!   per second), so no call waits: the fast path of a free queue and one GCRA check;
//! - `local_under_limit_8_clones`: the same limiter, shared by eight tasks taking turns.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use soapbind::soap::{RateLimit, RateLimiter};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime")
}

/// Times `iters` acquisitions on `limiter`.
fn acquire_loop(rt: &tokio::runtime::Runtime, limiter: &RateLimiter, iters: u64) -> Duration {
    rt.block_on(async {
        let started = Instant::now();
        for _ in 0..iters {
            black_box(limiter.acquire().await.expect("a local limiter does not fail"));
        }
        started.elapsed()
    })
}

fn limiter(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("rate_limiter");
    let off = RateLimiter::off();
    group.bench_function("off", |b| b.iter_custom(|iters| acquire_loop(&rt, &off, iters)));
    let fast = rt.block_on(async { RateLimiter::local(RateLimit::per_second(1_000_000_000)).unwrap() });
    group.bench_function("local_under_limit", |b| b.iter_custom(|iters| acquire_loop(&rt, &fast, iters)));
    group.bench_function("local_under_limit_8_clones", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let started = Instant::now();
                let tasks: Vec<_> = (0..8)
                    .map(|_| {
                        let limiter = fast.clone();
                        tokio::spawn(async move {
                            for _ in 0..iters.div_ceil(8) {
                                black_box(limiter.acquire().await.expect("a local limiter does not fail"));
                                tokio::task::yield_now().await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("the task ran");
                }
                started.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, limiter);
criterion_main!(benches);
