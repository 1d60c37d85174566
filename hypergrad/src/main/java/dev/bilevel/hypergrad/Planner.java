package dev.bilevel.hypergrad;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.linalg.SolverOptions;

/**
 * Picks a hypergradient estimator from the problem's size and a memory budget, following the
 * trade-offs of Franceschi et al. 2017 (reverse mode costs memory linear in T, forward mode
 * time linear in dim λ) and Griewank &amp; Walther 2008 (checkpointing trades a second forward
 * pass for O(√T) memory). The rules, in order:
 *
 * <ol>
 *   <li>no inner iterations to differentiate (a custom solver): implicit, with CG when ∂G/∂θ is
 *       symmetric, a dense solve when dim θ ≤ {@value #DENSE_LIMIT}, else normal-equation CG;</li>
 *   <li>T·B ≤ budget, with B the measured bytes of one recorded inner step: full unrolling (the
 *       exact gradient of the computation performed);</li>
 *   <li>⌈√T⌉·B + ⌈√T⌉·S ≤ budget, with S the bytes of a stored inner state: checkpointed unrolling
 *       (the same number, about twice the time);</li>
 *   <li>dim λ ≤ {@value #FORWARD_LIMIT} and 2B + dim λ·S ≤ budget: forward mode;</li>
 *   <li>a stationarity condition: implicit CG (one step's graph);</li>
 *   <li>otherwise truncated reverse mode over as many last steps as fit, at least one.</li>
 * </ol>
 */
public final class Planner {
    /** Above this many inner variables a dense adjoint solve is not considered. */
    public static final int DENSE_LIMIT = 2000;
    /** Above this many hyperparameters forward mode is not considered. */
    public static final int FORWARD_LIMIT = 16;

    private Planner() {}

    /**
     * A planned estimator.
     *
     * @param method the estimator
     * @param reason the rule and the sizes that chose it
     */
    public record Plan(HypergradientMethod method, String reason) {}

    /**
     * Chooses an estimator; probing one recorded inner step when the solver has steps.
     *
     * @param problem           the problem
     * @param lambda            λ
     * @param theta0            the inner start
     * @param memoryBudgetBytes the budget for graphs, stored states and tangents
     * @return the estimator and the reason
     */
    public static Plan plan(BilevelProblem problem, Params lambda, Params theta0, long memoryBudgetBytes) {
        int nTheta = theta0.numel();
        int nLambda = lambda.numel();
        boolean symmetric = problem.inner().optimality().symmetric();
        if (problem.solver() instanceof InnerSolver.Custom) {
            LinearSolver s = symmetric ? LinearSolver.cg(SolverOptions.defaults())
                    : nTheta <= DENSE_LIMIT ? new LinearSolver.Dense()
                    : new LinearSolver.NormalCg(SolverOptions.defaults());
            return new Plan(HypergradientMethod.implicit(s), "custom inner solver (no steps to differentiate), dim θ = "
                    + nTheta + (symmetric ? ", symmetric ∂G/∂θ" : ", non-symmetric ∂G/∂θ") + ": implicit-" + s.name());
        }
        Dynamics dyn = Dynamics.of(problem, "planner");
        Dynamics.Point start = new Dynamics.Point(theta0.detach(), dyn.init(theta0)).leaves();
        Params lam = lambda.detach().leaves();
        Dynamics.Point next = dyn.step(lam, start, true);
        long stepBytes = GraphSize.bytes(next.variables().toArray(new Variable[0]));
        long stateBytes = 8L * (nTheta + stateSize(next));
        long t = dyn.steps();
        long root = (long) Math.ceil(Math.sqrt(t));
        String sizes = "T = " + t + ", B = " + stepBytes + " bytes/step, S = " + stateBytes + " bytes/state, dim λ = "
                + nLambda + ", budget = " + memoryBudgetBytes;
        if (t * stepBytes <= memoryBudgetBytes) {
            return new Plan(HypergradientMethod.unrolled(), "T·B fits the budget (" + sizes + "): unrolled");
        }
        if (root * (stepBytes + stateBytes) <= memoryBudgetBytes) {
            return new Plan(HypergradientMethod.checkpointed(), "√T·(B + S) fits, T·B does not (" + sizes
                    + "): checkpointed");
        }
        if (nLambda <= FORWARD_LIMIT && 2 * stepBytes + nLambda * stateBytes <= memoryBudgetBytes) {
            return new Plan(HypergradientMethod.forwardMode(), "few hyperparameters and tangents fit (" + sizes
                    + "): forward");
        }
        if (symmetric && problem.inner().objective() != null) {
            return new Plan(HypergradientMethod.implicitCg(), "unrolling does not fit, stationarity condition ("
                    + sizes + "): implicit-cg");
        }
        int k = (int) Math.max(1, memoryBudgetBytes / Math.max(1, stepBytes));
        return new Plan(HypergradientMethod.truncated(k), "only " + k + " steps fit (" + sizes + "): truncated");
    }

    private static long stateSize(Dynamics.Point p) {
        long n = 0;
        for (Variable v : StateCodec.variables(p.state())) {
            n += v.size();
        }
        return n;
    }
}
