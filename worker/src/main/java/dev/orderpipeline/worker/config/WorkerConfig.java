package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the worker is told at start-up, one small record per concern, each validated in
 * its own constructor so that a wrong value stops start-up with one line naming the key,
 * instead of failing later in the middle of an order. Only what spans groups is checked here.
 *
 * <p>Built with {@link #builder()}, which starts from the defaults, so a caller states only the
 * settings it cares about: {@code WorkerConfig.builder().bootstrapServers(servers).commitInterval(d).build()}.
 *
 * @param kafka    which cluster, as which group and worker, with which extra client properties
 * @param topics   where orders come from and where answers go
 * @param delivery at-least-once or exactly-once, how often offsets are committed, ordering
 * @param flow     how many orders at once, and how long each may take
 * @param steps    simulated steps or real services, and the courier pool
 * @param retry    when a step is called again after a transient failure ({@link RetryOptions})
 * @param http     where {@code /metrics} and {@code /health/*} listen
 */
public record WorkerConfig(KafkaConnection kafka, Topics topics, DeliverySettings delivery, Flow flow, StepSettings steps,
                           RetryPolicy retry, HttpSettings http) {

    public WorkerConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(http, "http");
        if (retry == null) {
            throw new ConfigException(RetryOptions.MAX_ATTEMPTS, "retries not configured");
        }
        if (delivery.mode() == Delivery.EXACTLY_ONCE) {
            TransactionBudget.check(kafka.overrides(), delivery.commitInterval());
        }
    }

    /**
     * The defaults of {@code order-worker}, except two that suit tests and embedders: the HTTP
     * endpoints take a free port, and the worker id is {@code order-worker-<pid>}. Kafka's
     * address is still to be given.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to change some of it. */
    public Builder toBuilder() {
        return new Builder()
                .kafka(kafka)
                .topics(topics)
                .delivery(delivery)
                .flow(flow)
                .steps(steps)
                .retry(retry)
                .httpPort(http.port());
    }

    /** This configuration with {@code kafka} instead. */
    public WorkerConfig withKafka(KafkaConnection kafka) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /** This configuration with {@code topics} instead. */
    public WorkerConfig withTopics(Topics topics) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /** This configuration with {@code delivery} instead. */
    public WorkerConfig withDelivery(DeliverySettings delivery) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /** This configuration with {@code flow} instead. */
    public WorkerConfig withFlow(Flow flow) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /** This configuration with {@code steps} instead. */
    public WorkerConfig withSteps(StepSettings steps) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /** This configuration with {@code retry} instead. */
    public WorkerConfig withRetry(RetryPolicy retry) {
        return new WorkerConfig(kafka, topics, delivery, flow, steps, retry, http);
    }

    /**
     * Collects settings one by one, starting from the defaults, and checks them all at
     * {@link #build()}: a group's values are checked together, so the order of the calls does
     * not matter. Not thread-safe.
     */
    public static final class Builder {

        private String bootstrapServers;
        private boolean embeddedBroker;
        private int embeddedBrokerPort;
        private String groupId = KafkaConnection.DEFAULT_GROUP_ID;
        private String workerId = "order-worker-" + ProcessHandle.current().pid();
        private Map<String, String> kafkaOverrides = Map.of();
        private Duration connectTimeout = KafkaConnection.DEFAULT_CONNECT_TIMEOUT;

        private String ordersTopic = Topics.DEFAULTS.orders();
        private String resultsTopic = Topics.DEFAULTS.results();
        private String deadLetterTopic = Topics.DEFAULTS.deadLetters();
        private boolean createTopics = Topics.DEFAULTS.create();
        private int topicPartitions = Topics.DEFAULTS.partitions();

        private Delivery delivery = DeliverySettings.DEFAULTS.mode();
        private Duration commitInterval = DeliverySettings.DEFAULTS.commitInterval();
        private Ordering ordering = DeliverySettings.DEFAULTS.ordering();

        private int maxInFlight = Flow.DEFAULTS.maxInFlight();
        private Duration orderDeadline = Flow.DEFAULTS.orderDeadline();
        private Duration compensationDeadline = Flow.DEFAULTS.compensationDeadline();
        private Duration drainBudget = Flow.DEFAULTS.drainBudget();
        private int maxOrderBytes = Flow.DEFAULTS.maxOrderBytes();

        private SimulationSettings simulation = StepSettings.DEFAULTS.simulation();
        private StepServices services = StepSettings.DEFAULTS.services();
        private int courierPoolSize = StepSettings.DEFAULTS.courierPoolSize();

        private RetryPolicy retry = RetryPolicy.DEFAULTS;
        private int httpPort = HttpSettings.ANY_FREE_PORT.port();

        private Builder() {
        }

        /** Checks every value, group by group. @throws ConfigException naming the first wrong one */
        public WorkerConfig build() {
            return new WorkerConfig(
                    new KafkaConnection(bootstrapServers, embeddedBroker, embeddedBrokerPort, groupId, workerId,
                            kafkaOverrides, connectTimeout),
                    new Topics(ordersTopic, resultsTopic, deadLetterTopic, createTopics, topicPartitions),
                    new DeliverySettings(delivery, commitInterval, ordering),
                    new Flow(maxInFlight, orderDeadline, compensationDeadline, drainBudget, maxOrderBytes),
                    new StepSettings(simulation, services, courierPoolSize),
                    retry,
                    new HttpSettings(httpPort));
        }

        // Kafka connection

        public Builder kafka(KafkaConnection kafka) {
            return bootstrapServers(kafka.bootstrapServers())
                    .embeddedBroker(kafka.embeddedBroker())
                    .embeddedBrokerPort(kafka.embeddedBrokerPort())
                    .groupId(kafka.groupId())
                    .workerId(kafka.workerId())
                    .kafkaOverrides(kafka.overrides())
                    .connectTimeout(kafka.connectTimeout());
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder embeddedBroker(boolean embeddedBroker) {
            this.embeddedBroker = embeddedBroker;
            return this;
        }

        public Builder embeddedBrokerPort(int embeddedBrokerPort) {
            this.embeddedBrokerPort = embeddedBrokerPort;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /** Extra Kafka client properties, applied last; replaces any given before. */
        public Builder kafkaOverrides(Map<String, String> kafkaOverrides) {
            this.kafkaOverrides = kafkaOverrides;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        // Topics

        public Builder topics(Topics topics) {
            return ordersTopic(topics.orders())
                    .resultsTopic(topics.results())
                    .deadLetterTopic(topics.deadLetters())
                    .createTopics(topics.create())
                    .topicPartitions(topics.partitions());
        }

        public Builder ordersTopic(String ordersTopic) {
            this.ordersTopic = ordersTopic;
            return this;
        }

        public Builder resultsTopic(String resultsTopic) {
            this.resultsTopic = resultsTopic;
            return this;
        }

        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder createTopics(boolean createTopics) {
            this.createTopics = createTopics;
            return this;
        }

        public Builder topicPartitions(int topicPartitions) {
            this.topicPartitions = topicPartitions;
            return this;
        }

        // Delivery

        public Builder delivery(DeliverySettings delivery) {
            return delivery(delivery.mode())
                    .commitInterval(delivery.commitInterval())
                    .ordering(delivery.ordering());
        }

        public Builder delivery(Delivery delivery) {
            this.delivery = delivery;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        public Builder ordering(Ordering ordering) {
            this.ordering = ordering;
            return this;
        }

        // Flow

        public Builder flow(Flow flow) {
            return maxInFlight(flow.maxInFlight())
                    .orderDeadline(flow.orderDeadline())
                    .compensationDeadline(flow.compensationDeadline())
                    .drainBudget(flow.drainBudget())
                    .maxOrderBytes(flow.maxOrderBytes());
        }

        public Builder maxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        public Builder orderDeadline(Duration orderDeadline) {
            this.orderDeadline = orderDeadline;
            return this;
        }

        public Builder compensationDeadline(Duration compensationDeadline) {
            this.compensationDeadline = compensationDeadline;
            return this;
        }

        public Builder drainBudget(Duration drainBudget) {
            this.drainBudget = drainBudget;
            return this;
        }

        public Builder maxOrderBytes(int maxOrderBytes) {
            this.maxOrderBytes = maxOrderBytes;
            return this;
        }

        // Steps

        public Builder steps(StepSettings steps) {
            return simulation(steps.simulation())
                    .services(steps.services())
                    .courierPoolSize(steps.courierPoolSize());
        }

        public Builder simulation(SimulationSettings simulation) {
            this.simulation = simulation;
            return this;
        }

        /** The real services the steps call over HTTP; {@code null} (the default) simulates them. */
        public Builder services(StepServices services) {
            this.services = services;
            return this;
        }

        public Builder courierPoolSize(int courierPoolSize) {
            this.courierPoolSize = courierPoolSize;
            return this;
        }

        // Retry and HTTP

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }
    }
}
