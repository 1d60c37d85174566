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
  void linearErfcAndNdtrMatchScipy() {
    // scipy.special.erfc and scipy.special.ndtr.
    double[][] erfc = {{0.3, 0.6713732405408726}, {1.5, 0.03389485352468927},
        {5.0, 1.5374597944280347e-12}, {20.0, 5.395865611607901e-176}};
    for (double[] c : erfc) {
      assertThat(TruncNorm.erfcPositive(c[0])).isCloseTo(c[1], within(1e-15 * c[1]));
    }
    double[][] ndtr = {{-30.0, 4.906713927147908e-198}, {-3.0, 0.0013498980316300933},
        {0.2, 0.579259709439103}, {4.0, 0.9999683287581669}};
    // Rounding x/√2 costs about x²·2⁻⁵³ relative in the tail: 1e-13 at x = −30.
    for (double[] c : ndtr) {
      assertThat(TruncNorm.ndtr(c[0])).isCloseTo(c[1], within(1e-12 * c[1]));
    }
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

  /** The linear-space quantile from cached tail masses, against the log-space one. */
  private static double linearPpf(double q, double a, double b) {
    double logMass = TruncNorm.logGaussMass(a, b);
    return TruncNorm.ppf(q, a, b, logMass, TruncNorm.ndtr(a), TruncNorm.ndtr(-b),
        Math.exp(logMass));
  }

  @Test
  void linearQuantileMatchesLogSpaceQuantileIntoFarTails() {
    double[] lows = {-45, -37.5, -20, -8, -3, -1, -0.1, 0, 0.5, 2, 7, 30};
    double[] widths = {1e-9, 1e-3, 0.5, 3, 20, 80};
    double[] qs = {0, 1e-300, 1e-200, 1e-12, 1e-3, 0.1, 0.37, 0.5, 0.63, 0.9, 0.999};
    for (double a : lows) {
      for (double w : widths) {
        for (double q : qs) {
          double b = a + w;
          double z = TruncNorm.ppf(q, a, b);
          assertThat(linearPpf(q, a, b)).as("q=%s a=%s b=%s", q, a, b)
              .isCloseTo(z, within(1e-12 * Math.max(1, Math.abs(z))));
        }
      }
    }
  }

  @Test
  void linearQuantileKeepsTheUpperTailNearQEqualOne() {
    // Φ(−z) = Φ(−b) + (1 − q)(Φ(b) − Φ(a)) in closed form; q = 1 − 2⁻⁵³, the largest uniform
    // double below 1, leaves log(Φ(a) + q·mass) no digits of 1 − p.
    double a = -0.1;
    double b = 19.9;
    for (double q : new double[] {1 - 0x1p-53, 1 - 1e-9, 0.999}) {
      double oneMinusQ = 1 - q; // exact for q ≥ 1/2
      double z = linearPpf(q, a, b);
      double tail = Math.exp(TruncNorm.logNdtr(-b))
          + oneMinusQ * Math.exp(TruncNorm.logGaussMass(a, b));
      assertThat(TruncNorm.logNdtr(-z)).as("1-q=%s", oneMinusQ)
          .isCloseTo(Math.log(tail), within(1e-12 * Math.abs(Math.log(tail))));
    }
    assertThat(linearPpf(1.0, -3.0, 17.0)).isCloseTo(17.0, within(1e-12));
  }
}
