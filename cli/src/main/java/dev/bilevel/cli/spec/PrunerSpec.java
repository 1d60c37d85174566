package dev.bilevel.cli.spec;

import dev.bilevel.hpo.pruners.HyperbandPruner;
import dev.bilevel.hpo.pruners.MedianPruner;
import dev.bilevel.hpo.pruners.NopPruner;
import dev.bilevel.hpo.pruners.PatientPruner;
import dev.bilevel.hpo.pruners.PercentilePruner;
import dev.bilevel.hpo.pruners.Pruner;
import dev.bilevel.hpo.pruners.SuccessiveHalvingPruner;
import dev.bilevel.hpo.pruners.ThresholdPruner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pruner by name with its options ({@code pruner: {type: hyperband, min_resource: 1,
 * max_resource: 9, reduction_factor: 3}}). Types and options:
 *
 * <ul>
 *   <li>{@code none}
 *   <li>{@code median}: n_startup_trials, n_warmup_steps, interval_steps
 *   <li>{@code percentile}: percentile (required), n_startup_trials, n_warmup_steps,
 *       interval_steps, n_min_trials
 *   <li>{@code successive_halving} (or {@code asha}): min_resource, reduction_factor,
 *       min_early_stopping_rate, bootstrap_count
 *   <li>{@code hyperband}: min_resource, max_resource, reduction_factor, bootstrap_count
 *   <li>{@code threshold}: lower, upper, n_warmup_steps, interval_steps
 * </ul>
 *
 * Every type also takes {@code patience} (and {@code min_delta}): Optuna's {@code PatientPruner}
 * around it.
 *
 * @param type the pruner's name
 * @param options its options
 */
public record PrunerSpec(String type, Map<String, Object> options) {

    /** The pruner names this spec knows. */
    public static final List<String> TYPES =
            List.of("none", "median", "percentile", "successive_halving", "hyperband", "threshold");

    /**
     * Copies the options.
     *
     * @param type see the record component of the same name
     * @param options see the record component of the same name
     */
    public PrunerSpec {
        type = type.toLowerCase(Locale.ROOT).replace("-", "_");
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * Builds the pruner.
     *
     * @return the pruner
     * @throws IllegalArgumentException for an unknown type, an unknown option or a bad value
     */
    public Pruner create() {
        ComponentOptions o = new ComponentOptions("pruner " + type, options);
        Integer patience = o.integer("patience", null);
        double minDelta = o.real("min_delta", 0.0);
        Pruner pruner = switch (type) {
            case "none", "nop" -> new NopPruner();
            case "median" -> new MedianPruner(o.integer("n_startup_trials", 5), o.integer("n_warmup_steps", 0),
                    o.integer("interval_steps", 1));
            case "percentile" -> {
                if (!o.has("percentile")) {
                    throw new IllegalArgumentException("pruner percentile: option 'percentile' is required");
                }
                yield new PercentilePruner(o.real("percentile", 50), o.integer("n_startup_trials", 5),
                        o.integer("n_warmup_steps", 0), o.integer("interval_steps", 1), o.integer("n_min_trials", 1));
            }
            case "successive_halving", "asha", "sha" -> new SuccessiveHalvingPruner(o.integer("min_resource", null),
                    o.integer("reduction_factor", 4), o.integer("min_early_stopping_rate", 0),
                    o.integer("bootstrap_count", 0));
            case "hyperband" -> new HyperbandPruner(o.integer("min_resource", 1), o.integer("max_resource", null),
                    o.integer("reduction_factor", 3), o.integer("bootstrap_count", 0));
            case "threshold" -> new ThresholdPruner(o.real("lower", Double.NEGATIVE_INFINITY),
                    o.real("upper", Double.POSITIVE_INFINITY), o.integer("n_warmup_steps", 0),
                    o.integer("interval_steps", 1));
            default -> throw new IllegalArgumentException(
                    "unknown pruner '" + type + "' (known: " + String.join(", ", TYPES) + ")");
        };
        o.finish();
        return patience == null ? pruner : new PatientPruner(pruner, patience, minDelta);
    }
}
