package dev.bilevel.tensor;

import dev.bilevel.tensor.internal.Conv2dGeometry;
import dev.bilevel.tensor.internal.Convolution;
import dev.bilevel.tensor.internal.KernelProvider;
import dev.bilevel.tensor.internal.Pooling;
import dev.bilevel.tensor.internal.SingleConvolution;
import java.util.Arrays;
import java.util.Objects;

/**
 * Image operations on NCHW tensors: 2-D convolution with both of its gradients, and max- and
 * average-pooling with what their derivatives need.
 *
 * <p>The set is closed under differentiation: the VJPs of {@code conv2d}, {@code conv2dInputGrad}
 * and {@code conv2dWeightGrad} are again these three operations, {@code avgPool2d} and
 * {@code avgPool2dAdjoint} are each other's VJP, and max-pooling is a gather
 * ({@link Tensor#takeFlat}) at positions given by {@link #maxPool2dIndices}. This is what lets the
 * autodiff module differentiate convolutional networks to any order.
 *
 * <p>Convolutions run as im2col followed by the matrix-product kernels (Vector API when present),
 * or by Winograd's minimal filtering for 3×3 same-padded ones. Each of the three takes an optional
 * {@link Precision}: {@link Precision#FLOAT32} computes them on float32 copies of the operands
 * (twice the vector lanes, half the memory traffic), the precision of PyTorch's CPU convolutions;
 * the default is float64 throughout.
 */
public final class Convolutions {
    private Convolutions() {
    }

    /**
     * 2-D convolution (cross-correlation, no bias) with equal strides and zero paddings on both
     * axes; see {@link #conv2d(Tensor, Tensor, int, int, int, int)}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, int stride, int padding) {
        return conv2d(x, weight, stride, stride, padding, padding);
    }

    /**
     * 2-D convolution (cross-correlation, as in PyTorch's {@code conv2d}, no bias) of the NCHW
     * input x {@code [n, c, h, w]} with an OIHW weight {@code [o, c, kh, kw]}:
     * {@code y[b, q, i, j] = Σ_{ch, u, v} x[b, ch, i·sh − ph + u, j·sw − pw + v] · w[q, ch, u, v]},
     * reading zero outside the input. Output {@code [n, o, oh, ow]} with
     * {@code oh = (h + 2·ph − kh) / sh + 1}, {@code ow = (w + 2·pw − kw) / sw + 1}.
     * Computed by im2col and the matrix-product kernels.
     *
     * <p>Differentiation with three operations that are closed under it: the VJPs of
     * {@code y = conv2d(x, w)} for an output gradient g are
     * {@link #conv2dInputGrad conv2dInputGrad(g, w, x.shape())} and
     * {@link #conv2dWeightGrad conv2dWeightGrad(x, g, w.shape())}; each of those is bilinear, and
     * their own VJPs are again these three operations (see their documentation).
     *
     * <pre>{@code
     * Tensor y = Convolutions.conv2d(x, w, 1, 1, 1, 1);   // [n, c, 28, 28] * [32, c, 3, 3] -> [n, 32, 28, 28]
     * }</pre>
     *
     * @throws IllegalArgumentException naming the op and both shapes on a rank, channel or size mismatch
     */
    public static Tensor conv2d(Tensor x, Tensor weight, int strideH, int strideW, int padH, int padW) {
        return conv2d(x, weight, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, int, int, int, int)} in the given precision; its gradients
     * are the other two operations in the same precision.
     *
     * @throws IllegalArgumentException as the float64 operation
     */
    public static Tensor conv2d(Tensor x, Tensor weight, int strideH, int strideW, int padH, int padW,
                                Precision precision) {
        var g = Conv2dGeometry.ofForward("conv2d", x.shape.dims(), weight.shape.dims(), strideH, strideW, padH, padW);
        double[] y = single(precision) ? SingleConvolution.forward(KernelProvider.get(), g, x.data, weight.data)
                : Convolution.forward(g, x.data, weight.data);
        return Tensor.wrap(Shape.of(g.outputDims()), y);
    }

