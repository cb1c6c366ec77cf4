package dev.orderpipeline.testkafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TestKafkaIT {

    @Test
    void bootstrapServers_fromManyThreadsAtOnce_startsOneSharedBroker() throws Exception {
        List<Callable<String>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(TestKafka::bootstrapServers);
        }
        Set<String> seen;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            seen = pool.invokeAll(callers).stream().map(TestKafkaIT::join).collect(Collectors.toSet());
        }

        assertEquals(Set.of(TestKafka.bootstrapServers()), seen, "every caller should get the same broker");
    }

    @Test
    void createTopicsProduceConsume_roundTripsARecordThroughTheSharedBroker() throws Exception {
        String topic = TestKafka.uniqueName("orders");
        TestKafka.createTopics(3, topic);

        try (var producer = new KafkaProducer<byte[], byte[]>(TestKafka.producerProps())) {
            producer.send(new ProducerRecord<>(topic, bytes("order-1"), bytes("placed"))).get(30, TimeUnit.SECONDS);
        }

        try (var consumer = new KafkaConsumer<byte[], byte[]>(TestKafka.consumerProps(TestKafka.uniqueName("it")))) {
            consumer.subscribe(List.of(topic));
            var received = new ArrayList<ConsumerRecord<byte[], byte[]>>();
            await("the produced record reaches a new consumer group")
                    .atMost(Duration.ofSeconds(60))
                    // KafkaConsumer must not be used by two threads; keep polls on the test thread.
                    .pollInSameThread()
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                        return !received.isEmpty();
                    });
            assertEquals(1, received.size(), "records received");
            assertArrayEquals(bytes("order-1"), received.getFirst().key());
            assertArrayEquals(bytes("placed"), received.getFirst().value());
        }
    }

    @Test
    void createTopics_existingTopic_failsNamingIt() {
        String topic = TestKafka.uniqueName("twice");
        TestKafka.createTopics(1, topic);

        var e = assertThrows(IllegalStateException.class, () -> TestKafka.createTopics(1, topic));
        assertTrue(e.getMessage().contains(topic), e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String join(Future<String> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError("bootstrapServers() failed in a caller thread", e);
        }
    }
}
