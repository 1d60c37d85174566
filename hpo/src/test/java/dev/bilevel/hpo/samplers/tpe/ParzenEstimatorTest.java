package dev.bilevel.hpo.samplers.tpe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import dev.bilevel.hpo.samplers.TpeSampler;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParzenEstimatorTest {
  private static final ParzenEstimator.Parameters DEFAULTS =
      new ParzenEstimator.Parameters(1.0, true, false);

  private static ParzenEstimator fit(List<Distribution> space, double[][] obs) {
    return new ParzenEstimator(space, obs, TpeSampler.defaultWeights(obs.length), DEFAULTS);
  }

  /**
   * Oracle: Optuna 5.0's {@code _ParzenEstimator(...).log_pdf} on the same observations and
   * points (float, log-int, categorical and stepped-float parameters jointly; a log float alone).
   */
  @Test
  void logDensityMatchesOptuna() {
    List<Distribution> space = List.of(
        FloatDistribution.uniform(0, 10),
        new IntDistribution(1, 1000, true, 1),
        CategoricalDistribution.of("a", "b", "c"),
        FloatDistribution.stepped(0.2, 1.4, 0.3));
    double[][] obs = {{0.5, 1, 0, 0.2}, {1.0, 10, 2, 0.5}, {3.0, 10, 2, 1.4}, {7.5, 400, 1, 0.5}};
    double[][] points = {{0.2, 1, 0, 0.2}, {2.0, 37, 1, 0.8}, {9.9, 1000, 2, 1.4}};
    double[] lp = fit(space, obs).logPdf(points);
    assertThat(lp[0]).isCloseTo(-4.596751820258553, within(1e-9));
    assertThat(lp[1]).isCloseTo(-10.584347376328552, within(1e-9));
    assertThat(lp[2]).isCloseTo(-14.912046387876257, within(1e-9));

    ParzenEstimator logFloat = fit(
        List.of(FloatDistribution.logUniform(1e-4, 10)), new double[][] {{1e-3}, {0.02}, {5.0}});
    double[] lq = logFloat.logPdf(new double[][] {{2e-4}, {0.01}, {9.0}});
    assertThat(lq[0]).isCloseTo(-2.498852744757938, within(1e-9));
    assertThat(lq[1]).isCloseTo(-2.32089186715062, within(1e-9));
    assertThat(lq[2]).isCloseTo(-2.678563334341712, within(1e-9));
  }

  @Test
  void discreteMassesSumToOne() {
    IntDistribution logInt = new IntDistribution(1, 1000, true, 1);
    ParzenEstimator pe = fit(List.of(logInt), new double[][] {{3}, {3}, {70}, {999}});
    double[][] all = new double[1000][1];
    for (int v = 1; v <= 1000; v++) {
      all[v - 1][0] = v;
    }
    double total = 0;
    for (double l : pe.logPdf(all)) {
      total += Math.exp(l);
    }
    assertThat(total).isCloseTo(1.0, within(1e-9));

    IntDistribution stepped = new IntDistribution(0, 12, false, 4);
    ParzenEstimator ps = fit(List.of(stepped), new double[][] {{4}, {12}});
    double s = 0;
    for (double l : ps.logPdf(new double[][] {{0}, {4}, {8}, {12}})) {
      s += Math.exp(l);
    }
    assertThat(s).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void categoricalKernelsFollowTheClosedForm() {
    // One observation of choice 0 among 3, prior weight 1: mixture weights 1/2, 1/2; the observed
    // kernel gives (1 + 1/2) / (1 + 3/2) = 0.6 to choice 0, the prior kernel 1/3.
    ParzenEstimator pe = fit(List.of(CategoricalDistribution.of("a", "b", "c")), new double[][] {{0}});
    double[] lp = pe.logPdf(new double[][] {{0}, {1}});
    assertThat(Math.exp(lp[0])).isCloseTo(0.5 * 0.6 + 0.5 / 3, within(1e-12));
    assertThat(Math.exp(lp[1])).isCloseTo(0.5 * 0.2 + 0.5 / 3, within(1e-12));
  }

  @Test
  void continuousDensityIntegratesToOneAndSamplesStayInside() {
    FloatDistribution d = FloatDistribution.uniform(-5, 3);
    ParzenEstimator pe = fit(List.of(d), new double[][] {{-4.9}, {0.1}, {0.2}, {2.5}});
    int m = 200_000;
    double[][] grid = new double[m + 1][1];
    for (int i = 0; i <= m; i++) {
      grid[i][0] = -5 + 8.0 * i / m;
    }
    double[] lp = pe.logPdf(grid);
    double integral = 0;
    for (int i = 0; i < m; i++) {
      integral += 0.5 * (Math.exp(lp[i]) + Math.exp(lp[i + 1])) * 8.0 / m;
    }
    assertThat(integral).isCloseTo(1.0, within(1e-6));
    for (double[] x : pe.sample(new SplittableRandom(1), 500)) {
      assertThat(d.contains(x[0])).isTrue();
    }
  }
}
