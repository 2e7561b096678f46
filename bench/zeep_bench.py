#!/usr/bin/env python3
"""Times python-zeep on the envelopes and the contract the crate's `xml` bench uses.

zeep loads `benches/contracts/ZeepBenchmark.wsdl`; the replies are the files the Rust bench
writes, `target/bench-data/zeep_reply_<n>.xml` (run `cargo bench --bench xml -- zeep_shape`
first, or `bench/compare-zeep.sh`, which does both). For each size it times

- `process_reply`: `client.service._binding.process_reply(client, operation, response)` on the
  reply bytes (XML parsing included), what a zeep call does with an HTTP reply;
- `create_message`: `client.create_message(client.service, "GetItemList", item=items)` with the
  items read from the same reply: the request envelope as an lxml tree;
- `create_message_tostring`: the same plus `etree.tostring`, the bytes zeep would send.

Timing is timeit's: `loops` calls per repeat, chosen so that a repeat lasts at least
`--min-time` seconds, then several repeats (fewer for slow cases, see `--budget`); the medians
and min-max are per call, in seconds. Prints JSON.

`--paired BIN` adds, for each size, the zeep-to-crate ratios timed side by side: rounds that
alternate a timing of zeep with a run of the crate's `paired` bench binary (BIN, with `--op
deserialize|serialize --items N --iters K`, which times K runs in its own process and prints
them), so that a change of machine load hits both sides of a ratio alike.

`--memory N` instead measures the peak resident set size while zeep reads the reply of N items,
above the resident set size before (the reply bytes and the loaded client are in the
baseline), like `cargo bench --bench memory` does for the crate.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import lxml
import zeep
from lxml import etree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WSDL = os.path.join(ROOT, "benches", "contracts", "ZeepBenchmark.wsdl")
DATA = os.environ.get("SOAPBIND_BENCH_DATA") or os.path.join(ROOT, "target", "bench-data")


class Reply:
    """What `process_reply` reads of a `requests.Response`."""

    def __init__(self, content):
        self.status_code = 200
        self.content = content
        self.headers = {"Content-Type": "text/xml; charset=utf-8"}
        self.encoding = "utf-8"


def reply_bytes(n):
    path = os.path.join(DATA, "zeep_reply_%d.xml" % n)
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        sys.exit("%s is missing: run `cargo bench --bench xml -- zeep_shape` first" % path)


def client():
    return zeep.Client(WSDL)


def timed(fn, min_time, max_repeats, budget):
    """timeit-style: seconds per call of `fn` over several repeats."""
    gc.collect()
    loops = 1
    while True:
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        first = time.perf_counter() - start
        if first >= min_time:
            break
        loops *= 2 if first == 0 else max(2, min(10, int(min_time / first) + 1))
    repeats = int(max(3, min(max_repeats, budget / first)))
    per_call = [first / loops]
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        per_call.append((time.perf_counter() - start) / loops)
    return {
        "median_s": statistics.median(per_call),
        "min_s": min(per_call),
        "max_s": max(per_call),
        "repeats": len(per_call),
        "loops": loops,
    }


def crate_seconds(binary, op, n, iters):
    out = subprocess.run(
        [binary, "--op", op, "--items", str(n), "--iters", str(iters)], check=True, capture_output=True, text=True
    ).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    return statistics.median(json.loads(line)["seconds"])


def paired(binary, n, zeep_fn, op, rounds, min_time):
    """Median, min and max over rounds of (zeep seconds per call) / (crate seconds per call)."""
    zeep_fn()
    crate = crate_seconds(binary, op, n, 3)
    iters = max(3, min(200, int(min_time / crate) + 1))
    start = time.perf_counter()
    zeep_fn()
    zeep_once = time.perf_counter() - start
    loops = max(1, int(min_time / zeep_once) + 1) if zeep_once < min_time else 1
    ratios, zs, cs = [], [], []
    for r in range(rounds):
        def z():
            start = time.perf_counter()
            for _ in range(loops):
                zeep_fn()
            return (time.perf_counter() - start) / loops

        if r % 2 == 0:
            zt = z()
            ct = crate_seconds(binary, op, n, iters)
        else:
            ct = crate_seconds(binary, op, n, iters)
            zt = z()
        ratios.append(zt / ct)
        zs.append(zt)
        cs.append(ct)
    return {
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "rounds": rounds,
        "zeep_median_s": statistics.median(zs),
        "crate_median_s": statistics.median(cs),
    }


def status_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no %s in /proc/self/status" % field)


def memory(n):
    c = client()
    binding = c.service._binding
    operation = binding.get("GetItemList")
    content = reply_bytes(n)
    # Warm up zeep's lazily built parts on a small document.
    binding.process_reply(c, operation, Reply(reply_bytes(100)))
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        peak_reset = True
    except OSError:
        peak_reset = False
    baseline = status_bytes("VmRSS") if peak_reset else status_bytes("VmHWM")
    result = binding.process_reply(c, operation, Reply(content))
    peak = status_bytes("VmHWM")
    assert len(result) == n, len(result)
    return {
        "items": n,
        "reply_bytes": len(content),
        "peak_reset": peak_reset,
        "rss_baseline_bytes": baseline,
        "peak_rss_bytes": peak,
        "peak_rss_delta_bytes": peak - baseline,
        "peak_rss_delta_ratio": round((peak - baseline) / len(content), 3),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 10000, 100000])
    ap.add_argument("--min-time", type=float, default=0.2, help="seconds a repeat lasts at least")
    ap.add_argument("--repeats", type=int, default=15, help="most repeats per case")
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per case, past which fewer repeats run")
    ap.add_argument("--memory", type=int, metavar="N", help="measure memory for the reply of N items instead")
    ap.add_argument("--paired", metavar="BIN", help="the crate's `paired` bench binary: also time the ratios side by side")
    ap.add_argument("--rounds", type=int, default=9, help="rounds of the paired ratios (fewer for 100,000 items)")
    args = ap.parse_args()

    if args.memory:
        print(json.dumps(memory(args.memory)))
        return

    c = client()
    binding = c.service._binding
    operation = binding.get("GetItemList")
    results = []
    for n in args.sizes:
        content = reply_bytes(n)
        items = binding.process_reply(c, operation, Reply(content))
        assert len(items) == n, (n, len(items))
        message = c.create_message(c.service, "GetItemList", item=items)
        request_bytes = len(etree.tostring(message))
        row = {"n": n, "reply_bytes": len(content), "request_bytes": request_bytes}
        row["process_reply"] = timed(
            lambda: binding.process_reply(c, operation, Reply(content)), args.min_time, args.repeats, args.budget
        )
        row["create_message"] = timed(
            lambda: c.create_message(c.service, "GetItemList", item=items), args.min_time, args.repeats, args.budget
        )
        row["create_message_tostring"] = timed(
            lambda: etree.tostring(c.create_message(c.service, "GetItemList", item=items)),
            args.min_time,
            args.repeats,
            args.budget,
        )
        if args.paired:
            rounds = args.rounds if n < 100000 else max(3, args.rounds // 2)
            row["paired"] = {
                "process_reply÷deserialize": paired(
                    args.paired, n, lambda: binding.process_reply(c, operation, Reply(content)), "deserialize", rounds, args.min_time
                ),
                "create_message÷serialize": paired(
                    args.paired,
                    n,
                    lambda: c.create_message(c.service, "GetItemList", item=items),
                    "serialize",
                    rounds,
                    args.min_time,
                ),
            }
        print(
            "zeep n=%d: process_reply %.3g s, create_message %.3g s (median)"
            % (n, row["process_reply"]["median_s"], row["create_message"]["median_s"]),
            file=sys.stderr,
        )
        results.append(row)
    print(
        json.dumps(
            {
                "zeep": zeep.__version__,
                "lxml": lxml.__version__,
                "python": platform.python_version(),
                "results": results,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
