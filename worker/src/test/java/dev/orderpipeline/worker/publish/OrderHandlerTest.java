package dev.orderpipeline.worker.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.DeadLetterHeaders;
import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.contract.Simulation;
import dev.orderpipeline.contract.StepFault;
import dev.orderpipeline.worker.config.SimulationSettings;
import dev.orderpipeline.worker.observe.WorkerMetrics;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.trace.OrderSpans;
import dev.orderpipeline.worker.trace.TraceHeaders;
import dev.orderpipeline.worker.steps.CourierPool;
import dev.orderpipeline.worker.steps.SimulatedSteps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One hostile record through the handler, without a broker: what reaches the log, the dead
 * letter's headers and the outcome. The producer is Kafka's MockProducer, which completes a send
 * only when told, so the test sees what happens before and after the broker's ack.
 */
@Timeout(30)
class OrderHandlerTest {

    private static final String FORGED = "o-1\n2026-12-06T21:00:00.000+0000 [main] ERROR forged line\u001b[31m\u0000";
    private static final String FORGED_ESCAPED =
            "o-1\\n2026-12-06T21:00:00.000+0000 [main] ERROR forged line\\u001b[31m\\u0000";

    private final OrderCodec codec = new OrderCodec();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(/* autoComplete= */ false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final OutcomePublisher publisher = new OutcomePublisher(producer, codec, "results", "orders-dlt", "w1",
            Clock.systemUTC(), 1_048_588, TraceHeaders.OFF);
    private final OrderHandler handler;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    OrderHandlerTest() {
        SimulationSettings settings = SimulationSettings.fixedLatency(Duration.ofMillis(1));
        Random random = new Random(1);
        OrderPipeline pipeline = OrderPipeline.builder(SimulatedSteps.payment(settings, random),
                        SimulatedSteps.vendor(settings, random), SimulatedSteps.courier(settings, random, new CourierPool(4)))
                .orderDeadline(Duration.ofSeconds(5)).workerId("w1")
                .build();
        handler = new OrderHandler(codec, pipeline, publisher, new WorkerMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), OrderSpans.OFF);
    }

    /** slf4j-simple writes to whatever System.err is when it logs. */
    @BeforeEach
    void captureLog() {
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setErr(stderr);
        System.err.print(log.toString(StandardCharsets.UTF_8));
    }

    private static final OrderHandler.PublishGate OPEN = new OrderHandler.PublishGate() {
        @Override
        public boolean tryBeginPublish() {
            return true;
        }

        @Override
        public void endPublish() {
        }
    };

    private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>("orders", 0, 5, 0L, TimestampType.CREATE_TIME, key == null ? -1 : key.length,
                value == null ? -1 : value.length, key, value, headers, java.util.Optional.empty());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private OrderPlaced order(String id, Simulation simulation) {
        return SampleOrders.order(id, Instant.parse("2026-12-06T10:00:00Z"), simulation, new Random(3));
    }

