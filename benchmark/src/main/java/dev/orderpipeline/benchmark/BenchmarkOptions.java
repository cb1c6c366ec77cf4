package dev.orderpipeline.benchmark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The harness's flags; {@link #parse} reads them, picocli gives {@code --help} and one-line errors. */
@Command(name = "order-benchmark", sortOptions = false, usageHelpAutoWidth = true,
        description = "Throughput and latency of the worker against a raw consume-produce pipe, on one local broker. "
                + "Run from the repository root after ./mvnw package -DskipTests; benchmark/README.md explains the report.")
final class BenchmarkOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Interleaved rounds; each runs every workload once. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--latency-seconds", defaultValue = "8", paramLabel = "S",
            description = "Open-loop latency phase per run; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int latencySeconds;

    @Option(names = "--only", split = ",", paramLabel = "W0,W2c",
            description = "Run only these workloads. Default: all.")
    List<String> only;

    @Option(names = "--orders", split = ",", paramLabel = "W1=100000",
            description = "Backlog sizes of workloads, replacing the defaults in benchmark/README.md.")
    Map<String, Integer> orders;

    @Option(names = "--courier-pool-size", defaultValue = "match", paramLabel = "match|N",
            description = "Couriers per worker; match = the in-flight limit, at least 64. Default: ${DEFAULT-VALUE}.")
    String courierPoolSize;

    @Option(names = "--worker-jar", defaultValue = "worker/target/order-worker.jar", paramLabel = "JAR",
            description = "The worker build under test. Default: ${DEFAULT-VALUE}.")
    Path workerJar;

    @Option(names = "--baseline-jar", paramLabel = "JAR",
            description = "Another worker build, run next to the one under test in every round.")
    Path baselineJar;

    @Option(names = "--pc-jar", defaultValue = "benchmark-pc/target/order-benchmark-pc.jar", paramLabel = "JAR",
            description = "The pipeline inside Confluent Parallel Consumer, for the P workloads and the sweep. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path pcJar;

    @Option(names = "--stub-jar", defaultValue = "stub-services/target/stub-services.jar", paramLabel = "JAR",
            description = "The stub services the HTTP workloads call, run in a JVM of their own. Default: ${DEFAULT-VALUE}.")
    Path stubJar;

    @Option(names = "--worker-jvm-arg", paramLabel = "ARG",
            description = "One extra JVM option for the worker, e.g. -XX:StartFlightRecording=filename=/tmp/w.jfr.")
    String workerJvmArg;

    @Option(names = "--backlog", arity = "0..1", fallbackValue = "1000000", paramLabel = "N",
            description = "Run the backlog test (N orders, default 1000000, drained by a -Xmx256m worker) instead of the comparison.")
    Integer backlog;

    @Option(names = "--backlog-step-latency", defaultValue = "20", paramLabel = "MS",
            description = "The backlog test's step latency in ms (jitter: a quarter of it). Default: ${DEFAULT-VALUE}.")
    int backlogStepLatency;

    @Option(names = "--backlog-minutes", defaultValue = "12", paramLabel = "M",
            description = "How long the backlog test's drain may take. Default: ${DEFAULT-VALUE}.")
    int backlogMinutes;

    @Option(names = "--sweep",
            description = "Run the step-latency sweep (worker and Parallel Consumer over step latencies and in-flight "
                    + "limits) instead of the comparison; writes sweep.md and sweep.png.")
    boolean sweep;

    @Option(names = "--sweep-latencies", split = ",", defaultValue = "0,20,200,1000", paramLabel = "MS,...",
            description = "The sweep's step latencies in ms (jitter: a quarter of each). Default: ${DEFAULT-VALUE}.")
    List<Integer> sweepLatencies;

    @Option(names = "--sweep-in-flight", split = ",", defaultValue = "1024,16384", paramLabel = "N,...",
            description = "The sweep's in-flight limits. Default: ${DEFAULT-VALUE}.")
    List<Integer> sweepInFlight;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "Watchdog: the harness exits after this long, and its shutdown hook stops every child. "
                    + "Default: 30, 45 with --sweep.")
    Integer maxMinutes;

    @Option(names = "--results", defaultValue = "benchmark/results", paramLabel = "DIR",
            description = "Where latest.md, throughput.png, backlog.md, sweep.md and sweep.png go. Default: ${DEFAULT-VALUE}.")
    Path results;

    /** {@code --max-minutes}, or its default for the chosen mode. */
    int maxMinutes() {
        return maxMinutes != null ? maxMinutes : sweep ? 45 : 30;
    }

    /**
     * The options in {@code args}.
     *
     * @throws CommandLine.ParameterException for an unknown flag or a bad value; its message is one line
     */
    static CommandLine parse(String... args) {
        CommandLine cli = new CommandLine(new BenchmarkOptions());
        // As before: a flag given twice keeps its last value.
        cli.setOverwrittenOptionsAllowed(true);
        cli.parseArgs(args);
        return cli;
    }
}
