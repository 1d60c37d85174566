/**
 * Pure, differentiable optimizers in the style of optax and TorchOpt.
 *
 * <p>An {@link dev.bilevel.autodiff.optim.Optimizer} is an {@code init}/{@code update} pair:
 * {@code update(grads, state, params)} returns the updates to add to the parameters and a new
 * state, and mutates nothing. All arithmetic is in {@link dev.bilevel.autodiff.Variable}
 * operations, so with gradients taken under {@code createGraph} a run of K steps is one recorded
 * graph: the final loss can be differentiated with respect to the initial parameters or to a
 * learning rate held in a {@link dev.bilevel.autodiff.optim.Schedule}. Adam and RMSprop keep
 * second derivatives finite where a gradient is exactly zero.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0), Optimizers.adam(1e-3));
 * Optimizer.State s = opt.init(theta);
 * Optimizer.Update u = opt.update(grads, s, theta);
 * theta = Optimizers.applyUpdates(theta, u.updates());
 * }</pre>
 *
 * <p>References: D. Maclaurin, D. Duvenaud and R. Adams, "Gradient-based hyperparameter
 * optimization through reversible learning", ICML 2015 (differentiating unrolled optimizers);
 * the optax library (DeepMind, 2020), whose transformation and state conventions this follows.
 */
package dev.bilevel.autodiff.optim;
