package dev.bilevel.autodiff;

import dev.bilevel.autodiff.internal.BatchNormReluPoolPrimitive;
import dev.bilevel.autodiff.internal.ConvolutionPrimitives;
import dev.bilevel.autodiff.internal.ShapePrimitives;
import dev.bilevel.tensor.BatchNormReluPool;
import dev.bilevel.tensor.Convolutions;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import java.util.Objects;

/**
 * Convolution and pooling of {@link Variable}s, the differentiable counterparts of
 * {@link Convolutions} (as {@link Variable} mirrors {@link Tensor}): NCHW inputs, OIHW weights, each
 * operation recorded like any other and differentiable to any order.
 *
 * <pre>{@code
 * Variable y = VariableConvolutions.conv2d(x, w, 1, 1);          // 3×3 kernel, same size
 * Variable p = VariableConvolutions.maxPool2d(y.relu(), 2, 2);
 * }</pre>
 */
public final class VariableConvolutions {
    private VariableConvolutions() {
    }

    /** 2-D convolution with equal strides and paddings; see {@link #conv2d(Variable, Variable, int, int, int, int)}. */
    public static Variable conv2d(Variable input, Variable weight, int stride, int padding) {
        return conv2d(input, weight, stride, stride, padding, padding);
    }

    /**
     * 2-D convolution (cross-correlation, no bias) of an NCHW input with an OIHW weight, as
     * {@link Convolutions#conv2d(Tensor, Tensor, int, int, int, int)}. Differentiable to any order in both
     * arguments: its VJPs are {@link #conv2dInputGrad} and {@link #conv2dWeightGrad}, whose VJPs
     * are again these three operations.
     */
    public static Variable conv2d(Variable input, Variable weight, int strideH, int strideW, int padH, int padW) {
        return conv2d(input, weight, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /**
     * {@link #conv2d(Variable, Variable, int, int, int, int)} in the given precision, as
     * {@link Convolutions#conv2d(Tensor, Tensor, int, int, int, int, Precision)}; its derivatives, of
     * every order, are convolutions in the same precision.
     */
    public static Variable conv2d(Variable input, Variable weight, int strideH, int strideW, int padH, int padW,
            Precision precision) {
        return Recorder.binary(new ConvolutionPrimitives.Conv2d(strideH, strideW, padH, padW,
                Objects.requireNonNull(precision, "precision")), input, weight);
    }

    /** The input gradient of a convolution (a transposed convolution), as {@link Convolutions#conv2dInputGrad}. */
    public static Variable conv2dInputGrad(Variable gradOut, Variable weight, Shape inputShape,
            int strideH, int strideW, int padH, int padW) {
        return conv2dInputGrad(gradOut, weight, inputShape, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /** {@link #conv2dInputGrad(Variable, Variable, Shape, int, int, int, int)} in the given precision. */
    public static Variable conv2dInputGrad(Variable gradOut, Variable weight, Shape inputShape,
            int strideH, int strideW, int padH, int padW, Precision precision) {
        return Recorder.binary(new ConvolutionPrimitives.Conv2dInputGrad(inputShape, strideH, strideW, padH, padW,
                Objects.requireNonNull(precision, "precision")), gradOut, weight);
    }

    /** The weight gradient of a convolution, as {@link Convolutions#conv2dWeightGrad}. */
    public static Variable conv2dWeightGrad(Variable input, Variable gradOut, Shape weightShape,
            int strideH, int strideW, int padH, int padW) {
        return conv2dWeightGrad(input, gradOut, weightShape, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /** {@link #conv2dWeightGrad(Variable, Variable, Shape, int, int, int, int)} in the given precision. */
    public static Variable conv2dWeightGrad(Variable input, Variable gradOut, Shape weightShape,
            int strideH, int strideW, int padH, int padW, Precision precision) {
        return Recorder.binary(new ConvolutionPrimitives.Conv2dWeightGrad(weightShape, strideH, strideW, padH, padW,
                Objects.requireNonNull(precision, "precision")), input, gradOut);
    }

    /**
     * Max pooling of an NCHW variable, as {@link Convolutions#maxPool2d}: a gather at the positions of the
     * window maxima (first on ties), so the gradient goes to those positions and the second
     * derivative is zero.
     */
    public static Variable maxPool2d(Variable input, int kernel, int stride) {
        int[] positions = Convolutions.maxPool2dIndices(input.value, kernel, stride);
        int[] d = input.value.shape().dims();
        Shape out = Shape.of(d[0], d[1], (d[2] - kernel) / stride + 1, (d[3] - kernel) / stride + 1);
        return Recorder.unary(new ShapePrimitives.TakeFlat(positions, out), input);
    }

    /**
     * Batch normalization with the statistics of the first {@code statRows} examples, ReLU and
     * {@code pool}×{@code pool} max-pooling, fused; as {@link BatchNormReluPool}, differentiable
     * to any order in the input, γ and β ({@code [C]} each).
     */
    public static Variable batchNormReluPool(Variable input, Variable gamma, Variable beta, int statRows, int pool,
            double eps) {
        var plan = BatchNormReluPool.plan(input.value, gamma.value, beta.value, statRows, pool, eps);
        return Recorder.nary(new BatchNormReluPoolPrimitive(plan), new Variable[] {input, gamma, beta});
    }

    /** Average pooling of an NCHW variable, as {@link Convolutions#avgPool2d}. */
    public static Variable avgPool2d(Variable input, int kernel, int stride) {
        return Recorder.unary(new ConvolutionPrimitives.AvgPool2d(kernel, stride), input);
    }

    /** The adjoint of {@link #avgPool2d} into an input of shape {@code inputShape}, as {@link Convolutions#avgPool2dAdjoint}. */
    public static Variable avgPool2dAdjoint(Variable g, Shape inputShape, int kernel, int stride) {
        return Recorder.unary(new ConvolutionPrimitives.AvgPool2dAdjoint(inputShape, kernel, stride), g);
    }
}
