package dev.bilevel.bench;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.samplers.TpeSampler;
import dev.bilevel.hypergrad.BilevelProblem;
import dev.bilevel.hypergrad.HypergradientDescent;
import dev.bilevel.hypergrad.HypergradientMethod;
import dev.bilevel.hypergrad.InnerProblem;
import dev.bilevel.hypergrad.InnerSolver;
import dev.bilevel.hypergrad.Objective;
import dev.bilevel.hypergrad.Projection;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Benchmark {@code hybrid-hpo}: the hybrid outer solver of the hypergradient issue, composed in
 * user code (bench depends on both trunks; the library modules do not depend on each other). A
 * TPE study (Bergstra et al. 2011) samples the discrete hyperparameters — the feature map
 * (linear, or with squared features added) and the number of inner steps — and inside each trial
 * the continuous ones, a per-feature L2 penalty λ, are tuned by hypergradient descent (truncated
 * reverse mode over the last 10 inner steps, SGD with momentum, λ ≥ 1e-8). Compared with TPE alone
 * (discrete choices plus one shared log-uniform λ) given five times the trials (about the hybrid's
 * wall time), and with hypergradient descent alone (the default discrete choice: linear features,
 * 100 inner steps).
 *
 * <p>Data (seeded): d = 20, x ~ N(0, I), y = 1[x·w + (x∘x)·v − Σv + 0.3ε &gt; 0] with w and v
 * supported on 5 coordinates each, 300 train, 300 validation, 2000 test rows. Inner problem:
 * logistic regression, gradient descent with step 0.1 from 0. Reported per solver: validation and
 * test cross-entropy and test accuracy of the chosen configuration, and wall time. Options:
 * {@code --trials N} (default 12), {@code --tpe-only-trials N} (default 60), {@code --outer-steps N} (default 150), {@code --seed S}.
 */
public final class HybridHpoBench {
    private static final int D = 20;

    private HybridHpoBench() {
    }

