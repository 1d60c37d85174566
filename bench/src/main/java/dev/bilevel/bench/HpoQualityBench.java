package dev.bilevel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bilevel.hpo.FrozenTrial;
import dev.bilevel.hpo.Study;
import dev.bilevel.hpo.TrialState;
import dev.bilevel.hpo.samplers.Sampler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * Benchmark {@code hpo-quality}: the median over seeds of the best-so-far regret (best value
 * minus the optimum 0) after 50, 100 and 200 trials, for each sampler of {@link HpoProblems} on
 * each of its five 5-D functions. Optuna 5.0 runs the same problems from {@code
 * bench/python/optuna_quality.py} in a child process (multivariate TPE, 100 trials, by default),
 * and the reference numbers are printed beside ours in the summary.
 *
 * <p>Options: {@code --samplers a,b} (default all: random, sobol, tpe, tpe-mv, gp, cmaes),
 * {@code --functions f,g}, {@code --seeds N} (default 5, seeds 0..N−1), {@code --trials N}
 * (default 200), {@code --optuna-samplers a,b} (default tpe-mv), {@code --optuna-trials N}
 * (default 100), {@code --python PATH} (default {@code python3} on the PATH), {@code --no-python}.
 */
public final class HpoQualityBench {
    private static final int[] CHECKPOINTS = {50, 100, 200};
    /** Optuna 5.0 at 100 trials, as measured in issue 3. */
    private static final Map<String, double[]> OPTUNA_REFERENCE = new LinkedHashMap<>();

    static {
        OPTUNA_REFERENCE.put("tpe-mv", new double[] {0.29, 1.3e4, 46.7, 30.5, 2.38});
        OPTUNA_REFERENCE.put("gp", new double[] {6.8e-4, 22.6, 44.6, 20.4, 1.96});
    }

