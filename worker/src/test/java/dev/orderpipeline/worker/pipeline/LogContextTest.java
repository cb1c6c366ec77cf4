package dev.orderpipeline.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;

/**
 * Step threads are new virtual threads, which inherit no MDC: the scope binds the caller's for
 * them ({@link StepLogContext}), so that a line a step logs names its order (and its trace) like
 * the order thread's lines do; the worker's logging setup copies it into the MDC of a step
 * thread that logs (the app's StepMdcFilterTest shows the line).
 */
@Timeout(30)
class LogContextTest {

    private final ConcurrentSteps steps = new ConcurrentSteps(new StepTracker(), Clock.systemUTC(), PipelineTracing.NONE);

    private List<Object> mdcSeenByTasks() throws InterruptedException {
        Map<String, Callable<?>> tasks = new LinkedHashMap<>();
        for (String name : List.of("payment", "vendor", "courier")) {
            tasks.put(name, () -> {
                Map<String, String> context = StepLogContext.current();
                return context == null ? Arrays.asList(null, null) : Arrays.asList(context.get("order_id"), context.get("trace_id"));
            });
        }
        ConcurrentSteps.Joined joined = steps.runAll("order-o-1", tasks, Instant.now().plus(Duration.ofSeconds(10)));
        assertInstanceOf(ConcurrentSteps.Joined.AllSucceeded.class, joined);
        return joined.reports().stream().map(ConcurrentSteps.Report::value).toList();
    }

    @Test
    void stepThreads_logWithTheCallersMdc_soTheirLinesNameTheOrder() throws Exception {
        MDC.put("order_id", "o-1");
        MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        List<Object> seen;
        try {
            seen = mdcSeenByTasks();
        } finally {
            MDC.clear();
        }
        List<String> want = List.of("o-1", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertEquals(List.of(want, want, want), seen);
    }

    @Test
    void aScopeOpenedByAStep_handsItsTasksTheOrdersContext_withWhatTheStepAdded() throws Exception {
        MDC.put("order_id", "o-2");
        Object seen;
        try {
            Map<String, Callable<?>> outer = new LinkedHashMap<>();
            // A step that set a key of its own (a step span's trace id), then runs an attempt in a scope of its own.
            outer.put("payment", () -> {
                MDC.put("trace_id", "0af7651916cd43dd8448eb211c80319c");
                Map<String, Callable<?>> inner = Map.of("attempt",
                        () -> Arrays.asList(StepLogContext.current().get("order_id"), StepLogContext.current().get("trace_id")));
                return steps.runAll("attempt", inner, Instant.now().plus(Duration.ofSeconds(10))).reports().getFirst().value();
            });
            seen = steps.runAll("order-o-2", outer, Instant.now().plus(Duration.ofSeconds(10))).reports().getFirst().value();
        } finally {
            MDC.clear();
        }
        assertEquals(List.of("o-2", "0af7651916cd43dd8448eb211c80319c"), seen);
    }

    @Test
    void withoutAnMdc_stepThreadsHaveNone() throws Exception {
        List<String> none = Arrays.asList(null, null);
        assertEquals(List.of(none, none, none), mdcSeenByTasks());
    }
}
