package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Tensor;
import java.util.List;

/**
 * Factories for the pure, differentiable optimizers of this package, and the two helpers every
 * training loop needs ({@link #applyUpdates}, {@link #globalNorm}). The defaults are PyTorch's and
 * optax's.
 *
 * <pre>{@code
 * Variable lr = Variable.leaf(Tensor.scalar(0.1));             // a hyperparameter to differentiate
 * Optimizer opt = Optimizers.chain(Optimizers.clipByGlobalNorm(1.0),
 *                                  Optimizers.adam(Schedule.constant(lr), 0.9, 0.999, 1e-8, 0.0));
 * }</pre>
 */
public final class Optimizers {
    private Optimizers() {}

    /** SGD, u = −η·g, with a constant learning rate. */
    public static Optimizer sgd(double learningRate) {
        return sgd(Schedule.constant(learningRate));
    }

    /** SGD, u = −η(t)·g. */
    public static Optimizer sgd(Schedule learningRate) {
        return new Sgd(learningRate, 0.0, false);
    }

    /** Heavy-ball momentum: b ← μb + g, u = −η·b (PyTorch's {@code SGD(momentum=μ)}). */
    public static Optimizer momentum(double learningRate, double momentum) {
        return momentum(Schedule.constant(learningRate), momentum);
    }

    /** Heavy-ball momentum with a schedule; see {@link Sgd}. */
    public static Optimizer momentum(Schedule learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false);
    }

    /** Nesterov momentum: b ← μb + g, u = −η·(g + μb) (PyTorch's {@code nesterov=True}). */
    public static Optimizer nesterov(double learningRate, double momentum) {
        return nesterov(Schedule.constant(learningRate), momentum);
    }

    /** Nesterov momentum with a schedule; see {@link Sgd}. */
    public static Optimizer nesterov(Schedule learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true);
    }

    /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ε_root = 0. */
    public static Optimizer adam(double learningRate) {
        return adam(Schedule.constant(learningRate), 0.9, 0.999, 1e-8, 0.0);
    }

    /** Adam; see {@link Adam} for the update and the role of ε_root. */
    public static Optimizer adam(Schedule learningRate, double beta1, double beta2, double eps, double epsRoot) {
        return new Adam(learningRate, beta1, beta2, eps, epsRoot, 0.0);
    }

    /** AdamW with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, ε_root = 0 and decoupled weight decay λ. */
    public static Optimizer adamw(double learningRate, double weightDecay) {
        return adamw(Schedule.constant(learningRate), 0.9, 0.999, 1e-8, 0.0, weightDecay);
    }

    /** AdamW; see {@link Adam}. Its updates read the parameters, which must be passed to update. */
    public static Optimizer adamw(Schedule learningRate, double beta1, double beta2, double eps, double epsRoot,
            double weightDecay) {
        return new Adam(learningRate, beta1, beta2, eps, epsRoot, weightDecay);
    }

    /** RMSprop with ρ = 0.99 and ε = 1e-8 (PyTorch's defaults). */
    public static Optimizer rmsprop(double learningRate) {
        return rmsprop(Schedule.constant(learningRate), 0.99, 1e-8);
    }

    /** RMSprop; see {@link RmsProp}. */
    public static Optimizer rmsprop(Schedule learningRate, double decay, double eps) {
        return new RmsProp(learningRate, decay, eps);
    }

    /** Scales the gradients to global norm at most {@code maxNorm}; see {@link ClipByGlobalNorm}. */
    public static Optimizer clipByGlobalNorm(double maxNorm) {
        return new ClipByGlobalNorm(maxNorm);
    }

    /** The transformations applied in order, each with its own state; see {@link Chain}. */
    public static Optimizer chain(Optimizer... links) {
        return new Chain(List.of(links));
    }

    /**
     * θ + u for every parameter: the new parameters after an update (differentiable).
     *
     * @throws IllegalArgumentException when the names differ
     */
    public static Params applyUpdates(Params params, Params updates) {
        return params.zip(updates, Variable::add);
    }

    /**
     * The global norm √(Σᵢ‖xᵢ‖²) over all parameters, as a rank-0 variable; differentiable, with
     * derivative 0 (not NaN) when every entry is 0. Empty parameters have norm 0.
     */
    public static Variable globalNorm(Params params) {
        Variable sum = null;
        for (Variable v : params.values()) {
            Variable s = v.square().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? Variable.scalar(0.0) : SafeSqrt.of(sum);
    }

    /** Constant zeros shaped like each parameter. */
    static Params zerosLike(Params params) {
        return params.map(v -> Variable.constant(Tensor.zeros(v.shape())));
    }

    /** {@code state} as the state type of the named optimizer, or an error naming both types. */
    static <S extends Optimizer.State> S cast(Optimizer.State state, Class<S> type, String optimizer) {
        if (!type.isInstance(state)) {
            throw new IllegalArgumentException(optimizer + ": expected a state made by " + optimizer + ".init, got "
                    + (state == null ? "null" : state.getClass().getName()));
        }
        return type.cast(state);
    }
}
