package dev.orderpipeline.worker.config;

import dev.orderpipeline.contract.ErrorClass;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When and how a step is called again after a transient failure, inside its own task: a
 * payment that succeeded is not redone because the vendor was briefly unavailable.
 *
 * <p>A failed attempt is retried only if its class is in {@code retryOn}, attempts are left, the
 * backoff fits in the order's retry budget, and the step would wake before the order's deadline.
 * Business failures ({@code payment_declined}, {@code invalid_order}) and {@code internal} are
 * never retried, whatever {@code retryOn} says: retrying cannot change their answer.
 *
 * @param maxAttempts    calls of one step per order, the first included; 1 turns retries off
 * @param initialBackoff the cap of the first wait; each retry doubles it, up to {@code maxBackoff}.
 *                       The wait itself is drawn uniformly below the cap ("full jitter"), so
 *                       orders that failed together do not come back together
 * @param maxBackoff     the largest cap
 * @param budget         total time one order's steps may spend waiting between attempts,
 *                       summed over its three steps
 * @param retryOn        the classes that are retried: a subset of vendor_unavailable,
 *                       no_courier_available and timeout
 * @param attemptTimeout a single attempt taking longer fails as {@code timeout} (retried only if
 *                       {@code timeout} is in {@code retryOn}); {@code null} for no per-attempt
 *                       bound (the order's deadline still holds)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration budget,
                          Set<ErrorClass> retryOn, Duration attemptTimeout) {

    /** The classes a worker retries unless told otherwise. */
    public static final Set<ErrorClass> DEFAULT_RETRY_ON =
            Set.copyOf(EnumSet.of(ErrorClass.VENDOR_UNAVAILABLE, ErrorClass.NO_COURIER_AVAILABLE));

    /** 3 attempts, 50 ms doubling up to 1 s, 2 s of waiting per order, no per-attempt timeout. */
    public static final RetryPolicy DEFAULTS = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1),
            Duration.ofSeconds(2), DEFAULT_RETRY_ON, null);

    /** Every step called once. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(50), Duration.ofMillis(50),
            Duration.ZERO, Set.of(), null);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff);
        }
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative, got " + budget);
        }
        retryOn = Set.copyOf(Objects.requireNonNull(retryOn, "retryOn"));
        for (ErrorClass errorClass : retryOn) {
            if (!errorClass.retryable()) {
                throw new IllegalArgumentException(errorClass.code() + " is never retried (its action is "
                        + errorClass.action() + ")");
            }
        }
        if (attemptTimeout != null) {
            requirePositive("attemptTimeout", attemptTimeout);
        }
    }

    /** Whether a failed attempt of class {@code errorClass} may be retried. */
    public boolean retries(ErrorClass errorClass) {
        return errorClass.retryable() && retryOn.contains(errorClass);
    }

    /**
     * The cap of the wait before attempt {@code nextAttempt} (2 for the first retry):
     * {@code initialBackoff * 2^(nextAttempt - 2)}, at most {@code maxBackoff}.
     */
    public Duration backoffCap(int nextAttempt) {
        int doublings = Math.min(nextAttempt - 2, 40);
        long nanos = initialBackoff.toNanos();
        for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
