#!/usr/bin/env python3
"""Writes extra golden fixtures for the recurrent layers and cells into ./generated (see torch/README.md).

Run with Debian's python3-torch (PyTorch 1.13): `/usr/bin/python3 make_fixtures.py`. Every case is computed in
float64 from float32-representable inputs and parameters and stored as float32, in the safetensors layout
(8-byte little-endian header length, JSON header padded with spaces, raw little-endian data), written with json and
struct only. The cases cover option combinations the bundled set lacks (projection + bidirectional + packed +
stacked, packed batch-first GRU, packed relu RNN, cells without bias or state, unbatched input, ...).
"""
import json
import os
import struct

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "generated")
LOSS_RECURRENT = "sum(output*seed.output) + sum(h_n*seed.h_n) [+ sum(c_n*seed.c_n)]; grad.* = d loss / d *"
LOSS_CELL = "sum(h1*seed.h1) [+ sum(c1*seed.c1)]"


def as_f32_values(t):
    """Rounds a float64 tensor to float32-representable values (kept in float64)."""
    return t.float().double()


def uniform(gen, *shape):
    return as_f32_values(torch.rand(*shape, generator=gen, dtype=torch.float64) * 2 - 1)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        values = tensors[name].detach().double().float().contiguous().view(-1).tolist()
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def recurrent_case(name, module, input_size, hidden_size, T, B, num_layers=1, bias=True, batch_first=False,
                   bidirectional=False, proj_size=0, nonlinearity="tanh", lengths=None, h0=True, c0=True,
                   unbatched=False, seed=0):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    kwargs = dict(num_layers=num_layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional, dropout=0.0)
    if module == "RNN":
        m = torch.nn.RNN(input_size, hidden_size, nonlinearity=nonlinearity, **kwargs)
    elif module == "LSTM":
        m = torch.nn.LSTM(input_size, hidden_size, proj_size=proj_size, **kwargs)
    else:
        m = torch.nn.GRU(input_size, hidden_size, **kwargs)
    m = m.double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(as_f32_values(p))
    D = 2 if bidirectional else 1
    h_out = proj_size if proj_size > 0 else hidden_size
    if unbatched:
        x_shape, h_shape, c_shape = (T, input_size), (num_layers * D, h_out), (num_layers * D, hidden_size)
    else:
        x_shape = (B, T, input_size) if batch_first else (T, B, input_size)
        h_shape, c_shape = (num_layers * D, B, h_out), (num_layers * D, B, hidden_size)
    x = uniform(gen, *x_shape).requires_grad_(True)
    tensors = {"input": x}
    hx = None
    h = uniform(gen, *h_shape).requires_grad_(True) if h0 else None
    c = uniform(gen, *c_shape).requires_grad_(True) if (c0 and module == "LSTM") else None
    if module == "LSTM" and (h is not None or c is not None):
        hx = (h if h is not None else torch.zeros(*h_shape, dtype=torch.float64),
              c if c is not None else torch.zeros(*c_shape, dtype=torch.float64))
    elif h is not None:
        hx = h
    if h is not None:
        tensors["h0"] = h
    if c is not None:
        tensors["c0"] = c

    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        out_packed, state = m(packed, hx)
        output, _ = pad_packed_sequence(out_packed, batch_first=batch_first)
    else:
        output, state = m(x, hx)
    h_n, c_n = state if module == "LSTM" else (state, None)

    loss = 0
    for key, value in (("output", output), ("h_n", h_n), ("c_n", c_n)):
        if value is None:
            continue
        seed_t = uniform(gen, *value.shape)
        tensors[key] = value
        tensors["seed." + key] = seed_t
        loss = loss + (value * seed_t).sum()
    loss.backward()
    tensors["grad.input"] = x.grad
    if h is not None:
        tensors["grad.h0"] = h.grad
    if c is not None:
        tensors["grad.c0"] = c.grad
    for pname, p in m.named_parameters():
        tensors["param." + pname] = p
        tensors["grad.param." + pname] = p.grad

    config = {"input_size": input_size, "hidden_size": hidden_size, "num_layers": num_layers, "bias": bias,
              "batch_first": batch_first, "bidirectional": bidirectional, "proj_size": proj_size,
              "nonlinearity": nonlinearity, "dropout": 0.0}
    metadata = {"torch_version": torch.__version__, "reference_precision": "float64", "kind": "recurrent",
                "module": module, "config": json.dumps(config), "loss": LOSS_RECURRENT,
                "note": "output is padded with zeros past each sequence's length (pad_packed_sequence); absent h0/c0 mean zeros"}
    if lengths is not None:
        metadata["lengths"] = json.dumps(list(lengths))
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, metadata)


