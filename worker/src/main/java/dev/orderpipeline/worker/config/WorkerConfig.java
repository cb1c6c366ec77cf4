package dev.orderpipeline.worker.config;

import dev.orderpipeline.worker.kafka.Delivery;
import dev.orderpipeline.worker.kafka.Ordering;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.RetryPolicy;
import dev.orderpipeline.worker.steps.SimulationSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the worker is told at start-up, validated once here so that a wrong value stops
 * start-up with one line naming the key, instead of failing later in the middle of an order.
 *
 * @param bootstrapServers  the Kafka cluster; empty only with {@code embeddedBroker}
 * @param embeddedBroker    start a local single-node broker in this process (development only)
 * @param embeddedBrokerPort the local broker's port; 0 picks a free one
 * @param ordersTopic       where orders come from
 * @param resultsTopic      where outcomes go
 * @param deadLetterTopic   where records that are not valid orders go
 * @param groupId           the consumer group: workers with the same group share the partitions
 * @param workerId          names this instance in outcomes, dead letters and client ids
 * @param createTopics      create the three topics at start-up if they do not exist
 * @param topicPartitions   partitions of topics this worker creates
 * @param orderDeadline     how long one order's three steps may take together
 * @param maxInFlight       orders worked on at once, over all partitions
 * @param ordering          which orders of a partition may run at the same time
 * @param drainBudget       on SIGTERM, how long in-flight orders may take to finish
 * @param commitInterval    how often finished offsets are committed
 * @param courierPoolSize   couriers shared by all orders of this worker
 * @param maxOrderBytes     larger order records are dead-lettered as oversized
 * @param simulation        latency and failure behaviour of the built-in simulated steps
 * @param kafkaOverrides    extra Kafka client properties, applied last (e.g. security settings)
 * @param connectTimeout    how long start-up waits for the cluster to answer
 * @param services          the real step services for the HTTP adapters; {@code null} runs the
 *                          built-in simulated steps
 * @param httpPort          port of /metrics and /health/*; 0 picks a free one
 * @param retry             when a step is called again after a transient failure ({@link RetryOptions})
 * @param compensationDeadline how long undoing the succeeded steps of a failed order may take
 * @param delivery          at-least-once, or exactly-once with Kafka transactions
 */
