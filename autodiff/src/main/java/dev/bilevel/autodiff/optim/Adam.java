package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

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
 * <p>When nothing is to be differentiated (gradients disabled, or no input requiring gradients)
 * and every moment has its gradient's shape, the step is one fused loop per parameter on plain
 * arrays, with the same floating-point operations in the same order as the recorded path, hence
 * the same bits.
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
        if (weightDecay != 0 && params == null) {
            throw new IllegalArgumentException("adamw: weight decay needs the parameters, got null");
        }
        long t = s.count() + 1;
        Variable lr = learningRate.at(s.count());
        if (fusable(grads, s, lr, params)) {
            return fused(grads, s, lr.item(), params);
        }
        Params mu = s.mu().zip(grads, (m, g) -> m.mul(beta1).add(g.mul(1 - beta1)));
        Params nu = s.nu().zip(grads, (v, g) -> v.mul(beta2).add(g.square().mul(1 - beta2)));
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        Params direction = mu.zip(nu, (m, v) -> {
            Variable vHat = v.div(c2);
            return m.div(c1).div(SafeSqrt.of(epsRoot == 0 ? vHat : vHat.add(epsRoot)).add(eps));
        });
        if (weightDecay != 0) {
            direction = direction.zip(params, (d, p) -> d.add(p.mul(weightDecay)));
        }
        Variable step = lr.neg();
        return new Update(direction.map(d -> d.mul(step)), new State(t, mu, nu));
    }

    /** Whether {@link #fused} applies: nothing to record, and g, m, v (and θ for AdamW) alike in shape. */
    private boolean fusable(Params grads, State s, Variable lr, Params params) {
        boolean record = GradMode.isEnabled();
        if (record && lr.requiresGrad() || lr.size() != 1) {
            return false;
        }
        List<Variable> g = grads.values();
        List<Variable> m = s.mu().values();
        List<Variable> v = s.nu().values();
        List<Variable> p = weightDecay == 0 ? null : params.values();
        if (!grads.names().equals(s.mu().names()) || !grads.names().equals(s.nu().names())
                || p != null && !grads.names().equals(params.names())) {
            return false;
        }
        for (int i = 0; i < g.size(); i++) {
            if (!g.get(i).shape().equals(m.get(i).shape()) || !g.get(i).shape().equals(v.get(i).shape())
                    || p != null && !g.get(i).shape().equals(p.get(i).shape())) {
                return false;
            }
            if (record && (g.get(i).requiresGrad() || m.get(i).requiresGrad() || v.get(i).requiresGrad()
                    || p != null && p.get(i).requiresGrad())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The step of {@link #update} on plain arrays, elementwise: the recorded path's operations
     * (m·β₁ + g·(1 − β₁), v·β₂ + g²·(1 − β₂), (m/c₁)/(√(v/c₂ [+ ε_root]) + ε) [+ λθ], times −η),
     * in its order; √ of 0 is 0 there as here.
     */
    private Update fused(Params grads, State s, double lr, Params params) {
        long t = s.count() + 1;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double step = -lr;
        int n = grads.size();
        List<Variable> gs = grads.values();
        List<Variable> ms = s.mu().values();
        List<Variable> vs = s.nu().values();
        List<Variable> ps = weightDecay == 0 ? null : params.values();
        List<Variable> mus = new ArrayList<>(n);
        List<Variable> nus = new ArrayList<>(n);
        List<Variable> updates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tensor gt = gs.get(i).value();
            double[] g = gt.toArray();
            double[] m = ms.get(i).value().toArray();
            double[] v = vs.get(i).value().toArray();
            double[] p = ps == null ? null : ps.get(i).value().toArray();
            double[] u = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                double gj = g[j];
                double mj = m[j] * beta1 + gj * (1 - beta1);
                double vj = v[j] * beta2 + gj * gj * (1 - beta2);
                m[j] = mj;
                v[j] = vj;
                double vHat = vj / c2;
                double d = mj / c1 / (Math.sqrt(epsRoot == 0 ? vHat : vHat + epsRoot) + eps);
                u[j] = (p == null ? d : d + p[j] * weightDecay) * step;
            }
            mus.add(Variable.constant(Tensor.of(m, gt.shape())));
            nus.add(Variable.constant(Tensor.of(v, gt.shape())));
            updates.add(Variable.constant(Tensor.of(u, gt.shape())));
        }
        return new Update(Params.of(grads.names(), updates),
                new State(t, Params.of(grads.names(), mus), Params.of(grads.names(), nus)));
    }

    private static void requireRange(String name, double x, boolean belowOne) {
        if (!(x >= 0) || belowOne && !(x < 1) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("adam: " + name + " must be in [0, " + (belowOne ? "1)" : "∞)")
                    + ", got " + x);
        }
    }
}
