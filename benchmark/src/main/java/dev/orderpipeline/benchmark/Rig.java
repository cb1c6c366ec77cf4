package dev.orderpipeline.benchmark;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * What every run of one harness invocation shares: the snapshots of the jars under test, the
 * broker JVM and an admin client on it, the directory of child logs. Main thread only.
 */
final class Rig implements AutoCloseable {

    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

    final Path logs;
    final Path workerJar;
    /** {@code --baseline-jar}, or {@code null}. */
    final Path baselineJar;
    /** {@code --pc-jar}, snapshotted only when a Parallel Consumer workload is chosen; else {@code null}. */
    final Path pcJar;
    /** {@code --stub-jar}, snapshotted only when an HTTP workload is chosen; else {@code null}. */
    final Path stubJar;
    final Path benchmarkJar;
    // What was measured: the worker changes under concurrent work, so the report names its build.
    final String workerVersion;
    // Each jar's --help: newer workers serve /metrics on --http-port, default 8080, taken on a shared machine.
    private final String workerHelp;
    private final String baselineHelp;
    private final String pcHelp;
    private Process broker;
    private String bootstrap;
    private Admin admin;

    /** Snapshots the jars: a build running meanwhile must not change what a run measures. */
    Rig(BenchmarkOptions opts, boolean needsPc, boolean needsStub) throws IOException, URISyntaxException {
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
        pcJar = needsPc ? snapshot(required(opts.pcJar, "Parallel Consumer jar", "--pc-jar",
                "build the benchmark-pc module (./mvnw package -DskipTests)"), logs.resolve("order-benchmark-pc.jar")) : null;
        stubJar = needsStub ? snapshot(required(opts.stubJar, "stub services jar", "--stub-jar",
                "build the stub-services module (./mvnw package -DskipTests)"), logs.resolve("stub-services.jar")) : null;
        workerHelp = help(workerJar);
        baselineHelp = baselineJar != null ? help(baselineJar) : "";
        pcHelp = pcJar != null ? help(pcJar) : "";
        workerVersion = built + " built " + STAMP.format(Files.getLastModifiedTime(built).toInstant())
                + "; repository HEAD " + git("rev-parse", "--short", "HEAD")
                + (git("status", "--porcelain", "--", "worker").isEmpty() ? "" : " + uncommitted changes in worker/");
        benchmarkJar = snapshot(Path.of(Rig.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                logs.resolve("order-benchmark.jar"));
    }

    private static Path required(Path jar, String what, String flag, String fix) {
        Path absolute = jar.toAbsolutePath();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("no " + what + " at " + absolute + ": " + fix + ", or pass " + flag);
        }
        return absolute;
    }

    /** The jar {@code w}'s engine runs from. */
    Path jarOf(Workload w) {
        return switch (w.engine()) {
            case RAW_PIPE -> benchmarkJar;
            case WORKER -> workerJar;
            case BASELINE -> baselineJar;
            case PARALLEL_CONSUMER -> pcJar;
        };
    }

    /** The {@code --help} of {@code w}'s engine; empty for the raw pipe. */
    String helpOf(Workload w) {
        return switch (w.engine()) {
            case RAW_PIPE -> "";
            case WORKER -> workerHelp;
            case BASELINE -> baselineHelp;
            case PARALLEL_CONSUMER -> pcHelp;
        };
    }

    String bootstrap() {
        return bootstrap;
    }

    Admin admin() {
        return admin;
    }

    Process broker() {
        return broker;
    }

    private static String help(Path jar) throws IOException {
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
            Files.copy(jar, to, StandardCopyOption.REPLACE_EXISTING);
            try (var file = new JarFile(to.toFile())) {
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

    /**
     * The broker runs in its own JVM (LocalKafkaBroker's main, from the worker's shaded jar,
     * which ships it for --embedded-broker): its CPU is then neither counted in the harness nor
     * competing inside the harness's JVM, and it is measured on its own (broker CPU per order).
     */
    void startBroker() throws IOException, InterruptedException {
        Path log = logs.resolve("broker.log");
        // G1 with its default pause goal. Kafka's start scripts ask for 20 ms; on these 2 cores that
        // made 237 young collections of up to 84 ms in one run instead of about ten, and every
        // order on the broker at such a moment waits. broker-gc.log shows what the rig adds to a p99.
        broker = Children.start(List.of(Children.java(), "--enable-preview", "-Xms1g", "-Xmx1g",
                "-Xlog:gc:file=" + logs.resolve("broker-gc.log"),
                "-cp", workerJar.toString(), "dev.orderpipeline.localkafka.LocalKafkaBroker", "--port", "0"), log);
        bootstrap = awaitLine(broker, log, LISTENING, Duration.ofSeconds(90), "the broker").group(1);
        System.out.println("broker at " + bootstrap + " (pid " + broker.pid() + "); logs in " + logs);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Waits until {@code child}'s {@code log} has a line matching {@code pattern}; fails if it dies first. */
    static Matcher awaitLine(Process child, Path log, Pattern pattern, Duration timeout, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return m;
            }
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not start; its log: " + log);
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            Children.stop(broker, Duration.ofSeconds(30));
        }
    }

    /** The machine table at the head of every report. */
    String machine(String began, String[] args) {
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
}
