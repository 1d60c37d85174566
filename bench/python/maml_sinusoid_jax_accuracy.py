#!/usr/bin/env python3
"""Reference accuracy for the Java benchmark `maml-sinusoid`: the JAX twin trained to the end.

Trains the meta-step of maml_sinusoid_jax.py (second-order MAML, Finn et al. 2017, section 5.1:
1-40-40-1 ReLU, float64, K = 10 support and 10 query points, one inner SGD step of 0.01,
meta-batch 25, Adam 1e-3, PyTorch's default initialization) for --iterations meta-iterations
(70,000 by default) and evaluates it with the protocol of the Java benchmark:

- every 1,000 iterations, the mean of the query MSEs after 1 and after 10 steps on 600 fixed
  meta-validation tasks; the parameters with the lowest such score so far are kept ("selected";
  a NaN never improves);
- the last and the selected parameters on 600 test tasks (K = 10 support and 10 other query
  points each, the support adapted by plain SGD with step 0.01): the mean query MSE after 0, 1,
  5 and 10 steps, its 95% confidence half-width 1.96 s / sqrt(600) with s the sample standard
  deviation, and whether every task's MSE is finite.

The validation and test tasks come from keys of their own, split off the seed, disjoint from the
training stream. Prints one JSON object per line; the last line is the summary.

Usage: python3 maml_sinusoid_jax_accuracy.py [--iterations N] [--seed S]
"""
import argparse
import json
import math
import time

import jax
import jax.numpy as jnp

from maml_sinusoid_jax import ALPHA, init, meta_step, mse, sample

VALIDATE_EVERY = 1000
VALIDATION_TASKS = 600
VALIDATION_STEPS = (1, 10)
TEST_TASKS = 600
STEPS = (0, 1, 5, 10)


def task_curve(params, xs, ys, xq, yq):
    """Query MSE of one task after each of 0..max(STEPS) plain SGD steps on its support set."""
    losses = [mse(params, xq, yq)]
    for _ in range(max(STEPS)):
        grads = jax.grad(mse)(params, xs, ys)
        params = jax.tree_util.tree_map(lambda p, g: p - ALPHA * g, params, grads)
        losses.append(mse(params, xq, yq))
    return jnp.stack(losses)


curves = jax.jit(jax.vmap(task_curve, in_axes=(None, 0, 0, 0, 0)))


def evaluate(params, tasks):
    """Per step count: mean query MSE, 95% half-width, whether every task is finite."""
    c = curves(params, *tasks)
    out = []
    for s in STEPS:
        x = c[:, s]
        n = x.shape[0]
        out.append({"steps": s, "mse": float(jnp.mean(x)),
                    "ci95": float(1.96 * jnp.std(x, ddof=1) / math.sqrt(n)),
                    "all_finite": bool(jnp.all(jnp.isfinite(x)))})
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=70_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    key = jax.random.PRNGKey(args.seed)
    key, k0 = jax.random.split(key)
    train_key, k_val, k_test = jax.random.split(key, 3)
    validation = sample(k_val, VALIDATION_TASKS)
    test = sample(k_test, TEST_TASKS)
    params = init(k0)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    state = (params, m, v, jnp.asarray(0.0), train_key)
    best, best_mse, best_iteration = None, math.inf, 0
    started = time.perf_counter()
    for i in range(1, args.iterations + 1):
        *state, loss = meta_step(*state)
        if i % VALIDATE_EVERY == 0:
            val = float(jnp.mean(curves(state[0], *validation)[:, list(VALIDATION_STEPS)]))
            if val < best_mse:
                best, best_mse, best_iteration = state[0], val, i
            print(json.dumps({"bench": "maml-sinusoid", "impl": "jax", "phase": "train", "iteration": i,
                              "meta_loss": round(float(loss), 5), "validation_mse_1_10": round(val, 5),
                              "seconds": round(time.perf_counter() - started, 1)}), flush=True)
    final = evaluate(state[0], test)
    selected = evaluate(best, test) if best is not None else final
    for name, est in (("final", final), ("selected", selected)):
        for e in est:
            print(json.dumps({"bench": "maml-sinusoid", "impl": "jax", "phase": "eval", "theta": name,
                              "tasks": TEST_TASKS, **e}))
    sel = {e["steps"]: e for e in selected}
    fin = {e["steps"]: e for e in final}
    finite = all(e["all_finite"] for e in selected)
    print(json.dumps({"bench": "maml-sinusoid", "summary": True, "impl": "jax", "jax": jax.__version__,
                      "seed": args.seed, "iterations": args.iterations, "selected_iteration": best_iteration,
                      "mse_1": round(sel[1]["mse"], 4), "mse_10": round(sel[10]["mse"], 4), "all_finite": finite,
                      "final_mse_1": round(fin[1]["mse"], 4), "final_mse_10": round(fin[10]["mse"], 4),
                      "final_all_finite": all(e["all_finite"] for e in final),
                      "meets_target": finite and sel[1]["mse"] <= 0.35 and sel[10]["mse"] <= 0.15,
                      "train_seconds": round(time.perf_counter() - started, 1)}))

if __name__ == "__main__":
    main()
