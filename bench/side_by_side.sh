#!/usr/bin/env bash
# Recur vs PyTorch vs ONNX Runtime on this machine, in one run (see docs/BENCHMARKS.md).
#   bench/side_by_side.sh [BUDGET_SECONDS]      (default 2 s of timed samples per entry and variant)
# Each side takes the best of 1 and 2 threads per entry. PyTorch: Debian's python3-torch (OpenBLAS).
# ONNX Runtime: models exported from PyTorch into a temporary folder (intra-op threads). Recur: `recur bench
# --threads N --json`. Prints the ratios; set KEEP=folder to keep the JSON files.
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

echo "== Recur" >&2
"${recur[@]}" bench --threads 1 --budget "$budget" --json "$work/recur1.json"
"${recur[@]}" bench --threads 2 --budget "$budget" --json "$work/recur2.json"
echo "== PyTorch $("$py" -c 'import torch; print(torch.__version__)')" >&2
"$py" "$root/bench/torch_bench.py" --threads 1 --budget "$budget" --json "$work/torch1.json"
"$py" "$root/bench/torch_bench.py" --threads 2 --budget "$budget" --json "$work/torch2.json"
echo "== ONNX Runtime" >&2
"$py" "$root/bench/torch_bench.py" --export "$work/onnx" 2>/dev/null
"${onnx[@]}" "$work/onnx" "$work/ort.json" "$budget"
echo "== peak working set, one LSTM B64 T100 H512 training step, fresh process each" >&2
"${recur[@]}" bench --only lstm_train_b64_t100_i128_h512 --budget 1 --memory --json "$work/recur_mem.json" >/dev/null
"$py" "$root/bench/torch_bench.py" --threads 2 --memory > "$work/torch_mem.json"

"$py" - "$work" <<'PY'
import json, sys, os
w = sys.argv[1]
load = lambda f: {r["name"]: r for r in json.load(open(os.path.join(w, f)))}
r1, r2, t1, t2, ort = load("recur1.json"), load("recur2.json"), load("torch1.json"), load("torch2.json"), load("ort.json")
for r in r1.values(): r["threads"] = 1
for r in r2.values(): r["threads"] = 2
# fma_peak and gemm_1024 are throughput entries: the best is the highest rate; the rest the shortest time.
recur = {n: max(r1[n], r2[n], key=lambda r: r["gflops"]) if n in ("fma_peak", "gemm_1024") else min(r1[n], r2[n], key=lambda r: r["median_ms"]) for n in r1}
print()
print(f"{'entry':36} {'Recur ms':>10} {'T':>2} {'GFLOP/s':>8} {'alloc B':>10} {'torch ms':>10} {'T':>2} {'x torch':>8} {'ORT ms':>9} {'T':>2} {'x ORT':>7}")
for name, r in recur.items():
    ms = r["median_ms"]
    tb = min((t for t in (t1.get(name), t2.get(name)) if t), key=lambda t: t["median_ms"], default=None)
    o = ort.get(name)
    tcol = f"{tb['median_ms']:10.4f} {tb['threads']:2d} {tb['median_ms'] / ms:7.2f}x" if tb else f"{'-':>10} {'':2} {'-':>8}"
    ocol = f"{o['median_ms']:9.4f} {o['threads']:2d} {o['median_ms'] / ms:6.2f}x" if o else f"{'-':>9} {'':2} {'-':>7}"
    print(f"{name:36} {ms:10.4f} {r['threads']:2d} {r['gflops']:8.1f} {r['allocated_bytes']:10d} {tcol} {ocol}")
print("(x torch, x ORT: their median time / Recur's; above 1 = Recur faster)")
rm = json.load(open(os.path.join(w, "recur_mem.json")))[0]["peak_working_set_bytes"]
tm = json.load(open(os.path.join(w, "torch_mem.json")))["peak_working_set_bytes"]
print(f"peak working set, lstm_train_b64_t100_i128_h512: Recur {rm / 2**20:.0f} MiB, PyTorch {tm / 2**20:.0f} MiB")
PY
