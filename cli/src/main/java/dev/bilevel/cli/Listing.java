package dev.bilevel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bilevel.hpo.FrozenTrial;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows of named columns printed as a table, CSV or JSON; and the standard row of a trial.
 * Numbers keep their full precision in CSV and JSON, and are shortened in tables.
 */
final class Listing {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Listing() {
    }

    /** A trial as an ordered map: number, state, values, params, timing, attributes. */
    static Map<String, Object> trialRow(FrozenTrial t, boolean details) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("number", t.number());
        row.put("state", t.state().name());
        row.put("values", t.values().isEmpty() ? null : t.values().size() == 1 ? t.values().get(0) : t.values());
        row.put("datetime_start", t.datetimeStart() == null ? null : t.datetimeStart().toString());
        row.put("datetime_complete", t.datetimeComplete() == null ? null : t.datetimeComplete().toString());
        row.put("duration_s", t.datetimeStart() == null || t.datetimeComplete() == null ? null
                : (t.datetimeComplete().toEpochMilli() - t.datetimeStart().toEpochMilli()) / 1000.0);
        if (details) {
            row.put("params", t.params());
            row.put("intermediate_values", t.intermediateValues());
            row.put("user_attrs", t.userAttrs());
            row.put("system_attrs", t.systemAttrs());
        } else {
            t.params().forEach((k, v) -> row.put("params_" + k, v));
        }
        return row;
    }

    /** Serializes any JSON-compatible value. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable as JSON: " + value, e);
        }
    }

    /** Prints rows: the union of their keys as columns, in first-seen order. */
    static void print(List<Map<String, Object>> rows, OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            out.println(json(rows));
            out.flush();
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.keySet()));
        List<String> header = new ArrayList<>(columns);
        List<List<String>> cells = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            List<String> line = new ArrayList<>();
            for (String c : header) {
                line.add(cell(r.get(c), format == OutputFormat.TABLE));
            }
            cells.add(line);
        }
        if (format == OutputFormat.CSV) {
            out.println(String.join(",", header.stream().map(Listing::csv).toList()));
            for (List<String> line : cells) {
                out.println(String.join(",", line.stream().map(Listing::csv).toList()));
            }
        } else {
            int[] width = new int[header.size()];
            for (int i = 0; i < header.size(); i++) {
                width[i] = header.get(i).length();
                for (List<String> line : cells) {
                    width[i] = Math.max(width[i], line.get(i).length());
                }
            }
            out.println(row(header, width));
            for (List<String> line : cells) {
                out.println(row(line, width));
            }
        }
        out.flush();
    }

    private static String row(List<String> values, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : "  ").append(String.format("%-" + Math.max(1, width[i]) + "s", values.get(i)));
        }
        return sb.toString().stripTrailing();
    }

    private static String cell(Object v, boolean shorten) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && shorten) {
            String s = String.format(java.util.Locale.ROOT, "%.6g", d);
            return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return json(v);
        }
        return String.valueOf(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
