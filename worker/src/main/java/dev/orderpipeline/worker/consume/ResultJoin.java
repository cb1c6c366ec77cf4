package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.TransactionGate;
import dev.orderpipeline.worker.publish.OrderHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Joins the two ends of one record's handling, which come on different threads and in either
 * order: its order thread leaving the record (steps over, slot free), and its result's
 * acknowledgement (on the producer's I/O thread, or on the order thread when nothing was sent).
 * The later of the two reports the record to the {@link Sink}, exactly once: one object per
 * record where a chain of three futures stood.
 */
final class ResultJoin extends AtomicInteger implements OrderHandler.Acknowledgement {

    private static final long serialVersionUID = 1L;

    /** Takes a record whose handling has ended; called on whichever thread arrived last. */
    interface Sink {
        void ended(ResultJoin result);
    }

    private final transient ConsumerRecord<byte[], byte[]> record;
    private final int generation;
    private final transient TransactionGate.Pass pass;
    private final transient Sink sink;
    // Written by the acknowledging thread before its countdown, read after the last countdown.
    private boolean published;
    private transient Throwable error;

    /**
     * @param generation the poll loop's generation when the record started; reports from an
     *                   earlier one belong to an aborted transaction and are ignored
     */
    ResultJoin(ConsumerRecord<byte[], byte[]> record, int generation, TransactionGate.Pass pass, Sink sink) {
        super(2);
        this.record = record;
        this.generation = generation;
        this.pass = pass;
        this.sink = sink;
    }

    @Override
    public void acknowledged(boolean published, Throwable error) {
        this.published = published;
        this.error = error;
        arrive();
    }

    /** The order thread is done with the record. */
    void orderThreadLeft() {
        arrive();
    }

    ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    int generation() {
        return generation;
    }

    TransactionGate.Pass pass() {
        return pass;
    }

    /**
     * Whether the result is on the broker. If not (the record was interrupted, its result
     * dropped or refused) its offset stays unfinished and is never committed by this worker.
     */
    boolean published() {
        return published && error == null;
    }

    /** Why the broker did not take the result, or {@code null}. */
    Throwable error() {
        return error;
    }

    private void arrive() {
        if (decrementAndGet() == 0) {
            sink.ended(this);
        }
    }
}
