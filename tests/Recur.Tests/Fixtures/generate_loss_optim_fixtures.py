#!/usr/bin/env python3
"""Extra loss and optimizer fixtures in the format of torch/README.md, from Debian's python3-torch (1.13).

Run from this folder: python3 generate_loss_optim_fixtures.py  (writes generated/*.safetensors).
Inputs are float32 values; PyTorch computes the references in float64; results are stored as float32.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "generated")
OPT_NOTE = ("grads[k] is the raw gradient before step k; with clip_grad_norm it is clipped first "
            "(clip.total_norm[k] is the norm before clipping); expected[k] is the parameter after step k")
DTYPES = {torch.float32: ("F32", "<f"), torch.int64: ("I64", "<q")}


def save(name, tensors, metadata):
    """safetensors: names sorted, data packed in that order, __metadata__ last, header padded with spaces to 8."""
    header, blobs, offset = {}, [], 0
    for key in sorted(tensors):
        t = tensors[key].detach().contiguous()
        dtype, fmt = DTYPES[t.dtype]
        values = t.reshape(-1).tolist()
        blob = struct.pack("<%d%s" % (len(values), fmt[1]), *values)
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(os.path.join(OUT, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def meta(kind, module, config, note):
    return {"torch_version": torch.__version__, "reference_precision": "float64", "kind": kind,
            "module": module, "config": json.dumps(config), "note": note}


def f32(t):
    return t.to(torch.float32)


def loss_case(name, shape, weighted=False, ignore_index=-100, smoothing=0.0, reduction="mean", ignored=0.2):
    logits = f32(torch.randn(shape) * 2)
    classes = shape[0] if len(shape) == 1 else shape[1]
    target_shape = () if len(shape) == 1 else (shape[0],) + tuple(shape[2:])
    target = torch.randint(0, classes, target_shape)
    if ignored > 0 and len(shape) > 1:
        mask = torch.rand(target_shape) < ignored
        mask.view(-1)[0] = False
        target[mask] = ignore_index
    weight = f32(torch.rand(classes) * 1.8 + 0.2) if weighted else None
    x = logits.double().requires_grad_(True)
    loss = torch.nn.functional.cross_entropy(
        x, target, weight=None if weight is None else weight.double(), ignore_index=ignore_index,
        reduction=reduction, label_smoothing=smoothing)
    loss.sum().backward()
    tensors = {"logits": logits, "target": target, "loss": f32(loss.detach().reshape(-1) if loss.dim() == 0 else loss.detach()),
               "grad.logits": f32(x.grad)}
    if weight is not None:
        tensors["weight"] = weight
    config = {"ignore_index": ignore_index, "label_smoothing": smoothing, "reduction": reduction}
    save(name, tensors, meta("loss", "CrossEntropyLoss", config, "for reduction=none, grad is of loss.sum()"))


def optimizer_case(name, module, config, steps=6, size=7, grad_scale=1.0, norm_key="norm_type"):
    init = f32(torch.randn(size))
    grads = f32(torch.randn(steps, size) * grad_scale)
    p = torch.nn.Parameter(init.double())
    ctor = {k: v for k, v in config.items() if k not in ("clip_grad_norm", norm_key)}
    if "betas" in ctor:
        ctor["betas"] = tuple(ctor["betas"])
    opt = getattr(torch.optim, module)([p], **ctor)
    expected, norms = [], []
    for k in range(steps):
        p.grad = grads[k].double().clone()
        if "clip_grad_norm" in config:
            norms.append(float(torch.nn.utils.clip_grad_norm_([p], config["clip_grad_norm"], config.get(norm_key, 2.0))))
        opt.step()
        expected.append(p.detach().clone())
    tensors = {"param.init": init, "grads": grads, "expected": f32(torch.stack(expected))}
    if norms:
        tensors["clip.total_norm"] = f32(torch.tensor(norms, dtype=torch.float64))
    save(name, tensors, meta("optimizer", module, dict(config, optimizer=module), OPT_NOTE))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20241128)
    loss_case("ce_weight_mean", (7, 5), weighted=True)
    loss_case("ce_weight_smooth_ignore_class", (8, 4), weighted=True, ignore_index=1, smoothing=0.15, ignored=0)
    loss_case("ce_3d_weight_smooth_none", (3, 4, 5), weighted=True, smoothing=0.1, reduction="none")
    loss_case("ce_4d_mean", (2, 3, 2, 3), smoothing=0.05)
    loss_case("ce_sum_smooth", (6, 3), smoothing=0.3, reduction="sum")
    loss_case("ce_single_example", (6,), smoothing=0.2, ignored=0)
    loss_case("ce_full_smoothing_none", (5, 6), smoothing=1.0, reduction="none")
    loss_case("ce_wide_weight_sum", (4, 300), weighted=True, smoothing=0.1, reduction="sum")

    optimizer_case("opt_sgd_dampening_wd", "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01})
    optimizer_case("opt_sgd_maximize", "SGD", {"lr": 0.05, "maximize": True})
    optimizer_case("opt_sgd_clip_inf", "SGD", {"lr": 0.1, "momentum": 0.5, "clip_grad_norm": 0.5,
                                               "norm_type": float("inf")}, grad_scale=2.0)
    optimizer_case("opt_adam_amsgrad_wd", "Adam", {"lr": 0.02, "betas": [0.8, 0.99], "weight_decay": 0.05, "amsgrad": True})
    optimizer_case("opt_adam_maximize_clip", "Adam", {"lr": 0.01, "maximize": True, "clip_grad_norm": 2.0}, grad_scale=3.0)
    optimizer_case("opt_adamw_amsgrad", "AdamW", {"lr": 0.01, "amsgrad": True})
    optimizer_case("opt_rmsprop_centered_momentum", "RMSprop",
                   {"lr": 0.01, "alpha": 0.9, "eps": 1e-06, "weight_decay": 0.02, "momentum": 0.5, "centered": True})
    optimizer_case("opt_rmsprop_momentum", "RMSprop", {"lr": 0.005, "momentum": 0.9})
    optimizer_case("opt_adagrad", "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01, "initial_accumulator_value": 0.2})
    optimizer_case("opt_adagrad_defaults", "Adagrad", {"lr": 0.01}, steps=10)


if __name__ == "__main__":
    main()
