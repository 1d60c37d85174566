package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;

/**
 * A pure gradient transformation, in the style of optax and TorchOpt: {@link #init} builds a state
 * from the parameters, and {@link #update} maps gradients and a state to <i>updates</i> (to be
 * added to the parameters, see {@link Optimizers#applyUpdates}) and a new state. Nothing is
 * mutated: the old state stays valid, so the same step can be replayed or differentiated.
 *
 * <p><b>Differentiable steps.</b> Every update is computed in {@link dev.bilevel.autodiff.Variable}
 * operations. When the gradients were taken with {@code createGraph} (or the parameters, the state
 * or a hyperparameter such as the learning rate requires grad), the updates and the new state are
 * recorded, so a loss after K unrolled steps can be differentiated with respect to the initial
 * parameters or the learning rate (Maclaurin, Duvenaud &amp; Adams, "Gradient-based
 * hyperparameter optimization through reversible learning", ICML 2015). Under
 * {@link dev.bilevel.autodiff.GradMode#disabled()} the same code records nothing.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0), Optimizers.adam(1e-3));
 * Optimizer.State state = opt.init(params);
 * for (int k = 0; k < steps; k++) {
 *     Params grads = Autodiff.grad(loss.apply(params), params, false, false);
 *     Optimizer.Update u = opt.update(grads, state, params);
 *     params = Optimizers.applyUpdates(params, u.updates());
 *     state = u.state();
 * }
 * }</pre>
 *
 * <p>Implementations are immutable and safe to share between threads.
 */
public interface Optimizer {

    /**
     * The initial state for parameters shaped like {@code params} (zero moment estimates, a step
     * count of 0).
     *
     * @param params the parameters to be optimized; only their names and shapes are read
     * @return a state to pass to the first {@link #update}
     */
    State init(Params params);

    /**
     * One step: the updates for {@code grads} and the state after this step.
     *
     * @param grads  gradients with the names of the parameters, in the same order
     * @param state  the state returned by {@link #init} or by the previous update of this optimizer
     * @param params the current parameters; read only by transformations that need them (weight
     *               decay), and may be {@code null} for the others
     * @return the updates (same names as {@code grads}) and the new state
     * @throws IllegalArgumentException when {@code state} was not made by this kind of optimizer,
     *                                  or the names of grads, state and params differ
     */
    Update update(Params grads, State state, Params params);

    /**
     * The state of an optimizer between steps: an immutable value whose concrete type belongs to
     * the optimizer that made it (e.g. {@link Adam.State} holds the step count and both moment
     * estimates), so that it can be inspected, checkpointed or differentiated.
     */
    interface State {}

    /**
     * The result of {@link Optimizer#update}.
     *
     * @param updates the change to add to each parameter, with the gradients' names
     * @param state   the state after this step
     */
    record Update(Params updates, State state) {}
}
