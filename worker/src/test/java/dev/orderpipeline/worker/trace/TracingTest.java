package dev.orderpipeline.worker.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orderpipeline.contract.OrderOutcome;
import dev.orderpipeline.contract.OrderPlaced;
import dev.orderpipeline.contract.OrderStatus;
import dev.orderpipeline.contract.SampleOrders;
import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.pipeline.OrderPipeline;
import dev.orderpipeline.worker.pipeline.PipelineTracing;
import dev.orderpipeline.worker.steps.CourierPool;
import io.opentelemetry.api.common.AttributeKey;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When tracing is on, what bad OTEL_* variables do, and the spans of an order whose deadline passes. */
@Timeout(30)
class TracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Tracing tracing = Tracing.of(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build());

    @AfterEach
    void shutDown() {
        tracing.close();
    }

    @ParameterizedTest(name = "{0} -> on={1}")
    @CsvSource(delimiter = '|', value = {
            "                                                         | false",
            "OTEL_SERVICE_NAME=shop                                   | false",
            "OTEL_TRACES_EXPORTER=otlp                                | true",
            "OTEL_TRACES_EXPORTER=none                                | false",
            "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318        | true",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://c:4318/v1/traces | true",
            "OTEL_SDK_DISABLED=false                                  | true",
            "OTEL_SDK_DISABLED=true,OTEL_TRACES_EXPORTER=otlp         | false",
            "OTEL_TRACES_EXPORTER=none,OTEL_EXPORTER_OTLP_ENDPOINT=http://c:4318 | false",
            "OTEL_TRACES_EXPORTER=  ,OTEL_SERVICE_NAME=shop           | false"})
    void tracingIsOnOnlyWhenTheEnvironmentAsksForTraces(String env, boolean on) {
        assertEquals(on, Tracing.requested(env(env)), () -> "env " + env);
    }

    @Test
    void tracingOff_handsOutTheNoOpParts() {
        try (Tracing off = Tracing.fromEnvironment(Map.of("PATH", "/bin"))) {
            assertFalse(off.on());
            assertSame(PipelineTracing.NONE, off.pipeline());
            assertSame(OrderSpans.OFF, off.orders("g"));
            assertSame(TraceHeaders.OFF, off.headers());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "OTEL_TRACES_EXPORTER=zipkin-ish                                      | OTEL_TRACES_EXPORTER",
            "OTEL_TRACES_EXPORTER=otlp,OTEL_TRACES_SAMPLER=sometimes              | OTEL_TRACES_SAMPLER",
            "OTEL_TRACES_EXPORTER=otlp,OTEL_TRACES_SAMPLER=traceidratio,OTEL_TRACES_SAMPLER_ARG=half | OTEL_TRACES_SAMPLER_ARG",
            "OTEL_EXPORTER_OTLP_ENDPOINT=not a url                                | OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_TRACES_EXPORTER=otlp,OTEL_EXPORTER_OTLP_PROTOCOL=carrier-pigeon | OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_TRACES_EXPORTER=otlp,OTEL_EXPORTER_OTLP_PROTOCOL=grpc           | OTEL_EXPORTER_OTLP_PROTOCOL"})
    void badOtelVariable_stopsStartUp_withOneLineNamingIt(String env, String variable) {
        ConfigException e = assertThrows(ConfigException.class, () -> Tracing.fromEnvironment(env(env)).close());
        assertEquals(variable, e.key(), e::getMessage);
        assertTrue(e.getMessage().startsWith(variable + ": "), e::getMessage);
        assertTrue(e.getMessage().contains("unset the OTEL_* variables"), e::getMessage);
        assertFalse(e.getMessage().contains("\n"), e::getMessage);
    }

    @Test
    void goodOtelVariables_turnTracingOn() {
        try (Tracing on = Tracing.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9", "OTEL_SERVICE_NAME", "shop"))) {
            assertTrue(on.on());
        }
    }

    @Test
    void deadlinePasses_everyStepSpanIsCancelledByIt_andTheOrderSpanHasTheEvent() throws Exception {
        OrderPipeline pipeline = OrderPipeline.builder(
                        (order, context) -> hang("payment"),
                        (order, context) -> hang("vendor"),
                        (order, context) -> {
                            hang("courier");
                            return new CourierPool(1).tryTake(Duration.ZERO);
                        })
                .orderDeadline(Duration.ofMillis(200)).workerId("w").clock(Clock.systemUTC())
                .tracing(tracing.pipeline())
                .build();
        OrderPlaced order = SampleOrders.order("late-1", Instant.now(), null, new Random(1));
        OrderOutcome outcome;
        try (OrderSpans.OrderSpan span = tracing.orders("g").start(new ConsumerRecord<>("orders", 1, 42L,
                "late-1".getBytes(StandardCharsets.UTF_8), new byte[0]))) {
            outcome = pipeline.process(order, Instant.now());
            span.outcome(outcome);
        }
        assertEquals(OrderStatus.FAILED, outcome.status());

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData root = spans.stream().filter(s -> s.getName().equals("orders process")).findFirst().orElseThrow();
        assertEquals("late-1", root.getAttributes().get(OrderSpans.ORDER_ID));
        assertEquals(42L, root.getAttributes().get(AttributeKey.longKey("kafka.offset")));
        assertEquals("timeout", root.getAttributes().get(StepTracing.ERROR_CLASS));
        assertTrue(root.getEvents().stream().anyMatch(e -> e.getName().equals("order deadline expired")), root::toString);
        List<SpanData> steps = spans.stream().filter(s -> s.getParentSpanId().equals(root.getSpanId())).toList();
        assertEquals(3, steps.size(), steps::toString);
        for (SpanData step : steps) {
            assertEquals(Boolean.TRUE, step.getAttributes().get(StepTracing.CANCELLED), step::toString);
            assertEquals("cancelled: the deadline passed", step.getStatus().getDescription());
        }
    }

    private static String hang(String step) throws InterruptedException {
        Thread.sleep(Duration.ofSeconds(20)); // ended by the deadline's interrupt
        return step;
    }

    private static Map<String, String> env(String spec) {
        Map<String, String> env = new java.util.HashMap<>();
        if (spec == null) {
            return env;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            env.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return env;
    }
}
