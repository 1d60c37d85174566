package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.BatchNormReluPool;
import dev.bilevel.tensor.Tensor;

/**
 * Batch normalization with batch statistics, ReLU and max-pooling of inputs (h, γ, β), fused; the
 * math and the three VJPs are in {@link BatchNormReluPool}, whose plan (statistics of this h and
 * window positions) the primitive holds.
 *
 * <p>Two ways to take a VJP. When the backward pass is not recorded (first derivatives, the common
 * case) the plan's kernels compute it in one pass, as constants. When it is recorded (gradients of
 * gradients, e.g. second-order MAML) the same formula is written in {@link Variable} operations of
 * (h, γ, g), with μ and σ² recomputed from h so that their dependence on h is recorded, and the
 * terms the three cotangents share (ḡ, A, μ, σ, B) are recorded once for all three; the ReLU
 * mask and the window positions are constants there, as in {@code relu} and {@code maxPool2d}
 * (their derivatives are zero almost everywhere).
 *
 * @param plan the statistics and window positions of the input this node was applied to
 */
public record BatchNormReluPoolPrimitive(BatchNormReluPool plan) implements NaryPrimitive {
    private static final int[] AXES = {0, 2, 3};

    @Override
    public String opName() {
        return "batchNormReluPool";
    }

    @Override
    public Tensor forward(Tensor[] xs) {
        return plan.forward(xs[0], xs[1], xs[2]);
    }

    @Override
    public Variable vjp(int i, Variable[] xs, Variable out, Variable g) {
        boolean[] needed = new boolean[3];
        needed[i] = true;
        return vjps(needed, xs, out, g)[i];
    }

    /**
     * The needed cotangents: in one pass each from the plan's kernels when the backward pass is
     * not recorded, else as recorded operations that share their common terms (see the class
     * comment).
     */
    @Override
    public Variable[] vjps(boolean[] needed, Variable[] xs, Variable out, Variable g) {
        Variable[] cotangents = new Variable[3];
        if (!GradMode.isEnabled()) {
            Tensor h = xs[0].value();
            cotangents[0] = needed[0] ? Variable.constant(plan.inputGrad(h, xs[1].value(), out.value(), g.value())) : null;
            cotangents[1] = needed[1] ? Variable.constant(plan.gammaGrad(out.value(), g.value())) : null;
            cotangents[2] = needed[2] ? Variable.constant(plan.betaGrad(out.value(), g.value())) : null;
            return cotangents;
        }
        Variable h = xs[0];
        int c = h.shape().dim(1);
        int k = plan.statRows();
        int[] positions = plan.positions();
        Variable passed = g.mul(Variable.constant(out.value().gt(0.0)));                     // ḡ
        Variable a = passed.sum(AXES, true);                                                  // A, [1, C, 1, 1]
        cotangents[2] = needed[2] ? a.reshape(c) : null;
        if (!needed[0] && !needed[1]) {
            return cotangents;
        }
        Variable stats = k == h.shape().dim(0) ? h : h.slice(0, 0, k);
        Variable mu = stats.mean(AXES, true);
        Variable centered = stats.sub(mu);
        Variable sd = centered.square().mean(AXES, true).add(plan.eps()).sqrt();
        Variable b = passed.mul(h.takeFlat(positions, out.shape()).sub(mu).div(sd)).sum(AXES, true);   // B
        cotangents[1] = needed[1] ? b.reshape(c) : null;
        if (needed[0]) {
            // s·γ·(ḡ − (A + x̂·B)/m), with the per-channel factors combined before they meet the full map.
            Variable scale = xs[1].reshape(1, c, 1, 1).div(sd);                              // s·γ
            Variable direct = passed.mul(scale).scatterFlat(positions, h.shape());
            double m = (double) k * h.shape().dim(2) * h.shape().dim(3);
            Variable correction = centered.mul(b.mul(scale).div(sd.mul(m))).add(a.mul(scale).div(m));
            if (k < h.shape().dim(0)) {
                correction = correction.unslice(h.shape(), 0, 0, 1);
            }
            cotangents[0] = direct.sub(correction);
        }
        return cotangents;
    }
}