def cell_case(name, module, input_size, hidden_size, B, bias=True, nonlinearity="tanh", h0=True, c0=True,
              unbatched=False, seed=0):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    if module == "RNNCell":
        m = torch.nn.RNNCell(input_size, hidden_size, bias=bias, nonlinearity=nonlinearity)
    elif module == "LSTMCell":
        m = torch.nn.LSTMCell(input_size, hidden_size, bias=bias)
    else:
        m = torch.nn.GRUCell(input_size, hidden_size, bias=bias)
    m = m.double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(as_f32_values(p))
    x_shape, s_shape = ((input_size,), (hidden_size,)) if unbatched else ((B, input_size), (B, hidden_size))
    x = uniform(gen, *x_shape).requires_grad_(True)
    tensors = {"input": x}
    h = uniform(gen, *s_shape).requires_grad_(True) if h0 else None
    c = uniform(gen, *s_shape).requires_grad_(True) if (c0 and module == "LSTMCell") else None
    if h is not None:
        tensors["h0"] = h
    if c is not None:
        tensors["c0"] = c
    if module == "LSTMCell":
        hx = None
        if h is not None or c is not None:
            hx = (h if h is not None else torch.zeros(*s_shape, dtype=torch.float64),
                  c if c is not None else torch.zeros(*s_shape, dtype=torch.float64))
        h1, c1 = m(x, hx)
    else:
        h1, c1 = m(x, h), None
    loss = 0
    for key, value in (("h1", h1), ("c1", c1)):
        if value is None:
            continue
        seed_t = uniform(gen, *value.shape)
        tensors[key] = value
        tensors["seed." + key] = seed_t
        loss = loss + (value * seed_t).sum()
    loss.backward()
    tensors["grad.input"] = x.grad
    if h is not None:
        tensors["grad.h0"] = h.grad
    if c is not None:
        tensors["grad.c0"] = c.grad
    for pname, p in m.named_parameters():
        tensors["param." + pname] = p
        tensors["grad.param." + pname] = p.grad
    config = {"input_size": input_size, "hidden_size": hidden_size, "bias": bias, "nonlinearity": nonlinearity}
    metadata = {"torch_version": torch.__version__, "reference_precision": "float64", "kind": "cell",
                "module": module, "config": json.dumps(config), "loss": LOSS_CELL}
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, metadata)


def main():
    os.makedirs(OUT, exist_ok=True)
    # LSTM: every option together, and its neighbours.
    recurrent_case("lstm_proj_bidir_packed_2l", "LSTM", 3, 5, T=6, B=4, num_layers=2, bidirectional=True, proj_size=2,
                   lengths=[4, 6, 1, 3], seed=1)
    recurrent_case("lstm_proj_bidir_packed_2l_batch_first", "LSTM", 3, 5, T=5, B=3, num_layers=2, bidirectional=True,
                   proj_size=3, batch_first=True, lengths=[2, 5, 5], seed=2)
    recurrent_case("lstm_proj_bidir_nostate_nobias", "LSTM", 4, 6, T=4, B=2, num_layers=2, bidirectional=True, proj_size=2,
                   bias=False, h0=False, c0=False, seed=3)
    recurrent_case("lstm_packed_short_3l", "LSTM", 2, 3, T=7, B=3, num_layers=3, lengths=[3, 1, 2], seed=4)
    recurrent_case("lstm_packed_h0_only", "LSTM", 3, 4, T=5, B=3, bidirectional=True, lengths=[5, 2, 4], c0=False, seed=5)
    recurrent_case("lstm_wide_packed_bidir_proj", "LSTM", 7, 19, T=6, B=5, num_layers=2, bidirectional=True, proj_size=9,
                   lengths=[6, 3, 6, 1, 4], seed=6)
    recurrent_case("lstm_unbatched_bidir", "LSTM", 3, 4, T=5, B=1, num_layers=2, bidirectional=True, unbatched=True, seed=7)
    recurrent_case("lstm_packed_equal_lengths_B1", "LSTM", 2, 3, T=4, B=1, lengths=[4], seed=8)
    # GRU
    recurrent_case("gru_packed_bidir_batch_first", "GRU", 3, 4, T=5, B=4, bidirectional=True, batch_first=True,
                   lengths=[5, 3, 3, 1], seed=11)
    recurrent_case("gru_packed_bidir_batch_first_2l_short", "GRU", 4, 3, T=7, B=3, num_layers=2, bidirectional=True,
                   batch_first=True, lengths=[2, 6, 4], seed=12)
    recurrent_case("gru_3l_nobias_nostate", "GRU", 3, 5, T=4, B=2, num_layers=3, bias=False, h0=False, seed=13)
    recurrent_case("gru_wide_packed", "GRU", 5, 21, T=7, B=3, lengths=[7, 5, 2], seed=14)
    recurrent_case("gru_unbatched", "GRU", 2, 3, T=6, B=1, unbatched=True, seed=15)
    # RNN
    recurrent_case("rnn_relu_packed", "RNN", 3, 4, T=6, B=4, nonlinearity="relu", lengths=[1, 6, 3, 4], seed=21)
    recurrent_case("rnn_relu_packed_bidir_2l", "RNN", 3, 5, T=5, B=3, num_layers=2, bidirectional=True,
                   nonlinearity="relu", lengths=[5, 2, 4], seed=22)
    recurrent_case("rnn_tanh_packed_bidir_batch_first_nobias", "RNN", 4, 3, T=5, B=3, bidirectional=True,
                   batch_first=True, bias=False, lengths=[3, 5, 1], seed=23)
    recurrent_case("rnn_tanh_3l_nostate", "RNN", 2, 6, T=3, B=2, num_layers=3, h0=False, seed=24)
    # Cells
    cell_case("rnncell_relu_nobias", "RNNCell", 3, 4, B=3, bias=False, nonlinearity="relu", seed=31)
    cell_case("rnncell_nostate", "RNNCell", 4, 5, B=2, h0=False, seed=32)
    cell_case("lstmcell_nobias", "LSTMCell", 3, 4, B=3, bias=False, seed=33)
    cell_case("lstmcell_nostate", "LSTMCell", 3, 5, B=2, h0=False, c0=False, seed=34)
    cell_case("lstmcell_unbatched", "LSTMCell", 3, 4, B=1, unbatched=True, seed=35)
    cell_case("grucell_nobias", "GRUCell", 3, 4, B=3, bias=False, seed=36)
    cell_case("grucell_wide_unbatched", "GRUCell", 5, 17, B=1, unbatched=True, seed=37)
    print("wrote", len([f for f in os.listdir(OUT) if f.endswith(".safetensors")]), "fixtures to", OUT)


if __name__ == "__main__":
    main()
