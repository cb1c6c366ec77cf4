package dev.orderpipeline.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of this run (broker, worker, raw pipe). A shutdown hook stops every one still
 * alive, SIGTERM first, then SIGKILL, so no process outlives the harness (short of kill -9).
 */
final class Children {

    // Added by the main thread, read by the shutdown hook.
    private static final List<Process> alive = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("benchmark-children").unstarted(Children::stopAll));
    }

    private Children() {
    }

    /** The JDK running this harness: every child runs on the same one. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Process start(List<String> command, Path log) {
        return start(command, log, java.util.Map.of());
    }

    /**
     * Starts {@code command} with {@code env} added to this process's environment, less its
     * {@code OTEL_*} variables: a child traces only when {@code env} says so.
     */
    static Process start(List<String> command, Path log, java.util.Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_"));
            builder.environment().putAll(env);
            Process p = builder.start();
            alive.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.getFirst(), e);
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns the exit code. */
    static int stop(Process p, Duration grace) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        alive.remove(p);
        return p.isAlive() ? -1 : p.exitValue();
    }

    /** The process's user+system CPU time so far (Linux: /proc/<pid>/stat), in nanoseconds; -1 if unknown. */
    static long cpuNanos(Process p) {
        Optional<Duration> cpu = p.toHandle().info().totalCpuDuration();
        return cpu.map(Duration::toNanos).orElse(-1L);
    }

    private static void stopAll() {
        for (Process p : alive) {
            p.destroy();
        }
        for (Process p : alive) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
