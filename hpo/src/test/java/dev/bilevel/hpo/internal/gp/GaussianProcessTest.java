package dev.bilevel.hpo.internal.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The GP against a closed-form posterior computed here with naive loops and Gauss–Jordan. */
class GaussianProcessTest {
  static final int N = 6;
  static final int D = 3;
  static final boolean[] CAT = {false, false, true};
  static final KernelParams PARAMS = new KernelParams(new double[] {2.0, 0.5, 0.8}, 1.7, 0.05);

  static double[] inputs(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[N * D];
    for (int i = 0; i < N; i++) {
      x[i * D] = rng.nextDouble();
      x[i * D + 1] = rng.nextDouble();
      x[i * D + 2] = rng.nextInt(3);
    }
    return x;
  }

  static double[] targets() {
    return new double[] {0.3, -1.2, 0.8, 1.5, -0.4, 0.1};
  }

  /** Matérn-5/2 written from its textbook form in r. */
  static double kernel(double[] a, int ao, double[] b, int bo, KernelParams p) {
    double r2 = 0;
    for (int j = 0; j < D; j++) {
      double diff = a[ao + j] - b[bo + j];
      double delta2 = CAT[j] ? (diff == 0 ? 0 : 1) : diff * diff;
      r2 += p.lambda(j) * delta2;
    }
    double r = Math.sqrt(r2);
    return p.kernelScale() * (1 + Math.sqrt(5) * r + 5.0 / 3.0 * r * r)
        * Math.exp(-Math.sqrt(5) * r);
  }

  static double[][] gram(double[] x, KernelParams p) {
    double[][] k = new double[N][N];
    for (int a = 0; a < N; a++) {
      for (int b = 0; b < N; b++) {
        k[a][b] = kernel(x, a * D, x, b * D, p) + (a == b ? p.noiseVar() : 0);
      }
    }
    return k;
  }

