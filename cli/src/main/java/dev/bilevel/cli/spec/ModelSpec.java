package dev.bilevel.cli.spec;

import java.util.List;

/**
 * The network of a meta-training spec: an MLP ({@code model: {type: mlp, hidden: [40, 40],
 * activation: relu}}; inputs are flattened, the output width follows from the task: 1 for
 * sinusoid regression, N logits for N-way classification, the last hidden width as the embedding
 * of Prototypical Networks) or the conv-4 backbone ({@code model: {type: conv4, channels: 32,
 * batch_norm: transductive, precision: float64}}, see {@link dev.bilevel.meta.Conv4}).
 *
 * @param type mlp or conv4
 * @param hidden hidden layer widths (mlp)
 * @param activation the hidden activation (mlp)
 * @param channels channels of every block (conv4)
 * @param batchNorm transductive or support: where query batch statistics come from (conv4)
 * @param precision float64 or float32: the arithmetic of the convolutions (conv4)
 * @param line the line of {@code model} in the spec, for errors found once the data is known
 */
public record ModelSpec(String type, List<Integer> hidden, String activation, int channels, String batchNorm,
        String precision, int line) {

    /** The model types a spec may name. */
    public static final List<String> TYPES = List.of("mlp", "conv4");

    /**
     * Copies the widths.
     *
     * @param type see the record component of the same name
     * @param hidden see the record component of the same name
     * @param activation see the record component of the same name
     * @param channels see the record component of the same name
     * @param batchNorm see the record component of the same name
     * @param precision see the record component of the same name
     * @param line see the record component of the same name
     */
    public ModelSpec {
        hidden = List.copyOf(hidden);
    }
}
