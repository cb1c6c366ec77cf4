package dev.orderpipeline.worker.it;

import dev.orderpipeline.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A topic read the way a consumer that ignores transactions reads it ({@code read_uncommitted}):
 * records of aborted transactions included. Its end offsets also count the transaction markers,
 * which take an offset each but are never returned as records.
 *
 * @param recordsByKey how many records each key has, aborted ones included
 * @param records      records read
 * @param endOffsets   the sum of the partitions' end offsets: records plus markers
 */
record UncommittedLog(Map<String, Integer> recordsByKey, long records, long endOffsets) {

    static UncommittedLog read(String topic, int partitions) {
        Map<String, Object> props = TestKafka.consumerProps(TestKafka.uniqueName("uncommitted"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            Map<String, Integer> byKey = new HashMap<>();
            long records = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("could not read " + topic + " to its end offsets " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byKey.merge(new String(record.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                    records++;
                }
            }
            return new UncommittedLog(byKey, records, ends.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /** Keys with more than one record. */
    long keysWithMoreThanOne() {
        return recordsByKey.values().stream().filter(n -> n > 1).count();
    }
}
