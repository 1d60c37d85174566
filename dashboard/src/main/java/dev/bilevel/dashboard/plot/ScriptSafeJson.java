package dev.bilevel.dashboard.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON that is safe to embed in an HTML {@code <script>} element and to serve to a browser:
 * {@code <}, {@code >}, {@code &}, {@code '}, U+2028 and U+2029 are written as a backslash, {@code u}
 * and four hex digits (e.g. {@code \\u003c}), so no database string can close the script or start
 * markup. Non-finite doubles are written as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"} (Jackson's default).
 */
public final class ScriptSafeJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setCharacterEscapes(new Escapes());
  }

  private ScriptSafeJson() {}

  /**
   * The shared mapper; its factory escapes as described above.
   *
   * @return the mapper (do not reconfigure)
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Serializes a value.
   *
   * @param value a Jackson-serializable value
   * @return script-safe JSON text
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] table;

    Escapes() {
      table = standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\''}) {
        table[c] = ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028 || ch == 0x2029) {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
