package dev.orderpipeline.benchmark;

import dev.orderpipeline.kafkaadmin.PartitionLeaders;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;

/**
 * The throughput harness. One broker JVM for the whole run; per
 * workload and round fresh topics, a backlog preloaded before the consumer starts, the worker
 * (or the raw pipe) in its own JVM, then an open-loop latency phase at half the measured rate.
 * Rounds interleave the workloads, so drift of a noisy VM hits all of them alike; the report
 * gives medians.
 *
 * <p>Run from the repository root after {@code ./mvnw package -DskipTests}:
 * {@code java -jar benchmark/target/order-benchmark.jar [--rounds 3] [--latency-seconds 10]
 * [--backlog [N]] [--only W0,W2c] [--orders W2a=20000,...] [--courier-pool-size match|N]
 * [--baseline-jar old-order-worker.jar]}.
 */
public final class Benchmark {

    private static final int PARTITIONS = 6;
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final BenchmarkOptions opts;
    private final Path workerJar;
    /** {@code --baseline-jar}: another worker build, run as {@code W1-base} next to {@code W1} etc.; or {@code null}. */
    private final Path baselineJar;
    // What was measured: the worker changes under concurrent work, so the report names its build.
    private final String workerVersion;
    // Newer workers serve /metrics on --http-port, default 8080: taken on a shared machine, so ask for a free port.
    private final boolean workerHasHttpPort;
    private final Path benchmarkJar;
    private final Path logs;
    private final int latencySeconds;
    private final String courierPool;
    private Process broker;
    private String bootstrap;
    private Admin admin;
    private int runs;

    private Benchmark(BenchmarkOptions opts) throws IOException, URISyntaxException {
        this.opts = opts;
        Path built = opts.workerJar.toAbsolutePath();
        if (!Files.isRegularFile(built)) {
            throw new IllegalArgumentException("no worker jar at " + built
                    + ": run from the repository root after ./mvnw package -DskipTests, or pass --worker-jar");
        }
        logs = Files.createTempDirectory("order-benchmark-");
        // A snapshot: a build running meanwhile (another module's) rewrites worker/target, and a
        // half-written jar made every later run fail with "no main manifest attribute".
        workerJar = snapshot(built, logs.resolve("order-worker.jar"));
        baselineJar = opts.baselineJar != null
                ? snapshot(opts.baselineJar.toAbsolutePath(), logs.resolve("baseline-order-worker.jar"))
                : null;
        workerHasHttpPort = workerHelp(workerJar).contains("--http-port");
        workerVersion = built + " built " + STAMP.format(Files.getLastModifiedTime(built).toInstant())
                + "; repository HEAD " + git("rev-parse", "--short", "HEAD")
                + (git("status", "--porcelain", "--", "worker").isEmpty() ? "" : " + uncommitted changes in worker/");
        benchmarkJar = snapshot(Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                logs.resolve("order-benchmark.jar"));
        latencySeconds = opts.latencySeconds;
        courierPool = opts.courierPoolSize;
    }

