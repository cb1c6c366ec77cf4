package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the built-in simulated steps behave: how long each takes, and how often each fails on
 * its own (on top of the faults an order asks for with its {@code simulate} field).
 *
 * @param paymentLatency     mean time of a payment authorisation
 * @param vendorLatency      mean time of a vendor notification
 * @param courierLatency     mean time to dispatch a courier once one is taken from the pool
 * @param jitter             each latency varies uniformly by up to this much either way
 * @param paymentDeclineRate share of orders declined at random, 0..1
 * @param vendorOutageRate   share of vendor calls failing at random, 0..1
 * @param slowStepDelay      how long a step asked to be {@code slow} takes: longer than any deadline
 */
public record SimulationSettings(
        Duration paymentLatency,
        Duration vendorLatency,
        Duration courierLatency,
        Duration jitter,
        double paymentDeclineRate,
        double vendorOutageRate,
        Duration slowStepDelay) {

    /** 20 ms steps with 5 ms of jitter and no random failures. */
    public static final SimulationSettings DEFAULTS = new SimulationSettings(
            Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(5),
            0.0, 0.0, Duration.ofHours(1));

    public SimulationSettings {
        requireNonNegative("paymentLatency", paymentLatency);
        requireNonNegative("vendorLatency", vendorLatency);
        requireNonNegative("courierLatency", courierLatency);
        requireNonNegative("jitter", jitter);
        requireNonNegative("slowStepDelay", slowStepDelay);
        requireShare("paymentDeclineRate", paymentDeclineRate);
        requireShare("vendorOutageRate", vendorOutageRate);
    }

    /** The same settings with every step taking {@code latency} and no jitter. */
    public static SimulationSettings fixedLatency(Duration latency) {
        return new SimulationSettings(latency, latency, latency, Duration.ZERO, 0.0, 0.0, DEFAULTS.slowStepDelay);
    }

    private static void requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
        }
    }
}
