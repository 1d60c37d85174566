package dev.bilevel.bench;

import dev.bilevel.hpo.samplers.CmaEsSampler;
import dev.bilevel.hpo.samplers.GpSampler;
import dev.bilevel.hpo.samplers.QmcSampler;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.hpo.samplers.Sampler;
import dev.bilevel.hpo.samplers.TpeSampler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * The test functions and samplers shared by {@code hpo-quality} and {@code hpo-overhead}, and
 * mirrored in {@code bench/python/optuna_quality.py}.
 *
 * <p>Functions in 5 dimensions on {@code [−5, 5]^5}, all with minimum 0 at the shifted optimum
 * {@code s = (1.3, −2.1, 0.7, 2.9, −0.4)}; with {@code z = x − s}: sphere {@code Σ z²};
 * ellipsoid {@code Σ 10^(6 i/4) z_i²} (condition 10^6); Rosenbrock {@code Σ 100 (w_{i+1} − w_i²)² +
 * (1 − w_i)²} with {@code w = z + 1}; Rastrigin {@code 10·5 + Σ (z² − 10 cos 2πz)}; Ackley {@code
 * −20 exp(−0.2 √(mean z²)) − exp(mean cos 2πz) + 20 + e}.
 */
final class HpoProblems {
    static final double[] SHIFT = {1.3, -2.1, 0.7, 2.9, -0.4};
    static final int DIM = SHIFT.length;

    private HpoProblems() {
    }

    /** Name → objective on x in [−5, 5]^5, in the order reported. */
    static final Map<String, ToDoubleFunction<double[]>> FUNCTIONS = new LinkedHashMap<>();

    /** Name → sampler for a seed; one line per sampler. */
    static final Map<String, LongFunction<Sampler>> SAMPLERS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("sphere", x -> {
            double s = 0;
            for (int i = 0; i < DIM; i++) {
                double z = x[i] - SHIFT[i];
                s += z * z;
            }
            return s;
        });
        FUNCTIONS.put("ellipsoid", x -> {
            double s = 0;
            for (int i = 0; i < DIM; i++) {
                double z = x[i] - SHIFT[i];
                s += Math.pow(10, 6.0 * i / (DIM - 1)) * z * z;
            }
            return s;
        });
        FUNCTIONS.put("rosenbrock", x -> {
            double s = 0;
            for (int i = 0; i + 1 < DIM; i++) {
                double w = x[i] - SHIFT[i] + 1;
                double v = x[i + 1] - SHIFT[i + 1] + 1;
                s += 100 * (v - w * w) * (v - w * w) + (1 - w) * (1 - w);
            }
            return s;
        });
        FUNCTIONS.put("rastrigin", x -> {
            double s = 10.0 * DIM;
            for (int i = 0; i < DIM; i++) {
                double z = x[i] - SHIFT[i];
                s += z * z - 10 * Math.cos(2 * Math.PI * z);
            }
            return s;
        });
        FUNCTIONS.put("ackley", x -> {
            double sq = 0;
            double cs = 0;
            for (int i = 0; i < DIM; i++) {
                double z = x[i] - SHIFT[i];
                sq += z * z;
                cs += Math.cos(2 * Math.PI * z);
            }
            return -20 * Math.exp(-0.2 * Math.sqrt(sq / DIM)) - Math.exp(cs / DIM) + 20 + Math.E;
        });

        SAMPLERS.put("random", RandomSampler::new);
        SAMPLERS.put("sobol", QmcSampler::new);
        SAMPLERS.put("tpe", s -> TpeSampler.builder().seed(s).multivariate(false).build());
        SAMPLERS.put("tpe-mv", s -> TpeSampler.builder().seed(s).multivariate(true).build());
        SAMPLERS.put("gp", GpSampler::new);
        SAMPLERS.put("cmaes", CmaEsSampler::new);
    }
}
