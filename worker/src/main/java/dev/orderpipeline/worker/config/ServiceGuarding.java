package dev.orderpipeline.worker.config;

import java.time.Duration;

/**
 * How the worker protects the payment, vendor and courier services, and itself, when it calls
 * them over HTTP: a circuit breaker per service that pauses the intake of new orders while the
 * service is down, and a bulkhead per service that bounds the calls in progress at once.
 *
 * @param breakers           whether the breakers run; off, an outage fails every order that
 *                           reaches the dead service, after its retries (the bulkheads stay)
 * @param failureRatePercent a breaker opens when this share of the calls in its window failed
 *                           transiently (unreachable, timed out, 429 or 5xx), 1..100
 * @param window             the calls a breaker judges at a time (count-based), and the fewest
 *                           it needs before it may open
 * @param openWait           how long an open breaker holds new orders back before it lets
 *                           {@code probes} orders through to test the service; doubled after
 *                           each failed probe, up to a minute
 * @param probes             orders started while a breaker is half-open; their calls decide
 *                           whether it closes (all answered) or opens again
 * @param longestPause       the longest one outage may hold new orders back; after it, orders
 *                           run again and fail as today while the service stays down, until it
 *                           has answered again (see docs/operations.md)
 * @param maxCalls           calls in progress at once to one service; an order waits for a slot
 *                           within its own deadline
 */
public record ServiceGuarding(boolean breakers, int failureRatePercent, int window, Duration openWait, int probes,
                              Duration longestPause, int maxCalls) {

    static final String BREAKERS = "--breakers (BREAKERS)";
    static final String FAILURE_RATE = "--breaker-failure-rate (BREAKER_FAILURE_RATE)";
    static final String WINDOW = "--breaker-window (BREAKER_WINDOW)";
    static final String OPEN_WAIT = "--breaker-open-wait (BREAKER_OPEN_WAIT)";
    static final String PROBES = "--breaker-probes (BREAKER_PROBES)";
    static final String LONGEST_PAUSE = "--breaker-longest-pause (BREAKER_LONGEST_PAUSE)";
    static final String MAX_CALLS = "--bulkhead-max-calls (BULKHEAD_MAX_CALLS)";

    /**
     * Breakers on; open at 50 % transient failures of the last 20 calls; 5 s open, then 3 probe
     * orders; at most 5 min of pause per outage; 64 calls at once per service. Why these:
     * docs/operations.md, "Circuit breakers and bulkheads".
     */
    public static final ServiceGuarding DEFAULTS = new ServiceGuarding(true, 50, 20, Duration.ofSeconds(5), 3,
            Duration.ofMinutes(5), 64);

    public ServiceGuarding {
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new ConfigException(FAILURE_RATE, "must be a percentage 1..100, got " + failureRatePercent);
        }
        Checks.requireAtLeast(WINDOW, window, 2);
        Checks.requirePositive(OPEN_WAIT, openWait);
        Checks.requireAtLeast(PROBES, probes, 1);
        Checks.requirePositive(LONGEST_PAUSE, longestPause);
        Checks.requireAtLeast(MAX_CALLS, maxCalls, 1);
    }

    /** {@code on} or {@code off}, as {@code --breakers} takes it. @throws ConfigException otherwise */
    public static boolean parseSwitch(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new ConfigException(BREAKERS, "\"" + value + "\" is not one of on, off");
        };
    }
}
