package dev.bilevel.cli.spec;

import dev.bilevel.meta.LearnedOptimizer;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated meta-training spec: what {@code bilevel meta-train --spec meta.yaml} runs. See
 * {@link MetaSpecParser} for the YAML form.
 *
 * @param file the spec file
 * @param algorithm one of {@link #ALGORITHMS}
 * @param innerLr the inner (adaptation) learning rate α (Meta-SGD: its initial value)
 * @param innerSteps inner gradient steps
 * @param imamlLambda iMAML's proximal weight λ
 * @param firstOrder ANIL: drop second derivatives
 * @param temperature Prototypical Networks' τ dividing the distances
 * @param learnedOptimizer the learned optimizer's settings (used by learned-optimizer only)
 * @param support sinusoid: support points per task
 * @param query sinusoid: query points per task
 * @param fewShot the few-shot classification tasks, or {@code null} for sinusoid regression
 * @param model the network
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
 * @param evaluationTasks held-out tasks of the final evaluation (0: none)
 * @param evaluationSteps inner steps before scoring a held-out task
 */
public record MetaSpec(Path file, String algorithm, double innerLr, int innerSteps, double imamlLambda,
        boolean firstOrder, double temperature, LearnedOptimizer.Config learnedOptimizer, int support, int query,
        FewShotSpec fewShot, ModelSpec model, String optimizer, double metaLr, long iterations, int metaBatch,
        int threads, long seed, int validateEvery, int validationTasks, int patience, int checkpointEvery,
        Path checkpoint, int evaluationTasks, int evaluationSteps) {

    /** The algorithms {@code meta-train} knows. */
    public static final List<String> ALGORITHMS =
            List.of("maml", "fomaml", "reptile", "meta-sgd", "imaml", "anil", "protonet", "learned-optimizer");

    /**
     * Whether the tasks are N-way classification (else sinusoid regression).
     *
     * @return true for {@code tasks: {type: fewshot}}
     */
    public boolean classification() {
        return fewShot != null;
    }
}
