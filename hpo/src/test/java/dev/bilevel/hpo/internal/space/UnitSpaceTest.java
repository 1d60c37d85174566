package dev.bilevel.hpo.internal.space;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.bilevel.hpo.distributions.CategoricalDistribution;
import dev.bilevel.hpo.distributions.Distribution;
import dev.bilevel.hpo.distributions.FloatDistribution;
import dev.bilevel.hpo.distributions.IntDistribution;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnitSpaceTest {

  static UnitSpace space() {
    Map<String, Distribution> m = new LinkedHashMap<>();
    m.put("f", FloatDistribution.uniform(-2, 6));
    m.put("g", FloatDistribution.logUniform(1e-3, 10));
    m.put("h", FloatDistribution.stepped(0.5, 2.0, 0.5));
    m.put("i", IntDistribution.of(0, 4));
    m.put("j", new IntDistribution(1, 100, true, 1));
    m.put("k", CategoricalDistribution.of("a", "b", "c"));
    return new UnitSpace(m);
  }

  @Test
  void encodesByTheDocumentedTransformsAndRoundTrips() {
    UnitSpace s = space();
    assertThat(s.names()).containsExactly("f", "g", "h", "i", "j", "k");
    assertThat(s.encode(0, 2.0)).isCloseTo(0.5, within(1e-15));
    assertThat(s.encode(1, 0.1)).isCloseTo(0.5, within(1e-15));
    // Four grid values, each owning a quarter of [0, 1]: 1.0 is the second, centre 3/8.
    assertThat(s.encode(2, 1.0)).isCloseTo(3.0 / 8, within(1e-15));
    assertThat(s.encode(3, 4)).isCloseTo(9.0 / 10, within(1e-15));
    assertThat(s.encode(5, 2)).isEqualTo(2);
    double[] values = {-1.3, 0.05, 1.5, 3, 17, 1};
    for (int i = 0; i < values.length; i++) {
      assertThat(s.decode(i, s.encode(i, values[i]))).isCloseTo(values[i], within(1e-12));
    }
    assertThat(s.decode(3, 0.999999)).isEqualTo(4);
    assertThat(s.decode(3, 0.0)).isEqualTo(0);
    assertThat(s.decode(4, 1.0)).isEqualTo(100);
    assertThat(s.isDiscrete(2)).isTrue();
    assertThat(s.isCategorical(5)).isTrue();
  }

  @Test
  void cellsAreThePointsThatRoundToTheSameValue() {
    UnitSpace s = space();
    double[] cell = new double[2];
    s.cell(3, 0.45, cell);
    assertThat(cell).containsExactly(new double[] {0.4, 0.6}, within(1e-15));
    for (double u : new double[] {0.4 + 1e-9, 0.6 - 1e-9}) {
      assertThat(s.decode(3, u)).isEqualTo(2);
    }
    s.cell(4, s.encode(4, 1), cell);
    assertThat(cell[0]).isZero();
    assertThat(s.decode(4, cell[1] - 1e-9)).isEqualTo(1);
    assertThat(s.decode(4, cell[1] + 1e-9)).isEqualTo(2);
  }
}
