package dev.bilevel.hpo.distributions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oracle: JSON text as Optuna writes it ({@code distribution_to_json}, attribute order of its
 * constructors), and the legacy and abbreviated forms its {@code json_to_distribution} reads.
 */
class DistributionJsonTest {

  @Test
  void writesOptunaText() {
    assertThat(DistributionJson.toJson(FloatDistribution.uniform(0, 1)))
        .isEqualTo("{\"name\": \"FloatDistribution\", \"attributes\": "
            + "{\"step\": null, \"low\": 0.0, \"high\": 1.0, \"log\": false}}");
    assertThat(DistributionJson.toJson(FloatDistribution.logUniform(1e-6, 0.05)))
        .isEqualTo("{\"name\": \"FloatDistribution\", \"attributes\": "
            + "{\"step\": null, \"low\": 1e-06, \"high\": 0.05, \"log\": true}}");
    assertThat(DistributionJson.toJson(new IntDistribution(32, 128, true, 1)))
        .isEqualTo("{\"name\": \"IntDistribution\", \"attributes\": "
            + "{\"log\": true, \"step\": 1, \"low\": 32, \"high\": 128}}");
    assertThat(DistributionJson.toJson(new IntDistribution(8, 64, false, 8)))
        .isEqualTo("{\"name\": \"IntDistribution\", \"attributes\": "
            + "{\"log\": false, \"step\": 8, \"low\": 8, \"high\": 64}}");
    assertThat(DistributionJson.toJson(CategoricalDistribution.of("Roppongi", "Azabu")))
        .isEqualTo("{\"name\": \"CategoricalDistribution\", \"attributes\": "
            + "{\"choices\": [\"Roppongi\", \"Azabu\"]}}");
  }

  @Test
  void readsCurrentLegacyAndAbbreviatedForms() {
    assertThat(read("{\"name\": \"IntDistribution\", \"attributes\": {\"low\": 1, \"high\": 9}}"))
        .isEqualTo(IntDistribution.of(1, 9));
    assertThat(read("{\"name\": \"IntDistribution\", \"attributes\": "
        + "{\"low\": 1, \"high\": 9, \"step\": 2}}")).isEqualTo(new IntDistribution(1, 9, false, 2));
    assertThat(read("{\"name\": \"FloatDistribution\", \"attributes\": "
        + "{\"low\": 1.0, \"high\": 9.0, \"step\": 2.0, \"log\": false}}"))
        .isEqualTo(FloatDistribution.stepped(1, 9, 2));
    assertThat(read("{\"name\": \"UniformDistribution\", \"attributes\": {\"low\": 1.0, \"high\": 2.0}}"))
        .isEqualTo(FloatDistribution.uniform(1, 2));
    assertThat(read("{\"name\": \"LogUniformDistribution\", \"attributes\": "
        + "{\"low\": 0.001, \"high\": 100.0}}")).isEqualTo(FloatDistribution.logUniform(0.001, 100));
    assertThat(read("{\"name\": \"DiscreteUniformDistribution\", \"attributes\": "
        + "{\"low\": 1.0, \"high\": 9.0, \"q\": 2.0}}")).isEqualTo(FloatDistribution.stepped(1, 9, 2));
    assertThat(read("{\"name\": \"IntUniformDistribution\", \"attributes\": "
        + "{\"low\": 1, \"high\": 9, \"step\": 2}}")).isEqualTo(new IntDistribution(1, 9, false, 2));
    assertThat(read("{\"name\": \"IntLogUniformDistribution\", \"attributes\": "
        + "{\"low\": 2, \"high\": 12, \"step\": 1}}")).isEqualTo(new IntDistribution(2, 12, true, 1));
    assertThat(read("{\"type\": \"float\", \"low\": 0.001, \"high\": 100, \"log\": true, \"step\": null}"))
        .isEqualTo(FloatDistribution.logUniform(0.001, 100));
    assertThat(read("{\"type\": \"int\", \"low\": 2, \"high\": 12, \"log\": true}"))
        .isEqualTo(new IntDistribution(2, 12, true, 1));
    assertThat(read("{\"type\": \"categorical\", \"choices\": [\"Roppongi\", \"Azabu\"]}"))
        .isEqualTo(CategoricalDistribution.of("Roppongi", "Azabu"));
  }

  @Test
  void roundTripsEveryKind() {
    Distribution[] all = {
      FloatDistribution.uniform(-3.5, 1e20), FloatDistribution.logUniform(1e-8, 1),
      FloatDistribution.stepped(0.2, 0.5, 0.1), new IntDistribution(-7, 9, false, 4),
      new IntDistribution(1, 1024, true, 1),
      new CategoricalDistribution(Arrays.asList(null, true, 3, 2.5, Double.NaN, "x\u00e9"))
    };
    for (Distribution d : all) {
      assertThat(read(DistributionJson.toJson(d))).isEqualTo(d);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"type\": \"float\", \"low\": 0.0, \"high\": -100.0}",
    "{\"type\": \"float\", \"low\": 7.3, \"high\": 7.2, \"log\": true}",
    "{\"type\": \"float\", \"low\": -30.0, \"high\": -40.0, \"step\": 3.0}",
    "{\"type\": \"float\", \"low\": 1.0, \"high\": 100.0, \"step\": 0.0}",
    "{\"type\": \"float\", \"low\": 1.0, \"high\": 100.0, \"step\": -1.0}",
    "{\"type\": \"int\", \"low\": 123, \"high\": 100}",
    "{\"type\": \"int\", \"low\": 123, \"high\": 100, \"log\": true}",
    "{\"type\": \"int\", \"low\": 1, \"high\": 100, \"step\": 0}",
    "{\"type\": \"categorical\", \"choices\": []}",
    "{\"type\": \"unknown\", \"low\": 1.0, \"high\": 2.0}",
    "{\"name\": \"UnknownDistribution\", \"attributes\": {\"low\": 1.0, \"high\": 2.0}}",
    "{\"name\": \"FloatDistribution\", \"attributes\": {\"low\": \"a\", \"high\": 2.0}}",
    "[1, 2]"
  })
  void invalidJsonIsRejected(String json) {
    assertThatThrownBy(() -> read(json)).isInstanceOf(IllegalArgumentException.class);
  }

  private static Distribution read(String json) {
    return DistributionJson.fromJson(json);
  }
}
