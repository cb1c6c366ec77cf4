package dev.orderpipeline.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The grammar every tool reads durations with: what the worker's options and order-cli's options
 * each accepted before they shared it is accepted by both now.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DurationsTest {

    @ParameterizedTest(name = "\"{0}\" -> {1} ns")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, textBlock = """
            500ms|500000000
            10s|10000000000
            1.5s|1500000000
            2m|120000000000
            1h|3600000000000
            30|30000000000
            PT10S|10000000000
            ' 3S '|3000000000
            250ms|250000000
            5s|5000000000
            10 s|10000000000
            PT5S|5000000000
            pt5s|5000000000
            0s|0
            0|0
            1.5ms|1500000
            0.25h|900000000000
            10MS|10000000
            2H|7200000000000
            """)
    void parse_readsShortFormsBareSecondsFractionsAndIso(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Durations.parse(text), () -> "input: \"" + text + "\"");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            abc
            soon
            -5s
            -1s
            PT-1S
            -PT5S
            ''
            1.s
            .5s
            5sec
            5 d
            1,5s
            5s5
            """)
    void parse_refusesAnythingElse_withOneLineNamingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text),
                () -> "input: \"" + text + "\"");
        assertTrue(e.getMessage().startsWith("\"" + text + "\" is "), () -> "input: \"" + text + "\", message: " + e.getMessage());
        assertTrue(e.getMessage().contains("write e.g. 250ms, 5s, 2m, 1h or PT5S"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void parse_ofNothing_isRefused_asNotADuration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
        assertTrue(e.getMessage().startsWith("\"null\" is not a duration"), e.getMessage());
    }

    @Test
    void parse_ofADurationBeyondWhatJavaHolds_isRefused_notOverflowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("99999999999999999999h"));
        assertTrue(e.getMessage().startsWith("\"99999999999999999999h\" is too long"), e.getMessage());
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
