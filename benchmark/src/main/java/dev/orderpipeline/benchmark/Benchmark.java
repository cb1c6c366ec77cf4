package dev.orderpipeline.benchmark;

import java.time.Duration;

import picocli.CommandLine;

/**
 * The throughput harness's entry point: parses the flags, starts the watchdog and the broker,
 * runs one mode ({@link Comparison}, {@link Backlog} or {@link Sweep}) and stops every child.
 * One broker JVM for the whole run; per workload and round fresh topics, a backlog preloaded
 * before the consumer starts, the engine in its own JVM ({@link Runner}), then an open-loop
 * latency phase at half the measured rate. Rounds interleave the workloads, so drift of a noisy
 * VM hits all of them alike; the reports give medians.
 *
 * <p>Run from the repository root after {@code ./mvnw package -DskipTests}:
 * {@code java -jar benchmark/target/order-benchmark.jar [--rounds 3] [--latency-seconds 10]
 * [--backlog [N]] [--sweep] [--only W0,W2c] [--orders W2a=20000,...] [--courier-pool-size match|N]
 * [--baseline-jar old-order-worker.jar] [--pc-jar order-benchmark-pc.jar]}.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Before any logger exists: the Kafka clients' INFO lines would bury the progress lines.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // Asked for a topic's offsets right after creating it, the admin client logs "unknown
        // topic" at ERROR until the broker knows it; PartitionLeaders.await retries exactly that.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy", "off");
        CommandLine cli;
        try {
            cli = BenchmarkOptions.parse(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("benchmark: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(System.out);
            return;
        }
        BenchmarkOptions opts = cli.getCommand();
        long started = System.nanoTime();
        int maxMinutes = opts.maxMinutes();
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(maxMinutes));
                System.err.println("benchmark: over " + maxMinutes + " minutes, stopping (children are stopped by the shutdown hook)");
                System.exit(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        boolean sweep = opts.sweep && opts.backlog == null;
        var comparison = Comparison.workloads(opts);
        boolean needsPc = sweep || opts.backlog == null && comparison.stream().anyMatch(Workload::parallelConsumer);
        boolean needsStub = !sweep && opts.backlog == null && comparison.stream().anyMatch(Workload::http);
        Rig rig;
        try {
            if (sweep) {
                new SweepPlan(opts.sweepLatencies, opts.sweepInFlight, opts.rounds); // a bad grid stops here, in one line
            }
            rig = new Rig(opts, needsPc, needsStub);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (rig) {
            rig.startBroker();
            var runner = new Runner(rig, opts);
            if (opts.backlog != null) {
                new Backlog(opts).run(rig, runner, args);
            } else if (sweep) {
                new Sweep(opts).run(rig, runner, args);
            } else {
                new Comparison(opts).run(rig, runner, args);
            }
        } finally {
            System.out.printf("total %.0f s; child logs in %s%n", (System.nanoTime() - started) / 1e9, rig.logs);
        }
    }
}
