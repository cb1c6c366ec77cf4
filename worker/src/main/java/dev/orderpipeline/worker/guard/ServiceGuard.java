package dev.orderpipeline.worker.guard;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.exception.AcquirePermissionCancelledException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The circuit breaker and the bulkhead of one service, around each of its calls:
 *
 * <pre>{@code
 * try (ServiceGuard.Permit permit = guard.enter()) {   // refused, or waits for a slot
 *     response = send(...);
 *     permit.answered();                               // or permit.failed(e) for a transient failure
 * }
 * }</pre>
 *
 * Only what the service did counts for its breaker: an answer (also a decline or a 4xx) is a
 * success; unreachable, timed out, 429 and 5xx are failures; a call cancelled by its order (a
 * sibling failed, the deadline passed) counts for nothing. Thread-safe: order threads share it.
 *
 * <p>While the breaker is <em>bypassed</em> (its outage held orders back for the longest pause,
 * see {@link ServiceGuards}), calls go to the service without asking it, as without breakers;
 * the first answer closes it again.
 */
public final class ServiceGuard {

    /** The breaker is open (or its half-open probes are taken): the service is not called. */
    public static final class CircuitOpenException extends Exception {
        private static final long serialVersionUID = 1L;

        CircuitOpenException(String service, Throwable cause) {
            super(service + " not called: its circuit breaker is open", cause);
        }
    }

    /** No call slot became free within the bulkhead's wait, which is the order deadline. */
    public static final class NoSlotException extends Exception {
        private static final long serialVersionUID = 1L;

        NoSlotException(String service, int maxCalls, Throwable cause) {
            super(service + " not called: all " + maxCalls + " call slots stayed busy", cause);
        }
    }

    private final String service;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    // Set by whoever gives up holding orders back (the poll thread), cleared when the breaker
    // closes (an order thread); read by order threads.
    private final AtomicBoolean bypassed = new AtomicBoolean();

    /**
     * @param breaker  {@code null}: no breaker (breakers off, or an undo call)
     * @param bulkhead {@code null}: no limit on calls at once
     */
    ServiceGuard(String service, CircuitBreaker breaker, Bulkhead bulkhead) {
        this.service = service;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
    }

    /** No breaker, no bulkhead: every call goes through. */
    public static ServiceGuard none(String service) {
        return new ServiceGuard(service, null, null);
    }

    /** The same bulkhead without the breaker: for undo calls, which must be tried whatever the breaker says. */
    public ServiceGuard withoutBreaker() {
        return new ServiceGuard(service, null, bulkhead);
    }

    public String service() {
        return service;
    }

    /**
     * Asks the breaker, then waits for a call slot.
     *
     * @throws CircuitOpenException the breaker refuses the call
     * @throws NoSlotException      no slot became free within the bulkhead's wait
     * @throws InterruptedException the order was cancelled while waiting for a slot
     */
    public Permit enter() throws CircuitOpenException, NoSlotException, InterruptedException {
        boolean asked = breaker != null && !bypassed.get();
        if (asked) {
            try {
                breaker.acquirePermission();
            } catch (CallNotPermittedException e) {
                throw new CircuitOpenException(service, e);
            }
        }
        if (bulkhead != null) {
            try {
                bulkhead.acquirePermission();
            } catch (AcquirePermissionCancelledException e) {
                releaseBreaker(asked);
                Thread.interrupted(); // reported by the exception, as a blocking call does
                InterruptedException interrupted = new InterruptedException(service + ": cancelled while waiting for a call slot");
                interrupted.initCause(e);
                throw interrupted;
            } catch (BulkheadFullException e) {
                releaseBreaker(asked);
                if (Thread.interrupted()) {
                    throw new InterruptedException(service + ": cancelled while waiting for a call slot");
                }
                throw new NoSlotException(service, bulkhead.getBulkheadConfig().getMaxConcurrentCalls(), e);
            }
        }
        return new Permit(asked, asked ? breaker.getCurrentTimestamp() : 0);
    }

    private void releaseBreaker(boolean asked) {
        if (asked) {
            breaker.releasePermission();
        }
    }

    /** Calls stop asking the breaker until it closes: the first answer closes it. */
    void bypass() {
        bypassed.set(true);
    }

    /** The breaker closed: calls ask it again. */
    void closed() {
        bypassed.set(false);
    }

    /** One call's permission: say how it went, then close it (try-with-resources). Not thread-safe: the calling thread's. */
    public final class Permit implements AutoCloseable {

        /** Whether the breaker permitted this call, so must hear how it went. */
        private final boolean asked;
        private final long started;
        private boolean recorded;

        private Permit(boolean asked, long started) {
            this.asked = asked;
            this.started = started;
        }

        /** The service answered: any status that is not a transient failure. */
        public void answered() {
            if (!recorded) {
                if (asked) {
                    breaker.onSuccess(elapsed(), breaker.getTimestampUnit());
                } else if (breaker != null && bypassed.compareAndSet(true, false)) {
                    breaker.transitionToClosedState(); // the service is back: guard it again
                }
            }
            recorded = true;
        }

        /** The service failed transiently: unreachable, timed out, 429 or 5xx. */
        public void failed(Throwable failure) {
            if (asked && !recorded) {
                breaker.onError(elapsed(), breaker.getTimestampUnit(), failure);
            }
            recorded = true;
        }

        /** Frees the call slot; a call neither answered nor failed (cancelled) gives its permission back. */
        @Override
        public void close() {
            if (!recorded) {
                recorded = true;
                releaseBreaker(asked);
            }
            if (bulkhead != null) {
                bulkhead.onComplete();
            }
        }

        private long elapsed() {
            return Math.max(0, breaker.getCurrentTimestamp() - started);
        }
    }

    // For the guards' gate and meters.
    CircuitBreaker breaker() {
        return breaker;
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }
}
