package dev.bilevel.bench;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.hypergrad.BilevelProblem;
import dev.bilevel.hypergrad.HypergradientDescent;
import dev.bilevel.hypergrad.HypergradientMethod;
import dev.bilevel.hypergrad.InnerProblem;
import dev.bilevel.hypergrad.InnerSolver;
import dev.bilevel.hypergrad.LinearSolver;
import dev.bilevel.hypergrad.Objective;
import dev.bilevel.hypergrad.Projection;
import dev.bilevel.meta.data.IdxReader;
import dev.bilevel.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code hypercleaning}: data hyper-cleaning (Franceschi, Donini, Frasconi &amp; Pontil,
 * "Forward and reverse gradient-based hyperparameter optimization", ICML 2017, §5.1) on the MNIST
 * file of {@code shared/data}: rows 0–3999 for training with the provided corrupted labels (2,000
 * of them wrong), 4000–5999 clean validation, 6000–9999 test; features pixels/255 and a bias.
 *
 * <pre>
 *   f(λ, W) = (1/n) Σᵢ σ(λᵢ) CE(xᵢW, ỹᵢ) + (μ/2)‖W‖²,  μ = 1e-3,     F(λ, W) = CE(X_val W, y_val)
 * </pre>
 *
 * with one weight λᵢ per training example (λ₀ = 0), tuned by Adam (step 0.1) for 50 outer steps.
 * Inner solver: heavy-ball gradient descent (step 1.0, momentum 0.9), warm-started from the
 * previous outer step's W, {@code --inner-steps} steps per outer step (the first solve from
 * W = 0 runs {@code --first-inner-steps}). Hypergradients: implicit with CG (at most
 * {@code --cg-iters} iterations, warm-started from the previous adjoint) and reverse mode over the
 * last 10 inner steps. Reported: test accuracy of W at the final λ, F1 of flagging the corrupted
 * examples by λᵢ &lt; 0, and ms per hypergradient (inner solve included, one thread, float64);
 * {@code bench/python/hypercleaning.py} runs the same algorithm in PyTorch in the same run.
 *
 * <p>Options: {@code --data DIR} (default {@code ../shared/data}, relative to the repository root),
 * {@code --outer-steps N}, {@code --inner-steps N}, {@code --first-inner-steps N}, {@code --cg-iters N},
 * {@code --python PATH}, {@code --no-python}.
 */
public final class HypercleaningBench {
    private static final double MU = 1e-3;
    private static final int TRAIN = 4000;
    private static final int VAL = 2000;
    private static final int TEST = 4000;

