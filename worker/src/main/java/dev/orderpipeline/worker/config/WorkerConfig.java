package dev.orderpipeline.worker.config;

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
    public static WorkerConfigBuilder builder() {
        return new WorkerConfigBuilder();
    }

    /** A builder holding this configuration, to change some of it. */
    public WorkerConfigBuilder toBuilder() {
        return new WorkerConfigBuilder()
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
}
