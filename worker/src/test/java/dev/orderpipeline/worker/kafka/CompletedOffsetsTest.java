package dev.orderpipeline.worker.kafka;

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
}
