package dev.orderpipeline.cli;

import static dev.orderpipeline.cli.RunCommandIT.assertLines;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DecodedOrder;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.testkafka.TestKafka;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code order-cli send} against a real broker: what lands on the topic. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SendCommandIT {

    private static final OrderCodec CODEC = new OrderCodec();
    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private String topic;

    @BeforeEach
    void topic() {
        topic = TestKafka.uniqueName("orders");
        TestKafka.createTopics(2, topic);
    }

    @Test
    void sendFile_putsEachOrderOnTheTopic_keyedByOrderId_withCreatedAtSetAtSend() throws Exception {
        List<OrderPlaced> placed = List.of(order("f-1", null), order("f-2", Simulation.payment(StepFault.FAIL)),
                order("f-3", Simulation.courier(StepFault.SLOW)));
        Path file = Files.writeString(dir.resolve("orders.jsonl"), String.join("\n", placed.stream().map(SendCommandIT::line).toList()) + "\n");
        Instant before = Instant.now();

        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic", topic,
                "--file", file.toString());

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "sent      3 of 3 records to " + topic + " in ", "  source     3 orders from " + file,
                "  scenarios  valid 1, decline 1, slow-courier 1");
        List<ConsumerRecord<byte[], byte[]>> records = readAll(3);
        assertEquals(List.of("f-1", "f-2", "f-3"), records.stream().map(SendCommandIT::key).toList());
        for (int i = 0; i < placed.size(); i++) {
            OrderPlaced sent = assertInstanceOf(DecodedOrder.Valid.class, CODEC.decodeOrder(records.get(i).value())).order();
            OrderPlaced want = placed.get(i);
            assertEquals(withCreatedAt(want, sent.createdAt()), sent, "all but createdAt as in the file");
            assertTrue(!sent.createdAt().isBefore(before) && !sent.createdAt().isAfter(Instant.now()),
                    "createdAt " + sent.createdAt() + " is not the send time");
        }
    }

    @Test
    void sendFile_allowInvalid_keepCreatedAt_sendsEveryLineByteForByte() throws Exception {
        byte[] valid = line(order("g-1", null)).getBytes(StandardCharsets.UTF_8);
        byte[] missingField = line(order("g-2", null)).replace("\"customerId\"", "\"customer\"").getBytes(StandardCharsets.UTF_8);
        byte[] brokenJson = "{\"orderId\": \"g-3\", ".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (byte[] line : List.of(valid, missingField, brokenJson)) {
            file.writeBytes(line);
            file.write('\n');
        }
        Path path = Files.write(dir.resolve("mixed.jsonl"), file.toByteArray());

        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic", topic,
                "--file", path.toString(), "--allow-invalid", "--keep-created-at");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "sent      3 of 3 records to " + topic, "  scenarios  valid 1, malformed 2");
        List<ConsumerRecord<byte[], byte[]>> records = readAll(3);
        assertEquals(List.of("g-1", "g-2", "line-3"), records.stream().map(SendCommandIT::key).toList());
        assertArrayEquals(valid, records.get(0).value());
        assertArrayEquals(missingField, records.get(1).value());
        assertArrayEquals(brokenJson, records.get(2).value());
    }

    @Test
    void sendGenerated_keysEveryRecordByItsId_andTheMalformedOnesFailToDecode() {
        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic", topic,
                "--count", "20", "--malformed", "0.3", "--seed", "5", "--key-space", "it-gen");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "sent      20 of 20 records to " + topic + " in ", "  scenarios  valid 14, malformed 6");
        List<ConsumerRecord<byte[], byte[]>> records = readAll(20);
        List<String> keys = records.stream().map(SendCommandIT::key).sorted().toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("it-gen-%06d", i)).toList(), keys);
        long invalid = records.stream().filter(r -> CODEC.decodeOrder(r.value()) instanceof DecodedOrder.Invalid).count();
        assertEquals(6, invalid);
    }

    @Test
    void sendGenerated_ordersPerKey_sendsEachKeyThatManyTimes_asOrdersWithLaterCreatedAts() {
        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic", topic,
                "--rate", "50", "--count", "6", "--orders-per-key", "3", "--seed", "4", "--key-space", "it-per-key");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "sent      6 of 6 records to " + topic);
        // One key's records share a partition, so they are read in the order they were sent.
        Map<String, List<Instant>> createdAtPerKey = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(6)) {
            DecodedOrder.Valid valid = assertInstanceOf(DecodedOrder.Valid.class, CODEC.decodeOrder(r.value()));
            assertEquals(key(r), valid.order().orderId());
            createdAtPerKey.computeIfAbsent(key(r), _ -> new ArrayList<>()).add(valid.order().createdAt());
        }
        assertEquals(List.of("it-per-key-000001", "it-per-key-000002"), List.copyOf(createdAtPerKey.keySet()));
        createdAtPerKey.forEach((key, createdAt) -> {
            assertEquals(3, createdAt.size(), key + ": " + createdAt);
            for (int i = 1; i < createdAt.size(); i++) {
                assertTrue(createdAt.get(i).isAfter(createdAt.get(i - 1)), key + ": " + createdAt);
            }
        });
    }

    @Test
    void sendAtRate_forDuration_sendsRateTimesDuration_stampedWithTheirDueTimes() {
        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic", topic,
                "--rate", "50", "--duration", "200ms", "--seed", "3", "--key-space", "it-rate");

        assertEquals(0, run.exitCode(), run.toString());
        assertLines(run.out(), "sent      10 of 10 records to " + topic);
        List<Instant> createdAt = readAll(10).stream()
                .map(r -> assertInstanceOf(DecodedOrder.Valid.class, CODEC.decodeOrder(r.value())).order().createdAt())
                .sorted().toList();
        for (int i = 1; i < createdAt.size(); i++) {
            assertEquals(Duration.ofMillis(20), Duration.between(createdAt.get(i - 1), createdAt.get(i)),
                    "gap before order " + i + " in " + createdAt);
        }
    }

    @Test
    void missingTopic_exits69_namingTheTopic() {
        CliRun run = CliRun.execute(Map.of(), "send", "-b", TestKafka.bootstrapServers(), "--orders-topic",
                "no-such-" + topic, "--count", "1");

        assertEquals(69, run.exitCode(), run.toString());
        assertEquals("order-cli: topic 'no-such-" + topic + "' does not exist at " + TestKafka.bootstrapServers()
                + " (create it, or name another with --orders-topic)", run.err().strip());
    }

    /** Every record on the topic, sorted by key: across partitions Kafka keeps no order. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.consumerProps(TestKafka.uniqueName("send-it")))) {
            consumer.subscribe(List.of(topic));
            await("the " + expected + " records on " + topic).atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= expected;
                    });
        }
        assertEquals(expected, records.size(), "records on " + topic);
        records.sort(Comparator.comparing(SendCommandIT::key));
        return records;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    private static OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, LONG_AGO, simulation, new SplittableRandom(id.hashCode()));
    }

    private static String line(OrderPlaced order) {
        return new String(CODEC.encode(order), StandardCharsets.UTF_8);
    }

    private static OrderPlaced withCreatedAt(OrderPlaced o, Instant createdAt) {
        return new OrderPlaced(o.schemaVersion(), o.orderId(), o.customerId(), o.amount(), o.items(), o.vendorId(),
                o.deliveryZone(), createdAt, o.simulate());
    }
}
