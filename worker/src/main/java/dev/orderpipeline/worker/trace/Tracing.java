package dev.orderpipeline.worker.trace;

import dev.orderpipeline.worker.config.ConfigException;
import dev.orderpipeline.worker.pipeline.PipelineTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's OpenTelemetry tracing, on or off, and what it hands to the parts of the worker:
 * the pipeline's spans, the order spans, the trace headers of what the worker sends, the
 * propagator of the HTTP steps. Off (the default) is {@link OpenTelemetry#noop()} and the
 * parts' {@code OFF}/{@code NONE} constants: no span, no wrapping, no header.
 *
 * <p>On when the environment asks for traces (see {@link #requested}); then the SDK is built by
 * OpenTelemetry's autoconfigure from the standard {@code OTEL_*} variables. Closing it exports
 * what is buffered and stops the exporter: the worker does so after its drain.
 */
public final class Tracing implements AutoCloseable {

    /** {@code service.name} unless {@code OTEL_SERVICE_NAME} says otherwise. */
    public static final String DEFAULT_SERVICE_NAME = "order-worker";

    private static final String INSTRUMENTATION = "dev.orderpipeline.worker";
    private static final Pattern PROPERTY = Pattern.compile("otel(\\.[a-z0-9_-]+)+");

    private final OpenTelemetrySdk sdk;

    private Tracing(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    /** No tracing. */
    public static Tracing off() {
        return new Tracing(null);
    }

    /** Tracing by {@code sdk}, which this instance shuts down on {@link #close()}; tests inject theirs here. */
    public static Tracing of(OpenTelemetrySdk sdk) {
        return new Tracing(sdk);
    }

    /**
     * Whether {@code env} asks for traces: {@code OTEL_SDK_DISABLED} is not {@code true},
     * {@code OTEL_TRACES_EXPORTER} is not {@code none}, and one of {@code OTEL_TRACES_EXPORTER},
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set or
     * {@code OTEL_SDK_DISABLED} is {@code false}.
     */
    public static boolean requested(Map<String, String> env) {
        String disabled = value(env, "OTEL_SDK_DISABLED");
        String exporter = value(env, "OTEL_TRACES_EXPORTER");
        if ("true".equalsIgnoreCase(disabled) || "none".equalsIgnoreCase(exporter)) {
            return false;
        }
        return exporter != null || "false".equalsIgnoreCase(disabled)
                || value(env, "OTEL_EXPORTER_OTLP_ENDPOINT") != null
                || value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
    }

    /**
     * Tracing as {@code env} (the process environment) asks for it.
     *
     * @throws ConfigException naming the {@code OTEL_*} variable that is wrong, and the fix
     */
    public static Tracing fromEnvironment(Map<String, String> env) {
        if (!requested(env)) {
            return off();
        }
        Map<String, String> defaults = Map.of(
                "otel.service.name", DEFAULT_SERVICE_NAME,
                // Traces only: the worker's metrics are Prometheus's (/metrics), its logs slf4j's.
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                // The OTLP standard's default; the SDK's own is gRPC, which needs a sender (OkHttp
                // or grpc-java) that the worker does not ship: it sends with the JDK's HttpClient.
                "otel.exporter.otlp.protocol", "http/protobuf");
        try {
            return of(AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    // The given environment wins, so a test's map means what the process's would.
                    .addPropertiesCustomizer(config -> properties(env))
                    // The worker flushes after its drain; a hook of its own would race the drain.
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk());
        } catch (ConfigurationException | IllegalArgumentException e) {
            String problem = problem(e);
            throw new ConfigException(variable(problem, env), problem
                    + "; fix it (docs/operations.md, Tracing) or unset the OTEL_* variables to run without tracing");
        }
    }

    /** Whether spans are made at all. */
    public boolean on() {
        return sdk != null;
    }

    /** The spans of steps, attempts and undos. */
    public PipelineTracing pipeline() {
        return sdk == null ? PipelineTracing.NONE : new StepTracing(tracer());
    }

    /** The span of each record, for a worker of consumer group {@code groupId}. */
    public OrderSpans orders(String groupId) {
        return sdk == null ? OrderSpans.OFF : new OrderSpans(tracer(), propagator(), groupId);
    }

    /** The trace headers of outcomes and dead letters. */
    public TraceHeaders headers() {
        return sdk == null ? TraceHeaders.OFF : new TraceHeaders(propagator(), /* on= */ true);
    }

    /** Writes the trace context into the HTTP steps' requests; writes nothing when off. */
    public TextMapPropagator propagator() {
        return sdk == null ? TextMapPropagator.noop() : sdk.getPropagators().getTextMapPropagator();
    }

    /** Exports the spans still buffered and stops the exporter, waiting at most ten seconds. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private Tracer tracer() {
        return sdk.getTracer(INSTRUMENTATION);
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** {@code OTEL_FOO_BAR=x} as autoconfigure's {@code otel.foo.bar=x}. */
    private static Map<String, String> properties(Map<String, String> env) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /**
     * The variable a problem is about: the one behind the first {@code otel.*} property it names,
     * else the one whose value it quotes.
     */
    static String variable(String problem, Map<String, String> env) {
        Matcher m = PROPERTY.matcher(problem);
        if (m.find()) {
            return m.group().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
        String quoted = null;
        for (Map.Entry<String, String> entry : env.entrySet()) {
            String value = entry.getValue() == null ? "" : entry.getValue().strip();
            if (entry.getKey().startsWith("OTEL_") && !value.isEmpty()
                    && problem.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT))
                    && (quoted == null || value.length() > env.get(quoted).strip().length())) {
                quoted = entry.getKey();
            }
        }
        return quoted == null ? "OTEL_*" : quoted;
    }

    /** What autoconfigure said, on one line, with the cause when its own words say nothing. */
    private static String problem(Exception e) {
        String problem = oneLine(e.getMessage());
        Throwable cause = e.getCause();
        return cause == null || cause == e ? problem : problem + " (" + oneLine(cause.toString()) + ")";
    }

    private static String oneLine(String message) {
        return message == null ? "invalid" : message.replaceAll("\\s+", " ").strip();
    }
}
