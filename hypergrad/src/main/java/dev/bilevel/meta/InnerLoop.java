package dev.bilevel.meta;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The gradient-descent adaptation shared by the MAML family: φ₀ = θ,
 * φₖ₊₁ = φₖ − rule(∇L_S(φₖ)) on the parameters selected by {@code adapted}, the others held at
 * θ. With {@code createGraph} the steps are recorded (second order); otherwise each gradient is a
 * constant and φ depends on θ only through the identity (first order, Finn et al. 2017 §5.2).
 */
final class InnerLoop {
    private InnerLoop() {
    }

    /** The update subtracted from a parameter: e.g. α·g, or α_name ∘ g for Meta-SGD. */
    @FunctionalInterface
    interface StepRule {
        Variable scaled(String name, Variable grad);
    }

    /** K steps from {@code phi}; see the class comment. */
    static Params adapt(FunctionalModel model, Params phi, Task task, Predicate<String> adapted, StepRule rule,
            int steps, boolean createGraph) {
        Params p = phi;
        Variable xs = Variable.constant(task.supportX());
        for (int s = 0; s < steps; s++) {
            p = step(model, p, xs, task, adapted, rule, createGraph);
        }
        return p;
    }

    private static Params step(FunctionalModel model, Params phi, Variable xs, Task task, Predicate<String> adapted,
            StepRule rule, boolean createGraph) {
        Variable loss = task.supportLoss(model.apply(phi, xs));
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
        List<TaskMetrics> out = new ArrayList<>(steps.length);
        Params phi = start.detach().leaves();
        Variable xs = Variable.constant(task.supportX());
        int done = 0;
        for (int target : steps) {
            if (target < done) {
                throw new IllegalArgumentException("evaluate: step counts must not decrease, got " + target
                        + " after " + done);
            }
            while (done < target) {
                Params next = step(model, phi, xs, task, adapted, rule, false);
                try (ModeScope off = GradMode.disabled()) {
                    phi = next.detach().leaves();
                }
                done++;
            }
            out.add(queryMetrics(model, phi, task, target));
        }
        return out;
    }

    /** The query loss and accuracy of {@code phi}, without a graph. */
    static TaskMetrics queryMetrics(FunctionalModel model, Params phi, Task task, int steps) {
        try (ModeScope off = GradMode.disabled()) {
            Variable pred = model.applyQuery(phi, Variable.constant(task.supportX()), Variable.constant(task.queryX()));
            return new TaskMetrics(steps, task.queryLoss(pred).item(), task.queryAccuracy(pred.value()));
        }
    }

    /** The query loss of {@code phi}, recorded when grad mode is on. */
    static Variable queryLoss(FunctionalModel model, Params phi, Task task) {
        return task.queryLoss(model.applyQuery(phi, Variable.constant(task.supportX()), Variable.constant(task.queryX())));
    }

    /** Gradient of {@code loss} with respect to {@code meta}, detached, zeros where unused. */
    static TaskGradient result(Variable loss, Params meta) {
        Params g = Autodiff.grad(loss, meta, false, true);
        return new TaskGradient(loss.item(), g.detach());
    }
}
