//! The target ratios, measured side by side: the two sides of each ratio are timed in
//! alternating batches (A B B A A B ...), and the ratio is taken batch pair by batch pair, so a
//! change of machine load between them (other builds on a shared two-core machine) cancels out
//! instead of landing on one side. Criterion times each benchmark in its own window of seconds,
//! which is fine for the times, not for ratios of them on a busy machine.
//!
//! `cargo bench --bench paired` prints one JSON line per ratio (median, min and max over the
//! batch pairs, and the median time of each side per operation); `-- --quick` runs fewer
//! rounds, `-- --only <text>` only the ratios whose name contains the text. Ratios:
//! - deserialize ÷ bare namespace-aware scan (`bare_scan`: `NsReader::read_resolved_event`
//!   over every event) for the zeep shape (100, 10,000, 100,000 items), the Nmbrs
//!   `PersonalInfo_GetAll` reply and the Data Zoo `Verify` reply;
//! - one call over loopback HTTP ÷ the bare reqwest POST of the same envelope to the same server,
//!   with 1 and with 64 concurrent callers (the scenarios of the `call` bench);
//! - Data Zoo `verify` with the token manager ÷ the generated client with a fixed session.
//!
//! `-- --op deserialize|scan|serialize --items N --iters K` instead runs one zeep-shape operation K
//! times (after one untimed run) and prints the seconds of each run as JSON: `bench/zeep_bench.py
//! --paired` calls it between its own timings of zeep, to pair the zeep ratios the same way.

use std::time::{Duration, Instant};

use soapbind::datazoo::generated::data_zoo as dz;
use soapbind::nmbrs::generated::employee_service as es;
use soapbind::soap::SoapVersion;

mod common;
#[path = "common/net.rs"]
mod net;

use common::{bare_scan, read, zeep};

struct Opts {
    rounds: usize,
    batch: Duration,
    /// Only the ratios whose name contains this (`-- --only <text>`).
    only: Option<String>,
}

impl Opts {
    fn wants(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|only| name.contains(only))
    }
}

/// Times `a` and `b` in alternating batches of `per_batch` operations each (an operation: a
/// read, a call, or a round of 64 concurrent calls) and prints the JSON line.
fn paired(
    name: &str,
    opts: &Opts,
    per_batch: u64,
    mut a: impl FnMut(u64) -> Duration,
    mut b: impl FnMut(u64) -> Duration,
) {
    a(per_batch);
    b(per_batch);
    let mut ratios = Vec::with_capacity(opts.rounds);
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for round in 0..opts.rounds {
        let (x, y) = if round % 2 == 0 {
            let x = a(per_batch);
            (x, b(per_batch))
        } else {
            let y = b(per_batch);
            (a(per_batch), y)
        };
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
        ta.push(x.as_secs_f64() / per_batch as f64);
        tb.push(y.as_secs_f64() / per_batch as f64);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    };
    let r = median(&mut ratios);
    let line = format!(
        "{{\"ratio\":\"{name}\",\"median\":{r:.4},\"min\":{:.4},\"max\":{:.4},\"rounds\":{},\"per_batch\":{per_batch},\
         \"a_median_s\":{:.9},\"b_median_s\":{:.9}}}",
        ratios[0],
        ratios[ratios.len() - 1],
        ratios.len(),
        median(&mut ta),
        median(&mut tb),
    );
    eprintln!("{name}: {r:.3}× (min {:.3}×, max {:.3}×)", ratios[0], ratios[ratios.len() - 1]);
    println!("{line}");
}

/// Operations per batch so that a batch of `op` lasts about `opts.batch`.
fn per_batch(opts: &Opts, mut op: impl FnMut()) -> u64 {
    op();
    let start = Instant::now();
    op();
    let one = start.elapsed().max(Duration::from_nanos(100));
    (opts.batch.as_secs_f64() / one.as_secs_f64()).ceil().max(1.0) as u64
}

fn timed(mut op: impl FnMut()) -> impl FnMut(u64) -> Duration {
    move |n| {
        let start = Instant::now();
        for _ in 0..n {
            op();
        }
        start.elapsed()
    }
}

/// Reads a reply into its generated type (and drops it).
type Reader = fn(&[u8]);

