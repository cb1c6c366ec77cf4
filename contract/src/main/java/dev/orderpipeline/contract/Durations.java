package dev.orderpipeline.contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way every tool of the project reads a duration (worker options, {@code order-cli}
 * options, the stub services' flags), so a value that works for one works for all of them.
 * Stateless, so thread-safe.
 */
public final class Durations {

    /** A number, a fraction if wanted, then a unit, any case, spaces allowed between; no unit means seconds. */
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    private static final String EXAMPLES = "write e.g. 250ms, 5s, 2m, 1h or PT5S";

    private Durations() {
    }

    /**
     * Reads {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h} (unit in any case, spaces
     * allowed between number and unit), a bare number of seconds ({@code 30}), or ISO-8601
     * ({@code PT5S}); leading and trailing spaces are ignored. Zero is accepted: whether it makes
     * sense is the caller's call.
     *
     * @throws IllegalArgumentException for anything else or a negative duration, with a one-line
     *                                  message that names the value and shows the accepted forms
     */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.strip();
        Matcher m = SHORT.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            return ofUnits(new BigDecimal(m.group(1)), m.group(2) == null ? "s" : m.group(2), text);
        }
        Duration iso;
        try {
            iso = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; " + EXAMPLES);
        }
        if (iso.isNegative()) {
            throw new IllegalArgumentException("\"" + text + "\" is negative; a duration is 0 or more, " + EXAMPLES);
        }
        return iso;
    }

    /** {@code 250ms}, {@code 10s}, {@code 1.5s}, {@code 2m}: what {@link #parse} reads back, to the millisecond. */
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

    /** {@code amount} of {@code unit}, exact to the nanosecond (a fraction of a nanosecond is rounded). */
    private static Duration ofUnits(BigDecimal amount, String unit, String text) {
        BigDecimal seconds = switch (unit) {
            case "ms" -> amount.movePointLeft(3);
            case "s" -> amount;
            case "m" -> amount.multiply(BigDecimal.valueOf(60));
            case "h" -> amount.multiply(BigDecimal.valueOf(3600));
            default -> throw new IllegalStateException("unit " + unit + " matched but not handled");
        };
        BigDecimal whole = seconds.setScale(0, RoundingMode.DOWN);
        try {
            long nanos = seconds.subtract(whole).multiply(NANOS_PER_SECOND).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
            return Duration.ofSeconds(whole.longValueExact(), nanos);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + text + "\" is too long a duration; " + EXAMPLES, e);
        }
    }
}
