package dev.orderpipeline.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up that cannot succeed, as a user meets it on the console: the worker in a JVM of its
 * own exits by itself, with the documented code and one line that names the problem and the
 * fix; no stack trace, and nothing left behind in its temporary folder.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StartupFailureIT {

    /** Far longer than any of these start-ups takes: not exiting within it is the hang. */
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void withoutEnablePreview_exitsWithConfigCode_beforeStartingAnything() throws Exception {
        Finished run = run("no-preview", List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp), "--embedded-broker");

        assertEquals(2, run.exit, run::describe);
        assertEquals(1, run.lines.size(), () -> "want exactly one line: " + run.describe());
        assertTrue(run.lines.getFirst().startsWith("order-worker: Java preview features are not enabled"), run::describe);
        // The worker's own jar, or its class path when run from classes.
        assertTrue(run.lines.getFirst().contains("start it as java --enable-preview -"), run::describe);
        assertNothingLeftIn(tmp);
    }

    @Test
    void bootstrapServerWithoutPort_exitsWithConfigCode_namingTheOptionAndTheFix() throws Exception {
        Finished run = run("no-port", "--bootstrap-servers", "localhost");

        assertEquals(2, run.exit, run::describe);
        assertEquals(List.of("order-worker: invalid configuration: --bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): "
                + "\"localhost\" is not host:port; write e.g. localhost:9092"), run.lines, run::describe);
    }

    @Test
    void unresolvableBootstrapHost_exitsWithKafkaCode_atOnce_withOneLine() throws Exception {
        long start = System.nanoTime();
        Finished run = run("unknown-host", "--bootstrap-servers", "no-such-host.invalid:9092");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(4, run.exit, run::describe);
        assertEquals("order-worker: cannot reach Kafka at no-such-host.invalid:9092: unknown host no-such-host.invalid; "
                + "check --bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) and DNS", run.lines.getLast(), run::describe);
        // No waiting for a cluster that cannot be found: well under the 30 s default connect timeout.
        assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, () -> "took " + took + ": " + run.describe());
    }

    @Test
    void noBrokerListening_waitsTheConnectTimeout_loggingOnlyEveryFewSeconds_thenExitsWithKafkaCode() throws Exception {
        int silentPort = freePort();
        Finished run = run("no-broker", "--bootstrap-servers", "127.0.0.1:" + silentPort, "--connect-timeout", "9s");

        assertEquals(4, run.exit, run::describe);
        assertEquals("order-worker: cannot reach Kafka at 127.0.0.1:" + silentPort + ": no answer within 9 s "
                + "(--connect-timeout); check the address and that the brokers run", run.lines.getLast(), run::describe);
        // One attempt, and one WARN, at most every 2.4 s (3 s less Kafka's jitter): 0, 2.4, 4.8, 7.2 s.
        // Kafka's default backoff (50 ms doubling to 1 s) logged 12 and more in 9 s.
        long warnings = run.lines.stream().filter(l -> l.contains("could not be established")).count();
        assertTrue(warnings <= 4, () -> warnings + " connection WARNs in 9 s: " + run.describe());
        assertTrue(run.lines.size() <= 4 + 3, () -> "too many lines while waiting: " + run.describe());
    }

    @Test
    void missingTopicWithoutCreateTopics_exitsWithKafkaCode_namingTheTopicAndTheFix() throws Exception {
        String orders = TestKafka.uniqueName("absent-orders");
        String results = TestKafka.uniqueName("startup-results");
        String deadLetters = TestKafka.uniqueName("startup-dlt");
        TestKafka.createTopics(1, results, deadLetters);

        Finished run = run("missing-topic", "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--orders-topic", orders, "--results-topic", results, "--dead-letter-topic", deadLetters);

        assertEquals(4, run.exit, run::describe);
        assertEquals("order-worker: topic " + orders + " does not exist on the Kafka cluster at "
                + TestKafka.bootstrapServers() + ": create it, or start the worker with --create-topics "
                + "(CREATE_TOPICS=true)", run.lines.getLast(), run::describe);
        assertFalse(run.output.contains("UNKNOWN_TOPIC_OR_PARTITION"), run::describe);
    }

    @Test
    void httpPortInUse_exitsWithConfigCode_namingThePort_andRemovesTheEmbeddedBroker() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();

            Finished run = run("port-taken", List.of("--enable-preview", "-Xmx256m", "-Djava.io.tmpdir=" + tmp),
                    "--embedded-broker", "--http-port", Integer.toString(port));

            assertEquals(2, run.exit, run::describe);
            String last = run.lines.getLast();
            assertTrue(last.startsWith("order-worker: invalid configuration: --http-port (HTTP_PORT): cannot listen on port "
                    + port + " ("), run::describe);
            assertTrue(last.endsWith("stop what uses it, or choose another port (0 picks a free one)"), run::describe);
            assertNothingLeftIn(tmp);
        }
    }

    @Test
    void embeddedBrokerPortInUse_exitsWithConfigCode_namingThePort_leavingNothingBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Finished run = run("broker-port-taken", List.of("--enable-preview", "-Xmx256m", "-Djava.io.tmpdir=" + tmp),
                    "--embedded-broker", "--embedded-broker-port", Integer.toString(port));

            assertEquals(2, run.exit, run::describe);
            String last = run.lines.getLast();
            assertTrue(last.startsWith("order-worker: invalid configuration: --embedded-broker-port: cannot listen on port "
                    + port + " ("), run::describe);
            assertTrue(last.endsWith("or choose another port (0 picks a free one)"), run::describe);
            assertNothingLeftIn(tmp);
        }
    }

    /** How a start-up ended: its exit code and every line it wrote. */
    private record Finished(int exit, String output, List<String> lines) {
        String describe() {
            return "exit " + exit + ", output:\n" + output;
        }
    }

    private static Finished run(String name, String... args) throws Exception {
        return run(name, List.of("--enable-preview", "-Xmx256m"), args);
    }

    private static Finished run(String name, List<String> jvmOptions, String... args) throws Exception {
        try (WorkerProcess worker = WorkerProcess.start(name, jvmOptions, List.of(args))) {
            Integer exit = worker.awaitExit(EXIT_WITHIN);
            assertNotNull(exit, () -> "still running " + EXIT_WITHIN.toSeconds() + " s after start:\n" + worker.output());
            String output = worker.output();
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            for (String line : lines) {
                assertFalse(line.startsWith("\tat ") || line.contains("Exception in thread")
                        || line.startsWith("Caused by"), () -> "a stack trace on the console:\n" + output);
            }
            return new Finished(exit, output, lines);
        }
    }

    private static void assertNothingLeftIn(Path dir) throws IOException {
        List<Path> left = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(left::add);
        }
        assertEquals(List.of(), left, "left behind in the worker's temporary folder");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
