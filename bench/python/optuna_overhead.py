"""Optuna twin of ./bench.sh hpo-overhead: per-trial time of ask + five suggest_float on [-5, 5] +
tell with a trivial objective and in-memory storage; the figure at count N is the median ms/trial
over trials (N - w, N], w = min(50, N // 2), wall-clock and thread CPU time. One study per sampler runs to the largest count.
Prints one JSON line per (sampler, count) and a summary with "ms_per_trial_median".

  python3 bench/python/optuna_overhead.py --counts 100,500,1000,2000 --samplers tpe-mv
"""
import argparse
import json
import statistics
import time

import optuna

SAMPLERS = {
    "random": lambda s: optuna.samplers.RandomSampler(seed=s),
    "tpe-mv": lambda s: optuna.samplers.TPESampler(seed=s),  # 5.0 default: multivariate, liar
    "tpe": lambda s: optuna.samplers.TPESampler(seed=s, multivariate=False),
    "gp": lambda s: optuna.samplers.GPSampler(seed=s),
}


def time_per_trial(sampler, n):
    study = optuna.create_study(sampler=sampler)
    ms, cpu = [], []
    for _ in range(n):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        trial = study.ask()
        s = sum(trial.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(5))
        study.tell(trial, s)
        ms.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.thread_time() - c0) * 1e3)
    return ms, cpu


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--counts", default="100,500,1000,2000")
    p.add_argument("--samplers", default="tpe-mv")
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    counts = [int(c) for c in a.counts.split(",")]
    out, out_cpu = {}, {}
    for s in a.samplers.split(","):
        ms, cpu = time_per_trial(SAMPLERS[s](0), max(counts))
        for n in counts:
            w = min(50, max(1, n // 2))
            m = statistics.median(ms[n - w:n])
            c = statistics.median(cpu[n - w:n])
            out.setdefault(s, {})[str(n)] = round(m, 4)
            out_cpu.setdefault(s, {})[str(n)] = round(c, 4)
            print(json.dumps({"bench": "hpo-overhead", "impl": "optuna", "version": optuna.__version__,
                              "sampler": s, "trials": n, "window": w, "ms_per_trial_median": round(m, 4),
                              "cpu_ms_per_trial_median": round(c, 4)}),
                  flush=True)
    print(json.dumps({"bench": "hpo-overhead", "impl": "optuna", "version": optuna.__version__,
                      "summary": True, "ms_per_trial_median": out,
                      "cpu_ms_per_trial_median": out_cpu}), flush=True)


if __name__ == "__main__":
    main()
