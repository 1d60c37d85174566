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
    assertThat(PowerTransform.fitLambda(y, null)).isCloseTo(lambda, within(0.1));
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
      double v = PowerTransform.logLikelihood(y, l, null);
      if (v > best) {
        best = v;
        argmax = l;
      }
    }
    double fitted = PowerTransform.fitLambda(y, null);
    assertThat(fitted).isCloseTo(argmax, within(2e-3));
    // A long tail of poor scores is compressed: λ > 1.
    assertThat(fitted).isGreaterThan(1);
  }

  @Test
  void constantValuesStayConstant() {
    double[] v = {0, 0, 0};
    assertThat(PowerTransform.fitAndApply(v, null)).isEqualTo(1);
    assertThat(v).containsOnly(0.0);
  }
  @Test
  void withAKernelIsTheWarpedGpDensityPlusTheLogJacobian() {
    double[] y = {-1.2, 0.3, 2.1};
    double[] k = {1.5, 0.6, 0.1, 0.6, 1.2, 0.4, 0.1, 0.4, 1.1};
    CholeskyFactor chol = new CholeskyFactor(3);
    assertThat(chol.factorize(k)).isTrue();
    double[] kinv = inverse3(k);
    double[] lambdas = {-0.5, 1, 2.5};
    double[] reference = new double[lambdas.length];
    for (int l = 0; l < lambdas.length; l++) {
      // −½ wᵀK⁻¹w + Σ ln ∂w_i/∂y_i with the standardization held fixed; ψ' by central differences.
      double lambda = lambdas[l];
      double[] t = new double[3];
      for (int i = 0; i < 3; i++) {
        t[i] = PowerTransform.yeoJohnson(y[i], lambda);
      }
      double mean = (t[0] + t[1] + t[2]) / 3;
      double sd = Math.sqrt(((t[0] - mean) * (t[0] - mean) + (t[1] - mean) * (t[1] - mean)
          + (t[2] - mean) * (t[2] - mean)) / 3);
      double quad = 0;
      double logJacobian = 0;
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          quad += (t[a] - mean) / sd * kinv[a * 3 + b] * (t[b] - mean) / sd;
        }
        double h = 1e-6;
        double slope = (PowerTransform.yeoJohnson(y[a] + h, lambda)
            - PowerTransform.yeoJohnson(y[a] - h, lambda)) / (2 * h);
        logJacobian += Math.log(slope / sd);
      }
      reference[l] = -0.5 * quad + logJacobian;
    }
    for (int l = 1; l < lambdas.length; l++) {
      double difference = PowerTransform.logLikelihood(y, lambdas[l], chol)
          - PowerTransform.logLikelihood(y, lambdas[0], chol);
      assertThat(difference).isCloseTo(reference[l] - reference[0], within(1e-7));
    }
  }

  @Test
  void anIdentityKernelGivesTheIndependentProfileLikelihood() {
    Random rng = new Random(11);
    double[] y = new double[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = -Math.exp(rng.nextGaussian());
    }
    double[] identity = new double[y.length * y.length];
    for (int i = 0; i < y.length; i++) {
      identity[i * y.length + i] = 1;
    }
    CholeskyFactor chol = new CholeskyFactor(y.length);
    assertThat(chol.factorize(identity)).isTrue();
    for (double lambda : new double[] {-1, 0.5, 1, 3}) {
      assertThat(PowerTransform.logLikelihood(y, lambda, chol))
          .isCloseTo(PowerTransform.logLikelihood(y, lambda, null), within(1e-9));
    }
    assertThat(PowerTransform.fitLambda(y, chol))
        .isCloseTo(PowerTransform.fitLambda(y, null), within(1e-9));
  }

  /** The inverse of a 3 × 3 matrix by cofactors. */
  private static double[] inverse3(double[] m) {
    double[] c = new double[9];
    for (int r = 0; r < 3; r++) {
      for (int q = 0; q < 3; q++) {
        int r1 = (r + 1) % 3;
        int r2 = (r + 2) % 3;
        int q1 = (q + 1) % 3;
        int q2 = (q + 2) % 3;
        c[q * 3 + r] = m[r1 * 3 + q1] * m[r2 * 3 + q2] - m[r1 * 3 + q2] * m[r2 * 3 + q1];
      }
    }
    double det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
    for (int i = 0; i < 9; i++) {
      c[i] /= det;
    }
    return c;
  }
}
