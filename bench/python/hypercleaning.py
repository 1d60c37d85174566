#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `hypercleaning` (./bench.sh hypercleaning).

Data hyper-cleaning (Franceschi et al. 2017, section 5.1) on the MNIST file of shared/data, the
same algorithm as the Java side, float64, one thread: rows 0-3999 train with the corrupted labels,
4000-5999 clean validation, 6000-9999 test; features pixels/255 plus a bias;

    f(lam, W) = mean_i sigmoid(lam_i) CE(x_i W, y~_i) + (mu/2)||W||^2,  mu = 1e-3
    F(lam, W) = CE(X_val W, y_val)

Inner solver: heavy-ball gradient descent (step 1.0, momentum 0.9, buffer reset per solve),
warm-started from the previous W; implicit hypergradient: CG on the Hessian-vector product
(double backward) from the previous adjoint, rtol 1e-6, then the mixed VJP in lam; outer Adam
with step 0.1. Prints one JSON line: test accuracy, F1 of flagging corrupted examples (lam_i < 0),
and ms per hypergradient (inner solve included).

Usage: python3 hypercleaning.py --data DIR [--outer-steps N] [--inner-steps N]
       [--first-inner-steps N] [--cg-iters N]
"""
import argparse
import gzip
import json
import statistics
import time

import numpy as np
import torch

MU = 1e-3


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--outer-steps", type=int, default=50)
    ap.add_argument("--inner-steps", type=int, default=50)
    ap.add_argument("--first-inner-steps", type=int, default=300)
    ap.add_argument("--cg-iters", type=int, default=30)
    a = ap.parse_args()
    torch.set_num_threads(1)
    dt = torch.float64
    px = idx(f"{a.data}/mnist-npm10k-images-idx3-ubyte.gz").reshape(-1, 784) / 255.0
    labels = idx(f"{a.data}/mnist-npm10k-labels-idx1-ubyte.gz").astype(np.int64)
    noisy = idx(f"{a.data}/hypercleaning-mnist-npm10k-train4000-noisy-labels-idx1-ubyte.gz").astype(np.int64)
    x = torch.tensor(np.hstack([px, np.ones((px.shape[0], 1))]), dtype=dt)
    y = torch.tensor(labels)
    x_tr, x_val, x_te = x[:4000], x[4000:6000], x[6000:10000]
    y_tr = torch.tensor(noisy[:4000])
    y_val, y_te = y[4000:6000], y[6000:10000]
    onehot_tr = torch.nn.functional.one_hot(y_tr, 10).to(dt)
    onehot_val = torch.nn.functional.one_hot(y_val, 10).to(dt)

    def inner(lam, w):
        per = -(torch.log_softmax(x_tr @ w, 1) * onehot_tr).sum(1)
        return (per * torch.sigmoid(lam)).mean() + 0.5 * MU * (w * w).sum()

    def outer(w):
        return -(torch.log_softmax(x_val @ w, 1) * onehot_val).sum() / 2000

    def solve(lam, w, steps):
        lam = lam.detach()
        w = w.detach().clone()
        buf = torch.zeros_like(w)
        for _ in range(steps):
            wl = w.requires_grad_(True)
            g, = torch.autograd.grad(inner(lam, wl), wl)
            with torch.no_grad():
                buf = 0.9 * buf + g
                w = wl - 1.0 * buf
        return w.detach()

    def cg(hvp, b, x0, iters, rtol):
        x = x0.clone()
        r = b - hvp(x)
        p = r.clone()
        rs = (r * r).sum()
        tol = rtol * b.norm()
        k = 0
        while k < iters and rs.sqrt() > tol:
            ap_ = hvp(p)
            alpha = rs / (p * ap_).sum()
            x = x + alpha * p
            r = r - alpha * ap_
            rs_new = (r * r).sum()
            p = r + (rs_new / rs) * p
            rs = rs_new
            k += 1
        return x, k

    lam = torch.zeros(4000, dtype=dt, requires_grad=True)
    opt = torch.optim.Adam([lam], lr=0.1)
    w = solve(lam, torch.zeros(785, 10, dtype=dt), a.first_inner_steps)
    u = torch.zeros_like(w)
    ms = []
    for _ in range(a.outer_steps):
        t0 = time.perf_counter()
        w = solve(lam, w, a.inner_steps)
        wl = w.clone().requires_grad_(True)
        lam_l = lam.detach().clone().requires_grad_(True)
        dF, = torch.autograd.grad(outer(wl), wl)
        g, = torch.autograd.grad(inner(lam_l, wl), wl, create_graph=True)

        def hvp(v):
            return torch.autograd.grad(g, wl, v, retain_graph=True)[0]

        u, _ = cg(hvp, dF, u, a.cg_iters, 1e-6)
        cross, = torch.autograd.grad(g, lam_l, u)
        hyper = -cross
        ms.append((time.perf_counter() - t0) * 1e3)
        opt.zero_grad()
        lam.grad = hyper
        opt.step()
    w = solve(lam, w, a.inner_steps)
    acc = ((x_te @ w).argmax(1) == y_te).double().mean().item()
    corrupted = torch.tensor(noisy[:4000] != labels[:4000])
    flagged = lam.detach() < 0
    tp = (corrupted & flagged).sum().item()
    fp = (~corrupted & flagged).sum().item()
    fn = (corrupted & ~flagged).sum().item()
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    print(json.dumps({"bench": "hypercleaning", "impl": "pytorch", "method": "implicit-cg", "summary": True,
                      "test_acc": round(acc, 4), "f1": round(f1, 4),
                      "ms_per_hypergradient_median": round(statistics.median(ms), 1),
                      "ms_per_hypergradient_mean": round(statistics.mean(ms), 1),
                      "torch": torch.__version__, "threads": 1, "dtype": "float64"}))


if __name__ == "__main__":
    main()
