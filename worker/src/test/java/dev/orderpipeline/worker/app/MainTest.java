package dev.orderpipeline.worker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Start-up with a bad configuration: one line naming the key and the problem, exit code 2. */
@Timeout(60)
class MainTest {

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--order-deadline", "soon"},
                        "--order-deadline (ORDER_DEADLINE): \"soon\" is not a duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--order-deadline", "0s"},
                        "--order-deadline (ORDER_DEADLINE): must be a positive duration"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--max-in-flight", "0"},
                        "--max-in-flight (MAX_IN_FLIGHT): must be at least 1, got 0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--results-topic", "orders"},
                        "must be three different topics"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--orders-topic", "bad topic"},
                        "--orders-topic (ORDERS_TOPIC): \"bad topic\" may only contain"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--payment-decline-rate", "2"},
                        "paymentDeclineRate must be between 0 and 1, got 2.0"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--kafka", "enable.auto.commit=true"},
                        "--kafka enable.auto.commit: is managed by the worker"),
                Arguments.of(new String[] {"--bootstrap-servers", "127.0.0.1:9092", "--max-in-flight", "many"},
                        "Invalid value for option '--max-in-flight'"),
                Arguments.of(new String[] {"--no-such-flag"}, "Unknown option: '--no-such-flag'"));
    }

    @ParameterizedTest
    @MethodSource("badConfigurations")
    void badConfiguration_stopsStartUp_withOneLineNamingTheKey(String[] args, String want) {
        Captured run = run(args);

        assertEquals(2, run.exitCode, () -> "exit code for " + String.join(" ", args) + "; stderr: " + run.err);
        String[] lines = run.err.strip().split("\n");
        assertEquals(1, lines.length, () -> "want one line, got: " + run.err);
        assertTrue(lines[0].startsWith("order-worker: "), () -> "got " + lines[0]);
        assertTrue(lines[0].contains(want), () -> "got " + lines[0] + ", want it to contain " + want);
    }

    @Test
    void missingBootstrapServers_isNamed_unlessEmbedded() {
        // The environment of the build may set KAFKA_BOOTSTRAP_SERVERS; an explicit empty flag wins.
        Captured run = run("--bootstrap-servers", "");

        assertEquals(2, run.exitCode, () -> "stderr: " + run.err);
        assertTrue(run.err.contains("--bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS): not set"), () -> "got " + run.err);
    }

    @Test
    void unreachableCluster_failsStartUpFast_withExitCode4() {
        long start = System.nanoTime();
        Captured run = run("--bootstrap-servers", "127.0.0.1:1", "--connect-timeout", "3s");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertEquals(4, run.exitCode, () -> "stderr: " + run.err);
        assertTrue(run.err.contains("cannot reach Kafka at 127.0.0.1:1"), () -> "got " + run.err);
        // Bounded, not a hang; generous for a loaded 2-core CI machine.
        assertTrue(seconds < 25, () -> "took " + seconds + " s");
    }

    @Test
    void help_listsEveryExitCode() {
        Captured run = run("--help");

        assertEquals(0, run.exitCode);
        for (String code : new String[] {"0", "1", "2", "3", "4"}) {
            assertTrue(run.out.contains("\n  " + code + "   "), () -> "exit code " + code + " missing from help:\n" + run.out);
        }
    }

    private record Captured(int exitCode, String out, String err) {
    }

    private static Captured run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Captured(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
