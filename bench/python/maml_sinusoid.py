#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `maml-sinusoid` (./bench.sh maml-sinusoid): speed only.

Second-order MAML (Finn et al. 2017, section 5.1) on sinusoid regression: a 1-40-40-1 ReLU
regressor in float64, K = 10 support and 10 query points, one inner SGD step of size 0.01 with
create_graph=True, meta-batch 25, Adam 1e-3. The 25 tasks of a meta-batch are batched by hand:
the parameters are expanded to [25, ...] so that one autograd call gives every task's inner
gradient, and the layers are batched matrix products (torch.baddbmm). One thread. Prints one JSON
object per line; the last line is the summary with meta-iterations per second.

Usage: python3 maml_sinusoid.py [--iterations N] [--warmup-iterations W] [--seed S]
"""
import argparse
import json
import math
import platform
import time

import torch


def tasks(gen, t, k):
    amp = 0.1 + 4.9 * torch.rand(t, 1, 1, generator=gen, dtype=torch.float64)
    phase = math.pi * torch.rand(t, 1, 1, generator=gen, dtype=torch.float64)
    xs = -5 + 10 * torch.rand(t, k, 1, generator=gen, dtype=torch.float64)
    xq = -5 + 10 * torch.rand(t, k, 1, generator=gen, dtype=torch.float64)
    return xs, amp * torch.sin(xs - phase), xq, amp * torch.sin(xq - phase)


def init(gen, sizes):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        b = 1.0 / math.sqrt(n_in)
        params.append((2 * b * torch.rand(n_out, n_in, generator=gen, dtype=torch.float64) - b).requires_grad_())
        params.append((2 * b * torch.rand(n_out, generator=gen, dtype=torch.float64) - b).requires_grad_())
    return params


def forward(params, x):
    """params: per-task weights [T, out, in] and biases [T, out]; x: [T, K, in]."""
    h = x
    n = len(params) // 2
    for i in range(n):
        w, b = params[2 * i], params[2 * i + 1]
        h = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
        if i < n - 1:
            h = torch.relu(h)
    return h


def meta_step(params, opt, batch, alpha):
    xs, ys, xq, yq = batch
    t = xs.shape[0]
    expanded = [p.unsqueeze(0).expand(t, *p.shape) for p in params]
    support = ((forward(expanded, xs) - ys) ** 2).mean(dim=(1, 2)).sum()
    grads = torch.autograd.grad(support, expanded, create_graph=True)
    adapted = [p - alpha * g for p, g in zip(expanded, grads)]
    query = ((forward(adapted, xq) - yq) ** 2).mean(dim=(1, 2)).mean()
    opt.zero_grad()
    query.backward()
    opt.step()
    return query.item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--warmup-iterations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(args.seed)
    params = init(gen, [1, 40, 40, 1])
    opt = torch.optim.Adam(params, lr=1e-3)
    for _ in range(args.warmup_iterations):
        meta_step(params, opt, tasks(gen, 25, 10), 0.01)
    t0 = time.perf_counter()
    c0 = time.process_time()
    loss = 0.0
    for _ in range(args.iterations):
        loss = meta_step(params, opt, tasks(gen, 25, 10), 0.01)
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"bench": "maml-sinusoid", "impl": "pytorch", "torch": torch.__version__,
                      "python": platform.python_version(), "threads": 1, "dtype": "float64",
                      "iterations": args.iterations, "seconds": round(secs, 3), "last_meta_loss": loss}))
    print(json.dumps({"bench": "maml-sinusoid", "summary": True, "impl": "pytorch",
                      "iterations_per_second": round(args.iterations / secs, 1),
                      "iterations_per_cpu_second": round(args.iterations / cpu, 1), "threads": 1}))


if __name__ == "__main__":
    main()
