package dev.bilevel.meta;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The gradient-descent adaptation shared by the MAML family: φ₀ = θ,
 * φₖ₊₁ = φₖ − rule(∇L_S(φₖ)) on the parameters selected by {@code adapted}, the others held at
 * θ. With {@code createGraph} the steps are recorded (second order); otherwise each gradient is a
 * constant and φ depends on θ only through the identity (first order, Finn et al. 2017 §5.2).
 * The predictions are those of a model, or of a head on features computed once ({@link Anil}).
 */
final class InnerLoop {
    private InnerLoop() {
    }

    /** The update subtracted from a parameter: e.g. α·g, or α_name ∘ g for Meta-SGD. */
    @FunctionalInterface
    interface StepRule {
        Variable scaled(String name, Variable grad);
    }

    /**
     * A task's predictions as functions of the parameters φ: those the support loss and the query
     * loss are computed from.
     *
     * @param support φ ↦ predictions for the support set
     * @param query   φ ↦ predictions for the query set
     */
    record Predictions(Function<Params, Variable> support, Function<Params, Variable> query) {

        /** The predictions of {@code model} on the task's inputs (query via {@link FunctionalModel#applyQuery}). */
        static Predictions of(FunctionalModel model, Task task) {
            Variable xs = Variable.constant(task.supportX());
            Variable xq = Variable.constant(task.queryX());
            return new Predictions(p -> model.apply(p, xs), p -> model.applyQuery(p, xs, xq));
        }
    }

    /**
     * The end of a first-order descent without a graph.
     *
     * @param phi         φ_K, as fresh leaves
     * @param supportLoss L_S(φ_{K−1}), the support loss the last step differentiated (NaN for K = 0)
     */
    record Descent(Params phi, double supportLoss) {
    }

    /** K steps from {@code phi}; see the class comment. */
    static Params adapt(FunctionalModel model, Params phi, Task task, Predicate<String> adapted, StepRule rule,
            int steps, boolean createGraph) {
        return adapt(Predictions.of(model, task), phi, task, adapted, rule, steps, createGraph);
    }

    /** K steps from {@code phi} with the support predictions of {@code out}; see the class comment. */
    static Params adapt(Predictions out, Params phi, Task task, Predicate<String> adapted, StepRule rule, int steps,
            boolean createGraph) {
        Params p = phi;
        for (int s = 0; s < steps; s++) {
            Variable loss = task.supportLoss(out.support().apply(p));
            p = update(p, loss, adapted, rule, createGraph);
        }
        return p;
    }

    /**
     * K first-order steps from {@code start} (detached first), each update made without recording,
     * so that nothing links one step to the next: the plain SGD of Reptile and of evaluation.
     */
    static Descent descend(Predictions out, Params start, Task task, Predicate<String> adapted, StepRule rule,
            int steps) {
        Params phi = start.detach().leaves();
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            Variable l = task.supportLoss(out.support().apply(phi));
            loss = l.item();
            try (ModeScope off = GradMode.disabled()) {
                phi = update(phi, l, adapted, rule, false).leaves();
            }
        }
        return new Descent(phi, loss);
    }

    /** φ − rule(∇L) on the adapted parameters, the gradient recorded iff {@code createGraph}. */
    private static Params update(Params phi, Variable loss, Predicate<String> adapted, StepRule rule,
            boolean createGraph) {
        List<String> names = new ArrayList<>();
        List<Variable> vars = new ArrayList<>();
        for (String n : phi.names()) {
            if (adapted.test(n)) {
                names.add(n);
                vars.add(phi.get(n));
            }
        }
        List<Variable> g = Autodiff.grad(loss, vars, createGraph, true);
        Params next = phi;
        for (int i = 0; i < names.size(); i++) {
            next = next.with(names.get(i), vars.get(i).sub(rule.scaled(names.get(i), g.get(i))));
        }
        return next;
    }

    /**
     * Query metrics after each step count in {@code steps}, adapting without a graph from
     * {@code start} (detached first).
     */
    static List<TaskMetrics> curve(FunctionalModel model, Params start, Task task, Predicate<String> adapted,
            StepRule rule, int[] steps) {
        return curve(Predictions.of(model, task), start, task, adapted, rule, steps);
    }

    /** The curve of {@link #curve(FunctionalModel, Params, Task, Predicate, StepRule, int[])} for {@code out}. */
    static List<TaskMetrics> curve(Predictions out, Params start, Task task, Predicate<String> adapted,
            StepRule rule, int[] steps) {
        List<TaskMetrics> metrics = new ArrayList<>(steps.length);
        Params phi = start.detach().leaves();
        int done = 0;
        for (int target : steps) {
            if (target < done) {
                throw new IllegalArgumentException("evaluate: step counts must not decrease, got " + target
                        + " after " + done);
            }
            phi = descend(out, phi, task, adapted, rule, target - done).phi();
            done = target;
            metrics.add(queryMetrics(out, phi, task, target));
        }
        return metrics;
    }

    /** The query loss and accuracy of {@code phi}, without a graph. */
    static TaskMetrics queryMetrics(FunctionalModel model, Params phi, Task task, int steps) {
        return queryMetrics(Predictions.of(model, task), phi, task, steps);
    }

    private static TaskMetrics queryMetrics(Predictions out, Params phi, Task task, int steps) {
        try (ModeScope off = GradMode.disabled()) {
            Variable pred = out.query().apply(phi);
            return new TaskMetrics(steps, task.queryLoss(pred).item(), task.queryAccuracy(pred.value()));
        }
    }

    /** The query loss of {@code phi}, recorded when grad mode is on. */
    static Variable queryLoss(FunctionalModel model, Params phi, Task task) {
        return task.queryLoss(Predictions.of(model, task).query().apply(phi));
    }

    /** Gradient of {@code loss} with respect to {@code meta}, detached, zeros where unused. */
    static TaskGradient result(Variable loss, Params meta) {
        Params g = Autodiff.grad(loss, meta, false, true);
        return new TaskGradient(loss.item(), g.detach());
    }
}
