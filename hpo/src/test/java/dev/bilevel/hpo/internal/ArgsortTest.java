package dev.bilevel.hpo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Argsort#smallest} is the prefix of the full stable argsort (oracle: boxed stable sort). */
class ArgsortTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void smallestIsThePrefixOfTheStableArgsort(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = 1 + rng.nextInt(300);
    double[] keys = new double[n];
    for (int i = 0; i < n; i++) {
      // Few distinct values, so ties are common; NaN and both zeros too.
      int r = rng.nextInt(12);
      keys[i] = r == 0 ? Double.NaN : r == 1 ? -0.0 : r == 2 ? 0.0 : rng.nextInt(6) - 3;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Double.compare(keys[a], keys[b]));
    int[] oracle = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    assertThat(Argsort.argsort(keys, n)).containsExactly(oracle);
    for (int k : new int[] {-1, 0, 1, 2, 25, 64, 65, n - 1, n, n + 5}) {
      int m = Math.max(0, Math.min(k, n));
      assertThat(Argsort.smallest(keys, n, k)).containsExactly(Arrays.copyOf(oracle, m));
    }
  }
}
