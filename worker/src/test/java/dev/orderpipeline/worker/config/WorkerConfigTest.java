package dev.orderpipeline.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The configuration groups: built from defaults, each checking its own values with one line naming the option. */
@Timeout(10)
class WorkerConfigTest {

    private static WorkerConfigBuilder builder() {
        return WorkerConfig.builder().bootstrapServers("kafka-1:9092");
    }

    @Test
    void builder_changesOnlyWhatItIsTold_theRestKeepsItsDefaults() {
        WorkerConfig got = builder().commitInterval(Duration.ofMillis(250)).build();

        assertEquals(new DeliverySettings(Delivery.AT_LEAST_ONCE, Duration.ofMillis(250), Ordering.KEY), got.delivery());
        assertEquals(Topics.DEFAULTS, got.topics());
        assertEquals(Flow.DEFAULTS, got.flow());
        assertEquals(StepSettings.DEFAULTS, got.steps());
        assertEquals(RetryPolicy.DEFAULTS, got.retry());
        assertEquals(0, got.http().port(), "http port: a free one");
        assertEquals("kafka-1:9092", got.kafka().bootstrapServers());
        assertEquals(Map.of(), got.kafka().overrides());
    }

    @Test
    void toBuilder_keepsEverySetting() {
        WorkerConfig config = builder()
                .embeddedBrokerPort(9092).groupId("g").workerId("w").kafkaOverrides(Map.of("client.rack", "r1"))
                .connectTimeout(Duration.ofSeconds(3))
                .ordersTopic("o").resultsTopic("r").deadLetterTopic("d").createTopics(true).topicPartitions(2)
                .delivery(Delivery.EXACTLY_ONCE).commitInterval(Duration.ofMillis(300)).ordering(Ordering.UNORDERED)
                .maxInFlight(7).orderDeadline(Duration.ofSeconds(4)).compensationDeadline(Duration.ofSeconds(6))
                .drainBudget(Duration.ofSeconds(8)).maxOrderBytes(2048)
                .simulation(SimulationSettings.fixedLatency(Duration.ofMillis(1)))
                .services(StepServices.of("http://pay", "http://vendor", "http://courier")).courierPoolSize(3)
                .retry(RetryPolicy.NONE).httpPort(8081)
                .build();

        assertEquals(config, config.toBuilder().build());
        assertNotEquals(builder().build(), config, "every setting above differs from its default");
    }

    @Test
    void withGroup_replacesThatGroupOnly() {
        WorkerConfig config = builder().workerId("w").build();
        Flow flow = new Flow(3, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 4096);

        WorkerConfig got = config.withFlow(flow);

        assertEquals(flow, got.flow());
        assertEquals(config, got.withFlow(config.flow()));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("no bootstrap servers", b -> b.bootstrapServers(null),
                        "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): not set; give the Kafka address, or "
                                + "--embedded-broker for a local development broker"),
                bad("bootstrap without port", b -> b.bootstrapServers("kafka-1"),
                        "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): \"kafka-1\" is not host:port; write e.g. kafka-1:9092"),
                bad("worker id with a space", b -> b.workerId("a b"),
                        "--worker-id (WORKER_ID): \"a b\" may only contain letters, digits, '.', '_' and '-'"),
                bad("managed client property", b -> b.kafkaOverrides(Map.of("acks", "1")),
                        "--kafka acks: is managed by the worker: outcomes need acks=all"),
                bad("same topic twice", b -> b.resultsTopic("orders"),
                        "--orders-topic/--results-topic/--dead-letter-topic: must be three different topics, "
                                + "got orders, orders, orders.DLT"),
                bad("no in-flight room", b -> b.maxInFlight(0), "--max-in-flight (MAX_IN_FLIGHT): must be at least 1, got 0"),
                bad("zero deadline", b -> b.orderDeadline(Duration.ZERO),
                        "--order-deadline (ORDER_DEADLINE): must be a positive duration such as 500ms or 5s, got PT0S"),
                bad("no delivery mode", b -> b.delivery((Delivery) null),
                        "--delivery (DELIVERY): must be one of at-least-once, exactly-once"),
                bad("no couriers", b -> b.courierPoolSize(0), "--courier-pool-size (COURIER_POOL_SIZE): must be at least 1, got 0"),
                bad("port out of range", b -> b.httpPort(70_000), "--http-port (HTTP_PORT): must be 0..65535, got 70000"),
                bad("no retry policy", b -> b.retry(null), "--retry-max-attempts (RETRY_MAX_ATTEMPTS): retries not configured"),
                bad("exactly-once interval longer than the transaction timeout", b -> b.delivery(Delivery.EXACTLY_ONCE)
                                .commitInterval(Duration.ofSeconds(20)).kafkaOverrides(Map.of("transaction.timeout.ms", "15000")),
                        "--commit-interval (COMMIT_INTERVAL): with --delivery exactly-once, 20000 ms leaves no room within "
                                + "--kafka transaction.timeout.ms (15000 ms) less 5 s"));
    }

    private static Arguments bad(String name, UnaryOperator<WorkerConfigBuilder> change, String want) {
        return Arguments.of(name, change, want);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValue_failsAtBuild_withOneLineNamingTheOption(String name, UnaryOperator<WorkerConfigBuilder> change,
                                                         String want) {
        ConfigException e = assertThrows(ConfigException.class, () -> change.apply(builder()).build());

        assertEquals(want, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void withDelivery_checksAcrossGroupsToo() {
        WorkerConfig atLeastOnce = builder().commitInterval(Duration.ofSeconds(20))
                .kafkaOverrides(Map.of("transaction.timeout.ms", "15000")).build();
        DeliverySettings exactlyOnce = new DeliverySettings(Delivery.EXACTLY_ONCE, Duration.ofSeconds(20), Ordering.KEY);

        ConfigException e = assertThrows(ConfigException.class, () -> atLeastOnce.withDelivery(exactlyOnce));

        assertEquals("--commit-interval (COMMIT_INTERVAL)", e.key());
    }

    /** Configuration sits below everything else of the worker: it names none of its other packages. */
    @Test
    void configPackage_importsNoOtherWorkerPackage() throws IOException {
        Path dir = Path.of("src/main/java/dev/orderpipeline/worker/config");
        List<String> offending;
        try (Stream<Path> files = Files.list(dir)) {
            offending = files.filter(f -> f.toString().endsWith(".java"))
                    .flatMap(f -> lines(f).stream()
                            .filter(l -> l.startsWith("import dev.orderpipeline.worker.")
                                    && !l.startsWith("import dev.orderpipeline.worker.config."))
                            .map(l -> f.getFileName() + ": " + l))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
