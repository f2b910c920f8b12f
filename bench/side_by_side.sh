#!/usr/bin/env bash
# Recur vs PyTorch vs ONNX Runtime on this machine, in one run (see docs/BENCHMARKS.md).
#   bench/side_by_side.sh [BUDGET_SECONDS]      (default 2 s of timed samples per entry and variant)
# Each side takes the best of 1 and 2 threads per entry. PyTorch: Debian's python3-torch (OpenBLAS).
# ONNX Runtime: models exported from PyTorch into a temporary folder (intra-op threads). Recur: `recur bench
# --threads N --json`. The three sides run in turn ROUNDS times (default 3, about 3-4 minutes a round), so load from
# outside the machine (a shared virtual machine's host) falls on all of them alike; the table shows each side's
# median over the rounds and the range of the ratios. Set KEEP=folder to keep the JSON files.
set -euo pipefail
budget="${1:-2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch and libopenblas0-pthread" >&2
  apt-get update -qq && apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi
work="$(mktemp -d)"
trap 'if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/*.json "$KEEP"/; fi; rm -rf "$work"' EXIT

echo "== building" >&2
dotnet build -c Release "$root/src/Recur.Cli" -v q -nologo >&2
dotnet build -c Release "$root/bench/Recur.OnnxBench" -v q -nologo >&2
recur=(dotnet "$root/src/Recur.Cli/bin/Release/net10.0/Recur.Cli.dll")
onnx=(dotnet "$root/bench/Recur.OnnxBench/bin/Release/net10.0/Recur.OnnxBench.dll")

rounds="${ROUNDS:-3}"
"$py" "$root/bench/torch_bench.py" --export "$work/onnx" 2>/dev/null
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds: Recur" >&2
  "${recur[@]}" bench --threads 1 --budget "$budget" --json "$work/recur1_$round.json"
  "${recur[@]}" bench --threads 2 --budget "$budget" --json "$work/recur2_$round.json"
  echo "== round $round of $rounds: PyTorch $("$py" -c 'import torch; print(torch.__version__)')" >&2
  "$py" "$root/bench/torch_bench.py" --threads 1 --budget "$budget" --json "$work/torch1_$round.json"
  "$py" "$root/bench/torch_bench.py" --threads 2 --budget "$budget" --json "$work/torch2_$round.json"
  echo "== round $round of $rounds: ONNX Runtime" >&2
  "${onnx[@]}" "$work/onnx" "$work/ort_$round.json" "$budget"
done
echo "== peak working set, one LSTM B64 T100 H512 training step, fresh process each" >&2
"${recur[@]}" bench --only lstm_train_b64_t100_i128_h512 --budget 1 --memory --json "$work/recur_mem.json" >/dev/null
"$py" "$root/bench/torch_bench.py" --threads 2 --memory > "$work/torch_mem.json"

"$py" - "$work" "$rounds" <<'PY'
import json, sys, os, statistics
w, rounds = sys.argv[1], int(sys.argv[2])
load = lambda f: {r["name"]: r for r in json.load(open(os.path.join(w, f)))}
rate_entries = ("fma_peak", "gemm_1024")  # throughput entries: the best is the highest rate; the rest the shortest time

def best(*variants):
    found = [v for v in variants if v]
    if not found: return None
    return max(found, key=lambda r: r["gflops"]) if found[0]["name"] in rate_entries else min(found, key=lambda r: r["median_ms"])

per_round = []  # [{side: {name: best record}}]
for k in range(1, rounds + 1):
    r1, r2 = load(f"recur1_{k}.json"), load(f"recur2_{k}.json")
    for r in r1.values(): r["threads"] = 1
    for r in r2.values(): r["threads"] = 2
    t1, t2, o = load(f"torch1_{k}.json"), load(f"torch2_{k}.json"), load(f"ort_{k}.json")
    per_round.append({"recur": {n: best(r1[n], r2.get(n)) for n in r1},
                      "torch": {n: best(t1.get(n), t2.get(n)) for n in set(t1) | set(t2)},
                      "ort": o})

def median_record(side, name):
    recs = [rd[side].get(name) for rd in per_round]
    recs = [r for r in recs if r]
    if not recs: return None
    key = (lambda r: -r["gflops"]) if name in rate_entries else (lambda r: r["median_ms"])
    return sorted(recs, key=key)[(len(recs) - 1) // 2]  # the median round (the lower middle for even counts)

def ratios(side, name):
    xs = [rd[side][name]["median_ms"] / rd["recur"][name]["median_ms"] for rd in per_round if rd[side].get(name)]
    return (min(xs), max(xs)) if xs else None

print()
print(f"{rounds} rounds; each cell is the median round; x = their time / Recur's (above 1: Recur faster), median and range over the rounds")
print(f"{'entry':32} {'Recur ms':>9} {'T':>1} {'GFLOP/s':>7} {'alloc B':>9} {'torch ms':>9} {'T':>1} {'x torch':>18} {'ORT ms':>8} {'T':>1} {'x ORT':>17}")
for name in per_round[0]["recur"]:
    r = median_record("recur", name)
    ms = r["median_ms"]
    cols = []
    for side, width in (("torch", 9), ("ort", 8)):
        other = median_record(side, name)
        rng = ratios(side, name)
        if other:
            xs = sorted(rd[side][name]["median_ms"] / rd["recur"][name]["median_ms"] for rd in per_round if rd[side].get(name))
            mid = statistics.median(xs)
            cols.append(f"{other['median_ms']:{width}.4f} {other['threads']:1d} {mid:5.2f}x ({rng[0]:.2f}-{rng[1]:.2f})")
        else:
            cols.append(f"{'-':>{width}} {'':1} {'-':>18}")
    print(f"{name:32} {ms:9.4f} {r['threads']:1d} {r['gflops']:7.1f} {r['allocated_bytes']:9d} {cols[0]} {cols[1]}")
rm = json.load(open(os.path.join(w, "recur_mem.json")))[0]["peak_working_set_bytes"]
tm = json.load(open(os.path.join(w, "torch_mem.json")))["peak_working_set_bytes"]
print(f"peak working set, lstm_train_b64_t100_i128_h512: Recur {rm / 2**20:.0f} MiB, PyTorch {tm / 2**20:.0f} MiB")
PY
