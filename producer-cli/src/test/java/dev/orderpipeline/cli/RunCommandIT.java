package dev.orderpipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code order-cli run} against a real broker, with {@link FakeWorker} answering in place of the worker. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RunCommandIT {

    /**
     * How long a run waits for orders the fake worker never answers. The wait always runs out in
     * those tests, so it is their cost; it only has to outlast the answers that do come, which the
     * fake worker sends as soon as it reads an order (well under a second on an idle machine), so
     * 20 s leaves a wide margin on a loaded one. A shorter wait made the exact counts flake.
     */
    private static final String LOSS_WAIT = "20s";

    private String orders;
    private String results;
    private String deadLetters;

    @BeforeEach
    void topics() {
        orders = TestKafka.uniqueName("orders");
        results = TestKafka.uniqueName("order-results");
        deadLetters = TestKafka.uniqueName("orders.DLT");
        // Several partitions, so the CLI must read every one of them.
        TestKafka.createTopics(3, orders, results, deadLetters);
    }

    @Test
    void everyOrderAnswered_reportsCountsPerStatusErrorClassProblemAndScenario_exits0() throws Exception {
        CliRun run;
        try (FakeWorker _ = FakeWorker.answeringEverything(orders, results, deadLetters)) {
            run = run("--count", "60", "--declines", "0.1", "--vendor-outages", "0.05", "--slow-couriers", "0.05",
                    "--crashes", "0.05", "--malformed", "0.1", "--seed", "7", "--key-space", "it-run", "--timeout", "60s");
        }
        System.out.println(run);

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(),
                "sent      60 of 60 records to " + orders + " in ",
                "  source     60 generated orders (--seed 7 --key-space it-run)",
                "  scenarios  valid 39, decline 6, vendor-outage 3, slow-courier 3, crash 3, malformed 6",
                "answers   54 of 54 outcomes on " + results + ", 6 of 6 dead letters on " + deadLetters + ", within ",
                // 4 of the 6 malformed records still carry their order id, so the worker rejects them too.
                "  succeeded                  39",
                "  failed                     15",
                "  rejected                    4",
                "  payment_declined            6",
                "  vendor_unavailable          3",
                "  timeout                     3",
                "  invalid_order               4",
                "  internal                    3",
                "  INVALID_UTF8                1",
                "  MALFORMED_JSON              1",
                "  MISSING_FIELD               1",
                "  RULE_VIOLATION              2",
                "  WRONG_TYPE                  1",
                "  valid                      39        39           39",
                "  decline                     6         6            6",
                "  malformed                   6         6            6",
                "latency, send (createdAt) to outcome read (54 orders)",
                "  p50 ", "  p90 ", "  p99 ", "  p99.9 ", "  max ",
                "duplicates  none",
                "missing     none");
        assertTrue(run.err().contains("order-cli: sending 60 generated orders"), run.err());
    }

    @Test
    void ordersTheWorkerLoses_areListedAsMissing_exits75() throws Exception {
        Set<String> lost = Set.of("it-lost-000005", "it-lost-000010", "it-lost-000025");
        CliRun run;
        try (FakeWorker _ = new FakeWorker(orders, results, deadLetters, lost, Set.of())) {
            run = run("--count", "25", "--seed", "1", "--key-space", "it-lost", "--timeout", LOSS_WAIT);
        }

        assertEquals(75, run.exitCode(), run.toString());
        assertLines(run.out(),
                "answers   22 of 25 outcomes on " + results,
                "missing     3 orders got no answer within " + LOSS_WAIT + ":",
                "  it-lost-000005                 valid, no outcome",
                "  it-lost-000010                 valid, no outcome",
                "  it-lost-000025                 valid, no outcome");
        assertTrue(run.err().contains("order-cli: 3 of 25 orders got no answer within " + LOSS_WAIT), run.err());
    }

    @Test
    void repeatedOutcomes_areFlaggedAsDuplicates_butEachOrderCountsOnce() throws Exception {
        CliRun run;
        try (FakeWorker _ = new FakeWorker(orders, results, deadLetters, Set.of(), Set.of("it-dup-000002"))) {
            run = run("--count", "5", "--seed", "1", "--key-space", "it-dup", "--timeout", "60s");
        }

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(),
                "answers   5 of 5 outcomes on " + results,
                "  succeeded                   5",
                "duplicates  1 orders answered more than once (1 extra answers): it-dup-000002");
        assertTrue(run.err().contains("warning: 1 orders were answered more than once"), run.err());
    }

    @Test
    void outcomesAlreadyOnTheTopicBeforeTheRun_areNotCounted() throws Exception {
        // A stale outcome for an id this run is about to send: read from the start, it would look
        // like a duplicate, and with a lost order it would hide the loss.
        OrderOutcome stale = new OrderOutcome(OrderOutcome.SCHEMA_VERSION, "it-stale-000001", OrderStatus.SUCCEEDED,
                null, null, List.of(), 1, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, "old-run");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(TestKafka.producerProps())) {
            producer.send(new ProducerRecord<>(results, "it-stale-000001".getBytes(StandardCharsets.UTF_8),
                    new OrderCodec().encode(stale))).get();
        }
        CliRun run;
        try (FakeWorker _ = new FakeWorker(orders, results, deadLetters, Set.of("it-stale-000001"), Set.of())) {
            run = run("--count", "3", "--seed", "1", "--key-space", "it-stale", "--timeout", LOSS_WAIT);
        }

        assertEquals(75, run.exitCode(), run.toString());
        assertLines(run.out(), "answers   2 of 3 outcomes on " + results, "duplicates  none",
                "  it-stale-000001                valid, no outcome");
    }

    @Test
    void missingResultsTopic_exits69_namingTheTopicAndItsOption() {
        CliRun run = CliRun.execute(Map.of(), "run", "-b", TestKafka.bootstrapServers(), "--orders-topic", orders,
                "--results-topic", "no-such-topic-" + results, "--dlt-topic", deadLetters, "--count", "1");

        assertEquals(69, run.exitCode(), run.toString());
        assertTrue(run.err().contains("topic 'no-such-topic-" + results + "' does not exist")
                && run.err().contains("--results-topic"), run.err());
    }

    private CliRun run(String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--bootstrap-servers", TestKafka.bootstrapServers(),
                "--orders-topic", orders, "--results-topic", results, "--dlt-topic", deadLetters));
        args.addAll(List.of(options));
        return CliRun.execute(Map.of(), args.toArray(String[]::new));
    }

    /** Each expected line is the start of some output line, in this order. */
    static void assertLines(String output, String... expectedStarts) {
        List<String> lines = output.lines().toList();
        int from = 0;
        for (String expected : expectedStarts) {
            int found = IntStream.range(from, lines.size()).filter(i -> lines.get(i).startsWith(expected)).findFirst().orElse(-1);
            assertTrue(found >= 0, () -> "no line starting with '" + expected + "' (in order) in:\n"
                    + lines.stream().collect(Collectors.joining("\n")));
            from = found + 1;
        }
    }
}
