#!/usr/bin/env python3
"""PyTorch twin of the Java benchmark `fewshot-images` (./bench.sh fewshot-images).

The same meta-dataset, backbone, algorithms, hyperparameters, task protocol, budget rule and
evaluation as bench/src/main/java/dev/bilevel/bench/FewShotImagesBench.java, written the way a
PyTorch user writes them, in float32 (what PyTorch users run) unless `--dtype float64` (the Java
side computes in float64 with float32 convolution products by default):

- data: Fashion-MNIST classes 0-9 as classes 0-9 and MNIST digits as classes 10-19, the first 600
  images of each class in file order, pixels scaled by 1/255; meta-train classes 0-4 and 10-14,
  meta-test 5-9 and 15-19. IDX files are read with numpy.
- tasks: 5 distinct classes of the split drawn at random and relabelled 0..4 in draw order, then K
  support and 15 query images of each class drawn without replacement.
- conv-4: four blocks of 3x3 convolution (32 channels, padding 1, bias), batch normalization with
  the batch's own statistics (transductive: support and query batches are normalized separately,
  never with running averages; learnable gamma and beta), ReLU and 2x2 max-pooling; a linear head
  to 5 logits for the MAML family, the flattened 32 features as the ProtoNets embedding. PyTorch's
  default initialization.
- protonet (Snell et al. 2017): squared Euclidean distances to class means, Adam 1e-3, meta-batch 1.
- fomaml / maml (Finn et al. 2017): 5 inner SGD steps of 0.4 on the support loss (maml through
  create_graph=True), meta-batch 4, Adam 1e-3 on the mean query-loss gradient.
- anil (Raghu et al. 2020): the same inner loop on the head only, second order; the body's
  features are computed once per task (the body is fixed in the inner loop, so this is exact).
- reptile (Nichol et al. 2018): 5 inner SGD steps of 0.1 on the support loss, outer SGD 1.0 on the
  mean of theta - phi over 4 tasks.
- training: until --iterations or --seconds, whichever first, checked between iterations; one
  thread (torch.set_num_threads(1)).
- evaluation: 600 meta-test tasks (5 inner steps of the training step size for the MAML family and
  Reptile, none for ProtoNets); mean query accuracy +- 1.96*sigma/sqrt(n).
- checkpoints (--checkpoints N1,N2,...): each run is also evaluated on the same test tasks when it
  reaches each iteration count, with the clock stopped; its record's "checkpoints" list gives them.
- model selection (--rotated-validation, with --checkpoints): each checkpoint is also scored on
  --test-tasks tasks from the meta-training classes rotated by 90, 180 and 270 degrees (each
  rotation of a class a class of its own; training never sees them); the record's "selected" gives
  the test accuracy of the checkpoint with the best validation accuracy (the first on ties).
- seeds: each configuration is trained and evaluated once per seed of --seeds (initialization, task
  stream and test tasks all follow the seed); the summary gives each configuration's mean and
  standard deviation over the seeds.

Prints one JSON object per result; the last line is the summary.

Usage: /usr/bin/python3 fewshot_images.py [--algorithms protonet,fomaml,maml,anil,reptile]
       [--shots 1,5] [--seconds S] [--iterations N] [--test-tasks 600] [--seeds 0,1,2] [--data DIR]
       [--checkpoints N1,N2,...] [--rotated-validation]
"""
import argparse
import gzip
import json
import math
import platform
import time

import numpy as np
import torch
import torch.nn.functional as F

WAYS = 5
QUERIES = 15
CHANNELS = 32
DEVICE = torch.device("cpu")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def first_of_classes(images, labels, per_class, offset):
    xs, ys = [], []
    for c in range(10):
        rows = np.flatnonzero(labels == c)[:per_class]
        xs.append(images[rows])
        ys.append(np.full(per_class, offset + c))
    return np.concatenate(xs), np.concatenate(ys)


