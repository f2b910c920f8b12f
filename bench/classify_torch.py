#!/usr/bin/env python3
"""PyTorch twin of `recur classify train` on text, for comparing speed and accuracy on the same machine.

    /usr/bin/python3 bench/classify_torch.py --train ../shared/data/sst2/stsa.binary.train \
        --dev ../shared/data/sst2/stsa.binary.dev --out runs/sst2-torch --threads 1
    /usr/bin/python3 bench/classify_torch.py --check-recur RUN_DIR --dev ../shared/data/sst2/stsa.binary.dev

The same model as Recur's SequenceClassifier for text, under the same state_dict names: embedding (padding row 0)
-> input dropout -> nn.LSTM/GRU/RNN over packed lengths (bidirectional by default) -> max, mean, last-state or
additive-attention pooling over the valid steps -> dropout -> linear. The same data handling: `label text` lines,
lower-cased and split on whitespace (SST-2 is tokenized already), a vocabulary of <pad>, <unk> and the training words
by count; the same batches (each epoch a seeded permutation cut into chunks of batch * 50 examples, each sorted by
length and cut into batches, the batches shuffled), word dropout to <unk>, AdamW with linear warm-up and cosine
decay to 10% of the peak at the last step, gradient-norm clipping, an exponential moving average of the weights
(Recur's WeightAverage, timed as part of the step), evaluation of the averaged weights on the dev file after every
epoch and early stopping on dev accuracy. Options and defaults are `recur classify train`'s defaults for text, less its
character features (`--char-embedding-size 0` on Recur's side).

Printed and written to OUT/summary.json: the mean time of a training step (forward, backward, clipping, update;
evaluations excluded), the steps, and the dev accuracy of every epoch. OUT/metrics.jsonl has one object per epoch.

--check-recur loads a Recur run's best checkpoint (model.safetensors, config.json, vocab.json) into this model with
load_state_dict(strict=True) and prints its dev accuracy, which should match `recur classify eval`.

Only the standard library and torch are used, so Debian's python3-torch is enough.
"""
import argparse
import json
import math
import os
import random
import struct
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def read_examples(path):
    examples = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            label, _, text = line.partition(" ")
            examples.append((label, text.lower().split()))
    return examples


def build_vocab(examples):
    counts = {}
    for _, words in examples:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return ["<pad>", "<unk>"] + words


class Classifier(nn.Module):
    def __init__(self, vocab, embed, hidden, layers, bidirectional, cell, pooling, dropout, input_dropout, classes, attention=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed, padding_idx=0)
        self.input_dropout = nn.Dropout(input_dropout)
        kind = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = kind(embed, hidden, layers, bidirectional=bidirectional, dropout=dropout if layers > 1 else 0.0)
        features = hidden * (2 if bidirectional else 1)
        self.pooling = pooling
        if pooling == "attention":
            self.pool = nn.Module()
            self.pool.attention = nn.Linear(features, attention)
            self.pool.context = nn.Linear(attention, 1, bias=False)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(features, classes)
        self.directions = 2 if bidirectional else 1

    def forward(self, ids, lengths):  # ids [T, B], lengths [B] (a CPU tensor)
        x = self.input_dropout(self.embedding(ids))
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        out, h = self.rnn(packed)
        out, _ = pad_packed_sequence(out, total_length=ids.shape[0])  # [T, B, F], zero past each length
        if isinstance(h, tuple):
            h = h[0]
        steps = torch.arange(ids.shape[0]).unsqueeze(1)
        valid = steps < lengths.unsqueeze(0)  # [T, B]
        if self.pooling == "max":
            pooled = out.masked_fill(~valid.unsqueeze(2), float("-inf")).max(0).values
        elif self.pooling == "mean":
            pooled = out.sum(0) / lengths.unsqueeze(1).to(out.dtype)
        elif self.pooling == "last":
            pooled = h[-self.directions:].transpose(0, 1).reshape(ids.shape[1], -1)
        else:
            scores = self.pool.context(torch.tanh(self.pool.attention(out))).squeeze(2)
            weights = torch.softmax(scores.masked_fill(~valid, float("-inf")), 0)
            pooled = (out * weights.unsqueeze(2)).sum(0)
        return self.fc(self.dropout(pooled))


