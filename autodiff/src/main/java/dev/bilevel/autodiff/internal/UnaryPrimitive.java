package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/** A primitive of one input; see {@link Primitive} for the VJP contract. */
public sealed interface UnaryPrimitive extends Primitive
        permits ElementwiseUnary,
                ParametricElementwise.AddScalar, ParametricElementwise.MulScalar,
                ParametricElementwise.DivScalar, ParametricElementwise.Pow, ParametricElementwise.LeakyRelu,
                ReductionPrimitives.Sum, ReductionPrimitives.Max,
                ShapePrimitives.Reshape, ShapePrimitives.Permute, ShapePrimitives.Slice, ShapePrimitives.Unslice,
                ShapePrimitives.IndexSelect, ShapePrimitives.IndexAdd, ShapePrimitives.BroadcastTo,
                ShapePrimitives.SumTo, ShapePrimitives.TakeFlat, ShapePrimitives.ScatterFlat,
                ConvolutionPrimitives.AvgPool2d, ConvolutionPrimitives.AvgPool2dAdjoint {

    /** The primitive applied to {@code x}. */
    Tensor forward(Tensor x);

    /** {@code Jᵀg}: the cotangent of {@code x}, given the output {@code out} and its cotangent {@code g}. */
    Variable vjp(Variable x, Variable out, Variable g);
}
