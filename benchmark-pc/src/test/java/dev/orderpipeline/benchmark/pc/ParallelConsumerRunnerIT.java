package dev.orderpipeline.benchmark.pc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runner's shaded jar in a child JVM against a real broker in another (LocalKafkaBroker from
 * the worker's shaded jar), each with its own classpath: what the benchmark harness sees.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ParallelConsumerRunnerIT {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final Pattern STOP_LINE = Pattern.compile(
            "parallel consumer stopped: processed=(\\d+) succeeded=(\\d+) failed=(\\d+) dead_lettered=(\\d+)");
    private static final int ORDERS = 300;

    private static Path logs;
    private static Process broker;
    private static String bootstrap;

    @BeforeAll
    static void startBroker() throws IOException {
        logs = Files.createDirectories(Path.of("target", "it-logs"));
        Path log = logs.resolve("broker.log");
        broker = new ProcessBuilder(java(), "--enable-preview", "-Xmx512m", "-cp", jar("worker.jar"),
                "dev.orderpipeline.localkafka.LocalKafkaBroker", "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("the broker listens").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                bootstrap = m.group(1);
            }
            return bootstrap != null || !broker.isAlive();
        });
        assertNotNull(bootstrap, "the broker did not start; see " + log);
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void everyValidOrderAnsweredOnce_declineFailsAsPaymentDeclined_malformedDeadLettered_sigtermExitsZero()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String orders = "orders-" + run;
        String results = "results-" + run;
        String deadLetters = "dlt-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(orders, 3, (short) 1), new NewTopic(results, 1, (short) 1),
                    new NewTopic(deadLetters, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        OrderCodec codec = new OrderCodec();
        Random random = new Random(7);
        Instant now = Instant.now();
        String declined = "order-" + run + "-declined";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties())) {
            for (int i = 0; i < ORDERS; i++) {
                String id = "order-" + run + "-" + i;
                send(producer, orders, id, codec.encode(SampleOrders.order(id, now, Simulation.NONE, random)));
            }
            send(producer, orders, declined,
                    codec.encode(SampleOrders.order(declined, now, Simulation.payment(StepFault.FAIL), random)));
            send(producer, orders, "malformed-" + run, "{\"orderId\": ".getBytes(StandardCharsets.UTF_8));
            producer.flush();
        }

        Path out = logs.resolve("runner-" + run + ".out");
        Process runner = new ProcessBuilder(java(), "--enable-preview", "-Xmx256m", "-jar", jar("runner.jar"),
                "--bootstrap-servers", bootstrap, "--orders-topic", orders, "--results-topic", results,
                "--dead-letter-topic", deadLetters, "--group-id", "pc-" + run, "--max-in-flight", "64",
                "--ordering", "key", "--order-deadline", "5s", "--step-latency", "2ms", "--step-jitter", "1ms",
                "--courier-pool-size", "64")
                .redirectOutput(out.toFile()).redirectError(logs.resolve("runner-" + run + ".err").toFile()).start();
        try {
            await("the runner says it started").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("parallel consumer started") || !runner.isAlive());
            Map<String, List<OrderOutcome>> outcomes = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(consumerProperties())) {
                reader.subscribe(List.of(results, deadLetters));
                await("an outcome for every valid order").atMost(Duration.ofSeconds(60)).until(() -> {
                    collect(reader.poll(Duration.ofMillis(200)), results, codec, outcomes, dead);
                    return outcomes.size() >= ORDERS + 1 && !dead.isEmpty() || !runner.isAlive();
                });

                runner.destroy(); // SIGTERM
                assertTrue(runner.waitFor(45, TimeUnit.SECONDS), "the runner did not stop within 45 s of SIGTERM");
                assertEquals(0, runner.exitValue(), "exit code after SIGTERM; stderr in " + logs);
                // Whatever came after the first sight of every outcome (duplicates) is read too.
                collect(reader.poll(Duration.ofSeconds(2)), results, codec, outcomes, dead);
            }

            assertEquals(ORDERS + 1, outcomes.size(), "orders with an outcome");
            outcomes.forEach((id, list) -> assertEquals(1, list.size(), "outcomes of " + id));
            OrderOutcome refused = outcomes.get(declined).getFirst();
            assertEquals(OrderStatus.FAILED, refused.status(), "status of the declined order");
            assertEquals(ErrorClass.PAYMENT_DECLINED, refused.errorClass(), "error class of the declined order");
            outcomes.forEach((id, list) -> {
                OrderOutcome o = list.getFirst();
                assertNotNull(o.receivedAt(), "receivedAt of " + id);
                assertNotNull(o.completedAt(), "completedAt of " + id);
                if (!id.equals(declined)) {
                    assertEquals(OrderStatus.SUCCEEDED, o.status(), "status of " + id + ": " + o);
                }
            });

            assertEquals(1, dead.size(), "dead letters");
            ConsumerRecord<byte[], byte[]> letter = dead.getFirst();
            assertEquals("malformed-" + run, new String(letter.key(), StandardCharsets.UTF_8), "dead letter's key");
            assertEquals(ErrorClass.INVALID_ORDER.code(), header(letter, DeadLetterHeaders.ERROR_CLASS));
            assertEquals(orders, header(letter, DeadLetterHeaders.ORIGINAL_TOPIC));
            assertNotNull(header(letter, DeadLetterHeaders.ORIGINAL_OFFSET), "original offset header");
            assertNotNull(header(letter, DeadLetterHeaders.REASON), "reason header");

            assertTrue(Files.readString(logs.resolve("runner-" + run + ".err"))
                            .contains("failed orders by error class: payment_declined=1"),
                    "the runner's stderr names the one failure's class");
            Matcher stop = STOP_LINE.matcher(Files.readString(out));
            assertTrue(stop.find(), "stop line on stdout: " + Files.readString(out));
            assertEquals(List.of(ORDERS + 2, ORDERS, 1, 1), List.of(Integer.parseInt(stop.group(1)),
                    Integer.parseInt(stop.group(2)), Integer.parseInt(stop.group(3)), Integer.parseInt(stop.group(4))),
                    "processed, succeeded, failed, dead_lettered");
        } finally {
            runner.destroyForcibly();
        }
    }

    /** Sorts {@code records} into outcomes by order id and dead letters. */
    private static void collect(Iterable<ConsumerRecord<byte[], byte[]>> records, String results, OrderCodec codec,
                                Map<String, List<OrderOutcome>> outcomes, List<ConsumerRecord<byte[], byte[]>> dead) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(results)) {
                OrderOutcome o = codec.decodeOutcome(r.value());
                outcomes.computeIfAbsent(o.orderId(), k -> new ArrayList<>()).add(o);
            } else {
                dead.add(r);
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> producerProperties() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    private static Map<String, Object> consumerProperties() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        assertTrue(Files.isRegularFile(jar), property + " not built: " + jar);
        return jar.toString();
    }
}
