package dev.orderpipeline.worker.consume;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link TopicPartition} of a fetched record, made once per partition instead of each time
 * a record is queued, started and finished. Not thread-safe: each owner keeps its own (the poll
 * thread's classes do).
 */
final class TopicPartitions {

    private final Map<String, TopicPartition[]> byTopic = new HashMap<>();

    TopicPartition of(ConsumerRecord<?, ?> record) {
        int partition = record.partition();
        TopicPartition[] partitions = byTopic.get(record.topic());
        if (partitions == null || partition >= partitions.length) {
            partitions = partitions == null ? new TopicPartition[Math.max(partition + 1, 16)]
                    : Arrays.copyOf(partitions, Math.max(partition + 1, partitions.length * 2));
            byTopic.put(record.topic(), partitions);
        }
        TopicPartition topicPartition = partitions[partition];
        if (topicPartition == null) {
            topicPartition = new TopicPartition(record.topic(), partition);
            partitions[partition] = topicPartition;
        }
        return topicPartition;
    }
}
