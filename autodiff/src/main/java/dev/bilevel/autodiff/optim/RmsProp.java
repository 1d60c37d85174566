package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * RMSprop (Tieleman &amp; Hinton, Coursera "Neural networks for machine learning", lecture 6.5,
 * 2012), in the form of PyTorch's {@code RMSprop} (ε outside the root):
 *
 * <pre>
 *   v ← ρ·v + (1 − ρ)·g²,    u = −η(t)·g / (√v + ε)
 * </pre>
 *
 * with v starting at 0. As in {@link Adam}, √v has derivative 0 at v = 0, so second derivatives
 * through a step with an exactly-zero gradient are finite while values are exact. Build it with
 * {@link Optimizers#rmsprop}.
 */
public final class RmsProp implements Optimizer {
    private final Schedule learningRate;
    private final double decay;
    private final double eps;

    /**
     * @param learningRate η(t)
     * @param decay        ρ ∈ [0, 1)
     * @param eps          ε ≥ 0
     * @throws IllegalArgumentException when ρ or ε is out of range
     */
    RmsProp(Schedule learningRate, double decay, double eps) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("rmsprop: decay must be in [0, 1), got " + decay);
        }
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("rmsprop: eps must be in [0, ∞), got " + eps);
        }
        this.learningRate = learningRate;
        this.decay = decay;
        this.eps = eps;
    }

    /**
     * The state of {@link RmsProp}.
     *
     * @param count the number of steps taken
     * @param nu    the running mean of squared gradients v
     */
    public record State(long count, Params nu) implements Optimizer.State {}

    /** Count 0 and v = 0 shaped like each parameter. */
    @Override
    public State init(Params params) {
        return new State(0, Optimizers.zerosLike(params));
    }

    /** One RMSprop step; see the class comment. */
    @Override
    public Update update(Params grads, Optimizer.State state, Params params) {
        State s = Optimizers.cast(state, State.class, "rmsprop");
        Params nu = s.nu().zip(grads, (v, g) -> v.mul(decay).add(g.square().mul(1 - decay)));
        Variable step = learningRate.at(s.count()).neg();
        Params updates = grads.zip(nu, (g, v) -> g.div(SafeSqrt.of(v).add(eps)).mul(step));
        return new Update(updates, new State(s.count() + 1, nu));
    }
}
