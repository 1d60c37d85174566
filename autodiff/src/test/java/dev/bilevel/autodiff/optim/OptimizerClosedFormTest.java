package dev.bilevel.autodiff.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each optimizer, run for several steps with its state carried along, against its textbook update
 * written independently here on plain arrays (PyTorch's formulas): equal within 1e-12.
 */
class OptimizerClosedFormTest {
    private static final int STEPS = 6;
    private static final Params LIKE = Params.empty()
            .with("w", Variable.constant(Tensor.zeros(2, 3)))
            .with("b", Variable.constant(Tensor.zeros(3)));
    private static final int N = LIKE.numel();

    /** An update rule on flat arrays: (θ, g, t = 1, 2, …) → new θ, with its own state. */
    private interface Reference {
        double[] step(double[] theta, double[] g, int t);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void sgdWithStepDecay(long seed) {
        Schedule lr = Schedule.stepDecay(Variable.scalar(0.3), 0.5, 2);
        compare(seed, Optimizers.sgd(lr), (th, g, t) -> {
            double eta = 0.3 * Math.pow(0.5, (t - 1) / 2);
            double[] out = th.clone();
            for (int i = 0; i < N; i++) {
                out[i] -= eta * g[i];
            }
            return out;
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void heavyBallMomentum(long seed) {
        double[] buf = new double[N];
        compare(seed, Optimizers.momentum(0.1, 0.9), (th, g, t) -> {
            double[] out = th.clone();
            for (int i = 0; i < N; i++) {
                buf[i] = 0.9 * buf[i] + g[i];
                out[i] -= 0.1 * buf[i];
            }
            return out;
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void nesterovMomentum(long seed) {
        double[] buf = new double[N];
        compare(seed, Optimizers.nesterov(0.1, 0.8), (th, g, t) -> {
            double[] out = th.clone();
            for (int i = 0; i < N; i++) {
                buf[i] = 0.8 * buf[i] + g[i];
                out[i] -= 0.1 * (g[i] + 0.8 * buf[i]);
            }
            return out;
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void adamIsKingmaBaAlgorithm1(long seed) {
        compare(seed, Optimizers.adam(1e-2), adamReference(1e-2, 0.9, 0.999, 1e-8, 0.0, 0.0));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void adamWithCustomBetasAndEpsRoot(long seed) {
        Optimizer adam = Optimizers.adam(Schedule.constant(0.05), 0.8, 0.95, 1e-6, 1e-10);
        compare(seed, adam, adamReference(0.05, 0.8, 0.95, 1e-6, 1e-10, 0.0));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void adamwIsDecoupledWeightDecay(long seed) {
        compare(seed, Optimizers.adamw(1e-2, 0.1), adamReference(1e-2, 0.9, 0.999, 1e-8, 0.0, 0.1));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void rmsprop(long seed) {
        double[] v = new double[N];
        compare(seed, Optimizers.rmsprop(1e-2), (th, g, t) -> {
            double[] out = th.clone();
            for (int i = 0; i < N; i++) {
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i];
                out[i] -= 1e-2 * g[i] / (Math.sqrt(v[i]) + 1e-8);
            }
            return out;
        });
    }

    @Test
    void exactlyZeroGradientsGiveTheTextbookUpdates() {
        // coordinates 0 and 4 have a zero gradient at every step: v stays 0 there
        List<double[]> grads = grads(7, 4);
        for (double[] g : grads) {
            g[0] = 0.0;
            g[4] = 0.0;
        }
        double[] theta0 = draw(new Rng(70), N);
        double[] adam = run(Optimizers.adam(1e-2), theta0, grads);
        double[] rms = run(Optimizers.rmsprop(1e-2), theta0, grads);
        assertClose(adam, replay(adamReference(1e-2, 0.9, 0.999, 1e-8, 0.0, 0.0), theta0, grads));
        assertThat(adam[0]).isEqualTo(theta0[0]);
        assertThat(rms[4]).isEqualTo(theta0[4]);
    }

    @Test
    void updateIsPureAndRejectsAForeignState() {
        Optimizer adam = Optimizers.adam(1e-2);
        Params g = LIKE.unflatten(Tensor.of(draw(new Rng(5), N), N));
        Optimizer.State s0 = adam.init(LIKE);
        Optimizer.Update first = adam.update(g, s0, LIKE);
        Optimizer.Update again = adam.update(g, s0, LIKE);
        assertThat(first.updates().flattenValues().maxAbsDiff(again.updates().flattenValues())).isZero();
        assertThat(((Adam.State) s0).count()).isZero();
        assertThat(((Adam.State) first.state()).count()).isEqualTo(1);
        assertThatThrownBy(() -> adam.update(g, Optimizers.sgd(0.1).init(LIKE), LIKE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam");
        assertThatThrownBy(() -> Optimizers.adamw(0.1, 0.1).update(g, adam.init(LIKE), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameters");
        assertThatThrownBy(() -> Optimizers.momentum(0.1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
    }

    // ---------------------------------------------------------------- references and runners

    /** Kingma &amp; Ba, Algorithm 1, with PyTorch's AdamW decay θ ← θ(1 − ηλ) before the step. */
    private static Reference adamReference(double lr, double b1, double b2, double eps, double epsRoot, double wd) {
        double[] m = new double[N];
        double[] v = new double[N];
        return (th, g, t) -> {
            double[] out = th.clone();
            for (int i = 0; i < N; i++) {
                out[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                out[i] -= lr * mHat / (Math.sqrt(vHat + epsRoot) + eps);
            }
            return out;
        };
    }

    private static void compare(long seed, Optimizer opt, Reference ref) {
        List<double[]> grads = grads(seed, STEPS);
        double[] theta0 = draw(new Rng(seed * 31), N);
        assertClose(run(opt, theta0, grads), replay(ref, theta0, grads));
    }

    private static double[] run(Optimizer opt, double[] theta0, List<double[]> grads) {
        Params params = LIKE.unflatten(Tensor.of(theta0, N));
        Optimizer.State state = opt.init(params);
        for (double[] g : grads) {
            Optimizer.Update u = opt.update(LIKE.unflatten(Tensor.of(g, N)), state, params);
            params = Optimizers.applyUpdates(params, u.updates());
            state = u.state();
        }
        return params.flattenValues().toArray();
    }

    private static double[] replay(Reference ref, double[] theta0, List<double[]> grads) {
        double[] theta = theta0.clone();
        for (int t = 1; t <= grads.size(); t++) {
            theta = ref.step(theta, grads.get(t - 1), t);
        }
        return theta;
    }

    private static List<double[]> grads(long seed, int steps) {
        Rng rng = new Rng(seed);
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            out.add(draw(rng, N));
        }
        return out;
    }

    private static double[] draw(Rng rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.normal();
        }
        return x;
    }

    private static void assertClose(double[] actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i]))
                    .as("coordinate %d: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected[i])));
        }
    }
}
