package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Batch normalization with explicit running statistics (Ioffe &amp; Szegedy, "Batch
 * Normalization: accelerating deep network training by reducing internal covariate shift", ICML
 * 2015, Algorithm 1). Input {@code [N, C, …]}, statistics per channel (axis 1), over all other
 * axes (m = N·H·W… values per channel):
 *
 * <pre>
 *   train:  μ = mean(x),  σ² = mean((x − μ)²),   y = γ·(x − μ)/√(σ² + ε) + β
 *           running mean ← (1 − m)·running mean + m·μ
 *           running var  ← (1 − m)·running var  + m·σ²·M/(M − 1)     (unbiased, as PyTorch)
 *   eval:   y = γ·(x − running mean)/√(running var + ε) + β
 * </pre>
 *
 * with m the momentum. In training mode the gradient flows through μ and σ² (they are functions of
 * the batch), so second derivatives are those of the full normalization.
 *
 * <p><b>Pure.</b> The running statistics are a {@link State} value passed in and returned, never
 * mutated; a caller that discards the returned state (e.g. in a MAML inner loop that must not
 * leak) simply keeps the old one. Parameters {@code prefix + "weight"} (γ, ones) and
 * {@code prefix + "bias"} (β, zeros), both of shape {@code [C]}.
 *
 * <p><b>Per-step statistics.</b> With {@code steps > 1} the state holds one set of running
 * statistics per inner-loop step and {@link #apply(Params, State, Variable, boolean, int)} uses
 * and updates set {@code step} only: MAML++'s per-step batch-norm running statistics (BNRS;
 * Antoniou, Edwards &amp; Storkey, "How to train your MAML", ICLR 2019, §4).
 *
 * <pre>{@code
 * BatchNorm bn = BatchNorm.of(64);
 * Params p = bn.init(rng);
 * BatchNorm.State s = bn.initialState();
 * BatchNorm.Output o = bn.apply(p, s, x, true, 0);   // o.y(), o.state() with updated statistics
 * }</pre>
 *
 * @param features C, the number of channels, &gt; 0
 * @param eps      ε added to the variance, &gt; 0
 * @param momentum m, in [0, 1]
 * @param steps    number of sets of running statistics (1, or the number of inner steps for BNRS)
 * @param prefix   prepended to the parameter names
 */
public record BatchNorm(int features, double eps, double momentum, int steps, String prefix) {

    /** Validates the fields. */
    public BatchNorm {
        if (features <= 0 || !(eps > 0) || !(momentum >= 0 && momentum <= 1) || steps <= 0 || prefix == null) {
            throw new IllegalArgumentException("BatchNorm: invalid features " + features + ", eps " + eps
                    + ", momentum " + momentum + ", steps " + steps);
        }
    }

    /** C channels, ε = 1e-5, momentum 0.1 (PyTorch's defaults), one set of statistics. */
    public static BatchNorm of(int features) {
        return new BatchNorm(features, 1e-5, 0.1, 1, "");
    }

    /** This layer with {@code n} sets of running statistics, one per inner step (MAML++ BNRS). */
    public BatchNorm perStep(int n) {
        return new BatchNorm(features, eps, momentum, n, prefix);
    }

    /** This layer with parameter names starting with {@code newPrefix}. */
    public BatchNorm withPrefix(String newPrefix) {
        return new BatchNorm(features, eps, momentum, steps, newPrefix);
    }

    /**
     * Running statistics, one entry per step, each of shape {@code [C]}.
     *
     * @param means running means
     * @param vars  running (unbiased) variances
     */
    public record State(List<Tensor> means, List<Tensor> vars) {
        /** Copies the lists and checks they have equal length. */
        public State {
            means = List.copyOf(means);
            vars = List.copyOf(vars);
            if (means.size() != vars.size()) {
                throw new IllegalArgumentException("State: " + means.size() + " means but " + vars.size() + " vars");
            }
        }
    }

