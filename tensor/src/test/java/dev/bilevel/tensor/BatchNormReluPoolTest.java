package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused block against plain loops (two-pass statistics, ReLU, window maxima) and its three
 * gradients against central differences of ⟨g, out⟩.
 */
class BatchNormReluPoolTest {
    private static final double EPS = 1e-5;

    @ParameterizedTest(name = "h[{0},{1},{2},{3}] statRows {4} pool {5}")
    @CsvSource({"3,2,6,6,3,2", "4,3,5,7,2,2", "2,1,6,6,1,3", "5,2,4,4,5,4", "1,1,2,2,1,1"})
    void forwardMatchesPlainLoops(int n, int c, int h, int w, int k, int p) {
        SplittableRandom rnd = new SplittableRandom(n * 31L + c);
        Tensor x = normal(rnd, 100, n, c, h, w);      // a large mean: the variance must not lose its digits
        Tensor gamma = normal(rnd, 0, c);
        Tensor beta = normal(rnd, 0, c);
        Tensor out = BatchNormReluPool.plan(x, gamma, beta, k, p, EPS).forward(x, gamma, beta);
        assertThat(out.shape()).isEqualTo(Shape.of(n, c, h / p, w / p));
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < k; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        sum += x.get(b, ch, i, j);
                    }
                }
            }
            double mu = sum / (k * h * w);
            double sq = 0;
            for (int b = 0; b < k; b++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        sq += (x.get(b, ch, i, j) - mu) * (x.get(b, ch, i, j) - mu);
                    }
                }
            }
            double sd = Math.sqrt(sq / (k * h * w) + EPS);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h / p; i++) {
                    for (int j = 0; j < w / p; j++) {
                        double best = 0;
                        for (int u = 0; u < p; u++) {
                            for (int v = 0; v < p; v++) {
                                double y = gamma.get(ch) * (x.get(b, ch, i * p + u, j * p + v) - mu) / sd + beta.get(ch);
                                best = Math.max(best, y);
                            }
                        }
                        assertThat(out.get(b, ch, i, j)).isCloseTo(best, within(1e-11 * (1 + Math.abs(best))));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "h[{0},{1},{2},{3}] statRows {4} pool {5}")
    @CsvSource({"3,2,4,4,3,2", "3,2,5,4,2,2", "2,2,6,6,1,3"})
    void gradientsMatchCentralDifferences(int n, int c, int h, int w, int k, int p) {
        SplittableRandom rnd = new SplittableRandom(7L * n + k);
        Tensor x = normal(rnd, 0, n, c, h, w);
        Tensor gamma = normal(rnd, 0, c);
        Tensor beta = normal(rnd, 0.3, c);
        BatchNormReluPool plan = BatchNormReluPool.plan(x, gamma, beta, k, p, EPS);
        Tensor out = plan.forward(x, gamma, beta);
        Tensor g = normal(rnd, 0, plan.outputShape().dims());
        assertClose(plan.inputGrad(x, gamma, out, g), numeric(x, gamma, beta, g, k, p, 0));
        assertClose(plan.gammaGrad(out, g), numeric(x, gamma, beta, g, k, p, 1));
        assertClose(plan.betaGrad(out, g), numeric(x, gamma, beta, g, k, p, 2));
    }

    @Test
    void equalValuesInAWindowSendTheGradientToTheFirst() {
        Tensor x = Tensor.of(new double[] {1, 1, 1, 1, 0, 0, 0, 0}, 2, 1, 2, 2);
        Tensor gamma = Tensor.of(new double[] {1}, 1);
        Tensor beta = Tensor.of(new double[] {0}, 1);
        BatchNormReluPool plan = BatchNormReluPool.plan(x, gamma, beta, 2, 2, EPS);
        assertThat(plan.positions()).containsExactly(0, 4);
    }

    @Test
    void rejectsMismatchedShapesAndStatistics() {
        Tensor x = Tensor.zeros(2, 3, 4, 4);
        Tensor three = Tensor.ones(3);
        assertThatThrownBy(() -> BatchNormReluPool.plan(x, Tensor.ones(2), three, 2, 2, EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma [2]");
        assertThatThrownBy(() -> BatchNormReluPool.plan(x, three, three, 3, 2, EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statRows <= 2");
        assertThatThrownBy(() -> BatchNormReluPool.plan(x, three, three, 2, 5, EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> BatchNormReluPool.plan(Tensor.zeros(2, 3, 4), three, three, 2, 2, EPS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank-4");
        BatchNormReluPool plan = BatchNormReluPool.plan(x, three, three, 2, 2, EPS);
        assertThatThrownBy(() -> plan.betaGrad(Tensor.zeros(2, 3, 2, 2), Tensor.zeros(2, 3, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cotangent [2, 3, 2, 1]");
    }

    /** Central differences of ⟨g, out(h, γ, β)⟩ with respect to input {@code which} (0 h, 1 γ, 2 β). */
    private static Tensor numeric(Tensor x, Tensor gamma, Tensor beta, Tensor g, int k, int p, int which) {
        Tensor[] in = {x, gamma, beta};
        double[] v = in[which].toArray();
        double[] grad = new double[v.length];
        double step = 1e-6;
        for (int i = 0; i < v.length; i++) {
            double[] hi = v.clone();
            double[] lo = v.clone();
            hi[i] += step;
            lo[i] -= step;
            grad[i] = (objective(in, which, Tensor.of(hi, in[which].shape()), g, k, p)
                    - objective(in, which, Tensor.of(lo, in[which].shape()), g, k, p)) / (2 * step);
        }
        return Tensor.of(grad, in[which].shape());
    }

    private static double objective(Tensor[] in, int which, Tensor replaced, Tensor g, int k, int p) {
        Tensor[] t = in.clone();
        t[which] = replaced;
        Tensor out = BatchNormReluPool.plan(t[0], t[1], t[2], k, p, EPS).forward(t[0], t[1], t[2]);
        return out.mul(g).sum().item();
    }

    private static void assertClose(Tensor analytic, Tensor numeric) {
        assertThat(analytic.shape()).isEqualTo(numeric.shape());
        for (int i = 0; i < analytic.size(); i++) {
            assertThat(analytic.toArray()[i]).isCloseTo(numeric.toArray()[i], within(1e-6));
        }
    }

    private static Tensor normal(SplittableRandom rnd, double mean, int... dims) {
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            double u = rnd.nextDouble();
            double r = rnd.nextDouble();
            v[i] = mean + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * r);
        }
        return Tensor.of(v, dims);
    }
}
