package dev.orderpipeline.worker.offsets;

import dev.orderpipeline.worker.observe.CommitLag;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the poll thread keeps for each partition it owns: which offsets are finished (the
 * {@link OffsetTracker}), the {@link PartitionLease} its order threads publish under, how many
 * of its records are running, and its commit lag gauge. Taking a partition up, giving it up,
 * and throwing everything away after an aborted transaction touch all four, here in one place.
 *
 * <p>Confined to the poll thread: not thread-safe, and needs not be.
 */
public final class OwnedPartitions {

    private static final Logger log = LoggerFactory.getLogger(OwnedPartitions.class);
    /** How soon partitions whose commit could not be read are asked for again. */
    static final Duration REREAD = Duration.ofMillis(100);

    private final WorkerMetrics metrics;
    private final OffsetTracker offsets;
    private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
    /** Records started and not reported back, per partition. */
    private final Map<TopicPartition, Integer> running = new HashMap<>();
    private final Map<TopicPartition, CommitLag> lags = new HashMap<>();
    /** Assigned, and not taken up yet: their group commit could not be read. Kept paused. */
    private final Set<TopicPartition> awaitingCommit = new HashSet<>();
    private final GroupCommits groupCommits;
    /** The read of {@link #awaitingCommit}'s commits under way, if any. */
    private CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> reading;
    private Instant nextRead = Instant.MIN;

    public OwnedPartitions(WorkerMetrics metrics, GroupCommits groupCommits) {
        this.metrics = metrics;
        this.groupCommits = groupCommits;
        this.offsets = new OffsetTracker(metrics::commitMetadataTruncated);
    }

    /**
     * {@code partitions} were assigned: they are taken up by {@link #adoptAssigned} once their
     * group commit can be read. Until then the caller keeps them paused.
     */
    public void assigned(Collection<TopicPartition> partitions) {
        awaitingCommit.addAll(partitions);
        dropReadUnderWay();
    }

    /** Assigned partitions not taken up yet; see {@link #assigned}. */
    public Set<TopicPartition> awaitingCommit() {
        return awaitingCommit;
    }

    /**
     * Takes up the assigned partitions whose group commit can be read now, and seeks the
     * consumer to it. Never waits: the commits are asked of {@link GroupCommits} and the answer
     * is taken on a later call; partitions it left out are asked again after {@link #REREAD}.
     *
     * <p>In exactly-once mode the group commit of a partition whose previous owner was killed
     * inside its commit cannot be read until the broker aborts that transaction, seconds later
     * (see {@link GroupCommits}). Such a partition waits alone, paused by the caller; the seek
     * takes the others out of the consumer's own wait for every partition it has no position
     * for.
     *
     * @return the partitions taken up now
     */
    public Set<TopicPartition> adoptAssigned(Consumer<?, ?> consumer, Instant now) {
        if (awaitingCommit.isEmpty()) {
            return Set.of();
        }
        if (reading == null) {
            if (now.isBefore(nextRead)) {
                return Set.of();
            }
            reading = groupCommits.read(new HashSet<>(awaitingCommit));
        }
        if (!reading.isDone()) {
            return Set.of();
        }
        Map<TopicPartition, OffsetAndMetadata> readable = Map.of();
        if (reading.state() == Future.State.SUCCESS) {
            readable = reading.resultNow();
        } else {
            log.debug("reading the group's commits failed, asking again: {}", String.valueOf(reading.exceptionNow()));
        }
        reading = null;
        nextRead = now.plus(REREAD);
        Set<TopicPartition> adopted = new HashSet<>(awaitingCommit);
        adopted.retainAll(readable.keySet());
        awaitingCommit.removeAll(adopted);
        adopt(adopted, readable);
        for (TopicPartition partition : adopted) {
            groupCommits.seekToStart(consumer, partition, readable.get(partition));
        }
        return adopted;
    }

    /**
     * Takes the partitions already taken up over again from their group commit (after an
     * aborted transaction), and seeks the consumer back to it; waits for it as long as the
     * consumer's API timeout. The transaction that held it was this worker's own, and is
     * aborted by now.
     */
    public void readopt(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<TopicPartition> taken = new HashSet<>(partitions);
        taken.removeAll(awaitingCommit);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(taken);
        adopt(taken, committed);
        for (TopicPartition partition : taken) {
            groupCommits.seekToStart(consumer, partition, committed.get(partition));
        }
    }

