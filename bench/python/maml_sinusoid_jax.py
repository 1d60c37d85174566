#!/usr/bin/env python3
"""JAX twin of the Java benchmark `maml-sinusoid` (./bench.sh maml-sinusoid): speed only.

Second-order MAML (Finn et al. 2017, section 5.1) on sinusoid regression: a 1-40-40-1 ReLU
regressor in float64, K = 10 support and 10 query points, one inner SGD step of size 0.01
(differentiated through: jax.grad of a function that itself calls jax.grad), meta-batch 25,
Adam 1e-3. The per-task meta-loss is vmapped over the 25 tasks, task sampling (jax.random) is
inside the step, and the whole meta-step is one jit-compiled function, as a JAX user writes it.
XLA is limited to one thread. Prints one JSON object per line; the last line is the summary with
meta-iterations per second (compilation excluded).

Usage: python3 maml_sinusoid_jax.py [--iterations N] [--warmup-iterations W] [--seed S]
"""
import os

os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                           + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)

SIZES = [1, 40, 40, 1]
TASKS, K, ALPHA, LR = 25, 10, 0.01, 1e-3


def init(key):
    """PyTorch's default initialization: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases."""
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        key, kw, kb = jax.random.split(key, 3)
        b = 1.0 / math.sqrt(n_in)
        params.append((jax.random.uniform(kw, (n_out, n_in), minval=-b, maxval=b),
                       jax.random.uniform(kb, (n_out,), minval=-b, maxval=b)))
    return params


def forward(params, x):
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w.T + b
        if i < len(params) - 1:
            h = jax.nn.relu(h)
    return h


def mse(params, x, y):
    return jnp.mean((forward(params, x) - y) ** 2)


def task_loss(params, xs, ys, xq, yq):
    grads = jax.grad(mse)(params, xs, ys)
    adapted = jax.tree_util.tree_map(lambda p, g: p - ALPHA * g, params, grads)
    return mse(adapted, xq, yq)


def meta_loss(params, batch):
    return jnp.mean(jax.vmap(task_loss, in_axes=(None, 0, 0, 0, 0))(params, *batch))


def sample(key, n=TASKS):
    """n sinusoid tasks as in Finn et al.: amplitude U[0.1, 5], phase U[0, pi], x U[-5, 5]."""
    ka, kp, ks, kq = jax.random.split(key, 4)
    amp = jax.random.uniform(ka, (n, 1, 1), minval=0.1, maxval=5.0)
    phase = jax.random.uniform(kp, (n, 1, 1), minval=0.0, maxval=math.pi)
    xs = jax.random.uniform(ks, (n, K, 1), minval=-5.0, maxval=5.0)
    xq = jax.random.uniform(kq, (n, K, 1), minval=-5.0, maxval=5.0)
    return xs, amp * jnp.sin(xs - phase), xq, amp * jnp.sin(xq - phase)


@jax.jit
def meta_step(params, m, v, t, key):
    """One meta-iteration: fresh tasks, the meta-gradient, one Adam step (Kingma & Ba 2015)."""
    key, sub = jax.random.split(key)
    loss, g = jax.value_and_grad(meta_loss)(params, sample(sub))
    t = t + 1
    m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
    v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
    c1 = 1 - 0.9 ** t
    c2 = 1 - 0.999 ** t
    params = jax.tree_util.tree_map(lambda p, a, b: p - LR * (a / c1) / (jnp.sqrt(b / c2) + 1e-8), params, m, v)
    return params, m, v, t, key, loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=3000)
    parser.add_argument("--warmup-iterations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    key = jax.random.PRNGKey(args.seed)
    key, k0 = jax.random.split(key)
    params = init(k0)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    t = jnp.asarray(0.0)
    state = (params, m, v, t, key)
    for _ in range(args.warmup_iterations):
        *state, loss = meta_step(*state)
    jax.block_until_ready(loss)
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(args.iterations):
        *state, loss = meta_step(*state)
    loss = float(jax.block_until_ready(loss))
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(json.dumps({"bench": "maml-sinusoid", "impl": "jax", "jax": jax.__version__,
                      "python": platform.python_version(), "threads": 1, "dtype": "float64",
                      "iterations": args.iterations, "seconds": round(secs, 3), "last_meta_loss": loss}))
    print(json.dumps({"bench": "maml-sinusoid", "summary": True, "impl": "jax",
                      "iterations_per_second": round(args.iterations / secs, 1),
                      "iterations_per_cpu_second": round(args.iterations / cpu, 1), "threads": 1}))


if __name__ == "__main__":
    main()
