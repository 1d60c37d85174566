package dev.bilevel.autodiff.maml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bilevel.autodiff.Autodiff;
import dev.bilevel.autodiff.Params;
import dev.bilevel.autodiff.Variable;
import dev.bilevel.autodiff.nn.Activation;
import dev.bilevel.autodiff.nn.Mlp;
import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Second-order MAML on a 1-40-40-1 regressor (K = 10 sinusoid points, α = 0.01, 1 and 3 inner SGD
 * steps, ReLU and tanh), in float64:
 * <ul>
 *   <li>the meta-gradient dF/dθ from one reverse pass through the unrolled, recorded inner loop
 *       equals the coordinate-wise central difference of the whole meta-objective F(θ) = L_Q(φ_K(θ))
 *       to 1e-6 relative (ℓ2 over all 1,761 coordinates, and per coordinate against the largest);</li>
 *   <li>the first-order meta-gradient differs from it by exactly the Hessian term: with
 *       v_K = ∇L_Q(φ_K) and v_k = v_{k+1} − α·∇²L_S(φ_k)·v_{k+1} (each product an independent
 *       {@link Autodiff#hvp}), second order = v_0 and first order = v_K.</li>
 * </ul>
 * For ReLU the difference quotient is only valid when no pre-activation crosses 0 between θ − h·eᵢ
 * and θ + h·eᵢ; every evaluation records the ReLU pattern of every layer, inner step and point,
 * and the test asserts that it equals the pattern at θ.
 */
class MamlMetaGradientTest {
    private static final double ALPHA = 0.01;
    private static final int K = 10;
    /**
     * Step of the central differences: roundoff ≈ 1e-16·|F|/h ≈ 1e-11, truncation ≈ h²·|F'''|/6 ≈ 1e-11.
     * Measured on these cases: h = 1e-5 gives ≈ 2e-10 relative error, 1e-6 ≈ 1e-9 (roundoff), and 1e-4
     * ≈ 1e-8 for tanh but 1e-4 to 1e-2 for ReLU, whose pre-activations it pushes across 0.
     */
    private static final double H = 1e-5;

    /**
     * Smallest |pre-activation| accepted at θ for ReLU: 5× the most a step of h in one parameter moves
     * one (|x| ≤ 5 in the first layer, hidden activations ≲ 5 in the second: ≲ 5·h).
     */
    private static final double MARGIN = 2.5e-4;

    /** ReLU that records its pre-activations, one array per call. */
    private static final class PatternRecorder implements Activation {
        final List<double[]> preActivations = new ArrayList<>();

        @Override
        public Variable apply(Variable x) {
            preActivations.add(x.value().toArray());
            return x.relu();
        }

        /** Which pre-activations were positive, over all recorded calls, as one string. */
        String pattern() {
            StringBuilder sb = new StringBuilder();
            for (double[] z : preActivations) {
                for (double v : z) {
                    sb.append(v > 0 ? '1' : '0');
                }
                sb.append('|');
            }
            return sb.toString();
        }

        double minAbs() {
            double m = Double.POSITIVE_INFINITY;
            for (double[] z : preActivations) {
                for (double v : z) {
                    m = Math.min(m, Math.abs(v));
                }
            }
            return m;
        }
    }

    private static Params perturbed(Params theta, int flatIndex, double delta) {
        double[] v = theta.flattenValues().toArray();
        v[flatIndex] += delta;
        return theta.unflatten(Tensor.of(v, v.length)).leaves();
    }

    @ParameterizedTest(name = "{0}, {1} inner steps")
    @CsvSource({"relu, 1", "relu, 3", "tanh, 1", "tanh, 3"})
    void secondOrderMetaGradientMatchesCentralDifferences(String activation, int steps) {
        boolean relu = activation.equals("relu");
        PatternRecorder recorder = new PatternRecorder();
        Mlp net = Mlp.of(1, 40, 40, 1).activation(relu ? recorder : Activation.TANH);
        Params theta = net.init(new Rng(11));
        // The first task (of a fixed seeded sequence) whose pre-activations at θ all lie MARGIN away from the kink.
        Sinusoid task = null;
        for (int seed = 0; task == null; seed++) {
            Sinusoid candidate = Sinusoid.sample(new Rng(100L * steps + seed), K);
            recorder.preActivations.clear();
            MamlReference.metaObjective(net, theta, candidate, steps, ALPHA, false);
            if (!relu || recorder.minAbs() > MARGIN) {
                task = candidate;
            }
            assertThat(seed).as("no task with a ReLU margin among the first 50").isLessThan(50);
        }
        String basePattern = relu ? recorder.pattern() : "";

        Tensor analytic = MamlReference.metaGradient(net, theta, task, steps, ALPHA, true).flattenValues();

        int n = theta.numel();
        assertThat(n).isEqualTo(1761);
        double[] fd = new double[n];
        for (int i = 0; i < n; i++) {
            double plus = value(net, perturbed(theta, i, H), task, steps, recorder, basePattern);
            double minus = value(net, perturbed(theta, i, -H), task, steps, recorder, basePattern);
            fd[i] = (plus - minus) / (2 * H);
        }
        Tensor numeric = Tensor.of(fd, n);
        double norm = Math.sqrt(analytic.square().sum().item());
        double maxAbs = analytic.abs().max().item();
        assertThat(norm).isGreaterThan(1e-3);
        assertThat(Math.sqrt(analytic.sub(numeric).square().sum().item())).isLessThanOrEqualTo(1e-6 * norm);
        assertThat(analytic.maxAbsDiff(numeric)).isLessThanOrEqualTo(1e-6 * maxAbs);
    }

    private static double value(Mlp net, Params theta, Sinusoid task, int steps, PatternRecorder recorder,
            String basePattern) {
        recorder.preActivations.clear();
        double f = MamlReference.metaObjective(net, theta, task, steps, ALPHA, false).item();
        if (!basePattern.isEmpty() && !recorder.pattern().equals(basePattern)) {
            throw new AssertionError("a ReLU pre-activation changed sign at a finite-difference point");
        }
        return f;
    }

    @ParameterizedTest(name = "{0}, {1} inner steps")
    @CsvSource({"relu, 1", "relu, 3", "tanh, 1", "tanh, 3"})
    void firstOrderDiffersByExactlyTheHessianTerm(String activation, int steps) {
        Mlp net = Mlp.of(1, 40, 40, 1).activation(activation.equals("relu") ? Activation.RELU : Activation.TANH);
        Params theta = net.init(new Rng(5));
        Sinusoid task = Sinusoid.sample(new Rng(77 + steps), K);

        Tensor secondOrder = MamlReference.metaGradient(net, theta, task, steps, ALPHA, true).flattenValues();
        Tensor firstOrder = MamlReference.metaGradient(net, theta, task, steps, ALPHA, false).flattenValues();

        List<Params> phis = new ArrayList<>();
        Params phi = theta.detach();
        for (int k = 0; k < steps; k++) {
            phis.add(phi);
            phi = MamlReference.adapt(net, phi.leaves(), task, 1, ALPHA, false).detach();
        }
        Params phiK = phi.leaves();
        Tensor v = Autodiff.grad(MamlReference.queryLoss(net, phiK, task), phiK, false, false).flattenValues();
        assertThat(firstOrder.maxAbsDiff(v)).isLessThanOrEqualTo(1e-12 * v.abs().max().item());

        Tensor hessianTerm = Tensor.zeros(v.shape());
        for (int k = steps - 1; k >= 0; k--) {
            Params shape = phis.get(k);
            Tensor hv = Autodiff.hvp(flat -> MamlReference.supportLoss(net, shape.unflatten(flat), task),
                    Variable.constant(shape.flattenValues()), Variable.constant(v)).value();
            Tensor dv = hv.mul(-ALPHA);
            hessianTerm = hessianTerm.add(dv);
            v = v.add(dv);
        }
        double scale = secondOrder.abs().max().item();
        assertThat(hessianTerm.abs().max().item()).as("the Hessian term is not negligible").isGreaterThan(1e-4 * scale);
        assertThat(firstOrder.add(hessianTerm).maxAbsDiff(secondOrder)).isLessThanOrEqualTo(1e-10 * scale);
        assertThat(v.maxAbsDiff(secondOrder)).isLessThanOrEqualTo(1e-10 * scale);
    }
}
