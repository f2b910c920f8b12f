#!/usr/bin/env python3
"""Load a Recur state-dict file into torch.nn.LSTM / GRU / RNN and check it computes the same outputs.

    python3 docs/load_in_pytorch.py MODEL.safetensors [IO.safetensors]

MODEL.safetensors: written by Recur's StateDictFile.Save, with metadata "module" (LSTM, GRU or RNN) and
"config" (PyTorch's constructor arguments as JSON). Keys are PyTorch's state_dict names, so
load_state_dict(strict=True) takes them as they are.
IO.safetensors (optional): tensors "input" and "output" computed by Recur; the script runs the same input
through PyTorch and prints the largest difference (exit code 1 if it exceeds 1e-4).

Only the standard library and torch are used (the safetensors format is read with json + struct), so it runs
with Debian's python3-torch.
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": (torch.float32, 4), "F64": (torch.float64, 8), "I64": (torch.int64, 8), "I32": (torch.int32, 4)}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {}) or {}
    body = data[8 + n:]
    tensors = {}
    for name, entry in header.items():
        dtype, size = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(entry["shape"])
    return tensors, metadata


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 2
    state, metadata = read_safetensors(sys.argv[1])
    module = metadata.get("module", "LSTM")
    config = json.loads(metadata.get("config", "{}"))
    cls = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "RNN": torch.nn.RNN}[module]
    model = cls(**config)
    model.load_state_dict(state, strict=True)
    print(f"loaded {len(state)} tensors into torch.nn.{module}({config})")
    if len(sys.argv) == 3:
        io, _ = read_safetensors(sys.argv[2])
        model.eval()
        with torch.no_grad():
            out = model(io["input"])[0]
        diff = (out - io["output"]).abs().max().item()
        print(f"max |torch - recur| = {diff:.3g}")
        return 0 if diff <= 1e-4 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
