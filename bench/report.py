#!/usr/bin/env python3
"""Tables (Markdown) and a plot (SVG, written by hand: no dependencies) of the benchmark results.

Reads criterion's results (`<criterion dir>/**/new/{benchmark,estimates,sample}.json`: the
median of the estimates, min-max over the samples, per iteration), the JSON of
`bench/zeep_bench.py` and the JSON lines of `cargo bench --bench memory` and
`zeep_bench.py --memory`, and prints:

- the zeep-shape table: the crate's deserialize and serialize next to the bare namespace-aware
  scan and to zeep, with the ratios and the targets;
- every other criterion benchmark found (the `call` bench, the Nmbrs and Data Zoo replies);
- memory.

Used by `bench/compare-zeep.sh`; run alone after the benches to redo the tables.
"""

import argparse
import glob
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_criterion(root, since=0):
    out = {}
    for path in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        new = os.path.dirname(path)
        if os.path.getmtime(os.path.join(new, "estimates.json")) < since:
            continue
        with open(path) as f:
            bench = json.load(f)
        with open(os.path.join(new, "estimates.json")) as f:
            est = json.load(f)
        with open(os.path.join(new, "sample.json")) as f:
            sample = json.load(f)
        per_iter = [t / i for t, i in zip(sample["times"], sample["iters"])]
        out[bench["full_id"]] = {
            "group": bench["group_id"],
            "function": bench.get("function_id"),
            "value": bench.get("value_str"),
            "throughput": bench.get("throughput"),
            "median_s": est["median"]["point_estimate"] / 1e9,
            "min_s": min(per_iter) / 1e9,
            "max_s": max(per_iter) / 1e9,
            "samples": len(per_iter),
        }
    return out


def fmt_time(s):
    if s is None:
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            v = s / scale
            return ("%.3g" % v if v < 100 else "%.0f" % v) + " " + unit
    return "%.3g ns" % (s * 1e9)


def cell(m):
    if not m:
        return "-"
    return "%s (%s – %s)" % (fmt_time(m["median_s"]), fmt_time(m["min_s"]), fmt_time(m["max_s"]))


def ratio(a, b):
    if not a or not b:
        return None
    return a["median_s"] / b["median_s"]


def fmt_ratio(r, digits=2):
    return "-" if r is None else ("%.*f×" % (digits, r) if r < 100 else "%.0f×" % r)


def mark(ok):
    return "" if ok is None else (" ✓" if ok else " ✗")


def zeep_table(crit, zeep):
    by_n = {r["n"]: r for r in (zeep or {}).get("results", [])}
    sizes = sorted({int(v["value"]) for v in crit.values() if v["group"] == "zeep_shape"} | set(by_n))
    lines = [
        "| items | reply | crate deserialize | bare NsReader scan | deserialize ÷ scan (≤ 1.5×) "
        "| zeep process_reply | zeep ÷ crate (≥ 30×) | zeep ÷ crate, side by side |",
        "|---:|---:|---|---|---:|---|---:|---|",
    ]
    ser = [
        "| items | crate serialize | zeep create_message | zeep ÷ crate (≥ 100×) | zeep ÷ crate, side by side "
        "| zeep create_message + tostring |",
        "|---:|---|---|---:|---|---|",
    ]
    rows = []
    for n in sizes:
        get = lambda f: crit.get("zeep_shape/%s/%d" % (f, n))
        de, scan, se = get("deserialize"), get("bare_ns_scan"), get("serialize")
        z = by_n.get(n, {})
        zr, zc, zct = z.get("process_reply"), z.get("create_message"), z.get("create_message_tostring")
        r_scan, r_zeep, r_ser = ratio(de, scan), ratio(zr, de), ratio(zc, se)
        size = z.get("reply_bytes")
        if size is None and de and de.get("throughput"):
            size = de["throughput"].get("Bytes")
        pr = z.get("paired", {})
        side = lambda key, target: (
            "-"
            if key not in pr
            else "%s%s (%s – %s)"
            % (
                fmt_ratio(pr[key]["ratio_median"], 1),
                mark(pr[key]["ratio_median"] >= target),
                fmt_ratio(pr[key]["ratio_min"], 1),
                fmt_ratio(pr[key]["ratio_max"], 1),
            )
        )
        lines.append(
            "| %s | %s | %s | %s | %s%s | %s | %s%s | %s |"
            % (
                "{:,}".format(n),
                "-" if size is None else "%.2f MB" % (size / 1e6) if size >= 1e6 else "%.1f kB" % (size / 1e3),
                cell(de),
                cell(scan),
                fmt_ratio(r_scan),
                mark(None if r_scan is None or n < 10000 else r_scan <= 1.5),
                cell(zr),
                fmt_ratio(r_zeep, 1),
                mark(None if r_zeep is None else r_zeep >= 30),
                side("process_reply÷deserialize", 30),
            )
        )
        ser.append(
            "| %s | %s | %s | %s%s | %s | %s |"
            % (
                "{:,}".format(n),
                cell(se),
                cell(zc),
                fmt_ratio(r_ser, 1),
                mark(None if r_ser is None else r_ser >= 100),
                side("create_message÷serialize", 100),
                cell(zct),
            )
        )
        rows.append({"n": n, "deserialize": de, "bare_ns_scan": scan, "serialize": se, "zeep": z})
    return "\n".join(lines), "\n".join(ser), rows


