package dev.orderpipeline.worker.app;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.config.Delivery;
import dev.orderpipeline.worker.config.LogFormat;
import dev.orderpipeline.worker.config.Ordering;
import dev.orderpipeline.worker.config.RetryOptions;
import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code order-worker}'s options, and the {@link WorkerConfig} they make. A picocli mixin of
 * {@link Main}; the environment and the {@code --config} file reach these fields as defaults
 * ({@link LayeredDefaults}). Read on the main thread, at start-up only.
 */
final class WorkerFlags {

    @Option(names = LayeredDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Properties file with settings, one per line: the long option name without dashes "
                    + "(order-deadline=5s), or kafka.<client property>=value. Unknown keys are refused. Env: WORKER_CONFIG.")
    String configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers. Env: KAFKA_BOOTSTRAP_SERVERS.")
    String bootstrapServers;

    @Option(names = "--embedded-broker",
            description = "Start a local single-node Kafka broker inside this process and use it (development only; "
                    + "topics are created).")
    boolean embeddedBroker;

    @Option(names = "--embedded-broker-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of the local broker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int embeddedBrokerPort;

    @Option(names = "--orders-topic", defaultValue = "orders",
            description = "Topic to read orders from. Env: ORDERS_TOPIC (default: ${DEFAULT-VALUE}).")
    String ordersTopic;

    @Option(names = "--results-topic", defaultValue = "order-results",
            description = "Topic for outcomes. Env: RESULTS_TOPIC (default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "orders.DLT",
            description = "Topic for records that are not valid orders. Env: DEAD_LETTER_TOPIC (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "order-worker",
            description = "Consumer group; workers in one group share the partitions. Env: GROUP_ID (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--worker-id",
            description = "Names this instance in outcomes and logs. Env: WORKER_ID (default: host-pid).")
    String workerId;

    @Option(names = "--create-topics", defaultValue = "false",
            description = "Create the three topics at start-up if missing; without it a missing topic stops start-up "
                    + "with exit code 4. Env: CREATE_TOPICS (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--topic-partitions", defaultValue = "6",
            description = "Partitions of topics the worker creates. Env: TOPIC_PARTITIONS (default: ${DEFAULT-VALUE}).")
    int topicPartitions;

    @Option(names = "--order-deadline", defaultValue = "5s", paramLabel = "DURATION",
            description = "Time one order's three steps may take together; then all are cancelled and the order "
                    + "times out. Env: ORDER_DEADLINE (default: ${DEFAULT-VALUE}).")
    String orderDeadline;

    @Option(names = "--max-in-flight", defaultValue = "256",
            description = "Orders worked on at once; fetching pauses at this many. Env: MAX_IN_FLIGHT (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--ordering", defaultValue = "key", paramLabel = "MODE",
            description = "Which orders of a partition run at once: key (same key one after the other), partition "
                    + "(one at a time per partition), unordered. Env: ORDERING (default: ${DEFAULT-VALUE}).")
    String ordering;

    @Option(names = "--delivery", defaultValue = "at-least-once", paramLabel = "MODE",
            description = "at-least-once (offsets committed after the outcomes are acknowledged; a crash can repeat "
                    + "an outcome) or exactly-once (outcomes, dead letters and offsets in one Kafka transaction per "
                    + "commit interval; read_committed consumers see each outcome once). Env: DELIVERY (default: ${DEFAULT-VALUE}).")
    String delivery;

    @Option(names = "--drain-budget", defaultValue = "30s", paramLabel = "DURATION",
            description = "On SIGTERM, time in-flight orders get to finish. Env: DRAIN_BUDGET (default: ${DEFAULT-VALUE}).")
    String drainBudget;

    @Option(names = "--commit-interval", defaultValue = "1s", paramLabel = "DURATION",
            description = "How often finished offsets are committed. Env: COMMIT_INTERVAL (default: ${DEFAULT-VALUE}).")
    String commitInterval;

    @Option(names = "--courier-pool-size", defaultValue = "64",
            description = "Couriers shared by this worker's orders. Env: COURIER_POOL_SIZE (default: ${DEFAULT-VALUE}).")
    int courierPoolSize;

    @Option(names = "--max-order-bytes", defaultValue = "" + OrderCodec.DEFAULT_MAX_ORDER_BYTES,
            description = "Larger order records are dead-lettered. Env: MAX_ORDER_BYTES (default: ${DEFAULT-VALUE}).")
    int maxOrderBytes;

    @Option(names = "--retry-max-attempts", defaultValue = "3", paramLabel = "N",
            description = "Calls of one step per order, the first included, when it fails transiently (see --retry-on); "
                    + "1 turns retries off. Env: RETRY_MAX_ATTEMPTS (default: ${DEFAULT-VALUE}).")
    int retryMaxAttempts;

    @Option(names = "--retry-backoff", defaultValue = "50ms", paramLabel = "DURATION",
            description = "Cap of the first wait before a retry; it doubles per retry, the wait is drawn below it "
                    + "(full jitter). Env: RETRY_BACKOFF (default: ${DEFAULT-VALUE}).")
    String retryBackoff;

    @Option(names = "--retry-max-backoff", defaultValue = "1s", paramLabel = "DURATION",
            description = "Largest cap of a wait before a retry. Env: RETRY_MAX_BACKOFF (default: ${DEFAULT-VALUE}).")
    String retryMaxBackoff;

    @Option(names = "--retry-budget", defaultValue = "2s", paramLabel = "DURATION",
            description = "Total time one order's steps may wait between attempts; the order deadline bounds it too. "
                    + "Env: RETRY_BUDGET (default: ${DEFAULT-VALUE}).")
    String retryBudget;

    @Option(names = "--retry-on", defaultValue = "vendor_unavailable,no_courier_available", paramLabel = "CLASSES",
            description = "Error classes retried: any of vendor_unavailable, no_courier_available, timeout, or none. "
                    + "payment_declined, invalid_order and internal are never retried. Env: RETRY_ON (default: ${DEFAULT-VALUE}).")
    String retryOn;

    @Option(names = "--step-attempt-timeout", defaultValue = "off", paramLabel = "DURATION",
            description = "One step attempt taking longer fails as timeout (retried if timeout is in --retry-on); off: "
                    + "only the order deadline bounds it. Env: STEP_ATTEMPT_TIMEOUT (default: ${DEFAULT-VALUE}).")
    String stepAttemptTimeout;

    @Option(names = "--compensation-deadline", defaultValue = "2s", paramLabel = "DURATION",
            description = "Time the undos of a failed order (void the payment, retract the vendor notification) may "
                    + "take, after the order's own deadline. Env: COMPENSATION_DEADLINE (default: ${DEFAULT-VALUE}).")
    String compensationDeadline;

    @Option(names = "--step-latency", defaultValue = "20ms", paramLabel = "DURATION",
            description = "Simulated steps: mean latency of each step. Env: STEP_LATENCY (default: ${DEFAULT-VALUE}).")
    String stepLatency;

    @Option(names = "--step-jitter", defaultValue = "5ms", paramLabel = "DURATION",
            description = "Simulated steps: latency varies by up to this either way. Env: STEP_JITTER (default: ${DEFAULT-VALUE}).")
    String stepJitter;

    @Option(names = "--payment-decline-rate", defaultValue = "0",
            description = "Simulated steps: share of payments declined at random, 0..1. Env: PAYMENT_DECLINE_RATE (default: ${DEFAULT-VALUE}).")
    double paymentDeclineRate;

    @Option(names = "--vendor-outage-rate", defaultValue = "0",
            description = "Simulated steps: share of vendor calls failing at random, 0..1. Env: VENDOR_OUTAGE_RATE (default: ${DEFAULT-VALUE}).")
    double vendorOutageRate;

    @Option(names = "--connect-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "At start-up, how long to wait for the Kafka cluster to answer before exiting with code 4. "
                    + "Env: CONNECT_TIMEOUT (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port of GET /metrics (Prometheus), /health/live and /health/ready; 0 picks a free one "
                    + "(logged). Env: HTTP_PORT (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (one readable line per event, on stderr) or json (one JSON object per line, on "
                    + "stdout, with order_id on every line about an order). Env: LOG_FORMAT (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--payment-url", paramLabel = "URL",
            description = "Base URL of the payment service; with --vendor-url and --courier-url the worker calls the "
                    + "three services over HTTP instead of simulating them. Env: PAYMENT_URL.")
    String paymentUrl;

    @Option(names = "--vendor-url", paramLabel = "URL", description = "Base URL of the vendor service. Env: VENDOR_URL.")
    String vendorUrl;

    @Option(names = "--courier-url", paramLabel = "URL", description = "Base URL of the courier service. Env: COURIER_URL.")
    String courierUrl;

    @Option(names = "--breakers", defaultValue = "on", paramLabel = "on|off",
            description = "HTTP steps: a circuit breaker per service; while one is open the worker starts no new orders "
                    + "and pauses fetching, so they wait in the topic instead of failing. off: every order that meets "
                    + "a dead service fails after its retries. Env: BREAKERS (default: ${DEFAULT-VALUE}).")
    String breakers;

    @Option(names = "--breaker-failure-rate", defaultValue = "50", paramLabel = "PERCENT",
            description = "A breaker opens when this share of its service's last --breaker-window calls failed "
                    + "transiently (unreachable, timeout, 429, 5xx; not declines). Env: BREAKER_FAILURE_RATE (default: ${DEFAULT-VALUE}).")
    int breakerFailureRate;

    @Option(names = "--breaker-window", defaultValue = "20", paramLabel = "CALLS",
            description = "Calls a breaker judges at a time, and the fewest before it may open. Env: BREAKER_WINDOW (default: ${DEFAULT-VALUE}).")
    int breakerWindow;

    @Option(names = "--breaker-open-wait", defaultValue = "5s", paramLabel = "DURATION",
            description = "How long an open breaker holds new orders back before probe orders test the service; "
                    + "doubled after each failed probe, up to 1m. Env: BREAKER_OPEN_WAIT (default: ${DEFAULT-VALUE}).")
    String breakerOpenWait;

    @Option(names = "--breaker-probes", defaultValue = "3", paramLabel = "N",
            description = "Orders let through while a breaker is half-open; all answered closes it. "
                    + "Env: BREAKER_PROBES (default: ${DEFAULT-VALUE}).")
    int breakerProbes;

    @Option(names = "--breaker-longest-pause", defaultValue = "5m", paramLabel = "DURATION",
            description = "The longest one outage may hold new orders back; then they run and fail as without breakers "
                    + "until the service has answered again. Env: BREAKER_LONGEST_PAUSE (default: ${DEFAULT-VALUE}).")
    String breakerLongestPause;

    @Option(names = "--bulkhead-max-calls", defaultValue = "64", paramLabel = "N",
            description = "HTTP steps: calls in progress at once to one service; an order waits for a slot within its "
                    + "deadline. Env: BULKHEAD_MAX_CALLS (default: ${DEFAULT-VALUE}).")
    int bulkheadMaxCalls;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property for all clients, e.g. --kafka security.protocol=SASL_SSL. Repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    /** The configuration these flags make, over {@code defaults}' file Kafka properties and worker id. */
    WorkerConfig config(LayeredDefaults defaults) {
        Map<String, String> kafka = new LinkedHashMap<>(defaults.fileKafkaProperties());
        kafka.putAll(kafkaProperties);
        SimulationSettings simulation;
        Duration latency = duration("--step-latency (STEP_LATENCY)", stepLatency);
        try {
            simulation = new SimulationSettings(latency, latency, latency, duration("--step-jitter (STEP_JITTER)", stepJitter),
                    paymentDeclineRate, vendorOutageRate, SimulationSettings.DEFAULTS.slowStepDelay());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("simulated steps", e.getMessage());
        }
        // Parsed in the order of the options above, so that of two bad values the same one is named first.
        return WorkerConfig.builder()
                .bootstrapServers(bootstrapServers)
                .embeddedBroker(embeddedBroker)
                .embeddedBrokerPort(embeddedBrokerPort)
                .ordersTopic(ordersTopic)
                .resultsTopic(resultsTopic)
                .deadLetterTopic(deadLetterTopic)
                .groupId(groupId)
                .workerId(workerId == null || workerId.isBlank() ? defaults.defaultWorkerId() : workerId)
                .createTopics(createTopics)
                .topicPartitions(topicPartitions)
                .orderDeadline(duration("--order-deadline (ORDER_DEADLINE)", orderDeadline))
                .maxInFlight(maxInFlight)
                .ordering(ordering(ordering))
                .drainBudget(duration("--drain-budget (DRAIN_BUDGET)", drainBudget))
                .commitInterval(duration("--commit-interval (COMMIT_INTERVAL)", commitInterval))
                .courierPoolSize(courierPoolSize)
                .maxOrderBytes(maxOrderBytes)
                .simulation(simulation)
                .kafkaOverrides(kafka)
                .connectTimeout(duration("--connect-timeout (CONNECT_TIMEOUT)", connectTimeout))
                .httpPort(httpPort)
                .services(StepServices.of(paymentUrl, vendorUrl, courierUrl))
                .retry(RetryOptions.policy(retryMaxAttempts, retryBackoff, retryMaxBackoff, retryBudget, retryOn,
                        stepAttemptTimeout))
                .compensationDeadline(duration("--compensation-deadline (COMPENSATION_DEADLINE)", compensationDeadline))
                .delivery(delivery(delivery))
                .guarding(new ServiceGuarding(ServiceGuarding.parseSwitch(breakers), breakerFailureRate, breakerWindow,
                        duration("--breaker-open-wait (BREAKER_OPEN_WAIT)", breakerOpenWait), breakerProbes,
                        duration("--breaker-longest-pause (BREAKER_LONGEST_PAUSE)", breakerLongestPause),
                        bulkheadMaxCalls))
                .build();
    }

    /** The log format asked for; the process's, not the worker's, so not part of {@link WorkerConfig}. */
    LogFormat logFormat() {
        return LogFormat.parse(logFormat);
    }

    private static Delivery delivery(String value) {
        try {
            return Delivery.parse(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--delivery (DELIVERY)", "\"" + value + "\" is not one of at-least-once, exactly-once");
        }
    }

    private static Ordering ordering(String value) {
        try {
            return Ordering.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException("--ordering (ORDERING)", "\"" + value + "\" is not one of key, partition, unordered");
        }
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