    /** {@link #conv2dInputGrad(Tensor, Tensor, Shape, int, int, int, int)} with equal strides and paddings. */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Shape inputShape, int stride, int padding) {
        return conv2dInputGrad(gradOut, weight, inputShape, stride, stride, padding, padding);
    }

    /**
     * The gradient of {@code <conv2d(x, weight, ...), gradOut>} with respect to x, for an input of
     * shape {@code inputShape}: the transposed convolution of {@code gradOut} with {@code weight}.
     * Shape {@code inputShape}; {@code gradOut} must have the shape the forward convolution gives.
     *
     * <p>Bilinear in (gradOut, weight). For an upstream gradient h of shape {@code inputShape},
     * its VJPs are: with respect to gradOut, {@code conv2d(h, weight, ...)}; with respect to the
     * weight, {@code conv2dWeightGrad(h, gradOut, weight.shape(), ...)} (same strides and paddings).
     *
     * @throws IllegalArgumentException naming the op and every shape when they are inconsistent
     */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Shape inputShape,
                                         int strideH, int strideW, int padH, int padW) {
        return conv2dInputGrad(gradOut, weight, inputShape, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /**
     * {@link #conv2dInputGrad(Tensor, Tensor, Shape, int, int, int, int)} in the given precision.
     *
     * @throws IllegalArgumentException as the float64 operation
     */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Shape inputShape,
                                         int strideH, int strideW, int padH, int padW, Precision precision) {
        var g = Conv2dGeometry.ofGradient("conv2dInputGrad", inputShape.dims(), weight.shape.dims(),
                gradOut.shape.dims(), strideH, strideW, padH, padW);
        double[] dx = single(precision) ? SingleConvolution.inputGrad(KernelProvider.get(), g, gradOut.data, weight.data)
                : Convolution.inputGrad(g, gradOut.data, weight.data);
        return Tensor.wrap(inputShape, dx);
    }

    /** {@link #conv2dWeightGrad(Tensor, Tensor, Shape, int, int, int, int)} with equal strides and paddings. */
    public static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, Shape weightShape, int stride, int padding) {
        return conv2dWeightGrad(input, gradOut, weightShape, stride, stride, padding, padding);
    }

    /**
     * The gradient of {@code <conv2d(input, w, ...), gradOut>} with respect to a weight of shape
     * {@code weightShape}: {@code dw[q, ch, u, v] = Σ_{b, i, j} gradOut[b, q, i, j] ·
     * input[b, ch, i·sh − ph + u, j·sw − pw + v]}. Shape {@code weightShape}.
     *
     * <p>Bilinear in (input, gradOut). For an upstream gradient H of shape {@code weightShape},
     * its VJPs are: with respect to the input, {@code conv2dInputGrad(gradOut, H, input.shape(), ...)};
     * with respect to gradOut, {@code conv2d(input, H, ...)} (same strides and paddings).
     *
     * @throws IllegalArgumentException naming the op and every shape when they are inconsistent
     */
    public static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, Shape weightShape,
                                          int strideH, int strideW, int padH, int padW) {
        return conv2dWeightGrad(input, gradOut, weightShape, strideH, strideW, padH, padW, Precision.FLOAT64);
    }

    /**
     * {@link #conv2dWeightGrad(Tensor, Tensor, Shape, int, int, int, int)} in the given precision.
     *
     * @throws IllegalArgumentException as the float64 operation
     */
    public static Tensor conv2dWeightGrad(Tensor input, Tensor gradOut, Shape weightShape,
                                          int strideH, int strideW, int padH, int padW, Precision precision) {
        var g = Conv2dGeometry.ofGradient("conv2dWeightGrad", input.shape.dims(), weightShape.dims(),
                gradOut.shape.dims(), strideH, strideW, padH, padW);
        double[] dw = single(precision) ? SingleConvolution.weightGrad(KernelProvider.get(), g, input.data, gradOut.data)
                : Convolution.weightGrad(g, input.data, gradOut.data);
        return Tensor.wrap(weightShape, dw);
    }

    private static boolean single(Precision precision) {
        return Objects.requireNonNull(precision, "precision") == Precision.FLOAT32;
    }

    /**
     * Max-pooling of the NCHW tensor x over square windows of side {@code kernel} taken every
     * {@code stride} positions, without padding: shape {@code [n, c, (h−kernel)/stride+1,
     * (w−kernel)/stride+1]}. On ties the first element of the window (row-major) wins; a NaN
     * wins over any number.
     *
     * <p>To differentiate, write it as a gather: {@code x.takeFlat(maxPool2dIndices(x, k, s), y.shape())}
     * equals {@code y = maxPool2d(x, k, s)}; the indices are constants of the graph, and
     * {@link Tensor#takeFlat}/{@link Tensor#scatterFlat} are an adjoint pair.
     *
     * @throws IllegalArgumentException naming the op and shape when the input is not rank 4 or the window does not fit
     */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride) {
        int[] od = Pooling.outputDims("maxPool2d", x.shape.dims(), kernel, stride);
        return x.takeFlat(maxPool2dIndices(x, kernel, stride), Shape.of(od));
    }

    /**
     * The row-major flat positions in x of the maxima that {@link #maxPool2d} picks,
     * one per output element, in the output's row-major order.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d} does
     */
    public static int[] maxPool2dIndices(Tensor x, int kernel, int stride) {
        return Pooling.maxIndices(x.data, x.shape.dims(), kernel, stride);
    }

    /**
     * Average-pooling of the NCHW tensor x over square windows of side {@code kernel} taken every
     * {@code stride} positions, without padding; shapes as in {@link #maxPool2d}. Linear; its
     * adjoint (its VJP) is {@link #avgPool2dAdjoint}, and the VJP of that is this operation.
     *
     * @throws IllegalArgumentException naming the op and shape when the input is not rank 4 or the window does not fit
     */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride) {
        int[] od = Pooling.outputDims("avgPool2d", x.shape.dims(), kernel, stride);
        return Tensor.wrap(Shape.of(od), Pooling.average(x.data, x.shape.dims(), kernel, stride));
    }

    /**
     * The adjoint of {@link #avgPool2d} for an input of shape {@code inputShape}: each element of
     * {@code gradOut} divided by {@code kernel²} and added onto every position of its window.
     * Satisfies {@code <avgPool2d(x, k, s), g> = <x, avgPool2dAdjoint(g, x.shape(), k, s)>}.
     *
     * @throws IllegalArgumentException naming the op and shapes when {@code gradOut} does not have the pooled shape
     */
    public static Tensor avgPool2dAdjoint(Tensor gradOut, Shape inputShape, int kernel, int stride) {
        int[] od = Pooling.outputDims("avgPool2dAdjoint", inputShape.dims(), kernel, stride);
        if (!Arrays.equals(od, gradOut.shape.dims())) {
            throw new IllegalArgumentException("avgPool2dAdjoint: gradOut has shape " + gradOut.shape
                    + " but pooling " + inputShape + " gives " + Arrays.toString(od));
        }
        return Tensor.wrap(inputShape, Pooling.averageAdjoint(gradOut.data, inputShape.dims(), kernel, stride));
    }
}
