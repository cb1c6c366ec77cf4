package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The event on the {@code order-results} topic: exactly what happened to one order. The record
 * key is the order id. See {@code schemas/order-outcome.schema.json}.
 *
 * @param schemaVersion  {@link #SCHEMA_VERSION}
 * @param orderId        the order this is about
 * @param status         succeeded, failed or rejected
 * @param errorClass     why it did not succeed; {@code null} when it succeeded
 * @param errorMessage   a short operator-facing reason; {@code null} when it succeeded
 * @param steps          one entry per step that ran, in {@link StepName} order; empty for a
 *                       rejected order
 * @param attempt        the most attempts any step of the order took: 1 when nothing was
 *                       retried, 2 when a step succeeded (or finally failed) on its second call;
 *                       1 for a rejected order
 * @param orderCreatedAt the order's {@code createdAt}, so latency can be read off one event;
 *                       {@code null} when the order could not be read
 * @param receivedAt     when the worker took the record from Kafka
 * @param completedAt    when the worker decided the outcome
 * @param workerId       which worker instance decided it
 * @param compensations  the steps that had succeeded before the order failed, and whether each
 *                       was undone; empty (and left out of the JSON) when nothing needed undoing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderOutcome(
        int schemaVersion,
        String orderId,
        OrderStatus status,
        ErrorClass errorClass,
        String errorMessage,
        List<StepResult> steps,
        int attempt,
        Instant orderCreatedAt,
        Instant receivedAt,
        Instant completedAt,
        String workerId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Compensation> compensations) {

    public static final int SCHEMA_VERSION = 1;

    public OrderOutcome {
        steps = steps == null ? List.of() : List.copyOf(steps);
        compensations = compensations == null ? List.of() : List.copyOf(compensations);
    }

    /** An outcome with nothing to compensate. */
    public OrderOutcome(int schemaVersion, String orderId, OrderStatus status, ErrorClass errorClass,
                        String errorMessage, List<StepResult> steps, int attempt, Instant orderCreatedAt,
                        Instant receivedAt, Instant completedAt, String workerId) {
        this(schemaVersion, orderId, status, errorClass, errorMessage, steps, attempt, orderCreatedAt, receivedAt,
                completedAt, workerId, List.of());
    }
}
