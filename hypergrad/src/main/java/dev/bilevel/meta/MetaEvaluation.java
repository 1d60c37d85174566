package dev.bilevel.meta;

import dev.bilevel.autodiff.Params;
import dev.bilevel.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The published evaluation protocol of few-shot learning (Finn et al. 2017; Snell et al. 2017):
 * adapt to each of n held-out tasks (600 by default) and report, for each number of inner steps,
 * the mean query loss and accuracy with a 95% confidence interval 1.96·σ/√n (σ the sample
 * standard deviation over tasks).
 *
 * <pre>{@code
 * List<MetaEvaluation.Estimate> mse = MetaEvaluation.run(maml, theta, new SinusoidTasks(10, 10),
 *         new Rng(7), 600, new int[] {0, 1, 5, 10});
 * }</pre>
 */
public final class MetaEvaluation {
    /** The standard number of held-out tasks. */
    public static final int TASKS = 600;

    private MetaEvaluation() {
    }

    /**
     * Mean and 95% confidence half-width of the query loss and accuracy after {@code steps} steps.
     *
     * @param steps       inner steps
     * @param loss        mean query loss
     * @param lossCi95    1.96·σ/√n of the loss
     * @param accuracy    mean accuracy (NaN for regression)
     * @param accuracyCi95 1.96·σ/√n of the accuracy (NaN for regression)
     * @param tasks       n
     * @param allFinite   whether every task's loss was finite
     */
    public record Estimate(int steps, double loss, double lossCi95, double accuracy, double accuracyCi95, int tasks,
            boolean allFinite) {
    }

    /**
     * Evaluates {@code learner} at θ on tasks {@code sampler.task(rng, i)}, i &lt; n.
     *
     * @param steps non-decreasing step counts
     * @return one estimate per step count
     */
    public static List<Estimate> run(MetaLearner learner, Params meta, TaskSampler sampler, Rng rng, int tasks,
            int[] steps) {
        if (tasks < 2) {
            throw new IllegalArgumentException("MetaEvaluation: need at least 2 tasks for a confidence interval, got "
                    + tasks);
        }
        double[][] loss = new double[steps.length][tasks];
        double[][] acc = new double[steps.length][tasks];
        for (int i = 0; i < tasks; i++) {
            List<TaskMetrics> m = learner.evaluate(meta, sampler.task(rng, i), steps, rng.fork(-1 - (long) i));
            for (int j = 0; j < steps.length; j++) {
                loss[j][i] = m.get(j).loss();
                acc[j][i] = m.get(j).accuracy();
            }
        }
        List<Estimate> out = new ArrayList<>(steps.length);
        for (int j = 0; j < steps.length; j++) {
            boolean finite = true;
            for (double v : loss[j]) {
                finite &= Double.isFinite(v);
            }
            out.add(new Estimate(steps[j], mean(loss[j]), ci95(loss[j]), mean(acc[j]), ci95(acc[j]), tasks, finite));
        }
        return out;
    }

    /** The sample mean. */
    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** 1.96·σ/√n with σ the sample (n − 1) standard deviation. */
    public static double ci95(double[] x) {
        double m = mean(x);
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return 1.96 * Math.sqrt(ss / (x.length - 1)) / Math.sqrt(x.length);
    }
}
