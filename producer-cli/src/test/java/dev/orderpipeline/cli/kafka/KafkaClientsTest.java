package dev.orderpipeline.cli.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KafkaClientsTest {

    private static final KafkaConnection CONNECTION = new KafkaConnection("broker-1:9092,broker-2:9092",
            Map.of("security.protocol", "SASL_SSL", "acks", "1", "enable.idempotence", "false", "linger.ms", "50",
                    "group.id", "shared-team-group", "bootstrap.servers", "elsewhere:9092"),
            Duration.ofSeconds(10));

    @Test
    void clientConfig_addsSecurityAndTuning_butCannotWeakenDelivery() {
        Properties producer = KafkaClients.producer(CONNECTION);

        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("50", producer.get("linger.ms"));
        assertEquals("all", producer.get("acks"));
        assertEquals(true, producer.get("enable.idempotence"));
        assertEquals("broker-1:9092,broker-2:9092", producer.get("bootstrap.servers"));
    }

    @Test
    void consumer_neverJoinsAGroup_evenWhenTheConfigFileNamesOne() {
        Properties consumer = KafkaClients.consumer(CONNECTION);

        assertFalse(consumer.containsKey("group.id"), consumer.toString());
        assertEquals(false, consumer.get("enable.auto.commit"));
        assertEquals("read_committed", consumer.get("isolation.level"));
    }

    @Test
    void connection_rejectsAddressesThatAreNotHostPort() {
        for (String bad : new String[] {"localhost", "host:port", "a:1,,b:2", ":9092", ""}) {
            assertThrows(IllegalArgumentException.class, () -> new KafkaConnection(bad, Map.of(), Duration.ofSeconds(1)), bad);
        }
        new KafkaConnection("[::1]:9092, 10.0.0.1:9093,kafka-0.kafka.svc:9092", Map.of(), Duration.ofSeconds(1));
    }
}
