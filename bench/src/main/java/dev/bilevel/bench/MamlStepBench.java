package dev.bilevel.bench;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code maml-step}: one second-order MAML step (Finn, Abbeel &amp; Levine, ICML 2017) on
 * one sinusoid task, one thread, float64: a 1-40-40-1 ReLU regressor, K = 10 support and 10 query
 * points, the support loss and its gradient recorded ({@code createGraph}), one inner SGD step of
 * size α = 0.01, the query loss at the adapted weights, and the meta-gradient with respect to the
 * initial weights. The same step in PyTorch ({@code bench/python/maml_step.py}) runs in a child
 * process of the same run, and the summary gives the ratio.
 *
 * <p>Timing: warm-up for {@code --warmup-seconds} (default 3), then {@code --reps} (default 20,000)
 * steps timed one by one; the median and the 5th/95th percentiles are reported, in µs.
 *
 * <p>Output: a line for this library ({@code impl "bilevel"}), then the summary with both medians,
 * {@code speedup} = PyTorch / Bilevel, and the target (≥ 10×). Options: {@code --reps N},
 * {@code --warmup-seconds S}, {@code --python PATH}, {@code --no-python}.
 */
public final class MamlStepBench {
    private static final double ALPHA = 0.01;
    private static final double TARGET_SPEEDUP = 10;

    private MamlStepBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        int reps = 20_000;
        double warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--python" -> i++;
                case "--no-python" -> { }
                default -> throw new IllegalArgumentException("maml-step: unknown option " + args[i]
                        + " (known: --reps N, --warmup-seconds S, --python PATH, --no-python)");
            }
        }
        Mlp net = Mlp.of(1, 40, 40, 1).activation(Activation.RELU);
        Rng rng = new Rng(0);
        List<Variable> theta = net.init(rng).values();
        Tensor[] task = sinusoid(rng, 10);

        double[] us = time(net, theta, task, reps, warmup);
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"maml-step\",\"impl\":\"bilevel\",\"us_median\":%.3f,\"us_p5\":%.3f,\"us_p95\":%.3f,"
                        + "\"reps\":%d,\"threads\":1,\"dtype\":\"float64\",\"net\":\"1-40-40-1\",\"activation\":\"relu\","
                        + "\"k\":10,\"inner_steps\":1}",
                us[0], us[1], us[2], reps));
        out.flush();

        String note = null;
        double torchUs = Double.NaN;
        if (PythonTwin.disabled(args)) {
            note = "PyTorch comparison disabled by --no-python";
        } else {
            PythonTwin.Result r = PythonTwin.fromArgs(args).run("maml_step.py", List.of("--reps", "2000"), 600);
            if (r.summary() != null) {
                out.println(r.summary());
                torchUs = r.summary().get("us_median").asDouble();
            } else {
                note = r.note();
            }
        }
        double speedup = torchUs / us[0];
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"maml-step\",\"summary\":true,\"bilevel_us_median\":%.3f,\"pytorch_us_median\":%s,"
                        + "\"speedup\":%s,\"target_speedup\":%.0f,\"meets_target\":%s,\"threads\":1,\"java\":\"%s\","
                        + "\"arch\":\"%s\"%s}",
                us[0], num(torchUs), num(speedup), TARGET_SPEEDUP,
                Double.isFinite(speedup) ? Boolean.toString(speedup >= TARGET_SPEEDUP) : "null",
                System.getProperty("java.version"), System.getProperty("os.arch"),
                note == null ? "" : ",\"note\":\"" + note.replace("\"", "'") + "\""));
        out.flush();
    }

    /**
     * One second-order MAML step: φ = θ − α∇L_S(θ) (recorded), then ∇_θ L_Q(φ).
     *
     * @return the meta-gradient, one constant per parameter
     */
    static List<Variable> step(Mlp net, List<Variable> theta, Tensor[] task) {
        Variable support = Losses.mse(net.applyFlat(theta, Variable.constant(task[0])), Variable.constant(task[1]));
        List<Variable> g = Autodiff.grad(support, theta, true, false);
        List<Variable> phi = new ArrayList<>(theta.size());
        for (int i = 0; i < theta.size(); i++) {
            phi.add(theta.get(i).sub(g.get(i).mul(ALPHA)));
        }
        Variable query = Losses.mse(net.applyFlat(phi, Variable.constant(task[2])), Variable.constant(task[3]));
        return Autodiff.grad(query, theta, false, false);
    }

    private static double[] time(Mlp net, List<Variable> theta, Tensor[] task, int reps, double warmupSeconds) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        double sink = 0;
        while (System.nanoTime() < end) {
            sink += step(net, theta, task).get(0).value().getFlat(0);
        }
        double[] us = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<Variable> g = step(net, theta, task);
            us[r] = (System.nanoTime() - t0) / 1e3;
            sink += g.get(0).value().getFlat(0);
        }
        if (!Double.isFinite(sink)) {
            throw new IllegalStateException("maml-step produced a non-finite meta-gradient");
        }
        Arrays.sort(us);
        return new double[] {us[reps / 2], us[reps / 20], us[reps - 1 - reps / 20]};
    }

    /** Amplitude U[0.1, 5], phase U[0, π], x U[−5, 5] (Finn et al. 2017): xs, ys, xq, yq of shape [k, 1]. */
    static Tensor[] sinusoid(Rng rng, int k) {
        double amplitude = rng.uniform(0.1, 5.0);
        double phase = rng.uniform(0.0, Math.PI);
        Tensor xs = Tensor.uniform(rng, -5, 5, k, 1);
        Tensor xq = Tensor.uniform(rng, -5, 5, k, 1);
        return new Tensor[] {xs, xs.sub(phase).sin().mul(amplitude), xq, xq.sub(phase).sin().mul(amplitude)};
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }
}
