package dev.orderpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one step did for an order.
 *
 * @param step           which step
 * @param status         how it ended
 * @param durationMicros how long it ran, from start until it returned, failed or was cancelled
 * @param detail         a short operator-facing note: the courier id, the decline reason;
 *                       never payment card data
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(StepName step, StepStatus status, long durationMicros, String detail) {
}
