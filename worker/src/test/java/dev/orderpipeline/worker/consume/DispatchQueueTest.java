package dev.orderpipeline.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.Ordering;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DispatchQueueTest {

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key) {
        return new ConsumerRecord<>("orders", partition, offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                new byte[0]);
    }

    private static List<Long> drain(DispatchQueue queue) {
        List<Long> started = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r; (r = queue.next()) != null; ) {
            started.add(r.offset());
        }
        return started;
    }

    @Test
    void keyOrdering_runsDifferentKeysAtOnce_andTheSameKeyOneAfterTheOther() {
        DispatchQueue queue = new DispatchQueue(Ordering.KEY);
        ConsumerRecord<byte[], byte[]> a0 = record(0, 0, "a");
        queue.add(a0);
        queue.add(record(0, 1, "b"));
        queue.add(record(0, 2, "a"));
        queue.add(record(0, 3, "c"));

        assertEquals(List.of(0L, 1L, 3L), drain(queue), "first a, b and c may start; the second a waits");
        assertEquals(1, queue.waiting());
        queue.finished(a0);
        assertEquals(List.of(2L), drain(queue), "the second a starts once the first is done");
        assertEquals(0, queue.waiting());
    }

    @Test
    void partitionOrdering_runsOneRecordPerPartition() {
        DispatchQueue queue = new DispatchQueue(Ordering.PARTITION);
        ConsumerRecord<byte[], byte[]> p0 = record(0, 10, "a");
        queue.add(p0);
        queue.add(record(0, 11, "b"));
        queue.add(record(1, 20, "c"));

        assertEquals(List.of(10L, 20L), drain(queue));
        queue.finished(p0);
        assertEquals(List.of(11L), drain(queue));
    }

    @Test
    void unordered_startsEverything() {
        DispatchQueue queue = new DispatchQueue(Ordering.UNORDERED);
        for (long offset = 0; offset < 5; offset++) {
            queue.add(record(0, offset, "same"));
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), drain(queue));
    }

    @Test
    void revokedPartitions_dropTheirWaitingRecords_andLateFinishesAreIgnored() {
        DispatchQueue queue = new DispatchQueue(Ordering.KEY);
        ConsumerRecord<byte[], byte[]> running = record(0, 0, "a");
        queue.add(running);
        queue.add(record(0, 1, "a"));
        queue.add(record(1, 5, "b"));
        assertEquals(List.of(0L, 5L), drain(queue));

        queue.removePartitions(List.of(new TopicPartition("orders", 0)));
        assertEquals(0, queue.waiting());
        queue.finished(running);
        assertNull(queue.next(), "a record of a revoked partition started");
    }

    /** Random interleavings: one record per lane at a time, lanes in offset order, nothing lost. */
    @RepeatedTest(50)
    void randomInterleavings_keepEveryKeyInOrder_andLoseNothing(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        DispatchQueue queue = new DispatchQueue(Ordering.KEY);
        Map<String, Long> lastStarted = new HashMap<>();
        Set<String> runningKeys = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> running = new ArrayList<>();
        long nextOffset = 0;
        int added = 0;
        int done = 0;
        for (int step = 0; step < 2_000; step++) {
            int action = random.nextInt(3);
            if (action == 0 && added < 500) {
                queue.add(record(0, nextOffset++, "k" + random.nextInt(8)));
                added++;
            } else if (action == 1) {
                ConsumerRecord<byte[], byte[]> r = queue.next();
                if (r != null) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    assertTrue(runningKeys.add(key), () -> "two records of key " + key + " at once");
                    long previous = lastStarted.getOrDefault(key, -1L);
                    assertTrue(r.offset() > previous, () -> "key " + key + " went back from " + previous + " to " + r.offset());
                    lastStarted.put(key, r.offset());
                    running.add(r);
                }
            } else if (!running.isEmpty()) {
                ConsumerRecord<byte[], byte[]> r = running.remove(random.nextInt(running.size()));
                runningKeys.remove(new String(r.key(), StandardCharsets.UTF_8));
                queue.finished(r);
                done++;
            }
        }
        // Finish everything left.
        while (true) {
            for (ConsumerRecord<byte[], byte[]> r; (r = queue.next()) != null; ) {
                running.add(r);
            }
            if (running.isEmpty()) {
                break;
            }
            queue.finished(running.removeFirst());
            done++;
        }
        assertEquals(added, done, "records lost or doubled");
        assertEquals(0, queue.waiting());
    }

    /**
     * A record at or beyond its partition's start limit waits (and counts as waiting) until a
     * finish moves the limit; other partitions are not held back.
     */
    @Test
    void recordsBeyondTheStartLimit_waitUntilTheLimitMoves() {
        long[] limit = {2};
        DispatchQueue queue = new DispatchQueue(Ordering.UNORDERED, p -> p.partition() == 0 ? limit[0] : Long.MAX_VALUE);
        ConsumerRecord<byte[], byte[]> slow = record(0, 0, "a");
        queue.add(slow);
        queue.add(record(0, 1, "b"));
        queue.add(record(0, 2, "c"));
        queue.add(record(0, 3, "d"));
        queue.add(record(1, 50, "e"));

        assertEquals(List.of(0L, 1L, 50L), drain(queue), "partition 0 starts below its limit only; partition 1 is free");
        assertEquals(2, queue.waiting(), "held records still count as waiting");
        assertEquals(Set.of(new TopicPartition("orders", 0)), queue.heldPartitions());

        limit[0] = 3;
        queue.finished(slow);
        assertEquals(List.of(2L), drain(queue), "the finish moved the limit by one");
        assertEquals(1, queue.waiting());
        limit[0] = Long.MAX_VALUE;
        queue.finished(record(0, 1, "b"));
        assertEquals(List.of(3L), drain(queue));
        assertTrue(queue.heldPartitions().isEmpty(), "nothing held any more");
    }

    @Test
    void revokedPartitions_dropTheirHeldRecords() {
        DispatchQueue queue = new DispatchQueue(Ordering.KEY, p -> 1);
        queue.add(record(0, 0, "a"));
        queue.add(record(0, 1, "b"));
        assertEquals(List.of(0L), drain(queue));
        queue.removePartitions(List.of(new TopicPartition("orders", 0)));
        assertEquals(0, queue.waiting());
        assertTrue(queue.heldPartitions().isEmpty());
    }

    /**
     * Random interleavings with a window of 16 above the lowest unfinished offset: no record
     * starts at or beyond it, every key stays in order, and nothing is lost or stuck.
     */
    @RepeatedTest(50)
    void randomInterleavings_neverStartBeyondTheWindow(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        java.util.TreeSet<Long> unfinished = new java.util.TreeSet<>();
        int window = 16;
        DispatchQueue queue = new DispatchQueue(Ordering.KEY,
                p -> unfinished.isEmpty() ? Long.MAX_VALUE : unfinished.first() + window);
        Map<String, Long> lastStarted = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> running = new ArrayList<>();
        long nextOffset = 0;
        int done = 0;
        for (int step = 0; step < 3_000; step++) {
            int action = random.nextInt(3);
            if (action == 0 && nextOffset < 600) {
                unfinished.add(nextOffset);
                queue.add(record(0, nextOffset++, "k" + random.nextInt(8)));
            } else if (action == 1) {
                ConsumerRecord<byte[], byte[]> r = queue.next();
                if (r != null) {
                    long low = unfinished.first();
                    assertTrue(r.offset() < low + window, () -> r.offset() + " started, lowest unfinished " + low);
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    assertTrue(r.offset() > lastStarted.getOrDefault(key, -1L), () -> "key " + key + " out of order");
                    lastStarted.put(key, r.offset());
                    running.add(r);
                }
            } else if (!running.isEmpty()) {
                ConsumerRecord<byte[], byte[]> r = running.remove(random.nextInt(running.size()));
                unfinished.remove(r.offset());
                queue.finished(r);
                done++;
            }
        }
        while (true) {
            for (ConsumerRecord<byte[], byte[]> r; (r = queue.next()) != null; ) {
                running.add(r);
            }
            if (running.isEmpty()) {
                break;
            }
            ConsumerRecord<byte[], byte[]> r = running.removeFirst();
            unfinished.remove(r.offset());
            queue.finished(r);
            done++;
        }
        assertEquals(nextOffset, done, "records lost or stuck");
        assertEquals(0, queue.waiting());
    }
}
