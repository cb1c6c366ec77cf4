package dev.orderpipeline.worker.config;

import java.time.Duration;
import java.util.Map;

/**
 * In exactly-once mode a transaction stays open from the first result sent after a commit to
 * the next commit, which comes every commit interval: in normal running and also while the
 * worker drains on a stop or waits for a revoked partition's orders (the loop keeps committing
 * what finished). The broker aborts a transaction open longer than the producer's
 * {@code transaction.timeout.ms}; the worker would then lose that transaction and redo its
 * orders at every commit. So a commit interval must leave {@link #SLACK} before that
 * timeout; the drain and revoke budgets need not fit in it.
 */
final class TransactionBudget {

    static final String TIMEOUT_KEY = "transaction.timeout.ms";
    /** The broker's default ceiling for any transaction's timeout. */
    static final Duration BROKER_DEFAULT_MAX_TIMEOUT = Duration.ofMinutes(15);
    /** What a commit, a poll and the acknowledgements still under way take after an interval. */
    static final Duration SLACK = Duration.ofSeconds(5);

    private TransactionBudget() {
    }

    /**
     * Unless {@code transaction.timeout.ms} is given, the worker sets it to fit the commit
     * interval (the Kafka side's {@code ClientProperties.transactionTimeout}); then only the broker's own ceiling,
     * {@code transaction.max.timeout.ms} (15 minutes by default), can be too low.
     *
     * @throws ConfigException naming the setting that does not fit
     */
    static void check(Map<String, String> kafkaOverrides, Duration commitInterval) {
        boolean given = kafkaOverrides.containsKey(TIMEOUT_KEY);
        Duration timeout = given ? timeout(kafkaOverrides) : BROKER_DEFAULT_MAX_TIMEOUT;
        Duration room = timeout.minus(SLACK);
        String limit = given ? "--kafka " + TIMEOUT_KEY + " (" + timeout.toMillis() + " ms)"
                : "the broker's default transaction.max.timeout.ms (" + timeout.toMillis() + " ms)";
        if (commitInterval.compareTo(room) > 0) {
            throw new ConfigException("--commit-interval (COMMIT_INTERVAL)", "with --delivery exactly-once, "
                    + commitInterval.toMillis() + " ms leaves no room within " + limit + " less " + SLACK.toSeconds() + " s");
        }
    }

    private static Duration timeout(Map<String, String> kafkaOverrides) {
        String value = kafkaOverrides.get(TIMEOUT_KEY);
        try {
            long millis = Long.parseLong(value.strip());
            if (millis > 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("--kafka " + TIMEOUT_KEY, "must be a positive number of milliseconds, got " + value);
    }
}
