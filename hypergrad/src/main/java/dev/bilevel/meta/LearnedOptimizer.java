package dev.bilevel.meta;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A learned optimizer (Andrychowicz et al., "Learning to learn by gradient descent by gradient
 * descent", NeurIPS 2016), with a small coordinate-wise network m_ψ in place of their LSTM: every
 * coordinate of the optimizee's parameters is updated by the same network from its own gradient,
 *
 * <pre>
 *   φ₀ ~ init (fresh per task),   φ_{t+1} = φ_t − s_out · m_ψ(s_in · ∇L_S(φ_t))   (coordinate-wise)
 *   meta-loss  L(ψ) = (1/T)·Σ_{t=1..T} L_Q(φ_t)        (the trajectory loss of the paper, w_t = 1)
 * </pre>
 *
 * <p>The meta-parameters ψ are the network's ({@code "opt.*"} names); the optimizee's are drawn
 * from the task's stream, so the optimizer must work from any initialization. Meta-training
 * unrolls the T steps; with {@link Config#secondOrder} false the gradients ∇L_S(φ_t) are treated
 * as constants, as in the paper (§2.1), otherwise second derivatives flow through them.
 */
public final class LearnedOptimizer implements MetaLearner {
    private static final String PREFIX = "opt.";

    private final FunctionalModel optimizee;
    private final Config config;
    private final Mlp net;

    /**
     * @param hidden      hidden width of the coordinate-wise network, ≥ 1
     * @param unroll      T ≥ 1, optimizer steps unrolled in meta-training
     * @param inputScale  s_in &gt; 0, gradient scaling before the network
     * @param outputScale s_out &gt; 0, scaling of the network's output
     * @param secondOrder differentiate through the optimizee's gradients
     */
    public record Config(int hidden, int unroll, double inputScale, double outputScale, boolean secondOrder) {
        /** Validates the fields. */
        public Config {
            if (hidden < 1 || unroll < 1 || !(inputScale > 0) || !(outputScale > 0)) {
                throw new IllegalArgumentException("LearnedOptimizer.Config: invalid hidden " + hidden + ", unroll "
                        + unroll + ", scales " + inputScale + ", " + outputScale);
            }
        }
    }

    /** A learned optimizer for {@code optimizee}. */
    public LearnedOptimizer(FunctionalModel optimizee, Config config) {
        this.optimizee = optimizee;
        this.config = config;
        this.net = Mlp.of(1, config.hidden, 1).activation(Activation.TANH);
    }

    /** Fresh network weights ψ, named {@code "opt.0.weight"}, …. */
    @Override
    public Params init(Rng rng) {
        Params p = net.init(rng);
        List<String> names = new ArrayList<>();
        for (String n : p.names()) {
            names.add(PREFIX + n);
        }
        return Params.of(names, p.values());
    }

    /** The update s_out·m_ψ(s_in·g) for every coordinate of {@code grads}. */
    Params update(Params psi, Params grads) {
        List<Variable> w = new ArrayList<>(psi.values());
        Variable g = grads.flatten();
        Variable out = net.applyFlat(w, g.mul(config.inputScale).reshape(g.size(), 1));
        return grads.unflatten(out.reshape(g.size()).mul(config.outputScale));
    }

    /** Unrolls T steps from a fresh optimizee and differentiates the mean query loss with respect to ψ. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        Params phi = optimizee.init(rng).detach().leaves();
        Variable xs = Variable.constant(task.supportX());
        Variable total = null;
        for (int t = 0; t < config.unroll; t++) {
            Params g = Autodiff.grad(task.supportLoss(optimizee.apply(phi, xs)), phi, config.secondOrder, true);
            phi = phi.zip(update(meta, g), Variable::sub);
            Variable q = InnerLoop.queryLoss(optimizee, phi, task);
            total = total == null ? q : total.add(q);
        }
        return InnerLoop.result(total.div(config.unroll), meta);
    }

    /** Query metrics of a fresh optimizee after 0…N learned-optimizer steps. */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        Params psi = meta.detach();
        Params phi = optimizee.init(rng).detach().leaves();
        Variable xs = Variable.constant(task.supportX());
        List<TaskMetrics> out = new ArrayList<>(steps.length);
        int done = 0;
        for (int target : steps) {
            while (done < target) {
                Params g = Autodiff.grad(task.supportLoss(optimizee.apply(phi, xs)), phi, false, true);
                try (ModeScope off = GradMode.disabled()) {
                    phi = phi.zip(update(psi, g), Variable::sub).detach().leaves();
                }
                done++;
            }
            out.add(InnerLoop.queryMetrics(optimizee, phi, task, target));
        }
        return out;
    }
}
