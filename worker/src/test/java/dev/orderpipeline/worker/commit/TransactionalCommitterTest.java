package dev.orderpipeline.worker.commit;

import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transactional commit, abort and fatal paths, on the Kafka clients' mocks (no broker). */
@Timeout(30)
class TransactionalCommitterTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final Map<TopicPartition, OffsetAndMetadata> OFFSETS = Map.of(P0, new OffsetAndMetadata(42, "op1:AQI"));

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(/* autoComplete= */ true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
    private final Recorder view = new Recorder();
    /** The committer under test, whose gate the recorder looks at. */
    private TransactionalCommitter lastCommitter;

    private TransactionalCommitter committer() {
        producer.initTransactions();
        lastCommitter = new TransactionalCommitter(producer, consumer, metrics);
        return lastCommitter;
    }

    @Test
    void commit_sendsTheOffsetsAndTheirMetadata_withTheGroupMetadata_thenBeginsTheNextTransaction() throws Exception {
        TransactionalCommitter committer = committer();
        view.offered = OFFSETS;

        assertEquals(Committer.Result.COMMITTED, committer.commitInterval(view));

        assertEquals(1, producer.commitCount(), "transactions committed");
        assertEquals(List.of(Map.of(consumer.groupMetadata().groupId(), OFFSETS)), producer.consumerGroupOffsetsHistory());
        assertTrue(producer.transactionInFlight(), "the next transaction is open for the next results");
        assertTrue(view.gateShutWhenRead, "the offsets were read while results could still be sent");
        assertFalse(committer.gate().isShut(), "the gate stayed shut after the commit");
        assertEquals(List.of(OFFSETS), view.committed);
        assertEquals(0, view.discarded);
        assertEquals(1, metrics.transactionsCommitted());
    }

    @Test
    void abortAtTheCommitBeforeAHandOver_isCountedAsOne_anAbortAtAnIntervalIsNot() throws Exception {
        TransactionalCommitter committer = committer();
        view.offered = OFFSETS;
        producer.commitTransactionException = new TimeoutException("coordinator did not answer");

        assertEquals(Committer.Result.ABORTED, committer.commitInterval(view));
        assertEquals(0, metrics.transactionsAbortedAtHandOver(), "an interval commit's abort counted as a hand-over's");
        committer.commitBeforeHandOver(view);

        assertEquals(2, metrics.transactionsAborted());
        assertEquals(1, metrics.transactionsAbortedAtHandOver());
        assertEquals(2, view.discarded);
    }

    @Test
    void abortableCommitFailure_abortsTheTransaction_discardsItsOrders_andBeginsAnother() throws Exception {
        TransactionalCommitter committer = committer();
        view.offered = OFFSETS;
        producer.commitTransactionException = new TimeoutException("coordinator did not answer");

        assertEquals(Committer.Result.ABORTED, committer.commitNow(view));

        assertTrue(view.abortedWhenDiscarded, "rewound before the transaction was aborted");
        assertEquals(0, producer.commitCount());
        assertEquals(List.of(), producer.consumerGroupOffsetsHistory(), "offsets of an aborted transaction");
        assertEquals(1, view.discarded, "the poll loop was told to rewind");
        assertTrue(view.gateShutWhenDiscarded, "rewound while cancelled orders could still send into the next transaction");
        assertEquals(List.of(), view.committed, "offsets marked committed although the transaction was aborted");
        assertTrue(producer.transactionInFlight(), "no transaction open after the abort");
        assertFalse(committer.gate().isShut());
        assertEquals(1, metrics.transactionsAborted());

        producer.commitTransactionException = null;
        assertEquals(Committer.Result.COMMITTED, committer.commitNow(view));
    }

    @Test
    void fencedProducer_isFatal_namingTheWorkerIdAsTheLikelyCause_andNothingIsRewound() {
        TransactionalCommitter committer = committer();
        view.offered = OFFSETS;
        producer.fenceProducer();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> committer.commitNow(view));

        assertTrue(e.getMessage().contains("--worker-id"), e::getMessage);
        assertEquals(0, view.discarded);
        assertFalse(committer.gate().isShut(), "a shut gate would hold every order thread of the stopping worker");
    }

    @Test
    void abortsInARow_stopTheWorker_insteadOfRedoingTheSameOrdersForever() throws Exception {
        TransactionalCommitter committer = committer();
        view.offered = OFFSETS;
        producer.sendOffsetsToTransactionException = new KafkaException("the transaction is in an error state");
        for (int i = 1; i < TransactionalCommitter.MAX_ABORTS_IN_A_ROW; i++) {
            assertEquals(Committer.Result.ABORTED, committer.commitNow(view));
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> committer.commitNow(view));

        assertTrue(e.getMessage().contains(TransactionalCommitter.MAX_ABORTS_IN_A_ROW + " transactions aborted in a row"),
                e::getMessage);
    }

    @Test
    void lostPartitions_abortWhatWasSentForThem() throws Exception {
        TransactionalCommitter committer = committer();

        committer.partitionsLost(view);

        assertTrue(view.abortedWhenDiscarded);
        assertEquals(1, view.discarded);
        assertTrue(producer.transactionInFlight());
    }

    static Stream<Arguments> sendFailures() {
        return Stream.of(
                Arguments.of(new ProducerFencedException("newer producer"), true),
                // The broker aborted the transaction at its timeout: abortTransaction() decides.
                Arguments.of(new InvalidProducerEpochException("old epoch"), false),
                Arguments.of(new OutcomePublisher.PublishException("could not publish",
                        new OutOfOrderSequenceException("out of order sequence number")), false),
                Arguments.of(new KafkaException("wrapped", new ProducerFencedException("newer producer")), true),
                Arguments.of(new TopicAuthorizationException("no WRITE on order-results"), true),
                Arguments.of(new TransactionalIdAuthorizationException("no WRITE on the transactional id"), true),
                Arguments.of(new OutcomePublisher.PublishException("could not publish", new TopicAuthorizationException("x")), true),
                Arguments.of(new NullPointerException("a bug"), true),
                Arguments.of(new RecordTooLargeException("outcome too large"), false),
                Arguments.of(new TimeoutException("broker slow"), false),
                Arguments.of(new KafkaException("Cannot execute transactional method because we are in an error state"), false),
                Arguments.of(new OutcomePublisher.PublishException("could not publish", new TimeoutException("slow")), false));
    }

    @ParameterizedTest(name = "{0} fatal={1}")
    @MethodSource("sendFailures")
    void sendFailure_isFatal_onlyWhenNoRetryCanHelp(Throwable failure, boolean fatal) {
        assertEquals(fatal, committer().isFatal(failure), () -> failure.toString());
    }

    /** The poll loop's side of a commit, recorded. */
    private final class Recorder implements Committer.Offsets {
        Map<TopicPartition, OffsetAndMetadata> offered = Map.of();
        final List<Map<TopicPartition, OffsetAndMetadata>> committed = new ArrayList<>();
        int discarded;
        boolean gateShutWhenRead;
        boolean gateShutWhenDiscarded;
        boolean abortedWhenDiscarded;

        @Override
        public Map<TopicPartition, OffsetAndMetadata> committable() {
            gateShutWhenRead = gateShut();
            return offered;
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
            committed.add(offsets);
        }

        @Override
        public void discarded() {
            gateShutWhenDiscarded = gateShut();
            abortedWhenDiscarded = producer.transactionAborted();
            discarded++;
        }

        private boolean gateShut() {
            return lastCommitter != null && lastCommitter.gate().isShut();
        }
    }
}
