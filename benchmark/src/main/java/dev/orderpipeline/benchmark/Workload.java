package dev.orderpipeline.benchmark;

/**
 * One measured configuration.
 *
 * @param engine     what consumes the orders: the worker, its baseline build, Parallel Consumer or the raw pipe
 * @param orders     backlog size drained in the throughput phase
 * @param delivery   the worker's {@code --delivery}
 * @param traced     true when the worker runs with tracing on, every order sampled, its spans
 *                   exported over OTLP/HTTP to the harness's {@link TraceSink}
 * @param http       true when the three steps are HTTP calls to the stub services (their own JVM,
 *                   {@code --latency stepLatencyMs --jitter stepJitterMs}) instead of simulated waits
 */
record Workload(String name, String description, Engine engine, int stepLatencyMs, int stepJitterMs,
                int maxInFlight, String ordering, int orders, String delivery, boolean traced, boolean http) {

    /** The suffix of a baseline copy's name: {@code W1} and {@code W1-base} run in the same rounds. */
    static final String BASELINE_SUFFIX = "-base";

    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";

    static Workload rawPipe(int orders) {
        return new Workload("W0", "raw pipe (consume-produce-commit, bytes)", Engine.RAW_PIPE, 0, 0, 0, "-", orders,
                AT_LEAST_ONCE, false, false);
    }

    static Workload worker(String name, String description, int stepLatencyMs, int stepJitterMs,
                           int maxInFlight, String ordering, int orders) {
        return new Workload(name, description, Engine.WORKER, stepLatencyMs, stepJitterMs, maxInFlight, ordering, orders,
                AT_LEAST_ONCE, false, false);
    }

    /** The same workload with {@code --delivery exactly-once}, named {@code name}. */
    Workload exactlyOnce(String name, int orders) {
        return new Workload(name, description + ", exactly-once", engine, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, EXACTLY_ONCE, traced, http);
    }

    /** The same workload with tracing on (every order sampled, exported), named {@code name}. */
    Workload traced(String name, int orders) {
        return new Workload(name, description + ", traced", engine, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, delivery, true, http);
    }

    /** The same workload with its steps as HTTP calls to the stub services, named {@code name}. */
    Workload overHttp(String name, String description, int orders) {
        return new Workload(name, description, engine, stepLatencyMs, stepJitterMs, maxInFlight, ordering,
                orders, delivery, traced, true);
    }

    /** The same workload run with the baseline build, for an A/B of two worker builds in one run. */
    Workload onBaseline() {
        return new Workload(name + BASELINE_SUFFIX, description + ", baseline build", Engine.BASELINE, stepLatencyMs,
                stepJitterMs, maxInFlight, ordering, orders, delivery, traced, http);
    }

    /**
     * The same workload on Parallel Consumer: same steps, in-flight limit, ordering and backlog;
     * {@code W1} becomes {@code P1}.
     */
    Workload onParallelConsumer() {
        return new Workload(peerName(name), description.replaceFirst("^worker", "Parallel Consumer"),
                Engine.PARALLEL_CONSUMER, stepLatencyMs, stepJitterMs, maxInFlight, ordering, orders, delivery, traced, http);
    }

    /** The name of a worker workload's Parallel Consumer peer: its first letter becomes {@code P}. */
    static String peerName(String workerName) {
        return "P" + workerName.substring(1);
    }

    boolean raw() {
        return engine == Engine.RAW_PIPE;
    }

    boolean baseline() {
        return engine == Engine.BASELINE;
    }

    boolean parallelConsumer() {
        return engine == Engine.PARALLEL_CONSUMER;
    }

    /** Run right after the workload it is compared with: a baseline copy or a Parallel Consumer peer. */
    boolean partner() {
        return baseline() || parallelConsumer();
    }

    boolean transactional() {
        return EXACTLY_ONCE.equals(delivery);
    }
}
