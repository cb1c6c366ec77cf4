package dev.orderpipeline.benchmark;

import java.util.Arrays;
import java.util.List;

/** Small, pure statistics the report needs. */
final class Stats {

    private Stats() {
    }

    /** The median of {@code values} (mean of the middle two for an even count); NaN if empty. */
    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * The largest number of intervals [start, end) open at one instant: how many orders ran at
     * once according to their own receivedAt/completedAt stamps. An end at the same instant as a
     * start closes first, so back-to-back orders do not count as overlapping.
     */
    static int maxOverlap(long[] starts, long[] ends, int count) {
        long[] s = Arrays.copyOf(starts, count);
        long[] e = Arrays.copyOf(ends, count);
        Arrays.sort(s);
        Arrays.sort(e);
        int open = 0;
        int max = 0;
        int j = 0;
        for (int i = 0; i < count; i++) {
            while (j < count && e[j] <= s[i]) {
                open--;
                j++;
            }
            open++;
            max = Math.max(max, open);
        }
        return max;
    }

    /**
     * Events per second between the event at share {@code skip} of {@code count} timestamps (ms,
     * any order) and the last one; NaN if that span is empty.
     */
    static double rateAfter(long[] timestampsMs, int count, double skip) {
        long[] sorted = Arrays.copyOf(timestampsMs, count);
        Arrays.sort(sorted);
        int from = (int) (count * skip);
        if (count < 2 || from >= count - 1 || sorted[count - 1] == sorted[from]) {
            return Double.NaN;
        }
        return (count - 1 - from) * 1000.0 / (sorted[count - 1] - sorted[from]);
    }
}
