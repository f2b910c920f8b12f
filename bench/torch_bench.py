"""PyTorch side of bench/side_by_side.sh: the entries of `recur bench`, measured with torch on the CPU.

    python3 torch_bench.py --threads N --json FILE [--only SUBSTRING] [--budget SECONDS]
    python3 torch_bench.py --export FOLDER     # ONNX models for bench/Recur.OnnxBench
    python3 torch_bench.py --memory            # peak working set of one LSTM B64 T100 H512 training step

Timing follows recur bench: warm-up, then the median of timed samples within a budget per entry. Flop counts are
the same standard ones (forward 2*T*B*G*(I+H), training 3x forward, streaming = forward with T = 1).
"""
import argparse
import json
import os
import statistics
import time

import torch

TRAIN = [("lstm", 64, 100, 128, 512), ("gru", 64, 100, 128, 512), ("lstm", 32, 50, 64, 256)]
FORWARD = TRAIN
STREAM = [("lstm", 1, 64, 256), ("gru", 1, 64, 256)]


def flops(kind, b, t, i, h):
    return 2.0 * t * b * (4 if kind == "lstm" else 3) * h * (i + h)


def make(kind, i, h):
    torch.manual_seed(1)
    return (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(i, h)


def train_step(kind, b, t, i, h):
    model = make(kind, i, h)
    opt = torch.optim.SGD(model.parameters(), lr=1e-6)
    x = torch.randn(t, b, i)

    def step():
        opt.zero_grad()
        y, _ = model(x)
        y.sum().backward()
        opt.step()
    return f"{kind}_train_b{b}_t{t}_i{i}_h{h}", 3 * flops(kind, b, t, i, h), step


def forward(kind, b, t, i, h):
    model = make(kind, i, h).eval()
    x = torch.randn(t, b, i)

    def step():
        with torch.no_grad():
            model(x)
    return f"{kind}_forward_b{b}_t{t}_i{i}_h{h}", flops(kind, b, t, i, h), step


def stream(kind, b, i, h):
    model = make(kind, i, h).eval()
    x = torch.randn(1, b, i)
    state = [(torch.zeros(1, b, h), torch.zeros(1, b, h)) if kind == "lstm" else torch.zeros(1, b, h)]

    def step():
        with torch.no_grad():
            _, state[0] = model(x, state[0])
    return f"{kind}_stream_b{b}_i{i}_h{h}", flops(kind, b, 1, i, h), step


def entries():
    return [train_step(*e) for e in TRAIN] + [forward(*e) for e in FORWARD] + [stream(*e) for e in STREAM]


def measure(fn, budget):
    start = time.perf_counter()
    calls = 0
    while calls < 2 or time.perf_counter() - start < budget / 10:
        fn()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    group = max(1, min(100000, int(1e-3 / max(per_call, 1e-9))))
    samples = []
    start = time.perf_counter()
    while len(samples) < 5 or (time.perf_counter() - start < budget and len(samples) < 2000):
        t0 = time.perf_counter()
        for _ in range(group):
            fn()
        samples.append((time.perf_counter() - t0) / group)
    return statistics.median(samples) * 1e3, len(samples)


def export(folder):
    os.makedirs(folder, exist_ok=True)
    for kind, b, t, i, h in FORWARD:
        model = make(kind, i, h).eval()
        path = os.path.join(folder, f"{kind}_forward_b{b}_t{t}_i{i}_h{h}.onnx")
        torch.onnx.export(model, (torch.randn(t, b, i),), path, input_names=["x"], output_names=["y", "h_n"] + (["c_n"] if kind == "lstm" else []), opset_version=14)
    for kind, b, i, h in STREAM:
        model = make(kind, i, h).eval()
        path = os.path.join(folder, f"{kind}_stream_b{b}_i{i}_h{h}.onnx")
        h0 = torch.zeros(1, b, h)
        if kind == "lstm":
            torch.onnx.export(model, (torch.randn(1, b, i), (h0, torch.zeros(1, b, h))), path, input_names=["x", "h0", "c0"], output_names=["y", "h_n", "c_n"], opset_version=14)
        else:
            torch.onnx.export(model, (torch.randn(1, b, i), h0), path, input_names=["x", "h0"], output_names=["y", "h_n"], opset_version=14)


def peak_memory():
    name, _, step = train_step("lstm", 64, 100, 128, 512)
    for _ in range(3):
        step()
    with open("/proc/self/status") as f:
        hwm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"name": name, "peak_working_set_bytes": hwm}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json")
    p.add_argument("--only", default="")
    p.add_argument("--budget", type=float, default=2.0)
    p.add_argument("--export")
    p.add_argument("--memory", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.export:
        export(a.export)
        return
    if a.memory:
        peak_memory()
        return
    results = []
    for name, fl, fn in entries():
        if a.only not in name:
            continue
        ms, n = measure(fn, a.budget)
        results.append({"name": name, "median_ms": ms, "gflops": fl / (ms * 1e6), "allocated_bytes": None, "threads": a.threads})
        print(f"torch {a.threads}T {name:36} {ms:12.4f} ms {fl / (ms * 1e6):8.1f} GFLOP/s ({n} samples)", flush=True)
    if a.json:
        tmp = a.json + ".tmp"
        with open(tmp, "w") as f:
            json.dump(results, f, indent=1)
        os.replace(tmp, a.json)


if __name__ == "__main__":
    main()
