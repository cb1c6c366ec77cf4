package dev.orderpipeline.worker.steps;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a step needs to know besides the order: when the order must be finished, and the key
 * that makes a repeated call harmless.
 *
 * @param deadline       the order's deadline; a step that talks to a remote service sends the
 *                       remaining time with the request and uses it as the call's timeout
 * @param idempotencyKey {@code <orderId>:<step>}; the same key twice must not charge twice
 * @param clock          the clock the deadline is measured on
 */
public record StepContext(Instant deadline, String idempotencyKey, Clock clock) {

    public StepContext {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(clock, "clock");
    }

    /** Time left until the deadline; zero, never negative, once it has passed. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
