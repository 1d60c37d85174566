package dev.bilevel.cli.quickstart;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.autodiff.optim.Optimizer;
import dev.bilevel.autodiff.optim.Optimizers;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;

/**
 * Second-order MAML (Finn, Abbeel and Levine 2017, "Model-Agnostic Meta-Learning for Fast
 * Adaptation of Deep Networks") on sinusoid regression, small enough for the quickstart.
 *
 * <p>Tasks: y = A·sin(x − φ) with A ~ U[0.1, 5], φ ~ U[0, π], x ~ U[−5, 5]; K support and K
 * query points. Inner loop: φ₀ = θ, φₖ₊₁ = φₖ − α·∇L_S(φₖ), differentiated through
 * (createGraph). Outer loop: Adam on the mean query loss over a meta-batch.
 *
 * @param model the network, e.g. 1-40-40-1 with ReLU
 * @param innerLr α
 * @param innerSteps number of inner gradient steps
 * @param k support and query points per task
 */
public record SinusoidMaml(Mlp model, double innerLr, int innerSteps, int k) {

    /** The standard 1-40-40-1 ReLU network of Finn et al. */
    public static Mlp standardModel() {
        return Mlp.of(1, 40, 40, 1).activation(Activation.RELU);
    }

    /** One regression task: support (xs, ys) and query (xq, yq), each K×1. */
    public record Task(Tensor xs, Tensor ys, Tensor xq, Tensor yq) {
    }

    /** Samples a task from {@code rng}. */
    public Task sampleTask(Rng rng) {
        double amplitude = rng.uniform(0.1, 5.0);
        double phase = rng.uniform(0.0, Math.PI);
        Tensor xs = Tensor.uniform(rng, -5, 5, k, 1);
        Tensor xq = Tensor.uniform(rng, -5, 5, k, 1);
        return new Task(xs, xs.sub(phase).sin().mul(amplitude), xq, xq.sub(phase).sin().mul(amplitude));
    }

    /** The adapted parameters φ_K after {@code steps} inner steps on the support set. */
    public Params adapt(Params theta, Task task, int steps, boolean createGraph) {
        Params phi = theta;
        for (int s = 0; s < steps; s++) {
            Variable loss = Losses.mse(model.apply(phi, Variable.constant(task.xs())), Variable.constant(task.ys()));
            Params g = Autodiff.grad(loss, phi, createGraph, false);
            phi = phi.zip(g, (p, gi) -> p.sub(gi.mul(innerLr)));
        }
        return phi;
    }

    /** The query loss after adaptation: the MAML meta-objective of one task, differentiable in θ. */
    public Variable metaLoss(Params theta, Task task) {
        Params phi = adapt(theta, task, innerSteps, true);
        return Losses.mse(model.apply(phi, Variable.constant(task.xq())), Variable.constant(task.yq()));
    }

    /** Meta-training state: parameters and outer optimizer state. */
    public record State(Params theta, Optimizer.State optimizerState) {
    }

    /** Fresh parameters and Adam state. */
    public State init(Rng rng, Optimizer outer) {
        Params theta = model.init(rng).leaves();
        return new State(theta, outer.init(theta));
    }

    /** One meta-step on {@code metaBatch} tasks drawn from {@code rng}. */
    public State metaStep(State state, Optimizer outer, Rng rng, int metaBatch) {
        Variable total = null;
        for (int b = 0; b < metaBatch; b++) {
            Variable l = metaLoss(state.theta(), sampleTask(rng));
            total = total == null ? l : total.add(l);
        }
        Params grads = Autodiff.grad(total.div(metaBatch), state.theta(), false, false);
        try (ModeScope ignored = GradMode.disabled()) {
            Optimizer.Update u = outer.update(grads, state.optimizerState(), state.theta());
            return new State(Optimizers.applyUpdates(state.theta(), u.updates()).leaves(), u.state());
        }
    }

    /**
     * Mean query MSE over {@code tasks} held-out tasks after {@code steps} inner steps
     * (evaluation protocol of Finn et al.: adapt on K support points, score on K query points).
     */
    public double evaluate(Params theta, Rng rng, int tasks, int steps) {
        double sum = 0;
        for (int t = 0; t < tasks; t++) {
            Task task = sampleTask(rng);
            Params phi = adapt(theta.detach().leaves(), task, steps, false);
            try (ModeScope ignored = GradMode.disabled()) {
                sum += Losses.mse(model.apply(phi, Variable.constant(task.xq())), Variable.constant(task.yq())).item();
            }
        }
        return sum / tasks;
    }
}
