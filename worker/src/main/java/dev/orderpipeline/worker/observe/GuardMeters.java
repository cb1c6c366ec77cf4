package dev.orderpipeline.worker.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The meters of the services' circuit breakers and bulkheads, per service:
 * {@code circuit_breaker_state{service,state}} (1 for the state it is in, 0 for the others),
 * {@code circuit_breaker_holding{service}} (1 while it holds new orders back),
 * {@code circuit_breaker_transitions_total{service,from,to}},
 * {@code circuit_breaker_not_permitted_total{service}} (calls refused while open), and
 * {@code bulkhead_available_calls{service}} with {@code bulkhead_max_calls{service}}.
 * Thread-safe.
 */
public final class GuardMeters {

    static final String STATE = "circuit.breaker.state";
    static final String HOLDING = "circuit.breaker.holding";
    static final String TRANSITIONS = "circuit.breaker.transitions";
    static final String NOT_PERMITTED = "circuit.breaker.not.permitted";
    static final String BULKHEAD_AVAILABLE = "bulkhead.available.calls";
    static final String BULKHEAD_MAX = "bulkhead.max.calls";

    private static final List<String> STATES = List.of("closed", "open", "half_open");

    private final MeterRegistry registry;
    // Gauges keep their state objects only weakly: held here for the registry's life.
    private final List<Object> readers = new CopyOnWriteArrayList<>();

    public GuardMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param state   the breaker's state now, one of {@code closed}, {@code open}, {@code half_open}
     *                (others, such as disabled, read 0 in every series)
     * @param holding whether it holds new orders back now
     */
    public void bindBreaker(String service, Supplier<String> state, BooleanSupplier holding) {
        readers.add(state);
        readers.add(holding);
        for (String name : STATES) {
            Gauge.builder(STATE, state, s -> name.equals(s.get()) ? 1 : 0)
                    .description("1 for the state the service's circuit breaker is in, 0 for the others")
                    .tags("service", service, "state", name)
                    .register(registry);
            for (String to : STATES) {
                if (!to.equals(name)) {
                    transitions(service, name, to); // at zero from the start, so a rate sees the first one
                }
            }
        }
        Gauge.builder(HOLDING, holding, h -> h.getAsBoolean() ? 1 : 0)
                .description("1 while the service's breaker holds new orders back (fetching paused)")
                .tags("service", service)
                .register(registry);
        notPermittedCounter(service);
    }

    public void bindBulkhead(String service, IntSupplier available, int max) {
        readers.add(available);
        Gauge.builder(BULKHEAD_AVAILABLE, available, IntSupplier::getAsInt)
                .description("Call slots of the service free now")
                .tags("service", service)
                .register(registry);
        Gauge.builder(BULKHEAD_MAX, () -> max)
                .description("Calls to the service in progress at once, at most (--bulkhead-max-calls)")
                .tags("service", service)
                .register(registry);
    }

    public void transition(String service, String from, String to) {
        transitions(service, from, to).increment();
    }

    public void notPermitted(String service) {
        notPermittedCounter(service).increment();
    }

    /** Transitions so far of {@code service}'s breaker, over all states: for tests and reports. */
    public long transitions(String service) {
        return Math.round(registry.find(TRANSITIONS).tag("service", service).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    /** Calls of {@code service} its breaker refused so far. */
    public long notPermittedCount(String service) {
        return Math.round(notPermittedCounter(service).count());
    }

    private Counter transitions(String service, String from, String to) {
        return Counter.builder(TRANSITIONS)
                .description("Transitions of the service's circuit breaker")
                .tags("service", service, "from", from, "to", to)
                .register(registry);
    }

    private Counter notPermittedCounter(String service) {
        return Counter.builder(NOT_PERMITTED)
                .description("Calls to the service its open circuit breaker refused")
                .tags("service", service)
                .register(registry);
    }
}