def other_table(crit):
    lines = ["| benchmark | median (min – max) | throughput |", "|---|---|---:|"]
    for full_id in sorted(crit):
        m = crit[full_id]
        if m["group"] == "zeep_shape":
            continue
        tp = m.get("throughput") or {}
        if "Elements" in tp:
            rate = "%s calls/s" % "{:,.0f}".format(tp["Elements"] / m["median_s"])
        elif "Bytes" in tp:
            rate = "%.0f MB/s" % (tp["Bytes"] / m["median_s"] / 1e6)
        else:
            rate = "%s /s" % "{:,.0f}".format(1 / m["median_s"])
        lines.append("| `%s` | %s | %s |" % (full_id, cell(m), rate))
    return "\n".join(lines)


def ratio_table(crit):
    """Ratios within a group: to the bare scan (readers), to the bare reqwest POST (calls)."""
    lines = ["| group | benchmark | ÷ reference | reference |", "|---|---|---:|---|"]
    found = False
    for full_id in sorted(crit):
        m = crit[full_id]
        group, function, value = m["group"], m["function"], m["value"]
        if group == "zeep_shape":
            continue
        if function in ("deserialize", "deserialize_no_drop", "reader_skip", "ns_scan_starts"):
            ref = "%s/bare_ns_scan/%s" % (group, value)
            if ref not in crit and group == "zeep_shape_parts":
                ref = "zeep_shape/bare_ns_scan/%s" % value
        elif group.startswith("call_") and function != "reqwest":
            ref = "%s/reqwest/%s" % (group, value)
        else:
            continue
        if ref not in crit:
            continue
        found = True
        target = ""
        if group.startswith("call_"):
            target = mark(ratio(m, crit[ref]) <= 1.2)
        lines.append("| %s | %s/%s | %s%s | `%s` |" % (group, function, value, fmt_ratio(ratio(m, crit[ref])), target, ref))
    return "\n".join(lines) if found else ""


