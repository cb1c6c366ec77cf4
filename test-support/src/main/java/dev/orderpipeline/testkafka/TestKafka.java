package dev.orderpipeline.testkafka;

import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * The Kafka broker that tests use: one per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>The broker comes from {@code KAFKA_BOOTSTRAP_SERVERS} if that is set, else from a
 * Testcontainers container if Docker runs, else from an in-process {@code LocalKafkaBroker}.
 * Tests written against this class run unchanged on all three; because the broker is shared,
 * each test should use its own topics ({@link #uniqueName}) and consumer groups.
 */
public final class TestKafka {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
    // Kafka's legal topic characters; the random suffix keeps names within them.
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,240}");

    // Guarded by TestKafka.class. Written once by whichever test thread asks first, read by all.
    private static RunningBroker broker;
    // Guarded by TestKafka.class. A failed start is not retried: each retry could take a minute.
    private static RuntimeException startFailure;

    private TestKafka() {}

    /** The shared broker's bootstrap servers, starting the broker on first call. Thread-safe. */
    public static String bootstrapServers() {
        return shared().bootstrapServers();
    }

    /** {@code prefix} plus a random suffix, e.g. {@code orders-3f9a1c}: a topic or group name no other test uses. */
    public static String uniqueName(String prefix) {
        if (prefix == null || !TOPIC_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "prefix must be 1-240 characters of [a-zA-Z0-9._-] (a legal topic name), got: " + prefix);
        }
        return "%s-%06x".formatted(prefix, ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /**
     * Creates {@code names} with {@code partitions} partitions and one replica each, returning
     * when the controller has created them all.
     *
     * @throws IllegalStateException if any topic exists already or creation fails or takes over 60 s
     */
    public static void createTopics(int partitions, String... names) {
        if (partitions < 1 || names.length == 0) {
            throw new IllegalArgumentException("need partitions >= 1 and at least one name, got partitions="
                    + partitions + ", names=" + Arrays.toString(names));
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            // One replica: the fallback brokers have a single node.
            topics.add(new NewTopic(name, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            PartitionLeaders.await(admin, List.of(names), ADMIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + Arrays.toString(names), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + Arrays.toString(names)
                    + " on " + bootstrapServers() + ": " + e, e);
        }
    }

    /** Consumer settings for tests; a new mutable map, so a test can add or change entries. */
    public static Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Tests assert on bytes; decoding is the code under test's job.
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // A test usually produces before its consumer joins; "latest" would skip those records.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // See only committed transactional output, as the worker's downstream consumers do.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /** Producer settings for tests; a new mutable map, so a test can add or change entries. */
    public static Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        // The defaults already, stated so a test never depends on a changed default:
        // a record is acknowledged once stored, and retries never duplicate it.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    private static synchronized RunningBroker shared() {
        if (broker != null) {
            return broker;
        }
        if (startFailure != null) {
            throw new IllegalStateException("The test Kafka broker failed to start earlier in this JVM", startFailure);
        }
        QuietTestLogging.apply();
        BrokerSource source = BrokerSource.choose(System::getenv,
                () -> DockerClientFactory.instance().isDockerAvailable());
        long startNanos = System.nanoTime();
        try {
            broker = source.start(System::getenv);
        } catch (RuntimeException e) {
            startFailure = e;
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(
                Thread.ofPlatform().name("test-kafka-shutdown").unstarted(broker.stop()));
        log.info("Tests use Kafka at {}: {} (ready in {} ms)", broker.bootstrapServers(), broker.description(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        return broker;
    }
}
