package dev.bilevel.autodiff.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bilevel.tensor.Rng;
import dev.bilevel.tensor.Shape;
import dev.bilevel.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initializer statistics on n = 100,000 draws (a [500, 200] weight: fan_in 200, fan_out 500). The
 * sample mean must lie within 5 standard errors (σ/√n) of 0, and the sample variance within 5
 * standard errors of the target σ², the standard error of s² being √((μ₄ − σ⁴)/n) with the law's
 * fourth central moment μ₄ (3σ⁴ for a normal, 9σ⁴/5 for a uniform, the closed form below for a
 * truncated normal). Five standard errors fail by chance with probability about 6·10⁻⁷; the seed is
 * fixed, so the test is deterministic.
 */
class InitializerTest {
    private static final Shape SHAPE = Shape.of(500, 200);
    private static final int N = 100_000;

    private static void assertMoments(Tensor t, double variance, double fourthMoment) {
        assertThat(t.shape()).isEqualTo(SHAPE);
        double mean = t.mean().item();
        double s2 = t.sub(mean).square().sum().item() / (N - 1);
        assertThat(Math.abs(mean)).as("mean").isLessThanOrEqualTo(5 * Math.sqrt(variance / N));
        double se = Math.sqrt((fourthMoment - variance * variance) / N);
        assertThat(Math.abs(s2 - variance)).as("variance %s vs %s", s2, variance).isLessThanOrEqualTo(5 * se);
    }

    private static void assertNormal(Tensor t, double variance) {
        assertMoments(t, variance, 3 * variance * variance);
    }

    private static void assertUniform(Tensor t, double bound) {
        double variance = bound * bound / 3;
        assertMoments(t, variance, 9 * variance * variance / 5);
        assertThat(t.abs().max().item()).isLessThanOrEqualTo(bound).isGreaterThan(0.999 * bound);
    }

    @Test
    void fansFollowTheWeightLayout() {
        assertThat(Initializer.fanIn(SHAPE)).isEqualTo(200);
        assertThat(Initializer.fanOut(SHAPE)).isEqualTo(500);
        assertThat(Initializer.fanIn(Shape.of(8, 4, 3, 3))).isEqualTo(36);
        assertThat(Initializer.fanOut(Shape.of(8, 4, 3, 3))).isEqualTo(72);
        assertThat(Initializer.fanIn(Shape.of(7))).isEqualTo(7);
    }

    @Test
    void kaimingNormalHasVarianceGainSquaredOverFanIn() {
        assertNormal(Initializer.kaimingNormal(Initializer.RELU_GAIN).sample(new Rng(1), SHAPE), 2.0 / 200);
    }

    @Test
    void kaimingUniformIsBoundedByGainTimesRootThreeOverFanIn() {
        assertUniform(Initializer.kaimingUniform(Initializer.RELU_GAIN).sample(new Rng(2), SHAPE),
                Math.sqrt(2) * Math.sqrt(3.0 / 200));
    }

    @Test
    void xavierNormalHasVarianceTwoOverFanInPlusFanOut() {
        assertNormal(Initializer.xavierNormal(1).sample(new Rng(3), SHAPE), 2.0 / 700);
    }

    @Test
    void xavierUniformIsBoundedByRootSixOverFanInPlusFanOut() {
        assertUniform(Initializer.xavierUniform(1).sample(new Rng(4), SHAPE), Math.sqrt(6.0 / 700));
    }

    @Test
    void truncatedNormalStaysInsideAndHasTheTruncatedMoments() {
        double std = 0.02;
        double k = 2;
        Tensor t = Initializer.truncatedNormal(std, k).sample(new Rng(5), SHAPE);
        assertThat(t.abs().max().item()).isLessThanOrEqualTo(k * std);
        // Standard normal truncated to [−k, k], Z = 2Φ(k) − 1:
        // E X² = 1 − 2kφ(k)/Z, E X⁴ = 3 − 2(k³ + 3k)φ(k)/Z.
        double z = 2 * Reference.normalCdf(k) - 1;
        double m2 = 1 - 2 * k * Reference.density(k) / z;
        double m4 = 3 - 2 * (k * k * k + 3 * k) * Reference.density(k) / z;
        assertThat(Math.sqrt(m2)).isBetween(0.879, 0.881);
        assertMoments(t, m2 * std * std, m4 * Math.pow(std, 4));
        assertThatThrownBy(() -> Initializer.truncatedNormal(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainNormalUniformZerosAndConstant() {
        assertNormal(Initializer.normal(0.3).sample(new Rng(6), SHAPE), 0.09);
        Tensor u = Initializer.uniform(-0.5, 0.5).sample(new Rng(7), SHAPE);
        assertUniform(u, 0.5);
        assertThat(Initializer.zeros().sample(new Rng(8), SHAPE).abs().max().item()).isZero();
        assertThat(Initializer.constant(1.5).sample(new Rng(8), Shape.of(3)).toArray()).containsExactly(1.5, 1.5, 1.5);
    }

    @Test
    void drawsAreDeterministicForTheSeed() {
        Initializer init = Initializer.kaimingNormal(1);
        assertThat(init.sample(new Rng(9), SHAPE).maxAbsDiff(init.sample(new Rng(9), SHAPE))).isZero();
        assertThat(init.sample(new Rng(9), SHAPE).maxAbsDiff(init.sample(new Rng(10), SHAPE))).isPositive();
    }
}
