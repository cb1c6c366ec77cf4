package dev.orderpipeline.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @Test
    void commitsOnlyBelowTheFirstUnfinishedOffset() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset < 15; offset++) {
            tracker.started(P0, offset);
        }
        tracker.finished(P0, 10);
        tracker.finished(P0, 12);
        tracker.finished(P0, 13);

        // 11 is still running: committing 14 would lose it on a crash.
        assertEquals(Map.of(P0, new OffsetAndMetadata(11)), tracker.committable());
        tracker.finished(P0, 11);
        assertEquals(Map.of(P0, new OffsetAndMetadata(14)), tracker.committable());
        tracker.finished(P0, 14);
        assertEquals(Map.of(P0, new OffsetAndMetadata(15)), tracker.committable());
        assertEquals(0, tracker.pending());
    }

    @Test
    void doesNotCommitTheSameOffsetTwice() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(P0, 0);
        tracker.finished(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.committable();
        tracker.committed(first);

        assertTrue(tracker.committable().isEmpty(), () -> "committable again: " + tracker.committable());
    }

    @Test
    void partitionsAreIndependent_andForgottenOnRevocation() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.started(P0, 5);
        tracker.started(P1, 7);
        tracker.finished(P1, 7);

        assertEquals(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(8)), tracker.committable());
        assertEquals(1, tracker.pending(P0));

        tracker.forget(List.of(P0));
        assertEquals(Map.of(P1, new OffsetAndMetadata(8)), tracker.committable());
        tracker.finished(P0, 5); // a late finish for a partition no longer owned is ignored
        assertEquals(0, tracker.pending());
    }
}
