package dev.orderpipeline.worker.kafka;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the worker's consumer sits in its group: a static member named by its worker id, with a
 * 10 s session under the classic protocol, or the broker's settings under KIP-848's protocol.
 */
@Timeout(30)
class GroupMembershipTest {

    private static KafkaWorker.Settings settings(Delivery delivery, Map<String, String> overrides) {
        return KafkaWorker.Settings.of(WorkerConfig.builder()
                .bootstrapServers("127.0.0.1:9").groupId("group").workerId("worker-7")
                .delivery(delivery).kafkaOverrides(overrides)
                .build());
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void classicProtocol_staticMemberNamedByWorkerId_tenSecondSession_cooperative(Delivery delivery) {
        Map<String, Object> props = ClientProperties.consumer(settings(delivery, Map.of()));

        assertEquals("classic", props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG));
        assertEquals("worker-7", props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals(10_000, props.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(1_000, props.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        assertEquals("org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
                props.get(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
    }

    @Test
    void givenSessionTimeout_wins() {
        Map<String, Object> props = ClientProperties.consumer(settings(Delivery.AT_LEAST_ONCE,
                Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")));

        assertEquals("6000", props.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    }

    /** The client refuses an assignor or a session timeout with KIP-848: the broker owns both. */
    @Test
    void consumerProtocolChosen_leavesAssignorAndSessionToTheBroker_andTheClientAcceptsIt() {
        Map<String, Object> props = ClientProperties.consumer(settings(Delivery.EXACTLY_ONCE,
                Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer")));

        assertFalse(props.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG));
        assertFalse(props.containsKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals("worker-7", props.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertDoesNotThrow(() -> new KafkaConsumer<>(props).close(Duration.ZERO));
    }

    @Test
    void classicDefaults_areAcceptedByTheClient() {
        Map<String, Object> props = ClientProperties.consumer(settings(Delivery.AT_LEAST_ONCE, Map.of()));

        assertDoesNotThrow(() -> new KafkaConsumer<>(props).close(Duration.ZERO));
    }
}
