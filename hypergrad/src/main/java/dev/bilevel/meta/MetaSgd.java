package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Meta-SGD (Li, Zhou, Chen &amp; Li, "Meta-SGD: Learning to Learn Quickly for Few-Shot Learning",
 * 2017): the initialization θ and a per-coordinate step size α (same shape as θ) are both
 * meta-learned,
 *
 * <pre>
 *   φₖ₊₁ = φₖ − α ∘ ∇L_S(φₖ),   g = dL_Q(φ_K)/d(θ, α)
 * </pre>
 *
 * <p>The meta-parameters hold the model's names and, for each, {@code "lr:" + name}, initialized
 * to {@link Config#initialLr}. Step sizes may become negative, as in the paper.
 */
public final class MetaSgd implements MetaLearner {
    /** Prefix of the step-size parameters. */
    public static final String LR_PREFIX = "lr:";

    private final FunctionalModel model;
    private final Config config;

    /**
     * @param initialLr  the initial value of every α entry, &gt; 0
     * @param innerSteps K ≥ 0
     */
    public record Config(double initialLr, int innerSteps) {
        /** Validates the fields. */
        public Config {
            if (!(initialLr > 0) || innerSteps < 0) {
                throw new IllegalArgumentException("MetaSgd.Config: need initialLr > 0, innerSteps ≥ 0, got "
                        + initialLr + ", " + innerSteps);
            }
        }
    }

    /** Meta-SGD of {@code model}. */
    public MetaSgd(FunctionalModel model, Config config) {
        this.model = model;
        this.config = config;
    }

    /** θ from the model, then α = initialLr for every parameter. */
    @Override
    public Params init(Rng rng) {
        Params theta = model.init(rng);
        Params p = theta;
        for (String n : theta.names()) {
            p = p.with(LR_PREFIX + n, Variable.leaf(Tensor.full(theta.get(n).shape(), config.initialLr)));
        }
        return p;
    }

    /** Adapts with the learned step sizes (recorded) and differentiates with respect to θ and α. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        Params theta = modelParams(meta);
        Params phi = InnerLoop.adapt(model, theta, task, n -> true, (n, g) -> g.mul(meta.get(LR_PREFIX + n)),
                config.innerSteps, true);
        Variable loss = InnerLoop.queryLoss(model, phi, task);
        return InnerLoop.result(loss, meta);
    }

    /** Query metrics after 0…N steps with the learned step sizes. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        Params lr = meta.detach();
        return InnerLoop.curve(model, modelParams(meta), task, n -> true, (n, g) -> g.mul(lr.get(LR_PREFIX + n)), steps);
    }

    /** The model's parameters θ (the names without the step-size prefix). */
    public static Params modelParams(Params meta) {
        List<String> names = new ArrayList<>();
        List<Variable> vals = new ArrayList<>();
        for (String n : meta.names()) {
            if (!n.startsWith(LR_PREFIX)) {
                names.add(n);
                vals.add(meta.get(n));
            }
        }
        return Params.of(names, vals);
    }
}
