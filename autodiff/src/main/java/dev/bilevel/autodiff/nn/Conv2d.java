package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.VariableConvolutions;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;

/**
 * A 2-D convolution layer (cross-correlation, as PyTorch's {@code Conv2d}) on NCHW inputs:
 *
 * <pre>
 *   y[b, o, i, j] = bias[o] + Σ_{c, u, v} x[b, c, i·s − p + u, j·s − p + v] · W[o, c, u, v]
 * </pre>
 *
 * reading zeros outside the input; W has shape {@code [out, in, k, k]} and the output
 * {@code [N, out, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1]}. Differentiable to any order through
 * {@link VariableConvolutions#conv2d}, whose VJPs are again convolutions. Parameters
 * {@code prefix + "weight"} and {@code prefix + "bias"}.
 *
 * <p>Default initialization, PyTorch's: W and b from U(−1/√fan_in, 1/√fan_in), fan_in = in·k²
 * (Kaiming uniform with gain 1/√3; He et al., ICCV 2015).
 *
 * <pre>{@code
 * Conv2d conv = Conv2d.of(3, 32, 3).withPadding(1);
 * Variable y = conv.apply(conv.init(rng), x);     // [N, 3, 84, 84] → [N, 32, 84, 84]
 * }</pre>
 *
 * @param in         input channels, &gt; 0
 * @param out        output channels, &gt; 0
 * @param kernel     square kernel size, &gt; 0
 * @param stride     stride on both axes, &gt; 0
 * @param padding    zero padding on both axes, ≥ 0
 * @param bias       whether b is present
 * @param weightInit draws W
 * @param biasInit   draws b
 * @param prefix     prepended to the parameter names
 */
public record Conv2d(int in, int out, int kernel, int stride, int padding, boolean bias, Initializer weightInit,
        Initializer biasInit, String prefix) implements Layer {

    /** Validates the fields. */
    public Conv2d {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: invalid in " + in + ", out " + out + ", kernel " + kernel
                    + ", stride " + stride + ", padding " + padding);
        }
        if (weightInit == null || biasInit == null || prefix == null) {
            throw new IllegalArgumentException("Conv2d: initializers and prefix must not be null");
        }
    }

    /**
     * A {@code kernel × kernel} convolution {@code in → out} channels, stride 1, no padding, with a
     * bias and PyTorch's default initialization.
     */
    public static Conv2d of(int in, int out, int kernel) {
        double b = 1.0 / Math.sqrt((double) in * kernel * kernel);
        return new Conv2d(in, out, kernel, 1, 0, true, Initializer.uniform(-b, b), Initializer.uniform(-b, b), "");
    }

    /** This layer with another zero padding. */
    public Conv2d withPadding(int newPadding) {
        return new Conv2d(in, out, kernel, stride, newPadding, bias, weightInit, biasInit, prefix);
    }

    /** This layer with another stride. */
    public Conv2d withStride(int newStride) {
        return new Conv2d(in, out, kernel, newStride, padding, bias, weightInit, biasInit, prefix);
    }

    /** This layer with or without a bias. */
    public Conv2d withBias(boolean newBias) {
        return new Conv2d(in, out, kernel, stride, padding, newBias, weightInit, biasInit, prefix);
    }

    /** This layer with other initializers. */
    public Conv2d withInit(Initializer newWeightInit, Initializer newBiasInit) {
        return new Conv2d(in, out, kernel, stride, padding, bias, newWeightInit, newBiasInit, prefix);
    }

    /** This layer with parameter names starting with {@code newPrefix}. */
    public Conv2d withPrefix(String newPrefix) {
        return new Conv2d(in, out, kernel, stride, padding, bias, weightInit, biasInit, newPrefix);
    }

    /** W {@code [out, in, k, k]} then b {@code [out]}, drawn in that order, as leaves. */
    @Override
    public Params init(Rng rng) {
        Params p = Params.empty().with(prefix + "weight",
                Variable.leaf(weightInit.sample(rng, Shape.of(out, in, kernel, kernel))));
        return bias ? p.with(prefix + "bias", Variable.leaf(biasInit.sample(rng, Shape.of(out)))) : p;
    }

    /**
     * The convolution of {@code x} {@code [N, in, H, W]}, plus the bias.
     *
     * @throws IllegalArgumentException naming the shapes when x is not NCHW with {@code in} channels
     */
    @Override
    public Variable apply(Params params, Variable x) {
        if (x.rank() != 4 || x.shape().dim(1) != in) {
            throw new IllegalArgumentException("Conv2d(" + in + " → " + out + "): input shape " + x.shape()
                    + " is not [N, " + in + ", H, W]");
        }
        Variable y = VariableConvolutions.conv2d(x, params.get(prefix + "weight"), stride, padding);
        return bias ? y.add(params.get(prefix + "bias").reshape(out, 1, 1)) : y;
    }
}
