package dev.orderpipeline.worker.pipeline;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The log context (the MDC: the order id, the trace) of the thread that runs a group of step
 * tasks, readable on the tasks' threads. Step threads are new virtual threads and inherit no MDC;
 * instead of copying it into every one of them (three per order, most of which never log), the
 * scope binds it here once, and the logging setup copies it into a step thread's MDC when that
 * thread logs (see the worker's {@code StepMdcFilter}). Any thread.
 */
public final class StepLogContext {

    // Bound by ConcurrentSteps around its scope: forks inherit the binding, nested scopes too.
    static final ScopedValue<Map<String, String>> CONTEXT = ScopedValue.newInstance();

    private StepLogContext() {
    }

    /**
     * The log context of the order whose step this thread runs, unmodifiable; {@code null} on a
     * thread that runs no step, or when the order's thread had none.
     */
    public static Map<String, String> current() {
        return CONTEXT.isBound() ? CONTEXT.get() : null;
    }

    /**
     * What to bind for the tasks of a scope opened on this thread: this thread's MDC over the
     * context it was given itself (a step that opens a scope of its own may not have logged yet);
     * {@code null} when there is nothing to add to what is bound already.
     */
    static Map<String, String> forTasks() {
        Map<String, String> own = MDC.getCopyOfContextMap();
        if (own == null || own.isEmpty()) {
            return null;
        }
        Map<String, String> inherited = current();
        if (inherited == null || own.entrySet().containsAll(inherited.entrySet())) {
            return Collections.unmodifiableMap(own); // a copy already, this thread's MDC stays its own
        }
        Map<String, String> merged = new HashMap<>(inherited);
        merged.putAll(own);
        return Collections.unmodifiableMap(merged);
    }
}
