package dev.orderpipeline.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderCodec;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.stubs.StubServices;
import dev.orderpipeline.worker.app.Worker;
import dev.orderpipeline.worker.config.RetryPolicy;
import dev.orderpipeline.worker.config.StepServices;
import dev.orderpipeline.worker.config.WorkerConfig;
import dev.orderpipeline.worker.trace.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator sees in the traces the worker exports: one worker with tracing on (an
 * in-memory exporter, handed in as production hands in the SDK built from OTEL_* variables),
 * real HTTP step services and the real broker; each test sends one order and reads its trace.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration FAST = Duration.ofMillis(5);
    private static final String SENDER_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String SENDER_SPAN_ID = "b7ad6b7169203331";
    private static final String SENDER_TRACEPARENT = "00-" + SENDER_TRACE_ID + "-" + SENDER_SPAN_ID + "-01";
    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");
    private static final AttributeKey<String> RESULT = AttributeKey.stringKey("order.step.result");
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("order.step.attempt");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OrderCodec codec = new OrderCodec();
    private PipelineTopics topics;
    private StubServices stub;
    private Worker worker;

    @BeforeAll
    void startWorker() throws Exception {
        topics = new PipelineTopics("tracing");
        stub = StubServices.start(0, StubServices.Behaviour.succeeding(FAST), new SplittableRandom(1));
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        WorkerConfig config = topics.workerConfig()
                .workerId("tracing-worker")
                .orderDeadline(Duration.ofSeconds(5))
                .commitInterval(Duration.ofMillis(200))
                .drainBudget(Duration.ofSeconds(10))
                // Two attempts, 10 ms apart: a retried step has exactly two attempt spans.
                .retry(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1),
                        RetryPolicy.DEFAULT_RETRY_ON, null))
                .services(new StepServices(stub.baseUrl(), stub.baseUrl(), stub.baseUrl()))
                .build();
        worker = Worker.start(config, Clock.systemUTC(), Tracing.of(sdk));
    }

    @AfterAll
    void stopWorker() throws Exception {
        try {
            worker.requestStop();
            worker.close();
        } finally {
            stub.close();
            topics.close();
        }
    }

    @BeforeEach
    void servicesSucceed() {
        for (StubServices.Service service : StubServices.Service.values()) {
            stub.behave(service, StubServices.Behaviour.succeeding(FAST));
        }
    }

    @Test
    void succeededOrder_isOneConsumerSpanWithAStepSpanPerStep_andTheServicesAndTheOutcomeContinueIt() throws Exception {
        OrderPlaced order = order("trace-ok");
        topics.send(order);

        SpanData root = orderSpan(order.orderId());
        assertEquals(SpanKind.CONSUMER, root.getKind());
        assertEquals(topics.orders + " process", root.getName());
        assertFalse(root.getParentSpanContext().isValid(), "no traceparent sent: the order starts a trace");
        assertEquals("kafka", root.getAttributes().get(AttributeKey.stringKey("messaging.system")));
        assertEquals(topics.orders, root.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertNotNull(root.getAttributes().get(AttributeKey.longKey("kafka.offset")));
        assertNotNull(root.getAttributes().get(AttributeKey.stringKey("order.deadline")));
        assertEquals("succeeded", root.getAttributes().get(AttributeKey.stringKey("order.status")));
        assertEquals(StatusCode.UNSET, root.getStatus().getStatusCode());

        Map<String, SpanData> steps = byName(children(root));
        assertEquals(List.of("courier", "payment", "vendor"), steps.keySet().stream().sorted().toList(), steps::toString);
        for (SpanData step : steps.values()) {
            assertEquals("succeeded", step.getAttributes().get(RESULT), step::toString);
            assertEquals(1L, step.getAttributes().get(ATTEMPT));
        }

        // Each service call carries the span of the attempt that made it.
        for (StubServices.Service service : StubServices.Service.values()) {
            String key = order.orderId() + ":" + service.name().toLowerCase(java.util.Locale.ROOT);
            StubServices.Request request = stub.requests().stream().filter(r -> key.equals(r.idempotencyKey()))
                    .findFirst().orElseThrow();
            assertNotNull(request.traceparent(), () -> service + " was called without a traceparent");
            String[] traceparent = request.traceparent().split("-");
            assertEquals(root.getTraceId(), traceparent[1], request::toString);
            assertEquals(steps.get(service.name().toLowerCase(java.util.Locale.ROOT)).getSpanId(), traceparent[2]);
        }

        await("the outcome").atMost(WAIT).until(() -> topics.outcomes().containsKey(order.orderId()));
        String outcomeTraceparent = header(topics.outcomeHeaders(order.orderId()), "traceparent");
        assertEquals(root.getTraceId(), outcomeTraceparent.split("-")[1], "the outcome continues the order's trace");
    }

    @Test
    void failedStep_cancelsItsSiblings_whoseSpansSayWhy_andTheUndoOfTheFinishedOneHasASpan() throws Exception {
        stub.behave(StubServices.Service.PAYMENT, StubServices.Behaviour.failing(402, Duration.ofMillis(300)));
        stub.behave(StubServices.Service.VENDOR, StubServices.Behaviour.succeeding(Duration.ofSeconds(4)));
        OrderPlaced order = order("trace-declined");
        topics.send(order);

        SpanData root = orderSpan(order.orderId());
        assertEquals(StatusCode.ERROR, root.getStatus().getStatusCode());
        assertEquals("payment_declined", root.getAttributes().get(AttributeKey.stringKey("order.error_class")));
        Map<String, SpanData> spans = byName(children(root));

        SpanData payment = spans.get("payment");
        assertEquals("failed", payment.getAttributes().get(RESULT));
        assertEquals(StatusCode.ERROR, payment.getStatus().getStatusCode());
        assertTrue(payment.getStatus().getDescription().startsWith("payment_declined: "), payment::toString);

        SpanData vendor = spans.get("vendor");
        assertEquals(Boolean.TRUE, vendor.getAttributes().get(AttributeKey.booleanKey("order.step.cancelled")), vendor::toString);
        assertEquals("cancelled: sibling payment failed (payment_declined)", vendor.getStatus().getDescription());
        assertTrue(vendor.getEndEpochNanos() - vendor.getStartEpochNanos() < Duration.ofSeconds(4).toNanos(),
                "the vendor call was cut short, not waited for");

        assertEquals("succeeded", spans.get("courier").getAttributes().get(RESULT));
        SpanData undo = spans.get("compensate courier");
        assertNotNull(undo, () -> "no compensation span among " + spans.keySet());
        assertEquals("succeeded", undo.getAttributes().get(RESULT));
        assertTrue(undo.getStartEpochNanos() >= spans.get("courier").getEndEpochNanos(), "undone after it was done");
    }

    @Test
    void retriedStep_hasASpanPerAttempt_theFirstSayingItIsRetried() throws Exception {
        stub.behave(StubServices.Service.VENDOR, StubServices.Behaviour.failing(503, FAST));
        OrderPlaced order = order("trace-retried");
        topics.send(order);

        SpanData root = orderSpan(order.orderId());
        List<SpanData> vendor = children(root).stream().filter(s -> s.getName().equals("vendor"))
                .sorted(java.util.Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
        assertEquals(2, vendor.size(), vendor::toString);
        assertEquals(List.of(1L, 2L), vendor.stream().map(s -> s.getAttributes().get(ATTEMPT)).toList());
        assertEquals("retrying", vendor.get(0).getAttributes().get(RESULT));
        Long retryIn = vendor.get(0).getAttributes().get(AttributeKey.longKey("order.step.retry_in_ms"));
        assertTrue(retryIn != null && retryIn >= 0 && retryIn <= 10, () -> "retry_in_ms " + retryIn + ", want 0..10");
        assertEquals("failed", vendor.get(1).getAttributes().get(RESULT));
        assertTrue(vendor.get(1).getStartEpochNanos() >= vendor.get(0).getEndEpochNanos(), "attempts one after another");
        assertEquals(2L, root.getAttributes().get(AttributeKey.longKey("order.attempts")));
    }

    @Test
    void orderWithATraceparent_continuesTheSendersTrace() throws Exception {
        OrderPlaced order = order("trace-continued");
        topics.sendRaw(order.orderId().getBytes(StandardCharsets.UTF_8), codec.encode(order),
                List.of(new RecordHeader("traceparent", SENDER_TRACEPARENT.getBytes(StandardCharsets.US_ASCII))));

        SpanData root = orderSpan(order.orderId());
        assertEquals(SENDER_TRACE_ID, root.getTraceId());
        assertEquals(SENDER_SPAN_ID, root.getParentSpanId());
        String key = order.orderId() + ":payment";
        await("the payment call").atMost(WAIT).until(() -> stub.requests().stream().anyMatch(r -> key.equals(r.idempotencyKey())));
        assertTrue(stub.requests().stream().filter(r -> key.equals(r.idempotencyKey()))
                .allMatch(r -> r.traceparent() != null && r.traceparent().contains(SENDER_TRACE_ID)),
                () -> stub.requests().toString());
        await("the outcome").atMost(WAIT).until(() -> topics.outcomes().containsKey(order.orderId()));
        String[] outcome = header(topics.outcomeHeaders(order.orderId()), "traceparent").split("-");
        assertEquals(SENDER_TRACE_ID, outcome[1]);
        assertEquals(root.getSpanId(), outcome[2], "a reader of the outcome continues the worker's span");
    }

    @Test
    void hostileTraceparents_startNewTraces_andTheOrdersSucceed() throws Exception {
        Map<String, String> hostile = Map.of(
                "trace-garbage", "00-zz\u0000\n-not-a-trace",
                "trace-huge", "00-" + "a".repeat(10 * 1024),
                "trace-zero", "00-00000000000000000000000000000000-0000000000000000-01");
        for (Map.Entry<String, String> entry : hostile.entrySet()) {
            OrderPlaced order = order(entry.getKey());
            topics.sendRaw(order.orderId().getBytes(StandardCharsets.UTF_8), codec.encode(order),
                    List.of(new RecordHeader("traceparent", entry.getValue().getBytes(StandardCharsets.UTF_8))));
        }
        for (String id : hostile.keySet()) {
            SpanData root = orderSpan(id);
            assertFalse(root.getParentSpanContext().isValid(), () -> id + ": " + root);
            assertEquals("succeeded", root.getAttributes().get(AttributeKey.stringKey("order.status")), id);
        }
        await("every outcome").atMost(WAIT).until(() -> topics.outcomes().keySet().containsAll(hostile.keySet()));
        for (String id : hostile.keySet()) {
            assertEquals(OrderStatus.SUCCEEDED, topics.onlyOutcome(id).status(), id);
        }
    }

    @Test
    void deadLetter_hasAnErrorSpan_andCarriesTheWorkersTraceparentInPlaceOfTheSenders() throws Exception {
        topics.sendRaw("trace-dlt".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader("traceparent", SENDER_TRACEPARENT.getBytes(StandardCharsets.US_ASCII))));

        SpanData root = await("the dead letter's span").atMost(WAIT).until(
                () -> spans(s -> s.getKind() == SpanKind.CONSUMER && SENDER_TRACE_ID.equals(s.getTraceId())
                        && "dead_lettered".equals(s.getAttributes().get(AttributeKey.stringKey("order.status")))),
                found -> !found.isEmpty()).getFirst();
        assertEquals(StatusCode.ERROR, root.getStatus().getStatusCode());
        assertTrue(root.getStatus().getDescription().startsWith("dead-lettered ("), root::toString);

        ConsumerRecord<byte[], byte[]> dead = await("the dead letter").atMost(WAIT).until(
                () -> topics.deadLetters().stream().filter(r -> "trace-dlt".equals(new String(r.key(), StandardCharsets.UTF_8)))
                        .findFirst(), java.util.Optional::isPresent).orElseThrow();
        List<String> traceparents = new java.util.ArrayList<>();
        dead.headers().headers("traceparent").forEach(h -> traceparents.add(new String(h.value(), StandardCharsets.US_ASCII)));
        assertEquals(List.of("00-" + SENDER_TRACE_ID + "-" + root.getSpanId() + "-01"), traceparents);
        assertNotEquals(SENDER_SPAN_ID, root.getSpanId());
    }

    private static OrderPlaced order(String id) {
        return SampleOrders.order(id, Instant.now(), null, new Random(id.hashCode()));
    }

    /** The finished CONSUMER span of order {@code orderId}; its children have ended before it. */
    private SpanData orderSpan(String orderId) {
        return await("the span of order " + orderId).atMost(WAIT).until(
                () -> spans(s -> s.getKind() == SpanKind.CONSUMER && orderId.equals(s.getAttributes().get(ORDER_ID))),
                found -> found.size() == 1).getFirst();
    }

    private List<SpanData> children(SpanData parent) {
        return spans(s -> s.getParentSpanId().equals(parent.getSpanId()) && s.getTraceId().equals(parent.getTraceId()));
    }

    private List<SpanData> spans(Predicate<SpanData> which) {
        return exporter.getFinishedSpanItems().stream().filter(which).toList();
    }

    private static Map<String, SpanData> byName(List<SpanData> spans) {
        return spans.stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
    }

    private static String header(Headers headers, String name) {
        assertNotNull(headers, "no outcome read");
        Header header = headers.lastHeader(name);
        assertNotNull(header, () -> "no " + name + " header among " + headers);
        return new String(header.value(), StandardCharsets.US_ASCII);
    }
}
