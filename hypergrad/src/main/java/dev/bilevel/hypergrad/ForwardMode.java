package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Forward-mode (real-time) hypergradients (Franceschi, Donini, Frasconi &amp; Pontil, "Forward and
 * reverse gradient-based hyperparameter optimization", ICML 2017, §2.2, RTHO): with the inner
 * state zₜ = (θₜ, sₜ) and one step zₜ₊₁ = Φ(λ, zₜ), the tangents Zₜ = dzₜ/dλ follow
 *
 * <pre>
 *   Zₜ₊₁ = Aₜ Zₜ + Bₜ,   Aₜ = ∂Φ/∂z,  Bₜ = ∂Φ/∂λ,   Z₀ = 0,
 *   dF/dλ = ∂F/∂λ + Z_θ,Tᵀ ∂F/∂θ_T.
 * </pre>
 *
 * Each column j of Aₜ Zₜ + Bₜ is one Jacobian-vector product of Φ in the direction (eⱼ, Zₜ eⱼ),
 * which for a gradient step contains a Hessian-vector product and a mixed second derivative. The
 * products come from one recorded step and the double-VJP trick (u ↦ Jᵀu is linear, so
 * J·v = ∂⟨Jᵀu, v⟩/∂u): one forward and one recorded backward pass per step, plus one backward pass
 * per hyperparameter. Memory is O(dim z · dim λ), independent of T: suited to few hyperparameters
 * and long inner runs.
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread
final class ForwardMode {
    private ForwardMode() {}

    static Hypergradient compute(BilevelProblem p, Params lambda, Params theta0, String name) {
        long start = System.nanoTime();
        Dynamics dyn = Dynamics.of(p, name);
        int nl = lambda.numel();
        Dynamics.Point at = new Dynamics.Point(theta0.detach(), dyn.init(theta0));
        List<Tensor[]> tangents = null; // per λ-direction j, one tangent per variable of z
        long peak = 0;
        for (int t = 0; t < dyn.steps(); t++) {
            Variable lamFlat = Variable.leaf(lambda.flattenValues());
            Dynamics.Point from = at.detach().leaves();
            List<Variable> inputs = from.variables();
            Dynamics.Point next = dyn.step(lambda.unflatten(lamFlat), from, true);
            List<Variable> outs = next.variables();
            List<Variable> cots = new ArrayList<>();
            List<Variable> targets = new ArrayList<>();
            targets.add(lamFlat);
            targets.addAll(inputs);
            Variable pairing = null;
            try (ModeScope on = GradMode.enabled()) {
                for (Variable o : outs) {
                    Variable u = Variable.leaf(Tensor.zeros(o.shape()));
                    cots.add(u);
                    Variable term = o.mul(u).sum();
                    pairing = pairing == null ? term : pairing.add(term);
                }
            }
            // Jᵀu for the stacked cotangent u, recorded so that it is linear in u and differentiable in it.
            List<Variable> jtu = Autodiff.grad(pairing, targets, true, true);
            peak = Math.max(peak, GraphSize.count(jtu.toArray(new Variable[0])));
            List<Tensor[]> nextTangents = new ArrayList<>(nl);
            for (int j = 0; j < nl; j++) {
                Variable dot;
                try (ModeScope on = GradMode.enabled()) {
                    double[] e = new double[nl];
                    e[j] = 1;
                    dot = jtu.get(0).mul(Variable.constant(Tensor.of(e, nl))).sum();
                    if (tangents != null) {
                        Tensor[] z = tangents.get(j);
                        for (int i = 0; i < inputs.size(); i++) {
                            dot = dot.add(jtu.get(i + 1).mul(Variable.constant(z[i])).sum());
                        }
                    }
                }
                List<Variable> jv = Autodiff.grad(dot, cots, false, true);
                Tensor[] col = new Tensor[outs.size()];
                for (int i = 0; i < col.length; i++) {
                    col[i] = jv.get(i).value();
                }
                nextTangents.add(col);
            }
            tangents = nextTangents;
            at = next.detach();
        }
        Params thetaT = at.theta();
        Variable lamFlat = Variable.leaf(lambda.flattenValues());
        Variable thLeaf = Variable.leaf(thetaT.flattenValues());
        Variable fValue;
        try (ModeScope on = GradMode.enabled()) {
            fValue = p.outer().value(lambda.unflatten(lamFlat), thetaT.unflatten(thLeaf));
        }
        List<Variable> direct = Autodiff.grad(fValue, List.of(lamFlat, thLeaf), false, true);
        double[] g = direct.get(0).value().toArray();
        double[] dFdTheta = direct.get(1).value().toArray();
        int nTheta = thetaT.size();
        for (int j = 0; j < nl && tangents != null; j++) {
            Tensor[] z = tangents.get(j);
            double s = 0;
            int off = 0;
            for (int i = 0; i < nTheta; i++) {
                double[] zi = z[i].toArray();
                for (int k = 0; k < zi.length; k++) {
                    s += zi[k] * dFdTheta[off + k];
                }
                off += zi.length;
            }
            g[j] += s;
        }
        Tensor value = Tensor.of(g, nl);
        ImplicitDiff.requireFinite(value, "the forward-mode hypergradient");
        ImplicitDiff.requireFinite(fValue.value(), "the outer objective F(λ, θ_T)");
        Diagnostics d = new Diagnostics(name, null, dyn.residualNorm(lambda, thetaT), dyn.steps(), Double.NaN, 0, null,
                System.nanoTime() - start, peak, List.of());
        return new Hypergradient(lambda.unflatten(value), fValue.item(), thetaT, null, d);
    }
}
