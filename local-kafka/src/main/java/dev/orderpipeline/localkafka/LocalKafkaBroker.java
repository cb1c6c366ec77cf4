package dev.orderpipeline.localkafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import sun.misc.Signal;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one), run inside this JVM
 * from Apache Kafka's own classes, for development and tests on machines without Docker.
 *
 * <p>It listens on 127.0.0.1 only and keeps its data in a fresh temporary directory that
 * {@link #close()} deletes. Broker logging is lowered to WARN unless the caller configured it
 * (see {@link QuietBrokerLogging}).
 *
 * <p>In-process shutdown is always graceful: to test a crashed broker, run one in a child JVM.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** How long {@link #start} waits for the broker to serve clients before giving up. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final int DEFAULT_MAIN_PORT = 9092;
    // Picking a free port and binding it later races with other processes: retry that case.
    private static final int BIND_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final String bootstrapServers;
    // Written by whichever thread closes first (a test, or a shutdown hook); read by all.
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalKafkaBroker(KafkaRaftServer server, Path dataDir, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a free loopback port; returns once clients can use it. */
    public static LocalKafkaBroker start() {
        return start(0, Map.of());
    }

    /** Starts a broker on {@code port} (0 picks a free one); returns once clients can use it. */
    public static LocalKafkaBroker start(int port) {
        return start(port, Map.of());
    }

    /**
     * Starts a broker on {@code port} (0 picks a free one) with {@code overrides} applied last
     * to its server properties; returns once clients can use it.
     *
     * @throws IllegalStateException if the broker does not serve clients within 60 s
     */
    public static LocalKafkaBroker start(int port, Map<String, String> overrides) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, got " + port);
        }
        if (port != 0) {
            // Kafka binds the client port last, after ~2 s of start-up and three ERROR stack traces.
            requireFree(port);
        }
        QuietBrokerLogging.apply();
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(port == 0 ? freePort() : port, freePort(), Map.copyOf(overrides));
            } catch (PortTakenException e) {
                if (port != 0 || attempt == BIND_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage(), e.getCause());
                }
            }
        }
    }

    /** Where clients connect, for example {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The temporary directory holding this broker's logs and metadata; deleted by {@link #close()}. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker gracefully, waits for it, and deletes its data. Safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /**
     * Runs a broker until Ctrl-C or SIGTERM: {@code --port N} (default 9092). The signals are
     * taken over before the broker starts: one that comes while it starts lets the start finish
     * and then stops it, so its folder is deleted in every case. (With a shutdown hook added after
     * the start, such a signal left the folder behind; a hook cannot wait for the start either,
     * since Kafka's start-up does not finish while the JVM shuts down.)
     */
    public static void main(String[] args) throws InterruptedException {
        int port = parsePort(args);
        var stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        LocalKafkaBroker broker;
        try {
            broker = start(port);
        } catch (RuntimeException e) {
            System.err.println("local-kafka: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            if (stop.getCount() > 0) {
                System.out.println("Local Kafka broker listening on " + broker.bootstrapServers()
                        + " (data in " + broker.dataDir() + "). Ctrl-C to stop.");
            }
            stop.await();
        } finally {
            broker.close();
        }
        System.out.println("Local Kafka broker stopped; its data is deleted.");
    }

    private static int parsePort(String[] args) {
        if (args.length == 0) {
            return DEFAULT_MAIN_PORT;
        }
        if (args.length == 2 && args[0].equals("--port")) {
            try {
                return Integer.parseInt(args[1]);
            } catch (NumberFormatException e) {
                // Falls through to the usage message.
            }
        }
        System.err.println("usage: LocalKafkaBroker [--port N]   (default 9092; 0 picks a free port)");
        System.exit(2);
        throw new AssertionError("unreachable");
    }

    private static LocalKafkaBroker startOnce(int clientPort, int controllerPort, Map<String, String> overrides) {
        Path dataDir = createTempDir();
        KafkaRaftServer server = null;
        try {
            Properties props = BrokerSettings.of(clientPort, controllerPort, dataDir.resolve("log"),
                    STARTUP_TIMEOUT, overrides);
            format(props, dataDir);
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
            server.startup();
            String bootstrap = BrokerSettings.HOST + ":" + clientPort;
            awaitServing(bootstrap, deadline);
            return new LocalKafkaBroker(server, dataDir, bootstrap);
        } catch (RuntimeException e) {
            stopQuietly(server, e);
            deleteRecursively(dataDir);
            String ports = BrokerSettings.HOST + ":" + clientPort + " (controller port " + controllerPort + ")";
            if (causedBy(e, BindException.class)) {
                throw new PortTakenException("Kafka broker could not bind " + ports + ": " + e.getMessage(), e);
            }
            throw new IllegalStateException("Could not start a Kafka broker on " + ports + ": " + e.getMessage(), e);
        }
    }

    /** What {@code kafka-storage format --standalone -t <id> -c server.properties} does. */
    private static void format(Properties props, Path dataDir) {
        Path propsFile = dataDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(propsFile)) {
            props.store(out, "written by " + LocalKafkaBroker.class.getName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var output = new ByteArrayOutputStream();
        int exitCode;
        try (var print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {
                    "format", "--standalone",
                    "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", propsFile.toString()}, print);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka log dir failed (exit " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Blocks until an Admin client sees the broker, or the deadline passes. */
    private static void awaitServing(String bootstrap, long deadlineNanos) {
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                // The Admin client retries internally until this runs out, so no polling loop here.
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, remainingMs),
                AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-readiness"))) {
            var nodes = admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS);
            if (nodes.isEmpty()) {
                throw new IllegalStateException("Kafka broker at " + bootstrap + " reports no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker at " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrap + " did not serve clients within "
                    + STARTUP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server, RuntimeException failure) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void requireFree(int port) {
        try {
            new ServerSocket(port, 1, InetAddress.getByName(BrokerSettings.HOST)).close();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a Kafka broker on " + BrokerSettings.HOST + ":" + port
                    + ": the port is in use (" + e.getMessage() + ")", e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName(BrokerSettings.HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + BrokerSettings.HOST, e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("local-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete Kafka data in " + dir, e);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The picked port was taken between picking and binding; worth another try. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
