package dev.orderpipeline.benchmark;

/**
 * One measured configuration.
 *
 * @param raw        true for the bare consume-produce pipe (no worker)
 * @param orders     backlog size drained in the throughput phase
 */
record Workload(String name, String description, boolean raw, int stepLatencyMs, int stepJitterMs,
                int maxInFlight, String ordering, int orders) {

    static Workload rawPipe(int orders) {
        return new Workload("W0", "raw pipe (consume-produce-commit, bytes)", true, 0, 0, 0, "-", orders);
    }

    static Workload worker(String name, String description, int stepLatencyMs, int stepJitterMs,
                           int maxInFlight, String ordering, int orders) {
        return new Workload(name, description, false, stepLatencyMs, stepJitterMs, maxInFlight, ordering, orders);
    }
}
