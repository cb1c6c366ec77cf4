package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.OrderPlaced;

/** The courier step: take a courier from the limited shared pool for the order. */
public interface CourierDispatcher {

    /**
     * Assigns a courier. Waiting for a free courier honours interruption and the deadline.
     *
     * @return the assignment; the caller releases it when the order is over
     * @throws NoCourierAvailableException when no courier is free in time
     */
    CourierPool.Lease assign(OrderPlaced order, StepContext context) throws InterruptedException, StepException;
}
