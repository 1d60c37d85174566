package dev.bilevel.meta;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Losses;
import dev.bilevel.tensor.Tensor;

/**
 * One few-shot task: a support set (S) to adapt on and a query set (Q) to score the adapted model
 * on. For regression ({@code ways == 0}) the targets are {@code [n, d]} values and the loss is the
 * mean squared error; for N-way classification ({@code ways == N}) the targets are a {@code [n]}
 * vector of labels in {@code 0..N-1} (stored as doubles) and the loss is the mean cross-entropy of
 * the logits.
 *
 * <pre>{@code
 * Task t = new SinusoidTasks(10, 10).sample(new Rng(0));
 * Variable lossS = t.supportLoss(model.apply(params, Variable.constant(t.supportX())));
 * }</pre>
 *
 * @param supportX inputs of the support set, first axis the examples
 * @param supportY targets of the support set
 * @param queryX   inputs of the query set, with the support inputs' trailing shape
 * @param queryY   targets of the query set
 * @param ways     number of classes N, or 0 for regression
 */
public record Task(Tensor supportX, Tensor supportY, Tensor queryX, Tensor queryY, int ways) {

    /** Checks that each set has as many targets as inputs and that both sets have the same input shape. */
    public Task {
        if (supportX == null || supportY == null || queryX == null || queryY == null) {
            throw new IllegalArgumentException("Task: null support or query tensor");
        }
        if (ways < 0) {
            throw new IllegalArgumentException("Task: ways must be 0 (regression) or positive, got " + ways);
        }
        check("support", supportX, supportY, ways);
        check("query", queryX, queryY, ways);
        int[] ds = supportX.shape().dims();
        int[] dq = queryX.shape().dims();
        if (!java.util.Arrays.equals(ds, 1, ds.length, dq, 1, dq.length)) {
            throw new IllegalArgumentException("Task: support inputs " + supportX.shape() + " and query inputs "
                    + queryX.shape() + " differ beyond the first axis");
        }
    }

    private static void check(String set, Tensor x, Tensor y, int ways) {
        if (x.rank() < 1 || x.dim(0) == 0) {
            throw new IllegalArgumentException("Task: empty " + set + " set " + x.shape());
        }
        if (y.rank() < 1 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("Task: " + set + " has " + x.dim(0) + " inputs " + x.shape()
                    + " but targets " + y.shape());
        }
        if (ways > 0) {
            if (y.rank() != 1) {
                throw new IllegalArgumentException("Task: " + set + " labels must be a vector, got " + y.shape());
            }
            for (int i = 0; i < y.size(); i++) {
                double v = y.getFlat(i);
                if (v != Math.rint(v) || v < 0 || v >= ways) {
                    throw new IllegalArgumentException("Task: " + set + " label " + v + " at " + i + " is not in 0.."
                            + (ways - 1));
                }
            }
        }
    }

    /** True for N-way classification, false for regression. */
    public boolean isClassification() {
        return ways > 0;
    }

    /** The support labels as ints (classification only). */
    public int[] supportLabels() {
        return labels(supportY);
    }

    /** The query labels as ints (classification only). */
    public int[] queryLabels() {
        return labels(queryY);
    }

    /** The task loss of predictions for the support set: MSE or mean cross-entropy. */
    public Variable supportLoss(Variable prediction) {
        return loss(prediction, supportY);
    }

    /** The task loss of predictions for the query set: MSE or mean cross-entropy. */
    public Variable queryLoss(Variable prediction) {
        return loss(prediction, queryY);
    }

    /**
     * The fraction of query examples whose arg-max logit is the label (classification), or NaN
     * for regression.
     *
     * @param logits query predictions {@code [n, ways]}
     */
    public double queryAccuracy(Tensor logits) {
        if (!isClassification()) {
            return Double.NaN;
        }
        Tensor pred = logits.argmax(1);
        int correct = 0;
        for (int i = 0; i < queryY.size(); i++) {
            if (pred.getFlat(i) == queryY.getFlat(i)) {
                correct++;
            }
        }
        return correct / (double) queryY.size();
    }

    private Variable loss(Variable prediction, Tensor target) {
        if (isClassification()) {
            if (prediction.rank() != 2 || prediction.shape().dim(0) != target.size()
                    || prediction.shape().dim(1) != ways) {
                throw new IllegalArgumentException("Task: expected logits [" + target.size() + ", " + ways + "], got "
                        + prediction.shape());
            }
            return Losses.crossEntropy(prediction, labels(target));
        }
        if (!prediction.shape().equals(target.shape())) {
            throw new IllegalArgumentException("Task: prediction " + prediction.shape() + " does not match targets "
                    + target.shape());
        }
        return Losses.mse(prediction, Variable.constant(target));
    }

    private int[] labels(Tensor y) {
        if (!isClassification()) {
            throw new IllegalStateException("Task: a regression task has no labels");
        }
        int[] l = new int[y.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = (int) y.getFlat(i);
        }
        return l;
    }
}
