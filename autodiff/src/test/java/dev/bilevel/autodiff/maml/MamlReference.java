package dev.bilevel.autodiff.maml;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.nn.Mlp;

/**
 * The MAML meta-objective of Finn et al. 2017 written directly on the autodiff core:
 * φ₀ = θ, φₖ₊₁ = φₖ − α·∇L_S(φₖ), F(θ) = L_Q(φ_K), with mean-squared-error losses. Second order
 * records the inner gradients (createGraph) so that dF/dθ includes the Hessian terms; first order
 * treats them as constants.
 */
final class MamlReference {
    private MamlReference() {}

    static Variable supportLoss(Mlp net, Params phi, Sinusoid task) {
        return Losses.mse(net.apply(phi, Variable.constant(task.xs())), Variable.constant(task.ys()));
    }

    static Variable queryLoss(Mlp net, Params phi, Sinusoid task) {
        return Losses.mse(net.apply(phi, Variable.constant(task.xq())), Variable.constant(task.yq()));
    }

    /** φ_K after {@code steps} inner SGD steps of size {@code alpha}. */
    static Params adapt(Mlp net, Params theta, Sinusoid task, int steps, double alpha, boolean secondOrder) {
        Params phi = theta;
        for (int k = 0; k < steps; k++) {
            Params g = Autodiff.grad(supportLoss(net, phi, task), phi, secondOrder, false);
            phi = phi.zip(g, (p, d) -> p.sub(d.mul(alpha)));
        }
        return phi;
    }

    /** F(θ) = L_Q(φ_K(θ)). */
    static Variable metaObjective(Mlp net, Params theta, Sinusoid task, int steps, double alpha,
            boolean secondOrder) {
        return queryLoss(net, adapt(net, theta, task, steps, alpha, secondOrder), task);
    }

    /** dF/dθ, second or first order, as constants. */
    static Params metaGradient(Mlp net, Params theta, Sinusoid task, int steps, double alpha, boolean secondOrder) {
        return Autodiff.grad(metaObjective(net, theta, task, steps, alpha, secondOrder), theta, false, false);
    }
}
