package dev.orderpipeline.benchmark;

import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One run of one workload: fresh topics, the backlog preloaded, the engine's JVM (and the stub
 * services' for an HTTP workload), the drain, an open-loop latency phase at half the measured rate,
 * then SIGTERM and the measurements. Main thread only.
 */
final class Runner {

    static final int PARTITIONS = 6;
    private static final Pattern STUB_LISTENING = Pattern.compile("stub services at (http://\\S+?)/? ");

    private final Rig rig;
    private final BenchmarkOptions opts;
    private int runs;
    private String lastRunId;
    /** What the trace sink received in each traced run, for the report. */
    private final List<String> traceNotes = new ArrayList<>();

    Runner(Rig rig, BenchmarkOptions opts) {
        this.rig = rig;
        this.opts = opts;
    }

    /** The output (stdout and stderr) of the engine in the last run. */
    Path lastLog() {
        return rig.logs.resolve(lastRunId + ".log");
    }

    /** The engine's {@code -Xlog:gc} in the last run. */
    GcLog lastGcLog() throws IOException {
        Path gcLog = rig.logs.resolve(lastRunId + "-gc.log");
        return GcLog.parse(Files.exists(gcLog) ? Files.readString(gcLog) : "");
    }

    List<String> traceNotes() {
        return traceNotes;
    }

