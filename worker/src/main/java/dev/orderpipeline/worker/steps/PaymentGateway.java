package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.OrderPlaced;

/** The payment step: authorise the order's amount with the payment provider. */
public interface PaymentGateway {

    /**
     * Authorises {@code order.amount()}. Must return promptly with {@link InterruptedException}
     * when interrupted: that is how a sibling's failure or the deadline cancels it.
     *
     * @return the provider's authorisation reference
     * @throws PaymentDeclinedException when the provider says no
     */
    String authorize(OrderPlaced order, StepContext context) throws InterruptedException, StepException;
}
