package dev.orderpipeline.localkafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalKafkaBrokerIT {

    @Test
    void start_servesAdminProduceAndConsume_closeReleasesPortAndDeletesData() throws Exception {
        var broker = LocalKafkaBroker.start();
        int port = portOf(broker.bootstrapServers());
        var dataDir = broker.dataDir();
        try {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (var producer = producer(broker)) {
                producer.send(new ProducerRecord<>("orders", "order-1", "placed")).get(30, TimeUnit.SECONDS);
            }
            try (var consumer = consumer(broker, "local-kafka-it")) {
                consumer.subscribe(List.of("orders"));
                var received = new ArrayList<ConsumerRecord<String, String>>();
                await("the produced record comes back to a consumer")
                        .atMost(Duration.ofSeconds(60))
                        // KafkaConsumer must not be used by two threads; keep polls on the test thread.
                        .pollInSameThread()
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                            return !received.isEmpty();
                        });
                assertEquals("order-1", received.getFirst().key());
                assertEquals("placed", received.getFirst().value());
            }
        } finally {
            broker.close();
        }

        assertFalse(Files.exists(dataDir), "data dir should be deleted: " + dataDir);
        assertPortFree(port);
    }

    @Test
    void start_onRequestedPortWithOverrides_appliesBoth() throws Exception {
        int port = freePort();
        try (var broker = LocalKafkaBroker.start(port, Map.of("num.partitions", "2"))) {
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS);
                var description = admin.describeTopics(Set.of("defaults")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("defaults");
                assertEquals(2, description.partitions().size(), "partitions of a topic created with broker defaults");
            }
        }
    }

    @Test
    void start_onTakenPort_failsNamingThePort() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            var failure = assertThrows(RuntimeException.class, () -> LocalKafkaBroker.start(taken.getLocalPort()));
            assertTrue(String.valueOf(failure.getMessage()).contains(Integer.toString(taken.getLocalPort())),
                    "message should name the port " + taken.getLocalPort() + ", got: " + failure.getMessage());
        }
    }

    @Test
    void close_calledTwice_isHarmless() {
        var broker = LocalKafkaBroker.start();
        broker.close();
        broker.close();
        assertFalse(Files.exists(broker.dataDir()));
    }

    @Test
    void main_stoppedWhileTheBrokerStarts_deletesItsFolder(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = tmp.resolve("broker.log");
        Path dataParent = Files.createDirectory(tmp.resolve("data"));
        Process process = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + dataParent,
                "-cp", System.getProperty("java.class.path"), LocalKafkaBroker.class.getName(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("the broker's folder exists: it is starting").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> folders(dataParent).size() == 1);

            process.destroy();

            assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "still running 60 s after SIGTERM");
            assertEquals(List.of(), folders(dataParent), () -> "left behind; output:\n" + readQuietly(log));
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Admin admin(LocalKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(LocalKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(LocalKafkaBroker broker, String groupId) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                // The record is produced before the group exists; "latest" would skip it.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }

    private static int portOf(String bootstrapServers) {
        return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static void assertPortFree(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, socket.getLocalPort());
        } catch (IOException e) {
            throw new AssertionError("port " + port + " should be free after close: " + e, e);
        }
    }
}
