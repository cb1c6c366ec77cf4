package dev.orderpipeline.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.CompensationStatus;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.steps.CourierDispatcher;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.PaymentLedger;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.StepException;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Undoing the steps of a failed order that had succeeded (cancellation is not retroactive), and
 * idempotency: what the outcome lists, what the payment provider's ledger shows, and that a
 * failed undo is reported with its class, never dropped.
 */
@Timeout(30)
class CompensationTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final SimulationSettings INSTANT = SimulationSettings.fixedLatency(Duration.ZERO);

    private final StepTracker tracker = new StepTracker();
    private final CourierPool couriers = new CourierPool(4);
    private final PaymentLedger ledger = new PaymentLedger();
    private final Clock clock = Clock.systemUTC();
    private final List<Compensation> reported = new CopyOnWriteArrayList<>();
    private final List<String> retried = new CopyOnWriteArrayList<>();
    private final PipelineEvents events = new PipelineEvents() {
        @Override
        public void retrying(StepName step, ErrorClass errorClass) {
            retried.add(step.label() + "/" + errorClass.code());
        }

        @Override
        public void compensation(String orderId, Compensation compensation) {
            reported.add(compensation);
        }
    };

    private OrderPipeline pipeline(PaymentGateway payment, VendorNotifier vendor, RetryPolicy retry,
                                   Duration compensationDeadline) {
        return OrderPipeline.builder(payment, vendor, SimulatedSteps.courier(INSTANT, new Random(3), couriers))
                .orderDeadline(Duration.ofSeconds(10)).workerId("worker-test").tracker(tracker).clock(clock)
                .retry(retry).compensationDeadline(compensationDeadline).random(new Random(5)).events(events)
                .sleeper(wait -> { })
                .build();
    }

    private OrderPipeline simulated(RetryPolicy retry) {
        Random random = new Random(1);
        return pipeline(SimulatedSteps.payment(INSTANT, random, ledger), SimulatedSteps.vendor(INSTANT, random), retry,
                Duration.ofSeconds(2));
    }

    /**
     * The simulated steps, with {@code last} (the one the order asks to fail) called only after
     * the other two have succeeded: cancellation is not retroactive, and this is the case
     * compensation exists for.
     */
    private OrderPipeline failingLast(StepName last) {
        Random random = new Random(1);
        PaymentGateway payment = SimulatedSteps.payment(INSTANT, random, ledger);
        VendorNotifier vendor = SimulatedSteps.vendor(INSTANT, random);
        CourierDispatcher courier = SimulatedSteps.courier(INSTANT, random, couriers);
        CountDownLatch othersDone = new CountDownLatch(2);
        PaymentGateway paymentInOrder = new PaymentGateway() {
            @Override
            public String authorize(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
                return inOrder(StepName.PAYMENT, last, othersDone, () -> payment.authorize(order, context));
            }

            @Override
            public String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
                    throws InterruptedException, StepException {
                return payment.voidAuthorization(order, authorization, context);
            }
        };
        VendorNotifier vendorInOrder = new VendorNotifier() {
            @Override
            public String notify(OrderPlaced order, StepContext context) throws InterruptedException, StepException {
                return inOrder(StepName.VENDOR, last, othersDone, () -> vendor.notify(order, context));
            }

            @Override
            public String retract(OrderPlaced order, String acknowledgement, StepContext context)
                    throws InterruptedException, StepException {
                return vendor.retract(order, acknowledgement, context);
            }
        };
        return OrderPipeline.builder(paymentInOrder, vendorInOrder,
                        (order, context) -> inOrder(StepName.COURIER, last, othersDone, () -> courier.assign(order, context)))
                .orderDeadline(Duration.ofSeconds(10)).workerId("worker-test").tracker(tracker).clock(clock)
                .compensationDeadline(Duration.ofSeconds(2)).random(new Random(5)).events(events)
                .sleeper(wait -> { })
                .build();
    }

    /** A step call that may throw what a step throws. */
    private interface StepCall<T> {
        T call() throws InterruptedException, StepException;
    }

    /** Runs {@code step}: last, once the others are done, or else before it, telling it when done. */
    private static <T> T inOrder(StepName step, StepName last, CountDownLatch othersDone, StepCall<T> call)
            throws InterruptedException, StepException {
        if (step != last) {
            T result = call.call();
            othersDone.countDown();
            return result;
        }
        if (!othersDone.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other steps never finished");
        }
        return call.call();
    }

    private static OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, T0, simulation, new Random(7));
    }

    @Test
    void vendorFails_paymentIsVoided_courierReturned_bothListedInTheOutcome() throws Exception {
        OrderOutcome outcome = failingLast(StepName.VENDOR).process(order("o-undo", Simulation.vendor(StepFault.FAIL)), T0);

        assertEquals(OrderStatus.FAILED, outcome.status());
        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass(), "the order keeps its own failure's class");
        List<Compensation> compensations = outcome.compensations();
        assertEquals(List.of(StepName.PAYMENT, StepName.COURIER), compensations.stream().map(Compensation::step).toList(),
                () -> "compensations " + compensations);
        assertTrue(compensations.stream().allMatch(c -> c.status() == CompensationStatus.COMPENSATED),
                () -> "compensations " + compensations);
        assertEquals("voided auth-o-undo:payment", compensations.get(0).detail());
        assertTrue(compensations.get(1).detail().matches("courier-\\d+ returned to the pool"), compensations.get(1)::detail);
        assertFalse(ledger.holds("o-undo:payment"), "the authorisation is still held");
        assertEquals(1, ledger.voids());
        assertEquals(0, couriers.inUse());
        assertEquals(compensations, reported, "every compensation is reported for the metrics");
    }

    @Test
    void succeededOrder_compensatesNothing() throws Exception {
        OrderOutcome outcome = simulated(RetryPolicy.NONE).process(order("o-fine", null), T0);

        assertEquals(OrderStatus.SUCCEEDED, outcome.status());
        assertEquals(List.of(), outcome.compensations());
        assertTrue(ledger.holds("o-fine:payment"));
        assertEquals(0, ledger.voids());
    }

    @Test
    void declinedPayment_retractsTheVendorNotification() throws Exception {
        OrderOutcome outcome = failingLast(StepName.PAYMENT).process(order("o-declined", Simulation.payment(StepFault.FAIL)), T0);

        assertEquals(ErrorClass.PAYMENT_DECLINED, outcome.errorClass());
        Compensation vendor = outcome.compensations().stream().filter(c -> c.step() == StepName.VENDOR).findFirst()
                .orElseThrow(() -> new AssertionError("no vendor compensation in " + outcome.compensations()));
        assertEquals(CompensationStatus.COMPENSATED, vendor.status());
        assertTrue(vendor.detail().startsWith("retracted ack-"), vendor::detail);
        assertEquals(0, ledger.charges(), "a declined payment charges nothing");
    }

    @Test
    void failedVoid_isReportedWithItsClass_afterItsRetries_andTheOrderKeepsItsClass() throws Exception {
        int[] voidCalls = {0};
        PaymentGateway voidFails = new PaymentGateway() {
            @Override
            public String authorize(OrderPlaced order, StepContext context) {
                return "auth-1";
            }

            @Override
            public String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
                    throws VendorUnavailableException {
                synchronized (voidCalls) {
                    voidCalls[0]++;
                }
                assertEquals(order.orderId() + ":payment", context.idempotencyKey(), "the void carries the payment's key");
                throw new VendorUnavailableException("payment provider down");
            }
        };
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("vendor down");
        };

        OrderOutcome outcome = pipeline(voidFails, down, RetryPolicy.DEFAULTS, Duration.ofSeconds(2))
                .process(order("o-void-fails", null), T0);

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass());
        Compensation payment = outcome.compensations().getFirst();
        assertEquals(Compensation.failed(StepName.PAYMENT, ErrorClass.VENDOR_UNAVAILABLE, "payment provider down"), payment);
        assertEquals(3, voidCalls[0], "the void was retried like a step, with the same key");
        assertEquals(List.of("vendor/vendor_unavailable", "vendor/vendor_unavailable"), retried,
                "step retries count the vendor's calls, not the void's");
        assertTrue(reported.contains(payment), () -> "not reported: " + reported);
    }

    /**
     * A provider as real ones are: the authorisation is booked when the request arrives, and
     * holds whether or not the caller waits for the answer; a void under the key releases it.
     */
    private static final class ProviderThatActsOnArrival implements PaymentGateway {
        final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final List<String> voids = new CopyOnWriteArrayList<>();
        final boolean books;

        ProviderThatActsOnArrival(boolean books) {
            this.books = books;
        }

        @Override
        public String authorize(OrderPlaced order, StepContext context) throws InterruptedException {
            if (books) {
                held.add(context.idempotencyKey());
            }
            Thread.sleep(Duration.ofSeconds(30)); // the answer is slow: the order is cancelled first
            return "auth-" + context.idempotencyKey();
        }

        @Override
        public boolean actsWithoutAnswer() {
            return true;
        }

        @Override
        public String voidUnanswered(OrderPlaced order, StepContext context) {
            voids.add(context.idempotencyKey());
            return held.remove(context.idempotencyKey()) ? "voided auth-" + context.idempotencyKey() : null;
        }
    }

    @Test
    void paymentCancelledAfterTheProviderAuthorised_isVoidedByItsKey_andListedInTheOutcome() throws Exception {
        ProviderThatActsOnArrival provider = new ProviderThatActsOnArrival(/* books= */ true);
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("vendor down");
        };

        OrderOutcome outcome = pipeline(provider, down, RetryPolicy.NONE, Duration.ofSeconds(2))
                .process(order("o-unanswered", null), T0);

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass(), "the order keeps its own failure's class");
        assertEquals(java.util.Set.of(), provider.held, "the authorisation of the cancelled call was left standing");
        assertEquals(List.of("o-unanswered:payment"), provider.voids);
        Compensation payment = outcome.compensations().getFirst();
        assertEquals(StepName.PAYMENT, payment.step());
        assertEquals(CompensationStatus.COMPENSATED, payment.status());
        assertTrue(payment.detail().contains("voided auth-o-unanswered:payment"), payment::detail);
    }

    @Test
    void paymentCancelledBeforeTheProviderActed_listsNoCompensation() throws Exception {
        ProviderThatActsOnArrival provider = new ProviderThatActsOnArrival(/* books= */ false);
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("vendor down");
        };

        OrderOutcome outcome = pipeline(provider, down, RetryPolicy.NONE, Duration.ofSeconds(2))
                .process(order("o-nothing-held", null), T0);

        assertEquals(List.of("o-nothing-held:payment"), provider.voids, "the provider was not asked");
        assertTrue(outcome.compensations().stream().noneMatch(c -> c.step() == StepName.PAYMENT),
                () -> "a payment that held nothing listed as undone: " + outcome.compensations());
    }

    @Test
    void gatewayThatCannotVoid_isAFailedCompensation_classifiedInternal() throws Exception {
        PaymentGateway cannotVoid = (order, context) -> "auth-2";
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("vendor down");
        };

        OrderOutcome outcome = pipeline(cannotVoid, down, RetryPolicy.NONE, Duration.ofSeconds(2))
                .process(order("o-no-void", null), T0);

        Compensation payment = outcome.compensations().getFirst();
        assertEquals(CompensationStatus.FAILED, payment.status());
        assertEquals(ErrorClass.INTERNAL, payment.errorClass());
        assertTrue(payment.detail().contains("cannot void"), payment::detail);
    }

    @Test
    void voidThatHangs_isCutAtTheCompensationDeadline_andReportedAsTimeout() throws Exception {
        PaymentGateway hangingVoid = new PaymentGateway() {
            @Override
            public String authorize(OrderPlaced order, StepContext context) {
                return "auth-3";
            }

            @Override
            public String voidAuthorization(OrderPlaced order, String authorization, StepContext context)
                    throws InterruptedException {
                Thread.sleep(Duration.ofHours(1));
                return "never";
            }
        };
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("vendor down");
        };

        long start = System.nanoTime();
        OrderOutcome outcome = pipeline(hangingVoid, down, RetryPolicy.NONE, Duration.ofMillis(200))
                .process(order("o-void-hangs", null), T0);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        Compensation payment = outcome.compensations().getFirst();
        assertEquals(CompensationStatus.FAILED, payment.status());
        assertEquals(ErrorClass.TIMEOUT, payment.errorClass());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, () -> "compensation not bounded: " + took.toMillis() + " ms");
        assertEquals(0, tracker.running(), "a compensation thread was left running");
        assertEquals(0, couriers.inUse(), "the courier is returned even when the void hangs");
    }

    @Test
    void sameOrderProcessedTwice_isChargedOnce() throws Exception {
        OrderPipeline pipeline = simulated(RetryPolicy.DEFAULTS);
        OrderPlaced order = order("o-twice", null);

        OrderOutcome first = pipeline.process(order, T0);
        OrderOutcome second = pipeline.process(order, T0);

        assertEquals(OrderStatus.SUCCEEDED, first.status());
        assertEquals(OrderStatus.SUCCEEDED, second.status());
        assertEquals(1, ledger.charges(), "charges over all orders");
        assertEquals(1, ledger.charges("o-twice:payment"));
        assertEquals(first.steps().getFirst().detail(), second.steps().getFirst().detail(), "the same authorisation");
    }

    @Test
    void flakyPayment_isRetriedWithItsKey_andChargedOnce() throws Exception {
        OrderOutcome outcome = simulated(RetryPolicy.DEFAULTS)
                .process(order("o-flaky-pay", Simulation.payment(StepFault.FLAKY)), T0);

        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(2, outcome.steps().getFirst().attempts());
        assertEquals(1, ledger.charges("o-flaky-pay:payment"));
    }
}
