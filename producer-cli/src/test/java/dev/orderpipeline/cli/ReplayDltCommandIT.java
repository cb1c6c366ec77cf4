package dev.orderpipeline.cli;

import static dev.orderpipeline.cli.RunCommandIT.assertLines;
import static dev.orderpipeline.cli.TestRecords.deadLetter;
import static dev.orderpipeline.cli.TestRecords.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orderpipeline.testkafka.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code order-cli replay-dlt} against a real broker: what it lists, and what it sends. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayDltCommandIT {

    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");

    private String orders;
    private String deadLetters;

    @BeforeEach
    void deadLetters() throws Exception {
        orders = TestKafka.uniqueName("orders");
        deadLetters = TestKafka.uniqueName("orders.DLT");
        TestKafka.createTopics(1, orders, deadLetters);
        produce(deadLetter(deadLetters, "r-1", "{\"orderId\": \"r-1\", ", "MALFORMED_JSON", "Unexpected end-of-input", T, 10),
                deadLetter(deadLetters, "r-2", "{\"orderId\": \"r-2\"}", "MISSING_FIELD", "customerId is missing", T.plusSeconds(60), 11),
                deadLetter(deadLetters, "r-3", "{\"orderId\": \"r-3\" x}", "MALFORMED_JSON", "Unexpected character 'x'", T.plusSeconds(120), 12));
    }

    @Test
    void dryRun_listsEveryDeadLetter_andSendsNothing() {
        CliRun run = replay();

        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of(
                "dry run: 3 of 3 dead letters on " + deadLetters + " would be replayed to " + orders
                        + " (add --execute to send them)",
                "  r-1                      MALFORMED_JSON     Unexpected end-of-input  original orders/0/10  dlt "
                        + deadLetters + "/0/0 at 2026-11-27T10:00:00Z",
                "  r-2                      MISSING_FIELD      customerId is missing  original orders/0/11  dlt "
                        + deadLetters + "/0/1 at 2026-11-27T10:01:00Z",
                "  r-3                      MALFORMED_JSON     Unexpected character 'x'  original orders/0/12  dlt "
                        + deadLetters + "/0/2 at 2026-11-27T10:02:00Z"),
                run.out().lines().toList());
        assertEquals(0, endOffset(orders), "records on " + orders + " after a dry run");
    }

    @Test
    void dryRun_timeWindow_picksByDeadLetteredAt() {
        CliRun run = replay("--since", "2026-11-27T10:00:30Z", "--until", "2026-11-27T10:01:30Z");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "dry run: 1 of 3 dead letters", "  r-2 ");
        assertEquals(2, run.out().lines().count(), run.toString());
    }

    @Test
    void execute_withFilters_sendsOnlyTheMatching_withOriginalKeyValueAndReplayHeaders() throws Exception {
        Instant before = Instant.now();
        CliRun run = replay("--problem", "MALFORMED_JSON", "--reason-contains", "CHARACTER", "--execute");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "replaying 1 of 3 dead letters on " + deadLetters + " to " + orders, "  r-3 ",
                "sent      1 of 1 records to " + orders);
        List<ConsumerRecord<byte[], byte[]>> sent = readAll(orders, 1);
        ConsumerRecord<byte[], byte[]> record = sent.getFirst();
        assertEquals("r-3", new String(record.key(), StandardCharsets.UTF_8));
        assertArrayEquals("{\"orderId\": \"r-3\" x}".getBytes(StandardCharsets.UTF_8), record.value());
        List<String> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(h.key()));
        assertEquals(List.of("trace", "replay.of", "replay.at"), headers);
        assertEquals("t-r-3", text(record, "trace"));
        assertEquals(deadLetters + "/0/2", text(record, "replay.of"));
        Instant replayAt = Instant.parse(text(record, "replay.at"));
        assertEquals(true, !replayAt.isBefore(before.minusSeconds(1)) && !replayAt.isAfter(Instant.now()),
                "replay.at " + replayAt);
        assertEquals(1, endOffset(orders), "records on " + orders);
    }

    @Test
    void badSince_isAUsageError() {
        CliRun run = replay("--since", "yesterday");

        assertEquals(64, run.exitCode(), run.toString());
    }

    private CliRun replay(String... args) {
        List<String> all = new ArrayList<>(List.of("replay-dlt", "-b", TestKafka.bootstrapServers(),
                "--orders-topic", orders, "--dlt-topic", deadLetters));
        all.addAll(List.of(args));
        return CliRun.execute(Map.of(), all.toArray(String[]::new));
    }

    private static long endOffset(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.consumerProps(TestKafka.uniqueName("end")))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.consumerProps(TestKafka.uniqueName("replay-it")))) {
            consumer.subscribe(List.of(topic));
            await("the " + expected + " records on " + topic).atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= expected;
                    });
        }
        return records;
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        return new String(record.headers().lastHeader(header).value(), StandardCharsets.UTF_8);
    }
}
