package dev.bilevel.autodiff.nn;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;

/**
 * A rule that draws the initial value of a parameter of a given shape from a seeded {@link Rng}.
 *
 * <p>Fans follow PyTorch's convention for a weight of shape {@code [out, in, k₁, …]}: with the
 * receptive field r = k₁·k₂·…, fan_in = in·r and fan_out = out·r; a vector has fan_in = fan_out =
 * its length. Every rule is deterministic for the seed of {@code rng}.
 *
 * <pre>{@code
 * Tensor w = Initializer.kaimingNormal(Math.sqrt(2)).sample(new Rng(7), Shape.of(40, 1));
 * }</pre>
 */
@FunctionalInterface
public interface Initializer {

    /**
     * Draws a tensor of {@code shape}.
     *
     * @param rng   the stream to draw from (advanced by the draw)
     * @param shape the parameter's shape
     * @return a new tensor of that shape
     */
    Tensor sample(Rng rng, Shape shape);

    /** The gain √2 of ReLU (He et al. 2015): the variance halves through a rectifier. */
    double RELU_GAIN = Math.sqrt(2.0);

    /** All zeros (biases). */
    static Initializer zeros() {
        return (rng, shape) -> Tensor.zeros(shape);
    }

    /** Every element equal to {@code value} (e.g. 1 for a normalization scale). */
    static Initializer constant(double value) {
        return (rng, shape) -> Tensor.full(shape, value);
    }

    /**
     * Independent U(low, high) values.
     *
     * @throws IllegalArgumentException unless low &lt; high
     */
    static Initializer uniform(double low, double high) {
        if (!(low < high)) {
            throw new IllegalArgumentException("uniform needs low < high, got " + low + ", " + high);
        }
        return (rng, shape) -> Tensor.uniform(rng, low, high, shape.dims());
    }

    /**
     * Independent N(0, std²) values.
     *
     * @throws IllegalArgumentException unless std &gt;= 0
     */
    static Initializer normal(double std) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal needs std >= 0, got " + std);
        }
        return (rng, shape) -> normal(rng, shape, std);
    }

    /**
     * Kaiming (He) normal: N(0, σ²) with σ = gain / √fan_in, which keeps the variance of the
     * pre-activations constant across layers (He, Zhang, Ren &amp; Sun, "Delving deep into
     * rectifiers", ICCV 2015, eq. 10). Use {@link #RELU_GAIN} before a ReLU.
     */
    static Initializer kaimingNormal(double gain) {
        return (rng, shape) -> normal(rng, shape, gain / Math.sqrt(fanIn(shape)));
    }

    /**
     * Kaiming (He) uniform: U(−b, b) with b = gain·√(3 / fan_in), the uniform law of variance
     * gain²/fan_in (He et al. 2015).
     */
    static Initializer kaimingUniform(double gain) {
        return (rng, shape) -> uniform(rng, shape, gain * Math.sqrt(3.0 / fanIn(shape)));
    }

    /**
     * Xavier (Glorot) normal: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out)), balancing the
     * variances of activations and back-propagated gradients (Glorot &amp; Bengio,
     * "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010,
     * eq. 12).
     */
    static Initializer xavierNormal(double gain) {
        return (rng, shape) -> normal(rng, shape, gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape))));
    }

    /**
     * Xavier (Glorot) uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)) (Glorot &amp;
     * Bengio 2010, eq. 16, the "normalized initialization").
     */
    static Initializer xavierUniform(double gain) {
        return (rng, shape) -> uniform(rng, shape, gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape))));
    }

    /**
     * N(0, σ²) conditioned on [−k·σ, k·σ], drawn by rejection (each draw is kept with probability
     * P(|Z| ≤ k), 0.954 for k = 2). The standard deviation of the result is σ·√(1 − 2kφ(k)/(2Φ(k)−1)),
     * 0.880·σ for k = 2, where φ and Φ are the standard normal density and distribution function.
     *
     * @param std   σ of the untruncated normal, &gt; 0
     * @param k     the truncation point in units of σ, &gt; 0 (2 is the usual choice)
     * @throws IllegalArgumentException when {@code std} or {@code k} is not positive
     */
    static Initializer truncatedNormal(double std, double k) {
        if (!(std > 0) || !(k > 0)) {
            throw new IllegalArgumentException("truncatedNormal needs std > 0 and k > 0, got " + std + ", " + k);
        }
        return (rng, shape) -> {
            double[] d = new double[shape.size()];
            for (int i = 0; i < d.length; i++) {
                double z;
                do {
                    z = rng.normal();
                } while (Math.abs(z) > k);
                d[i] = std * z;
            }
            return Tensor.of(d, shape);
        };
    }

    /** fan_in of a weight of {@code shape} (see the class comment); 1 for a scalar. */
    static int fanIn(Shape shape) {
        if (shape.rank() == 0) {
            return 1;
        }
        if (shape.rank() == 1) {
            return shape.dim(0);
        }
        return shape.dim(1) * receptiveField(shape);
    }

    /** fan_out of a weight of {@code shape} (see the class comment); 1 for a scalar. */
    static int fanOut(Shape shape) {
        if (shape.rank() == 0) {
            return 1;
        }
        return shape.dim(0) * (shape.rank() == 1 ? 1 : receptiveField(shape));
    }

    private static int receptiveField(Shape shape) {
        int r = 1;
        for (int i = 2; i < shape.rank(); i++) {
            r *= shape.dim(i);
        }
        return r;
    }

    private static Tensor normal(Rng rng, Shape shape, double std) {
        return Tensor.randn(rng, shape.dims()).mul(std);
    }

    private static Tensor uniform(Rng rng, Shape shape, double bound) {
        return Tensor.uniform(rng, -bound, bound, shape.dims());
    }
}
