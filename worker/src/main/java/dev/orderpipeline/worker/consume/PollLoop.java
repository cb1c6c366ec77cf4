package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.commit.TransactionGate;
import dev.orderpipeline.worker.config.DeliverySettings;
import dev.orderpipeline.worker.config.Flow;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.observe.PollHealth;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.offsets.GroupCommits;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import dev.orderpipeline.worker.offsets.PartitionLease;
import dev.orderpipeline.worker.publish.OrderHandler;
import dev.orderpipeline.worker.publish.OutcomePublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread: fetches records, hands each to its own virtual thread, and has the
 * {@link Committer} commit the offsets below which every record has its result on the broker
 * (at-least-once), or in the same transaction (exactly-once). It is the only thread that
 * touches the {@link Consumer}; order threads report back through a queue.
 *
 * <p>Records of one partition run at the same time as far as the {@link Ordering} allows (by
 * default, records with the same key run one after the other). When {@code maxInFlight} records
 * are running or waiting, it pauses every partition and keeps polling, so the group membership
 * never lapses, and resumes when there is room.
 */
public final class PollLoop implements Runnable, WorkerMetrics.Load {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    /** The poll timeout while records wait for their key: bounds how late they start. */
    private static final Duration SHORT_POLL = Duration.ofMillis(2);

    /** How long a revocation waits for results already being published to be acknowledged. */
    private static final Duration PUBLISH_GRACE = Duration.ofSeconds(30);
    /** Newly assigned partitions waiting longer than this for their group commit are logged. */
    private static final Duration ADOPT_SLOW = Duration.ofSeconds(1);

    /** How long the final commit may wait for a rebalance under way to finish. */
    private static final Duration REBALANCE_AT_STOP = Duration.ofSeconds(15);

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
    private final Committer.Offsets commitView = new CommitView();
    private final OrderHandler handler;
    private final ExecutorService orderThreads;
    private final Settings settings;
    private final Clock clock;
    private final WorkerMetrics metrics;
    private final PollHealth health;

    // Poll thread only.
    private final OwnedPartitions owned;
    private final DispatchQueue waiting;
    private final TopicPartitions topicPartitions = new TopicPartitions();
    private final Set<TopicPartition> pausedByUs = new HashSet<>();
    private long skippedAsFinishedEarlier;
    /** The consumer's open connections to brokers, looked up once; {@code null} if it has none. */
    private Metric connectionCount;
    private Instant lastCommit;
    /** When the partitions now waiting for their group commit were assigned; see {@link #adoptAssigned}. */
    private Instant assignedAt;
    private boolean adoptionSlowLogged;
    private boolean draining;
    /** Raised when an abort throws away every result under way; see {@link ResultJoin#generation}. */
    private int generation;

    // Written by order threads, drained by the poll thread.
    private final BlockingQueue<ResultJoin> finished = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final ResultJoin.Sink resultSink = this::ended;

    // Written by the poll thread, read by metric scrapes.
    private volatile int waitingCount;
    private volatile int inFlightPeak;
    private volatile int heldPeak;

    // Any thread.
    private volatile boolean stopRequested;
    private volatile Exit exit;
    private final CountDownLatch ended = new CountDownLatch(1);

    public PollLoop(Consumer<byte[], byte[]> consumer, Committer committer, OrderHandler handler, ExecutorService orderThreads,
             Settings settings, Clock clock, WorkerMetrics metrics, PollHealth health, GroupCommits groupCommits) {
        this.consumer = consumer;
        this.committer = committer;
        this.handler = handler;
        this.orderThreads = orderThreads;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.health = health;
        this.owned = new OwnedPartitions(metrics, groupCommits);
        this.waiting = new DispatchQueue(settings.ordering(), owned::startLimit);
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
        return inFlight.get();
    }

    /** Records fetched and waiting to start, as of the last poll. Any thread. */
    @Override
    public int waiting() {
        return waitingCount;
    }

