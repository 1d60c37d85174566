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
 * relative. The inverse uses Wichura's AS 241 (relative error about 1e-16), Newton steps on {@code
 * log Φ(x) = y} from the asymptotic start in the far tail.
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
  /** AS 241's rational approximations, numerator and denominator coefficients by degree. */
  private static final double[] PPND_A = {3.3871328727963666080e0, 1.3314166789178437745e+2,
      1.9715909503065514427e+3, 1.3731693765509461125e+4, 4.5921953931549871457e+4,
      6.7265770927008700853e+4, 3.3430575583588128105e+4, 2.5090809287301226727e+3};
  private static final double[] PPND_B = {1.0, 4.2313330701600911252e+1,
      6.8718700749205790830e+2, 5.3941960214247511077e+3, 2.1213794301586595867e+4,
      3.9307895800092710610e+4, 2.8729085735721942674e+4, 5.2264952788528545610e+3};
  private static final double[] PPND_C = {1.42343711074968357734e0, 4.63033784615654529590e0,
      5.76949722146069140550e0, 3.64784832476320460504e0, 1.27045825245236838258e0,
      2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4};
  private static final double[] PPND_D = {1.0, 2.05319162663775882187e0,
      1.67638483018380384940e0, 6.89767334985100004550e-1, 1.48103976427480074590e-1,
      1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9};
  private static final double[] PPND_E = {6.65790464350110377720e0, 5.46378491116411436990e0,
      1.78482653991729133580e0, 2.96560571828504891230e-1, 2.65321895265761230930e-2,
      1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7};
  private static final double[] PPND_F = {1.0, 5.99832206555887937690e-1,
      1.36929880922735805310e-1, 1.48753612908506148525e-2, 7.86869131145613259100e-4,
      1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15};
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
      return log1p(-erfSmall(y));
    }
    return -y * y + Math.log(erfcRatio(y));
  }

  /**
   * {@code erfc(y)} for {@code y ≥ 0}, from the same approximations in linear space ({@code 1 −
   * erf(y)} near zero, {@code exp(−y²) R(y)} beyond): one exponential instead of a logarithm and
   * an exponential.
   *
   * @param y a non-negative number
   * @return the complementary error function (underflows to 0 beyond {@code y ≈ 27})
   */
  static double erfcPositive(double y) {
    if (y <= 0.46875) {
      return 1.0 - erfSmall(y);
    }
    return Math.exp(-y * y) * erfcRatio(y);
  }

  /** {@code erf(y)} for {@code 0 ≤ y ≤ 0.46875}. */
  private static double erfSmall(double y) {
    double ysq = y * y;
    double num = A[4] * ysq;
    double den = ysq;
    for (int i = 0; i < 3; i++) {
      num = (num + A[i]) * ysq;
      den = (den + B[i]) * ysq;
    }
    return y * (num + A[3]) / (den + B[3]);
  }

  /** {@code R(y) = exp(y²) erfc(y)} for {@code y > 0.46875}. */
  private static double erfcRatio(double y) {
    if (y <= 4.0) {
      double num = C[8] * y;
      double den = y;
      for (int i = 0; i < 7; i++) {
        num = (num + C[i]) * y;
        den = (den + D[i]) * y;
      }
      return (num + C[7]) / (den + D[7]);
    }
    double ysq = 1.0 / (y * y);
    double num = P[5] * ysq;
    double den = ysq;
    for (int i = 0; i < 4; i++) {
      num = (num + P[i]) * ysq;
      den = (den + Q[i]) * ysq;
    }
    return (SQRPI - ysq * (num + P[4]) / (den + Q[4])) / y;
  }

  /**
   * The standard normal CDF {@code Φ(x)}.
   *
   * @param x the point
   * @return {@code Φ(x)}
   */
  public static double ndtr(double x) {
    double y = Math.abs(x) / SQRT2;
    double half = 0.5 * erfcPositive(y);
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
   * {@code Φ⁻¹(exp(y))} for {@code y ≤ 0}: Wichura's algorithm AS 241 (PPND16; "The percentage
   * points of the normal distribution", Applied Statistics 37, 1988), about 1e-16 relative, fed
   * the log probability directly so the lower tail needs no {@code exp}; below {@code y = −680}
   * (probabilities under 1e-295, beyond its stated range) Newton steps on {@code log Φ(x) = y}
   * from the asymptotic start.
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
    if (y < -680) {
      return farLowerTail(y);
    }
    double p = Math.exp(y);
    double q = p - 0.5;
    if (Math.abs(q) <= 0.425) {
      double r = 0.180625 - q * q;
      return q * poly(PPND_A, r) / poly(PPND_B, r);
    }
    // r = sqrt(−log(min(p, 1 − p))), with log p = y exactly in the lower tail.
    double r = Math.sqrt(q < 0 ? -y : -Math.log(-Math.expm1(y)));
    double x = r <= 5.0 ? poly(PPND_C, r - 1.6) / poly(PPND_D, r - 1.6)
        : poly(PPND_E, r - 5.0) / poly(PPND_F, r - 5.0);
    return q < 0 ? -x : x;
  }

  /** Horner's rule, coefficients by increasing degree. */
  private static double poly(double[] c, double x) {
    double v = c[c.length - 1];
    for (int i = c.length - 2; i >= 0; i--) {
      v = v * x + c[i];
    }
    return v;
  }

  private static double farLowerTail(double y) {
    double t = -2.0 * y;
    double x = -Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
    for (int it = 0; it < 4; it++) {
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
   * {@link #ppf(double, double, double, double)} from the kernel's masses in linear space, {@code
   * lowerTail = Φ(a)}, {@code upperTail = Φ(−b)} and {@code mass = Φ(b) − Φ(a)}: the nearer tail
   * probability {@code p = Φ(a) + q·mass} or {@code 1 − p = Φ(−b) + (1 − q)·mass}, a sum of
   * non-negative terms and so accurate to rounding, goes through AS 241 in linear space, which
   * spares the logarithms and exponentials of the log-space path. When that tail probability is
   * below {@code 1e-290} (the subnormal range is near) it falls back to the log-space path.
   *
   * @param q a probability in [0, 1]
   * @param a lower end
   * @param b upper end
   * @param logMass {@link #logGaussMass}{@code (a, b)}
   * @param lowerTail {@link #ndtr}{@code (a)}
   * @param upperTail {@link #ndtr}{@code (−b)}
   * @param mass {@code exp(logMass)}
   * @return the quantile, clipped to {@code [a, b]}
   */
  public static double ppf(double q, double a, double b, double logMass, double lowerTail,
      double upperTail, double mass) {
    if (a == b) {
      return a;
    }
    double lower = lowerTail + q * mass;
    double z;
    if (lower <= 0.5) {
      z = lower >= 1e-290 ? ndtriLowerHalf(lower) : Double.NaN;
    } else {
      double upper = upperTail + (1.0 - q) * mass;
      z = upper >= 1e-290 ? -ndtriLowerHalf(upper) : Double.NaN;
    }
    if (Double.isNaN(z)) {
      return ppf(q, a, b, logMass);
    }
    return Math.min(Math.max(z, a), b);
  }

  /** {@code Φ⁻¹(p)} for {@code 0 < p ≤ 0.5} by AS 241 (see {@link #ndtriExp}). */
  private static double ndtriLowerHalf(double p) {
    double q = p - 0.5;
    if (q >= -0.425) {
      double r = 0.180625 - q * q;
      return q * poly(PPND_A, r) / poly(PPND_B, r);
    }
    double r = Math.sqrt(-Math.log(p));
    double x = r <= 5.0 ? poly(PPND_C, r - 1.6) / poly(PPND_D, r - 1.6)
        : poly(PPND_E, r - 5.0) / poly(PPND_F, r - 5.0);
    return -x;
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
