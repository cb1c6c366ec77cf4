package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.OrderPlaced;

/** The payment step: authorise the order's amount with the payment provider. */
public interface PaymentGateway {

    /**
     * Authorises {@code order.amount()}. Must return promptly with {@link InterruptedException}
     * when interrupted: that is how a sibling's failure or the deadline cancels it. A second call
     * with the same {@link StepContext#idempotencyKey()} must not charge again: it answers the
     * first call's authorisation.
     *
     * @return the provider's authorisation reference
     * @throws PaymentDeclinedException   when the provider says no
     * @throws VendorUnavailableException when the provider cannot be reached now (transient)
     */
    String authorize(OrderPlaced order, StepContext context) throws InterruptedException, StepException;

    /**
     * Voids the authorisation that {@link #authorize} made for the same idempotency key, because
     * a sibling step failed. Idempotent: voiding twice voids once.
     *
     * @param authorization what {@link #authorize} returned
     * @return a short note for the outcome, e.g. {@code voided auth-42}
     * @throws UnsupportedOperationException by default: a gateway that cannot void says so, and
     *                                       the outcome reports the compensation as failed
     */
    default String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
            throws InterruptedException, StepException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot void an authorisation");
    }
}
