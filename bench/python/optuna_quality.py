"""Optuna twin of ./bench.sh hpo-quality: the same five shifted 5-D functions on [-5, 5]^5, the
median over seeds of the best-so-far regret at 50, 100 and 200 trials (those within --trials).
Prints one JSON line per (sampler, function) and a summary line with "regret_median_at_100".

Samplers: random, sobol (Optuna's default: unscrambled, the same points for every seed),
sobol-scrambled (scipy's LMS + digital-shift scramble with the seed, as ours), tpe (univariate), tpe-mv (multivariate), gp, cmaes; defaults as in
Optuna 5.0 except the ones named. "cmaes" (Optuna's CmaEsSampler) also needs the package `cmaes`
(CyberAgentAILab/cmaes, not a dependency of optuna) importable, e.g. from PYTHONPATH; without
it the first cmaes study fails with ModuleNotFoundError. Usage:
  python3 bench/python/optuna_quality.py --samplers tpe-mv --seeds 5 --trials 100
  PYTHONPATH=/path/to/dir/holding/cmaes python3 bench/python/optuna_quality.py --samplers cmaes
"""
import argparse
import json
import math
import time

import optuna

SHIFT = [1.3, -2.1, 0.7, 2.9, -0.4]
D = len(SHIFT)


def sphere(x):
    return sum((x[i] - SHIFT[i]) ** 2 for i in range(D))


def ellipsoid(x):
    return sum(10 ** (6.0 * i / (D - 1)) * (x[i] - SHIFT[i]) ** 2 for i in range(D))


def rosenbrock(x):
    w = [x[i] - SHIFT[i] + 1 for i in range(D)]
    return sum(100 * (w[i + 1] - w[i] ** 2) ** 2 + (1 - w[i]) ** 2 for i in range(D - 1))


def rastrigin(x):
    z = [x[i] - SHIFT[i] for i in range(D)]
    return 10.0 * D + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in z)


def ackley(x):
    z = [x[i] - SHIFT[i] for i in range(D)]
    sq = sum(v * v for v in z) / D
    cs = sum(math.cos(2 * math.pi * v) for v in z) / D
    return -20 * math.exp(-0.2 * math.sqrt(sq)) - math.exp(cs) + 20 + math.e


FUNCTIONS = {"sphere": sphere, "ellipsoid": ellipsoid, "rosenbrock": rosenbrock,
             "rastrigin": rastrigin, "ackley": ackley}

SAMPLERS = {
    "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "sobol": lambda s: optuna.samplers.QMCSampler(seed=s),
    "sobol-scrambled": lambda s: optuna.samplers.QMCSampler(scramble=True, seed=s),
    "tpe": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=False),
    "tpe-mv": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=True),
    "gp": lambda s: optuna.samplers.GPSampler(seed=s),
    "cmaes": lambda s: optuna.samplers.CmaEsSampler(seed=s),
}


def median(v):
    c = sorted(v)
    n = len(c)
    return c[n // 2] if n % 2 else 0.5 * (c[n // 2 - 1] + c[n // 2])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--samplers", default="tpe-mv")
    p.add_argument("--functions", default=",".join(FUNCTIONS))
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--trials", type=int, default=100)
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    at100 = {}
    for s in a.samplers.split(","):
        for f in a.functions.split(","):
            fn = FUNCTIONS[f]
            t0 = time.perf_counter()
            regrets = {c: [] for c in (50, 100, 200) if c <= a.trials}
            for seed in range(a.seeds):
                study = optuna.create_study(sampler=SAMPLERS[s](seed))
                study.optimize(lambda t: fn([t.suggest_float(f"x{i}", -5, 5) for i in range(D)]),
                               n_trials=a.trials)
                best, bests = math.inf, []
                for t in study.trials:
                    if t.value is not None:
                        best = min(best, t.value)
                    bests.append(best)
                for c in regrets:
                    regrets[c].append(bests[c - 1])
            med = {str(c): float(f"{median(v):.4g}") for c, v in regrets.items()}
            if "100" in med:
                at100.setdefault(s, {})[f] = med["100"]
            print(json.dumps({"bench": "hpo-quality", "impl": "optuna", "version": optuna.__version__,
                              "sampler": s, "function": f, "seeds": a.seeds, "regret_median": med,
                              "seconds": round(time.perf_counter() - t0, 2)}), flush=True)
    print(json.dumps({"bench": "hpo-quality", "impl": "optuna", "version": optuna.__version__,
                      "summary": True, "seeds": a.seeds, "regret_median_at_100": at100}), flush=True)


if __name__ == "__main__":
    main()
