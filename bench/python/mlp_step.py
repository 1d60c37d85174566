#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `mlp-step` (./bench.sh mlp-step).

Forward and backward of an MLP 784-256-10 (ReLU, cross-entropy with integer labels) on a batch of
256, float64, one thread: the loss and its gradient with respect to every weight and bias. Prints
one JSON object per line; the last line is the summary with the median milliseconds per step, in
the same fields as the Java benchmark.

Usage: python3 mlp_step.py [--reps N] [--warmup-seconds S]
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


def blas_info():
    """The BLAS torch was built with, e.g. 'mkl', 'open', or 'generic' (Debian's reference BLAS)."""
    match = re.search(r"BLAS_INFO=([\w-]+)", torch.__config__.show())
    return match.group(1) if match else "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--warmup-seconds", type=float, default=2.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    params = []
    for n_in, n_out in [(784, 256), (256, 10)]:
        b = 1.0 / math.sqrt(n_in)
        params.append((2 * b * torch.rand(n_out, n_in, generator=gen, dtype=torch.float64) - b).requires_grad_())
        params.append((2 * b * torch.rand(n_out, generator=gen, dtype=torch.float64) - b).requires_grad_())
    x = torch.randn(256, 784, generator=gen, dtype=torch.float64)
    labels = torch.randint(0, 10, (256,), generator=gen)

    def step():
        h = torch.relu(F.linear(x, params[0], params[1]))
        loss = F.cross_entropy(F.linear(h, params[2], params[3]), labels)
        return torch.autograd.grad(loss, params)

    end = time.perf_counter() + args.warmup_seconds
    while time.perf_counter() < end:
        step()
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter_ns()
        step()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    q = statistics.quantiles(times, n=20)
    print(json.dumps({"bench": "mlp-step", "summary": True, "impl": "pytorch", "ms_median": round(statistics.median(times), 4),
                      "ms_p5": round(q[0], 4), "ms_p95": round(q[-1], 4), "reps": args.reps, "threads": 1,
                      "dtype": "float64", "net": "784-256-10", "batch": 256, "torch": torch.__version__, "blas": blas_info(),
                      "python": platform.python_version()}))


if __name__ == "__main__":
    main()
