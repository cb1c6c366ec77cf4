package dev.orderpipeline.worker.steps.http;

/**
 * A service answered with a status that means our request is wrong (400, 404, 422, a 409 for a
 * key that is not ours, ...). Not a {@link dev.orderpipeline.worker.steps.StepException}, so the
 * pipeline's classifier reports it as {@code internal}: a bug to investigate, never retried.
 */
public final class UnexpectedResponseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnexpectedResponseException(String message) {
        super(message);
    }
}
