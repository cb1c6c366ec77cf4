package dev.orderpipeline.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker as its users run it: {@code Main} in a JVM of its own, stopped with SIGTERM or
 * killed with SIGKILL. Its output goes to a file under {@code target/worker-processes}, kept for
 * the report; the test thread reads it. {@code Main} runs from the calling JVM's class path,
 * so the module using this needs the worker on its test class path.
 */
public final class WorkerProcess implements AutoCloseable {

    private static final Pattern HTTP_PORT = Pattern.compile("metrics and health at http://[^:]+:(\\d+)/metrics");
    private static final Pattern IN_FLIGHT_GAUGE = Pattern.compile("(?m)^orders_in_flight(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static final Pattern NON_EMPTY_ASSIGNMENT = Pattern.compile("partitions assigned: \\[[^\\]]");
    private static final Pattern DRAINING = Pattern.compile("waiting up to \\d+ ms for (\\d+) in-flight orders");

    private final String name;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code Main} with {@code args} on this JVM's class path. */
    public static WorkerProcess start(String name, String... args) throws IOException {
        return start(name, List.of(args));
    }

    /** Starts {@code Main} with {@code args} on this JVM's class path. */
    public static WorkerProcess start(String name, List<String> args) throws IOException {
        return start(name, List.of("--enable-preview", "-Xmx256m"), args);
    }

    /**
     * Starts {@code Main} with {@code args} on this JVM's class path, in a JVM given exactly
     * {@code jvmOptions} (so also without {@code --enable-preview}, to see what a user sees then).
     */
    public static WorkerProcess start(String name, List<String> jvmOptions, List<String> args) throws IOException {
        return start(name, jvmOptions, System.getProperty("java.class.path"), args);
    }

    /**
     * Starts the {@code Main} of another build of the worker, {@code jar} (its shaded jar), with
     * {@code args}: a worker of a previous release beside this build's in one group.
     */
    public static WorkerProcess startJar(String name, Path jar, List<String> args) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no worker jar at " + jar);
        }
        return start(name, List.of("--enable-preview", "-Xmx256m"), jar.toString(), args);
    }

    private static WorkerProcess start(String name, List<String> jvmOptions, String classPath, List<String> args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "dev.orderpipeline.worker.app.Main"));
        if (!args.contains("--http-port")) {
            // A free port for /metrics and /health: several workers run side by side.
            command.addAll(List.of("--http-port", "0"));
        }
        command.addAll(args);
        Path dir = Files.createDirectories(Path.of("target", "worker-processes"));
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new WorkerProcess(name, process, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes or {@code docker stop} sends it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no chance to finish, commit or leave the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit code, or {@code null} if still running after {@code timeout}. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The last lines of the output, for failure messages. */
    public String tail() {
        List<String> lines = output().lines().toList();
        return name + " (" + log + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** How often {@code text} occurs in the output so far. */
    public int count(String text) {
        String out = output();
        int n = 0;
        for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + text.length())) {
            n++;
        }
        return n;
    }

    /**
     * Whether the worker has been given at least one partition (it logs each assignment; under
     * cooperative rebalancing a new member's first one is often empty).
     */
    public boolean holdsPartitions() {
        return NON_EMPTY_ASSIGNMENT.matcher(output()).find();
    }

    /**
     * Whether the worker's {@code main()} runs: it logs its effective configuration right after
     * taking over SIGTERM, so from then on a stop signal gets the documented exit code.
     */
    public boolean mainStarted() {
        return output().contains("effective configuration");
    }

    /** The port of /metrics and /health/*, as the worker logged it; empty before it listens. */
    public OptionalInt httpPort() {
        Matcher port = HTTP_PORT.matcher(output());
        return port.find() ? OptionalInt.of(Integer.parseInt(port.group(1))) : OptionalInt.empty();
    }

    /** The {@code orders_in_flight} gauge from /metrics; empty before the endpoint is up. */
    public OptionalInt inFlight() throws InterruptedException {
        Matcher port = HTTP_PORT.matcher(output());
        if (!port.find()) {
            return OptionalInt.empty();
        }
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher gauge = IN_FLIGHT_GAUGE.matcher(metrics.body());
            return gauge.find() ? OptionalInt.of((int) Double.parseDouble(gauge.group(1))) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * The HTTP status of {@code path} (such as {@code /health/live}) on the worker's endpoint
     * port; empty before the endpoint is up or when it does not answer within 2 s.
     */
    public OptionalInt httpStatus(String path) throws InterruptedException {
        Matcher port = HTTP_PORT.matcher(output());
        if (!port.find()) {
            return OptionalInt.empty();
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port.group(1) + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return OptionalInt.of(response.statusCode());
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * A counter or gauge from /metrics by its Prometheus name (such as {@code records_skipped_total}),
     * summed over its labels; empty before the endpoint is up or when the worker has no such meter.
     */
    public OptionalDouble metric(String name) throws InterruptedException {
        Matcher port = HTTP_PORT.matcher(output());
        if (!port.find()) {
            return OptionalDouble.empty();
        }
        try {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+]+)$")
                    .matcher(metrics.body());
            double sum = 0;
            boolean found = false;
            while (sample.find()) {
                sum += Double.parseDouble(sample.group(1));
                found = true;
            }
            return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /** How many orders were in flight when the worker began to drain on SIGTERM, as it logged it. */
    public OptionalInt inFlightAtDrain() {
        Matcher m = DRAINING.matcher(output());
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
