package dev.orderpipeline.worker.pipeline;

import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.StepName;
import dev.orderpipeline.worker.steps.StepContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls one step until it succeeds, fails for good, or runs out of attempts, budget or time, by
 * a {@link RetryPolicy}. Runs on the step's own virtual thread: the wait between attempts blocks
 * only that thread, so other orders keep flowing, and it is interruptible, so a sibling's failure
 * or the order's deadline ends it at once (the Go design's "blocking operations must be
 * context-aware"). Every attempt carries the step's one idempotency key. Thread-safe.
 */
final class Retry {

    /** One call of a step. */
    @FunctionalInterface
    interface Attempt<T> {
        T call(StepContext context) throws Exception;
    }

    /** How the wait between attempts is spent; {@link Thread#sleep(Duration)} outside tests. */
    @FunctionalInterface
    interface Sleeper {
        /** Waits {@code duration}; throws at once when the thread is interrupted. */
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * The waiting time one order's steps may still spend, shared by its steps (they take from it
     * on their own threads at once, hence atomic).
     */
    static final class Budget {
        private final AtomicLong nanosLeft;

        Budget(Duration total) {
            this.nanosLeft = new AtomicLong(total.toNanos());
        }

        /** Takes {@code wait} from the budget if it is all there. */
        boolean tryTake(Duration wait) {
            long want = wait.toNanos();
            long left;
            do {
                left = nanosLeft.get();
                if (left < want) {
                    return false;
                }
            } while (!nanosLeft.compareAndSet(left, left - want));
            return true;
        }
    }

    /** A single attempt took longer than the policy's per-attempt timeout. */
    static final class AttemptTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        AttemptTimeoutException(StepName step, int attempt, Duration timeout) {
            super(step.label() + " attempt " + attempt + " took longer than the attempt timeout of "
                    + timeout.toMillis() + " ms");
        }
    }

    private final RetryPolicy policy;
    // java.util.Random is thread-safe; seeded or stubbed in tests.
    private final Random random;
    private final Sleeper sleeper;
    private final PipelineEvents events;
    private final PipelineTracing tracing;
    /** Runs an attempt under its own timeout, when the policy has one. */
    private final ConcurrentSteps attemptScope;

    /** @param tracing gets a span per attempt */
    Retry(RetryPolicy policy, Random random, Sleeper sleeper, PipelineEvents events, PipelineTracing tracing,
          ConcurrentSteps attemptScope) {
        this.policy = policy;
        this.random = random;
        this.sleeper = sleeper;
        this.events = events;
        this.tracing = tracing;
        this.attemptScope = attemptScope;
    }

    Budget newBudget() {
        return new Budget(policy.budget());
    }

    /**
     * Calls {@code attempt} until it returns, or its failure is not to be retried.
     *
     * @param first    the first attempt's context; its deadline bounds every attempt and wait
     * @param attempts set to the number of the attempt running, so the caller can report how
     *                 many were made however the step ends
     * @return what the successful attempt returned
     * @throws Exception the last attempt's failure; {@link InterruptedException} at once when
     *                   cancelled, never retried
     */
    <T> T run(StepName step, StepContext first, Budget budget, AtomicInteger attempts, Attempt<T> attempt)
            throws Exception {
        for (int n = 1; ; n++) {
            attempts.set(n);
            Duration wait;
            long start = System.nanoTime();
            try (PipelineTracing.Span span = tracing.attempt(step, n)) {
                try {
                    T value = once(step, n, first, attempt);
                    events.attempted(step, AttemptResult.SUCCEEDED, since(start));
                    span.succeeded();
                    return value;
                } catch (InterruptedException e) {
                    events.attempted(step, AttemptResult.CANCELLED, since(start));
                    span.cancelled(first.remaining().isZero());
                    throw e;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        events.attempted(step, AttemptResult.CANCELLED, since(start));
                        span.cancelled(first.remaining().isZero());
                        throw e; // cancelled mid-call: the step's failure is the cancellation's echo
                    }
                    ErrorClass errorClass = ErrorClassifier.classify(e);
                    events.attempted(step, errorClass == ErrorClass.TIMEOUT ? AttemptResult.TIMED_OUT : AttemptResult.FAILED,
                            since(start));
                    wait = retryWait(n, errorClass, first, budget);
                    if (wait == null) {
                        span.failed(errorClass, e);
                        throw e;
                    }
                    span.retrying(errorClass, e, wait);
                    events.retrying(step, errorClass);
                }
            }
            sleeper.sleep(wait);
        }
    }

    /** How long to wait before the next attempt, or {@code null} when there is to be none. */
    private Duration retryWait(int n, ErrorClass errorClass, StepContext first, Budget budget) {
        if (n >= policy.maxAttempts() || !policy.retries(errorClass)) {
            return null;
        }
        Duration wait = jittered(policy.backoffCap(n + 1));
        // Never sleep past the deadline: an attempt that starts then cannot finish.
        Instant wakeAt = first.clock().instant().plus(wait);
        return wakeAt.isBefore(first.deadline()) && budget.tryTake(wait) ? wait : null;
    }

    private <T> T once(StepName step, int n, StepContext first, Attempt<T> attempt) throws Exception {
        Duration timeout = policy.attemptTimeout();
        if (timeout == null) {
            return attempt.call(first.forAttempt(n, first.deadline()));
        }
        Instant attemptDeadline = min(first.clock().instant().plus(timeout), first.deadline());
        StepContext context = first.forAttempt(n, attemptDeadline);
        // A nested scope of one task: the only way to bound a call that does not watch its own
        // deadline (a simulated step sleeps) without another thread interrupting this one.
        ConcurrentSteps.Joined joined = attemptScope.runAll(first.idempotencyKey() + "-attempt-" + n,
                Map.of(step.label(), () -> attempt.call(context)), attemptDeadline);
        return switch (joined) {
            case ConcurrentSteps.Joined.AllSucceeded done -> cast(done.reports().getFirst().value());
            case ConcurrentSteps.Joined.FirstFailure failed -> throw rethrowable(failed.cause());
            case ConcurrentSteps.Joined.DeadlineExpired expired -> throw new AttemptTimeoutException(step, n, timeout);
        };
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Full jitter: uniformly between zero and {@code cap}. */
    private Duration jittered(Duration cap) {
        return Duration.ofNanos(random.nextLong(cap.toNanos() + 1));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Exception rethrowable(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return (Exception) failure;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
