package dev.bilevel.meta;

import dev.bilevel.autodiff.GradMode;
import dev.bilevel.autodiff.ModeScope;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Prototypical Networks (Snell, Swersky &amp; Zemel, "Prototypical Networks for Few-shot Learning",
 * NeurIPS 2017): an embedding f_θ is meta-learned; a task's classes are represented by the mean
 * embedding of their support examples, and queries are classified by a softmax over negative
 * squared Euclidean distances:
 *
 * <pre>
 *   c_k = (1/|S_k|)·Σ_{x∈S_k} f_θ(x),   p(y = k | q) = softmax_k(−‖f_θ(q) − c_k‖² / τ)
 *   L_Q = −mean_q log p(y_q | q)
 * </pre>
 *
 * <p>There is no inner loop: {@link #evaluate} gives the same metrics for every step count.
 * Classification tasks only.
 */
public final class ProtoNet implements MetaLearner {
    private final FunctionalModel embedding;
    private final Config config;

    /** @param temperature τ &gt; 0 dividing the distances (1 in the paper) */
    public record Config(double temperature) {
        /** Validates τ. */
        public Config {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("ProtoNet.Config: temperature must be > 0, got " + temperature);
            }
        }
    }

    /** Prototypical networks over {@code embedding} (which maps inputs to {@code [n, D]} or {@code [n, ...]}). */
    public ProtoNet(FunctionalModel embedding, Config config) {
        this.embedding = embedding;
        this.config = config;
    }

    /** The embedding's fresh parameters. */
    @Override
    public Params init(Rng rng) {
        return embedding.init(rng);
    }

    /** The query logits −‖f(q) − c_k‖²/τ, {@code [queries, ways]}, recorded when grad mode is on. */
    public Variable logits(Params meta, Task task) {
        if (!task.isClassification()) {
            throw new IllegalArgumentException("ProtoNet: needs a classification task, got a regression task");
        }
        Variable es = flat(embedding.apply(meta, Variable.constant(task.supportX())));
        Variable eq = flat(embedding.applyQuery(meta, Variable.constant(task.supportX()),
                Variable.constant(task.queryX())));
        int n = task.ways();
        int[] labels = task.supportLabels();
        double[] counts = new double[n];
        for (int l : labels) {
            counts[l]++;
        }
        double[] avg = new double[n * labels.length];
        for (int i = 0; i < labels.length; i++) {
            avg[labels[i] * labels.length + i] = 1.0 / counts[labels[i]];
        }
        for (int k = 0; k < n; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("ProtoNet: class " + k + " has no support example");
            }
        }
        Variable protos = Variable.constant(Tensor.of(avg, n, labels.length)).matmul(es);       // [N, D]
        Variable qq = eq.square().sum(new int[] {1}, true);                                     // [M, 1]
        Variable cc = protos.square().sum(new int[] {1}, true).transpose();                     // [1, N]
        Variable cross = Variable.matmul(eq, false, protos, true);                              // [M, N]
        Variable dist = qq.add(cc).sub(cross.mul(2.0));
        return dist.mul(-1.0 / config.temperature);
    }

    private static Variable flat(Variable e) {
        return e.rank() == 2 ? e : e.reshape(e.shape().dim(0), e.size() / e.shape().dim(0));
    }

    /** The cross-entropy of the query logits and its gradient with respect to θ. */
    @Override
    public TaskGradient metaGradient(Params meta, Task task, Rng rng) {
        Variable loss = Losses.crossEntropy(logits(meta, task), task.queryLabels());
        return InnerLoop.result(loss, meta);
    }

    /** Query loss and accuracy (independent of the step count). */
    @Override
    public List<TaskMetrics> evaluate(Params meta, Task task, int[] steps, Rng rng) {
        try (ModeScope off = GradMode.disabled()) {
            Variable z = logits(meta, task);
            double loss = Losses.crossEntropy(z, task.queryLabels()).item();
            double acc = task.queryAccuracy(z.value());
            List<TaskMetrics> out = new ArrayList<>(steps.length);
            for (int s : steps) {
                out.add(new TaskMetrics(s, loss, acc));
            }
            return out;
        }
    }
}
