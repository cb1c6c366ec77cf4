package dev.orderpipeline.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the JVM that consumes one run's orders, per {@link Engine}; pure, so the
 * flags each engine gets are checked without starting one.
 *
 * @param jvm            JVM options before {@code -jar} (GC log, heap limit, ...)
 * @param jar            the engine's jar ({@code -cp} jar for the raw pipe)
 * @param topics         the run's orders, results and dead-letter topics
 * @param help           the jar's {@code --help}: whether it accepts {@code --http-port}
 * @param stubUrl        the stub services' base URL for an HTTP workload, or {@code null}
 */
record ChildCommand(String java, List<String> jvm, Path jar, String bootstrap, Topics topics, String groupId,
                    String help, int courierPoolSize, String stubUrl) {

    /** A run's topics. */
    record Topics(String orders, String results, String deadLetters) {
    }

    List<String> build(Workload w) {
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-preview"));
        cmd.addAll(jvm);
        if (w.raw()) {
            cmd.addAll(List.of("-cp", jar.toString(), RawPipe.class.getName(), "--bootstrap-servers", bootstrap,
                    "--in", topics.orders(), "--out", topics.results(), "--group-id", groupId));
            return cmd;
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--bootstrap-servers", bootstrap,
                "--orders-topic", topics.orders(), "--results-topic", topics.results(),
                "--dead-letter-topic", topics.deadLetters(), "--group-id", groupId));
        if (!w.parallelConsumer()) {
            cmd.addAll(List.of("--worker-id", groupId));
        }
        cmd.addAll(List.of("--step-latency", w.stepLatencyMs() + "ms", "--step-jitter", w.stepJitterMs() + "ms",
                "--max-in-flight", Integer.toString(w.maxInFlight()), "--ordering", w.ordering(),
                "--order-deadline", "5s", "--courier-pool-size", Integer.toString(courierPoolSize)));
        if (w.transactional()) {
            cmd.addAll(List.of("--delivery", w.delivery()));
        }
        if (w.http()) {
            if (stubUrl == null) {
                throw new IllegalStateException(w.name() + " calls the stub services, but none were started");
            }
            cmd.addAll(List.of("--payment-url", stubUrl, "--vendor-url", stubUrl, "--courier-url", stubUrl));
            // Both engines keep the guard's default bulkhead (64 calls at once per service, 3,200
            // orders/s at 20 ms, above what 2 cores reach over HTTP): each service sees the same.
        }
        if (help.contains("--http-port")) {
            // The default port may be taken on a shared machine.
            cmd.addAll(List.of("--http-port", "0"));
        }
        return cmd;
    }
}
