package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.LinearOperator;
import dev.bilevel.autodiff.linalg.SolveResult;
import dev.bilevel.autodiff.linalg.SolveStatus;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The implicit-differentiation kernel: the hypergradient at an inner solution θ* from the
 * optimality condition alone, without differentiating through the inner solver.
 *
 * <p><b>Invariant.</b> If G(λ, θ*(λ)) = 0 and ∂G/∂θ is invertible at (λ, θ*), the implicit
 * function theorem gives dθ*(λ)/dλ = −(∂G/∂θ)⁻¹ ∂G/∂λ, hence
 *
 * <pre>
 *   dF/dλ = ∂F/∂λ − (∂G/∂λ)ᵀ u,      where   (∂G/∂θ)ᵀ u = ∂F/∂θ      (the adjoint system)
 * </pre>
 *
 * (Pedregosa, "Hyperparameter optimization with approximate gradient", ICML 2016; Lorraine, Vicol
 * &amp; Duvenaud, "Optimizing millions of hyperparameters by implicit differentiation", AISTATS
 * 2020; Blondel et al., "Efficient and modular implicit differentiation", NeurIPS 2022, eq. 2–4).
 * The kernel is three steps, all at the fixed point (λ, θ*):
 *
 * <ol>
 *   <li>record G(λ, θ*) once (for stationarity, G = ∂f/∂θ with {@code createGraph}); its VJP in θ,
 *       v ↦ (∂G/∂θ)ᵀ v, is the matvec of the adjoint system (a Hessian-vector product when G is a
 *       gradient), so no Jacobian is formed;</li>
 *   <li>solve (∂G/∂θ)ᵀ u = ∂F/∂θ with the chosen {@link LinearSolver} (CG, normal-equation CG,
 *       Neumann, fixed-point iteration, or a dense solve for small θ);</li>
 *   <li>the second VJP, (∂G/∂λ)ᵀ u, against the same recorded G, subtracted from the direct term
 *       ∂F/∂λ.</li>
 * </ol>
 *
 * <p>The formula is exact only at a true root: the returned {@link Diagnostics} carry ‖G(λ, θ̂)‖
 * and the adjoint solve's residual, iterations and status, and a warning when either misses its
 * tolerance or CG meets non-positive curvature (∂G/∂θ not positive definite, so θ̂ need not be a
 * minimum). A non-finite value anywhere throws {@link NonFiniteHypergradientException}.
 *
 * <pre>{@code
 * // iMAML (Rajeswaran et al. 2019): f(θ, φ) = L_S(φ) + (reg/2)‖φ − θ‖², F(θ, φ) = L_Q(φ)
 * Params phiStar = adapt(theta);                       // any inner solver, no graph kept
 * Hypergradient h = ImplicitDiff.hypergradient(InnerProblem.minimize(f), queryLoss,
 *         theta, phiStar, LinearSolver.cg(SolverOptions.defaults().withMaxIterations(20)), null, 1e-4);
 * Params metaGrad = h.value();
 * }</pre>
 */
@SuppressWarnings("try") // mode scopes are opened for their effect on the thread
public final class ImplicitDiff {
    /** The default tolerance on ‖G(λ, θ̂)‖ above which a warning is raised. */
    public static final double DEFAULT_INNER_TOLERANCE = 1e-6;

    private ImplicitDiff() {}

    /**
     * The implicit hypergradient with the default inner tolerance and no warm start; see
     * {@link #hypergradient(InnerProblem, Objective, Params, Params, LinearSolver, Tensor, double)}.
     */
    public static Hypergradient hypergradient(InnerProblem inner, Objective outer, Params lambda, Params thetaStar,
            LinearSolver solver) {
        return hypergradient(inner, outer, lambda, thetaStar, solver, null, DEFAULT_INNER_TOLERANCE);
    }

