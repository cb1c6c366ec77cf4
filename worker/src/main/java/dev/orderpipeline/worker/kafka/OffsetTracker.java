package dev.orderpipeline.worker.kafka;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition are still being worked on, and so which offset is safe to
 * commit: the lowest one not finished yet. Orders finish out of order; committing past an
 * unfinished one would lose it on a crash.
 *
 * <p>Confined to the poll thread: not thread-safe, and needs not be.
 */
final class OffsetTracker {

    private static final class PartitionState {
        final TreeSet<Long> pending = new TreeSet<>();
        /** One past the highest offset handed out; what to commit once nothing is pending. */
        long next = -1;
        /** The last offset committed, or -1; avoids committing the same offset again. */
        long committed = -1;

        long committable() {
            return pending.isEmpty() ? next : pending.first();
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

    /** {@code offset} of {@code partition} is now being worked on. */
    void started(TopicPartition partition, long offset) {
        PartitionState state = partitions.computeIfAbsent(partition, p -> new PartitionState());
        state.pending.add(offset);
        state.next = Math.max(state.next, offset + 1);
    }

    /** {@code offset} of {@code partition} is finished: its outcome is on the broker. */
    void finished(TopicPartition partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.pending.remove(offset);
        }
    }

    /** Offsets started and not finished, over all partitions. */
    int pending() {
        int pending = 0;
        for (PartitionState state : partitions.values()) {
            pending += state.pending.size();
        }
        return pending;
    }

    /** Offsets started and not finished in {@code partition}. */
    int pending(TopicPartition partition) {
        PartitionState state = partitions.get(partition);
        return state == null ? 0 : state.pending.size();
    }

    /** For each partition whose safe offset moved since the last commit: the offset to commit. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, state) -> {
            long offset = state.committable();
            if (offset > state.committed) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    /** The broker confirmed these commits. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionState state = partitions.get(partition);
            if (state != null) {
                state.committed = Math.max(state.committed, offset.offset());
            }
        });
    }

    /** Forgets partitions this worker no longer owns. */
    void forget(Iterable<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            partitions.remove(partition);
        }
    }

    /** Keeps only the entries of {@code offsets} for partitions still tracked. */
    Map<TopicPartition, OffsetAndMetadata> onlyTracked(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> kept = new HashMap<>(offsets);
        for (Iterator<TopicPartition> it = kept.keySet().iterator(); it.hasNext(); ) {
            if (!partitions.containsKey(it.next())) {
                it.remove();
            }
        }
        return kept;
    }
}