def load(data, dtype):
    fx, fy = first_of_classes(read_idx(f"{data}/fashion-npm70k-images-idx3-ubyte.gz"),
                              read_idx(f"{data}/fashion-npm70k-labels-idx1-ubyte.gz"), 600, 0)
    mx, my = first_of_classes(read_idx(f"{data}/mnist-npm10k-images-idx3-ubyte.gz"),
                              read_idx(f"{data}/mnist-npm10k-labels-idx1-ubyte.gz"), 600, 10)
    x = torch.from_numpy(np.concatenate([fx, mx]).astype(dtype) / 255.0).unsqueeze(1).to(DEVICE)
    y = np.concatenate([fy, my])
    return x, {c: np.flatnonzero(y == c) for c in range(20)}


class Tasks:
    """N-way K-shot tasks over a class set, support and query ordered class by class."""

    def __init__(self, x, by_class, classes, shots):
        self.x, self.by_class, self.classes, self.shots = x, by_class, classes, shots

    def sample(self, rng):
        chosen = rng.permutation(len(self.classes))[:WAYS]
        support, query = [], []
        for w in chosen:
            idx = self.by_class[self.classes[w]]
            perm = rng.permutation(len(idx))
            support.append(idx[perm[:self.shots]])
            query.append(idx[perm[self.shots:self.shots + QUERIES]])
        ys = torch.arange(WAYS, device=DEVICE).repeat_interleave(self.shots)
        yq = torch.arange(WAYS, device=DEVICE).repeat_interleave(QUERIES)
        return self.x[np.concatenate(support)], ys, self.x[np.concatenate(query)], yq


def rotated_classes(x, by_class, classes, shots):
    """Tasks over `classes` rotated by q quarter turns (q = 1, 2, 3), class c's turn q labelled 100*q + c."""
    parts, rotated_by_class, n = [], {}, 0
    for q in (1, 2, 3):
        for c in classes:
            idx = by_class[c]
            parts.append(torch.rot90(x[idx], q, dims=(2, 3)))
            rotated_by_class[100 * q + c] = np.arange(n, n + len(idx))
            n += len(idx)
    return Tasks(torch.cat(parts), rotated_by_class, sorted(rotated_by_class), shots)


def init_params(ways):
    """conv-4 parameters with PyTorch's default initialization (as torch.nn.Conv2d / Linear)."""
    params = []
    for i in range(4):
        conv = torch.nn.Conv2d(1 if i == 0 else CHANNELS, CHANNELS, 3, padding=1)
        params += [conv.weight.detach(), conv.bias.detach(), torch.ones(CHANNELS), torch.zeros(CHANNELS)]
    if ways > 0:
        head = torch.nn.Linear(CHANNELS, ways)
        params += [head.weight.detach(), head.bias.detach()]
    return [p.clone().to(DEVICE).requires_grad_() for p in params]


def body(params, x):
    h = x
    for i in range(4):
        w, b, gamma, beta = params[4 * i:4 * i + 4]
        h = F.conv2d(h, w, b, padding=1)
        h = F.batch_norm(h, None, None, gamma, beta, training=True, eps=1e-5)
        h = F.max_pool2d(F.relu(h), 2)
    return h.flatten(1)


def forward(params, x):
    return F.linear(body(params[:16], x), params[16], params[17])


def proto_logits(params, xs, xq):
    es, eq = body(params, xs), body(params, xq)
    protos = es.view(WAYS, -1, es.shape[1]).mean(1)
    return -(eq.unsqueeze(1) - protos.unsqueeze(0)).pow(2).sum(2)


def adapt(params, xs, ys, lr, steps, create_graph):
    fast = list(params)
    for _ in range(steps):
        grads = torch.autograd.grad(F.cross_entropy(forward(fast, xs), ys), fast, create_graph=create_graph)
        fast = [p - lr * g for p, g in zip(fast, grads)]
    return fast


def adapt_head(head, fs, ys, lr, steps, create_graph):
    for _ in range(steps):
        grads = torch.autograd.grad(F.cross_entropy(F.linear(fs, *head), ys), head, create_graph=create_graph)
        head = [p - lr * g for p, g in zip(head, grads)]
    return head