    private HypercleaningBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        Path dir = Path.of("../shared/data");
        int outerSteps = 50;
        int innerSteps = 50;
        int firstInner = 300;
        int cgIters = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> dir = Path.of(args[++i]);
                case "--outer-steps" -> outerSteps = Integer.parseInt(args[++i]);
                case "--inner-steps" -> innerSteps = Integer.parseInt(args[++i]);
                case "--first-inner-steps" -> firstInner = Integer.parseInt(args[++i]);
                case "--cg-iters" -> cgIters = Integer.parseInt(args[++i]);
                case "--python" -> i++;
                case "--no-python" -> { }
                default -> throw new IllegalArgumentException("hypercleaning: unknown option " + args[i]
                        + " (known: --data DIR, --outer-steps N, --inner-steps N, --first-inner-steps N, --cg-iters N,"
                        + " --python PATH, --no-python)");
            }
        }
        Data data = Data.load(dir);
        Variable xTr = Variable.constant(data.x(0, TRAIN));
        Variable xVal = Variable.constant(data.x(TRAIN, TRAIN + VAL));
        Variable yTrOneHot = Variable.constant(Tensor.oneHot(data.noisy, 10));
        Variable yValOneHot = Variable.constant(Tensor.oneHot(Arrays.copyOfRange(data.labels, TRAIN, TRAIN + VAL), 10));
        Objective inner = (lam, th) -> {
            Variable perExample = xTr.matmul(th.get("W")).logSoftmax(1).mul(yTrOneHot).sum(new int[] {1}, false).neg();
            return perExample.mul(lam.get("lambda").sigmoid()).mean().add(th.get("W").square().sum().mul(0.5 * MU));
        };
        Objective outer = (lam, th) -> xVal.matmul(th.get("W")).logSoftmax(1).mul(yValOneHot).sum().div(-VAL);
        Optimizer innerOpt = Optimizers.momentum(1.0, 0.9);
        BilevelProblem problem = new BilevelProblem(InnerProblem.minimize(inner), outer,
                InnerSolver.steps(innerOpt, innerSteps));
        Params lambda0 = Params.empty().with("lambda", Variable.constant(Tensor.zeros(TRAIN)));
        Params w0 = Params.empty().with("W", Variable.constant(Tensor.zeros(785, 10)));
        long t0 = System.nanoTime();
        Params start = InnerSolver.steps(innerOpt, firstInner).solve(problem.inner(), lambda0, w0).theta();
        double setupSeconds = (System.nanoTime() - t0) * 1e-9;

        List<HypergradientMethod> methods = List.of(
                HypergradientMethod.implicit(LinearSolver.cg(new SolverOptions(1e-6, 0, cgIters))),
                HypergradientMethod.truncated(10));
        StringBuilder summary = new StringBuilder();
        boolean meets = true;
        double implicitMs = Double.NaN;
        for (HypergradientMethod m : methods) {
            HypergradientDescent.Config config = new HypergradientDescent.Config(m, Optimizers.adam(0.1),
                    new Projection.Unconstrained(), outerSteps, true, null);
            HypergradientDescent.Result r = HypergradientDescent.run(problem, lambda0, start, config,
                    HypergradientDescent.Listener.NONE);
            Params wFinal = problem.solver().solve(problem.inner(), r.lambda(), r.theta()).theta();
            double acc = accuracy(data, wFinal.get("W").value());
            double f1 = f1(data, r.lambda().flattenValues().toArray());
            double[] ms = r.history().stream().mapToDouble(s -> s.hypergradient().diagnostics().wallTimeNanos() / 1e6)
                    .sorted().toArray();
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            var last = r.history().get(r.history().size() - 1).hypergradient().diagnostics();
            int warned = (int) r.history().stream().filter(s -> !s.hypergradient().diagnostics().reliable()).count();
            out.println(String.format(Locale.ROOT,
                    "{\"bench\":\"hypercleaning\",\"impl\":\"bilevel\",\"method\":\"%s\",\"test_acc\":%.4f,\"f1\":%.4f,"
                            + "\"val_loss_start\":%.4f,\"val_loss_end\":%.4f,\"ms_per_hypergradient_mean\":%.1f,"
                            + "\"ms_per_hypergradient_median\":%.1f,\"outer_steps\":%d,\"inner_steps\":%d,"
                            + "\"last_inner_residual\":%.3g,\"last_cg_iters\":%d,\"steps_with_warnings\":%d,"
                            + "\"setup_s\":%.2f}",
                    m.name(), acc, f1, r.history().get(0).outerValue(), r.history().get(r.history().size() - 1).outerValue(),
                    mean, ms[ms.length / 2], outerSteps, innerSteps, last.innerResidualNorm(),
                    last.linearSolveIterations(), warned, setupSeconds));
            out.flush();
            if (m instanceof HypergradientMethod.Implicit) {
                implicitMs = ms[ms.length / 2];
                meets &= acc >= 0.87 && f1 >= 0.85;
            }
            summary.append(String.format(Locale.ROOT, ",\"%s\":{\"test_acc\":%.4f,\"f1\":%.4f,\"ms_median\":%.1f}",
                    m.name(), acc, f1, ms[ms.length / 2]));
        }
        double torchMs = Double.NaN;
        String note = null;
        if (PythonTwin.disabled(args)) {
            note = "PyTorch comparison disabled by --no-python";
        } else {
            PythonTwin.Result py = PythonTwin.fromArgs(args).run("hypercleaning.py", List.of("--data", dir.toString(),
                    "--outer-steps", Integer.toString(outerSteps), "--inner-steps", Integer.toString(innerSteps),
                    "--first-inner-steps", Integer.toString(firstInner), "--cg-iters", Integer.toString(cgIters)), 1800);
            if (py.summary() != null) {
                out.println(py.summary());
                torchMs = py.summary().get("ms_per_hypergradient_median").asDouble();
            } else {
                note = py.note();
            }
        }
        boolean fastEnough = Double.isFinite(torchMs) && implicitMs <= torchMs;
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"hypercleaning\",\"summary\":true%s,\"pytorch_implicit_ms_median\":%s,"
                        + "\"target\":\"test_acc >= 0.87, f1 >= 0.85, implicit ms <= pytorch\",\"meets_accuracy_target\":%s,"
                        + "\"meets_time_target\":%s,\"threads\":1,\"dtype\":\"float64\",\"java\":\"%s\"%s}",
                summary, Double.isFinite(torchMs) ? String.format(Locale.ROOT, "%.1f", torchMs) : "null", meets,
                Double.isFinite(torchMs) ? Boolean.toString(fastEnough) : "null", System.getProperty("java.version"),
                note == null ? "" : ",\"note\":\"" + note.replace("\"", "'") + "\""));
        out.flush();
    }

    private static double accuracy(Data d, Tensor w) {
        Tensor logits = d.x(TRAIN + VAL, TRAIN + VAL + TEST).matmul(w);
        double[] pred = logits.argmax(1).toArray();
        int correct = 0;
        for (int i = 0; i < TEST; i++) {
            correct += (int) pred[i] == d.labels[TRAIN + VAL + i] ? 1 : 0;
        }
        return correct / (double) TEST;
    }

    private static double f1(Data d, double[] lambda) {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (int i = 0; i < TRAIN; i++) {
            boolean corrupted = d.noisy[i] != d.labels[i];
            boolean flagged = lambda[i] < 0;
            tp += corrupted && flagged ? 1 : 0;
            fp += !corrupted && flagged ? 1 : 0;
            fn += corrupted && !flagged ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** Pixels/255 with a bias column, the clean labels, and the corrupted training labels. */
    private record Data(double[] features, int[] labels, int[] noisy) {
        static Data load(Path dir) {
            try {
                double[] px = IdxReader.read(dir.resolve("mnist-npm10k-images-idx3-ubyte.gz")).toArray();
                double[] lab = IdxReader.read(dir.resolve("mnist-npm10k-labels-idx1-ubyte.gz")).toArray();
                double[] noisy = IdxReader.read(dir.resolve(
                        "hypercleaning-mnist-npm10k-train4000-noisy-labels-idx1-ubyte.gz")).toArray();
                int n = lab.length;
                double[] f = new double[n * 785];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 784; j++) {
                        f[i * 785 + j] = px[i * 784 + j] / 255.0;
                    }
                    f[i * 785 + 784] = 1.0;
                }
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = (int) lab[i];
                }
                int[] nz = new int[TRAIN];
                for (int i = 0; i < TRAIN; i++) {
                    nz[i] = (int) noisy[i];
                }
                return new Data(f, labels, nz);
            } catch (IOException e) {
                throw new UncheckedIOException("hypercleaning: cannot read MNIST from " + dir.toAbsolutePath()
                        + " (pass --data DIR)", e);
            }
        }

        Tensor x(int from, int to) {
            return Tensor.of(Arrays.copyOfRange(features, from * 785, to * 785), to - from, 785);
        }
    }
}
