package dev.bilevel.cli.spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated meta-training spec: what {@code bilevel meta-train --spec meta.yaml} runs. See
 * {@link MetaSpecParser} for the YAML form.
 *
 * @param file the spec file
 * @param algorithm maml, fomaml, reptile, meta-sgd or imaml
 * @param innerLr the inner (adaptation) learning rate α (Meta-SGD: its initial value)
 * @param innerSteps inner gradient steps
 * @param imamlLambda iMAML's proximal weight λ
 * @param support support points per task
 * @param query query points per task
 * @param hidden hidden layer widths of the 1-…-1 MLP
 * @param activation the hidden activation (relu, tanh, ...)
 * @param optimizer adam or sgd, the outer optimizer
 * @param metaLr the outer learning rate
 * @param iterations meta-iterations
 * @param metaBatch tasks per meta-iteration
 * @param threads threads for the tasks of a meta-batch
 * @param seed the root seed
 * @param validateEvery iterations between validations (0: none)
 * @param validationTasks tasks per validation
 * @param patience validations without improvement before stopping (0: never)
 * @param checkpointEvery iterations between checkpoints (0: none)
 * @param checkpoint the checkpoint file, or {@code null}
 */
public record MetaSpec(Path file, String algorithm, double innerLr, int innerSteps, double imamlLambda, int support,
        int query, List<Integer> hidden, String activation, String optimizer, double metaLr, long iterations,
        int metaBatch, int threads, long seed, int validateEvery, int validationTasks, int patience,
        int checkpointEvery, Path checkpoint) {

    /** The algorithms {@code meta-train} knows. */
    public static final List<String> ALGORITHMS = List.of("maml", "fomaml", "reptile", "meta-sgd", "imaml");

    /**
     * Copies the widths.
     *
     * @param file see the record component of the same name
     * @param algorithm see the record component of the same name
     * @param innerLr see the record component of the same name
     * @param innerSteps see the record component of the same name
     * @param imamlLambda see the record component of the same name
     * @param support see the record component of the same name
     * @param query see the record component of the same name
     * @param hidden see the record component of the same name
     * @param activation see the record component of the same name
     * @param optimizer see the record component of the same name
     * @param metaLr see the record component of the same name
     * @param iterations see the record component of the same name
     * @param metaBatch see the record component of the same name
     * @param threads see the record component of the same name
     * @param seed see the record component of the same name
     * @param validateEvery see the record component of the same name
     * @param validationTasks see the record component of the same name
     * @param patience see the record component of the same name
     * @param checkpointEvery see the record component of the same name
     * @param checkpoint see the record component of the same name
     */
    public MetaSpec {
        hidden = List.copyOf(hidden);
    }
}
