#!/usr/bin/env python3
"""Writes conv4-pytorch-reference.txt, the PyTorch oracle of Conv4ReferenceTest.

A small conv-4 (4 channels, 16x16 inputs, BatchNorm with the batch's own statistics, ReLU, 2x2
max-pooling, a linear head to 5 logits) with random parameters, and one random 5-way 1-shot task
with 3 queries per class; PyTorch computes, in float64, each meta-learner's query loss and
meta-gradient with the functions of bench/python/fewshot_images.py (the fewshot-images twin): second-order MAML, first-order MAML and
ANIL (5 inner SGD steps of 0.4), Prototypical Networks (the body as embedding), and Reptile's
theta - phi (5 inner steps of 0.1). Every value is written with 17 significant digits, one
"key count values..." line each.

It also trains each meta-learner for TRAJECTORY_STEPS meta-iterations from those parameters with the
twin's own meta_step and optimizer (Adam 1e-3; Reptile's outer SGD of 1.0), meta-batch 1 for
Prototypical Networks and 2 for the others, on tasks whose inputs are an exact integer hash
(trajectory_inputs; the Java test computes the same numbers), and writes the parameters after the
last iteration and each iteration's mean query loss.

Usage: /usr/bin/python3 conv4_reference.py OUTPUT   (PyTorch 1.13 made the committed file)
"""
import sys

import os

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../bench/python"))
from fewshot_images import adapt, adapt_head, body, forward, meta_step, proto_logits  # noqa: E402  (the twin's own code)

C, WAYS, QUERIES, SIZE = 4, 5, 3, 16
TRAJECTORY_STEPS = 6
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


def trajectory_inputs(step, task, part, count):
    """Inputs in [0, 1): Knuth's multiplicative hash of each element's number, exact in integers."""
    first = ((step * 4 + task) * 2 + part) * 100_000
    k = np.arange(first, first + count * SIZE * SIZE, dtype=np.uint64)
    return torch.from_numpy(((k * np.uint64(2654435761)) % np.uint64(2 ** 32)).astype(np.float64) / 2.0 ** 32) \
        .reshape(count, 1, SIZE, SIZE)


def trajectory(algo):
    """The parameters after TRAJECTORY_STEPS of the twin's meta_step, and each step's mean query loss."""
    p = leaves(16 if algo == "protonet" else 18)
    opt = torch.optim.SGD(p, lr=1.0) if algo == "reptile" else torch.optim.Adam(p, lr=1e-3)
    batch_size = 1 if algo == "protonet" else 2
    losses = []
    for t in range(TRAJECTORY_STEPS):
        batch = [(trajectory_inputs(t, b, 0, WAYS), ys, trajectory_inputs(t, b, 1, WAYS * QUERIES), yq)
                 for b in range(batch_size)]
        losses.append(meta_step(algo, p, opt, batch))
    return losses, p


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
    losses, trained = trajectory(algo)
    if algo != "reptile":
        out.append(line(f"{algo}.trajectory.loss", losses))
    out += [line(f"{algo}.trajectory.{n}", q.detach().numpy()) for n, q in zip(names, trained)]
with open(sys.argv[1], "w") as f:
    f.write("\n".join(out) + "\n")
