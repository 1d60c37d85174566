package dev.bilevel.meta;

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
 * <pre>{@code
 * Anil anil = new Anil(model, new Anil.Config(0.1, 5, Set.of("2.weight", "2.bias"), false));
 * }</pre>
 */
public final class Anil implements MetaLearner {
    private final FunctionalModel model;
    private final Config config;

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
        Params phi = InnerLoop.adapt(model, meta, task, config.head::contains, (n, g) -> g.mul(a),
                config.innerSteps, !config.firstOrder);
        Variable loss = InnerLoop.queryLoss(model, phi, task);
        return InnerLoop.result(loss, meta);
    }

    /** Query metrics after 0…N head-only steps. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        double a = config.innerLr;
        return InnerLoop.curve(model, meta, task, config.head::contains, (n, g) -> g.mul(a), steps);
    }
}
