package dev.bilevel.hpo.internal.cmaes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.internal.math.StandardNormal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class CmaEsTest {

  /** Runs CMA-ES for {@code gens} generations; returns the best value seen. */
  static double run(CmaEs cma, ToDoubleFunction<double[]> f, int gens, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double best = Double.POSITIVE_INFINITY;
    for (int g = 0; g < gens; g++) {
      double[][] xs = new double[cma.lambda()][];
      double[] fs = new double[cma.lambda()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = cma.sample(rng);
        fs[i] = f.applyAsDouble(xs[i]);
        best = Math.min(best, fs[i]);
      }
      cma.tell(xs, fs);
    }
    return best;
  }

  static double[] centre(int n) {
    double[] m = new double[n];
    java.util.Arrays.fill(m, 0.5);
    return m;
  }

  /** Ellipsoid with condition 1e6 around 0.3 in [0, 1]^5. */
  static double ellipsoid(double[] u) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      double z = u[i] - 0.3;
      s += Math.pow(1e6, i / (u.length - 1.0)) * z * z;
    }
    return s;
  }

  @Test
  void solvesAnIllConditionedEllipsoidAndLearnsItsScaling() {
    CmaEs cma = new CmaEs(centre(5), 0.2, null, 8, false, new boolean[5], null, Double.NaN);
    SplittableRandom rng = new SplittableRandom(1);
    int generations = 0;
    double best = Double.POSITIVE_INFINITY;
    while (best > 1e-10 && generations < 400) {
      double[][] xs = new double[cma.lambda()][];
      double[] fs = new double[cma.lambda()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = cma.sample(rng);
        fs[i] = ellipsoid(xs[i]);
        best = Math.min(best, fs[i]);
      }
      cma.tell(xs, fs);
      generations++;
    }
    assertThat(best).isLessThan(1e-10);
    double[][] c = cma.covariance();
    // The learned covariance approximates the inverse Hessian: variance ratio ≈ 1e6 (±1 decade).
    assertThat(Math.log10(c[0][0] / c[4][4])).isCloseTo(6, within(1.0));
  }

  @Test
  void solvesRosenbrock() {
    // x = 4u − 2 maps [0,1]^4 to [−2, 2]^4; the optimum x = 1 sits at u = 0.75.
    ToDoubleFunction<double[]> rosen = u -> {
      double s = 0;
      for (int i = 0; i + 1 < u.length; i++) {
        double x = 4 * u[i] - 2;
        double y = 4 * u[i + 1] - 2;
        s += 100 * (y - x * x) * (y - x * x) + (1 - x) * (1 - x);
      }
      return s;
    };
    CmaEs cma = new CmaEs(centre(4), 0.2, null, 8, false, new boolean[4], null, Double.NaN);
    assertThat(run(cma, rosen, 600, 2)).isLessThan(1e-8);
    assertThat(cma.mean()).containsExactly(new double[] {0.75, 0.75, 0.75, 0.75}, within(1e-3));
  }

  @Test
  void separableVariantKeepsADiagonalCovarianceAndSolvesASeparableEllipsoid() {
    CmaEs cma = new CmaEs(centre(5), 0.2, null, 8, true, new boolean[5], null, Double.NaN);
    assertThat(run(cma, CmaEsTest::ellipsoid, 400, 3)).isLessThan(1e-10);
    double[][] c = cma.covariance();
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        if (i != j) {
          assertThat(c[i][j]).isZero();
        }
      }
    }
  }

  @Test
  void marginLowerBoundsTheProbabilityOfLeavingAnIntegerCell() {
    // Coordinate 1 is discrete with 5 values, cells of width 0.2; the objective is minimized
    // inside the cell of value 2 ([0.4, 0.6]), so without a margin σ collapses there.
    boolean[] discrete = {false, true};
    CmaEs.CellFunction cells = (j, u, out) -> {
      double k = Math.min(Math.max(Math.floor(u * 5), 0), 4);
      out[0] = k / 5;
      out[1] = (k + 1) / 5;
    };
    ToDoubleFunction<double[]> f = u -> {
      double k = Math.min(Math.max(Math.floor(u[1] * 5), 0), 4);
      return (u[0] - 0.3) * (u[0] - 0.3) + (k - 2) * (k - 2);
    };
    int lambda = 6;
    double alpha = 1.0 / (2 * lambda);
    CmaEs withMargin = new CmaEs(centre(2), 0.2, null, lambda, false, discrete, cells, Double.NaN);
    CmaEs without = new CmaEs(centre(2), 0.2, null, lambda, false, discrete, null, Double.NaN);
    run(withMargin, f, 150, 4);
    run(without, f, 150, 4);
    double m = withMargin.mean()[1];
    double sd = withMargin.marginalStd(1);
    double pLow = StandardNormal.cdf((0.4 - m) / sd);
    double pHigh = 1 - StandardNormal.cdf((0.6 - m) / sd);
    assertThat(Math.min(pLow, pHigh)).isGreaterThanOrEqualTo(alpha / 2 * (1 - 1e-9));
    assertThat(withMargin.marginScale(1)).isGreaterThan(1);
    double m0 = without.mean()[1];
    double sd0 = without.marginalStd(1);
    double leave0 = StandardNormal.cdf((0.4 - m0) / sd0) + 1 - StandardNormal.cdf((0.6 - m0) / sd0);
    assertThat(leave0).isLessThan(alpha / 10);
  }

  @Test
  void marginMovesTheMeanTowardsTheOpenSideAtTheEdgeOfTheRange() {
    // A binary coordinate: cells [0, 0.5] and [0.5, 1]; the objective prefers value 0.
    boolean[] discrete = {false, true};
    CmaEs.CellFunction cells = (j, u, out) -> {
      boolean low = u < 0.5;
      out[0] = low ? 0 : 0.5;
      out[1] = low ? 0.5 : 1;
    };
    int lambda = 6;
    double alpha = 1.0 / (2 * lambda);
    CmaEs cma = new CmaEs(centre(2), 0.2, null, lambda, false, discrete, cells, Double.NaN);
    run(cma, u -> (u[0] - 0.3) * (u[0] - 0.3) + (u[1] < 0.5 ? 0 : 1), 150, 5);
    double m = cma.mean()[1];
    double pOther = 1 - StandardNormal.cdf((0.5 - m) / cma.marginalStd(1));
    assertThat(m).isLessThan(0.5);
    // Equality up to the rounding of m = 0.5 − z·s when s is tiny.
    assertThat(pOther).isCloseTo(alpha, within(alpha * 1e-4));
  }

  @Test
  void promisingDistributionMatchesItsDefinition() {
    List<double[]> best = List.of(new double[] {0.2, 0.4}, new double[] {0.4, 0.8});
    CmaRestarts.WarmStart w = CmaRestarts.promisingDistribution(best, 0.1);
    assertThat(w.mean()).containsExactly(new double[] {0.3, 0.6}, within(1e-15));
    // Σ = 0.01·I + [[0.01, 0.02], [0.02, 0.04]]; σ = det(Σ)^(1/4); C = Σ/σ².
    double[][] sigma = {{0.02, 0.02}, {0.02, 0.05}};
    double det = 0.02 * 0.05 - 0.02 * 0.02;
    double s = Math.pow(det, 0.25);
    assertThat(w.sigma()).isCloseTo(s, within(1e-14));
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertThat(w.sigma() * w.sigma() * w.cov()[i][j]).isCloseTo(sigma[i][j], within(1e-14));
      }
    }
  }
}
