package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode differentiation through the inner iterations θₜ₊₁ = Φ(λ, θₜ, sₜ): the full unrolled
 * solve, its last K steps only, and checkpointed unrolling (Maclaurin, Duvenaud &amp; Adams,
 * ICML 2015; Franceschi et al., "Forward and reverse gradient-based hyperparameter optimization",
 * ICML 2017, §2.1; Shaban et al., "Truncated back-propagation for bilevel optimization",
 * AISTATS 2019; Griewank &amp; Walther 2008, ch. 12 for checkpointing).
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread
final class Unrolling {
    private Unrolling() {}

    /**
     * dF(λ, θ_T(λ))/dλ through the last {@code lastSteps} steps (all T when {@code lastSteps ≥ T}); the
     * first T − K steps run without a graph and θ_{T−K} is treated as independent of λ.
     */
    static Hypergradient reverse(BilevelProblem p, Params lambda, Params theta0, int lastSteps, String name) {
        long start = System.nanoTime();
        Dynamics dyn = Dynamics.of(p, name);
        int total = dyn.steps();
        int k = Math.min(lastSteps, total);
        Dynamics.Point at = new Dynamics.Point(theta0.detach(), dyn.init(theta0));
        Params lamConst = lambda.detach();
        for (int t = 0; t < total - k; t++) {
            at = dyn.step(lamConst, at, false);
        }
        Variable lamFlat = Variable.leaf(lambda.flattenValues());
        Params lam = lambda.unflatten(lamFlat);
        at = at.detach().leaves();
        for (int t = 0; t < k; t++) {
            at = dyn.step(lam, at, true);
        }
        Variable fValue;
        try (ModeScope on = GradMode.enabled()) {
            fValue = p.outer().value(lam, at.theta());
        }
        long nodes = GraphSize.count(fValue);
        Variable g = Autodiff.grad(fValue, List.of(lamFlat), false, true).get(0);
        return finish(p, dyn, lambda, at.theta(), g, fValue, nodes, total, start, name);
    }

    /**
     * The full unrolled hypergradient with O(T/c + c) stored states instead of O(T) graphs: a
     * forward pass without a graph stores the state at every c-th step; the backward pass
     * recomputes each segment with a graph, from the last to the first, and pulls the cotangent
     * of (θ, s) at the segment's end back to its start. The result is the full reverse-mode
     * hypergradient, up to the order in which the per-segment contributions to ∂/∂λ are added.
     *
     * @param segment the segment length c, or ≤ 0 for ⌈√T⌉
     */
    static Hypergradient checkpointed(BilevelProblem p, Params lambda, Params theta0, int segment, String name) {
        long start = System.nanoTime();
        Dynamics dyn = Dynamics.of(p, name);
        int total = dyn.steps();
        int c = segment > 0 ? segment : (int) Math.ceil(Math.sqrt(total));
        Params lamConst = lambda.detach();
        List<Dynamics.Point> checkpoints = new ArrayList<>();
        Dynamics.Point at = new Dynamics.Point(theta0.detach(), dyn.init(theta0));
        for (int t = 0; t < total; t++) {
            if (t % c == 0) {
                checkpoints.add(at.detach());
            }
            at = dyn.step(lamConst, at, false);
        }
        Params thetaT = at.theta().detach();

        Variable lamFlat = Variable.leaf(lambda.flattenValues());
        Params lam = lambda.unflatten(lamFlat);
        Variable thLeaf = Variable.leaf(thetaT.flattenValues());
        Variable fValue;
        try (ModeScope on = GradMode.enabled()) {
            fValue = p.outer().value(lam, thetaT.unflatten(thLeaf));
        }
        long peak = GraphSize.count(fValue);
        List<Variable> direct = Autodiff.grad(fValue, List.of(lamFlat, thLeaf), false, true);
        Variable lamCot = direct.get(0);
        List<Variable> cot = new ArrayList<>(thetaT.unflatten(direct.get(1).detach()).values());
        for (int seg = checkpoints.size() - 1; seg >= 0; seg--) {
            Dynamics.Point from = checkpoints.get(seg).leaves();
            int steps = Math.min(c, total - seg * c);
            Variable segLam = Variable.leaf(lambda.flattenValues());
            Params segLamP = lambda.unflatten(segLam);
            Dynamics.Point end = from;
            for (int t = 0; t < steps; t++) {
                end = dyn.step(segLamP, end, true);
            }
            List<Variable> outs = end.variables();
            Variable pairing = null;
            try (ModeScope on = GradMode.enabled()) {
                for (int i = 0; i < outs.size(); i++) {
                    Variable ci = i < cot.size() && cot.get(i) != null ? cot.get(i) : null;
                    if (ci == null) {
                        continue;
                    }
                    Variable term = outs.get(i).mul(ci).sum();
                    pairing = pairing == null ? term : pairing.add(term);
                }
            }
            List<Variable> targets = new ArrayList<>();
            targets.add(segLam);
            List<Variable> fromVars = from.variables();
            targets.addAll(fromVars);
            peak = Math.max(peak, GraphSize.count(pairing));
            List<Variable> grads = Autodiff.grad(pairing, targets, false, true);
            lamCot = lamCot.add(grads.get(0));
            cot = new ArrayList<>(grads.subList(1, grads.size()));
        }
        return finish(p, dyn, lambda, thetaT, lamCot, fValue, peak, total, start, name);
    }

    private static Hypergradient finish(BilevelProblem p, Dynamics dyn, Params lambda, Params thetaT, Variable g,
            Variable fValue, long nodes, int total, long start, String name) {
        ImplicitDiff.requireFinite(fValue.value(), "the outer objective F(λ, θ_T)");
        ImplicitDiff.requireFinite(g.value(), "the hypergradient");
        double residual = dyn.residualNorm(lambda, thetaT);
        Diagnostics d = new Diagnostics(name, null, residual, total, Double.NaN, 0, null,
                System.nanoTime() - start, nodes, List.of());
        return new Hypergradient(lambda.unflatten(g.value()), fValue.item(), thetaT.detach(), null, d);
    }
}
