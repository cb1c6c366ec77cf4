package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.ErrorClass;

/** No courier could be taken from the pool in time. Capacity. */
public final class NoCourierAvailableException extends StepException {

    public NoCourierAvailableException(String message) {
        super(message, null);
    }

    public NoCourierAvailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorClass errorClass() {
        return ErrorClass.NO_COURIER_AVAILABLE;
    }
}
