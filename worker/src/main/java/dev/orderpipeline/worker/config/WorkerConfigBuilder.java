package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.util.Map;

/**
 * Collects settings one by one, starting from the defaults, and checks them all at
 * {@link #build()}: a group's values are checked together, so the order of the calls does
 * not matter. Made by {@link WorkerConfig#builder()} or {@link WorkerConfig#toBuilder()}. Not
 * thread-safe.
 */
public final class WorkerConfigBuilder {

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
    private ServiceGuarding guarding = StepSettings.DEFAULTS.guarding();

    private RetryPolicy retry = RetryPolicy.DEFAULTS;
    private int httpPort = HttpSettings.ANY_FREE_PORT.port();

    WorkerConfigBuilder() {
    }

    /** Checks every value, group by group. @throws ConfigException naming the first wrong one */
    public WorkerConfig build() {
        return new WorkerConfig(
                new KafkaConnection(bootstrapServers, embeddedBroker, embeddedBrokerPort, groupId, workerId,
                        kafkaOverrides, connectTimeout),
                new Topics(ordersTopic, resultsTopic, deadLetterTopic, createTopics, topicPartitions),
                new DeliverySettings(delivery, commitInterval, ordering),
                new Flow(maxInFlight, orderDeadline, compensationDeadline, drainBudget, maxOrderBytes),
                new StepSettings(simulation, services, courierPoolSize, guarding),
                retry,
                new HttpSettings(httpPort));
    }

    // Kafka connection

    public WorkerConfigBuilder kafka(KafkaConnection kafka) {
        return bootstrapServers(kafka.bootstrapServers())
                .embeddedBroker(kafka.embeddedBroker())
                .embeddedBrokerPort(kafka.embeddedBrokerPort())
                .groupId(kafka.groupId())
                .workerId(kafka.workerId())
                .kafkaOverrides(kafka.overrides())
                .connectTimeout(kafka.connectTimeout());
    }

    public WorkerConfigBuilder bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        return this;
    }

    public WorkerConfigBuilder embeddedBroker(boolean embeddedBroker) {
        this.embeddedBroker = embeddedBroker;
        return this;
    }

    public WorkerConfigBuilder embeddedBrokerPort(int embeddedBrokerPort) {
        this.embeddedBrokerPort = embeddedBrokerPort;
        return this;
    }

    public WorkerConfigBuilder groupId(String groupId) {
        this.groupId = groupId;
        return this;
    }

    public WorkerConfigBuilder workerId(String workerId) {
        this.workerId = workerId;
        return this;
    }

    /** Extra Kafka client properties, applied last; replaces any given before. */
    public WorkerConfigBuilder kafkaOverrides(Map<String, String> kafkaOverrides) {
        this.kafkaOverrides = kafkaOverrides;
        return this;
    }

    public WorkerConfigBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        return this;
    }

    // Topics

    public WorkerConfigBuilder topics(Topics topics) {
        return ordersTopic(topics.orders())
                .resultsTopic(topics.results())
                .deadLetterTopic(topics.deadLetters())
                .createTopics(topics.create())
                .topicPartitions(topics.partitions());
    }

    public WorkerConfigBuilder ordersTopic(String ordersTopic) {
        this.ordersTopic = ordersTopic;
        return this;
    }

    public WorkerConfigBuilder resultsTopic(String resultsTopic) {
        this.resultsTopic = resultsTopic;
        return this;
    }

    public WorkerConfigBuilder deadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
        return this;
    }

    public WorkerConfigBuilder createTopics(boolean createTopics) {
        this.createTopics = createTopics;
        return this;
    }

    public WorkerConfigBuilder topicPartitions(int topicPartitions) {
        this.topicPartitions = topicPartitions;
        return this;
    }

    // Delivery

    public WorkerConfigBuilder delivery(DeliverySettings delivery) {
        return delivery(delivery.mode())
                .commitInterval(delivery.commitInterval())
                .ordering(delivery.ordering());
    }

    public WorkerConfigBuilder delivery(Delivery delivery) {
        this.delivery = delivery;
        return this;
    }

    public WorkerConfigBuilder commitInterval(Duration commitInterval) {
        this.commitInterval = commitInterval;
        return this;
    }

    public WorkerConfigBuilder ordering(Ordering ordering) {
        this.ordering = ordering;
        return this;
    }

    // Flow

    public WorkerConfigBuilder flow(Flow flow) {
        return maxInFlight(flow.maxInFlight())
                .orderDeadline(flow.orderDeadline())
                .compensationDeadline(flow.compensationDeadline())
                .drainBudget(flow.drainBudget())
                .maxOrderBytes(flow.maxOrderBytes());
    }

    public WorkerConfigBuilder maxInFlight(int maxInFlight) {
        this.maxInFlight = maxInFlight;
        return this;
    }

    public WorkerConfigBuilder orderDeadline(Duration orderDeadline) {
        this.orderDeadline = orderDeadline;
        return this;
    }

    public WorkerConfigBuilder compensationDeadline(Duration compensationDeadline) {
        this.compensationDeadline = compensationDeadline;
        return this;
    }

    public WorkerConfigBuilder drainBudget(Duration drainBudget) {
        this.drainBudget = drainBudget;
        return this;
    }

    public WorkerConfigBuilder maxOrderBytes(int maxOrderBytes) {
        this.maxOrderBytes = maxOrderBytes;
        return this;
    }

    // Steps

    public WorkerConfigBuilder steps(StepSettings steps) {
        return simulation(steps.simulation())
                .services(steps.services())
                .courierPoolSize(steps.courierPoolSize())
                .guarding(steps.guarding());
    }

    public WorkerConfigBuilder simulation(SimulationSettings simulation) {
        this.simulation = simulation;
        return this;
    }

    /** The real services the steps call over HTTP; {@code null} (the default) simulates them. */
    public WorkerConfigBuilder services(StepServices services) {
        this.services = services;
        return this;
    }

    public WorkerConfigBuilder courierPoolSize(int courierPoolSize) {
        this.courierPoolSize = courierPoolSize;
        return this;
    }

    /** Circuit breakers and bulkheads around the HTTP steps' calls. */
    public WorkerConfigBuilder guarding(ServiceGuarding guarding) {
        this.guarding = guarding;
        return this;
    }

    // Retry and HTTP

    public WorkerConfigBuilder retry(RetryPolicy retry) {
        this.retry = retry;
        return this;
    }

    public WorkerConfigBuilder httpPort(int httpPort) {
        this.httpPort = httpPort;
        return this;
    }
}