class WeightAverage:
    """Recur's WeightAverage: after update t, avg = d_t avg + (1 - d_t) w with d_t = min(decay, (1 + t) / (10 + t))."""

    def __init__(self, model, decay):
        self.params = list(model.parameters())
        self.average = [p.detach().clone() for p in self.params]
        self.decay, self.updates = decay, 0

    @torch.no_grad()
    def update(self):
        self.updates += 1
        keep = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for a, p in zip(self.average, self.params):
            a.lerp_(p, 1 - keep)

    @torch.no_grad()
    def swap(self):  # puts the average in the model (and the model's weights in the average); twice restores
        for a, p in zip(self.average, self.params):
            tmp = p.detach().clone()
            p.copy_(a)
            a.copy_(tmp)


def bucketed_batches(lengths, batch, rng, factor=50):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    chunk = batch * factor
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: lengths[i])
        batches.extend(part[i:i + batch] for i in range(0, len(part), batch))
    rng.shuffle(batches)
    return batches


def pad(seqs, indices):
    lengths = torch.tensor([len(seqs[i]) for i in indices])
    ids = torch.zeros(int(lengths.max()), len(indices), dtype=torch.long)
    for j, i in enumerate(indices):
        ids[: len(seqs[i]), j] = torch.tensor(seqs[i])
    return ids, lengths


def evaluate(model, seqs, labels, batch=64):
    model.eval()
    correct, loss = 0, 0.0
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    with torch.no_grad():
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            ids, lengths = pad(seqs, idx)
            logits = model(ids, lengths)
            y = torch.tensor([labels[i] for i in idx])
            loss += nn.functional.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
    model.train()
    return correct / len(seqs), loss / len(seqs)


def lr_at(step, peak, warmup, total, floor=0.1):
    if step <= warmup:
        return peak * step / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[8 + n + b:8 + n + end]), dtype=torch.float32).reshape(e["shape"])
    return out


