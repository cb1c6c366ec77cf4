package dev.orderpipeline.kafkaadmin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.localkafka.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** On a real broker: what the wait promises to the code that writes right after it. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PartitionLeadersIT {

    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.start(0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @Test
    void newTopics_takeAWriteToEveryPartition_asSoonAsTheWaitReturns() throws Exception {
        List<String> names = List.of("leaders-a", "leaders-b");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("leaders-a", 6, (short) 1), new NewTopic("leaders-b", 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);

            PartitionLeaders.await(admin, names, Duration.ofSeconds(30));
        }

        // Without the wait, an idempotent producer can hold a new partition's records until its
        // delivery timeout; here every partition must take its record well within a short one.
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                sent.add(producer.send(new ProducerRecord<>("leaders-a", p, null, bytes("a" + p))));
            }
            for (int p = 0; p < 3; p++) {
                sent.add(producer.send(new ProducerRecord<>("leaders-b", p, null, bytes("b" + p))));
            }
            for (Future<RecordMetadata> future : sent) {
                assertEquals(0, future.get(15, TimeUnit.SECONDS).offset());
            }
        }
    }

    @Test
    void topicThatNeverAppears_endsAtTheDeadline_withTheBrokersAnswerAsCause() {
        Admin admin = admin();
        try {
            long start = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class,
                    () -> PartitionLeaders.await(admin, List.of("leaders-never-created"), Duration.ofSeconds(1)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(e.getMessage().contains("leaders-never-created"), e.getMessage());
            assertInstanceOf(UnknownTopicOrPartitionException.class, e.getCause(), String.valueOf(e.getCause()));
            // Generous: a loaded 2-core machine; what matters is that the deadline bounds it.
            assertTrue(millis < 15_000, "took " + millis + " ms");
        } finally {
            // Bounded: the wait's last Admin call may still be pending; its own timeout ends it.
            admin.close(Duration.ofSeconds(10));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
