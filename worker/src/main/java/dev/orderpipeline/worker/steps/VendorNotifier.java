package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.OrderPlaced;

/** The vendor step: tell the vendor's system to prepare the order. */
public interface VendorNotifier {

    /**
     * Notifies the vendor. Must return promptly with {@link InterruptedException} when
     * interrupted. A second call with the same idempotency key notifies no more.
     *
     * @return the vendor's acknowledgement reference
     * @throws VendorUnavailableException when the vendor system cannot take it now
     */
    String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException;

    /**
     * Tells the vendor not to prepare the order after all, because a sibling step failed.
     * Idempotent: retracting twice retracts once.
     *
     * @param acknowledgement what {@link #notify} returned
     * @return a short note for the outcome
     * @throws UnsupportedOperationException by default: a notifier that cannot retract says so,
     *                                       and the outcome reports the compensation as failed
     */
    default String retract(OrderPlaced order, String acknowledgement, StepContext context)
            throws InterruptedException, StepException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot retract a notification");
    }
}
