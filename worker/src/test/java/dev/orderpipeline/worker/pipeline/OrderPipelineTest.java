package dev.orderpipeline.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import dev.orderpipeline.worker.config.SimulationSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-order scope, on the built-in simulated steps: who wins, who is cancelled, how long
 * it takes, and that nothing is left running afterwards.
 */
@Timeout(30)
class OrderPipelineTest {

    private static final Duration STEP = Duration.ofMillis(20);
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private final StepTracker tracker = new StepTracker();
    private final CourierPool couriers = new CourierPool(4);
    private final Clock clock = Clock.systemUTC();

    private OrderPipeline pipeline(SimulationSettings settings, Duration deadline) {
        Random random = new Random(42);
        return OrderPipeline.builder(SimulatedSteps.payment(settings, random), SimulatedSteps.vendor(settings, random),
                        SimulatedSteps.courier(settings, random, couriers))
                .orderDeadline(deadline).workerId("worker-test").tracker(tracker).clock(clock)
                .build();
    }

    private static OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, Instant.parse("2026-11-27T10:00:00Z"), simulation, new Random(7));
    }

    private static Map<StepName, StepResult> steps(OrderOutcome outcome) {
        return outcome.steps().stream().collect(Collectors.toMap(StepResult::step, Function.identity()));
    }

    @Test
    void allStepsSucceed_orderSucceeds_withThreeStepResults() throws Exception {
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), DEADLINE)
                .process(order("o-1", null), clock.instant());

        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertNull(outcome.errorClass());
        assertEquals(3, outcome.steps().size());
        for (StepResult step : outcome.steps()) {
            assertEquals(StepStatus.SUCCEEDED, step.status(), () -> "step " + step);
            assertTrue(step.durationMicros() >= STEP.toNanos() / 1000 / 2, () -> "step too quick: " + step);
        }
        assertEquals("o-1", outcome.orderId());
        assertEquals(0, tracker.running(), "step threads left running");
        assertEquals(0, couriers.inUse(), "couriers not returned");
    }

    @Test
    void stepsRunAtTheSameTime_notOneAfterAnother() throws Exception {
        // Each step waits until all three have started: run one after another, they would
        // never all get there, and the order would time out.
        CountDownLatch allStarted = new CountDownLatch(3);
        CourierPool pool = new CourierPool(1);
        OrderPipeline pipeline = OrderPipeline.builder(
                        (order, context) -> meet(allStarted, "auth"),
                        (order, context) -> meet(allStarted, "ack"),
                        (order, context) -> {
                            meet(allStarted, "courier");
                            return pool.tryTake(Duration.ZERO);
                        })
                .orderDeadline(Duration.ofSeconds(10)).workerId("worker-test").tracker(tracker).clock(clock)
                .build();

        OrderOutcome outcome = pipeline.process(order("o-par", null), clock.instant());

        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(0, pool.inUse());
    }

    private static String meet(CountDownLatch allStarted, String result) throws InterruptedException {
        allStarted.countDown();
        if (!allStarted.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other steps never started alongside this one");
        }
        return result;
    }

    /** A step's message quotes the order's own fields: they reach the outcome escaped and cut. */
    @Test
    void vendorFailureQuotingAHostileVendorId_reachesTheOutcomeEscapedAndCut() throws Exception {
        OrderPlaced base = order("o-hostile", Simulation.vendor(StepFault.FAIL));
        String vendorId = "v\n2026-12-06T21:00:00.000+0000 [main] ERROR forged\u001b[31m" + "v".repeat(60_000);
        OrderPlaced order = new OrderPlaced(base.schemaVersion(), base.orderId(), base.customerId(), base.amount(),
                base.items(), vendorId, base.deliveryZone(), base.createdAt(), base.simulation());

        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), DEADLINE).process(order, Instant.now());

        assertEquals(OrderStatus.FAILED, outcome.status());
        String message = outcome.errorMessage();
        assertTrue(message.startsWith("vendor v\\n2026-12-06T21:00:00.000+0000 [main] ERROR forged\\u001b[31mvvv"), message);
        assertTrue(message.length() <= 300 && message.chars().noneMatch(Character::isISOControl), message);
        String detail = steps(outcome).get(StepName.VENDOR).detail();
        assertTrue(detail.length() <= 320 && detail.chars().noneMatch(Character::isISOControl), detail);
    }

    @Test
    void paymentDeclined_cancelsVendorAndCourier_atOnce() throws Exception {
        // Vendor and courier would take an hour; the decline after 20 ms must cut them short.
        Simulation simulation = new Simulation(StepFault.FAIL, StepFault.SLOW, StepFault.SLOW);
        long start = System.nanoTime();
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), Duration.ofMinutes(5))
                .process(order("o-declined", simulation), clock.instant());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(OrderStatus.FAILED, outcome.status());
        assertEquals(ErrorClass.PAYMENT_DECLINED, outcome.errorClass());
        Map<StepName, StepResult> steps = steps(outcome);
        assertEquals(StepStatus.FAILED, steps.get(StepName.PAYMENT).status());
        assertEquals(StepStatus.CANCELLED, steps.get(StepName.VENDOR).status());
        assertEquals(StepStatus.CANCELLED, steps.get(StepName.COURIER).status());
        // Uncancelled, vendor and courier would run for an hour; 15 s is generous on a loaded machine.
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, () -> "cancellation took " + took.toMillis() + " ms");
        assertEquals(0, tracker.running(), "step threads left running");
        assertEquals(0, couriers.inUse(), "a cancelled courier step kept its courier");
    }

    @Test
    void deadlineExpires_cancelsAllSteps_reportsTimeout() throws Exception {
        Simulation allSlow = new Simulation(StepFault.SLOW, StepFault.SLOW, StepFault.SLOW);
        Duration deadline = Duration.ofMillis(200);
        long start = System.nanoTime();
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), deadline)
                .process(order("o-slow", allSlow), clock.instant());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(OrderStatus.FAILED, outcome.status());
        assertEquals(ErrorClass.TIMEOUT, outcome.errorClass());
        for (StepResult step : outcome.steps()) {
            assertEquals(StepStatus.CANCELLED, step.status(), () -> "step " + step);
        }
        assertTrue(took.compareTo(deadline) >= 0, () -> "returned before the deadline: " + took.toMillis() + " ms");
        // The slow steps would run for an hour: anything near the deadline shows they were cut.
        assertTrue(took.compareTo(deadline.plusSeconds(15)) < 0, () -> "deadline overrun: " + took.toMillis() + " ms");
        assertEquals(0, tracker.running(), "step threads left running");
    }

    @Test
    void oneSlowStep_timesOut_whileTheOthersHaveSucceeded() throws Exception {
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), Duration.ofMillis(300))
                .process(order("o-slow-courier", Simulation.courier(StepFault.SLOW)), clock.instant());

        assertEquals(ErrorClass.TIMEOUT, outcome.errorClass());
        Map<StepName, StepResult> steps = steps(outcome);
        assertEquals(StepStatus.SUCCEEDED, steps.get(StepName.PAYMENT).status());
        assertEquals(StepStatus.SUCCEEDED, steps.get(StepName.VENDOR).status());
        assertEquals(StepStatus.CANCELLED, steps.get(StepName.COURIER).status());
        assertEquals(0, couriers.inUse(), "the slow courier step kept its courier");
    }

    @Test
    void cancellationIsNotRetroactive_aStepThatFinishedFirstStaysSucceeded() throws Exception {
        // Payment and courier finish at once; the vendor fails 200 ms later. The payment has
        // gone through by then: the outcome must say so (it is what compensation will undo).
        SimulationSettings settings = new SimulationSettings(Duration.ZERO, Duration.ofMillis(200), Duration.ZERO,
                Duration.ZERO, 0, 0, Duration.ofHours(1));
        OrderOutcome outcome = pipeline(settings, DEADLINE).process(order("o-vendor-down", Simulation.vendor(StepFault.FAIL)),
                clock.instant());

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass());
        Map<StepName, StepResult> steps = steps(outcome);
        assertEquals(StepStatus.SUCCEEDED, steps.get(StepName.PAYMENT).status());
        assertEquals(StepStatus.SUCCEEDED, steps.get(StepName.COURIER).status());
        assertEquals(StepStatus.FAILED, steps.get(StepName.VENDOR).status());
        assertEquals(0, couriers.inUse(), "a failed order must give its courier back");
    }

    @Test
    void courierFault_reportsNoCourierAvailable() throws Exception {
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), DEADLINE)
                .process(order("o-no-courier", Simulation.courier(StepFault.FAIL)), clock.instant());

        assertEquals(ErrorClass.NO_COURIER_AVAILABLE, outcome.errorClass());
        assertEquals(StepStatus.FAILED, steps(outcome).get(StepName.COURIER).status());
    }

    @Test
    void exhaustedCourierPool_ordersWaitUntilTheirDeadline_thenNoCourier() throws Exception {
        CourierPool.Lease[] held = new CourierPool.Lease[couriers.size()];
        for (int i = 0; i < held.length; i++) {
            held[i] = couriers.tryTake(Duration.ZERO);
        }
        try {
            OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(Duration.ZERO), Duration.ofMillis(300))
                    .process(order("o-pool-empty", null), clock.instant());
            // Waiting ends at the deadline: either the pool's wait or the scope's timer fires first.
            assertTrue(outcome.errorClass() == ErrorClass.NO_COURIER_AVAILABLE || outcome.errorClass() == ErrorClass.TIMEOUT,
                    () -> "got " + outcome.errorClass());
        } finally {
            for (CourierPool.Lease lease : held) {
                lease.close();
            }
        }
        assertEquals(0, couriers.inUse());
    }

    @Test
    void stepCrash_isClassifiedInternal() throws Exception {
        OrderOutcome outcome = pipeline(SimulationSettings.fixedLatency(STEP), DEADLINE)
                .process(order("o-bug", Simulation.payment(StepFault.CRASH)), clock.instant());

        assertEquals(ErrorClass.INTERNAL, outcome.errorClass());
        assertTrue(outcome.errorMessage().contains("simulated defect"), () -> "message " + outcome.errorMessage());
    }

    @Test
    void interruptingTheCaller_cancelsTheSteps_andThrows() throws Exception {
        Simulation allSlow = new Simulation(StepFault.SLOW, StepFault.SLOW, StepFault.SLOW);
        OrderPipeline pipeline = pipeline(SimulationSettings.fixedLatency(STEP), Duration.ofMinutes(5));
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                pipeline.process(order("o-interrupted", allSlow), clock.instant());
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        started.await();
        org.awaitility.Awaitility.await("three steps running").atMost(Duration.ofSeconds(5))
                .until(() -> tracker.running() == 3);
        caller.interrupt();

        Throwable t = thrown.get(5, TimeUnit.SECONDS);
        assertTrue(t instanceof InterruptedException, () -> "got " + t);
        assertEquals(0, tracker.running(), "step threads left running after the caller was interrupted");
    }

    @Test
    void manyOrdersAtOnce_leaveNoStepThreadsAndNoCouriersBehind() throws Exception {
        OrderPipeline pipeline = pipeline(SimulationSettings.fixedLatency(Duration.ofMillis(5)), DEADLINE);
        StepFault[] faults = {null, StepFault.FAIL, StepFault.SLOW, StepFault.CRASH};
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.List<java.util.concurrent.Future<OrderOutcome>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                StepFault fault = faults[i % faults.length];
                Simulation simulation = fault == StepFault.SLOW ? null : new Simulation(null, fault, null);
                int n = i;
                results.add(executor.submit(() -> pipeline.process(order("o-many-" + n, simulation), clock.instant())));
            }
            for (var result : results) {
                assertEquals(OrderOutcome.SCHEMA_VERSION, result.get().schemaVersion());
            }
        }
        assertEquals(0, tracker.running(), "step threads left running");
        assertEquals(0, couriers.inUse(), "couriers not returned");
    }

    @Test
    void invalidDeadline_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> pipeline(SimulationSettings.DEFAULTS, Duration.ZERO));
    }
}