  /** Gauss–Jordan inverse with partial pivoting; also returns log|det| in det[0]. */
  static double[][] inverse(double[][] m, double[] logDet) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    double ld = 0;
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
          piv = r;
        }
      }
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      double v = a[c][c];
      ld += Math.log(Math.abs(v));
      for (int k = 0; k < 2 * n; k++) {
        a[c][k] /= v;
      }
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c];
          for (int k = 0; k < 2 * n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    logDet[0] = ld;
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  @Test
  void posteriorMatchesTheClosedForm() {
    double[] x = inputs(1);
    double[] y = targets();
    GaussianProcess gp = new GaussianProcess(x, N, D, CAT, y, PARAMS);
    double[][] kinv = inverse(gram(x, PARAMS), new double[1]);
    double[] q = {0.4, 0.6, 1, 0.9, 0.1, 2, x[0], x[1], x[2]};
    int m = 3;
    double[] mean = new double[m];
    double[] var = new double[m];
    gp.posterior(q, m, mean, var);
    for (int c = 0; c < m; c++) {
      double[] ks = new double[N];
      for (int i = 0; i < N; i++) {
        ks[i] = kernel(q, c * D, x, i * D, PARAMS);
      }
      double mu = 0;
      double quad = 0;
      for (int a = 0; a < N; a++) {
        for (int b = 0; b < N; b++) {
          mu += ks[a] * kinv[a][b] * y[b];
          quad += ks[a] * kinv[a][b] * ks[b];
        }
      }
      assertThat(mean[c]).isCloseTo(mu, within(1e-10));
      assertThat(var[c]).isCloseTo(PARAMS.kernelScale() - quad, within(1e-10));
      double[] one = new double[D];
      System.arraycopy(q, c * D, one, 0, D);
      double[] out = new double[2];
      gp.posteriorWithGradient(one, new double[D], new double[D], new double[3][N], out);
      assertThat(out[0]).isCloseTo(mu, within(1e-10));
      assertThat(out[1]).isCloseTo(PARAMS.kernelScale() - quad, within(1e-10));
    }
  }

  @Test
  void posteriorGradientMatchesFiniteDifferences() {
    double[] x = inputs(2);
    GaussianProcess gp = new GaussianProcess(x, N, D, CAT, targets(), PARAMS);
    double[] q = {0.37, 0.52, 1};
    double[] gm = new double[D];
    double[] gv = new double[D];
    double[][] work = new double[3][N];
    double[] out = new double[2];
    gp.posteriorWithGradient(q, gm, gv, work, out);
    double h = 1e-6;
    for (int j = 0; j < 2; j++) {
      double[] p = q.clone();
      double[] o = new double[2];
      p[j] += h;
      gp.posteriorWithGradient(p, new double[D], new double[D], work, o);
      double mPlus = o[0];
      double vPlus = o[1];
      p[j] -= 2 * h;
      gp.posteriorWithGradient(p, new double[D], new double[D], work, o);
      assertThat(gm[j]).isCloseTo((mPlus - o[0]) / (2 * h), within(1e-6));
      assertThat(gv[j]).isCloseTo((vPlus - o[1]) / (2 * h), within(1e-6));
    }
    assertThat(gm[2]).isZero();
  }

  @Test
  void marginalLikelihoodMatchesTheClosedFormAndItsGradientFiniteDifferences() {
    double[] x = inputs(3);
    double[] y = targets();
    for (boolean fixedNoise : new boolean[] {false, true}) {
      double minNoise = 1e-6;
      MarginalLikelihood mll = new MarginalLikelihood(x, N, D, CAT, y, minNoise, fixedNoise);
      KernelParams p = fixedNoise
          ? new KernelParams(PARAMS.inverseSquaredLengthscales(), 1.7, minNoise)
          : PARAMS;
      double[] raw = mll.toRaw(p);
      double[] grad = new double[raw.length];
      double f = mll.valueAndGradient(raw, grad);

      double[] logDet = new double[1];
      double[][] kinv = inverse(gram(x, p), logDet);
      double fit = 0;
      for (int a = 0; a < N; a++) {
        for (int b = 0; b < N; b++) {
          fit += y[a] * kinv[a][b] * y[b];
        }
      }
      double prior = Math.log(p.kernelScale()) - p.kernelScale()
          + 0.1 * Math.log(p.noiseVar()) - 30 * p.noiseVar();
      for (int j = 0; j < D; j++) {
        prior -= 0.1 / p.lambda(j) + 0.1 * p.lambda(j);
      }
      double expected = 0.5 * fit + 0.5 * logDet[0] + 0.5 * N * Math.log(2 * Math.PI) - prior;
      assertThat(f).isCloseTo(expected, within(1e-9));

      double h = 1e-6;
      for (int k = 0; k < raw.length; k++) {
        double[] rp = raw.clone();
        rp[k] += h;
        double fp = mll.valueAndGradient(rp, new double[raw.length]);
        rp[k] -= 2 * h;
        double fm = mll.valueAndGradient(rp, new double[raw.length]);
        assertThat(grad[k]).as("param %d", k).isCloseTo((fp - fm) / (2 * h), within(1e-5));
      }
    }
  }

  @Test
  void fitStartsTheNoiseOnePercentOfTheFloorAboveTheGivenNoiseAsOptuna() {
    // Optuna's _fit_kernel_params starts at ln(σ² − 0.99·σ²_min): zero iterations return it.
    double minNoise = 1e-6;
    MarginalLikelihood mll =
        new MarginalLikelihood(inputs(4), N, D, CAT, targets(), minNoise, false);
    for (double noise : new double[] {minNoise, 0.05}) {
      KernelParams start =
          new KernelParams(PARAMS.inverseSquaredLengthscales(), PARAMS.kernelScale(), noise);
      KernelParams same = mll.fit(start, 0, 1e-2, 0);
      assertThat(same.noiseVar()).isCloseTo(noise + 0.01 * minNoise, within(1e-15));
      assertThat(same.kernelScale()).isCloseTo(PARAMS.kernelScale(), within(1e-12));
    }
  }

  @Test
  void fitIncreasesTheLogPosterior() {
    double[] x = inputs(4);
    MarginalLikelihood mll = new MarginalLikelihood(x, N, D, CAT, targets(), 1e-6, false);
    KernelParams start = KernelParams.defaults(D);
    KernelParams fitted = mll.fit(start, 200, 1e-6, 0);
    double[] g = new double[D + 2];
    double before = mll.valueAndGradient(mll.toRaw(start), g);
    double after = mll.valueAndGradient(mll.toRaw(fitted), g);
    assertThat(after).isLessThan(before);
    for (double gi : g) {
      assertThat(Math.abs(gi)).isLessThan(1e-4);
    }
    // The GP reusing the fit's factorization equals one conditioned from scratch.
    GaussianProcess reused = mll.fittedProcess(x, CAT);
    GaussianProcess fresh = new GaussianProcess(x, N, D, CAT, targets(), fitted);
    double[] q = {0.3, 0.9, 2, 0.6, 0.2, 0};
    double[][] a = new double[2][2];
    double[][] b = new double[2][2];
    reused.posterior(q, 2, a[0], a[1]);
    fresh.posterior(q, 2, b[0], b[1]);
    for (int i = 0; i < 2; i++) {
      assertThat(a[i]).containsExactly(b[i], within(1e-9));
    }
  }
}
