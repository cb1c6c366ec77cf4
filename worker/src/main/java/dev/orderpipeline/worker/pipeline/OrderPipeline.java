package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs one order: payment, vendor and courier at the same time under the order's deadline, then
 * turns what happened into the order's {@link OrderOutcome}. Knows nothing of Kafka, so it is
 * tested without a broker. Thread-safe: many orders run through one instance at once.
 */
public final class OrderPipeline {

    private final PaymentGateway payment;
    private final VendorNotifier vendor;
    private final CourierDispatcher courier;
    private final Duration orderDeadline;
    private final String workerId;
    private final Clock clock;
    private final ConcurrentSteps steps;

    /**
     * @param orderDeadline how long one order's steps may take together, from when they start
     * @param workerId      written into every outcome, to tell workers apart
     * @param tracker       counts the step threads, to prove none outlives its order
     */
    public OrderPipeline(PaymentGateway payment, VendorNotifier vendor, CourierDispatcher courier,
                         Duration orderDeadline, String workerId, StepTracker tracker, Clock clock) {
        this.payment = Objects.requireNonNull(payment, "payment");
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.courier = Objects.requireNonNull(courier, "courier");
        if (orderDeadline.isNegative() || orderDeadline.isZero()) {
            throw new IllegalArgumentException("orderDeadline must be positive, got " + orderDeadline);
        }
        this.orderDeadline = orderDeadline;
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.steps = new ConcurrentSteps(tracker, clock);
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
        Map<String, Callable<?>> tasks = new LinkedHashMap<>();
        tasks.put(StepName.PAYMENT.label(), () -> payment.authorize(order, context(order, StepName.PAYMENT, deadline)));
        tasks.put(StepName.VENDOR.label(), () -> vendor.notify(order, context(order, StepName.VENDOR, deadline)));
        tasks.put(StepName.COURIER.label(), () -> courier.assign(order, context(order, StepName.COURIER, deadline)));

        ConcurrentSteps.Joined joined = steps.runAll("order-" + order.orderId(), tasks, deadline);
        try {
            return switch (joined) {
                case ConcurrentSteps.Joined.AllSucceeded all ->
                        outcome(order, receivedAt, OrderStatus.SUCCEEDED, null, null, all.reports());
                case ConcurrentSteps.Joined.FirstFailure failed -> outcome(order, receivedAt, OrderStatus.FAILED,
                        ErrorClassifier.classify(failed.cause()), message(failed.cause()), failed.reports());
                case ConcurrentSteps.Joined.DeadlineExpired expired -> outcome(order, receivedAt, OrderStatus.FAILED,
                        ErrorClass.TIMEOUT, new DeadlineExceededException(orderDeadline).getMessage(), expired.reports());
            };
        } finally {
            // The simulated delivery is instantaneous: the courier is back once the order is
            // decided, and straight away when a sibling failed, so a failed order never holds one.
            returnCourier(joined.reports());
        }
    }

    /** Outcome for an order that was invalid before any step ran. */
    public OrderOutcome rejected(String orderId, String reason, Instant orderCreatedAt, Instant receivedAt) {
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, orderId, OrderStatus.REJECTED, ErrorClass.INVALID_ORDER,
                reason, List.of(), 1, orderCreatedAt, receivedAt, clock.instant(), workerId);
    }

    private OrderOutcome outcome(OrderPlaced order, Instant receivedAt, OrderStatus status, ErrorClass errorClass,
                                 String errorMessage, List<ConcurrentSteps.Report> reports) {
        List<StepResult> results = new ArrayList<>(reports.size());
        for (ConcurrentSteps.Report report : reports) {
            results.add(stepResult(report));
        }
        return new OrderOutcome(OrderOutcome.SCHEMA_VERSION, order.orderId(), status, errorClass, errorMessage,
                results, 1, order.createdAt(), receivedAt, clock.instant(), workerId);
    }

    private static StepResult stepResult(ConcurrentSteps.Report report) {
        StepName name = StepName.valueOf(report.name().toUpperCase(java.util.Locale.ROOT));
        long micros = report.duration().toNanos() / 1_000;
        return switch (report.state()) {
            case SUCCEEDED -> new StepResult(name, StepStatus.SUCCEEDED, micros, detail(report.value()));
            case FAILED -> new StepResult(name, StepStatus.FAILED, micros,
                    ErrorClassifier.classify(report.failure()).code() + ": " + message(report.failure()));
            case CANCELLED -> new StepResult(name, StepStatus.CANCELLED, micros, null);
        };
    }

    private static String detail(Object value) {
        return value instanceof CourierPool.Lease lease ? lease.courierId() : String.valueOf(value);
    }

    private static void returnCourier(List<ConcurrentSteps.Report> reports) {
        for (ConcurrentSteps.Report report : reports) {
            if (report.value() instanceof CourierPool.Lease lease) {
                lease.close();
            }
        }
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private StepContext context(OrderPlaced order, StepName step, Instant deadline) {
        return new StepContext(deadline, order.orderId() + ":" + step.label(), clock);
    }
}
