package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multilayer perceptron: affine layers {@code sizes[0] → sizes[1] → … → sizes[n]} with an
 * activation between consecutive layers and an optional one after the last:
 *
 * <pre>
 *   h₀ = x,   hᵢ₊₁ = σ(hᵢ·Wᵢᵀ + bᵢ) for i &lt; n − 1,   y = σ_out(h_{n−1}·W_{n−1}ᵀ + b_{n−1})
 * </pre>
 *
 * <p>Layer i's parameters are named {@code "i.weight"} ({@code [sizes[i+1], sizes[i]]}) and
 * {@code "i.bias"}; {@link #init} draws them in that order. Immutable: the builder methods return
 * new instances.
 *
 * <pre>{@code
 * Mlp net = Mlp.of(1, 40, 40, 1).activation(Activation.RELU);   // the MAML sinusoid regressor
 * Params theta = net.init(new Rng(0));
 * Variable y = net.apply(theta, x);                               // x: [K, 1] → y: [K, 1]
 * }</pre>
 */
public final class Mlp implements Layer {
    private final int[] sizes;
    private final Activation activation;
    private final Activation outputActivation;
    private final Initializer weightInit;
    private final Initializer biasInit;
    private final Linear[] layers;

    private Mlp(int[] sizes, Activation activation, Activation outputActivation, Initializer weightInit,
            Initializer biasInit) {
        this.sizes = sizes;
        this.activation = activation;
        this.outputActivation = outputActivation;
        this.weightInit = weightInit;
        this.biasInit = biasInit;
        this.layers = new Linear[sizes.length - 1];
        for (int i = 0; i < layers.length; i++) {
            Linear l = Linear.of(sizes[i], sizes[i + 1]).withPrefix(i + ".");
            if (weightInit != null) {
                l = l.withInit(weightInit, biasInit);
            }
            layers[i] = l;
        }
    }

    /**
     * An MLP through the given widths, with ReLU between layers, no output activation and
     * PyTorch's default initialization (see {@link Linear#of}).
     *
     * @param sizes at least two positive widths: input, hidden…, output
     * @return the network
     * @throws IllegalArgumentException on fewer than two sizes or a non-positive one
     */
    public static Mlp of(int... sizes) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp needs at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("Mlp sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        return new Mlp(sizes.clone(), Activation.RELU, Activation.IDENTITY, null, null);
    }

    /** This network with {@code a} between layers. */
    public Mlp activation(Activation a) {
        return new Mlp(sizes, a, outputActivation, weightInit, biasInit);
    }

    /** This network with {@code a} applied to the output (identity by default). */
    public Mlp outputActivation(Activation a) {
        return new Mlp(sizes, activation, a, weightInit, biasInit);
    }

    /** This network with every weight drawn by {@code weights} and every bias by {@code biases}. */
    public Mlp withInit(Initializer weights, Initializer biases) {
        return new Mlp(sizes, activation, outputActivation, weights, biases);
    }

    /** The activation between layers. */
    public Activation activation() {
        return activation;
    }

    /** The activation applied to the output. */
    public Activation outputActivation() {
        return outputActivation;
    }

    /** The widths, input first. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The affine layers, in order, with prefixes {@code "0."}, {@code "1."}, …. */
    public List<Linear> layers() {
        return List.of(layers);
    }

    /** Every layer's weight then bias, layer by layer, as leaves. */
    @Override
    public Params init(Rng rng) {
        Params p = Params.empty();
        for (Linear l : layers) {
            Params lp = l.init(rng);
            for (String name : lp.names()) {
                p = p.with(name, lp.get(name));
            }
        }
        return p;
    }

    /** The forward pass (see the class comment) with the parameters looked up by name. */
    @Override
    public Variable apply(Params params, Variable x) {
        List<Variable> v = new ArrayList<>(2 * layers.length);
        for (Linear l : layers) {
            v.add(params.get(l.weightName()));
            v.add(params.get(l.biasName()));
        }
        return applyFlat(v, x);
    }

    /**
     * The forward pass with the parameters given positionally: W₀, b₀, W₁, b₁, … (the order of
     * {@link #init}). Avoids name look-ups in hot loops.
     *
     * @param weightsAndBiases 2·(number of layers) variables
     * @param x                input of shape {@code [..., sizes[0]]}
     * @return output of shape {@code [..., sizes[n]]}
     */
    public Variable applyFlat(List<Variable> weightsAndBiases, Variable x) {
        if (weightsAndBiases.size() != 2 * layers.length) {
            throw new IllegalArgumentException("Mlp with " + layers.length + " layers needs " + 2 * layers.length
                    + " weights and biases, got " + weightsAndBiases.size());
        }
        Variable h = x;
        for (int i = 0; i < layers.length; i++) {
            h = Linear.affine(h, weightsAndBiases.get(2 * i), weightsAndBiases.get(2 * i + 1));
            h = i < layers.length - 1 ? activation.apply(h) : outputActivation.apply(h);
        }
        return h;
    }

    /** E.g. {@code Mlp[1, 40, 40, 1]}. */
    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes);
    }
}
