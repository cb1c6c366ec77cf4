package dev.orderpipeline.benchmark;

/**
 * One measured configuration.
 *
 * @param raw        true for the bare consume-produce pipe (no worker)
 * @param orders     backlog size drained in the throughput phase
 * @param delivery   the worker's {@code --delivery}
 */
record Workload(String name, String description, boolean raw, int stepLatencyMs, int stepJitterMs,
                int maxInFlight, String ordering, int orders, String delivery) {

    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";

    static Workload rawPipe(int orders) {
        return new Workload("W0", "raw pipe (consume-produce-commit, bytes)", true, 0, 0, 0, "-", orders, AT_LEAST_ONCE);
    }

    static Workload worker(String name, String description, int stepLatencyMs, int stepJitterMs,
                           int maxInFlight, String ordering, int orders) {
        return new Workload(name, description, false, stepLatencyMs, stepJitterMs, maxInFlight, ordering, orders,
                AT_LEAST_ONCE);
    }

    /** The same workload with {@code --delivery exactly-once}, named {@code name}. */
    Workload exactlyOnce(String name, int orders) {
        return new Workload(name, description + ", exactly-once", raw, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, EXACTLY_ONCE);
    }

    boolean transactional() {
        return EXACTLY_ONCE.equals(delivery);
    }
}
