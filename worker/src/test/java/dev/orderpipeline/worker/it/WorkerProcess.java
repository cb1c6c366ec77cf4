package dev.orderpipeline.worker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The worker as its users run it: a separate JVM started with {@code Main}, that can be sent
 * SIGTERM or killed with SIGKILL. Its output goes to a file kept for the test report.
 */
final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String name, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-preview", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.orderpipeline.worker.app.Main"));
        // A free port for /metrics and /health, not the default 8080 that something else may hold.
        command.addAll(List.of("--http-port", "0"));
        command.addAll(List.of(args));
        Path dir = Files.createDirectories(Path.of("target", "worker-processes"));
        Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new WorkerProcess(process, log);
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as {@code docker stop} or Kubernetes sends it. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The exit code, or {@code null} if still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
