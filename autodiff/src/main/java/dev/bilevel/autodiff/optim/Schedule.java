package dev.bilevel.autodiff.optim;

import dev.bilevel.autodiff.Variable;

/**
 * A learning-rate schedule: the step size η(t) as a function of the step count t = 0, 1, 2, …
 * (the number of updates already applied, so the first update uses η(0)), as in optax.
 *
 * <p>Every schedule built here is a base value η₀ times a multiplier m(t) that depends on t only:
 * η(t) = η₀·m(t). The base value is a {@link Variable}, so when it is a leaf the final loss of an
 * unrolled run can be differentiated with respect to it; the multiplier is a plain number.
 *
 * <pre>{@code
 * Variable lr = Variable.leaf(Tensor.scalar(0.1));
 * Schedule s = Schedule.linearWarmup(0.0, 100, Schedule.cosineDecay(lr, 900, 0.0));
 * Optimizer opt = Optimizers.adam(s, 0.9, 0.999, 1e-8, 0.0);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {

    /**
     * η(t), a rank-0 variable.
     *
     * @param step the number of updates already applied, t ≥ 0
     */
    Variable at(long step);

    /** η(t) = η₀ for every t. */
    static Schedule constant(double value) {
        Variable v = Variable.scalar(value);
        return t -> v;
    }

    /** η(t) = η₀ for every t, with η₀ a variable (e.g. a leaf, to differentiate with respect to it). */
    static Schedule constant(Variable value) {
        requireScalar(value);
        return t -> value;
    }

    /**
     * Step decay (PyTorch's {@code StepLR}): η(t) = η₀·γ^⌊t / stepSize⌋.
     *
     * @throws IllegalArgumentException unless {@code stepSize > 0}
     */
    static Schedule stepDecay(Variable initial, double gamma, long stepSize) {
        requireScalar(initial);
        requirePositive("stepSize", stepSize);
        return t -> scaled(initial, Math.pow(gamma, Math.floorDiv(checked(t), stepSize)));
    }

    /**
     * Exponential decay (optax's {@code exponential_decay}): η(t) = η₀·r^(t / T), or
     * η₀·r^⌊t / T⌋ when {@code staircase}.
     *
     * @param rate            the decay factor r per {@code transitionSteps} steps
     * @param transitionSteps T &gt; 0
     * @throws IllegalArgumentException unless {@code transitionSteps > 0}
     */
    static Schedule exponentialDecay(Variable initial, double rate, long transitionSteps, boolean staircase) {
        requireScalar(initial);
        requirePositive("transitionSteps", transitionSteps);
        return t -> {
            double p = staircase ? Math.floorDiv(checked(t), transitionSteps) : (double) checked(t) / transitionSteps;
            return scaled(initial, Math.pow(rate, p));
        };
    }

    /**
     * Cosine decay (Loshchilov &amp; Hutter, "SGDR: stochastic gradient descent with warm restarts",
     * ICLR 2017, without restarts; optax's {@code cosine_decay_schedule}):
     * η(t) = η₀·[(1 − α)·½(1 + cos(π·min(t, T)/T)) + α], from η₀ down to α·η₀ at t = T, constant after.
     *
     * @param decaySteps T &gt; 0
     * @param alpha      the final value as a fraction of η₀
     * @throws IllegalArgumentException unless {@code decaySteps > 0}
     */
    static Schedule cosineDecay(Variable initial, long decaySteps, double alpha) {
        requireScalar(initial);
        requirePositive("decaySteps", decaySteps);
        return t -> {
            double progress = (double) Math.min(checked(t), decaySteps) / decaySteps;
            return scaled(initial, (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress)) + alpha);
        };
    }

    /**
     * Linear warm-up (Goyal et al., "Accurate, large minibatch SGD", 2017) before another schedule:
     * η(t) = s(0)·(f + (1 − f)·t/W) for t &lt; W, then η(t) = s(t − W), where s is {@code then}
     * and f is {@code startFactor}. With f = 0 this is optax's {@code linear_schedule} from 0
     * joined to s.
     *
     * @param startFactor   f, the fraction of s(0) used at t = 0
     * @param warmupSteps   W ≥ 0
     * @param then          the schedule after warm-up, restarted at its own step 0
     * @throws IllegalArgumentException when {@code warmupSteps < 0}
     */
    static Schedule linearWarmup(double startFactor, long warmupSteps, Schedule then) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("linearWarmup: warmupSteps must be >= 0, got " + warmupSteps);
        }
        return t -> checked(t) < warmupSteps
                ? scaled(then.at(0), startFactor + (1 - startFactor) * t / warmupSteps)
                : then.at(t - warmupSteps);
    }

    private static Variable scaled(Variable base, double factor) {
        return factor == 1.0 ? base : base.mul(factor);
    }

    private static long checked(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("schedule: step must be >= 0, got " + step);
        }
        return step;
    }

    private static void requirePositive(String what, long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("schedule: " + what + " must be > 0, got " + n);
        }
    }

    private static void requireScalar(Variable v) {
        if (v.size() != 1) {
            throw new IllegalArgumentException("schedule: the base value must have one element, got shape "
                    + v.shape());
        }
    }
}
