package dev.bilevel.hpo.samplers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrialRandomTest {

  @Test
  void equalKeysGiveEqualStreamsAndDistinctKeysDistinctOnes() {
    assertThat(TrialRandom.of(1, 2, "x").nextLong()).isEqualTo(TrialRandom.of(1, 2, "x").nextLong());
    Set<Long> firsts = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      for (int number = 0; number < 10; number++) {
        for (String name : new String[] {"x", "y", "xy", "yx", ""}) {
          firsts.add(TrialRandom.of(seed, number, name).nextLong());
        }
      }
    }
    assertThat(firsts).hasSize(500);
  }

  @Test
  void mixIsTheSplitMix64Finalizer() {
    // Oracle: SplittableRandom(0).nextLong() is mix(0 + golden gamma) by definition of SplitMix64.
    assertThat(TrialRandom.mix(0x9E3779B97F4A7C15L))
        .isEqualTo(new java.util.SplittableRandom(0).nextLong());
  }
}
