package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one step did for an order.
 *
 * @param step           which step
 * @param status         how it ended
 * @param durationMicros how long it ran, from start until it returned, failed or was cancelled,
 *                       retries and the waits between them included
 * @param detail         a short operator-facing note: the courier id, the decline reason;
 *                       never payment card data
 * @param attempts       how many times the step was called, at least 1: more than 1 when a
 *                       transient failure was retried (with the same idempotency key). Outcomes
 *                       written before attempts were counted have none; they read as 1
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(StepName step, StepStatus status, long durationMicros, String detail, int attempts) {

    public StepResult {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
    }

    /** What the codec reads: {@code attempts} absent or null (an older worker's outcome) is 1 attempt. */
    @JsonCreator
    static StepResult read(@JsonProperty("step") StepName step, @JsonProperty("status") StepStatus status,
                           @JsonProperty("durationMicros") long durationMicros, @JsonProperty("detail") String detail,
                           @JsonProperty("attempts") Integer attempts) {
        return new StepResult(step, status, durationMicros, detail, attempts == null ? 1 : attempts);
    }

    /** A step that was called once. */
    public StepResult(StepName step, StepStatus status, long durationMicros, String detail) {
        this(step, status, durationMicros, detail, 1);
    }
}
