package dev.bilevel.hpo;

/** Whether an objective is to be minimized or maximized. */
public enum StudyDirection {
  /** Smaller is better. */
  MINIMIZE,
  /** Larger is better. */
  MAXIMIZE;

  /**
   * Whether {@code a} is strictly better than {@code b} in this direction.
   *
   * @param a a value
   * @param b another value
   * @return {@code a < b} when minimizing, {@code a > b} when maximizing
   */
  public boolean isBetter(double a, double b) {
    return this == MINIMIZE ? a < b : a > b;
  }
}