    /** One configuration's outcome. */
    private record Outcome(double valLoss, double testLoss, double testAcc) {}

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) throws Exception {
        int trials = 12;
        int tpeTrials = 60;
        int outerSteps = 150;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--tpe-only-trials" -> tpeTrials = Integer.parseInt(args[++i]);
                case "--outer-steps" -> outerSteps = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("hybrid-hpo: unknown option " + args[i]
                        + " (known: --trials N, --tpe-only-trials N, --outer-steps N, --seed S)");
            }
        }
        Rng rng = new Rng(seed);
        double[] w = sparse(rng.fork(1));
        double[] v = sparse(rng.fork(2));
        Tensor[] train = data(rng.fork(3), 300, w, v);
        Tensor[] val = data(rng.fork(4), 300, w, v);
        Tensor[] test = data(rng.fork(5), 2000, w, v);
        int steps = outerSteps;

        long t0 = System.nanoTime();
        Outcome hgOnly = hypergradient(train, val, test, false, 100, steps);
        double hgSeconds = (System.nanoTime() - t0) * 1e-9;
        print(out, "hypergradient-only", hgOnly, hgSeconds, "linear features, 100 inner steps, per-feature λ");

        t0 = System.nanoTime();
        Study tpe = Study.builder().sampler(new TpeSampler(seed)).create();
        tpe.optimize(trial -> {
            boolean squares = trial.suggestCategorical("features", "linear", "squares").equals("squares");
            int inner = trial.suggestCategorical("inner_steps", 25, 50, 100);
            double l2 = trial.suggestFloat("l2", 1e-4, 10, true);
            return fixed(train, val, test, squares, inner, l2).valLoss();
        }, tpeTrials);
        var bestTpe = tpe.bestTrial().params();
        Outcome tpeOnly = fixed(train, val, test, bestTpe.get("features").equals("squares"),
                ((Number) bestTpe.get("inner_steps")).intValue(), ((Number) bestTpe.get("l2")).doubleValue());
        print(out, "tpe-only", tpeOnly, (System.nanoTime() - t0) * 1e-9, bestTpe.toString());

        t0 = System.nanoTime();
        Study hybrid = Study.builder().sampler(new TpeSampler(seed)).create();
        hybrid.optimize(trial -> {
            boolean squares = trial.suggestCategorical("features", "linear", "squares").equals("squares");
            int inner = trial.suggestCategorical("inner_steps", 25, 50, 100);
            return hypergradient(train, val, test, squares, inner, steps).valLoss();
        }, trials);
        var bestHybrid = hybrid.bestTrial().params();
        Outcome hybridOut = hypergradient(train, val, test, bestHybrid.get("features").equals("squares"),
                ((Number) bestHybrid.get("inner_steps")).intValue(), steps);
        print(out, "hybrid", hybridOut, (System.nanoTime() - t0) * 1e-9, bestHybrid.toString());

        boolean beats = hybridOut.testLoss() < tpeOnly.testLoss() && hybridOut.testLoss() < hgOnly.testLoss();
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"hybrid-hpo\",\"summary\":true,\"test_loss\":{\"hybrid\":%.4f,\"tpe-only\":%.4f,"
                        + "\"hypergradient-only\":%.4f},\"hybrid_beats_both_on_test\":%s,\"trials\":%d,\"tpe_only_trials\":%d,"
                        + "\"outer_steps\":%d,\"seed\":%d}",
                hybridOut.testLoss(), tpeOnly.testLoss(), hgOnly.testLoss(), beats, trials, tpeTrials, steps, seed));
        out.flush();
    }

    private static void print(PrintStream out, String solver, Outcome o, double seconds, String config) {
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"hybrid-hpo\",\"solver\":\"%s\",\"val_loss\":%.4f,\"test_loss\":%.4f,\"test_acc\":%.4f,"
                        + "\"seconds\":%.2f,\"config\":\"%s\"}",
                solver, o.valLoss(), o.testLoss(), o.testAcc(), seconds, config.replace("\"", "'")));
        out.flush();
    }

    /** Per-feature λ by hypergradient descent for one discrete configuration. */
    private static Outcome hypergradient(Tensor[] train, Tensor[] val, Tensor[] test, boolean squares, int inner,
            int outerSteps) {
        BilevelProblem p = problem(train, val, squares, inner);
        int k = squares ? 2 * D : D;
        Params lambda0 = Params.empty().with("l2", Variable.constant(Tensor.full(dev.bilevel.tensor.Shape.of(k), 0.01)));
        HypergradientDescent.Result r = HypergradientDescent.run(p, lambda0, theta0(k), new HypergradientDescent.Config(
                HypergradientMethod.truncated(10), Optimizers.momentum(1.0, 0.9), Projection.atLeast(1e-8), outerSteps,
                false, null), HypergradientDescent.Listener.NONE);
        return evaluate(p, r.lambda(), test, squares, k);
    }

    /** One shared λ, no hypergradient. */
    private static Outcome fixed(Tensor[] train, Tensor[] val, Tensor[] test, boolean squares, int inner, double l2) {
        BilevelProblem p = problem(train, val, squares, inner);
        int k = squares ? 2 * D : D;
        Params lambda = Params.empty().with("l2", Variable.constant(Tensor.full(dev.bilevel.tensor.Shape.of(k), l2)));
        return evaluate(p, lambda, test, squares, k);
    }

    @SuppressWarnings("try")
    private static Outcome evaluate(BilevelProblem p, Params lambda, Tensor[] test, boolean squares, int k) {
        Params theta = p.solver().solve(p.inner(), lambda, theta0(k)).theta();
        try (ModeScope off = GradMode.disabled()) {
            double valLoss = p.outer().value(lambda, theta).item();
            Tensor xt = features(test[0], squares);
            Tensor logits = xt.matmul(theta.get("w").value());
            double testLoss = Losses.binaryCrossEntropyWithLogits(Variable.constant(logits), Variable.constant(test[1]))
                    .item();
            double[] z = logits.toArray();
            double[] y = test[1].toArray();
            int correct = 0;
            for (int i = 0; i < z.length; i++) {
                correct += (z[i] > 0) == (y[i] > 0.5) ? 1 : 0;
            }
            return new Outcome(valLoss, testLoss, correct / (double) z.length);
        }
    }

    private static BilevelProblem problem(Tensor[] train, Tensor[] val, boolean squares, int inner) {
        Variable xTr = Variable.constant(features(train[0], squares));
        Variable yTr = Variable.constant(train[1]);
        Variable xVal = Variable.constant(features(val[0], squares));
        Variable yVal = Variable.constant(val[1]);
        int k = squares ? 2 * D : D;
        Objective f = (lam, th) -> Losses.binaryCrossEntropyWithLogits(xTr.matmul(th.get("w")), yTr)
                .add(th.get("w").square().mul(lam.get("l2").reshape(k, 1)).sum().mul(0.5));
        Objective outer = (lam, th) -> Losses.binaryCrossEntropyWithLogits(xVal.matmul(th.get("w")), yVal);
        return new BilevelProblem(InnerProblem.minimize(f), outer, InnerSolver.steps(Optimizers.sgd(0.1), inner));
    }

    private static Params theta0(int k) {
        return Params.empty().with("w", Variable.constant(Tensor.zeros(k, 1)));
    }

    private static Tensor features(Tensor x, boolean squares) {
        if (!squares) {
            return x;
        }
        int n = x.dim(0);
        double[] a = x.toArray();
        double[] out = new double[n * 2 * D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                out[i * 2 * D + j] = a[i * D + j];
                out[i * 2 * D + D + j] = a[i * D + j] * a[i * D + j] - 1;
            }
        }
        return Tensor.of(out, n, 2 * D);
    }

    private static double[] sparse(Rng rng) {
        double[] c = new double[D];
        int[] perm = rng.permutation(D);
        for (int i = 0; i < 5; i++) {
            c[perm[i]] = rng.normal();
        }
        return c;
    }

    private static Tensor[] data(Rng rng, int n, double[] w, double[] v) {
        Tensor x = Tensor.randn(rng, n, D);
        double[] a = x.toArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0.3 * rng.normal();
            for (int j = 0; j < D; j++) {
                double xi = a[i * D + j];
                s += xi * w[j] + (xi * xi - 1) * v[j];
            }
            y[i] = s > 0 ? 1 : 0;
        }
        return new Tensor[] {x, Tensor.of(y, n, 1)};
    }
}
