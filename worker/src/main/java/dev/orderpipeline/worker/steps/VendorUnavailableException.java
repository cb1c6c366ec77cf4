package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.ErrorClass;

/** The vendor system could not take the order right now. Transient. */
public final class VendorUnavailableException extends StepException {

    public VendorUnavailableException(String message) {
        super(message, null);
    }

    public VendorUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorClass errorClass() {
        return ErrorClass.VENDOR_UNAVAILABLE;
    }
}
