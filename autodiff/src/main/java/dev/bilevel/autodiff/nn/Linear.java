package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;

/**
 * An affine layer y = x·Wᵀ + b, with W of shape {@code [out, in]} (PyTorch's layout) and b of shape
 * {@code [out]}; x has shape {@code [..., in]} (rank ≥ 2) and y {@code [..., out]}.
 *
 * <p>The product is one {@code matmul} with the transpose flag on W, so no transposed copy is
 * recorded in the forward pass or either VJP. For a rank-2 input {@code [N, in]} the bias enters
 * as the outer product 1·bᵀ (a second, tiny product), which is exact and cheaper with the current
 * kernels than a broadcast add and its sum-to-shape VJP. Parameters are named
 * {@code prefix + "weight"} and {@code prefix + "bias"}.
 *
 * <p>The default initialization is PyTorch's: W and b drawn from U(−1/√in, 1/√in), i.e. Kaiming
 * uniform with gain 1/√3 (He et al., ICCV 2015).
 *
 * <pre>{@code
 * Linear fc = Linear.of(784, 256);
 * Params p = fc.init(new Rng(0));              // "weight" [256, 784], "bias" [256]
 * Variable h = fc.apply(p, x);                 // [batch, 256]
 * }</pre>
 *
 * @param in         input features, &gt; 0
 * @param out        output features, &gt; 0
 * @param bias       whether b is present
 * @param weightInit draws W
 * @param biasInit   draws b
 * @param prefix     prepended to the parameter names, e.g. {@code "0."}
 */
public record Linear(int in, int out, boolean bias, Initializer weightInit, Initializer biasInit, String prefix)
        implements Layer {

    /** Validates the sizes. */
    public Linear {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in " + in + ", out " + out);
        }
        if (weightInit == null || biasInit == null || prefix == null) {
            throw new IllegalArgumentException("Linear: initializers and prefix must not be null");
        }
    }

    /**
     * A layer {@code in → out} with a bias, PyTorch's default initialization and no name prefix.
     *
     * @param in  input features
     * @param out output features
     * @return the layer
     */
    public static Linear of(int in, int out) {
        double b = 1.0 / Math.sqrt(in);
        return new Linear(in, out, true, Initializer.uniform(-b, b), Initializer.uniform(-b, b), "");
    }

    /** This layer with other initializers. */
    public Linear withInit(Initializer newWeightInit, Initializer newBiasInit) {
        return new Linear(in, out, bias, newWeightInit, newBiasInit, prefix);
    }

    /** This layer with or without a bias. */
    public Linear withBias(boolean newBias) {
        return new Linear(in, out, newBias, weightInit, biasInit, prefix);
    }

    /** This layer with parameter names starting with {@code newPrefix}. */
    public Linear withPrefix(String newPrefix) {
        return new Linear(in, out, bias, weightInit, biasInit, newPrefix);
    }

    /** The name of W. */
    public String weightName() {
        return prefix + "weight";
    }

    /** The name of b. */
    public String biasName() {
        return prefix + "bias";
    }

    /** W then b, drawn in that order from {@code rng}, as leaves. */
    @Override
    public Params init(Rng rng) {
        Params p = Params.empty().with(weightName(), Variable.leaf(weightInit.sample(rng, Shape.of(out, in))));
        return bias ? p.with(biasName(), Variable.leaf(biasInit.sample(rng, Shape.of(out)))) : p;
    }

    /** x·Wᵀ + b. */
    @Override
    public Variable apply(Params params, Variable x) {
        Variable w = params.get(weightName());
        return affine(x, w, bias ? params.get(biasName()) : null);
    }

    /**
     * x·Wᵀ + b for explicit W {@code [out, in]} and b {@code [out]} (or null for no bias); for a
     * rank-2 x the bias is added as 1·bᵀ (see the class comment).
     *
     * @throws IllegalArgumentException naming the shapes when x's last dimension is not W's second
     */
    public static Variable affine(Variable x, Variable w, Variable b) {
        if (x.rank() < 2 || w.rank() != 2 || x.shape().dim(-1) != w.shape().dim(1)) {
            throw new IllegalArgumentException("Linear: input shape " + x.shape() + " does not fit weight shape "
                    + w.shape() + " (need [..., " + (w.rank() == 2 ? w.shape().dim(1) : "in") + "])");
        }
        Variable y = Variable.matmul(x, false, w, true);
        if (b == null) {
            return y;
        }
        if (x.rank() == 2 && b.rank() == 1) {
            // The bias as the outer product 1·bᵀ: a same-shape add, and a VJP that is one small
            // product 1ᵀ·g instead of a broadcast sum. Exact, and 3–4% faster on the MAML step
            // (bench maml-step) with the current kernels, where a broadcast add [10, 40] + [40]
            // takes ~1.4 µs and its sumTo ~1.0 µs, against ~0.16 µs for a same-shape add and
            // ~0.2 µs for the [10, 1]·[1, 40] product.
            Variable ones = Variable.constant(Tensor.ones(x.shape().dim(0), 1));
            return y.add(Variable.matmul(ones, false, b.reshape(1, b.size()), false));
        }
        return y.add(b);
    }
}
