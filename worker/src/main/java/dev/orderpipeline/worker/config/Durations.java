package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO {@code PT5S}. */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message naming the accepted forms */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip();
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 250ms, 5s, 2m, 1h or PT5S");
        }
    }
}