    /** The most records that ever ran at once: at most {@code maxInFlight}. Any thread. */
    @Override
    public int inFlightPeak() {
        return inFlightPeak;
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
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            lastCommit = clock.instant();
            while (!stopRequested && fatal.get() == null) {
                pollOnce();
            }
            result = fatal.get() != null ? Exit.FAILED : drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("poll thread interrupted; stopping without waiting for in-flight orders");
        } catch (RuntimeException e) {
            fatal.compareAndSet(null, e);
        } finally {
            if (fatal.get() != null) {
                log.error("worker stopping after a fatal error: {}", fatal.get().toString(), fatal.get());
                result = Exit.FAILED;
                orderThreads.shutdownNow();
            }
            owned.close();
            closeConsumer();
            committer.close();
            health.ended();
            exit = result;
            ended.countDown();
        }
    }

    private void pollOnce() throws InterruptedException {
        adoptAssigned();
        // Finished records free room and unblock the next record of their key: start what can
        // start before blocking.
        collectFinished();
        dispatchWaiting();
        ConsumerRecords<byte[], byte[]> records;
        if (!pausedByUs.isEmpty() && pausedByUs.containsAll(consumer.assignment())) {
            // At the limit nothing can be fetched: wait for an order to finish rather than in
            // poll(), which would sit out its whole timeout while room is free again. poll(0)
            // still runs often enough to keep the membership and run rebalance callbacks.
            ResultJoin first = finished.poll(settings.pollTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (first != null) {
                finished(first);
                collectFinished();
                dispatchWaiting();
            }
            records = consumer.poll(Duration.ZERO);
        } else {
            // Records waiting behind a running one of their key (or partition) start as soon as
            // it finishes, which poll() would not notice before its timeout: poll briefly then.
            records = consumer.poll(waiting.waiting() > 0 ? SHORT_POLL : settings.pollTimeout());
        }
        polled();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            take(record);
        }
        int held = inFlight.get() + waiting.waiting();
        if (held > heldPeak) {
            heldPeak = held; // only this thread writes it
        }
        dispatchWaiting();
        commitIfDue();
    }

    /**
     * Takes up the newly assigned partitions once their group commit can be read, and lets
     * {@link #dispatchWaiting} resume them. Until then they stay paused and the other partitions
     * go on: see {@link OwnedPartitions#adoptAssigned}.
     */
    private void adoptAssigned() {
        if (owned.awaitingCommit().isEmpty()) {
            return;
        }
        Set<TopicPartition> adopted = owned.adoptAssigned(consumer, clock.instant());
        Duration waited = Duration.between(assignedAt, clock.instant());
        if (adopted.isEmpty()) {
            if (!adoptionSlowLogged && waited.compareTo(ADOPT_SLOW) > 0) {
                adoptionSlowLogged = true;
                log.info("partitions {} wait for their committed offsets, held by an open transaction of their "
                        + "previous owner until the broker ends it; the other partitions go on", owned.awaitingCommit());
            }
            return;
        }
        if (adoptionSlowLogged) {
            log.info("partitions {} taken up at their committed offsets after {} ms", adopted, waited.toMillis());
        }
        adoptionSlowLogged = false;
        if (!draining) {
            // Paused by us now: dispatchWaiting resumes them when there is room.
            pausedByUs.addAll(adopted);
        }
    }

    /**
     * Commits what is finished once a commit interval has passed since the last commit. Also
     * called while draining and while a revocation waits for its orders, so that a transaction
     * stays open about one commit interval whatever the budgets: the transaction timeout then
     * need not cover them, and a killed worker's open transaction blocks its partitions'
     * readers only that timeout.
     */
    private void commitIfDue() throws InterruptedException {
        if (Duration.between(lastCommit, clock.instant()).compareTo(settings.commitInterval()) >= 0) {
            lastCommit = clock.instant();
            committer.commitInterval(commitView);
        }
    }

    /**
     * Starts the waiting records that the ordering and the start window allow while there is
     * room; pauses fetching while running plus waiting records fill the limit, so memory stays
     * bounded even when one hot key holds many records back, and pauses a partition whose
     * records wait beyond its window, so that it does not take the others' room.
     */
    private void dispatchWaiting() {
        while (inFlight.get() < settings.maxInFlight()) {
            ConsumerRecord<byte[], byte[]> record = waiting.next();
            if (record == null) {
                break;
            }
            dispatch(record);
        }
        Set<TopicPartition> pause = inFlight.get() + waiting.waiting() >= settings.maxInFlight()
                ? consumer.assignment() : waiting.heldPartitions();
        if (!pause.isEmpty() && !pausedByUs.containsAll(pause)) {
            Set<TopicPartition> toPause = new HashSet<>(pause);
            toPause.removeAll(pausedByUs);
            consumer.pause(toPause);
            pausedByUs.addAll(toPause);
        }
        if (!pause.containsAll(pausedByUs)) {
            Set<TopicPartition> toResume = new HashSet<>(pausedByUs);
            toResume.removeAll(pause);
            toResume.removeAll(owned.awaitingCommit());
            toResume.retainAll(consumer.assignment());
            consumer.resume(toResume);
            pausedByUs.retainAll(pause);
        }
        waitingCount = waiting.waiting();
    }

    /** Tells the health endpoints that the loop is alive, and what it holds. */
    private void polled() {
        health.polled(clock.instant(), consumer.assignment().size(), connections());
        health.load(inFlight.get(), waitingCount);
    }

    /** The consumer's open broker connections, -1 if its metrics do not say. */
    private int connections() {
        if (connectionCount == null) {
            for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
                if (metric.getKey().name().equals("connection-count") && metric.getKey().group().equals("consumer-metrics")) {
                    connectionCount = metric.getValue();
                }
            }
        }
        return connectionCount != null && connectionCount.metricValue() instanceof Number n ? n.intValue() : -1;
    }

    /** A fetched record: skipped if an earlier owner finished it, else queued behind its key. */
    private void take(ConsumerRecord<byte[], byte[]> record) {
        if (owned.taken(partitionOf(record), record.offset())) {
            skippedAsFinishedEarlier++;
            metrics.skippedAsFinishedEarlier();
            return;
        }
        waiting.add(record);
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        PartitionLease lease = owned.started(partitionOf(record));
        TransactionGate.Pass pass = committer.gate().pass(lease);
        // Only this thread starts records, so the count it sees here is the true peak.
        int running = inFlight.incrementAndGet();
        if (running > inFlightPeak) {
            inFlightPeak = running;
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
                inFlight.decrementAndGet();
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

    private void collectFinished() {
        for (ResultJoin f; (f = finished.poll()) != null; ) {
            finished(f);
        }
    }

    private void finished(ResultJoin f) {
        if (f.generation() != generation) {
            return;
        }
        owned.ended(partitionOf(f.record()), f.record().offset(), f.published());
        waiting.finished(f.record());
    }

    private TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return topicPartitions.of(record);
    }

    /** Stop fetching, let in-flight orders finish within the budget, commit. */
    private Exit drain() throws InterruptedException {
        draining = true;
        health.stopping();
        waiting.clear(); // never started: not tracked, so not committed; the next owner takes them
        waitingCount = 0;
        consumer.pause(consumer.assignment());
        Instant deadline = clock.instant().plus(settings.drainBudget());
        log.info("stopping: fetching paused, waiting up to {} ms for {} in-flight orders",
                settings.drainBudget().toMillis(), inFlight.get());
        while ((inFlight.get() > 0 || owned.anyRunning()) && fatal.get() == null && clock.instant().isBefore(deadline)) {
            // Polling paused partitions returns nothing but keeps the group membership alive.
            consumer.poll(Duration.ofMillis(50));
            polled();
            collectFinished();
            commitIfDue();
        }
        Exit result = Exit.CLEAN;
        if (inFlight.get() > 0 || owned.anyRunning()) {
            log.warn("drain budget of {} ms spent with {} orders still running; cancelling them, "
                    + "they will be processed again", settings.drainBudget().toMillis(), inFlight.get());
            // No result may be published once the decision is taken: it would be a duplicate.
            owned.revokeAllLeases(PUBLISH_GRACE);
            orderThreads.shutdownNow();
            result = Exit.DRAIN_BUDGET_EXCEEDED;
        }
        orderThreads.shutdown();
        if (!orderThreads.awaitTermination(30, TimeUnit.SECONDS)) {
            log.error("order threads still running 30 s after cancellation: a step ignores interruption");
        }
        if (fatal.get() == null && finalCommit() == Committer.Result.ABORTED) {
            log.error("the last transaction was aborted; its orders will be redone by the next owner");
            result = Exit.FAILED;
        }
        if (skippedAsFinishedEarlier > 0) {
            log.info("{} records skipped: finished by an earlier owner, per the commit metadata", skippedAsFinishedEarlier);
        }
        return result;
    }

    /**
     * The last commit. A stop often comes with a rebalance (several workers rolled at once): the
     * group refuses a plain commit while one is under way, so the rebalance is let finish by
     * polling (fetching stays paused; revoked partitions are committed by the listener) and the
     * commit is tried again, for up to {@link #REBALANCE_AT_STOP}. Without this the worker exited 1
     * and its finished orders were answered again by the partitions' next owner.
     */
    private Committer.Result finalCommit() throws InterruptedException {
        Instant giveUp = clock.instant().plus(REBALANCE_AT_STOP);
        while (true) {
            try {
                return committer.commitNow(commitView);
            } catch (RebalanceInProgressException e) {
                if (!clock.instant().isBefore(giveUp)) {
                    throw e;
                }
                log.info("the final commit met a rebalance; letting it finish, then committing again");
                consumer.poll(Duration.ofMillis(100));
                polled();
            }
        }
    }

    /**
     * After an abort: cancels every order under way (their results went with the transaction,
     * and none may be sent into the next one), forgets what was fetched, and seeks every
     * partition back to its committed offset, so the next poll starts over there instead of
     * after the aborted batch. Called by the committer with the transaction gate shut.
     */
    private void rewind() {
        generation++;
        owned.discardAll();
        waiting.clear();
        waitingCount = 0;
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        // Partitions still waiting for their group commit hold nothing yet and start there anyway.
        assigned.removeAll(owned.awaitingCommit());
        owned.readopt(consumer, assigned);
        log.warn("rewound partitions {} to their committed offsets", assigned);
    }

    /** The offset tracker as the committer sees it. Poll thread. */
    private final class CommitView implements Committer.Offsets {

        @Override
        public Map<TopicPartition, OffsetAndMetadata> committable() {
            collectFinished();
            return owned.committable();
        }

        @Override
        public void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
            owned.committed(committed);
        }

        @Override
        public void discarded() {
            rewind();
        }
    }

    private void closeConsumer() {
        try {
            // A static member does not leave on close by default, and its partitions would wait
            // out its session. Leaving hands them over now: the drain committed what it finished.
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        } catch (RuntimeException e) {
            log.warn("closing the consumer failed: {}", e.toString());
        }
    }

    /** Runs on the poll thread, inside {@code poll()}. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            // Let the revoked partitions' running orders finish, then commit them, so that the
            // next owner starts after them instead of doing them again. Waiting records were
            // never started: they stay uncommitted, and the next owner takes them.
            waiting.removePartitions(revoked);
            Instant deadline = clock.instant().plus(settings.revokeBudget());
            try {
                while (owned.running(revoked) > 0 && fatal.get() == null && clock.instant().isBefore(deadline)) {
                    Thread.sleep(5);
                    collectFinished();
                    // Waiting here, inside poll(), is bounded by the revoke budget: the loop is not stuck.
                    polled();
                    commitIfDue();
                }
                if (owned.running(revoked) > 0) {
                    log.warn("{} orders of revoked partitions {} still running after {} ms: cancelled; their new owner "
                            + "processes them", owned.running(revoked), revoked, settings.revokeBudget().toMillis());
                }
                owned.revokeLeases(revoked, PUBLISH_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                committer.commitBeforeHandOver(commitView);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            owned.forget(revoked);
            pausedByUs.removeAll(revoked);
            waitingCount = waiting.waiting();
            log.info("partitions revoked: {}", revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Already someone else's: committing would fail, and their records will be redone.
            // No late result of theirs may be published, nor one already sent in the open transaction.
            waiting.removePartitions(lost);
            try {
                owned.revokeLeases(lost, PUBLISH_GRACE);
                committer.partitionsLost(commitView);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            owned.forget(lost);
            waitingCount = waiting.waiting();
            pausedByUs.removeAll(lost);
            log.warn("partitions lost: {}", lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            // Paused until their group commit is read (see adoptAssigned), which in exactly-once
            // mode may wait for the previous owner's transaction: never here, inside poll().
            consumer.pause(assigned);
            if (owned.awaitingCommit().isEmpty()) {
                assignedAt = clock.instant();
            }
            owned.assigned(assigned);
            log.info("partitions assigned: {}", assigned);
            adoptAssigned();
        }
    }
}
