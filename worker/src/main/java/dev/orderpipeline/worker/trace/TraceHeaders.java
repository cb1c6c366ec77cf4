package dev.orderpipeline.worker.trace;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.kafka.common.header.Headers;

/**
 * Writes the calling thread's trace context into a record the worker sends (an outcome, a dead
 * letter), so whoever reads it continues the order's trace. Thread-safe (immutable).
 */
public final class TraceHeaders {

    /** Writes nothing: tracing is off. */
    public static final TraceHeaders OFF = new TraceHeaders(TextMapPropagator.noop(), /* on= */ false);

    private final TextMapPropagator propagator;
    private final boolean on;

    TraceHeaders(TextMapPropagator propagator, boolean on) {
        this.propagator = propagator;
        this.on = on;
    }

    /**
     * Puts the current context's {@code traceparent} (and {@code tracestate}) into {@code headers},
     * replacing any copied from the sender's record: with tracing on, the worker's own span is the
     * one a reader continues (it is the sender's span's child, so the trace is the same).
     */
    public void write(Headers headers) {
        if (!on) {
            return;
        }
        for (String key : propagator.fields()) {
            headers.remove(key);
        }
        propagator.inject(Context.current(), headers, KafkaHeaders.SETTER);
    }
}
