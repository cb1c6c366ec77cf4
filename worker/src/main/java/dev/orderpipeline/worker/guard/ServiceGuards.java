package dev.orderpipeline.worker.guard;

import dev.orderpipeline.worker.config.ServiceGuarding;
import dev.orderpipeline.worker.observe.GuardMeters;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guards of the payment, vendor and courier services, and the {@link StartGate} their
 * breakers make for the poll loop.
 *
 * <p>A breaker that opens holds new orders back: the poll loop starts none and pauses fetching,
 * so the orders not yet taken stay in the topic, in order, while the service is down. Orders
 * already running finish by their own rules (their calls are refused at once and they retry
 * within their deadline). After {@link ServiceGuarding#openWait()} the breaker lets
 * {@link ServiceGuarding#probes()} orders through; their calls close it or open it again, for
 * twice the wait each time, up to {@link #MAX_OPEN_WAIT}.
 *
 * <p>One outage holds orders back at most {@link ServiceGuarding#longestPause()}, counted from
 * the breaker's first opening: then that breaker <em>gives up</em>: orders run again and call
 * the service without asking the breaker, so while it stays down they fail as they would
 * without breakers; the first answer closes the breaker, and the next outage gets a fresh
 * longest pause.
 *
 * <p>Each transition is logged once, as one line; the state, the transitions and the refused
 * calls are meters ({@link GuardMeters}). Thread-safe: order threads drive the breakers, the
 * poll thread reads the gate, the HTTP thread reads {@link #degraded()}.
 */
public final class ServiceGuards implements StartGate {

    private static final Logger log = LoggerFactory.getLogger(ServiceGuards.class);

    /**
     * The open wait doubles after each failed probe, up to this (or the configured open wait, if
     * longer): a long outage costs a few probe orders, not three every open wait, and a flapping
     * service cannot make its breaker switch faster and faster. Closing starts again from the
     * configured wait.
     */
    static final Duration MAX_OPEN_WAIT = Duration.ofMinutes(1);

    /** One service's guard and its pause book-keeping. */
    private static final class Guarded {
        final ServiceGuard guard;
        // Guarded by this: written by order threads (transitions) and the poll thread (giving up).
        private Instant holdingSince;
        private boolean gaveUp;

        Guarded(ServiceGuard guard) {
            this.guard = guard;
        }
    }

    private final ServiceGuarding settings;
    private final Clock clock;
    private final Map<String, Guarded> guards = new LinkedHashMap<>();

    /**
     * @param services      the services' names, as they appear in meters, logs and health
     * @param orderDeadline the longest an order waits for a call slot: its whole deadline, which
     *                      cancels the wait sooner when it passes
     */
    public ServiceGuards(List<String> services, ServiceGuarding settings, Duration orderDeadline, Clock clock,
                         GuardMeters meters) {
        this.settings = settings;
        this.clock = clock;
        for (String service : services) {
            CircuitBreaker breaker = settings.breakers() ? breaker(service, settings, clock) : null;
            Bulkhead bulkhead = Bulkhead.of(service, BulkheadConfig.custom()
                    .maxConcurrentCalls(settings.maxCalls())
                    .maxWaitDuration(orderDeadline)
                    .fairCallHandlingStrategyEnabled(true)
                    .build());
            Guarded guarded = new Guarded(new ServiceGuard(service, breaker, bulkhead));
            guards.put(service, guarded);
            meters.bindBulkhead(service, () -> bulkhead.getMetrics().getAvailableConcurrentCalls(), settings.maxCalls());
            if (breaker != null) {
                meters.bindBreaker(service, () -> state(breaker.getState()), () -> holding(guarded));
                breaker.getEventPublisher()
                        .onStateTransition(event -> transition(guarded, event.getStateTransition(), meters))
                        .onCallNotPermitted(event -> meters.notPermitted(service));
            }
        }
    }

    private static CircuitBreaker breaker(String service, ServiceGuarding settings, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRatePercent())
                .slidingWindow(settings.window(), settings.window(), CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(settings.openWait(), 2.0,
                        settings.openWait().compareTo(MAX_OPEN_WAIT) > 0 ? settings.openWait() : MAX_OPEN_WAIT))
                // Nothing would call a service whose orders are held back: the breaker's own
                // timer moves it to half-open, and the gate lets the probes through.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(settings.probes())
                // Slow calls are the deadline's business, not the breaker's.
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                // Only transient failures are reported to it (ServiceGuard.Permit#failed).
                .recordException(e -> true)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
        return CircuitBreaker.of(service, config);
    }

    /** The guard of {@code service}. @throws IllegalArgumentException for a service not guarded here */
    public ServiceGuard guard(String service) {
        Guarded guarded = guards.get(service);
        if (guarded == null) {
            throw new IllegalArgumentException("no guard for " + service);
        }
        return guarded.guard;
    }

    @Override
    public int allowance(int maxInFlight) {
        int allowed = maxInFlight;
        Instant now = clock.instant();
        for (Guarded guarded : guards.values()) {
            CircuitBreaker breaker = guarded.guard.breaker();
            if (breaker == null) {
                continue;
            }
            CircuitBreaker.State state = breaker.getState();
            if (state != CircuitBreaker.State.OPEN && state != CircuitBreaker.State.HALF_OPEN) {
                continue;
            }
            if (!stillHolding(guarded, now)) {
                continue;
            }
            allowed = Math.min(allowed, state == CircuitBreaker.State.OPEN ? 0 : settings.probes());
        }
        return allowed;
    }

    /**
     * The services whose breaker is not closed, with its state ({@code open}, {@code half_open})
     * and whether it holds new orders back: for {@code /health/ready}. Any thread.
     */
    public Map<String, String> degraded() {
        Map<String, String> degraded = new LinkedHashMap<>();
        for (Guarded guarded : guards.values()) {
            CircuitBreaker breaker = guarded.guard.breaker();
            if (breaker == null || breaker.getState() == CircuitBreaker.State.CLOSED) {
                continue;
            }
            degraded.put(guarded.guard.service(), state(breaker.getState())
                    + (holding(guarded) ? "" : ", gave up holding orders back"));
        }
        return degraded;
    }

    private boolean stillHolding(Guarded guarded, Instant now) {
        synchronized (guarded) {
            if (guarded.gaveUp) {
                return false;
            }
            if (guarded.holdingSince == null) {
                guarded.holdingSince = now; // opened before this book-keeping saw it
            }
            if (Duration.between(guarded.holdingSince, now).compareTo(settings.longestPause()) < 0) {
                return true;
            }
            guarded.gaveUp = true;
            guarded.guard.bypass();
        }
        log.warn("{} breaker: held new orders back for {} ms, the longest pause (--breaker-longest-pause): orders run "
                        + "again and call {} as without breakers; the first answer closes the breaker",
                guarded.guard.service(), settings.longestPause().toMillis(), guarded.guard.service());
        return false;
    }

    private static boolean holding(Guarded guarded) {
        synchronized (guarded) {
            return guarded.holdingSince != null && !guarded.gaveUp;
        }
    }

    private void transition(Guarded guarded, CircuitBreaker.StateTransition transition, GuardMeters meters) {
        String service = guarded.guard.service();
        String from = state(transition.getFromState());
        String to = state(transition.getToState());
        meters.transition(service, from, to);
        boolean gaveUp;
        synchronized (guarded) {
            switch (transition.getToState()) {
                case CLOSED -> {
                    guarded.holdingSince = null;
                    guarded.gaveUp = false;
                    guarded.guard.closed();
                }
                case OPEN -> {
                    if (guarded.holdingSince == null) {
                        guarded.holdingSince = clock.instant();
                    }
                }
                default -> {
                }
            }
            gaveUp = guarded.gaveUp;
        }
        String what = switch (transition.getToState()) {
            case OPEN -> "new orders held back, fetching paused until the next probe";
            case HALF_OPEN -> gaveUp ? "not holding orders back (longest pause reached)"
                    : "letting " + settings.probes() + " probe orders through";
            case CLOSED -> "service answering, orders flow";
            default -> "";
        };
        log.info("{} breaker {} -> {}: {}", service, from, to, what);
    }

    /** A state as meters and health name it: {@code closed}, {@code open}, {@code half_open}. */
    static String state(CircuitBreaker.State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
