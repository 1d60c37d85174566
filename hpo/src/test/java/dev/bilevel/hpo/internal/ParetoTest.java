package dev.bilevel.hpo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParetoTest {

  /** The definition: rank r = non-dominated among points of rank ≥ r (peeling). */
  private static int[] peel(double[][] p) {
    int n = p.length;
    int[] rank = new int[n];
    java.util.Arrays.fill(rank, -1);
    for (int r = 0, left = n; left > 0; r++) {
      boolean[] front = new boolean[n];
      for (int i = 0; i < n; i++) {
        if (rank[i] >= 0) {
          continue;
        }
        boolean dom = false;
        for (int j = 0; j < n && !dom; j++) {
          dom = rank[j] < 0 && Pareto.dominates(p[j], p[i]);
        }
        front[i] = !dom;
      }
      for (int i = 0; i < n; i++) {
        if (front[i]) {
          rank[i] = r;
          left--;
        }
      }
    }
    return rank;
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void ranksMatchTheDefinitionWithTies(int m) {
    SplittableRandom rng = new SplittableRandom(m);
    for (int rep = 0; rep < 20; rep++) {
      double[][] p = new double[60][m];
      for (double[] row : p) {
        for (int k = 0; k < m; k++) {
          row[k] = rng.nextInt(6);
        }
      }
      assertThat(Pareto.ranks(p, p.length)).containsExactly(peel(p));
    }
  }

  @Test
  void hypervolumeOfKnownSets() {
    double[] ref2 = {4, 4};
    assertThat(Pareto.hypervolume(new double[][] {{1, 3}, {2, 2}, {3, 1}, {3, 3}}, ref2))
        .isCloseTo(3 + 2 + 1, within(1e-12));
    double[] ref3 = {2, 2, 2};
    // Two boxes of volume 2 overlapping in a unit cube.
    assertThat(Pareto.hypervolume(new double[][] {{0, 1, 1}, {1, 0, 1}}, ref3))
        .isCloseTo(3, within(1e-12));
    assertThat(Pareto.hypervolume(new double[][] {{1, 1, 1}, {5, 0, 0}}, ref3))
        .isCloseTo(1, within(1e-12));
  }

  @Test
  void crowdingDistanceOfALine() {
    // Points on f2 = 4 − f1 at f1 = 0, 1, 3, 4: interior gaps (3 − 0)/4 and (4 − 1)/4 per objective.
    double[] cd = Pareto.crowdingDistance(new double[][] {{0, 4}, {1, 3}, {3, 1}, {4, 0}});
    assertThat(cd[0]).isInfinite();
    assertThat(cd[3]).isInfinite();
    assertThat(cd[1]).isCloseTo(1.5, within(1e-12));
    assertThat(cd[2]).isCloseTo(1.5, within(1e-12));
  }
}
