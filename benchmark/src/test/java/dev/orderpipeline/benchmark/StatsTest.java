package dev.orderpipeline.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StatsTest {

    @Test
    void median_oddEvenEmptyAndNaN() {
        assertEquals(2.0, Stats.median(List.of(3.0, 1.0, 2.0)), "odd count");
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 2.0, 3.0)), "even count");
        assertEquals(2.0, Stats.median(List.of(Double.NaN, 2.0)), "NaN ignored");
        assertTrue(Double.isNaN(Stats.median(List.of())), "empty");
    }

    @Test
    void maxOverlap_countsOpenIntervals_backToBackDoNotOverlap() {
        long[] starts = {0, 5, 10, 10, 20};
        long[] ends = {10, 15, 20, 12, 30};
        // at 10: [0,10) closed, [5,15), [10,20), [10,12) open -> 3; at 20: [10,20) closed first -> 1
        assertEquals(3, Stats.maxOverlap(starts, ends, 5));
        assertEquals(1, Stats.maxOverlap(new long[] {0, 10, 20}, new long[] {10, 20, 30}, 3));
        assertEquals(0, Stats.maxOverlap(new long[0], new long[0], 0));
    }

    @Test
    void rateAfter_skipsTheWarmUpShare() {
        long[] ts = {1000, 0, 500, 1500, 2000}; // sorted: 0, 500, 1000, 1500, 2000
        assertEquals(2.0, Stats.rateAfter(ts, 5, 0), "4 intervals over 2 s");
        assertEquals(2.0, Stats.rateAfter(ts, 5, 0.4), "from 1000 ms: 2 intervals over 1 s");
        assertTrue(Double.isNaN(Stats.rateAfter(ts, 1, 0)), "one event has no rate");
    }

    @Test
    void gcLog_peakBeforeAndMaxAfter() {
        String log = """
                [0.010s][info][gc] Using G1
                [1.234s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->6M(256M) 3.456ms
                [2.000s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 130M->40M(256M) 5.0ms
                [3.000s][info][gc] GC(2) Pause Full (G1 Compaction Pause) 250M->12M(256M) 40.0ms
                """;
        assertEquals(new GcLog(3, 250, 40, 256, 1, 12), GcLog.parse(log));
        assertEquals(new GcLog(0, 0, 0, 0, 0, 0), GcLog.parse(""));
        assertEquals(117, GcLog.usedFromHeapInfo(" garbage-first heap   total reserved 6291456K, committed 401408K, used 119808K [0x...]"));
    }

    @Test
    void gcLog_aPauseWhoseEvacuationFailed_isNotTakenForTheLiveSet_andFullCollectionsAreCounted() {
        // From a -Xmx512m worker with 16,384 orders in flight: the young pauses that failed to
        // evacuate report a full heap, the full collection after them 208 MB.
        String log = """
                [18.462s][info][gc] GC(30) Pause Young (Normal) (G1 Evacuation Pause) 472M->471M(512M) 24.527ms
                [18.637s][info][gc] GC(31) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure: Allocation) 494M->510M(512M) 81.382ms
                [18.775s][info][gc] GC(32) Pause Young (Normal) (G1 Evacuation Pause) (Evacuation Failure: Allocation) 512M->512M(512M) 50.400ms
                [21.215s][info][gc] GC(33) Pause Full (G1 Compaction Pause) 512M->208M(512M) 2440.299ms
                """;
        assertEquals(new GcLog(4, 512, 471, 512, 1, 208), GcLog.parse(log));
    }

    @Test
    void latencyOrderIds_carryTheIntendedSendTime() {
        assertEquals(1_790_000_000_123_456L, Orders.intendedMicros("lat-1790000000123456-42"));
        assertEquals(-1, Orders.intendedMicros("ord-42"));
        assertEquals("succeeded", OutcomeReader.field("{\"orderId\":\"a\",\"status\":\"succeeded\",\"steps\":[{\"status\":\"x\"}]}", "status"));
    }
}
