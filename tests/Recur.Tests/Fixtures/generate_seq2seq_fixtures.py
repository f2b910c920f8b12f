#!/usr/bin/env python3
"""Encoder-decoder fixtures (kind `seq2seq`) in the format of torch/README.md, from Debian's python3-torch (1.13).

Run from this folder: python3 generate_seq2seq_fixtures.py  (writes generated/seq2seq_*.safetensors).
The model is built from torch.nn parts under Recur's Seq2Seq parameter names: src_embedding, encoder (nn.GRU / nn.LSTM
over a packed batch), bridge (+ bridge_c for LSTM): tanh(W [h_fwd; h_bwd] + b) per layer, tgt_embedding, decoder.<l>
(nn.GRUCell / nn.LSTMCell), attention.* (Bahdanau: query, key, v; general: linear_in; concat: linear_in, v),
attn_out (tanh(W [context; h])), out (or out_bias with the weight tied to tgt_embedding). Dropout 0, float64.
Tensors: source [S, B] (I64), target_input [T, B] (I64, <s> = 2 first), param.<name>, logits [T * B, V] (step-major),
seed.logits, grad.param.<name> of sum(logits * seed.logits). Metadata `lengths`, config as Seq2SeqConfig's JSON.
"""
import json

import torch
import torch.nn as nn

from generate_loss_optim_fixtures import save, meta, f32
from generate_attention_fixtures import attention


class Seq2Seq(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        e, h, l, d = c["embedding_size"], c["hidden_size"], c["layers"], 2 if c["bidirectional"] else 1
        mem = d * h
        rnn = nn.LSTM if c["cell"] == "lstm" else nn.GRU
        cell = nn.LSTMCell if c["cell"] == "lstm" else nn.GRUCell
        self.src_embedding = nn.Embedding(c["source_vocab_size"], e, padding_idx=0)
        self.encoder = rnn(e, h, l, bidirectional=c["bidirectional"])
        if c["bridge"] == "linear":
            self.bridge = nn.Linear(mem, h)
            if c["cell"] == "lstm":
                self.bridge_c = nn.Linear(mem, h)
        self.tgt_embedding = nn.Embedding(c["target_vocab_size"], e, padding_idx=0)
        att = c["attention"]
        feeding = c["input_feeding"] and att not in ("none", "bahdanau")
        input0 = e + (mem if att == "bahdanau" else h if feeding else 0)
        self.decoder = nn.ModuleList([cell(input0 if i == 0 else h, h) for i in range(l)])
        if att != "none":
            self.attention = nn.Module()
            if att == "bahdanau":
                self.attention.query = nn.Linear(h, h, bias=False)
                self.attention.key = nn.Linear(mem, h)
                self.attention.v = nn.Linear(h, 1, bias=False)
            elif att == "general":
                self.attention.linear_in = nn.Linear(mem, h, bias=False)
            elif att == "concat":
                self.attention.linear_in = nn.Linear(h + mem, h, bias=False)
                self.attention.v = nn.Linear(h, 1, bias=False)
            self.attn_out = nn.Linear(mem + h, h, bias=False)
        if c["tie_weights"]:
            self.out_bias = nn.Parameter(torch.zeros(c["target_vocab_size"]))
        else:
            self.out = nn.Linear(h, c["target_vocab_size"])
        self.feeding = feeding

    def params(self):
        a = getattr(self, "attention", None)
        p = {}
        if a is not None:
            for n, t in a.named_parameters():
                p[n] = t
        return p

    def forward(self, source, lengths, target_input):
        c = self.c
        h, l, d = c["hidden_size"], c["layers"], 2 if c["bidirectional"] else 1
        steps, batch = source.shape
        x = self.src_embedding(source)
        packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        out, finals = self.encoder(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=steps)
        hn, cn = finals if c["cell"] == "lstm" else (finals, None)

        def bridge(layer, states, linear):
            if linear is None:
                return torch.zeros(batch, h, dtype=out.dtype)
            joined = states[layer * d:(layer + 1) * d].transpose(0, 1).reshape(batch, d * h)
            return torch.tanh(linear(joined))

        hid = [bridge(i, hn, getattr(self, "bridge", None)) for i in range(l)]
        cel = [bridge(i, cn, getattr(self, "bridge_c", None)) for i in range(l)] if cn is not None else None
        feed = torch.zeros(batch, h, dtype=out.dtype)
        att = c["attention"]
        score = {"bahdanau": "bahdanau", "dot": "dot", "general": "general", "concat": "concat"}.get(att)
        ap = {k: v for k, v in self.params().items()}
        logits = []
        for t in range(target_input.shape[0]):
            xin = self.tgt_embedding(target_input[t])
            ctx = None
            if att == "bahdanau":
                ctx, _ = attention(score, hid[-1], out, lengths, ap)
                xin = torch.cat([xin, ctx], 1)
            elif self.feeding:
                xin = torch.cat([xin, feed], 1)
            for i, cell in enumerate(self.decoder):
                if cel is not None:
                    hid[i], cel[i] = cell(xin, (hid[i], cel[i]))
                else:
                    hid[i] = cell(xin, hid[i])
                xin = hid[i]
            o = hid[-1]
            if att != "none":
                if ctx is None:
                    ctx, _ = attention(score, o, out, lengths, ap)
                o = torch.tanh(self.attn_out(torch.cat([ctx, o], 1)))
                feed = o
            logits.append(o @ self.tgt_embedding.weight.t() + self.out_bias if c["tie_weights"] else self.out(o))
        return torch.cat(logits, 0)


def case(name, seed, **over):
    torch.manual_seed(seed)
    c = {"source_vocab_size": 7, "target_vocab_size": 8, "bos_id": 2, "eos_id": 3, "embedding_size": 4, "hidden_size": 4,
         "layers": 1, "cell": "gru", "bidirectional": True, "attention": "bahdanau", "input_feeding": True,
         "tie_weights": False, "bridge": "linear", "dropout": 0.0}
    c.update(over)
    model = Seq2Seq(c)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(f32(torch.randn(p.shape) * 0.5))
    lengths = [3, 1, 2]
    source = torch.tensor([[4, 5, 6], [6, 0, 4], [5, 0, 0]])
    target_input = torch.tensor([[2, 2, 2], [4, 5, 6], [7, 0, 4], [5, 0, 0]])
    params = {n: p.detach().clone() for n, p in model.named_parameters()}
    model = model.double()
    logits = model(source, lengths, target_input)
    seed_logits = f32(torch.randn(logits.shape))
    (logits * seed_logits.double()).sum().backward()
    tensors = {"source": source, "target_input": target_input, "logits": f32(logits.detach()), "seed.logits": seed_logits}
    for n, p in model.named_parameters():
        tensors["param." + n] = f32(params[n])
        tensors["grad.param." + n] = f32(p.grad if p.grad is not None else torch.zeros_like(p))  # unread: zeros
    md = meta("seq2seq", "Seq2Seq", c, "teacher-forced logits [T * B, V], step-major; loss = sum(logits * seed.logits)")
    md["lengths"] = json.dumps(lengths)
    save(name, tensors, md)


if __name__ == "__main__":
    case("seq2seq_gru_bahdanau", 1)
    case("seq2seq_lstm_general_feeding_2l", 2, cell="lstm", attention="general", layers=2)
    case("seq2seq_gru_dot_unidirectional", 3, attention="dot", bidirectional=False)
    case("seq2seq_gru_concat_nofeeding_tied", 4, attention="concat", input_feeding=False, tie_weights=True)
    case("seq2seq_lstm_none_zeros", 5, cell="lstm", attention="none", bridge="zeros")
