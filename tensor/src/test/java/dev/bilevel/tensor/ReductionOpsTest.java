package dev.bilevel.tensor;

import static dev.bilevel.tensor.Fixtures.randomDims;
import static dev.bilevel.tensor.Fixtures.unravel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reductions over random axis sets against a naive accumulation over every input index. */
class ReductionOpsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void sumMaxMinMeanOverRandomAxesMatchNaiveLoops(int seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] dims = randomDims(rnd, 4, 4);
        Tensor x = Tensor.randn(new Rng(seed), dims);
        List<Integer> chosen = new ArrayList<>();
        for (int d = 0; d < dims.length; d++) {
            if (rnd.nextBoolean()) {
                chosen.add(rnd.nextBoolean() ? d : d - dims.length);
            }
        }
        int[] axes = chosen.stream().mapToInt(Integer::intValue).toArray();
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) {
            reduced[a < 0 ? a + dims.length : a] = true;
        }
        int[] kept = dims.clone();
        for (int d = 0; d < dims.length; d++) {
            if (reduced[d]) {
                kept[d] = 1;
            }
        }
        int outSize = Shape.of(kept).size();
        double[] sum = new double[outSize];
        double[] max = new double[outSize];
        double[] min = new double[outSize];
        int[] count = new int[outSize];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        for (int i = 0; i < x.size(); i++) {
            int[] idx = unravel(i, dims);
            int o = 0;
            for (int d = 0; d < dims.length; d++) {
                o = o * kept[d] + (reduced[d] ? 0 : idx[d]);
            }
            double v = x.getFlat(i);
            sum[o] += v;
            max[o] = Math.max(max[o], v);
            min[o] = Math.min(min[o], v);
            count[o]++;
        }
        Tensor s = x.sum(axes, true);
        assertThat(s.shape()).isEqualTo(Shape.of(kept));
        assertThat(x.max(axes, true).toArray()).containsExactly(max);
        assertThat(x.min(axes, true).toArray()).containsExactly(min);
        Tensor mean = x.mean(axes, true);
        for (int o = 0; o < outSize; o++) {
            assertThat(s.getFlat(o)).isCloseTo(sum[o], within(1e-12));
            if (count[o] > 0) {
                assertThat(mean.getFlat(o)).isCloseTo(sum[o] / count[o], within(1e-12));
            }
        }
        Tensor dropped = x.sum(axes);
        int[] droppedDims = new int[dims.length - axes.length];
        for (int d = 0, j = 0; d < dims.length; d++) {
            if (!reduced[d]) {
                droppedDims[j++] = dims[d];
            }
        }
        assertThat(dropped.shape()).isEqualTo(Shape.of(droppedDims));
        assertThat(dropped.toArray()).containsExactly(s.toArray());
        double total = 0;
        for (double v : x.toArray()) {
            total += v;
        }
        assertThat(x.sum().shape()).isEqualTo(Shape.scalar());
        assertThat(x.sum().item()).isCloseTo(total, within(1e-12));
    }

    @Test
    void wholeTensorReductionsAndEmptyTensors() {
        Tensor x = Tensor.of(new double[] {3, -1, 4, 1, -5, 9}, 2, 3);
        assertThat(x.max().item()).isEqualTo(9.0);
        assertThat(x.min().item()).isEqualTo(-5.0);
        assertThat(x.mean().item()).isCloseTo(11.0 / 6, within(1e-15));
        assertThat(x.max(new int[] {1}, false).toArray()).containsExactly(4, 9);
        Tensor empty = Tensor.zeros(0, 3);
        assertThat(empty.sum().item()).isEqualTo(0.0);
        assertThat(empty.sum(new int[] {0}, false).toArray()).containsExactly(0, 0, 0);
        assertThat(empty.max().item()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Tensor.vector(1, Double.NaN, 3).max().item()).isNaN();
        assertThatThrownBy(() -> x.sum(0, 0)).hasMessageContaining("repeated");
        assertThatThrownBy(() -> x.sum(2)).hasMessageContaining("axis 2").hasMessageContaining("[2, 3]");
    }

    @Test
    void logsumexpMatchesTheDefinitionAndIsStableForLargeValues() {
        Tensor x = Tensor.randn(new Rng(9), 3, 4, 5);
        for (int axis = -3; axis < 3; axis++) {
            Tensor l = x.logsumexp(axis, false);
            Tensor direct = x.exp().sum(new int[] {axis}, false).log();
            assertThat(l.shape()).isEqualTo(direct.shape());
            assertThat(l.maxAbsDiff(direct)).isLessThan(1e-13);
            assertThat(x.logsumexp(axis, true).shape().rank()).isEqualTo(3);
        }
        Tensor big = Tensor.vector(1000, 1000, Double.NEGATIVE_INFINITY);
        assertThat(big.logsumexp(0, false).item()).isCloseTo(1000 + Math.log(2), within(1e-12));
        Tensor allNegInf = Tensor.vector(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertThat(allNegInf.logsumexp(0, false).item()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void argmaxTakesTheFirstMaximumAlongAnAxis() {
        Tensor x = Tensor.of(new double[] {1, 7, 7, 2, 0, 0, 5, 3, 9, 9, 1, 9}, 2, 2, 3);
        assertThat(x.argmax(2).toArray()).containsExactly(1, 0, 2, 0);
        assertThat(x.argmax(-1).shape()).isEqualTo(Shape.of(2, 2));
        assertThat(x.argmax(1).toArray()).containsExactly(1, 0, 0, 1, 0, 0);
        assertThat(x.argmax(0).toArray()).containsExactly(1, 0, 1, 1, 1, 1);
    }
}
