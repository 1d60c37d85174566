package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;

/**
 * Adam (Kingma &amp; Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1)
 * and AdamW, its decoupled weight decay (Loshchilov &amp; Hutter, "Decoupled weight decay
 * regularization", ICLR 2019):
 *
 * <pre>
 *   m ← β₁m + (1 − β₁)g,    v ← β₂v + (1 − β₂)g²,    t ← t + 1
 *   m̂ = m / (1 − β₁ᵗ),     v̂ = v / (1 − β₂ᵗ)
 *   u = −η(t − 1)·( m̂ / (√(v̂ + ε_root) + ε) + λ·θ )
 * </pre>
 *
 * with λ = 0 for Adam. This is optax's {@code adam}/{@code adamw} and gives PyTorch's
 * {@code Adam}/{@code AdamW} parameters (PyTorch multiplies θ by 1 − ηλ before the Adam step,
 * which is the same sum).
 *
 * <p><b>Second derivatives at a zero gradient.</b> When a coordinate's gradient has been exactly
 * zero since the start, v = 0 and the derivative of √v is infinite, so a naive implementation
 * returns NaN second derivatives (∞·0) through the step, which ruins hypergradients of unrolled
 * training and second-order meta-learning. Here √· is evaluated so that its derivative at 0 is
 * taken as 0 (see {@code SafeSqrt}): values are exactly √v, so with ε_root = 0 (the default)
 * the updates are the textbook ones, and derivatives of every order stay finite. As in optax, a
 * positive ε_root (e.g. 1e-16) may be given instead to smooth √ near 0; it changes the update by
 * O(ε_root / √v̂).
 *
 * <p>Build it with {@link Optimizers#adam} or {@link Optimizers#adamw}.
 */
public final class Adam implements Optimizer {
    private final Schedule learningRate;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double epsRoot;
    private final double weightDecay;

    /**
     * @param learningRate η(t)
     * @param beta1        β₁ ∈ [0, 1), decay of the first moment
     * @param beta2        β₂ ∈ [0, 1), decay of the second moment
     * @param eps          ε ≥ 0, added to the root
     * @param epsRoot      ε_root ≥ 0, added under the root
     * @param weightDecay  λ ≥ 0, decoupled weight decay (0 for Adam)
     * @throws IllegalArgumentException naming the first argument out of range
     */
    Adam(Schedule learningRate, double beta1, double beta2, double eps, double epsRoot, double weightDecay) {
        requireRange("beta1", beta1, true);
        requireRange("beta2", beta2, true);
        requireRange("eps", eps, false);
        requireRange("epsRoot", epsRoot, false);
        requireRange("weightDecay", weightDecay, false);
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.epsRoot = epsRoot;
        this.weightDecay = weightDecay;
    }

    /**
     * The state of {@link Adam}.
     *
     * @param count the number of steps taken, t
     * @param mu    the first-moment estimate m (biased)
     * @param nu    the second-moment estimate v (biased)
     */
    public record State(long count, Params mu, Params nu) implements Optimizer.State {}

    /** Count 0 and zero moments shaped like each parameter. */
    @Override
    public State init(Params params) {
        Params zeros = Optimizers.zerosLike(params);
        return new State(0, zeros, zeros);
    }

    /**
     * One Adam (or AdamW) step; see the class comment.
     *
     * @throws IllegalArgumentException when weight decay is set and {@code params} is null
     */
    @Override
    public Update update(Params grads, Optimizer.State state, Params params) {
        State s = Optimizers.cast(state, State.class, weightDecay == 0 ? "adam" : "adamw");
        long t = s.count() + 1;
        Params mu = s.mu().zip(grads, (m, g) -> m.mul(beta1).add(g.mul(1 - beta1)));
        Params nu = s.nu().zip(grads, (v, g) -> v.mul(beta2).add(g.square().mul(1 - beta2)));
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        Params direction = mu.zip(nu, (m, v) -> {
            Variable vHat = v.div(c2);
            return m.div(c1).div(SafeSqrt.of(epsRoot == 0 ? vHat : vHat.add(epsRoot)).add(eps));
        });
        if (weightDecay != 0) {
            if (params == null) {
                throw new IllegalArgumentException("adamw: weight decay needs the parameters, got null");
            }
            direction = direction.zip(params, (d, p) -> d.add(p.mul(weightDecay)));
        }
        Variable step = learningRate.at(s.count()).neg();
        return new Update(direction.map(d -> d.mul(step)), new State(t, mu, nu));
    }

    private static void requireRange(String name, double x, boolean belowOne) {
        if (!(x >= 0) || belowOne && !(x < 1) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("adam: " + name + " must be in [0, " + (belowOne ? "1)" : "∞)")
                    + ", got " + x);
        }
    }
}
