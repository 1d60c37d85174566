package dev.bilevel.meta;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;

/**
 * Sinusoid regression exactly as in Finn, Abbeel &amp; Levine, "Model-Agnostic Meta-Learning for
 * Fast Adaptation of Deep Networks", ICML 2017, §5.1: each task is
 *
 * <pre>
 *   y = A·sin(x − φ),   A ~ U[0.1, 5],  φ ~ U[0, π],  x ~ U[−5, 5]
 * </pre>
 *
 * with K support points and Q query points drawn independently. Inputs and targets are
 * {@code [K, 1]} and {@code [Q, 1]}. The draw order is A, φ, support x, query x.
 *
 * <pre>{@code
 * Task t = new SinusoidTasks(10, 10).sample(new Rng(0));   // K = 10 support, 10 query points
 * }</pre>
 *
 * @param support K, number of support points, &gt; 0
 * @param query   Q, number of query points, &gt; 0
 */
public record SinusoidTasks(int support, int query) implements TaskSampler {

    /** Lowest amplitude. */
    public static final double MIN_AMPLITUDE = 0.1;
    /** Highest amplitude. */
    public static final double MAX_AMPLITUDE = 5.0;
    /** Half-width of the input interval. */
    public static final double X_RANGE = 5.0;

    /** Checks that both sizes are positive. */
    public SinusoidTasks {
        if (support <= 0 || query <= 0) {
            throw new IllegalArgumentException("SinusoidTasks: support and query sizes must be positive, got K="
                    + support + ", Q=" + query);
        }
    }

    /** Draws (A, φ), then the support and query inputs, and evaluates the sinusoid. */
    @Override
    public Task sample(Rng rng) {
        double amplitude = rng.uniform(MIN_AMPLITUDE, MAX_AMPLITUDE);
        double phase = rng.uniform(0.0, Math.PI);
        Tensor xs = Tensor.uniform(rng, -X_RANGE, X_RANGE, support, 1);
        Tensor xq = Tensor.uniform(rng, -X_RANGE, X_RANGE, query, 1);
        return new Task(xs, sinusoid(xs, amplitude, phase), xq, sinusoid(xq, amplitude, phase), 0);
    }

    /** A·sin(x − φ) elementwise, in one pass. */
    private static Tensor sinusoid(Tensor x, double amplitude, double phase) {
        double[] y = x.toArray();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.sin(y[i] - phase) * amplitude;
        }
        return Tensor.of(y, x.shape());
    }
}
