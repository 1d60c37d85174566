package dev.bilevel.hpo.samplers.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Oracle values from SciPy 1.x ({@code scipy.special.log_ndtr}, {@code scipy.stats.truncnorm}). */
class TruncNormTest {

  @Test
  void logNdtrMatchesScipyInBothTails() {
    assertThat(TruncNorm.logNdtr(-40.0)).isCloseTo(-804.6084420137539, within(1e-10));
    assertThat(TruncNorm.logNdtr(-5.0)).isCloseTo(-15.064998393988727, within(1e-12));
    assertThat(TruncNorm.logNdtr(3.0)).isCloseTo(-0.0013508099647481925, within(1e-15));
  }

  @Test
  void inverseMatchesScipy() {
    assertThat(TruncNorm.ndtriExp(Math.log(1e-10))).isCloseTo(-6.361340902404056, within(1e-10));
    assertThat(TruncNorm.ndtriExp(TruncNorm.logNdtr(-60.0))).isCloseTo(-60.0, within(1e-9));
    assertThat(TruncNorm.ndtriExp(TruncNorm.logNdtr(2.5))).isCloseTo(2.5, within(1e-9));
  }

  @Test
  void truncatedQuantilesAndDensityMatchScipy() {
    assertThat(TruncNorm.ppf(0.3, -2.0, 1.5)).isCloseTo(-0.5362788233742954, within(1e-10));
    assertThat(TruncNorm.ppf(0.7, 5.0, 9.0)).isCloseTo(5.22731328091456, within(1e-9));
    assertThat(TruncNorm.ppf(0.2, -60.0, -50.0)).isCloseTo(-50.03216556019127, within(1e-8));
    assertThat(TruncNorm.logPdf(0.3, 0.0, 1.0, -2.0, 1.5))
        .isCloseTo(-0.8701141824706827, within(1e-12));
  }

  @Test
  void quantilesInvertTheMass() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int k = 0; k < 200; k++) {
      double a = rng.nextDouble(-30, 30);
      double b = a + rng.nextDouble(1e-3, 10);
      double q = rng.nextDouble();
      double z = TruncNorm.ppf(q, a, b);
      assertThat(z).isBetween(a, b);
      double back = Math.exp(TruncNorm.logGaussMass(a, z) - TruncNorm.logGaussMass(a, b));
      assertThat(back).as("a=%s b=%s q=%s", a, b, q).isCloseTo(q, within(1e-7));
    }
  }
}
