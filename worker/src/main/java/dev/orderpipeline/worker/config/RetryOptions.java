package dev.orderpipeline.worker.config;

import dev.orderpipeline.contract.Durations;
import dev.orderpipeline.contract.ErrorClass;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The retry options as given ({@code --retry-max-attempts}, {@code --retry-backoff}, ...), turned
 * into a {@link RetryPolicy}, each value checked against its own key so that a bad one stops
 * start-up with one line naming it.
 */
public final class RetryOptions {

    static final String MAX_ATTEMPTS = "--retry-max-attempts (RETRY_MAX_ATTEMPTS)";
    static final String BACKOFF = "--retry-backoff (RETRY_BACKOFF)";
    static final String MAX_BACKOFF = "--retry-max-backoff (RETRY_MAX_BACKOFF)";
    static final String BUDGET = "--retry-budget (RETRY_BUDGET)";
    static final String RETRY_ON = "--retry-on (RETRY_ON)";
    static final String ATTEMPT_TIMEOUT = "--step-attempt-timeout (STEP_ATTEMPT_TIMEOUT)";

    /** What {@code --retry-on} accepts: the classes whose action is to retry. */
    private static final String RETRYABLE = EnumSet.allOf(ErrorClass.class).stream()
            .filter(ErrorClass::retryable).map(ErrorClass::code).collect(Collectors.joining(", "));

    private RetryOptions() {
    }

    /**
     * @param maxAttempts    calls of one step per order, at least 1 (1: no retries)
     * @param backoff        the first wait's cap, e.g. {@code 50ms}
     * @param maxBackoff     the largest cap, at least {@code backoff}
     * @param budget         total waiting per order; {@code 0s} allows no retry
     * @param retryOn        comma-separated error classes, or {@code none}
     * @param attemptTimeout per-attempt bound, or {@code off}/empty for none
     * @throws ConfigException naming the option of the first bad value
     */
    public static RetryPolicy policy(int maxAttempts, String backoff, String maxBackoff, String budget, String retryOn,
                                     String attemptTimeout) {
        if (maxAttempts < 1) {
            throw new ConfigException(MAX_ATTEMPTS, "must be at least 1 (1 turns retries off), got " + maxAttempts);
        }
        Duration initial = positive(BACKOFF, backoff);
        Duration max = positive(MAX_BACKOFF, maxBackoff);
        if (max.compareTo(initial) < 0) {
            throw new ConfigException(MAX_BACKOFF, "must not be shorter than --retry-backoff " + backoff + ", got " + maxBackoff);
        }
        Duration total = duration(BUDGET, budget);
        if (total.isNegative()) {
            throw new ConfigException(BUDGET, "must not be negative, got " + budget);
        }
        Duration perAttempt = attemptTimeout == null || attemptTimeout.isBlank()
                || attemptTimeout.strip().equalsIgnoreCase("off") ? null : positive(ATTEMPT_TIMEOUT, attemptTimeout);
        return new RetryPolicy(maxAttempts, initial, max, total, classes(retryOn), perAttempt);
    }

    private static Set<ErrorClass> classes(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("none")) {
            return Set.of();
        }
        Set<ErrorClass> classes = EnumSet.noneOf(ErrorClass.class);
        for (String code : value.split(",")) {
            String name = code.strip().toLowerCase(Locale.ROOT);
            ErrorClass errorClass = ErrorClass.fromCode(name).orElseThrow(() -> new ConfigException(RETRY_ON,
                    "\"" + name + "\" is not an error class; retryable are " + RETRYABLE));
            if (!errorClass.retryable()) {
                throw new ConfigException(RETRY_ON, name + " is never retried (retrying cannot change its answer); "
                        + "retryable are " + RETRYABLE);
            }
            classes.add(errorClass);
        }
        return classes;
    }

    private static Duration positive(String key, String value) {
        Duration duration = duration(key, value);
        if (duration.isNegative() || duration.isZero()) {
            throw new ConfigException(key, "must be a positive duration such as 50ms or 1s, got " + value);
        }
        return duration;
    }

    private static Duration duration(String key, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, e.getMessage());
        }
    }
}
