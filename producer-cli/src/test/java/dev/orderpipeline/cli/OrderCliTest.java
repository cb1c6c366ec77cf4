package dev.orderpipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.SampleOrders;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit codes and messages, as a user sees them; nothing here needs a broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrderCliTest {

    /** Nothing listens on port 1, so connecting fails at once and retries until the timeout. */
    private static final String UNREACHABLE = "127.0.0.1:1";
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    @Test
    void help_listsTheCommands_andDocumentsEveryExitCode() {
        CliRun run = CliRun.execute(NO_ENV, "--help");

        assertEquals(0, run.exitCode(), run.toString());
        for (String command : List.of("send ", "run ", "follow ", "replay-dlt ", "verify ")) {
            assertTrue(run.out().contains(command), command + "in\n" + run.out());
        }
        for (ExitCode code : ExitCode.values()) {
            assertTrue(run.out().contains(String.format("%3d   %s", code.code(), code.description())), code + " in\n" + run.out());
        }
        assertTrue(run.out().contains("KAFKA_BOOTSTRAP_SERVERS"), run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "run"})
    void everyCommand_hasHelp_withKafkaOptionsAndExitCodes(String command) {
        CliRun run = CliRun.execute(NO_ENV, command, "--help");

        assertEquals(0, run.exitCode(), run.toString());
        for (String expected : List.of("--bootstrap-servers", "--client-config", "--orders-topic", "--count",
                "--malformed", "--file", "--allow-invalid", "Exit codes:", " 75   ")) {
            assertTrue(run.out().contains(expected), expected + " in\n" + run.out());
        }
    }

    @Test
    void version_namesTheToolAndTheKafkaClient() {
        CliRun run = CliRun.execute(NO_ENV, "--version");

        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("order-cli "), run.out());
        assertTrue(run.out().contains("kafka-clients 4.4.0"), run.out());
    }

    @Test
    void noCommand_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV);

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("order-cli: missing command"), run.err());
    }

    @Test
    void verify_exactlyOnceWithAllowDuplicates_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "verify", "-b", UNREACHABLE, "--exactly-once", "--allow-duplicates");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("order-cli: --exactly-once and --allow-duplicates exclude each other"), run.err());
    }

    @Test
    void unknownOption_isAUsageError_pointingToTheCommandsHelp() {
        CliRun run = CliRun.execute(NO_ENV, "send", "--cuont", "5");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("order-cli: Unknown option") && run.err().contains("'--cuont'"), run.err());
        assertTrue(run.err().contains("Try 'order-cli send --help' for more information."), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "run", "follow", "replay-dlt", "verify"})
    void noBrokerAnywhere_isAUsageError_namingFlagAndVariable(String command) {
        CliRun run = CliRun.execute(NO_ENV, command);

        assertEquals(64, run.exitCode(), run.toString());
        assertEquals("order-cli: no Kafka broker given: pass --bootstrap-servers HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS",
                run.err().lines().findFirst().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "run", "follow", "replay-dlt", "verify"})
    void unreachableBroker_exits69_withOneLine_withinTheConnectTimeout(String command) {
        long start = System.nanoTime();
        CliRun run = CliRun.execute(NO_ENV, command, "--bootstrap-servers", UNREACHABLE, "--connect-timeout", "2s");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertEquals(69, run.exitCode(), run.toString());
        assertEquals("order-cli: cannot reach Kafka at 127.0.0.1:1 within 2s (check --bootstrap-servers)\n", run.err());
        assertEquals("", run.out());
        // Generous: a loaded 2-core CI machine; what matters is that it is bounded, not a hang.
        assertTrue(seconds < 20, "took " + seconds + " s");
    }

    @Test
    void bootstrapFromTheEnvironment_isUsedWhenTheFlagIsMissing() {
        CliRun run = CliRun.execute(Map.of("KAFKA_BOOTSTRAP_SERVERS", UNREACHABLE), "send", "--connect-timeout", "1s");

        assertEquals(69, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Kafka at 127.0.0.1:1"), run.err());
    }

    @Test
    void bootstrapFlag_winsOverTheEnvironment() {
        CliRun run = CliRun.execute(Map.of("KAFKA_BOOTSTRAP_SERVERS", "not-this-one:9092"),
                "send", "-b", UNREACHABLE, "--connect-timeout", "1s");

        assertEquals(69, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Kafka at 127.0.0.1:1"), run.err());
    }

    @Test
    void bootstrapFromTheClientConfig_isTheLastResort() throws Exception {
        Path config = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=" + UNREACHABLE + "\n");

        CliRun run = CliRun.execute(NO_ENV, "send", "--client-config", config.toString(), "--connect-timeout", "1s");

        assertEquals(69, run.exitCode(), run.toString());
        assertTrue(run.err().contains("Kafka at 127.0.0.1:1"), run.err());
    }

    @Test
    void missingClientConfigFile_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--client-config", dir.resolve("nope").toString());

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("cannot read --client-config") && run.err().contains("no such file"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:abc", "a:1,,b:2"})
    void bootstrapThatIsNotHostPort_isAUsageError(String servers) {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", servers);

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is not host:port"), run.err());
    }

    @Test
    void sharesAddingUpToMoreThanOne_areAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--declines", "0.6", "--malformed", "0.6");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("add up to 1.2"), run.err());
    }

    @Test
    void zeroCount_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--count", "0");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--count must be at least 1"), run.err());
    }

    @Test
    void ordersPerKey_belowOne_orWithRun_isAUsageError() {
        CliRun zero = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--orders-per-key", "0");
        CliRun withRun = CliRun.execute(NO_ENV, "run", "-b", UNREACHABLE, "--orders-per-key", "2");

        assertEquals(64, zero.exitCode(), zero.toString());
        assertTrue(zero.err().contains("--orders-per-key must be at least 1, got 0"), zero.err());
        assertEquals(64, withRun.exitCode(), withRun.toString());
        assertTrue(withRun.err().contains("'run' waits for one answer per order id"), withRun.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--duration 10s                  | --duration needs --rate",
            "--rate 10 --duration 1s -n 5    | --duration and --count both say how many orders to send",
            "--rate 0                        | --rate must be a positive number of orders per second, got 0.0",
            "--rate 10 --duration 0s         | makes 0 orders"})
    void paceOptionsThatContradict_areAUsageError(String options, String message) {
        List<String> args = new ArrayList<>(List.of("send", "-b", UNREACHABLE));
        args.addAll(List.of(options.strip().split(" +")));
        CliRun run = CliRun.execute(NO_ENV, args.toArray(String[]::new));

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains(message), options + " -> " + run.err());
    }

    @Test
    void fileTogetherWithGenerationOptions_isAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.jsonl"), "");

        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--file", file.toString(), "--declines", "0.1");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--declines generates orders; it cannot be combined with --file"), run.err());
    }

    @Test
    void fileOptionsWithoutAFile_areAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--allow-invalid");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--allow-invalid applies only to --file"), run.err());
    }

    @Test
    void missingFile_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "send", "-b", UNREACHABLE, "--file", dir.resolve("nope.jsonl").toString());

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no such file"), run.err());
    }

    @Test
    void badDuration_isAUsageError() {
        CliRun run = CliRun.execute(NO_ENV, "run", "-b", UNREACHABLE, "--timeout", "soon");

        assertEquals(64, run.exitCode(), run.toString());
        assertTrue(run.err().contains("\"soon\" is not a duration"), run.err());
    }

    /** The grammar the worker shares: a fraction of a second is a duration here as it is there. */
    @Test
    void fractionalDuration_isAccepted_andUsedAsGiven() {
        CliRun run = CliRun.execute(NO_ENV, "send", "--bootstrap-servers", UNREACHABLE, "--connect-timeout", "1.5s");

        assertEquals(69, run.exitCode(), run.toString());
        assertEquals("order-cli: cannot reach Kafka at 127.0.0.1:1 within 1.5s (check --bootstrap-servers)\n", run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "run"})
    void fileWithALineThatIsNotAnOrder_exits65_withItsLineNumber_beforeConnecting(String command) throws Exception {
        Path file = Files.writeString(dir.resolve("orders.jsonl"), validLine("a-1") + "\n{\"orderId\": 5}\n");

        long start = System.nanoTime();
        CliRun run = CliRun.execute(NO_ENV, command, "-b", UNREACHABLE, "--file", file.toString());

        assertEquals(65, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("order-cli: " + file + ":2: "), run.err());
        assertTrue(run.err().contains("nothing was sent"), run.err());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 5, "it tried to connect first");
    }

    @Test
    void stdinIsReadWithFileDash() {
        byte[] stdin = (validLine("a-1") + "\nnot an order\n").getBytes(StandardCharsets.UTF_8);

        CliRun run = CliRun.execute(NO_ENV, new ByteArrayInputStream(stdin), "send", "-b", UNREACHABLE, "--file", "-");

        assertEquals(65, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("order-cli: stdin:2: MALFORMED_JSON"), run.err());
    }

    @Test
    void exitCodes_areClassifiedInOnePlace() {
        assertEquals(ExitCode.DATA_ERROR, ExitCode.of(new dev.orderpipeline.cli.orders.BadInputException("f",
                List.of(new dev.orderpipeline.cli.orders.BadInputException.LineProblem(1, "x")))));
        assertEquals(ExitCode.UNAVAILABLE, ExitCode.of(new dev.orderpipeline.cli.kafka.BrokerUnavailableException("x")));
        assertEquals(ExitCode.SOFTWARE, ExitCode.of(new IllegalStateException("bug")));
    }

    private static String validLine(String id) {
        return new String(new OrderCodec().encode(SampleOrders.order(id, Instant.parse("2026-01-01T00:00:00Z"), null,
                new SplittableRandom(1))), StandardCharsets.UTF_8);
    }
}
