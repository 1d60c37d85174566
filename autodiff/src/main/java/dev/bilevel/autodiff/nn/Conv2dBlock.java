package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.VariableConvolutions;
import dev.bilevel.tensor.Rng;

/**
 * The building block of the conv-4 backbone used by MAML on Omniglot and miniImageNet (Finn,
 * Abbeel &amp; Levine, ICML 2017, §5.2, after Vinyals et al. 2016): a 3×3 convolution with padding
 * 1, batch normalization, ReLU and 2×2 max-pooling,
 *
 * <pre>
 *   y = maxpool₂ₓ₂(relu(BN(conv₃ₓ₃(x))))      [N, in, H, W] → [N, out, ⌊H/2⌋, ⌊W/2⌋]
 * </pre>
 *
 * <p>Parameters {@code prefix + "conv.weight"}, {@code "conv.bias"}, {@code "bn.weight"},
 * {@code "bn.bias"}. The batch-norm running statistics are explicit ({@link BatchNorm.State}),
 * passed in and returned; with {@link #perStep(int)} there is one set per inner step (MAML++,
 * Antoniou et al., ICLR 2019). Differentiable to any order: the max-pool routes the gradient to
 * the window maxima and has a zero second derivative, as ReLU does.
 *
 * <pre>{@code
 * Conv2dBlock block = Conv2dBlock.of(3, 32).withPrefix("0.");
 * Params p = block.init(rng);
 * BatchNorm.Output o = block.apply(p, block.initialState(), x, true, 0);   // o.y(): [N, 32, H/2, W/2]
 * }</pre>
 *
 * @param conv the 3×3 convolution
 * @param norm the batch normalization over its output channels
 */
public record Conv2dBlock(Conv2d conv, BatchNorm norm) {

    /** Checks that the normalization has the convolution's output channels. */
    public Conv2dBlock {
        if (conv == null || norm == null || norm.features() != conv.out()) {
            throw new IllegalArgumentException("Conv2dBlock: batch norm over " + (norm == null ? "null" : norm.features())
                    + " channels does not match a convolution with " + (conv == null ? "null" : conv.out()) + " outputs");
        }
    }

    /** {@code in → out} channels: 3×3 convolution with padding 1 and PyTorch's initialization, BN with its defaults. */
    public static Conv2dBlock of(int in, int out) {
        return new Conv2dBlock(Conv2d.of(in, out, 3).withPadding(1).withPrefix("conv."),
                BatchNorm.of(out).withPrefix("bn."));
    }

    /** This block with parameter names starting with {@code prefix} (then {@code "conv."} or {@code "bn."}). */
    public Conv2dBlock withPrefix(String prefix) {
        return new Conv2dBlock(conv.withPrefix(prefix + "conv."), norm.withPrefix(prefix + "bn."));
    }

    /** This block with {@code steps} sets of batch-norm running statistics (MAML++ BNRS). */
    public Conv2dBlock perStep(int steps) {
        return new Conv2dBlock(conv, norm.perStep(steps));
    }

    /** The convolution's parameters, then γ = 1 and β = 0 of the normalization, as leaves. */
    public Params init(Rng rng) {
        Params p = conv.init(rng);
        Params n = norm.init(rng);
        for (String name : n.names()) {
            p = p.with(name, n.get(name));
        }
        return p;
    }

    /** Fresh running statistics of the normalization. */
    public BatchNorm.State initialState() {
        return norm.initialState();
    }

    /**
     * The block's output and the normalization's new state.
     *
     * @param params   the parameters under this block's names
     * @param state    the running statistics
     * @param x        input {@code [N, in, H, W]}
     * @param training batch statistics (and a state update) when true, running statistics when false
     * @param step     which set of running statistics
     * @return y {@code [N, out, ⌊H/2⌋, ⌊W/2⌋]} and the new state
     */
    public BatchNorm.Output apply(Params params, BatchNorm.State state, Variable x, boolean training, int step) {
        BatchNorm.Output n = norm.apply(params, state, conv.apply(params, x), training, step);
        return new BatchNorm.Output(VariableConvolutions.maxPool2d(n.y().relu(), 2, 2), n.state());
    }
}
