package dev.orderpipeline.worker.config;

import java.time.Duration;

/**
 * What a reader of the results can rely on, and in which order a partition's orders run.
 *
 * @param mode           at-least-once, or exactly-once with Kafka transactions
 * @param commitInterval how often finished offsets are committed (in exactly-once mode, how long
 *                       a transaction stays open, so how late outcomes become visible)
 * @param ordering       which orders of a partition may run at the same time
 */
public record DeliverySettings(Delivery mode, Duration commitInterval, Ordering ordering) {

    /** At-least-once, committing every second, same-key orders one after the other. */
    public static final DeliverySettings DEFAULTS = new DeliverySettings(Delivery.AT_LEAST_ONCE, Duration.ofSeconds(1),
            Ordering.KEY);

    public DeliverySettings {
        if (ordering == null) {
            throw new ConfigException("--ordering (ORDERING)", "must be one of key, partition, unordered");
        }
        if (mode == null) {
            throw new ConfigException("--delivery (DELIVERY)", "must be one of at-least-once, exactly-once");
        }
        Checks.requirePositive("--commit-interval (COMMIT_INTERVAL)", commitInterval);
    }
}
