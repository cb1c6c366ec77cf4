package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.config.Ordering;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Records fetched and not started yet, and which of them may start now under the
 * {@link Ordering}: records are put in lanes (one per key, per partition, or per record), and
 * a lane runs one record at a time, in offset order.
 *
 * <p>A record may also start only below its partition's {@link StartLimit} (the window that
 * keeps the commit metadata within its size, see {@link OffsetTracker#startLimit}). A lane
 * whose next record is beyond it is <em>held</em>, still counted as waiting, until a record
 * of its partition finishes and moves the limit.
 *
 * <p>Confined to the poll thread: not thread-safe, and needs not be.
 */
final class DispatchQueue {

    /** A lane: records that must run one after the other. */
    private record LaneKey(TopicPartition partition, Object key) {
    }

    private static final class Lane {
        final LaneKey key;
        final Queue<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
        boolean busy;

        Lane(LaneKey key) {
            this.key = key;
        }
    }

    /** Where records of a partition stop being allowed to start. */
    @FunctionalInterface
    interface StartLimit {
        /** The offset of {@code partition} at and above which no record may start now. */
        long of(TopicPartition partition);
    }

    private static final Comparator<Lane> BY_NEXT_OFFSET = Comparator.comparingLong(lane -> lane.waiting.element().offset());

    private final Ordering ordering;
    private final StartLimit limit;
    private final TopicPartitions topicPartitions = new TopicPartitions();
    private final Map<LaneKey, Lane> lanes = new HashMap<>();
    /** Lanes that are not busy and have a record waiting, oldest first. */
    private final Queue<Lane> ready = new ArrayDeque<>();
    /** Lanes not busy whose next record is beyond its partition's limit, lowest first. */
    private final Map<TopicPartition, PriorityQueue<Lane>> held = new HashMap<>();
    private int waiting;

    /** Without a start limit. */
    DispatchQueue(Ordering ordering) {
        this(ordering, partition -> Long.MAX_VALUE);
    }

    DispatchQueue(Ordering ordering, StartLimit limit) {
        this.ordering = Objects.requireNonNull(ordering, "ordering");
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    /** Queues {@code record} behind the earlier records of its lane. */
    void add(ConsumerRecord<byte[], byte[]> record) {
        LaneKey key = laneOf(record);
        Lane lane = lanes.computeIfAbsent(key, Lane::new);
        boolean wasIdle = !lane.busy && lane.waiting.isEmpty();
        lane.waiting.add(record);
        waiting++;
        if (wasIdle) {
            ready.add(lane);
        }
    }

    /**
     * The next record that may start now, marking its lane busy until {@link #finished}; or
     * {@code null} if every waiting record is behind a running one.
     */
    ConsumerRecord<byte[], byte[]> next() {
        for (Lane lane; (lane = ready.poll()) != null; ) {
            TopicPartition partition = lane.key.partition();
            if (lane.waiting.element().offset() >= limit.of(partition)) {
                held.computeIfAbsent(partition, p -> new PriorityQueue<>(BY_NEXT_OFFSET)).add(lane);
                continue;
            }
            lane.busy = true;
            waiting--;
            return lane.waiting.poll();
        }
        return null;
    }

    /** {@code record}, returned by {@link #next}, is done: the next record of its lane may start. */
    void finished(ConsumerRecord<byte[], byte[]> record) {
        Lane lane = lanes.get(laneOf(record));
        if (lane == null || !lane.busy) {
            return; // its partition was revoked meanwhile
        }
        lane.busy = false;
        if (lane.waiting.isEmpty()) {
            lanes.remove(lane.key);
        } else {
            ready.add(lane);
        }
        release(lane.key.partition());
    }

    /** Partitions with records held beyond their start limit: fetching more of them only adds to the wait. */
    Set<TopicPartition> heldPartitions() {
        return held.keySet();
    }

    /** Moves the held lanes of {@code partition} that are now below its limit back to ready. */
    private void release(TopicPartition partition) {
        PriorityQueue<Lane> lanesHeld = held.get(partition);
        if (lanesHeld == null) {
            return;
        }
        long below = limit.of(partition);
        while (!lanesHeld.isEmpty() && lanesHeld.peek().waiting.element().offset() < below) {
            ready.add(lanesHeld.poll());
        }
        if (lanesHeld.isEmpty()) {
            held.remove(partition);
        }
    }

    /** Records waiting to start. */
    int waiting() {
        return waiting;
    }

    /** Drops the waiting records of {@code partitions}; they were never started, so never committed. */
    void removePartitions(Collection<TopicPartition> partitions) {
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (partitions.contains(lane.key.partition())) {
                waiting -= lane.waiting.size();
                it.remove();
            }
        }
        ready.removeIf(lane -> partitions.contains(lane.key.partition()));
        held.keySet().removeAll(partitions);
    }

    /** Drops every waiting record. */
    void clear() {
        lanes.clear();
        ready.clear();
        held.clear();
        waiting = 0;
    }

    private LaneKey laneOf(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = topicPartitions.of(record);
        return switch (ordering) {
            // A null key has no lane of its own: it shares one with the other null keys of its partition.
            case KEY -> new LaneKey(partition, record.key() == null ? null : ByteBuffer.wrap(record.key()));
            case PARTITION -> new LaneKey(partition, null);
            case UNORDERED -> new LaneKey(partition, record.offset());
        };
    }
}