    private HpoQualityBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class comment
     * @param out where the JSON lines go
     */
    public static void run(String[] args, PrintStream out) {
        List<String> samplers = new ArrayList<>(HpoProblems.SAMPLERS.keySet());
        List<String> functions = new ArrayList<>(HpoProblems.FUNCTIONS.keySet());
        int seeds = 5;
        int trials = 200;
        String optunaSamplers = "tpe-mv";
        int optunaTrials = 100;
        String python = "python3";
        boolean noPython = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--samplers" -> samplers = List.of(args[++i].split(","));
                case "--functions" -> functions = List.of(args[++i].split(","));
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--optuna-samplers" -> optunaSamplers = args[++i];
                case "--optuna-trials" -> optunaTrials = Integer.parseInt(args[++i]);
                case "--python" -> python = args[++i];
                case "--no-python" -> noPython = true;
                default -> throw new IllegalArgumentException("hpo-quality: unknown option " + args[i]
                        + " (known: --samplers, --functions, --seeds, --trials, --optuna-samplers,"
                        + " --optuna-trials, --python, --no-python)");
            }
        }
        Map<String, Map<String, Double>> at100 = new LinkedHashMap<>();
        for (String s : samplers) {
            LongFunction<Sampler> factory = HpoProblems.SAMPLERS.get(s);
            if (factory == null) {
                throw new IllegalArgumentException("hpo-quality: unknown sampler " + s
                        + "; known: " + HpoProblems.SAMPLERS.keySet());
            }
            for (String f : functions) {
                ToDoubleFunction<double[]> fn = HpoProblems.FUNCTIONS.get(f);
                if (fn == null) {
                    throw new IllegalArgumentException("hpo-quality: unknown function " + f
                            + "; known: " + HpoProblems.FUNCTIONS.keySet());
                }
                double[][] regret = new double[CHECKPOINTS.length][seeds];
                long t0 = System.nanoTime();
                for (int seed = 0; seed < seeds; seed++) {
                    double[] best = bestSoFar(factory.apply(seed), fn, trials);
                    for (int c = 0; c < CHECKPOINTS.length; c++) {
                        regret[c][seed] = CHECKPOINTS[c] <= trials ? best[CHECKPOINTS[c] - 1] : Double.NaN;
                    }
                }
                StringBuilder med = new StringBuilder();
                for (int c = 0; c < CHECKPOINTS.length; c++) {
                    if (CHECKPOINTS[c] > trials) {
                        continue;
                    }
                    double m = median(regret[c]);
                    med.append(med.length() == 0 ? "" : ",").append('"').append(CHECKPOINTS[c]).append("\":")
                            .append(num(m));
                    if (CHECKPOINTS[c] == 100) {
                        at100.computeIfAbsent(s, k -> new LinkedHashMap<>()).put(f, m);
                    }
                }
                out.printf(Locale.ROOT, "{\"bench\":\"hpo-quality\",\"impl\":\"bilevel\",\"sampler\":\"%s\","
                        + "\"function\":\"%s\",\"seeds\":%d,\"regret_median\":{%s},\"seconds\":%.2f}%n",
                        s, f, seeds, med, (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
        }
        JsonNode optuna = null;
        String note = null;
        if (!noPython) {
            PythonTwin.Result r = new PythonTwin(python).run("optuna_quality.py", List.of(
                    "--samplers", optunaSamplers, "--functions", String.join(",", functions),
                    "--seeds", Integer.toString(seeds), "--trials", Integer.toString(optunaTrials)), 3600);
            optuna = r.summary();
            note = r.note();
            if (optuna != null) {
                out.println(optuna);
            }
        }
        StringBuilder sb = new StringBuilder("{\"bench\":\"hpo-quality\",\"summary\":true,\"trials\":100,\"seeds\":")
                .append(seeds).append(",\"bilevel\":").append(table(at100));
        if (optuna != null && optuna.has("regret_median_at_100")) {
            sb.append(",\"optuna_measured\":").append(optuna.get("regret_median_at_100"));
        } else if (note != null) {
            sb.append(",\"optuna_measured\":null,\"note\":\"").append(note.replace("\"", "'")).append('"');
        }
        Map<String, Map<String, Double>> ref = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(HpoProblems.FUNCTIONS.keySet());
        OPTUNA_REFERENCE.forEach((s, v) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int i = 0; i < v.length; i++) {
                m.put(all.get(i), v[i]);
            }
            ref.put(s, m);
        });
        sb.append(",\"optuna_5_0_issue_reference\":").append(table(ref)).append('}');
        out.println(sb);
    }

    /** Best value after each trial of a 5-D study on [−5, 5]^5. */
    static double[] bestSoFar(Sampler sampler, ToDoubleFunction<double[]> fn, int trials) {
        Study study = Study.builder().sampler(sampler).create();
        study.optimize(t -> {
            double[] x = new double[HpoProblems.DIM];
            for (int i = 0; i < x.length; i++) {
                x[i] = t.suggestFloat("x" + i, -5, 5);
            }
            return fn.applyAsDouble(x);
        }, trials);
        double[] best = new double[trials];
        double b = Double.POSITIVE_INFINITY;
        List<FrozenTrial> all = study.trials();
        for (int i = 0; i < trials; i++) {
            FrozenTrial t = all.get(i);
            if (t.state() == TrialState.COMPLETE) {
                b = Math.min(b, t.value());
            }
            best[i] = b;
        }
        return best;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "null";
    }

    private static String table(Map<String, Map<String, Double>> t) {
        StringBuilder sb = new StringBuilder("{");
        t.forEach((s, m) -> {
            sb.append(sb.length() == 1 ? "" : ",").append('"').append(s).append("\":{");
            StringBuilder inner = new StringBuilder();
            m.forEach((f, v) -> inner.append(inner.length() == 0 ? "" : ",").append('"').append(f).append("\":")
                    .append(num(v)));
            sb.append(inner).append('}');
        });
        return sb.append('}').toString();
    }
}
