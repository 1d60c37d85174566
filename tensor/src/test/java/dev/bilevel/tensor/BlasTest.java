package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Blas#gemm}: against a hand-computed product and bit for bit against {@link Tensor#matmul}. */
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
}
