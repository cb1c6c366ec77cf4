package dev.orderpipeline.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.worker.config.RetryPolicy;
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
import dev.orderpipeline.worker.steps.PaymentDeclinedException;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.steps.VendorNotifier;
import dev.orderpipeline.worker.steps.VendorUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retries inside a step's own task: which failures are retried, how often, how long the waits
 * are, and what bounds them (attempts, the order's budget, its deadline, cancellation). The waits
 * go through a recording sleeper that advances a test clock, so no test spends real time in them.
 */
@Timeout(30)
class RetryTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final StepTracker tracker = new StepTracker();
    private final CourierPool couriers = new CourierPool(4);
    private final TestClock clock = new TestClock(T0);
    /** Every wait a step asked for, in order. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Retry.Sleeper recordingSleeper = wait -> {
        waits.add(wait);
        clock.advance(wait);
    };
    private final List<String> retried = new CopyOnWriteArrayList<>();
    /** Every attempt reported, as {@code step/result}, in the order each step's thread reported them. */
    private final List<String> attempted = new CopyOnWriteArrayList<>();
    private final PipelineEvents events = new PipelineEvents() {
        @Override
        public void retrying(StepName step, ErrorClass errorClass) {
            retried.add(step.label() + "/" + errorClass.code());
        }

        @Override
        public void attempted(StepName step, AttemptResult result, Duration duration) {
            assertFalse(duration.isNegative(), () -> step + " attempt of negative duration " + duration);
            attempted.add(step.label() + "/" + result.label());
        }
    };

    /** Full jitter drawn at its top: every wait is exactly its cap, so the waits are predictable. */
    private static final Random TOP_OF_JITTER = new Random() {
        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static RetryPolicy policy(int maxAttempts, Duration initial, Duration max, Duration budget,
                                      Duration attemptTimeout, ErrorClass... retryOn) {
        return new RetryPolicy(maxAttempts, initial, max, budget, classes(retryOn), attemptTimeout);
    }

    private static Set<ErrorClass> classes(ErrorClass... classes) {
        return classes.length == 0 ? Set.of() : EnumSet.of(classes[0], classes);
    }

    private OrderPipeline simulated(RetryPolicy policy, Duration deadline, Retry.Sleeper sleeper) {
        SimulationSettings instant = SimulationSettings.fixedLatency(Duration.ZERO);
        Random random = new Random(1);
        return OrderPipeline.builder(SimulatedSteps.payment(instant, random), SimulatedSteps.vendor(instant, random),
                        SimulatedSteps.courier(instant, random, couriers))
                .orderDeadline(deadline).workerId("worker-test").tracker(tracker).clock(clock)
                .retry(policy).compensationDeadline(Duration.ofSeconds(2)).random(TOP_OF_JITTER).events(events)
                .sleeper(sleeper)
                .build();
    }

    private static OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, T0, simulation, new Random(7));
    }

    private static Map<StepName, StepResult> steps(OrderOutcome outcome) {
        return outcome.steps().stream().collect(Collectors.toMap(StepResult::step, Function.identity()));
    }

    @Test
    void flakyVendor_succeedsOnItsSecondAttempt_andTheOutcomeSaysSo() throws Exception {
        OrderOutcome outcome = simulated(RetryPolicy.DEFAULTS, DEADLINE, recordingSleeper)
                .process(order("o-flaky", Simulation.vendor(StepFault.FLAKY)), T0);

        assertEquals(OrderStatus.SUCCEEDED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(2, steps(outcome).get(StepName.VENDOR).attempts(), () -> "vendor " + steps(outcome));
        assertEquals(1, steps(outcome).get(StepName.PAYMENT).attempts(), "payment was not retried");
        assertEquals(2, outcome.attempt(), "the outcome's attempt is the most any step took");
        assertEquals(List.of(Duration.ofMillis(50)), waits, "one wait, at most the initial backoff");
        assertEquals(List.of("vendor/vendor_unavailable"), retried);
        assertTrue(outcome.compensations().isEmpty(), () -> "nothing to undo: " + outcome.compensations());
        assertEquals(0, tracker.running());
        assertEquals(0, couriers.inUse());
    }

    @Test
    void vendorDown_givesUpAfterMaxAttempts_withTheTransientClass_andDoublingWaits() throws Exception {
        RetryPolicy policy = policy(4, Duration.ofMillis(50), Duration.ofMillis(150), Duration.ofSeconds(5), null,
                ErrorClass.VENDOR_UNAVAILABLE);

        OrderOutcome outcome = simulated(policy, DEADLINE, recordingSleeper)
                .process(order("o-down", Simulation.vendor(StepFault.FAIL)), T0);

        assertEquals(OrderStatus.FAILED, outcome.status());
        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass());
        StepResult vendor = steps(outcome).get(StepName.VENDOR);
        assertEquals(StepStatus.FAILED, vendor.status());
        assertEquals(4, vendor.attempts());
        assertEquals(4, outcome.attempt());
        // 50, 100, then capped at the maximum of 150.
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150)), waits);
        assertEquals(3, retried.size(), () -> "retries " + retried);
    }

    @Test
    void retryBudget_isShared_andNoWaitIsTakenThatDoesNotFit() throws Exception {
        // 100 ms fits in 150; the next wait (200) does not fit in the 50 left: give up after 2 attempts.
        RetryPolicy policy = policy(10, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(150), null,
                ErrorClass.VENDOR_UNAVAILABLE);

        OrderOutcome outcome = simulated(policy, DEADLINE, recordingSleeper)
                .process(order("o-budget", Simulation.vendor(StepFault.FAIL)), T0);

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass());
        assertEquals(2, steps(outcome).get(StepName.VENDOR).attempts());
        assertEquals(List.of(Duration.ofMillis(100)), waits);
    }

    @Test
    void retryBudget_isSharedByEveryFailingStep_notOnePerStep() throws Exception {
        // Vendor and courier both fail transiently. Each wait is capped at 100 ms and the order's
        // budget is 300 ms: three waits in all, however they fall between the two steps. A budget
        // per step would allow three each. The first two waits meet at a barrier, so both steps
        // are retrying at once before either can use up the budget and fail the order.
        RetryPolicy policy = policy(10, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(300), null,
                ErrorClass.VENDOR_UNAVAILABLE, ErrorClass.NO_COURIER_AVAILABLE);
        CyclicBarrier bothRetrying = new CyclicBarrier(2);
        AtomicInteger asked = new AtomicInteger();
        Retry.Sleeper sleeper = wait -> {
            recordingSleeper.sleep(wait);
            if (asked.incrementAndGet() <= 2) {
                try {
                    bothRetrying.await(10, TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    throw new IllegalStateException("the other step never waited to retry", e);
                }
            }
        };

        OrderOutcome outcome = simulated(policy, DEADLINE, sleeper)
                .process(order("o-shared", new Simulation(null, StepFault.FAIL, StepFault.FAIL)), T0);

        assertEquals(OrderStatus.FAILED, outcome.status(), () -> "outcome " + outcome);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)), waits,
                "waits taken from the order's one budget");
        Map<StepName, StepResult> steps = steps(outcome);
        int attempts = steps.get(StepName.VENDOR).attempts() + steps.get(StepName.COURIER).attempts();
        assertTrue(attempts <= 2 + 3, () -> "attempts beyond the first ones exceed the waits: " + steps);
        assertEquals(0, tracker.running());
        assertEquals(0, couriers.inUse());
    }

    @Test
    void orderDeadline_boundsTheWaits_noStepSleepsPastIt() throws Exception {
        // Deadline 1 s: waits 400 ms (ends at 400) then 800 ms would end at 1,200: not taken.
        RetryPolicy policy = policy(10, Duration.ofMillis(400), Duration.ofSeconds(5), Duration.ofMinutes(1), null,
                ErrorClass.VENDOR_UNAVAILABLE);

        OrderOutcome outcome = simulated(policy, Duration.ofSeconds(1), recordingSleeper)
                .process(order("o-deadline", Simulation.vendor(StepFault.FAIL)), T0);

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass(), "the vendor's own class, not timeout");
        assertEquals(List.of(Duration.ofMillis(400)), waits);
        assertTrue(clock.instant().isBefore(T0.plusSeconds(1)), () -> "slept until " + clock.instant());
    }

    @Test
    void businessAndInternalFailures_areNeverRetried() throws Exception {
        RetryPolicy everything = policy(5, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMinutes(1), null,
                ErrorClass.VENDOR_UNAVAILABLE, ErrorClass.NO_COURIER_AVAILABLE, ErrorClass.TIMEOUT);
        OrderPipeline pipeline = simulated(everything, DEADLINE, recordingSleeper);

        OrderOutcome declined = pipeline.process(order("o-declined", Simulation.payment(StepFault.FAIL)), T0);
        OrderOutcome crashed = pipeline.process(order("o-crash", Simulation.vendor(StepFault.CRASH)), T0);

        assertEquals(ErrorClass.PAYMENT_DECLINED, declined.errorClass());
        assertEquals(1, steps(declined).get(StepName.PAYMENT).attempts());
        assertEquals(ErrorClass.INTERNAL, crashed.errorClass());
        assertEquals(1, steps(crashed).get(StepName.VENDOR).attempts());
        assertEquals(List.of(), waits, "no step waited to retry");
        assertEquals(List.of(), retried);
    }

    @Test
    void transientClassNotInRetryOn_isNotRetried() throws Exception {
        RetryPolicy couriersOnly = policy(3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMinutes(1), null,
                ErrorClass.NO_COURIER_AVAILABLE);

        OrderOutcome outcome = simulated(couriersOnly, DEADLINE, recordingSleeper)
                .process(order("o-vendor-flaky", Simulation.vendor(StepFault.FLAKY)), T0);

        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcome.errorClass());
        assertEquals(1, steps(outcome).get(StepName.VENDOR).attempts());
    }

    @Test
    void cancellationDuringTheWait_endsTheStepAtOnce() throws Exception {
        // The vendor fails and waits a minute to retry; the payment is declined once the vendor
        // is waiting: the scope interrupts the wait, which must end the vendor step at once.
        CountDownLatch vendorWaiting = new CountDownLatch(1);
        Retry.Sleeper realSleeper = wait -> {
            vendorWaiting.countDown();
            Thread.sleep(wait);
        };
        PaymentGateway declinesOnceVendorWaits = (order, context) -> {
            if (!vendorWaiting.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the vendor never started waiting");
            }
            throw new PaymentDeclinedException("declined");
        };
        VendorNotifier down = (order, context) -> {
            throw new VendorUnavailableException("down");
        };
        RetryPolicy minuteLong = policy(3, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofHours(1), null,
                ErrorClass.VENDOR_UNAVAILABLE);
        OrderPipeline pipeline = OrderPipeline.builder(declinesOnceVendorWaits, down,
                        (order, context) -> couriers.tryTake(Duration.ZERO))
                .orderDeadline(Duration.ofMinutes(5)).workerId("worker-test").tracker(tracker).clock(Clock.systemUTC())
                .retry(minuteLong).compensationDeadline(Duration.ofSeconds(2)).random(TOP_OF_JITTER).events(events)
                .sleeper(realSleeper)
                .build();

        long start = System.nanoTime();
        OrderOutcome outcome = pipeline.process(order("o-cancel-wait", null), Instant.now());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(ErrorClass.PAYMENT_DECLINED, outcome.errorClass());
        StepResult vendor = steps(outcome).get(StepName.VENDOR);
        assertEquals(StepStatus.CANCELLED, vendor.status(), () -> "vendor " + vendor);
        assertEquals(1, vendor.attempts(), "cancelled while waiting for its second attempt");
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, () -> "the wait was not cut short: " + took.toMillis() + " ms");
        assertEquals(0, tracker.running(), "step threads left running");
        assertEquals(0, couriers.inUse(), "the courier was not returned");
    }

    @Test
    void oneOrderWaitingToRetry_doesNotHoldUpAnother() throws Exception {
        // Order A's vendor waits to retry until released; order B runs through the same pipeline meanwhile.
        CountDownLatch aWaiting = new CountDownLatch(1);
        CountDownLatch releaseA = new CountDownLatch(1);
        Retry.Sleeper blockingSleeper = wait -> {
            aWaiting.countDown();
            if (!releaseA.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        };
        RetryPolicy twice = policy(2, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(5), null,
                ErrorClass.VENDOR_UNAVAILABLE);
        OrderPipeline pipeline = simulated(twice, Duration.ofSeconds(20), blockingSleeper);

        CompletableFuture<OrderOutcome> a = CompletableFuture.supplyAsync(() -> {
            try {
                return pipeline.process(order("o-a", Simulation.vendor(StepFault.FAIL)), T0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        assertTrue(aWaiting.await(10, TimeUnit.SECONDS), "order A never started waiting");

        OrderOutcome b = pipeline.process(order("o-b", null), T0);

        assertEquals(OrderStatus.SUCCEEDED, b.status(), () -> "order B " + b);
        assertFalse(a.isDone(), "order A should still be waiting to retry");
        releaseA.countDown();
        OrderOutcome outcomeA = a.get(10, TimeUnit.SECONDS);
        assertEquals(ErrorClass.VENDOR_UNAVAILABLE, outcomeA.errorClass());
        assertEquals(2, steps(outcomeA).get(StepName.VENDOR).attempts());
        assertEquals(0, tracker.running());
    }

    @Test
    void attemptTimeout_failsASlowAttemptAsTimeout_retriedOnlyWhenAskedTo() throws Exception {
        RetryPolicy retryTimeouts = policy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5),
                Duration.ofMillis(100), ErrorClass.TIMEOUT);
        RetryPolicy notTimeouts = policy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5),
                Duration.ofMillis(100), ErrorClass.VENDOR_UNAVAILABLE);

        OrderOutcome retriedTwice = simulated(retryTimeouts, DEADLINE, recordingSleeper)
                .process(order("o-slow-1", Simulation.vendor(StepFault.SLOW)), T0);
        OrderOutcome triedOnce = simulated(notTimeouts, DEADLINE, recordingSleeper)
                .process(order("o-slow-2", Simulation.vendor(StepFault.SLOW)), T0);

        assertEquals(ErrorClass.TIMEOUT, retriedTwice.errorClass(), () -> "outcome " + retriedTwice);
        assertEquals(StepStatus.FAILED, steps(retriedTwice).get(StepName.VENDOR).status());
        assertEquals(2, steps(retriedTwice).get(StepName.VENDOR).attempts());
        assertTrue(steps(retriedTwice).get(StepName.VENDOR).detail().contains("attempt timeout of 100 ms"),
                () -> "detail " + steps(retriedTwice).get(StepName.VENDOR));
        assertEquals(ErrorClass.TIMEOUT, triedOnce.errorClass());
        assertEquals(1, steps(triedOnce).get(StepName.VENDOR).attempts());
        assertEquals(0, tracker.running(), "an attempt's own scope left a thread running");
    }

    @Test
    void everyAttemptIsReported_withHowItEnded_soRetriesShowInTheAttemptHistogram() throws Exception {
        RetryPolicy retryTimeouts = policy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5),
                Duration.ofMillis(100), ErrorClass.TIMEOUT, ErrorClass.VENDOR_UNAVAILABLE);

        simulated(RetryPolicy.DEFAULTS, DEADLINE, recordingSleeper).process(order("o-flaky", Simulation.vendor(StepFault.FLAKY)), T0);
        List<String> flaky = List.copyOf(attempted);
        attempted.clear();
        simulated(retryTimeouts, DEADLINE, recordingSleeper).process(order("o-slow", Simulation.vendor(StepFault.SLOW)), T0);
        List<String> slow = List.copyOf(attempted);
        attempted.clear();
        simulated(RetryPolicy.NONE, DEADLINE, recordingSleeper).process(order("o-declined", Simulation.payment(StepFault.FAIL)), T0);
        List<String> declined = List.copyOf(attempted);

        assertEquals(List.of("payment/succeeded", "vendor/failed", "vendor/succeeded", "courier/succeeded"),
                sortedByStep(flaky), "flaky vendor: one failed call, then one that succeeded");
        assertEquals(List.of("vendor/timed_out", "vendor/timed_out"),
                slow.stream().filter(a -> a.startsWith("vendor/")).toList(), () -> "slow vendor: " + slow);
        assertEquals(List.of("payment/failed"), declined.stream().filter(a -> a.startsWith("payment/")).toList(),
                () -> "declined payment, not retried: " + declined);
        // A sibling reports one call however it ended, or none if it was cancelled before its thread ran.
        assertTrue(declined.size() <= 3, () -> "at most one report per step: " + declined);
        assertEquals(List.of("vendor/vendor_unavailable", "vendor/timeout"), retried, "only the repeated calls are retries");
    }

    /** {@code step/result} entries grouped by step in pipeline order, each step's in the order reported. */
    private static List<String> sortedByStep(List<String> reports) {
        return java.util.stream.Stream.of(StepName.values())
                .flatMap(step -> reports.stream().filter(r -> r.startsWith(step.label() + "/")))
                .toList();
    }

    @Test
    void backoffCaps_doubleFromTheInitial_upToTheMaximum() {
        RetryPolicy policy = policy(10, Duration.ofMillis(50), Duration.ofMillis(300), Duration.ZERO, null);

        List<Long> caps = IntStream.rangeClosed(2, 7)
                .mapToObj(next -> policy.backoffCap(next).toMillis()).toList();

        assertEquals(List.of(50L, 100L, 200L, 300L, 300L, 300L), caps);
    }

    /** A clock tests move by hand; read by step threads, moved by the sleeper. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(t -> t.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
