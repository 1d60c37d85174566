package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * Stochastic gradient descent with optional heavy-ball or Nesterov momentum, in the form of
 * PyTorch's {@code SGD} and optax's {@code sgd} (Polyak 1964; Sutskever, Martens, Dahl &amp;
 * Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013):
 *
 * <pre>
 *   plain:     u = −η(t)·g
 *   momentum:  b ← μ·b + g,  u = −η(t)·b
 *   Nesterov:  b ← μ·b + g,  u = −η(t)·(g + μ·b)
 * </pre>
 *
 * with the buffer b starting at 0 and t the number of previous steps. Build it with
 * {@link Optimizers#sgd}, {@link Optimizers#momentum} or {@link Optimizers#nesterov}.
 */
public final class Sgd implements Optimizer {
    private final Schedule learningRate;
    private final double momentum;
    private final boolean nesterov;

    /**
     * @param learningRate η(t)
     * @param momentum     μ ∈ [0, 1); 0 keeps no buffer
     * @param nesterov     use the Nesterov form (needs μ &gt; 0)
     * @throws IllegalArgumentException on μ outside [0, 1), or Nesterov without momentum
     */
    Sgd(Schedule learningRate, double momentum, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("sgd: momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0");
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    /**
     * The state of {@link Sgd}.
     *
     * @param count the number of steps taken
     * @param trace the momentum buffer b, or no parameters when μ = 0
     */
    public record State(long count, Params trace) implements Optimizer.State {}

    /** Count 0 and, with momentum, a zero buffer shaped like each parameter. */
    @Override
    public State init(Params params) {
        return new State(0, momentum == 0 ? Params.empty() : Optimizers.zerosLike(params));
    }

    /** One SGD step; see the class comment. */
    @Override
    public Update update(Params grads, Optimizer.State state, Params params) {
        State s = Optimizers.cast(state, State.class, "sgd");
        Variable step = learningRate.at(s.count()).neg();
        if (momentum == 0) {
            return new Update(grads.map(g -> g.mul(step)), new State(s.count() + 1, s.trace()));
        }
        Params trace = s.trace().zip(grads, (b, g) -> b.mul(momentum).add(g));
        Params direction = nesterov ? grads.zip(trace, (g, b) -> g.add(b.mul(momentum))) : trace;
        return new Update(direction.map(d -> d.mul(step)), new State(s.count() + 1, trace));
    }
}
