package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.StepName;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * What the pipeline tells a tracer while an order runs: the pipeline knows the steps, attempts,
 * cancellations and undos, the composition root connects it to a tracing library. Every method
 * works on the trace of the calling thread (the order's span on the order's thread, a step's
 * span on its thread). {@link #NONE} costs nothing: tracing off means no wrapping and no spans.
 */
public interface PipelineTracing {

    /** Traces nothing. */
    PipelineTracing NONE = new PipelineTracing() {
    };

    /**
     * {@code task} made to run in the calling thread's trace: a forked thread starts with none of
     * its parent's thread-locals, so the step threads of a scope get their order's trace this way.
     */
    default <T> Callable<T> inCurrentTrace(Callable<T> task) {
        return task;
    }

    /** The order's steps must be done by {@code deadline}; called on the order's thread before they start. */
    default void deadline(Instant deadline) {
    }

    /** The order's deadline passed and its steps were cancelled; called on the order's thread. */
    default void deadlineExpired(Duration deadline) {
    }

    /**
     * {@code step} failed for good and is about to cancel its siblings; called on the step's
     * thread before the scope sees the failure, so a sibling cancelled by it can say why.
     */
    default void stepFailed(StepName step, ErrorClass errorClass) {
    }

    /** Starts a span for attempt {@code attempt} of {@code step}, current on this thread until closed. */
    default Span attempt(StepName step, int attempt) {
        return Span.NONE;
    }

    /** Starts a span for the undo of {@code step}, current on this thread until closed. */
    default Span compensation(StepName step) {
        return Span.NONE;
    }

    /**
     * One traced piece of work: told once how it ended, then closed on the thread that started
     * it. Closing without an ending records nothing more.
     */
    interface Span extends AutoCloseable {

        Span NONE = new Span() {
        };

        default void succeeded() {
        }

        /** Failed with {@code failure}, classified as {@code errorClass}. */
        default void failed(ErrorClass errorClass, Throwable failure) {
        }

        /** Failed with {@code failure}, and the step is called again after {@code wait}. */
        default void retrying(ErrorClass errorClass, Throwable failure, Duration wait) {
        }

        /**
         * Interrupted by its scope: {@code deadlinePassed} when the order's (or the undos')
         * deadline passed, else a sibling failed or the worker is stopping.
         */
        default void cancelled(boolean deadlinePassed) {
        }

        @Override
        default void close() {
        }
    }
}
