package dev.orderpipeline.benchmark;

/** What consumes a workload's orders: each runs in its own JVM, started by {@link ChildCommand}. */
enum Engine {

    /** {@link RawPipe}: bytes in, the same bytes out, no pipeline; the ceiling. */
    RAW_PIPE("raw pipe", "raw pipe stopped:"),
    /** The worker build under test ({@code --worker-jar}). */
    WORKER("worker", "worker stopped:"),
    /** Another worker build ({@code --baseline-jar}), run next to the one under test. */
    BASELINE("baseline worker", "worker stopped:"),
    /**
     * The project's pipeline inside Confluent Parallel Consumer's user function ({@code --pc-jar}):
     * what a team would pick instead of the worker. Same flags as the worker, less {@code --worker-id},
     * {@code --http-port} and {@code --delivery}.
     */
    PARALLEL_CONSUMER("Parallel Consumer", "parallel consumer stopped:");

    private final String label;
    private final String stopLine;

    Engine(String label, String stopLine) {
        this.label = label;
        this.stopLine = stopLine;
    }

    /** How the report names it. */
    String label() {
        return label;
    }

    /** The start of the line the engine prints when it stops cleanly after SIGTERM. */
    String stopLine() {
        return stopLine;
    }
}
