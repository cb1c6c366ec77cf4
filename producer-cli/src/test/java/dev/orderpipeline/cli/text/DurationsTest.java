package dev.orderpipeline.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"500ms, 500", "10s, 10000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "30, 30000", "PT10S, 10000",
            " 3S , 3000"})
    void parse_readsShortFormsBareSecondsAndIso(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"abc", "-5s", "10 s", "PT-1S", "''"})
    void parse_rejectsAnythingElse(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({"250, 250ms", "10000, 10s", "1500, 1.5s", "120000, 2m", "90000, 90s"})
    void format_writesWhatParseReads(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @Test
    void parse_acceptsZero_forTheCallerToJudge() {
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }
}
