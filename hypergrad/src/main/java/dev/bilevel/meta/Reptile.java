package dev.bilevel.meta;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import java.util.List;

/**
 * Reptile (Nichol, Achiam &amp; Schulman, "On First-Order Meta-Learning Algorithms", 2018): K steps of
 * SGD on the task from θ give φ, and the update direction is θ − φ,
 *
 * <pre>
 *   φ = SGD_K(θ, S),   direction d = θ − φ,   θ ← θ − ε·mean_T(d)   (with outer SGD at rate ε)
 * </pre>
 *
 * <p>{@link #metaGradient} returns d as the "gradient", so any outer optimizer of
 * {@link MetaTrainer} applies; SGD with learning rate ε is the paper's update. For K = 1,
 * d = α·∇L_S(θ), the gradient of α·L_S (the oracle of the tests).
 *
 * <p>Reptile never looks at the query set while training, so its {@link TaskGradient#queryLoss}
 * is the support (training) loss of the last inner step, L_S(φ_{K−1}), which that step computes
 * anyway; query losses come from {@link #evaluate}, which meta-validation uses.
 */
public final class Reptile implements MetaLearner {
    private final FunctionalModel model;
    private final Config config;

    /**
     * @param innerLr    α &gt; 0, the inner SGD step size
     * @param innerSteps K ≥ 1
     */
    public record Config(double innerLr, int innerSteps) {
        /** Validates the fields. */
        public Config {
            if (!(innerLr > 0) || innerSteps < 1) {
                throw new IllegalArgumentException("Reptile.Config: need innerLr > 0, innerSteps ≥ 1, got " + innerLr
                        + ", " + innerSteps);
            }
        }
    }

    /** Reptile of {@code model}. */
    public Reptile(FunctionalModel model, Config config) {
        this.model = model;
        this.config = config;
    }

    /** The model's fresh parameters. */
    @Override
    public Params init(Rng rng) {
        return model.init(rng);
    }

    /** θ − φ after K first-order steps, and the support loss L_S(φ_{K−1}) of the last step. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        double a = config.innerLr;
        InnerLoop.Descent d = InnerLoop.descend(InnerLoop.Predictions.of(model, task), meta, task, n -> true,
                (n, g) -> g.mul(a), config.innerSteps);
        try (ModeScope off = GradMode.disabled()) {
            return new TaskGradient(d.supportLoss(), meta.detach().zip(d.phi().detach(), (t, p) -> t.sub(p)));
        }
    }

    /** Query metrics after 0…N SGD steps with step size α. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        double a = config.innerLr;
        return InnerLoop.curve(model, meta, task, n -> true, (n, g) -> g.mul(a), steps);
    }
}
