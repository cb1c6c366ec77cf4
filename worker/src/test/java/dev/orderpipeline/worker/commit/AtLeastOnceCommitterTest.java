package dev.orderpipeline.worker.commit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The at-least-once commit paths on the Kafka consumer's mock (no broker): what the tracker
 * offers is what the group gets, the tracker hears of a commit only once it is made, and a
 * failed commit at a hand-over does not stop the worker.
 */
@Timeout(30)
class AtLeastOnceCommitterTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final Map<TopicPartition, OffsetAndMetadata> OFFSETS = Map.of(P0, new OffsetAndMetadata(42, "op1:AQI"));

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AtLeastOnceCommitter committer = new AtLeastOnceCommitter(consumer);
    private final Recorder view = new Recorder();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
    }

    @Test
    void commitNow_givesTheGroupTheOfferedOffsetsAndMetadata_andTellsTheTracker() {
        view.offered = OFFSETS;

        assertEquals(Committer.Result.COMMITTED, committer.commitNow(view));

        assertEquals(OFFSETS, consumer.committed(Set.of(P0)));
        assertEquals(List.of(OFFSETS), view.committed);
    }

    @Test
    void commitInterval_givesTheGroupTheOfferedOffsets_andTellsTheTrackerWhenConfirmed() {
        view.offered = OFFSETS;

        assertEquals(Committer.Result.COMMITTED, committer.commitInterval(view));
        consumer.poll(Duration.ZERO); // where a real consumer runs commit callbacks

        assertEquals(OFFSETS, consumer.committed(Set.of(P0)));
        assertEquals(List.of(OFFSETS), view.committed);
    }

    @Test
    void nothingToCommit_commitsNothing_andTellsTheTrackerNothing() {
        view.offered = Map.of();

        assertEquals(Committer.Result.COMMITTED, committer.commitNow(view));
        assertEquals(Committer.Result.COMMITTED, committer.commitInterval(view));
        consumer.poll(Duration.ZERO);

        assertEquals(Map.of(), consumer.committed(Set.of(P0)));
        assertEquals(List.of(), view.committed);
    }

    @Test
    void commitBeforeHandOver_commitsTheOfferedOffsets() {
        view.offered = OFFSETS;

        committer.commitBeforeHandOver(view);

        assertEquals(OFFSETS, consumer.committed(Set.of(P0)));
        assertEquals(List.of(OFFSETS), view.committed);
    }

    @Test
    void failedCommitBeforeHandOver_isNotFatal_andTheTrackerKeepsItsOffsetsUncommitted() {
        view.offered = OFFSETS;
        MockConsumer<byte[], byte[]> rebalancing = new MockConsumer<>("earliest") {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                throw new KafkaException("the group is rebalancing");
            }
        };

        assertDoesNotThrow(() -> new AtLeastOnceCommitter(rebalancing).commitBeforeHandOver(view));

        assertEquals(List.of(), view.committed, "told of a commit that failed");
    }

    @Test
    void everySendFailureIsFatal_theGateNeverShuts_andALossDiscardsNothing() {
        assertTrue(committer.isFatal(new KafkaException("any")), "a lost result would be a lost order");
        assertSame(TransactionGate.ALWAYS_OPEN, committer.gate());

        committer.partitionsLost(view);

        assertEquals(0, view.discarded, "the results already sent are on the broker: nothing to redo here");
    }

    private static final class Recorder implements Committer.Offsets {
        Map<TopicPartition, OffsetAndMetadata> offered = Map.of();
        final List<Map<TopicPartition, OffsetAndMetadata>> committed = new ArrayList<>();
        int discarded;

        @Override
        public Map<TopicPartition, OffsetAndMetadata> committable() {
            return offered;
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
            committed.add(offsets);
        }

        @Override
        public void discarded() {
            discarded++;
        }
    }
}
