package dev.bilevel.bench;

import dev.bilevel.tensor.Convolutions;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark {@code conv}: the convolutions of the conv-4 few-shot backbone on 28×28 images, one
 * layer at a time (1→32 channels at 28×28, then 32→32 at 14×14, 7×7 and 3×3; 3×3 kernels,
 * padding 1), for a batch of {@code --batch} images (default 100: a 5-shot task's support and
 * queries): median milliseconds of the forward pass, the input gradient and the weight gradient,
 * in float64 and in {@link Precision#FLOAT32}, one thread. Each operation is warmed up for
 * {@code --warmup-seconds} (default 2), then timed {@code --reps} times (default 100).
 *
 * <p><b>PyTorch twin.</b> {@code bench/python/conv.py} times the same three operations
 * ({@code conv2d}, and autograd with only the input or only the weight requiring a gradient) in
 * float32 on one thread, in a child process after the Java side. Options {@code --python PATH},
 * {@code --no-python}.
 *
 * <p>Output: one JSON line per layer and precision, then the twin's line (every layer), then a
 * summary with the totals over the three 32-channel layers (the first layer's input gradient is
 * never needed: its input is data).
 */
public final class ConvBench {
    /** Input channels and side of each layer's input. */
    private static final int[][] LAYERS = {{1, 28}, {32, 14}, {32, 7}, {32, 3}};
    private static final int CHANNELS = 32;

    private ConvBench() {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out  where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        int batch = 100;
        int reps = 100;
        double warmup = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Double.parseDouble(args[++i]);
                case "--python" -> i++;
                case "--no-python" -> {
                }
                default -> throw new IllegalArgumentException("conv: unknown option " + args[i]
                        + " (known: --batch N, --reps N, --warmup-seconds S, --python PATH, --no-python)");
            }
        }
        double[] totals = new double[2];
        for (int[] layer : LAYERS) {
            Rng rng = new Rng(layer[0] * 100L + layer[1]);
            Tensor x = Tensor.randn(rng, batch, layer[0], layer[1], layer[1]);
            Tensor w = Tensor.randn(rng, CHANNELS, layer[0], 3, 3);
            Tensor g = Tensor.randn(rng, batch, CHANNELS, layer[1], layer[1]);
            for (Precision p : Precision.values()) {
                double fwd = median(() -> Convolutions.conv2d(x, w, 1, 1, 1, 1, p), reps, warmup);
                double dx = median(() -> Convolutions.conv2dInputGrad(g, w, x.shape(), 1, 1, 1, 1, p), reps, warmup);
                double dw = median(() -> Convolutions.conv2dWeightGrad(x, g, w.shape(), 1, 1, 1, 1, p), reps, warmup);
                if (layer[0] == CHANNELS) {
                    totals[p.ordinal()] += fwd + dx + dw;
                }
                out.println(String.format(Locale.ROOT, "{\"bench\":\"conv\",\"impl\":\"bilevel\",\"precision\":\"%s\","
                        + "\"in_channels\":%d,\"side\":%d,\"batch\":%d,\"forward_ms\":%.3f,\"input_grad_ms\":%.3f,"
                        + "\"weight_grad_ms\":%.3f}", p.name().toLowerCase(Locale.ROOT), layer[0], layer[1], batch,
                        fwd, dx, dw));
                out.flush();
            }
        }
        String torch = "null";
        String note = "PyTorch twin disabled by --no-python";
        if (!PythonTwin.disabled(args)) {
            PythonTwin.Result r = PythonTwin.fromArgs(args).run("conv.py", List.of("--batch", Integer.toString(batch),
                    "--reps", Integer.toString(reps), "--warmup-seconds", Double.toString(warmup)), 1800);
            if (r.summary() != null) {
                out.println(r.summary());
                torch = String.format(Locale.ROOT, "%.3f", r.summary().get("total_ms_32_channel_layers").asDouble());
                note = "PyTorch " + r.summary().path("torch").asText() + " float32, one thread, after the Java side";
            } else {
                note = r.note();
            }
        }
        out.println(String.format(Locale.ROOT, "{\"bench\":\"conv\",\"summary\":true,\"batch\":%d,"
                + "\"total_ms_32_channel_layers\":{\"float64\":%.3f,\"float32\":%.3f,\"pytorch_float32\":%s},"
                + "\"threads\":1,\"java\":\"%s\",\"note\":\"%s\"}", batch, totals[0], totals[1], torch,
                System.getProperty("java.version"), note.replace("\"", "'")));
        out.flush();
    }

    /** Median milliseconds of {@code op} over {@code reps} calls after {@code warmup} seconds of calls. */
    private static double median(Runnable op, int reps, double warmup) {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) {
            op.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            op.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
