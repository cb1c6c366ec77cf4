package dev.orderpipeline.worker.offsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @Test
    void commitsOnlyBelowTheFirstUnfinishedOffset() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset < 15; offset++) {
            tracker.taken(P0, offset);
        }
        tracker.finished(P0, 10);
        tracker.finished(P0, 12);
        tracker.finished(P0, 13);

        // 11 is still running: committing 14 would lose it on a crash.
        assertEquals(11, tracker.committable().get(P0).offset());
        tracker.finished(P0, 11);
        assertEquals(14, tracker.committable().get(P0).offset());
        tracker.finished(P0, 14);
        assertEquals(Map.of(P0, new OffsetAndMetadata(15, "")), tracker.committable());
        assertEquals(0, tracker.pending());
    }

    @Test
    void sameOffsetWithNewMetadata_isCommittedOnce_andAnOlderConfirmationDoesNotUndoANewerOne() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 0; offset < 4; offset++) {
            tracker.taken(P0, offset);
        }
        tracker.finished(P0, 0);
        tracker.finished(P0, 2);
        Map<TopicPartition, OffsetAndMetadata> older = tracker.committable();
        tracker.committed(older);
        tracker.finished(P0, 3);
        Map<TopicPartition, OffsetAndMetadata> newer = tracker.committable();
        assertEquals(older.get(P0).offset(), newer.get(P0).offset(), "1 still holds the commit back");
        assertTrue(!newer.get(P0).metadata().equals(older.get(P0).metadata()), "3 finished is news for the metadata");

        tracker.committed(newer);
        assertTrue(tracker.committable().isEmpty(), () -> "the confirmed metadata offered again: " + tracker.committable());
        // An asynchronous commit's confirmation may arrive after a later one's.
        tracker.finished(P0, 1);
        Map<TopicPartition, OffsetAndMetadata> last = tracker.committable();
        tracker.committed(last);
        tracker.committed(newer);
        assertTrue(tracker.committable().isEmpty(), () -> "a late confirmation moved the commit back: " + tracker.committable());
    }

    @Test
    void doesNotCommitTheSameOffsetTwice() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.taken(P0, 0);
        tracker.finished(P0, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.committable();
        tracker.committed(first);

        assertTrue(tracker.committable().isEmpty(), () -> "committable again: " + tracker.committable());
    }

    @Test
    void partitionsAreIndependent_andForgottenOnRevocation() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.taken(P0, 5);
        tracker.taken(P1, 7);
        tracker.finished(P1, 7);

        assertEquals(Map.of(P0, new OffsetAndMetadata(5, ""), P1, new OffsetAndMetadata(8, "")), tracker.committable());
        assertEquals(1, tracker.pending(), "only 5 of P0 is unfinished");

        tracker.forget(List.of(P0));
        assertEquals(Map.of(P1, new OffsetAndMetadata(8, "")), tracker.committable());
        tracker.finished(P0, 5); // a late finish for a partition no longer owned is ignored
        assertEquals(0, tracker.pending());
    }

    @Test
    void finishedOffsetsAboveTheCommit_travelInTheMetadata_andANewOwnerSkipsThem() {
        OffsetTracker first = new OffsetTracker();
        first.assigned(P0, null);
        for (long offset = 100; offset < 110; offset++) {
            first.taken(P0, offset);
        }
        for (long offset : new long[] {100, 102, 103, 104, 107, 109}) {
            first.finished(P0, offset);
        }
        OffsetAndMetadata commit = first.committable().get(P0);
        assertEquals(101, commit.offset(), "101 is the lowest unfinished offset");

        // The worker dies; a new owner reads the commit.
        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, commit);
        List<Long> skipped = new java.util.ArrayList<>();
        for (long offset = 101; offset < 110; offset++) {
            if (next.finishedEarlier(P0, offset)) {
                skipped.add(offset);
            }
        }
        assertEquals(List.of(102L, 103L, 104L, 107L, 109L), skipped);
    }

    @Test
    void aNewOwnerThatFetchedNothingYet_keepsTheEarlierOwnersRecord() {
        OffsetTracker first = new OffsetTracker();
        first.taken(P0, 0);
        first.taken(P0, 1);
        first.taken(P0, 2);
        first.finished(P0, 1);
        OffsetAndMetadata commit = first.committable().get(P0);

        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, commit);
        assertTrue(next.committable().isEmpty(), () -> "would overwrite the earlier record: " + next.committable());

        // Once it finishes 0 itself, it may commit past 1 (finished earlier) up to 2.
        next.taken(P0, 0);
        next.finished(P0, 0);
        assertEquals(2, next.committable().get(P0).offset());
    }

    @Test
    void committingPastOffsetsFinishedEarlier_withoutFetchingThem() {
        OffsetTracker first = new OffsetTracker();
        for (long offset = 0; offset < 5; offset++) {
            first.taken(P0, offset);
        }
        first.finished(P0, 1);
        first.finished(P0, 2);
        first.finished(P0, 3);
        first.finished(P0, 4);
        OffsetAndMetadata commit = first.committable().get(P0); // 0, with 1..4 finished

        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, commit);
        next.taken(P0, 0);
        next.finished(P0, 0);
        assertEquals(new OffsetAndMetadata(5, ""), next.committable().get(P0));
    }

    /**
     * Random takes, finishes, commits and hand-overs against a model: a new owner never skips
     * an offset that was not finished (no loss), and never starts below the last commit.
     */
    @org.junit.jupiter.api.RepeatedTest(200)
    void randomHistories_neverLoseAnUnfinishedOffset(org.junit.jupiter.api.RepetitionInfo repetition) {
        java.util.Random random = new java.util.Random(repetition.getCurrentRepetition());
        java.util.Set<Long> finished = new java.util.HashSet<>();
        OffsetTracker owner = new OffsetTracker();
        owner.assigned(P0, null);
        OffsetAndMetadata lastCommit = null;
        long next = 0;
        java.util.List<Long> running = new java.util.ArrayList<>();
        for (int step = 0; step < 3_000; step++) {
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    if (owner.finishedEarlier(P0, next)) {
                        owner.taken(P0, next);
                        owner.finished(P0, next);
                    } else {
                        owner.taken(P0, next);
                        running.add(next);
                    }
                    next++;
                }
                case 2 -> {
                    if (!running.isEmpty()) {
                        long offset = running.remove(random.nextInt(running.size()));
                        owner.finished(P0, offset);
                        finished.add(offset);
                    }
                }
                case 3 -> {
                    Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> commit = owner.committable();
                    if (commit.containsKey(P0)) {
                        OffsetAndMetadata c = commit.get(P0);
                        for (long o = lastCommit == null ? 0 : lastCommit.offset(); o < c.offset(); o++) {
                            long at = o;
                            assertTrue(finished.contains(o), () -> "committed past unfinished offset " + at);
                        }
                        owner.committed(commit);
                        lastCommit = c;
                    }
                }
                default -> {
                    if (random.nextInt(20) == 0 && lastCommit != null) {
                        // Crash: a new owner starts from the last commit; what ran is lost.
                        owner = new OffsetTracker();
                        owner.assigned(P0, lastCommit);
                        running.clear();
                        next = lastCommit.offset();
                        for (long o = next; o < next + 5_000; o++) {
                            long at = o;
                            if (owner.finishedEarlier(P0, o)) {
                                assertTrue(finished.contains(o), () -> "would skip unfinished offset " + at);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A slow order at the low mark and every other order behind it finished, as fast as the
     * window lets them start: the commit's metadata holds every finished offset, and a new
     * owner skips exactly those.
     */
    @Test
    void slowOrderAtTheLowMark_everyOtherFinishedUpToTheWindow_isWrittenWhole() {
        int[] truncations = {0};
        OffsetTracker tracker = new OffsetTracker(() -> truncations[0]++);
        tracker.assigned(P0, null);
        java.util.Set<Long> finished = new java.util.HashSet<>();
        for (long offset = 1_000; offset < 6_000; offset++) {
            tracker.taken(P0, offset);
        }
        assertEquals(1_000 + CompletedOffsets.WINDOW, tracker.startLimit(P0));
        for (long offset = 1_001; offset < tracker.startLimit(P0); offset += 2) {
            tracker.finished(P0, offset);
            finished.add(offset);
        }
        Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable();
        assertEquals(1_000, commit.get(P0).offset());
        assertEquals(0, truncations[0], "metadata truncated");
        assertTrue(commit.get(P0).metadata().length() <= CompletedOffsets.MAX_CHARS);

        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, commit.get(P0));
        for (long offset = 1_000; offset < 6_000; offset++) {
            assertEquals(finished.contains(offset), next.finishedEarlier(P0, offset), "offset " + offset);
        }
    }

    /** The window follows the low mark: finishing the slow order moves it up. */
    @Test
    void startLimit_followsTheLowestUnfinishedOffset() {
        OffsetTracker tracker = new OffsetTracker();
        assertEquals(Long.MAX_VALUE, tracker.startLimit(P0), "nothing owned");
        tracker.taken(P0, 10);
        tracker.taken(P0, 11);
        tracker.taken(P0, 12);
        tracker.finished(P0, 11);
        assertEquals(10 + CompletedOffsets.WINDOW, tracker.startLimit(P0));
        tracker.finished(P0, 10);
        assertEquals(12 + CompletedOffsets.WINDOW, tracker.startLimit(P0));
        tracker.finished(P0, 12);
        assertEquals(Long.MAX_VALUE, tracker.startLimit(P0), "nothing unfinished");
    }

    /**
     * Offsets that hold no record (a transactional producer's commit markers: every other one
     * here) are never fetched, so far above the window they look finished between the waiting
     * ones. They are left out, and the metadata fits.
     */
    @Test
    void offsetsWithoutRecordsBeyondTheWindow_areLeftOut_notTruncated() {
        int[] truncations = {0};
        OffsetTracker tracker = new OffsetTracker(() -> truncations[0]++);
        tracker.assigned(P0, null);
        for (long offset = 0; offset < 20_000; offset += 2) {
            tracker.taken(P0, offset);
        }
        tracker.finished(P0, 2);
        Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable();
        assertEquals(0, truncations[0], "metadata truncated");
        OffsetTracker next = new OffsetTracker();
        next.assigned(P0, commit.get(P0));
        assertTrue(next.finishedEarlier(P0, 2), "the finished order is skipped by the next owner");
        assertTrue(!next.finishedEarlier(P0, 4) && !next.finishedEarlier(P0, 19_998), "a waiting order would be skipped");
    }

    /** Should a record have started beyond the window anyway, the truncation is reported, not silent. */
    @Test
    void finishedBeyondTheWindow_isReportedAsTruncated() {
        int[] truncations = {0};
        OffsetTracker tracker = new OffsetTracker(() -> truncations[0]++);
        tracker.assigned(P0, null);
        for (long offset = 0; offset < 10_000; offset++) {
            tracker.taken(P0, offset);
        }
        for (long offset = 1; offset < 10_000; offset += 2) {
            tracker.finished(P0, offset);
        }
        tracker.committable();
        assertEquals(1, truncations[0]);
    }
}
