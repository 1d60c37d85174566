package dev.bilevel.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Factories, element access and the seeded random streams. */
class CreationTest {

    @Test
    void factoriesFillAsDocumented() {
        assertThat(Tensor.zeros(2, 3).toArray()).containsOnly(0.0).hasSize(6);
        assertThat(Tensor.ones(Shape.of(4)).toArray()).containsExactly(1, 1, 1, 1);
        assertThat(Tensor.full(Shape.of(2), 2.5).toArray()).containsExactly(2.5, 2.5);
        assertThat(Tensor.eye(3).toArray()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(Tensor.arange(4).toArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.arange(1, 2, 0.25).toArray()).containsExactly(1, 1.25, 1.5, 1.75);
        assertThat(Tensor.arange(3, 0, -1).toArray()).containsExactly(3, 2, 1);
        assertThat(Tensor.arange(0, 0, 1).size()).isZero();
        assertThat(Tensor.scalar(7).shape()).isEqualTo(Shape.scalar());
        assertThat(Tensor.scalar(7).item()).isEqualTo(7.0);
        assertThat(Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}}).get(2, 1)).isEqualTo(6.0);
        assertThat(Tensor.oneHot(new int[] {2, 0}, 3).toArray()).containsExactly(0, 0, 1, 1, 0, 0);
        assertThatThrownBy(() -> Tensor.oneHot(new int[] {3}, 3)).hasMessageContaining("label 3");
        assertThatThrownBy(() -> Tensor.arange(0, 1, 0)).hasMessageContaining("arange");
        assertThatThrownBy(() -> Tensor.matrix(new double[][] {{1, 2}, {3}})).hasMessageContaining("row 1");
        assertThatThrownBy(() -> Tensor.of(new double[3], 2, 2)).hasMessageContaining("[2, 2]");
    }

    @Test
    void factoriesCopyTheirInput() {
        double[] d = {1, 2, 3};
        Tensor t = Tensor.vector(d);
        d[0] = 99;
        assertThat(t.getFlat(0)).isEqualTo(1.0);
        double[] out = t.toArray();
        out[1] = 99;
        assertThat(t.getFlat(1)).isEqualTo(2.0);
    }

    @Test
    void accessAndComparison() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(x.rank()).isEqualTo(2);
        assertThat(x.dim(-1)).isEqualTo(3);
        assertThat(x.get(1, 0)).isEqualTo(4.0);
        assertThatThrownBy(() -> x.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> x.get(1)).hasMessageContaining("[2, 3]");
        assertThatThrownBy(x::item).hasMessageContaining("[2, 3]");
        assertThat(x.isFinite()).isTrue();
        assertThat(x.div(0.0).isFinite()).isFalse();
        assertThat(x.maxAbsDiff(x.add(1e-3))).isCloseTo(1e-3, within(1e-15));
        assertThat(x.allClose(x.mul(1 + 1e-10), 1e-9, 0)).isTrue();
        assertThat(x.allClose(x.add(1), 1e-9, 0)).isFalse();
        assertThat(x.allClose(x.reshape(3, 2), 1, 1)).isFalse();
        assertThat(x.toString()).contains("[2, 3]");
    }

    @Test
    void randomStreamsAreSeededAndForksAreIndependentOfDrawOrder() {
        Tensor a = Tensor.randn(new Rng(42), 1000);
        assertThat(Tensor.randn(new Rng(42), 1000).toArray()).containsExactly(a.toArray());
        assertThat(a.mean().item()).isCloseTo(0, within(0.15));
        assertThat(a.square().mean().item()).isCloseTo(1, within(0.15));
        Tensor u = Tensor.uniform(new Rng(1), -2, 3, 500);
        assertThat(u.min().item()).isGreaterThanOrEqualTo(-2);
        assertThat(u.max().item()).isLessThan(3);
        Rng r1 = new Rng(7);
        Rng r2 = new Rng(7);
        r2.nextDouble();
        assertThat(r1.fork(3).nextLong()).isEqualTo(r2.fork(3).nextLong());
        assertThat(r1.fork(3).nextLong()).isNotEqualTo(r1.fork(4).nextLong());
        assertThat(r1.permutation(10)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}
