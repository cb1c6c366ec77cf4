package dev.orderpipeline.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;

/**
 * Reads only an RFC 3339 date-time, the JSON Schema {@code date-time} format: date,
 * {@code T}, time with seconds and an optional fraction, and {@code Z} or an offset.
 * JavaTimeModule's reader also takes numbers and digit strings as epoch seconds, which a
 * sender that means milliseconds would not notice.
 *
 * <p>The instant must also be one RFC 3339 can write in UTC, years 0000 to 9999: the outcome
 * repeats it as {@code orderCreatedAt}, and {@code +10000-01-01T00:00:00Z} (which ISO 8601's
 * expanded years allow) would make the outcome break its own schema.
 */
final class IsoInstantDeserializer extends StdScalarDeserializer<Instant> {

    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, /* decimalPoint= */ true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    /** The first and last instants RFC 3339 can write in UTC. */
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    IsoInstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        String text = p.getText();
        Instant common = Rfc3339.parseUtc(text);
        if (common != null) {
            return common;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, RFC_3339).toInstant();
        } catch (DateTimeParseException e) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 date-time");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "outside the years 0000 to 9999 in UTC");
        }
        return instant;
    }
}
