package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/** A primitive of any number of inputs; see {@link Primitive} for the VJP contract. */
public sealed interface NaryPrimitive extends Primitive permits ShapePrimitives.Concat, BatchNormReluPoolPrimitive {

    /** The primitive applied to {@code xs}. */
    Tensor forward(Tensor[] xs);

    /** The cotangent of input {@code i}, given the output {@code out} and its cotangent {@code g}. */
    Variable vjp(int i, Variable[] xs, Variable out, Variable g);

    /**
     * The cotangents of the inputs i with {@code needed[i]} ({@code null} for the others), as
     * {@link #vjp} gives them; a primitive whose VJPs share work overrides this to do it once.
     */
    default Variable[] vjps(boolean[] needed, Variable[] xs, Variable out, Variable g) {
        Variable[] cotangents = new Variable[xs.length];
        for (int i = 0; i < xs.length; i++) {
            if (needed[i]) {
                cotangents[i] = vjp(i, xs, out, g);
            }
        }
        return cotangents;
    }
}
