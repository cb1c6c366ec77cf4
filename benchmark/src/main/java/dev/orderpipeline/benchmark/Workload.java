package dev.orderpipeline.benchmark;

/**
 * One measured configuration.
 *
 * @param raw        true for the bare consume-produce pipe (no worker)
 * @param orders     backlog size drained in the throughput phase
 * @param delivery   the worker's {@code --delivery}
 * @param baseline   true when run with the {@code --baseline-jar} build instead of the worker under test
 * @param traced     true when the worker runs with tracing on, every order sampled, its spans
 *                   exported over OTLP/HTTP to the harness's {@link TraceSink}
 */
record Workload(String name, String description, boolean raw, int stepLatencyMs, int stepJitterMs,
                int maxInFlight, String ordering, int orders, String delivery, boolean baseline, boolean traced) {

    /** The suffix of a baseline copy's name: {@code W1} and {@code W1-base} run in the same rounds. */
    static final String BASELINE_SUFFIX = "-base";

    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";

    static Workload rawPipe(int orders) {
        return new Workload("W0", "raw pipe (consume-produce-commit, bytes)", true, 0, 0, 0, "-", orders, AT_LEAST_ONCE, false, false);
    }

    static Workload worker(String name, String description, int stepLatencyMs, int stepJitterMs,
                           int maxInFlight, String ordering, int orders) {
        return new Workload(name, description, false, stepLatencyMs, stepJitterMs, maxInFlight, ordering, orders,
                AT_LEAST_ONCE, false, false);
    }

    /** The same workload with {@code --delivery exactly-once}, named {@code name}. */
    Workload exactlyOnce(String name, int orders) {
        return new Workload(name, description + ", exactly-once", raw, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, EXACTLY_ONCE, false, traced);
    }

    /** The same workload with tracing on (every order sampled, exported), named {@code name}. */
    Workload traced(String name, int orders) {
        return new Workload(name, description + ", traced", raw, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, delivery, baseline, true);
    }

    /** The same workload run with the baseline build, for an A/B of two worker builds in one run. */
    Workload onBaseline() {
        return new Workload(name + BASELINE_SUFFIX, description + ", baseline build", raw, stepLatencyMs, stepJitterMs,
                maxInFlight, ordering, orders, delivery, true, traced);
    }

    boolean transactional() {
        return EXACTLY_ONCE.equals(delivery);
    }
}
