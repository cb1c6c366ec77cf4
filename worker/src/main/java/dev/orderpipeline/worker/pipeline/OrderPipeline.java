package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SenderText;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.contract.StepResult;
import dev.orderpipeline.contract.StepStatus;
import dev.orderpipeline.worker.steps.CourierDispatcher;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.StepContext;
import dev.orderpipeline.worker.steps.VendorNotifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one order: payment, vendor and courier at the same time under the order's deadline, then
 * turns what happened into the order's {@link OrderOutcome}. Knows nothing of Kafka, so it is
 * tested without a broker. Thread-safe: many orders run through one instance at once.
 *
 * <p>Each step retries its own transient failures ({@link Retry}, inside the step's task), so a
 * payment that succeeded is not redone because the vendor was briefly unavailable, and the scope
 * still sees one task per step: first failure cancels, deadline cancels all. When the order
 * fails, the steps that had succeeded are undone after the scope has closed ({@link
 * Compensator}); the order keeps the class of its own first failure.
 */
public final class OrderPipeline {

    /** How long the undos of a failed order may take, unless told otherwise. */
    public static final Duration DEFAULT_COMPENSATION_DEADLINE = Duration.ofSeconds(2);

    private static final StepName[] STEPS = StepName.values();

    private final PaymentGateway payment;
    private final VendorNotifier vendor;
    private final CourierDispatcher courier;
    private final Duration orderDeadline;
    private final String workerId;
    private final Clock clock;
    private final ConcurrentSteps steps;
    private final Retry retry;
    private final Compensator compensator;
    private final PipelineTracing tracing;

    /**
     * A pipeline over these three steps. Its order deadline and worker id are to be given; the
     * rest has defaults: every step called once, undos within {@link #DEFAULT_COMPENSATION_DEADLINE}.
     */
    public static OrderPipelineBuilder builder(PaymentGateway payment, VendorNotifier vendor, CourierDispatcher courier) {
        return new OrderPipelineBuilder(payment, vendor, courier);
    }

    OrderPipeline(OrderPipelineBuilder b) {
        this.payment = Objects.requireNonNull(b.payment, "payment");
        this.vendor = Objects.requireNonNull(b.vendor, "vendor");
        this.courier = Objects.requireNonNull(b.courier, "courier");
        requirePositive("orderDeadline", b.orderDeadline);
        requirePositive("compensationDeadline", b.compensationDeadline);
        this.orderDeadline = b.orderDeadline;
        this.workerId = Objects.requireNonNull(b.workerId, "workerId");
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.tracing = Objects.requireNonNull(b.tracing, "tracing");
        this.steps = new ConcurrentSteps(Objects.requireNonNull(b.tracker, "tracker"), clock, tracing);
        this.retry = new Retry(Objects.requireNonNull(b.retry, "retry"), Objects.requireNonNull(b.random, "random"),
                Objects.requireNonNull(b.sleeper, "sleeper"), Objects.requireNonNull(b.events, "events"), tracing, steps);
        // Undos retry by the same policy, but are not step retries: step_retries_total counts the
        // steps, and an undo's trace is its compensation span (its HTTP calls carry that span).
        Retry undoRetry = new Retry(b.retry, b.random, b.sleeper, PipelineEvents.NONE, PipelineTracing.NONE, steps);
        this.compensator = new Compensator(payment, vendor, courier, undoRetry, steps, b.compensationDeadline, b.events,
                tracing, clock);
    }

    /**
     * Runs {@code order}'s steps and decides its outcome. Never throws for a failing step: the
     * failure is classified into the outcome.
     *
     * @param receivedAt when the order was taken from its source, for the outcome
     * @throws InterruptedException if this thread is interrupted (the worker is stopping hard);
     *                              the steps have been cancelled and have ended by then
     */
    public OrderOutcome process(OrderPlaced order, Instant receivedAt) throws InterruptedException {
        Instant deadline = clock.instant().plus(orderDeadline);
        Retry.Budget budget = retry.newBudget();
        // Written by each step's thread, read here after the scope has closed (which happens-after).
        Map<StepName, AtomicInteger> attempts = new EnumMap<>(StepName.class);
        for (StepName step : StepName.values()) {
            attempts.put(step, new AtomicInteger());
        }
        tracing.deadline(deadline);
        Map<String, Callable<?>> tasks = new LinkedHashMap<>();
        tasks.put(StepName.PAYMENT.label(), tellingFailure(StepName.PAYMENT, () -> retry.run(StepName.PAYMENT,
                context(order, StepName.PAYMENT, deadline), budget, attempts.get(StepName.PAYMENT),
                c -> payment.authorize(order, c))));
        tasks.put(StepName.VENDOR.label(), tellingFailure(StepName.VENDOR, () -> retry.run(StepName.VENDOR,
                context(order, StepName.VENDOR, deadline), budget, attempts.get(StepName.VENDOR),
                c -> vendor.notify(order, c))));
        tasks.put(StepName.COURIER.label(), tellingFailure(StepName.COURIER, () -> retry.run(StepName.COURIER,
                context(order, StepName.COURIER, deadline), budget, attempts.get(StepName.COURIER),
                c -> courier.assign(order, c))));

        ConcurrentSteps.Joined joined = steps.runAll("order-" + order.orderId(), tasks, deadline);
        try {
            return switch (joined) {
                case ConcurrentSteps.Joined.AllSucceeded all ->
                        outcome(order, receivedAt, OrderStatus.SUCCEEDED, null, null, all.reports(), attempts, List.of());
                case ConcurrentSteps.Joined.FirstFailure failed -> outcome(order, receivedAt, OrderStatus.FAILED,
                        ErrorClassifier.classify(failed.cause()), message(failed.cause()), failed.reports(), attempts,
                        compensator.compensate(order, failed.reports()));
                case ConcurrentSteps.Joined.DeadlineExpired expired -> expired(order, receivedAt, expired, attempts);
            };
        } finally {
            // The simulated delivery is instantaneous: the courier is back once the order is
            // decided, and straight away when a sibling failed, so a failed order never holds one.
            // The compensation has returned it already then; closing a lease twice does nothing.
            returnCourier(joined.reports());
        }
    }

    private OrderOutcome expired(OrderPlaced order, Instant receivedAt, ConcurrentSteps.Joined.DeadlineExpired expired,
                                 Map<StepName, AtomicInteger> attempts) throws InterruptedException {
        tracing.deadlineExpired(orderDeadline);
        return outcome(order, receivedAt, OrderStatus.FAILED, ErrorClass.TIMEOUT,
                new DeadlineExceededException(orderDeadline).getMessage(), expired.reports(), attempts,
                compensator.compensate(order, expired.reports()));
    }

    /**
     * {@code task}, telling the tracer when it fails for good: that failure cancels the siblings,
     * and their spans say so. An interrupted task was cancelled itself and tells nothing. Not
     * wrapped when nothing is traced: a step thread parks with this frame on its stack.
     */
    private Callable<?> tellingFailure(StepName step, Callable<?> task) {
        if (tracing == PipelineTracing.NONE) {
            return task;
        }
        return () -> {
            try {
                return task.call();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    tracing.stepFailed(step, ErrorClassifier.classify(e));
                }
                throw e;
            }
        };
    }

    /** Outcome for an order that was invalid before any step ran. */
    public OrderOutcome rejected(String orderId, String reason, Instant orderCreatedAt, Instant receivedAt) {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, orderId, OrderStatus.REJECTED, ErrorClass.INVALID_ORDER,
                reason, List.of(), 1, orderCreatedAt, receivedAt, clock.instant(), workerId);
    }

    private OrderOutcome outcome(OrderPlaced order, Instant receivedAt, OrderStatus status, ErrorClass errorClass,
                                 String errorMessage, List<ConcurrentSteps.Report> reports,
                                 Map<StepName, AtomicInteger> attempts, List<Compensation> compensations) {
        List<StepResult> results = new ArrayList<>(reports.size());
        int mostAttempts = 1;
        for (ConcurrentSteps.Report report : reports) {
            StepResult result = stepResult(report, attempts);
            mostAttempts = Math.max(mostAttempts, result.attempts());
            results.add(result);
        }
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, order.orderId(), status, errorClass, errorMessage,
                results, mostAttempts, order.createdAt(), receivedAt, clock.instant(), workerId, compensations);
    }

    private static StepResult stepResult(ConcurrentSteps.Report report, Map<StepName, AtomicInteger> attempts) {
        StepName name = stepNamed(report.name());
        long micros = report.duration().toNanos() / 1_000;
        // 0 when the scope was cancelled before the step's thread ran at all: report one call.
        int tried = Math.max(1, attempts.get(name).get());
        return switch (report.state()) {
            case SUCCEEDED -> new StepResult(name, StepStatus.SUCCEEDED, micros, detail(report.value()), tried);
            case FAILED -> new StepResult(name, StepStatus.FAILED, micros,
                    ErrorClassifier.classify(report.failure()).code() + ": " + message(report.failure()), tried);
            case CANCELLED -> new StepResult(name, StepStatus.CANCELLED, micros, null, tried);
        };
    }

    /** The step whose label is {@code label}: a task's name, which {@link #process} set from it. */
    private static StepName stepNamed(String label) {
        for (StepName step : STEPS) {
            if (step.label().equals(label)) {
                return step;
            }
        }
        throw new IllegalArgumentException("no step is labelled " + label);
    }

    private static String detail(Object value) {
        return value instanceof CourierPool.Lease lease ? lease.courierId() : SenderText.of(String.valueOf(value));
    }

    private static void returnCourier(List<ConcurrentSteps.Report> reports) {
        for (ConcurrentSteps.Report report : reports) {
            if (report.value() instanceof CourierPool.Lease lease) {
                lease.close();
            }
        }
    }

    /**
     * A step's failure as an outcome's text: its message may quote the order's own fields (a
     * vendor id, a delivery zone) or a service's answer, so it crosses {@link SenderText}.
     */
    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : SenderText.reason(message);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private StepContext context(OrderPlaced order, StepName step, Instant deadline) {
        return new StepContext(deadline, order.orderId() + ":" + step.label(), clock);
    }
}
