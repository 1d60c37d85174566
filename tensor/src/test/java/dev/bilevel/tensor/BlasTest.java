package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Blas#gemm}: against a hand-computed product and bit for bit against {@link Tensor#matmul};
 * {@link Blas#axpy}: bit for bit against a multiply then an add per element, written here.
 */
class BlasTest {

    @Test
    void computesASmallProductByHand() {
        double[] a = {1, 2, 3, 4, 5, 6};          // 2×3
        double[] b = {7, 8, 9, 10, 11, 12};       // 3×2
        double[] c = {-1, -1, -1, -1, -1, -1, -1};
        Blas.gemm(false, false, 2, 2, 3, a, 0, b, 0, c, 1);
        // [1 2 3]·[7 8; 9 10; 11 12] = [58 64; 139 154]; c[0] and c[5..] untouched.
        assertThat(c).containsExactly(-1, 58, 64, 139, 154, -1, -1);
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void hasTheBitsOfTensorMatmul(boolean transA, boolean transB) {
        int m = 10;
        int n = 40;
        int k = 17;
        Tensor a = Tensor.randn(new Rng(1), transA ? k : m, transA ? m : k);
        Tensor b = Tensor.randn(new Rng(2), transB ? n : k, transB ? k : n);
        double[] c = new double[m * n];
        Blas.gemm(transA, transB, m, n, k, a.toArray(), 0, b.toArray(), 0, c, 0);
        assertThat(c).isEqualTo(Tensor.matmul(a, transA, b, transB).toArray());
    }

    @Test
    void rejectsBlocksOutsideTheirArrays() {
        assertThatThrownBy(() -> Blas.gemm(false, false, 2, 2, 2, new double[3], 0, new double[4], 0, new double[4], 0))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("A block");
        assertThatThrownBy(() -> Blas.gemm(false, false, -1, 2, 2, new double[4], 0, new double[4], 0, new double[4], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void axpyIsAMultiplyThenAnAddPerElementOnItsBlocksOnly() {
        Rng rng = new Rng(5);
        for (int n : new int[] {0, 1, 7, 40, 1600, 1601}) {
            double[] x = Tensor.randn(rng, n + 3).toArray();
            double[] y = Tensor.randn(rng, n + 5).toArray();
            double[] want = y.clone();
            for (int i = 0; i < n; i++) {
                double t = -0.37 * x[3 + i];
                want[2 + i] = want[2 + i] + t;
            }
            Blas.axpy(n, -0.37, x, 3, y, 2);
            assertThat(y).as("n = %d", n).isEqualTo(want);
        }
        assertThatThrownBy(() -> Blas.axpy(3, 1.0, new double[3], 1, new double[3], 0))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("x block");
        assertThatThrownBy(() -> Blas.axpy(-1, 1.0, new double[3], 0, new double[3], 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
