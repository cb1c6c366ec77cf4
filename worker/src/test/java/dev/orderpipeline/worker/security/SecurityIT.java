package dev.orderpipeline.worker.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.worker.app.Main;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.consume.PollLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The worker on a broker that authenticates clients with SCRAM-SHA-512 and authorises them
 * with ACLs, nothing allowed without one: the worker principal gets exactly {@link WorkerAcls}
 * and must do its whole job with them; a wrong password or a missing ACL must be reported
 * clearly, never with the password.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

    private static final int PARTITIONS = 2;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String WORKER = "worker";
    private static final String WORKER_PRINCIPAL = "User:" + WORKER;

    // Random per run, so that finding one in the output cannot be a coincidence with a fixed string.
    private final String adminPassword = "admin-" + UUID.randomUUID();
    private final String workerPassword = "worker-" + UUID.randomUUID();
    private final OrderCodec codec = new OrderCodec();
    private final Random random = new Random(2026);
    private ScramBroker broker;

    @BeforeAll
    void startBroker() throws Exception {
        broker = ScramBroker.start(adminPassword, Map.of(WORKER, workerPassword));
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Fresh topics and group, and the ACLs computed from their names. */
    private WorkerAcls topicsFor(String test) throws Exception {
        String prefix = test + "-" + UUID.randomUUID().toString().substring(0, 8);
        WorkerAcls acls = new WorkerAcls(WORKER_PRINCIPAL, prefix + "-orders", prefix + "-results", prefix + "-dlt",
                prefix + "-workers");
        broker.createTopics(PARTITIONS, acls.ordersTopic(), acls.resultsTopic(), acls.deadLetterTopic());
        return acls;
    }

    private WorkerConfig config(WorkerAcls acls, Map<String, String> kafka) {
        return WorkerConfig.builder()
                .bootstrapServers(broker.bootstrapServers())
                .ordersTopic(acls.ordersTopic())
                .resultsTopic(acls.resultsTopic())
                .deadLetterTopic(acls.deadLetterTopic())
                .groupId(acls.groupId())
                .workerId("security-it")
                .topicPartitions(PARTITIONS)
                .orderDeadline(Duration.ofSeconds(2))
                .maxInFlight(16)
                .drainBudget(Duration.ofSeconds(10))
                .commitInterval(Duration.ofMillis(200))
                .courierPoolSize(8)
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(5)))
                .kafkaOverrides(kafka)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void workerWithOnlyItsAcls_overScramSasl_publishesOutcomes_andDeadLetters() throws Exception {
        WorkerAcls acls = topicsFor("sasl-ok");
        broker.createAcls(acls.all());
        OrderPlaced order = SampleOrders.order("sec-ok-1", Instant.now(), null, random);
        byte[] malformed = "{\"orderId\": \"sec-bad-1\", ".getBytes(StandardCharsets.UTF_8);

        try (Worker worker = Worker.start(config(acls, ScramBroker.saslProperties(WORKER, workerPassword)), Clock.systemUTC());
             KafkaProducer<byte[], byte[]> producer = adminProducer();
             KafkaConsumer<byte[], byte[]> results = adminReader(acls.resultsTopic());
             KafkaConsumer<byte[], byte[]> deadLetters = adminReader(acls.deadLetterTopic())) {
            producer.send(new ProducerRecord<>(acls.ordersTopic(), bytes(order.orderId()), codec.encode(order))).get();
            producer.send(new ProducerRecord<>(acls.ordersTopic(), bytes("sec-bad-1"), malformed)).get();

            List<OrderOutcome> outcomes = new ArrayList<>();
            await("outcome of " + order.orderId() + " read by the admin").atMost(WAIT).until(() -> {
                results.poll(Duration.ofMillis(200)).forEach(r -> outcomes.add(codec.decodeOutcome(r.value())));
                return outcomes.stream().anyMatch(o -> o.orderId().equals(order.orderId()));
            });
            OrderOutcome outcome = outcomes.stream().filter(o -> o.orderId().equals(order.orderId())).findFirst().orElseThrow();
            assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);

            List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
            await("dead letter of the malformed record").atMost(WAIT).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertEquals(new String(malformed, StandardCharsets.UTF_8), new String(dead.getFirst().value(), StandardCharsets.UTF_8));

            worker.requestStop();
            assertEquals(PollLoop.Exit.CLEAN, worker.awaitExit(), "the worker commits its offsets with READ on its group");
        }
    }

    @Test
    void wrongPassword_failsStartUpFast_withExit4_namingAuthentication_withoutThePassword() throws Exception {
        WorkerAcls acls = topicsFor("sasl-wrong-pw");
        broker.createAcls(acls.all());
        String wrongPassword = "wrong-" + UUID.randomUUID();
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", broker.bootstrapServers(), "--http-port", "0",
                "--orders-topic", acls.ordersTopic(), "--results-topic", acls.resultsTopic(),
                "--dead-letter-topic", acls.deadLetterTopic(), "--group-id", acls.groupId()));
        ScramBroker.saslProperties(WORKER, wrongPassword).forEach((k, v) -> {
            args.add("--kafka");
            args.add(k + "=" + v);
        });

        long start = System.nanoTime();
        Captured run = runMain(args.toArray(String[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(4, run.exitCode(), () -> "exit code; stderr:\n" + run.err());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, () -> "start-up failed only after " + took);
        List<String> lines = run.err().lines().filter(l -> l.startsWith("order-worker: ")).toList();
        assertEquals(1, lines.size(), () -> "want one order-worker line on stderr, got:\n" + run.err());
        assertTrue(lines.getFirst().toLowerCase(Locale.ROOT).contains("authentication failed"),
                () -> "want the line to name authentication, got: " + lines.getFirst());
        assertFalse((run.out() + run.err()).contains(wrongPassword), () -> "password leaked:\n" + run.out() + run.err());
        assertFalse((run.out() + run.err()).contains(workerPassword));
    }

    @Test
    void withoutWriteOnTheDeadLetterTopic_aMalformedRecord_stopsTheWorker_namingTheAuthorizationError() throws Exception {
        WorkerAcls acls = topicsFor("sasl-no-dlt-acl");
        List<AclBinding> granted = new ArrayList<>(acls.all());
        granted.remove(acls.writeDeadLetters());
        broker.createAcls(granted);

        PrintStream err = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PollLoop.Exit exit;
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try (Worker worker = Worker.start(config(acls, ScramBroker.saslProperties(WORKER, workerPassword)), Clock.systemUTC());
             KafkaProducer<byte[], byte[]> producer = adminProducer()) {
            producer.send(new ProducerRecord<>(acls.ordersTopic(), bytes("sec-bad-2"),
                    "not json".getBytes(StandardCharsets.UTF_8))).get();
            exit = worker.awaitExit();
        } finally {
            System.setErr(err);
        }
        String log = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(PollLoop.Exit.FAILED, exit, () -> "log:\n" + log);
        assertTrue(log.contains("TopicAuthorizationException"), () -> "want the log to name the error, got:\n" + log);
        assertTrue(log.contains(acls.deadLetterTopic()), () -> "want the log to name the topic, got:\n" + log);
        assertFalse(log.contains(workerPassword), "password leaked");
    }

    private KafkaProducer<byte[], byte[]> adminProducer() {
        Map<String, Object> props = new HashMap<>(broker.adminClientProps());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<byte[], byte[]> adminReader(String topic) {
        Map<String, Object> props = new HashMap<>(broker.adminClientProps());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Captured(int exitCode, String out, String err) {
    }

    /** {@code Main.run(env, args)} with stdout and stderr captured; it is package-private, hence reflection. */
    private static Captured runMain(String... args) throws Exception {
        Method run = Main.class.getDeclaredMethod("run", Map.class, String[].class);
        run.setAccessible(true);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = (int) run.invoke(null, Map.of(), args);
            return new Captured(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