    private static String workerHelp(Path jar) throws IOException {
        Process p = new ProcessBuilder(Children.java(), "--enable-preview", "-jar", jar.toString(), "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private static String git(String... args) {
        try {
            var cmd = new ArrayList<String>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Copies {@code jar} to {@code to}, retrying while it is being rewritten (no Main-Class yet). */
    private static Path snapshot(Path jar, Path to) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Files.copy(jar, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (var file = new java.util.jar.JarFile(to.toFile())) {
                if (file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Main-Class") != null) {
                    return to;
                }
            } catch (IOException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
            if (attempt == 10) {
                throw new IllegalStateException(jar + " has no Main-Class: rebuild it");
            }
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
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
        int maxMinutes = opts.maxMinutes;
        Thread.ofPlatform().daemon().name("watchdog").start(() -> {
            try {
                Thread.sleep(Duration.ofMinutes(maxMinutes));
                System.err.println("benchmark: over " + maxMinutes + " minutes, stopping (children are stopped by the shutdown hook)");
                System.exit(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var bench = new Benchmark(opts);
        try {
            bench.startBroker();
            if (opts.backlog != null) {
                bench.backlog(args);
            } else {
                bench.compare(args);
            }
        } finally {
            bench.shutdown();
            System.out.printf("total %.0f s; child logs in %s%n", (System.nanoTime() - started) / 1e9, bench.logs);
        }
    }

    // ---------------------------------------------------------------- the comparison run

    private List<Workload> workloads() {
        Map<String, Integer> n = new LinkedHashMap<>(Map.of(
                // Drains of 10 to 20 s: long enough that JIT warm-up (several seconds on 2 cores, next
                // to the broker) is a small part of them. Shorter drains measured mostly warm-up and
                // halved the worker's orders/s.
                "W0", 400_000, "W1", 200_000, "W2a", 12_000, "W2b", 40_000, "W2c", 200_000, "W3", 800,
                "W1x", 150_000, "W2x", 150_000, "W2t", 200_000));
        if (opts.orders != null) {
            n.putAll(opts.orders);
        }
        Workload w1 = Workload.worker("W1", "worker, 0 ms steps", 0, 0, 1024, "key", n.get("W1"));
        Workload w2c = Workload.worker("W2c", "worker, 3 x 20 ms steps", 20, 5, 1024, "key", n.get("W2c"));
        List<Workload> all = List.of(
                Workload.rawPipe(n.get("W0")),
                w1,
                Workload.worker("W2a", "worker, 3 x 20 ms steps", 20, 5, 64, "key", n.get("W2a")),
                Workload.worker("W2b", "worker, 3 x 20 ms steps", 20, 5, 256, "key", n.get("W2b")),
                w2c,
                Workload.worker("W3", "worker, one order at a time per partition", 20, 5, 1024, "partition", n.get("W3")),
                // The cost of exactly-once: W1 and W2c with --delivery exactly-once, in the same rounds.
                w1.exactlyOnce("W1x", n.get("W1x")),
                w2c.exactlyOnce("W2x", n.get("W2x")),
                // The cost of tracing: W2c with every order's spans exported, in the same rounds.
                w2c.traced("W2t", n.get("W2t")));
        List<String> only = opts.only;
        List<Workload> chosen = new ArrayList<>();
        for (Workload w : all) {
            if (only == null || only.contains(w.name())) {
                chosen.add(w);
                // A traced run has no baseline copy: the baseline build may not trace at all.
                if (baselineJar != null && !w.raw() && !w.traced()) {
                    chosen.add(w.onBaseline()); // next to it, so both meet the same state of the machine
                }
            }
        }
        return chosen;
    }

    /**
     * {@code workloads} in the order {@code round} runs them: a workload and its baseline run
     * back to back, the baseline second in odd rounds and first in even ones, so that neither
     * build always meets the state the other leaves behind (a broker busy compacting, a warm
     * page cache, another process's burst).
     */
    static List<Workload> inRoundOrder(List<Workload> workloads, int round) {
        List<Workload> ordered = new ArrayList<>(workloads);
        if (round % 2 == 0) {
            for (int i = 0; i + 1 < ordered.size(); i++) {
                if (!ordered.get(i).baseline() && ordered.get(i + 1).baseline()) {
                    Collections.swap(ordered, i, i + 1);
                    i++;
                }
            }
        }
        return ordered;
    }

    private void compare(String[] args) throws Exception {
        int rounds = opts.rounds;
        List<Workload> workloads = workloads();
        Map<String, List<Result>> byName = new LinkedHashMap<>();
        workloads.forEach(w -> byName.put(w.name(), new ArrayList<>()));
        String began = STAMP.format(Instant.now());
        long t0 = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            for (Workload w : inRoundOrder(workloads, round)) {
                long t = System.nanoTime();
                Result r = run(w, round, List.of(), Duration.ofSeconds(150), true);
                byName.get(w.name()).add(r);
                System.out.printf("round %d %-4s %9s orders/s  p99 %7s ms  %s  (%.0f s)%n", round, w.name(),
                        Report.num(r.ordersPerSecond()), Report.num(r.p99Ms()),
                        r.complete() ? "complete" : "INCOMPLETE " + r.outcomes() + "/" + w.orders(),
                        (System.nanoTime() - t) / 1e9);
            }
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        List<Summary> summaries = workloads.stream().map(w -> new Summary(w, byName.get(w.name()))).toList();

        var md = new StringBuilder();
        md.append("# Throughput benchmark\n\n");
        md.append(machine(began, args, workerVersion)).append('\n');
        md.append(String.format("Rounds: %d, interleaved (each round runs every workload once); medians below. "
                + "Measured part took %.1f min.%n%n", rounds, minutes));
        md.append(Report.table(summaries)).append('\n');
        md.append("## Targets\n\n```\n");
        for (Report.Target t : Report.targets(summaries)) {
            md.append(t.line()).append('\n');
        }
        md.append("```\n\n");
        if (baselineJar != null) {
            md.append(Report.baselineComparison(summaries, opts.baselineJar.toString())).append('\n');
        }
        if (!traceNotes.isEmpty()) {
            md.append("## Traced runs\n\n");
            traceNotes.forEach(note -> md.append("- ").append(note).append('\n'));
            md.append('\n');
        }
        md.append(method()).append('\n');

        Path dir = opts.results;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.md"), md.toString(), StandardCharsets.UTF_8);
        Chart.write(summaries, "Order worker throughput vs in-flight limit (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + began.substring(0, 10) + ")", dir.resolve("throughput.png"));
        System.out.println();
        System.out.println(md);
        System.out.println("written: " + dir.resolve("latest.md") + ", " + dir.resolve("throughput.png"));
    }

    // ---------------------------------------------------------------- the backlog test

    private void backlog(String[] args) throws Exception {
        int n = opts.backlog;
        int latency = opts.backlogStepLatency;
        var w = Workload.worker("B", "backlog drain, -Xmx256m", latency, latency / 4, 1024, "key", n);
        String began = STAMP.format(Instant.now());
        long t = System.nanoTime();
        Result r = run(w, 1, List.of("-Xmx256m"), Duration.ofMinutes(opts.backlogMinutes), false);
        Path workerLog = logs.resolve(lastRunId + ".log");
        List<String> workerLines = Files.readAllLines(workerLog);
        long oomLines = workerLines.stream().filter(l -> l.contains("OutOfMemoryError")).count();
        // The worker's own high-water marks, from its stop line: -1 if it did not stop cleanly.
        int inFlightPeak = stopLineValue(workerLines, "in_flight_peak");
        int heldPeak = stopLineValue(workerLines, "held_peak");
        var md = new StringBuilder("# Backlog test\n\n").append(machine(began, args, workerVersion)).append('\n');
        md.append(String.format("""
                | what | value |
                |---|---|
                | backlog preloaded before the worker started | %d orders |
                | worker | -Xmx256m, --max-in-flight %d, --ordering %s, steps %d±%d ms, courier pool %s |
                | outcomes seen | %d (%s) |
                | drain time, worker start to last outcome | %.1f s |
                | throughput, first to last outcome | %s orders/s |
                | OutOfMemoryError lines in the worker's output | %d |
                | worker exit code after SIGTERM | %d |
                | GCs / heap peak before GC / max after GC (-Xlog:gc) | %d / %d MB / %d MB |
                | most orders running at once, the worker's own count (`in_flight_peak`) | %d (limit %d) |
                | most orders running or fetched and waiting at once (`held_peak`) | %d (limit %d + one poll of at most %d) |
                | most orders running at once by the outcomes' receivedAt..completedAt | %d |
                | outcomes not `succeeded` | %d |
                | worker CPU per order | %s µs |

                The peaks are the worker's high-water marks (poll thread; also the gauges
                `orders_in_flight_peak` and `orders_held_peak`), read from its stop line. The count from
                the outcomes' stamps is a lower bound that checks them from outside.
                """, n, w.maxInFlight(), w.ordering(), w.stepLatencyMs(), w.stepJitterMs(), courierPool(w),
                r.outcomes(), r.complete() ? "all" : "INCOMPLETE", r.drainSeconds(), Report.num(r.ordersPerSecond()),
                oomLines, r.exitCode(), r.gcCount(), r.heapPeakMb(), r.heapMaxAfterGcMb(), inFlightPeak, w.maxInFlight(),
                heldPeak, w.maxInFlight(), Math.min(500, w.maxInFlight()), r.maxRunning(),
                r.notSucceeded(), Report.num(r.workerCpuMicrosPerOrder())));
        md.append(String.format("%nTook %.0f s including the preload. Worker log and GC log: %s%n",
                (System.nanoTime() - t) / 1e9, logs));
        Path dir = opts.results;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("backlog.md"), md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        boolean pass = r.complete() && oomLines == 0 && r.exitCode() == 0 && inFlightPeak >= 0
                && inFlightPeak <= w.maxInFlight() && r.maxRunning() <= inFlightPeak;
        System.out.println((pass ? "PASS" : "MISS") + "  backlog of " + n + " drained with -Xmx256m: no OutOfMemoryError, exit 0, "
                + "running orders within the limit");
    }

    /** {@code key=N} from the worker's "worker stopped:" line, or -1. */
    static int stopLineValue(List<String> workerLog, String key) {
        Pattern value = Pattern.compile("\\b" + Pattern.quote(key) + "=(\\d+)");
        for (String line : workerLog) {
            if (line.contains("worker stopped:")) {
                Matcher m = value.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- one run

    private String lastRunId;
    /** What the trace sink received in each traced run, for the report. */
    private final List<String> traceNotes = new ArrayList<>();

    private Result run(Workload w, int round, List<String> extraJvm, Duration timeout, boolean latencyPhase) throws Exception {
        String id = w.name() + "-r" + round + "-" + (++runs);
        lastRunId = id;
        String in = "bench-" + id + "-orders";
        String out = "bench-" + id + "-results";
        String dlt = "bench-" + id + "-dlt";
        admin.createTopics(List.of(new NewTopic(in, PARTITIONS, (short) 1), new NewTopic(out, PARTITIONS, (short) 1),
                new NewTopic(dlt, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        PartitionLeaders.await(admin, List.of(in, out), Duration.ofSeconds(30));
        try (var orders = new Orders(bootstrap)) {
            return run(w, round, extraJvm, timeout, latencyPhase, id, in, out, dlt, orders);
        }
    }

    private Result run(Workload w, int round, List<String> extraJvm, Duration timeout, boolean latencyPhase,
                       String id, String in, String out, String dlt, Orders orders) throws Exception {
        orders.preload(in, w.orders(), 100_000);

        // [0] worker CPU at the first outcome, [1] broker CPU then, [2] and [3] the same at the last.
        var cpu = new AtomicLongArray(new long[] {-1, -1, -1, -1});
        var child = new AtomicReference<Process>();
        var milestones = new OutcomeReader.Milestones() {
            @Override
            public void first() {
                cpu.set(0, Children.cpuNanos(child.get()));
                cpu.set(1, Children.cpuNanos(broker));
            }

            @Override
            public void last() {
                cpu.set(2, Children.cpuNanos(child.get()));
                cpu.set(3, Children.cpuNanos(broker));
            }
        };
        Path gcLog = logs.resolve(id + "-gc.log");
        List<String> cmd = new ArrayList<>(List.of(Children.java(), "--enable-preview", "-Xlog:gc:file=" + gcLog));
        cmd.addAll(extraJvm);
        if (opts.workerJvmArg != null) {
            // e.g. --worker-jvm-arg -XX:StartFlightRecording=filename=/tmp/w.jfr to profile a workload
            cmd.add(opts.workerJvmArg);
        }
        if (w.raw()) {
            cmd.addAll(List.of("-cp", benchmarkJar.toString(), RawPipe.class.getName(), "--bootstrap-servers", bootstrap,
                    "--in", in, "--out", out, "--group-id", "bench-" + id));
        } else {
            cmd.addAll(List.of("-jar", (w.baseline() ? baselineJar : workerJar).toString(), "--bootstrap-servers", bootstrap,
                    "--orders-topic", in, "--results-topic", out, "--dead-letter-topic", dlt, "--group-id", "bench-" + id,
                    "--worker-id", "bench-" + id,
                    "--step-latency", w.stepLatencyMs() + "ms", "--step-jitter", w.stepJitterMs() + "ms",
                    "--max-in-flight", Integer.toString(w.maxInFlight()), "--ordering", w.ordering(),
                    "--order-deadline", "5s", "--courier-pool-size", Integer.toString(courierPool(w))));
            if (w.transactional()) {
                cmd.addAll(List.of("--delivery", w.delivery()));
            }
            if (workerHasHttpPort) {
                cmd.addAll(List.of("--http-port", "0"));
            }
        }

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
            reader = new OutcomeReader(bootstrap, out, PARTITIONS, w.orders(), !w.raw(), w.transactional(), milestones);
            long startNanos = System.nanoTime();
            if (w.traced()) {
                sink = TraceSink.start();
            }
            p = Children.start(cmd, logs.resolve(id + ".log"), sink == null ? Map.of() : Map.of(
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
            complete = reader.await(() -> rd.backlogSeen() >= w.orders() || !proc.isAlive(), timeout) && reader.backlogSeen() >= w.orders();
            drain = (System.nanoTime() - startNanos) / 1e9;
            seen = reader.backlogSeen();
            long span = reader.backlogSpanMillis();
            throughput = span > 0 ? seen * 1000.0 / span : Double.NaN;
            steady = reader.steadyPerSecond(0.2);
            if (!complete) {
                milestones.last();
            }
            if (latencyPhase && complete && latencySeconds > 0 && p.isAlive()) {
                rate = throughput / 2;
                long count = Math.max(50, (long) (rate * latencySeconds));
                orders.openLoop(in, rate, count);
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
        int maxRunning = reader.maxRunning();
        long notSucceeded = reader.notSucceeded();
        try {
            admin.deleteTopics(List.of(in, out, dlt)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the topics of " + id + ": " + e);
        }
        GcLog gc = GcLog.parse(Files.exists(gcLog) ? Files.readString(gcLog) : "");
        double workerCpu = cpu.get(0) < 0 || cpu.get(2) < 0 || seen == 0 ? Double.NaN : (cpu.get(2) - cpu.get(0)) / 1e3 / seen;
        double brokerCpu = cpu.get(1) < 0 || cpu.get(3) < 0 || seen == 0 ? Double.NaN : (cpu.get(3) - cpu.get(1)) / 1e3 / seen;
        return new Result(w, round, seen, complete, throughput, steady, drain, rate, latencyCount,
                ms(latency, 50), ms(latency, 99), ms(latency, 99.9), workerCpu, brokerCpu,
                Math.max(gc.peakBeforeMb(), heapAtEnd), gc.maxAfterMb(), gc.collections(), maxRunning, notSucceeded, exit);
    }

    private int courierPool(Workload w) {
        return "match".equals(courierPool) ? Math.max(64, w.maxInFlight()) : Integer.parseInt(courierPool);
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
        Path outFile = logs.resolve("jcmd-" + p.pid() + ".txt");
        Process j = new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "GC.heap_info")
                .redirectErrorStream(true).redirectOutput(outFile.toFile()).start();
        if (!j.waitFor(15, TimeUnit.SECONDS)) {
            j.destroyForcibly();
            return -1;
        }
        return GcLog.usedFromHeapInfo(Files.readString(outFile));
    }

    // ---------------------------------------------------------------- broker and report text

    /**
     * The broker runs in its own JVM (LocalKafkaBroker's main, from the worker's shaded jar,
     * which ships it for --embedded-broker): its CPU is then neither counted in the harness nor
     * competing inside the harness's JVM, and it is measured on its own (broker CPU per order).
     */
    private void startBroker() throws Exception {
        Path log = logs.resolve("broker.log");
        // G1 with its default pause goal. Kafka's start scripts ask for 20 ms; on these 2 cores that
        // made 237 young collections of up to 84 ms in one run instead of about ten, and every
        // order on the broker at such a moment waits. broker-gc.log shows what the rig adds to a p99.
        broker = Children.start(List.of(Children.java(), "--enable-preview", "-Xms1g", "-Xmx1g",
                "-Xlog:gc:file=" + logs.resolve("broker-gc.log"),
                "-cp", workerJar.toString(), "dev.orderpipeline.localkafka.LocalKafkaBroker", "--port", "0"), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (bootstrap == null) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                bootstrap = m.group(1);
            } else if (!broker.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not start; its log: " + log);
            } else {
                Thread.sleep(200);
            }
        }
        System.out.println("broker at " + bootstrap + " (pid " + broker.pid() + "); logs in " + logs);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private void shutdown() throws InterruptedException {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            Children.stop(broker, Duration.ofSeconds(30));
        }
    }

    private static String machine(String began, String[] args, String workerVersion) {
        String cpuModel = "unknown";
        try {
            cpuModel = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            // not Linux: leave unknown
        }
        return String.format("""
                | machine | |
                |---|---|
                | date | %s |
                | nproc | %d |
                | CPU | %s |
                | memory | %d GB |
                | JDK | %s |
                | command | `benchmark/bin/benchmark%s` |
                | worker | %s |
                """, began, Runtime.getRuntime().availableProcessors(), cpuModel,
                memoryGb(), System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                args.length == 0 ? "" : " " + String.join(" ", args), workerVersion);
    }

    private static long memoryGb() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.round(sun.getTotalMemorySize() / 1e9) : -1;
    }

    private String method() {
        return """
                ## How it was measured

                - **One broker JVM** for the whole run (`LocalKafkaBroker`, single node, loopback only, `-Xmx1g`), so its CPU is
                  neither in the harness nor in the worker; "broker CPU µs/order" is its CPU time over the same window.
                - **Per workload and round**: fresh topics (orders and results with 6 partitions), the backlog of valid
                  OrderPlaced records (`SampleOrders` + `OrderCodec`, keyed by order id) written *before* the consumer starts,
                  then the worker's shaded jar (or W0, `RawPipe`) in its own JVM; SIGTERM at the end (exit code in the table).
                - **orders/s** = outcomes / (last outcome's record timestamp - first one's): the producer CreateTime stamped by
                  the worker when it sent the outcome, so JVM start-up and the reader's speed are not in it.
                - **last 80%%**: the same over the outcomes after the first 20%%, i.e. without most of the JIT warm-up
                  of a fresh worker JVM (short drains are dominated by it: the 1M-order backlog test runs faster).
                - **Latency** is measured separately, after the backlog: an open-loop stream at half of that round's
                  orders/s for %d s (`latency at rate`), each order's createdAt and id carrying its intended send time;
                  latency = outcome record timestamp - intended send time (1 ms resolution; HdrHistogram).
                - **CPU µs/order**: the process's user+system CPU time (`/proc/<pid>/stat` via ProcessHandle) at the last
                  backlog outcome minus at the first, divided by the outcomes.
                - **Heap**: the worker JVM runs with `-Xlog:gc` (default heap sizing); peak = the largest heap-before-GC, or
                  `jcmd GC.heap_info` used at the end if larger; "max after GC" bounds the live set.
                - **max running (stamps)**: most orders whose receivedAt..completedAt (from the outcomes) overlap: a lower
                  bound of in-flight, which the worker does not expose.
                - Courier pool: `--courier-pool-size %s` (match = the in-flight limit, at least 64), so the in-flight limit
                  and not the default pool of 64 couriers (64 / 20 ms = 3,200 orders/s) is what W2 varies.
                - Step p99 for the latency target: mean + 0.98 x jitter (uniform jitter).
                """.formatted(latencySeconds, courierPool);
    }
}
