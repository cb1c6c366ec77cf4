package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.testkafka.TestKafka;
import dev.orderpipeline.testsupport.WorkerProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop signal that arrives while the worker is still starting: an orchestrator may stop a pod
 * that never became ready, and the process must still leave with the documented exit code.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StartupSignalIT {

    /** Launches of the random-moment test: each takes a few seconds, the count bounds the test. */
    private static final int LAUNCHES = 12;
    /** Start-up against a running broker takes about this long here; signals fall within and just after. */
    private static final int LATEST_SIGNAL_MS = 2_500;

    @TempDir
    Path tmp;

    @Test
    void sigtermWhileConnecting_abandonsStartUp_exitsZero() throws Exception {
        int silentPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            silentPort = socket.getLocalPort();
        }
        // Nothing listens there, so start-up waits for the cluster for up to the connect timeout.
        try (WorkerProcess worker = WorkerProcess.start("startup-signal",
                "--bootstrap-servers", "127.0.0.1:" + silentPort, "--connect-timeout", "5m")) {
            await("the worker is connecting").atMost(Duration.ofSeconds(60))
                    .until(() -> worker.output().contains("connecting to Kafka at"));

            worker.terminate();
            Integer exit = worker.awaitExit(Duration.ofSeconds(30));

            assertNotNull(exit, () -> "still running 30 s after SIGTERM:\n" + worker.output());
            assertEquals(0, exit, () -> "exit code; output:\n" + worker.output());
            assertTrue(worker.output().contains("stopped during start-up"), worker::output);
        }
    }

    @Test
    void sigtermWhileTheEmbeddedBrokerStarts_exitsZero_andLeavesNoFolderBehind() throws Exception {
        try (WorkerProcess worker = WorkerProcess.start("embedded-signal",
                List.of("--enable-preview", "-Xmx256m", "-Djava.io.tmpdir=" + tmp), List.of("--embedded-broker"))) {
            // Logged just before the broker starts, which takes seconds.
            await("start-up began").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> worker.output().contains("effective configuration"));

            worker.terminate();
            Integer exit = worker.awaitExit(Duration.ofSeconds(60));

            assertNotNull(exit, () -> "still running 60 s after SIGTERM:\n" + worker.output());
            assertEquals(0, exit, () -> "exit code; output:\n" + worker.output());
            assertTrue(worker.output().contains("SIGTERM received"), worker::output);
            try (var left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), () -> "the broker's folder is left behind:\n" + worker.output());
            }
        }
    }

    /**
     * SIGTERM at a seeded random moment after {@code main} began, from its first statement
     * (before the command line is parsed and logging is set up) to just after start-up: always
     * exit 0, and the log says a signal stopped it. The moment main began is read from the JVM's
     * class-loading log: main takes over the signals, then builds picocli's command line, so once
     * {@code picocli.CommandLine} is loaded (after {@code StopSignals}) the signals are the worker's.
     */
    @Test
    void sigtermAtAnyMomentAfterMainBegins_exitsZero_sayingItStopped() throws Exception {
        String orders = TestKafka.uniqueName("signal-orders");
        String results = TestKafka.uniqueName("signal-results");
        String deadLetters = TestKafka.uniqueName("signal-dlt");
        TestKafka.createTopics(3, orders, results, deadLetters);
        long seed = Long.getLong("startup-signal.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> outcomes = new ArrayList<>();
        for (int launch = 0; launch < LAUNCHES; launch++) {
            int delayMs = random.nextInt(LATEST_SIGNAL_MS);
            Path classLog = tmp.resolve("classes-" + launch + ".log");
            try (WorkerProcess worker = WorkerProcess.start("random-signal-" + launch,
                    List.of("--enable-preview", "-Xmx256m", "-Xlog:class+load=info:file=" + classLog),
                    List.of("--bootstrap-servers", TestKafka.bootstrapServers(), "--orders-topic", orders,
                            "--results-topic", results, "--dead-letter-topic", deadLetters,
                            "--group-id", TestKafka.uniqueName("signal-group"), "--worker-id", "signal-" + launch))) {
                await("main() began").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                        .until(() -> loaded(classLog, "picocli.CommandLine"));
                // The stimulus: a signal at a random moment of start-up, not a wait for a condition.
                Thread.sleep(delayMs);
                worker.terminate();
                Integer exit = worker.awaitExit(Duration.ofSeconds(60));

                String context = "launch " + launch + " of seed " + seed + ", SIGTERM " + delayMs
                        + " ms after main began; output:\n" + worker.output();
                assertNotNull(exit, () -> "still running 60 s after SIGTERM, " + context);
                assertEquals(0, exit, () -> "exit code, " + context);
                List<String> loadOrder = Files.readAllLines(classLog);
                assertTrue(indexOf(loadOrder, "dev.orderpipeline.worker.app.StopSignals ")
                        < indexOf(loadOrder, "picocli.CommandLine "), () -> "signals taken over after parsing began, " + context);
                assertTrue(worker.output().contains("SIGTERM received"), () -> "no line about the signal, " + context);
                assertFalse(worker.output().contains("\tat "), () -> "a stack trace, " + context);
                outcomes.add(delayMs + " ms: " + (worker.output().contains("stopped during start-up") ? "during start-up"
                        : "after start-up"));
            }
        }
        System.out.println("SIGTERM at random moments (seed " + seed + "): " + outcomes);
    }

    private static boolean loaded(Path classLog, String className) throws IOException {
        return Files.exists(classLog) && Files.readString(classLog).contains(" " + className + " ");
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + text)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