public record WorkerConfig(
        String bootstrapServers,
        boolean embeddedBroker,
        int embeddedBrokerPort,
        String ordersTopic,
        String resultsTopic,
        String deadLetterTopic,
        String groupId,
        String workerId,
        boolean createTopics,
        int topicPartitions,
        Duration orderDeadline,
        int maxInFlight,
        Ordering ordering,
        Duration drainBudget,
        Duration commitInterval,
        int courierPoolSize,
        int maxOrderBytes,
        SimulationSettings simulation,
        Map<String, String> kafkaOverrides,
        Duration connectTimeout,
        int httpPort,
        StepServices services,
        RetryPolicy retry,
        Duration compensationDeadline,
        Delivery delivery) {

    /** Without {@code httpPort}: the endpoints listen on a free port, as tests and embedders want. */
    public WorkerConfig(String bootstrapServers, boolean embeddedBroker, int embeddedBrokerPort, String ordersTopic,
                        String resultsTopic, String deadLetterTopic, String groupId, String workerId, boolean createTopics,
                        int topicPartitions, Duration orderDeadline, int maxInFlight, Ordering ordering,
                        Duration drainBudget, Duration commitInterval, int courierPoolSize, int maxOrderBytes,
                        SimulationSettings simulation, Map<String, String> kafkaOverrides, Duration connectTimeout) {
        this(bootstrapServers, embeddedBroker, embeddedBrokerPort, ordersTopic, resultsTopic, deadLetterTopic, groupId,
                workerId, createTopics, topicPartitions, orderDeadline, maxInFlight, ordering, drainBudget, commitInterval,
                courierPoolSize, maxOrderBytes, simulation, kafkaOverrides, connectTimeout, /* httpPort= */ 0,
                /* services= */ null, RetryPolicy.DEFAULTS, OrderPipeline.DEFAULT_COMPENSATION_DEADLINE,
                Delivery.AT_LEAST_ONCE);
    }

    /** With the default retries and compensation deadline, at-least-once. */
    public WorkerConfig(String bootstrapServers, boolean embeddedBroker, int embeddedBrokerPort, String ordersTopic,
                        String resultsTopic, String deadLetterTopic, String groupId, String workerId, boolean createTopics,
                        int topicPartitions, Duration orderDeadline, int maxInFlight, Ordering ordering,
                        Duration drainBudget, Duration commitInterval, int courierPoolSize, int maxOrderBytes,
                        SimulationSettings simulation, Map<String, String> kafkaOverrides, Duration connectTimeout,
                        int httpPort, StepServices services) {
        this(bootstrapServers, embeddedBroker, embeddedBrokerPort, ordersTopic, resultsTopic, deadLetterTopic, groupId,
                workerId, createTopics, topicPartitions, orderDeadline, maxInFlight, ordering, drainBudget, commitInterval,
                courierPoolSize, maxOrderBytes, simulation, kafkaOverrides, connectTimeout, httpPort, services,
                RetryPolicy.DEFAULTS, OrderPipeline.DEFAULT_COMPENSATION_DEADLINE, Delivery.AT_LEAST_ONCE);
    }

    /** The same configuration with {@code retry} instead. */
    public WorkerConfig withRetry(RetryPolicy retry) {
        return new WorkerConfig(bootstrapServers, embeddedBroker, embeddedBrokerPort, ordersTopic, resultsTopic,
                deadLetterTopic, groupId, workerId, createTopics, topicPartitions, orderDeadline, maxInFlight, ordering,
                drainBudget, commitInterval, courierPoolSize, maxOrderBytes, simulation, kafkaOverrides, connectTimeout,
                httpPort, services, retry, compensationDeadline, delivery);
    }

    /** This configuration with {@code delivery} instead. */
    public WorkerConfig withDelivery(Delivery delivery) {
        return new WorkerConfig(bootstrapServers, embeddedBroker, embeddedBrokerPort, ordersTopic, resultsTopic,
                deadLetterTopic, groupId, workerId, createTopics, topicPartitions, orderDeadline, maxInFlight, ordering,
                drainBudget, commitInterval, courierPoolSize, maxOrderBytes, simulation, kafkaOverrides, connectTimeout,
                httpPort, services, retry, compensationDeadline, delivery);
    }

    public WorkerConfig {
        if (!embeddedBroker && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new ConfigException("--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS)",
                    "not set; give the Kafka address, or --embedded-broker for a local development broker");
        }
        if (!embeddedBroker) {
            BootstrapServers.parse(bootstrapServers);
        }
        if (embeddedBrokerPort < 0 || embeddedBrokerPort > 65_535) {
            throw new ConfigException("--embedded-broker-port", "must be 0..65535, got " + embeddedBrokerPort);
        }
        requireName("--orders-topic (ORDERS_TOPIC)", ordersTopic);
        requireName("--results-topic (RESULTS_TOPIC)", resultsTopic);
        requireName("--dead-letter-topic (DEAD_LETTER_TOPIC)", deadLetterTopic);
        requireName("--group-id (GROUP_ID)", groupId);
        requireName("--worker-id (WORKER_ID)", workerId);
        if (ordersTopic.equals(resultsTopic) || ordersTopic.equals(deadLetterTopic) || resultsTopic.equals(deadLetterTopic)) {
            throw new ConfigException("--orders-topic/--results-topic/--dead-letter-topic",
                    "must be three different topics, got " + ordersTopic + ", " + resultsTopic + ", " + deadLetterTopic);
        }
        requireAtLeast("--topic-partitions (TOPIC_PARTITIONS)", topicPartitions, 1);
        requirePositive("--order-deadline (ORDER_DEADLINE)", orderDeadline);
        requireAtLeast("--max-in-flight (MAX_IN_FLIGHT)", maxInFlight, 1);
        if (ordering == null) {
            throw new ConfigException("--ordering (ORDERING)", "must be one of key, partition, unordered");
        }
        if (delivery == null) {
            throw new ConfigException("--delivery (DELIVERY)", "must be one of at-least-once, exactly-once");
        }
        requirePositive("--drain-budget (DRAIN_BUDGET)", drainBudget);
        requirePositive("--commit-interval (COMMIT_INTERVAL)", commitInterval);
        requireAtLeast("--courier-pool-size (COURIER_POOL_SIZE)", courierPoolSize, 1);
        requireAtLeast("--max-order-bytes (MAX_ORDER_BYTES)", maxOrderBytes, 1024);
        Objects.requireNonNull(simulation, "simulation");
        requirePositive("--connect-timeout (CONNECT_TIMEOUT)", connectTimeout);
        if (httpPort < 0 || httpPort > 65_535) {
            throw new ConfigException("--http-port (HTTP_PORT)", "must be 0..65535, got " + httpPort);
        }
        if (retry == null) {
            throw new ConfigException(RetryOptions.MAX_ATTEMPTS, "retries not configured");
        }
        requirePositive("--compensation-deadline (COMPENSATION_DEADLINE)", compensationDeadline);
        kafkaOverrides = Map.copyOf(kafkaOverrides == null ? Map.of() : kafkaOverrides);
        for (String key : kafkaOverrides.keySet()) {
            if (MANAGED_KAFKA_KEYS.containsKey(key)) {
                throw new ConfigException("--kafka " + key, MANAGED_KAFKA_KEYS.get(key));
            }
        }
        if (delivery == Delivery.EXACTLY_ONCE) {
            TransactionBudget.check(kafkaOverrides, commitInterval);
        }
    }

    /** Client properties the worker's guarantees depend on: not to be overridden. */
    static final Map<String, String> MANAGED_KAFKA_KEYS = Map.ofEntries(
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

    private static void requireName(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "must not be empty");
        }
        if (!value.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new ConfigException(key, "\"" + value + "\" may only contain letters, digits, '.', '_' and '-'");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key, "must be a positive duration such as 500ms or 5s, got " + value);
        }
    }

    private static void requireAtLeast(String key, int value, int min) {
        if (value < min) {
            throw new ConfigException(key, "must be at least " + min + ", got " + value);
        }
    }
}
