package dev.bilevel.cli.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as people write them: {@code 500ms}, {@code 60s}, {@code 1.5m}, {@code 2h}, or seconds. */
public final class DurationText {
    private static final Pattern FORM = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h|d)?\\s*");

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @param text e.g. {@code 90s}, {@code 10m}, {@code 1.5h}, {@code 250ms}; a bare number is seconds
     * @return the positive duration
     * @throws IllegalArgumentException for another form or zero
     */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 60s, 10m or 2h, got '" + text + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = amount * switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
        if (millis < 1) {
            throw new IllegalArgumentException("a duration must be positive, got '" + text + "'");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
