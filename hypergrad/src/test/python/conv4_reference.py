#!/usr/bin/env python3
"""Writes conv4-pytorch-reference.txt, the PyTorch oracle of Conv4ReferenceTest.

A small conv-4 (4 channels, 16x16 inputs, BatchNorm with the batch's own statistics, ReLU, 2x2
max-pooling, a linear head to 5 logits) with random parameters, and one random 5-way 1-shot task
with 3 queries per class; PyTorch computes, in float64, each meta-learner's query loss and
meta-gradient as bench/python/fewshot_images.py does: second-order MAML, first-order MAML and
ANIL (5 inner SGD steps of 0.4), Prototypical Networks (the body as embedding), and Reptile's
theta - phi (5 inner steps of 0.1). Every value is written with 17 significant digits, one
"key count values..." line each.

Usage: /usr/bin/python3 conv4_reference.py OUTPUT   (PyTorch 1.13 made the committed file)
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F

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


def body(p, x):
    h = x
    for i in range(4):
        w, b, gamma, beta = p[4 * i:4 * i + 4]
        h = F.conv2d(h, w, b, padding=1)
        h = F.batch_norm(h, None, None, gamma, beta, training=True, eps=1e-5)
        h = F.max_pool2d(F.relu(h), 2)
    return h.flatten(1)


def forward(p, x):
    return F.linear(body(p[:16], x), p[16], p[17])


def adapt(p, lr, create_graph, head_only=False):
    fast = list(p)
    feats = body(p[:16], xs) if head_only else None
    for _ in range(5):
        logits = F.linear(feats, fast[16], fast[17]) if head_only else forward(fast, xs)
        wrt = fast[16:] if head_only else fast
        grads = torch.autograd.grad(F.cross_entropy(logits, ys), wrt, create_graph=create_graph)
        updated = [q - lr * g for q, g in zip(wrt, grads)]
        fast = fast[:16] + updated if head_only else updated
    return fast


def leaves(count):
    return [q.clone().requires_grad_() for q in params[:count]]


def meta_gradient(algo):
    if algo == "reptile":
        p = leaves(18)
        phi = adapt(p, 0.1, False)
        return None, [(q - f).detach() for q, f in zip(p, phi)]
    if algo == "protonet":
        p = leaves(16)
        es, eq = body(p, xs), body(p, xq)
        logits = -(eq.unsqueeze(1) - es.unsqueeze(0)).pow(2).sum(2)
        loss = F.cross_entropy(logits, yq)
    else:
        p = leaves(18)
        fast = adapt(p, 0.4, algo != "fomaml", head_only=algo == "anil")
        if algo == "fomaml":
            fast = [f.detach().requires_grad_() for f in fast]
            loss = F.cross_entropy(forward(fast, xq), yq)
            return loss.item(), torch.autograd.grad(loss, fast)
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
