#!/usr/bin/env bash
# `recur classify train` vs its PyTorch twin (bench/classify_torch.py) on SST-2, on this machine, in one run.
#   bench/classify_side_by_side.sh [EPOCHS] [TRAIN] [DEV]      (default 4 epochs of ../shared/data/sst2)
# Both train the same model with recur's text defaults (or the extra options in $OPTS, given to both) for EPOCHS
# epochs without early stopping, on the same words (Recur with --split-punctuation false: the twin splits on
# whitespace only, as SST-2 comes tokenized) and without character features (the twin has none), each side on 1 and on 2 threads, in turn over ROUNDS rounds (default 2). Reported:
# each side's milliseconds per training step (forward, backward, clipping, update; the first epoch, which includes
# warm-up, left out), the best of its thread counts, and the dev accuracy after the last epoch; plus the FMA peak
# measured in the same run (`recur bench --only fma_peak`), so figures from different machines compare.
set -euo pipefail
epochs="${1:-4}"
root="$(cd "$(dirname "$0")/.." && pwd)"
train="${2:-$root/../shared/data/sst2/stsa.binary.train}"
dev="${3:-$root/../shared/data/sst2/stsa.binary.dev}"
py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch and libopenblas0-pthread" >&2
  apt-get update -qq && apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi
# $WORK keeps the runs (and a rerun with SKIP_RUNS=1 only reports them); without it they go to a temporary folder.
if [ -n "${WORK:-}" ]; then work="$WORK"; mkdir -p "$work"; else work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; fi
dotnet build -c Release "$root/src/Recur.Cli" -v q -nologo >&2
recur=(dotnet "$root/src/Recur.Cli/bin/Release/net10.0/Recur.Cli.dll")
read -r -a opts <<< "${OPTS:-}"
rounds="${ROUNDS:-2}"
for round in $(seq 1 "$rounds"); do
  [ -n "${SKIP_RUNS:-}" ] && break
  for t in 1 2; do
    echo "== round $round: Recur, $t thread(s)" >&2
    "${recur[@]}" classify train --train "$train" --dev "$dev" --out "$work/recur${t}_$round" --max-epochs "$epochs" --patience 0 --threads "$t" --split-punctuation false --char-embedding-size 0 "${opts[@]}" >&2
    echo "== round $round: PyTorch, $t thread(s)" >&2
    OPENBLAS_NUM_THREADS=$t "$py" "$root/bench/classify_torch.py" --train "$train" --dev "$dev" --out "$work/torch${t}_$round" --max-epochs "$epochs" --patience 0 --threads "$t" "${opts[@]}" >&2
  done
done
[ -n "${SKIP_RUNS:-}" ] || "${recur[@]}" bench --only fma_peak --json "$work/peak.json" >/dev/null
"$py" - "$work" "$rounds" <<'PY'
import json, sys, statistics
work, rounds = sys.argv[1], int(sys.argv[2])
def recur(run):
    cfg = json.load(open(f"{work}/{run}/last/config.json"))
    batch = cfg["data"]["batch_size"]
    lines = [json.loads(l) for l in open(f"{work}/{run}/metrics.jsonl")]
    rates = [l["sentences_per_s"] for l in lines[1:]] or [lines[0]["sentences_per_s"]]
    return 1000 * batch / statistics.mean(rates), lines[-1]["val_accuracy"]
def torch(run):
    lines = [json.loads(l) for l in open(f"{work}/{run}/metrics.jsonl")]
    ms = [l["ms_per_step"] for l in lines[1:]] or [lines[0]["ms_per_step"]]
    return statistics.mean(ms), lines[-1]["val_accuracy"]
peak = json.load(open(f"{work}/peak.json"))[0]["gflops"]
print(f"fma_peak {peak:.1f} GFLOP/s (all cores, this run)")
# The recurrent layers' multiply-adds per training step: 2 flops per multiply-add, forward plus a backward of twice
# the forward (input and weight gradients), over the training file's words per step; embedding lookups, pooling,
# the head and the optimizer are left out, so this is a lower bound on the work done.
cfg = json.load(open(f"{work}/recur1_1/last/config.json"))
m, batch = cfg["model"], cfg["data"]["batch_size"]
gates = {"lstm": 4, "gru": 3, "rnn": 1}[m["cell"]]
dirs = 2 if m["bidirectional"] else 1
inputs = [m["embedding_size"]] + [dirs * m["hidden_size"]] * (m["layers"] - 1)
per_word = sum(2 * dirs * gates * m["hidden_size"] * (x + m["hidden_size"]) for x in inputs)
words = sum(len(line.split()) - 1 for line in open(cfg["data"]["train"], encoding="utf-8") if line.strip())
steps = -(-sum(1 for line in open(cfg["data"]["train"], encoding="utf-8") if line.strip()) // batch)
step_gflop = 3 * per_word * words / steps / 1e9
print(f"about {step_gflop:.2f} GFLOP per training step in the recurrent layers ({words:,} words in {steps} steps per epoch)")
print(f"{'round':>5} {'side':>8} {'threads':>7} {'ms/step':>8} {'dev acc':>8} {'of peak':>7}")
best = {"recur": [], "torch": []}
for r in range(1, rounds + 1):
    for side, f in (("recur", recur), ("torch", torch)):
        results = [(f(f"{side}{t}_{r}"), t) for t in (1, 2)]
        for (ms, acc), t in results:
            print(f"{r:>5} {side:>8} {t:>7} {ms:8.1f} {100 * acc:7.2f}% {100 * step_gflop / ms * 1000 / peak:6.1f}%")
        best[side].append(min(results)[0])
for side in best:
    ms = statistics.median(m for m, _ in best[side])
    print(f"{side}: median best-thread {ms:.1f} ms/step ({step_gflop / ms * 1000:.1f} GFLOP/s, {100 * step_gflop / ms * 1000 / peak:.1f}% of fma_peak), "
          f"dev accuracy {', '.join(f'{100 * a:.2f}%' for _, a in best[side])}")
ratio = statistics.median(best["torch"][i][0] / best["recur"][i][0] for i in range(rounds))
print(f"Recur is {ratio:.2f}x faster per training step (median over rounds)")
PY
