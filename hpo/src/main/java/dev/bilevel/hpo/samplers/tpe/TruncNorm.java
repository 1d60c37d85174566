package dev.bilevel.hpo.samplers.tpe;

/**
 * The standard normal distribution truncated to {@code [a, b]}, computed in log space so that far
 * tails neither underflow nor cancel (the numerics of Optuna's {@code _truncnorm}).
 *
 * <p>With {@code Φ} the standard normal CDF: the truncated density is {@code φ(z) / (Φ(b) − Φ(a))}
 * on {@code [a, b]}, and its quantile function is {@code Φ⁻¹(Φ(a) + q (Φ(b) − Φ(a)))}. The log of
 * {@code erfc} uses W. J. Cody's rational Chebyshev approximations (Cody 1969, "Rational Chebyshev
 * approximations for the error function", Math. Comp. 23), whose tail form {@code erfc(y) =
 * exp(−y²) R(y)} gives {@code log erfc(y) = −y² + log R(y)} without underflow, about 1e-15
 * relative. The inverse uses Acklam's rational approximation (relative error below 1.2e-9)
 * refined by a Newton step on {@code log Φ(x) = y} (several from the asymptotic start in the far
 * tail).
 */
public final class TruncNorm {
  private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02,
      3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1};
  private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02,
      1.28261652607737228e03, 2.84423683343917062e03};
  private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
      6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
      1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
      2.15311535474403846e-8};
  private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
      5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
      4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
  private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
      1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
      1.63153871373020978e-2};
  private static final double[] Q = {2.56852019228982242e00, 1.87295284992346725e00,
      5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};
  private static final double SQRPI = 5.6418958354775628695e-1;
  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double LN2 = Math.log(2.0);
  /** {@code log √(2π)}. */
  public static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);

  private TruncNorm() {}

  /**
   * {@code log erfc(y)} for {@code y ≥ 0}.
   *
   * @param y a non-negative number
   * @return the logarithm of the complementary error function
   */
  static double logErfcPositive(double y) {
    if (y <= 0.46875) {
      double ysq = y * y;
      double num = A[4] * ysq;
      double den = ysq;
      for (int i = 0; i < 3; i++) {
        num = (num + A[i]) * ysq;
        den = (den + B[i]) * ysq;
      }
      return log1p(-y * (num + A[3]) / (den + B[3]));
    }
    double r;
    if (y <= 4.0) {
      double num = C[8] * y;
      double den = y;
      for (int i = 0; i < 7; i++) {
        num = (num + C[i]) * y;
        den = (den + D[i]) * y;
      }
      r = (num + C[7]) / (den + D[7]);
    } else {
      double ysq = 1.0 / (y * y);
      double num = P[5] * ysq;
      double den = ysq;
      for (int i = 0; i < 4; i++) {
        num = (num + P[i]) * ysq;
        den = (den + Q[i]) * ysq;
      }
      r = (SQRPI - ysq * (num + P[4]) / (den + Q[4])) / y;
    }
    return -y * y + Math.log(r);
  }

  /**
   * The standard normal CDF {@code Φ(x)}.
   *
   * @param x the point
   * @return {@code Φ(x)}
   */
  public static double ndtr(double x) {
    double y = Math.abs(x) / SQRT2;
    double half = 0.5 * Math.exp(logErfcPositive(y));
    return x < 0 ? half : 1.0 - half;
  }

  /**
   * {@code log Φ(x)}, accurate in both tails.
   *
   * @param x the point
   * @return {@code log Φ(x)}
   */
  public static double logNdtr(double x) {
    if (x < 0) {
      return logErfcPositive(-x / SQRT2) - LN2;
    }
    return log1p(-0.5 * Math.exp(logErfcPositive(x / SQRT2)));
  }

  /**
   * {@code log(1 + x)} to a few ulps by Kahan's trick ({@code log(u)·x/(u − 1)} with {@code u = 1 +
   * x} rounded; Goldberg, "What every computer scientist should know about floating-point
   * arithmetic", ACM Computing Surveys 23, 1991, theorem 4), because {@link Math#log1p} is not
   * an intrinsic and was the hot spot of TPE's kernel normalizers.
   */
  static double log1p(double x) {
    double u = 1.0 + x;
    if (u == 1.0) {
      return x;
    }
    return Math.log(u) * x / (u - 1.0);
  }

  /** {@code log(1 − exp(x))} for {@code x ≤ 0}. */
  private static double log1mexp(double x) {
    return x > -LN2 ? Math.log(-Math.expm1(x)) : log1p(-Math.exp(x));
  }

  /** {@code log(exp(x) + exp(y))}. */
  private static double logAddExp(double x, double y) {
    double m = Math.max(x, y);
    if (m == Double.NEGATIVE_INFINITY) {
      return m;
    }
    return m + log1p(Math.exp(-Math.abs(x - y)));
  }

  /**
   * {@code log(Φ(b) − Φ(a))} for {@code a ≤ b}, the log probability mass of {@code [a, b]}.
   *
   * @param a lower end
   * @param b upper end
   * @return the log mass ({@code −∞} when {@code a == b})
   */
  public static double logGaussMass(double a, double b) {
    if (b <= 0) {
      double lb = logNdtr(b);
      return lb + log1mexp(logNdtr(a) - lb);
    }
    if (a > 0) {
      return logGaussMass(-b, -a);
    }
    // Tails below Φ(−8.5) ≈ 1e-17 are dropped: they change the result by less than 1e-17.
    double left = a < -8.5 ? 0 : ndtr(a);
    double right = b > 8.5 ? 0 : ndtr(-b);
    return left == 0 && right == 0 ? 0 : log1p(-left - right);
  }

  /**
   * {@code Φ⁻¹(exp(y))} for {@code y ≤ 0}: Acklam's approximation as a start, then Newton steps on
   * {@code log Φ(x) − y}, whose derivative is {@code φ(x)/Φ(x)}.
   *
   * @param y a log probability
   * @return the quantile
   */
  public static double ndtriExp(double y) {
    if (y >= 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (y == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    double x;
    int steps;
    if (y < -700) {
      double t = -2.0 * y;
      x = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
      steps = 4;
    } else {
      // Acklam's start is within 1.2e-9 relative; one Newton step squares that error.
      double p = Math.exp(y);
      x = acklam(p, p > 0.5 ? -Math.expm1(y) : 1.0 - p);
      steps = 1;
    }
    for (int it = 0; it < steps; it++) {
      double lp = logNdtr(x);
      double dlog = Math.exp(-0.5 * x * x - LOG_SQRT_2PI - lp);
      if (!(dlog > 0) || !Double.isFinite(dlog)) {
        break;
      }
      double step = (lp - y) / dlog;
      x -= step;
      if (Math.abs(step) < 1e-15 * (1 + Math.abs(x))) {
        break;
      }
    }
    return x;
  }

  private static double acklam(double p, double oneMinusP) {
    final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (oneMinusP < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(oneMinusP));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  /**
   * The quantile function of the standard normal truncated to {@code [a, b]}: the {@code z} with
   * {@code (Φ(z) − Φ(a)) / (Φ(b) − Φ(a)) = q}, computed from the nearer tail.
   *
   * @param q a probability in [0, 1]
   * @param a lower end
   * @param b upper end
   * @return the quantile, clipped to {@code [a, b]}
   */
  public static double ppf(double q, double a, double b) {
    return ppf(q, a, b, logGaussMass(a, b));
  }

  /**
   * {@link #ppf(double, double, double)} with the log mass {@code log(Φ(b) − Φ(a))} already known.
   *
   * @param q a probability in [0, 1]
   * @param a lower end
   * @param b upper end
   * @param logMass {@link #logGaussMass}{@code (a, b)}
   * @return the quantile, clipped to {@code [a, b]}
   */
  public static double ppf(double q, double a, double b, double logMass) {
    if (a == b) {
      return a;
    }
    double z;
    if (a < 0) {
      z = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + logMass));
    } else {
      z = -ndtriExp(logAddExp(logNdtr(-b), log1p(-q) + logMass));
    }
    if (Double.isNaN(z)) {
      return 0.5 * (a + b);
    }
    return Math.min(Math.max(z, a), b);
  }

  /**
   * The log density of the normal {@code N(mu, sigma²)} truncated to {@code [low, high]}.
   *
   * @param x the point
   * @param mu the mean
   * @param sigma the standard deviation
   * @param low lower end
   * @param high upper end
   * @return the log density, {@code −∞} outside the interval
   */
  public static double logPdf(double x, double mu, double sigma, double low, double high) {
    if (x < low || x > high) {
      return Double.NEGATIVE_INFINITY;
    }
    double z = (x - mu) / sigma;
    return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma)
        - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
  }
}