def meta_step(algo, params, opt, batch):
    """One meta-iteration on the tasks of `batch`; returns the mean query loss."""
    opt.zero_grad()
    total = 0.0
    for xs, ys, xq, yq in batch:
        if algo == "protonet":
            loss = F.cross_entropy(proto_logits(params, xs, xq), yq)
        elif algo == "anil":
            head = adapt_head(params[16:], body(params[:16], xs), ys, 0.4, 5, True)
            loss = F.cross_entropy(F.linear(body(params[:16], xq), *head), yq)
        elif algo == "reptile":
            phi = [p.detach().requires_grad_() for p in params]
            phi = adapt(phi, xs, ys, 0.1, 5, False)
            for p, f in zip(params, phi):
                d = (p.detach() - f.detach()) / len(batch)
                p.grad = d if p.grad is None else p.grad + d
            continue
        else:
            fast = adapt(params, xs, ys, 0.4, 5, algo == "maml")
            loss = F.cross_entropy(forward(fast, xq), yq)
        (loss / len(batch)).backward()
        total += loss.item()
    opt.step()
    return total / len(batch)


def evaluate(algo, params, tasks, rng, n):
    acc = np.empty(n)
    for i in range(n):
        xs, ys, xq, yq = tasks.sample(rng)
        if algo == "protonet":
            with torch.no_grad():
                z = proto_logits(params, xs, xq)
        elif algo == "anil":
            fs = body(params[:16], xs).detach()
            head = adapt_head([p.detach().requires_grad_() for p in params[16:]], fs, ys, 0.4, 5, False)
            with torch.no_grad():
                z = F.linear(body(params[:16], xq), *head)
        else:
            lr = 0.1 if algo == "reptile" else 0.4
            fast = adapt([p.detach().requires_grad_() for p in params], xs, ys, lr, 5, False)
            with torch.no_grad():
                z = forward(fast, xq)
        acc[i] = (z.argmax(1) == yq).float().mean().item()
    return acc.mean(), 1.96 * acc.std(ddof=1) / math.sqrt(n)


