package dev.bilevel.bench;

import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.Kernels;
import dev.bilevel.tensor.internal.PlainKernels;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Benchmark {@code gemm}: GFLOP/s of the f64 matrix product {@code C = A·B} on one thread, for
 * the Vector API kernels ({@code path "vector"}) and the plain-Java fallback ({@code "plain"}).
 *
 * <p>Square sizes 64, 256 and 1024 (issue 2), then the small shapes of the MAML sinusoid
 * workload (10×1·1×40 and 10×40·40×40, with their backward products), whose time is dominated by
 * dispatch and edge handling rather than by the micro-kernel. Each case is warmed up (at least
 * 1 s, and until the time per call stops improving and the JIT has gone quiet: Vector API code
 * is slow until C2 compiles it), then timed as the median of several repetitions; a repetition runs the product enough
 * times to last at least 5 ms. FLOPs are counted as {@code 2·m·n·k}.
 *
 * <p>Output: one JSON object per line with fields {@code bench, size, m, n, k, transA, transB,
 * path, gflops_median, ms_median, reps, cpu_gflops_median, cpu_share}; the last line is the
 * summary, with the speedup at 256 and the targets (≥ 40 GFLOP/s and ≥ 8× the fallback
 * at 256), judged on wall time. {@code cpu_gflops_median} divides by this thread's CPU time
 * instead, and {@code cpu_share} is CPU time over wall time: well below 1 means the machine was
 * busy with other work and the wall-time figures understate the kernels.
 *
 * <p>Options: {@code --sizes 64,256,1024} replaces the square sizes.
 */
public final class GemmBench {
    private static final double TARGET_GFLOPS = 40;
    private static final double TARGET_SPEEDUP = 8;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private GemmBench() {
    }

    private record Case(String size, int m, int n, int k, boolean transA, boolean transB) {
    }