    /**
     * The output of one application.
     *
     * @param y     the normalized input, the same shape as x
     * @param state the state after this application (the input state in eval mode)
     */
    public record Output(Variable y, State state) {}

    /** γ = 1 and β = 0, as leaves; draws nothing from {@code rng}. */
    public Params init(Rng rng) {
        return Params.empty()
                .with(prefix + "weight", Variable.leaf(Tensor.ones(features)))
                .with(prefix + "bias", Variable.leaf(Tensor.zeros(features)));
    }

    /** Running means 0 and variances 1 for each step. */
    public State initialState() {
        List<Tensor> m = new ArrayList<>();
        List<Tensor> v = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            m.add(Tensor.zeros(features));
            v.add(Tensor.ones(features));
        }
        return new State(m, v);
    }

    /** {@link #apply(Params, State, Variable, boolean, int)} with step 0. */
    public Output apply(Params params, State state, Variable x, boolean training) {
        return apply(params, state, x, training, 0);
    }

    /**
     * Normalizes {@code x} with batch statistics ({@code training}) or with the running statistics
     * of {@code step} (eval); see the class comment.
     *
     * @param params   γ and β under this layer's names
     * @param state    the running statistics
     * @param x        input of shape {@code [N, C, …]}
     * @param training batch statistics and a state update when true; running statistics when false
     * @param step     which set of statistics, in {@code [0, steps)}
     * @return y and the new state
     * @throws IllegalArgumentException on a shape that does not have C channels on axis 1, a step
     *                                  out of range, or a batch of one value per channel in training
     */
    public Output apply(Params params, State state, Variable x, boolean training, int step) {
        if (x.rank() < 2 || x.shape().dim(1) != features) {
            throw new IllegalArgumentException("BatchNorm(" + features + "): input shape " + x.shape()
                    + " needs " + features + " channels on axis 1");
        }
        if (step < 0 || step >= state.means().size()) {
            throw new IllegalArgumentException("BatchNorm: step " + step + " outside [0, "
                    + state.means().size() + ")");
        }
        Shape channel = channelShape(x.rank());
        Variable gamma = params.get(prefix + "weight").reshape(channel);
        Variable beta = params.get(prefix + "bias").reshape(channel);
        if (!training) {
            Variable mean = Variable.constant(state.means().get(step).reshape(channel));
            Variable std = Variable.constant(state.vars().get(step).add(eps).sqrt().reshape(channel));
            return new Output(x.sub(mean).div(std).mul(gamma).add(beta), state);
        }
        int[] axes = reducedAxes(x.rank());
        int count = x.size() / features;
        if (count < 2) {
            throw new IllegalArgumentException("BatchNorm: training needs more than one value per channel, input shape "
                    + x.shape());
        }
        Variable mean = x.mean(axes, true);
        Variable centered = x.sub(mean);
        Variable var = centered.square().mean(axes, true);
        Variable y = centered.div(var.add(eps).sqrt()).mul(gamma).add(beta);
        Tensor batchMean = mean.value().reshape(features);
        Tensor batchVar = var.value().reshape(features).mul(count / (count - 1.0));
        List<Tensor> means = new ArrayList<>(state.means());
        List<Tensor> vars = new ArrayList<>(state.vars());
        means.set(step, means.get(step).mul(1 - momentum).add(batchMean.mul(momentum)));
        vars.set(step, vars.get(step).mul(1 - momentum).add(batchVar.mul(momentum)));
        return new Output(y, new State(means, vars));
    }

    private Shape channelShape(int rank) {
        int[] d = new int[rank - 1];
        d[0] = features;
        for (int i = 1; i < d.length; i++) {
            d[i] = 1;
        }
        return Shape.of(d);
    }

    private static int[] reducedAxes(int rank) {
        int[] a = new int[rank - 1];
        a[0] = 0;
        for (int i = 2; i < rank; i++) {
            a[i - 1] = i;
        }
        return a;
    }
}
