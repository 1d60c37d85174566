package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Matrix and batched matrix products, with transposed operands, against a naive triple loop. */
class MatmulTest {

    /** batchA, batchB (−1: rank 2), m, n, k, transA, transB. */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] batches = {{-1, -1}, {3, -1}, {-1, 2}, {2, 2}, {0, 0}, {1, -1}};
        for (int[] bt : batches) {
            for (int t = 0; t < 4; t++) {
                out.add(Arguments.of(bt[0], bt[1], 1 + rnd.nextInt(40), 1 + rnd.nextInt(40), rnd.nextInt(40),
                        (t & 1) != 0, (t & 2) != 0));
            }
        }
        out.add(Arguments.of(-1, -1, 10, 40, 1, false, false));
        out.add(Arguments.of(-1, -1, 0, 5, 3, false, false));
        out.add(Arguments.of(4, -1, 10, 40, 40, false, false));
        return out.stream();
    }

    @ParameterizedTest(name = "batch {0}/{1} {2}x{3}x{4} transA={5} transB={6}")
    @MethodSource("cases")
    void matchesNaiveTripleLoop(int batchA, int batchB, int m, int n, int k, boolean transA, boolean transB) {
        Tensor a = Tensor.randn(new Rng(1), dims(batchA, transA ? k : m, transA ? m : k));
        Tensor b = Tensor.randn(new Rng(2), dims(batchB, transB ? n : k, transB ? k : n));
        Tensor c = Tensor.matmul(a, transA, b, transB);
        int batch = Math.max(batchA, batchB);
        assertThat(c.shape()).isEqualTo(Shape.of(batch < 0 ? new int[] {m, n} : new int[] {batch, m, n}));
        for (int s = 0; s < (batch < 0 ? 1 : batch); s++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double x = at(a, batchA, s, transA ? p : i, transA ? i : p);
                        double y = at(b, batchB, s, transB ? j : p, transB ? p : j);
                        sum += x * y;
                        abs += Math.abs(x * y);
                    }
                    double got = batch < 0 ? c.get(i, j) : c.get(s, i, j);
                    assertThat(Math.abs(got - sum)).isLessThanOrEqualTo(2 * (k + 1) * Math.ulp(1.0) * abs);
                }
            }
        }
        if (!transA && !transB) {
            assertThat(a.matmul(b).toArray()).containsExactly(c.toArray());
        }
    }

    @Test
    void mismatchesNameBothShapes() {
        assertThatThrownBy(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matmul").hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 5)))
                .hasMessageContaining("batch").hasMessageContaining("[2, 2, 3]").hasMessageContaining("[3, 3, 5]");
        assertThatThrownBy(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 1)))
                .hasMessageContaining("rank").hasMessageContaining("[3]");
    }

    private static int[] dims(int batch, int rows, int cols) {
        return batch < 0 ? new int[] {rows, cols} : new int[] {batch, rows, cols};
    }

    private static double at(Tensor t, int batch, int s, int r, int c) {
        return batch < 0 ? t.get(r, c) : t.get(s, r, c);
    }
}