fn readers(opts: &Opts) {
    let mut cases: Vec<(String, Vec<u8>, Reader)> = Vec::new();
    for n in common::ZEEP_SIZES {
        cases.push((format!("zeep_shape/deserialize÷bare_ns_scan/{n}"), common::zeep_reply_file(n), |b| {
            drop(std::hint::black_box(read::<zeep::Items>(b)))
        }));
    }
    let nmbrs = common::envelope_of(SoapVersion::V11, &common::nmbrs_personal_infos(2_000));
    cases.push((
        "nmbrs_reply/deserialize÷bare_ns_scan/PersonalInfo_GetAll_2000".into(),
        common::write_and_read("nmbrs_personal_info_get_all.xml", &nmbrs),
        |b| drop(std::hint::black_box(read::<es::PersonalInfoGetAllAllEmployeesByCompanyResponse>(b))),
    ));
    let datazoo = common::envelope_of(SoapVersion::V12, &common::datazoo_verify_reply());
    cases.push((
        "datazoo_reply/deserialize÷bare_ns_scan/Verify".into(),
        common::write_and_read("datazoo_verify.xml", &datazoo),
        |b| drop(std::hint::black_box(read::<dz::VerifyResponse>(b))),
    ));
    for (name, xml, deserialize) in cases.into_iter().filter(|(name, ..)| opts.wants(name)) {
        let k = per_batch(opts, || deserialize(&xml));
        paired(
            &name,
            opts,
            k,
            timed(|| deserialize(std::hint::black_box(&xml))),
            timed(|| {
                std::hint::black_box(bare_scan(std::hint::black_box(&xml)));
            }),
        );
    }
}

/// `calls` concurrent calls of `call`, `n` times over, then `after` (untimed).
fn batch<'a>(
    rig: &'a net::Rig,
    call: &'a net::CallFn,
    after: &'a dyn Fn(),
    calls: usize,
) -> impl FnMut(u64) -> Duration + 'a {
    move |n| {
        let elapsed = rig.time(n, calls, call);
        after();
        elapsed
    }
}

fn calls(opts: &Opts) {
    let rig = net::Rig::new();
    let scenarios =
        [net::zeep_canned(&rig, 10), net::zeep_canned(&rig, 100), net::nmbrs_mock(&rig), net::datazoo_mock(&rig)];
    for calls in [1usize, 64] {
        for s in &scenarios {
            let reference = s.variant("reqwest");
            for (name, call) in s.variants.iter().filter(|(n, _)| *n != "reqwest") {
                let name = format!("{}/{name}÷reqwest/{calls}", s.group);
                if !opts.wants(&name) {
                    continue;
                }
                let k = per_batch(opts, || {
                    rig.time(1, calls, call);
                });
                paired(&name, opts, k, batch(&rig, call, &*s.after, calls), batch(&rig, reference, &*s.after, calls));
            }
        }
        let datazoo = &scenarios[3];
        let (managed, fixed) = (datazoo.variant("managed"), datazoo.variant("fixed"));
        let name = format!("{}/managed÷fixed/{calls}", datazoo.group);
        if !opts.wants(&name) {
            continue;
        }
        let k = per_batch(opts, || {
            rig.time(1, calls, managed);
        });
        paired(
            &name,
            opts,
            k,
            batch(&rig, managed, &*datazoo.after, calls),
            batch(&rig, fixed, &*datazoo.after, calls),
        );
    }
}

/// `--op deserialize|scan|serialize --items N --iters K`: times one zeep-shape operation (`scan`:
/// the bare namespace-aware scan of the reply).
fn single_op(args: &[String]) -> bool {
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let Some(op) = value("--op") else {
        return false;
    };
    let n: usize = value("--items").and_then(|v| v.parse().ok()).expect("--items N");
    let iters: usize = value("--iters").and_then(|v| v.parse().ok()).expect("--iters K");
    let xml = common::zeep_reply_file(n);
    let items: zeep::Items = read(&xml);
    let run: Box<dyn Fn()> = match op.as_str() {
        "deserialize" => Box::new(|| drop(std::hint::black_box(read::<zeep::Items>(std::hint::black_box(&xml))))),
        "scan" => Box::new(|| {
            std::hint::black_box(bare_scan(std::hint::black_box(&xml)));
        }),
        "serialize" => {
            Box::new(|| drop(std::hint::black_box(common::envelope_of(SoapVersion::V11, std::hint::black_box(&items)))))
        }
        other => panic!("unknown --op {other}"),
    };
    run();
    let times: Vec<String> = (0..iters)
        .map(|_| {
            let start = Instant::now();
            run();
            format!("{:.9}", start.elapsed().as_secs_f64())
        })
        .collect();
    println!("{{\"op\":\"{op}\",\"items\":{n},\"seconds\":[{}]}}", times.join(","));
    true
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if single_op(&args) {
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let opts = if quick {
        Opts { rounds: 6, batch: Duration::from_millis(20), only }
    } else {
        Opts { rounds: 30, batch: Duration::from_millis(60), only }
    };
    readers(&opts);
    calls(&opts);
}
