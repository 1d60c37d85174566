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
 *   w_λ     = (ψ(y, λ) − m̂_λ)/σ̂_λ                 (ψ standardized: mean m̂_λ, deviation σ̂_λ)
 *   ℓ(λ)    = −½·w_λᵀK⁻¹w_λ − n·ln σ̂_λ + (λ − 1)·Σ_i sign(y_i)·ln(1 + |y_i|)
 * </pre>
 *
 * <p>{@code ℓ} is the log-likelihood of {@code y} under the warped GP of Snelson, Rasmussen and
 * Ghahramani ("Warped Gaussian processes", NeurIPS 2004): the GP density of the warped values
 * {@code w_λ} with a fixed kernel matrix {@code K}, plus the log-Jacobian {@code ln|∂w/∂y|} of
 * the warping (up to constants in {@code λ}; the standardization is treated as a fixed affine
 * map), so that exponents, the identity {@code λ = 1} included, are compared on the scale of the
 * original values. With {@code K = I} ({@code wᵀw = n}) it is Yeo and Johnson's profile
 * likelihood of independent normal values, {@code −(n/2)·ln σ̂² + (λ − 1)·Σ …}, less {@code n/2}.
 * The GP sampler takes {@code K} from the previous trial's kernel fit (one step of alternating
 * maximization over {@code λ} and the kernel), so that what the GP already explains is not also
 * forced into the marginal shape: on the scores of 100 trials on a 5-D Rastrigin function the
 * independent fit gives {@code λ ≈ 2.5} and the warped-GP one 1.3–1.5, while an ill-conditioned
 * quadratic still gets {@code λ = 4} and Ackley's narrow funnel {@code λ < 1}.
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
   * The log-likelihood {@code ℓ(λ)} of the values under the warped model, up to a constant.
   *
   * @param y the values (not modified)
   * @param lambda the exponent
   * @param kernel the factor of {@code K}, of size {@code y.length}; {@code null} for {@code K = I}
   * @return {@code ℓ(λ)}
   */
  public static double logLikelihood(double[] y, double lambda, CholeskyFactor kernel) {
    int n = y.length;
    double[] w = new double[n];
    double mean = 0;
    double jac = 0;
    for (int i = 0; i < n; i++) {
      w[i] = yeoJohnson(y[i], lambda);
      mean += w[i];
      jac += Math.signum(y[i]) * Math.log1p(Math.abs(y[i]));
    }
    mean /= n;
    double var = 0;
    for (int i = 0; i < n; i++) {
      w[i] -= mean;
      var += w[i] * w[i];
    }
    double sd = Math.sqrt(var / n);
    if (!(sd > 1e-150)) {
      return (lambda - 1) * jac;
    }
    for (int i = 0; i < n; i++) {
      w[i] /= sd;
    }
    double fit = kernel == null ? n : kernel.inverseQuadraticForm(w);
    return -0.5 * fit - n * Math.log(sd) + (lambda - 1) * jac;
  }

  /**
   * The maximum-likelihood exponent in {@code [−2, 4]}: a grid of step 0.25, then golden-section
   * refinement around the best grid point to {@code 1e-3}.
   *
   * @param y the values, finite (not modified)
   * @param kernel the factor of {@code K}, of size {@code y.length}; {@code null} for {@code K = I}
   * @return {@code argmax ℓ(λ)}
   */
  public static double fitLambda(double[] y, CholeskyFactor kernel) {
    double step = 0.25;
    double best = 1;
    double bestValue = logLikelihood(y, 1, kernel);
    for (double l = MIN_LAMBDA; l <= MAX_LAMBDA + 1e-9; l += step) {
      double v = logLikelihood(y, l, kernel);
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
    double fc = logLikelihood(y, c, kernel);
    double fd = logLikelihood(y, d, kernel);
    while (b - a > 1e-3) {
      if (fc >= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - ratio * (b - a);
        fc = logLikelihood(y, c, kernel);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + ratio * (b - a);
        fd = logLikelihood(y, d, kernel);
      }
    }
    double refined = 0.5 * (a + b);
    return logLikelihood(y, refined, kernel) > bestValue ? refined : best;
  }

  /**
   * Replaces standardized values by {@code ψ(y, λ̂)} with the fitted exponent.
   *
   * @param v standardized, finite values (modified)
   * @param kernel the factor of {@code K}, of size {@code v.length}; {@code null} for {@code K = I}
   * @return the exponent used
   */
  public static double fitAndApply(double[] v, CholeskyFactor kernel) {
    double lambda = fitLambda(v, kernel);
    for (int i = 0; i < v.length; i++) {
      v[i] = yeoJohnson(v[i], lambda);
    }
    return lambda;
  }
}
