#!/usr/bin/env python3
"""Attention fixtures (kind `attention`) in the format of torch/README.md, from Debian's python3-torch (1.13).

Run from this folder: python3 generate_attention_fixtures.py  (writes generated/attention_*.safetensors).
PyTorch has no Bahdanau or Luong module, so the scores are written here from the papers' equations, in float64:
  bahdanau  v^T tanh(W_q q + W_k k + b_k)      query.weight [A, Hq], key.weight [A, Hk], key.bias [A], v.weight [1, A]
  dot       q^T k                                (Hq = Hk)
  general   q^T W_a k                            linear_in.weight [Hq, Hk]
  concat    v^T tanh(W_a [q; k])                 linear_in.weight [A, Hq + Hk], v.weight [1, A]
weights = softmax over the valid source steps (padded steps: exactly 0), context = sum_s weights_s * k_s.
Tensors: memory [S, B, Hk] (time first), query [B, Hq], param.<name>, context [B, Hk], weights [B, S],
seed.context, seed.weights, and grad.memory, grad.query, grad.param.<name> of
sum(context * seed.context) + sum(weights * seed.weights). Metadata `lengths`: each sequence's valid steps.
"""
import json

import torch

from generate_loss_optim_fixtures import save, meta, f32


def attention(score, query, memory, lengths, p):
    keys = memory.transpose(0, 1)                                   # [B, S, Hk]
    if score == "dot":
        scores = (keys * query[:, None, :]).sum(-1)
    elif score == "general":
        scores = (keys @ p["linear_in.weight"].t() * query[:, None, :]).sum(-1)
    elif score == "bahdanau":
        hidden = torch.tanh(keys @ p["key.weight"].t() + p["key.bias"] + (query @ p["query.weight"].t())[:, None, :])
        scores = (hidden @ p["v.weight"].t()).squeeze(-1)
    else:
        hq = query.shape[1]
        w = p["linear_in.weight"]
        hidden = torch.tanh(keys @ w[:, hq:].t() + (query @ w[:, :hq].t())[:, None, :])
        scores = (hidden @ p["v.weight"].t()).squeeze(-1)
    steps = memory.shape[0]
    mask = torch.arange(steps)[None, :] >= torch.tensor(lengths)[:, None]
    weights = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    context = (weights[:, :, None] * keys).sum(1)
    return context, weights


def case(name, score, s, b, hq, hk, a, lengths, seed):
    torch.manual_seed(seed)
    shapes = {
        "bahdanau": {"query.weight": (a, hq), "key.weight": (a, hk), "key.bias": (a,), "v.weight": (1, a)},
        "dot": {},
        "general": {"linear_in.weight": (hq, hk)},
        "concat": {"linear_in.weight": (a, hq + hk), "v.weight": (1, a)},
    }[score]
    params = {k: f32(torch.randn(v) * 0.5) for k, v in shapes.items()}
    memory = f32(torch.randn(s, b, hk))
    query = f32(torch.randn(b, hq))
    seeds = {"context": f32(torch.randn(b, hk)), "weights": f32(torch.randn(b, s))}
    d = {k: v.double().requires_grad_() for k, v in params.items()}
    m = memory.double().requires_grad_()
    q = query.double().requires_grad_()
    context, weights = attention(score, q, m, lengths, d)
    loss = (context * seeds["context"].double()).sum() + (weights * seeds["weights"].double()).sum()
    loss.backward()
    tensors = {"memory": memory, "query": query, "context": f32(context.detach()), "weights": f32(weights.detach()),
               "seed.context": seeds["context"], "seed.weights": seeds["weights"],
               "grad.memory": f32(m.grad), "grad.query": f32(q.grad)}
    for k in params:
        tensors["param." + k] = params[k]
        tensors["grad.param." + k] = f32(d[k].grad)
    config = {"score": score, "query_size": hq, "key_size": hk, "attention_size": a}
    md = meta("attention", "Attention", config, "scores from the papers' equations; loss = sum(context * seed.context) + sum(weights * seed.weights)")
    md["lengths"] = json.dumps(lengths)
    save(name, tensors, md)


if __name__ == "__main__":
    case("attention_bahdanau", "bahdanau", 5, 3, 4, 6, 7, [5, 2, 3], 1)
    case("attention_bahdanau_full", "bahdanau", 3, 2, 3, 3, 3, [3, 3], 2)
    case("attention_dot", "dot", 4, 3, 5, 5, 5, [4, 1, 3], 3)
    case("attention_general", "general", 6, 2, 4, 7, 4, [2, 6], 4)
    case("attention_concat", "concat", 5, 4, 3, 5, 6, [5, 4, 1, 2], 5)
