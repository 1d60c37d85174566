package dev.bilevel.cli.spec;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.samplers.CmaEsSampler;
import dev.bilevel.hpo.samplers.GpSampler;
import dev.bilevel.hpo.samplers.GridSampler;
import dev.bilevel.hpo.samplers.NsgaIiSampler;
import dev.bilevel.hpo.samplers.PartialFixedSampler;
import dev.bilevel.hpo.samplers.QmcSampler;
import dev.bilevel.hpo.samplers.RandomSampler;
import dev.bilevel.hpo.samplers.Sampler;
import dev.bilevel.hpo.samplers.TpeSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sampler by name with its options, as written in a spec ({@code sampler: {type: tpe, seed: 0,
 * n_startup_trials: 5}}) or given to {@code bilevel ask --sampler}. Types and options (snake case,
 * as Optuna's keyword arguments):
 *
 * <ul>
 *   <li>{@code random}: seed
 *   <li>{@code grid}: seed, values ({@code {name: [v1, v2]}}; categorical, stepped and integer
 *       parameters default to all their values)
 *   <li>{@code qmc} (Sobol): seed, scramble
 *   <li>{@code tpe}: seed, n_startup_trials, n_ei_candidates, prior_weight, consider_magic_clip,
 *       consider_endpoints, multivariate, group, constant_liar
 *   <li>{@code gp}: seed, n_startup_trials, deterministic_objective
 *   <li>{@code cmaes}: seed, n_startup_trials, popsize, sigma0, with_margin, separable,
 *       restart_strategy (none, ipop, bipop)
 *   <li>{@code nsga2}: seed, population_size, mutation_prob, crossover_prob, swapping_prob
 * </ul>
 *
 * Every type also takes {@code fixed: {name: value}} (Optuna's {@code PartialFixedSampler}).
 * Without a seed, a random one is drawn.
 *
 * @param type the sampler's name
 * @param options its options
 */
public record SamplerSpec(String type, Map<String, Object> options) {

    /** The sampler names this spec knows. */
    public static final List<String> TYPES = List.of("random", "grid", "qmc", "tpe", "gp", "cmaes", "nsga2");

    /**
     * Copies the options.
     *
     * @param type see the record component of the same name
     * @param options see the record component of the same name
     */
    public SamplerSpec {
        type = type.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Builds the sampler.
     *
     * @param space the study's search space (the grid sampler enumerates it)
     * @return the sampler
     * @throws IllegalArgumentException for an unknown type, an unknown option or a bad value
     */
    public Sampler create(Map<String, Distribution> space) {
        ComponentOptions o = new ComponentOptions("sampler " + type, options);
        long seed = o.seed();
        Map<String, Object> fixed = o.map("fixed");
        Sampler sampler = switch (type) {
            case "random" -> new RandomSampler(seed);
            case "grid" -> new GridSampler(grid(space, o.map("values")), seed);
            case "qmc", "sobol" -> new QmcSampler(seed, o.flag("scramble", true));
            case "tpe" -> {
                TpeSampler.Builder b = TpeSampler.builder().seed(seed)
                        .multivariate(o.flag("multivariate", false)).group(o.flag("group", false))
                        .constantLiar(o.flag("constant_liar", false))
                        .considerMagicClip(o.flag("consider_magic_clip", true))
                        .considerEndpoints(o.flag("consider_endpoints", false));
                Integer startup = o.integer("n_startup_trials", null);
                Integer candidates = o.integer("n_ei_candidates", null);
                if (startup != null) {
                    b.nStartupTrials(startup);
                }
                if (candidates != null) {
                    b.nEiCandidates(candidates);
                }
                if (o.has("prior_weight")) {
                    b.priorWeight(o.real("prior_weight", 1.0));
                }
                yield b.build();
            }
            case "gp" -> {
                GpSampler.Builder b = GpSampler.builder().seed(seed)
                        .deterministicObjective(o.flag("deterministic_objective", false));
                Integer startup = o.integer("n_startup_trials", null);
                if (startup != null) {
                    b.nStartupTrials(startup);
                }
                yield b.build();
            }
            case "cmaes" -> {
                CmaEsSampler.Builder b = CmaEsSampler.builder().seed(seed)
                        .withMargin(o.flag("with_margin", false)).separable(o.flag("separable", false));
                Integer startup = o.integer("n_startup_trials", null);
                Integer popsize = o.integer("popsize", null);
                if (startup != null) {
                    b.nStartupTrials(startup);
                }
                if (popsize != null) {
                    b.popsize(popsize);
                }
                if (o.has("sigma0")) {
                    b.sigma0(o.real("sigma0", 1.0));
                }
                Object restart = o.raw("restart_strategy");
                if (restart != null) {
                    b.restartStrategy(CmaEsSampler.Restart.valueOf(restart.toString().toUpperCase(Locale.ROOT)));
                }
                yield b.build();
            }
            case "nsga2", "nsgaii" -> {
                NsgaIiSampler.Builder b = NsgaIiSampler.builder().seed(seed);
                Integer population = o.integer("population_size", null);
                if (population != null) {
                    b.populationSize(population);
                }
                if (o.has("mutation_prob")) {
                    b.mutationProb(o.real("mutation_prob", 0));
                }
                if (o.has("crossover_prob")) {
                    b.crossoverProb(o.real("crossover_prob", 0.9));
                }
                if (o.has("swapping_prob")) {
                    b.swappingProb(o.real("swapping_prob", 0.5));
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException(
                    "unknown sampler '" + type + "' (known: " + String.join(", ", TYPES) + ")");
        };
        o.finish();
        return fixed == null || fixed.isEmpty() ? sampler : new PartialFixedSampler(fixed, sampler);
    }

    private static Map<String, List<?>> grid(Map<String, Distribution> space, Map<String, Object> values) {
        Map<String, List<?>> grid = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> e : space.entrySet()) {
            Object given = values == null ? null : values.get(e.getKey());
            if (given instanceof List<?> list) {
                grid.put(e.getKey(), list);
            } else if (given != null) {
                throw new IllegalArgumentException("sampler grid: values of '" + e.getKey() + "' must be a list");
            } else {
                grid.put(e.getKey(), enumerate(e.getKey(), e.getValue()));
            }
        }
        return grid;
    }

    private static List<?> enumerate(String name, Distribution d) {
        if (d instanceof CategoricalDistribution c) {
            return c.choices();
        }
        List<Object> out = new ArrayList<>();
        if (d instanceof IntDistribution i && (i.high() - i.low()) / i.step() < 10_000) {
            for (long v = i.low(); v <= i.high(); v += i.step()) {
                out.add(v);
            }
            return out;
        }
        if (d instanceof FloatDistribution f && f.step() != null && (f.high() - f.low()) / f.step() < 10_000) {
            for (long k = 0; f.low() + k * f.step() <= f.high() + 1e-12; k++) {
                out.add(f.low() + k * f.step());
            }
            return out;
        }
        throw new IllegalArgumentException("sampler grid: give values for parameter '" + name
                + "' (sampler: {type: grid, values: {" + name + ": [...]}})");
    }
}
