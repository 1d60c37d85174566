package dev.bilevel.hpo.internal.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.decomposition.chol.CholeskyDecompositionInner_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CholeskyFactorTest {

  /** A random SPD matrix {@code AᵀA + n·I}, row-major. */
  private static double[] spd(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] a = new double[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble(-1, 1);
    }
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = i == j ? n : 0;
        for (int r = 0; r < n; r++) {
          s += a[r * n + i] * a[r * n + j];
        }
        k[i * n + j] = s;
      }
    }
    return k;
  }

  /** Sizes around the four-row passes (remainders 0..3) and a GP-sized one. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 13, 64, 101})
  void factorSolveAndInverseMatchEjml(int n) {
    double[] k = spd(n, n);
    CholeskyFactor chol = new CholeskyFactor(n);
    assertThat(chol.factorize(k)).isTrue();

    CholeskyDecompositionInner_DDRM oracle = new CholeskyDecompositionInner_DDRM(true);
    DMatrixRMaj km = DMatrixRMaj.wrap(n, n, k.clone());
    assertThat(oracle.decompose(km)).isTrue();
    DMatrixRMaj l = oracle.getT(null);
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertThat(chol.lower()[i * n + j]).isCloseTo(l.get(i, j), within(1e-9 * n));
      }
      logDet += 2 * Math.log(l.get(i, i));
    }
    assertThat(chol.logDet()).isCloseTo(logDet, within(1e-9 * n));

    DMatrixRMaj inv = new DMatrixRMaj(n, n);
    assertThat(CommonOps_DDRM.invert(DMatrixRMaj.wrap(n, n, k.clone()), inv)).isTrue();
    double[] ours = new double[n * n];
    chol.inverse(ours);
    for (int i = 0; i < n * n; i++) {
      assertThat(ours[i]).isCloseTo(inv.data[i], within(1e-12));
    }

    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = Math.sin(i + 1);
    }
    double[] x = new double[n];
    chol.solve(b, x);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) {
        s += k[i * n + j] * x[j];
      }
      assertThat(s).isCloseTo(b[i], within(1e-9 * n));
    }

    // bᵀK⁻¹b against EJML's inverse.
    double quad = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        quad += b[i] * inv.data[i * n + j] * b[j];
      }
    }
    assertThat(chol.inverseQuadraticForm(b)).isCloseTo(quad, within(1e-9 * Math.abs(quad)));
  }

  @Test
  void rejectsIndefiniteMatricesAndRecoversOnTheNext() {
    CholeskyFactor chol = new CholeskyFactor(3);
    assertThat(chol.factorize(new double[] {1, 2, 0, 2, 1, 0, 0, 0, 1})).isFalse();
    assertThat(chol.factorize(new double[] {1, Double.NaN, 0, Double.NaN, 1, 0, 0, 0, 1}))
        .isFalse();
    assertThat(chol.factorize(new double[] {4, 2, 0, 2, 2, 0, 0, 0, 9})).isTrue();
    assertThat(chol.lower()).containsExactly(2, 0, 0, 1, 1, 0, 0, 0, 3);
  }
}