    /**
     * dF/dλ at (λ, θ̂) by implicit differentiation.
     *
     * @param inner          the inner problem; only its optimality condition is read
     * @param outer          F(λ, θ)
     * @param lambda         λ (values read; names and shapes define the result's)
     * @param thetaStar      the inner solution θ̂ (values read), computed by any solver
     * @param solver         the adjoint solver
     * @param warmStart      an initial adjoint u₀ in θ's flat layout (e.g. the previous outer step's
     *                       {@link Hypergradient#adjoint()}), or null
     * @param innerTolerance ‖G(λ, θ̂)‖ above this raises a warning in the diagnostics
     * @return dF/dλ, F(λ, θ̂), θ̂, the adjoint u and the diagnostics
     * @throws NonFiniteHypergradientException when θ̂, F, G or the result is not finite
     * @throws IllegalArgumentException when G is not shaped like θ or does not depend on θ
     */
    public static Hypergradient hypergradient(InnerProblem inner, Objective outer, Params lambda, Params thetaStar,
            LinearSolver solver, Tensor warmStart, double innerTolerance) {
        long start = System.nanoTime();
        Tensor thetaValues = thetaStar.flattenValues();
        requireFinite(thetaValues, "the inner solution θ̂");
        Variable lamFlat = Variable.leaf(lambda.flattenValues());
        Variable thFlat = Variable.leaf(thetaValues);
        Params lam = lambda.unflatten(lamFlat);
        Params th = thetaStar.unflatten(thFlat);

        Variable fValue;
        Variable g;
        try (ModeScope on = GradMode.enabled()) {
            fValue = outer.value(lam, th);
            g = inner.optimality().residual(inner.objective(), lam, th);
        }
        requireFinite(fValue.value(), "the outer objective F(λ, θ̂)");
        if (g.rank() != 1 || g.size() != thetaValues.size()) {
            throw new IllegalArgumentException("implicit: the optimality residual has shape " + g.shape()
                    + " but θ has " + thetaValues.size() + " elements");
        }
        requireFinite(g.value(), "the optimality residual G(λ, θ̂)");
        if (!g.requiresGrad()) {
            throw new IllegalArgumentException("implicit: the optimality residual does not depend on θ or λ");
        }
        long nodes = GraphSize.count(fValue, g);
        List<Variable> direct = Autodiff.grad(fValue, List.of(lamFlat, thFlat), false, true);
        double innerNorm = norm(g.value());

        Variable gFinal = g;
        LinearOperator adjointOperator = v -> Autodiff.vjp(gFinal, List.of(thFlat), v,
                v.requiresGrad() && GradMode.isEnabled(), true).get(0);
        Variable x0 = warmStart == null ? null : Variable.constant(warmStart.reshape(thetaValues.size()));
        SolveResult solve = solver.solve(adjointOperator, direct.get(1), x0);
        Variable u = solve.solution().detach();
        requireFinite(u.value(), "the adjoint solution u (solver " + solver.name() + ", status " + solve.status() + ")");
        Variable cross = Autodiff.vjp(g, List.of(lamFlat), u, false, true).get(0);
        Tensor value = direct.get(0).value().sub(cross.value());
        requireFinite(value, "the hypergradient");

        List<String> warnings = new ArrayList<>();
        if (!(innerNorm <= innerTolerance)) {
            warnings.add("inner solve not converged: ‖G(λ, θ̂)‖ = " + innerNorm + " > " + innerTolerance
                    + "; the implicit formula assumes an exact root");
        }
        if (solve.status() == SolveStatus.NON_POSITIVE_CURVATURE) {
            warnings.add("CG met non-positive curvature after " + solve.iterations()
                    + " iterations: ∂G/∂θ is not positive definite at θ̂ (not a strict minimum?); use normal-cg or dense");
        } else if (solve.status() != SolveStatus.CONVERGED) {
            warnings.add("adjoint solve (" + solver.name() + ") stopped with " + solve.status() + " after "
                    + solve.iterations() + " iterations, residual " + solve.residualNorm());
        }
        if (solver instanceof LinearSolver.Cg && !inner.optimality().symmetric()) {
            warnings.add("CG applied to a non-symmetric ∂G/∂θ; use normal-cg, fixed-point or dense");
        }
        Diagnostics d = new Diagnostics("implicit-" + solver.name(), null, innerNorm, 0, solve.residualNorm(),
                solve.iterations(), solve.status(), System.nanoTime() - start, nodes, warnings);
        return new Hypergradient(lambda.unflatten(value), fValue.item(), thetaStar.unflatten(thetaValues),
                u.value(), d);
    }

    /** ‖t‖₂. */
    static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toArray()) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** @throws NonFiniteHypergradientException naming {@code what} when t has a NaN or infinity */
    static void requireFinite(Tensor t, String what) {
        if (!t.isFinite()) {
            throw new NonFiniteHypergradientException(what + " is not finite");
        }
    }
}
