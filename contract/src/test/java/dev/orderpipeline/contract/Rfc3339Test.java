package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-31T18:30:00Z", "2026-01-31T18:30:00.5Z", "2026-01-31T18:30:00.123Z",
            "2026-01-31T18:30:00.123456789Z", "2024-02-29T23:59:59.000001Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00.0Z"})
    void utcDateTimes_areReadAsInstantParseReadsThem(String text) {
        Instant got = Rfc3339.parseUtc(text);
        Instant want = Instant.parse(text);
        if (!want.equals(got)) {
            fail("input: " + text + "\n  got: " + got + "\n want: " + want);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-31T18:30:00", "2026-01-31T18:30:00+01:00", "2026-01-31t18:30:00Z",
            "2026-01-31T18:30:00z", "2026-02-29T18:30:00Z", "2026-04-31T18:30:00Z", "2026-13-01T18:30:00Z",
            "2026-00-01T18:30:00Z", "2026-01-00T18:30:00Z", "2026-01-31T24:00:00Z", "2026-01-31T18:60:00Z",
            "2026-01-31T18:30:60Z", "2026-01-31T18:30:00.Z", "2026-01-31T18:30:00.1234567890Z",
            "2026-01-31T18:30:00,5Z", "2026-01-31 18:30:00Z", "+2026-01-31T18:30:00Z", "2026-1-31T18:30:00Z",
            "2026-01-31T18:30Z", "2026-01-31T18:30:0xZ", "2026-01-31T18:30:00.12a4Z", "-026-01-31T18:30:00Z",
            "20260131T183000Z", "1769884200", ""})
    void anythingElse_isLeftToTheFormatter(String text) {
        Instant got = Rfc3339.parseUtc(text);
        if (got != null) {
            fail("input: " + text + "\n  got: " + got + "\n want: null (the formatter decides)");
        }
    }

    @Test
    void format_isInstantToString() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String got = Rfc3339.format(instant);
            if (!got.equals(instant.toString())) {
                fail("input: " + instant.getEpochSecond() + "s " + instant.getNano() + "ns\n  got: " + got
                        + "\n want: " + instant);
            }
            if (!instant.equals(Rfc3339.parseUtc(got))) {
                fail("input: " + got + "\n  got: " + Rfc3339.parseUtc(got) + "\n want: " + instant);
            }
        }
    }

    @Test
    void format_beyondYear9999_isInstantToString() {
        Instant far = Instant.parse("+12026-01-31T18:30:00Z");
        if (!Rfc3339.format(far).equals(far.toString())) {
            fail("input: " + far + "\n  got: " + Rfc3339.format(far) + "\n want: " + far);
        }
    }
}
