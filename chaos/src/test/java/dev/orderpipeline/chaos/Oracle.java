package dev.orderpipeline.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.contract.OrderCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The suite's oracle: {@code order-cli verify} itself, run as users run it (its own JVM, its
 * {@code main}). Its summary is printed for people; its {@code --json} answer is what the
 * scenarios assert on, and one line per scenario goes to the suite's report file.
 */
final class Oracle {

    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(3);

    private Oracle() {
    }

    /**
     * What the verifier counted.
     *
     * @param orderRecords records on the orders topic
     * @param validOrders  of those, valid orders
     * @param malformed    of those, records that are not valid orders
     * @param outcomes     committed outcome records
     * @param deadLetters  dead letters
     * @param lost         valid orders without an outcome plus malformed records without a dead letter
     * @param duplicated   ids answered more often than sent plus records dead-lettered more than once
     * @param outOfOrder   keys whose outcomes do not follow their orders' offsets
     * @param aborted      outcomes only visible with read_uncommitted
     * @param lag          the group's committed lag on the orders topic, over all partitions
     * @param passed       the verifier's verdict for the mode
     */
    record Counts(long orderRecords, long validOrders, long malformed, long outcomes, long deadLetters, long lost,
            long duplicated, long outOfOrder, long aborted, long lag, boolean passed) {
    }

    /** Runs the verifier on {@code topics} for {@code mode}, prints its report and records its counts. */
    static Counts verify(String scenario, DeliveryMode mode, ChaosTopics topics, Duration took)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("verify", "--bootstrap-servers", topics.bootstrapServers(),
                "--orders-topic", topics.orders, "--results-topic", topics.results, "--dlt-topic", topics.deadLetters,
                "--group", topics.groupId, "--connect-timeout", "30s"));
        args.addAll(mode.verifyArgs());
        Run human = run(args);
        args.add("--json");
        Run json = run(args);
        JsonNode root = OrderCodec.newMapper().readTree(json.stdout());
        JsonNode read = root.path("read");
        JsonNode counts = root.path("counts");
        long lag = 0;
        for (JsonNode p : root.path("group").path("partitions")) {
            lag += p.path("lag").asLong();
        }
        Counts c = new Counts(read.path("orderRecords").asLong(-1), read.path("validOrders").asLong(-1),
                read.path("malformedRecords").asLong(-1), read.path("outcomes").asLong(-1),
                read.path("deadLetters").asLong(-1), counts.path("lost").asLong(-1), counts.path("duplicated").asLong(-1),
                counts.path("outOfOrder").asLong(-1), counts.path("aborted").asLong(-1), lag,
                "OK".equals(root.path("verdict").asText()));
        if (c.lost() < 0 || c.duplicated() < 0) {
            throw new AssertionError("order-cli verify --json gave no counts (exit " + json.exit() + "):\n"
                    + json.stdout() + json.stderr());
        }
        String header = String.format(Locale.ROOT, "=== chaos %s [%s] — order-cli verify %s", scenario, mode.label(),
                String.join(" ", mode.verifyArgs()));
        System.out.println(header + "\n" + human.stdout() + (human.stderr().isBlank() ? "" : human.stderr()));
        String line = String.format(Locale.ROOT, "| %-16s | %-13s | %7d | %7d | %9d | %4d | %10d | %12d | %7d | %3d | %-7s | %4d s |",
                scenario, mode.label(), c.orderRecords(), c.validOrders(), c.malformed(), c.lost(), c.duplicated(),
                c.outOfOrder(), c.aborted(), c.lag(), c.passed() ? "OK" : "FAILED", took.toSeconds());
        System.out.println(line);
        Path report = Path.of(System.getProperty("chaos.report", "target/chaos-report.txt"));
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return c;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(List<String> args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-preview", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "dev.orderpipeline.cli.OrderCli"));
        command.addAll(args);
        Path dir = Files.createDirectories(Path.of("target", "verify"));
        Path out = Files.createTempFile(dir, "verify-", ".out");
        Path err = Files.createTempFile(dir, "verify-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(VERIFY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("order-cli verify still running after " + VERIFY_TIMEOUT + ": " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
