//! Memory while deserializing the zeep-shape reply of 100,000 items (or `--items N`), against
//! the reply's size.
//!
//! `cargo bench --bench memory` (prints a line of JSON; `-- --items 10000` for another size).
//! Each run measures one deserialization in a fresh process:
//!
//! - `peak_rss_delta_bytes`: the kernel's peak resident set size (`VmHWM`) after the read
//!   minus the resident set before it. The reply is already in memory before the baseline is
//!   taken, and the peak is reset just before (`/proc/self/clear_refs`, `5`); where that reset
//!   is refused, the delta is taken from the process's peak so far, which is then reported.
//! - `heap_peak_delta_bytes`: the most heap bytes live at once during the read, above those
//!   live before it (a counting allocator over the system one), exact and independent of the
//!   allocator's page reuse.
//! - `heap_retained_bytes`: what the typed reply keeps once the read is over.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;
use common::zeep;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n = 100_000usize;
    while let Some(arg) = args.next() {
        if arg == "--items" {
            n = args.next().and_then(|v| v.parse().ok()).expect("--items N");
        }
    }
    let reply = common::zeep_reply_file(n);

    let peak_reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = status_bytes("VmRSS");
    let hwm_before = status_bytes("VmHWM");
    let heap_before = LIVE.load(Ordering::Relaxed);
    PEAK.store(heap_before, Ordering::Relaxed);

    let items: zeep::Items = common::read(std::hint::black_box(&reply));

    let hwm_after = status_bytes("VmHWM");
    let heap_peak = PEAK.load(Ordering::Relaxed);
    let heap_after = LIVE.load(Ordering::Relaxed);
    assert_eq!(items.0.item.len(), n);
    let baseline = if peak_reset { rss_before } else { hwm_before };
    let peak_rss_delta = hwm_after.saturating_sub(baseline);
    let heap_peak_delta = heap_peak - heap_before;
    let reply_bytes = reply.len() as u64;
    println!(
        "{{\"items\":{n},\"reply_bytes\":{reply_bytes},\"peak_reset\":{peak_reset},\"rss_baseline_bytes\":{baseline},\
         \"peak_rss_bytes\":{hwm_after},\"peak_rss_delta_bytes\":{peak_rss_delta},\
         \"peak_rss_delta_ratio\":{:.3},\"heap_peak_delta_bytes\":{heap_peak_delta},\"heap_peak_delta_ratio\":{:.3},\
         \"heap_retained_bytes\":{}}}",
        peak_rss_delta as f64 / reply_bytes as f64,
        heap_peak_delta as f64 / reply_bytes as f64,
        heap_after - heap_before,
    );
    drop(items);
}
