package dev.orderpipeline.worker.kafka;

import dev.orderpipeline.worker.observe.CommitLag;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
final class OwnedPartitions {

    private static final Logger log = LoggerFactory.getLogger(OwnedPartitions.class);

    private final WorkerMetrics metrics;
    private final OffsetTracker offsets;
    private final Map<TopicPartition, PartitionLease> leases = new HashMap<>();
    /** Records started and not reported back, per partition. */
    private final Map<TopicPartition, Integer> running = new HashMap<>();
    private final Map<TopicPartition, CommitLag> lags = new HashMap<>();

    OwnedPartitions(WorkerMetrics metrics) {
        this.metrics = metrics;
        this.offsets = new OffsetTracker(metrics::commitMetadataTruncated);
    }

    /**
     * Takes {@code partitions} up from their group commit: the offsets finished above it (read
     * from its metadata, so they are skipped), a new lease, a new lag gauge. With read_committed,
     * a commit still inside an open transaction is waited for (KIP-447).
     *
     * @return the group's commits, for those partitions that have one
     */
    Map<TopicPartition, OffsetAndMetadata> adopt(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            offsets.assigned(partition, commit);
            leases.put(partition, new PartitionLease());
            closeLag(partition);
            lags.put(partition, metrics.commitLag(partition.topic(), partition.partition(),
                    commit == null ? -1 : commit.offset()));
        }
        return committed;
    }

    /**
     * A record was fetched: it is unfinished until reported back, unless an earlier owner
     * finished it already.
     *
     * @return whether an earlier owner finished it; it then counts as finished, and is skipped
     */
    boolean taken(TopicPartition partition, long offset) {
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
    long startLimit(TopicPartition partition) {
        return offsets.startLimit(partition);
    }

    /** A record of {@code partition} starts; its order thread publishes under the returned lease. */
    PartitionLease started(TopicPartition partition) {
        running.merge(partition, 1, Integer::sum);
        return leases.computeIfAbsent(partition, p -> new PartitionLease());
    }

    /** A started record was reported back; finished if its result is on the broker. */
    void ended(TopicPartition partition, long offset, boolean published) {
        if (published) {
            offsets.finished(partition, offset);
        }
        running.computeIfPresent(partition, (p, n) -> n > 1 ? n - 1 : null);
    }

    /** Records started and not reported back, in {@code partitions}. */
    int running(Collection<TopicPartition> partitions) {
        int count = 0;
        for (TopicPartition partition : partitions) {
            count += running.getOrDefault(partition, 0);
        }
        return count;
    }

    boolean anyRunning() {
        return !running.isEmpty();
    }

    Map<TopicPartition, OffsetAndMetadata> committable() {
        return offsets.committable();
    }

    /** The group has these commits now. */
    void committed(Map<TopicPartition, OffsetAndMetadata> committed) {
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
    void revokeLeases(Collection<TopicPartition> partitions, Duration grace) throws InterruptedException {
        for (TopicPartition partition : partitions) {
            PartitionLease lease = leases.remove(partition);
            if (lease != null && !lease.revoke(grace)) {
                log.warn("a publish for revoked partition {} did not finish within {} s", partition, grace.toSeconds());
            }
        }
    }

    /** Every partition's lease, as {@link #revokeLeases} does. */
    void revokeAllLeases(Duration grace) throws InterruptedException {
        revokeLeases(new HashSet<>(leases.keySet()), grace);
    }

    /** Forgets {@code partitions}: given up, or lost. */
    void forget(Collection<TopicPartition> partitions) {
        offsets.forget(partitions);
        for (TopicPartition partition : partitions) {
            closeLag(partition);
            running.remove(partition);
            leases.remove(partition);
        }
    }

    /**
     * After an aborted transaction: cancels every order under way and forgets the running
     * counts; {@link #adopt} starts the partitions over. Called with the transaction gate shut,
     * so no publish is under way and revoking waits for nothing.
     */
    void discardAll() {
        try {
            revokeAllLeases(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
    }

    /** The poll loop has ended: the lag gauges go. */
    void close() {
        lags.values().forEach(CommitLag::close);
        lags.clear();
    }

    private void closeLag(TopicPartition partition) {
        CommitLag lag = lags.remove(partition);
        if (lag != null) {
            lag.close();
        }
    }
}
