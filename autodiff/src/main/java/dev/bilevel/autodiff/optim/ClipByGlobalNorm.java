package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * Clipping by global norm (Pascanu, Mikolov &amp; Bengio, "On the difficulty of training recurrent
 * neural networks", ICML 2013; optax's {@code clip_by_global_norm}): with ‖g‖ = √(Σᵢ‖gᵢ‖²) over
 * all parameters,
 *
 * <pre>
 *   u = g                  when ‖g‖ ≤ c
 *   u = g · c / ‖g‖        otherwise
 * </pre>
 *
 * so the direction is kept and the norm is at most c. Stateless; usually the first link of a
 * {@link Optimizers#chain chain}. Differentiable: in the second branch the derivative includes the
 * dependence of ‖g‖ on g. Build it with {@link Optimizers#clipByGlobalNorm}.
 */
public final class ClipByGlobalNorm implements Optimizer {
    private final double maxNorm;

    /**
     * @param maxNorm c &gt; 0
     * @throws IllegalArgumentException unless c is positive and finite
     */
    ClipByGlobalNorm(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clipByGlobalNorm: maxNorm must be positive and finite, got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /** The (empty) state of {@link ClipByGlobalNorm}. */
    public record State() implements Optimizer.State {}

    /** The empty state. */
    @Override
    public State init(Params params) {
        return new State();
    }

    /** The gradients scaled to global norm at most c; see the class comment. */
    @Override
    public Update update(Params grads, Optimizer.State state, Params params) {
        State s = Optimizers.cast(state, State.class, "clipByGlobalNorm");
        Variable norm = Optimizers.globalNorm(grads);
        if (norm.item() <= maxNorm) {
            return new Update(grads, s);
        }
        Variable scale = Variable.scalar(maxNorm).div(norm);
        return new Update(grads.map(g -> g.mul(scale)), s);
    }
}
