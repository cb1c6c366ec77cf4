package dev.orderpipeline.worker.kafka;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderOutcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of what the worker did, for the exit log. Thread-safe. */
public final class WorkerStats {

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLetters = new ConcurrentHashMap<>();

    void outcome(OrderOutcome outcome) {
        String key = outcome.status().name().toLowerCase(java.util.Locale.ROOT)
                + (outcome.errorClass() == null ? "" : "/" + outcome.errorClass().code());
        outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void deadLetter(DecodedOrder.Problem problem) {
        deadLetters.computeIfAbsent(problem.name(), k -> new LongAdder()).increment();
    }

    /** Outcomes published, by {@code status[/error_class]}. */
    public Map<String, Long> outcomes() {
        return snapshot(outcomes);
    }

    /** Records dead-lettered, by problem. */
    public Map<String, Long> deadLetters() {
        return snapshot(deadLetters);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    @Override
    public String toString() {
        return "outcomes=" + outcomes() + " dead_letters=" + deadLetters();
    }
}
