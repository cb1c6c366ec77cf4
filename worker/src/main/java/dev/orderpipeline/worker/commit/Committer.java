package dev.orderpipeline.worker.commit;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How finished offsets reach the group: committed by the consumer after the results are
 * acknowledged ({@link AtLeastOnceCommitter}), or sent with the results in one transaction
 * ({@link TransactionalCommitter}). Every method but {@link #gate()} and {@link #isFatal} runs
 * on the poll thread, which owns the consumer.
 */
public sealed interface Committer permits AtLeastOnceCommitter, TransactionalCommitter {

    /** What the poll loop offers a commit. Poll thread. */
    interface Offsets {
        /** What may be committed now, after taking in every result reported so far. */
        Map<TopicPartition, OffsetAndMetadata> committable();

        /** The group has these commits now. */
        void committed(Map<TopicPartition, OffsetAndMetadata> offsets);

        /**
         * The results sent since the last commit were thrown away: forget them, cancel the
         * orders under way, and go back to the committed positions. Called while no result can
         * be sent, so none of the cancelled orders slips into the next transaction.
         */
        void discarded();
    }

    /** How a commit ended (a fatal error is thrown instead). */
    enum Result {
        COMMITTED,
        /** The transaction was aborted and {@link Offsets#discarded()} called: the orders will be redone. */
        ABORTED
    }

    /** What an order thread passes before it sends a result. */
    TransactionGate gate();

    /** Whether a failure to send a result must stop the worker; within a transaction most only abort it. Any thread. */
    boolean isFatal(Throwable sendFailure);

    /** At a commit interval; may return before the broker has confirmed. */
    Result commitInterval(Offsets offsets) throws InterruptedException;

    /** Commits and waits: when stopping. */
    Result commitNow(Offsets offsets) throws InterruptedException;

    /**
     * Commits and waits, before partitions are given up. A failure the worker can live with is
     * logged, not thrown: the partitions' new owner redoes what was not committed.
     */
    void commitBeforeHandOver(Offsets offsets) throws InterruptedException;

    /** The poll loop has ended and the consumer is closed: nothing more is committed. */
    void close();

    /** Partitions were lost to another worker: nothing sent for them since the last commit may become visible. */
    void partitionsLost(Offsets offsets) throws InterruptedException;
}
