package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.VariableConvolutions;
import dev.bilevel.autodiff.nn.Conv2d;
import dev.bilevel.autodiff.nn.Linear;
import dev.bilevel.tensor.Precision;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.Set;

/**
 * The conv-4 backbone of few-shot learning (Vinyals et al. 2016; Finn et al. 2017 §5.2; Snell et
 * al. 2017): four blocks of 3×3 convolution (padding 1), batch normalization, ReLU and 2×2
 * max-pooling, then either a linear head to N logits ({@code ways > 0}, MAML family) or the
 * flattened features as an embedding ({@code ways == 0}, Prototypical Networks).
 *
 * <p><b>BatchNorm is explicit</b> ({@link BatchNormMode}): normalization always uses batch
 * statistics, never running averages, so nothing leaks from one task to the next and the
 * statistics are recomputed at every inner step under that step's weights (per-step statistics).
 * What differs is which examples the statistics of a query batch come from:
 * {@link BatchNormMode#TRANSDUCTIVE} uses the query batch itself (Finn et al.'s code; it lets
 * queries inform each other), {@link BatchNormMode#SUPPORT_STATISTICS} uses the support set only
 * (each query is classified independently of the others; cf. Bronskill et al., "TaskNorm", ICML
 * 2020). Parameters: {@code "i.conv.weight"}, {@code "i.conv.bias"}, {@code "i.bn.weight"} (γ),
 * {@code "i.bn.bias"} (β) for i = 0..3, and {@code "head.weight"}, {@code "head.bias"}.
 *
 * <p>As a {@link SplitModel} the body is the four blocks and the flattening, the head the linear
 * map (none for an embedding), so that ANIL computes a task's features once.
 *
 * <pre>{@code
 * Conv4 net = new Conv4(1, 28, 32, 5, Conv4.BatchNormMode.TRANSDUCTIVE);   // 5-way logits for 28×28 images
 * }</pre>
 *
 * <p>The convolutions run in {@code precision}: {@link Precision#FLOAT32} computes them (forward
 * and every derivative) on float32 copies of their operands, as PyTorch does on a CPU, at about
 * half the memory traffic; batch normalization and everything else stay in float64.
 *
 * @param inChannels input channels, ≥ 1
 * @param imageSize  input height and width, ≥ 16
 * @param channels   channels of every block, ≥ 1
 * @param ways       logits of the head, or 0 for an embedding without head
 * @param mode       where query batch statistics come from
 * @param precision  the arithmetic of the convolutions
 */
