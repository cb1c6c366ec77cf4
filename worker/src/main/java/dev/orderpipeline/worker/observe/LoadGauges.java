package dev.orderpipeline.worker.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.IntSupplier;

/**
 * The gauges of how loaded the worker is: orders running and waiting against the limit, step
 * threads, couriers. Their suppliers are read on scrape threads and must be thread-safe.
 */
final class LoadGauges {

    private LoadGauges() {
    }

    /**
     * Load gauges: {@code orders_in_flight} (running), {@code orders_waiting} (fetched, held
     * back by the ordering or the limit), {@code orders_max_in_flight} (the limit at which
     * fetching pauses), and the high-water marks {@code orders_in_flight_peak} and
     * {@code orders_held_peak}, which show whether the limit held since start.
     */
    static void bindLoad(MeterRegistry registry, WorkerMetrics.Load load, int maxInFlight) {
        Gauge.builder("orders.in.flight", load::inFlight)
                .description("Orders running now").register(registry);
        Gauge.builder("orders.waiting", load::waiting)
                .description("Orders fetched and waiting to start (same key running, or the in-flight limit)")
                .register(registry);
        Gauge.builder("orders.max.in.flight", () -> maxInFlight)
                .description("Orders running or waiting at which fetching pauses (--max-in-flight)").register(registry);
        Gauge.builder("orders.in.flight.peak", load::inFlightPeak)
                .description("Most orders running at once since start; never above orders_max_in_flight")
                .register(registry);
        Gauge.builder("orders.held.peak", load::heldPeak)
                .description("Most orders running or waiting at once since start; at most one poll "
                        + "(max.poll.records, itself at most the limit) above orders_max_in_flight")
                .register(registry);
    }

    /**
     * {@code step_threads_running}: step threads between their first and last instruction now
     * (payment, vendor, courier calls and undos of every running order); read on scrape threads.
     * Back at 0 whenever no order runs: anything else is a step that ignores cancellation.
     */
    static void bindStepThreads(MeterRegistry registry, IntSupplier running) {
        Gauge.builder("step.threads.running", running::getAsInt)
                .description("Step threads running now (calls and undos of running orders); 0 when no order runs")
                .register(registry);
    }

    /** Courier pool gauges; {@code inUse} is read on scrape threads. */
    static void bindCourierPool(MeterRegistry registry, IntSupplier inUse, int size) {
        Gauge.builder("courier.pool.in.use", inUse::getAsInt)
                .description("Couriers taken by running orders").register(registry);
        Gauge.builder("courier.pool.size", () -> size)
                .description("Couriers in the pool (--courier-pool-size)").register(registry);
    }
}
