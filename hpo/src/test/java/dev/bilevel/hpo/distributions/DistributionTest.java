package dev.bilevel.hpo.distributions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Validation, representation and containment; expected values follow Optuna's own tests. */
class DistributionTest {

  @Test
  void invalidFloatRangesAreRejectedWithTheProblemNamed() {
    assertThatThrownBy(() -> FloatDistribution.uniform(2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low must be <= high");
    assertThatThrownBy(() -> FloatDistribution.logUniform(0, 1))
        .hasMessageContaining("log=true requires low > 0");
    assertThatThrownBy(() -> new FloatDistribution(1, 2, true, 0.5))
        .hasMessageContaining("step and log");
    assertThatThrownBy(() -> FloatDistribution.stepped(0, 1, 0))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> FloatDistribution.stepped(2.0, 7.0, 2.0))
        .hasMessageContaining("does not divide");
    assertThatThrownBy(() -> FloatDistribution.uniform(0, Double.POSITIVE_INFINITY))
        .hasMessageContaining("finite");
  }

  @Test
  void decimalStepsThatDivideTheRangeAreAccepted() {
    assertThat(FloatDistribution.stepped(0.2, 0.5, 0.1).contains(0.30000000000000004)).isTrue();
    assertThat(FloatDistribution.stepped(-30, -20, 2).isSingle()).isFalse();
  }

  @Test
  void invalidIntRangesAreRejected() {
    assertThatThrownBy(() -> IntDistribution.of(123, 100)).hasMessageContaining("low must be <= high");
    assertThatThrownBy(() -> new IntDistribution(1, 100, false, 0)).hasMessageContaining("step");
    assertThatThrownBy(() -> new IntDistribution(0, 10, true, 1)).hasMessageContaining("low >= 1");
    assertThatThrownBy(() -> new IntDistribution(1, 9, true, 2)).hasMessageContaining("log=true");
    assertThatThrownBy(() -> new IntDistribution(1, 10, false, 2)).hasMessageContaining("divide");
  }

  @Test
  void emptyCategoricalAndUnsupportedChoiceTypesAreRejected() {
    assertThatThrownBy(() -> new CategoricalDistribution(java.util.List.of()))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> CategoricalDistribution.of(new Object()))
        .hasMessageContaining("choice must be");
  }

  @ParameterizedTest
  @CsvSource({"false,0.9,1", "true,1,1", "false,1.5,1", "true,4,1", "true,10,1", "false,11,1",
    "true,1,3", "false,5,3", "true,10,3", "false,3,3"})
  void intContains(boolean expected, double value, long step) {
    assertThat(new IntDistribution(1, 10, false, step).contains(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"false,1.99,0", "true,2.0,0", "true,2.5,0", "true,7,0", "false,7.1,0",
    "false,0.99,2.0", "true,2.0,2.0", "false,3.0,2.0", "true,6,2.0", "false,6.1,2.0"})
  void floatContains(boolean expected, double value, double step) {
    FloatDistribution d = step == 0 ? FloatDistribution.uniform(2, 7)
        : FloatDistribution.stepped(2, 6, step);
    if (step == 0 || value <= 6.05) {
      assertThat(d.contains(value)).isEqualTo(expected);
    } else {
      assertThat(d.contains(value)).isFalse();
    }
  }

  @Test
  void categoricalContainsUsesTheIntegerPart() {
    CategoricalDistribution c = CategoricalDistribution.of("Roppongi", "Azabu");
    assertThat(c.contains(-1)).isFalse();
    assertThat(c.contains(0)).isTrue();
    assertThat(c.contains(1.5)).isTrue();
    assertThat(c.contains(3)).isFalse();
  }

  @Test
  void singleValuedDistributions() {
    assertThat(IntDistribution.of(1, 1).isSingle()).isTrue();
    assertThat(new IntDistribution(2, 2, true, 1).isSingle()).isTrue();
    assertThat(IntDistribution.of(-123, 0).isSingle()).isFalse();
    assertThat(FloatDistribution.logUniform(2, 2).isSingle()).isTrue();
    assertThat(FloatDistribution.uniform(1.0, 1.001).isSingle()).isFalse();
    assertThat(CategoricalDistribution.of("only").isSingle()).isTrue();
  }

  @Test
  void representationsRoundTrip() {
    IntDistribution i = IntDistribution.of(1, 10);
    assertThat(i.toExternal(i.toInternal(4))).isEqualTo(4L);
    assertThat(i.toInternal(4.7)).isEqualTo(4.0);
    assertThatThrownBy(() -> i.toInternal("foo")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> i.toInternal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    FloatDistribution f = FloatDistribution.logUniform(2, 7);
    assertThat(f.toExternal(f.toInternal(4.5f))).isEqualTo(4.5);
    assertThatThrownBy(() -> f.toInternal(-1.0)).isInstanceOf(IllegalArgumentException.class);
    CategoricalDistribution c =
        new CategoricalDistribution(
            Arrays.asList(null, true, false, 0, 1, 0.0, 1.0, Double.NaN, "", "a"));
    for (Object choice : c.choices()) {
      assertThat(c.toExternal(c.toInternal(choice))).isEqualTo(choice);
    }
    assertThat(c.toInternal(1)).isEqualTo(4.0);
    assertThat(c.toInternal(1L)).isEqualTo(4.0);
    assertThat(c.toInternal(1.0f)).isEqualTo(6.0);
    assertThatThrownBy(() -> c.toInternal("zzz")).hasMessageContaining("not one of the choices");
  }

  @Test
  void compatibilityFollowsOptuna() {
    Distribution.checkCompatibility(new IntDistribution(1, 9, false, 2), IntDistribution.of(1, 9));
    Distribution.checkCompatibility(IntDistribution.of(1, 9), IntDistribution.of(-3, 2));
    Distribution.checkCompatibility(FloatDistribution.stepped(1, 9, 2),
        FloatDistribution.stepped(-1, 11, 0.5));
    Distribution.checkCompatibility(FloatDistribution.logUniform(0.001, 100),
        FloatDistribution.logUniform(0.1, 1));
    assertThatThrownBy(() -> Distribution.checkCompatibility(IntDistribution.of(1, 9),
        FloatDistribution.logUniform(0.001, 100))).hasMessageContaining("distribution kind");
    assertThatThrownBy(() -> Distribution.checkCompatibility(IntDistribution.of(1, 9),
        new IntDistribution(2, 12, true, 1))).hasMessageContaining("log");
    assertThatThrownBy(() -> Distribution.checkCompatibility(FloatDistribution.uniform(1, 2),
        FloatDistribution.logUniform(1, 2))).hasMessageContaining("log");
    assertThatThrownBy(() -> Distribution.checkCompatibility(
        CategoricalDistribution.of("Roppongi", "Azabu"),
        CategoricalDistribution.of("Roppongi", "Akasaka")))
        .hasMessageContaining("dynamic value space");
    Distribution.checkCompatibility(CategoricalDistribution.of(1, "a"),
        CategoricalDistribution.of(1L, "a"));
  }
}
