package dev.orderpipeline.worker.pipeline;

/** An order that cannot be processed as given; it reports as {@code invalid_order}. */
public final class InvalidOrderException extends Exception {

    public InvalidOrderException(String message) {
        super(message);
    }
}
