package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.OrderPlaced;

/** The vendor step: tell the vendor's system to prepare the order. */
public interface VendorNotifier {

    /**
     * Notifies the vendor. Must return promptly with {@link InterruptedException} when
     * interrupted.
     *
     * @return the vendor's acknowledgement reference
     * @throws VendorUnavailableException when the vendor system cannot take it now
     */
    String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException;
}
