package dev.bilevel.hpo.internal.math;

/**
 * Numerically careful functions of the standard normal distribution: {@code erfcx}, the CDF and its
 * logarithm, the inverse CDF, and the logarithm of the expected-improvement function {@code h(z) =
 * φ(z) + z·Φ(z) = E[max(0, Z + z)]}, {@code Z ~ N(0, 1)}.
 *
 * <p>{@code erfcx(x) = exp(x²)·erfc(x)} is computed from the all-positive series {@code erf(x) =
 * (2/√π)·exp(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!} for {@code 0 ≤ x < 2} and from Laplace's continued
 * fraction {@code erfcx(x) = (1/√π)/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} for {@code x ≥ 2};
 * both are accurate to about 1e-14 relative. {@link #logH} follows Ament et al., "Unexpected
 * improvements to expected improvement for Bayesian optimization", NeurIPS 2023, Eq. (9): direct
 * evaluation for {@code z > −1}, {@code log φ(z) + log(1 + z·r(z))} with {@code r = Φ/φ} from
 * {@code erfcx} for {@code −40 ≤ z ≤ −1}, and the asymptotic series {@code 1 + z·r = w − 3w² +
 * 15w³ − …}, {@code w = 1/z²}, below, so that the result stays finite and accurate for any finite
 * {@code z}.
 */
public final class StandardNormal {
  private static final double SQRT_PI = Math.sqrt(Math.PI);
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT_HALF_PI = Math.sqrt(0.5 * Math.PI);

  private StandardNormal() {}

  /**
   * The scaled complementary error function {@code exp(x²)·erfc(x)}.
   *
   * @param x any finite number ({@code x < −26} overflows to infinity)
   * @return {@code erfcx(x)}
   */
  public static double erfcx(double x) {
    if (x < 0) {
      return 2 * Math.exp(x * x) - erfcx(-x);
    }
    if (x < 2) {
      double term = x;
      double sum = x;
      double x2 = 2 * x * x;
      for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
        term *= x2 / (2 * n + 1);
        sum += term;
      }
      return Math.exp(x * x) - 2 / SQRT_PI * sum;
    }
    int depth = x < 4 ? 160 : x < 10 ? 60 : 25;
    double tail = x;
    for (int k = depth; k >= 1; k--) {
      tail = x + 0.5 * k / tail;
    }
    return 1 / (SQRT_PI * tail);
  }

  /**
   * The complementary error function.
   *
   * @param x any number
   * @return {@code erfc(x)}
   */
  public static double erfc(double x) {
    if (x < 0) {
      return 2 - erfc(-x);
    }
    return x > 27 ? 0.0 : Math.exp(-x * x) * erfcx(x);
  }

  /**
   * The density {@code φ(z) = exp(−z²/2)/√(2π)}.
   *
   * @param z the argument
   * @return the density
   */
  public static double pdf(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  /**
   * The distribution function {@code Φ(z) = erfc(−z/√2)/2}.
   *
   * @param z the argument
   * @return {@code Φ(z)}
   */
  public static double cdf(double z) {
    return 0.5 * erfc(-z * SQRT_HALF);
  }

  /**
   * {@code log Φ(z)}, finite for every finite {@code z}.
   *
   * @param z the argument
   * @return {@code log Φ(z)}
   */
  public static double logCdf(double z) {
    if (z > -1) {
      return Math.log1p(-0.5 * erfc(z * SQRT_HALF));
    }
    return Math.log(0.5 * erfcx(-z * SQRT_HALF)) - 0.5 * z * z;
  }

  /**
   * The derivative of {@link #logCdf}: the inverse Mills ratio {@code φ(z)/Φ(z)}.
   *
   * @param z the argument
   * @return {@code φ(z)/Φ(z)}
   */
  public static double dLogCdf(double z) {
    if (z > -1) {
      return pdf(z) / cdf(z);
    }
    return 1 / (SQRT_HALF_PI * erfcx(-z * SQRT_HALF));
  }

  /**
   * The inverse CDF {@code Φ⁻¹(p)}, by safeguarded Newton iterations on {@link #cdf} (accurate to
   * about 1e-13 relative in {@code p}).
   *
   * @param p a probability in (0, 1)
   * @return {@code z} with {@code Φ(z) = p}
   * @throws IllegalArgumentException unless {@code 0 < p < 1}
   */
  public static double inverseCdf(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("inverseCdf needs 0 < p < 1, got " + p);
    }
    if (p > 0.5) {
      return -inverseCdf(1 - p);
    }
    double lo = -40;
    double hi = 0;
    double z = -Math.sqrt(-2 * Math.log(p));
    double logP = Math.log(p);
    for (int i = 0; i < 100; i++) {
      double f = logCdf(z) - logP;
      if (f > 0) {
        hi = z;
      } else {
        lo = z;
      }
      double next = z - f / dLogCdf(z);
      if (!(next > lo && next < hi)) {
        next = 0.5 * (lo + hi);
      }
      if (Math.abs(next - z) < 1e-15 * Math.max(1, Math.abs(z))) {
        return next;
      }
      z = next;
    }
    return z;
  }

  /**
   * {@code log h(z)} with {@code h(z) = φ(z) + z·Φ(z)}, the expected improvement of a standard
   * normal over {@code −z}; finite for every finite {@code z} (Ament et al. 2023).
   *
   * @param z the standardized improvement {@code (μ − best)/σ}
   * @return {@code log h(z)}
   */
  public static double logH(double z) {
    if (z > -1) {
      return Math.log(pdf(z) + z * cdf(z));
    }
    return -0.5 * z * z - LOG_SQRT_2PI + Math.log(onePlusZr(z));
  }

  /**
   * The derivative of {@link #logH}: {@code Φ(z)/h(z)}.
   *
   * @param z the argument
   * @return {@code d log h / dz}
   */
  public static double dLogH(double z) {
    if (z > -1) {
      return cdf(z) / (pdf(z) + z * cdf(z));
    }
    double s = onePlusZr(z);
    // r = Φ/φ = (1 − s)/(−z), and Φ/h = r/s.
    return (1 - s) / (-z * s);
  }

  /** {@code 1 + z·Φ(z)/φ(z)} for {@code z ≤ −1}, without cancellation for large |z|. */
  private static double onePlusZr(double z) {
    if (z >= -40) {
      return 1 + z * SQRT_HALF_PI * erfcx(-z * SQRT_HALF);
    }
    double w = 1 / (z * z);
    double term = w;
    double sum = w;
    for (int k = 1; k < 8; k++) {
      term *= -(2 * k + 1) * w;
      sum += term;
    }
    return sum;
  }
}