public record Conv4(int inChannels, int imageSize, int channels, int ways, BatchNormMode mode, Precision precision)
        implements SplitModel {
    private static final double EPS = 1e-5;

    /** Where the batch-normalization statistics of a query batch come from. */
    public enum BatchNormMode {
        /** From the query batch itself. */
        TRANSDUCTIVE,
        /** From the support set of the task (computed under the same weights). */
        SUPPORT_STATISTICS
    }

    /** Validates the fields. */
    public Conv4 {
        if (inChannels < 1 || imageSize < 16 || channels < 1 || ways < 0 || mode == null || precision == null) {
            throw new IllegalArgumentException("Conv4: invalid inChannels " + inChannels + ", imageSize " + imageSize
                    + ", channels " + channels + ", ways " + ways + ", mode " + mode + ", precision " + precision);
        }
    }

    /** A conv-4 whose convolutions run in float64. */
    public Conv4(int inChannels, int imageSize, int channels, int ways, BatchNormMode mode) {
        this(inChannels, imageSize, channels, ways, mode, Precision.FLOAT64);
    }

    /** Side of the feature map after the four poolings. */
    public int featureSide() {
        int s = imageSize;
        for (int i = 0; i < 4; i++) {
            s /= 2;
        }
        return s;
    }

    /** Length of the flattened features. */
    public int features() {
        return channels * featureSide() * featureSide();
    }

    private Conv2d conv(int i) {
        return Conv2d.of(i == 0 ? inChannels : channels, channels, 3).withPadding(1).withPrefix(i + ".conv.");
    }

    /** Convolutions with PyTorch's default initialization, γ = 1, β = 0, then the head. */
    @Override
    public Params init(Rng rng) {
        Params p = Params.empty();
        for (int i = 0; i < 4; i++) {
            Params c = conv(i).init(rng);
            for (String n : c.names()) {
                p = p.with(n, c.get(n));
            }
            p = p.with(i + ".bn.weight", Variable.leaf(Tensor.ones(channels)))
                    .with(i + ".bn.bias", Variable.leaf(Tensor.zeros(channels)));
        }
        if (ways > 0) {
            Params h = Linear.of(features(), ways).withPrefix("head.").init(rng);
            for (String n : h.names()) {
                p = p.with(n, h.get(n));
            }
        }
        return p;
    }

    /** The batch normalized with its own statistics (support, or any batch on its own). */
    @Override
    public Variable apply(Params params, Variable x) {
        return forward(params, x, x.shape().dim(0));
    }

    /** Query outputs, with statistics per {@link #mode}. */
    @Override
    public Variable applyQuery(Params params, Variable support, Variable query) {
        if (mode == BatchNormMode.TRANSDUCTIVE) {
            return apply(params, query);
        }
        int ns = support.shape().dim(0);
        Variable both = forward(params, Variable.concat(0, support, query), ns);
        return both.slice(0, ns, both.shape().dim(0));
    }

    /** {@code head.weight} and {@code head.bias}, or none for an embedding ({@code ways == 0}). */
    @Override
    public Set<String> headNames() {
        return ways > 0 ? Set.of("head.weight", "head.bias") : Set.of();
    }

    /**
     * The flattened output of the four blocks, {@code [N, features()]}: the support set with its
     * own statistics, the query set with the statistics of {@link #mode} (for
     * {@link BatchNormMode#SUPPORT_STATISTICS} both come from one pass over support and query).
     */
    @Override
    public Features features(Params params, Variable support, Variable query) {
        int ns = support.shape().dim(0);
        if (mode == BatchNormMode.TRANSDUCTIVE) {
            return new Features(body(params, support, ns), body(params, query, query.shape().dim(0)));
        }
        Variable both = body(params, Variable.concat(0, support, query), ns);
        return new Features(both.slice(0, 0, ns), both.slice(0, ns, both.shape().dim(0)));
    }

    /** The linear head's logits {@code features·Wᵀ + b}, or the features themselves for an embedding. */
    @Override
    public Variable head(Params params, Variable features) {
        return ways > 0 ? Linear.affine(features, params.get("head.weight"), params.get("head.bias")) : features;
    }

    /** The network with batch statistics from the first {@code statRows} examples of {@code x}. */
    private Variable forward(Params params, Variable x, int statRows) {
        return head(params, body(params, x, statRows));
    }

    /** The four blocks and the flattening, with batch statistics from the first {@code statRows} examples. */
    private Variable body(Params params, Variable x, int statRows) {
        if (x.rank() != 4 || x.shape().dim(1) != inChannels || x.shape().dim(2) != imageSize
                || x.shape().dim(3) != imageSize) {
            throw new IllegalArgumentException("Conv4: input " + x.shape() + " is not [N, " + inChannels + ", "
                    + imageSize + ", " + imageSize + "]");
        }
        Variable h = x;
        for (int i = 0; i < 4; i++) {
            h = block(params, h, i, statRows);
        }
        return h.reshape(h.shape().dim(0), features());
    }

    /**
     * Block i: convolution, then batch normalization with the statistics of the first
     * {@code statRows} examples, ReLU and 2×2 max-pooling as one fused operation
     * ({@link VariableConvolutions#batchNormReluPool}: two passes over the feature map instead of a dozen).
     * The convolution's bias {@code "i.conv.bias"} is a parameter, as in the reference
     * implementations, but it is not added: normalization subtracts the batch mean, which removes
     * any per-channel shift, so the output does not depend on it and its gradient is exactly 0
     * (which the gradient functions report for unused parameters).
     */
    Variable block(Params params, Variable x, int i, int statRows) {
        Variable y = VariableConvolutions.conv2d(x, params.get(i + ".conv.weight"), 1, 1, 1, 1, precision);
        return VariableConvolutions.batchNormReluPool(y, params.get(i + ".bn.weight"), params.get(i + ".bn.bias"),
                statRows, 2, EPS);
    }
}
