package dev.orderpipeline.testkafka;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.orderpipeline.localkafka.LocalKafkaBroker;
import org.testcontainers.kafka.KafkaContainer;

/** Where the tests' broker comes from, in order of preference; each source knows how to start its broker. */
enum BrokerSource {

    /**
     * {@code KAFKA_BOOTSTRAP_SERVERS} is set: a broker someone else runs (a CI service, a compose
     * file, a developer's {@code LocalKafkaBroker} main). Used as is and never stopped here.
     */
    ENVIRONMENT {
        @Override
        RunningBroker start(Function<String, String> env) {
            String servers = env.apply(BOOTSTRAP_SERVERS_ENV).strip();
            return new RunningBroker(servers, "from " + BOOTSTRAP_SERVERS_ENV, () -> {});
        }
    },

    /** Docker runs: a throwaway broker container, the closest to a deployed Kafka. */
    TESTCONTAINERS {
        @Override
        RunningBroker start(Function<String, String> env) {
            var container = new KafkaContainer(KAFKA_IMAGE);
            // Testcontainers already sets replication factors, min ISR and the rebalance delay
            // for one node; these make the container behave like LocalKafkaBroker as well.
            CONTAINER_SETTINGS.forEach(container::withEnv);
            container.start();
            return new RunningBroker(container.getBootstrapServers(), "Testcontainers " + KAFKA_IMAGE, container::stop);
        }
    },

    /** Neither: Kafka's own broker classes inside this JVM, which needs no Docker. */
    IN_PROCESS {
        @Override
        RunningBroker start(Function<String, String> env) {
            var broker = LocalKafkaBroker.start();
            return new RunningBroker(broker.bootstrapServers(),
                    "in-process LocalKafkaBroker (no " + BOOTSTRAP_SERVERS_ENV + ", and Testcontainers found no Docker)", broker::close);
        }
    };

    static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static final Map<String, String> CONTAINER_SETTINGS = Map.of(
            // A typo in a topic name must fail, not create a topic nobody reads.
            "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false",
            // Same default as LocalKafkaBroker, so a test sees the same partitioning on either.
            "KAFKA_NUM_PARTITIONS", "6",
            // Share groups' state topic defaults to 3 replicas, more than one node has.
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1",
            "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");

    /**
     * Picks the first source that applies. {@code dockerAvailable} is asked only when the
     * environment names no broker, because asking costs about a second.
     */
    static BrokerSource choose(Function<String, String> env, BooleanSupplier dockerAvailable) {
        String servers = env.apply(BOOTSTRAP_SERVERS_ENV);
        if (servers != null && !servers.isBlank()) {
            return ENVIRONMENT;
        }
        return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : IN_PROCESS;
    }

    /** Starts (or, for {@link #ENVIRONMENT}, just names) this source's broker; blocks until it serves clients. */
    abstract RunningBroker start(Function<String, String> env);
}
