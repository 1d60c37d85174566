package dev.bilevel.cli.objective;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what an objective command prints, line by line, and decides its result. Output is
 * untrusted: every value is checked.
 *
 * <ul>
 *   <li>{@code {"step": 3, "intermediate": 0.5}}: an intermediate value (drives pruning);
 *   <li>{@code {"value": 0.1}} or {@code {"values": [0.1, 2]}}: the result (the last one wins);
 *   <li>any other line: kept; without a JSON result, the last non-empty line must hold the value(s),
 *       separated by spaces or commas.
 * </ul>
 */
public final class CommandOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE = 200;

    /**
     * An intermediate value at a step.
     *
     * @param step the step, at least 0
     * @param value the finite value
     */
    public record Intermediate(int step, double value) {
    }

    /** Creates a reader for one run's output. */
    public CommandOutput() {
    }

    private double[] jsonResult;
    private String lastLine;

    /**
     * Reads one line of standard output.
     *
     * @param line the line
     * @return the intermediate value it reports, or {@code null}
     * @throws ObjectiveFailure if it is a malformed value line
     */
    public Intermediate accept(String line) throws ObjectiveFailure {
        String s = line.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (s.startsWith("{")) {
            JsonNode n;
            try {
                n = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                lastLine = s;
                return null;
            }
            if (n.has("intermediate")) {
                JsonNode step = n.get("step");
                if (step == null || !step.canConvertToInt() || step.asInt() < 0) {
                    throw new ObjectiveFailure("intermediate value without a step >= 0: " + shorten(s));
                }
                return new Intermediate(step.asInt(), finite(n.get("intermediate"), s));
            }
            if (n.has("value")) {
                jsonResult = new double[] {finite(n.get("value"), s)};
                return null;
            }
            if (n.has("values") && n.get("values").isArray()) {
                List<Double> vs = new ArrayList<>();
                for (JsonNode v : n.get("values")) {
                    vs.add(finite(v, s));
                }
                jsonResult = vs.stream().mapToDouble(Double::doubleValue).toArray();
                return null;
            }
        }
        lastLine = s;
        return null;
    }

    /**
     * The result once the command has exited successfully.
     *
     * @param nObjectives the number of values expected
     * @return one value per objective
     * @throws ObjectiveFailure if there is no value, a non-numeric or non-finite one, or the wrong count
     */
    public double[] result(int nObjectives) throws ObjectiveFailure {
        double[] values = jsonResult;
        if (values == null) {
            if (lastLine == null) {
                throw new ObjectiveFailure("the command printed no value (print the value as the last line of "
                        + "standard output, or {\"value\": x})");
            }
            String[] parts = lastLine.split("[\\s,]+");
            values = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    values[i] = Double.parseDouble(parts[i]);
                } catch (NumberFormatException e) {
                    throw new ObjectiveFailure("the command printed no number: its last line is '" + shorten(lastLine)
                            + "'");
                }
                if (!Double.isFinite(values[i])) {
                    throw new ObjectiveFailure("the command printed a non-finite value: '" + shorten(lastLine) + "'");
                }
            }
        }
        if (values.length != nObjectives) {
            throw new ObjectiveFailure("the command printed " + values.length + " value(s) but the study has "
                    + nObjectives + " objective(s)");
        }
        return values;
    }

    private static double finite(JsonNode v, String line) throws ObjectiveFailure {
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new ObjectiveFailure("not a finite number in " + shorten(line));
        }
        return v.doubleValue();
    }

    private static String shorten(String s) {
        return s.length() <= MAX_LINE ? s : s.substring(0, MAX_LINE) + "...";
    }
}
