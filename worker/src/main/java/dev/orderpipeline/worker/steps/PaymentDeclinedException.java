package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.ErrorClass;

/** The payment provider declined the payment. Business outcome: never retried. */
public final class PaymentDeclinedException extends StepException {

    public PaymentDeclinedException(String message) {
        super(message, null);
    }

    public PaymentDeclinedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorClass errorClass() {
        return ErrorClass.PAYMENT_DECLINED;
    }
}
