package dev.bilevel.hpo.internal.gp;

/**
 * The Yeo-Johnson power transform with its exponent fitted by maximum likelihood, applied to the
 * GP sampler's standardized scores before the GP is fitted (Yeo and Johnson, "A new family of
 * power transformations to improve normality or symmetry", Biometrika 87(4), 2000; used for the
 * same purpose by HEBO, Cowen-Rivers et al., JAIR 74, 2022):
 *
 * <pre>
 *   ψ(y, λ) = ((1 + y)^λ − 1)/λ                 y ≥ 0, λ ≠ 0      (ln(1 + y) at λ = 0)
 *   ψ(y, λ) = −((1 − y)^(2−λ) − 1)/(2 − λ)      y &lt; 0, λ ≠ 2      (−ln(1 − y) at λ = 2)
 *   ℓ(λ)    = −(n/2)·ln σ̂²(ψ(y, λ)) + (λ − 1)·Σ_i sign(y_i)·ln(1 + |y_i|)
 * </pre>
 *
 * <p>{@code ψ} is strictly increasing in {@code y} for every {@code λ}, so the order of the
 * scores, and with it the incumbent, is kept. A long tail of poor values (an ill-conditioned
 * quadratic, a diverging run) gets {@code λ > 1}, which compresses it, so that the stationary
 * kernel no longer spends its scale on the tail; Gaussian-looking scores get {@code λ ≈ 1}, the
 * identity. Optuna's {@code GPSampler} only standardizes. Stateless.
 */
public final class PowerTransform {
  /** The exponents searched: Box-Cox/Yeo-Johnson exponents outside this are rarely useful. */
  static final double MIN_LAMBDA = -2;
  static final double MAX_LAMBDA = 4;

  private PowerTransform() {}

  /**
   * {@code ψ(y, λ)}.
   *
   * @param y the value
   * @param lambda the exponent
   * @return the transformed value
   */
  public static double yeoJohnson(double y, double lambda) {
    if (y >= 0) {
      return Math.abs(lambda) < 1e-12
          ? Math.log1p(y)
          : Math.expm1(lambda * Math.log1p(y)) / lambda;
    }
    double m = 2 - lambda;
    return Math.abs(m) < 1e-12 ? -Math.log1p(-y) : -Math.expm1(m * Math.log1p(-y)) / m;
  }

  /**
   * The profile log-likelihood {@code ℓ(λ)} of the transformed values under a normal model, up to
   * a constant.
   *
   * @param y the values (not modified)
   * @param lambda the exponent
   * @return {@code ℓ(λ)}
   */
  public static double logLikelihood(double[] y, double lambda) {
    int n = y.length;
    double mean = 0;
    double jac = 0;
    for (double v : y) {
      mean += yeoJohnson(v, lambda);
      jac += Math.signum(v) * Math.log1p(Math.abs(v));
    }
    mean /= n;
    double var = 0;
    for (double v : y) {
      double t = yeoJohnson(v, lambda) - mean;
      var += t * t;
    }
    return -0.5 * n * Math.log(Math.max(var / n, 1e-300)) + (lambda - 1) * jac;
  }

  /**
   * The maximum-likelihood exponent in {@code [−2, 4]}: a grid of step 0.25, then golden-section
   * refinement around the best grid point to {@code 1e-3}.
   *
   * @param y the values, finite (not modified)
   * @return {@code argmax ℓ(λ)}
   */
  public static double fitLambda(double[] y) {
    double step = 0.25;
    double best = 1;
    double bestValue = logLikelihood(y, 1);
    for (double l = MIN_LAMBDA; l <= MAX_LAMBDA + 1e-9; l += step) {
      double v = logLikelihood(y, l);
      if (v > bestValue) {
        bestValue = v;
        best = l;
      }
    }
    double a = Math.max(MIN_LAMBDA, best - step);
    double b = Math.min(MAX_LAMBDA, best + step);
    double ratio = (Math.sqrt(5) - 1) / 2;
    double c = b - ratio * (b - a);
    double d = a + ratio * (b - a);
    double fc = logLikelihood(y, c);
    double fd = logLikelihood(y, d);
    while (b - a > 1e-3) {
      if (fc >= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - ratio * (b - a);
        fc = logLikelihood(y, c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + ratio * (b - a);
        fd = logLikelihood(y, d);
      }
    }
    double refined = 0.5 * (a + b);
    return logLikelihood(y, refined) > bestValue ? refined : best;
  }

  /**
   * Replaces standardized values by {@code ψ(y, λ̂)} with the fitted exponent.
   *
   * @param v standardized, finite values (modified)
   * @return the exponent used
   */
  public static double fitAndApply(double[] v) {
    double lambda = fitLambda(v);
    for (int i = 0; i < v.length; i++) {
      v[i] = yeoJohnson(v[i], lambda);
    }
    return lambda;
  }
}