def train_and_evaluate(algo, shots, seed, train, test, validation, args):
    """Trains one configuration from `seed` within the budget and evaluates it; its result record.

    With `validation` (tasks or None), each checkpoint is also scored on it, and the record's
    "selected" is the checkpoint with the best validation accuracy."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    params = init_params(0 if algo == "protonet" else WAYS)
    opt = torch.optim.SGD(params, lr=1.0) if algo == "reptile" else torch.optim.Adam(params, lr=1e-3)
    meta_batch = 1 if algo == "protonet" else 4
    t0 = time.perf_counter()
    deadline = t0 + args.seconds
    it = 0
    paused = 0.0
    losses = []
    curve = []
    best, selected = -math.inf, None
    def test_accuracy():
        return evaluate(algo, params, test, np.random.default_rng(1_000_003 + seed), args.test_tasks)

    while it < args.iterations and time.perf_counter() - paused < deadline:
        losses.append(meta_step(algo, params, opt, [train.sample(rng) for _ in range(meta_batch)]))
        it += 1
        if it in args.checkpoints:
            c0 = time.perf_counter()
            c_acc, c_ci = test_accuracy()
            point = {"iterations": it, "train_seconds": round(c0 - t0 - paused, 1), "accuracy": round(c_acc, 4),
                     "ci95": round(c_ci, 4)}
            if validation is not None:
                v_acc = evaluate(algo, params, validation, np.random.default_rng(2_000_003 + seed), args.test_tasks)[0]
                point["validation"] = round(v_acc, 4)
                if v_acc > best:
                    best, selected = v_acc, {"iterations": it, "accuracy": round(c_acc, 4)}
            curve.append(point)
            paused += time.perf_counter() - c0
    train_seconds = time.perf_counter() - t0 - paused
    e0 = time.perf_counter()
    acc, ci = test_accuracy()
    extra = {"selected": selected} if validation is not None else {}
    return {"algorithm": algo, "ways": WAYS, "shots": shots, "queries": QUERIES, "seed": seed, "iterations": it,
            "train_seconds": round(train_seconds, 1), "accuracy": round(acc, 4), "ci95": round(ci, 4),
            "test_tasks": args.test_tasks, "eval_seconds": round(time.perf_counter() - e0, 1),
            "train_loss_tail": tail_mean(losses) if algo != "reptile" else None, "checkpoints": curve, **extra}


def tail_mean(losses):
    """The mean meta-training query loss over the last tenth of the iterations (at least one)."""
    n = max(1, len(losses) // 10)
    return round(float(np.mean(losses[-n:])), 4) if losses else None


def means(results):
    """Per algorithm and shot count: the mean and standard deviation of the accuracy over the seeds."""
    groups = {}
    for r in results:
        groups.setdefault((r["algorithm"], r["shots"]), []).append(r)
    out = []
    for (algo, shots), rs in groups.items():
        entry = {"algorithm": algo, "shots": shots, **mean_sd(rs)}
        if "selected" in rs[0]:
            chosen = [r["selected"] for r in rs]
            entry["selected"] = mean_sd(chosen) if all(chosen) else {
                "seeds": len(rs), "accuracy": None, "sd": None, "iterations": None}
        out.append(entry)
    return out


def mean_sd(records):
    """Seeds, mean and sample standard deviation of the records' accuracy, and their mean iterations."""
    acc = np.array([r["accuracy"] for r in records])
    return {"seeds": len(records), "accuracy": round(float(acc.mean()), 4),
            "sd": round(float(acc.std(ddof=1)), 4) if len(records) > 1 else None,
            "iterations": round(float(np.mean([r["iterations"] for r in records])), 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--algorithms", default="protonet,fomaml,maml,anil,reptile")
    parser.add_argument("--shots", default="1,5")
    parser.add_argument("--seconds", type=float, default=100)
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--test-tasks", type=int, default=600)
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32",
                        help="floating-point type of data, parameters and arithmetic")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                        help="where tensors live (cuda: for studies of the arithmetic, not for timings)")
    parser.add_argument("--checkpoints", default="",
                        help="increasing iteration counts after which each run is also evaluated (clock stopped)")
    parser.add_argument("--rotated-validation", action="store_true",
                        help="also score checkpoints on rotated meta-training classes and select the best")
    args = parser.parse_args()
    counts = [int(v) for v in args.checkpoints.split(",") if v.strip()]
    if any(c <= 0 for c in counts) or any(b <= a for a, b in zip(counts, counts[1:])):
        parser.error(f"--checkpoints must be positive, strictly increasing iteration counts, got {args.checkpoints}")
    if args.iterations < 0 or not args.seconds > 0 or args.test_tasks < 2:
        parser.error(f"need --iterations >= 0, --seconds > 0 and --test-tasks >= 2, got {args.iterations}, "
                     f"{args.seconds}, {args.test_tasks}")
    if args.rotated_validation and not counts:
        parser.error("--rotated-validation selects among checkpoints and needs --checkpoints")
    args.checkpoints = set(counts)
    global DEVICE
    DEVICE = torch.device(args.device)
    torch.set_num_threads(1)
    torch.set_default_dtype(getattr(torch, args.dtype))
    x, by_class = load(args.data, getattr(np, args.dtype))
    train_classes, test_classes = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14], [5, 6, 7, 8, 9, 15, 16, 17, 18, 19]
    seeds = [int(v) for v in args.seeds.split(",")]
    results = []
    for shots in [int(s) for s in args.shots.split(",")]:
        train, test = Tasks(x, by_class, train_classes, shots), Tasks(x, by_class, test_classes, shots)
        validation = rotated_classes(x, by_class, train_classes, shots) if args.rotated_validation else None
        for algo in [a.strip() for a in args.algorithms.split(",")]:
            if algo not in ("protonet", "fomaml", "maml", "anil", "reptile"):
                raise SystemExit(f"fewshot_images.py: unknown algorithm {algo}")
            for seed in seeds:
                result = train_and_evaluate(algo, shots, seed, train, test, validation, args)
                print(json.dumps({"bench": "fewshot-images", "impl": "pytorch", **result}), flush=True)
                results.append(result)
    print(json.dumps({"bench": "fewshot-images", "summary": True, "impl": "pytorch", "torch": torch.__version__,
                      "python": platform.python_version(), "threads": 1, "dtype": args.dtype, "device": args.device,
                      "seeds": seeds, "results": results,
                      "means": means(results)}),
          flush=True)


if __name__ == "__main__":
    main()
