package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hypergradient d L_val(θ₅(η)) / dη of logistic regression trained for 5 unrolled steps,
 * obtained by reverse mode through the recorded steps (the learning rate a leaf, gradients taken
 * with createGraph), against central finite differences of the whole training run.
 */
class UnrolledHypergradientTest {
    private static final int STEPS = 5;
    private static final Rng DATA = new Rng(20260401);
    private static final Tensor X_TRAIN = Tensor.randn(DATA.fork(1), 24, 3);
    private static final Tensor Y_TRAIN = labels(X_TRAIN, DATA.fork(2));
    private static final Tensor X_VAL = Tensor.randn(DATA.fork(3), 16, 3);
    private static final Tensor Y_VAL = labels(X_VAL, DATA.fork(4));
    private static final Params THETA0 = Params.empty()
            .with("w", Variable.constant(Tensor.randn(DATA.fork(5), 3, 1).mul(0.5)))
            .with("b", Variable.constant(Tensor.vector(0.1)));

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Function<Schedule, Optimizer>) Optimizers::sgd, 0.5),
                Arguments.of("momentum", (Function<Schedule, Optimizer>) s -> Optimizers.momentum(s, 0.9), 0.3),
                Arguments.of("nesterov", (Function<Schedule, Optimizer>) s -> Optimizers.nesterov(s, 0.9), 0.3),
                Arguments.of("adam", (Function<Schedule, Optimizer>) s -> Optimizers.adam(s, 0.9, 0.999, 1e-8, 0),
                        0.05),
                Arguments.of("adamw", (Function<Schedule, Optimizer>) s -> Optimizers.adamw(s, 0.9, 0.999, 1e-8, 0,
                        0.1), 0.05),
                Arguments.of("rmsprop", (Function<Schedule, Optimizer>) s -> Optimizers.rmsprop(s, 0.9, 1e-8), 0.01),
                Arguments.of("clip+adam", (Function<Schedule, Optimizer>) s -> Optimizers.chain(
                        Optimizers.clipByGlobalNorm(0.2), Optimizers.adam(s, 0.9, 0.999, 1e-8, 0)), 0.05),
                Arguments.of("sgd+warmup+cosine", (Function<Schedule, Optimizer>) s -> Optimizers.sgd(
                        Schedule.linearWarmup(0.2, 2, Schedule.cosineDecay(s.at(0), 4, 0.1))), 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void unrolledLearningRateDerivativeMatchesFiniteDifferences(String name, Function<Schedule, Optimizer> make,
            double eta) {
        Variable lr = Variable.leaf(Tensor.scalar(eta));
        Variable loss = trainThenValidate(make.apply(Schedule.constant(lr)));
        double analytic = Autodiff.grad(loss, lr, false).item();

        double h = 1e-5 * eta;
        double numeric = (lossAt(make, eta + h) - lossAt(make, eta - h)) / (2 * h);
        assertThat(Math.abs(analytic - numeric))
                .as("%s: analytic %s, central difference %s", name, analytic, numeric)
                .isLessThanOrEqualTo(1e-6 * Math.abs(numeric) + 1e-9);
        assertThat(Math.abs(analytic)).as("the learning rate must matter").isGreaterThan(1e-4);
    }

    private static double lossAt(Function<Schedule, Optimizer> make, double eta) {
        return trainThenValidate(make.apply(Schedule.constant(eta))).item();
    }

    /** θ₀ → five steps on the training set (recorded) → validation loss. */
    private static Variable trainThenValidate(Optimizer opt) {
        Params params = THETA0.leaves();
        Optimizer.State state = opt.init(params);
        for (int k = 0; k < STEPS; k++) {
            Params grads = Autodiff.grad(loss(params, X_TRAIN, Y_TRAIN), params, true, false);
            Optimizer.Update u = opt.update(grads, state, params);
            params = Optimizers.applyUpdates(params, u.updates());
            state = u.state();
        }
        return loss(params, X_VAL, Y_VAL);
    }

    /** Mean binary cross-entropy with logits z = Xw + b: mean(softplus(z) − y·z). */
    private static Variable loss(Params p, Tensor x, Tensor y) {
        Variable z = Variable.constant(x).matmul(p.get("w")).add(p.get("b"));
        return z.softplus().sub(z.mul(Variable.constant(y))).mean();
    }

    /** Labels from a noisy linear rule, so the problem is not separable. */
    private static Tensor labels(Tensor x, Rng rng) {
        Tensor score = x.matmul(Tensor.of(new double[] {1.0, -2.0, 0.5}, 3, 1)).add(Tensor.randn(rng, x.dim(0), 1));
        return score.gt(0.0);
    }
}
