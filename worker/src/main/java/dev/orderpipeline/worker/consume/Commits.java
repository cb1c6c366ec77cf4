package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.commit.Committer;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the poll loop commits, and its offsets as the {@link Committer} sees them: what is
 * finished, and the rewind after an aborted transaction. Poll thread only: the committer and
 * the rewind use the consumer.
 */
final class Commits implements Committer.Offsets {

    // The poll thread's lines: logged under the poll loop's name, which operators filter on.
    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final Committer committer;
    private final Consumer<byte[], byte[]> consumer;
    private final OwnedPartitions owned;
    private final InFlight inFlight;
    private final BackPressure pressure;
    private final Clock clock;
    private final Duration interval;
    // Poll thread only.
    private Instant lastCommit;

    Commits(Committer committer, Consumer<byte[], byte[]> consumer, OwnedPartitions owned, InFlight inFlight,
            BackPressure pressure, Clock clock, Duration interval) {
        this.committer = committer;
        this.consumer = consumer;
        this.owned = owned;
        this.inFlight = inFlight;
        this.pressure = pressure;
        this.clock = clock;
        this.interval = interval;
    }

    /** The loop starts: the first commit is due one interval from now. */
    void started() {
        lastCommit = clock.instant();
    }

    /**
     * Commits what is finished once a commit interval has passed since the last commit. Also
     * called while draining and while a revocation waits for its orders, so that a transaction
     * stays open about one commit interval whatever the budgets: the transaction timeout then
     * need not cover them, and a killed worker's open transaction blocks its partitions'
     * readers only that timeout.
     */
    void commitIfDue() throws InterruptedException {
        if (Duration.between(lastCommit, clock.instant()).compareTo(interval) >= 0) {
            lastCommit = clock.instant();
            committer.commitInterval(this);
        }
    }

    /** Commits and waits: the last commit, when stopping. */
    Committer.Result commitNow() throws InterruptedException {
        return committer.commitNow(this);
    }

    /** Commits and waits, before partitions are given up. */
    void commitBeforeHandOver() throws InterruptedException {
        committer.commitBeforeHandOver(this);
    }

    /** Partitions were lost: nothing sent for them since the last commit may become visible. */
    void partitionsLost() throws InterruptedException {
        committer.partitionsLost(this);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        inFlight.collect();
        return owned.committable();
    }

    @Override
    public void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
        owned.committed(committed);
    }

    /**
     * After an abort: cancels every order under way (their results went with the transaction,
     * and none may be sent into the next one), forgets what was fetched, and seeks every
     * partition back to its committed offset, so the next poll starts over there instead of
     * after the aborted batch. Called by the committer with the transaction gate shut.
     */
    @Override
    public void discarded() {
        inFlight.discardAll();
        owned.discardAll();
        pressure.clearWaiting();
        Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
        // Partitions still waiting for their group commit hold nothing yet and start there anyway.
        assigned.removeAll(owned.awaitingCommit());
        owned.readopt(consumer, assigned);
        log.warn("rewound partitions {} to their committed offsets", assigned);
    }
}
