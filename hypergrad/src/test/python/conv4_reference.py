#!/usr/bin/env python3
"""Writes conv4-pytorch-reference.txt, the PyTorch oracle of Conv4ReferenceTest.

A small conv-4 (4 channels, 16x16 inputs, BatchNorm with the batch's own statistics, ReLU, 2x2
max-pooling, a linear head to 5 logits) with random parameters, and one random 5-way 1-shot task
with 3 queries per class; PyTorch computes, in float64, each meta-learner's query loss and
meta-gradient with the functions of bench/python/fewshot_images.py (the fewshot-images twin): second-order MAML, first-order MAML and
ANIL (5 inner SGD steps of 0.4), Prototypical Networks (the body as embedding), and Reptile's
theta - phi (5 inner steps of 0.1). Every value is written with 17 significant digits, one
"key count values..." line each.

Usage: /usr/bin/python3 conv4_reference.py OUTPUT   (PyTorch 1.13 made the committed file)
"""
import sys

import os

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../bench/python"))
from fewshot_images import adapt, adapt_head, body, forward, proto_logits  # noqa: E402  (the twin's own code)

C, WAYS, QUERIES, SIZE = 4, 5, 3, 16
torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261127)


def uniform(bound, *shape):
    return torch.from_numpy(rng.uniform(-bound, bound, shape))


names, params = [], []
for i in range(4):
    cin = 1 if i == 0 else C
    b = 1 / np.sqrt(cin * 9)
    names += [f"{i}.conv.weight", f"{i}.conv.bias", f"{i}.bn.weight", f"{i}.bn.bias"]
    params += [uniform(b, C, cin, 3, 3), uniform(b, C), 1 + 0.1 * uniform(1, C), 0.1 * uniform(1, C)]
names += ["head.weight", "head.bias"]
params += [uniform(0.5, WAYS, C), uniform(0.5, WAYS)]
xs = torch.from_numpy(rng.uniform(0, 1, (WAYS, 1, SIZE, SIZE)))
xq = torch.from_numpy(rng.uniform(0, 1, (WAYS * QUERIES, 1, SIZE, SIZE)))
ys = torch.arange(WAYS)
yq = torch.arange(WAYS).repeat_interleave(QUERIES)


def leaves(count):
    return [q.clone().requires_grad_() for q in params[:count]]


def meta_gradient(algo):
    if algo == "reptile":
        p = leaves(18)
        phi = adapt(p, xs, ys, 0.1, 5, False)
        return None, [(q - f).detach() for q, f in zip(p, phi)]
    if algo == "protonet":
        p = leaves(16)
        loss = F.cross_entropy(proto_logits(p, xs, xq), yq)
    elif algo == "anil":
        p = leaves(18)
        head = adapt_head(p[16:], body(p[:16], xs), ys, 0.4, 5, True)
        loss = F.cross_entropy(F.linear(body(p[:16], xq), *head), yq)
    else:
        p = leaves(18)
        fast = adapt(p, xs, ys, 0.4, 5, algo == "maml")
        loss = F.cross_entropy(forward(fast, xq), yq)
    return loss.item(), torch.autograd.grad(loss, p)


def line(key, values):
    flat = np.asarray(values, dtype=np.float64).ravel()
    return f"{key} {flat.size} " + " ".join(f"{v:.17g}" for v in flat)


out = [f"# {__doc__.splitlines()[0]} torch {torch.__version__}, seed 20261127"]
out += [line("param." + n, q.numpy()) for n, q in zip(names, params)]
out += [line("support.x", xs.numpy()), line("query.x", xq.numpy())]
for algo in ["maml", "fomaml", "anil", "protonet", "reptile"]:
    loss, grads = meta_gradient(algo)
    if loss is not None:   # Reptile's direction uses no query loss
        out.append(line(f"{algo}.loss", [loss]))
    out += [line(f"{algo}.grad.{n}", g.detach().numpy()) for n, g in zip(names, grads)]
with open(sys.argv[1], "w") as f:
    f.write("\n".join(out) + "\n")
