package dev.orderpipeline.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The producer's transaction timeout covers a commit interval, not the drain or revoke budgets
 * (the loop commits every interval while it waits), so a killed worker's open transaction blocks
 * its partitions' readers for seconds, not a minute.
 */
@Timeout(10)
class TransactionTimeoutTest {

    private static KafkaWorker.Settings settings(Delivery delivery, Duration commitInterval, Duration drainBudget,
                                                 Map<String, String> overrides) {
        return KafkaWorker.Settings.of(WorkerConfig.builder()
                .bootstrapServers("127.0.0.1:9092").groupId("group").workerId("worker-1")
                .delivery(delivery).commitInterval(commitInterval).drainBudget(drainBudget).kafkaOverrides(overrides)
                .build());
    }

    @Test
    void defaultInterval_setsASixSecondTimeout_whateverTheDrainBudget() {
        for (Duration drain : new Duration[] {Duration.ofSeconds(30), Duration.ofMinutes(10)}) {
            Map<String, Object> props = ClientProperties.producer(
                    settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(1), drain, Map.of()));

            assertEquals(6_000, props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), "drain budget " + drain);
        }
    }

    @Test
    void longCommitInterval_raisesTheTimeoutAboveIt() {
        Map<String, Object> props = ClientProperties.producer(
                settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(30), Duration.ofSeconds(30), Map.of()));

        // 30 s interval + 5 s to spare: a transaction open for one interval is not aborted.
        assertEquals(35_000, props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    }

    @Test
    void consumer_waitsLongerThanAnOpenTransactionCanBlockItsCommittedOffsets() {
        Map<String, Object> props = ClientProperties.consumer(
                settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(60), Duration.ofSeconds(30), Map.of()));

        // A killed worker's open transaction blocks the offset fetch until it times out (65 s here).
        assertEquals(95_000, props.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
    }

    @Test
    void givenTimeout_wins() {
        Map<String, Object> props = ClientProperties.producer(settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "120000")));

        assertEquals("120000", props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    }

    @Test
    void atLeastOnce_hasNoTransactions() {
        Map<String, Object> props = ClientProperties.producer(
                settings(Delivery.AT_LEAST_ONCE, Duration.ofSeconds(1), Duration.ofSeconds(60), Map.of()));

        assertFalse(props.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        assertFalse(props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    }
}
