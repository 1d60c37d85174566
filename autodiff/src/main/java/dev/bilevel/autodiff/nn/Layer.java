package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;

/**
 * A pure, functional layer: a description (sizes, options) with no weights inside. {@link #init}
 * creates the parameters, {@link #apply} computes y = f(params, x). Nothing is stored or mutated,
 * so the same layer evaluates θ and every task-adapted φ = θ − α∇L alike, and a gradient with
 * respect to any of them is an ordinary {@link dev.bilevel.autodiff.Autodiff#grad}.
 *
 * <pre>{@code
 * Layer net = Mlp.of(1, 40, 40, 1).activation(Activation.RELU);
 * Params theta = net.init(new Rng(0));          // names "0.weight", "0.bias", "1.weight", …
 * Variable y = net.apply(theta, x);
 * }</pre>
 */
public interface Layer {

    /**
     * Fresh parameters, as leaves (they require grad), with stable names.
     *
     * @param rng the stream the initializers draw from, in the order of the names
     * @return the parameters
     */
    Params init(Rng rng);

    /**
     * The layer's output for input {@code x} under {@code params}.
     *
     * @param params parameters with the names that {@link #init} gives (extra names are ignored)
     * @param x      the input
     * @return the output, recorded when grad mode is on and {@code params} or {@code x} require grad
     * @throws IllegalArgumentException when a parameter is missing or a shape does not fit
     */
    Variable apply(Params params, Variable x);
}
