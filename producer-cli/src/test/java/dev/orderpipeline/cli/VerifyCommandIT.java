package dev.orderpipeline.cli;

import static dev.orderpipeline.cli.RunCommandIT.assertLines;
import static dev.orderpipeline.cli.TestRecords.CODEC;
import static dev.orderpipeline.cli.TestRecords.bytes;
import static dev.orderpipeline.cli.TestRecords.outcome;
import static dev.orderpipeline.cli.TestRecords.outcomeRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.ErrorClass;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.testkafka.TestKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code order-cli verify} against a real broker: a history with known faults, and a clean run. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VerifyCommandIT {

    private String orders;
    private String results;
    private String deadLetters;
    private String group;

    @BeforeEach
    void topics() {
        orders = TestKafka.uniqueName("orders");
        results = TestKafka.uniqueName("order-results");
        deadLetters = TestKafka.uniqueName("orders.DLT");
        group = TestKafka.uniqueName("verify-group");
    }

    /**
     * On orders/0: v-1, v-2, v-3 (valid), v-m (malformed, with its id), a malformed record without
     * an id. v-1 answered once, v-2 twice, v-3 only in an aborted transaction; v-m dead-lettered and
     * rejected; the last record neither. The group committed offset 3 with metadata "abc".
     */
    private void faultyHistory() throws Exception {
        TestKafka.createTopics(1, orders, results, deadLetters);
        TestRecords.produce(
                order("v-1", 1), order("v-2", 2), order("v-3", 3),
                new ProducerRecord<>(orders, bytes("v-m"), bytes("{\"schemaVersion\":1,\"orderId\":\"v-m\"}")),
                new ProducerRecord<>(orders, bytes("v-x"), bytes("{oops")),
                outcomeRecord(results, outcome("v-1", OrderStatus.SUCCEEDED, null)),
                outcomeRecord(results, outcome("v-2", OrderStatus.SUCCEEDED, null)),
                outcomeRecord(results, outcome("v-2", OrderStatus.SUCCEEDED, null)),
                outcomeRecord(results, outcome("v-m", OrderStatus.REJECTED, ErrorClass.INVALID_ORDER)),
                deadLetterOf("v-m", 3));

        Map<String, Object> props = TestKafka.producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafka.uniqueName("verify-tx"));
        try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(props)) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(outcomeRecord(results, outcome("v-3", OrderStatus.SUCCEEDED, null))).get();
            transactional.abortTransaction();
        }

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(TestKafka.consumerProps(group))) {
            consumer.commitSync(Map.of(new TopicPartition(orders, 0), new OffsetAndMetadata(3, "abc")));
        }
    }

    @Test
    void faultyHistory_countsLostDuplicatedAborted_andExits1() throws Exception {
        faultyHistory();

        CliRun run = verify("--group", group);

        assertEquals(1, run.exitCode(), run.toString());
        assertLines(run.out(),
                "read      5 records on " + orders + " (3 valid orders, 2 malformed), 4 outcomes on " + results
                        + " (5 with read_uncommitted), 1 dead letters on " + deadLetters,
                "lost              2  valid orders without an outcome 1, malformed records without a dead letter 1",
                "  v-3 (" + orders + "/0/2)",
                "  " + orders + "/0/4 (no dead letter)",
                "duplicated        1  ids with more outcomes than order records 1, records dead-lettered more than once 0 (allowed: at-least-once)",
                "  v-2: 2 outcomes for 1 order record",
                "out of order      0",
                "aborted           1  outcomes only visible with read_uncommitted; 0 more past the last stable offset",
                "  v-3 (" + results + "/0/4)",
                "warnings          0",
                "group " + group + " on " + orders,
                "  partition        end  committed      lag  metadata",
                "  0                  5          3        2  3 chars",
                "verdict: FAILED (lost 2)");
    }

    @Test
    void faultyHistory_exactlyOnce_failsOnDuplicatesToo_andJsonHasEveryCount() throws Exception {
        faultyHistory();

        CliRun text = verify("--group", group, "--exactly-once");
        CliRun json = verify("--group", group, "--exactly-once", "--json");

        assertEquals(1, text.exitCode(), text.toString());
        assertTrue(text.out().strip().endsWith("verdict: FAILED (lost 2, duplicated 1)"), text.toString());
        assertEquals(1, json.exitCode(), json.toString());
        JsonNode root = OrderCodec.newMapper().readTree(json.out());
        assertEquals("FAILED", root.get("verdict").asText(), json.out());
        assertEquals(2, root.at("/counts/lost").asInt(), json.out());
        assertEquals(1, root.at("/counts/duplicated").asInt(), json.out());
        assertEquals(1, root.at("/counts/aborted").asInt(), json.out());
        assertEquals("v-2", root.at("/duplicated/outcomes/0/what").asText(), json.out());
        assertEquals(2, root.at("/group/partitions/0/lag").asInt(), json.out());
        assertEquals(3, root.at("/group/partitions/0/metadataLength").asInt(), json.out());
    }

    @Test
    void runWithTheFakeWorker_thenVerify_isOk_evenUnderExactlyOnce() {
        TestKafka.createTopics(3, orders, results, deadLetters);
        CliRun run;
        try (FakeWorker _ = FakeWorker.answeringEverything(orders, results, deadLetters)) {
            run = CliRun.execute(Map.of(), "run", "-b", TestKafka.bootstrapServers(), "--orders-topic", orders,
                    "--results-topic", results, "--dlt-topic", deadLetters, "--count", "40", "--declines", "0.1",
                    "--malformed", "0.1", "--seed", "3", "--key-space", "it-verify", "--timeout", "60s");
        }
        assertEquals(0, run.exitCode(), run.toString());

        CliRun verify = verify("--exactly-once");

        assertEquals(0, verify.exitCode(), verify.toString());
        assertLines(verify.out(),
                "read      40 records on " + orders,
                "lost              0",
                "duplicated        0",
                "out of order      0",
                "aborted           0",
                "warnings          0",
                "group order-worker: no committed offsets on " + orders,
                "verdict: OK");
    }

    private CliRun verify(String... args) {
        List<String> all = new ArrayList<>(List.of("verify", "-b", TestKafka.bootstrapServers(),
                "--orders-topic", orders, "--results-topic", results, "--dlt-topic", deadLetters));
        all.addAll(List.of(args));
        return CliRun.execute(Map.of(), all.toArray(String[]::new));
    }

    private ProducerRecord<byte[], byte[]> order(String id, int second) {
        return new ProducerRecord<>(orders, bytes(id), CODEC.encode(SampleOrders.order(id,
                TestRecords.CREATED.plusSeconds(second), Simulation.NONE, new SplittableRandom(second))));
    }

    private ProducerRecord<byte[], byte[]> deadLetterOf(String key, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.PROBLEM, bytes("MISSING_FIELD"));
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, bytes(orders));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, bytes("0"));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, bytes(Long.toString(offset)));
        return new ProducerRecord<>(deadLetters, null, bytes(key), bytes("{}"), headers);
    }
}
