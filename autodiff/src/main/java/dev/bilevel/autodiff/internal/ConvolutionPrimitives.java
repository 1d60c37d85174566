package dev.bilevel.autodiff.internal;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.VariableConvolutions;
import dev.bilevel.tensor.Convolutions;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;

/**
 * 2-D convolution and average pooling. The convolution and its two gradients form a family closed
 * under differentiation: each is bilinear, and the VJPs of each member are the other members with
 * the same strides, paddings and precision (see {@link Convolutions#conv2d(Tensor, Tensor, int, int, int, int)}), so
 * second-order derivatives through convolutional networks need no further kernels. Average pooling
 * and its adjoint are a linear adjoint pair.
 */
public final class ConvolutionPrimitives {
    private ConvolutionPrimitives() {}

    /** {@code y = conv2d(x, w)} with NCHW input x and OIHW weight w, in the given precision. */
    public record Conv2d(int strideH, int strideW, int padH, int padW, Precision precision) implements BinaryPrimitive {
        @Override public String opName() { return "conv2d"; }
        @Override public Tensor forward(Tensor x, Tensor w) {
            return Convolutions.conv2d(x, w, strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpFirst(Variable x, Variable w, Variable out, Variable g) {
            return VariableConvolutions.conv2dInputGrad(g, w, x.shape(), strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpSecond(Variable x, Variable w, Variable out, Variable g) {
            return VariableConvolutions.conv2dWeightGrad(x, g, w.shape(), strideH, strideW, padH, padW, precision);
        }
    }

    /** The input gradient of a convolution, bilinear in (gradOut, weight). */
    public record Conv2dInputGrad(Shape inputShape, int strideH, int strideW, int padH, int padW, Precision precision)
            implements BinaryPrimitive {
        @Override public String opName() { return "conv2dInputGrad"; }
        @Override public Tensor forward(Tensor gradOut, Tensor w) {
            return Convolutions.conv2dInputGrad(gradOut, w, inputShape, strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpFirst(Variable gradOut, Variable w, Variable out, Variable h) {
            return VariableConvolutions.conv2d(h, w, strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpSecond(Variable gradOut, Variable w, Variable out, Variable h) {
            return VariableConvolutions.conv2dWeightGrad(h, gradOut, w.shape(), strideH, strideW, padH, padW, precision);
        }
    }

    /** The weight gradient of a convolution, bilinear in (input, gradOut). */
    public record Conv2dWeightGrad(Shape weightShape, int strideH, int strideW, int padH, int padW, Precision precision)
            implements BinaryPrimitive {
        @Override public String opName() { return "conv2dWeightGrad"; }
        @Override public Tensor forward(Tensor x, Tensor gradOut) {
            return Convolutions.conv2dWeightGrad(x, gradOut, weightShape, strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpFirst(Variable x, Variable gradOut, Variable out, Variable h) {
            return VariableConvolutions.conv2dInputGrad(gradOut, h, x.shape(), strideH, strideW, padH, padW, precision);
        }
        @Override public Variable vjpSecond(Variable x, Variable gradOut, Variable out, Variable h) {
            return VariableConvolutions.conv2d(x, h, strideH, strideW, padH, padW, precision);
        }
    }

    /** Average pooling over square windows; VJP is its adjoint. */
    public record AvgPool2d(int kernel, int stride) implements UnaryPrimitive {
        @Override public String opName() { return "avgPool2d"; }
        @Override public Tensor forward(Tensor x) { return Convolutions.avgPool2d(x, kernel, stride); }
        @Override public Variable vjp(Variable x, Variable out, Variable g) {
            return VariableConvolutions.avgPool2dAdjoint(g, x.shape(), kernel, stride);
        }
    }

    /** The adjoint of {@link AvgPool2d} into an input of shape {@code inputShape}; VJP is the pooling. */
    public record AvgPool2dAdjoint(Shape inputShape, int kernel, int stride) implements UnaryPrimitive {
        @Override public String opName() { return "avgPool2dAdjoint"; }
        @Override public Tensor forward(Tensor g) { return Convolutions.avgPool2dAdjoint(g, inputShape, kernel, stride); }
        @Override public Variable vjp(Variable g, Variable out, Variable h) { return VariableConvolutions.avgPool2d(h, kernel, stride); }
    }
}
