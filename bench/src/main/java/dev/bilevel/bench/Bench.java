package dev.bilevel.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Entry point of {@code ./bench.sh NAME [OPTIONS]}: runs one named benchmark, which prints one
 * JSON object per line to standard output, the last line being its summary.
 *
 * <p>{@code ./bench.sh --list} names every benchmark. Benchmarks are never part of the test
 * gate; on shared, noisy machines compare ratios measured side by side in one run, and quote
 * medians.
 */
public final class Bench {

    /** One runnable benchmark. */
    @FunctionalInterface
    interface Runner {
        void run(String[] args, PrintStream out) throws Exception;
    }

    private record Entry(String description, Runner runner) {
    }

    private static final Map<String, Entry> BENCHMARKS = new TreeMap<>();

    static {
        BENCHMARKS.put("storage-throughput", new Entry(
                "trials/s with 1, 4, 8 worker processes on SQLite and PostgreSQL, trivial objective, Optuna 5.0 SQLite 1 worker side by side",
                StorageThroughputBench::run));
        BENCHMARKS.put("dashboard-load", new Entry(
                "study page of a 10,000-trial SQLite study loaded and rendered in headless Chromium, median ms of 5 (target < 1000)",
                DashboardLoadBench::run));
        BENCHMARKS.put("gemm", new Entry(
                "GFLOP/s of the f64 matrix product at 64, 256, 1024, Vector API path and plain fallback, one thread",
                GemmBench::run));
        BENCHMARKS.put("conv", new Entry(
                "conv-4's convolutions on 28x28 images, batch 100: median ms of forward, input and weight gradient, float64 and float32, vs PyTorch",
                ConvBench::run));
        BENCHMARKS.put("maml-step", new Entry(
                "one second-order MAML step, 1-40-40-1 ReLU, K=10 sinusoid, median us, vs PyTorch in the same run",
                MamlStepBench::run));
        BENCHMARKS.put("mlp-step", new Entry(
                "MLP 784-256-10 ReLU + cross-entropy, forward and backward on a batch of 256, median ms, vs PyTorch",
                MlpStepBench::run));
        BENCHMARKS.put("hpo-quality", new Entry(
                "median best-so-far regret at 50/100/200 trials of each sampler on 5 shifted 5-D functions, Optuna 5.0 side by side",
                HpoQualityBench::run));
        BENCHMARKS.put("hpo-overhead", new Entry(
                "ms per trial of ask + 5 suggestions + tell at 100/500/1000/2000 trials (random, TPE; GP at 200), Optuna 5.0 side by side",
                HpoOverheadBench::run));
        BENCHMARKS.put("maml-sinusoid", new Entry(
                "second-order MAML on sinusoids (Finn 2017 setup), 600-task MSE after 0/1/5/10 steps, it/s on 1 and 2 threads vs PyTorch",
                MamlSinusoidBench::run));
        BENCHMARKS.put("metasgd-sinusoid", new Entry(
                "Meta-SGD vs MAML on 5-shot sinusoids in the same run, 600-task 1-step MSE with 95% CI",
                MetaSgdSinusoidBench::run));
        BENCHMARKS.put("fewshot-images", new Entry(
                "5-way 1/5-shot on a Fashion-MNIST + MNIST 20-class meta-dataset, conv-4, ProtoNets/FO-MAML/MAML/ANIL/Reptile, 600-task accuracy",
                FewShotImagesBench::run));
        BENCHMARKS.put("logreg-l2", new Entry(
                "per-feature L2 of logistic regression by hypergradient descent (Grazzi 2020 set-up): val loss 0 -> 1000 steps, ms/hypergradient, truncated/CG/Neumann",
                LogregL2Bench::run));
        BENCHMARKS.put("hypercleaning", new Entry(
                "data hyper-cleaning on MNIST (Franceschi 2017): test acc, F1 of corrupted flags, ms/hypergradient, implicit CG and truncated, vs PyTorch",
                HypercleaningBench::run));
        BENCHMARKS.put("hybrid-hpo", new Entry(
                "hybrid outer solver: TPE over discrete choices with per-feature L2 by hypergradient inside each trial, vs TPE alone and hypergradient alone",
                HybridHpoBench::run));
    }

    private Bench() {
    }

    /**
     * Runs the benchmark named by {@code args[0]} with the remaining arguments.
     *
     * @param args {@code NAME [OPTIONS]}, or {@code --list}
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("usage: ./bench.sh NAME [OPTIONS]    |    ./bench.sh --list");
            list(out);
            return;
        }
        if (args[0].equals("--list")) {
            list(out);
            return;
        }
        Entry e = BENCHMARKS.get(args[0]);
        if (e == null) {
            System.err.println("unknown benchmark '" + args[0] + "'; known: " + String.join(", ", BENCHMARKS.keySet()));
            System.exit(2);
        }
        e.runner().run(Arrays.copyOfRange(args, 1, args.length), out);
        out.flush();
    }

    private static void list(PrintStream out) {
        BENCHMARKS.forEach((name, e) -> out.printf("%-20s %s%n", name, e.description()));
    }
}
