package dev.bilevel.meta;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;

/** Small generated problems for the learners' tests. */
final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * {@code classes × perClass} examples of dimension {@code informative + noise}: class means
     * N(0, 1.5²) in the informative coordinates and 0 elsewhere, within-class noise N(0, 0.5²) in
     * the informative coordinates and N(0, noiseStd²) in the others. A prototype classifier on raw
     * or randomly embedded inputs is swamped by the noise coordinates; a learned embedding can drop
     * them.
     */
    static LabeledDataset gaussianClasses(int classes, int perClass, int informative, int noise, double noiseStd,
            long seed) {
        Rng rng = new Rng(seed);
        int d = informative + noise;
        double[] x = new double[classes * perClass * d];
        int[] y = new int[classes * perClass];
        for (int c = 0; c < classes; c++) {
            double[] mu = new double[informative];
            for (int j = 0; j < informative; j++) {
                mu[j] = 1.5 * rng.normal();
            }
            for (int i = 0; i < perClass; i++) {
                int row = c * perClass + i;
                y[row] = c;
                for (int j = 0; j < d; j++) {
                    x[row * d + j] = j < informative ? mu[j] + 0.5 * rng.normal() : noiseStd * rng.normal();
                }
            }
        }
        return new LabeledDataset(Tensor.of(x, classes * perClass, d), y);
    }

    /** Linear regression tasks y = x·w, w ~ N(0, I₄), x ~ N(0, I₄), K support and Q query points. */
    record LinearTasks(int support, int query) implements TaskSampler {
        @Override
        public Task sample(Rng rng) {
            Tensor w = Tensor.randn(rng, 4, 1);
            Tensor xs = Tensor.randn(rng, support, 4);
            Tensor xq = Tensor.randn(rng, query, 4);
            return new Task(xs, xs.matmul(w), xq, xq.matmul(w), 0);
        }
    }
}
