package dev.orderpipeline.worker.steps;

import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.StepFault;
import java.util.Random;

/**
 * Built-in stand-ins for the payment provider, the vendor system and the courier service, with
 * configurable latency and failure rates, and the deterministic faults an order can ask for.
 * They are what the worker runs unless real adapters are plugged in. The payment provider keeps
 * a {@link PaymentLedger}, so a repeated authorisation with the same idempotency key charges
 * once.
 */
public final class SimulatedSteps {

    private SimulatedSteps() {
    }

    /** A payment provider with a ledger of its own. */
    public static PaymentGateway payment(SimulationSettings settings, Random random) {
        return payment(settings, random, new PaymentLedger());
    }

    /** A payment provider that books its authorisations in {@code ledger}. */
    public static PaymentGateway payment(SimulationSettings settings, Random random, PaymentLedger ledger) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return new PaymentGateway() {
            @Override
            public String authorize(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
                StepFault fault = order.simulation().payment();
                boolean fail = latency.await(settings.paymentLatency(), fault, "payment");
                if (SimulatedLatency.flakyAttempt(fault, context)) {
                    // What HttpPaymentGateway reports for a provider that is down: nothing charged.
                    throw new VendorUnavailableException("payment provider unavailable on attempt " + context.attempt());
                }
                if (fail || latency.chance(settings.paymentDeclineRate())) {
                    throw new PaymentDeclinedException("payment of " + order.amount().minorUnits() + " "
                            + order.amount().currency() + " declined by the provider");
                }
                return ledger.authorize(context.idempotencyKey());
            }

            @Override
            public String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
                    throws InterruptedException {
                latency.await(settings.paymentLatency(), null, "payment void");
                return ledger.voidAuthorization(context.idempotencyKey());
            }
        };
    }

    public static VendorNotifier vendor(SimulationSettings settings, Random random) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return new VendorNotifier() {
            @Override
            public String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
                StepFault fault = order.simulation().vendor();
                boolean fail = latency.await(settings.vendorLatency(), fault, "vendor");
                if (SimulatedLatency.flakyAttempt(fault, context)) {
                    throw new VendorUnavailableException("vendor " + order.vendorId() + " not answering on attempt "
                            + context.attempt());
                }
                if (fail || latency.chance(settings.vendorOutageRate())) {
                    throw new VendorUnavailableException("vendor " + order.vendorId() + " is not answering");
                }
                return "ack-" + order.vendorId();
            }

            @Override
            public String retract(OrderPlaced order, String acknowledgement, StepContext context)
                    throws InterruptedException {
                latency.await(settings.vendorLatency(), null, "vendor retraction");
                return "retracted " + acknowledgement;
            }
        };
    }

    /**
     * A courier step over {@code pool}: waits for a free courier until the order's deadline,
     * then dispatches it. The courier stays taken until the caller closes the lease.
     */
    public static CourierDispatcher courier(SimulationSettings settings, Random random, CourierPool pool) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return (order, context) -> {
            StepFault fault = order.simulation().courier();
            if (fault == StepFault.FAIL) {
                throw new NoCourierAvailableException("no courier serves zone " + order.deliveryZone());
            }
            if (SimulatedLatency.flakyAttempt(fault, context)) {
                throw new NoCourierAvailableException("no courier free in zone " + order.deliveryZone() + " on attempt "
                        + context.attempt());
            }
            CourierPool.Lease lease = pool.tryTake(context.remaining());
            if (lease == null) {
                throw new NoCourierAvailableException("all " + pool.size() + " couriers busy until the deadline");
            }
            try {
                latency.await(settings.courierLatency(), fault, "courier");
                return lease;
            } catch (InterruptedException | RuntimeException e) {
                lease.close();
                throw e;
            }
        };
    }
}
