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
 * @param attempt        1 for the first processing of this order by the pipeline
 * @param orderCreatedAt the order's {@code createdAt}, so latency can be read off one event;
 *                       {@code null} when the order could not be read
 * @param receivedAt     when the worker took the record from Kafka
 * @param completedAt    when the worker decided the outcome
 * @param workerId       which worker instance decided it
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
        String workerId) {

    public static final int SCHEMA_VERSION = 1;

    public OrderOutcome {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
