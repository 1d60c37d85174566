package dev.bilevel.hpo.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Oracle: the strings below were printed by CPython 3 ({@code repr(float)}, {@code json.dumps}). */
class OptunaJsonTest {

  @ParameterizedTest
  @CsvSource({
    "0x1.4f8b588e368f1p-17, 1e-05",
    "0x1.0624dd2f1a9fcp-10, 0.001",
    "0x1.9000000000000p+6, 100.0",
    "0x1.1c37937e08000p+53, 1e+16",
    "0x1.aa535d3d0c000p+53, 1.5e+16",
    "0x1.c6bf526340000p+49, 1000000000000000.0",
    "0x1.b69b4ba630f35p+56, 1.2345678901234568e+17",
    "0x1.999999999999ap-4, 0.1",
    "0x1.3333333333334p-2, 0.30000000000000004",
    "-0x1.0c6f7a0b5ed8dp-22, -2.5e-07",
    "0x0.0000000000001p-1022, 5e-324",
    "0x1.fffffffffffffp+1023, 1.7976931348623157e+308",
    "0x1.0000000000000p-44, 5.684341886080802e-14",
    "0x1.0f0cf064dd592p+73, 1e+22",
    "0x1.52d02c7e14af6p+76, 1e+23",
    "0x1.a36e2eb1c432dp-14, 0.0001",
    "-0x0.0p+0, -0.0",
    "0x1.921f9f01b866ep+1, 3.14159"
  })
  void floatsAreWrittenAsPythonRepr(String hex, String python) {
    assertThat(OptunaJson.pythonFloat(Double.parseDouble(hex))).isEqualTo(python);
  }

  @Test
  void valuesAreWrittenAsPythonJsonDumps() {
    List<Object> choices =
        Arrays.asList(
            null, true, false, 0, 1, 0.0, 1.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, "", "a", "é\n\"\\", "\uD83D\uDE00");
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("choices", choices);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", "CategoricalDistribution");
    root.put("attributes", attrs);
    assertThat(OptunaJson.dumps(root))
        .isEqualTo(
            "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [null, true, "
                + "false, 0, 1, 0.0, 1.0, NaN, Infinity, -Infinity, \"\", \"a\", "
                + "\"\\u00e9\\n\\\"\\\\\", \"\\ud83d\\ude00\"]}}");
  }

  @Test
  void loadsInvertsDumps() {
    Object value = OptunaJson.loads("{\"a\": [1, 2.5, null, NaN, \"x\\u00e9\"], \"b\": {\"c\": false}}");
    assertThat(value).isInstanceOf(Map.class);
    Map<?, ?> map = (Map<?, ?>) value;
    List<?> a = (List<?>) map.get("a");
    assertThat(a.get(0)).isEqualTo(1L);
    assertThat(a.get(1)).isEqualTo(2.5);
    assertThat(a.get(2)).isNull();
    assertThat((Double) a.get(3)).isNaN();
    assertThat(a.get(4)).isEqualTo("xé");
    assertThat(OptunaJson.loads(OptunaJson.dumps(value)).toString()).isEqualTo(value.toString());
  }

  @Test
  void freezeRejectsNonJsonAndCopiesDeeply() {
    assertThatThrownBy(() -> OptunaJson.freeze(new java.math.BigDecimal("1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BigDecimal");
    assertThatThrownBy(() -> OptunaJson.freeze(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys");
    List<Object> source = new java.util.ArrayList<>(List.of(1, 2));
    Object frozen = OptunaJson.freeze(source);
    source.add(3);
    assertThat(frozen).isEqualTo(List.of(1L, 2L));
    assertThatThrownBy(() -> OptunaJson.loads("{oops")).isInstanceOf(IllegalArgumentException.class);
  }
}
