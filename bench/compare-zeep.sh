#!/usr/bin/env bash
# The crate next to python-zeep, in one run, on the same envelopes and the same contract.
#
#   bench/compare-zeep.sh            # full run (about 12 minutes on 2 cores)
#   QUICK=1 bench/compare-zeep.sh    # criterion --quick and fewer zeep repeats (a smoke test)
#   CALL=1 bench/compare-zeep.sh     # also the loopback-HTTP `call` bench (about 5 more minutes)
#   MAX_LOAD=1.5 bench/compare-zeep.sh  # first wait (up to 30 minutes) for a 1-minute load below 1.5
#
# 1. creates a virtualenv in target/zeep-venv and installs zeep (pinned) from PyPI: the only
#    network access, skipped when the pinned versions are already there;
# 2. runs the crate's criterion bench `xml` (zeep_shape: 100 / 10,000 / 100,000 items, written
#    to target/bench-data/ first; and the Nmbrs and Data Zoo replies), `paired` (the target
#    ratios, both sides timed in alternating batches) and `memory` (the 100,000-item reply);
# 3. runs bench/zeep_bench.py on the same files with benches/contracts/ZeepBenchmark.wsdl (its
#    own timings, and the zeep-to-crate ratios timed side by side with the `paired` bench
#    binary), and its memory measurement;
# 4. prints the tables with the ratios (bench/report.py) and draws bench/zeep-shape.svg.
#
# Results land in target/bench-results/. Builds use CARGO_TARGET_DIR (default target/bench).
set -euo pipefail

cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/bench}"
ZEEP_VERSION=4.3.3
LXML_VERSION=6.1.3
VENV=target/zeep-venv
OUT=target/bench-results
mkdir -p "$OUT"

machine() {
    echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "load ($1): $(cut -d' ' -f1-3 /proc/loadavg)"
}
if [ -n "${MAX_LOAD:-}" ]; then
    for _ in $(seq 180); do
        awk -v max="$MAX_LOAD" '{ exit !($1 < max) }' /proc/loadavg && break
        sleep 10
    done
fi
machine "start" | tee "$OUT/machine.txt"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import zeep, lxml, sys; sys.exit(not (zeep.__version__ == '$ZEEP_VERSION' and lxml.__version__ == '$LXML_VERSION'))" 2>/dev/null; then
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "zeep==$ZEEP_VERSION" "lxml==$LXML_VERSION"
fi

criterion_args=()
zeep_args=()
if [ "${QUICK:-0}" = 1 ]; then
    criterion_args=(--quick)
    zeep_args=(--repeats 3 --budget 5 --min-time 0.05 --rounds 3)
fi

started=$(date +%s)
echo "== crate: cargo bench --bench xml"
cargo bench --bench xml -- "${criterion_args[@]}" 2>&1 | tee "$OUT/xml.txt" | grep -E '^[a-z_]+/|time:' || true
echo "== crate: cargo bench --bench paired (ratios timed side by side)"
cargo bench --bench paired -- "${criterion_args[@]}" 2>/dev/null | grep '^{' > "$OUT/paired.jsonl"
echo "== crate: cargo bench --bench memory"
cargo bench --bench memory 2>/dev/null | tail -1 | tee "$OUT/memory.json"
if [ "${CALL:-0}" = 1 ]; then
    echo "== crate: cargo bench --bench call"
    cargo bench --bench call -- "${criterion_args[@]}" 2>&1 | tee "$OUT/call.txt" | grep -E '^(call|token)|time:|thrpt:' || true
fi

echo "== zeep $ZEEP_VERSION: bench/zeep_bench.py (with the ratios to the crate timed side by side)"
paired_bin=$(cargo bench --bench paired --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))/\1/p' | tail -1)
"$VENV/bin/python" bench/zeep_bench.py "${zeep_args[@]}" --paired "$paired_bin" > "$OUT/zeep.json"
"$VENV/bin/python" bench/zeep_bench.py --memory 100000 | tee "$OUT/zeep-memory.json"

machine "end" | tee -a "$OUT/machine.txt"
echo
python3 bench/report.py \
    --since "$started" \
    --zeep "$OUT/zeep.json" \
    --memory "$OUT/memory.json" \
    --paired "$OUT/paired.jsonl" \
    --zeep-memory "$OUT/zeep-memory.json" \
    --svg bench/zeep-shape.svg \
    --markdown "$OUT/report.md"
