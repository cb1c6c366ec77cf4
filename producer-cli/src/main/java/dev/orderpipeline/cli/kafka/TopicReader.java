package dev.orderpipeline.cli.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads every partition of some topics, from their beginning or their end, without a consumer
 * group. The caller polls it from one thread; {@link #wakeup} is the one call allowed from
 * another (a shutdown hook), and makes the current or next {@link #poll} return empty.
 */
public final class TopicReader implements AutoCloseable {

    /** Where reading starts. */
    public enum Start {
        /** Only records written after {@link #open} returns. */
        END,
        /** Everything the topics still hold. */
        BEGINNING
    }

    /** Which transactional records a reader returns. */
    public enum Isolation {
        /** Only records of committed transactions (and non-transactional ones), up to the last stable offset. */
        READ_COMMITTED,
        /** Every record up to the high watermark, aborted and still-open transactions included. */
        READ_UNCOMMITTED
    }

    private final Consumer<String, byte[]> consumer;
    private final KafkaConnection connection;
    // Fixed at open(): where "the end" was when reading started.
    private final Map<TopicPartition, Long> endOffsets;

    private TopicReader(Consumer<String, byte[]> consumer, KafkaConnection connection,
            Map<TopicPartition, Long> endOffsets) {
        this.consumer = consumer;
        this.connection = connection;
        this.endOffsets = endOffsets;
    }

    /**
     * Assigns every partition of the topics and fixes the start position and the end offsets.
     *
     * @param partitions the partition count of each topic (from {@link ClusterCheck})
     * @throws BrokerUnavailableException when the offsets cannot be fetched within the connect timeout
     */
    public static TopicReader open(KafkaConnection connection, Map<String, Integer> partitions, Start start)
            throws BrokerUnavailableException {
        return open(connection, partitions, start, Isolation.READ_COMMITTED);
    }

    /** {@link #open(KafkaConnection, Map, Start)}, reading with the given isolation level. */
    public static TopicReader open(KafkaConnection connection, Map<String, Integer> partitions, Start start,
            Isolation isolation) throws BrokerUnavailableException {
        List<TopicPartition> assignment = new ArrayList<>();
        partitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
        });
        Consumer<String, byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(KafkaClients.consumer(connection, isolation));
        } catch (KafkaException e) {
            throw new BrokerUnavailableException("cannot create a consumer for Kafka at "
                    + connection.bootstrapServers() + ": " + e.getMessage() + " (check --client-config)", e);
        }
        try {
            consumer.assign(assignment);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assignment, connection.connectTimeout());
            switch (start) {
                case END -> consumer.seekToEnd(assignment);
                case BEGINNING -> consumer.seekToBeginning(assignment);
            }
            // Seeking is lazy: position() fixes the offsets now, so nothing written later is missed.
            for (TopicPartition partition : assignment) {
                consumer.position(partition, connection.connectTimeout());
            }
            return new TopicReader(consumer, connection, Map.copyOf(ends));
        } catch (KafkaException e) {
            consumer.close();
            throw new BrokerUnavailableException("cannot read the offsets of " + partitions.keySet()
                    + " from Kafka at " + connection.bootstrapServers() + " within "
                    + connection.connectTimeoutText() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The records that arrive within {@code timeout}; empty after {@link #wakeup}.
     *
     * @throws BrokerUnavailableException when Kafka fails for good
     */
    public List<TopicRecord> poll(Duration timeout) throws BrokerUnavailableException {
        List<TopicRecord> records = new ArrayList<>();
        try {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
                List<TopicRecord.Header> headers = new ArrayList<>();
                r.headers().forEach(h -> headers.add(new TopicRecord.Header(h.key(), h.value())));
                records.add(new TopicRecord(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()),
                        r.key(), r.value(), headers));
            }
        } catch (WakeupException e) {
            // wakeup() asked us to stop; the caller knows why.
        } catch (KafkaException e) {
            throw new BrokerUnavailableException("reading " + endOffsets.keySet().stream().map(TopicPartition::topic)
                    .distinct().toList() + " from Kafka at " + connection.bootstrapServers() + " failed: "
                    + e.getMessage(), e);
        }
        return records;
    }

    /**
     * Everything from the current position up to the end offsets fixed at {@link #open}; records
     * written since are left out, so the read ends even while others keep writing.
     */
    public List<TopicRecord> readToEndOffsets(Duration pollTimeout) throws BrokerUnavailableException {
        List<TopicRecord> records = new ArrayList<>();
        while (!reachedEndOffsets()) {
            for (TopicRecord r : poll(pollTimeout)) {
                if (r.offset() < endOffsets.get(new TopicPartition(r.topic(), r.partition()))) {
                    records.add(r);
                }
            }
        }
        return records;
    }

    /** Every partition has been read up to the end offset it had when {@link #open} returned. */
    public boolean reachedEndOffsets() {
        return EndOffsets.reached(endOffsets, partition -> consumer.position(partition, connection.connectTimeout()));
    }

    /**
     * The end offsets of {@code topic}'s partitions fixed at {@link #open}: the last stable offsets
     * under read_committed, the high watermarks under read_uncommitted.
     */
    public Map<Integer, Long> endOffsets(String topic) {
        Map<Integer, Long> ends = new TreeMap<>();
        endOffsets.forEach((partition, end) -> {
            if (partition.topic().equals(topic)) {
                ends.put(partition.partition(), end);
            }
        });
        return ends;
    }

    /** Makes the poll in progress, or the next one, return at once. Safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
