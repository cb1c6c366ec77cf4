package dev.orderpipeline.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The producer's transaction timeout leaves room for the worker's own waits. */
@Timeout(10)
class TransactionTimeoutTest {

    private static KafkaWorker.Settings settings(Delivery delivery, Duration drainBudget, Map<String, String> overrides) {
        return new KafkaWorker.Settings("127.0.0.1:9092", "group", "worker-1", "orders", "order-results", "orders.DLT",
                256, Ordering.KEY, delivery, Duration.ofSeconds(1), drainBudget, Duration.ofSeconds(5), overrides);
    }

    @Test
    void longDrainBudget_raisesTheTransactionTimeoutAboveIt() {
        Map<String, Object> props = KafkaWorker.producerProperties(
                settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(60), Map.of()));

        // 1 s interval + 60 s drain + 5 s to spare: a transaction held open through the drain is not aborted.
        assertEquals(66_000, props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    }

    @Test
    void consumer_waitsLongerThanAnOpenTransactionCanBlockItsCommittedOffsets() {
        Map<String, Object> props = KafkaWorker.consumerProperties(
                settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(60), Map.of()));

        // A killed worker's open transaction blocks the offset fetch until it times out (66 s here).
        assertEquals(96_000, props.get(org.apache.kafka.clients.consumer.ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
    }

    @Test
    void shortBudgets_keepTheProducerDefault() {
        Map<String, Object> props = KafkaWorker.producerProperties(
                settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(30), Map.of()));

        assertEquals(60_000, props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    }

    @Test
    void givenTimeout_wins() {
        Map<String, Object> props = KafkaWorker.producerProperties(settings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(60),
                Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "120000")));

        assertEquals("120000", props.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
    }

    @Test
    void atLeastOnce_hasNoTransactions() {
        Map<String, Object> props = KafkaWorker.producerProperties(
                settings(Delivery.AT_LEAST_ONCE, Duration.ofSeconds(60), Map.of()));

        assertFalse(props.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG));
        assertFalse(props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    }
}