def paired_table(rows):
    lines = [
        "| ratio (both sides timed in alternating batches) | median | min – max | rounds | side A per op | side B per op |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for r in rows:
        name = r["ratio"]
        target = None
        if "deserialize÷bare_ns_scan" in name and name.startswith("zeep_shape") and not name.endswith("/100"):
            target = r["median"] <= 1.5
        elif "÷reqwest/" in name and "reqwest_read" not in name:
            target = r["median"] <= 1.2
        lines.append(
            "| `%s` | %.2f×%s | %.2f× – %.2f× | %d | %s | %s |"
            % (name, r["median"], mark(target), r["min"], r["max"], r["rounds"], fmt_time(r["a_median_s"]), fmt_time(r["b_median_s"]))
        )
    return "\n".join(lines)


def memory_table(ours, theirs):
    lines = [
        "| reader | items | reply | peak RSS − baseline | ÷ reply (≤ 3×) | heap peak − baseline | heap kept by the result |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    mb = lambda b: "-" if b is None else "%.1f MB" % (b / 1e6)
    for name, m in (("crate", ours), ("zeep", theirs)):
        if not m:
            continue
        r = m["peak_rss_delta_bytes"] / m["reply_bytes"]
        lines.append(
            "| %s | %s | %s | %s | %.2f×%s | %s | %s |"
            % (
                name,
                "{:,}".format(m["items"]),
                mb(m["reply_bytes"]),
                mb(m["peak_rss_delta_bytes"]),
                r,
                mark(r <= 3) if name == "crate" else "",
                mb(m.get("heap_peak_delta_bytes")),
                mb(m.get("heap_retained_bytes")),
            )
        )
    return "\n".join(lines)


def svg_plot(rows, path):
    """Time per call against the item count, log-log, with min-max bars."""
    series = [
        ("zeep process_reply", "#d62728", lambda r: r["zeep"].get("process_reply")),
        ("zeep create_message", "#ff9896", lambda r: r["zeep"].get("create_message")),
        ("crate deserialize", "#1f77b4", lambda r: r["deserialize"]),
        ("crate serialize", "#9edae5", lambda r: r["serialize"]),
        ("bare NsReader scan", "#2ca02c", lambda r: r["bare_ns_scan"]),
    ]
    pts = [(r["n"], f(r)) for r in rows for _, _, f in series if f(r)]
    if not pts:
        return False
    W, H, L, R, T, B = 760, 480, 80, 200, 30, 60
    xs = [math.log10(n) for n, _ in pts]
    ys = [math.log10(m["min_s"]) for _, m in pts] + [math.log10(m["max_s"]) for _, m in pts]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
    if x1 == x0:
        x1 += 1
    px = lambda n: L + (math.log10(n) - x0) / (x1 - x0) * (W - L - R)
    py = lambda s: T + (y1 - math.log10(s)) / (y1 - y0) * (H - T - B)
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (W, H),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="%d" y="18" font-size="14">Zeep\'s benchmark shape: time per reply or request (log-log)</text>' % L,
    ]
    for e in range(y0, y1 + 1):
        y = py(10**e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (L, y, W - R, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (L - 6, y + 4, fmt_time(10**e)))
    for e in range(x0, x1 + 1):
        x = px(10**e)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, T, x, H - B))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (x, H - B + 18, "{:,}".format(10**e)))
    out.append('<text x="%d" y="%d" text-anchor="middle">items in the reply (N)</text>' % ((L + W - R) / 2, H - 15))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#444"/>' % (L, T, W - L - R, H - T - B))
    for i, (name, color, f) in enumerate(series):
        p = [(r["n"], f(r)) for r in rows if f(r)]
        if not p:
            continue
        out.append(
            '<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
            % (color, " ".join("%.1f,%.1f" % (px(n), py(m["median_s"])) for n, m in p))
        )
        for n, m in p:
            x = px(n)
            out.append(
                '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>' % (x, py(m["min_s"]), x, py(m["max_s"]), color)
            )
            out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (x, py(m["median_s"]), color))
        ly = T + 20 + i * 20
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>' % (W - R + 12, ly, W - R + 32, ly, color))
        out.append('<text x="%d" y="%d">%s</text>' % (W - R + 38, ly + 4, name))
    out.append(
        '<text x="%d" y="%d" fill="#555">median, bars: min – max</text>' % (W - R + 12, T + 20 + len(series) * 20 + 10)
    )
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return True


def read_json(path, lines=False):
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    if lines:
        text = [l for l in text.splitlines() if l.startswith("{")][-1]
    return json.loads(text)


def main():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target", "bench")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--criterion", default=os.path.join(target, "criterion"))
    ap.add_argument("--zeep", help="JSON of zeep_bench.py")
    ap.add_argument("--memory", help="JSON line of cargo bench --bench memory")
    ap.add_argument("--zeep-memory", help="JSON line of zeep_bench.py --memory")
    ap.add_argument("--paired", help="JSON lines of cargo bench --bench paired")
    ap.add_argument("--svg", help="write the plot here")
    ap.add_argument("--markdown", help="also write the tables here")
    ap.add_argument("--since", type=float, default=0, help="only criterion results written after this Unix time")
    args = ap.parse_args()

    crit = load_criterion(args.criterion, args.since)
    zeep = read_json(args.zeep)
    de_table, ser_table, rows = zeep_table(crit, zeep)
    parts = []
    if zeep:
        parts.append("zeep %s, lxml %s, Python %s" % (zeep["zeep"], zeep["lxml"], zeep["python"]))
    parts += ["### Deserialize", de_table, "### Serialize", ser_table]
    others = other_table(crit)
    if others.count("\n") > 1:
        parts += ["### Other benchmarks", others]
    ratios = ratio_table(crit)
    if ratios:
        parts += ["### Ratios (medians; calls: target ≤ 1.2× the bare reqwest POST)", ratios]
    if args.paired and os.path.exists(args.paired):
        with open(args.paired) as f:
            paired = [json.loads(l) for l in f if l.startswith("{")]
        if paired:
            parts += ["### Ratios timed side by side (`cargo bench --bench paired`)", paired_table(paired)]
    mem, zmem = read_json(args.memory, True), read_json(args.zeep_memory, True)
    if mem or zmem:
        parts += ["### Memory", memory_table(mem, zmem)]
    text = "\n\n".join(parts) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.svg and svg_plot(rows, args.svg):
        print("plot: %s" % os.path.relpath(args.svg, os.getcwd()), file=sys.stderr)


if __name__ == "__main__":
    main()
