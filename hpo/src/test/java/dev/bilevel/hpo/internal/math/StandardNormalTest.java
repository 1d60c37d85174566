package dev.bilevel.hpo.internal.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StandardNormalTest {

  /** Reference values of erfc from Abramowitz and Stegun / mpmath at 17 digits. */
  @ParameterizedTest
  @CsvSource({
    "0.0, 1.0",
    "0.5, 0.4795001221869535",
    "1.0, 0.15729920705028513",
    "1.9, 0.007209570764742524",
    "2.0, 0.004677734981047266",
    "3.0, 2.209049699858544e-05",
    "5.0, 1.5374597944280349e-12",
    "10.0, 2.088487583762545e-45",
    "-1.0, 1.8427007929497148"
  })
  void erfcMatchesReferenceValues(double x, double expected) {
    assertThat(StandardNormal.erfc(x)).isCloseTo(expected, within(Math.abs(expected) * 1e-12));
  }

  @Test
  void inverseCdfInvertsTheCdf() {
    assertThat(StandardNormal.inverseCdf(0.975)).isCloseTo(1.959963984540054, within(1e-12));
    for (double p : new double[] {1e-300, 1e-12, 0.01, 0.3, 0.5, 0.77, 0.999999}) {
      double z = StandardNormal.inverseCdf(p);
      assertThat(StandardNormal.logCdf(z)).isCloseTo(Math.log(p), within(1e-10));
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {-3, -2, -1.5, -1, -0.5, 0, 0.7, 2, 5})
  void logEiEqualsLogOfClosedFormEiWhereThatIsAccurate(double z) {
    double closed = StandardNormal.pdf(z) + z * StandardNormal.cdf(z);
    assertThat(StandardNormal.logH(z)).isCloseTo(Math.log(closed), within(1e-12));
    assertThat(StandardNormal.logCdf(z))
        .isCloseTo(Math.log(StandardNormal.cdf(z)), within(1e-12));
  }

  /**
   * Oracle for very negative z: h(z) = e^(−z²/2)/√(2π) · ∫₀^∞ u·e^(−|z|u − u²/2) du, the integral
   * by composite Simpson over [0, 40/|z|].
   */
  @ParameterizedTest
  @ValueSource(doubles = {-5, -10, -39.9, -40.1, -100, -1e4})
  void logEiIsAccurateForVeryNegativeZ(double z) {
    double a = -z;
    double upper = 40 / a;
    int m = 20000;
    double hStep = upper / m;
    double sum = 0;
    for (int i = 0; i <= m; i++) {
      double u = i * hStep;
      double f = u * Math.exp(-a * u - 0.5 * u * u);
      sum += f * (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2);
    }
    double integral = sum * hStep / 3;
    double expected = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) + Math.log(integral);
    assertThat(StandardNormal.logH(z)).isCloseTo(expected, within(1e-8 * Math.abs(expected)));
  }

  @Test
  void logEiIsFiniteAndIncreasingForExtremeArguments() {
    double previous = Double.NEGATIVE_INFINITY;
    for (double z : new double[] {-1e150, -1e10, -1e6, -1e3, -41, -40, -39, -2, -1, 0, 1, 40}) {
      double v = StandardNormal.logH(z);
      assertThat(v).isFinite().isGreaterThan(previous);
      assertThat(StandardNormal.dLogH(z)).isFinite().isPositive();
      previous = v;
    }
    assertThat(StandardNormal.logCdf(-1e6)).isFinite();
  }

  @ParameterizedTest
  @ValueSource(doubles = {-200, -40.5, -39.5, -7, -1.01, -0.99, 0.3, 4})
  void derivativesMatchFiniteDifferences(double z) {
    double h = 1e-6 * Math.max(1, Math.abs(z));
    double fdH = (StandardNormal.logH(z + h) - StandardNormal.logH(z - h)) / (2 * h);
    double fdC = (StandardNormal.logCdf(z + h) - StandardNormal.logCdf(z - h)) / (2 * h);
    assertThat(StandardNormal.dLogH(z)).isCloseTo(fdH, within(1e-6 * Math.max(1, Math.abs(fdH))));
    assertThat(StandardNormal.dLogCdf(z))
        .isCloseTo(fdC, within(1e-6 * Math.max(1, Math.abs(fdC))));
  }
}
