#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `maml-step` (./bench.sh maml-step).

One second-order MAML step on one sinusoid task (Finn et al. 2017, section 5.1): a 1-40-40-1 ReLU
regressor in float64, K = 10 support and 10 query points, one inner SGD step of size 0.01 with
create_graph=True, the query loss at the adapted weights, and the meta-gradient with respect to
the initial weights. One thread. Prints one JSON object per line; the last line is the summary
with the median microseconds per step, in the same fields as the Java benchmark.

Usage: python3 maml_step.py [--reps N] [--warmup-seconds S]
"""
import argparse
import json
import math
import platform
import re
import statistics
import time

import torch
import torch.nn.functional as F


def sinusoid(gen, k):
    amplitude = 0.1 + 4.9 * torch.rand((), generator=gen, dtype=torch.float64)
    phase = math.pi * torch.rand((), generator=gen, dtype=torch.float64)
    xs = -5 + 10 * torch.rand(k, 1, generator=gen, dtype=torch.float64)
    xq = -5 + 10 * torch.rand(k, 1, generator=gen, dtype=torch.float64)
    return xs, amplitude * torch.sin(xs - phase), xq, amplitude * torch.sin(xq - phase)


def init(gen, sizes):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        b = 1.0 / math.sqrt(n_in)
        params.append((2 * b * torch.rand(n_out, n_in, generator=gen, dtype=torch.float64) - b).requires_grad_())
        params.append((2 * b * torch.rand(n_out, generator=gen, dtype=torch.float64) - b).requires_grad_())
    return params


def forward(params, x):
    h = x
    n = len(params) // 2
    for i in range(n):
        h = F.linear(h, params[2 * i], params[2 * i + 1])
        if i < n - 1:
            h = torch.relu(h)
    return h


def maml_step(params, task, alpha):
    xs, ys, xq, yq = task
    support = F.mse_loss(forward(params, xs), ys)
    grads = torch.autograd.grad(support, params, create_graph=True)
    adapted = [p - alpha * g for p, g in zip(params, grads)]
    query = F.mse_loss(forward(adapted, xq), yq)
    return torch.autograd.grad(query, params)


def blas_info():
    """The BLAS torch was built with, e.g. 'mkl', 'open', or 'generic' (Debian's reference BLAS)."""
    match = re.search(r"BLAS_INFO=([\w-]+)", torch.__config__.show())
    return match.group(1) if match else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--warmup-seconds", type=float, default=2.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    params = init(gen, [1, 40, 40, 1])
    task = sinusoid(gen, 10)
    end = time.perf_counter() + args.warmup_seconds
    while time.perf_counter() < end:
        maml_step(params, task, 0.01)
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter_ns()
        maml_step(params, task, 0.01)
        times.append((time.perf_counter_ns() - t0) / 1e3)
    q = statistics.quantiles(times, n=20)
    print(json.dumps({"bench": "maml-step", "summary": True, "impl": "pytorch", "us_median": round(statistics.median(times), 3),
                      "us_p5": round(q[0], 3), "us_p95": round(q[-1], 3), "reps": args.reps, "threads": 1,
                      "dtype": "float64", "net": "1-40-40-1", "activation": "relu", "k": 10, "inner_steps": 1,
                      "torch": torch.__version__, "blas": blas_info(), "python": platform.python_version()}))


if __name__ == "__main__":
    main()
