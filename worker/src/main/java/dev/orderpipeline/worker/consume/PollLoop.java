package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.config.DeliverySettings;
import dev.orderpipeline.worker.config.Flow;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.guard.StartGate;
import dev.orderpipeline.worker.observe.PollHealth;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.offsets.GroupCommits;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import dev.orderpipeline.worker.publish.OrderHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread: fetches records, hands each to its own virtual thread, and has the
 * {@link Committer} commit the offsets below which every record has its result on the broker
 * (at-least-once), or in the same transaction (exactly-once). It is the only thread that
 * touches the {@link Consumer}; order threads report back through a queue ({@link InFlight}).
 *
 * <p>Records of one partition run at the same time as far as the {@link Ordering} allows (by
 * default, records with the same key run one after the other). When {@code maxInFlight} records
 * are running or waiting, it pauses every partition and keeps polling, so the group membership
 * never lapses, and resumes when there is room ({@link BackPressure}); the same while a
 * service's circuit breaker holds new orders back ({@link StartGate}). Its parts, all on this
 * thread: {@link Rebalance} (the listener), {@link Adoption} (newly assigned partitions),
 * {@link Commits} (when to commit, the rewind after an abort), {@link Drain} (the stop).
 */
public final class PollLoop implements Runnable, WorkerMetrics.Load {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** The poll timeout while records wait for their key: bounds how late they start. */
    private static final Duration SHORT_POLL = Duration.ofMillis(2);

    /** How {@link #run()} ended; the worker's process exit code follows from it. */
    public enum Exit {
        /** Stopped on request; every record taken was finished and committed. */
        CLEAN(0),
        /** A fatal error (the broker refused a result, the consumer failed); see the log. */
        FAILED(1),
        /** Stopped on request, but some orders did not finish within the drain budget; they
         * were cancelled, their offsets not committed, and will be processed again. */
        DRAIN_BUDGET_EXCEEDED(3);

        private final int code;

