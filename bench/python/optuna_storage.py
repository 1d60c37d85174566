"""Optuna twin of ./bench.sh storage-throughput: trials per second of one worker on an SQLite
RDB storage (a fresh file), trivial objective (one suggest_float), random sampler, no heartbeat.
Prints one JSON line per repeat and a summary with "trials_per_s" (median of repeats).

  python3 bench/python/optuna_storage.py --trials 200 --repeats 3
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import optuna


def run_once(n):
    with tempfile.TemporaryDirectory() as d:
        url = "sqlite:///" + os.path.join(d, "study.db")
        study = optuna.create_study(storage=url, study_name="bench",
                                    sampler=optuna.samplers.RandomSampler(seed=0))
        t0 = time.perf_counter()
        study.optimize(lambda t: t.suggest_float("x", -10, 10) ** 2, n_trials=n)
        elapsed = time.perf_counter() - t0
        assert len(study.trials) == n
        return n / elapsed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--trials", type=int, default=200)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rates = []
    for r in range(a.repeats):
        rate = run_once(a.trials)
        rates.append(rate)
        print(json.dumps({"impl": "optuna", "optuna": optuna.__version__, "backend": "sqlite",
                          "workers": 1, "trials": a.trials, "repeat": r, "trials_per_s": rate}))
    print(json.dumps({"summary": True, "impl": "optuna", "optuna": optuna.__version__,
                      "backend": "sqlite", "workers": 1, "trials": a.trials,
                      "trials_per_s": statistics.median(rates)}))


if __name__ == "__main__":
    main()