    Result run(Workload w, int round, List<String> extraJvm, Duration timeout, boolean latencyPhase) throws Exception {
        String id = w.name() + "-r" + round + "-" + (++runs);
        lastRunId = id;
        var topics = new ChildCommand.Topics("bench-" + id + "-orders", "bench-" + id + "-results", "bench-" + id + "-dlt");
        rig.admin().createTopics(List.of(new NewTopic(topics.orders(), PARTITIONS, (short) 1),
                new NewTopic(topics.results(), PARTITIONS, (short) 1),
                new NewTopic(topics.deadLetters(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        PartitionLeaders.await(rig.admin(), List.of(topics.orders(), topics.results()), Duration.ofSeconds(30));
        Process stub = null;
        try (var orders = new Orders(rig.bootstrap())) {
            String stubUrl = null;
            if (w.http()) {
                stub = startStub(w, id);
                stubUrl = Rig.awaitLine(stub, rig.logs.resolve(id + "-stub.log"), STUB_LISTENING, Duration.ofSeconds(60),
                        "the stub services").group(1);
            }
            return run(w, round, extraJvm, timeout, latencyPhase, id, topics, orders, stub, stubUrl);
        } finally {
            if (stub != null) {
                Children.stop(stub, Duration.ofSeconds(10));
            }
            try {
                rig.admin().deleteTopics(List.of(topics.orders(), topics.results(), topics.deadLetters()))
                        .all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("could not delete the topics of " + id + ": " + e);
            }
        }
    }

    /** The stub services in a JVM of their own, so their CPU is neither the engine's nor the harness's. */
    private Process startStub(Workload w, String id) {
        return Children.start(List.of(Children.java(), "-Xlog:gc:file=" + rig.logs.resolve(id + "-stub-gc.log"),
                "-jar", rig.stubJar.toString(), "--port", "0",
                "--latency", w.stepLatencyMs() + "ms", "--jitter", w.stepJitterMs() + "ms"), rig.logs.resolve(id + "-stub.log"));
    }

    private Result run(Workload w, int round, List<String> extraJvm, Duration timeout, boolean latencyPhase, String id,
                       ChildCommand.Topics topics, Orders orders, Process stub, String stubUrl) throws Exception {
        orders.preload(topics.orders(), w.orders(), 100_000);

        // CPU at the first outcome of the engine [0], the broker [1], the stub [2]; at the last, [3], [4], [5].
        var cpu = new AtomicLongArray(new long[] {-1, -1, -1, -1, -1, -1});
        var child = new AtomicReference<Process>();
        var milestones = new OutcomeReader.Milestones() {
            @Override
            public void first() {
                sample(0);
            }

            @Override
            public void last() {
                sample(3);
            }

            private void sample(int at) {
                cpu.set(at, Children.cpuNanos(child.get()));
                cpu.set(at + 1, Children.cpuNanos(rig.broker()));
                cpu.set(at + 2, stub == null ? -1 : Children.cpuNanos(stub));
            }
        };
        Path gcLog = rig.logs.resolve(id + "-gc.log");
        List<String> jvm = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog));
        jvm.addAll(extraJvm);
        if (opts.workerJvmArg != null) {
            // e.g. --worker-jvm-arg -XX:StartFlightRecording=filename=/tmp/w.jfr to profile a workload
            jvm.add(opts.workerJvmArg);
        }
        List<String> cmd = new ChildCommand(Children.java(), jvm, rig.jarOf(w), rig.bootstrap(), topics, "bench-" + id,
                rig.helpOf(w), courierPool(w), stubUrl).build(w);

        Process p = null;
        TraceSink sink = null;
        OutcomeReader reader = null;
        double throughput = Double.NaN;
        double steady = Double.NaN;
        double drain = Double.NaN;
        boolean complete = false;
        long seen = 0;
        long latencyCount = 0;
        double rate = Double.NaN;
        Histogram latency = null;
        long heapAtEnd = -1;
        int exit = -1;
        try {
            reader = new OutcomeReader(rig.bootstrap(), topics.results(), PARTITIONS, w.orders(), !w.raw(), w.transactional(),
                    milestones);
            long startNanos = System.nanoTime();
            if (w.traced()) {
                sink = TraceSink.start();
            }
            p = Children.start(cmd, rig.logs.resolve(id + ".log"), sink == null ? Map.of() : Map.of(
                    "OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sink.endpoint(),
                    "OTEL_TRACES_SAMPLER", "always_on",
                    // Room for a few seconds of spans at full speed: the default queue (2,048)
                    // drops spans of a backlog drain, and a dropped span costs less than an exported one.
                    "OTEL_BSP_MAX_QUEUE_SIZE", "65536",
                    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2048"));
            child.set(p);
            OutcomeReader rd = reader;
            Process proc = p;
            complete = reader.await(() -> rd.backlogSeen() >= w.orders() || !proc.isAlive(), timeout)
                    && reader.backlogSeen() >= w.orders();
            drain = (System.nanoTime() - startNanos) / 1e9;
            seen = reader.backlogSeen();
            long span = reader.backlogSpanMillis();
            throughput = span > 0 ? seen * 1000.0 / span : Double.NaN;
            steady = reader.steadyPerSecond(0.2);
            if (!complete) {
                milestones.last();
            }
            if (latencyPhase && complete && opts.latencySeconds > 0 && p.isAlive()) {
                rate = throughput / 2;
                long count = Math.max(50, (long) (rate * opts.latencySeconds));
                orders.openLoop(topics.orders(), rate, count);
                reader.await(() -> rd.latencySeen() >= count, Duration.ofSeconds(30));
                latency = reader.latency();
                latencyCount = latency.getTotalCount();
            }
            heapAtEnd = heapUsedMb(p);
        } finally {
            if (p != null) {
                exit = Children.stop(p, Duration.ofSeconds(45));
            }
            if (reader != null) {
                reader.close();
            }
            if (sink != null) {
                // The worker flushed at its stop: everything it exported has arrived.
                long orderCount = seen + latencyCount;
                traceNotes.add(String.format("%s round %d: %d spans in %d OTLP requests for %d orders (%.2f per order)",
                        w.name(), round, sink.spans(), sink.requests(), orderCount,
                        orderCount == 0 ? Double.NaN : sink.spans() / (double) orderCount));
                sink.close();
            }
        }
        GcLog gc = GcLog.parse(Files.exists(gcLog) ? Files.readString(gcLog) : "");
        return new Result(w, round, seen, complete, throughput, steady, drain, rate, latencyCount,
                ms(latency, 50), ms(latency, 99), ms(latency, 99.9), perOrder(cpu, 0, seen), perOrder(cpu, 1, seen),
                Math.max(gc.peakBeforeMb(), heapAtEnd), gc.maxAfterMb(), gc.collections(), reader.maxRunning(),
                reader.notSucceeded(), exit, perOrder(cpu, 2, seen));
    }

    /** CPU µs per order of the process sampled at {@code cpu[at]} (first outcome) and {@code cpu[at + 3]} (last). */
    private static double perOrder(AtomicLongArray cpu, int at, long orders) {
        return cpu.get(at) < 0 || cpu.get(at + 3) < 0 || orders == 0 ? Double.NaN : (cpu.get(at + 3) - cpu.get(at)) / 1e3 / orders;
    }

    int courierPool(Workload w) {
        return "match".equals(opts.courierPoolSize) ? Math.max(64, w.maxInFlight()) : Integer.parseInt(opts.courierPoolSize);
    }

    private static double ms(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Heap in use now, by {@code jcmd <pid> GC.heap_info}; -1 if jcmd does not answer in 15 s. */
    private long heapUsedMb(Process p) throws IOException, InterruptedException {
        if (!p.isAlive()) {
            return -1;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path outFile = rig.logs.resolve("jcmd-" + p.pid() + ".txt");
        Process j = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "GC.heap_info")
                .redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
        if (!j.waitFor(15, TimeUnit.SECONDS)) {
            j.destroyForcibly();
            return -1;
        }
        return GcLog.usedFromHeapInfo(Files.readString(outFile));
    }
}
