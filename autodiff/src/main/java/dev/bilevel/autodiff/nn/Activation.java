package dev.bilevel.autodiff.nn;

import dev.bilevel.autodiff.Variable;

/**
 * An elementwise nonlinearity σ applied between layers, differentiable to any order wherever σ is
 * smooth (piecewise-linear σ use the subgradient 0 at their kinks, and their second derivative is
 * zero). Any {@code Variable → Variable} function is an activation, so a test may wrap one to
 * observe the pre-activations it receives.
 *
 * <pre>{@code
 * Mlp net = Mlp.of(1, 40, 40, 1).activation(Activation.TANH);
 * Variable y = Activation.GELU.apply(x);
 * Variable p = Activation.softmax(logits, -1);
 * }</pre>
 */
@FunctionalInterface
public interface Activation {

    /**
     * σ(x), elementwise.
     *
     * @param x any variable
     * @return a variable of the same shape
     */
    Variable apply(Variable x);

    /** σ(x) = x. */
    Activation IDENTITY = x -> x;

    /** ReLU: σ(x) = max(x, 0) (Nair &amp; Hinton, ICML 2010); subgradient 0 at 0. */
    Activation RELU = Variable::relu;

    /** Leaky ReLU with the usual slope 0.01 (Maas, Hannun &amp; Ng, ICML 2013 workshop). */
    Activation LEAKY_RELU = leakyRelu(0.01);

    /** σ(x) = tanh x. */
    Activation TANH = Variable::tanh;

    /** The logistic function σ(x) = 1 / (1 + e^−x). */
    Activation SIGMOID = Variable::sigmoid;

    /** Softplus: σ(x) = log(1 + e^x), a smooth ReLU, computed without overflow. */
    Activation SOFTPLUS = Variable::softplus;

    /** The exact GELU, see {@link #gelu(Variable)}. */
    Activation GELU = Activation::gelu;

    /**
     * Leaky ReLU: σ(x) = x for x &gt; 0, {@code slope}·x otherwise.
     *
     * @param slope the slope of the negative part
     * @return the activation
     */
    static Activation leakyRelu(double slope) {
        return x -> x.leakyRelu(slope);
    }

    /**
     * The Gaussian error linear unit, exact form: GELU(x) = x·Φ(x) = ½·x·(1 + erf(x/√2)), Φ the
     * standard normal distribution function (Hendrycks &amp; Gimpel, "Gaussian Error Linear Units
     * (GELUs)", arXiv:1606.08415, 2016). Not the tanh approximation. Its derivative
     * Φ(x) + x·φ(x) comes from the recorded erf, so every order is exact.
     *
     * @param x any variable
     * @return GELU(x), elementwise
     */
    static Variable gelu(Variable x) {
        return x.mul(x.mul(Math.sqrt(0.5)).erf().add(1.0)).mul(0.5);
    }

    /**
     * softmax(x)ᵢ = exp(xᵢ − logsumexp(x)) along {@code axis}: non-negative, summing to 1 along it.
     *
     * @param x    logits
     * @param axis the axis to normalize (−1 for the last)
     * @return probabilities of the same shape
     */
    static Variable softmax(Variable x, int axis) {
        return x.softmax(axis);
    }

    /**
     * log softmax(x)ᵢ = xᵢ − logsumexp(x) along {@code axis}, with the maximum subtracted inside
     * the log-sum-exp so that large logits do not overflow.
     *
     * @param x    logits
     * @param axis the axis to normalize (−1 for the last)
     * @return log-probabilities of the same shape
     */
    static Variable logSoftmax(Variable x, int axis) {
        return x.logSoftmax(axis);
    }
}
