package dev.orderpipeline.cli.text;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written the way the command line takes them: {@code 500ms}, {@code 10s}, {@code 2m}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    private Durations() {
    }

    /**
     * Reads {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}, a bare number of
     * seconds, or ISO-8601 ({@code PT10S}).
     *
     * @throws IllegalArgumentException for anything else, or a negative duration
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millisPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> throw new IllegalStateException("unit " + m.group(2));
            };
            return Duration.ofMillis(Math.round(amount * millisPerUnit));
        }
        try {
            Duration d = Duration.parse(text.strip());
            if (d.isNegative()) {
                throw new IllegalArgumentException("a duration must not be negative, got '" + text + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 2m, PT1M)");
        }
    }

    /** {@code 10s}, {@code 1.5s}, {@code 250ms}, {@code 2m}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
