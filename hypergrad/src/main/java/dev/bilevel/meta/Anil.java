package dev.bilevel.meta;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import java.util.List;
import java.util.Set;

/**
 * Almost No Inner Loop (Raghu, Raghu, Bengio &amp; Vinyals, "Rapid Learning or Feature Reuse?",
 * ICLR 2020): MAML whose inner loop adapts only the head (the parameters named in
 * {@link Config#head}), the body being shared by all tasks:
 *
 * <pre>
 *   h₀ = θ_head,   hₖ₊₁ = hₖ − α·∇_h L_S(θ_body, hₖ),   g = dL_Q(θ_body, h_K)/d(θ_body, θ_head)
 * </pre>
 *
 * <p><b>Features once.</b> When the model is a {@link SplitModel} whose {@link SplitModel#headNames}
 * are exactly the configured head (e.g. {@link Conv4}: {@code head.weight}, {@code head.bias}), the
 * body's features of the support and query sets are computed once per task and the inner steps
 * run on the head alone, as the paper's implementation does. It is the same function: the body is
 * not adapted, so its support features are the same at every step. Second order, the inner
 * gradients ∇_h L_S are recorded as functions of the support features, so the meta-gradient
 * reaches the body through them as well as through the query features. For any other model or
 * head, every inner step runs the whole model.
 *
 * <pre>{@code
 * Anil anil = new Anil(model, new Anil.Config(0.1, 5, Set.of("2.weight", "2.bias"), false));
 * }</pre>
 */
public final class Anil implements MetaLearner {
    private final FunctionalModel model;
    private final Config config;
    /** The model when its head is exactly the configured one (features computed once), else null. */
    private final SplitModel split;

    /**
     * @param innerLr    α &gt; 0
     * @param innerSteps K ≥ 0
     * @param head       names of the parameters adapted in the inner loop, not empty
     * @param firstOrder drop second derivatives
     */
    public record Config(double innerLr, int innerSteps, Set<String> head, boolean firstOrder) {
        /** Validates and copies. */
        public Config {
            if (!(innerLr > 0) || innerSteps < 0 || head == null || head.isEmpty()) {
                throw new IllegalArgumentException("Anil.Config: need innerLr > 0, innerSteps ≥ 0 and a non-empty head,"
                        + " got " + innerLr + ", " + innerSteps + ", " + head);
            }
            head = Set.copyOf(head);
        }
    }

    /** ANIL of {@code model}. */
    public Anil(FunctionalModel model, Config config) {
        this.model = model;
        this.config = config;
        this.split = model instanceof SplitModel m && m.headNames().equals(config.head) ? m : null;
    }

    /** Fresh parameters; checks that the head names exist. */
    @Override
    public Params init(Rng rng) {
        Params p = model.init(rng);
        for (String h : config.head) {
            if (!p.contains(h)) {
                throw new IllegalArgumentException("Anil: head parameter '" + h + "' is not one of " + p.names());
            }
        }
        return p;
    }

    /** Adapts the head, differentiates the query loss with respect to body and head. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        double a = config.innerLr;
        InnerLoop.Predictions out;
        if (split == null) {
            out = InnerLoop.Predictions.of(model, task);
        } else {
            SplitModel.Features f = split.features(meta, Variable.constant(task.supportX()),
                    Variable.constant(task.queryX()));
            // First order: the inner gradients are constants, so the support features need no graph.
            Variable fs = config.firstOrder ? f.support().detach() : f.support();
            out = new InnerLoop.Predictions(p -> split.head(p, fs), p -> split.head(p, f.query()));
        }
        Params phi = InnerLoop.adapt(out, meta, task, config.head::contains, (n, g) -> g.mul(a), config.innerSteps,
                !config.firstOrder);
        Variable loss = task.queryLoss(out.query().apply(phi));
        return InnerLoop.result(loss, meta);
    }

    /**
     * Query metrics after 0…N head-only steps; for a split model the body's features are computed
     * once, without a graph.
     */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        double a = config.innerLr;
        InnerLoop.Predictions out;
        if (split == null) {
            out = InnerLoop.Predictions.of(model, task);
        } else {
            SplitModel.Features f;
            try (ModeScope off = GradMode.disabled()) {
                f = split.features(meta.detach(), Variable.constant(task.supportX()), Variable.constant(task.queryX()));
            }
            out = new InnerLoop.Predictions(p -> split.head(p, f.support()), p -> split.head(p, f.query()));
        }
        return InnerLoop.curve(out, meta, task, config.head::contains, (n, g) -> g.mul(a), steps);
    }
}
