package dev.bilevel.hpo.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON text exactly as Python's {@code json.dumps} writes it with default arguments (the form in
 * which Optuna's RDB storage keeps attributes and distributions), and the matching reader.
 *
 * <p>A <em>JSON value</em> here is {@code null}, a {@link Boolean}, a {@link String}, a {@link
 * Number} ({@link Byte}, {@link Short}, {@link Integer}, {@link Long}, {@link Float}, {@link
 * Double}), a {@link List} of JSON values, or a {@link Map} from {@link String} to JSON values.
 * Storages accept exactly these as attribute values; {@link #freeze(Object)} checks a value and
 * returns an unmodifiable deep copy.
 *
 * <p>Writing rules (Python's): separators {@code ", "} and {@code ": "}; floats in Python's
 * {@code repr} (shortest round-trip digits; positional notation for decimal exponents in [-4, 16),
 * otherwise {@code 1e-05} style); {@code NaN}, {@code Infinity}, {@code -Infinity} for non-finite
 * values; non-ASCII characters escaped as a backslash, {@code u} and four hex digits
 * (e.g. {@code \\u00e9}).
 */
public final class OptunaJson {

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private OptunaJson() {}

  /**
   * Serializes a JSON value as Python's {@code json.dumps} would.
   *
   * @param value a JSON value
   * @return the JSON text
   * @throws IllegalArgumentException if {@code value} contains something that is not a JSON value
   */
  public static String dumps(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  /**
   * Parses JSON text (also accepting {@code NaN}, {@code Infinity}) into JSON values: integers
   * become {@link Long}, other numbers {@link Double}, objects unmodifiable insertion-ordered maps,
   * arrays unmodifiable lists.
   *
   * @param json the text
   * @return the value
   * @throws IllegalArgumentException if the text is not valid JSON
   */
  public static Object loads(String json) {
    try {
      return fromNode(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Checks that a value is a JSON value and returns an unmodifiable deep copy of it, with numbers
   * normalized to {@link Long} or {@link Double}.
   *
   * @param value the value
   * @return the frozen copy
   * @throws IllegalArgumentException naming the offending type otherwise
   */
  public static Object freeze(Object value) {
    if (value == null || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object o : list) {
        copy.add(freeze(o));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "JSON object keys must be Strings, got " + e.getKey());
        }
        copy.put(key, freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    throw new IllegalArgumentException(
        "Not a JSON value (null, Boolean, String, Number, List, Map): "
            + value.getClass().getName());
  }

  /**
   * Formats a double as Python's {@code repr(float)}, e.g. {@code 1e-05}, {@code 0.001}, {@code
   * 100.0}, {@code 1e+16}, {@code NaN}.
   *
   * @param v the value
   * @return the text
   */
  public static String pythonFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0.0) {
      return (1.0 / v < 0) ? "-0.0" : "0.0";
    }
    String sci = null;
    for (int p = 0; p < 17; p++) {
      String s = String.format(Locale.ROOT, "%." + p + "e", v);
      if (Double.parseDouble(s) == v) {
        sci = s;
        break;
      }
    }
    if (sci == null) {
      sci = String.format(Locale.ROOT, "%.16e", v);
    }
    boolean negative = sci.startsWith("-");
    String body = negative ? sci.substring(1) : sci;
    int ePos = body.indexOf('e');
    int exponent = Integer.parseInt(body.substring(ePos + 1));
    String digits = body.substring(0, ePos).replace(".", "");
    digits = stripTrailingZeros(digits);
    StringBuilder out = new StringBuilder();
    if (negative) {
      out.append('-');
    }
    if (exponent >= -4 && exponent < 16) {
      if (exponent < 0) {
        out.append("0.");
        out.append("0".repeat(-exponent - 1));
        out.append(digits);
      } else if (digits.length() <= exponent + 1) {
        out.append(digits);
        out.append("0".repeat(exponent + 1 - digits.length()));
        out.append(".0");
      } else {
        out.append(digits, 0, exponent + 1).append('.').append(digits.substring(exponent + 1));
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits.substring(1));
      }
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    }
    return out.toString();
  }

  private static String stripTrailingZeros(String digits) {
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return digits.substring(0, end);
  }

  private static void write(StringBuilder sb, Object value) {
    Object v = freeze(value);
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (v instanceof Long l) {
      sb.append(l);
    } else if (v instanceof Double d) {
      sb.append(pythonFloat(d));
    } else if (v instanceof String s) {
      writeString(sb, s);
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, list.get(i));
      }
      sb.append(']');
    } else {
      Map<?, ?> map = (Map<?, ?>) v;
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        writeString(sb, (String) e.getKey());
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static Object fromNode(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new IllegalArgumentException("Integer out of the range of long: " + node);
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode child : node) {
        list.add(fromNode(child));
      }
      return Collections.unmodifiableList(list);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      map.put(e.getKey(), fromNode(e.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }
}
