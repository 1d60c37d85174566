package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.absInner;
import static dev.bilevel.tensor.Fixtures.inner;
import static dev.bilevel.tensor.Fixtures.randomDims;
import static dev.bilevel.tensor.Fixtures.unravel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shape and data-movement operations against index arithmetic written here; adjoints by inner products. */
class LayoutOpsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void permuteAndTransposeMoveEveryElement(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] dims = randomDims(rnd, 4, 4);
        Tensor x = Tensor.randn(new Rng(seed), dims);
        int[] perm = new Rng(seed).permutation(dims.length);
        Tensor y = x.permute(perm);
        for (int i = 0; i < y.size(); i++) {
            int[] oi = unravel(i, y.shape().dims());
            int[] ii = new int[dims.length];
            for (int d = 0; d < dims.length; d++) {
                ii[perm[d]] = oi[d];
            }
            assertThat(y.getFlat(i)).isEqualTo(x.get(ii));
        }
        if (dims.length >= 2) {
            Tensor t = x.transpose();
            int r = dims.length;
            for (int i = 0; i < t.size(); i++) {
                int[] oi = unravel(i, t.shape().dims());
                int tmp = oi[r - 1];
                oi[r - 1] = oi[r - 2];
                oi[r - 2] = tmp;
                assertThat(t.getFlat(i)).isEqualTo(x.get(oi));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void sliceAndUnsliceAreAdjoint(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] dims = {1 + rnd.nextInt(4), 1 + rnd.nextInt(6), 1 + rnd.nextInt(3)};
        int axis = rnd.nextInt(3);
        int n = dims[axis];
        int start = rnd.nextInt(n);
        int end = start + rnd.nextInt(n - start + 1);
        int step = 1 + rnd.nextInt(3);
        Tensor x = Tensor.randn(new Rng(seed), dims);
        Tensor y = x.slice(axis, start, end, step);
        for (int i = 0; i < y.size(); i++) {
            int[] idx = unravel(i, y.shape().dims());
            idx[axis] = start + idx[axis] * step;
            assertThat(y.getFlat(i)).isEqualTo(x.get(idx));
        }
        Tensor g = Tensor.randn(new Rng(seed + 100), y.shape().dims());
        Tensor back = g.unslice(x.shape(), axis, start, step);
        assertThat(inner(y, g)).isCloseTo(inner(x, back), within(1e-13 * (1 + absInner(y, g))));
        if (step == 1) {
            assertThat(x.slice(axis, start, end).toArray()).containsExactly(y.toArray());
        }
    }

    @Test
    void indexSelectAndIndexAddAreAdjointWithRepeats() {
        Tensor x = Tensor.randn(new Rng(3), 3, 5, 2);
        int[] idx = {4, 0, 4, 2};
        Tensor y = x.indexSelect(1, idx);
        assertThat(y.shape()).isEqualTo(Shape.of(3, 4, 2));
        for (int i = 0; i < y.size(); i++) {
            int[] o = unravel(i, y.shape().dims());
            assertThat(y.getFlat(i)).isEqualTo(x.get(o[0], idx[o[1]], o[2]));
        }
        Tensor g = Tensor.randn(new Rng(4), 3, 4, 2);
        Tensor back = g.indexAdd(x.shape(), 1, idx);
        assertThat(inner(y, g)).isCloseTo(inner(x, back), within(1e-13));
        assertThatThrownBy(() -> x.indexSelect(1, new int[] {5})).hasMessageContaining("indexSelect")
                .hasMessageContaining("[3, 5, 2]");
    }

    @Test
    void broadcastToAndSumToAreAdjoint() {
        Tensor x = Tensor.randn(new Rng(5), 3, 1, 2);
        Shape target = Shape.of(4, 3, 5, 2);
        Tensor y = x.broadcastTo(target);
        for (int i = 0; i < y.size(); i++) {
            int[] o = unravel(i, target.dims());
            assertThat(y.getFlat(i)).isEqualTo(x.get(o[1], 0, o[3]));
        }
        Tensor g = Tensor.randn(new Rng(6), target.dims());
        Tensor back = g.sumTo(x.shape());
        assertThat(back.shape()).isEqualTo(x.shape());
        assertThat(inner(y, g)).isCloseTo(inner(x, back), within(1e-12));
        assertThat(g.sumTo(Shape.scalar()).item()).isCloseTo(g.sum().item(), within(1e-12));
        assertThatThrownBy(() -> x.broadcastTo(Shape.of(3, 2, 3))).hasMessageContaining("broadcastTo")
                .hasMessageContaining("[3, 1, 2]").hasMessageContaining("[3, 2, 3]");
        assertThatThrownBy(() -> g.sumTo(Shape.of(7))).hasMessageContaining("sumTo").hasMessageContaining("[7]");
    }

    /** The per-channel pattern of batch normalization, {@code [1, C, 1, 1]} against {@code [N, C, H, W]}. */
    @Test
    void perChannelBroadcastAndSumMatchTheirDefinitions() {
        Tensor c = Tensor.randn(new Rng(7), 1, 3, 1, 1);
        Shape full = Shape.of(2, 3, 4, 5);
        Tensor g = Tensor.randn(new Rng(8), full.dims());
        Tensor y = c.broadcastTo(full);
        Tensor prod = g.mul(c);
        Tensor diff = c.sub(g);
        double[] sums = new double[3];
        for (int i = 0; i < g.size(); i++) {
            int[] o = unravel(i, full.dims());
            assertThat(y.getFlat(i)).isEqualTo(c.getFlat(o[1]));
            assertThat(prod.getFlat(i)).isEqualTo(g.getFlat(i) * c.getFlat(o[1]));
            assertThat(diff.getFlat(i)).isEqualTo(c.getFlat(o[1]) - g.getFlat(i));
            sums[o[1]] += g.getFlat(i);
        }
        assertThat(g.sumTo(c.shape()).toArray()).containsExactly(sums);
    }

    @Test
    void concatAndStackPlaceEachPart() {
        Tensor a = Tensor.randn(new Rng(7), 2, 3);
        Tensor b = Tensor.randn(new Rng(8), 2, 1);
        Tensor c = Tensor.concat(1, a, b, Tensor.zeros(2, 0));
        assertThat(c.shape()).isEqualTo(Shape.of(2, 4));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(c.get(i, j)).isEqualTo(a.get(i, j));
            }
            assertThat(c.get(i, 3)).isEqualTo(b.get(i, 0));
        }
        Tensor s = Tensor.stack(0, a, a.neg());
        assertThat(s.shape()).isEqualTo(Shape.of(2, 2, 3));
        assertThat(s.slice(0, 1, 2).reshape(2, 3).toArray()).containsExactly(a.neg().toArray());
        Tensor s2 = Tensor.stack(-1, a, a.neg());
        assertThat(s2.shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(s2.get(1, 2, 1)).isEqualTo(-a.get(1, 2));
        assertThatThrownBy(() -> Tensor.concat(0, a, b)).hasMessageContaining("concat")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2, 1]");
        assertThatThrownBy(() -> Tensor.stack(0, a, b)).hasMessageContaining("stack");
    }

    @Test
    void reshapeSqueezeUnsqueezeFlattenKeepTheValues() {
        Tensor x = Tensor.arange(24);
        assertThat(x.reshape(2, -1, 4).shape()).isEqualTo(Shape.of(2, 3, 4));
        assertThat(x.reshape(2, 3, 4).unsqueeze(1).shape()).isEqualTo(Shape.of(2, 1, 3, 4));
        assertThat(x.reshape(2, 3, 4).unsqueeze(-1).shape()).isEqualTo(Shape.of(2, 3, 4, 1));
        assertThat(x.reshape(2, 1, 12).squeeze(1).shape()).isEqualTo(Shape.of(2, 12));
        assertThat(x.reshape(4, 6).flatten().toArray()).containsExactly(x.toArray());
        assertThat(Tensor.zeros(0, 5).reshape(5, -1).shape()).isEqualTo(Shape.of(5, 0));
        assertThatThrownBy(() -> x.reshape(5, -1)).hasMessageContaining("reshape").hasMessageContaining("[24]");
        assertThatThrownBy(() -> x.reshape(-1, -1)).hasMessageContaining("only one");
        assertThatThrownBy(() -> x.reshape(2, 3, 4).squeeze(0)).hasMessageContaining("squeeze")
                .hasMessageContaining("[2, 3, 4]");
    }
}
