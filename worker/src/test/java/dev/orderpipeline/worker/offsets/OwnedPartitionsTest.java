package dev.orderpipeline.worker.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.observe.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
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

    private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());


    @Test
    void newOwner_skipsWhatTheOldOwnerFinishedAboveItsCommit_andCommitsPastItOnceTheRestFinish() {
        OwnedPartitions old = owned(Map.of());
        takeUp(old, List.of(P0));
        for (long offset = 0; offset < 4; offset++) {
            assertFalse(old.taken(P0, offset), "nothing was finished before the first owner");
            old.started(P0);
        }
        old.ended(P0, 1, /* published= */ true);
        old.ended(P0, 3, /* published= */ true);
        old.ended(P0, 2, /* published= */ false); // cancelled: must be redone
        Map<TopicPartition, OffsetAndMetadata> commit = old.committable();
        assertEquals(0, commit.get(P0).offset(), "0 still runs");

        OwnedPartitions next = owned(commit);
        assertEquals(Set.of(P0, P1), takeUp(next, List.of(P0, P1)));

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

    @Test
    void aPartitionWhoseCommitCannotBeReadYet_waitsAlone_withoutBlocking_andIsTakenUpOnceItCanBe() {
        Map<TopicPartition, OffsetAndMetadata> commits = Map.of(P0, new OffsetAndMetadata(7), P1, new OffsetAndMetadata(3));
        Set<TopicPartition> held = new HashSet<>(Set.of(P0)); // an open transaction holds P0's commit
        List<CompletableFuture<Map<TopicPartition, OffsetAndMetadata>>> asked = new ArrayList<>();
        List<Set<TopicPartition>> askedFor = new ArrayList<>();
        GroupCommits group = new GroupCommits(partitions -> {
            askedFor.add(Set.copyOf(partitions));
            CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }, "earliest");
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0, P1));
        OwnedPartitions owned = new OwnedPartitions(metrics, group);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        owned.assigned(List.of(P0, P1));

        assertEquals(Set.of(), owned.adoptAssigned(consumer, now), "asked; no answer yet: nothing taken up, no waiting");
        assertEquals(Set.of(), owned.adoptAssigned(consumer, now), "still no answer");
        assertEquals(1, asked.size(), "one question at a time");
        asked.getFirst().complete(readable(commits, held));
        assertEquals(Set.of(P1), owned.adoptAssigned(consumer, now), "P1 readable: taken up; P0 waits alone");
        assertEquals(3, consumer.position(P1), "P1 starts at its commit");
        assertEquals(Set.of(P0), owned.awaitingCommit());

        assertEquals(Set.of(), owned.adoptAssigned(consumer, now), "asked again only after a pause");
        assertEquals(1, asked.size());
        owned.adoptAssigned(consumer, now.plus(OwnedPartitions.REREAD));
        assertEquals(List.of(Set.of(P0, P1), Set.of(P0)), askedFor, "asked again for P0 alone");
        held.clear(); // the broker ended the transaction
        asked.getLast().complete(readable(commits, held));
        assertEquals(Set.of(P0), owned.adoptAssigned(consumer, now.plus(OwnedPartitions.REREAD)));
        assertEquals(7, consumer.position(P0));
        assertEquals(Set.of(), owned.awaitingCommit());
        assertFalse(owned.taken(P0, 7));
        owned.started(P0);
        assertFalse(owned.taken(P0, 8));
        owned.started(P0);
        owned.ended(P0, 8, true);
        assertEquals(7, owned.committable().get(P0).offset(), "7 still runs");
        owned.ended(P0, 7, true);
        assertEquals(9, owned.committable().get(P0).offset());
    }

    /** What a group answers: the commits of the partitions not {@code held}. */
    private static Map<TopicPartition, OffsetAndMetadata> readable(Map<TopicPartition, OffsetAndMetadata> commits,
                                                                   Set<TopicPartition> held) {
        Map<TopicPartition, OffsetAndMetadata> answer = new HashMap<>(commits);
        answer.keySet().removeAll(held);
        return answer;
    }

    @Test
    void aPartitionRevokedWhileWaitingForItsCommit_isNoLongerWaitedFor() {
        OwnedPartitions owned = owned(Map.of());
        owned.assigned(List.of(P0, P1));
        owned.forget(List.of(P1));
        assertEquals(Set.of(P0), owned.awaitingCommit());
    }

    @Test
    void aPartitionRevokedAndAssignedBackWhileItsCommitIsRead_startsFromAFreshAnswer_notTheOneAskedBefore() {
        List<CompletableFuture<Map<TopicPartition, OffsetAndMetadata>>> asked = new ArrayList<>();
        GroupCommits group = new GroupCommits(partitions -> {
            CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }, "earliest");
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0));
        OwnedPartitions owned = new OwnedPartitions(metrics, group);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        owned.assigned(List.of(P0));
        assertEquals(Set.of(), owned.adoptAssigned(consumer, now), "asked; no answer yet");

        owned.forget(List.of(P0)); // revoked; another owner works on it and commits up to 9
        owned.assigned(List.of(P0)); // and back
        asked.getFirst().complete(Map.of(P0, new OffsetAndMetadata(3))); // the answer from before
        assertEquals(Set.of(), owned.adoptAssigned(consumer, now), "the answer asked before the revocation was used");
        assertEquals(2, asked.size(), "not asked again at once");
        asked.getLast().complete(Map.of(P0, new OffsetAndMetadata(9)));
        assertEquals(Set.of(P0), owned.adoptAssigned(consumer, now));
        assertEquals(9, consumer.position(P0), "started below the other owner's commit: its outcomes published twice");
    }

    /** Partitions of a group whose commits are {@code commits}, every one readable at once. */
    private OwnedPartitions owned(Map<TopicPartition, OffsetAndMetadata> commits) {
        return new OwnedPartitions(metrics, new GroupCommits(partitions -> {
            Map<TopicPartition, OffsetAndMetadata> answer = new HashMap<>();
            partitions.forEach(p -> answer.put(p, commits.get(p)));
            return CompletableFuture.completedFuture(answer);
        }, "earliest"));
    }

    /** Assigns {@code partitions} and takes them up: the group answers at once. */
    private static Set<TopicPartition> takeUp(OwnedPartitions owned, List<TopicPartition> partitions) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.assign(partitions);
        Map<TopicPartition, Long> beginnings = new HashMap<>();
        partitions.forEach(p -> beginnings.put(p, 0L));
        consumer.updateBeginningOffsets(beginnings);
        owned.assigned(partitions);
        return owned.adoptAssigned(consumer, Instant.now());
    }

    @Test
    void runningCounts_perPartition_untilEveryStartedRecordIsReportedBack() {
        OwnedPartitions owned = owned(Map.of());
        takeUp(owned, List.of(P0, P1));
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
        OwnedPartitions owned = owned(Map.of());
        takeUp(owned, List.of(P0, P1));
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
        OwnedPartitions owned = owned(Map.of());
        takeUp(owned, List.of(P0, P1));
        PartitionLease first = owned.started(P0);
        PartitionLease second = owned.started(P1);

        owned.discardAll();

        assertFalse(first.tryBeginPublish());
        assertFalse(second.tryBeginPublish());
        assertFalse(owned.anyRunning(), "orders of an aborted transaction still counted");
    }

    @Test
    void forget_dropsThePartitionsCountsAndOffsets() {
        OwnedPartitions owned = owned(Map.of());
        takeUp(owned, List.of(P0, P1));
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
