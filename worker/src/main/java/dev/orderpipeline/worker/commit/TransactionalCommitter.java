package dev.orderpipeline.worker.commit;

import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once: the results sent since the last commit and the offsets they finish go to the
 * broker in one transaction, committed at each interval. The offsets carry the same metadata as
 * at-least-once commits (the finished offsets above the commit), so the committed transaction
 * and the committed offsets describe the same set of orders: a crash loses nothing and redoes
 * nothing, and the next owner skips exactly the orders whose outcomes were committed.
 *
 * <p>The offsets are sent with the consumer's group metadata (KIP-447): the group coordinator
 * refuses them from a member whose generation is over, so a worker that lost its partitions
 * cannot commit their results, whatever its {@code transactional.id}.
 *
 * <p>Poll thread only, except {@link #gate()} and {@link #isFatal}. The producer was
 * initialised for transactions ({@code initTransactions}) before the poll thread started.
 */
public final class TransactionalCommitter implements Committer {

    private static final Logger log = LoggerFactory.getLogger(TransactionalCommitter.class);

    /** Aborts in a row without a commit after which the worker stops instead of trying again. */
    static final int MAX_ABORTS_IN_A_ROW = 5;

    private final Producer<byte[], byte[]> producer;
    private final Consumer<byte[], byte[]> consumer;
    private final WorkerMetrics metrics;
    private final TransactionGate gate = TransactionGate.forTransactions();
    private int abortsInARow;

    /** Takes a producer on which {@code initTransactions()} has returned; begins the first transaction. */
    public TransactionalCommitter(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer, WorkerMetrics metrics) {
        this.producer = producer;
        this.consumer = consumer;
        this.metrics = metrics;
        producer.beginTransaction();
    }

    @Override
    public TransactionGate gate() {
        return gate;
    }

    /**
     * Fenced by a newer producer with the same {@code transactional.id}, refused by an ACL, or a
     * broker too old: no retry helps, the worker must stop. Anything else only spoils the open
     * transaction, which the next commit aborts. That includes an old epoch or an out-of-order
     * sequence: what a producer meets when the broker aborted its transaction at
     * {@code transaction.timeout.ms} (a broker away longer than that); whether the producer can
     * go on is then for {@code abortTransaction()} to say, which throws if it cannot.
     */
    @Override
    public boolean isFatal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException
                    || t instanceof FencedInstanceIdException
                    || t instanceof AuthorizationException || t instanceof AuthenticationException
                    || t instanceof UnsupportedVersionException || t instanceof InterruptException) {
                return true;
            }
        }
        return !(failure instanceof KafkaException || failure instanceof OutcomePublisher.PublishException);
    }

    /** A transaction commit waits for the broker anyway: the same as {@link #commitNow}. */
    @Override
    public Result commitInterval(Offsets offsets) throws InterruptedException {
        return commitNow(offsets);
    }

    /** A failure is fatal here too: the transaction holds results of every partition, not only the revoked ones. */
    @Override
    public void commitBeforeHandOver(Offsets offsets) throws InterruptedException {
        if (commitNow(offsets) == Result.ABORTED) {
            metrics.transactionAbortedAtHandOver();
        }
    }

    @Override
    public Result commitNow(Offsets offsets) throws InterruptedException {
        gate.shut();
        try {
            // Every result that passed the gate is acknowledged and reported by now; flush() only
            // makes sure of it. The offsets are read after that, so they cover every result sent.
            producer.flush();
            Map<TopicPartition, OffsetAndMetadata> commit = offsets.committable();
            if (!commit.isEmpty()) {
                producer.sendOffsetsToTransaction(commit, consumer.groupMetadata());
            }
            producer.commitTransaction();
            if (!commit.isEmpty()) {
                metrics.transactionCommitted();
            }
            abortsInARow = 0;
            offsets.committed(commit);
            producer.beginTransaction();
            return Result.COMMITTED;
        } catch (KafkaException e) {
            if (isFatal(e)) {
                throw fatal(e);
            }
            abort(offsets, e);
            return Result.ABORTED;
        } finally {
            gate.open();
        }
    }

    @Override
    public void partitionsLost(Offsets offsets) throws InterruptedException {
        gate.shut();
        try {
            abort(offsets, new KafkaException("partitions lost to another worker"));
        } finally {
            gate.open();
        }
    }

    /**
     * Ends the transaction begun after the last commit, which holds nothing: every result was
     * committed with the final offsets, or the loop failed and its transaction is to be thrown
     * away. Without this the producer's close would wait for the open transaction.
     */
    @Override
    public void close() {
        try {
            producer.abortTransaction();
        } catch (KafkaException | IllegalStateException e) {
            log.debug("no transaction to end at close: {}", e.toString());
        }
    }

    /** With the gate shut: throws the open transaction away and starts the next one. */
    private void abort(Offsets offsets, KafkaException cause) {
        log.warn("transaction aborted: {}; every order of it will be redone from the committed offsets",
                cause.toString());
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            throw fatal(e);
        }
        metrics.transactionAborted();
        offsets.discarded();
        if (++abortsInARow >= MAX_ABORTS_IN_A_ROW) {
            throw new IllegalStateException(abortsInARow + " transactions aborted in a row, the last because of "
                    + cause + "; stopping rather than redoing the same orders forever", cause);
        }
        producer.beginTransaction();
    }

    private static IllegalStateException fatal(KafkaException e) {
        String hint = e instanceof ProducerFencedException || e.getCause() instanceof ProducerFencedException
                ? " (another worker process started with the same transactional.id, i.e. the same --group-id and "
                        + "--worker-id: give every process its own --worker-id)"
                : "";
        return new IllegalStateException("transaction cannot go on: " + e + hint, e);
    }
}