def check_recur(args):
    folder = args.check_recur if os.path.exists(os.path.join(args.check_recur, "model.safetensors")) else os.path.join(args.check_recur, "best")
    full = json.load(open(os.path.join(folder, "config.json")))
    cfg = full["model"]
    if full.get("data", {}).get("split_punctuation", False):
        print(f"note: {folder} was trained with --split-punctuation; this twin splits on whitespace only, so sentences with "
              "punctuation inside a word differ (train with --split-punctuation false for the same words)")
    if cfg.get("char_embedding_size", 0) > 0:
        raise SystemExit(f"{folder}: a model with character features, which this twin lacks; train with --char-embedding-size 0 to compare")
    words = json.load(open(os.path.join(folder, "vocab.json")))["words"]
    labels = json.load(open(os.path.join(folder, "labels.json")))
    labels = labels["labels"] if isinstance(labels, dict) else labels
    model = Classifier(cfg["vocab_size"], cfg["embedding_size"], cfg["hidden_size"], cfg["layers"], cfg["bidirectional"], cfg["cell"],
                       cfg["pooling"], cfg["dropout"], cfg["input_dropout"], cfg["classes"], cfg["attention_size"])
    model.load_state_dict(read_safetensors(os.path.join(folder, "model.safetensors")), strict=True)
    index = {w: i for i, w in enumerate(words)}
    dev = read_examples(args.dev)
    seqs = [[index.get(w, 1) for w in ws] or [1] for _, ws in dev]
    ys = [labels.index(str(int(float(l))) if l.replace(".", "").lstrip("-").isdigit() else l) for l, _ in dev]
    acc, loss = evaluate(model, seqs, ys)
    print(f"PyTorch on Recur's weights ({folder}): dev accuracy {acc:.4f}, loss {loss:.4f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train")
    p.add_argument("--dev")
    p.add_argument("--out")
    p.add_argument("--check-recur")
    p.add_argument("--cell", default="lstm")
    p.add_argument("--embedding-size", type=int, default=300)
    p.add_argument("--hidden-size", type=int, default=150)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--unidirectional", action="store_true")
    p.add_argument("--pooling", default="max")
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--input-dropout", type=float, default=0.5)
    p.add_argument("--word-dropout", type=float, default=0.3)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--weight-average", type=float, default=0.998)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--max-epochs", type=int, default=15)
    p.add_argument("--patience", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.check_recur:
        return check_recur(args)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train, dev = read_examples(args.train), read_examples(args.dev)
    words = build_vocab(train)
    index = {w: i for i, w in enumerate(words)}
    classes = sorted({l for l, _ in train}, key=lambda l: (float(l), l) if l.lstrip("-").replace(".", "").isdigit() else (math.inf, l))
    seqs = [[index.get(w, 1) for w in ws] or [1] for _, ws in train]
    ys = [classes.index(l) for l, _ in train]
    dev_seqs = [[index.get(w, 1) for w in ws] or [1] for _, ws in dev]
    dev_ys = [classes.index(l) for l, _ in dev]
    model = Classifier(len(words), args.embedding_size, args.hidden_size, args.layers, not args.unidirectional, args.cell, args.pooling,
                       args.dropout, args.input_dropout, len(classes))
    average = WeightAverage(model, args.weight_average) if args.weight_average > 0 else None
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    per_epoch = (len(seqs) + args.batch_size - 1) // args.batch_size
    total = per_epoch * args.max_epochs
    os.makedirs(args.out, exist_ok=True)
    metrics = open(os.path.join(args.out, "metrics.jsonl"), "w")
    step, best, since, step_seconds, history = 0, -1.0, 0, [], []
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; {len(seqs)} train, {len(dev_seqs)} dev, vocabulary {len(words)}; "
          f"{sum(p.numel() for p in model.parameters()):,} parameters; {per_epoch} steps per epoch", flush=True)
    for epoch in range(1, args.max_epochs + 1):
        losses = []
        for batch in bucketed_batches([len(s) for s in seqs], args.batch_size, rng):
            begin = time.perf_counter()
            ids, lengths = pad(seqs, batch)
            if args.word_dropout > 0:
                drop = (torch.rand(ids.shape) < args.word_dropout) & (ids != 0)
                ids = ids.masked_fill(drop, 1)
            step += 1
            for g in opt.param_groups:
                g["lr"] = lr_at(step, args.lr, args.warmup, total)
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(ids, lengths), torch.tensor([ys[i] for i in batch]))
            loss.backward()
            if args.grad_clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
            opt.step()
            if average is not None:
                average.update()
            step_seconds.append(time.perf_counter() - begin)
            losses.append(loss.item())
        if average is not None:
            average.swap()
        acc, val = evaluate(model, dev_seqs, dev_ys)
        if average is not None:
            average.swap()
        history.append(acc)
        improved = acc > best
        best, since = (acc, 0) if improved else (best, since + 1)
        line = {"step": step, "epoch": epoch, "train_loss": sum(losses) / len(losses), "val_loss": val, "val_accuracy": acc,
                "ms_per_step": 1000 * sum(step_seconds[-len(losses):]) / len(losses)}
        metrics.write(json.dumps(line) + "\n")
        metrics.flush()
        print(f"epoch {epoch:3}  step {step:6}  train {line['train_loss']:.3f}  val {val:.3f}  accuracy {100 * acc:.2f}%  "
              f"{line['ms_per_step']:.1f} ms/step{'  *best' if improved else ''}", flush=True)
        if args.patience > 0 and since >= args.patience:
            break
    warm = step_seconds[10:] or step_seconds
    summary = {"ms_per_step": 1000 * sum(warm) / len(warm), "steps": step, "best_dev_accuracy": best, "dev_accuracy": history,
               "threads": torch.get_num_threads(), "torch": torch.__version__}
    json.dump(summary, open(os.path.join(args.out, "summary.json"), "w"), indent=2)
    print(f"best dev accuracy {100 * best:.2f}%; {summary['ms_per_step']:.1f} ms per training step")


if __name__ == "__main__":
    main()
