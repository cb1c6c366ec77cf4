package dev.orderpipeline.worker.steps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a step needs to know besides the order: when it must be finished, which attempt this is,
 * and the key that makes a repeated call harmless.
 *
 * @param deadline       when this call must be finished: the order's deadline, or earlier when
 *                       a per-attempt timeout is configured; a step that talks to a remote
 *                       service sends the remaining time with the request and uses it as the
 *                       call's timeout
 * @param idempotencyKey {@code <orderId>:<step>}, the same for every attempt of the step and for
 *                       its compensation; the same key twice must not charge twice
 * @param clock          the clock the deadline is measured on
 * @param attempt        1 for the first call of the step for this order, 2 for its first retry
 */
public record StepContext(Instant deadline, String idempotencyKey, Clock clock, int attempt) {

    public StepContext {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(clock, "clock");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
        }
    }

    /** The first attempt. */
    public StepContext(Instant deadline, String idempotencyKey, Clock clock) {
        this(deadline, idempotencyKey, clock, 1);
    }

    /** The same call's attempt {@code attempt}, to be finished by {@code deadline}. */
    public StepContext forAttempt(int attempt, Instant deadline) {
        return new StepContext(deadline, idempotencyKey, clock, attempt);
    }

    /** Time left until the deadline; zero, never negative, once it has passed. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
