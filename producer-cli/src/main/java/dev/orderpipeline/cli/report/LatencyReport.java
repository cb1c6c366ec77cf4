package dev.orderpipeline.cli.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * End-to-end latencies and how they are shown: the percentiles people quote (p50, p90, p99,
 * p99.9, max) and a text histogram with one row per power-of-two band of milliseconds.
 * Values are kept in microseconds to three significant digits.
 *
 * <p>Not thread-safe: the owner guards it.
 */
public final class LatencyReport {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final int BAR_WIDTH = 40;
    private static final long FIRST_BAND_MICROS = 1_000;

    // Auto-resizing, so a pathological latency is counted, not rejected.
    private final Histogram micros;

    public LatencyReport() {
        this(new Histogram(3));
    }

    private LatencyReport(Histogram micros) {
        this.micros = micros;
    }

    /** Adds one latency; a negative one (a createdAt in the future) counts as zero. */
    public void record(Duration latency) {
        micros.recordValue(Math.max(0, latency.toNanos() / 1_000));
    }

    public long count() {
        return micros.getTotalCount();
    }

    /** An independent copy, for a snapshot. */
    public LatencyReport copy() {
        return new LatencyReport(micros.copy());
    }

    /** The latency at {@code percentile} (0..100), to the histogram's precision. */
    public Duration percentile(double percentile) {
        return Duration.ofNanos(micros.getValueAtPercentile(percentile) * 1_000);
    }

    public Duration max() {
        return Duration.ofNanos(micros.getMaxValue() * 1_000);
    }

    /** The percentile lines followed by the histogram rows; one line saying so when empty. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        if (count() == 0) {
            lines.add("  (no latencies recorded)");
            return lines;
        }
        for (double p : PERCENTILES) {
            lines.add(String.format(Locale.ROOT, "  %-6s %10s", label(p), millis(percentile(p).toNanos() / 1_000)));
        }
        lines.add(String.format(Locale.ROOT, "  %-6s %10s", "max", millis(micros.getMaxValue())));
        lines.add("");
        lines.addAll(histogramRows());
        return lines;
    }

    private List<String> histogramRows() {
        int bands = band(micros.lowestEquivalentValue(micros.getMaxValue())) + 1;
        long[] counts = new long[bands];
        for (HistogramIterationValue value : micros.recordedValues()) {
            // The lowest equivalent value, so that exactly 4 ms lands in "<= 4 ms", not one bucket up.
            counts[band(micros.lowestEquivalentValue(value.getValueIteratedTo()))] += value.getCountAtValueIteratedTo();
        }
        int first = band(micros.lowestEquivalentValue(micros.getMinValue()));
        long tallest = 0;
        for (long c : counts) {
            tallest = Math.max(tallest, c);
        }
        List<String> rows = new ArrayList<>();
        for (int b = first; b < bands; b++) {
            int width = counts[b] == 0 ? 0 : (int) Math.max(1, Math.round((double) counts[b] * BAR_WIDTH / tallest));
            rows.add(String.format(Locale.ROOT, "  <= %7s ms |%-" + BAR_WIDTH + "s %d",
                    Long.toString((FIRST_BAND_MICROS << b) / 1_000), "#".repeat(width), counts[b]));
        }
        return rows;
    }

    /** Band 0 holds up to 1 ms, band b up to 2^b ms. */
    private static int band(long valueMicros) {
        int band = 0;
        for (long bound = FIRST_BAND_MICROS; valueMicros > bound && band < 40; bound <<= 1) {
            band++;
        }
        return band;
    }

    private static String label(double percentile) {
        return percentile == Math.rint(percentile) ? "p" + (long) percentile : "p" + percentile;
    }

    private static String millis(long valueMicros) {
        return String.format(Locale.ROOT, "%.1f ms", valueMicros / 1_000.0);
    }
}
