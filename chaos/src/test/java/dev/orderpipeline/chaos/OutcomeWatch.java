package dev.orderpipeline.chaos;

import dev.orderpipeline.contract.OrderCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Availability as a downstream reader sees it: a {@code read_committed} consumer of the results
 * topic that notes when each outcome became visible to it, per partition and by which worker.
 * Gaps are measured from those moments, not from anything a worker reports about itself. The
 * results topic has as many partitions as the orders topic and outcomes are keyed by order id,
 * so results partition {@code p} answers orders partition {@code p}.
 *
 * <p>Thread: the watch's own thread owns the consumer; the queries run on any thread and read
 * what it has noted so far (guarded by {@code this}). Times are milliseconds since the watch
 * started ({@link #now()}).
 */
final class OutcomeWatch implements AutoCloseable {

    /** One outcome as the reader received it. */
    private record Seen(long atMs, int partition, String workerId) {
    }

    private final long startNanos = System.nanoTime();
    private final int partitions;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Thread thread;
    private final OrderCodec codec = new OrderCodec();
    // Appended by the watch thread in time order; read under this lock by the queries.
    private final List<Seen> seen = new ArrayList<>();
    private volatile boolean closed;

    private OutcomeWatch(ChaosTopics topics) {
        this.partitions = topics.partitions;
        this.reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topics.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                // What a downstream reader of an exactly-once worker sees: committed outcomes only.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> assigned = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topics.results, p));
        }
        reader.assign(assigned);
        reader.seekToBeginning(assigned);
        this.thread = Thread.ofPlatform().name("outcome-watch").daemon().unstarted(this::read);
    }

    static OutcomeWatch start(ChaosTopics topics) {
        OutcomeWatch watch = new OutcomeWatch(topics);
        watch.thread.start();
        return watch;
    }

    private void read() {
        try {
            while (!closed) {
                var records = reader.poll(Duration.ofMillis(20));
                long at = now();
                List<Seen> batch = new ArrayList<>(records.count());
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    batch.add(new Seen(at, r.partition(), codec.decodeOutcome(r.value()).workerId()));
                }
                synchronized (this) {
                    seen.addAll(batch);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } finally {
            reader.close(Duration.ZERO);
        }
    }

    /** Milliseconds since the watch started. */
    long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Every partition number of the topics. */
    Set<Integer> allPartitions() {
        Set<Integer> all = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        return all;
    }

    /**
     * The longest time without any outcome on any of {@code partitions}, among the silences that
     * began within {@code [fromMs, toMs]}; a silence that has not ended yet counts up to now.
     */
    synchronized long longestGap(Collection<Integer> partitions, long fromMs, long toMs) {
        long previous = fromMs;
        long longest = 0;
        for (Seen s : seen) {
            if (!partitions.contains(s.partition()) || s.atMs() <= fromMs) {
                continue;
            }
            if (previous >= toMs) {
                return longest;
            }
            longest = Math.max(longest, s.atMs() - previous);
            previous = s.atMs();
        }
        return previous < toMs ? Math.max(longest, now() - previous) : longest;
    }

    /** The longest {@link #longestGap} of any single partition of {@code partitions}. */
    long longestPartitionGap(Collection<Integer> partitions, long fromMs, long toMs) {
        long longest = 0;
        for (int p : partitions) {
            longest = Math.max(longest, longestGap(Set.of(p), fromMs, toMs));
        }
        return longest;
    }

    /** Partitions whose last outcome before {@code beforeMs} came from {@code workerId}. */
    synchronized Set<Integer> partitionsLastAnsweredBy(String workerId, long beforeMs) {
        Map<Integer, String> last = new java.util.HashMap<>();
        for (Seen s : seen) {
            if (s.atMs() < beforeMs) {
                last.put(s.partition(), s.workerId());
            }
        }
        Set<Integer> owned = new HashSet<>();
        last.forEach((p, worker) -> {
            if (worker.equals(workerId)) {
                owned.add(p);
            }
        });
        return owned;
    }

    /** Partitions with an outcome from {@code workerId} at or after {@code fromMs}. */
    synchronized Set<Integer> partitionsAnsweredBy(String workerId, long fromMs) {
        Set<Integer> answered = new HashSet<>();
        for (Seen s : seen) {
            if (s.atMs() >= fromMs && s.workerId().equals(workerId)) {
                answered.add(s.partition());
            }
        }
        return answered;
    }

    /**
     * How long after {@code afterMs} the slowest of {@code partitions} had an outcome again;
     * empty while one of them has none yet.
     */
    synchronized OptionalLong resumedWithin(Collection<Integer> partitions, long afterMs) {
        Set<Integer> pending = new HashSet<>(partitions);
        long last = afterMs;
        for (Seen s : seen) {
            if (s.atMs() > afterMs && pending.remove(s.partition())) {
                last = s.atMs();
                if (pending.isEmpty()) {
                    break;
                }
            }
        }
        return pending.isEmpty() ? OptionalLong.of(last - afterMs) : OptionalLong.empty();
    }

    /** How long after {@code afterMs} the first outcome from {@code workerId} arrived; empty if none yet. */
    synchronized OptionalLong firstOutcomeFrom(String workerId, long afterMs) {
        for (Seen s : seen) {
            if (s.atMs() > afterMs && s.workerId().equals(workerId)) {
                return OptionalLong.of(s.atMs() - afterMs);
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        reader.wakeup();
        thread.join(Duration.ofSeconds(10));
    }
}
