package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.StepName;
import java.time.Duration;

/**
 * What the pipeline tells the outside while it works, for metrics: the pipeline knows nothing
 * of meters, the composition root connects the two. Called on step threads of many orders at
 * once: implementations must be thread-safe and quick.
 */
public interface PipelineEvents {

    /** Reports nothing. */
    PipelineEvents NONE = new PipelineEvents() {
    };

    /** {@code step} failed with {@code errorClass} and will be called again after a backoff. */
    default void retrying(StepName step, ErrorClass errorClass) {
    }

    /**
     * One call of {@code step} ended after {@code duration}, however the step as a whole ends:
     * a step retried twice reports three attempts. Undos are not reported here.
     */
    default void attempted(StepName step, AttemptResult result, Duration duration) {
    }

    /** A step of a failed order was undone, or could not be. */
    default void compensation(String orderId, Compensation compensation) {
    }
}
