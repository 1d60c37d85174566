package dev.bilevel.hpo.internal.forest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FanovaTest {

  @Test
  void matchesTheClosedFormAnovaOfATwoByTwoDesign() {
    // Cells (x0, x1) ∈ {¼, ¾}²; values f[i][j] with an interaction. The tree fitted on all four
    // points splits at ½ on both axes, so its fANOVA is the two-way ANOVA of the table.
    double[][] f = {{1, 2}, {3, 7}};
    double[] x = {0.25, 0.25, 0.25, 0.75, 0.75, 0.25, 0.75, 0.75};
    double[] y = {f[0][0], f[0][1], f[1][0], f[1][1]};
    RegressionTree tree = new RegressionTree(
        x, 2, y, new int[] {0, 1, 2, 3}, 64, 2, 1, 2, new SplittableRandom(1));
    double mean = (1 + 2 + 3 + 7) / 4.0;
    double total = 0;
    for (double v : y) {
      total += (v - mean) * (v - mean) / 4;
    }
    double row0 = (f[0][0] + f[0][1]) / 2 - mean;
    double row1 = (f[1][0] + f[1][1]) / 2 - mean;
    double col0 = (f[0][0] + f[1][0]) / 2 - mean;
    double col1 = (f[0][1] + f[1][1]) / 2 - mean;
    double[] fractions = Fanova.mainEffectFractions(tree, new double[] {0, 0}, new double[] {1, 1});
    assertThat(fractions[0]).isCloseTo((row0 * row0 + row1 * row1) / 2 / total, within(1e-12));
    assertThat(fractions[1]).isCloseTo((col0 * col0 + col1 * col1) / 2 / total, within(1e-12));
    assertThat(tree.predict(new double[] {0.9, 0.1})).isEqualTo(3);
  }

  @Test
  void additiveFunctionsHaveFractionsThatSumToAboutOne() {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 300;
    double[] x = new double[2 * n];
    double[] y = new double[n];
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = rng.nextDouble();
      x[2 * i + 1] = rng.nextDouble();
      y[i] = Math.floor(4 * x[2 * i]) + 2 * Math.floor(2 * x[2 * i + 1]);
      rows[i] = i;
    }
    RegressionTree tree = new RegressionTree(x, 2, y, rows, 64, 2, 1, 2, new SplittableRandom(1));
    double[] fr = Fanova.mainEffectFractions(tree, new double[] {0, 0}, new double[] {1, 1});
    // No interaction up to split points that differ slightly between branches (learned from
    // samples, not from the grid).
    assertThat(fr[0] + fr[1]).isCloseTo(1, within(5e-3));
    // Var(floor(4u)) = 15/12 = 1.25 and Var(2·floor(2u)) = 1: shares 5/9 and 4/9 up to the
    // sampling of the split points.
    assertThat(fr[0]).isCloseTo(5.0 / 9, within(0.03));
  }
}
