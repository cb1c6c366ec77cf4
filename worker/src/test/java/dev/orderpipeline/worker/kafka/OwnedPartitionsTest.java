package dev.orderpipeline.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.observe.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The poll thread's view of the partitions it owns, on the consumer's mock (no broker): a new
 * owner skips what the old one finished, running counts, and leases that end on a revocation,
 * a forget or an abort.
 */
@Timeout(30)
class OwnedPartitionsTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());

    @Test
    void newOwner_skipsWhatTheOldOwnerFinishedAboveItsCommit_andCommitsPastItOnceTheRestFinish() {
        OwnedPartitions old = new OwnedPartitions(metrics);
        old.adopt(consumer, List.of(P0));
        for (long offset = 0; offset < 4; offset++) {
            assertFalse(old.taken(P0, offset), "nothing was finished before the first owner");
            old.started(P0);
        }
        old.ended(P0, 1, /* published= */ true);
        old.ended(P0, 3, /* published= */ true);
        old.ended(P0, 2, /* published= */ false); // cancelled: must be redone
        Map<TopicPartition, OffsetAndMetadata> commit = old.committable();
        assertEquals(0, commit.get(P0).offset(), "0 still runs");

        OwnedPartitions next = new OwnedPartitions(metrics);
        Map<TopicPartition, OffsetAndMetadata> adopted = next.adopt(groupWith(commit), List.of(P0, P1));

        assertEquals(commit, adopted, "the group's commits, for the partitions that have one");
        assertFalse(next.taken(P0, 0));
        assertTrue(next.taken(P0, 1), "finished by the old owner: skipped");
        assertFalse(next.taken(P0, 2), "not published by the old owner: redone");
        assertTrue(next.taken(P0, 3), "finished by the old owner: skipped");
        next.started(P0);
        next.ended(P0, 0, true);
        next.started(P0);
        next.ended(P0, 2, true);
        assertEquals(4, next.committable().get(P0).offset());
    }

    /** A consumer whose group has {@code commits}, metadata included (the mock's own commit drops it). */
    private static MockConsumer<byte[], byte[]> groupWith(Map<TopicPartition, OffsetAndMetadata> commits) {
        return new MockConsumer<>("earliest") {
            @Override
            public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
                Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
                partitions.stream().filter(commits::containsKey).forEach(p -> found.put(p, commits.get(p)));
                return found;
            }
        };
    }

    @Test
    void runningCounts_perPartition_untilEveryStartedRecordIsReportedBack() {
        OwnedPartitions owned = new OwnedPartitions(metrics);
        owned.adopt(consumer, List.of(P0, P1));
        owned.taken(P0, 0);
        owned.taken(P0, 1);
        owned.taken(P1, 0);
        owned.started(P0);
        owned.started(P0);
        owned.started(P1);

        assertEquals(2, owned.running(List.of(P0)));
        assertEquals(3, owned.running(List.of(P0, P1)));
        owned.ended(P0, 0, true);
        owned.ended(P1, 0, /* published= */ false);
        assertEquals(1, owned.running(List.of(P0, P1)));
        assertTrue(owned.anyRunning());
        assertEquals(1, owned.committable().get(P0).offset(), "0 finished, 1 still runs");
        assertEquals(0, owned.committable().get(P1).offset(), "an unpublished record holds the commit at its offset");

        owned.ended(P0, 1, true);
        assertEquals(0, owned.running(List.of(P0, P1)));
        assertFalse(owned.anyRunning());
    }

    @Test
    void revokingAPartitionsLease_stopsItsPublishes_only() throws Exception {
        OwnedPartitions owned = new OwnedPartitions(metrics);
        owned.adopt(consumer, List.of(P0, P1));
        PartitionLease revoked = owned.started(P0);
        PartitionLease kept = owned.started(P1);

        owned.revokeLeases(List.of(P0), Duration.ZERO);

        assertFalse(revoked.tryBeginPublish(), "a revoked partition's result was published");
        assertTrue(kept.tryBeginPublish(), "another partition's result was held back");
        kept.endPublish();
        assertTrue(owned.started(P0) != revoked, "a record started after the revocation got the ended lease");
    }

    @Test
    void discardAll_endsEveryLease_andForgetsWhatRuns() {
        OwnedPartitions owned = new OwnedPartitions(metrics);
        owned.adopt(consumer, List.of(P0, P1));
        PartitionLease first = owned.started(P0);
        PartitionLease second = owned.started(P1);

        owned.discardAll();

        assertFalse(first.tryBeginPublish());
        assertFalse(second.tryBeginPublish());
        assertFalse(owned.anyRunning(), "orders of an aborted transaction still counted");
    }

    @Test
    void forget_dropsThePartitionsCountsAndOffsets() {
        OwnedPartitions owned = new OwnedPartitions(metrics);
        owned.adopt(consumer, List.of(P0, P1));
        owned.taken(P0, 5);
        owned.started(P0);
        owned.taken(P1, 7);
        owned.started(P1);
        owned.ended(P1, 7, true);

        owned.forget(Set.of(P1));

        assertEquals(0, owned.running(List.of(P1)));
        assertEquals(1, owned.running(List.of(P0)));
        assertFalse(owned.committable().containsKey(P1), "a forgotten partition is committed");
    }
}
