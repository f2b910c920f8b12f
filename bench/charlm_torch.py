#!/usr/bin/env python3
"""PyTorch twin of `recur charlm train`, for comparing speed and quality on the same machine.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/charlm_torch.py --data data/tinyshakespeare/input.txt \
        --out runs/torch --max-time 1800 --max-steps 12000 --threads 1
    /usr/bin/python3 bench/charlm_torch.py --check-recur RUN_DIR --data data/tinyshakespeare/input.txt
    recur charlm compare runs/recur=Recur runs/torch=PyTorch --target 1.5 --out compare.png

Threads: on the 2-core machine of docs/RESULTS.md, Debian's torch 1.13 runs this model fastest on one thread
(~11k chars/s); with --threads 2 it drops to ~3-4k chars/s, whether OpenBLAS gets one thread or two.

Training: the same model (embedding -> nn.LSTM/GRU/RNN with dropout between layers -> dropout -> linear, under the
same state_dict names), the same batches (B contiguous streams through the first 90% of the text, T characters per
step, the state carried and detached between steps and reset when the streams wrap), AdamW with linear warm-up and
cosine decay to 10% at --max-steps, gradient-norm clipping, and the validation loss over the last 10% (128 streams
of 32-character chunks). Options and defaults are `recur charlm train`'s. One JSON object per evaluation goes to
OUT/metrics.jsonl with the keys step, train_loss, val_loss, lr, chars_per_s, elapsed_s.

--check-recur loads a Recur checkpoint (model.safetensors + config.json; the best/ folder of a run folder) into the
PyTorch model with load_state_dict(strict=True) and prints its validation loss, which should match Recur's.

Only the standard library and torch are used, so Debian's python3-torch is enough.
"""
import argparse
import json
import math
import os
import struct
import time

import torch
from torch import nn


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    # Recur's vocabulary is over UTF-16 code units sorted by code; the same for text inside the BMP.
    return text


class CharLm(nn.Module):
    def __init__(self, cell, vocab, embed, hidden, layers, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = kind(embed, hidden, layers, dropout=dropout if layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):  # x [T, B]
        y, state = self.rnn(self.embedding(x), state)
        return self.fc(self.dropout(y)), state


def detach(state):
    if state is None:
        return None
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


@torch.no_grad()
def val_loss(model, ids, streams=128, chunk=32):
    model.eval()
    b = max(1, min(streams, len(ids) // (chunk + 1)))
    length = len(ids) // b
    data = ids[: b * length].view(b, length).t()  # [S, B]
    total, count, state = 0.0, 0, None
    for start in range(0, length - 1, chunk):
        t = min(chunk, length - 1 - start)
        logits, state = model(data[start:start + t], state)
        total += nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), data[start + 1:start + 1 + t].reshape(-1), reduction="sum").item()
        count += t * b
    model.train()
    return total / count


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n:]
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32).reshape(e["shape"])
    return out


def check_recur(args):
    folder = args.check_recur
    if not os.path.exists(os.path.join(folder, "model.safetensors")):
        folder = os.path.join(folder, "best")
    cfg = json.load(open(os.path.join(folder, "config.json")))["model"]  # the model's shape; "training" and "data" beside it
    vocab = json.load(open(os.path.join(folder, "vocab.json")))["chars"]
    model = CharLm(cfg["cell"], cfg["vocab_size"], cfg["embedding_size"], cfg["hidden_size"], cfg["layers"], cfg["dropout"])
    model.load_state_dict(read_safetensors(os.path.join(folder, "model.safetensors")), strict=True)
    index = {chr(c): i for i, c in enumerate(vocab)}
    text = read_text(args.data)
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(len(ids) * 0.9)
    loss = val_loss(model, ids[split:])
    print(f"PyTorch on Recur's weights ({folder}): validation loss {loss:.4f} nats/char")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True)
    p.add_argument("--out")
    p.add_argument("--check-recur")
    p.add_argument("--cell", default="lstm")
    p.add_argument("--hidden-size", type=int, default=256)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--embedding-size", type=int, default=64)
    p.add_argument("--seq-length", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--max-steps", type=int, default=5000)
    p.add_argument("--max-time", type=float, default=None, help="seconds of training, evaluations included")
    p.add_argument("--eval-every", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.check_recur:
        return check_recur(args)
    if not args.out:
        p.error("--out is required for training")
    torch.manual_seed(args.seed)
    text = read_text(args.data)
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    split = int(len(ids) * 0.9)
    train, val = ids[:split], ids[split:]
    b, t = args.batch_size, args.seq_length
    stream = len(train) // b
    streams = train[: b * stream].view(b, stream).t()  # [S, B]
    model = CharLm(args.cell, len(chars), args.embedding_size, args.hidden_size, args.layers, args.dropout)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)

    def lr_at(step):
        if step <= args.warmup:
            return args.lr * step / args.warmup
        progress = min(1.0, (step - args.warmup) / max(1, args.max_steps - args.warmup))
        return args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))

    os.makedirs(args.out, exist_ok=True)
    metrics = open(os.path.join(args.out, "metrics.jsonl"), "w")
    start = time.time()
    pos, state, step, loss_sum, loss_count, window_chars, window_time = 0, None, 0, 0.0, 0, 0, 0.0
    while step < args.max_steps and (args.max_time is None or time.time() - start < args.max_time):
        if pos + t + 1 > stream:
            pos, state = 0, None
        t0 = time.time()
        x, y = streams[pos:pos + t], streams[pos + 1:pos + 1 + t]
        pos += t
        logits, state = model(x, state)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        if args.grad_clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        step += 1
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.step()
        state = detach(state)
        loss_sum, loss_count = loss_sum + loss.item(), loss_count + 1
        window_time, window_chars = window_time + time.time() - t0, window_chars + b * t
        last = step >= args.max_steps or (args.max_time is not None and time.time() - start >= args.max_time)
        if step % args.eval_every == 0 or last:
            v = val_loss(model, val)
            record = {"step": step, "train_loss": loss_sum / loss_count, "val_loss": v, "lr": lr_at(step),
                      "chars_per_s": round(window_chars / window_time, 1), "elapsed_s": round(time.time() - start, 3)}
            metrics.write(json.dumps(record) + "\n")
            metrics.flush()
            print(f"step {step:7d}  train {record['train_loss']:.3f}  val {v:.3f}  {record['chars_per_s'] / 1000:.1f}k chars/s  {record['elapsed_s']:.0f}s", flush=True)
            loss_sum, loss_count, window_chars, window_time = 0.0, 0, 0, 0.0


if __name__ == "__main__":
    main()
