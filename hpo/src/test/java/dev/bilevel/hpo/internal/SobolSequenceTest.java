package dev.bilevel.hpo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SobolSequenceTest {

  private static final int[] DIMS = {0, 1, 2, 9, 30, 31, 32, 47, 63};

  /** Oracle: scipy.stats.qmc.Sobol(d=64, scramble=False).random(4096)[i][DIMS]. */
  private static final double[][] SCIPY = {
    {0.4140625, 0.2578125, 0.7734375, 0.6953125, 0.7109375, 0.4140625, 0.2578125, 0.7109375,
      0.6484375},
    {0.2197265625, 0.0966796875, 0.5185546875, 0.0693359375, 0.1474609375, 0.1455078125,
      0.2958984375, 0.9189453125, 0.4462890625},
    {0.000244140625, 0.941162109375, 0.334228515625, 0.246337890625, 0.361572265625,
      0.087646484375, 0.760498046875, 0.019775390625, 0.553466796875}
  };

  private static final long[] SCIPY_INDICES = {100, 1000, 4095};

  @Test
  void unscrambledPointsMatchScipy() {
    SobolSequence sobol = new SobolSequence(64, null);
    for (int r = 0; r < SCIPY_INDICES.length; r++) {
      double[] p = sobol.point(SCIPY_INDICES[r]);
      for (int c = 0; c < DIMS.length; c++) {
        assertThat(p[DIMS[c]]).as("point %d dim %d", SCIPY_INDICES[r], DIMS[c])
            .isEqualTo(SCIPY[r][c]);
      }
    }
    assertThat(sobol.point(0)).containsOnly(0.0);
    assertThat(sobol.point(2)[1]).isEqualTo(0.25);
  }

  /** Every prefix of 2^m points of a (0, m, 2)-net puts exactly one point in each box of area 2^-m. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void scrambledFirstTwoDimensionsFormAZeroNet(long seed) {
    SobolSequence sobol = new SobolSequence(2, seed);
    int m = 8;
    int n = 1 << m;
    double[][] pts = new double[n][];
    for (int i = 0; i < n; i++) {
      pts[i] = sobol.point(i);
    }
    for (int a = 0; a <= m; a++) {
      int b = m - a;
      int[][] counts = new int[1 << a][1 << b];
      for (double[] p : pts) {
        counts[(int) (p[0] * (1 << a))][(int) (p[1] * (1 << b))]++;
      }
      for (int[] row : counts) {
        assertThat(row).containsOnly(1);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 33, 64})
  void scrambledAxesAreStratifiedInEveryDimension(int dimension) {
    SobolSequence sobol = new SobolSequence(64, 42L);
    int n = 128;
    int[] counts = new int[n];
    for (int i = 0; i < n; i++) {
      double x = sobol.point(i)[dimension - 1];
      assertThat(x).isBetween(0.0, 1.0).isLessThan(1.0);
      counts[(int) (x * n)]++;
    }
    assertThat(counts).containsOnly(1);
  }

  @Test
  void scrambleDependsOnTheSeedOnly() {
    assertThat(new SobolSequence(40, 7L).point(5)).isEqualTo(new SobolSequence(40, 7L).point(5));
    assertThat(new SobolSequence(3, 7L).point(5)[2]).isEqualTo(new SobolSequence(40, 7L).point(5)[2]);
    assertThat(new SobolSequence(4, 7L).point(5)).isNotEqualTo(new SobolSequence(4, 8L).point(5));
    assertThatThrownBy(() -> new SobolSequence(65, null)).hasMessageContaining("dimension");
  }
}
