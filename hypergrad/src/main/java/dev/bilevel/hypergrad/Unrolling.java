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
        Tensor lamValues = lambda.flattenValues();
        at = at.detach().leaves();
        List<Variable> stepLambdas = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            Variable l = Variable.leaf(lamValues);
            stepLambdas.add(l);
            at = dyn.step(lambda.unflatten(l), at, true);
        }
        Variable lamOuter = Variable.leaf(lamValues);
        Variable fValue;
        try (ModeScope on = GradMode.enabled()) {
            fValue = p.outer().value(lambda.unflatten(lamOuter), at.theta());
        }
        long nodes = GraphSize.count(fValue);
        List<Variable> targets = new ArrayList<>(stepLambdas);
        targets.add(lamOuter);
        List<Variable> grads = Autodiff.grad(fValue, targets, false, true);
        Tensor sum = null;
        for (int t = k - 1; t >= 0; t--) {
            sum = accumulate(sum, grads.get(t));
        }
        sum = accumulate(sum, grads.get(k));
        return finish(p, dyn, lambda, at.theta(), sum, fValue, nodes, total, start, name);
    }

    /**
     * acc + c, or c when acc is null. Both unrolled estimators add the per-step contributions to
     * ∂/∂λ in this one order (last step first, the direct term ∂F/∂λ last), so that checkpointed
     * unrolling reproduces full unrolling bit for bit.
     */
    private static Tensor accumulate(Tensor acc, Variable c) {
        return acc == null ? c.value() : acc.add(c.value());
    }

    /**
     * The full unrolled hypergradient with O(T/c + c) stored states instead of O(T) graphs: a
     * forward pass without a graph stores the state at every c-th step; the backward pass
     * recomputes each segment with a graph, from the last to the first, and pulls the cotangent
     * of (θ, s) at the segment's end back to its start. Each step reads λ through its own leaf and
     * the per-step contributions are added in a fixed order (see {@link #accumulate}), so the result
     * equals full unrolling exactly: the same VJPs on the same recomputed values, summed in the
     * same order.
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

        Tensor lamValues = lambda.flattenValues();
        Variable lamOuter = Variable.leaf(lamValues);
        Variable thLeaf = Variable.leaf(thetaT.flattenValues());
        Variable fValue;
        try (ModeScope on = GradMode.enabled()) {
            fValue = p.outer().value(lambda.unflatten(lamOuter), thetaT.unflatten(thLeaf));
        }
        long peak = GraphSize.count(fValue);
        List<Variable> direct = Autodiff.grad(fValue, List.of(lamOuter, thLeaf), false, true);
        List<Variable> cot = new ArrayList<>(thetaT.unflatten(direct.get(1).detach()).values());
        Tensor sum = null;
        for (int seg = checkpoints.size() - 1; seg >= 0; seg--) {
            Dynamics.Point from = checkpoints.get(seg).leaves();
            int steps = Math.min(c, total - seg * c);
            List<Variable> stepLambdas = new ArrayList<>(steps);
            Dynamics.Point end = from;
            for (int t = 0; t < steps; t++) {
                Variable l = Variable.leaf(lamValues);
                stepLambdas.add(l);
                end = dyn.step(lambda.unflatten(l), end, true);
            }
            List<Variable> outs = end.variables();
            Variable pairing = null;
            try (ModeScope on = GradMode.enabled()) {
                for (int i = 0; i < outs.size() && i < cot.size(); i++) {
                    Variable term = outs.get(i).mul(cot.get(i)).sum();
                    pairing = pairing == null ? term : pairing.add(term);
                }
            }
            List<Variable> targets = new ArrayList<>(stepLambdas);
            targets.addAll(from.variables());
            peak = Math.max(peak, GraphSize.count(pairing));
            List<Variable> grads = Autodiff.grad(pairing, targets, false, true);
            for (int t = steps - 1; t >= 0; t--) {
                sum = accumulate(sum, grads.get(t));
            }
            cot = new ArrayList<>(grads.subList(steps, grads.size()));
        }
        sum = accumulate(sum, direct.get(0));
        return finish(p, dyn, lambda, thetaT, sum, fValue, peak, total, start, name);
    }

    private static Hypergradient finish(BilevelProblem p, Dynamics dyn, Params lambda, Params thetaT, Tensor g,
            Variable fValue, long nodes, int total, long start, String name) {
        ImplicitDiff.requireFinite(fValue.value(), "the outer objective F(λ, θ_T)");
        ImplicitDiff.requireFinite(g, "the hypergradient");
        double residual = dyn.residualNorm(lambda, thetaT);
        Diagnostics d = new Diagnostics(name, null, residual, total, Double.NaN, 0, null,
                System.nanoTime() - start, nodes, List.of());
        return new Hypergradient(lambda.unflatten(g), fValue.item(), thetaT.detach(), null, d);
    }
}
