#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `conv` (./bench.sh conv).

The convolutions of the conv-4 backbone on 28x28 images, one layer at a time (1->32 channels at
28x28, then 32->32 at 14x14, 7x7 and 3x3; 3x3 kernels, padding 1), float32, one thread: median
milliseconds of conv2d, of its input gradient (autograd with only the input requiring a gradient)
and of its weight gradient (only the weight). Prints one JSON line, the summary, with every layer.

Usage: python3 conv.py [--batch N] [--reps N] [--warmup-seconds S]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def median_ms(op, reps, warmup):
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        op()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        op()
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--warmup-seconds", type=float, default=2.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    total = 0.0
    layers = []
    for c, side in [(1, 28), (32, 14), (32, 7), (32, 3)]:
        x = torch.randn(args.batch, c, side, side, generator=gen)
        w = torch.randn(32, c, 3, 3, generator=gen)
        g = torch.randn(args.batch, 32, side, side, generator=gen)
        xr = x.clone().requires_grad_()
        wr = w.clone().requires_grad_()

        def forward():
            with torch.no_grad():
                F.conv2d(x, w, padding=1)

        def input_grad():
            torch.autograd.grad(F.conv2d(xr, w, padding=1), xr, g)

        def weight_grad():
            torch.autograd.grad(F.conv2d(x, wr, padding=1), wr, g)

        fwd = median_ms(forward, args.reps, args.warmup_seconds)
        # Autograd runs the forward pass again before each gradient; its time is taken off.
        dx = median_ms(input_grad, args.reps, args.warmup_seconds) - fwd
        dw = median_ms(weight_grad, args.reps, args.warmup_seconds) - fwd
        if c == 32:
            total += fwd + dx + dw
        layers.append({"in_channels": c, "side": side, "forward_ms": round(fwd, 3), "input_grad_ms": round(dx, 3),
                       "weight_grad_ms": round(dw, 3)})
    print(json.dumps({"bench": "conv", "summary": True, "impl": "pytorch", "precision": "float32", "batch": args.batch,
                      "layers": layers, "total_ms_32_channel_layers": round(total, 3), "threads": 1,
                      "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
