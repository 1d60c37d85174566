package dev.bilevel.hpo.internal.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hyperparameters of the Matérn-5/2 ARD kernel {@code k(x, x') = s·m(r²)} with {@code r² = Σ_j
 * λ_j·δ_j(x, x')²}, plus the observation noise variance: {@code λ_j} the inverse squared
 * lengthscales, {@code s} the kernel scale, {@code noiseVar} the noise variance.
 *
 * @param inverseSquaredLengthscales {@code λ}, one per dimension, positive (the array is copied)
 * @param kernelScale {@code s > 0}
 * @param noiseVar the noise variance {@code > 0}
 */
public record KernelParams(
    double[] inverseSquaredLengthscales, double kernelScale, double noiseVar) {

  /**
   * Copies the array and checks positivity.
   *
   * @param inverseSquaredLengthscales {@code λ}, positive
   * @param kernelScale {@code s > 0}
   * @param noiseVar the noise variance {@code > 0}
   */
  public KernelParams {
    inverseSquaredLengthscales = inverseSquaredLengthscales.clone();
    for (double l : inverseSquaredLengthscales) {
      if (!(l > 0) || !Double.isFinite(l)) {
        throw new IllegalArgumentException("inverse squared lengthscales must be positive: " + l);
      }
    }
    if (!(kernelScale > 0) || !(noiseVar > 0)) {
      throw new IllegalArgumentException(
          "kernelScale and noiseVar must be positive: " + kernelScale + ", " + noiseVar);
    }
  }

  /**
   * The default starting point of a fit: every {@code λ_j = 1}, {@code s = 1}, noise {@code 1}
   * (Optuna's initial values).
   *
   * @param dim the dimension
   * @return the default parameters
   */
  public static KernelParams defaults(int dim) {
    double[] l = new double[dim];
    Arrays.fill(l, 1.0);
    return new KernelParams(l, 1.0, 1.0);
  }

  /**
   * The inverse squared lengthscales (a copy).
   *
   * @return {@code λ}
   */
  @Override
  public double[] inverseSquaredLengthscales() {
    return inverseSquaredLengthscales.clone();
  }

  /**
   * {@code λ_j} without copying the array.
   *
   * @param j the dimension
   * @return {@code λ_j}
   */
  public double lambda(int j) {
    return inverseSquaredLengthscales[j];
  }

  /**
   * The dimension.
   *
   * @return the number of lengthscales
   */
  public int dim() {
    return inverseSquaredLengthscales.length;
  }

  /**
   * As a JSON-friendly list {@code [λ_0, …, λ_{d−1}, s, noiseVar]}.
   *
   * @return the list
   */
  public List<Double> toList() {
    List<Double> out = new ArrayList<>();
    for (double l : inverseSquaredLengthscales) {
      out.add(l);
    }
    out.add(kernelScale);
    out.add(noiseVar);
    return out;
  }

  /**
   * Reads {@link #toList()}'s form.
   *
   * @param list the list
   * @param dim the expected dimension
   * @return the parameters, or {@code null} if the list does not have that form
   */
  public static KernelParams fromList(Object list, int dim) {
    if (!(list instanceof List<?> l) || l.size() != dim + 2) {
      return null;
    }
    double[] v = new double[dim + 2];
    for (int i = 0; i < v.length; i++) {
      if (!(l.get(i) instanceof Number n) || !(n.doubleValue() > 0)
          || !Double.isFinite(n.doubleValue())) {
        return null;
      }
      v[i] = n.doubleValue();
    }
    return new KernelParams(Arrays.copyOf(v, dim), v[dim], v[dim + 1]);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelParams k
        && Arrays.equals(inverseSquaredLengthscales, k.inverseSquaredLengthscales)
        && kernelScale == k.kernelScale
        && noiseVar == k.noiseVar;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(inverseSquaredLengthscales) * 31 + Double.hashCode(kernelScale) * 7
        + Double.hashCode(noiseVar);
  }

  @Override
  public String toString() {
    return "KernelParams[λ=" + Arrays.toString(inverseSquaredLengthscales) + ", s=" + kernelScale
        + ", noise=" + noiseVar + "]";
  }
}