    /**
     * Takes {@code partitions} up from their group commit: the offsets finished above it (read
     * from its metadata, so they are skipped), a new lease, a new lag gauge.
     */
    private void adopt(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            offsets.assigned(partition, commit);
            leases.put(partition, new PartitionLease());
            closeLag(partition);
            lags.put(partition, metrics.commitLag(partition.topic(), partition.partition(),
                    commit == null ? -1 : commit.offset()));
        }
    }

    /**
     * A record was fetched: it is unfinished until reported back, unless an earlier owner
     * finished it already.
     *
     * @return whether an earlier owner finished it; it then counts as finished, and is skipped
     */
    public boolean taken(TopicPartition partition, long offset) {
        offsets.taken(partition, offset);
        CommitLag lag = lags.get(partition);
        if (lag != null) {
            lag.fetched(offset);
        }
        if (offsets.finishedEarlier(partition, offset)) {
            offsets.finished(partition, offset);
            return true;
        }
        return false;
    }

    /** The offset of {@code partition} at and above which no record may start yet; see {@link OffsetTracker#startLimit}. */
    public long startLimit(TopicPartition partition) {
        return offsets.startLimit(partition);
    }

    /** A record of {@code partition} starts; its order thread publishes under the returned lease. */
    public PartitionLease started(TopicPartition partition) {
        running.merge(partition, 1, Integer::sum);
        return leases.computeIfAbsent(partition, p -> new PartitionLease());
    }

    /** A started record was reported back; finished if its result is on the broker. */
    public void ended(TopicPartition partition, long offset, boolean published) {
        if (published) {
            offsets.finished(partition, offset);
        }
        running.computeIfPresent(partition, (p, n) -> n > 1 ? n - 1 : null);
    }

    /** Records started and not reported back, in {@code partitions}. */
    public int running(Collection<TopicPartition> partitions) {
        int count = 0;
        for (TopicPartition partition : partitions) {
            count += running.getOrDefault(partition, 0);
        }
        return count;
    }

    public boolean anyRunning() {
        return !running.isEmpty();
    }

    public Map<TopicPartition, OffsetAndMetadata> committable() {
        return offsets.committable();
    }

    /** The group has these commits now. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
        offsets.committed(committed);
        committed.forEach((partition, offset) -> {
            CommitLag lag = lags.get(partition);
            if (lag != null) {
                lag.committed(offset.offset());
            }
        });
    }

    /**
     * Ends the leases of {@code partitions}: no result of theirs is published from now on;
     * waits up to {@code grace} for publishes under way, then interrupts their running orders.
     */
    public void revokeLeases(Collection<TopicPartition> partitions, Duration grace) throws InterruptedException {
        for (TopicPartition partition : partitions) {
            PartitionLease lease = leases.remove(partition);
            if (lease != null && !lease.revoke(grace)) {
                log.warn("a publish for revoked partition {} did not finish within {} s", partition, grace.toSeconds());
            }
        }
    }

    /** Every partition's lease, as {@link #revokeLeases} does. */
    public void revokeAllLeases(Duration grace) throws InterruptedException {
        revokeLeases(new HashSet<>(leases.keySet()), grace);
    }

    /** Forgets {@code partitions}: given up, or lost. */
    public void forget(Collection<TopicPartition> partitions) {
        awaitingCommit.removeAll(partitions);
        dropReadUnderWay();
        offsets.forget(partitions);
        for (TopicPartition partition : partitions) {
            closeLag(partition);
            running.remove(partition);
            leases.remove(partition);
        }
    }

    /**
     * After an aborted transaction: cancels every order under way and forgets the running
     * counts; {@link #readopt} starts the partitions over. Called with the transaction gate shut,
     * so no publish is under way and revoking waits for nothing.
     */
    public void discardAll() {
        try {
            revokeAllLeases(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
    }

    /** The poll loop has ended: the lag gauges go. */
    public void close() {
        lags.values().forEach(CommitLag::close);
        lags.clear();
    }

    /**
     * Ownership changed: an answer to the read under way may predate it. A partition revoked and
     * assigned back while the read was out may since have been worked on and committed further by
     * another owner; starting from the older answer would redo what that owner published. The
     * next {@link #adoptAssigned} asks again at once.
     */
    private void dropReadUnderWay() {
        if (reading != null) {
            reading.cancel(false);
            reading = null;
        }
        nextRead = Instant.MIN;
    }

    private void closeLag(TopicPartition partition) {
        CommitLag lag = lags.remove(partition);
        if (lag != null) {
            lag.close();
        }
    }
}
