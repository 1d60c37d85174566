package dev.bilevel.hpo.internal.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PowerTransformTest {

  @Test
  void matchesTheClosedFormOfYeoAndJohnson() {
    for (double y : new double[] {-3, -0.5, 0, 0.7, 4}) {
      assertThat(PowerTransform.yeoJohnson(y, 1)).isCloseTo(y, within(1e-14));
    }
    assertThat(PowerTransform.yeoJohnson(2.5, 0)).isCloseTo(Math.log(3.5), within(1e-14));
    assertThat(PowerTransform.yeoJohnson(-2.5, 2)).isCloseTo(-Math.log(3.5), within(1e-14));
    assertThat(PowerTransform.yeoJohnson(3, 0.5)).isCloseTo(2, within(1e-14));
    assertThat(PowerTransform.yeoJohnson(-1, 3)).isCloseTo(-0.5, within(1e-14));
    assertThat(PowerTransform.yeoJohnson(-1, -1)).isCloseTo(-7.0 / 3, within(1e-14));
  }

  @Test
  void isContinuousAtTheLogarithmicExponents() {
    assertThat(PowerTransform.yeoJohnson(1.3, 1e-9))
        .isCloseTo(PowerTransform.yeoJohnson(1.3, 0), within(1e-8));
    assertThat(PowerTransform.yeoJohnson(-1.3, 2 - 1e-9))
        .isCloseTo(PowerTransform.yeoJohnson(-1.3, 2), within(1e-8));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-2, -0.5, 0, 1, 2, 3.5})
  void isStrictlyIncreasingSoTheIncumbentIsKept(double lambda) {
    double previous = Double.NEGATIVE_INFINITY;
    for (double y = -6; y <= 6; y += 0.01) {
      double t = PowerTransform.yeoJohnson(y, lambda);
      assertThat(t).isGreaterThan(previous);
      previous = t;
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.5, 1.0, 1.5})
  void recoversTheExponentOfTransformedNormalData(double lambda) {
    Random rng = new Random(7);
    double[] y = new double[4000];
    for (int i = 0; i < y.length; i++) {
      double z = rng.nextGaussian();
      // ψ⁻¹(z, λ): normal data mapped back through the inverse transform.
      y[i] = z >= 0
          ? Math.pow(1 + lambda * z, 1 / lambda) - 1
          : 1 - Math.pow(1 - (2 - lambda) * z, 1 / (2 - lambda));
    }
    assertThat(PowerTransform.fitLambda(y)).isCloseTo(lambda, within(0.1));
  }

  @Test
  void findsTheMaximumOfTheProfileLikelihoodOnAFineGrid() {
    Random rng = new Random(3);
    double[] y = new double[60];
    for (int i = 0; i < y.length; i++) {
      y[i] = -Math.exp(1.5 * rng.nextGaussian());
    }
    double best = Double.NEGATIVE_INFINITY;
    double argmax = Double.NaN;
    for (double l = PowerTransform.MIN_LAMBDA; l <= PowerTransform.MAX_LAMBDA; l += 1e-4) {
      double v = PowerTransform.logLikelihood(y, l);
      if (v > best) {
        best = v;
        argmax = l;
      }
    }
    double fitted = PowerTransform.fitLambda(y);
    assertThat(fitted).isCloseTo(argmax, within(2e-3));
    // A long tail of poor scores is compressed: λ > 1.
    assertThat(fitted).isGreaterThan(1);
  }

  @Test
  void constantValuesStayConstant() {
    double[] v = {0, 0, 0};
    assertThat(PowerTransform.fitAndApply(v)).isEqualTo(1);
    assertThat(v).containsOnly(0.0);
  }
}
