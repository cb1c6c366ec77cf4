package dev.orderpipeline.worker.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;

/**
 * Runs a few tasks at the same time and waits for all of them, with errgroup's policy: the
 * first failure cancels the others, the deadline cancels all, and when {@link #runAll} returns
 * no task thread is left. Nothing here knows what the tasks mean.
 *
 * <p>This is the only class that touches {@link StructuredTaskScope}, a preview API in JDK 25
 * (JEP 505) that changes again in later releases: moving to the final API is this one file.
 *
 * <p>Tasks must honour interruption: that is how they are cancelled, and {@link #runAll} waits
 * for every task thread to end.
 */
final class ConcurrentSteps {

    /** How a task ended. */
    enum State {
        SUCCEEDED,
        FAILED,
        /** Interrupted by the scope, or never finished, because a sibling failed or time ran out. */
        CANCELLED
    }

    /** One task's report, read after every task thread has ended. */
    record Report(String name, State state, Object value, Throwable failure, Duration duration) {
    }

    /** What happened to the group: a sealed set, handled with an exhaustive switch. */
    sealed interface Joined {
        List<Report> reports();

        record AllSucceeded(List<Report> reports) implements Joined {
        }

        /** {@code cause} is the first failure, the one that cancelled the rest. */
        record FirstFailure(Throwable cause, List<Report> reports) implements Joined {
        }

        record DeadlineExpired(Duration timeout, List<Report> reports) implements Joined {
        }
    }

    private final StepTracker tracker;
    private final Clock clock;
    private final PipelineTracing tracing;

    /** @param tracing carries the caller's trace into each task's thread */
    ConcurrentSteps(StepTracker tracker, Clock clock, PipelineTracing tracing) {
        this.tracker = tracker;
        this.clock = clock;
        this.tracing = tracing;
    }

    /**
     * Runs every task of {@code tasks} in its own virtual thread and returns when all have
     * ended.
     *
     * @param scopeName names the scope in thread dumps, e.g. {@code order-42}
     * @param tasks     by name, in the order their reports should come back
     * @param deadline  when to cancel whatever still runs
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *                              tasks are cancelled and have ended by then
     */
    Joined runAll(String scopeName, Map<String, Callable<?>> tasks, Instant deadline) throws InterruptedException {
        // Task threads do not inherit the caller's MDC (the order id, the trace): it is bound for
        // them, so that what a task logs says which order it is about (StepLogContext).
        Map<String, String> logContext = StepLogContext.forTasks();
        if (logContext == null) {
            return runScoped(scopeName, tasks, deadline);
        }
        return ScopedValue.where(StepLogContext.CONTEXT, logContext).call(() -> runScoped(scopeName, tasks, deadline));
    }

    private Joined runScoped(String scopeName, Map<String, Callable<?>> tasks, Instant deadline)
            throws InterruptedException {
        Duration timeout = Duration.between(clock.instant(), deadline);
        Map<String, Probe> probes = new LinkedHashMap<>();
        tasks.forEach((name, task) -> probes.put(name, new Probe(name, task)));
        if (timeout.isNegative() || timeout.isZero()) {
            return new Joined.DeadlineExpired(Duration.ZERO, reports(probes));
        }
        Throwable firstFailure;
        try (var scope = StructuredTaskScope.open(
                StructuredTaskScope.Joiner.<Object>awaitAllSuccessfulOrThrow(),
                // Task threads are the scope's default unnamed virtual threads: thread dumps show
                // them under the scope's name, and naming three threads per order was string
                // building on every order's path.
                config -> config.withName(scopeName).withTimeout(timeout))) {
            probes.values().forEach(probe -> scope.fork(tracing.inCurrentTrace(probe)));
            scope.join();
            firstFailure = null;
        } catch (StructuredTaskScope.FailedException e) {
            firstFailure = e.getCause();
        } catch (StructuredTaskScope.TimeoutException e) {
            return new Joined.DeadlineExpired(timeout, reports(probes));
        }
        // close() has waited for every task thread, so every probe's fields are final now.
        List<Report> reports = reports(probes);
        return firstFailure == null
                ? new Joined.AllSucceeded(reports)
                : new Joined.FirstFailure(firstFailure, reports);
    }

    private static List<Report> reports(Map<String, Probe> probes) {
        List<Report> reports = new ArrayList<>(probes.size());
        probes.values().forEach(probe -> reports.add(probe.report()));
        return reports;
    }

    /** Wraps a task to count its thread and to remember how it ended and how long it took. */
    private final class Probe implements Callable<Object> {
        private final String name;
        private final Callable<?> task;
        // Written by the task's thread, read by the scope owner after close(), which
        // happens-after the task thread ends; volatile keeps that obvious to readers.
        private volatile State state;
        private volatile Object value;
        private volatile Throwable failure;
        private volatile long nanos;

        Probe(String name, Callable<?> task) {
            this.name = name;
            this.task = task;
        }

        @Override
        public Object call() throws Exception {
            tracker.enter();
            long start = System.nanoTime();
            try {
                Object result = task.call();
                value = result;
                state = State.SUCCEEDED;
                return result;
            } catch (InterruptedException e) {
                state = State.CANCELLED;
                throw e;
            } catch (Exception | Error e) {
                // A task that turns its interrupt into another exception was still cancelled.
                state = Thread.currentThread().isInterrupted() ? State.CANCELLED : State.FAILED;
                failure = e;
                throw e;
            } finally {
                nanos = System.nanoTime() - start;
                tracker.exit();
            }
        }

        Report report() {
            State ended = state == null ? State.CANCELLED : state;
            return new Report(name, ended, value, failure, Duration.ofNanos(nanos));
        }
    }
}
