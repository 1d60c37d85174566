package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * A primitive of two inputs; see {@link Primitive} for the VJP contract. The two VJPs are separate
 * so that the backward pass skips the one whose input needs no gradient.
 */
public sealed interface BinaryPrimitive extends Primitive
        permits ElementwiseBinary, ParametricElementwise.Where, LinalgPrimitives.Matmul,
                ConvolutionPrimitives.Conv2d, ConvolutionPrimitives.Conv2dInputGrad,
                ConvolutionPrimitives.Conv2dWeightGrad {

    /** The primitive applied to {@code a} and {@code b}. */
    Tensor forward(Tensor a, Tensor b);

    /** The cotangent of {@code a}, given the output {@code out} and its cotangent {@code g}. */
    Variable vjpFirst(Variable a, Variable b, Variable out, Variable g);

    /** The cotangent of {@code b}, given the output {@code out} and its cotangent {@code g}. */
    Variable vjpSecond(Variable a, Variable b, Variable out, Variable g);
}
