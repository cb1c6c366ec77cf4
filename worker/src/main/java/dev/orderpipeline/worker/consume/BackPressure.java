package dev.orderpipeline.worker.consume;

import dev.orderpipeline.worker.guard.StartGate;
import dev.orderpipeline.worker.offsets.OwnedPartitions;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Starts waiting records while there is room, and pauses fetching while there is none, so
 * that memory stays bounded: at {@code maxInFlight} records running or waiting every partition
 * is paused; a partition whose records wait beyond its start window is paused alone, so that it
 * does not take the others' room. The services' breakers lower the limit through the
 * {@link StartGate} (to none while one is open, to its probes while half-open): then records
 * wait unstarted and fetching pauses, and the consumer keeps polling. Runs on the poll thread, which owns the consumer; only
 * {@link #waiting()} is read elsewhere.
 */
final class BackPressure {

    private final Consumer<byte[], byte[]> consumer;
    private final DispatchQueue queue;
    private final OwnedPartitions owned;
    private final InFlight inFlight;
    private final int maxInFlight;
    private final StartGate gate;

    // Poll thread only.
    private final Set<TopicPartition> pausedByUs = new HashSet<>();
    private boolean draining;

    // Written by the poll thread, read by metric scrapes.
    private volatile int waitingCount;

    BackPressure(Consumer<byte[], byte[]> consumer, DispatchQueue queue, OwnedPartitions owned, InFlight inFlight,
                 int maxInFlight, StartGate gate) {
        this.gate = gate;
        this.consumer = consumer;
        this.queue = queue;
        this.owned = owned;
        this.inFlight = inFlight;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Starts the waiting records that the ordering and the start window allow while there is
     * room; pauses fetching while running plus waiting records fill the limit, so memory stays
     * bounded even when one hot key holds many records back, and pauses a partition whose
     * records wait beyond its window, so that it does not take the others' room.
     */
    void dispatchWaiting() {
        int limit = gate.allowance(maxInFlight);
        while (inFlight.count() < limit) {
            ConsumerRecord<byte[], byte[]> record = queue.next();
            if (record == null) {
                break;
            }
            inFlight.start(record);
        }
        Set<TopicPartition> pause = inFlight.count() + queue.waiting() >= limit
                ? consumer.assignment() : queue.heldPartitions();
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
        waitingCount = queue.waiting();
    }

    /** Whether every assigned partition is paused by the limit: nothing can be fetched. */
    boolean atLimit() {
        return !pausedByUs.isEmpty() && pausedByUs.containsAll(consumer.assignment());
    }

    /** Partitions just taken up: {@link #dispatchWaiting} resumes them when there is room, unless draining. */
    void adopted(Set<TopicPartition> adopted) {
        if (!draining) {
            pausedByUs.addAll(adopted);
        }
    }

    /** Drops the waiting records of partitions being given up: never started, the next owner takes them. */
    void removeWaiting(Collection<TopicPartition> partitions) {
        queue.removePartitions(partitions);
    }

    /** Partitions given up: no longer paused by us. */
    void forget(Collection<TopicPartition> partitions) {
        pausedByUs.removeAll(partitions);
        waitingCount = queue.waiting();
    }

    /** Stopping: nothing more is fetched or started. Records waiting were never started: the next owner takes them. */
    void stop() {
        draining = true;
        clearWaiting();
        consumer.pause(consumer.assignment());
    }

    /** Forgets every waiting record: never started, so never committed. */
    void clearWaiting() {
        queue.clear();
        waitingCount = 0;
    }

    /** Records fetched and waiting to start, as of the last poll. Any thread. */
    int waiting() {
        return waitingCount;
    }
}
