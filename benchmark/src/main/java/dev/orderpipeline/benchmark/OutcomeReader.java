package dev.orderpipeline.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a results topic from its beginning on its own thread and keeps what the report needs:
 * backlog outcomes (count, first and last record timestamp, receivedAt/completedAt stamps) and
 * latency-phase outcomes (a histogram of record timestamp minus intended send time).
 *
 * <p>Record timestamps are the producer's CreateTime, stamped when the worker (or raw pipe) sent
 * the outcome, so they do not depend on how fast this reader runs. Outcomes are read
 * {@code read_committed}: an exactly-once worker's outcomes count once their transaction commits,
 * and their latency ends when this reader sees them, since that is when they become visible.
 */
final class OutcomeReader implements AutoCloseable {

    /** Called on the reader thread when the backlog's first outcome and its last arrive. */
    interface Milestones {
        void first();

        void last();
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final long backlog;
    private final boolean parseStamps;
    private final boolean transactional;
    private final Milestones milestones;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();

    // Written by the reader thread, read by others under this object's lock.
    private long backlogSeen;
    private long firstTs = Long.MAX_VALUE;
    private long lastTs = Long.MIN_VALUE;
    private long notSucceeded;
    private long latencySeen;
    private long[] timestamps = new long[1024];
    private long[] starts = new long[1024];
    private long[] ends = new long[1024];
    private int stamped;
    private final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    private volatile RuntimeException failure;

    OutcomeReader(String bootstrap, String topic, int partitions, long backlog, boolean parseStamps,
                  boolean transactional, Milestones milestones) {
        this.backlog = backlog;
        this.parseStamps = parseStamps;
        this.transactional = transactional;
        this.milestones = milestones;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        // Assigned, not subscribed: no group, no rebalance, and nothing written before us is missed.
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = Thread.ofPlatform().name("outcome-reader").daemon().start(this::run);
    }

    private void run() {
        try {
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    take(r);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void take(ConsumerRecord<String, byte[]> r) {
        long intended = r.key() == null ? -1 : Orders.intendedMicros(r.key());
        boolean first = false;
        boolean last = false;
        synchronized (this) {
            if (intended >= 0) {
                latencySeen++;
                long end = transactional ? Math.max(r.timestamp() * 1_000, micros(Instant.now())) : r.timestamp() * 1_000;
                latencyMicros.recordValue(Math.clamp(end - intended, 0, 60_000_000L));
                return;
            }
            if (backlogSeen == timestamps.length) {
                timestamps = java.util.Arrays.copyOf(timestamps, timestamps.length * 2);
            }
            timestamps[(int) backlogSeen] = r.timestamp();
            backlogSeen++;
            firstTs = Math.min(firstTs, r.timestamp());
            lastTs = Math.max(lastTs, r.timestamp());
            first = backlogSeen == 1;
            last = backlogSeen == backlog;
            if (parseStamps) {
                String json = new String(r.value(), StandardCharsets.UTF_8);
                if (!"succeeded".equals(field(json, "status"))) {
                    notSucceeded++;
                }
                String received = field(json, "receivedAt");
                String completed = field(json, "completedAt");
                if (received != null && completed != null) {
                    if (stamped == starts.length) {
                        starts = java.util.Arrays.copyOf(starts, stamped * 2);
                        ends = java.util.Arrays.copyOf(ends, stamped * 2);
                    }
                    starts[stamped] = micros(Instant.parse(received));
                    ends[stamped] = micros(Instant.parse(completed));
                    stamped++;
                }
            }
        }
        if (first) {
            milestones.first();
        }
        if (last) {
            milestones.last();
        }
    }

    /** The first string value of {@code "name":"..."} in compact JSON; top-level fields come first. */
    static String field(String json, String name) {
        String marker = "\"" + name + "\":\"";
        int at = json.indexOf(marker);
        if (at < 0) {
            return null;
        }
        int from = at + marker.length();
        int to = json.indexOf('"', from);
        return to < 0 ? null : json.substring(from, to);
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /** Waits until {@code predicate} holds or {@code timeout} passes; true if it holds. */
    boolean await(java.util.function.BooleanSupplier predicate, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!predicate.getAsBoolean()) {
            if (failure != null) {
                throw new IllegalStateException("outcome reader failed: " + failure, failure);
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    synchronized long backlogSeen() {
        return backlogSeen;
    }

    synchronized long latencySeen() {
        return latencySeen;
    }

    synchronized long notSucceeded() {
        return notSucceeded;
    }

    /** Milliseconds from the first backlog outcome's timestamp to the last one's. */
    synchronized long backlogSpanMillis() {
        return backlogSeen == 0 ? 0 : lastTs - firstTs;
    }

    /** Orders/s over the backlog outcomes after the first {@code skip} share: without JIT warm-up. */
    synchronized double steadyPerSecond(double skip) {
        return Stats.rateAfter(timestamps, (int) backlogSeen, skip);
    }

    synchronized int maxRunning() {
        return parseStamps ? Stats.maxOverlap(starts, ends, stamped) : -1;
    }

    synchronized Histogram latency() {
        return latencyMicros.copy();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        consumer.wakeup();
        thread.join(10_000);
    }
}
