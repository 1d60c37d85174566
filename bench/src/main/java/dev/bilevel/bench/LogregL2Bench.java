package dev.bilevel.bench;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolverOptions;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.hypergrad.BilevelProblem;
import dev.bilevel.hypergrad.HypergradientDescent;
import dev.bilevel.hypergrad.HypergradientMethod;
import dev.bilevel.hypergrad.InnerProblem;
import dev.bilevel.hypergrad.InnerSolver;
import dev.bilevel.hypergrad.LinearSolver;
import dev.bilevel.hypergrad.Objective;
import dev.bilevel.hypergrad.Projection;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code logreg-l2}: per-feature L2 regularization of logistic regression tuned by
 * hypergradient descent, the synthetic set-up of Grazzi, Franceschi, Pontil &amp; Salzo, "On the
 * iteration complexity of hypergradient computation", ICML 2020 (hypertorch's logistic-regression
 * example): n = 1000, d = 20, x ~ N(0, I), w ~ N(0, I), y = 1[x·w + 0.1ε &gt; 0], the first half
 * for training and the second for validation;
 *
 * <pre>
 *   f(λ, w) = BCE(X_tr w, y_tr) + ½ Σⱼ λⱼ wⱼ²,   F(λ, w) = BCE(X_val w, y_val),   λ ∈ ℝ²⁰, λ₀ = 1
 * </pre>
 *
 * (λ enters directly, as in the reference, not through exp(λ)); inner gradient descent with step
 * 0.1, 100 steps from w = 0; outer SGD with step 1.0 and momentum 0.9 for 1000 steps, projected
 * onto λ ≥ 1e-8. Hypergradients: reverse mode over the last 10 inner steps (the reference), and
 * implicit differentiation with CG (20 iterations at most) and with a 10-term Neumann series
 * (α = 0.1, the reference's truncation).
 *
 * <p>Output: one line per estimator (validation loss at step 0 and after step 1000, mean and
 * median ms per hypergradient including the inner solve, steps whose diagnostics carried a
 * warning), then a summary against the target (final validation loss ≤ 0.285; the reference
 * reports 0.5744 → 0.2805). Options: {@code --outer-steps N}, {@code --seed S}.
 */
public final class LogregL2Bench {
    private static final double TARGET = 0.285;

    private LogregL2Bench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        int outerSteps = 1000;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--outer-steps" -> outerSteps = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("logreg-l2: unknown option " + args[i]
                        + " (known: --outer-steps N, --seed S)");
            }
        }
        int n = 1000;
        int d = 20;
        Rng rng = new Rng(seed);
        Tensor w = Tensor.randn(rng.fork(1), d, 1);
        Tensor x = Tensor.randn(rng.fork(2), n, d);
        Tensor noise = Tensor.randn(rng.fork(3), n, 1);
        Tensor y = x.matmul(w).add(noise.mul(0.1)).gt(Tensor.zeros(n, 1));
        Variable xTr = Variable.constant(slice(x, 0, n / 2, d));
        Variable yTr = Variable.constant(slice(y, 0, n / 2, 1));
        Variable xVal = Variable.constant(slice(x, n / 2, n, d));
        Variable yVal = Variable.constant(slice(y, n / 2, n, 1));

        Objective inner = (lam, th) -> Losses.binaryCrossEntropyWithLogits(xTr.matmul(th.get("w")), yTr)
                .add(th.get("w").square().mul(lam.get("l2").reshape(d, 1)).sum().mul(0.5));
        Objective outer = (lam, th) -> Losses.binaryCrossEntropyWithLogits(xVal.matmul(th.get("w")), yVal);
        BilevelProblem problem = new BilevelProblem(InnerProblem.minimize(inner), outer,
                InnerSolver.steps(Optimizers.sgd(0.1), 100));
        Params lambda0 = Params.empty().with("l2", Variable.constant(Tensor.ones(d)));
        Params theta0 = Params.empty().with("w", Variable.constant(Tensor.zeros(d, 1)));

        List<HypergradientMethod> methods = List.of(HypergradientMethod.truncated(10),
                HypergradientMethod.implicit(LinearSolver.cg(new SolverOptions(1e-10, 0, 20))),
                HypergradientMethod.implicit(new LinearSolver.Neumann(0.1, new SolverOptions(1e-10, 0, 10))));
        StringBuilder finals = new StringBuilder();
        boolean all = true;
        double start = Double.NaN;
        for (HypergradientMethod m : methods) {
            HypergradientDescent.Config config = new HypergradientDescent.Config(m, Optimizers.momentum(1.0, 0.9),
                    Projection.atLeast(1e-8), outerSteps, false, null);
            HypergradientDescent.Result r = HypergradientDescent.run(problem, lambda0, theta0, config,
                    HypergradientDescent.Listener.NONE);
            double first = r.history().get(0).outerValue();
            double last = HypergradientMethod.truncated(1).compute(problem, r.lambda(), theta0).outerValue();
            List<Double> ms = new ArrayList<>();
            int warned = 0;
            for (HypergradientDescent.Step s : r.history()) {
                ms.add(s.hypergradient().diagnostics().wallTimeNanos() / 1e6);
                warned += s.hypergradient().diagnostics().reliable() ? 0 : 1;
            }
            double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            ms.sort(null);
            double[] lam = r.lambda().flattenValues().toArray();
            double lamMin = Double.POSITIVE_INFINITY;
            double lamMax = 0;
            for (double v : lam) {
                lamMin = Math.min(lamMin, v);
                lamMax = Math.max(lamMax, v);
            }
            out.println(String.format(Locale.ROOT,
                    "{\"bench\":\"logreg-l2\",\"method\":\"%s\",\"val_loss_start\":%.4f,\"val_loss_end\":%.4f,"
                            + "\"outer_steps\":%d,\"ms_per_hypergradient_mean\":%.3f,\"ms_per_hypergradient_median\":%.3f,"
                            + "\"steps_with_warnings\":%d,\"lambda_min\":%.3g,\"lambda_max\":%.3g}",
                    m.name(), first, last, outerSteps, mean, ms.get(ms.size() / 2), warned, lamMin, lamMax));
            out.flush();
            start = first;
            all &= last <= TARGET;
            finals.append(finals.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "\"%s\":%.4f", m.name(), last));
        }
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"logreg-l2\",\"summary\":true,\"val_loss_start\":%.4f,\"val_loss_end\":{%s},"
                        + "\"target_end\":%.3f,\"reference\":\"0.5744 -> 0.2805\",\"meets_target\":%s,\"seed\":%d,"
                        + "\"java\":\"%s\"}",
                start, finals, TARGET, all, seed, System.getProperty("java.version")));
        out.flush();
    }

    private static Tensor slice(Tensor t, int from, int to, int cols) {
        double[] all = t.toArray();
        double[] part = new double[(to - from) * cols];
        System.arraycopy(all, from * cols, part, 0, part.length);
        return Tensor.of(part, to - from, cols);
    }
}
