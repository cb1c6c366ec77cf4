package dev.orderpipeline.worker.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class CompletedOffsetsTest {

    @Test
    void nothingFinished_isEmptyMetadata() {
        assertEquals("", CompletedOffsets.encode(42, List.of()));
        assertTrue(CompletedOffsets.decode(42, "").isEmpty());
        assertTrue(CompletedOffsets.decode(42, null).isEmpty());
    }

    @Test
    void foreignOrDamagedMetadata_meansNothingFinished() {
        assertTrue(CompletedOffsets.decode(0, "written by another tool").isEmpty());
        assertTrue(CompletedOffsets.decode(0, CompletedOffsets.PREFIX + "!!not base64!!").isEmpty());
        assertTrue(CompletedOffsets.decode(0, CompletedOffsets.PREFIX + "gA").isEmpty(), "truncated varint");
        assertTrue(CompletedOffsets.decode(0, CompletedOffsets.PREFIX + "AAE").isEmpty(), "a zero gap");
    }

    @Test
    void aTypicalShape_fewSlowOrdersAmongManyFinished_isAFewBytes() {
        // 10,000 offsets above the commit, three of them still running.
        List<long[]> finished = new ArrayList<>();
        CompletedOffsets.finishedBetween(1, 10_001, new TreeSet<>(List.of(500L, 4_000L, 9_999L)), finished);
        String metadata = CompletedOffsets.encode(0, finished);
        assertTrue(metadata.length() < 40, () -> "metadata " + metadata.length() + " chars: " + metadata);
    }

    /** Any set of finished offsets survives the round trip, or is cut only at its far end. */
    @RepeatedTest(100)
    void roundTrip_keepsEveryFinishedOffset_orDropsOnlyTheFarthest(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        long base = random.nextLong(0, 1L << 40);
        int span = 1 + random.nextInt(repetition.getCurrentRepetition() % 10 == 0 ? 200_000 : 5_000);
        double finishedShare = random.nextDouble();
        TreeSet<Long> finished = new TreeSet<>();
        for (long offset = base + 1; offset <= base + span; offset++) {
            if (random.nextDouble() < finishedShare) {
                finished.add(offset);
            }
        }
        List<long[]> ranges = new ArrayList<>();
        TreeSet<Long> notFinished = new TreeSet<>();
        for (long offset = base + 1; offset <= base + span; offset++) {
            if (!finished.contains(offset)) {
                notFinished.add(offset);
            }
        }
        CompletedOffsets.finishedBetween(base + 1, base + span + 1, notFinished, ranges);

        String metadata = CompletedOffsets.encode(base, ranges);
        assertTrue(metadata.length() <= CompletedOffsets.MAX_CHARS, () -> "too long: " + metadata.length());
        NavigableMap<Long, Long> decoded = CompletedOffsets.decode(base, metadata);

        long lastKept = decoded.isEmpty() ? base : decoded.lastEntry().getValue() - 1;
        for (long offset = base + 1; offset <= base + span; offset++) {
            boolean got = CompletedOffsets.contains(decoded, offset);
            boolean want = finished.contains(offset) && offset <= lastKept;
            long at = offset;
            assertEquals(want, got, () -> "offset " + at + " (base " + base + ", lastKept " + lastKept + ")");
        }
        if (metadata.length() < CompletedOffsets.MAX_CHARS - 30) {
            assertEquals(finished.isEmpty() ? base : finished.last(), lastKept, "nothing may be cut from a short record");
        }
    }

    /** Finished offsets {@code base + i} for every {@code i} in {@code [1, span)} where {@code finished} says so, as ranges. */
    private static List<long[]> pattern(long base, int span, java.util.function.IntPredicate finished) {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 1; i < span; i++) {
            if (!finished.test(i)) {
                continue;
            }
            if (!ranges.isEmpty() && ranges.getLast()[1] == base + i) {
                ranges.getLast()[1]++;
            } else {
                ranges.add(new long[] {base + i, base + i + 1});
            }
        }
        return ranges;
    }

    private static void assertFitsWhole(long base, List<long[]> ranges, String shape) {
        long[] dropped = {0};
        String metadata = CompletedOffsets.encode(base, ranges, d -> dropped[0] += d);
        assertEquals(0, dropped[0], () -> shape + ": offsets left out of the metadata");
        assertTrue(metadata.length() <= CompletedOffsets.MAX_CHARS, () -> shape + ": " + metadata.length() + " chars");
        List<long[]> decoded = CompletedOffsets.ranges(CompletedOffsets.decode(base, metadata));
        assertEquals(ranges.size(), decoded.size(), () -> shape + ": ranges lost");
        for (int i = 0; i < ranges.size(); i++) {
            assertEquals(ranges.get(i)[0], decoded.get(i)[0], shape);
            assertEquals(ranges.get(i)[1], decoded.get(i)[1], shape);
        }
    }

    /**
     * The dispatch window's worst case: whatever is finished within {@code WINDOW} offsets of
     * the base is written whole. Every other offset finished is the worst shape (one byte per
     * offset); runs around the varint's 127/128 boundary and random shapes are checked too.
     */
    @Test
    void anyShapeWithinTheWindow_fitsWhole() {
        int w = CompletedOffsets.WINDOW;
        assertEquals(2_247, w, "the window docs/design.md states");
        long[] bases = {0, 1, 127, 128, 1L << 40};
        for (long base : bases) {
            assertFitsWhole(base, pattern(base, w, i -> i % 2 == 1), "every other offset, base " + base);
            assertFitsWhole(base, pattern(base, w, i -> i % 2 == 0), "every other offset, shifted, base " + base);
            assertFitsWhole(base, pattern(base, w, i -> true), "all finished, base " + base);
            for (int run : new int[] {2, 3, 127, 128, 129, 255, 1_000}) {
                assertFitsWhole(base, pattern(base, w, i -> (i / run) % 2 == 1), "runs of " + run + ", base " + base);
                assertFitsWhole(base, pattern(base, w, i -> i % (run + 1) != 0), "finished runs of " + run + " between single gaps, base " + base);
                assertFitsWhole(base, pattern(base, w, i -> i % (run + 1) == 0), "single finished between gaps of " + run + ", base " + base);
            }
        }
        Random random = new Random(7);
        for (int repetition = 0; repetition < 2_000; repetition++) {
            double density = random.nextDouble();
            java.util.BitSet bits = new java.util.BitSet(w);
            for (int i = 1; i < w; i++) {
                bits.set(i, random.nextDouble() < density);
            }
            int seed = repetition;
            assertFitsWhole(100, pattern(100, w, bits::get), "random shape " + seed);
        }
    }

    /** The window is as large as it can be: one offset more in the worst shape no longer fits. */
    @Test
    void theWorstShapeOneOffsetBeyondTheWindow_doesNotFit() {
        long[] dropped = {0};
        CompletedOffsets.encode(0, pattern(0, CompletedOffsets.WINDOW + 2, i -> i % 2 == 1), d -> dropped[0] += d);
        assertTrue(dropped[0] > 0, "expected the encoding to overflow just beyond the window");
    }

    /** Leaving offsets out is reported, with how many, so it is never silent. */
    @Test
    void overflow_reportsHowManyFinishedOffsetsWereLeftOut() {
        List<long[]> ranges = pattern(0, 10_000, i -> i % 2 == 1);
        long[] dropped = {0};
        String metadata = CompletedOffsets.encode(0, ranges, d -> dropped[0] += d);
        long kept = CompletedOffsets.ranges(CompletedOffsets.decode(0, metadata)).size();
        assertEquals(ranges.size() - kept, dropped[0], "each range here is one offset");
    }
}
