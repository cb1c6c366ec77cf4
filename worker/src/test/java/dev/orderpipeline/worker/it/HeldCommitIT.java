package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exactly-once, a partition whose group commit is held by an open transaction, as a worker
 * killed in the middle of its commit leaves it: its next owner cannot read where to start until
 * the broker ends that transaction (KIP-447), seconds later. The owner's other partitions must
 * not wait with it. Here another producer holds partition 0's commit in a transaction it ends
 * only when the test says; the worker answers every order of the other partitions meanwhile,
 * none of partition 0's, and partition 0's once the transaction is over, each order once.
 * A worker that read the commit inside the rebalance callback sat in it, every partition
 * stalled, until the transaction ended or the read timed out.
 */
@Timeout(180)
class HeldCommitIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static WorkerConfig config(PipelineTopics topics) {
        return topics.workerConfig()
                .workerId("held-worker")
                .delivery(Delivery.EXACTLY_ONCE)
                .commitInterval(Duration.ofMillis(200))
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(20)))
                .build();
    }

    @Test
    void aPartitionWhoseCommitAnOpenTransactionHolds_waitsAlone_theOtherPartitionsAreAnswered() throws Exception {
        try (PipelineTopics topics = new PipelineTopics("held")) {
            TopicPartition held = new TopicPartition(topics.orders, 0);
            Properties props = new Properties();
            props.putAll(TestKafka.producerProps());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafka.uniqueName("holder"));
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(5).toMillis());
            try (KafkaProducer<byte[], byte[]> holder = new KafkaProducer<>(props)) {
                holder.initTransactions();
                holder.beginTransaction();
                holder.sendOffsetsToTransaction(Map.of(held, new OffsetAndMetadata(0)),
                        new ConsumerGroupMetadata(topics.groupId));

                Map<Integer, Set<String>> idsByPartition = new HashMap<>();
                Random random = new Random(11);
                for (int i = 0; i < 90; i++) {
                    OrderPlaced order = SampleOrders.order("held-" + i, Instant.now(), null, random);
                    int partition = topics.send(order).partition();
                    idsByPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(order.orderId());
                }
                Set<String> heldIds = idsByPartition.getOrDefault(0, Set.of());
                Set<String> otherIds = new HashSet<>();
                idsByPartition.forEach((p, ids) -> {
                    if (p != 0) {
                        otherIds.addAll(ids);
                    }
                });
                assertEquals(false, heldIds.isEmpty() || otherIds.isEmpty(), "orders on partition 0 and on others");

                Worker worker = Worker.start(config(topics), Clock.systemUTC());
                try {
                    await("the orders of the partitions whose commit is readable are answered").atMost(WAIT)
                            .until(() -> topics.allHaveOutcomes(otherIds));
                    Set<String> answeredEarly = new HashSet<>(heldIds);
                    answeredEarly.retainAll(topics.readToEnd().keySet());
                    assertEquals(Set.of(), answeredEarly, "answered before partition 0's commit could be read");

                    holder.abortTransaction();
                    await("partition 0's orders are answered once its commit is readable").atMost(WAIT)
                            .until(() -> topics.allHaveOutcomes(heldIds));
                    topics.settledOutcomes();
                    assertEquals(Set.of(), topics.duplicates(), "orders answered twice");
                } finally {
                    worker.requestStop();
                    assertEquals(PollLoop.Exit.CLEAN, worker.awaitExit());
                    worker.close();
                }
            }
        }
    }
}
