package dev.orderpipeline.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LatencyReportTest {

    @Test
    void fewValues_printPercentilesAndOneRowPerPowerOfTwoBand() {
        LatencyReport report = new LatencyReport();
        for (long micros : new long[] {500, 1_500, 3_000, 3_000, 7_000}) {
            report.record(Duration.ofNanos(micros * 1_000));
        }

        assertEquals(List.of(
                "  p50        3.0 ms",
                "  p90        7.0 ms",
                "  p99        7.0 ms",
                "  p99.9      7.0 ms",
                "  max        7.0 ms",
                "",
                "  <=       1 ms |####################                     1",
                "  <=       2 ms |####################                     1",
                "  <=       4 ms |######################################## 2",
                "  <=       8 ms |####################                     1"), report.lines());
    }

    @Test
    void oneToHundredMillis_givesTheTextbookPercentiles_andBandsOfDoublingWidth() {
        LatencyReport report = new LatencyReport();
        for (int ms = 1; ms <= 100; ms++) {
            report.record(Duration.ofMillis(ms));
        }

        List<String> lines = report.lines();

        assertEquals(List.of("  p50       50.0 ms", "  p90       90.0 ms", "  p99       99.0 ms", "  p99.9    100.0 ms",
                "  max      100.0 ms"), lines.subList(0, 5));
        // 1, 2, 3-4, 5-8, 9-16, 17-32, 33-64, 65-100: exact band edges stay in their band.
        assertEquals(List.of(1L, 1L, 2L, 4L, 8L, 16L, 32L, 36L),
                lines.subList(6, lines.size()).stream().map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList());
        assertEquals(100, report.count());
    }

    @Test
    void rowsStartAtTheFastestBand_andKeepEmptyBandsInBetween() {
        LatencyReport report = new LatencyReport();
        report.record(Duration.ofMillis(20));
        report.record(Duration.ofMillis(100));

        List<String> rows = report.lines().subList(6, report.lines().size());

        assertEquals(List.of(
                "  <=      32 ms |######################################## 1",
                "  <=      64 ms |                                         0",
                "  <=     128 ms |######################################## 1"), rows);
    }

    @Test
    void negativeLatency_fromACreatedAtInTheFuture_countsAsZero() {
        LatencyReport report = new LatencyReport();
        report.record(Duration.ofMillis(-5));

        assertEquals(Duration.ZERO, report.max());
        assertEquals(1, report.count());
    }

    @Test
    void noValues_saySo() {
        assertEquals(List.of("  (no latencies recorded)"), new LatencyReport().lines());
    }

    @Test
    void copy_isIndependentOfTheOriginal() {
        LatencyReport report = new LatencyReport();
        report.record(Duration.ofMillis(1));
        LatencyReport copy = report.copy();
        report.record(Duration.ofMillis(2));

        assertEquals(1, copy.count());
        assertEquals(2, report.count());
    }
}
