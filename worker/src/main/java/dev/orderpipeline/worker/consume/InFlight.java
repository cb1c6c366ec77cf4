package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.commit.TransactionGate;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import dev.orderpipeline.worker.offsets.PartitionLease;
import dev.orderpipeline.worker.publish.OrderHandler;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records running on order threads, and their results on the way back. The poll thread
 * hands each record to its own virtual thread ({@link #start}) and takes the results in
 * ({@link #collect}); order threads and the producer's I/O thread report them through a queue,
 * so that only the poll thread touches the offsets and the dispatch queue.
 */
final class InFlight {

    // The poll thread's lines: logged under the poll loop's name, which operators filter on.
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final OrderHandler handler;
    private final ExecutorService orderThreads;
    private final Committer committer;
    private final OwnedPartitions owned;
    private final DispatchQueue waiting;
    private final TopicPartitions topicPartitions;

    // Poll thread only.
    /** Raised when an abort throws away every result under way; see {@link ResultJoin#generation}. */
    private int generation;

    // Written by order threads, drained by the poll thread.
    private final BlockingQueue<ResultJoin> finished = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final ResultJoin.Sink resultSink = this::ended;

    // Written by the poll thread, read by metric scrapes.
    private volatile int peak;

    InFlight(OrderHandler handler, ExecutorService orderThreads, Committer committer, OwnedPartitions owned,
             DispatchQueue waiting, TopicPartitions topicPartitions) {
        this.handler = handler;
        this.orderThreads = orderThreads;
        this.committer = committer;
        this.owned = owned;
        this.waiting = waiting;
        this.topicPartitions = topicPartitions;
    }

    /** Runs {@code record} on its own order thread. Poll thread. */
    void start(ConsumerRecord<byte[], byte[]> record) {
        PartitionLease lease = owned.started(topicPartitions.of(record));
        TransactionGate.Pass pass = committer.gate().pass(lease);
        // Only this thread starts records, so the count it sees here is the true peak.
        int now = running.incrementAndGet();
        if (now > peak) {
            peak = now;
        }
        ResultJoin result = new ResultJoin(record, generation, pass, resultSink);
        orderThreads.execute(() -> {
            Thread self = Thread.currentThread();
            lease.enter(self);
            try {
                handler.handle(record, pass, result);
            } catch (InterruptedException e) {
                // Revoked or stopping hard: the record stays unfinished, so its offset is not
                // committed and the next owner processes it again.
                self.interrupt();
                result.acknowledged(false, null);
            } catch (OutcomePublisher.PublishException | RuntimeException | Error e) {
                sendFailed(e);
                result.acknowledged(false, null);
            } finally {
                lease.exit(self);
                // The order's steps are over: its slot is free while its outcome is acknowledged.
                running.decrementAndGet();
                result.orderThreadLeft();
            }
        });
    }

    /** A record's result is acknowledged and its order thread gone. Any thread. */
    private void ended(ResultJoin result) {
        if (result.error() != null) {
            sendFailed(result.error());
        }
        finished.add(result);
        // Only now may a transaction commit: this result is counted in its offsets.
        result.pass().release();
    }

    /** A result did not reach the broker: fatal, or (in a transaction) the next commit aborts. Any thread. */
    private void sendFailed(Throwable error) {
        if (committer.isFatal(error)) {
            fatal.compareAndSet(null, error);
        } else {
            log.debug("result not sent, the open transaction will be aborted: {}", error.toString());
        }
    }

    /** Takes in every result reported so far: their offsets count as finished. Poll thread. */
    void collect() {
        for (ResultJoin f; (f = finished.poll()) != null; ) {
            finished(f);
        }
    }

    /**
     * Waits up to {@code timeout} for a result, then takes in all reported. Poll thread.
     *
     * @return whether a result came
     */
    boolean awaitResult(Duration timeout) throws InterruptedException {
        ResultJoin first = finished.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null) {
            return false;
        }
        finished(first);
        collect();
        return true;
    }

    private void finished(ResultJoin f) {
        if (f.generation() != generation) {
            return;
        }
        owned.ended(topicPartitions.of(f.record()), f.record().offset(), f.published());
        waiting.finished(f.record());
    }

    /** After an abort: results of the records under way now are ignored when they come. Poll thread. */
    void discardAll() {
        generation++;
    }

    /** Records running now. Any thread. */
    int count() {
        return running.get();
    }

    /** The most records that ever ran at once. Any thread. */
    int peak() {
        return peak;
    }

    /** The error that stops the worker, or {@code null}. Any thread. */
    Throwable fatal() {
        return fatal.get();
    }

    /** Stops the worker after {@code error}, unless an earlier one does already. Any thread. */
    void fail(Throwable error) {
        fatal.compareAndSet(null, error);
    }

    /** Interrupts every order thread; none starts after this. */
    void cancelAll() {
        orderThreads.shutdownNow();
    }

    /** Lets running orders end, starts no more, and waits up to {@code timeout} for them. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        orderThreads.shutdown();
        return orderThreads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
