package dev.orderpipeline.worker.trace;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * The {@code trace_id} and {@code span_id} keys of the logging MDC, so that a log line written
 * while an order's span is current can be joined to its trace. Per thread, like the MDC: set
 * and restored on the thread that runs the span.
 */
final class TraceMdc implements AutoCloseable {

    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";

    private final String previousTraceId;
    private final String previousSpanId;

    private TraceMdc(String previousTraceId, String previousSpanId) {
        this.previousTraceId = previousTraceId;
        this.previousSpanId = previousSpanId;
    }

    /** Puts {@code span}'s ids into this thread's MDC until {@link #close()}, which puts back what was there. */
    static TraceMdc put(SpanContext span) {
        TraceMdc restore = new TraceMdc(MDC.get(TRACE_ID), MDC.get(SPAN_ID));
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
        }
        return restore;
    }

    @Override
    public void close() {
        restore(TRACE_ID, previousTraceId);
        restore(SPAN_ID, previousSpanId);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
