package dev.orderpipeline.testkafka;

import java.util.Map;

/**
 * Keeps test logs to what a failing test needs, whichever broker {@link TestKafka} picked.
 *
 * <p>Without Docker, Testcontainers' probe logs an ERROR listing every discovery strategy it
 * tried, on every run, although falling back to the in-process broker is the expected path
 * ({@link TestKafka} logs the broker it chose itself). Kafka clients log their full configuration
 * at INFO each time one is created; the in-process broker already lowers {@code org.apache.kafka}
 * to WARN (its code and the clients' share those loggers), so doing the same here keeps the
 * output alike for all three broker sources.
 *
 * <p>Like the broker's own levels, these are slf4j-simple system properties (the provider this
 * project's tests use), set only where the user has not chosen a level: run with
 * {@code -Dorg.slf4j.simpleLogger.log.org.testcontainers.dockerclient=info} to see why Docker
 * was not found.
 */
final class QuietTestLogging {

    private static final String SIMPLE_LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";
    private static final Map<String, String> LEVELS = Map.of(
            "org.apache.kafka", "warn",
            // Image pulls and container starts at INFO say nothing a test needs.
            "org.testcontainers", "warn",
            // The Docker discovery strategies: their failure is an ERROR even when it is expected.
            "org.testcontainers.dockerclient", "off");

    private QuietTestLogging() {}

    /** Idempotent; takes effect for loggers created after the call. */
    static void apply() {
        LEVELS.forEach((logger, level) -> {
            String key = SIMPLE_LOGGER_PREFIX + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, level);
            }
        });
    }
}
