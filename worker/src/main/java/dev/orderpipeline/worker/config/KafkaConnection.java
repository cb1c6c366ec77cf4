package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.util.Map;

/**
 * Which Kafka cluster the worker talks to, and as whom.
 *
 * @param bootstrapServers   the cluster; empty only with {@code embeddedBroker}
 * @param embeddedBroker     start a local single-node broker in this process (development only)
 * @param embeddedBrokerPort the local broker's port; 0 picks a free one
 * @param groupId            the consumer group: workers with the same group share the partitions
 * @param workerId           names this instance in outcomes, dead letters, client ids and its
 *                           static group membership
 * @param overrides          extra Kafka client properties, applied last (e.g. security settings);
 *                           none of {@link #MANAGED_KEYS}
 * @param connectTimeout     how long start-up waits for the cluster to answer
 */
public record KafkaConnection(String bootstrapServers, boolean embeddedBroker, int embeddedBrokerPort, String groupId,
                              String workerId, Map<String, String> overrides, Duration connectTimeout) {

    static final String BOOTSTRAP_SERVERS = "--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS)";

    /** What a group is called unless told otherwise. */
    public static final String DEFAULT_GROUP_ID = "order-worker";
    /** How long start-up waits for the cluster unless told otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** Client properties the worker's guarantees depend on: not to be overridden. */
    static final Map<String, String> MANAGED_KEYS = Map.ofEntries(
            Map.entry("enable.auto.commit", "is managed by the worker: offsets are committed only after the outcome is acknowledged"),
            Map.entry("key.deserializer", "is managed by the worker: records are read as bytes so that bad input can be dead-lettered"),
            Map.entry("value.deserializer", "is managed by the worker: records are read as bytes so that bad input can be dead-lettered"),
            Map.entry("key.serializer", "is managed by the worker"),
            Map.entry("value.serializer", "is managed by the worker"),
            Map.entry("acks", "is managed by the worker: outcomes need acks=all"),
            Map.entry("enable.idempotence", "is managed by the worker: retries must not duplicate outcomes"),
            Map.entry("transactional.id", "is managed by the worker: --delivery exactly-once derives it from --group-id and --worker-id"),
            Map.entry("isolation.level", "is managed by the worker: it reads only committed orders, and exactly-once needs that"),
            Map.entry("group.id", "use --group-id"),
            Map.entry("group.instance.id", "is managed by the worker: it is the --worker-id, so that a restarted worker keeps its partitions"));

    public KafkaConnection {
        if (!embeddedBroker && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new ConfigException(BOOTSTRAP_SERVERS,
                    "not set; give the Kafka address, or --embedded-broker for a local development broker");
        }
        if (!embeddedBroker) {
            BootstrapServers.parse(bootstrapServers);
        }
        Checks.requirePort("--embedded-broker-port", embeddedBrokerPort);
        Checks.requireName("--group-id (GROUP_ID)", groupId);
        Checks.requireName("--worker-id (WORKER_ID)", workerId);
        overrides = Map.copyOf(overrides == null ? Map.of() : overrides);
        for (String key : overrides.keySet()) {
            if (MANAGED_KEYS.containsKey(key)) {
                throw new ConfigException("--kafka " + key, MANAGED_KEYS.get(key));
            }
        }
        Checks.requirePositive("--connect-timeout (CONNECT_TIMEOUT)", connectTimeout);
    }

    /** This connection to {@code bootstrapServers} instead: the local broker's address once it has started. */
    public KafkaConnection withBootstrapServers(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, embeddedBroker, embeddedBrokerPort, groupId, workerId, overrides,
                connectTimeout);
    }
}
