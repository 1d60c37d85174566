package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import java.util.List;

/**
 * Model-Agnostic Meta-Learning (Finn, Abbeel &amp; Levine, ICML 2017), second order or first order.
 * The meta-parameters are the initialization θ; adaptation is K steps of gradient descent on the
 * support loss,
 *
 * <pre>
 *   φ₀ = θ,   φₖ₊₁ = φₖ − α·∇L_S(φₖ),   meta-gradient  g = dL_Q(φ_K)/dθ
 *             = Πₖ (I − α·∇²L_S(φₖ)) · ∇L_Q(φ_K)          (second order)
 *   g_FO = ∇L_Q(φ_K)                                      (first order: Hessians dropped, §5.2)
 * </pre>
 *
 * <p>Second order records the inner steps (createGraph) and differentiates through them: the
 * graph lives only while the task's meta-gradient is computed. For an {@link
 * dev.bilevel.autodiff.nn.Mlp} regressor with ReLU or identity hidden activations (through {@link
 * FunctionalModel#of}) the same meta-gradient is computed in closed form, without a graph
 * ({@code ClosedFormMlpMaml}). BatchNorm behaviour is the model's
 * ({@link Conv4.BatchNormMode}).
 *
 * <pre>{@code
 * Maml maml = new Maml(FunctionalModel.of(Mlp.of(1, 40, 40, 1)), new Maml.Config(0.01, 1, false));
 * }</pre>
 */
public final class Maml implements MetaLearner, FlatMetaGradients {
    private final FunctionalModel model;
    private final Config config;
    private final ClosedFormMlpMaml closedForm;

    /**
     * @param innerLr    α, the inner step size, &gt; 0
     * @param innerSteps K ≥ 0 inner steps during meta-training
     * @param firstOrder drop second derivatives (FOMAML)
     */
    public record Config(double innerLr, int innerSteps, boolean firstOrder) {
        /** Validates the fields. */
        public Config {
            if (!(innerLr > 0) || innerSteps < 0) {
                throw new IllegalArgumentException("Maml.Config: need innerLr > 0 and innerSteps ≥ 0, got " + innerLr
                        + ", " + innerSteps);
            }
        }
    }

    /** MAML of {@code model} with {@code config}. */
    public Maml(FunctionalModel model, Config config) {
        this.model = model;
        this.config = config;
        this.closedForm = ClosedFormMlpMaml.of(model, config);
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The model's fresh parameters. */
    @Override
    public Params init(Rng rng) {
        return model.init(rng);
    }

    /** Adapts with K steps (recorded unless first order) and differentiates the query loss. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        if (closedForm != null && closedForm.accepts(task)) {
            return closedForm.metaGradients(meta, List.of(task)).get(0);
        }
        return recorded(meta, task);
    }

    /**
     * The tasks' meta-gradients, each with the bits of {@link #metaGradient}; for an MLP regressor
     * the closed form ({@code ClosedFormMlpMaml}) runs over the whole list, sharing θ's set-up.
     */
    @Override
    public List<TaskGradient> metaGradients(Params meta, List<Task> tasks, List<Rng> rngs) {
        if (closedForm == null || tasks.size() != rngs.size() || !tasks.stream().allMatch(closedForm::accepts)) {
            return MetaLearner.super.metaGradients(meta, tasks, rngs);
        }
        return closedForm.metaGradients(meta, tasks);
    }

    /** {@link #metaGradients}, added into flat arrays; the closed form writes there directly. */
    @Override
    public void addMetaGradients(Params meta, List<Task> tasks, List<Rng> rngs, double[] losses, double[][] into) {
        if (closedForm == null || tasks.size() != rngs.size() || !tasks.stream().allMatch(closedForm::accepts)) {
            FlatMetaGradients.add(meta, metaGradients(meta, tasks, rngs), losses, into);
        } else {
            closedForm.addMetaGradients(meta, tasks, losses, into);
        }
    }

    /**
     * The meta-gradient by differentiating the recorded inner loop (any model); for the MLP the
     * closed form computes the same function, which tests check against this path.
     */
    TaskGradient recorded(Params meta, Task task) {
        double a = config.innerLr;
        Params phi = InnerLoop.adapt(model, meta, task, n -> true, (n, g) -> g.mul(a), config.innerSteps,
                !config.firstOrder);
        Variable loss = InnerLoop.queryLoss(model, phi, task);
        return InnerLoop.result(loss, meta);
    }

    /** Query metrics after 0…N plain gradient steps with step size α. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        double a = config.innerLr;
        return InnerLoop.curve(model, meta, task, n -> true, (n, g) -> g.mul(a), steps);
    }

    /** E.g. {@code Maml[Mlp[1, 40, 40, 1], Config[...]]}. */
    @Override
    public String toString() {
        return "Maml[" + model + ", " + config + "]";
    }
}
