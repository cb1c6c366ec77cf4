package dev.orderpipeline.worker.steps;

import dev.orderpipeline.contract.StepFault;
import java.util.Random;

/**
 * Built-in stand-ins for the payment provider, the vendor system and the courier service, with
 * configurable latency and failure rates, and the deterministic faults an order can ask for.
 * They are what the worker runs unless real adapters are plugged in.
 */
public final class SimulatedSteps {

    private SimulatedSteps() {
    }

    public static PaymentGateway payment(SimulationSettings settings, Random random) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return (order, context) -> {
            boolean fail = latency.await(settings.paymentLatency(), order.simulation().payment(), "payment");
            if (fail || latency.chance(settings.paymentDeclineRate())) {
                throw new PaymentDeclinedException("payment of " + order.amount().minorUnits() + " "
                        + order.amount().currency() + " declined by the provider");
            }
            return "auth-" + order.orderId();
        };
    }

    public static VendorNotifier vendor(SimulationSettings settings, Random random) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return (order, context) -> {
            boolean fail = latency.await(settings.vendorLatency(), order.simulation().vendor(), "vendor");
            if (fail || latency.chance(settings.vendorOutageRate())) {
                throw new VendorUnavailableException("vendor " + order.vendorId() + " is not answering");
            }
            return "ack-" + order.vendorId();
        };
    }

    /**
     * A courier step over {@code pool}: waits for a free courier until the order's deadline,
     * then dispatches it. The courier stays taken until the caller closes the lease.
     */
    public static CourierDispatcher courier(SimulationSettings settings, Random random, CourierPool pool) {
        SimulatedLatency latency = new SimulatedLatency(settings, random);
        return (order, context) -> {
            if (order.simulation().courier() == StepFault.FAIL) {
                throw new NoCourierAvailableException("no courier serves zone " + order.deliveryZone());
            }
            CourierPool.Lease lease = pool.tryTake(context.remaining());
            if (lease == null) {
                throw new NoCourierAvailableException("all " + pool.size() + " couriers busy until the deadline");
            }
            try {
                latency.await(settings.courierLatency(), order.simulation().courier(), "courier");
                return lease;
            } catch (InterruptedException | RuntimeException e) {
                lease.close();
                throw e;
            }
        };
    }
}
