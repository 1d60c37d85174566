package dev.bilevel.hpo.internal;

import java.util.SplittableRandom;

/**
 * Sobol' low-discrepancy points in up to {@value #MAX_DIMENSION} dimensions (I. M. Sobol', "On the
 * distribution of points in a cube and the approximate evaluation of integrals", USSR Comput.
 * Math. Math. Phys. 7, 1967), in Gray-code order (point {@code n} is the XOR of the direction
 * numbers selected by the bits of {@code n ^ (n >> 1)}, the order of Antonov and Saleev, 1979, and
 * of SciPy's {@code qmc.Sobol}), with 52-bit precision.
 *
 * <p>Direction numbers: the first {@value #MAX_DIMENSION} rows of S. Joe and F. Y. Kuo,
 * "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci. Comput. 30,
 * 2008 (file {@code new-joe-kuo-6.21201}; each row: degree {@code s}, polynomial coefficients
 * {@code a}, initial {@code m_1..m_s}); dimension 1 is the van der Corput sequence.
 *
 * <p>Optional scrambling: a random linear matrix scramble with a random digital shift (J.
 * Matoušek, "On the L2-discrepancy for anchored boxes", J. Complexity 14, 1998; A. B. Owen,
 * "Randomly permuted (t,m,s)-nets and (t,s)-sequences", 1995), which keeps the (t,m,s)-net
 * structure, so every prefix of {@code 2^m} points still stratifies each axis into {@code 2^m}
 * cells. The scramble of each dimension is drawn from (seed, dimension) only.
 *
 * <p>Instances are immutable and thread safe.
 */
public final class SobolSequence {

  /** The number of dimensions with tabulated direction numbers. */
  public static final int MAX_DIMENSION = 64;

  private static final int BITS = 52;
  private static final double SCALE = 0x1.0p-52;

  /** Joe–Kuo rows for dimensions 2..64: "s a m_1 ... m_s". */
  private static final String[] JOE_KUO = {
    "1 0 1",
    "2 1 1 3",
    "3 1 1 3 1",
    "3 2 1 1 1",
    "4 1 1 1 3 3",
    "4 4 1 3 5 13",
    "5 2 1 1 5 5 17",
    "5 4 1 1 5 5 5",
    "5 7 1 1 7 11 19",
    "5 11 1 1 5 1 1",
    "5 13 1 1 1 3 11",
    "5 14 1 3 5 5 31",
    "6 1 1 3 3 9 7 49",
    "6 13 1 1 1 15 21 21",
    "6 16 1 3 1 13 27 49",
    "6 19 1 1 1 15 7 5",
    "6 22 1 3 1 15 13 25",
    "6 25 1 1 5 5 19 61",
    "7 1 1 3 7 11 23 15 103",
    "7 4 1 3 7 13 13 15 69",
    "7 7 1 1 3 13 7 35 63",
    "7 8 1 3 5 9 1 25 53",
    "7 14 1 3 1 13 9 35 107",
    "7 19 1 3 1 5 27 61 31",
    "7 21 1 1 5 11 19 41 61",
    "7 28 1 3 5 3 3 13 69",
    "7 31 1 1 7 13 1 19 1",
    "7 32 1 3 7 5 13 19 59",
    "7 37 1 1 3 9 25 29 41",
    "7 41 1 3 5 13 23 1 55",
    "7 42 1 3 7 3 13 59 17",
    "7 50 1 3 1 3 5 53 69",
    "7 55 1 1 5 5 23 33 13",
    "7 56 1 1 7 7 1 61 123",
    "7 59 1 1 7 9 13 61 49",
    "7 62 1 3 3 5 3 55 33",
    "8 14 1 3 1 15 31 13 49 245",
    "8 21 1 3 5 15 31 59 63 97",
    "8 22 1 3 1 11 11 11 77 249",
    "8 38 1 3 1 11 27 43 71 9",
    "8 47 1 1 7 15 21 11 81 45",
    "8 49 1 3 7 3 25 31 65 79",
    "8 50 1 3 1 1 19 11 3 205",
    "8 52 1 1 5 9 19 21 29 157",
    "8 56 1 3 7 11 1 33 89 185",
    "8 67 1 3 3 3 15 9 79 71",
    "8 70 1 3 7 11 15 39 119 27",
    "8 84 1 1 3 1 11 31 97 225",
    "8 97 1 1 1 3 23 43 57 177",
    "8 103 1 3 7 7 17 17 37 71",
    "8 115 1 3 1 5 27 63 123 213",
    "8 122 1 1 3 5 11 43 53 133",
    "9 8 1 3 5 5 29 17 47 173 479",
    "9 13 1 3 3 11 3 1 109 9 69",
    "9 16 1 1 1 5 17 39 23 5 343",
    "9 22 1 3 1 5 25 15 31 103 499",
    "9 25 1 1 1 11 11 17 63 105 183",
    "9 44 1 1 5 11 9 29 97 231 363",
    "9 47 1 1 5 15 19 45 41 7 383",
    "9 52 1 3 7 7 31 19 83 137 221",
    "9 55 1 1 1 3 23 15 111 223 83",
    "9 59 1 1 5 13 31 15 55 25 161",
    "9 62 1 1 3 13 25 47 39 87 257"
  };