        Exit(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /**
     * @param topic       the orders topic
     * @param flow        in-flight limit, order deadline (which bounds a revocation's wait) and drain budget
     * @param delivery    commit interval and ordering
     * @param pollTimeout the longest a poll blocks; bounds how late a commit or a stop is seen
     */
    public record Settings(String topic, Flow flow, DeliverySettings delivery, Duration pollTimeout) {

        int maxInFlight() {
            return flow.maxInFlight();
        }

        Ordering ordering() {
            return delivery.ordering();
        }

        /** How often finished offsets are committed while running. */
        Duration commitInterval() {
            return delivery.commitInterval();
        }

        /** On stop, how long in-flight orders may take to finish. */
        Duration drainBudget() {
            return flow.drainBudget();
        }

        /**
         * On a revocation, how long the revoked partitions' orders may take: they finish within
         * their deadline; the 10 s are for publishing their results.
         */
        Duration revokeBudget() {
            return flow.orderDeadline().plusSeconds(10);
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Committer committer;
    private final Settings settings;
    private final WorkerMetrics metrics;

    // Poll thread only.
    private final OwnedPartitions owned;
    private final DispatchQueue waiting;
    private final TopicPartitions topicPartitions = new TopicPartitions();
    private final InFlight inFlight;
    private final BackPressure pressure;
    private final Heartbeat heartbeat;
    private final Commits commits;
    private final Adoption adoption;
    private final Rebalance rebalance;
    private final Drain drain;
    private long skippedAsFinishedEarlier;

    // Written by the poll thread, read by metric scrapes.
    private volatile int heldPeak;

    // Any thread.
    private volatile boolean stopRequested;
    private volatile Exit exit;
    private final CountDownLatch ended = new CountDownLatch(1);

    public PollLoop(Consumer<byte[], byte[]> consumer, Committer committer, OrderHandler handler, ExecutorService orderThreads,
                    Settings settings, Clock clock, WorkerMetrics metrics, PollHealth health, GroupCommits groupCommits,
                    StartGate gate) {
        this.consumer = consumer;
        this.committer = committer;
        this.settings = settings;
        this.metrics = metrics;
        this.owned = new OwnedPartitions(metrics, groupCommits);
        this.waiting = new DispatchQueue(settings.ordering(), owned::startLimit);
        this.inFlight = new InFlight(handler, orderThreads, committer, owned, waiting, topicPartitions);
        this.pressure = new BackPressure(consumer, waiting, owned, inFlight, settings.maxInFlight(), gate);
        this.heartbeat = new Heartbeat(consumer, health, clock, inFlight, pressure);
        this.commits = new Commits(committer, consumer, owned, inFlight, pressure, clock, settings.commitInterval());
        this.adoption = new Adoption(consumer, owned, pressure, clock);
        this.rebalance = new Rebalance(owned, inFlight, pressure, adoption, commits, heartbeat, clock,
                settings.revokeBudget());
        this.drain = new Drain(consumer, owned, inFlight, pressure, commits, heartbeat, clock, settings.drainBudget());
    }

    /** Asks the loop to stop taking records, finish what it has, commit and return. Any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Waits until {@link #run()} has returned, and says how it ended. */
    public Exit awaitExit() throws InterruptedException {
        ended.await();
        return exit;
    }

    /** Waits at most {@code timeout}; {@code null} if still running. */
    public Exit awaitExit(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? exit : null;
    }

    /** Records running now. Any thread. */
    @Override
    public int inFlight() {
        return inFlight.count();
    }

    /** Records fetched and waiting to start, as of the last poll. Any thread. */
    @Override
    public int waiting() {
        return pressure.waiting();
    }

    /** The most records that ever ran at once: at most {@code maxInFlight}. Any thread. */
    @Override
    public int inFlightPeak() {
        return inFlight.peak();
    }

    /** The most records ever running or waiting at once, right after a poll's records were taken. Any thread. */
    @Override
    public int heldPeak() {
        return heldPeak;
    }

    @Override
    public void run() {
        Exit result = Exit.FAILED;
        try {
            consumer.subscribe(List.of(settings.topic()), rebalance);
            commits.started();
            while (!stopRequested && inFlight.fatal() == null) {
                pollOnce();
            }
            if (inFlight.fatal() != null) {
                result = Exit.FAILED;
            } else {
                result = drain.drain();
                if (skippedAsFinishedEarlier > 0) {
                    log.info("{} records skipped: finished by an earlier owner, per the commit metadata",
                            skippedAsFinishedEarlier);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("poll thread interrupted; stopping without waiting for in-flight orders");
        } catch (RuntimeException e) {
            inFlight.fail(e);
        } finally {
            Throwable fatal = inFlight.fatal();
            if (fatal != null) {
                log.error("worker stopping after a fatal error: {}", fatal.toString(), fatal);
                result = Exit.FAILED;
                inFlight.cancelAll();
            }
            owned.close();
            drain.closeConsumer();
            committer.close();
            heartbeat.ended();
            exit = result;
            ended.countDown();
        }
    }

    private void pollOnce() throws InterruptedException {
        adoption.adopt();
        // Finished records free room and unblock the next record of their key: start what can
        // start before blocking.
        inFlight.collect();
        pressure.dispatchWaiting();
        ConsumerRecords<byte[], byte[]> records;
        if (pressure.atLimit()) {
            // At the limit nothing can be fetched: wait for an order to finish rather than in
            // poll(), which would sit out its whole timeout while room is free again. poll(0)
            // still runs often enough to keep the membership and run rebalance callbacks.
            if (inFlight.awaitResult(settings.pollTimeout())) {
                pressure.dispatchWaiting();
            }
            records = consumer.poll(Duration.ZERO);
        } else {
            // Records waiting behind a running one of their key (or partition) start as soon as
            // it finishes, which poll() would not notice before its timeout: poll briefly then.
            records = consumer.poll(waiting.waiting() > 0 ? SHORT_POLL : settings.pollTimeout());
        }
        heartbeat.polled();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            take(record);
        }
        int held = inFlight.count() + waiting.waiting();
        if (held > heldPeak) {
            heldPeak = held; // only this thread writes it
        }
        pressure.dispatchWaiting();
        commits.commitIfDue();
    }

    /** A fetched record: skipped if an earlier owner finished it, else queued behind its key. */
    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (owned.taken(topicPartitions.of(record), record.offset())) {
            skippedAsFinishedEarlier++;
            metrics.skippedAsFinishedEarlier();
            return;
        }
        waiting.add(record);
    }
}
