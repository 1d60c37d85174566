package dev.bilevel.hpo.internal.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LbfgsbTest {

  @Test
  void minimizesRosenbrockWithoutBounds() {
    double[] x = {-1.2, 1.0};
    double f = new Lbfgsb(10).minimize(
        (p, g) -> {
          double a = 1 - p[0];
          double b = p[1] - p[0] * p[0];
          g[0] = -2 * a - 400 * p[0] * b;
          g[1] = 200 * b;
          return a * a + 100 * b * b;
        },
        x, null, null, 500, 1e-10);
    assertThat(x[0]).isCloseTo(1, within(1e-6));
    assertThat(x[1]).isCloseTo(1, within(1e-6));
    assertThat(f).isLessThan(1e-12);
  }

  @Test
  void projectsOntoActiveBounds() {
    // min (x−2)² + (y+3)² + (z−0.5)² on [0,1]³: the KKT point is (1, 0, 0.5).
    double[] x = {0.2, 0.9, 0.1};
    new Lbfgsb(5).minimize(
        (p, g) -> {
          g[0] = 2 * (p[0] - 2);
          g[1] = 2 * (p[1] + 3);
          g[2] = 2 * (p[2] - 0.5);
          return (p[0] - 2) * (p[0] - 2) + (p[1] + 3) * (p[1] + 3) + (p[2] - 0.5) * (p[2] - 0.5);
        },
        x, Lbfgsb.filled(3, 0), Lbfgsb.filled(3, 1), 100, 1e-10);
    assertThat(x).containsExactly(new double[] {1, 0, 0.5}, within(1e-9));
  }
}
