package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.contract.Compensation;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SenderText;
import dev.orderpipeline.contract.StepName;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes the steps of a failed order that had succeeded: cancellation is not retroactive, so a
 * payment authorised before the vendor failed is voided, a vendor notified before the payment
 * was declined is told to forget it, and a courier taken is returned to the pool (and recalled
 * from the courier service, over HTTP).
 *
 * <p>Runs on the order's thread after its steps' scope has closed, so business meaning stays out
 * of the scope machinery. The undos run at once in a scope of their own, under their own
 * deadline ({@code compensationDeadline} from now: the order's deadline may have passed already,
 * which is often why it failed), with the steps' retry policy and their idempotency keys, so an
 * undo that is repeated (here or by a replay of the order) undoes once. No undo's failure stops
 * another: each one's failure is classified, logged and reported in the outcome, never dropped.
 */
final class Compensator {

    private static final Logger log = LoggerFactory.getLogger(Compensator.class);

    private final PaymentGateway payment;
    private final VendorNotifier vendor;
    private final CourierDispatcher courier;
    private final Retry retry;
    private final ConcurrentSteps steps;
    private final Duration compensationDeadline;
    private final PipelineEvents events;
    private final PipelineTracing tracing;
    private final Clock clock;

    Compensator(PaymentGateway payment, VendorNotifier vendor, CourierDispatcher courier, Retry retry,
                ConcurrentSteps steps, Duration compensationDeadline, PipelineEvents events, PipelineTracing tracing,
                Clock clock) {
        this.payment = payment;
        this.vendor = vendor;
        this.courier = courier;
        this.retry = retry;
        this.steps = steps;
        this.compensationDeadline = compensationDeadline;
        this.events = events;
        this.tracing = tracing;
        this.clock = clock;
    }

    /**
     * Undoes every step of {@code reports} that succeeded, and voids a payment whose call went
     * unanswered (see {@link #unanswered}).
     *
     * @return one entry per undone step, in step order; empty when none had succeeded
     * @throws InterruptedException if the order's thread is interrupted (the worker stops hard):
     *                              the undos are cancelled, and the order is redone by whoever
     *                              takes it next, under the same idempotency keys
     */
    List<Compensation> compensate(OrderPlaced order, List<ConcurrentSteps.Report> reports) throws InterruptedException {
        Map<StepName, Compensation> done = new EnumMap<>(StepName.class);
        Map<String, Callable<?>> undos = new LinkedHashMap<>();
        Instant deadline = clock.instant().plus(compensationDeadline);
        Retry.Budget budget = retry.newBudget();
        for (ConcurrentSteps.Report report : reports) {
            StepName step = StepName.valueOf(report.name().toUpperCase(Locale.ROOT));
            StepContext context = new StepContext(deadline, order.orderId() + ":" + step.label(), clock);
            if (report.state() != ConcurrentSteps.State.SUCCEEDED) {
                if (step == StepName.PAYMENT && payment.actsWithoutAnswer() && unanswered(report)) {
                    undos.put(step.label(), undo(step, () -> retry.run(step, context, budget,
                            new AtomicInteger(), c -> payment.voidUnanswered(order, c))));
                }
                continue;
            }
            switch (step) {
                case PAYMENT -> undos.put(step.label(), undo(step, () -> retry.run(step, context, budget,
                        new AtomicInteger(), c -> payment.voidAuthorization(order, (String) report.value(), c))));
                case VENDOR -> undos.put(step.label(), undo(step, () -> retry.run(step, context, budget,
                        new AtomicInteger(), c -> vendor.retract(order, (String) report.value(), c))));
                case COURIER -> {
                    if (report.value() instanceof CourierPool.Lease lease) {
                        undos.put(step.label(), undo(step, () -> retry.run(step, context, budget,
                                new AtomicInteger(), c -> courier.release(order, lease, c))));
                    } else {
                        done.put(step, Compensation.failed(step, ErrorClass.INTERNAL,
                                "courier step returned no lease: " + report.value()));
                    }
                }
            }
        }
        if (!undos.isEmpty()) {
            ConcurrentSteps.Joined joined = steps.runAll("order-" + order.orderId() + "-compensation", undos, deadline);
            for (ConcurrentSteps.Report report : joined.reports()) {
                StepName step = StepName.valueOf(report.name().toUpperCase(Locale.ROOT));
                if (report.state() == ConcurrentSteps.State.SUCCEEDED && report.value() == null) {
                    continue; // an unanswered call had done nothing: nothing to report
                }
                done.put(step, switch (report.state()) {
                    case SUCCEEDED -> (Compensation) report.value();
                    // Tasks return their failures as values; only an Error gets here.
                    case FAILED -> failed(step, report.failure());
                    case CANCELLED -> Compensation.failed(step, ErrorClass.TIMEOUT, "not undone within the compensation "
                            + "deadline of " + compensationDeadline.toMillis() + " ms");
                });
            }
        }
        List<Compensation> compensations = new ArrayList<>(done.values());
        for (Compensation compensation : compensations) {
            report(order, compensation);
        }
        return compensations;
    }

    /**
     * Whether a step that did not succeed may still have acted: its call was cancelled mid-way
     * or timed out, so its request may have reached the service, which acts on it whether or not
     * an answer is awaited. Money is what such a call leaves behind, so the payment is voided by
     * its idempotency key. A vendor notified or a courier booked by an unanswered call is not
     * undone here: their undos still take the reference that only an answer carries.
     */
    private static boolean unanswered(ConcurrentSteps.Report report) {
        return switch (report.state()) {
            case CANCELLED -> true;
            case FAILED -> ErrorClassifier.classify(report.failure()) == ErrorClass.TIMEOUT;
            case SUCCEEDED -> false;
        };
    }

    /**
     * Wraps an undo so that its failure becomes a value (one failed undo must not cancel the
     * others), in a span of its own.
     */
    private Callable<Compensation> undo(StepName step, Callable<String> call) {
        return () -> {
            try (PipelineTracing.Span span = tracing.compensation(step)) {
                try {
                    String note = call.call();
                    span.succeeded();
                    // null: an unanswered call had done nothing (see unanswered)
                    return note == null ? null : Compensation.compensated(step, SenderText.reason(note));
                } catch (InterruptedException e) {
                    span.cancelled(/* deadlinePassed= */ true);
                    throw e;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        span.cancelled(/* deadlinePassed= */ true);
                        throw e; // cancelled by the compensation deadline: reported as such
                    }
                    span.failed(ErrorClassifier.classify(e), e);
                    return failed(step, e);
                }
            }
        };
    }

    private static Compensation failed(StepName step, Throwable failure) {
        String message = failure.getMessage();
        // A step's message may quote the order's own fields (a vendor id, a zone) or a service's answer.
        return Compensation.failed(step, ErrorClassifier.classify(failure),
                message == null || message.isBlank() ? failure.getClass().getSimpleName() : SenderText.reason(message));
    }

    private void report(OrderPlaced order, Compensation compensation) {
        events.compensation(order.orderId(), compensation);
        switch (compensation.status()) {
            case COMPENSATED -> log.debug("order {}: {} undone: {}", SenderText.of(order.orderId()),
                    compensation.step().label(), compensation.detail());
            case FAILED -> log.warn("order {}: {} NOT undone ({}): {}; undo it by hand or replay with key {}:{}",
                    SenderText.of(order.orderId()), compensation.step().label(), compensation.errorClass().code(),
                    compensation.detail(), SenderText.of(order.orderId()), compensation.step().label());
        }
    }
}
