package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.worker.steps.CourierDispatcher;
import dev.orderpipeline.worker.steps.PaymentGateway;
import dev.orderpipeline.worker.steps.VendorNotifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/**
 * Collects what an {@link OrderPipeline} is made of ({@link OrderPipeline#builder}); {@link #build()}
 * checks it. Not thread-safe.
 */
public final class OrderPipelineBuilder {

    final PaymentGateway payment;
    final VendorNotifier vendor;
    final CourierDispatcher courier;
    Duration orderDeadline;
    String workerId;
    StepTracker tracker = new StepTracker();
    Clock clock = Clock.systemUTC();
    RetryPolicy retry = RetryPolicy.NONE;
    Duration compensationDeadline = OrderPipeline.DEFAULT_COMPENSATION_DEADLINE;
    Random random = new Random();
    PipelineEvents events = PipelineEvents.NONE;
    PipelineTracing tracing = PipelineTracing.NONE;
    Retry.Sleeper sleeper = Thread::sleep;

    OrderPipelineBuilder(PaymentGateway payment, VendorNotifier vendor, CourierDispatcher courier) {
        this.payment = payment;
        this.vendor = vendor;
        this.courier = courier;
    }

    /** How long one order's steps may take together, from when they start. Required. */
    public OrderPipelineBuilder orderDeadline(Duration orderDeadline) {
        this.orderDeadline = orderDeadline;
        return this;
    }

    /** Written into every outcome, to tell workers apart. Required. */
    public OrderPipelineBuilder workerId(String workerId) {
        this.workerId = workerId;
        return this;
    }

    /** Counts the step threads, to prove none outlives its order. */
    public OrderPipelineBuilder tracker(StepTracker tracker) {
        this.tracker = tracker;
        return this;
    }

    public OrderPipelineBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** When a step is called again after a transient failure; by default never. */
    public OrderPipelineBuilder retry(RetryPolicy retry) {
        this.retry = retry;
        return this;
    }

    /** How long the undos of a failed order may take, from when they start. */
    public OrderPipelineBuilder compensationDeadline(Duration compensationDeadline) {
        this.compensationDeadline = compensationDeadline;
        return this;
    }

    /** Draws the jittered waits between attempts. */
    public OrderPipelineBuilder random(Random random) {
        this.random = random;
        return this;
    }

    /** Told of retries and compensations, for metrics. */
    public OrderPipelineBuilder events(PipelineEvents events) {
        this.events = events;
        return this;
    }

    /** Told of attempts, cancellations and undos, for traces; by default nothing is traced. */
    public OrderPipelineBuilder tracing(PipelineTracing tracing) {
        this.tracing = tracing;
        return this;
    }

    /** The wait between attempts, passed in so that tests spend no time in it. */
    OrderPipelineBuilder sleeper(Retry.Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    /** @throws NullPointerException or IllegalArgumentException if a part is missing or a deadline is not positive */
    public OrderPipeline build() {
        return new OrderPipeline(this);
    }
}
