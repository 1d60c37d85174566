package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.absInner;
import static dev.bilevel.tensor.Fixtures.inner;
import static dev.bilevel.tensor.Fixtures.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Max- and average-pooling against naive window loops; their adjoint pairs by inner products. */
class PoolingTest {

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] kernel {4} stride {5}")
    @CsvSource({"2,3,6,6,2,2", "1,1,5,7,3,1", "2,2,7,5,2,3", "1,2,4,4,4,4", "3,1,1,1,1,1", "0,2,4,4,2,2", "1,1,9,9,3,2"})
    void maxPoolMatchesNaiveWindowsAndTakesTheFirstMaximumOnTies(int n, int c, int h, int w, int k, int s) {
        // Small integers make ties frequent.
        SplittableRandom rnd = new SplittableRandom(11);
        double[] v = new double[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(4);
        }
        Tensor x = Tensor.of(v, n, c, h, w);
        Tensor y = Convolutions.maxPool2d(x, k, s);
        int[] idx = Convolutions.maxPool2dIndices(x, k, s);
        int oh = (h - k) / s + 1;
        int ow = (w - k) / s + 1;
        assertThat(y.shape()).isEqualTo(Shape.of(n, c, oh, ow));
        assertThat(idx).hasSize(y.size());
        int o = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, o++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int u = 0; u < k; u++) {
                            for (int q = 0; q < k; q++) {
                                double e = x.get(b, ch, i * s + u, j * s + q);
                                if (e > best) {
                                    best = e;
                                    at = ((b * c + ch) * h + i * s + u) * w + j * s + q;
                                }
                            }
                        }
                        assertThat(y.get(b, ch, i, j)).isEqualTo(best);
                        assertThat(idx[o]).isEqualTo(at);
                    }
                }
            }
        }
        assertThat(x.takeFlat(idx, y.shape()).toArray()).containsExactly(y.toArray());
    }

    @Test
    void maxPoolPropagatesNaN() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 3, 2}, 1, 1, 2, 2);
        assertThat(Convolutions.maxPool2d(x, 2, 2).item()).isNaN();
        assertThat(Convolutions.maxPool2dIndices(x, 2, 2)).containsExactly(1);
    }

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] kernel {4} stride {5}")
    @CsvSource({"2,3,6,6,2,2", "1,1,5,7,3,1", "2,2,7,5,2,3", "1,2,4,4,4,4", "3,1,1,1,1,1", "0,2,4,4,2,2"})
    void avgPoolMatchesNaiveWindowsAndItsAdjointSatisfiesTheInnerProductIdentity(int n, int c, int h, int w,
                                                                                  int k, int s) {
        Tensor x = randn(21, n, c, h, w);
        Tensor y = Convolutions.avgPool2d(x, k, s);
        int oh = (h - k) / s + 1;
        int ow = (w - k) / s + 1;
        assertThat(y.shape()).isEqualTo(Shape.of(n, c, oh, ow));
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = 0;
                        for (int u = 0; u < k; u++) {
                            for (int q = 0; q < k; q++) {
                                sum += x.get(b, ch, i * s + u, j * s + q);
                            }
                        }
                        assertThat(y.get(b, ch, i, j)).isCloseTo(sum / (k * k), within(1e-14));
                    }
                }
            }
        }
        Tensor g = randn(22, y.shape().dims());
        Tensor dx = Convolutions.avgPool2dAdjoint(g, x.shape(), k, s);
        assertThat(dx.shape()).isEqualTo(x.shape());
        assertThat(inner(x, dx)).isCloseTo(inner(y, g), within(1e-13 * (1 + absInner(y, g))));
    }

    @Test
    void takeFlatAndScatterFlatAreAdjointWithRepeatedPositions() {
        Tensor x = randn(31, 3, 4, 5);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] p = new int[24];
        for (int i = 0; i < p.length; i++) {
            p[i] = rnd.nextInt(x.size());
        }
        p[1] = p[0];
        Shape outShape = Shape.of(2, 3, 4);
        Tensor taken = x.takeFlat(p, outShape);
        assertThat(taken.shape()).isEqualTo(outShape);
        for (int i = 0; i < p.length; i++) {
            assertThat(taken.getFlat(i)).isEqualTo(x.getFlat(p[i]));
        }
        Tensor y = randn(32, 2, 3, 4);
        Tensor scattered = y.scatterFlat(p, x.shape());
        assertThat(scattered.shape()).isEqualTo(x.shape());
        double expectedAtP0 = 0;
        for (int i = 0; i < p.length; i++) {
            expectedAtP0 += p[i] == p[0] ? y.getFlat(i) : 0;
        }
        assertThat(scattered.getFlat(p[0])).isCloseTo(expectedAtP0, within(1e-15));
        assertThat(inner(taken, y)).isCloseTo(inner(x, scattered), within(1e-13));
        assertThat(Tensor.zeros(0).takeFlat(new int[0], Shape.of(0, 3)).shape()).isEqualTo(Shape.of(0, 3));
    }

    @Test
    void errorsNameTheOperationAndShapes() {
        Tensor x = Tensor.zeros(1, 1, 3, 3);
        assertThatThrownBy(() -> Convolutions.maxPool2d(x, 4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPool2d").hasMessageContaining("[1, 1, 3, 3]");
        assertThatThrownBy(() -> Convolutions.avgPool2d(Tensor.zeros(3, 3), 2, 2))
                .hasMessageContaining("avgPool2d").hasMessageContaining("[3, 3]");
        assertThatThrownBy(() -> Convolutions.avgPool2d(x, 2, 0)).hasMessageContaining("avgPool2d").hasMessageContaining("stride");
        assertThatThrownBy(() -> Convolutions.avgPool2dAdjoint(Tensor.zeros(1, 1, 3, 3), x.shape(), 2, 1))
                .hasMessageContaining("avgPool2dAdjoint").hasMessageContaining("[1, 1, 3, 3]")
                .hasMessageContaining("[1, 1, 2, 2]");
        assertThatThrownBy(() -> x.takeFlat(new int[] {0, 1}, Shape.of(3)))
                .hasMessageContaining("takeFlat").hasMessageContaining("[3]");
        assertThatThrownBy(() -> x.takeFlat(new int[] {9}, Shape.of(1)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("takeFlat");
        assertThatThrownBy(() -> Tensor.zeros(2).scatterFlat(new int[] {0}, Shape.of(4)))
                .hasMessageContaining("scatterFlat").hasMessageContaining("[2]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Tensor.zeros(1).scatterFlat(new int[] {4}, Shape.of(4)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("scatterFlat");
    }
}
