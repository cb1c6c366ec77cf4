package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.ErrorClass;

/**
 * A step failed for a reason the business understands. Each subclass stands for one
 * {@link ErrorClass}, the Java form of the Go design's sentinel errors: wrap it as deeply as
 * you like, the pipeline's classifier still finds it in the cause chain.
 */
public abstract sealed class StepException extends Exception
        permits PaymentDeclinedException, VendorUnavailableException, NoCourierAvailableException {

    protected StepException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The class this failure reports as. */
    public abstract ErrorClass errorClass();
}