    /**
     * Runs the benchmark and prints its JSON lines to {@code out}.
     *
     * @param args options, see the class comment
     * @param out where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        int[] sizes = {64, 256, 1024};
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--sizes") && i + 1 < args.length) {
                sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
            } else {
                throw new IllegalArgumentException("gemm: unknown option " + args[i] + " (known: --sizes a,b,c)");
            }
        }
        List<Case> cases = new ArrayList<>();
        for (int s : sizes) {
            cases.add(new Case(Integer.toString(s), s, s, s, false, false));
        }
        cases.add(new Case("10x1x40", 10, 40, 1, false, false));
        cases.add(new Case("10x40x40", 10, 40, 40, false, false));
        cases.add(new Case("40x40x10^T", 40, 40, 10, true, false));
        cases.add(new Case("10x40x40^T", 10, 40, 40, false, true));

        Kernels vector = KernelProvider.vector();
        Kernels plain = PlainKernels.INSTANCE;
        double vector256 = Double.NaN;
        double plain256 = Double.NaN;
        double vectorCpu256 = Double.NaN;
        double plainCpu256 = Double.NaN;
        for (Case c : cases) {
            for (Kernels kern : vector == null ? new Kernels[] {plain} : new Kernels[] {vector, plain}) {
                double[] r = time(kern, c);
                double gflops = 2.0 * c.m * c.n * c.k / (r[0] * 1e-3) / 1e9;
                double cpuGflops = 2.0 * c.m * c.n * c.k / (r[2] * 1e-3) / 1e9;
                out.println(String.format(Locale.ROOT,
                        "{\"bench\":\"gemm\",\"size\":%s,\"m\":%d,\"n\":%d,\"k\":%d,\"transA\":%b,\"transB\":%b,"
                                + "\"path\":\"%s\",\"gflops_median\":%.3f,\"ms_median\":%.6f,\"reps\":%d,"
                                + "\"cpu_gflops_median\":%.3f,\"cpu_share\":%.2f}",
                        c.size.chars().allMatch(Character::isDigit) ? c.size : "\"" + c.size + "\"",
                        c.m, c.n, c.k, c.transA, c.transB, kern.name(), gflops, r[0], (int) r[1], cpuGflops, r[3]));
                out.flush();
                if (c.size.equals("256")) {
                    if (kern == plain) {
                        plain256 = gflops;
                        plainCpu256 = cpuGflops;
                    } else {
                        vector256 = gflops;
                        vectorCpu256 = cpuGflops;
                    }
                }
            }
        }
        double speedup = vector256 / plain256;
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"gemm\",\"summary\":true,\"speedup_256\":%s,\"vector_gflops_256\":%s,"
                        + "\"plain_gflops_256\":%s,\"target_gflops\":%.0f,\"target_speedup\":%.0f,\"meets_target\":%b,"
                        + "\"cpu_speedup_256\":%s,\"cpu_vector_gflops_256\":%s,"
                        + "\"vector_available\":%b,\"threads\":1,\"java\":\"%s\",\"arch\":\"%s\"}",
                num(speedup), num(vector256), num(plain256), TARGET_GFLOPS, TARGET_SPEEDUP,
                vector256 >= TARGET_GFLOPS && speedup >= TARGET_SPEEDUP,
                num(vectorCpu256 / plainCpu256), num(vectorCpu256), vector != null,
                System.getProperty("java.version"), System.getProperty("os.arch")));
        out.flush();
    }

    /**
     * Median wall milliseconds per product, the number of timed repetitions, median thread-CPU
     * milliseconds per product, and the share of wall time this thread was on a CPU.
     */
    private static double[] time(Kernels kern, Case c) {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] a = new double[c.m * c.k];
        double[] b = new double[c.k * c.n];
        double[] out = new double[c.m * c.n];
        Arrays.setAll(a, i -> rnd.nextDouble(-1, 1));
        Arrays.setAll(b, i -> rnd.nextDouble(-1, 1));
        // Vector API code is ~100x slower until C2 has compiled it, which takes seconds on a loaded
        // machine: warm up in batches of about 50 ms until three batches in a row neither improve
        // the time per call nor see the JIT compile anything (at least 1 s, at most 20 s).
        long start = System.nanoTime();
        double perCall = Double.POSITIVE_INFINITY;
        int stable = 0;
        while (System.nanoTime() - start < 20_000_000_000L && (System.nanoTime() - start < 1_000_000_000L || stable < 3)) {
            long jit = JIT.getTotalCompilationTime();
            long s = System.nanoTime();
            long calls = 0;
            while (System.nanoTime() - s < 50_000_000L) {
                kern.gemm(c.transA, c.transB, c.m, c.n, c.k, a, 0, b, 0, out, 0);
                calls++;
            }
            double t = (System.nanoTime() - s) / (double) calls;
            stable = t > 0.95 * perCall && JIT.getTotalCompilationTime() == jit ? stable + 1 : 0;
            perCall = Math.min(perCall, t);
        }
        int inner = (int) Math.max(1, Math.ceil(5e6 / perCall));
        int reps = (int) Math.max(5, Math.min(41, Math.ceil(1.5e9 / (perCall * inner))));
        double[] ms = new double[reps];
        double[] cpuMs = new double[reps];
        double wallTotal = 0;
        double cpuTotal = 0;
        for (int r = 0; r < reps; r++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                kern.gemm(c.transA, c.transB, c.m, c.n, c.k, a, 0, b, 0, out, 0);
            }
            long wall = System.nanoTime() - s;
            long used = THREADS.getCurrentThreadCpuTime() - cpu;
            ms[r] = wall / 1e6 / inner;
            cpuMs[r] = used / 1e6 / inner;
            wallTotal += wall;
            cpuTotal += used;
        }
        Arrays.sort(ms);
        Arrays.sort(cpuMs);
        return new double[] {ms[reps / 2], reps, cpuMs[reps / 2], cpuTotal / wallTotal};
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }

    /**
     * Runs the benchmark on standard output, for use without the {@code Bench} runner.
     *
     * @param args options, see the class comment
     */
    public static void main(String[] args) {
        run(args, System.out);
    }
}
