package dev.bilevel.bench;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code mlp-step}: forward and backward of an MLP 784-256-10 (ReLU, cross-entropy with
 * integer labels) on a batch of 256, float64, one thread: the loss and its gradient with respect to
 * all four parameters (no recorded backward). The same step in PyTorch
 * ({@code bench/python/mlp_step.py}) runs in a child process of the same run.
 *
 * <p>Timing: warm-up for {@code --warmup-seconds} (default 3), then {@code --reps} (default 200)
 * steps timed one by one; median and 5th/95th percentiles in ms. The summary gives
 * {@code ratio} = Bilevel / PyTorch and the target (≤ 1.5), plus the GFLOP/s of both
 * (counting the three products of each layer, 2·m·n·k each).
 *
 * <p>The step is dominated by three 256×784×256 products, so the comparison measures the BLAS
 * that torch was built with; the summary carries a note when it is the generic reference BLAS.
 *
 * <p>Options: {@code --reps N}, {@code --warmup-seconds S}, {@code --python PATH}, {@code --no-python}.
 */
public final class MlpStepBench {
    private static final double TARGET_RATIO = 1.5;
    private static final int BATCH = 256;
    /** Forward product and both VJP products of both layers (the input gradient of layer 0 is not needed). */
    private static final double FLOPS = 2.0 * BATCH * (784 * 256 * 2 + 256 * 10 * 3);

    private MlpStepBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        int reps = 200;
        double warmup = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--python" -> i++;
                case "--no-python" -> { }
                default -> throw new IllegalArgumentException("mlp-step: unknown option " + args[i]
                        + " (known: --reps N, --warmup-seconds S, --python PATH, --no-python)");
            }
        }
        Mlp net = Mlp.of(784, 256, 10).activation(Activation.RELU);
        Rng rng = new Rng(0);
        List<Variable> params = net.init(rng).values();
        Variable x = Variable.constant(Tensor.randn(rng, BATCH, 784));
        int[] labels = new int[BATCH];
        Arrays.setAll(labels, i -> rng.nextInt(10));

        long end = System.nanoTime() + (long) (warmup * 1e9);
        double sink = 0;
        while (System.nanoTime() < end) {
            sink += step(net, params, x, labels).get(0).value().getFlat(0);
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<Variable> g = step(net, params, x, labels);
            ms[r] = (System.nanoTime() - t0) / 1e6;
            sink += g.get(0).value().getFlat(0);
        }
        if (!Double.isFinite(sink)) {
            throw new IllegalStateException("mlp-step produced a non-finite gradient");
        }
        Arrays.sort(ms);
        double median = ms[reps / 2];
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"mlp-step\",\"impl\":\"bilevel\",\"ms_median\":%.4f,\"ms_p5\":%.4f,\"ms_p95\":%.4f,"
                        + "\"gflops\":%.3f,\"reps\":%d,\"threads\":1,\"dtype\":\"float64\",\"net\":\"784-256-10\","
                        + "\"batch\":%d}",
                median, ms[reps / 20], ms[reps - 1 - reps / 20], FLOPS / (median * 1e-3) / 1e9, reps, BATCH));
        out.flush();

        String note = null;
        double torchMs = Double.NaN;
        if (PythonTwin.disabled(args)) {
            note = "PyTorch comparison disabled by --no-python";
        } else {
            PythonTwin.Result r = PythonTwin.fromArgs(args).run("mlp_step.py", List.of("--reps", "100"), 900);
            if (r.summary() != null) {
                out.println(r.summary());
                torchMs = r.summary().get("ms_median").asDouble();
                if ("generic".equals(r.summary().path("blas").asText())) {
                    note = "this torch uses the generic reference BLAS (BLAS_INFO=generic, e.g. Debian's python3-torch);"
                            + " a torch with MKL or OpenBLAS is the fair reference for this dense workload";
                }
            } else {
                note = r.note();
            }
        }
        double ratio = median / torchMs;
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"mlp-step\",\"summary\":true,\"bilevel_ms_median\":%.4f,\"pytorch_ms_median\":%s,"
                        + "\"ratio\":%s,\"bilevel_gflops\":%.3f,\"pytorch_gflops\":%s,\"target_ratio\":%.1f,"
                        + "\"meets_target\":%s,\"threads\":1,\"java\":\"%s\",\"arch\":\"%s\"%s}",
                median, num(torchMs), num(ratio), FLOPS / (median * 1e-3) / 1e9,
                num(FLOPS / (torchMs * 1e-3) / 1e9), TARGET_RATIO,
                Double.isFinite(ratio) ? Boolean.toString(ratio <= TARGET_RATIO) : "null",
                System.getProperty("java.version"), System.getProperty("os.arch"),
                note == null ? "" : ",\"note\":\"" + note.replace("\"", "'") + "\""));
        out.flush();
    }

    /** Cross-entropy of the MLP's logits and its gradient with respect to every parameter. */
    static List<Variable> step(Mlp net, List<Variable> params, Variable x, int[] labels) {
        Variable loss = Losses.crossEntropy(net.applyFlat(params, x), labels);
        return Autodiff.grad(loss, params, false, false);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }
}
