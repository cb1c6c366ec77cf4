package dev.orderpipeline.worker.pipeline;

import java.time.Duration;

/** An order's deadline passed before its steps finished; it reports as {@code timeout}. */
public final class DeadlineExceededException extends Exception {

    public DeadlineExceededException(Duration deadline) {
        super("steps did not finish within the order deadline of " + deadline.toMillis() + " ms");
    }
}
