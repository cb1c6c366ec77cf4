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

    /**
     * Gives the courier back because a sibling step failed. By default returns it to the local
     * pool; a dispatcher that also told a remote service recalls it there. Idempotent: the lease
     * is returned once, and a remote recall carries the dispatch's idempotency key.
     *
     * @return a short note for the outcome
     */
    default String release(OrderPlaced order, CourierPool.Lease lease, StepContext context)
            throws InterruptedException, StepException {
        lease.close();
        return lease.courierId() + " returned to the pool";
    }
}
