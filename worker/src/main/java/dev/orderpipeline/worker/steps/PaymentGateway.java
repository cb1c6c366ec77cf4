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

    /**
     * Whether an {@link #authorize} call may take effect although its answer never arrives: true
     * for a remote provider, which acts on a request it received whether or not the caller still
     * waits. Then the pipeline asks {@link #voidUnanswered} after such a call.
     */
    default boolean actsWithoutAnswer() {
        return false;
    }

    /**
     * Voids what an {@link #authorize} call under the same idempotency key may have authorised
     * although its answer never arrived: the call was cancelled (a sibling failed, the deadline
     * passed) or timed out after the request had left, and a provider acts on a request it
     * received whether or not the caller still listens. Idempotent, like
     * {@link #voidAuthorization}.
     *
     * <p>The default holds that nothing was authorised: right for a gateway whose authorisation
     * takes effect only in a call that returns (the simulated one; see {@link #actsWithoutAnswer}).
     *
     * @return a short note for the outcome, or {@code null} when nothing was authorised under the key
     */
    default String voidUnanswered(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
        return null;
    }
}
