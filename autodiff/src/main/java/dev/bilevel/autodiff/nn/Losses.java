package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;

/**
 * Loss functions, each a mean over examples, differentiable to any order (their derivatives are
 * recorded like any other operation, so second-order MAML differentiates through them).
 *
 * <pre>{@code
 * Variable l1 = Losses.mse(net.apply(theta, x), Variable.constant(y));
 * Variable l2 = Losses.crossEntropy(logits, new int[] {3, 0, 7});
 * }</pre>
 */
public final class Losses {
    private Losses() {}

    /**
     * Mean squared error: (1/n)·Σᵢ (predictionᵢ − targetᵢ)² over all n elements.
     *
     * @param prediction any shape
     * @param target     the same shape, or one that broadcasts to it
     * @return a scalar
     * @throws IllegalArgumentException naming both shapes when they do not broadcast
     */
    public static Variable mse(Variable prediction, Variable target) {
        return prediction.sub(target).square().mean();
    }

    /**
     * Cross-entropy of integer class labels under softmax probabilities:
     * −(1/N)·Σₙ log softmax(zₙ)_{yₙ} = (1/N)·Σₙ (logsumexp(zₙ) − z_{n,yₙ}).
     *
     * <p>Computed through {@link Variable#logSoftmax}, which subtracts the row maximum inside the
     * log-sum-exp, so it is finite for any finite logits. Its gradient is (softmax(z) − onehot(y))/N.
     *
     * @param logits unnormalized scores of shape {@code [N, C]}
     * @param labels N labels in {@code [0, C)}
     * @return a scalar
     * @throws IllegalArgumentException when the shapes disagree or a label is out of range
     */
    public static Variable crossEntropy(Variable logits, int[] labels) {
        if (logits.rank() != 2 || logits.shape().dim(0) != labels.length) {
            throw new IllegalArgumentException("crossEntropy: logits shape " + logits.shape() + " does not fit "
                    + labels.length + " labels (need [" + labels.length + ", classes])");
        }
        Variable picked = logits.logSoftmax(1).mul(Variable.constant(Tensor.oneHot(labels, logits.shape().dim(1))));
        return picked.sum().div(-Math.max(1, labels.length));
    }

    /**
     * Binary cross-entropy of targets t ∈ [0, 1] under probabilities σ(z), from the logits z:
     * (1/n)·Σ −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = (1/n)·Σ softplus(z) − t·z, the form that
     * needs neither σ(z) nor log of it, so large |z| neither overflows nor loses precision.
     *
     * @param logits  any shape
     * @param targets the same shape (or one that broadcasts to it), values in [0, 1]
     * @return a scalar
     */
    public static Variable binaryCrossEntropyWithLogits(Variable logits, Variable targets) {
        return logits.softplus().sub(logits.mul(targets)).mean();
    }
}