  private final int dimension;
  private final long[][] directions;
  private final long[] shifts;

  /**
   * Creates the sequence.
   *
   * @param dimension number of coordinates, 1 to {@value #MAX_DIMENSION}
   * @param scrambleSeed seed of the scramble, or {@code null} for the plain sequence
   */
  public SobolSequence(int dimension, Long scrambleSeed) {
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "Sobol dimension must be in [1, " + MAX_DIMENSION + "], got " + dimension);
    }
    this.dimension = dimension;
    this.directions = new long[dimension][];
    this.shifts = new long[dimension];
    for (int j = 0; j < dimension; j++) {
      long[] v = directionNumbers(j);
      if (scrambleSeed != null) {
        SplittableRandom rng =
            new SplittableRandom(dev.bilevel.hpo.samplers.TrialRandom.mix(scrambleSeed + 31L * j));
        long[] rows = lowerTriangular(rng);
        for (int k = 0; k < BITS; k++) {
          v[k] = multiply(rows, v[k]);
        }
        shifts[j] = rng.nextLong() >>> (64 - BITS);
      }
      directions[j] = v;
    }
  }

  /**
   * The dimension.
   *
   * @return the number of coordinates
   */
  public int dimension() {
    return dimension;
  }

  /**
   * The point with the given index.
   *
   * @param index the index, 0 to 2^52 − 1
   * @return the coordinates, each in [0, 1)
   */
  public double[] point(long index) {
    if (index < 0 || index >= (1L << BITS)) {
      throw new IllegalArgumentException("Sobol index out of range: " + index);
    }
    long gray = index ^ (index >>> 1);
    double[] x = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      long acc = shifts[j];
      long bits = gray;
      for (int k = 0; bits != 0; k++, bits >>>= 1) {
        if ((bits & 1) != 0) {
          acc ^= directions[j][k];
        }
      }
      x[j] = acc * SCALE;
    }
    return x;
  }

  /** Direction numbers v_1..v_52 of dimension j (0-based), as 52-bit fixed-point fractions. */
  private static long[] directionNumbers(int j) {
    long[] v = new long[BITS];
    if (j == 0) {
      for (int k = 0; k < BITS; k++) {
        v[k] = 1L << (BITS - 1 - k);
      }
      return v;
    }
    String[] row = JOE_KUO[j - 1].split(" ");
    int s = Integer.parseInt(row[0]);
    int a = Integer.parseInt(row[1]);
    for (int k = 0; k < s; k++) {
      v[k] = Long.parseLong(row[2 + k]) << (BITS - 1 - k);
    }
    for (int k = s; k < BITS; k++) {
      long next = v[k - s] ^ (v[k - s] >>> s);
      for (int i = 1; i < s; i++) {
        if (((a >>> (s - 1 - i)) & 1) != 0) {
          next ^= v[k - i];
        }
      }
      v[k] = next;
    }
    return v;
  }

  /**
   * A random lower-triangular binary matrix with unit diagonal, as one 52-bit row mask per output
   * digit (digit 0 is the most significant).
   */
  private static long[] lowerTriangular(SplittableRandom rng) {
    long[] rows = new long[BITS];
    for (int i = 0; i < BITS; i++) {
      long diagonal = 1L << (BITS - 1 - i);
      long above = ~((diagonal << 1) - 1) & ((1L << BITS) - 1);
      rows[i] = (rng.nextLong() & above) | diagonal;
    }
    return rows;
  }

  /** Matrix-vector product over GF(2): output digit i is the parity of row i AND the input. */
  private static long multiply(long[] rows, long x) {
    long out = 0;
    for (int i = 0; i < BITS; i++) {
      if ((Long.bitCount(rows[i] & x) & 1) != 0) {
        out |= 1L << (BITS - 1 - i);
      }
    }
    return out;
  }
}