    /** Handles {@code record} on this thread, then completes every send as the broker would. */
    private void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name("order-thread").start(() -> {
            try {
                handler.handle(record, OPEN, (published, error) -> { });
            } catch (Exception e) {
                failed.set(e);
            }
        });
        // A dead letter waits for its ack on the order's thread: complete sends until it is done.
        while (thread.isAlive()) {
            producer.completeNext();
            thread.join(Duration.ofMillis(5));
        }
        while (producer.completeNext()) {
            // the outcomes sent without waiting
        }
        if (failed.get() != null) {
            throw new AssertionError("handle threw", failed.get());
        }
    }

    private List<String> logLines() {
        return log.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private List<ProducerRecord<byte[], byte[]>> sentTo(String topic) {
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        producer.history().stream().filter(r -> r.topic().equals(topic)).forEach(sent::add);
        return sent;
    }

    private static List<String> headers(ProducerRecord<byte[], byte[]> record, String name) {
        List<String> values = new ArrayList<>();
        for (Header h : record.headers().headers(name)) {
            values.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void assertNoRawControlCharacters(String where, String text) {
        assertTrue(text.chars().noneMatch(c -> Character.isISOControl(c)), () -> where + " holds a control character: "
                + text.replace("\u001b", "<ESC>").replace("\n", "<LF>").replace("\u0000", "<NUL>"));
    }

    /** Finding 1 and 14: a failed order with a forged id logs one escaped line, from the order's thread. */
    @Test
    void failedOrderWithForgedId_logsOneEscapedLine_fromTheOrdersThread_beforeTheBrokersAck() throws Exception {
        byte[] value = codec.encode(order(FORGED, Simulation.payment(StepFault.FAIL)));
        Thread thread = Thread.ofVirtual().name("order-thread").start(() -> {
            try {
                handler.handle(record(utf8(FORGED), value, new RecordHeaders()), OPEN, (published, error) -> { });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        thread.join(Duration.ofSeconds(10));
        assertFalse(thread.isAlive(), "the order's thread returns once the outcome is sent");
        List<String> before = logLines().stream().filter(l -> l.contains("status=failed")).toList();

        producer.completeNext();

        assertEquals(1, before.size(), () -> "log before the ack:\n" + log);
        String line = before.getFirst();
        assertTrue(line.contains("[order-thread]"), () -> "written by the order's thread: " + line);
        assertTrue(line.contains("order_id=" + FORGED_ESCAPED + " "), line);
        assertNoRawControlCharacters("the log line", line);
        assertFalse(logLines().stream().anyMatch(l -> l.startsWith("2026-12-06T21:00:00.000+0000")), "no forged line");
        assertEquals(before, logLines().stream().filter(l -> l.contains("status=failed")).toList(),
                "nothing more logged by the producer's callback");
    }

    /** Finding 1: a key with control characters reaches the reason header, errorMessage and log escaped. */
    @Test
    void keyWithControlCharacters_isEscapedInTheReasonHeader_errorMessage_andLog() throws Exception {
        byte[] value = codec.encode(order("o-7", null));

        handle(record(utf8("k\n\u001b]0;pwned\u0007"), value, new RecordHeaders()));

        String want = "record key \"k\\n\\u001b]0;pwned\\u0007\" is not the order id \"o-7\"";
        ProducerRecord<byte[], byte[]> dead = sentTo("orders-dlt").getFirst();
        assertEquals(List.of(want), headers(dead, DeadLetterHeaders.REASON));
        OrderOutcome rejected = codec.decodeOutcome(sentTo("results").getFirst().value());
        assertEquals(want, rejected.errorMessage());
        assertNoRawControlCharacters("the log", log.toString(StandardCharsets.UTF_8).replace("\n", ""));
        assertTrue(logLines().stream().anyMatch(l -> l.contains("dead_letter") && l.contains(want)), () -> log.toString());
    }

    /** Finding 2: a 60,000-character id is refused and shown capped, with its length. */
    @Test
    void hugeOrderId_isRefused_andCappedInTheOutcome_header_andLog() throws Exception {
        String id = "x".repeat(60_000);
        byte[] value = codec.encode(order(id, null));

        handle(record(utf8("o-x"), value, new RecordHeaders()));

        String shown = "x".repeat(200) + "...(60000 chars)";
        OrderOutcome rejected = codec.decodeOutcome(sentTo("results").getFirst().value());
        assertEquals(shown, rejected.orderId());
        assertEquals(OrderStatus.REJECTED, rejected.status());
        assertTrue(logLines().stream().allMatch(l -> l.length() < 1_000), () -> "a log line of "
                + logLines().stream().mapToInt(String::length).max().orElse(0) + " chars");
    }

    /** Finding 2: a 60,000-byte key is a dead letter saying so, with short headers and a rejected outcome. */
    @Test
    void keyOverTheLimit_isDeadLettered_withAShortReason_andTheOrderIsRejected() throws Exception {
        byte[] value = codec.encode(order("o-8", null));
        byte[] key = utf8("k".repeat(60_000));

        handle(record(key, value, new RecordHeaders()));

        ProducerRecord<byte[], byte[]> dead = sentTo("orders-dlt").getFirst();
        assertEquals(List.of("OVERSIZED"), headers(dead, DeadLetterHeaders.PROBLEM));
        assertEquals(List.of("record key is 60000 bytes, more than the limit of " + OrderCodec.MAX_KEY_BYTES),
                headers(dead, DeadLetterHeaders.REASON));
        OrderOutcome rejected = codec.decodeOutcome(sentTo("results").getFirst().value());
        assertEquals("o-8", rejected.orderId());
        assertTrue(logLines().stream().allMatch(l -> l.length() < 1_000), "no long log line");
    }

    @Test
    void keyAtTheLimit_thatIsNotTheOrderId_isQuotedInPart() throws Exception {
        byte[] value = codec.encode(order("o-9", null));

        handle(record(utf8("k".repeat(OrderCodec.MAX_KEY_BYTES)), value, new RecordHeaders()));

        String reason = headers(sentTo("orders-dlt").getFirst(), DeadLetterHeaders.REASON).getFirst();
        assertTrue(reason.startsWith("record key \"kkk") && reason.contains("...(1024 chars)\" is not the order id"),
                reason);
        assertTrue(reason.length() <= 300, () -> reason.length() + " chars");
    }

    /** Finding 4: a duplicated property with a readable id gets its rejected outcome. */
    @Test
    void duplicatedAmount_withAReadableId_isDeadLettered_andRejected() throws Exception {
        String json = new String(codec.encode(order("o-10", null)), StandardCharsets.UTF_8)
                .replaceFirst("\"amount\":", "\"amount\":{\"minorUnits\":1,\"currency\":\"EUR\"},\"amount\":");

        handle(record(utf8("o-10"), utf8(json), new RecordHeaders()));

        assertEquals(List.of("MALFORMED_JSON"), headers(sentTo("orders-dlt").getFirst(), DeadLetterHeaders.PROBLEM));
        List<ProducerRecord<byte[], byte[]>> outcomes = sentTo("results");
        assertEquals(1, outcomes.size(), "one outcome");
        OrderOutcome rejected = codec.decodeOutcome(outcomes.getFirst().value());
        assertEquals("o-10", rejected.orderId());
        assertEquals(OrderStatus.REJECTED, rejected.status());
    }

    /** Finding 5: the sender's dlt.* headers are kept under another name; the worker's are the only ones. */
    @Test
    void sendersOwnDltHeaders_areRenamed_soTheWorkersAreTheOnlyOnes() throws Exception {
        RecordHeaders sent = new RecordHeaders();
        sent.add(DeadLetterHeaders.PROBLEM, utf8("NOTHING_WRONG"));
        sent.add(DeadLetterHeaders.REASON, utf8("all good, ignore"));
        sent.add("traceparent", utf8("00-abc-def-01"));

        handle(record(utf8("o-11"), utf8("{\"orderId\":\"o-11\"}"), sent));

        ProducerRecord<byte[], byte[]> dead = sentTo("orders-dlt").getFirst();
        assertEquals(List.of("MISSING_FIELD"), headers(dead, DeadLetterHeaders.PROBLEM));
        assertEquals(1, headers(dead, DeadLetterHeaders.REASON).size());
        assertEquals(List.of("NOTHING_WRONG"), headers(dead, "dlt.original.dlt.problem"));
        assertEquals(List.of("all good, ignore"), headers(dead, "dlt.original.dlt.reason"));
        assertEquals(List.of("00-abc-def-01"), headers(dead, "traceparent"));
        assertNotNull(dead.headers().lastHeader(DeadLetterHeaders.WORKER_ID));
    }
}
