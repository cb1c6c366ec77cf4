package dev.orderpipeline.localkafka;

import java.util.List;

/**
 * Lowers the broker's own logging to WARN, because at INFO one start prints about 3,000 lines
 * (mostly full config dumps), which buries a test's output.
 *
 * <p>Kafka's server code logs through SLF4J (the Scala part through scala-logging), so the level
 * is whatever the application's SLF4J provider says. log4j-core does come in with kafka-server,
 * but only for Kafka's runtime "change a logger's level" API; it is not an SLF4J provider and
 * routes no broker output. This class therefore sets the levels of the provider this project
 * uses, slf4j-simple, through its system properties. slf4j-simple reads them each time it creates
 * a logger, so they take effect for every broker class loaded after this call. Other providers
 * are left to their own configuration (log4j2's default is already ERROR; logback users set
 * {@code kafka} and {@code org.apache.kafka} to WARN in logback.xml).
 *
 * <p>A level the user already chose, with {@code -Dorg.slf4j.simpleLogger.log.kafka=info} for
 * example, is kept. The {@code org.apache.kafka} prefix also covers Kafka clients created later in
 * the same JVM: the broker logs through the very same classes (config dumps, app info, metrics),
 * so they cannot be told apart by logger name.
 */
final class QuietBrokerLogging {

    private static final String SIMPLE_LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";
    // "kafka" holds the Scala broker (kafka.server, kafka.network, ...); "org.apache.kafka" the
    // Java broker modules (raft, controller, storage, coordinators) and the shared client code;
    // "state.change.logger" is a bare name that logs every partition created (50 for the first
    // consumer group's __consumer_offsets alone).
    private static final List<String> BROKER_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    private QuietBrokerLogging() {}

    /** Idempotent; call before the first broker class is loaded. */
    static void apply() {
        for (String logger : BROKER_LOGGERS) {
            String key = SIMPLE_LOGGER_PREFIX + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
