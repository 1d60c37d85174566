/**
 * Functional neural-network layers, losses and initializers on {@link dev.bilevel.autodiff.Variable}.
 *
 * <p>A layer is a description without weights: {@code init(Rng)} creates named parameters
 * ({@link dev.bilevel.autodiff.Params}, e.g. {@code "0.weight"}, {@code "0.bias"}) and
 * {@code apply(params, x)} computes the output. Nothing is stored or mutated, so one layer
 * evaluates the meta-parameters θ and every adapted φ = θ − α∇L of a MAML inner loop, and every
 * output is differentiable to any order. State that a layer updates (batch-norm running
 * statistics) is a value passed in and returned.
 *
 * <pre>{@code
 * Mlp net = Mlp.of(1, 40, 40, 1).activation(Activation.RELU);
 * Params theta = net.init(new Rng(0));
 * Variable loss = Losses.mse(net.apply(theta, x), y);
 * Params g = Autodiff.grad(loss, theta, true, false);            // recorded: second order works
 * }</pre>
 *
 * <p>References: He et al., "Delving deep into rectifiers", ICCV 2015 (Kaiming initialization);
 * Glorot &amp; Bengio, AISTATS 2010 (Xavier initialization); Ioffe &amp; Szegedy, ICML 2015 (batch
 * normalization); Hendrycks &amp; Gimpel, arXiv:1606.08415 (GELU); Antoniou, Edwards &amp; Storkey,
 * "How to train your MAML", ICLR 2019 (per-step batch-norm statistics); Finn, Abbeel &amp; Levine,
 * ICML 2017 (the conv-4 block and the sinusoid regressor).
 */
package dev.bilevel.autodiff.nn;
